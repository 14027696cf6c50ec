/* report_html.c: one self-contained HTML page from a saved run (its JSON): run information,
 * the totals, the area table, every result other than pass with its assertion and the
 * monitor's trace, and every spec row, filterable by table and status. Inline CSS and a
 * few lines of inline script for the filters; nothing is fetched, so it works offline. */
#include "report.h"

#include <string.h>

static void esc(FILE *o, const char *s)
{
    for (; s != NULL && *s; s++) {
        if (*s == '<')
            fputs("&lt;", o);
        else if (*s == '>')
            fputs("&gt;", o);
        else if (*s == '&')
            fputs("&amp;", o);
        else if (*s == '"')
            fputs("&quot;", o);
        else
            fputc(*s, o);
    }
}

static const char style[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1b1f24;max-width:1200px}"
    "h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px}"
    "dl.run{display:grid;grid-template-columns:max-content auto;gap:2px 16px;margin:0}"
    "dl.run dt{color:#57606a}dl.run dd{margin:0}"
    "table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:3px 8px;"
    "text-align:left}th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:"
    "tabular-nums}.verdict{font-weight:600;padding:6px 10px;display:inline-block;"
    "margin-top:10px}.ok{background:#dafbe1}.bad{background:#ffebe9}"
    ".o-fail,.o-timeout,.o-crash,.o-xpass{color:#cf222e;font-weight:600}"
    ".o-xfail,.o-skip{color:#6e7781}.s-uncovered{color:#cf222e}.s-justified{color:#6e7781}"
    "article{border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:8px 0}"
    "article h3{font-size:15px;margin:0 0 4px}code,pre{font:12px/1.4 ui-monospace,monospace}"
    "pre{background:#f6f8fa;padding:6px 8px;overflow-x:auto;white-space:pre-wrap}"
    ".filters{margin:6px 0}.filters label{margin-right:16px}";

static const char script[] = "function f(){var t=document.getElementById('f-table').value,"
                             "s=document.getElementById('f-status').value,n=0;"
                             "document.querySelectorAll('#rowtable tbody tr').forEach(function(r){"
                             "var v=(t==''||r.dataset.table==t)&&(s==''||r.dataset.status==s);"
                             "r.style.display=v?'':'none';n+=v?1:0;});"
                             "document.getElementById('f-count').textContent=n+' rows shown';}"
                             "document.getElementById('f-table').onchange=f;"
                             "document.getElementById('f-status').onchange=f;f();";

static const char *const outcomes[] = {"pass",  "fail",  "timeout", "crash",
                                       "xfail", "xpass", "skip"};
#define NOUTCOMES (sizeof outcomes / sizeof outcomes[0])
static const char *const statuses[] = {"exercised", "cited_not_observable", "justified",
                                       "uncovered"};
#define NSTATUSES (sizeof statuses / sizeof statuses[0])

static void run_section(FILE *o, const jv *run_)
{
    static const char *const keys[] = {"implementation", "spec_version", "suite_version",
                                       "flavour",        "toolchain",    "platform",
                                       "date",           "expectations", "monitor"};
    static const char *const labels[] = {"implementation", "declares spec", "suite",
                                         "flavour",        "toolchain",     "runs on",
                                         "date",           "expectations",  "monitor"};
    size_t i;
    fputs("<dl class=\"run\">", o);
    for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        fprintf(o, "<dt>%s</dt><dd id=\"run-%s\">", labels[i], keys[i]);
        esc(o, json_str(run_, keys[i], "none"));
        fputs("</dd>", o);
    }
    fprintf(o, "<dt>deadline per test</dt><dd>%.0f s</dd></dl>\n",
            json_num(run_, "deadline_s", 0));
}

static void totals_section(FILE *o, const jv *summary)
{
    const jv *t = json_get(summary, "tests"), *r = json_get(summary, "rows");
    size_t i;
    int ok = json_num(summary, "as_expected", 0) != 0;
    fputs("<h2>Totals</h2>\n<table class=\"totals\"><tr><th>tests</th>", o);
    for (i = 0; i < NOUTCOMES; i++)
        fprintf(o, "<th>%s</th>", outcomes[i]);
    fprintf(o, "</tr><tr><td class=\"n\" data-total=\"total\">%.0f</td>", json_num(t, "total", 0));
    for (i = 0; i < NOUTCOMES; i++) {
        double n = json_num(t, outcomes[i], 0);
        fprintf(o, "<td class=\"n%s%s\" data-total=\"%s\">%.0f</td>", n > 0 ? " o-" : "",
                n > 0 ? outcomes[i] : "", outcomes[i], n);
    }
    fputs("</tr></table>\n<table class=\"totals\"><tr><th>spec rows</th>", o);
    for (i = 0; i < NSTATUSES; i++)
        fprintf(o, "<th>%s</th>", statuses[i]);
    fprintf(o, "<th>citation errors</th></tr><tr><td class=\"n\" data-rows=\"total\">%.0f</td>",
            json_num(r, "total", 0));
    for (i = 0; i < NSTATUSES; i++) {
        double n = json_num(r, statuses[i], 0);
        fprintf(o, "<td class=\"n%s%s\" data-rows=\"%s\">%.0f</td>", n > 0 ? " s-" : "",
                n > 0 ? statuses[i] : "", statuses[i], n);
    }
    fprintf(o, "<td class=\"n\" data-rows=\"citation_errors\">%.0f</td></tr></table>\n",
            json_num(summary, "citation_errors", 0));
    fprintf(o, "<div class=\"verdict %s\" id=\"verdict\">%s</div>\n", ok ? "ok" : "bad",
            ok ? "Every result is as expected" : "Results that are not as expected");
}

static void areas_section(FILE *o, const jv *tests_)
{
    const char *areas[64];
    size_t na = 0, i, j, k;
    for (i = 0; tests_ != NULL && i < tests_->n; i++) {
        const char *a = json_str(tests_->items[i], "area", "?");
        for (j = 0; j < na && strcmp(areas[j], a) != 0; j++)
            ;
        if (j == na && na < 64)
            areas[na++] = a;
    }
    fputs("<h2>Areas</h2>\n<table><tr><th>area</th>", o);
    for (k = 0; k < NOUTCOMES; k++)
        fprintf(o, "<th>%s</th>", outcomes[k]);
    fputs("</tr>\n", o);
    for (j = 0; j < na; j++) {
        fprintf(o, "<tr><td>%s</td>", areas[j]);
        for (k = 0; k < NOUTCOMES; k++) {
            int n = 0;
            for (i = 0; i < tests_->n; i++)
                n += strcmp(json_str(tests_->items[i], "area", ""), areas[j]) == 0 &&
                     strcmp(json_str(tests_->items[i], "outcome", ""), outcomes[k]) == 0;
            fprintf(o, "<td class=\"n%s%s\">%d</td>", n && k ? " o-" : "",
                    n && k ? outcomes[k] : "", n);
        }
        fputs("</tr>\n", o);
    }
    fputs("</table>\n", o);
}

static void failure(FILE *o, const jv *t)
{
    const jv *a = json_get(t, "assertion"), *m = json_get(t, "monitor"), *rows_;
    const jv *steps = json_get(m, "steps");
    const char *outcome = json_str(t, "outcome", "?");
    size_t i;

    fprintf(o, "<article class=\"failure\" id=\"t-%s\"><h3>", json_str(t, "id", "?"));
    esc(o, json_str(t, "id", "?"));
    fprintf(o, " <span class=\"o-%s\">%s</span> <small>(", outcome, outcome);
    esc(o, json_str(t, "area", "?"));
    fputs(")</small></h3>\n", o);
    if (a != NULL && a->type == J_OBJ) {
        fputs("<p class=\"assertion\"><code>", o);
        esc(o, json_str(a, "file", "?"));
        fprintf(o, ":%.0f</code>: ", json_num(a, "line", 0));
        esc(o, json_str(a, "text", ""));
        fputs("</p>\n", o);
    } else {
        fputs("<p class=\"message\">", o);
        esc(o, json_str(t, "message", ""));
        fputs("</p>\n", o);
    }
    if (m != NULL && m->type == J_OBJ) {
        fputs("<div class=\"monitor\"><p>Monitor: <b class=\"violation\">", o);
        esc(o, json_str(m, "violation", ""));
        fputs("</b>, model state <code>", o);
        esc(o, json_str(m, "state", "?"));
        fputs("</code>; the end's last steps:</p><pre class=\"trace\">", o);
        for (i = 0; steps != NULL && steps->type == J_ARR && i < steps->n; i++) {
            esc(o, steps->items[i]->str);
            fputc('\n', o);
        }
        fputs("</pre></div>\n", o);
    }
    rows_ = json_get(t, "rows");
    if (rows_ != NULL && rows_->n > 0) {
        fputs("<p>Rows this test exercises: <code>", o);
        for (i = 0; i < rows_->n; i++) {
            esc(o, rows_->items[i]->str);
            fputc(' ', o);
        }
        fputs("</code></p>\n", o);
    }
    fputs("</article>\n", o);
}

static void failures_section(FILE *o, const jv *tests_)
{
    size_t i;
    int n = 0;
    for (i = 0; tests_ != NULL && i < tests_->n; i++)
        n += strcmp(json_str(tests_->items[i], "outcome", ""), "pass") != 0 &&
             strcmp(json_str(tests_->items[i], "outcome", ""), "skip") != 0;
    fprintf(o, "<h2 id=\"failures\">Results other than pass (%d)</h2>\n", n);
    for (i = 0; tests_ != NULL && i < tests_->n; i++) {
        const char *out = json_str(tests_->items[i], "outcome", "");
        if (strcmp(out, "pass") != 0 && strcmp(out, "skip") != 0)
            failure(o, tests_->items[i]);
    }
}

static void rows_section(FILE *o, const jv *rows_)
{
    static const char *const tables_[] = {"transitions", "close_reasons", "write_results",
                                          "errors"};
    size_t i, k;
    fputs("<h2>Spec rows</h2>\n<div class=\"filters\"><label>table <select id=\"f-table\">"
          "<option value=\"\">all</option>",
          o);
    for (k = 0; k < sizeof tables_ / sizeof tables_[0]; k++)
        fprintf(o, "<option>%s</option>", tables_[k]);
    fputs("</select></label><label>status <select id=\"f-status\"><option value=\"\">all"
          "</option>",
          o);
    for (k = 0; k < NSTATUSES; k++)
        fprintf(o, "<option>%s</option>", statuses[k]);
    fputs("</select></label><span id=\"f-count\"></span></div>\n<table id=\"rowtable\"><thead>"
          "<tr><th>row</th><th>table</th><th>status</th><th>monitor hits</th>"
          "<th>citing tests</th><th>reason</th></tr></thead><tbody>\n",
          o);
    for (i = 0; rows_ != NULL && i < rows_->n; i++) {
        const jv *r = rows_->items[i], *cit = json_get(r, "citing_tests");
        const char *st = json_str(r, "status", "?");
        fprintf(o, "<tr data-table=\"%s\" data-status=\"%s\"><td><code>", json_str(r, "table", ""),
                st);
        esc(o, json_str(r, "id", "?"));
        fprintf(o,
                "</code></td><td>%s</td><td class=\"s-%s\">%s</td><td class=\"n\">%.0f</td><td>",
                json_str(r, "table", ""), st, st, json_num(r, "monitor_hits", 0));
        for (k = 0; cit != NULL && k < cit->n; k++) {
            esc(o, cit->items[k]->str);
            fputs(k + 1 < cit->n ? ", " : "", o);
        }
        fputs("</td><td>", o);
        esc(o, json_str(r, "reason", ""));
        fputs("</td></tr>\n", o);
    }
    fputs("</tbody></table>\n", o);
}

static void citations_section(FILE *o, const jv *errs)
{
    size_t i;
    if (errs == NULL || errs->n == 0)
        return;
    fprintf(o, "<h2>Citations the report refuses (%d)</h2>\n<ul>", (int)errs->n);
    for (i = 0; i < errs->n; i++) {
        fputs("<li><code>", o);
        esc(o, json_str(errs->items[i], "test", "?"));
        fputs("</code> cites <code>", o);
        esc(o, json_str(errs->items[i], "row", "?"));
        fputs("</code>: ", o);
        esc(o, json_str(errs->items[i], "why", ""));
        fputs("</li>", o);
    }
    fputs("</ul>\n", o);
}

int write_html(const jv *runj, const char *path)
{
    const jv *run_ = json_get(runj, "run");
    FILE *o;

    if (strcmp(json_str(runj, "schema", ""), REPORT_SCHEMA) != 0) {
        fprintf(stderr, "eve_report: not a %s file\n", REPORT_SCHEMA);
        return -1;
    }
    o = fopen(path, "w");
    if (o == NULL) {
        fprintf(stderr, "eve_report: cannot write %s\n", path);
        return -1;
    }
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width\"><title>eve-pipe conformance: ",
          o);
    esc(o, json_str(run_, "implementation", "?"));
    fprintf(o,
            "</title><style>%s</style></head><body>\n<h1>eve-pipe %s conformance report: ", style,
            json_str(run_, "suite_version", "?"));
    esc(o, json_str(run_, "implementation", "?"));
    fputs("</h1>\n", o);
    run_section(o, run_);
    totals_section(o, json_get(runj, "summary"));
    areas_section(o, json_get(runj, "tests"));
    failures_section(o, json_get(runj, "tests"));
    citations_section(o, json_get(runj, "citation_errors"));
    rows_section(o, json_get(runj, "rows"));
    fprintf(o, "<script>%s</script>\n</body></html>\n", script);
    return fclose(o) == 0 ? 0 : -1;
}
