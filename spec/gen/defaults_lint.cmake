# defaults_lint.cmake: the config defaults spec/DECISIONS.md item 8 states are the ones the
# code uses. Every user of a default takes it from ref/include/eve/pipe.h's
# EVE_PIPE_DEFAULT_* macros, and ref/src/pair.c holds the reference's pair kernel buffer;
# this checks both against the prose.
#
#   cmake -DDECISIONS=<spec/DECISIONS.md> -DPIPE_H=<eve/pipe.h> -DPAIR_C=<ref/src/pair.c>
#         -P defaults_lint.cmake
cmake_minimum_required(VERSION 3.20)

foreach(_v DECISIONS PIPE_H PAIR_C)
    if(NOT DEFINED ${_v})
        message(FATAL_ERROR "defaults_lint: -D${_v}=... is required")
    endif()
endforeach()

set(_problems "")

# "<n> KiB", "<n> MiB" or a plain byte count, in bytes.
function(_bytes _out _n _unit)
    if(_unit STREQUAL "KiB")
        math(EXPR _n "${_n} * 1024")
    elseif(_unit STREQUAL "MiB")
        math(EXPR _n "${_n} * 1024 * 1024")
    endif()
    set(${_out} ${_n} PARENT_SCOPE)
endfunction()

# Item 8 of DECISIONS.md, its line breaks and indentation folded to single spaces.
file(READ "${DECISIONS}" _d)
if(NOT _d MATCHES "\n8\\. Defaults([^\n]*(\n   [^\n]*)*)")
    message(FATAL_ERROR "${DECISIONS}: no item \"8. Defaults\"")
endif()
string(REGEX REPLACE "[ \n]+" " " _item "${CMAKE_MATCH_1}")

# A macro's value in a C file: "((size_t)a * b * c)" or a plain number.
function(_c_value _out _text _name)
    if(NOT _text MATCHES "#define ${_name} ([^\n]+)")
        set(${_out} "" PARENT_SCOPE)
        return()
    endif()
    string(REGEX REPLACE "\\(size_t\\)|[()]" "" _e "${CMAKE_MATCH_1}")
    string(REGEX REPLACE "/\\*.*" "" _e "${_e}")
    math(EXPR _v "${_e}")
    set(${_out} ${_v} PARENT_SCOPE)
endfunction()

file(READ "${PIPE_H}" _h)
file(READ "${PAIR_C}" _p)
# field @ what item 8 says of it (a regex: the value in group 1, its unit in group 2) @
# the macro that holds it
set(_checks
    "buffer_size@buffer_size ([0-9]+)()[ (,]@EVE_PIPE_DEFAULT_BUFFER_SIZE"
    "high_water@high_water ([0-9]+) (KiB|MiB)@EVE_PIPE_DEFAULT_HIGH_WATER"
    "low_water divisor@low_water default high_water/([0-9]+)()@EVE_PIPE_DEFAULT_LOW_WATER_DIVISOR"
    "max_write_batch@max_write_batch default ([0-9]+) (KiB|MiB)@EVE_PIPE_DEFAULT_MAX_WRITE_BATCH"
    "pair kernel buffer@pair kernel buffer ([0-9]+) (KiB|MiB)@EVE__DEFAULT_KERNEL_BUFFER")
foreach(_c IN LISTS _checks)
    string(REPLACE "@" ";" _c "${_c}")
    list(GET _c 0 _field)
    list(GET _c 1 _re)
    list(GET _c 2 _macro)
    if(NOT _item MATCHES "${_re}")
        string(APPEND _problems "  DECISIONS.md item 8 states no default for ${_field}\n")
        continue()
    endif()
    string(STRIP "${CMAKE_MATCH_2}" _unit)
    _bytes(_want "${CMAKE_MATCH_1}" "${_unit}")
    if(_macro MATCHES "^EVE__")
        _c_value(_have "${_p}" "${_macro}")
        set(_where "${PAIR_C}")
    else()
        _c_value(_have "${_h}" "${_macro}")
        set(_where "${PIPE_H}")
    endif()
    if(_have STREQUAL "")
        string(APPEND _problems "  ${_where} defines no ${_macro}\n")
    elseif(NOT _have EQUAL _want)
        string(APPEND _problems
               "  ${_field}: DECISIONS.md item 8 says ${_want}, ${_macro} is ${_have}\n")
    else()
        message(STATUS "${_field}: ${_have} (${_macro})")
    endif()
endforeach()
if(NOT _problems STREQUAL "")
    message(FATAL_ERROR "defaults_lint: the code disagrees with spec/DECISIONS.md:\n${_problems}")
endif()
message(STATUS "defaults_lint: every default agrees with spec/DECISIONS.md item 8")
