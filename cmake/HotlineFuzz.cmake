# The fuzz tree (-DHOTLINE_FUZZ=ON): clang with libFuzzer, AddressSanitizer and
# UBSan on all of our code, and only the fuzz targets of tests/fuzz built
# (`cmake --build build/fuzz --target hotline_fuzzers`). The ordinary tests are
# off in this tree; the normal build stays g++.

if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "HOTLINE_FUZZ needs clang (libFuzzer): configure with "
    "-DCMAKE_CXX_COMPILER=clang++; the compiler here is ${CMAKE_CXX_COMPILER_ID}")
endif()
if(HOTLINE_BUILD_TESTS)
  message(STATUS "HOTLINE_FUZZ: the ordinary tests are not built in the fuzz tree")
  set(HOTLINE_BUILD_TESTS OFF CACHE BOOL "Build the tests" FORCE)
endif()

# The targets' short runs are CTest tests (label fuzz).
enable_testing()

# Coverage for the fuzzer and the sanitizers everywhere; the fuzzer's own
# main is linked into the targets only (hotline_fuzz_target). -O1 whatever the
# build type: a fuzzer at -O0 tries a third as many inputs.
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
  -fno-omit-frame-pointer -O1)
add_link_options(-fsanitize=address,undefined)
