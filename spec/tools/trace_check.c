/* trace_check.c: eve_trace_check TRACE_FILE [COVERAGE_OUT]
 *
 * Checks a text trace written by any implementation (any language) against the spec, with
 * the same monitor the C suite uses. Exit 0: every step allowed; 1: a violation (printed);
 * 2: usage or an unreadable/malformed trace. Format: spec/README.md, "Validating another
 * implementation". Optionally writes the row coverage ("row_id<TAB>hits").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eve_monitor.h"
#include "eve_spec_tables.h"

#define MAX_ENDS 256
#define NAME_LEN 64

static const char *const call_names[] = {
#define TC__NAME(n) #n,
    EVE_MON_CALLS(TC__NAME)
#undef TC__NAME
};
static const char *const cb_names[] = {
#define TC__NAME(n) #n,
    EVE_MON_CBS(TC__NAME)
#undef TC__NAME
};

/* Each end token gets a distinct key: the address of its slot. */
static char end_names[MAX_ENDS][NAME_LEN];
static size_t end_count;

static const void *end_key(const char *tok)
{
    size_t i;
    if (strcmp(tok, "-") == 0)
        return NULL;
    for (i = 0; i < end_count; i++)
        if (strcmp(end_names[i], tok) == 0)
            return end_names[i];
    if (end_count == MAX_ENDS || strlen(tok) >= NAME_LEN)
        return NULL;
    strcpy(end_names[end_count], tok);
    return end_names[end_count++];
}

static int lookup(const char *const *names, int n, const char *tok)
{
    int i;
    for (i = 0; i < n; i++)
        if (strcmp(names[i], tok) == 0)
            return i;
    return -1;
}

/* One line; 0 on success, -1 if malformed. */
static int step(eve_monitor *mon, const char *line)
{
    char verb[32], a[NAME_LEN], b[32];
    long long x = 0, y = 0, z = 0;
    int call, cb;

    if (sscanf(line, "%31s", verb) != 1 || verb[0] == '#')
        return 0;
    if (strcmp(verb, "call") == 0 && sscanf(line, "%*s %63s %31s %lld %lld", a, b, &x, &y) == 4 &&
        (call = lookup(call_names, EVE_MON_CALL_COUNT, b)) >= 0)
        eve_monitor_call(mon, end_key(a), (eve_mon_call)call, x, y);
    else if (strcmp(verb, "begin") == 0 && sscanf(line, "%*s %63s %31s", a, b) == 2 &&
             (call = lookup(call_names, EVE_MON_CALL_COUNT, b)) >= 0)
        eve_monitor_call_begin(mon, end_key(a), (eve_mon_call)call);
    else if (strcmp(verb, "cb") == 0 && sscanf(line, "%*s %63s %31s %lld", a, b, &x) == 3 &&
             (cb = lookup(cb_names, EVE_MON_CB_COUNT, b)) >= 0)
        eve_monitor_callback(mon, end_key(a), (eve_mon_cb)cb, x);
    else if (strcmp(verb, "done") == 0 && sscanf(line, "%*s %63s %31s", a, b) == 2 &&
             (cb = lookup(cb_names, EVE_MON_CB_COUNT, b)) >= 0)
        eve_monitor_callback_done(mon, end_key(a), (eve_mon_cb)cb);
    else if (strcmp(verb, "limits") == 0 &&
             sscanf(line, "%*s %63s %lld %lld %lld", a, &x, &y, &z) == 4 && x >= 0 && y >= 0 &&
             z >= 0)
        eve_monitor_set_limits(mon, end_key(a), (size_t)x, (size_t)y, (size_t)z);
    else if (strcmp(verb, "loop_returned") == 0 && sscanf(line, "%*s %lld", &x) == 1)
        eve_monitor_loop_returned(mon, (int)x);
    else if (strcmp(verb, "loop_closed") == 0 && sscanf(line, "%*s %lld", &x) == 1)
        eve_monitor_loop_closed(mon, (int)x);
    else
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    char line[512];
    unsigned long n = 0;
    int rc = 0;
    FILE *f;
    eve_monitor *mon;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: eve_trace_check TRACE_FILE [COVERAGE_OUT]\n");
        return 2;
    }
    f = fopen(argv[1], "r");
    mon = eve_monitor_create();
    if (f == NULL || mon == NULL) {
        fprintf(stderr, "eve_trace_check: cannot read %s\n", argv[1]);
        return 2;
    }
    while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
        n++;
        if (step(mon, line) != 0) {
            fprintf(stderr, "%s:%lu: malformed step: %s", argv[1], n, line);
            rc = 2;
        } else if (!eve_monitor_ok(mon)) {
            printf("%s:%lu: %s\n", argv[1], n, eve_monitor_failure(mon));
            rc = 1;
        }
    }
    fclose(f);
    eve_monitor_free(mon);
    if (rc == 0)
        printf("%s: %lu lines, every step allowed by spec %s\n", argv[1], n,
               EVE_SPEC_TABLES_VERSION);
    if (argc == 3 && eve_monitor_dump_coverage(argv[2]) != 0) {
        fprintf(stderr, "eve_trace_check: cannot write %s\n", argv[2]);
        rc = rc ? rc : 2;
    }
    return rc;
}
