# check_unknown_row.cmake: a test citing a row that no table has fails the report and is
# named. The tables are copied without T-PAUSED-R-RESUME, which pause tests cite.
#   cmake -DTOOL=<eve_report> -DSPEC=<spec> -DRESULTS=<file> -DWORK=<dir> -P ...
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
file(GLOB _tables "${SPEC}/*.tsv")
file(COPY ${_tables} DESTINATION "${WORK}")
file(READ "${WORK}/transitions.tsv" _text)
string(REGEX REPLACE "\nT-PAUSED-R-RESUME\t[^\n]*" "" _text "${_text}")
file(WRITE "${WORK}/transitions.tsv" "${_text}")
execute_process(COMMAND ${TOOL} --spec ${WORK} ${RESULTS}
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
if(_rc EQUAL 0)
    message(FATAL_ERROR "the report passed with a citation of a row no table has:\n${_out}")
endif()
if(NOT _out MATCHES "pause_resume_inside_data_cb cites T-PAUSED-R-RESUME: no table has this row")
    message(FATAL_ERROR "the unknown row is not named:\n${_out}")
endif()
