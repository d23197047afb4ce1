# `tools/dev bench`: the standard benchmark of docs/benchmarks.md on this machine. A Release
# build, a durable PostgreSQL (fsync and synchronous_commit on, unlike the tests' servers)
# and Redis on free loopback ports in a throwaway folder, the five services, the demo
# province, then hotline-bench's scenarios and the pgbench ceiling; prints one table.
# Everything it starts is stopped, by pid, also on Ctrl-C or failure. Sourced, not run.

# The standard scenario set (hotline-bench --scenarios), each run for BENCH_SECONDS.
# branches@50 runs before the creates at full speed, whose events the relays are still
# delivering afterwards; it shows the path's latency within what this machine can take.
# sla comes last: the million open clocks it adds would weigh on sla's housekeeping during
# the others.
BENCH_SCENARIOS="noop,check-address,branches@50,create,create@5000,calls,branches@2000,steady,storm,sla"
BENCH_SECONDS=${BENCH_SECONDS:-12}
# Branch systems holding PullOrders streams in `branches`.
BENCH_BRANCHES=200
# pgbench's clients: intake's PostgreSQL pool (--pg-pool-size, 8 by default).
BENCH_PGBENCH_CLIENTS=8
BENCH_PGBENCH_SECONDS=10

# bench_branch_tokens N: N bench branch systems BENCH-BR-001 …, each with a token of role
# branch for its own branch id: hashes appended to $DEV_DIR/tokens, plain tokens in
# $DEV_DIR/branch-tokens ("branch_id token" lines, what hotline-bench reads).
bench_branch_tokens() {
  local i id token hash
  umask 077
  : > "$DEV_DIR/branch-tokens"
  for i in $(seq 1 "$1"); do
    id=$(printf 'BENCH-BR-%03d' "$i")
    token="bench-${id}-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    hash=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)
    echo "sha256:$hash branch bench-$id $id" >> "$DEV_DIR/tokens"
    echo "$id $token" >> "$DEV_DIR/branch-tokens"
  done
}

# bench_stop: stops the services (SIGTERM, then SIGKILL after 15 s), PostgreSQL and Redis
# of the bench folder, and deletes it.
bench_stop() {
  [ -n "${BENCH_DIR:-}" ] && [ -d "$BENCH_DIR" ] || return 0
  [ -n "${BENCH_PID:-}" ] && proc_alive "$BENCH_PID" && kill -TERM "$BENCH_PID" 2>/dev/null
  stop_all >/dev/null 2>&1
  # The services' and servers' logs of the last run stay, for what the figures do not say.
  rm -rf "$DEV_RELEASE/bench-logs"
  cp -r "$DEV_LOG_DIR" "$DEV_RELEASE/bench-logs" 2>/dev/null
  cp -r "$DEV_SERVERS/logs/." "$DEV_RELEASE/bench-logs/" 2>/dev/null
  rm -rf "$BENCH_DIR"
}

# bench_statements_reset URI: pg_stat_statements from zero (after the pgbench ceiling).
bench_statements_reset() {
  "$PG_BIN/psql" -X -q -h 127.0.0.1 -d "$1" -v ON_ERROR_STOP=1 \
    -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" \
    -c "SELECT pg_stat_statements_reset()" -c "SELECT pg_stat_reset_shared('wal')" >/dev/null
}

# bench_commits URI: the transactions committed in the database so far.
bench_commits() {
  "$PG_BIN/psql" -X -q -tA -h 127.0.0.1 -d "$1" \
    -c "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
}

# bench_statement_totals URI COMMITS_BEFORE: one line: every statement the run sent to the
# database (each a round trip), how many of them began or ended a transaction block, the
# transactions committed (statements outside a block commit by themselves), the pages the
# statements touched, and the write-ahead log written. Divided by the tickets made, these
# compare two builds without the noise of the machine's speed.
bench_statement_totals() {
  "$PG_BIN/psql" -X -q -tA -h 127.0.0.1 -d "$1" -c "
    SELECT format('statements over the run: %s (BEGIN, COMMIT and ROLLBACK: %s); transactions committed: %s; pages touched: %s; WAL: %s records, %s MB',
                  sum(calls), coalesce(sum(calls) FILTER (WHERE query ~* '^\s*(BEGIN|COMMIT|ROLLBACK)'), 0),
                  (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) - ${2:-0},
                  sum(shared_blks_hit + shared_blks_read),
                  (SELECT wal_records FROM pg_stat_wal), (SELECT round(wal_bytes / 1000000) FROM pg_stat_wal))
      FROM pg_stat_statements
     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND query NOT LIKE '%pg_stat_%'"
}

# bench_statements URI LIMIT: the statements of the services that took the most of
# PostgreSQL's time during the run: calls, total and mean milliseconds, rows, share of the time,
# pages touched and WAL records a call, the text.
bench_statements() {
  "$PG_BIN/psql" -X -q -h 127.0.0.1 -d "$1" -P pager=off -c "
    SELECT calls, round(total_exec_time) AS total_ms,
           round((total_exec_time / greatest(calls, 1))::numeric, 3) AS mean_ms, rows,
           round((100 * total_exec_time / sum(total_exec_time) OVER ())::numeric) AS pct,
           (shared_blks_hit + shared_blks_read) / greatest(calls, 1) AS pages,
           wal_records / greatest(calls, 1) AS wal,
           left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS statement
      FROM pg_stat_statements
     WHERE query NOT LIKE '%pg_stat_statements%'
     ORDER BY total_exec_time DESC LIMIT $2"
}

# bench_pgbench_ceiling URI KIND LABEL: the rows per second pgbench_ceiling.sh
# --rows=KIND reports on its last line, LABEL N; nothing when it failed (its
# errors in the logs' pgbench.err). A CHECKPOINT first, so that one falling due
# meanwhile does not lower the figure.
bench_pgbench_ceiling() {
  local script="$ROOT/tools/bench/pgbench_ceiling.sh"
  [ -x "$script" ] || return 0
  bench_checkpoint "$1"
  "$script" --rows="$2" "$1" "$BENCH_PGBENCH_CLIENTS" "$BENCH_PGBENCH_SECONDS" \
    2>>"$DEV_LOG_DIR/pgbench.err" | tail -n 1 | awk -v label="$3" '$1 == label { print $2 }'
}

bench_checkpoint() { # bench_checkpoint URI: the WAL so far written out now
  "$PG_BIN/psql" -X -q -h 127.0.0.1 -d "$1" -c CHECKPOINT \
    || say "CHECKPOINT failed (a checkpoint may fall in the next measurement)"
}

cmd_bench() {
  while [ $# -gt 0 ]; do
    case $1 in
      --seconds=*) BENCH_SECONDS=${1#--seconds=} ;;
      --scenarios=*) BENCH_SCENARIOS=${1#--scenarios=} ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown option for bench: $1 (see tools/dev --help)" ;;
    esac
    shift
  done
  step "install missing Debian packages" install_packages
  build "$DEV_RELEASE" Release -DHOTLINE_BUILD_TESTS=OFF

  BENCH_DIR=$(mktemp -d /tmp/hotline-bench.XXXXXX)
  chmod 755 "$BENCH_DIR"  # the postgres user must reach the servers' folder
  # The devlib's functions work on the bench folder, not on .dev/ of `tools/dev up`.
  DEV_DIR="$BENCH_DIR/dev"
  DEV_LOG_DIR="$DEV_DIR/logs"
  DEV_SERVERS="$DEV_DIR/servers"
  DEV_RUN="$DEV_DIR/run"
  mkdir -p "$DEV_DIR" "$DEV_RUN" "$DEV_LOG_DIR"
  trap 'bench_stop' EXIT
  trap 'echo; say "interrupted"; exit 130' INT TERM

  servers_dir_prepare "$DEV_SERVERS"
  step "start durable PostgreSQL 15 (fsync on)" pg_start "$DEV_SERVERS" statements
  step "start Redis 7" redis_start "$DEV_SERVERS"
  DEV_GRPC_PORT_BASE=$(free_port_base) || die "no free ports"
  DEV_METRICS_PORT_BASE=$(free_port_base "$DEV_GRPC_PORT_BASE") || die "no free ports"
  step "make tokens (and $BENCH_BRANCHES branch systems')" \
    eval 'make_dev_tokens && bench_branch_tokens "$BENCH_BRANCHES"'
  # hotline-bench is one agent (and one application) at thousands of calls a second: the
  # per-caller rate limit (--caller-call-rate, 1000 by default) would measure itself.
  DEV_SERVICE_ENV=(HOTLINE_CALLER_CALL_RATE=0)
  step "start the five services" start_services
  step "wait until all five are SERVING" wait_serving
  step "load the demo province (deploy/demo)" load_demo_data

  local PG_PORT REDIS_PORT svc ceiling events_ceiling watch=()
  eval "$(servers_ports "$DEV_SERVERS")"
  say "PostgreSQL single-row insert ceiling (pgbench, $BENCH_PGBENCH_CLIENTS clients, ${BENCH_PGBENCH_SECONDS}s)"
  ceiling=$(bench_pgbench_ceiling "postgresql://hotline@127.0.0.1:$PG_PORT/hotline" tickets \
    pgbench_inserts_per_second)
  [ -n "$ceiling" ] || say "pgbench ceiling: n/a (tools/bench/pgbench_ceiling.sh is missing or failed)"
  say "PostgreSQL's rate of storing call events alone (pgbench, $BENCH_PGBENCH_CLIENTS clients, ${BENCH_PGBENCH_SECONDS}s)"
  events_ceiling=$(bench_pgbench_ceiling "postgresql://hotline@127.0.0.1:$PG_PORT/hotline" \
    call-events pgbench_call_events_per_second)
  [ -n "$events_ceiling" ] \
    || say "call events ceiling: n/a (tools/bench/pgbench_ceiling.sh is missing or failed)"
  # The ceilings' WAL written out now, not by a checkpoint during the first scenario.
  bench_checkpoint "postgresql://hotline@127.0.0.1:$PG_PORT/hotline"
  bench_statements_reset "postgresql://hotline@127.0.0.1:$PG_PORT/hotline" \
    || say "pg_stat_statements not available: no statement profile"
  local commits_before
  commits_before=$(bench_commits "postgresql://hotline@127.0.0.1:$PG_PORT/hotline")
  watch+=(--watch=postgres="$(head -n 1 "$DEV_SERVERS/pg/postmaster.pid")")
  watch+=(--watch=redis="$(cat "$DEV_SERVERS/run/redis.pid")")
  for svc in "${DEV_SERVICES[@]}"; do watch+=(--watch="$svc=$(svc_pid "$svc")"); done

  local json="$DEV_RELEASE/bench-latest.json"
  say "running hotline-bench: $BENCH_SCENARIOS, ${BENCH_SECONDS}s each"
  "$DEV_RELEASE/tools/bench/hotline-bench" \
    --intake="127.0.0.1:$(svc_grpc_port intake)" \
    --dispatch="127.0.0.1:$(svc_grpc_port dispatch)" \
    --outage="127.0.0.1:$(svc_grpc_port outage)" \
    --sla="127.0.0.1:$(svc_grpc_port sla)" \
    --sla-pg="postgresql://hotline@127.0.0.1:$PG_PORT/hotline" \
    --outbox-pg="postgresql://hotline@127.0.0.1:$PG_PORT/hotline" \
    --tokens="$DEV_DIR/dev-tokens" --branch-tokens="$DEV_DIR/branch-tokens" \
    --scenarios="$BENCH_SCENARIOS" --duration="$BENCH_SECONDS" \
    --pgbench-ceiling="${ceiling:-0}" --call-events-ceiling="${events_ceiling:-0}" \
    "${watch[@]}" --json="$json" &
  BENCH_PID=$!
  local rc=0
  wait "$BENCH_PID" || rc=$?
  BENCH_PID=
  echo
  local statements="$DEV_RELEASE/bench-statements.txt"
  if bench_statements "postgresql://hotline@127.0.0.1:$PG_PORT/hotline" 40 >"$statements" 2>&1; then
    say "PostgreSQL's time by statement over the whole run (all 40: ${statements#"$ROOT/"}):"
    head -n 14 "$statements"
    bench_statement_totals "postgresql://hotline@127.0.0.1:$PG_PORT/hotline" "$commits_before" \
      | tee -a "$statements"
  fi
  say "machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)"
  say "figures as JSON: ${json#"$ROOT/"}; logs (after the stop): ${DEV_RELEASE#"$ROOT/"}/bench-logs"
  if [ $rc != 0 ]; then
    for svc in "${DEV_SERVICES[@]}"; do
      say "$svc's last lines:"
      svc_log_since_start "$svc"
    done
  fi
  return $rc
}
