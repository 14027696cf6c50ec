# version_rejects.cmake: the spec lint names a header whose EVE_SPEC_VERSION is not the
# version in spec/README.md's title. Runs the generator on the real tables with a copy of
# the public headers whose version.h says 9.9.
#   cmake -DSPEC_DIR=<spec> -DERROR_H=<eve/error.h> -DGEN=<specgen.cmake> -DWORK=<dir> -P ...
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE "${WORK}")
get_filename_component(_headers "${ERROR_H}" DIRECTORY)
file(COPY "${_headers}" DESTINATION "${WORK}")
file(WRITE "${WORK}/eve/version.h" "#define EVE_SPEC_VERSION \"9.9\"\n")
execute_process(COMMAND ${CMAKE_COMMAND} -DSPEC_DIR=${SPEC_DIR} -DOUT_DIR=${WORK}/out
                        -DERROR_H=${WORK}/eve/error.h -P ${GEN}
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
message("${_out}")
if(_rc EQUAL 0)
    message(FATAL_ERROR "the lint accepted EVE_SPEC_VERSION 9.9")
endif()
if(NOT _out MATCHES "EVE_SPEC_VERSION: is \"9\\.9\", spec/README\\.md says version [0-9]+\\.[0-9]+")
    message(FATAL_ERROR "the lint failed without naming EVE_SPEC_VERSION")
endif()
