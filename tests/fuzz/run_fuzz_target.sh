#!/usr/bin/env bash
# Runs one libFuzzer target for a while.
#
#   run_fuzz_target.sh [--fresh] TARGET SEEDS SECONDS WORKDIR
#
# The target works on WORKDIR/corpus, which starts as a copy of SEEDS (the
# seed corpus in the repository, which is only read) and keeps what the
# target finds; --fresh empties it first, so a test run starts from the seeds
# alone. A crash, leak or timeout stops the run, leaves its input in
# WORKDIR (crash-..., leak-..., timeout-...) and exits non-zero.
set -euo pipefail

fresh=0
if [ "${1:-}" = --fresh ]; then
  fresh=1
  shift
fi
if [ $# -ne 4 ]; then
  echo "usage: run_fuzz_target.sh [--fresh] TARGET SEEDS SECONDS WORKDIR" >&2
  exit 2
fi
target=$1 seeds=$2 seconds=$3 work=$4

if [ $fresh = 1 ]; then
  rm -rf "$work/corpus"
fi
mkdir -p "$work/corpus"
if [ -d "$seeds" ]; then
  cp -n "$seeds"/* "$work/corpus/" 2>/dev/null || true
fi
# -timeout: one input may take at most 10 s; -rss_limit_mb: 2 GB.
exec "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/" "$work/corpus"
