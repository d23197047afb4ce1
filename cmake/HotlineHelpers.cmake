# Shared build helpers: warnings, sanitizers, and the one-call target helpers
# that every folder uses, so each CMakeLists.txt stays a short list of parts.

set(HOTLINE_WARNINGS -Wall -Wextra -Wpedantic -Wshadow)
if(HOTLINE_WERROR)
  list(APPEND HOTLINE_WARNINGS -Werror)
endif()

# AddressSanitizer and UndefinedBehaviorSanitizer. Undefined behaviour aborts
# the program (no recovery), so a report inside a passing test or a service
# fails the test instead of scrolling by in a log.
if(HOTLINE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined)
endif()

# Applies the project's warnings to a target built from our own sources
# (generated protobuf code is compiled without them).
function(hotline_warnings target)
  target_compile_options(${target} PRIVATE ${HOTLINE_WARNINGS})
endfunction()

# hotline_library(NAME SOURCES ... DEPS ...)
# A static library target `hotline_<NAME>` with alias `hotline::<NAME>`;
# headers are included as "libs/<name>/x.h" or "services/<svc>/x.h" from the
# source root.
function(hotline_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(hotline_${name} STATIC ${ARG_SOURCES})
  add_library(hotline::${name} ALIAS hotline_${name})
  target_include_directories(hotline_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(hotline_${name} PUBLIC ${ARG_DEPS})
  hotline_warnings(hotline_${name})
endfunction()

# hotline_test(NAME SOURCES ... DEPS ... LABEL unit|db|e2e [TIMEOUT s])
# A GoogleTest binary registered with CTest under the given label.
function(hotline_test name)
  cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  hotline_warnings(${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "HOTLINE_SOURCE_DIR=${PROJECT_SOURCE_DIR};HOTLINE_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()

# hotline_migrations(TARGET SCHEMA DIR)
# Embeds the versioned `NNNN_name.sql` files of DIR into a generated source so
# a service binary carries its own schema; the library gets the function
#   const std::vector<hotline::pg::Migration>& <schema>_migrations();
# declared in the generated header "<schema>_migrations.h".
function(hotline_migrations target schema dir)
  file(GLOB sql_files CONFIGURE_DEPENDS ${dir}/*.sql)
  list(SORT sql_files)
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/migrations_gen)
  set(out_cc ${out_dir}/${schema}_migrations.cc)
  set(out_h ${out_dir}/${schema}_migrations.h)
  add_custom_command(
    OUTPUT ${out_cc} ${out_h}
    COMMAND ${CMAKE_COMMAND} -DSCHEMA=${schema} -DOUT_CC=${out_cc} -DOUT_H=${out_h}
            "-DFILES=${sql_files}" -P ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake
    DEPENDS ${sql_files} ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake
    COMMENT "Embedding ${schema} migrations"
    VERBATIM)  # keeps the ;-list of FILES one shell argument
  add_library(${target} STATIC ${out_cc})
  target_include_directories(${target} PUBLIC ${out_dir})
  target_link_libraries(${target} PUBLIC hotline::pg)
endfunction()

# hotline_service(NAME [SOURCES ...] [DEPS ...])
# The service binary `hotline-<NAME>` from main.cc plus SOURCES, with its
# migrations (services/<NAME>/migrations/*.sql) embedded.
function(hotline_service name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  hotline_migrations(hotline_${name}_migrations ${name} ${CMAKE_CURRENT_SOURCE_DIR}/migrations)
  add_executable(hotline-${name} main.cc ${ARG_SOURCES})
  target_link_libraries(hotline-${name} PRIVATE hotline::runtime hotline::proto
    hotline_${name}_migrations ${ARG_DEPS})
  hotline_warnings(hotline-${name})
endfunction()

# hotline_proto_library(TARGET ROOT DIR PROTOS a.proto b.proto ...)
# Compiles .proto files (paths relative to ROOT, which is also the import
# root) with the gRPC plugin into a static library; its users include
# "<path>.pb.h" / "<path>.grpc.pb.h". Generated code gets no warning flags.
function(hotline_proto_library target)
  cmake_parse_arguments(ARG "" "ROOT" "PROTOS" ${ARGN})
  set(gen_dir ${CMAKE_CURRENT_BINARY_DIR}/${target}_gen)
  file(MAKE_DIRECTORY ${gen_dir})
  get_target_property(grpc_plugin gRPC::grpc_cpp_plugin LOCATION)
  set(srcs "")
  foreach(rel ${ARG_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" stem ${rel})
    add_custom_command(
      OUTPUT ${gen_dir}/${stem}.pb.cc ${gen_dir}/${stem}.pb.h
             ${gen_dir}/${stem}.grpc.pb.cc ${gen_dir}/${stem}.grpc.pb.h
      COMMAND protobuf::protoc --proto_path=${ARG_ROOT} --cpp_out=${gen_dir}
        --grpc_out=${gen_dir} --plugin=protoc-gen-grpc=${grpc_plugin} ${rel}
      DEPENDS ${ARG_ROOT}/${rel} protobuf::protoc
      WORKING_DIRECTORY ${ARG_ROOT}
      COMMENT "protoc ${rel}")
    list(APPEND srcs ${gen_dir}/${stem}.pb.cc ${gen_dir}/${stem}.grpc.pb.cc)
  endforeach()
  add_library(${target} STATIC ${srcs})
  if(HOTLINE_FUZZ)
    # Generated code keeps the fuzzer's coverage but not the sanitizers: they
    # would triple the fuzz tree's build for code protoc wrote.
    target_compile_options(${target} PRIVATE -fno-sanitize=address,undefined)
  endif()
  target_include_directories(${target} SYSTEM PUBLIC ${gen_dir})
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf gRPC::grpc++)
endfunction()

# hotline_benchmark(NAME SOURCES ... DEPS ...)
# A Google Benchmark binary (`<NAME>_benchmark` from `x_benchmark.cc` files).
# Benchmarks are programs, not tests: they are built with the tests, and
# the one CTest test `micro_benchmarks_run` (hotline_benchmarks_test, called
# once at the top level) only runs each for a moment to keep it working.
function(hotline_benchmark name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark benchmark::benchmark_main)
  hotline_warnings(${name})
  set_property(GLOBAL APPEND PROPERTY HOTLINE_BENCHMARKS ${name})
endfunction()

# Registers `micro_benchmarks_run` (label unit): every hotline_benchmark binary
# run with a tiny minimum time, failing if any of them fails. No timing is
# judged. Call after every folder that declares benchmarks.
function(hotline_benchmarks_test)
  get_property(benchmarks GLOBAL PROPERTY HOTLINE_BENCHMARKS)
  set(files "")
  foreach(b ${benchmarks})
    list(APPEND files $<TARGET_FILE:${b}>)
  endforeach()
  add_test(NAME micro_benchmarks_run
    COMMAND ${CMAKE_COMMAND} "-DBENCHMARKS=${files}"
            -P ${PROJECT_SOURCE_DIR}/cmake/RunBenchmarks.cmake)
  set_tests_properties(micro_benchmarks_run PROPERTIES LABELS unit TIMEOUT 300)
endfunction()
