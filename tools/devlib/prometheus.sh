# The local Prometheus of `tools/dev up`: Debian's /usr/bin/prometheus on loopback, scraping
# the five services with the hotline's rules (deploy/prometheus), data in .dev/prometheus.
# Sourced after services.sh, not run.

DEV_PROMETHEUS_BIN=/usr/bin/prometheus
# 9190 unless the environment says otherwise: Debian's prometheus package starts a system
# Prometheus on 9090 where systemd runs, so the usual port is often taken.
DEV_PROMETHEUS_PORT=${DEV_PROMETHEUS_PORT:-9190}
# How long `up` waits for Prometheus to answer ready, in seconds.
DEV_PROMETHEUS_TIMEOUT=30

prometheus_dir() { echo "$DEV_DIR/prometheus"; }
prometheus_config() { echo "$(prometheus_dir)/prometheus.yml"; }
prometheus_url() { echo "http://127.0.0.1:$DEV_PROMETHEUS_PORT"; }

# prometheus_pid: the pid of the Prometheus that tools/dev started for this .dev/; false when
# it does not run. A pid file may name a process that ended and a pid reused by another
# program; a system Prometheus runs the same binary with another configuration. So the
# process must be alive and run /usr/bin/prometheus with this folder's configuration.
prometheus_pid() {
  local pid cmdline
  pid=$(cat "$DEV_RUN/prometheus.pid" 2>/dev/null) || return 1
  proc_alive "$pid" || return 1
  cmdline=$(tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null) || return 1
  [ "$(head -n 1 <<<"$cmdline")" = "$DEV_PROMETHEUS_BIN" ] || return 1
  grep -qxF -- "--config.file=$(prometheus_config)" <<<"$cmdline" || return 1
  echo "$pid"
}

# http_get URL: prints the body of a successful answer; false otherwise, quietly.
http_get() {
  python3 -c '
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=5) as answer:
    sys.stdout.write(answer.read().decode())
' "$1" 2>/dev/null
}

# write_prometheus_config: deploy/prometheus/prometheus.yml with each service's target at the
# metrics port it listens on and the rule files of the checkout, in .dev/prometheus.
write_prometheus_config() {
  local svc ports="" source="$ROOT/deploy/prometheus/prometheus.yml"
  for svc in "${DEV_SERVICES[@]}"; do ports+="$svc=$(svc_metrics_port "$svc") "; done
  mkdir -p "$(prometheus_dir)"
  awk -v ports="$ports" -v rules="$ROOT/deploy/prometheus/rules/" '
    BEGIN { n = split(ports, kv, " "); for (i = 1; i <= n; i++) { split(kv[i], p, "="); port[p[1]] = p[2] } }
    /job_name:/ { job = $NF }
    /- targets:/ && (job in port) { sub(/\[.*\]/, "[\"127.0.0.1:" port[job] "\"]"); seen[job] = 1 }
    /^  - rules\// { sub(/rules\//, rules) }
    { print }
    END { for (j in port) if (!(j in seen)) { print "no scrape job " j " in " FILENAME > "/dev/stderr"; exit 1 } }
  ' "$source" > "$(prometheus_config).new" || return 1
  mv "$(prometheus_config).new" "$(prometheus_config)"
}

# start_prometheus: writes the configuration and starts Prometheus, unless it runs already
# (then it reloads the configuration). Fails, naming the owner, when another program listens
# on its port; that program is left alone.
start_prometheus() {
  local pid port=$DEV_PROMETHEUS_PORT
  write_prometheus_config || return 1
  if pid=$(prometheus_pid); then
    kill -HUP "$pid"
    return 0
  fi
  if port_in_use "$port"; then
    echo "Prometheus not started: 127.0.0.1:$port is taken by $(port_owner "$port")." >&2
    echo "If that is the system's Prometheus (Debian's prometheus package), stop it (systemctl stop prometheus) or run with DEV_PROMETHEUS_PORT=<another port>." >&2
    return 1
  fi
  [ -x "$DEV_PROMETHEUS_BIN" ] || { echo "Prometheus not started: $DEV_PROMETHEUS_BIN is missing (Debian package prometheus)" >&2; return 1; }
  echo "$DEV_START_MARK prometheus at $(date '+%F %T') -----" >> "$DEV_LOG_DIR/prometheus.log"
  setsid "$DEV_PROMETHEUS_BIN" \
    --config.file="$(prometheus_config)" \
    --storage.tsdb.path="$(prometheus_dir)/data" \
    --storage.tsdb.retention.time=7d \
    --web.listen-address="127.0.0.1:$port" \
    >>"$DEV_LOG_DIR/prometheus.log" 2>&1 < /dev/null &
  echo $! > "$DEV_RUN/prometheus.pid"
}

# wait_prometheus_ready: until Prometheus answers ready; fails at once when it has ended, or
# after DEV_PROMETHEUS_TIMEOUT seconds, with the end of its log.
wait_prometheus_ready() {
  local deadline=$((SECONDS + DEV_PROMETHEUS_TIMEOUT))
  until http_get "$(prometheus_url)/-/ready" >/dev/null; do
    if ! prometheus_pid >/dev/null || [ $SECONDS -ge $deadline ]; then
      echo "Prometheus is not ready on $(prometheus_url). The end of its log ($DEV_LOG_DIR/prometheus.log):"
      tail -n 10 "$DEV_LOG_DIR/prometheus.log" 2>/dev/null | sed 's/^/  /'
      return 1
    fi
    sleep 0.25
  done
}

# stop_prometheus: stops the Prometheus tools/dev started (SIGTERM, then SIGKILL after 15 s),
# and nothing else.
stop_prometheus() {
  local pid
  if pid=$(prometheus_pid); then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 150); do proc_alive "$pid" || break; sleep 0.1; done
    proc_alive "$pid" && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$DEV_RUN/prometheus.pid"
}

# print_prometheus_endpoint: its line of the endpoints table.
print_prometheus_endpoint() {
  local pid
  pid=$(prometheus_pid) && pid="pid $pid" || pid="not running"
  printf '  %-10s %s (%s)\n' prometheus "$(prometheus_url)" "$pid"
}
