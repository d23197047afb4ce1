#!/usr/bin/env bash
# deploy/docker/hotline-migrate.sh (the chart's migration Job) against a real
# PostgreSQL and Redis and this build's binaries:
# - for each of the five services, on an empty database, it exits 0 once the
#   service's schema holds every migration of services/<svc>/migrations, and
#   leaves no process behind;
# - run again it exits 0 at once (nothing to do);
# - with PostgreSQL unreachable it gives up after MIGRATE_TIMEOUT, exits 1
#   naming the service, and stops the service it started.
#
# Run by ctest (label e2e) with HOTLINE_SOURCE_DIR and HOTLINE_BINARY_DIR set;
# uses HOTLINE_TEST_PG_URI / HOTLINE_TEST_REDIS_ADDRESS when given (tools/dev
# test), else starts its own servers with `tools/dev servers`.
set -uo pipefail

SRC=${HOTLINE_SOURCE_DIR:?the source folder}
BUILD=${HOTLINE_BINARY_DIR:?the build folder}
PG_ADMIN=${HOTLINE_TEST_PG_URI:-}
REDIS=${HOTLINE_TEST_REDIS_ADDRESS:-}
# The services refuse HOTLINE_* variables they do not know, such as these.
while read -r name; do unset "$name"; done < <(compgen -e | grep '^HOTLINE_')

WORK=$(mktemp -d /tmp/hotline-migrate-e2e.XXXXXX)
chmod 755 "$WORK"
OWN_SERVERS=""
DB="migrate_e2e_$$"

fail() { echo "FAIL: $*" >&2; exit 1; }

cleanup() {
  if [ -n "$PG_ADMIN" ]; then
    psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
  fi
  [ -n "$OWN_SERVERS" ] && "$SRC/tools/dev" servers stop "$OWN_SERVERS" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "$PG_ADMIN" ]; then
  OWN_SERVERS="$WORK/servers"
  ports=$("$SRC/tools/dev" servers start "$OWN_SERVERS") || fail "cannot start test servers: $ports"
  PG_ADMIN="postgresql://hotline@127.0.0.1:$(sed -n 's/^PG_PORT=//p' <<<"$ports")/postgres"
  REDIS="127.0.0.1:$(sed -n 's/^REDIS_PORT=//p' <<<"$ports")"
fi
psql -q "$PG_ADMIN" -c "CREATE DATABASE $DB" >/dev/null || fail "cannot create database $DB"
DB_URI="${PG_ADMIN%/*}/$DB"

# Two free loopback ports in a row (gRPC and metrics of the service being migrated).
free_port() {
  python3 - <<'PY'
import socket
for _ in range(100):
    a = socket.socket(); a.bind(("127.0.0.1", 0)); p = a.getsockname()[1]
    b = socket.socket()
    try:
        b.bind(("127.0.0.1", p + 1)); print(p); break
    except OSError:
        pass
    finally:
        a.close(); b.close()
PY
}

# The settings the chart gives the Job's containers, on this machine.
echo "service-token-for-the-migrate-test" > "$WORK/service-token"
echo "sha256:$(printf '%s' service-token-for-the-migrate-test | sha256sum | cut -d' ' -f1) service migrate-test" \
  > "$WORK/tokens"

# migrate SVC PG_URI TIMEOUT PORT: runs hotline-migrate as the Job does, the service on
# loopback PORT; prints its output.
migrate() {
  local svc=$1 uri=$2 timeout=$3 port=$4 own=()
  if [ "$svc" = sla ]; then
    own=(HOTLINE_POLICY_FILE="$SRC/deploy/sla/policies.csv" HOTLINE_CALENDAR_FILE="$SRC/deploy/sla/calendar-2026.csv")
  fi
  env "${own[@]}" \
    PATH="$BUILD/services/$svc:$BUILD/tools:$PATH" \
    HOTLINE_PG_URI="$uri" HOTLINE_REDIS_ADDRESS="$REDIS" \
    HOTLINE_TOKENS_FILE="$WORK/tokens" HOTLINE_SERVICE_TOKEN_FILE="$WORK/service-token" \
    MIGRATE_TIMEOUT="$timeout" MIGRATE_PORT="$port" \
    sh "$SRC/deploy/docker/hotline-migrate.sh" "$svc" 2>&1
}

# listening_on PORT: what still listens on loopback PORT (the migrating service's gRPC
# port); other tests run the same binaries at the same time, so the port tells ours.
listening_on() {
  python3 -c 'import socket, sys
s = socket.socket()
s.settimeout(1)
try:
    s.connect(("127.0.0.1", int(sys.argv[1])))
    print("something listens on", sys.argv[1])
except OSError:
    pass' "$1"
}

for svc in intake dispatch sla outage survey; do
  port=$(free_port)
  out=$(migrate "$svc" "$DB_URI" 90s "$port") || fail "hotline-migrate $svc failed on an empty database:"$'\n'"$out"
  grep -q "the $svc schema is up to date" <<<"$out" || fail "hotline-migrate $svc said nothing of its schema: $out"
  want=$(find "$SRC/services/$svc/migrations" -name '*.sql' | wc -l)
  got=$(psql -At "$DB_URI" -c "SELECT count(*) FROM $svc.schema_migrations WHERE component = 'service'")
  [ "$got" = "$want" ] || fail "$svc: $got service migrations applied, want $want"
  [ -z "$(listening_on "$port")" ] || fail "$svc: hotline-migrate left hotline-$svc running"
  echo "ok: $svc migrated ($got migrations) and stopped"
done

start=$SECONDS
out=$(migrate sla "$DB_URI" 30s "$(free_port)") || fail "hotline-migrate sla failed on an up-to-date schema: $out"
[ $((SECONDS - start)) -lt 20 ] || fail "hotline-migrate took $((SECONDS - start)) s on an up-to-date schema"
echo "ok: a second run finds nothing to do"

# PostgreSQL unreachable: a closed port.
closed=$(free_port)
start=$SECONDS
port=$(free_port)
if out=$(migrate dispatch "postgresql://hotline@127.0.0.1:$closed/hotline" 3s "$port"); then
  fail "hotline-migrate succeeded without PostgreSQL: $out"
fi
grep -q "hotline-dispatch was not SERVING within 3s" <<<"$out" || fail "no reason given: $out"
[ $((SECONDS - start)) -lt 30 ] || fail "hotline-migrate took $((SECONDS - start)) s to give up"
[ -z "$(listening_on "$port")" ] || fail "hotline-migrate left hotline-dispatch running after giving up"
echo "ok: without PostgreSQL it gives up after its timeout and stops the service"
