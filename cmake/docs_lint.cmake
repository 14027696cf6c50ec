# docs_lint.cmake: the Markdown files say only what is true of this repository.
#   cmake -DROOT=<repo> -P docs_lint.cmake
# Fails, naming file and line, on:
# - a path in backticks that starts with one of the repository's folders (or ./, ../) and
#   names nothing, relative to the root or to the document's folder. Spans with a
#   placeholder (<x>, *, {a,b}, $VAR, ..., an all-capitals part such as NAME), spaces or
#   a build/ prefix (made by a build) are not paths to check;
# - "issue N": the repository has no issue tracker a reader can follow;
# - DESIGN.md, which is not part of the repository;
# - a size of the mutant zoo ("N deliberately broken variants", "(N mutants)") other than
#   the number of tests/mutants/*.patch.
cmake_minimum_required(VERSION 3.20)
if(NOT DEFINED ROOT)
    message(FATAL_ERROR "docs_lint: -DROOT=<repository> is required")
endif()

set(_roots spec ref tests fuzz ci bench winsim cmake .github .clusterfuzzlite .ci)
file(GLOB _docs "${ROOT}/*.md")
foreach(_d IN LISTS _roots)
    file(GLOB_RECURSE _more "${ROOT}/${_d}/*.md")
    list(APPEND _docs ${_more})
endforeach()

file(GLOB _patches "${ROOT}/tests/mutants/*.patch")
list(LENGTH _patches _nmutants)

set(_problems "")
set(_nproblems 0)
set(_npaths 0)
foreach(_doc IN LISTS _docs)
    file(RELATIVE_PATH _rel "${ROOT}" "${_doc}")
    get_filename_component(_dir "${_doc}" DIRECTORY)
    file(READ "${_doc}" _text)
    # List separators and brackets in the text must not split or group the lines.
    string(REPLACE ";" "<SC>" _text "${_text}")
    string(REPLACE "[" "<LB>" _text "${_text}")
    string(REPLACE "]" "<RB>" _text "${_text}")
    string(REPLACE "\n" ";" _lines "${_text}")
    set(_ln 0)
    foreach(_line IN LISTS _lines)
        math(EXPR _ln "${_ln} + 1")
        if(_line MATCHES "[Ii]ssue [0-9]+|DESIGN\\.md")
            string(APPEND _problems "${_rel}:${_ln}: cites \"${CMAKE_MATCH_0}\"\n")
            math(EXPR _nproblems "${_nproblems} + 1")
        endif()
        if(_line MATCHES "([0-9]+) deliberately broken variants|\\(([0-9]+) mutants\\)")
            set(_n "${CMAKE_MATCH_1}${CMAKE_MATCH_2}")
            if(NOT _n EQUAL _nmutants)
                string(APPEND _problems "${_rel}:${_ln}: says ${_n} mutants, "
                                        "tests/mutants has ${_nmutants} patches\n")
                math(EXPR _nproblems "${_nproblems} + 1")
            endif()
        endif()
        string(REGEX MATCHALL "`[^`]+`" _spans "${_line}")
        foreach(_span IN LISTS _spans)
            string(REGEX REPLACE "^`|`$" "" _p "${_span}")
            if(_p MATCHES "[ <>*{}$]|\\.\\.\\.|<SC>|<LB>|(^|/)[A-Z][A-Z_]*(/|\\.|$)|^build/")
                continue()
            endif()
            string(REGEX REPLACE "[/:]$" "" _p "${_p}")
            string(REGEX REPLACE "^([^/]+)/.*" "\\1" _first "${_p}")
            list(FIND _roots "${_first}" _is_root)
            if(_p MATCHES "^\\.\\.?/")
                set(_is_root 0)
            endif()
            if(_is_root EQUAL -1 OR NOT _p MATCHES "/")
                continue()
            endif()
            math(EXPR _npaths "${_npaths} + 1")
            if(NOT EXISTS "${ROOT}/${_p}" AND NOT EXISTS "${_dir}/${_p}")
                string(APPEND _problems "${_rel}:${_ln}: `${_p}` does not exist\n")
                math(EXPR _nproblems "${_nproblems} + 1")
            endif()
        endforeach()
    endforeach()
endforeach()
list(LENGTH _docs _ndocs)
if(_nproblems GREATER 0)
    message(FATAL_ERROR "docs_lint: ${_nproblems} problem(s) in ${_ndocs} documents:\n"
                        "${_problems}")
endif()
message(STATUS "docs_lint: ${_ndocs} documents, ${_npaths} paths, all present")
