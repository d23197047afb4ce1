#!/usr/bin/env bash
# The checker must refuse a dashboard whose panel reads a metric no service
# exports (fixtures/broken/), and say which dashboard, panel and metric; the
# fixture is otherwise sound, so that is the only problem it may report.
set -uo pipefail
PYTHON=${1:?usage: broken_fixture_test.sh PYTHON SOURCE_ROOT}
ROOT=${2:?usage: broken_fixture_test.sh PYTHON SOURCE_ROOT}
HERE=$(cd "$(dirname "$0")" && pwd)

output=$("$PYTHON" "$HERE/check_dashboards.py" --source-root "$ROOT" "$HERE/fixtures/broken" 2>&1)
status=$?
echo "$output"

failed=0
expect() { # expect DESCRIPTION CONDITION...
  local what=$1
  shift
  if "$@"; then
    echo "ok: $what"
  else
    echo "FAIL: $what"
    failed=1
  fi
}
expect "the checker exits 1 (it exited $status)" test "$status" -eq 1
expect "it names the dashboard, the panel and the metric" grep -q \
  'answer-rate.json dashboard "Broken: .*" panel "Calls dropped" (id 2) query A: unknown metric hotline_calls_dropped_total' \
  <<<"$output"
expect "it reports that one problem only" test "$(grep -c '^FAIL: ' <<<"$output")" -eq 1
exit $failed
