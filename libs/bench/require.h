#pragma once

// A micro-benchmark states, before it times anything, that its input gives
// the answer it means to measure (a valid request passes, a route reaches
// the expected branch). When it does not, the benchmark would time the wrong
// path, so the program stops with a message and a failing exit status (the
// CTest run of the benchmarks, micro_benchmarks_run, then fails).
// Header only; for *_benchmark.cc files.

#include <cstdio>
#include <cstdlib>
#include <string>

namespace hotline::bench {

inline void Require(bool holds, const std::string& what) {
  if (!holds) {
    std::fprintf(stderr, "benchmark input is wrong: %s\n", what.c_str());
    std::exit(1);
  }
}

}  // namespace hotline::bench
