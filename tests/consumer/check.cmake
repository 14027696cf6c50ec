# check.cmake: install this build into a fresh prefix, then build tests/consumer against it
# as an outside project and run it (through the emulator, under Wine). MODE static links
# eve::pipe_static (no DLL may be needed at run time), MODE shared the DLL. With PKG_CC, the
# same program is also compiled by that compiler with pkg-config's flags and run.
#   cmake -DBUILD=<build dir> -DSOURCE=<tests/consumer> -DWORK=<dir> -DMODE=static|shared
#         [-DTOOLCHAIN=<file>] [-DEMULATOR=<ci/wine-run>] [-DPKG_CC=<cc>] -P check.cmake
cmake_minimum_required(VERSION 3.21)

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out
                    ERROR_VARIABLE _out)
    if(NOT _rc EQUAL 0)
        string(REPLACE ";" " " _cmd "${ARGN}")
        message(FATAL_ERROR "failed (${_rc}): ${_cmd}\n${_out}")
    endif()
    set(run_out "${_out}" PARENT_SCOPE)
endfunction()

# The program must say the transfer worked and print the release it was built against.
function(expect_ok _what)
    if(NOT run_out MATCHES "eve-pipe ([0-9.]+) \\(headers ([0-9.]+), spec [0-9.]+\\): EVE_EPIPE [^;]+; transfer ok")
        message(FATAL_ERROR "${_what}: unexpected output:\n${run_out}")
    endif()
    message(STATUS "${_what}: ${run_out}")
endfunction()

set(_prefix "${WORK}/prefix")
file(REMOVE_RECURSE "${WORK}")
run(${CMAKE_COMMAND} --install "${BUILD}" --prefix "${_prefix}")

set(_shared OFF)
set(_pc eve-pipe)
if(MODE STREQUAL "shared")
    set(_shared ON)
    set(_pc eve-pipe-dll)
endif()
set(_cfg -S "${SOURCE}" -B "${WORK}/build" -G Ninja -DCMAKE_BUILD_TYPE=Release
    "-Deve_pipe_DIR=${_prefix}/lib/cmake/eve_pipe" -DBUILD_SHARED_LIBS=${_shared})
if(TOOLCHAIN)
    list(APPEND _cfg "-DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN}")
endif()
run(${CMAKE_COMMAND} ${_cfg})
run(${CMAKE_COMMAND} --build "${WORK}/build")
file(GLOB _dlls "${WORK}/build/*.dll")
if(MODE STREQUAL "shared" AND NOT _dlls MATCHES "eve_pipe\\.dll")
    message(FATAL_ERROR "the shared build has no eve_pipe.dll beside the program")
elseif(MODE STREQUAL "static" AND _dlls)
    message(FATAL_ERROR "the static build needs DLLs: ${_dlls}")
endif()
run(${EMULATOR} "${WORK}/build/eve_consumer.exe")
expect_ok("find_package, ${MODE}")

if(PKG_CC)
    set(ENV{PKG_CONFIG_LIBDIR} "${_prefix}/lib/pkgconfig")
    set(ENV{PKG_CONFIG_PATH} "")
    run(pkg-config --cflags --libs ${_pc})
    separate_arguments(_flags UNIX_COMMAND "${run_out}")
    file(MAKE_DIRECTORY "${WORK}/pkg")
    run(${PKG_CC} -std=c11 -Wall -Werror -o "${WORK}/pkg/eve_consumer.exe" "${SOURCE}/main.c"
        ${_flags} -static-libgcc)
    if(MODE STREQUAL "shared")
        file(COPY "${_prefix}/bin/eve_pipe.dll" DESTINATION "${WORK}/pkg")
    endif()
    run(${EMULATOR} "${WORK}/pkg/eve_consumer.exe")
    expect_ok("pkg-config ${_pc}")
endif()
