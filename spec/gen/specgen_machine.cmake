# specgen_machine.cmake: included by specgen.cmake. Lints states/events/guards/transitions,
# close_reasons and write_results, and defines spec_emit_machine() for the C output. One
# file per concern, included in order: each reads the variables the ones before it set.

set(SPEC_EFFECTS role=read role=write reason=LOCAL reason=GRACEFUL reason=PEER reason=ERROR
    arm_writable disarm_writable own_handle issue_read accept_writes issue_write queue
    cancel_io drop_queue drop_held hold release_held suppress_close retire reap
    count_written unsent_rest)
set(SPEC_ROLES none read write)

macro(spec_row_error _t _i _why)
    spec_error("${${_t}_${_i}_FILE}" ${${_t}_${_i}_LINE} "${${_t}_${_i}_id}" "${_why}")
endmacro()

# _out = the comma list _in as a CMake list.
macro(spec_split _out _in)
    string(REPLACE "," ";" ${_out} "${_in}")
endmacro()

include("${CMAKE_CURRENT_LIST_DIR}/spec_states.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/spec_transitions.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/spec_machine_checks.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/spec_views.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/spec_emit_machine.cmake")
