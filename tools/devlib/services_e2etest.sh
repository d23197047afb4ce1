#!/usr/bin/env bash
# How `tools/dev up` starts, restarts and reports the five services, run against the real
# binaries of a build on a throwaway folder (its own PostgreSQL, Redis and free ports):
# - a service killed with SIGKILL whose zombie lingers (its parent never reaps it, as a
#   container's init may not) is started again at once;
# - a pid file that names another program (a reused pid) does not pass for the service,
#   and `down` does not signal that program;
# - a port taken by another program, and a service that exits at start-up, are reported at
#   once, naming the service and the reason, with only what it logged since that start;
# - Prometheus starts with the hotline's rules, scrapes all five, and the answer rate of the
#   calls recorded at intake comes out of its recording rule; a program on its port is
#   named and left alone; `down` stops it.
#
# Run by ctest (label e2e) with HOTLINE_SOURCE_DIR and HOTLINE_BINARY_DIR set.
set -uo pipefail

ROOT=${HOTLINE_SOURCE_DIR:?the source folder}
BUILD=${HOTLINE_BINARY_DIR:?the build folder}
# The services refuse unknown HOTLINE_* variables, such as ctest's and the test servers'.
while read -r name; do unset "$name"; done < <(compgen -e | grep '^HOTLINE_')
WORK=$(mktemp -d /tmp/hotline-dev-e2e.XXXXXX)
chmod 755 "$WORK"  # the postgres user must reach the servers' folder
DEV_DIR="$WORK/dev"
DEV_LOG_DIR="$DEV_DIR/logs"
# shellcheck source=common.sh
. "$ROOT/tools/devlib/common.sh"
# shellcheck source=servers.sh
. "$ROOT/tools/devlib/servers.sh"
# shellcheck source=services.sh
. "$ROOT/tools/devlib/services.sh"
# shellcheck source=prometheus.sh
. "$ROOT/tools/devlib/prometheus.sh"
DEV_RELEASE=$BUILD
DEV_SERVING_TIMEOUT=60

HELPERS=()      # pids of the programs this test starts besides the services
SERVICE_PIDS=() # every service pid seen, to stop them whatever happens

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

cleanup() {
  local pid
  for svc in "${DEV_SERVICES[@]}"; do
    pid=$(svc_pid "$svc") && SERVICE_PIDS+=("$pid")
  done
  for pid in "${SERVICE_PIDS[@]}" "${HELPERS[@]}"; do
    proc_alive "$pid" && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null  # collects it quietly when it is this shell's child
  done
  stop_prometheus
  pg_stop "$DEV_SERVERS"
  redis_stop "$DEV_SERVERS"
  rm -rf "$WORK"
}
trap cleanup EXIT

# until_true SECONDS CMD...: polls CMD until it succeeds; false after SECONDS.
until_true() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.05
  done
}

is_zombie() { [ "$(proc_state "$1")" = Z ]; }
is_gone() { ! proc_alive "$1"; }

# stop_one SVC: SIGTERM to SVC, and wait until it has ended.
stop_one() {
  local pid
  pid=$(svc_pid "$1") || fail "$1 should run before it is stopped"
  kill -TERM "$pid"
  until_true 20 is_gone "$pid" || fail "$1 (pid $pid) did not stop on SIGTERM"
}

# up: what `tools/dev up` does with the services; its output in $WORK/up.out.
up() {
  { start_services && wait_serving; } >"$WORK/up.out" 2>&1
}

expect_output() { # expect_output TEXT: up.out contains TEXT
  grep -qF -- "$1" "$WORK/up.out" || { cat "$WORK/up.out" >&2; fail "the output lacks: $1"; }
}

mkdir -p "$DEV_DIR" "$DEV_RUN" "$DEV_LOG_DIR"
servers_dir_prepare "$DEV_SERVERS"
pg_start "$DEV_SERVERS" fast || fail "PostgreSQL did not start"
redis_start "$DEV_SERVERS" fast || fail "Redis did not start"
DEV_GRPC_PORT_BASE=$(free_port_base) || fail "no free ports"
DEV_METRICS_PORT_BASE=$(free_port_base "$DEV_GRPC_PORT_BASE") || fail "no free ports"
make_dev_tokens

echo "== the five start, from a parent that never reaps its children"
# The subshell starts them, then becomes `sleep`: a service that dies stays a zombie.
exec 3< <(start_services >"$WORK/start.out" 2>&1; echo started; exec sleep 600)
HELPERS+=("$!")
read -r _ <&3 || { cat "$WORK/start.out" >&2; fail "the services were not started"; }
exec 3<&-
wait_serving >"$WORK/up.out" 2>&1 || { cat "$WORK/up.out" >&2; fail "the five did not come up"; }
for svc in "${DEV_SERVICES[@]}"; do
  pid=$(svc_pid "$svc") || fail "$svc does not run after start"
  SERVICE_PIDS+=("$pid")
done

echo "== Prometheus: a program on its port is named and left alone"
DEV_PROMETHEUS_PORT=$(free_port) || fail "no free port"
python3 -m http.server --bind 127.0.0.1 "$DEV_PROMETHEUS_PORT" >"$WORK/http.log" 2>&1 &
stand_in=$!
HELPERS+=("$stand_in")
until_true 20 port_in_use "$DEV_PROMETHEUS_PORT" || fail "the stand-in listener did not start"
start_prometheus >"$WORK/up.out" 2>&1 && fail "Prometheus started on a taken port"
expect_output "Prometheus not started: 127.0.0.1:$DEV_PROMETHEUS_PORT is taken by python3 (pid $stand_in)"
proc_alive "$stand_in" || fail "the program on Prometheus' port was stopped"
kill -TERM "$stand_in"
until_true 20 is_gone "$stand_in" || fail "the stand-in listener did not stop"

echo "== Prometheus scrapes the five, and the answer rate comes out of its rules"
t0=$SECONDS
{ start_prometheus && wait_prometheus_ready; } >"$WORK/up.out" 2>&1 \
  || { cat "$WORK/up.out" >&2; fail "Prometheus did not start"; }
# prom_json PATH PYTHON: runs PYTHON with `d`, the JSON answer of the HTTP API at PATH;
# succeeds when it prints nothing falsy and exits 0.
prom_json() {
  local body
  body=$(http_get "$(prometheus_url)$1") || return 1
  python3 -c "import json, sys; d = json.loads(sys.argv[1]); $2" "$body"
}
all_up() {
  prom_json /api/v1/targets '
up = sorted(t["labels"]["job"] for t in d["data"]["activeTargets"] if t["health"] == "up")
sys.exit(up != ["dispatch", "intake", "outage", "sla", "survey"])'
}
until_true 30 all_up || {
  http_get "$(prometheus_url)/api/v1/targets" >&2
  fail "Prometheus does not scrape all five"
}
# 3 calls answered by an agent, 1 abandoned in the queue, 2 served by the voice line: a human
# answer rate of 3 / 4.
"$BUILD/tools/hotline-record-calls" --target="127.0.0.1:$(svc_grpc_port intake)" \
  --token-file="$DEV_DIR/service-token" --answered=3 --abandoned=1 --ivr=2 \
  || fail "the calls were not recorded"
# rule_is RULE VALUE: the recording rule's value is VALUE.
rule_is() {
  prom_json "/api/v1/query?query=$1" "
r = d['data']['result']
sys.exit(not r or abs(float(r[0]['value'][1]) - $2) > 0.001)"
}
# They rang 5 s and talked 120 s each (the tool's defaults).
for rule in hotline:call_answer_rate:ratio_5m=0.75 hotline:call_answered_within_9s:ratio_1h=1 \
            hotline:call_talk_seconds:avg_1h=120 hotline:call_transfer_rate:ratio_1h=0; do
  until_true 60 rule_is "${rule%=*}" "${rule#*=}" || {
    http_get "$(prometheus_url)/api/v1/query?query=${rule%=*}" >&2
    fail "${rule%=*} is not ${rule#*=}"
  }
done
echo "   all five up and the call figures right after $((SECONDS - t0))s"

echo "== a service killed with SIGKILL is started again at once, though its zombie lingers"
killed=$(svc_pid dispatch)
kill -KILL "$killed"
until_true 10 is_zombie "$killed" || fail "dispatch (pid $killed) did not become a zombie"
t0=$SECONDS
up || { cat "$WORK/up.out" >&2; fail "dispatch was not started again"; }
restarted=$(svc_pid dispatch) || fail "dispatch does not run after up"
SERVICE_PIDS+=("$restarted")
[ "$restarted" != "$killed" ] || fail "dispatch still has the killed pid"
echo "   dispatch: pid $killed killed, pid $restarted SERVING after $((SECONDS - t0))s"

echo "== a pid file naming another program does not pass for the service"
stop_one survey
sleep 600 &
other=$!
HELPERS+=("$other")
echo "$other" > "$DEV_RUN/survey.pid"
up || { cat "$WORK/up.out" >&2; fail "survey was not started while its pid file named sleep"; }
SERVICE_PIDS+=("$(svc_pid survey)")
[ "$(svc_pid survey)" != "$other" ] || fail "survey was not started"
proc_alive "$other" || fail "the program that had survey's old pid was stopped"

echo "== a taken port is reported, naming the service, the port and who has it"
stop_one outage
port=$(svc_grpc_port outage)
python3 -m http.server --bind 127.0.0.1 "$port" >"$WORK/http.log" 2>&1 &
HELPERS+=("$!")
until_true 20 port_in_use "$port" || fail "the stand-in listener did not start"
up && fail "up succeeded with outage's port taken"
expect_output "outage not started: its gRPC port 127.0.0.1:$port is taken by python3 (pid"
sed 's/^/   | /' "$WORK/up.out"
kill -TERM "${HELPERS[-1]}"
until_true 20 is_gone "${HELPERS[-1]}" || fail "the stand-in listener did not stop"
up || { cat "$WORK/up.out" >&2; fail "outage did not start once its port was free"; }
SERVICE_PIDS+=("$(svc_pid outage)")

echo "== a service that exits at start-up is reported at once, with this start's log only"
stop_one sla
t0=$SECONDS
HOTLINE_LOG_LEVEL=loud up && fail "up succeeded though sla exits at start-up"
[ $((SECONDS - t0)) -lt "$DEV_SERVING_TIMEOUT" ] || fail "the failure was reported only at the timeout"
expect_output "sla did not come up: hotline-sla (pid"
expect_output "exited with status 2"
expect_output "setting --log-level: 'loud' is not debug, info, warn or error"
if grep -q "listening on" "$WORK/up.out"; then
  cat "$WORK/up.out" >&2
  fail "the report shows lines of sla's earlier run"
fi
for svc in intake dispatch outage survey; do
  grep -q "^$svc " "$WORK/up.out" && fail "$svc is reported though it runs"
done
sed 's/^/   | /' "$WORK/up.out"

echo "== down stops Prometheus and the services, and not a program that got a service's pid"
echo "$other" > "$DEV_RUN/sla.pid"
prometheus=$(prometheus_pid) || fail "Prometheus does not run before down"
cmd_down >"$WORK/down.out" 2>&1
proc_alive "$prometheus" && fail "Prometheus (pid $prometheus) still runs after down"
for pid in "${SERVICE_PIDS[@]}"; do
  proc_alive "$pid" && fail "service pid $pid still runs after down"
done
proc_alive "$other" || fail "down stopped the program whose pid was in sla's pid file"
echo "PASS"
