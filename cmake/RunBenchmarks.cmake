# Runs each benchmark binary in BENCHMARKS (a ;-list) for a moment, so that a
# benchmark that crashes, or no longer builds its inputs, fails a test. The
# flag is Google Benchmark 1.7's form (seconds as a plain number).
if(NOT BENCHMARKS)
  message(FATAL_ERROR "no benchmark binaries given (BENCHMARKS)")
endif()
foreach(binary ${BENCHMARKS})
  message(STATUS "running ${binary}")
  execute_process(COMMAND ${binary} --benchmark_min_time=0.01
    RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${binary} failed: ${result}")
  endif()
endforeach()
