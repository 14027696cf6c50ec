# spec_emit_machine.cmake: part of specgen_machine.cmake (included in order; reads what the
# parts before it set). spec_emit_machine(): the state machine as C tables for
# eve_spec_tables.h and eve_spec_rows.c.

# ---------------------------------------------------------------- C output
function(spec_c_ident _out _in)
    string(REGEX REPLACE "[^A-Za-z0-9]" "_" _s "${_in}")
    set(${_out} "${_s}" PARENT_SCOPE)
endfunction()

macro(spec_emit_machine)
    string(APPEND H "#include <stddef.h>\n\n")
    string(APPEND H "enum eve_spec_machine { EVE_SPEC_MACHINE_END = 0, EVE_SPEC_MACHINE_PAIR = 1 };\n")
    string(APPEND H "enum eve_spec_role_bit {\n    EVE_SPEC_ROLE_NONE = 1,\n")
    string(APPEND H "    EVE_SPEC_ROLE_READ = 2,\n    EVE_SPEC_ROLE_WRITE = 4\n};\n")
    string(APPEND H "enum eve_spec_kind { EVE_SPEC_KIND_CALL, EVE_SPEC_KIND_KERNEL, EVE_SPEC_KIND_LOOP };\n\n")
    # States.
    string(APPEND H "/* X(name, value, machine, roles, initial, terminal, live, is_open) */\n")
    string(APPEND H "#define EVE_SPEC_STATES(X)")
    foreach(_s IN LISTS STATE_NAMES)
        set(_i ${ST_${_s}})
        string(TOUPPER "EVE_SPEC_MACHINE_${states_${_i}_machine}" _m)
        set(_rm 0)
        foreach(_r IN LISTS ST_${_s}_ROLES)
            string(TOUPPER "${_r}" _ru)
            string(APPEND _rm "|EVE_SPEC_ROLE_${_ru}")
        endforeach()
        set(_fl "")
        foreach(_c initial terminal live)
            if(states_${_i}_${_c} STREQUAL "yes")
                string(APPEND _fl ", 1")
            else()
                string(APPEND _fl ", 0")
            endif()
        endforeach()
        string(APPEND H " \\\n    X(${_s}, ${states_${_i}_value}, ${_m}, (${_rm})${_fl}, ${states_${_i}_is_open})")
    endforeach()
    string(APPEND H "\n\nenum eve_spec_state {\n")
    string(APPEND H "#define EVE_SPEC__S(n, v, m, r, i, t, l, o) EVE_SPEC_S_##n,\n")
    string(APPEND H "    EVE_SPEC_STATES(EVE_SPEC__S)\n#undef EVE_SPEC__S\n    EVE_SPEC_STATE_COUNT\n};\n\n")
    # Events.
    string(APPEND H "/* X(name, machine, kind, roles) */\n#define EVE_SPEC_EVENTS(X)")
    foreach(_e IN LISTS EVENT_NAMES)
        set(_i ${EV_${_e}})
        string(TOUPPER "EVE_SPEC_MACHINE_${events_${_i}_machine}" _m)
        string(TOUPPER "EVE_SPEC_KIND_${events_${_i}_kind}" _k)
        set(_rm 0)
        foreach(_r IN LISTS EV_${_e}_ROLES)
            string(TOUPPER "${_r}" _ru)
            string(APPEND _rm "|EVE_SPEC_ROLE_${_ru}")
        endforeach()
        string(APPEND H " \\\n    X(${_e}, ${_m}, ${_k}, (${_rm}))")
    endforeach()
    string(APPEND H "\n\nenum eve_spec_event {\n")
    string(APPEND H "#define EVE_SPEC__V(n, m, k, r) EVE_SPEC_V_##n,\n")
    string(APPEND H "    EVE_SPEC_EVENTS(EVE_SPEC__V)\n#undef EVE_SPEC__V\n    EVE_SPEC_EVENT_COUNT\n};\n\n")
    # Guards.
    string(APPEND H "/* X(name, set) */\n#define EVE_SPEC_GUARDS(X)")
    foreach(_g IN LISTS GUARD_NAMES)
        string(APPEND H " \\\n    X(${_g}, ${GU_${_g}_SET})")
    endforeach()
    string(APPEND H "\n\nenum eve_spec_guard {\n    EVE_SPEC_G_NONE = 0,\n")
    string(APPEND H "#define EVE_SPEC__G(n, s) EVE_SPEC_G_##n,\n")
    string(APPEND H "    EVE_SPEC_GUARDS(EVE_SPEC__G)\n#undef EVE_SPEC__G\n    EVE_SPEC_GUARD_COUNT\n};\n\n")
    # Effects.
    string(APPEND H "enum eve_spec_effect {\n")
    set(_bit 0)
    foreach(_x IN LISTS SPEC_EFFECTS)
        spec_c_ident(_xi "${_x}")
        string(TOUPPER "${_xi}" _xi)
        string(APPEND H "    EVE_SPEC_EFF_${_xi} = 1UL << ${_bit},\n")
        math(EXPR _bit "${_bit} + 1")
    endforeach()
    string(APPEND H "    EVE_SPEC_EFF__END = 0\n};\n\n")
    # Rows.
    string(APPEND H [=[
enum eve_spec_cb_kind {
    EVE_SPEC_CB_DATA = 0,
    EVE_SPEC_CB_WRITABLE = 1,
    EVE_SPEC_CB_CLOSE = 2,
    EVE_SPEC_CB_ERROR = 3
};
/* A callback's argument pattern. */
enum eve_spec_arg {
    EVE_SPEC_ARG_NONE = 0,    /* writable */
    EVE_SPEC_ARG_LEN = 1,     /* data: len > 0 */
    EVE_SPEC_ARG_ERRNO = 2,   /* error: a number errors.tsv maps with outcome ERROR */
    EVE_SPEC_ARG_EXACT = 3,   /* error(EVE_x) or close(REASON): value */
    EVE_SPEC_ARG_PENDING = 4  /* close(pending): the recorded reason */
};
enum eve_spec_ret_kind {
    EVE_SPEC_RET_NONE = 0,      /* - : kernel/loop row, or a void call */
    EVE_SPEC_RET_EXACT = 1,     /* value */
    EVE_SPEC_RET_ERRNO = 2,     /* any eve error number errors.tsv can produce */
    EVE_SPEC_RET_SIZE = 3,      /* any byte count */
    EVE_SPEC_RET_FORBIDDEN = 4  /* ! : the step must not happen */
};
typedef struct eve_spec_cb {
    unsigned char kind; /* eve_spec_cb_kind */
    unsigned char arg;  /* eve_spec_arg */
    int value;
} eve_spec_cb;
typedef struct eve_spec_row {
    const char *id;
    unsigned char state, roles, event, guard, next; /* enums above; roles: role bits */
    unsigned char ncb;
    eve_spec_cb cb[2];
    unsigned char ret_kind;
    long long ret;
    unsigned long effects;   /* eve_spec_effect bits */
    signed char reason;      /* reason=X effect: the eve_pipe_close_reason, else -1 */
    const char *callbacks;   /* the table's text, for messages */
    const char *returns;
} eve_spec_row;

extern const eve_spec_row eve_spec_rows[];
extern const size_t eve_spec_row_count;
extern const char *const eve_spec_state_names[];
extern const char *const eve_spec_event_names[];
/* eve error numbers an error(errno) callback may carry (errors.tsv outcome ERROR). */
extern const int eve_spec_error_errnos[];
extern const size_t eve_spec_error_errno_count;

]=])
    string(APPEND H "/* X(ident, \"row id\") in table order; EVE_SPEC_ROW_<ident> indexes eve_spec_rows. */\n")
    string(APPEND H "#define EVE_SPEC_ROW_IDS(X)")
    set(C "/* Generated by spec/gen/specgen.cmake from the spec tables. Do not edit. */\n")
    string(APPEND C "#include \"eve_spec_tables.h\"\n#include \"eve/pipe.h\"\n\n")
    string(APPEND C "const eve_spec_row eve_spec_rows[] = {\n")
    foreach(_i IN LISTS transitions_ROWS)
        set(_id "${transitions_${_i}_id}")
        spec_c_ident(_ci "${_id}")
        string(APPEND H " \\\n    X(${_ci}, \"${_id}\")")
        set(_rm 0)
        foreach(_r IN LISTS TR_${_i}_COVERS)
            string(TOUPPER "${_r}" _ru)
            string(APPEND _rm "|EVE_SPEC_ROLE_${_ru}")
        endforeach()
        set(_g "EVE_SPEC_G_NONE")
        if(NOT transitions_${_i}_guard STREQUAL "-")
            set(_g "EVE_SPEC_G_${transitions_${_i}_guard}")
        endif()
        set(_cbc "")
        set(_n 0)
        foreach(_cb IN LISTS TR_${_i}_CBS)
            math(EXPR _n "${_n} + 1")
            if(_cb STREQUAL "data(len)")
                string(APPEND _cbc "{EVE_SPEC_CB_DATA, EVE_SPEC_ARG_LEN, 0}, ")
            elseif(_cb STREQUAL "writable")
                string(APPEND _cbc "{EVE_SPEC_CB_WRITABLE, EVE_SPEC_ARG_NONE, 0}, ")
            elseif(_cb STREQUAL "error(errno)")
                string(APPEND _cbc "{EVE_SPEC_CB_ERROR, EVE_SPEC_ARG_ERRNO, 0}, ")
            elseif(_cb MATCHES "^error\\((.*)\\)$")
                string(APPEND _cbc "{EVE_SPEC_CB_ERROR, EVE_SPEC_ARG_EXACT, ${CMAKE_MATCH_1}}, ")
            elseif(_cb STREQUAL "close(pending)")
                string(APPEND _cbc "{EVE_SPEC_CB_CLOSE, EVE_SPEC_ARG_PENDING, 0}, ")
            elseif(_cb MATCHES "^close\\((.*)\\)$")
                string(APPEND _cbc "{EVE_SPEC_CB_CLOSE, EVE_SPEC_ARG_EXACT, EVE_CLOSE_${CMAKE_MATCH_1}}, ")
            endif()
        endforeach()
        if(_n EQUAL 0)
            set(_cbc "{0, 0, 0}, ")
        endif()
        if(_n LESS 2)
            string(APPEND _cbc "{0, 0, 0}")
        endif()
        string(REGEX REPLACE ", $" "" _cbc "${_cbc}")
        set(_ret "${transitions_${_i}_returns}")
        if(_ret STREQUAL "-")
            set(_rk "EVE_SPEC_RET_NONE, 0")
        elseif(_ret STREQUAL "!")
            set(_rk "EVE_SPEC_RET_FORBIDDEN, 0")
        elseif(_ret STREQUAL "errno")
            set(_rk "EVE_SPEC_RET_ERRNO, 0")
        elseif(_ret STREQUAL "size")
            set(_rk "EVE_SPEC_RET_SIZE, 0")
        else()
            set(_rk "EVE_SPEC_RET_EXACT, ${_ret}")
        endif()
        set(_ef "0")
        foreach(_x IN LISTS TR_${_i}_EFFECTS)
            spec_c_ident(_xi "${_x}")
            string(TOUPPER "${_xi}" _xi)
            string(APPEND _ef " | EVE_SPEC_EFF_${_xi}")
        endforeach()
        set(_rs "-1")
        if(TR_${_i}_REASON)
            set(_rs "EVE_CLOSE_${TR_${_i}_REASON}")
        endif()
        spec_unprotect(_cbt "${transitions_${_i}_callbacks}")
        string(APPEND C "    {\"${_id}\", EVE_SPEC_S_${transitions_${_i}_state}, (${_rm}),\n")
        string(APPEND C "     EVE_SPEC_V_${transitions_${_i}_event}, ${_g}, EVE_SPEC_S_${transitions_${_i}_next_state},\n")
        string(APPEND C "     ${_n}, {${_cbc}}, ${_rk},\n     ${_ef}, ${_rs},\n")
        string(APPEND C "     \"${_cbt}\", \"${_ret}\"},\n")
    endforeach()
    string(APPEND H "\n\nenum eve_spec_row_id {\n")
    string(APPEND H "#define EVE_SPEC__R(ident, id) EVE_SPEC_ROW_##ident,\n")
    string(APPEND H "    EVE_SPEC_ROW_IDS(EVE_SPEC__R)\n#undef EVE_SPEC__R\n    EVE_SPEC_ROW_COUNT\n};\n\n")
    string(APPEND C "};\nconst size_t eve_spec_row_count = sizeof eve_spec_rows / sizeof eve_spec_rows[0];\n\n")
    string(APPEND C "const char *const eve_spec_state_names[] = {\n")
    string(APPEND C "#define EVE_SPEC__S(n, v, m, r, i, t, l, o) #n,\n    EVE_SPEC_STATES(EVE_SPEC__S)\n#undef EVE_SPEC__S\n};\n")
    string(APPEND C "const char *const eve_spec_event_names[] = {\n")
    string(APPEND C "#define EVE_SPEC__V(n, m, k, r) #n,\n    EVE_SPEC_EVENTS(EVE_SPEC__V)\n#undef EVE_SPEC__V\n};\n")
    set(_errs "")
    foreach(_i IN LISTS errors_ROWS)
        if(errors_${_i}_outcome STREQUAL "ERROR" AND NOT "${errors_${_i}_eve_name}" IN_LIST _errs)
            list(APPEND _errs "${errors_${_i}_eve_name}")
        endif()
    endforeach()
    string(REPLACE ";" ", " _errs "${_errs}")
    string(APPEND C "const int eve_spec_error_errnos[] = {${_errs}};\n")
    string(APPEND C "const size_t eve_spec_error_errno_count =\n    sizeof eve_spec_error_errnos / sizeof eve_spec_error_errnos[0];\n\n")
    # The tables agree with the public headers (also checked by the lint, by text).
    foreach(_i IN LISTS errors_ROWS)
        string(APPEND C "_Static_assert(${errors_${_i}_eve_name} == ${errors_${_i}_eve_value}, \"${errors_${_i}_id}: eve_value\");\n")
    endforeach()
    foreach(_s IN LISTS STATE_NAMES)
        if(states_${ST_${_s}}_machine STREQUAL "end" AND NOT states_${ST_${_s}}_value STREQUAL "-1")
            string(APPEND C "_Static_assert(EVE_PIPE_${_s} == ${states_${ST_${_s}}_value}, \"S-${_s}: value\");\n")
        endif()
    endforeach()
    # Close reasons and write results as X-macros for reports.
    string(APPEND H "/* X(\"id\", reason value or -1) */\n#define EVE_SPEC_CLOSE_REASONS(X)")
    foreach(_i IN LISTS close_reasons_ROWS)
        set(_v "${close_reasons_${_i}_value}")
        if(_v STREQUAL "-")
            set(_v "-1")
        endif()
        string(APPEND H " \\\n    X(\"${close_reasons_${_i}_id}\", ${_v})")
    endforeach()
    string(APPEND H "\n\n/* X(\"id\", \"transition row id\") */\n#define EVE_SPEC_WRITE_RESULTS(X)")
    foreach(_i IN LISTS write_results_ROWS)
        string(APPEND H " \\\n    X(\"${write_results_${_i}_id}\", \"${write_results_${_i}_row}\")")
    endforeach()
    string(APPEND H "\n\n")
endmacro()
