# check_compare.cmake: --compare OLD NEW on two saved runs lists new failures first, then the
# fixed tests, rows newly covered and no longer covered, then other changed outcomes, and
# exits 1 (a test regressed); comparing a run with itself finds nothing and exits 0.
#   cmake -DTOOL=<eve_report> -DOLD=<json> -DNEW=<json> -P check_compare.cmake
cmake_minimum_required(VERSION 3.20)
execute_process(COMMAND ${TOOL} --compare ${OLD} ${NEW}
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
message("${_out}")
if(NOT _rc EQUAL 1)
    message(FATAL_ERROR "exit status ${_rc}, want 1 (regressed)")
endif()
set(_order
    "New failures:\n  lifecycle_read_end +pass -> fail: lifecycle.c:40[^\n]*"
    "Fixed:\n  data_order_mixed_sizes +fail -> pass"
    "Rows newly covered:\n  T-PAUSED-R-RESUME +uncovered -> exercised"
    "Rows no longer covered:\n  T-OPEN-R-PAUSE +exercised -> uncovered"
    "Other changed outcomes:\n  pause_resume_storm +pass -> skip\n  close_with_write_pending +fail -> timeout")
list(JOIN _order "\n" _re)
if(NOT _out MATCHES "${_re}\ncompare: 1 new failures, 1 fixed")
    message(FATAL_ERROR "the sections are not as expected")
endif()
if(_out MATCHES "threads_wakeup")
    message(FATAL_ERROR "an unchanged outcome is listed")
endif()
execute_process(COMMAND ${TOOL} --compare ${OLD} ${OLD}
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
if(NOT _rc EQUAL 0 OR NOT _out MATCHES "compare: 0 new failures, 0 fixed, 0 rows newly covered, 0 rows no longer covered, 0 other changes")
    message(FATAL_ERROR "a run compared with itself (exit ${_rc}):\n${_out}")
endif()
