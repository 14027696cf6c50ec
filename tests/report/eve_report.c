/* eve_report.c: merge the suite's results files into the conformance report.
 *
 * Host tool, portable C11 (no POSIX, no Windows API). Inputs:
 *   - the test registry, compiled in from tests/harness/test-list.h;
 *   - the results files the suite wrote (one per area process: "impl", "run", "unobservable",
 *     "time", "test" and "row" lines);
 *   - the spec tables (every row of transitions, close_reasons, write_results, errors),
 *     whose "coverage" column says why a row cannot be provoked ("unprovokable: <why>");
 *   - an expectations file: known failures by test id, one per line, '#' comments.
 * Output: the area table (passed / failed / timed out / crashed / expected-fail /
 * unexpected-pass / skipped), the failures, every row of every table with its coverage, and
 * on request JUnit XML, JSON (README.md: the schema) and an HTML page. A timeout or a crash
 * is not a failed assertion: each has its own column, and an expectations entry covers it as
 * it covers a failure. A row counts as exercised only when the monitor saw a passing test
 * take it; a row the monitor cannot see is "cited, not observable"; a citation of an unknown
 * row, or of an observable row the citing test's passing run never took, fails the run.
 *
 *   eve_report --spec DIR [--expect FILE] [--impl NAME] [--junit F] [--json F] [--html F]
 *              [--compare OLD.json] [--no-win32] [--quiet-rows] RESULTS...
 *   eve_report --compare OLD.json NEW.json      what changed between two saved runs
 *   eve_report --html OUT.html --from RUN.json  the page of a saved run
 *
 * Exit status: 0 when every result is as expected (and, with --compare, nothing regressed),
 * 1 otherwise, 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eve/version.h"
#include "report.h"
#include "test-list.h"

const char *const status_word[NSTATUS] = {"", "pass", "fail", "skip", "timeout", "crash"};
const char *const verdict_outcome[NVERDICTS] = {"pass",  "fail",  "timeout", "crash",
                                                "xfail", "xpass", "skip"};
static const char *const verdict_name[] = {"pass",  "FAIL",  "TIMEOUT", "CRASH",
                                           "xfail", "XPASS", "skip"};
static const char *const verdict_column[] = {"PASS",  "FAIL",  "TIMEOUT", "CRASH",
                                             "XFAIL", "XPASS", "SKIP"};
const char *const category_name[NCATEGORIES] = {"exercised", "cited_not_observable", "justified",
                                                "uncovered"};

const char *const tables[] = {"transitions.tsv", "close_reasons.tsv", "write_results.tsv",
                              "errors.tsv"};
const size_t ntables = sizeof tables / sizeof tables[0];
enum { TABLE_TRANSITIONS = 0, TABLE_ERRORS = 3 };

#define R__ENTRY(id, area, rows) {#id, area, rows, 0, 0, 0, NULL, -1},
#define R__ENTRY_W(id, area, rows) {#id, area, rows, 1, 0, 0, NULL, -1},
/* win32 2: winsim-only (EVE_TESTS_WINSIM), built by the native flavour alone. */
#define R__ENTRY_S(id, area, rows) {#id, area, rows, 2, 0, 0, NULL, -1},
test tests[] = {EVE_TESTS_COMMON(R__ENTRY) EVE_TESTS_WIN32(R__ENTRY_W)
                    EVE_TESTS_WINSIM(R__ENTRY_S)};
const size_t ntests = sizeof tests / sizeof tests[0];

row *rows;
size_t nrows;
static size_t crows;
citation_error *cite_errors;
size_t ncite_errors;
run_info run = {"ref", "?", "?", "?", "?", "?", "", NULL, 0, 0};

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d == NULL) {
        fprintf(stderr, "eve_report: out of memory\n");
        exit(2);
    }
    memcpy(d, s, n);
    return d;
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

/* Split s at tabs in place; returns the number of fields (at most max). */
static int split_tabs(char *s, char **f, int max)
{
    int n = 0;
    f[n++] = s;
    for (; *s && n < max; s++)
        if (*s == '\t') {
            *s = '\0';
            f[n++] = s + 1;
        }
    return n;
}

static test *find_test(const char *id)
{
    size_t i;
    for (i = 0; i < ntests; i++)
        if (strcmp(tests[i].id, id) == 0)
            return &tests[i];
    return NULL;
}

static row *find_row(const char *id)
{
    size_t i;
    for (i = 0; i < nrows; i++)
        if (strcmp(rows[i].id, id) == 0)
            return &rows[i];
    return NULL;
}

static row *add_row(const char *id, int table)
{
    row *r;
    if (nrows == crows) {
        crows = crows ? crows * 2 : 256;
        rows = realloc(rows, crows * sizeof *rows);
        if (rows == NULL) {
            fprintf(stderr, "eve_report: out of memory\n");
            exit(2);
        }
    }
    r = &rows[nrows++];
    memset(r, 0, sizeof *r);
    r->id = dupstr(id);
    r->table = table;
    return r;
}

/* The reason of a coverage cell, or NULL for "-" (the spec lint checks the form). */
static const char *gap_in(const char *cell)
{
    static const char prefix[] = "unprovokable: ";
    if (cell == NULL || *cell == '\0' || strcmp(cell, "-") == 0)
        return NULL;
    if (strncmp(cell, prefix, sizeof prefix - 1) == 0)
        return cell + sizeof prefix - 1;
    return cell;
}

static int load_table(const char *dir, int t)
{
    char path[1024], line[8192];
    char *f[32], *hdr[32];
    char hbuf[8192];
    int nh = 0, i, gapcol = -1, linkcol = -1;
    FILE *fp;

    snprintf(path, sizeof path, "%s/%s", dir, tables[t]);
    fp = fopen(path, "r");
    if (fp == NULL) {
        fprintf(stderr, "eve_report: cannot read %s\n", path);
        return -1;
    }
    while (fgets(line, sizeof line, fp) != NULL) {
        int n;
        chomp(line);
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (nh == 0) {
            snprintf(hbuf, sizeof hbuf, "%s", line);
            nh = split_tabs(hbuf, hdr, 32);
            for (i = 0; i < nh; i++) {
                if (strcmp(hdr[i], "coverage") == 0)
                    gapcol = i;
                if (strcmp(hdr[i], "rows") == 0 || strcmp(hdr[i], "row") == 0)
                    linkcol = i;
            }
            if (gapcol < 0) {
                fprintf(stderr, "eve_report: %s has no coverage column\n", path);
                fclose(fp);
                return -1;
            }
            continue;
        }
        n = split_tabs(line, f, 32);
        if (find_row(f[0]) == NULL) {
            row *r = add_row(f[0], t);
            const char *g = gapcol < n ? gap_in(f[gapcol]) : NULL;
            if (g != NULL)
                r->gap = dupstr(g);
            if (linkcol >= 0 && linkcol < n && strcmp(f[linkcol], "-") != 0)
                r->links = dupstr(f[linkcol]);
        }
    }
    fclose(fp);
    return 0;
}

static void load_expectations(const char *path)
{
    char line[1024];
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        fprintf(stderr, "eve_report: no expectations file %s: every failure is unexpected\n",
                path);
        return;
    }
    while (fgets(line, sizeof line, fp) != NULL) {
        char *p = line, *e;
        test *t;
        chomp(line);
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\0')
            continue;
        for (e = p; *e && *e != ' ' && *e != '\t' && *e != '#'; e++)
            ;
        *e = '\0';
        t = find_test(p);
        if (t == NULL)
            fprintf(stderr, "eve_report: expectations name unknown test %s\n", p);
        else
            t->expected_fail = 1;
    }
    fclose(fp);
}

/* Row hits are kept per test until statuses are known: collected in a side list. */
typedef struct hit {
    test *t;
    row *r;
    unsigned long n;
} hit;
static hit *hits;
static size_t nhits, chits;

static void add_hit(test *t, row *r, unsigned long n)
{
    if (nhits == chits) {
        chits = chits ? chits * 2 : 1024;
        hits = realloc(hits, chits * sizeof *hits);
        if (hits == NULL)
            exit(2);
    }
    hits[nhits].t = t;
    hits[nhits].r = r;
    hits[nhits].n = n;
    nhits++;
}

static void set_text(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}

static void load_results(const char *path)
{
    static char line[16384];
    char *f[8];
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        fprintf(stderr, "eve_report: cannot read %s\n", path);
        return;
    }
    while (fgets(line, sizeof line, fp) != NULL) {
        int n;
        test *t;
        row *r;
        chomp(line);
        n = split_tabs(line, f, 8);
        if (n >= 4 && strcmp(f[0], "impl") == 0) {
            set_text(run.spec_version, sizeof run.spec_version, f[1]);
            set_text(run.monitor, sizeof run.monitor, f[3]);
            if (n >= 6 && strcmp(f[4], "deadline") == 0) {
                unsigned long d = strtoul(f[5], NULL, 10);
                if (d > run.deadline_max)
                    run.deadline_max = d;
                if (run.deadline_min == 0 || d < run.deadline_min)
                    run.deadline_min = d;
            }
        } else if (n >= 3 && strcmp(f[0], "run") == 0) {
            if (strcmp(f[1], "flavour") == 0)
                set_text(run.flavour, sizeof run.flavour, f[2]);
            else if (strcmp(f[1], "toolchain") == 0)
                set_text(run.toolchain, sizeof run.toolchain, f[2]);
            else if (strcmp(f[1], "platform") == 0)
                set_text(run.platform, sizeof run.platform, f[2]);
        } else if (n >= 2 && strcmp(f[0], "unobservable") == 0 && (r = find_row(f[1])) != NULL) {
            r->unobservable = 1;
        } else if (n >= 3 && strcmp(f[0], "time") == 0 && (t = find_test(f[1])) != NULL) {
            t->ms = strtol(f[2], NULL, 10);
        } else if (n >= 3 && strcmp(f[0], "test") == 0 && (t = find_test(f[1])) != NULL) {
            size_t k;
            t->status = ST_FAIL; /* a word this tool does not know is no pass */
            for (k = 1; k < NSTATUS; k++)
                if (strcmp(f[2], status_word[k]) == 0)
                    t->status = (int)k;
            if (t->status == ST_TIMEOUT)
                t->ms = (long)run.deadline_max * 1000;
            free(t->msg);
            t->msg = dupstr(n >= 4 ? f[3] : "");
        } else if (n >= 4 && strcmp(f[0], "row") == 0 && (t = find_test(f[1])) != NULL &&
                   (r = find_row(f[2])) != NULL) {
            add_hit(t, r, strtoul(f[3], NULL, 10));
        }
    }
    fclose(fp);
}

int verdict(const test *t)
{
    if (t->status == ST_SKIP)
        return V_SKIP;
    if (t->status == ST_PASS)
        return t->expected_fail ? V_XPASS : V_PASS;
    if (t->expected_fail)
        return V_XFAIL;
    return t->status == ST_TIMEOUT ? V_TIMEOUT : t->status == ST_CRASH ? V_CRASH : V_FAIL;
}

/* Verdicts that fail the run. */
static int is_bad(int v)
{
    return v == V_FAIL || v == V_TIMEOUT || v == V_CRASH || v == V_XPASS;
}

/* Calls fn(id) for each row id of a ';'- or ' '-separated list. */
static void each_id(const char *list, const char *seps, void (*fn)(const char *id, void *ctx),
                    void *ctx)
{
    while (list != NULL && *list) {
        char id[128];
        size_t n;
        list += strspn(list, seps);
        n = strcspn(list, seps);
        if (n == 0)
            break;
        if (n < sizeof id) {
            memcpy(id, list, n);
            id[n] = '\0';
            fn(id, ctx);
        }
        list += n;
    }
}

/* Tests with no result, in this flavour's terms. */
static void settle_missing(int no_win32)
{
    size_t i;
    for (i = 0; i < ntests; i++) {
        test *t = &tests[i];
        if (t->status == ST_MISSING && t->win32 == 1 && no_win32) {
            t->status = ST_SKIP;
            t->msg = dupstr("Windows-only test, not built in this flavour");
        }
        if (t->status == ST_MISSING && t->win32 == 2 && !no_win32) {
            t->status = ST_SKIP;
            t->msg = dupstr("winsim-only test, built by the native flavour alone");
        }
        if (t->status == ST_MISSING) {
            t->status = ST_FAIL;
            t->msg = dupstr("no result: the test was not run");
        }
    }
}

typedef struct link_ctx {
    row *r;
    int pass;       /* 0: observability, 1: hits */
    const test *in; /* for taken_in: the test whose hits count */
    int taken;
} link_ctx;

static int taken_by(const test *t, const row *r)
{
    size_t k;
    for (k = 0; k < nhits; k++)
        if (hits[k].t == t && hits[k].r == r)
            return 1;
    return 0;
}

static void link_row(const char *id, void *ctx)
{
    link_ctx *c = ctx;
    row *t = find_row(id);
    if (t == NULL)
        return;
    if (c->pass == 0 && !t->unobservable)
        c->r->observable = 1;
    if (c->pass == 1 && t->hits > 0) {
        c->r->hits += t->hits;
        if (c->r->by == NULL)
            c->r->by = t->by;
    }
    if (c->pass == 2 && taken_by(c->in, t))
        c->taken = 1;
}

/* Which rows the monitor can see: transitions rows unless the results list them as
 * unobservable; close-reason and write-result rows through the transitions rows they name;
 * errors rows never (the monitor sees results and callbacks, not Win32 errors). */
static void settle_observability(void)
{
    size_t i;
    for (i = 0; i < nrows; i++) {
        row *r = &rows[i];
        if (r->table == TABLE_TRANSITIONS) {
            r->observable = !r->unobservable;
            r->why_not_observable = "a kernel step with no callback, or one an earlier row "
                                    "explains identically: invisible from outside";
        } else if (r->table == TABLE_ERRORS) {
            r->observable = 0;
            r->why_not_observable = "the monitor sees eve results and callbacks, not the "
                                    "Win32 error behind them";
        } else {
            link_ctx c = {r, 0, NULL, 0};
            each_id(r->links, ";", link_row, &c);
            r->why_not_observable = r->links ? "every transitions row it stands for is "
                                               "invisible from outside"
                                             : "it names no transitions row";
        }
    }
}

static void add_cite_error(const char *test_id, const char *row_id, const char *why)
{
    citation_error *e = realloc(cite_errors, (ncite_errors + 1) * sizeof *e);
    if (e == NULL)
        exit(2);
    cite_errors = e;
    cite_errors[ncite_errors].test = test_id;
    cite_errors[ncite_errors].row = dupstr(row_id);
    cite_errors[ncite_errors].why = why;
    ncite_errors++;
}

/* Whether the monitor saw test t take row r (for a close-reason or write-result row: one of
 * the transitions rows it stands for). */
static int taken_in(const test *t, row *r)
{
    link_ctx c = {r, 2, t, 0};
    if (r->table == TABLE_TRANSITIONS)
        return taken_by(t, r);
    each_id(r->links, ";", link_row, &c);
    return c.taken;
}

/* One citation of one test, "ROW" or alternatives "ROW|ROW|..." (a test whose path may
 * legally branch): count it, and refuse an unknown row, or a citation none of whose
 * observable rows the test's passing run took. A row the table calls unprovokable is
 * exempt: citing one says the test checks that it never happens (a "!" row), or reaches it
 * only by winsim's faults. */
static void cite(const char *citation, void *ctx)
{
    test *t = ctx;
    const char *p = citation;
    int checkable = 0, taken = 0, nalt = 0;
    row *last = NULL;

    while (*p) {
        char id[128];
        size_t n = strcspn(p, "|");
        row *r;
        snprintf(id, sizeof id, "%.*s", (int)(n < sizeof id ? n : sizeof id - 1), p);
        p += p[n] ? n + 1 : n;
        nalt++;
        r = find_row(id);
        if (r == NULL) {
            add_cite_error(t->id, id, "no table has this row");
            continue;
        }
        r->cited++;
        if (t->status != ST_PASS)
            continue;
        r->declared++;
        last = r;
        if (!r->observable || r->gap != NULL)
            taken = 1;
        else if (checkable++, taken_in(t, r))
            taken = 1;
    }
    if (t->status != ST_PASS || checkable == 0 || taken)
        return;
    add_cite_error(t->id, citation,
                   nalt > 1 ? "the monitor saw this test take none of them"
                   : last->table == TABLE_TRANSITIONS
                       ? "the monitor did not see this test take it"
                       : "the monitor saw this test take none of its rows");
}

/* Coverage counts passing tests only: monitor hits, then the rows a test cites. A
 * winsim-only test's faults reach rows no real system does: they stay unprovokable. */
static void settle_coverage(void)
{
    size_t i;
    settle_observability();
    for (i = 0; i < nhits; i++)
        if (hits[i].t->status == ST_PASS && !(hits[i].t->win32 == 2 && hits[i].r->gap)) {
            hits[i].r->hits += hits[i].n;
            if (hits[i].r->by == NULL)
                hits[i].r->by = hits[i].t->id;
        }
    /* A close-reason or write-result row is seen when a transitions row it names is. */
    for (i = 0; i < nrows; i++) {
        link_ctx c = {&rows[i], 1, NULL, 0};
        each_id(rows[i].links, ";", link_row, &c);
    }
    for (i = 0; i < ntests; i++)
        each_id(tests[i].rows, " ", cite, &tests[i]);
    for (i = 0; i < nrows; i++) {
        row *r = &rows[i];
        if (r->observable && r->hits > 0)
            r->category = RC_EXERCISED;
        else if (r->gap != NULL)
            r->category = RC_JUSTIFIED; /* a citation alone does not outweigh "unprovokable" */
        else if (!r->observable && r->declared > 0)
            r->category = RC_CITED;
        else
            r->category = RC_UNCOVERED;
        if (r->by == NULL && r->category == RC_CITED) {
            size_t k;
            for (k = 0; k < ntests && r->by == NULL; k++)
                if (tests[k].status == ST_PASS && strstr(tests[k].rows, r->id) != NULL)
                    r->by = tests[k].id;
        }
    }
}

/* The areas in registry order. */
static size_t list_areas(const char **areas, size_t cap)
{
    size_t i, j, na = 0;
    for (i = 0; i < ntests; i++) {
        for (j = 0; j < na && strcmp(areas[j], tests[i].area) != 0; j++)
            ;
        if (j == na && na < cap)
            areas[na++] = tests[i].area;
    }
    return na;
}

static void print_areas(int *tot)
{
    const char *areas[64];
    size_t na = list_areas(areas, 64), i, j;
    int a;
    printf("%-14s", "AREA");
    for (a = 0; a < NVERDICTS; a++)
        printf(" %7s", verdict_column[a]);
    printf("\n");
    for (j = 0; j < na; j++) {
        int c[NVERDICTS] = {0};
        for (i = 0; i < ntests; i++)
            if (strcmp(tests[i].area, areas[j]) == 0)
                c[verdict(&tests[i])]++;
        printf("%-14s", areas[j]);
        for (a = 0; a < NVERDICTS; a++) {
            printf(" %7d", c[a]);
            tot[a] += c[a];
        }
        printf("\n");
    }
    printf("%-14s", "TOTAL");
    for (a = 0; a < NVERDICTS; a++)
        printf(" %7d", tot[a]);
    printf("\n");
}

static void print_failures(void)
{
    size_t i;
    int any = 0;
    for (i = 0; i < ntests; i++) {
        int v = verdict(&tests[i]);
        const char *m = tests[i].msg ? tests[i].msg : "";
        if (v == V_PASS || v == V_SKIP)
            continue;
        if (!any++)
            printf("\nResults other than pass:\n");
        if (v == V_XPASS) {
            printf("  XPASS %s (%s): passes but is listed as a known failure; remove it "
                   "from the expectations file\n",
                   tests[i].id, tests[i].area);
            continue;
        }
        /* The monitor's message ends with the end's last steps: keep the head. */
        printf("  %-5s %s (%s): %.*s%s\n", verdict_name[v], tests[i].id, tests[i].area, 260, m,
               strlen(m) > 260 ? " ..." : "");
        if (*tests[i].rows)
            printf("        rows this test exercises: %s\n", tests[i].rows);
    }
}

/* The spec rows the failures name (the monitor cites them in its message). */
static void print_failure_rows(void)
{
    size_t i;
    int any = 0;
    for (i = 0; i < ntests; i++) {
        const char *m = tests[i].msg, *stop;
        if (verdict(&tests[i]) != V_FAIL || m == NULL)
            continue;
        /* Only the verdict, not the trace of last steps that follows it. */
        stop = strstr(m, " end ");
        if (stop == NULL)
            stop = m + strlen(m);
        for (; m < stop; m++) {
            size_t n;
            if (!((m[0] == 'T' || m[0] == 'C' || m[0] == 'W' || m[0] == 'E') && m[1] == '-' &&
                  (m == tests[i].msg || m[-1] == ' ' || m[-1] == '[' || m[-1] == '(')))
                continue;
            n = strcspn(m, " ])(;,:");
            if (!any++)
                printf("\nSpec rows named by the failures:\n");
            printf("  %.*s  (%s)\n", (int)n, m, tests[i].id);
            m += n - 1;
        }
    }
}

static void print_rows(int quiet_rows)
{
    int count[4][NCATEGORIES], all[NCATEGORIES] = {0}, total[4] = {0}, all_t = 0;
    int contradicted = 0;
    size_t i, j;
    int c;
    memset(count, 0, sizeof count);
    if (!quiet_rows)
        printf("\nEvery row of every table (x = exercised: the monitor saw a passing test take "
               "it, hits / citing passing tests; ~ = cited, not observable; - = justified gap; "
               "! = not covered):\n");
    for (j = 0; j < ntables; j++) {
        if (!quiet_rows)
            printf("  %s\n", tables[j]);
        for (i = 0; i < nrows; i++) {
            row *r = &rows[i];
            if (r->table != (int)j)
                continue;
            total[j]++;
            count[j][r->category]++;
            contradicted += r->category == RC_EXERCISED && r->gap;
            if (quiet_rows && r->category != RC_UNCOVERED &&
                !(r->category == RC_EXERCISED && r->gap))
                continue;
            if (r->category == RC_EXERCISED)
                printf("    x %-44s %6lu / %-3d %s%s\n", r->id, r->hits, r->declared, r->by,
                       r->gap ? "  (the table says unprovokable)" : "");
            else if (r->category == RC_CITED)
                printf("    ~ %-44s cited by %s; not observable: %s\n", r->id, r->by,
                       r->why_not_observable);
            else if (r->category == RC_JUSTIFIED)
                printf("    - %-44s %s\n", r->id, r->gap);
            else
                printf("    ! %-44s not covered%s\n", r->id,
                       r->cited ? " (cited only by tests that did not pass)" : "");
        }
    }
    printf("\n%-20s %6s %9s %9s %10s %10s\n", "TABLE", "ROWS", "EXERCISED", "CITED~", "JUSTIFIED",
           "UNCOVERED");
    for (j = 0; j < ntables; j++) {
        printf("%-20s %6d %9d %9d %10d %10d\n", tables[j], total[j], count[j][RC_EXERCISED],
               count[j][RC_CITED], count[j][RC_JUSTIFIED], count[j][RC_UNCOVERED]);
        for (c = 0; c < NCATEGORIES; c++)
            all[c] += count[j][c];
        all_t += total[j];
    }
    printf("%-20s %6d %9d %9d %10d %10d\n", "ALL", all_t, all[RC_EXERCISED], all[RC_CITED],
           all[RC_JUSTIFIED], all[RC_UNCOVERED]);
    printf("rows: %d exercised (seen by the monitor), %d cited but not observable, %d justified, "
           "%d uncovered, of %d; %.1f%% exercised, %.1f%% accounted for\n",
           all[RC_EXERCISED], all[RC_CITED], all[RC_JUSTIFIED], all[RC_UNCOVERED], all_t,
           all_t ? 100.0 * all[RC_EXERCISED] / all_t : 0.0,
           all_t ? 100.0 * (all_t - all[RC_UNCOVERED]) / all_t : 0.0);
    if (contradicted)
        printf("%d row(s) marked unprovokable were exercised: fix their coverage column\n",
               contradicted);
}

static void print_cite_errors(void)
{
    size_t i;
    if (ncite_errors == 0)
        return;
    printf("\nCitations the report refuses (tests/harness/test-list.h), %d:\n", (int)ncite_errors);
    for (i = 0; i < ncite_errors; i++)
        printf("  %s cites %s: %s\n", cite_errors[i].test, cite_errors[i].row, cite_errors[i].why);
}

static void xml_escaped(FILE *o, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", o);
            break;
        case '>':
            fputs("&gt;", o);
            break;
        case '&':
            fputs("&amp;", o);
            break;
        case '"':
            fputs("&quot;", o);
            break;
        default:
            if ((unsigned char)*s >= 0x20)
                fputc(*s, o);
        }
    }
}

static void write_junit(const char *path, const char *impl)
{
    FILE *o = fopen(path, "w");
    size_t i, j;
    const char *areas[64];
    size_t na = 0;

    if (o == NULL) {
        fprintf(stderr, "eve_report: cannot write %s\n", path);
        return;
    }
    for (i = 0; i < ntests; i++) {
        for (j = 0; j < na && strcmp(areas[j], tests[i].area) != 0; j++)
            ;
        if (j == na && na < 64)
            areas[na++] = tests[i].area;
    }
    fprintf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"eve-pipe "
               "conformance\">\n");
    for (j = 0; j < na; j++) {
        int n = 0, fails = 0, errors = 0, skips = 0;
        for (i = 0; i < ntests; i++)
            if (strcmp(tests[i].area, areas[j]) == 0) {
                int v = verdict(&tests[i]);
                n++;
                fails += v == V_FAIL || v == V_XPASS;
                errors += v == V_TIMEOUT || v == V_CRASH;
                skips += v == V_XFAIL || v == V_SKIP;
            }
        fprintf(o,
                "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
                "skipped=\"%d\">\n",
                areas[j], n, fails, errors, skips);
        fprintf(o,
                "    <properties><property name=\"suite\" value=\"eve-pipe %s\"/>"
                "<property name=\"implementation\" value=\"%s\"/>"
                "<property name=\"spec\" value=\"%s\"/></properties>\n",
                EVE_VERSION_STRING, impl, run.spec_version);
        for (i = 0; i < ntests; i++) {
            int v;
            if (strcmp(tests[i].area, areas[j]) != 0)
                continue;
            v = verdict(&tests[i]);
            fprintf(o, "    <testcase classname=\"eve.%s.%s\" name=\"%s\">", impl, areas[j],
                    tests[i].id);
            if (v == V_FAIL || v == V_XPASS) {
                fputs("<failure message=\"", o);
                if (v == V_XPASS)
                    fputs("unexpected pass: listed in the expectations file", o);
                else
                    xml_escaped(o, tests[i].msg);
                fputs("\"/>", o);
            } else if (v == V_TIMEOUT || v == V_CRASH) {
                fprintf(o, "<error type=\"%s\" message=\"", status_word[tests[i].status]);
                xml_escaped(o, tests[i].msg);
                fputs("\"/>", o);
            } else if (v == V_XFAIL) {
                fputs("<skipped message=\"expected failure: ", o);
                xml_escaped(o, tests[i].msg);
                fputs("\"/>", o);
            } else if (v == V_SKIP) {
                fputs("<skipped message=\"", o);
                xml_escaped(o, tests[i].msg);
                fputs("\"/>", o);
            }
            fputs("</testcase>\n", o);
        }
        fputs("  </testsuite>\n", o);
    }
    fputs("</testsuites>\n", o);
    fclose(o);
}

static int usage(void)
{
    fprintf(stderr,
            "eve_report: the eve-pipe %s conformance report (spec %s)\n"
            "usage: eve_report --spec DIR [--expect FILE] [--impl NAME] [--junit FILE]\n"
            "                  [--json FILE] [--html FILE] [--compare OLD.json]\n"
            "                  [--no-win32] [--quiet-rows] RESULTS...\n"
            "       eve_report --compare OLD.json NEW.json\n"
            "       eve_report --html OUT.html --from RUN.json\n",
            EVE_VERSION_STRING, EVE_SPEC_VERSION);
    return 2;
}

/* --compare OLD NEW, or --html OUT --from RUN: work from saved JSON alone. */
static int from_saved(const char *old_path, const char *new_path, const char *html)
{
    jv *a = json_load(old_path), *b = NULL;
    int rc = 2;
    if (a == NULL)
        return 2;
    if (html != NULL) {
        rc = write_html(a, html) == 0 ? 0 : 2;
    } else if ((b = json_load(new_path)) != NULL) {
        rc = compare_runs(a, b, old_path, new_path);
    }
    json_free(a);
    json_free(b);
    return rc;
}

int main(int argc, char **argv)
{
    const char *spec = NULL, *expect = NULL, *junit = NULL, *json = NULL, *html = NULL;
    const char *compare = NULL, *from = NULL;
    int no_win32 = 0, quiet_rows = 0, a, bad = 0, nres = 0, rc;
    int tot[NVERDICTS] = {0};
    size_t i;
    time_t now = time(NULL);

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--spec") == 0 && a + 1 < argc)
            spec = argv[++a];
        else if (strcmp(argv[a], "--expect") == 0 && a + 1 < argc)
            expect = argv[++a];
        else if (strcmp(argv[a], "--junit") == 0 && a + 1 < argc)
            junit = argv[++a];
        else if (strcmp(argv[a], "--json") == 0 && a + 1 < argc)
            json = argv[++a];
        else if (strcmp(argv[a], "--html") == 0 && a + 1 < argc)
            html = argv[++a];
        else if (strcmp(argv[a], "--compare") == 0 && a + 1 < argc)
            compare = argv[++a];
        else if (strcmp(argv[a], "--from") == 0 && a + 1 < argc)
            from = argv[++a];
        else if (strcmp(argv[a], "--impl") == 0 && a + 1 < argc)
            run.implementation = argv[++a];
        else if (strcmp(argv[a], "--no-win32") == 0)
            no_win32 = 1;
        else if (strcmp(argv[a], "--quiet-rows") == 0)
            quiet_rows = 1;
        else if (argv[a][0] == '-')
            return usage();
        else
            argv[nres++] = argv[a]; /* results files, read once the tables are loaded */
    }
    if (from != NULL)
        return html != NULL && spec == NULL && nres == 0 ? from_saved(from, NULL, html) : usage();
    if (spec == NULL)
        return compare != NULL && nres == 1 ? from_saved(compare, argv[0], NULL) : usage();
    if (compare != NULL && json == NULL)
        return usage(); /* the comparison reads this run's JSON */
    for (i = 0; i < ntables; i++)
        if (load_table(spec, (int)i) != 0)
            return 2;
    for (a = 0; a < nres; a++)
        load_results(argv[a]);
    if (expect != NULL) {
        load_expectations(expect);
        run.expectations = expect;
    }
    strftime(run.date, sizeof run.date, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    settle_missing(no_win32);
    settle_coverage();

    printf("\neve-pipe %s conformance report: implementation %s (declares spec %s), "
           "monitor: %s, deadline per test: %lu s",
           EVE_VERSION_STRING, run.implementation, run.spec_version, run.monitor,
           run.deadline_max);
    if (run.deadline_min != run.deadline_max)
        printf(" (%lu s for the tests the expectations mark hang or slow)", run.deadline_min);
    printf("\n%s, %s, %s\n\n", run.flavour, run.toolchain, run.platform);
    print_areas(tot);
    print_failures();
    print_failure_rows();
    print_rows(quiet_rows);
    print_cite_errors();

    if (junit != NULL) {
        write_junit(junit, run.implementation);
        printf("JUnit XML: %s\n", junit);
    }
    rc = 0;
    if (json != NULL) {
        rc = write_json(json) == 0 ? 0 : 2;
        printf("JSON: %s\n", json);
    }
    if (html != NULL && rc == 0) {
        jv *saved = json_load(json);
        rc = saved != NULL && write_html(saved, html) == 0 ? 0 : 2;
        json_free(saved);
        printf("HTML: %s\n", html);
    }
    for (a = 0; a < NVERDICTS; a++)
        bad += is_bad(a) ? tot[a] : 0;
    printf("\n%d expected failures, %d unexpected passes\n", tot[V_XFAIL], tot[V_XPASS]);
    printf("conformance: %d passed, %d failed, %d timed out, %d crashed, %d expected failures, "
           "%d skipped\n",
           tot[V_PASS], tot[V_FAIL] + tot[V_XPASS], tot[V_TIMEOUT], tot[V_CRASH], tot[V_XFAIL],
           tot[V_SKIP]);
    if (compare != NULL && rc == 0) {
        printf("\n");
        if (from_saved(compare, json, NULL) != 0)
            bad++;
    }
    if (rc != 0)
        return rc;
    return bad || ncite_errors ? 1 : 0;
}
