# Local PostgreSQL 15 and Redis 7 on loopback, with their data in one folder.
# Used by `tools/dev up` (data under .dev/) and by the tests (a throwaway
# folder). Sourced, not run.
#
# Layout of a server folder DIR:
#   DIR/pg/       PostgreSQL data        DIR/redis/   Redis data
#   DIR/run/      sockets and pid files  DIR/logs/    server logs
#   DIR/ports     PG_PORT=… and REDIS_PORT=… chosen on the first start

PG_BIN=/usr/lib/postgresql/15/bin

# port_in_use PORT: true when something listens on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port: a loopback port nobody listens on.
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 12000))  # below the ephemeral range (32768+)
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  return 1
}

# free_port_base [AVOID]: B such that loopback ports B+1 … B+5 are free and B is not within 5
# of AVOID: the five services' ports moved off the dev ports.
free_port_base() {
  local base p taken
  for _ in $(seq 1 200); do
    base=$((20000 + RANDOM % 12000))
    [ -n "${1:-}" ] && [ $((base > $1 ? base - $1 : $1 - base)) -le 5 ] && continue
    taken=0
    for p in 1 2 3 4 5; do port_in_use $((base + p)) && taken=1; done
    [ $taken = 0 ] && { echo "$base"; return 0; }
  done
  return 1
}

# The PostgreSQL server refuses to run as root: when we are root it runs as
# the `postgres` user, which must own the data folder and reach it.
pg_user_run() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# servers_dir_prepare DIR [PG_PORT REDIS_PORT]: creates the folder and fixes its
# ports, keeping those of an earlier start.
servers_dir_prepare() {
  local dir=$1
  mkdir -p "$dir/pg" "$dir/redis" "$dir/run" "$dir/logs"
  if [ ! -f "$dir/ports" ]; then
    local pg_port=${2:-$(free_port)} redis_port=${3:-$(free_port)}
    printf 'PG_PORT=%s\nREDIS_PORT=%s\n' "$pg_port" "$redis_port" > "$dir/ports"
  fi
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres: "$dir/pg" "$dir/run" "$dir/logs"
    chmod 700 "$dir/pg"
    if ! runuser -u postgres -- test -w "$dir/pg"; then
      die "the postgres user cannot reach $dir (a parent folder is closed to it); put the checkout where other users can enter, e.g. under /srv or /opt"
    fi
  fi
}

servers_ports() { # prints PG_PORT=… REDIS_PORT=… of DIR
  cat "$1/ports"
}

# pg_start DIR [fast|statements]: initialises on the first start, then starts and waits.
# `fast` turns off fsync: for throwaway test servers only. `statements` stays durable and
# loads pg_stat_statements with I/O timing (tools/dev bench's profile of the SQL).
pg_start() {
  local dir=$1 mode=${2:-} PG_PORT REDIS_PORT
  eval "$(servers_ports "$dir")"
  if [ ! -f "$dir/pg/PG_VERSION" ]; then
    pg_user_run "$PG_BIN/initdb" -D "$dir/pg" -U hotline -A trust -E UTF8 --locale=C.UTF-8 >"$dir/logs/initdb.log" 2>&1 \
      || { cat "$dir/logs/initdb.log" >&2; return 1; }
  fi
  if pg_user_run "$PG_BIN/pg_ctl" -D "$dir/pg" status >/dev/null 2>&1; then
    return 0
  fi
  local opts="-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir/run -c max_connections=300"
  # Autovacuum looks at the database every 10 s, not every minute: the outboxes and inboxes
  # churn (docs/operations.md, "PostgreSQL settings"), and a fresh database's first
  # autoanalyze replaces the plans its services cached while the tables were empty.
  opts="$opts -c autovacuum_naptime=10s"
  if [ "$mode" = fast ]; then
    opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  elif [ "$mode" = statements ]; then
    opts="$opts -c shared_preload_libraries=pg_stat_statements -c track_io_timing=on"
  fi
  pg_user_run "$PG_BIN/pg_ctl" -D "$dir/pg" -l "$dir/logs/postgres.log" -o "$opts" -w -t 60 start >/dev/null \
    || { tail -n 30 "$dir/logs/postgres.log" >&2; return 1; }
  # The database the services use; the role `hotline` is the superuser initdb made.
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U hotline -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'hotline'" | grep -q 1 \
    || "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U hotline hotline
}

pg_stop() {
  local dir=$1
  [ -f "$dir/pg/postmaster.pid" ] || return 0
  pg_user_run "$PG_BIN/pg_ctl" -D "$dir/pg" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

# redis_start DIR [fast]: `fast` keeps no data on disk (throwaway servers).
redis_start() {
  local dir=$1 mode=${2:-} PG_PORT REDIS_PORT
  eval "$(servers_ports "$dir")"
  if [ -f "$dir/run/redis.pid" ] && kill -0 "$(cat "$dir/run/redis.pid")" 2>/dev/null; then
    return 0
  fi
  local persist=(--appendonly yes --save "60 1")
  [ "$mode" = fast ] && persist=(--appendonly no --save "")
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$dir/redis" \
    --daemonize yes --pidfile "$dir/run/redis.pid" --logfile "$dir/logs/redis.log" \
    --databases 4096 "${persist[@]}" || return 1
  local i
  for i in $(seq 1 100); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.1
  done
  echo "redis did not answer on port $REDIS_PORT" >&2
  return 1
}

redis_stop() {
  local dir=$1 pid
  [ -f "$dir/run/redis.pid" ] || return 0
  pid=$(cat "$dir/run/redis.pid")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$dir/run/redis.pid"
}
