# Shared helpers of tools/dev: progress lines, timing, privileges.
# Sourced, not run.

# elapsed T0 T1: seconds between two `date +%s.%N` readings, one decimal.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# step "what" cmd args...: runs the command with its output in the step log,
# then prints one progress line with the duration. On failure it prints the
# log's tail and exits with the command's status.
step() {
  local what=$1; shift
  local t0 t1 rc
  t0=$(date +%s.%N)
  mkdir -p "$DEV_LOG_DIR"
  local log="$DEV_LOG_DIR/step.log"
  if [ "${DEV_VERBOSE:-0}" = 1 ]; then
    "$@" 2>&1 | tee "$log"; rc=${PIPESTATUS[0]}
  else
    "$@" >"$log" 2>&1; rc=$?
  fi
  t1=$(date +%s.%N)
  if [ $rc -ne 0 ]; then
    printf '[dev] %-44s FAILED after %5ss (exit %d)\n' "$what" "$(elapsed "$t0" "$t1")" "$rc" >&2
    echo "----- last lines of the log ($log) -----" >&2
    tail -n 60 "$log" >&2
    exit $rc
  fi
  printf '[dev] %-44s done in %5ss\n' "$what" "$(elapsed "$t0" "$t1")"
}

# say "message": a progress line without a timed command.
say() { printf '[dev] %s\n' "$*"; }

die() { printf 'tools/dev: %s\n' "$*" >&2; exit 1; }

# as_root cmd...: runs a command as root, through sudo when needed.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}
