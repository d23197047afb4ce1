#!/usr/bin/env bash
# The ceilings hotline-bench's rates are compared to: how fast PostgreSQL
# alone commits intake's rows durably, measured with pgbench on the same server
# and with the same number of clients: single-row inserts of a row like a
# ticket (CreateTicket's), or batches of rows like call events (the call
# events').
# Run with --help for the usage.
set -uo pipefail

PG_BIN=/usr/lib/postgresql/15/bin  # Debian 12's postgresql-15, as tools/devlib/servers.sh

usage() {
  cat <<'USAGE'
Usage: tools/bench/pgbench_ceiling.sh [--rows=tickets|call-events] URI CLIENTS SECONDS

Measures how fast PostgreSQL alone commits rows durably (synchronous_commit is
left as the server has it) with CLIENTS connections for SECONDS seconds, on a
scratch table, with pgbench; no service takes part. The rows:

  tickets      (the default) one insert a transaction, on a table shaped like
               intake.tickets: a uuid primary key, the ticket number and
               idempotency key unique, the address and details as jsonb, and
               the indexes for listing newest first, by status and by area and
               for finding open repairs of a place. The ceiling CreateTicket's
               rate is compared to.
  call-events  500 events a transaction (100 calls of 5 events, one
               INSERT ... ON CONFLICT DO NOTHING), on a table shaped like
               intake.call_events: the event id primary key and the index of a
               call's timeline. The ceiling the call events' rate is compared to.

The table is created in the database at URI (the first schema of its
search_path, normally public) and dropped afterwards, also when the run fails
or is interrupted.

  URI      a PostgreSQL connection URI, e.g. postgresql://hotline@127.0.0.1:5432/hotline
  CLIENTS  connections (and pgbench threads), a positive integer
  SECONDS  duration of the run, a positive integer

pgbench's report comes first; the last line is exactly
  pgbench_inserts_per_second N        (tickets)
  pgbench_call_events_per_second N    (call-events)
with N the whole number of rows per second (from pgbench's tps without the
initial connection time).

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
ROWS=tickets
case "${1:-}" in
  --rows=*) ROWS=${1#--rows=}; shift ;;
esac
case "$ROWS" in
  tickets|call-events) ;;
  *) fail "--rows must be tickets or call-events, not '$ROWS'" ;;
esac
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

# tickets: the ticket row's columns and types as services/intake/migrations has
# them (defaults and CHECKs left out: the insert gives every value), with its
# unique keys and four of its indexes; one transaction, one insert: a repair
# ticket as intake writes it, its keys unique per row.
make_tickets() {
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
}

# call-events: the call event row as services/intake/migrations has it, with
# its primary key and the index of a call's timeline; one transaction, one
# batch of hotline-bench's calls scenario: 100 answered calls of 5 events
# (offered, queued, ringing, answered, ended; the queue on the first two),
# ids unique per client and batch.
CALL_EVENTS_A_BATCH=500
make_call_events() {
  sql <<SQL >/dev/null || fail "cannot create the scratch table $TABLE"
CREATE TABLE $TABLE (
  event_id      text PRIMARY KEY,
  call_id       text NOT NULL,
  kind          text NOT NULL,
  at            timestamptz NOT NULL,
  queue         text NOT NULL DEFAULT '',
  route         text NOT NULL DEFAULT '',
  channel       text NOT NULL DEFAULT '',
  ivr_topic     text NOT NULL DEFAULT '',
  agent_id      text NOT NULL DEFAULT '',
  ring_seconds  integer NOT NULL DEFAULT 0,
  wait_seconds  integer NOT NULL DEFAULT 0,
  abandon_stage text NOT NULL DEFAULT '',
  to_queue      text NOT NULL DEFAULT '',
  to_agent_id   text NOT NULL DEFAULT '',
  mute_seconds  integer NOT NULL DEFAULT 0,
  talk_seconds  integer NOT NULL DEFAULT 0,
  ticket_id     text NOT NULL DEFAULT '',
  received_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ${TABLE}_by_call ON $TABLE (call_id, at, event_id);
SQL
  cat >"$WORK/insert.sql" <<SQL
\\set batch random(1, 1000000000000)
INSERT INTO $TABLE (event_id, call_id, kind, at, queue, route, channel, agent_id, ring_seconds,
                    wait_seconds, talk_seconds)
SELECT 'ceiling-' || :client_id || '-' || :batch || '-' || c || '-e' || k,
       'ceiling-' || :client_id || '-' || :batch || '-' || c,
       (ARRAY['offered', 'queued', 'ringing', 'answered', 'ended'])[k],
       now() - interval '200 seconds' + k * interval '10 seconds',
       CASE WHEN k IN (1, 2) THEN 'general' ELSE '' END,
       CASE WHEN k = 1 THEN 'agent' ELSE '' END, CASE WHEN k = 1 THEN 'phone' ELSE '' END,
       CASE WHEN k IN (3, 4) THEN 'agent-7' ELSE '' END, CASE WHEN k = 4 THEN 5 ELSE 0 END,
       CASE WHEN k = 4 THEN 3 ELSE 0 END, CASE WHEN k = 5 THEN 120 ELSE 0 END
FROM generate_series(1, $((CALL_EVENTS_A_BATCH / 5))) AS c, generate_series(1, 5) AS k
ON CONFLICT (event_id) DO NOTHING;
SQL
}

if [ "$ROWS" = tickets ]; then make_tickets; else make_call_events; fi

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
if [ "$ROWS" = tickets ]; then
  echo "pgbench_inserts_per_second $(printf '%.0f' "$tps")"
else
  echo "pgbench_call_events_per_second $(awk -v tps="$tps" -v n="$CALL_EVENTS_A_BATCH" \
    'BEGIN { printf "%.0f", tps * n }')"
fi
