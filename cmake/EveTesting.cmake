# EveTesting: eve_add_test(NAME <name> COMMAND <target> [args...] [LABELS ...])
# Registers a ctest test with the project's timeout. Windows flavours run it through
# CMAKE_CROSSCOMPILING_EMULATOR (ci/wine-run), which enforces the EVE_TEST_TIMEOUT
# environment variable (default 300 s) itself; ctest's TIMEOUT, from the cache variable of
# the same name (ci/build passes the environment's value), is a backstop a minute later.

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
        # Belt and braces for Wine, which passes only the low 8 bits of a Windows exit
        # code: a cmocka failure line fails the test whatever the exit status says.
        FAIL_REGULAR_EXPRESSION "\\[  (FAILED|ERROR)   ?\\] "
        LABELS "${EVE_FLAVOUR};${T_LABELS}")
endfunction()
