/* report_json.c: the model as JSON (schema in README.md), and a small JSON reader for the
 * parts that work from a saved run (the HTML page, the comparison of two runs). */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "eve/version.h"

/* The first n bytes of s as a JSON string literal. */
static void json_put_strn(FILE *o, const char *s, size_t n)
{
    const char *end = s + n;
    fputc('"', o);
    for (; s < end && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(o, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", o);
        else if (c == '\t')
            fputs("\\t", o);
        else if (c < 0x20)
            fprintf(o, "\\u%04x", c);
        else
            fputc(c, o);
    }
    fputc('"', o);
}

void json_put_str(FILE *o, const char *s)
{
    json_put_strn(o, s, s != NULL ? strlen(s) : 0);
}

static void put_str_or_null(FILE *o, const char *s)
{
    if (s == NULL)
        fputs("null", o);
    else
        json_put_str(o, s);
}

/* "file:line: text" -> the assertion object; a message without that shape gives none. */
static void put_assertion(FILE *o, const char *msg)
{
    const char *colon = msg, *end;
    long line;

    for (; (colon = strchr(colon, ':')) != NULL; colon++) {
        line = strtol(colon + 1, (char **)&end, 10);
        if (end > colon + 1 && end[0] == ':' && end[1] == ' ') {
            fputs("{\"file\": ", o);
            json_put_strn(o, msg, (size_t)(colon - msg));
            fprintf(o, ", \"line\": %ld, \"text\": ", line);
            /* A monitor verdict's trace goes to "monitor", not here. */
            json_put_strn(o, end + 2,
                          strstr(end, "   end ") ? (size_t)(strstr(end, "   end ") - end - 2)
                                                 : strlen(end + 2));
            fputc('}', o);
            return;
        }
    }
    fputs("null", o);
}

/* The monitor's verdict inside a failure message: "spec monitor: <violation> (rows ...)
 *   end <key> (<role>), model state <S>; its last steps: #1 ... #2 ...". */
static void put_monitor(FILE *o, const char *msg)
{
    const char *v = strstr(msg, "spec monitor: "), *end, *state, *steps, *rows;

    if (v == NULL) {
        fputs("null", o);
        return;
    }
    v += strlen("spec monitor: ");
    end = strstr(v, "   end ");
    if (end == NULL)
        end = v + strlen(v);
    fputs("{\"violation\": ", o);
    json_put_strn(o, v, (size_t)(end - v));
    /* The rows the monitor names: "... (rows T-PAUSED-R-K_READ_*: held, not delivered)". */
    fputs(", \"rows\": ", o);
    rows = strstr(v, "(rows ");
    if (rows != NULL && rows < end) {
        rows += strlen("(rows ");
        json_put_strn(o, rows, strcspn(rows, ":)"));
    } else {
        fputs("null", o);
    }
    fputs(", \"state\": ", o);
    state = strstr(end, "model state ");
    if (state != NULL) {
        state += strlen("model state ");
        fprintf(o, "\"%.*s\"", (int)strcspn(state, ";, "), state);
    } else {
        fputs("null", o);
    }
    fputs(", \"steps\": [", o);
    steps = strstr(end, "last steps:");
    steps = steps != NULL ? strchr(steps, '#') : NULL;
    while (steps != NULL) {
        const char *next = strstr(steps + 1, "   #");
        size_t n = next ? (size_t)(next - steps) : strlen(steps);
        while (n > 0 && steps[n - 1] == ' ')
            n--;
        json_put_strn(o, steps, n);
        if (next == NULL)
            break;
        fputs(", ", o);
        steps = next + strspn(next, " ");
    }
    fputs("]}", o);
}

/* A test's cited rows as a JSON array of ids. */
static void put_row_list(FILE *o, const char *list)
{
    const char *p = list;
    int first = 1;
    fputc('[', o);
    while (*p) {
        size_t n;
        p += strspn(p, " ");
        n = strcspn(p, " ");
        if (n == 0)
            break;
        fprintf(o, "%s\"%.*s\"", first ? "" : ", ", (int)n, p);
        first = 0;
        p += n;
    }
    fputc(']', o);
}

/* Whether a test's citation list names the row. */
static int cites(const test *t, const char *row_id)
{
    size_t n = strlen(row_id);
    const char *p = t->rows;
    while ((p = strstr(p, row_id)) != NULL) {
        if ((p == t->rows || p[-1] == ' ' || p[-1] == '|') &&
            (p[n] == ' ' || p[n] == '|' || p[n] == '\0'))
            return 1;
        p += n;
    }
    return 0;
}

static void write_tests(FILE *o)
{
    size_t i;
    fputs("  \"tests\": [\n", o);
    for (i = 0; i < ntests; i++) {
        const test *t = &tests[i];
        const char *msg = t->msg != NULL && *t->msg ? t->msg : NULL;
        fprintf(o, "    {\"id\": \"%s\", \"area\": \"%s\", \"outcome\": \"%s\", ", t->id, t->area,
                verdict_outcome[verdict(t)]);
        fprintf(o, "\"status\": \"%s\", \"expected_failure\": %s, \"duration_ms\": ",
                status_word[t->status], t->expected_fail ? "true" : "false");
        if (t->ms >= 0)
            fprintf(o, "%ld", t->ms);
        else
            fputs("null", o);
        fputs(", \"message\": ", o);
        put_str_or_null(o, msg);
        fputs(", \"assertion\": ", o);
        if (msg != NULL && t->status == ST_FAIL)
            put_assertion(o, msg);
        else
            fputs("null", o);
        fputs(", \"monitor\": ", o);
        if (msg != NULL)
            put_monitor(o, msg);
        else
            fputs("null", o);
        fputs(", \"rows\": ", o);
        put_row_list(o, t->rows);
        fprintf(o, "}%s\n", i + 1 < ntests ? "," : "");
    }
    fputs("  ],\n", o);
}

static void write_rows(FILE *o)
{
    size_t i, k;
    fputs("  \"rows\": [\n", o);
    for (i = 0; i < nrows; i++) {
        const row *r = &rows[i];
        const char *reason = r->category == RC_JUSTIFIED ? r->gap
                             : r->category == RC_CITED   ? r->why_not_observable
                                                         : NULL;
        int first = 1;
        fprintf(o, "    {\"table\": \"%.*s\", \"id\": ", (int)strcspn(tables[r->table], "."),
                tables[r->table]);
        json_put_str(o, r->id);
        fprintf(o, ", \"status\": \"%s\", \"observable\": %s, \"reason\": ",
                category_name[r->category], r->observable ? "true" : "false");
        put_str_or_null(o, reason);
        fprintf(o, ", \"monitor_hits\": %lu, \"citing_tests\": [", r->hits);
        for (k = 0; k < ntests; k++)
            if (cites(&tests[k], r->id)) {
                fprintf(o, "%s\"%s\"", first ? "" : ", ", tests[k].id);
                first = 0;
            }
        fprintf(o, "]}%s\n", i + 1 < nrows ? "," : "");
    }
    fputs("  ],\n", o);
}

static void write_summary(FILE *o)
{
    int v[NVERDICTS] = {0}, c[NCATEGORIES] = {0}, bad = 0;
    size_t i;
    for (i = 0; i < ntests; i++)
        v[verdict(&tests[i])]++;
    for (i = 0; i < nrows; i++)
        c[rows[i].category]++;
    bad = v[V_FAIL] + v[V_TIMEOUT] + v[V_CRASH] + v[V_XPASS] + (int)ncite_errors;
    fprintf(o, "  \"summary\": {\n    \"tests\": {\"total\": %d", (int)ntests);
    for (i = 0; i < NVERDICTS; i++)
        fprintf(o, ", \"%s\": %d", verdict_outcome[i], v[i]);
    fprintf(o, "},\n    \"rows\": {\"total\": %d", (int)nrows);
    for (i = 0; i < NCATEGORIES; i++)
        fprintf(o, ", \"%s\": %d", category_name[i], c[i]);
    fprintf(o, "},\n    \"citation_errors\": %d,\n    \"as_expected\": %s\n  },\n",
            (int)ncite_errors, bad ? "false" : "true");
}

int write_json(const char *path)
{
    FILE *o = fopen(path, "w");
    size_t i;
    if (o == NULL) {
        fprintf(stderr, "eve_report: cannot write %s\n", path);
        return -1;
    }
    fprintf(o, "{\n  \"schema\": \"%s\",\n  \"run\": {\n", REPORT_SCHEMA);
    fputs("    \"implementation\": ", o);
    json_put_str(o, run.implementation);
    fputs(",\n    \"spec_version\": ", o);
    json_put_str(o, run.spec_version);
    fprintf(o, ",\n    \"suite_version\": \"%s\",\n    \"suite_spec_version\": \"%s\"",
            EVE_VERSION_STRING, EVE_SPEC_VERSION);
    fputs(",\n    \"flavour\": ", o);
    json_put_str(o, run.flavour);
    fputs(",\n    \"toolchain\": ", o);
    json_put_str(o, run.toolchain);
    fputs(",\n    \"platform\": ", o);
    json_put_str(o, run.platform);
    fputs(",\n    \"date\": ", o);
    json_put_str(o, run.date);
    fputs(",\n    \"expectations\": ", o);
    put_str_or_null(o, run.expectations);
    fputs(",\n    \"monitor\": ", o);
    json_put_str(o, run.monitor);
    fprintf(o, ",\n    \"deadline_s\": %lu,\n    \"hang_deadline_s\": %lu\n  },\n",
            run.deadline_max, run.deadline_min);
    write_summary(o);
    write_tests(o);
    write_rows(o);
    fputs("  \"citation_errors\": [", o);
    for (i = 0; i < ncite_errors; i++) {
        fprintf(o, "%s\n    {\"test\": \"%s\", \"row\": ", i ? "," : "", cite_errors[i].test);
        json_put_str(o, cite_errors[i].row);
        fputs(", \"why\": ", o);
        json_put_str(o, cite_errors[i].why);
        fputc('}', o);
    }
    fputs(ncite_errors ? "\n  ]\n}\n" : "]\n}\n", o);
    return fclose(o) == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- reading */

typedef struct jparser {
    const char *p, *start;
    const char *err;
} jparser;

static void *jalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "eve_report: out of memory\n");
        exit(2);
    }
    return p;
}

static void skip_ws(jparser *j)
{
    while (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t')
        j->p++;
}

static jv *parse_value(jparser *j, int depth);

/* A string literal at j->p (the opening quote), UTF-8 out. */
static char *parse_string(jparser *j)
{
    size_t cap = 16, n = 0;
    char *s = jalloc(cap);
    j->p++;
    while (*j->p != '"') {
        unsigned long c = (unsigned char)*j->p++;
        if (c == 0 || c < 0x20) {
            j->err = "unterminated or raw control character in a string";
            free(s);
            return NULL;
        }
        if (c == '\\') {
            char hex[5] = {0};
            switch (*j->p++) {
            case '"':
                c = '"';
                break;
            case '\\':
                c = '\\';
                break;
            case '/':
                c = '/';
                break;
            case 'b':
                c = '\b';
                break;
            case 'f':
                c = '\f';
                break;
            case 'n':
                c = '\n';
                break;
            case 'r':
                c = '\r';
                break;
            case 't':
                c = '\t';
                break;
            case 'u':
                strncpy(hex, j->p, 4);
                if (strlen(hex) == 4 && strspn(hex, "0123456789abcdefABCDEF") == 4) {
                    c = strtoul(hex, NULL, 16);
                    j->p += 4;
                    break;
                }
                j->err = "bad \\u escape in a string";
                free(s);
                return NULL;
            default:
                j->err = "bad escape in a string";
                free(s);
                return NULL;
            }
        }
        if (n + 4 >= cap) {
            char *t;
            cap *= 2;
            t = realloc(s, cap);
            if (t == NULL)
                exit(2);
            s = t;
        }
        if (c < 0x80) {
            s[n++] = (char)c;
        } else if (c < 0x800) {
            s[n++] = (char)(0xC0 | (c >> 6));
            s[n++] = (char)(0x80 | (c & 0x3F));
        } else {
            s[n++] = (char)(0xE0 | (c >> 12));
            s[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            s[n++] = (char)(0x80 | (c & 0x3F));
        }
    }
    j->p++;
    s[n] = '\0';
    return s;
}

static int push(jv *v, jv *item, char *key)
{
    jv **items = realloc(v->items, (v->n + 1) * sizeof *items);
    char **keys = v->type == J_OBJ ? realloc(v->keys, (v->n + 1) * sizeof *keys) : NULL;
    if (items == NULL || (v->type == J_OBJ && keys == NULL))
        exit(2);
    v->items = items;
    if (v->type == J_OBJ) {
        v->keys = keys;
        v->keys[v->n] = key;
    }
    v->items[v->n++] = item;
    return 0;
}

static jv *parse_container(jparser *j, jv *v, int depth)
{
    char close = v->type == J_OBJ ? '}' : ']';
    j->p++;
    skip_ws(j);
    if (*j->p == close) {
        j->p++;
        return v;
    }
    for (;;) {
        char *key = NULL;
        jv *item;
        skip_ws(j);
        if (v->type == J_OBJ) {
            if (*j->p != '"' || (key = parse_string(j)) == NULL) {
                j->err = j->err ? j->err : "expected a key";
                break;
            }
            skip_ws(j);
            if (*j->p++ != ':') {
                free(key);
                j->err = "expected ':'";
                break;
            }
        }
        item = parse_value(j, depth + 1);
        if (item == NULL) {
            free(key);
            break;
        }
        push(v, item, key);
        skip_ws(j);
        if (*j->p == ',') {
            j->p++;
            continue;
        }
        if (*j->p == close) {
            j->p++;
            return v;
        }
        j->err = "expected ',' or the end of a list";
        break;
    }
    json_free(v);
    return NULL;
}

static jv *parse_value(jparser *j, int depth)
{
    jv *v;
    skip_ws(j);
    if (depth > 64) {
        j->err = "nested too deep";
        return NULL;
    }
    v = jalloc(sizeof *v);
    if (*j->p == '{' || *j->p == '[') {
        v->type = *j->p == '{' ? J_OBJ : J_ARR;
        return parse_container(j, v, depth);
    }
    if (*j->p == '"') {
        v->type = J_STR;
        v->str = parse_string(j);
        if (v->str != NULL)
            return v;
    } else if (strncmp(j->p, "true", 4) == 0 || strncmp(j->p, "false", 5) == 0) {
        v->type = J_BOOL;
        v->num = *j->p == 't';
        j->p += *j->p == 't' ? 4 : 5;
        return v;
    } else if (strncmp(j->p, "null", 4) == 0) {
        j->p += 4;
        return v;
    } else {
        char *end;
        v->type = J_NUM;
        v->num = strtod(j->p, &end);
        if (end != j->p) {
            j->p = end;
            return v;
        }
        j->err = "not a JSON value";
    }
    free(v);
    return NULL;
}

jv *json_load(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text;
    long n;
    jparser j;
    jv *v;

    if (f == NULL) {
        fprintf(stderr, "eve_report: cannot read %s\n", path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = jalloc((size_t)n + 1);
    n = (long)fread(text, 1, (size_t)n, f);
    text[n > 0 ? n : 0] = '\0';
    fclose(f);
    j.p = j.start = text;
    j.err = NULL;
    v = parse_value(&j, 0);
    if (v != NULL) {
        skip_ws(&j);
        if (*j.p != '\0') {
            j.err = "text after the JSON value";
            json_free(v);
            v = NULL;
        }
    }
    if (v == NULL)
        fprintf(stderr, "eve_report: %s: not JSON at byte %ld: %s\n", path, (long)(j.p - j.start),
                j.err ? j.err : "?");
    free(text);
    return v;
}

void json_free(jv *v)
{
    size_t i;
    if (v == NULL)
        return;
    for (i = 0; i < v->n; i++) {
        json_free(v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    free(v);
}

const jv *json_get(const jv *o, const char *key)
{
    size_t i;
    if (o == NULL || o->type != J_OBJ)
        return NULL;
    for (i = 0; i < o->n; i++)
        if (strcmp(o->keys[i], key) == 0)
            return o->items[i];
    return NULL;
}

const char *json_str(const jv *o, const char *key, const char *def)
{
    const jv *v = json_get(o, key);
    return v != NULL && v->type == J_STR ? v->str : def;
}

double json_num(const jv *o, const char *key, double def)
{
    const jv *v = json_get(o, key);
    return v != NULL && (v->type == J_NUM || v->type == J_BOOL) ? v->num : def;
}
