# bench/ in the native flavour: eve_bench_count, the transfer callgrind counts against
# winsim/, and a ctest regression bound on its instruction counts (bench/callgrind.sh).
if(NOT TARGET eve_ref OR NOT TARGET winsim)
    return()
endif()

add_executable(eve_bench_count src/count.c)
target_link_libraries(eve_bench_count PRIVATE eve_ref)

find_path(EVE_CALLGRIND_INCLUDE_DIR valgrind/callgrind.h)
find_program(EVE_BENCH_VALGRIND_EXE valgrind)
if(NOT EVE_CALLGRIND_INCLUDE_DIR)
    message(STATUS "bench/: no valgrind/callgrind.h: eve_bench_count counts the whole run")
    return()
endif()
target_compile_definitions(eve_bench_count PRIVATE EVE_BENCH_HAVE_CALLGRIND)
target_include_directories(eve_bench_count SYSTEM PRIVATE "${EVE_CALLGRIND_INCLUDE_DIR}")

# A bound holds for one build type and plain code: instrumented builds (sanitizers,
# coverage) and build types without a line in callgrind-bounds.txt get no test.
string(TOUPPER "${CMAKE_BUILD_TYPE}" _eve_bt)
set(_eve_flags "${CMAKE_C_FLAGS} ${CMAKE_C_FLAGS_${_eve_bt}}")
file(STRINGS "${CMAKE_CURRENT_SOURCE_DIR}/callgrind-bounds.txt" _eve_bounds
     REGEX "^${CMAKE_BUILD_TYPE} ")
if(EVE_BENCH_VALGRIND_EXE AND _eve_bounds AND NOT _eve_flags MATCHES "-fsanitize|--coverage|-fprofile")
    add_test(NAME bench.callgrind
             COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/callgrind.sh" --check "${CMAKE_BUILD_TYPE}"
                     "$<TARGET_FILE:eve_bench_count>")
    set_tests_properties(bench.callgrind PROPERTIES
        ENVIRONMENT "VALGRIND=${EVE_BENCH_VALGRIND_EXE}" LABELS "native;bench" TIMEOUT 600)
endif()
