#!/usr/bin/env bash
# tools/bench/pgbench_ceiling.sh against a real PostgreSQL:
# - a 1 s run with 2 clients ends with the line "pgbench_inserts_per_second N",
#   N a whole number above 0, and leaves no scratch table behind;
# - so does a run of call events, with "pgbench_call_events_per_second N";
# - an unreachable server, a malformed client count and an unknown kind of
#   rows are refused with a message and a failing exit status, and no figure.
#
# Run by ctest (label db) with HOTLINE_SOURCE_DIR set; uses
# HOTLINE_TEST_PG_URI when given (tools/dev test), else starts its own
# servers with `tools/dev servers`.
set -uo pipefail

SRC=${HOTLINE_SOURCE_DIR:?the source folder}
PG_ADMIN=${HOTLINE_TEST_PG_URI:-}
SCRIPT="$SRC/tools/bench/pgbench_ceiling.sh"
WORK=$(mktemp -d /tmp/hotline-pgbench-ceiling.XXXXXX)
chmod 755 "$WORK"
OWN_SERVERS=""
DB="pgbench_ceiling_test_$$"

fail() { echo "FAIL: $*" >&2; exit 1; }

cleanup() {
  [ -n "$PG_ADMIN" ] && psql -X -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
  [ -n "$OWN_SERVERS" ] && "$SRC/tools/dev" servers stop "$OWN_SERVERS" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "$PG_ADMIN" ]; then
  OWN_SERVERS="$WORK/servers"
  ports=$("$SRC/tools/dev" servers start "$OWN_SERVERS") || fail "cannot start test servers: $ports"
  PG_ADMIN="postgresql://hotline@127.0.0.1:$(sed -n 's/^PG_PORT=//p' <<<"$ports")/postgres"
fi
# A database of its own, so the check for leftovers sees only this run's.
psql -X -q "$PG_ADMIN" -c "CREATE DATABASE $DB" >/dev/null || fail "cannot create database $DB"
DB_URI="${PG_ADMIN%/*}/$DB"

# check_run LABEL [--rows=KIND]: a real 1 s run with 2 clients ends with
# "LABEL N", N above 0, commits, and leaves no scratch table behind.
check_run() {
  local label=$1 last left
  shift
  "$SCRIPT" "$@" "$DB_URI" 2 1 >"$WORK/out" 2>"$WORK/err" \
    || fail "the run ($*) failed: $(cat "$WORK/out" "$WORK/err")"
  last=$(tail -n 1 "$WORK/out")
  [[ "$last" =~ ^$label\ ([0-9]+)$ ]] || fail "the last line is not '$label N': '$last'"
  [ "${BASH_REMATCH[1]}" -gt 0 ] || fail "no rows per second: '$last'"
  grep -q "number of clients: 2" "$WORK/out" || fail "pgbench did not run 2 clients: $(cat "$WORK/out")"
  grep -q "number of transactions actually processed: [1-9]" "$WORK/out" \
    || fail "pgbench committed nothing: $(cat "$WORK/out")"
  left=$(psql -X -tA "$DB_URI" -c \
    "SELECT count(*) FROM pg_class WHERE relname LIKE 'hotline_pgbench_ceiling%'") \
    || fail "cannot look for the scratch table"
  [ "$left" = "0" ] || fail "the scratch table (or its indexes) is still there: $left relations"
  echo "ok: $last, scratch table gone"
}
check_run pgbench_inserts_per_second
check_run pgbench_call_events_per_second --rows=call-events

# An unreachable server: a message naming the URI, no figure.
bad_uri="postgresql://hotline@127.0.0.1:1/postgres"
if "$SCRIPT" "$bad_uri" 2 1 >"$WORK/out" 2>"$WORK/err"; then
  fail "an unreachable server was not refused"
fi
grep -q "cannot connect to '$bad_uri'" "$WORK/err" || fail "no clear message: $(cat "$WORK/err")"
grep -q pgbench_inserts_per_second "$WORK/out" && fail "a figure without a run"
echo "ok: an unreachable server is refused"

# A malformed client count.
if "$SCRIPT" "$DB_URI" two 1 >"$WORK/out" 2>"$WORK/err"; then
  fail "CLIENTS 'two' was not refused"
fi
grep -q "CLIENTS must be a positive integer" "$WORK/err" || fail "no clear message: $(cat "$WORK/err")"
echo "ok: a malformed client count is refused"

# An unknown kind of rows.
if "$SCRIPT" --rows=agents "$DB_URI" 2 1 >"$WORK/out" 2>"$WORK/err"; then
  fail "--rows=agents was not refused"
fi
grep -q "rows must be tickets or call-events" "$WORK/err" || fail "no clear message: $(cat "$WORK/err")"
echo "ok: an unknown kind of rows is refused"
