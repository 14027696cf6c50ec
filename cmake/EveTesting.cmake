# EveTesting: eve_add_test(NAME <name> COMMAND <target> [args...] [LABELS ...])
# Registers a ctest test with the project's timeout. Windows flavours run it through
# CMAKE_CROSSCOMPILING_EMULATOR (ci/wine-run), which enforces EVE_TEST_TIMEOUT itself;
# ctest's TIMEOUT is a backstop a little later, for a runner that hangs.

set(EVE_TEST_TIMEOUT 300 CACHE STRING "seconds before a test is killed and fails")

function(eve_add_test)
    cmake_parse_arguments(PARSE_ARGV 0 T "" "NAME" "COMMAND;LABELS")
    if(NOT T_NAME OR NOT T_COMMAND)
        message(FATAL_ERROR "eve_add_test: NAME and COMMAND are required")
    endif()
    add_test(NAME ${T_NAME} COMMAND ${T_COMMAND})
    math(EXPR _backstop "${EVE_TEST_TIMEOUT} + 60")
    set_tests_properties(${T_NAME} PROPERTIES
        TIMEOUT ${_backstop}
        ENVIRONMENT "EVE_TEST_TIMEOUT=${EVE_TEST_TIMEOUT}"
        LABELS "${EVE_FLAVOUR};${T_LABELS}")
endfunction()
