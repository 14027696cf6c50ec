/* report_diff.c: what changed between two saved runs (their JSON): new failures first, then
 * tests the new run no longer has, fixed tests, rows newly covered or no longer covered, rows
 * no longer in the tables, and every other changed outcome (fail -> timeout, pass ->
 * skip...). A regression is a new failure, a test no longer run, or a row that was covered
 * and is not any more (gone from the new run's tables included). */
#include "report.h"

#include <string.h>

/* Outcomes that fail a run. */
static int is_failure(const char *outcome)
{
    return strcmp(outcome, "fail") == 0 || strcmp(outcome, "timeout") == 0 ||
           strcmp(outcome, "crash") == 0 || strcmp(outcome, "xpass") == 0;
}

static int is_covered(const char *status)
{
    return strcmp(status, "exercised") == 0 || strcmp(status, "cited_not_observable") == 0;
}

/* The element of array arr whose "id" is id (and whose "table" is table, if given). */
static const jv *find_by_id(const jv *arr, const char *id, const char *table)
{
    size_t i;
    for (i = 0; arr != NULL && arr->type == J_ARR && i < arr->n; i++) {
        const jv *e = arr->items[i];
        if (strcmp(json_str(e, "id", ""), id) == 0 &&
            (table == NULL || strcmp(json_str(e, "table", ""), table) == 0))
            return e;
    }
    return NULL;
}

enum change {
    NEW_FAILURE,
    TEST_GONE,
    FIXED,
    ROW_COVERED,
    ROW_UNCOVERED,
    ROW_GONE,
    CHANGED,
    NCHANGES
};
static const char *const change_title[NCHANGES] = {
    "New failures",          "Tests no longer run",    "Fixed",
    "Rows newly covered",    "Rows no longer covered", "Rows no longer in the tables",
    "Other changed outcomes"};
static const char *const change_count[NCHANGES] = {
    "new failures",           "tests no longer run",          "fixed",        "rows newly covered",
    "rows no longer covered", "rows no longer in the tables", "other changes"};

/* Prints the title of section which before its first line; returns n + 1. */
static int next_line(int which, int n)
{
    if (n == 0)
        printf("%s:\n", change_title[which]);
    return n + 1;
}

/* The elements of old's array key (tests or rows) that new_ lacks, with their field
 * (outcome or status): TEST_GONE every test; ROW_UNCOVERED the rows that were covered,
 * ROW_GONE the others. Returns n plus how many it printed. */
static int gone(const jv *old, const jv *new_, int which, int n)
{
    int tests = which == TEST_GONE;
    const jv *o = json_get(old, tests ? "tests" : "rows"),
             *now = json_get(new_, tests ? "tests" : "rows");
    size_t i;
    for (i = 0; o != NULL && o->type == J_ARR && i < o->n; i++) {
        const jv *e = o->items[i];
        const char *id = json_str(e, "id", "?"),
                   *was = json_str(e, tests ? "outcome" : "status", "?");
        if (find_by_id(now, id, tests ? NULL : json_str(e, "table", NULL)) != NULL ||
            (!tests && is_covered(was) != (which == ROW_UNCOVERED)))
            continue;
        n = next_line(which, n);
        printf("  %-44s %s -> absent\n", id, was);
    }
    return n;
}

/* Prints one section of changes (each test or row once); returns how many it printed. */
static int tests_section(const jv *old, const jv *new_, int which)
{
    const jv *ot = json_get(old, "tests"), *nt = json_get(new_, "tests");
    size_t i;
    int n = 0;
    if (which == TEST_GONE)
        return gone(old, new_, which, 0);
    for (i = 0; nt != NULL && nt->type == J_ARR && i < nt->n; i++) {
        const jv *t = nt->items[i];
        const char *id = json_str(t, "id", "?"), *now = json_str(t, "outcome", "?");
        const jv *before = find_by_id(ot, id, NULL);
        const char *was = before ? json_str(before, "outcome", "?") : "absent";
        int hit;
        if (strcmp(was, now) == 0)
            continue;
        if (which == NEW_FAILURE)
            hit = is_failure(now) && !is_failure(was);
        else if (which == FIXED)
            hit = is_failure(was) && !is_failure(now);
        else
            hit = !(is_failure(now) && !is_failure(was)) && !(is_failure(was) && !is_failure(now));
        if (!hit)
            continue;
        n = next_line(which, n);
        printf("  %-44s %s -> %s", id, was, now);
        if (which == NEW_FAILURE && json_str(t, "message", NULL) != NULL)
            printf(": %.160s", json_str(t, "message", ""));
        printf("\n");
    }
    return n;
}

/* Rows newly covered, no longer covered (those the new run lacks included), or no longer in
 * the tables. */
static int rows_section(const jv *old, const jv *new_, int which)
{
    const jv *orows = json_get(old, "rows"), *nrows_ = json_get(new_, "rows");
    size_t i;
    int n = 0;
    for (i = 0; which != ROW_GONE && nrows_ != NULL && nrows_->type == J_ARR && i < nrows_->n;
         i++) {
        const jv *r = nrows_->items[i];
        const char *id = json_str(r, "id", "?"), *now = json_str(r, "status", "?");
        const jv *before = find_by_id(orows, id, json_str(r, "table", NULL));
        const char *was = before ? json_str(before, "status", "?") : "absent";
        int hit = which == ROW_COVERED ? is_covered(now) && !is_covered(was)
                                       : is_covered(was) && !is_covered(now);
        if (!hit)
            continue;
        n = next_line(which, n);
        printf("  %-44s %s -> %s\n", id, was, now);
    }
    return which == ROW_COVERED ? n : gone(old, new_, which, n);
}

int compare_runs(const jv *old, const jv *new_, const char *old_name, const char *new_name)
{
    int counts[NCHANGES], c;
    const jv *orun = json_get(old, "run"), *nrun = json_get(new_, "run");

    if (strcmp(json_str(old, "schema", ""), REPORT_SCHEMA) != 0 ||
        strcmp(json_str(new_, "schema", ""), REPORT_SCHEMA) != 0) {
        fprintf(stderr, "eve_report: --compare needs two %s files\n", REPORT_SCHEMA);
        return 2;
    }
    printf("Changes from %s (%s, %s) to %s (%s, %s):\n", old_name,
           json_str(orun, "implementation", "?"), json_str(orun, "date", "?"), new_name,
           json_str(nrun, "implementation", "?"), json_str(nrun, "date", "?"));
    counts[NEW_FAILURE] = tests_section(old, new_, NEW_FAILURE);
    counts[TEST_GONE] = tests_section(old, new_, TEST_GONE);
    counts[FIXED] = tests_section(old, new_, FIXED);
    counts[ROW_COVERED] = rows_section(old, new_, ROW_COVERED);
    counts[ROW_UNCOVERED] = rows_section(old, new_, ROW_UNCOVERED);
    counts[ROW_GONE] = rows_section(old, new_, ROW_GONE);
    counts[CHANGED] = tests_section(old, new_, CHANGED);
    printf("compare:");
    for (c = 0; c < NCHANGES; c++)
        printf("%s %d %s", c ? "," : "", counts[c], change_count[c]);
    printf("\n");
    if (counts[NEW_FAILURE] + counts[TEST_GONE] + counts[ROW_UNCOVERED] > 0) {
        printf("compare: regressed\n");
        return 1;
    }
    printf("compare: no regression\n");
    return 0;
}
