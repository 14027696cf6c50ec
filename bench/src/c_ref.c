/* c_ref.c: the ref/ contender, driven as its users drive it: one loop, writes issued
 * until eve_pipe_write reports backpressure and resumed from the writable callback,
 * reads delivered by the data callback. c_impl.c compiles the same code over another
 * implementation of the eve API (EVE_BENCH_IMPL: no heap counts, other names). */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "eve/pipe.h"

#ifndef EVE_BENCH_IMPL
/* ref/'s allocation hook (ref/src/internal.h): lets the idle workload count ref/'s heap. */
typedef void *(*eve__malloc_fn)(size_t size);
typedef void (*eve__free_fn)(void *ptr);
void eve__set_allocator(eve__malloc_fn malloc_fn, eve__free_fn free_fn);

#define WHO "ref"
#endif

typedef struct ref_pair {
    eve_pipe *rd;
    eve_pipe *wr;
    bench_check check;
    uint64_t start; /* pattern offset of this pair's stream */
    uint64_t sent;
    uint64_t total;
    size_t wsize;
    eve_pipe *then_close; /* closed gracefully when rd closes (ping-pong's echo side) */
    int rd_reason;        /* close reason, -1 while open */
    int wr_reason;
    int errors;
} ref_pair;

static eve_pipe_config ref_config(void)
{
    eve_pipe_config c;
    memset(&c, 0, sizeof c);
    c.buffer_size = bench_tune.buffer_size;
    c.high_water = bench_tune.high_water;
    c.max_write_batch = bench_tune.max_write_batch;
    return c;
}

static void ref_on_close_rd(eve_pipe *pipe, eve_pipe_close_reason reason, void *user)
{
    ref_pair *p = user;
    p->rd_reason = (int)reason;
    p->rd = NULL;
    eve_pipe_free(pipe);
    if (p->then_close)
        eve_pipe_close_graceful(p->then_close);
}

static void ref_on_close_wr(eve_pipe *pipe, eve_pipe_close_reason reason, void *user)
{
    ref_pair *p = user;
    p->wr_reason = (int)reason;
    p->wr = NULL;
    eve_pipe_free(pipe);
}

static void ref_on_error(eve_pipe *pipe, int error_number, void *user)
{
    ref_pair *p = user;
    p->errors++;
    bench_fail(WHO, "I/O error %d", error_number);
    (void)pipe;
}

/* Create a pair and adopt its read end on lr and its write end on lw (the same loop, or
 * loops of two threads), with callbacks pointing at p. */
static int ref_open(eve_loop *lr, eve_loop *lw, ref_pair *p, eve_pipe_data_cb on_data,
                    void *data_user)
{
    eve_pipe_pair_options o = {0, 0, bench_tune.kernel_buffer};
    eve_pipe_config c = ref_config();
    eve_pipe_pair pair;
    int rc;

    p->rd_reason = p->wr_reason = -1;
    rc = eve_pipe_pair_create(&pair, &o);
    if (rc != EVE_OK) {
        bench_fail(WHO, "eve_pipe_pair_create: %d", rc);
        return 1;
    }
    if (eve_pipe_create(&c, &p->rd) != EVE_OK || eve_pipe_create(&c, &p->wr) != EVE_OK) {
        bench_fail(WHO, "eve_pipe_create failed");
        return 1;
    }
    eve_pipe_on_data(p->rd, on_data, data_user);
    eve_pipe_on_close(p->rd, ref_on_close_rd, p);
    eve_pipe_on_close(p->wr, ref_on_close_wr, p);
    eve_pipe_on_error(p->rd, ref_on_error, p);
    eve_pipe_on_error(p->wr, ref_on_error, p);
    rc = eve_pipe_adopt_read(p->rd, lr, &pair.read_end);
    if (rc == EVE_OK)
        rc = eve_pipe_adopt_write(p->wr, lw, &pair.write_end);
    eve_pipe_pair_close(&pair); /* whatever was not adopted */
    if (rc != EVE_OK) {
        bench_fail(WHO, "adopt: %d", rc);
        return 1;
    }
    return 0;
}

/* Free what is still open after a failure; a no-op after a clean run. */
static void ref_teardown(eve_loop **loops, ref_pair *pairs, unsigned n)
{
    unsigned i;
    for (i = 0; i < n; i++) {
        eve_pipe_free(pairs[i].rd);
        eve_pipe_free(pairs[i].wr);
        pairs[i].rd = pairs[i].wr = NULL;
    }
    for (i = 0; i < 2; i++) {
        if (loops[i] && eve_loop_close(loops[i]) != EVE_OK)
            bench_fail(WHO, "eve_loop_close failed");
        if (loops[1] == loops[0])
            break;
    }
}

/* ---- threads: with two, the second loop (writers; ping-pong's echo side) runs in a
 * thread of its own, as a peer process would ---- */

typedef struct ref_side {
    eve_loop *loop;
    void (*start)(void *arg);
    void *arg;
    HANDLE go;
    int rc;
} ref_side;

static DWORD WINAPI ref_side_main(void *arg)
{
    ref_side *s = arg;
    WaitForSingleObject(s->go, INFINITE);
    if (s->start)
        s->start(s->arg);
    s->rc = eve_loop_run(s->loop, EVE_RUN_DEFAULT);
    return 0;
}

/* Make loops[0] and, for two threads, loops[1] (else loops[1] = loops[0]). */
static int ref_loops(eve_loop **loops, int threads)
{
    loops[0] = loops[1] = NULL;
    if (eve_loop_create(&loops[0]) != EVE_OK)
        return 1;
    if (threads == 1) {
        loops[1] = loops[0];
        return 0;
    }
    return eve_loop_create(&loops[1]) != EVE_OK;
}

/* Run side 0 (start0, loops[0]) here and side 1 (start1, loops[1]) in a thread, or both
 * on the one loop; returns the seconds from start to both loops done, < 0 on failure. */
static double ref_run(eve_loop **loops, void (*start0)(void *), void (*start1)(void *), void *arg)
{
    ref_side side = {loops[1], start1, arg, NULL, 0};
    HANDLE th = NULL;
    double t0;
    int rc;

    if (loops[1] != loops[0]) {
        side.go = CreateEventW(NULL, TRUE, FALSE, NULL);
        th = side.go ? CreateThread(NULL, 0, ref_side_main, &side, 0, NULL) : NULL;
        if (th == NULL) {
            if (side.go)
                CloseHandle(side.go);
            return -1;
        }
    }
    t0 = bench_now();
    if (th) {
        SetEvent(side.go);
    } else if (start1) {
        start1(arg);
    }
    if (start0)
        start0(arg);
    rc = eve_loop_run(loops[0], EVE_RUN_DEFAULT);
    if (th) {
        WaitForSingleObject(th, INFINITE);
        CloseHandle(th);
        CloseHandle(side.go);
        rc |= side.rc;
    }
    t0 = bench_now() - t0;
    return rc == 0 ? t0 : -1;
}

/* ---- stream: bulk and small writes, one pair or many ---- */

static void ref_pump(ref_pair *p)
{
    while (p->sent < p->total) {
        uint64_t left = p->total - p->sent;
        size_t n = left < p->wsize ? (size_t)left : p->wsize;
        eve_send_result r = eve_pipe_write(p->wr, bench_pattern_at(p->start + p->sent), n);
        if (r != EVE_SEND_OK && r != EVE_SEND_BACKPRESSURE) {
            bench_fail(WHO, "eve_pipe_write: result %d", (int)r);
            p->errors++;
            eve_pipe_close(p->wr);
            return;
        }
        p->sent += n;
        if (r == EVE_SEND_BACKPRESSURE)
            return; /* the writable callback resumes */
    }
    eve_pipe_close_graceful(p->wr);
}

static void ref_on_writable(eve_pipe *pipe, void *user)
{
    ref_pump(user);
    (void)pipe;
}

static void ref_on_data(eve_pipe *pipe, const uint8_t *data, size_t len, void *user)
{
    ref_pair *p = user;
    bench_check_feed(&p->check, data, len);
    (void)pipe;
}

static int ref_verify(const ref_pair *p)
{
    if (p->errors || p->check.bad || p->check.pos - p->start != p->total ||
        p->rd_reason != EVE_CLOSE_PEER || p->wr_reason != EVE_CLOSE_GRACEFUL) {
        bench_fail(WHO, "integrity: got %llu of %llu bytes, %llu bad, closes %d/%d",
                   (unsigned long long)(p->check.pos - p->start), (unsigned long long)p->total,
                   (unsigned long long)p->check.bad, p->rd_reason, p->wr_reason);
        return 1;
    }
    return 0;
}

typedef struct ref_stream_ctx {
    ref_pair *pairs;
    unsigned n;
} ref_stream_ctx;

static void ref_stream_start(void *arg)
{
    ref_stream_ctx *c = arg;
    unsigned i;
    for (i = 0; i < c->n; i++)
        ref_pump(&c->pairs[i]);
}

static int ref_stream_n(const bench_params *prm, bench_result *res, int threads)
{
    eve_loop *loops[2];
    ref_stream_ctx ctx = {calloc(prm->pairs, sizeof(ref_pair)), prm->pairs};
    ref_pair *pairs = ctx.pairs;
    unsigned i;
    int failed = pairs == NULL || ref_loops(loops, threads);

    for (i = 0; !failed && i < prm->pairs; i++) {
        ref_pair *p = &pairs[i];
        p->start = p->check.pos = (uint64_t)i * 4099;
        p->total = prm->bytes;
        p->wsize = prm->write_size;
        failed = ref_open(loops[0], loops[1], p, ref_on_data, p);
        if (!failed)
            eve_pipe_on_writable(p->wr, ref_on_writable, p);
    }
    if (!failed) {
        res->seconds = ref_run(loops, NULL, ref_stream_start, &ctx);
        failed = res->seconds < 0;
        res->bytes = 0;
        for (i = 0; i < prm->pairs; i++) {
            failed |= ref_verify(&pairs[i]);
            res->bytes += pairs[i].check.pos - pairs[i].start;
        }
    }
    if (pairs)
        ref_teardown(loops, pairs, prm->pairs);
    free(pairs);
    return failed;
}

static int ref_stream(const bench_params *prm, bench_result *res)
{
    return ref_stream_n(prm, res, 1);
}

static int ref_stream2(const bench_params *prm, bench_result *res)
{
    return ref_stream_n(prm, res, 2);
}

/* ---- ping-pong: A sends one byte on pair 0, B echoes it on pair 1 ---- */

typedef struct ref_pp {
    ref_pair pr[2]; /* [0]: A writes, B reads; [1]: B writes, A reads */
    uint64_t n;
    uint64_t done;
    uint64_t echoed;
    int bad;
} ref_pp;

static void ref_pp_send(ref_pp *pp)
{
    uint8_t b = (uint8_t)pp->done;
    if (eve_pipe_write(pp->pr[0].wr, &b, 1) != EVE_SEND_OK)
        pp->bad++;
}

/* B: echo each byte back. */
static void ref_pp_on_b(eve_pipe *pipe, const uint8_t *data, size_t len, void *user)
{
    ref_pp *pp = user;
    size_t i;
    for (i = 0; i < len; i++, pp->echoed++) {
        if (data[i] != (uint8_t)pp->echoed)
            pp->bad++;
    }
    if (eve_pipe_write(pp->pr[1].wr, data, len) != EVE_SEND_OK)
        pp->bad++;
    (void)pipe;
}

/* A: count the round trip, send the next byte or finish. */
static void ref_pp_on_a(eve_pipe *pipe, const uint8_t *data, size_t len, void *user)
{
    ref_pp *pp = user;
    size_t i;
    for (i = 0; i < len; i++, pp->done++) {
        if (data[i] != (uint8_t)pp->done)
            pp->bad++;
    }
    if (pp->done < pp->n)
        ref_pp_send(pp);
    else
        eve_pipe_close_graceful(pp->pr[0].wr); /* B closes its end at EOF */
    (void)pipe;
}

static void ref_pp_start(void *arg)
{
    ref_pp_send(arg);
}

/* A (pr[0].wr, pr[1].rd) on loops[0]; B (pr[0].rd, pr[1].wr) on loops[1]. */
static int ref_pingpong_n(const bench_params *prm, bench_result *res, int threads)
{
    eve_loop *loops[2];
    ref_pp pp;
    int failed;

    memset(&pp, 0, sizeof pp);
    pp.n = prm->round_trips;
    failed = ref_loops(loops, threads) ||
             ref_open(loops[1], loops[0], &pp.pr[0], ref_pp_on_b, &pp) ||
             ref_open(loops[0], loops[1], &pp.pr[1], ref_pp_on_a, &pp);
    if (!failed) {
        pp.pr[0].then_close = pp.pr[1].wr;
        res->seconds = ref_run(loops, ref_pp_start, NULL, &pp);
        res->ops = pp.done;
        if (res->seconds < 0 || pp.bad || pp.done != pp.n || pp.pr[0].errors || pp.pr[1].errors) {
            bench_fail(WHO, "ping-pong: %llu of %llu round trips, %d bad",
                       (unsigned long long)pp.done, (unsigned long long)pp.n, pp.bad);
            failed = 1;
        }
    }
    ref_teardown(loops, pp.pr, 2);
    return failed;
}

static int ref_pingpong(const bench_params *prm, bench_result *res)
{
    return ref_pingpong_n(prm, res, 1);
}

static int ref_pingpong2(const bench_params *prm, bench_result *res)
{
    return ref_pingpong_n(prm, res, 2);
}

#ifndef EVE_BENCH_IMPL
/* ---- idle: heap per open end, counted through ref/'s allocation hook ---- */

typedef struct ref_idle_end {
    eve_pipe *pipe;
    eve_pipe_pair pair; /* the handle not adopted stays here */
} ref_idle_end;

static void ref_idle_on_close(eve_pipe *pipe, eve_pipe_close_reason reason, void *user)
{
    ref_idle_end *e = user;
    e->pipe = NULL;
    eve_pipe_free(pipe);
    (void)reason;
}

/* Adopt one end of a fresh pair: the read end (reading, idle) or the write end. */
static int ref_idle_open(eve_loop *loop, ref_idle_end *e, int read_end)
{
    eve_pipe_pair_options o = {0, 0, bench_tune.kernel_buffer};
    eve_pipe_config c = ref_config();

    if (eve_pipe_pair_create(&e->pair, &o) != EVE_OK || eve_pipe_create(&c, &e->pipe) != EVE_OK)
        return 1;
    eve_pipe_on_close(e->pipe, ref_idle_on_close, e);
    if (read_end)
        return eve_pipe_adopt_read(e->pipe, loop, &e->pair.read_end) != EVE_OK;
    return eve_pipe_adopt_write(e->pipe, loop, &e->pair.write_end) != EVE_OK;
}

/* The inbound quota a pair asks of the kernel, read back from its server handle. */
static DWORD ref_kernel_quota(void)
{
    eve_pipe_pair_options o = {0, 0, bench_tune.kernel_buffer};
    eve_pipe_pair pair;
    DWORD in_quota = 0;
    if (eve_pipe_pair_create(&pair, &o) == EVE_OK) {
        GetNamedPipeInfo(pair.read_end, NULL, NULL, &in_quota, NULL);
        eve_pipe_pair_close(&pair);
    }
    return in_quota;
}

static int ref_idle(const bench_params *prm, bench_result *res)
{
    eve_loop *loop = NULL;
    ref_idle_end *ends = calloc(prm->pairs, sizeof *ends);
    unsigned i;
    int failed;
    int64_t base0;
    int64_t base;

    eve__set_allocator(bench_counted_malloc, bench_counted_free);
    base0 = bench_counted_live();
    failed = ends == NULL || eve_loop_create(&loop) != EVE_OK;
    base = bench_counted_live();
    for (i = 0; !failed && i < prm->pairs; i++)
        failed = ref_idle_open(loop, &ends[i], prm->read_end);
    if (!failed) {
        eve_loop_run(loop, EVE_RUN_NOWAIT); /* let anything deferred settle */
        res->heap_per_end = (double)(bench_counted_live() - base) / prm->pairs;
    }
    for (i = 0; ends && i < prm->pairs; i++) {
        if (ends[i].pipe)
            eve_pipe_close(ends[i].pipe);
    }
    res->kernel_per_end = prm->read_end ? (double)ref_kernel_quota() : 0.0;
    if (loop) {
        eve_loop_run(loop, EVE_RUN_DEFAULT);
        if (eve_loop_close(loop) != EVE_OK)
            failed = 1;
    }
    for (i = 0; ends && i < prm->pairs; i++)
        eve_pipe_pair_close(&ends[i].pair);
    if (!failed && bench_counted_live() != base0) {
        bench_fail(WHO, "idle: %lld heap bytes not freed",
                   (long long)(bench_counted_live() - base0));
        failed = 1;
    }
    eve__set_allocator(NULL, NULL);
    free(ends);
    return failed;
}

/* ---- many pairs, then idle ---- */

typedef struct ref_ip {
    eve_pipe *rd;
    eve_pipe *wr;
    bench_check check;
    int closes;
} ref_ip;

static void ref_ip_on_data(eve_pipe *pipe, const uint8_t *data, size_t len, void *user)
{
    bench_check_feed(&((ref_ip *)user)->check, data, len);
    (void)pipe;
}

static void ref_ip_on_close(eve_pipe *pipe, eve_pipe_close_reason reason, void *user)
{
    ((ref_ip *)user)->closes++;
    eve_pipe_free(pipe);
    (void)reason;
}

static int ref_ip_open(eve_loop *loop, ref_ip *p, size_t bytes)
{
    eve_pipe_pair_options o = {0, 0, bench_tune.kernel_buffer};
    eve_pipe_config c = ref_config();
    eve_pipe_pair pair;

    if (eve_pipe_pair_create(&pair, &o) != EVE_OK)
        return 1;
    if (eve_pipe_create(&c, &p->rd) != EVE_OK || eve_pipe_create(&c, &p->wr) != EVE_OK) {
        eve_pipe_pair_close(&pair);
        return 1;
    }
    eve_pipe_on_data(p->rd, ref_ip_on_data, p);
    eve_pipe_on_close(p->rd, ref_ip_on_close, p);
    eve_pipe_on_close(p->wr, ref_ip_on_close, p);
    if (eve_pipe_adopt_read(p->rd, loop, &pair.read_end) != EVE_OK ||
        eve_pipe_adopt_write(p->wr, loop, &pair.write_end) != EVE_OK) {
        eve_pipe_pair_close(&pair);
        return 1;
    }
    return eve_pipe_write(p->wr, bench_pattern_at(0), bytes) != EVE_SEND_OK;
}

/* prm->pairs pairs on one loop, each carrying write_size bytes; once every byte has
 * arrived, all stay open: heap (ref/'s allocations) and working set per pair. */
static int ref_idle_pairs(const bench_params *prm, bench_result *res)
{
    eve_loop *loop = NULL;
    ref_ip *pairs = calloc(prm->pairs, sizeof *pairs);
    uint64_t want = (uint64_t)prm->pairs * prm->write_size;
    uint64_t got = 0;
    uint64_t ws0 = bench_working_set();
    int64_t base0 = bench_counted_live();
    int64_t base;
    unsigned i;
    long turns;
    int failed;

    eve__set_allocator(bench_counted_malloc, bench_counted_free);
    failed = pairs == NULL || eve_loop_create(&loop) != EVE_OK;
    base = bench_counted_live();
    for (i = 0; !failed && i < prm->pairs; i++)
        failed = ref_ip_open(loop, &pairs[i], prm->write_size);
    for (turns = 0; !failed && got < want && turns < 10000000L; turns++) {
        failed = eve_loop_run(loop, EVE_RUN_ONCE) < 0;
        for (got = 0, i = 0; i < prm->pairs; i++)
            got += pairs[i].check.pos;
    }
    if (!failed && got == want) {
        eve_loop_run(loop, EVE_RUN_NOWAIT);
        res->heap_per_end = (double)(bench_counted_live() - base) / prm->pairs;
        res->ws_per_end = (double)(int64_t)(bench_working_set() - ws0) / prm->pairs;
    } else if (!failed) {
        bench_fail(WHO, "idle pairs: %llu of %llu bytes arrived", (unsigned long long)got,
                   (unsigned long long)want);
        failed = 1;
    }
    for (i = 0; pairs && i < prm->pairs; i++) {
        failed |= pairs[i].check.bad != 0;
        eve_pipe_close(pairs[i].rd);
        eve_pipe_close(pairs[i].wr);
    }
    if (loop) {
        eve_loop_run(loop, EVE_RUN_DEFAULT);
        failed |= eve_loop_close(loop) != EVE_OK;
    }
    eve__set_allocator(NULL, NULL);
    if (!failed && bench_counted_live() != base0) {
        bench_fail(WHO, "idle pairs: %lld heap bytes not freed",
                   (long long)(bench_counted_live() - base0));
        failed = 1;
    }
    free(pairs);
    return failed;
}

#endif /* EVE_BENCH_IMPL */

/* ---- wakeups ---- */

typedef struct ref_wake {
    eve_loop *loop;
    bench_storm *storm;
    unsigned threads;
    int saw_all;
} ref_wake;

static void ref_wake_call(void *arg)
{
    eve_loop_wakeup(arg);
}

static void ref_wake_cb(eve_loop *loop, void *user)
{
    ref_wake *w = user;
    w->saw_all = bench_storm_done(w->storm) == w->threads;
    (void)loop;
}

/* The loop has no pipe: it blocks in RUN_ONCE because a wakeup callback is set. */
static int ref_wakeup(const bench_params *prm, bench_result *res)
{
    ref_wake w;
    double t0;
    int failed;

    memset(&w, 0, sizeof w);
    w.threads = prm->pairs;
    failed = eve_loop_create(&w.loop) != EVE_OK;
    if (!failed)
        failed = eve_loop_on_wakeup(w.loop, ref_wake_cb, &w) != EVE_OK;
    t0 = bench_now();
    if (!failed)
        w.storm = bench_storm_start(w.threads, prm->round_trips, ref_wake_call, w.loop);
    failed |= w.storm == NULL;
    while (!failed && !w.saw_all)
        failed = eve_loop_run(w.loop, EVE_RUN_ONCE) < 0;
    res->seconds = bench_now() - t0;
    res->ops = (uint64_t)w.threads * (prm->round_trips + 1);
    if (w.storm)
        bench_storm_join(w.storm);
    if (w.loop) {
        eve_loop_run(w.loop, EVE_RUN_NOWAIT); /* the packet of a call after the last callback */
        failed |= eve_loop_close(w.loop) != EVE_OK;
    }
    return failed;
}

#ifdef EVE_BENCH_IMPL
bench_contender bench_impl = {WHO, ref_stream, ref_pingpong, NULL, NULL, ref_wakeup};
bench_contender bench_impl2 = {WHO "-2t", ref_stream2, ref_pingpong2, NULL, NULL, NULL};
#else
const bench_contender bench_ref = {"ref",    ref_stream,     ref_pingpong,
                                   ref_idle, ref_idle_pairs, ref_wakeup};
const bench_contender bench_ref2 = {"ref-2t", ref_stream2, ref_pingpong2, NULL, NULL, NULL};
#endif
