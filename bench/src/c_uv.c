/* c_uv.c: libuv's uv_pipe, driven as its users drive it: pipes from uv_pipe() opened
 * with uv_pipe_open, uv_write issued while the stream's write_queue_size is within the
 * same bound ref/ uses as its high-water mark (and again from each write callback),
 * reads with uv_read_start into a 64 KiB buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eve/pipe.h> /* the high-water bound: ref/'s default */
#include <uv.h>

#include "bench.h"

#define WHO "libuv"
#define UV_READ_BUFFER ((size_t)65536)

/* ---- write requests: a free list per pair (one thread each), so a write costs
 * libuv's work and not malloc's ---- */

typedef struct uv_breq {
    uv_write_t req;
    struct uv_breq *next;
} uv_breq;

static uv_write_t *uv_req_get(uv_breq **pool)
{
    uv_breq *r = *pool;
    if (r)
        *pool = r->next;
    else
        r = malloc(sizeof *r);
    return r ? &r->req : NULL;
}

static void uv_req_put(uv_breq **pool, uv_write_t *req)
{
    uv_breq *r = (uv_breq *)(void *)req;
    r->next = *pool;
    *pool = r;
}

static void uv_req_drain(uv_breq **pool)
{
    while (*pool) {
        uv_breq *r = *pool;
        *pool = r->next;
        free(r);
    }
}

/* One read buffer per loop (loop->data): libuv hands it to read_cb before the next
 * alloc_cb of that loop. */
static void uv_on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    *buf = uv_buf_init(h->loop->data, UV_READ_BUFFER);
    (void)suggested;
}

/* ---- pairs ---- */

typedef struct uv_bpair {
    uv_pipe_t rd;
    uv_pipe_t wr;
    bench_check check;
    uint64_t start;
    uint64_t sent;
    uint64_t total;
    size_t wsize;
    unsigned inflight; /* write requests not yet called back */
    int eof;
    int errors;
    int closed; /* handles whose close callback ran */
    int wr_closing;
    uv_breq *pool;    /* the writer's free requests */
    struct uv_pp *pp; /* ping-pong: the session this pair belongs to */
} uv_bpair;

/* The read end on lr, the write end on lw. */
static int uv_open(uv_loop_t *lr, uv_loop_t *lw, uv_bpair *p)
{
    uv_file fds[2];
    int rc = uv_pipe(fds, UV_NONBLOCK_PIPE, UV_NONBLOCK_PIPE);
    if (rc != 0) {
        bench_fail(WHO, "uv_pipe: %s", uv_strerror(rc));
        return 1;
    }
    uv_pipe_init(lr, &p->rd, 0);
    uv_pipe_init(lw, &p->wr, 0);
    p->rd.data = p->wr.data = p;
    rc = uv_pipe_open(&p->rd, fds[0]);
    if (rc == 0)
        rc = uv_pipe_open(&p->wr, fds[1]);
    if (rc != 0) {
        bench_fail(WHO, "uv_pipe_open: %s", uv_strerror(rc));
        return 1;
    }
    return 0;
}

static void uv_on_close(uv_handle_t *h)
{
    uv_bpair *p = h->data;
    p->closed++;
}

static void uv_close_wr(uv_bpair *p)
{
    if (p->wr_closing)
        return;
    p->wr_closing = 1;
    uv_close((uv_handle_t *)&p->wr, uv_on_close);
}

/* ---- stream ---- */

static void uv_on_write(uv_write_t *req, int status);

static void uv_pump(uv_bpair *p)
{
    size_t bound = bench_tune.high_water ? bench_tune.high_water : EVE_PIPE_DEFAULT_HIGH_WATER;
    while (p->sent < p->total && p->wr.write_queue_size <= bound && !p->errors) {
        uint64_t left = p->total - p->sent;
        size_t n = left < p->wsize ? (size_t)left : p->wsize;
        uv_buf_t buf = uv_buf_init((char *)bench_pattern_at(p->start + p->sent), (unsigned)n);
        uv_write_t *req = uv_req_get(&p->pool);
        int rc;
        if (req == NULL) {
            p->errors++;
            break;
        }
        req->data = p;
        rc = uv_write(req, (uv_stream_t *)&p->wr, &buf, 1, uv_on_write);
        if (rc != 0) {
            bench_fail(WHO, "uv_write: %s", uv_strerror(rc));
            uv_req_put(&p->pool, req);
            p->errors++;
            break;
        }
        p->inflight++;
        p->sent += n;
    }
    if ((p->sent == p->total || p->errors) && p->inflight == 0)
        uv_close_wr(p);
}

static void uv_on_write(uv_write_t *req, int status)
{
    uv_bpair *p = req->data;
    uv_req_put(&p->pool, req);
    p->inflight--;
    if (status != 0) {
        bench_fail(WHO, "write callback: %s", uv_strerror(status));
        p->errors++;
    }
    uv_pump(p);
}

static void uv_on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    uv_bpair *p = s->data;
    if (nread > 0) {
        bench_check_feed(&p->check, (const uint8_t *)buf->base, (size_t)nread);
        return;
    }
    if (nread == 0)
        return;
    if (nread == UV_EOF)
        p->eof = 1;
    else
        p->errors++;
    uv_close((uv_handle_t *)&p->rd, uv_on_close);
}

static int uv_verify(const uv_bpair *p)
{
    if (p->errors || p->check.bad || p->check.pos - p->start != p->total || !p->eof) {
        bench_fail(WHO, "integrity: got %llu of %llu bytes, %llu bad, eof %d, errors %d",
                   (unsigned long long)(p->check.pos - p->start), (unsigned long long)p->total,
                   (unsigned long long)p->check.bad, p->eof, p->errors);
        return 1;
    }
    return 0;
}

/* ---- loops: with two threads the second (writers; ping-pong's echo side) runs in a
 * thread of its own, as a peer process would ---- */

typedef struct uv_loops {
    uv_loop_t loop[2];
    char *buf[2];
    int n; /* loops initialised */
} uv_loops;

static int uv_loops_init(uv_loops *l, int threads)
{
    memset(l, 0, sizeof *l);
    for (l->n = 0; l->n < threads; l->n++) {
        l->buf[l->n] = malloc(UV_READ_BUFFER);
        if (l->buf[l->n] == NULL || uv_loop_init(&l->loop[l->n]) != 0) {
            free(l->buf[l->n]);
            return 1;
        }
        l->loop[l->n].data = l->buf[l->n];
    }
    return 0;
}

static uv_loop_t *uv_side(uv_loops *l, int i)
{
    return &l->loop[i < l->n ? i : 0];
}

/* Close whatever a failed run left open and free the loops. */
static void uv_teardown(uv_loops *l, uv_bpair *pairs, unsigned n)
{
    unsigned i;
    int k;
    for (i = 0; i < n; i++) {
        if (!uv_is_closing((uv_handle_t *)&pairs[i].rd) && pairs[i].rd.loop != NULL)
            uv_close((uv_handle_t *)&pairs[i].rd, uv_on_close);
        if (!uv_is_closing((uv_handle_t *)&pairs[i].wr) && pairs[i].wr.loop != NULL)
            uv_close((uv_handle_t *)&pairs[i].wr, uv_on_close);
    }
    for (k = 0; k < l->n; k++) {
        uv_run(&l->loop[k], UV_RUN_DEFAULT);
        if (uv_loop_close(&l->loop[k]) != 0)
            bench_fail(WHO, "uv_loop_close: busy");
        free(l->buf[k]);
    }
    for (i = 0; i < n; i++)
        uv_req_drain(&pairs[i].pool);
}

typedef struct uv_side_arg {
    uv_loop_t *loop;
    void (*start)(void *arg);
    void *arg;
} uv_side_arg;

static void uv_side_main(void *arg)
{
    uv_side_arg *s = arg;
    if (s->start)
        s->start(s->arg);
    uv_run(s->loop, UV_RUN_DEFAULT);
}

/* Run side 0 here and side 1 in a thread (or both on one loop); the seconds taken. */
static double uv_run_sides(uv_loops *l, void (*start0)(void *), void (*start1)(void *), void *arg)
{
    uv_side_arg side = {uv_side(l, 1), start1, arg};
    uv_thread_t th;
    double t0 = bench_now();

    if (l->n == 2) {
        if (uv_thread_create(&th, uv_side_main, &side) != 0)
            return -1;
    } else if (start1) {
        start1(arg);
    }
    if (start0)
        start0(arg);
    uv_run(&l->loop[0], UV_RUN_DEFAULT);
    if (l->n == 2)
        uv_thread_join(&th);
    return bench_now() - t0;
}

/* ---- stream ---- */

typedef struct uv_stream_ctx {
    uv_bpair *pairs;
    unsigned n;
} uv_stream_ctx;

static void uv_stream_start(void *arg)
{
    uv_stream_ctx *c = arg;
    unsigned i;
    for (i = 0; i < c->n; i++)
        uv_pump(&c->pairs[i]);
}

static int uv_stream_n(const bench_params *prm, bench_result *res, int threads)
{
    uv_loops loops;
    uv_stream_ctx ctx = {calloc(prm->pairs, sizeof(uv_bpair)), prm->pairs};
    uv_bpair *pairs = ctx.pairs;
    unsigned i;
    int failed;

    if (pairs == NULL)
        return 1;
    failed = uv_loops_init(&loops, threads);
    for (i = 0; !failed && i < prm->pairs; i++) {
        uv_bpair *p = &pairs[i];
        p->start = p->check.pos = (uint64_t)i * 4099;
        p->total = prm->bytes;
        p->wsize = prm->write_size;
        failed = uv_open(uv_side(&loops, 0), uv_side(&loops, 1), p) ||
                 uv_read_start((uv_stream_t *)&p->rd, uv_on_alloc, uv_on_read) != 0;
    }
    if (!failed) {
        res->seconds = uv_run_sides(&loops, NULL, uv_stream_start, &ctx);
        failed = res->seconds < 0;
        res->bytes = 0;
        for (i = 0; i < prm->pairs; i++) {
            failed |= uv_verify(&pairs[i]);
            res->bytes += pairs[i].check.pos - pairs[i].start;
        }
    }
    uv_teardown(&loops, pairs, prm->pairs);
    free(pairs);
    return failed;
}

static int uv_stream(const bench_params *prm, bench_result *res)
{
    return uv_stream_n(prm, res, 1);
}

static int uv_stream2(const bench_params *prm, bench_result *res)
{
    return uv_stream_n(prm, res, 2);
}

/* ---- ping-pong: A (pr[0].wr, pr[1].rd) on loop 0, B (pr[0].rd, pr[1].wr) on loop 1 ---- */

typedef struct uv_pp {
    uv_bpair pr[2]; /* [0]: A writes, B reads; [1]: B writes, A reads */
    uint64_t n;
    uint64_t done;
    uint64_t echoed;
    uint8_t out[256]; /* each byte value's own storage: several may be in flight */
    int bad;
} uv_pp;

static void uv_pp_on_write(uv_write_t *req, int status)
{
    uv_bpair *p = req->data;
    if (status != 0)
        p->errors++;
    uv_req_put(&p->pool, req);
}

static void uv_pp_send(uv_pp *pp, int side, uint8_t b)
{
    uv_bpair *p = &pp->pr[side];
    uv_write_t *req = uv_req_get(&p->pool);
    uv_buf_t buf = uv_buf_init((char *)&pp->out[b], 1);
    if (req == NULL) {
        pp->bad++;
        return;
    }
    req->data = p;
    if (uv_write(req, (uv_stream_t *)&p->wr, &buf, 1, uv_pp_on_write) != 0) {
        uv_req_put(&p->pool, req);
        pp->bad++;
    }
}

/* B reads pair 0 and echoes on pair 1; A reads pair 1 and sends the next byte. At the end
 * A closes its write end; B closes its own when it sees end of stream. */
static void uv_pp_on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    uv_bpair *p = s->data;
    uv_pp *pp = p->pp;
    int is_b = s == (uv_stream_t *)&pp->pr[0].rd;
    ssize_t i;

    if (nread <= 0) {
        if (nread < 0) {
            if (nread != UV_EOF)
                pp->bad++;
            uv_close((uv_handle_t *)s, uv_on_close);
            if (is_b)
                uv_close_wr(&pp->pr[1]);
        }
        return;
    }
    for (i = 0; i < nread; i++) {
        uint64_t *seq = is_b ? &pp->echoed : &pp->done;
        if ((uint8_t)buf->base[i] != (uint8_t)*seq)
            pp->bad++;
        ++*seq;
    }
    if (is_b)
        uv_pp_send(pp, 1, (uint8_t)buf->base[nread - 1]);
    else if (pp->done < pp->n)
        uv_pp_send(pp, 0, (uint8_t)pp->done);
    else
        uv_close_wr(&pp->pr[0]);
}

static void uv_pp_start(void *arg)
{
    uv_pp_send(arg, 0, 0);
}

static int uv_pingpong_n(const bench_params *prm, bench_result *res, int threads)
{
    uv_loops loops;
    uv_pp pp;
    int failed;
    int i;

    memset(&pp, 0, sizeof pp);
    for (i = 0; i < 256; i++)
        pp.out[i] = (uint8_t)i;
    pp.n = prm->round_trips;
    pp.pr[0].pp = pp.pr[1].pp = &pp;
    failed = uv_loops_init(&loops, threads) ||
             uv_open(uv_side(&loops, 1), uv_side(&loops, 0), &pp.pr[0]) ||
             uv_open(uv_side(&loops, 0), uv_side(&loops, 1), &pp.pr[1]);
    for (i = 0; !failed && i < 2; i++)
        failed = uv_read_start((uv_stream_t *)&pp.pr[i].rd, uv_on_alloc, uv_pp_on_read) != 0;
    if (!failed) {
        res->seconds = uv_run_sides(&loops, uv_pp_start, NULL, &pp);
        res->ops = pp.done;
        if (res->seconds < 0 || pp.bad || pp.done != pp.n || pp.pr[0].errors || pp.pr[1].errors) {
            bench_fail(WHO, "ping-pong: %llu of %llu round trips, %d bad",
                       (unsigned long long)pp.done, (unsigned long long)pp.n, pp.bad);
            failed = 1;
        }
    }
    uv_teardown(&loops, pp.pr, 2);
    return failed;
}

static int uv_pingpong(const bench_params *prm, bench_result *res)
{
    return uv_pingpong_n(prm, res, 1);
}

static int uv_pingpong2(const bench_params *prm, bench_result *res)
{
    return uv_pingpong_n(prm, res, 2);
}

/* ---- idle: the handle (allocated by the user) plus what libuv allocates ---- */

/* The inbound quota uv_pipe asked of the kernel, read back from the server handle. */
static DWORD uv_kernel_quota(uv_pipe_t *rd)
{
    uv_os_fd_t h;
    DWORD in_quota = 0;
    if (uv_fileno((uv_handle_t *)rd, &h) == 0)
        GetNamedPipeInfo(h, NULL, NULL, &in_quota, NULL);
    return in_quota;
}

static int uv_idle(const bench_params *prm, bench_result *res)
{
    uv_loop_t loop;
    uv_bpair **ends = calloc(prm->pairs, sizeof *ends);
    unsigned i;
    int failed = ends == NULL || uv_loop_init(&loop) != 0;
    char *rbuf = malloc(UV_READ_BUFFER); /* not counted: libuv only borrows it on data */
    int64_t base = bench_counted_live();

    loop.data = rbuf;

    for (i = 0; !failed && i < prm->pairs; i++) {
        uv_bpair *p = bench_counted_calloc(1, sizeof *p);
        ends[i] = p;
        failed = p == NULL || uv_open(&loop, &loop, p);
        if (!failed && prm->read_end)
            failed = uv_read_start((uv_stream_t *)&p->rd, uv_on_alloc, uv_on_read) != 0;
    }
    if (!failed) {
        uv_run(&loop, UV_RUN_NOWAIT);
        /* Each uv_bpair holds both handles; one end is half of it (minus bench fields). */
        res->heap_per_end = ((double)(bench_counted_live() - base) / prm->pairs) -
                            sizeof(uv_bpair) + sizeof(uv_pipe_t);
        res->kernel_per_end = prm->read_end ? (double)uv_kernel_quota(&ends[0]->rd) : 0.0;
    }
    for (i = 0; ends && i < prm->pairs; i++) {
        if (ends[i] == NULL)
            continue;
        if (ends[i]->rd.loop == &loop)
            uv_close((uv_handle_t *)&ends[i]->rd, uv_on_close);
        if (ends[i]->wr.loop == &loop)
            uv_close((uv_handle_t *)&ends[i]->wr, uv_on_close);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    free(rbuf);
    for (i = 0; ends && i < prm->pairs; i++)
        bench_counted_free(ends[i]);
    free(ends);
    return failed;
}

/* libuv's own allocations are counted from the start: it may not change allocator once
 * it has allocated. */
void bench_uv_init(void)
{
    uv_replace_allocator(bench_counted_malloc, bench_counted_realloc, bench_counted_calloc,
                         bench_counted_free);
}

/* ---- wakeups: uv_async_send, libuv's thread-safe wakeup (coalesced) ---- */

typedef struct uv_wake {
    uv_async_t async;
    bench_storm *storm;
    unsigned threads;
    int saw_all;
} uv_wake;

static void uv_wake_call(void *arg)
{
    uv_async_send(arg);
}

static void uv_wake_cb(uv_async_t *a)
{
    uv_wake *w = a->data;
    w->saw_all = bench_storm_done(w->storm) == w->threads;
}

static int uv_wakeup(const bench_params *prm, bench_result *res)
{
    uv_loop_t loop;
    uv_wake w;
    double t0;
    int failed;

    memset(&w, 0, sizeof w);
    w.threads = prm->pairs;
    w.async.data = &w;
    failed = uv_loop_init(&loop) != 0;
    if (failed)
        return 1;
    failed = uv_async_init(&loop, &w.async, uv_wake_cb) != 0;
    w.async.data = &w;
    t0 = bench_now();
    if (!failed)
        w.storm = bench_storm_start(w.threads, prm->round_trips, uv_wake_call, &w.async);
    failed |= w.storm == NULL;
    while (!failed && !w.saw_all)
        uv_run(&loop, UV_RUN_ONCE);
    res->seconds = bench_now() - t0;
    res->ops = (uint64_t)w.threads * (prm->round_trips + 1);
    if (w.storm)
        bench_storm_join(w.storm);
    uv_close((uv_handle_t *)&w.async, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return failed;
}

const bench_contender bench_uv = {"libuv", uv_stream, uv_pingpong, uv_idle, NULL, uv_wakeup};
const bench_contender bench_uv2 = {"libuv-2t", uv_stream2, uv_pingpong2, NULL, NULL, NULL};
