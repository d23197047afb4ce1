#!/usr/bin/env bash
# The ceiling CreateTicket's rate is compared to: PostgreSQL's single-row
# durable insert rate, measured with pgbench on a row like intake's ticket
# row, on the same server and with the same number of clients.
# Run with --help for the usage.
set -uo pipefail

PG_BIN=/usr/lib/postgresql/15/bin  # Debian 12's postgresql-15, as tools/devlib/servers.sh

usage() {
  cat <<'USAGE'
Usage: tools/bench/pgbench_ceiling.sh URI CLIENTS SECONDS

Measures how many single-row inserts per second PostgreSQL commits durably
(synchronous_commit is left as the server has it) with CLIENTS connections
for SECONDS seconds, on a scratch table shaped like intake.tickets: a uuid
primary key, the ticket number and idempotency key unique, the address and
details as jsonb, and the indexes for listing newest first, by status and by
area and for finding open repairs of a place. The table is created in the
database at URI (the first schema of its search_path, normally public) and
dropped afterwards, also when the run fails or is interrupted.

  URI      a PostgreSQL connection URI, e.g. postgresql://hotline@127.0.0.1:5432/hotline
  CLIENTS  connections (and pgbench threads), a positive integer
  SECONDS  duration of the run, a positive integer

pgbench's report comes first; the last line is exactly
  pgbench_inserts_per_second N
with N the whole number of inserts per second (pgbench's tps without the
initial connection time: one transaction is one insert).

Needs pgbench and psql (Debian's postgresql-15 and postgresql-client-15);
PGBENCH and PSQL name other binaries.
USAGE
}

fail() {
  echo "pgbench_ceiling: $*" >&2
  exit 1
}

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  usage
  exit 0
fi
[ $# -eq 3 ] || { usage >&2; exit 2; }
URI=$1
CLIENTS=$2
SECONDS_TO_RUN=$3
[[ "$CLIENTS" =~ ^[1-9][0-9]*$ ]] || fail "CLIENTS must be a positive integer, not '$CLIENTS'"
[[ "$SECONDS_TO_RUN" =~ ^[1-9][0-9]*$ ]] || fail "SECONDS must be a positive integer, not '$SECONDS_TO_RUN'"

# find_tool NAME OVERRIDE: the binary to run (OVERRIDE, PG_BIN's, or PATH's).
find_tool() {
  if [ -n "$2" ]; then
    [ -x "$2" ] || command -v "$2" >/dev/null || fail "$1 '$2' is not an executable"
    echo "$2"
  elif [ -x "$PG_BIN/$1" ]; then
    echo "$PG_BIN/$1"
  elif command -v "$1" >/dev/null; then
    command -v "$1"
  else
    fail "$1 not found (looked in $PG_BIN and PATH); install postgresql-15 (tools/dev install)"
  fi
}
PGBENCH_BIN=$(find_tool pgbench "${PGBENCH:-}") || exit 1
PSQL_BIN=$(find_tool psql "${PSQL:-}") || exit 1

sql() { "$PSQL_BIN" -X -q -v ON_ERROR_STOP=1 -d "$URI" "$@"; }

connect_error=$(sql -tAc "SELECT 1" 2>&1 >/dev/null) \
  || fail "cannot connect to '$URI': $connect_error"

# One name per run, so two runs on one database do not meet.
TABLE="hotline_pgbench_ceiling_$$_${RANDOM}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgbench-ceiling.XXXXXX")
cleanup() {
  sql -c "DROP TABLE IF EXISTS $TABLE" >/dev/null 2>&1 \
    || echo "pgbench_ceiling: could not drop the scratch table $TABLE" >&2
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The ticket row's columns and types as services/intake/migrations has them
# (defaults and CHECKs left out: the insert gives every value), with its
# unique keys and four of its indexes.
sql <<SQL >/dev/null || fail "cannot create the scratch table $TABLE"
CREATE TABLE $TABLE (
  ticket_id         uuid PRIMARY KEY,
  ticket_number     text NOT NULL UNIQUE,
  idempotency_key   text NOT NULL UNIQUE,
  request_digest    text NOT NULL,
  type              text NOT NULL,
  status            text NOT NULL,
  channel           text NOT NULL,
  create_outcome    text NOT NULL,
  customer_name     text NOT NULL,
  customer_phone    text NOT NULL,
  customer_account  text NOT NULL,
  address           jsonb NOT NULL,
  county            text NOT NULL,
  township          text NOT NULL,
  area_class        text NOT NULL,
  place_key         text NOT NULL,
  transformer_area  text NOT NULL,
  description       text NOT NULL,
  details           jsonb NOT NULL,
  urgings           integer NOT NULL,
  urgency           integer NOT NULL,
  created_by        text NOT NULL,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL
);
CREATE INDEX ${TABLE}_newest ON $TABLE (created_at DESC, ticket_id DESC);
CREATE INDEX ${TABLE}_by_status ON $TABLE (status, created_at DESC, ticket_id DESC);
CREATE INDEX ${TABLE}_by_area ON $TABLE (county, township, created_at DESC, ticket_id DESC);
CREATE INDEX ${TABLE}_open_repairs ON $TABLE (place_key, created_at)
  WHERE type = 'repair' AND place_key <> '';
SQL

# One transaction, one insert: a repair ticket as intake writes it, its keys
# unique per row.
cat >"$WORK/insert.sql" <<SQL
INSERT INTO $TABLE VALUES (
  gen_random_uuid(), 'GD-' || gen_random_uuid(), 'agent-7 call-' || gen_random_uuid(),
  md5(random()::text), 'repair', 'routed', 'phone', 'routed', '张三丰', '13812345678', '',
  '{"county": "连州市", "township": "城关镇", "villageOrCommunity": "东风村", "street": "解放路8号", "areaClass": "AREA_CLASS_RURAL"}',
  '连州市', '城关镇', 'rural', '连州市城关镇东风村解放路8号', 'TA-0012',
  '整栋楼停电，邻居家也没电',
  '{"repair": {"symptom": "REPAIR_SYMPTOM_NO_POWER", "extent": "FAULT_EXTENT_BUILDING", "equipmentOwner": "EQUIPMENT_OWNER_UTILITY"}}',
  0, 0, 'agent-7', now(), now());
SQL

"$PGBENCH_BIN" -n -c "$CLIENTS" -j "$CLIENTS" -T "$SECONDS_TO_RUN" -f "$WORK/insert.sql" "$URI" \
  >"$WORK/report" 2>"$WORK/errors"
status=$?
cat "$WORK/report"
if [ $status -ne 0 ]; then
  cat "$WORK/errors" >&2
  fail "pgbench failed (exit $status)"
fi
tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' "$WORK/report")
[ -n "$tps" ] || fail "no tps line in pgbench's report"
# Whether the figure is durable is the server's business: say what it was.
echo "server: $(sql -tAc "SELECT 'synchronous_commit=' || current_setting('synchronous_commit')
  || ' fsync=' || current_setting('fsync') || ' wal_sync_method=' || current_setting('wal_sync_method')")"
echo "pgbench_inserts_per_second $(printf '%.0f' "$tps")"
