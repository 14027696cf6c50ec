/* report.h: the conformance report's model and its parts.
 *
 * eve_report.c reads the results files and the spec tables into the model below, weighs
 * every test against the expectations and every spec row against the monitor's hits, and
 * prints the text report. report_json.c writes the model as JSON (schema in README.md) and
 * reads JSON back; report_html.c turns a JSON run into one self-contained HTML page;
 * report_diff.c compares two JSON runs. Host tool, portable C11.
 */
#ifndef EVE_REPORT_H
#define EVE_REPORT_H

#include <stddef.h>
#include <stdio.h>

/* The JSON schema this tool writes and reads: "eve-pipe-results/<major>". */
#define REPORT_SCHEMA "eve-pipe-results/1"

/* What a results file says of a test ("test" lines), or that it says nothing. */
enum status { ST_MISSING, ST_PASS, ST_FAIL, ST_SKIP, ST_TIMEOUT, ST_CRASH, NSTATUS };
extern const char *const status_word[NSTATUS];

/* A test's place in the report: its status weighed against the expectations. */
enum verdict { V_PASS, V_FAIL, V_TIMEOUT, V_CRASH, V_XFAIL, V_XPASS, V_SKIP, NVERDICTS };
/* JSON outcome names, in enum verdict order. */
extern const char *const verdict_outcome[NVERDICTS];

/* A row's coverage. Exercised: the monitor saw a passing test take it (for a row the monitor
 * can observe). Cited, not observable: the monitor can never see it and a passing test
 * cites it. Justified: the table says why no test can provoke it. Uncovered: none of these. */
enum category { RC_EXERCISED, RC_CITED, RC_JUSTIFIED, RC_UNCOVERED, NCATEGORIES };
extern const char *const category_name[NCATEGORIES];

typedef struct test {
    const char *id, *area, *rows; /* from tests/harness/test-list.h */
    int win32;                    /* 0 every flavour, 1 Windows only, 2 winsim only */
    int status;                   /* enum status, from the results files */
    int expected_fail;            /* listed in the expectations file */
    char *msg;                    /* the failure, timeout or crash text, or "" */
    long ms;                      /* duration in ms, -1 when the results do not say */
} test;

typedef struct row {
    char *id;
    int table;        /* index into tables[] */
    char *gap;        /* the table's "unprovokable: <why>", or NULL */
    char *links;      /* close_reasons/write_results: the transitions rows it stands for */
    int unobservable; /* the results say the monitor can never credit it */
    int observable;   /* computed: the monitor can see this row (directly or by a link) */
    const char *why_not_observable; /* computed, for a row that is not */
    unsigned long hits;             /* monitor hits in passing tests */
    int declared;                   /* passing tests that cite it */
    int cited;                      /* tests that cite it at all */
    const char *by;                 /* first passing test that covered it */
    int category;                   /* enum category, computed */
} row;

/* A test's citation the report refuses: an unknown row, or an observable row the citing
 * test's passing run never took. */
typedef struct citation_error {
    const char *test;
    char *row;
    const char *why;
} citation_error;

/* Run information: from the results files (impl, run lines) and the command line. */
typedef struct run_info {
    const char *implementation;
    char spec_version[64];
    char monitor[32];
    char flavour[64];
    char toolchain[128];
    char platform[128];
    char date[32];
    const char *expectations; /* the file used, or NULL */
    unsigned long deadline_max, deadline_min;
} run_info;

extern const char *const tables[];
extern const size_t ntables;
extern test tests[];
extern const size_t ntests;
extern row *rows;
extern size_t nrows;
extern citation_error *cite_errors;
extern size_t ncite_errors;
extern run_info run;

int verdict(const test *t);

/* ---- report_json.c ---- */

/* The whole model as JSON; 0 on success. */
int write_json(const char *path);

/* A parsed JSON value. Objects keep their keys in order. */
typedef enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;
typedef struct jv {
    jtype type;
    double num;        /* J_NUM; J_BOOL: 0 or 1 */
    char *str;         /* J_STR */
    struct jv **items; /* J_ARR, J_OBJ: the values */
    char **keys;       /* J_OBJ: the keys */
    size_t n;
} jv;

/* Parse a file; NULL with a message on stderr if it is not JSON. */
jv *json_load(const char *path);
void json_free(jv *v);
/* o[key], NULL if o is not an object or has no such key. */
const jv *json_get(const jv *o, const char *key);
/* The string at o[key], or def. */
const char *json_str(const jv *o, const char *key, const char *def);
/* The number at o[key], or def. */
double json_num(const jv *o, const char *key, double def);
/* Write s as a JSON string literal. */
void json_put_str(FILE *o, const char *s);

/* ---- report_html.c ---- */

/* One self-contained HTML page from a JSON run; 0 on success. */
int write_html(const jv *runj, const char *path);

/* ---- report_diff.c ---- */

/* Print what changed from old to new; 1 if something regressed, else 0. */
int compare_runs(const jv *old, const jv *new_, const char *old_name, const char *new_name);

#endif /* EVE_REPORT_H */
