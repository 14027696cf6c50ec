/* main.c: eve_bench, the driver. For each workload it sizes each contender's transfer so
 * one run takes about --target-ms (a probe run, also a warm-up and an integrity check),
 * then does --runs timed runs, contenders interleaved so background load hits all of
 * them alike, and prints a Markdown table: median [min..max] and the ratios ref/libuv and
 * ref/raw of the medians. Exit status 1 if any transfer failed its integrity check. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "eve/pipe.h"

#ifdef EVE_BENCH_HAVE_LIBUV
void bench_uv_init(void);
#endif

/* Contenders that are built; a column of the table is one of them with a tuning. */
static const bench_contender *const contenders[] = {
    &bench_ref,
#ifdef EVE_BENCH_HAVE_LIBUV
    &bench_uv,
#endif
    &bench_raw,  &bench_ref2,
#ifdef EVE_BENCH_HAVE_LIBUV
    &bench_uv2,
#endif
#ifdef EVE_BENCH_HAVE_IMPL
    &bench_impl, &bench_impl2,
#endif
};
#define NBUILT (sizeof contenders / sizeof contenders[0])

/* --sweep adds ref/ columns with other tunings, so configurations are compared in the
 * same interleaved runs, under the same background load. */
#define MAX_COLS 12

typedef struct column {
    const bench_contender *c;
    bench_tuning tune;
    char name[40];
} column;

static column cols[MAX_COLS];
static size_t NCONT;

#define MAX_RUNS 51

typedef struct workload {
    const char *id;
    const char *label;
    bench_kind kind;
    size_t write_size;
    unsigned pairs;
} workload;

static const workload workloads[] = {
#define BENCH_ROW(id, label, kind, ws, pairs) {#id, label, kind, ws, pairs},
    BENCH_WORKLOADS(BENCH_ROW)
#undef BENCH_ROW
};
#define NWORK (sizeof workloads / sizeof workloads[0])

static struct {
    int runs;
    double target;
    int quick;
    const char *only;      /* comma-separated workload ids, NULL: all */
    const char *only_cont; /* comma-separated contender names, NULL: all */
    const char *sweep;     /* ref tunings BUFFER:KBUF:BATCH:HIGH,... (0 = default) */
    int sweep_threads;     /* 2: the sweep's columns are ref-2t */
} opt = {5, 0.5, 0, NULL, NULL, NULL, 1};

/* One cell: the values of the timed runs, or failed. */
typedef struct cell {
    double v[MAX_RUNS];
    int n;
    int failed;
    int skipped;
    double kernel; /* IDLE: kernel quota per end */
    double ws;     /* IDLE_PAIRS: working set per pair (of the last run) */
    double med;
} cell;

static cell table[NWORK][MAX_COLS];

static int listed(const char *list, const char *name)
{
    size_t len = strlen(name);
    const char *p = list;
    if (list == NULL)
        return 1;
    while ((p = strstr(p, name)) != NULL) {
        if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == 0))
            return 1;
        p += len;
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* ---- one run ---- */

/* The contender's function for a workload kind, NULL if it does not measure it. */
static int (*fn_of(const bench_contender *c, bench_kind kind))(const bench_params *,
                                                               bench_result *)
{
    switch (kind) {
    case BENCH_STREAM:
        return c->stream;
    case BENCH_PINGPONG:
        return c->pingpong;
    case BENCH_IDLE:
        return c->idle;
    case BENCH_IDLE_PAIRS:
        return c->idle_pairs;
    default:
        return c->wakeup;
    }
}

static int run_once(const column *col, const workload *w, const bench_params *p, double *value,
                    cell *cl)
{
    const bench_contender *c = col->c;
    bench_result r;
    int rc;

    memset(&r, 0, sizeof r);
    bench_tune = col->tune;
    switch (w->kind) {
    case BENCH_STREAM:
        rc = c->stream(p, &r);
        *value = r.seconds > 0 ? (double)r.bytes / (1024.0 * 1024.0) / r.seconds : 0;
        break;
    case BENCH_PINGPONG:
        rc = c->pingpong(p, &r);
        *value = r.seconds > 0 ? (double)r.ops / r.seconds : 0;
        break;
    case BENCH_IDLE:
        rc = c->idle(p, &r);
        *value = r.heap_per_end;
        cl->kernel = r.kernel_per_end;
        break;
    case BENCH_IDLE_PAIRS:
        rc = c->idle_pairs(p, &r);
        *value = r.heap_per_end;
        cl->ws = r.ws_per_end;
        break;
    default:
        rc = c->wakeup(p, &r);
        *value = r.seconds > 0 ? (double)r.ops / r.seconds : 0;
        break;
    }
    return rc;
}

/* Probe sizes: big enough to leave start-up effects behind, small enough for the slowest
 * contender; the timed runs scale them to the target time. */
static void probe_params(const workload *w, bench_params *p)
{
    memset(p, 0, sizeof *p);
    p->write_size = w->write_size;
    p->pairs = w->pairs;
    p->read_end = strcmp(w->id, "idle_rd") == 0;
    if (opt.quick && w->pairs > 1 && w->kind != BENCH_WAKEUP)
        p->pairs = w->kind == BENCH_IDLE || w->kind == BENCH_IDLE_PAIRS ? 8 : 50;
    p->round_trips = opt.quick ? 100 : 300;
    if (w->kind == BENCH_WAKEUP)
        p->round_trips = opt.quick ? 1000 : 20000; /* calls per thread */
    if (w->pairs > 1)
        p->bytes = w->write_size;
    else if (w->write_size < 4096)
        p->bytes = opt.quick ? 64 * 1024 : 256 * 1024;
    else
        p->bytes = w->write_size * (opt.quick ? 4 : 32);
}

/* Scale a probe that took `seconds` so a run takes about the target time. */
static void scale_params(const workload *w, bench_params *p, double seconds)
{
    double f = opt.target / (seconds > 0.001 ? seconds : 0.001);
    if (f < 1)
        f = 1;
    if (f > 4096)
        f = 4096;
    if (w->kind == BENCH_PINGPONG || w->kind == BENCH_WAKEUP) {
        p->round_trips = (uint64_t)((double)p->round_trips * f);
    } else if (w->kind == BENCH_STREAM) {
        uint64_t b = (uint64_t)((double)p->bytes * f);
        p->bytes = (b + w->write_size - 1) / w->write_size * w->write_size;
    }
}

static void measure(size_t wi)
{
    const workload *w = &workloads[wi];
    bench_params prm[NCONT];
    size_t ci;
    int run;

    for (ci = 0; ci < NCONT; ci++) {
        cell *cl = &table[wi][ci];
        double t0;
        double v = 0;
        probe_params(w, &prm[ci]);
        if (!listed(opt.only_cont, cols[ci].name) || fn_of(cols[ci].c, w->kind) == NULL) {
            cl->skipped = 1;
            continue;
        }
        t0 = bench_now();
        if (run_once(&cols[ci], w, &prm[ci], &v, cl) != 0) {
            bench_fail(cols[ci].name, "%s: probe run failed", w->id);
            cl->failed = 1;
            continue;
        }
        if (!opt.quick)
            scale_params(w, &prm[ci], bench_now() - t0);
    }
    for (run = 0; run < opt.runs; run++) {
        for (ci = 0; ci < NCONT; ci++) {
            cell *cl = &table[wi][ci];
            double v = 0;
            if (cl->failed || cl->skipped)
                continue;
            if (w->kind == BENCH_IDLE_PAIRS && run > 0)
                continue; /* 10,000 pairs: one run tells the memory */
            if (run_once(&cols[ci], w, &prm[ci], &v, cl) != 0) {
                bench_fail(cols[ci].name, "%s: run %d failed", w->id, run + 1);
                cl->failed = 1;
                continue;
            }
            cl->v[cl->n++] = v;
        }
    }
    for (ci = 0; ci < NCONT; ci++) {
        cell *cl = &table[wi][ci];
        if (cl->n > 0) {
            qsort(cl->v, (size_t)cl->n, sizeof cl->v[0], cmp_double);
            cl->med = cl->n % 2 ? cl->v[cl->n / 2] : (cl->v[cl->n / 2 - 1] + cl->v[cl->n / 2]) / 2;
        }
        if (!cl->skipped && !cl->failed)
            fprintf(stderr, "eve_bench:   %-9s %-6s %llu %s per run\n", w->id, cols[ci].name,
                    (unsigned long long)(w->kind == BENCH_PINGPONG ? prm[ci].round_trips
                                         : w->kind == BENCH_WAKEUP
                                             ? prm[ci].round_trips * prm[ci].pairs
                                         : w->kind == BENCH_STREAM ? prm[ci].bytes * prm[ci].pairs
                                                                   : prm[ci].pairs),
                    w->kind == BENCH_PINGPONG ? "round trips"
                    : w->kind == BENCH_WAKEUP ? "calls"
                    : w->kind == BENCH_STREAM ? "bytes"
                                              : "ends");
    }
}

/* ---- output ---- */

static const char *unit_of(const workload *w)
{
    switch (w->kind) {
    case BENCH_STREAM:
        return "MiB/s";
    case BENCH_PINGPONG:
        return "rt/s";
    case BENCH_IDLE_PAIRS:
        return "heap B/pair";
    case BENCH_WAKEUP:
        return "calls/s";
    default:
        return "heap B";
    }
}

static void format_value(char *out, size_t size, double v)
{
    if (v >= 100)
        snprintf(out, size, "%.0f", v);
    else if (v >= 10)
        snprintf(out, size, "%.1f", v);
    else
        snprintf(out, size, "%.2f", v);
}

static void format_cell(char *out, size_t size, const cell *cl)
{
    char a[32], b[32], c[32];
    if (cl->skipped) {
        snprintf(out, size, "-");
        return;
    }
    if (cl->failed || cl->n == 0) {
        snprintf(out, size, "FAILED");
        return;
    }
    format_value(a, sizeof a, cl->med);
    format_value(b, sizeof b, cl->v[0]);
    format_value(c, sizeof c, cl->v[cl->n - 1]);
    if (cl->v[0] == cl->v[cl->n - 1])
        snprintf(out, size, "%s", a);
    else
        snprintf(out, size, "%s [%s..%s]", a, b, c);
}

static int cell_ok(const cell *cl)
{
    return !cl->skipped && !cl->failed && cl->n > 0;
}

static void format_ratio(char *out, size_t size, const cell *num, const cell *den)
{
    if (!cell_ok(num) || !cell_ok(den) || den->med <= 0)
        snprintf(out, size, "-");
    else
        snprintf(out, size, "%.2f", num->med / den->med);
}

static size_t col_of(const char *name)
{
    size_t ci;
    for (ci = 0; ci < NCONT; ci++) {
        if (strcmp(cols[ci].name, name) == 0)
            return ci;
    }
    return NCONT;
}

/* Ratio columns: numerator and denominator columns, printed when both exist. */
static const char *const ratios[][2] = {
    {"ref", "libuv"},  {"ref", "raw"},    {"ref-2t", "libuv-2t"},
    {"ref-2t", "raw"}, {"asio", "libuv"}, {"asio-2t", "libuv-2t"},
};
#define NRATIO (sizeof ratios / sizeof ratios[0])

static int ratio_shown(size_t i)
{
    return col_of(ratios[i][0]) < NCONT && col_of(ratios[i][1]) < NCONT;
}

static void print_table(void)
{
    size_t wi;
    size_t ci;
    size_t ri;
    char buf[96];

    printf("| workload | unit |");
    for (ci = 0; ci < NCONT; ci++)
        printf(" %s |", cols[ci].name);
    for (ri = 0; ri < NRATIO; ri++) {
        if (ratio_shown(ri))
            printf(" %s/%s |", ratios[ri][0], ratios[ri][1]);
    }
    printf("\n|---|---|");
    for (ci = 0; ci < NCONT; ci++)
        printf("---|");
    for (ri = 0; ri < NRATIO; ri++) {
        if (ratio_shown(ri))
            printf("---|");
    }
    printf("\n");
    for (wi = 0; wi < NWORK; wi++) {
        const workload *w = &workloads[wi];
        if (!listed(opt.only, w->id))
            continue;
        printf("| %s | %s |", w->label, unit_of(w));
        for (ci = 0; ci < NCONT; ci++) {
            format_cell(buf, sizeof buf, &table[wi][ci]);
            printf(" %s |", buf);
        }
        for (ri = 0; ri < NRATIO; ri++) {
            if (!ratio_shown(ri))
                continue;
            format_ratio(buf, sizeof buf, &table[wi][col_of(ratios[ri][0])],
                         &table[wi][col_of(ratios[ri][1])]);
            printf(" %s |", buf);
        }
        printf("\n");
    }
    for (wi = 0; wi < NWORK; wi++) {
        if (workloads[wi].kind != BENCH_IDLE || !listed(opt.only, workloads[wi].id))
            continue;
        printf("\nkernel pipe buffer asked per %s:", workloads[wi].label);
        for (ci = 0; ci < NCONT; ci++) {
            if (cell_ok(&table[wi][ci]))
                printf(" %s %.0f B;", cols[ci].name, table[wi][ci].kernel);
        }
    }
    for (wi = 0; wi < NWORK; wi++) {
        if (workloads[wi].kind != BENCH_IDLE_PAIRS || !listed(opt.only, workloads[wi].id))
            continue;
        printf("\nworking set growth per pair, %s:", workloads[wi].label);
        for (ci = 0; ci < NCONT; ci++) {
            if (cell_ok(&table[wi][ci]))
                printf(" %s %.0f B (%.1f MiB for %u pairs);", cols[ci].name, table[wi][ci].ws,
                       table[wi][ci].ws * workloads[wi].pairs / (1024.0 * 1024.0),
                       workloads[wi].pairs);
        }
    }
    printf("\n");
}

/* ---- targets ---- */

typedef struct target {
    const char *workload;
    const char *who;     /* the ref column judged */
    const char *against; /* contender, or NULL: an absolute bound on ref */
    double factor;       /* ref >= factor * against; or ref <= factor (absolute) */
    int ws;              /* absolute bound on the working set per pair, not the cell */
} target;

/* The bars ref/ must clear (bench/README.md, "Targets"): ratios within one run. */
static const target targets[] = {
    {"w1m", "ref", "libuv", 1.3, 0},
    {"w1m", "ref-2t", "raw", 1.0, 0},
    {"w1m", "ref-2t", "libuv-2t", 1.3, 0},
    {"bulk", "ref", "libuv", 2, 0},
    {"bulk", "ref-2t", "raw", 1.0, 0},
    {"w4k", "ref", "libuv", 10, 0},
    {"w128", "ref", "libuv", 150, 0},
    {"pingpong", "ref", "libuv", 1.3, 0},
    {"pairs", "ref", "libuv", 1.0, 0},
    {"idle_rd", "ref", NULL, 1024, 0},
    {"idle_wr", "ref", NULL, 1024, 0},
    {"idle10k", "ref", NULL, 256.0 * 1024 * 1024 / 10000, 1},
};

static void print_target(const target *t, const cell *ref, const cell *other)
{
    if (ref == NULL || !cell_ok(ref) || (t->against && (!other || !cell_ok(other)))) {
        printf("  %-9s %s vs %s: not measured\n", t->workload, t->who,
               t->against ? t->against : "bound");
    } else if (t->against) {
        double got = ref->med / other->med;
        printf("  %-9s %s >= %gx %s: %.2fx  %s\n", t->workload, t->who, t->factor, t->against, got,
               got >= t->factor ? "met" : "MISSED");
    } else {
        double got = t->ws ? ref->ws : ref->med;
        printf("  %-9s %s %s <= %.0f B: %.0f B  %s\n", t->workload, t->who,
               t->ws ? "working set per pair" : "heap", t->factor, got,
               got <= t->factor ? "met" : "MISSED");
    }
}

static void print_targets(void)
{
    size_t i;
    size_t wi;

    printf("\ntargets (medians):\n");
    for (i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        const target *t = &targets[i];
        const cell *ref = NULL;
        const cell *other = NULL;
        size_t me = col_of(t->who);
        size_t col = t->against ? col_of(t->against) : NCONT;
        for (wi = 0; wi < NWORK && me < NCONT; wi++) {
            if (strcmp(workloads[wi].id, t->workload) == 0 && listed(opt.only, t->workload)) {
                ref = &table[wi][me];
                other = col < NCONT ? &table[wi][col] : NULL;
            }
        }
        print_target(t, ref, other);
    }
}

/* ---- arguments ---- */

static void usage(void)
{
    fprintf(stderr, "usage: eve_bench [--quick] [--runs N] [--target-ms MS] [--only W1,W2]\n"
                    "                 [--contenders ref,libuv,raw] [--buffer B] [--high B]\n"
                    "                 [--batch B] [--kbuf B] [--sweep B:K:W:H,B:K:W:H...]\n"
                    "--sweep: ref/ columns only, one per tuning: read buffer, kernel buffer,\n"
                    "max write batch, high water (bytes, K/M suffixes, 0 = default);\n"
                    "--sweep-threads 2: those columns run two loops in two threads (ref-2t)\n"
                    "workloads:");
    for (size_t i = 0; i < NWORK; i++)
        fprintf(stderr, " %s", workloads[i].id);
    fprintf(stderr, "\n");
}

static size_t parse_size(const char *s, char **end);

static int parse_args(int argc, char **argv)
{
    char *end;
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--quick") == 0) {
            opt.quick = 1;
            opt.runs = 1;
            continue;
        }
        if (v == NULL)
            return 1;
        i++;
        if (strcmp(a, "--runs") == 0)
            opt.runs = atoi(v);
        else if (strcmp(a, "--target-ms") == 0)
            opt.target = atof(v) / 1000.0;
        else if (strcmp(a, "--only") == 0)
            opt.only = v;
        else if (strcmp(a, "--contenders") == 0)
            opt.only_cont = v;
        else if (strcmp(a, "--buffer") == 0)
            bench_tune.buffer_size = parse_size(v, &end);
        else if (strcmp(a, "--high") == 0)
            bench_tune.high_water = parse_size(v, &end);
        else if (strcmp(a, "--batch") == 0)
            bench_tune.max_write_batch = parse_size(v, &end);
        else if (strcmp(a, "--sweep") == 0)
            opt.sweep = v;
        else if (strcmp(a, "--sweep-threads") == 0)
            opt.sweep_threads = atoi(v);
        else if (strcmp(a, "--kbuf") == 0)
            bench_tune.kernel_buffer = parse_size(v, &end);
        else
            return 1;
    }
    return opt.runs < 1 || opt.runs > MAX_RUNS || opt.target <= 0;
}

static size_t parse_size(const char *s, char **end)
{
    size_t v = (size_t)strtoull(s, end, 0);
    if (**end == 'K' || **end == 'k')
        v *= 1024, (*end)++;
    else if (**end == 'M' || **end == 'm')
        v *= 1024 * 1024, (*end)++;
    return v;
}

static void size_name(char *out, size_t size, size_t v)
{
    if (v == 0)
        snprintf(out, size, "def");
    else if (v % (1024 * 1024) == 0)
        snprintf(out, size, "%zuM", v / (1024 * 1024));
    else if (v % 1024 == 0)
        snprintf(out, size, "%zuK", v / 1024);
    else
        snprintf(out, size, "%zu", v);
}

/* One ref/ column per BUFFER:KBUF:BATCH:HIGH entry. Returns 0, or 1 if malformed. */
static int parse_sweep(const char *list)
{
    const char *p = list;
    while (*p && NCONT < MAX_COLS) {
        size_t f[4] = {0, 0, 0, 0};
        char n[4][16];
        char *end = (char *)p;
        int i;
        for (i = 0; i < 4; i++) {
            f[i] = parse_size(p, &end);
            if (end == p)
                return 1;
            p = end;
            if (*p != ':')
                break;
            p++;
        }
        column *col = &cols[NCONT++];
        col->c = opt.sweep_threads == 2 ? &bench_ref2 : &bench_ref;
        col->tune.buffer_size = f[0];
        col->tune.kernel_buffer = f[1];
        col->tune.max_write_batch = f[2];
        col->tune.high_water = f[3];
        for (i = 0; i < 4; i++)
            size_name(n[i], sizeof n[i], f[i]);
        snprintf(col->name, sizeof col->name, "%s %s/%s/%s/%s", col->c->name, n[0], n[1], n[2],
                 n[3]);
        if (*p == ',')
            p++;
        else if (*p)
            return 1;
    }
    return *p != 0 || NCONT == 0;
}

static void default_columns(void)
{
    size_t i;
    for (i = 0; i < NBUILT; i++) {
        cols[i].c = contenders[i];
        cols[i].tune = bench_tune; /* --buffer etc. tune ref/ and the kernel buffer */
        snprintf(cols[i].name, sizeof cols[i].name, "%s", contenders[i]->name);
    }
    NCONT = NBUILT;
}

int main(int argc, char **argv)
{
    size_t wi;
    size_t ci;
    int failed = 0;

    if (parse_args(argc, argv) || (opt.sweep && parse_sweep(opt.sweep))) {
        usage();
        return 2;
    }
    if (!opt.sweep)
        default_columns();
#ifdef EVE_BENCH_HAVE_LIBUV
    bench_uv_init();
#endif
#ifdef EVE_BENCH_HAVE_IMPL
    bench_impl_load();
#endif
    bench_pattern_init();
    fprintf(stderr,
            "eve_bench: %d run(s) per cell, ~%.0f ms each; ref config: buffer_size %zu, "
            "high_water %zu, max_write_batch %zu, kernel buffer %zu (0 = default)\n",
            opt.runs, opt.target * 1000, bench_tune.buffer_size, bench_tune.high_water,
            bench_tune.max_write_batch, bench_tune.kernel_buffer);
    for (wi = 0; wi < NWORK; wi++) {
        if (!listed(opt.only, workloads[wi].id))
            continue;
        fprintf(stderr, "eve_bench: %s\n", workloads[wi].label);
        measure(wi);
        for (ci = 0; ci < NCONT; ci++)
            failed |= table[wi][ci].failed;
    }
    print_table();
    if (!opt.sweep)
        print_targets();
    fflush(stdout);
    if (failed)
        fprintf(stderr, "eve_bench: FAILED: a transfer failed (see above)\n");
    return failed;
}
