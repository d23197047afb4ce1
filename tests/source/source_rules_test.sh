#!/usr/bin/env bash
# Rules of the code base that a reader should not have to police by hand.
# Each rule lists the lines that break it; the test fails if any does.
#
#  1. Services read the time from their injected clock (libs/clock), never
#     from absl::Now(), so tests and --test-clock can move it.
#  2. Services run background work through worker::PeriodicWorker or
#     rpc::HandlerPool, never a std::thread of their own.
#  3. Every part of a service (a folder under services/ with code besides
#     main.cc) has the shape of docs/architecture.md: domain/, store/, desk/
#     and api/, and at its root only main.cc, *_parts.* and *_settings.*.
# Tests are exempt (they start threads to race calls against each other and
# measure real time).
set -uo pipefail
ROOT=${1:?usage: source_rules_test.sh SOURCE_ROOT}
cd "$ROOT" || exit 2

failed=0
check() { # check DESCRIPTION PATTERN DIR
  local what=$1 pattern=$2 dir=$3 hits
  hits=$(grep -rnE "$pattern" "$dir" --include='*.cc' --include='*.h' \
           | grep -vE '_(test|pgtest|redistest|e2etest)\.cc:' || true)
  if [ -n "$hits" ]; then
    echo "FAIL: $what"
    echo "$hits" | sed 's/^/  /'
    failed=$((failed + 1))
  else
    echo "ok: $what"
  fi
}

check "no absl::Now() in services/ (take a clock::Clock)" 'absl::Now\(\)' services
check "no std::thread in services/ (use worker::PeriodicWorker or rpc::HandlerPool)" \
  'std::thread\b' services

shape_breaks=""
for part in $(find services -name CMakeLists.txt -printf '%h\n' | sort); do
  code=$(find "$part" -maxdepth 1 \( -name '*.cc' -o -name '*.h' \) -printf '%f\n' | sort)
  [ -z "$(echo "$code" | grep -v '^main\.cc$')" ] && continue  # a shell or a multi-part service
  for folder in domain store desk api; do
    [ -d "$part/$folder" ] || shape_breaks+="$part has no $folder/"$'\n'
  done
  stray=$(echo "$code" | grep -vE '^(main\.cc|[a-z_]+_parts\.(h|cc)|[a-z_]+_settings(_test)?\.(h|cc))$' || true)
  for f in $stray; do shape_breaks+="$part/$f belongs in domain/, store/, desk/ or api/"$'\n'; done
done
if [ -n "$shape_breaks" ]; then
  echo "FAIL: every service part has domain/, store/, desk/ and api/ (docs/architecture.md)"
  printf '%s' "$shape_breaks" | sed 's/^/  /'
  failed=$((failed + 1))
else
  echo "ok: every service part has domain/, store/, desk/ and api/"
fi

if [ "$failed" -gt 0 ]; then
  echo "$failed source rule(s) broken"
  exit 1
fi
