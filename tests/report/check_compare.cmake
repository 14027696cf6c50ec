# check_compare.cmake: --compare OLD NEW on two saved runs lists new failures first, then the
# tests no longer run, the fixed tests, rows newly covered, rows no longer covered (a covered
# row the new run lacks included), rows no longer in the tables, then other changed outcomes,
# and exits 1 (a test regressed); comparing a run with itself finds nothing and exits 0; a
# run that lacks one test of the old one and changes nothing else regressed (exit 1).
#   cmake -DTOOL=<eve_report> -DOLD=<json> -DNEW=<json> -DWORK=<dir> -P check_compare.cmake
cmake_minimum_required(VERSION 3.20)

# The summary line for the counts given, in the order of the sections.
function(summary_line _var)
    set(_names "new failures" "tests no longer run" "fixed" "rows newly covered"
               "rows no longer covered" "rows no longer in the tables" "other changes")
    set(_parts)
    foreach(_i RANGE 6)
        list(GET ARGN ${_i} _n)
        list(GET _names ${_i} _name)
        list(APPEND _parts "${_n} ${_name}")
    endforeach()
    list(JOIN _parts ", " _line)
    set(${_var} "compare: ${_line}" PARENT_SCOPE)
endfunction()

execute_process(COMMAND ${TOOL} --compare ${OLD} ${NEW}
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
message("${_out}")
if(NOT _rc EQUAL 1)
    message(FATAL_ERROR "exit status ${_rc}, want 1 (regressed)")
endif()
summary_line(_summary 1 1 1 1 2 1 2)
set(_order
    "New failures:\n  lifecycle_read_end +pass -> fail: lifecycle.c:40[^\n]*"
    "Tests no longer run:\n  bp_writable_not_after_close +pass -> absent"
    "Fixed:\n  data_order_mixed_sizes +fail -> pass"
    "Rows newly covered:\n  T-PAUSED-R-RESUME +uncovered -> exercised"
    "Rows no longer covered:\n  T-OPEN-R-PAUSE +exercised -> uncovered"
    "  T-OPEN-R-K_READ_EOF +exercised -> absent"
    "Rows no longer in the tables:\n  T-NONE-A-CREATE-CREATE_ENOMEM +justified -> absent"
    "Other changed outcomes:\n  pause_resume_storm +pass -> skip"
    "  close_with_write_pending +fail -> timeout"
    "${_summary}\ncompare: regressed")
list(JOIN _order "\n" _re)
if(NOT _out MATCHES "${_re}")
    message(FATAL_ERROR "the sections are not as expected")
endif()
if(_out MATCHES "threads_wakeup")
    message(FATAL_ERROR "an unchanged outcome is listed")
endif()

execute_process(COMMAND ${TOOL} --compare ${OLD} ${OLD}
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
summary_line(_summary 0 0 0 0 0 0 0)
if(NOT _rc EQUAL 0 OR NOT _out MATCHES "${_summary}\ncompare: no regression")
    message(FATAL_ERROR "a run compared with itself (exit ${_rc}):\n${_out}")
endif()

# The old run less its first test: only that test is gone, and that is a regression.
file(READ "${OLD}" _old)
string(JSON _first GET "${_old}" tests 0 id)
string(JSON _less REMOVE "${_old}" tests 0)
file(MAKE_DIRECTORY "${WORK}")
file(WRITE "${WORK}/less-one-test.json" "${_less}")
execute_process(COMMAND ${TOOL} --compare ${OLD} ${WORK}/less-one-test.json
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
summary_line(_summary 0 1 0 0 0 0 0)
set(_re "Tests no longer run:\n  ${_first} +pass -> absent\n${_summary}\ncompare: regressed")
if(NOT _rc EQUAL 1 OR NOT _out MATCHES "${_re}")
    message(FATAL_ERROR "a test the new run lacks (exit ${_rc}, want 1):\n${_out}")
endif()
