# Fails when a README's example is not exactly examples/hello_pipe.c, so the README
# always shows the program the tests build and run.
# Usage: cmake -DREADME=... -DEXAMPLE=... -P check_readme.cmake
file(READ "${README}" _readme)
file(READ "${EXAMPLE}" _example)
string(FIND "${_readme}" "```c\n${_example}```" _at)
if(_at EQUAL -1)
    message(FATAL_ERROR "${README}: its ```c block is not ${EXAMPLE} verbatim")
endif()
