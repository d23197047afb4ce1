# `tools/dev up/down/reset/status`: the whole backend on this machine, with its
# state under .dev/ in the checkout. Sourced, not run.

DEV_SERVICES=(intake dispatch sla outage survey)
DEV_RELEASE="$ROOT/build/release"
DEV_SERVERS="$DEV_DIR/servers"
DEV_RUN="$DEV_DIR/run"
DEV_ROLES=(agent shift_leader dispatcher branch supervisor discipline service admin)
# The branch whose systems the dev `branch` token stands for (from the demo province).
DEV_BRANCH_ID=SS-SX

svc_index() { local i; for i in "${!DEV_SERVICES[@]}"; do [ "${DEV_SERVICES[$i]}" = "$1" ] && echo $((i + 1)); done; }
svc_grpc_port() { echo $((50050 + $(svc_index "$1"))); }
svc_metrics_port() { echo $((9100 + $(svc_index "$1"))); }
svc_pid() { local f="$DEV_RUN/$1.pid"; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }

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

start_service() {
  local svc=$1 PG_PORT REDIS_PORT
  eval "$(servers_ports "$DEV_SERVERS")"
  if svc_pid "$svc" >/dev/null; then
    return 0
  fi
  local port metrics
  port=$(svc_grpc_port "$svc"); metrics=$(svc_metrics_port "$svc")
  port_in_use "$port" && { echo "port $port for $svc is taken by another program" >&2; return 1; }
  port_in_use "$metrics" && { echo "port $metrics for $svc metrics is taken" >&2; return 1; }
  HOTLINE_LISTEN="127.0.0.1:$port" \
  HOTLINE_METRICS_LISTEN="127.0.0.1:$metrics" \
  HOTLINE_PG_URI="postgresql://hotline@127.0.0.1:$PG_PORT/hotline" \
  HOTLINE_REDIS_ADDRESS="127.0.0.1:$REDIS_PORT" \
  HOTLINE_TOKENS_FILE="$DEV_DIR/tokens" \
  HOTLINE_SERVICE_TOKEN_FILE="$DEV_DIR/service-token" \
    setsid "$DEV_RELEASE/services/$svc/hotline-$svc" >>"$DEV_LOG_DIR/$svc.log" 2>&1 < /dev/null &
  echo $! > "$DEV_RUN/$svc.pid"
}

start_services() {
  local svc
  for svc in "${DEV_SERVICES[@]}"; do start_service "$svc" || return 1; done
}

wait_serving() {
  local targets=() svc
  for svc in "${DEV_SERVICES[@]}"; do targets+=("127.0.0.1:$(svc_grpc_port "$svc")"); done
  if ! "$DEV_RELEASE/tools/hotline-probe" --wait=90s "${targets[@]}"; then
    for svc in "${DEV_SERVICES[@]}"; do
      echo "--- last lines of .dev/logs/$svc.log ---"
      tail -n 3 "$DEV_LOG_DIR/$svc.log"
    done
    return 1
  fi
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
    sleep 1 &
    wait $!
  done
}

# Sends SIGTERM to every service at once, waits up to 15 s for them to drain
# and exit, then kills what is left; then stops PostgreSQL and Redis.
stop_all() {
  local svc pid pids=()
  for svc in "${DEV_SERVICES[@]}"; do
    if pid=$(svc_pid "$svc"); then
      kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
    fi
  done
  for _ in $(seq 1 150); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  for svc in "${DEV_SERVICES[@]}"; do rm -f "$DEV_RUN/$svc.pid"; done
  pg_stop "$DEV_SERVERS"
  redis_stop "$DEV_SERVERS"
}

cmd_down() {
  [ -d "$DEV_DIR" ] || { say "nothing to stop"; return 0; }
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
}
