# `tools/dev up/down/reset/status`: the whole backend on this machine, with its
# state under .dev/ in the checkout. Sourced, not run.

DEV_SERVICES=(intake dispatch sla outage survey)
DEV_RELEASE="$ROOT/build/release"
DEV_SERVERS="$DEV_DIR/servers"
DEV_RUN="$DEV_DIR/run"
DEV_ROLES=(agent shift_leader dispatcher branch supervisor discipline service admin)
# The branch whose systems the dev `branch` token stands for (from the demo province).
DEV_BRANCH_ID=SS-SX
# Service N of DEV_SERVICES (from 1) listens on 127.0.0.1:(DEV_GRPC_PORT_BASE + N) and serves
# metrics on DEV_METRICS_PORT_BASE + N.
DEV_GRPC_PORT_BASE=50050
DEV_METRICS_PORT_BASE=9100
# How long `up` waits for every service to answer SERVING, in seconds.
DEV_SERVING_TIMEOUT=90
# The first line of each start in a service's log: what came before belongs to earlier runs.
DEV_START_MARK='----- tools/dev: starting '

svc_index() { local i; for i in "${!DEV_SERVICES[@]}"; do [ "${DEV_SERVICES[$i]}" = "$1" ] && echo $((i + 1)); done; }
svc_grpc_port() { echo $((DEV_GRPC_PORT_BASE + $(svc_index "$1"))); }
svc_metrics_port() { echo $((DEV_METRICS_PORT_BASE + $(svc_index "$1"))); }
svc_binary() { echo "$DEV_RELEASE/services/$1/hotline-$1"; }
svc_log() { echo "$DEV_LOG_DIR/$1.log"; }

# proc_state PID: the state letter of process PID (R, S, D, Z for a zombie …); nothing when
# there is no such process.
proc_state() {
  local stat
  [[ ${1:-} =~ ^[0-9]+$ ]] || return 0
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }  # past "pid (name) ", where the name may hold spaces
  echo "${stat%% *}"
}

# proc_alive PID: true while the process runs. A zombie has ended: it only waits for its
# parent to collect its exit status, which some parents (a container's init) never do.
proc_alive() {
  local state
  state=$(proc_state "${1:-}")
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# svc_pid SVC: prints the pid of SVC's running process; false when it does not run. The pid
# file outlives a killed process, and `kill -0` passes for its zombie and for whatever
# program gets the pid next; so the process must be alive and running this checkout's
# hotline-SVC binary.
svc_pid() {
  local pid argv0=""
  pid=$(cat "$DEV_RUN/$1.pid" 2>/dev/null) || return 1
  proc_alive "$pid" || return 1
  IFS= read -r -d '' argv0 < "/proc/$pid/cmdline" 2>/dev/null
  [ "$argv0" = "$(svc_binary "$1")" ] || return 1
  echo "$pid"
}

# port_owner PORT: who listens on loopback PORT, e.g. `python3 (pid 4242)`, as far as ss
# can tell.
port_owner() {
  local line
  line=$(ss -Hltnp "sport = :$1" 2>/dev/null | head -n 1)
  if [[ $line =~ users:\(\(\"([^\"]*)\",pid=([0-9]+) ]]; then
    echo "${BASH_REMATCH[1]} (pid ${BASH_REMATCH[2]})"
  else
    echo "another program"
  fi
}

# svc_log_since_start SVC: the last 10 lines SVC logged since tools/dev last started it,
# indented (five reports fit in the 60 lines a failed step shows).
svc_log_since_start() {
  [ -f "$(svc_log "$1")" ] || { echo "  (no log)"; return 0; }
  awk -v mark="$DEV_START_MARK" '
    index($0, mark) == 1 { n = 0; next }
    { line[n % 10] = $0; n++ }
    END {
      if (n == 0) print "  (nothing)"
      for (i = (n > 10 ? n - 10 : 0); i < n; i++) print "  " line[i % 10]
    }' "$(svc_log "$1")"
}

# Dev bearer tokens: made once, kept in .dev/dev-tokens (plain, for you) and
# .dev/tokens (hashes, what the services read).
make_dev_tokens() {
  [ -f "$DEV_DIR/tokens" ] && [ -f "$DEV_DIR/service-token" ] && return 0
  local role token hash
  umask 077
  : > "$DEV_DIR/dev-tokens"
  echo "# Token hashes for the local backend (made by tools/dev up)." > "$DEV_DIR/tokens"
  for role in "${DEV_ROLES[@]}"; do
    token="dev-${role}-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    hash=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)
    echo "$role $token" >> "$DEV_DIR/dev-tokens"
    [ "$role" = service ] && echo "$token" > "$DEV_DIR/service-token"
    if [ "$role" = branch ]; then
      echo "sha256:$hash $role dev-$role $DEV_BRANCH_ID" >> "$DEV_DIR/tokens"
    else
      echo "sha256:$hash $role dev-$role" >> "$DEV_DIR/tokens"
    fi
  done
}

# Settings every service started here gets besides the devlib's own (NAME=VALUE each).
DEV_SERVICE_ENV=()

# start_service SVC: starts SVC unless it already runs. Fails, naming the service, when
# another program listens on one of its ports.
start_service() {
  local svc=$1 PG_PORT REDIS_PORT
  eval "$(servers_ports "$DEV_SERVERS")"
  if svc_pid "$svc" >/dev/null; then
    return 0
  fi
  local port metrics
  port=$(svc_grpc_port "$svc"); metrics=$(svc_metrics_port "$svc")
  if port_in_use "$port"; then
    echo "$svc not started: its gRPC port 127.0.0.1:$port is taken by $(port_owner "$port")" >&2
    return 1
  fi
  if port_in_use "$metrics"; then
    echo "$svc not started: its metrics port 127.0.0.1:$metrics is taken by $(port_owner "$metrics")" >&2
    return 1
  fi
  echo "$DEV_START_MARK$(basename "$(svc_binary "$svc")") at $(date '+%F %T') -----" >> "$(svc_log "$svc")"
  # sla's deadline rules and this year's holidays come from deploy/sla, the
  # demo province's transformer areas and accounts from deploy/outage.
  local own=()
  if [ "$svc" = sla ]; then
    own=(HOTLINE_POLICY_FILE="$ROOT/deploy/sla/policies.csv"
         HOTLINE_CALENDAR_FILE="$ROOT/deploy/sla/calendar-2026.csv")
  elif [ "$svc" = outage ]; then
    own=(HOTLINE_TRANSFORMER_AREA_FILE="$ROOT/deploy/outage/transformer-areas.csv"
         HOTLINE_ACCOUNT_FILE="$ROOT/deploy/outage/accounts.csv")
  fi
  # The other services where this start put them (their defaults are the dev ports 5005x,
  # which are another backend's when DEV_GRPC_PORT_BASE is moved, as tools/dev bench does).
  local peer peers=()
  for peer in "${DEV_SERVICES[@]}"; do
    peers+=("HOTLINE_${peer^^}_ADDRESS=127.0.0.1:$(svc_grpc_port "$peer")")
  done
  env "${own[@]}" "${peers[@]}" "${DEV_SERVICE_ENV[@]}" \
  HOTLINE_LISTEN="127.0.0.1:$port" \
  HOTLINE_METRICS_LISTEN="127.0.0.1:$metrics" \
  HOTLINE_PG_URI="postgresql://hotline@127.0.0.1:$PG_PORT/hotline" \
  HOTLINE_REDIS_ADDRESS="127.0.0.1:$REDIS_PORT" \
  HOTLINE_TOKENS_FILE="$DEV_DIR/tokens" \
  HOTLINE_SERVICE_TOKEN_FILE="$DEV_DIR/service-token" \
  HOTLINE_TEST_CLOCK="${DEV_TEST_CLOCK:-false}" \
    setsid "$(svc_binary "$svc")" >>"$(svc_log "$svc")" 2>&1 < /dev/null &
  echo $! > "$DEV_RUN/$svc.pid"
}

# start_services: starts each service that does not run; fails when one could not be started.
start_services() {
  local svc failed=0
  for svc in "${DEV_SERVICES[@]}"; do start_service "$svc" || failed=1; done
  return $failed
}

# report_ended SVC: why SVC is not running, for wait_serving.
report_ended() {
  local svc=$1 pid how="ended"
  pid=$(cat "$DEV_RUN/$svc.pid" 2>/dev/null)
  if [ -z "$pid" ]; then
    echo "$svc did not come up: tools/dev has no pid for it"
    return 0
  fi
  # The exit status is known when this shell started it.
  if wait "$pid" 2>/dev/null; then how="exited with status 0"; else
    local rc=$?
    [ $rc != 127 ] && how="exited with status $rc"
  fi
  echo "$svc did not come up: hotline-$svc (pid $pid) $how. Its log since it was started ($(svc_log "$svc")):"
  svc_log_since_start "$svc"
}

# wait_serving: waits until every service answers SERVING. Fails as soon as a service's
# process has ended, naming it with what it logged since it was started; or after
# DEV_SERVING_TIMEOUT seconds, naming the services that are not SERVING yet.
wait_serving() {
  local deadline=$((SECONDS + DEV_SERVING_TIMEOUT)) svc pid target state
  local -A health
  while true; do
    local ended=() waiting=() targets=()
    for svc in "${DEV_SERVICES[@]}"; do
      proc_alive "$(cat "$DEV_RUN/$svc.pid" 2>/dev/null)" || ended+=("$svc")
      targets+=("127.0.0.1:$(svc_grpc_port "$svc")")
    done
    if [ ${#ended[@]} -gt 0 ]; then
      for svc in "${ended[@]}"; do report_ended "$svc"; done
      return 1
    fi
    health=()
    while read -r target state _; do
      health[$target]=$state
    done < <("$DEV_RELEASE/tools/hotline-probe" "${targets[@]}")
    for svc in "${DEV_SERVICES[@]}"; do
      [ "${health[127.0.0.1:$(svc_grpc_port "$svc")]:-}" = SERVING ] || waiting+=("$svc")
    done
    [ ${#waiting[@]} -eq 0 ] && return 0
    if [ $SECONDS -ge $deadline ]; then
      for svc in "${waiting[@]}"; do
        pid=$(cat "$DEV_RUN/$svc.pid" 2>/dev/null)
        echo "$svc is not SERVING after ${DEV_SERVING_TIMEOUT}s (health: ${health[127.0.0.1:$(svc_grpc_port "$svc")]:-no answer}; pid $pid still runs). Its log since it was started ($(svc_log "$svc")):"
        svc_log_since_start "$svc"
      done
      return 1
    fi
    sleep 0.25
  done
}

load_demo_data() {
  local PG_PORT REDIS_PORT
  eval "$(servers_ports "$DEV_SERVERS")"
  "$PG_BIN/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U hotline -d hotline \
    -f "$ROOT/deploy/demo/province.sql"
}

print_endpoints() {
  local PG_PORT REDIS_PORT svc
  eval "$(servers_ports "$DEV_SERVERS")"
  echo
  printf '  %-10s %-18s %-36s %s\n' service gRPC metrics pid
  for svc in "${DEV_SERVICES[@]}"; do
    printf '  %-10s %-18s %-36s %s\n' "$svc" "127.0.0.1:$(svc_grpc_port "$svc")" \
      "http://127.0.0.1:$(svc_metrics_port "$svc")/metrics" "$(svc_pid "$svc" || echo -)"
  done
  echo
  printf '  %-10s %s\n' postgres "postgresql://hotline@127.0.0.1:$PG_PORT/hotline"
  printf '  %-10s %s\n' redis "127.0.0.1:$REDIS_PORT"
  print_prometheus_endpoint
  printf '  %-10s %s\n' logs ".dev/logs/<service>.log"
  echo
  echo "  dev tokens (send as 'authorization: Bearer <token>'; branch = $DEV_BRANCH_ID):"
  while read -r role token; do printf '    %-13s %s\n' "$role" "$token"; done < "$DEV_DIR/dev-tokens"
  echo
}

cmd_up() {
  local detach=0
  while [ $# -gt 0 ]; do
    case $1 in
      --detach|-d) detach=1 ;;
      --test-clock) DEV_TEST_CLOCK=true ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown option for up: $1 (see tools/dev --help)" ;;
    esac
    shift
  done
  mkdir -p "$DEV_DIR" "$DEV_RUN" "$DEV_LOG_DIR"
  step "install missing Debian packages" install_packages
  build "$DEV_RELEASE" Release -DHOTLINE_BUILD_TESTS=OFF
  servers_dir_prepare "$DEV_SERVERS" 55432 56379
  step "start PostgreSQL 15 (.dev/servers/pg)" pg_start "$DEV_SERVERS"
  step "start Redis 7 (.dev/servers/redis)" redis_start "$DEV_SERVERS"
  step "make dev tokens (.dev/tokens)" make_dev_tokens
  step "start the five services" start_services
  step "wait until all five are SERVING" wait_serving
  step "load the demo province (deploy/demo)" load_demo_data
  step "start Prometheus (.dev/prometheus)" start_prometheus
  step "wait until Prometheus is ready" wait_prometheus_ready
  print_endpoints
  if [ $detach = 1 ]; then
    say "running in the background; stop it with: tools/dev down"
    return 0
  fi
  say "running; press Ctrl-C to stop everything"
  trap 'echo; cmd_down; exit 0' INT TERM
  while true; do
    local svc
    for svc in "${DEV_SERVICES[@]}"; do
      if ! svc_pid "$svc" >/dev/null; then
        say "$svc stopped unexpectedly; see .dev/logs/$svc.log"
        cmd_down
        exit 1
      fi
    done
    if ! prometheus_pid >/dev/null; then
      say "prometheus stopped unexpectedly; see .dev/logs/prometheus.log"
      cmd_down
      exit 1
    fi
    sleep 1 &
    wait $!
  done
}

# Sends SIGTERM to every service at once, waits up to 15 s for them to drain
# and exit, then kills what is left; then stops PostgreSQL and Redis. Only
# processes that are the services are signalled (see svc_pid).
stop_all() {
  local svc pid pids=()
  for svc in "${DEV_SERVICES[@]}"; do
    if pid=$(svc_pid "$svc"); then
      kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
    fi
  done
  for _ in $(seq 1 150); do
    local alive=0
    for pid in "${pids[@]}"; do proc_alive "$pid" && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do proc_alive "$pid" && kill -KILL "$pid" 2>/dev/null; done
  for svc in "${DEV_SERVICES[@]}"; do rm -f "$DEV_RUN/$svc.pid"; done
  pg_stop "$DEV_SERVERS"
  redis_stop "$DEV_SERVERS"
}

cmd_down() {
  [ -d "$DEV_DIR" ] || { say "nothing to stop"; return 0; }
  step "stop Prometheus" stop_prometheus
  step "stop services, PostgreSQL and Redis" stop_all
}

cmd_reset() {
  cmd_down
  step "delete .dev/" rm -rf "$DEV_DIR"
}

cmd_status() {
  [ -d "$DEV_SERVERS" ] || { say "not set up: run tools/dev up"; return 1; }
  print_endpoints
  local targets=() svc
  for svc in "${DEV_SERVICES[@]}"; do targets+=("127.0.0.1:$(svc_grpc_port "$svc")"); done
  "$DEV_RELEASE/tools/hotline-probe" "${targets[@]}"
  local ready
  ready=$(http_get "$(prometheus_url)/-/ready") || ready="not answering"
  echo "$(prometheus_url)  prometheus: $ready"
}
