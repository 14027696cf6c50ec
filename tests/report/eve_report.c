/* eve_report.c: merge the suite's results files into the conformance report.
 *
 * Host tool, portable C11 (no POSIX, no Windows API). Inputs:
 *   - the test registry, compiled in from tests/harness/test-list.h;
 *   - the results files the suite wrote (one per ctest area: "test" and "row" lines);
 *   - the spec tables (every row of transitions, close_reasons, write_results, errors),
 *     whose "coverage" column says why a row cannot be provoked ("unprovokable: <why>");
 *   - an expectations file: known failures by test id, one per line, '#' comments.
 * Output: the area table (passed / failed / timed out / crashed / expected-fail /
 * unexpected-pass / skipped), the failures, every row of every table with its coverage, and
 * JUnit XML. A timeout or a crash is not a failed assertion: each has its own column, and an
 * expectations entry covers it as it covers a failure.
 * Exit status: 0 when every result is as expected, 1 otherwise, 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eve/version.h"
#include "test-list.h"

/* What a results file says of a test ("test" lines), or that it says nothing. */
enum status { ST_MISSING, ST_PASS, ST_FAIL, ST_SKIP, ST_TIMEOUT, ST_CRASH };
static const char *const status_word[] = {"", "pass", "fail", "skip", "timeout", "crash"};
#define NSTATUS (sizeof status_word / sizeof status_word[0])

typedef struct test {
    const char *id, *area, *rows;
    int win32;
    int status; /* enum status */
    int expected_fail;
    char *msg;
} test;

typedef struct row {
    char *id;
    int table;
    char *gap;          /* the table's "unprovokable: <why>", or NULL */
    unsigned long hits; /* monitor hits in passing tests */
    int declared;       /* passing tests that cite it */
    int cited;          /* tests that cite it at all */
    const char *by;     /* first passing test that covered it */
    char *links;        /* close_reasons/write_results: the transitions rows it stands for */
} row;

static const char *const tables[] = {"transitions.tsv", "close_reasons.tsv", "write_results.tsv",
                                     "errors.tsv"};
#define NTABLES (sizeof tables / sizeof tables[0])

#define R__ENTRY(id, area, rows) {#id, area, rows, 0, 0, 0, NULL},
#define R__ENTRY_W(id, area, rows) {#id, area, rows, 1, 0, 0, NULL},
/* win32 2: winsim-only (EVE_TESTS_WINSIM), built by the native flavour alone. */
#define R__ENTRY_S(id, area, rows) {#id, area, rows, 2, 0, 0, NULL},
static test tests[] = {EVE_TESTS_COMMON(R__ENTRY) EVE_TESTS_WIN32(R__ENTRY_W)
                           EVE_TESTS_WINSIM(R__ENTRY_S)};
#define NTESTS (sizeof tests / sizeof tests[0])

static row *rows;
static size_t nrows, crows;
static char impl_version[64] = "?", monitor_kind[32] = "?";
/* The deadlines the results files were written under: the area runs' (the largest) and the
 * shorter one run-suite gives the tests an expectations file marks hang or slow. */
static unsigned long deadline_max, deadline_min;

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
    for (i = 0; i < NTESTS; i++)
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

static void load_results(const char *path)
{
    char line[4096], *f[8];
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        fprintf(stderr, "eve_report: cannot read %s\n", path);
        return;
    }
    while (fgets(line, sizeof line, fp) != NULL) {
        int n;
        test *t;
        chomp(line);
        n = split_tabs(line, f, 8);
        if (n >= 4 && strcmp(f[0], "impl") == 0) {
            snprintf(impl_version, sizeof impl_version, "%s", f[1]);
            snprintf(monitor_kind, sizeof monitor_kind, "%s", f[3]);
            if (n >= 6 && strcmp(f[4], "deadline") == 0) {
                unsigned long d = strtoul(f[5], NULL, 10);
                if (d > deadline_max)
                    deadline_max = d;
                if (deadline_min == 0 || d < deadline_min)
                    deadline_min = d;
            }
        } else if (n >= 3 && strcmp(f[0], "test") == 0 && (t = find_test(f[1])) != NULL) {
            size_t k;
            t->status = ST_FAIL; /* a word this tool does not know is no pass */
            for (k = 1; k < NSTATUS; k++)
                if (strcmp(f[2], status_word[k]) == 0)
                    t->status = (int)k;
            free(t->msg);
            t->msg = dupstr(n >= 4 ? f[3] : "");
        } else if (n >= 4 && strcmp(f[0], "row") == 0 && (t = find_test(f[1])) != NULL) {
            row *r = find_row(f[2]);
            if (r == NULL)
                continue;
            if (nhits == chits) {
                chits = chits ? chits * 2 : 1024;
                hits = realloc(hits, chits * sizeof *hits);
                if (hits == NULL)
                    exit(2);
            }
            hits[nhits].t = t;
            hits[nhits].r = r;
            hits[nhits].n = strtoul(f[3], NULL, 10);
            nhits++;
        }
    }
    fclose(fp);
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

/* A test's place in the report: its status weighed against the expectations. */
enum verdict { V_PASS, V_FAIL, V_TIMEOUT, V_CRASH, V_XFAIL, V_XPASS, V_SKIP, NVERDICTS };
static const char *const verdict_name[] = {"pass",  "FAIL",  "TIMEOUT", "CRASH",
                                           "xfail", "XPASS", "skip"};
static const char *const verdict_column[] = {"PASS",  "FAIL",  "TIMEOUT", "CRASH",
                                             "XFAIL", "XPASS", "SKIP"};

static int verdict(const test *t)
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
    for (i = 0; i < NTESTS; i++) {
        for (j = 0; j < na && strcmp(areas[j], tests[i].area) != 0; j++)
            ;
        if (j == na && na < 64)
            areas[na++] = tests[i].area;
    }
    fprintf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"eve-pipe "
               "conformance\">\n");
    for (j = 0; j < na; j++) {
        int n = 0, fails = 0, errors = 0, skips = 0;
        for (i = 0; i < NTESTS; i++)
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
                EVE_VERSION_STRING, impl, impl_version);
        for (i = 0; i < NTESTS; i++) {
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
            "usage: eve_report --spec DIR [--expect FILE] [--junit FILE]\n"
            "                  [--impl NAME] [--no-win32] [--quiet-rows] RESULTS...\n",
            EVE_VERSION_STRING, EVE_SPEC_VERSION);
    return 2;
}

int main(int argc, char **argv)
{
    const char *spec = NULL, *expect = NULL, *junit = NULL, *impl = "ref";
    int no_win32 = 0, quiet_rows = 0, a, bad = 0, nres = 0;
    size_t i, j;
    int tot[NVERDICTS] = {0};

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--spec") == 0 && a + 1 < argc)
            spec = argv[++a];
        else if (strcmp(argv[a], "--expect") == 0 && a + 1 < argc)
            expect = argv[++a];
        else if (strcmp(argv[a], "--junit") == 0 && a + 1 < argc)
            junit = argv[++a];
        else if (strcmp(argv[a], "--impl") == 0 && a + 1 < argc)
            impl = argv[++a];
        else if (strcmp(argv[a], "--no-win32") == 0)
            no_win32 = 1;
        else if (strcmp(argv[a], "--quiet-rows") == 0)
            quiet_rows = 1;
        else if (argv[a][0] == '-')
            return usage();
        else
            argv[nres++] = argv[a]; /* results files, read once the tables are loaded */
    }
    if (spec == NULL)
        return usage();
    for (i = 0; i < NTABLES; i++)
        if (load_table(spec, (int)i) != 0)
            return 2;
    for (a = 0; a < nres; a++)
        load_results(argv[a]);
    if (expect != NULL)
        load_expectations(expect);

    for (i = 0; i < NTESTS; i++) {
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
    /* Coverage counts passing tests only: monitor hits, then the rows a test cites. A
     * winsim-only test's faults reach rows no real system does: they stay unprovokable. */
    for (i = 0; i < nhits; i++)
        if (hits[i].t->status == ST_PASS && !(hits[i].t->win32 == 2 && hits[i].r->gap)) {
            hits[i].r->hits += hits[i].n;
            if (hits[i].r->by == NULL)
                hits[i].r->by = hits[i].t->id;
        }
    /* A close-reason or write-result row is seen when a transitions row it names is. */
    for (i = 0; i < nrows; i++) {
        char *p = rows[i].links;
        while (p != NULL && *p) {
            char id[128];
            size_t n = 0;
            row *t;
            while (p[n] && p[n] != ';' && n < sizeof id - 1)
                n++;
            memcpy(id, p, n);
            id[n] = '\0';
            p += p[n] ? n + 1 : n;
            t = find_row(id);
            if (t != NULL && t->hits > 0) {
                rows[i].hits += t->hits;
                if (rows[i].by == NULL)
                    rows[i].by = t->by;
            }
        }
    }
    for (i = 0; i < NTESTS; i++) {
        const char *p = tests[i].rows;
        while (*p) {
            char id[128];
            size_t n = 0;
            row *r;
            while (*p == ' ')
                p++;
            while (p[n] && p[n] != ' ' && n < sizeof id - 1)
                n++;
            if (n == 0)
                break;
            memcpy(id, p, n);
            id[n] = '\0';
            p += n;
            r = find_row(id);
            if (r == NULL) {
                fprintf(stderr, "eve_report: test %s cites %s, which no table has\n", tests[i].id,
                        id);
                continue;
            }
            r->cited++;
            if (tests[i].status == ST_PASS) {
                r->declared++;
                if (r->by == NULL)
                    r->by = tests[i].id;
            }
        }
    }

    /* Citation check: a passing test that cites a transitions row the monitor can see (it
     * saw it somewhere in this run) but did not see in that test cites it wrongly. */
    {
        int bad_cites = 0;
        for (i = 0; i < NTESTS; i++) {
            const char *p = tests[i].rows;
            if (tests[i].status != ST_PASS)
                continue;
            while (*p) {
                char id[128];
                size_t n = 0, k;
                row *r;
                int seen = 0;
                while (*p == ' ')
                    p++;
                while (p[n] && p[n] != ' ' && n < sizeof id - 1)
                    n++;
                if (n == 0)
                    break;
                memcpy(id, p, n);
                id[n] = '\0';
                p += n;
                r = find_row(id);
                if (r == NULL || r->table != 0 || r->hits == 0)
                    continue;
                for (k = 0; k < nhits && !seen; k++)
                    seen = hits[k].t == &tests[i] && hits[k].r == r;
                if (!seen) {
                    if (bad_cites++ == 0)
                        fprintf(stderr, "eve_report: citation check (test-list.h):\n");
                    fprintf(stderr, "  %s cites %s but the monitor did not see it take it\n",
                            tests[i].id, id);
                }
            }
        }
    }

    printf("\neve-pipe %s conformance report: implementation %s (declares spec %s), "
           "monitor: %s, deadline per test: %lu s",
           EVE_VERSION_STRING, impl, impl_version, monitor_kind, deadline_max);
    if (deadline_min != deadline_max)
        printf(" (%lu s for the tests the expectations mark hang or slow)", deadline_min);
    printf("\n\n");
    printf("%-14s", "AREA");
    for (a = 0; a < NVERDICTS; a++)
        printf(" %7s", verdict_column[a]);
    printf("\n");
    {
        const char *areas[64];
        size_t na = 0;
        for (i = 0; i < NTESTS; i++) {
            for (j = 0; j < na && strcmp(areas[j], tests[i].area) != 0; j++)
                ;
            if (j == na && na < 64)
                areas[na++] = tests[i].area;
        }
        for (j = 0; j < na; j++) {
            int c[NVERDICTS] = {0};
            for (i = 0; i < NTESTS; i++)
                if (strcmp(tests[i].area, areas[j]) == 0)
                    c[verdict(&tests[i])]++;
            printf("%-14s", areas[j]);
            for (a = 0; a < NVERDICTS; a++) {
                printf(" %7d", c[a]);
                tot[a] += c[a];
            }
            printf("\n");
        }
    }
    printf("%-14s", "TOTAL");
    for (a = 0; a < NVERDICTS; a++)
        printf(" %7d", tot[a]);
    printf("\n");

    for (a = 0; a < NVERDICTS; a++)
        if (a != V_PASS && a != V_SKIP)
            bad += tot[a];
    if (bad > 0) {
        printf("\nResults other than pass:\n");
        for (i = 0; i < NTESTS; i++) {
            int v = verdict(&tests[i]);
            if (v == V_FAIL || v == V_TIMEOUT || v == V_CRASH || v == V_XFAIL) {
                const char *m = tests[i].msg ? tests[i].msg : "";
                /* The monitor's message ends with the end's last steps: keep the head. */
                printf("  %-5s %s (%s): %.*s%s\n", verdict_name[v], tests[i].id, tests[i].area,
                       260, m, strlen(m) > 260 ? " ..." : "");
                if (*tests[i].rows)
                    printf("        rows this test exercises: %s\n", tests[i].rows);
            } else if (v == V_XPASS)
                printf("  XPASS %s (%s): passes but is listed as a known failure; remove it "
                       "from the expectations file\n",
                       tests[i].id, tests[i].area);
        }
    }

    /* The spec rows the failures name (the monitor cites them in its message). */
    {
        int any = 0;
        for (i = 0; i < NTESTS; i++) {
            const char *m = tests[i].msg, *stop;
            int v = verdict(&tests[i]);
            if (v != V_FAIL || m == NULL)
                continue;
            /* Only the verdict, not the trace of last steps that follows it. */
            stop = strstr(m, " end ");
            if (stop == NULL)
                stop = m + strlen(m);
            for (; m < stop; m++) {
                size_t n = 0;
                if (!((m[0] == 'T' || m[0] == 'C' || m[0] == 'W' || m[0] == 'E') && m[1] == '-' &&
                      (m == tests[i].msg || m[-1] == ' ' || m[-1] == '[' || m[-1] == '(')))
                    continue;
                while (m[n] && m[n] != ' ' && m[n] != ']' && m[n] != ')' && m[n] != ';' &&
                       m[n] != ',' && m[n] != ':')
                    n++;
                if (!any)
                    printf("\nSpec rows named by the failures:\n");
                any = 1;
                printf("  %.*s  (%s)\n", (int)n, m, tests[i].id);
                m += n - 1;
            }
        }
    }

    /* Rows. */
    {
        int covered[NTABLES], gap[NTABLES], open_[NTABLES], total[NTABLES];
        int all_c = 0, all_g = 0, all_o = 0, all_t = 0, all_seen = 0, contradicted = 0;
        memset(covered, 0, sizeof covered);
        memset(gap, 0, sizeof gap);
        memset(open_, 0, sizeof open_);
        memset(total, 0, sizeof total);
        if (!quiet_rows)
            printf("\nEvery row of every table (x = exercised by a passing test: monitor hits "
                   "/ passing tests citing it; - = justified gap; ! = not covered):\n");
        for (j = 0; j < NTABLES; j++) {
            if (!quiet_rows)
                printf("  %s\n", tables[j]);
            for (i = 0; i < nrows; i++) {
                row *r = &rows[i];
                /* A citation alone does not outweigh the table's "unprovokable" (a test
                 * may cite a must-not-happen row it checks never happens); a hit does. */
                int cov = r->hits > 0 || (r->declared > 0 && r->gap == NULL);
                if (r->table != (int)j)
                    continue;
                total[j]++;
                all_seen += r->hits > 0;
                contradicted += cov && r->gap;
                if (cov)
                    covered[j]++;
                else if (r->gap)
                    gap[j]++;
                else
                    open_[j]++;
                if (quiet_rows && (cov ? r->gap == NULL : r->gap != NULL))
                    continue;
                if (cov)
                    printf("    x %-44s %6lu / %-3d %s%s\n", r->id, r->hits, r->declared, r->by,
                           r->gap ? "  (the table says unprovokable)" : "");
                else if (r->gap)
                    printf("    - %-44s %s\n", r->id, r->gap);
                else
                    printf("    ! %-44s not covered%s\n", r->id,
                           r->cited ? " (cited only by tests that did not pass)" : "");
            }
            all_c += covered[j];
            all_g += gap[j];
            all_o += open_[j];
            all_t += total[j];
        }
        printf("\n%-20s %6s %8s %10s %10s\n", "TABLE", "ROWS", "COVERED", "JUSTIFIED",
               "UNCOVERED");
        for (j = 0; j < NTABLES; j++)
            printf("%-20s %6d %8d %10d %10d\n", tables[j], total[j], covered[j], gap[j], open_[j]);
        printf("%-20s %6d %8d %10d %10d\n", "ALL", all_t, all_c, all_g, all_o);
        printf("row coverage: %.1f%% exercised, %.1f%% exercised or justified (%d of the %d "
               "exercised rows seen by the monitor, the others cited by passing tests)\n",
               all_t ? 100.0 * all_c / all_t : 0.0, all_t ? 100.0 * (all_c + all_g) / all_t : 0.0,
               all_seen, all_c);
        if (contradicted)
            printf("%d row(s) marked unprovokable were exercised: fix their coverage column\n",
                   contradicted);
    }

    if (junit != NULL) {
        write_junit(junit, impl);
        printf("JUnit XML: %s\n", junit);
    }
    bad = 0;
    for (a = 0; a < NVERDICTS; a++)
        bad += is_bad(a) ? tot[a] : 0;
    printf("\n%d expected failures, %d unexpected passes\n", tot[V_XFAIL], tot[V_XPASS]);
    printf("conformance: %d passed, %d failed, %d timed out, %d crashed, %d expected failures, "
           "%d skipped\n",
           tot[V_PASS], tot[V_FAIL] + tot[V_XPASS], tot[V_TIMEOUT], tot[V_CRASH], tot[V_XFAIL],
           tot[V_SKIP]);
    return bad ? 1 : 0;
}
