# EveLint: repository-wide checks, registered as ctest tests of the native flavour only
# (they look at sources, not at a build, so one flavour is enough).
if(NOT EVE_FLAVOUR STREQUAL "native")
    return()
endif()

set(_eve_root "${CMAKE_CURRENT_LIST_DIR}/..")
get_filename_component(_eve_root "${_eve_root}" ABSOLUTE)

find_program(EVE_CLANG_FORMAT NAMES clang-format-14 clang-format)
if(EVE_CLANG_FORMAT)
    add_test(NAME lint.format COMMAND "${_eve_root}/ci/format-check")
    set_tests_properties(lint.format PROPERTIES
        ENVIRONMENT "CLANG_FORMAT=${EVE_CLANG_FORMAT}" LABELS "native;lint" TIMEOUT 120)
endif()

find_program(EVE_YAMLLINT NAMES yamllint)
if(EVE_YAMLLINT)
    add_test(NAME lint.yaml COMMAND "${EVE_YAMLLINT}" --strict .github .yamllint
             WORKING_DIRECTORY "${_eve_root}")
    set_tests_properties(lint.yaml PROPERTIES LABELS "native;lint" TIMEOUT 120)
endif()

# Shell scripts under ci/ (and ci/lib/), .ci/, tests/*/ and fuzz/tools/ (in the last two,
# the files with no dot in their name):
# shellcheck (warnings and worse) where installed, else at least bash -n.
file(GLOB _eve_scripts LIST_DIRECTORIES false "${_eve_root}/ci/*" "${_eve_root}/ci/lib/*"
     "${_eve_root}/.ci/*")
list(FILTER _eve_scripts EXCLUDE REGEX "\\.(cmake|txt|md)$|/format-exclude$")
file(GLOB _eve_test_scripts LIST_DIRECTORIES false "${_eve_root}/tests/*/*"
     "${_eve_root}/ref/tests/*" "${_eve_root}/fuzz/tools/*")
list(FILTER _eve_test_scripts EXCLUDE REGEX "/[^/]*\\.[^/]*$|/CMakeLists.txt$")
list(APPEND _eve_scripts ${_eve_test_scripts})
find_program(EVE_SHELLCHECK NAMES shellcheck)
if(EVE_SHELLCHECK)
    add_test(NAME lint.shell COMMAND "${EVE_SHELLCHECK}" -S warning ${_eve_scripts})
else()
    add_test(NAME lint.shell COMMAND bash -c "for f; do bash -n \"$f\" || exit 1; done" lint
             ${_eve_scripts})
endif()
set_tests_properties(lint.shell PROPERTIES LABELS "native;lint" TIMEOUT 120)

# The Markdown files: every repository path in backticks exists, no "issue N", no DESIGN.md,
# the mutant zoo's size is the number of its patches (cmake/docs_lint.cmake); and the lint
# rejects a document that breaks each rule.
add_test(NAME lint.docs COMMAND ${CMAKE_COMMAND} -DROOT=${_eve_root}
                                -P "${_eve_root}/cmake/docs_lint.cmake")
set(_eve_docs_bad "${CMAKE_BINARY_DIR}/docs-lint-bad")
configure_file("${_eve_root}/cmake/docs_lint_bad.md.in" "${_eve_docs_bad}/README.md" COPYONLY)
add_test(NAME lint.docs.rejects COMMAND ${CMAKE_COMMAND} -DROOT=${_eve_docs_bad}
                                        -P "${_eve_root}/cmake/docs_lint.cmake")
set_tests_properties(lint.docs lint.docs.rejects PROPERTIES LABELS "native;lint" TIMEOUT 120)

# Every spec row id a comment in ref/src cites names a row of spec/*.tsv.
add_test(NAME lint.row_ids COMMAND bash "${_eve_root}/ref/tests/row-ids")
set_tests_properties(lint.row_ids PROPERTIES LABELS "native;lint" TIMEOUT 60)
string(CONCAT _eve_docs_rejected "3 problem.*README.md:2: `spec/no-such-table.tsv` does not exist"
              ".*README.md:4: cites \"issue 42\""
              ".*README.md:4: says 7 mutants, tests/mutants has 0 patches")
set_tests_properties(lint.docs.rejects PROPERTIES PASS_REGULAR_EXPRESSION "${_eve_docs_rejected}")
