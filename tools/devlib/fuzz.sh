# The fuzz tree of tools/dev: clang with libFuzzer and the sanitizers
# (cmake -DHOTLINE_FUZZ=ON, tests/fuzz), built in build/fuzz. Sourced, not run.

FUZZ_BUILD_DIR="$ROOT/build/fuzz"

# The fuzz targets, by name (tests/fuzz/<name>_fuzz.cc).
fuzz_target_names() {
  local f
  for f in "$ROOT"/tests/fuzz/*_fuzz.cc; do
    f=$(basename "$f")
    echo "${f%_fuzz.cc}"
  done
}

# Builds only the fuzz targets and the libraries they link.
fuzz_build() {
  step "configure fuzz build (fuzz, clang)" \
    cmake -S "$ROOT" -B "$FUZZ_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
      -DCMAKE_CXX_COMPILER=clang++ -DHOTLINE_FUZZ=ON -DHOTLINE_WERROR=ON
  step "build fuzz targets (fuzz)" \
    cmake --build "$FUZZ_BUILD_DIR" --parallel "${JOBS:-$(nproc)}" --target hotline_fuzzers
}

# `tools/dev test`'s last stage: every target for its short time (ctest
# label fuzz, HOTLINE_FUZZ_SECONDS each) over a copy of its seed corpus.
fuzz_short_run() {
  fuzz_build
  say "running ctest -L fuzz in fuzz (each target for its short time over a copy of its corpus)"
  ctest --test-dir "$FUZZ_BUILD_DIR" -L fuzz --output-on-failure --parallel "${CTEST_JOBS:-2}"
}

cmd_fuzz() {
  local seconds=600 names=() name failed=()
  while [ $# -gt 0 ]; do
    case $1 in
      --seconds) [ $# -ge 2 ] || die "--seconds needs a number"; seconds=$2; shift ;;
      --seconds=*) seconds=${1#--seconds=} ;;
      -h|--help) usage; exit 0 ;;
      -*) die "unknown option for fuzz: $1 (see tools/dev --help)" ;;
      *) names+=("$1") ;;
    esac
    shift
  done
  [[ $seconds =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || die "--seconds wants a whole number of seconds, not '$seconds'"
  if [ ${#names[@]} -eq 0 ]; then
    mapfile -t names < <(fuzz_target_names)
  fi
  for name in "${names[@]}"; do
    [ -f "$ROOT/tests/fuzz/${name}_fuzz.cc" ] ||
      die "no fuzz target '$name'; the targets: $(fuzz_target_names | tr '\n' ' ')"
  done
  step "install missing Debian packages" install_packages
  fuzz_build
  # One target at a time: each takes a core. What a target finds stays in
  # .dev/fuzz/<name>/corpus for the next run.
  for name in "${names[@]}"; do
    local work="$DEV_DIR/fuzz/$name" t0 t1
    mkdir -p "$work"
    t0=$(date +%s.%N)
    if "$ROOT/tests/fuzz/run_fuzz_target.sh" "$FUZZ_BUILD_DIR/tests/fuzz/${name}_fuzz" \
        "$ROOT/tests/fuzz/corpus/$name" "$seconds" "$work" >"$work.log" 2>&1; then
      t1=$(date +%s.%N)
      printf '[dev] %-44s done in %5ss (%s)\n' "fuzz $name" "$(elapsed "$t0" "$t1")" \
        "$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work.log" | awk '{print $2}') inputs"
    else
      t1=$(date +%s.%N)
      printf '[dev] %-44s FAILED after %5ss\n' "fuzz $name" "$(elapsed "$t0" "$t1")" >&2
      grep -m1 -E 'ERROR: |broken invariant|runtime error' "$work.log" >&2 || true
      ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null >&2 || true
      echo "  log: $work.log; replay an input with: $FUZZ_BUILD_DIR/tests/fuzz/${name}_fuzz FILE" >&2
      failed+=("$name")
    fi
  done
  [ ${#failed[@]} -eq 0 ] || die "fuzzing found a problem in: ${failed[*]}"
}
