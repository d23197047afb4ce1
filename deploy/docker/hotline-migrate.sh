#!/bin/sh
# hotline-migrate SERVICE: brings SERVICE's PostgreSQL schema up to date and
# exits, for a migration Job before an upgrade (helm/hotline).
#
# The services have no separate migration tool: each binary carries its
# migrations and applies them at start, under an advisory lock, before it
# reports SERVING. So this starts hotline-SERVICE with its usual settings
# (HOTLINE_* variables) but listening on loopback only, waits until it is
# SERVING (its schema is migrated and PostgreSQL and Redis answer), and stops
# it with SIGTERM. Exits 0 when it became SERVING within
# MIGRATE_TIMEOUT (default 300s), 1 otherwise. MIGRATE_PORT (default 50050)
# is where it listens meanwhile, and the next port its metrics. (Not HOTLINE_*:
# the service would refuse variables it does not know.)
set -eu

svc=${1:?usage: hotline-migrate SERVICE}
timeout=${MIGRATE_TIMEOUT:-300s}
port=${MIGRATE_PORT:-50050}

HOTLINE_LISTEN="127.0.0.1:$port" HOTLINE_METRICS_LISTEN="127.0.0.1:$((port + 1))" \
  "hotline-$svc" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' INT TERM

rc=0
if ! hotline-probe --wait="$timeout" --quiet "127.0.0.1:$port"; then
  echo "hotline-migrate: hotline-$svc was not SERVING within $timeout; see its log above" >&2
  rc=1
fi
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || rc=1
[ "$rc" = 0 ] && echo "hotline-migrate: the $svc schema is up to date"
exit "$rc"
