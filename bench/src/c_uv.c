/* c_uv.c: libuv's uv_pipe, driven as its users drive it: pipes from uv_pipe() opened
 * with uv_pipe_open, uv_write issued while the stream's write_queue_size is within the
 * same bound ref/ uses as its high-water mark (and again from each write callback),
 * reads with uv_read_start into a 64 KiB buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "bench.h"

#define WHO "libuv"
#define UV_HIGH_WATER_DEFAULT ((size_t)1024 * 1024) /* ref/'s default high-water mark */
#define UV_READ_BUFFER ((size_t)65536)

/* ---- write requests: a free list, so a write costs libuv's work and not malloc's ---- */

typedef struct uv_breq {
    uv_write_t req;
    struct uv_breq *next;
} uv_breq;

static uv_breq *uv_free_reqs;

static uv_write_t *uv_req_get(void)
{
    uv_breq *r = uv_free_reqs;
    if (r)
        uv_free_reqs = r->next;
    else
        r = malloc(sizeof *r);
    return r ? &r->req : NULL;
}

static void uv_req_put(uv_write_t *req)
{
    uv_breq *r = (uv_breq *)(void *)req;
    r->next = uv_free_reqs;
    uv_free_reqs = r;
}

static void uv_req_drain(void)
{
    while (uv_free_reqs) {
        uv_breq *r = uv_free_reqs;
        uv_free_reqs = r->next;
        free(r);
    }
}

/* One shared read buffer: libuv hands it back to read_cb before the next alloc_cb. */
static char uv_read_buf[UV_READ_BUFFER];

static void uv_on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    *buf = uv_buf_init(uv_read_buf, sizeof uv_read_buf);
    (void)h;
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
} uv_bpair;

static int uv_open(uv_loop_t *loop, uv_bpair *p)
{
    uv_file fds[2];
    int rc = uv_pipe(fds, UV_NONBLOCK_PIPE, UV_NONBLOCK_PIPE);
    if (rc != 0) {
        bench_fail(WHO, "uv_pipe: %s", uv_strerror(rc));
        return 1;
    }
    uv_pipe_init(loop, &p->rd, 0);
    uv_pipe_init(loop, &p->wr, 0);
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
    size_t bound = bench_tune.high_water ? bench_tune.high_water : UV_HIGH_WATER_DEFAULT;
    while (p->sent < p->total && p->wr.write_queue_size <= bound && !p->errors) {
        uint64_t left = p->total - p->sent;
        size_t n = left < p->wsize ? (size_t)left : p->wsize;
        uv_buf_t buf = uv_buf_init((char *)bench_pattern_at(p->start + p->sent), (unsigned)n);
        uv_write_t *req = uv_req_get();
        int rc;
        if (req == NULL) {
            p->errors++;
            break;
        }
        req->data = p;
        rc = uv_write(req, (uv_stream_t *)&p->wr, &buf, 1, uv_on_write);
        if (rc != 0) {
            bench_fail(WHO, "uv_write: %s", uv_strerror(rc));
            uv_req_put(req);
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
    uv_req_put(req);
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

/* Close whatever a failed run left open and free the loop. */
static void uv_teardown(uv_loop_t *loop, uv_bpair *pairs, unsigned n)
{
    unsigned i;
    for (i = 0; i < n; i++) {
        if (!uv_is_closing((uv_handle_t *)&pairs[i].rd) && pairs[i].rd.loop == loop)
            uv_close((uv_handle_t *)&pairs[i].rd, uv_on_close);
        if (!uv_is_closing((uv_handle_t *)&pairs[i].wr) && pairs[i].wr.loop == loop)
            uv_close((uv_handle_t *)&pairs[i].wr, uv_on_close);
    }
    uv_run(loop, UV_RUN_DEFAULT);
    if (uv_loop_close(loop) != 0)
        bench_fail(WHO, "uv_loop_close: busy");
    uv_req_drain();
}

static int uv_stream(const bench_params *prm, bench_result *res)
{
    uv_loop_t loop;
    uv_bpair *pairs = calloc(prm->pairs, sizeof *pairs);
    unsigned i;
    int failed = pairs == NULL || uv_loop_init(&loop) != 0;
    double t0;

    if (pairs == NULL)
        return 1;
    for (i = 0; !failed && i < prm->pairs; i++) {
        uv_bpair *p = &pairs[i];
        p->start = p->check.pos = (uint64_t)i * 4099;
        p->total = prm->bytes;
        p->wsize = prm->write_size;
        failed = uv_open(&loop, p) ||
                 uv_read_start((uv_stream_t *)&p->rd, uv_on_alloc, uv_on_read) != 0;
    }
    if (!failed) {
        t0 = bench_now();
        for (i = 0; i < prm->pairs; i++)
            uv_pump(&pairs[i]);
        uv_run(&loop, UV_RUN_DEFAULT);
        res->seconds = bench_now() - t0;
        res->bytes = 0;
        for (i = 0; i < prm->pairs; i++) {
            failed |= uv_verify(&pairs[i]);
            res->bytes += pairs[i].check.pos - pairs[i].start;
        }
    }
    uv_teardown(&loop, pairs, prm->pairs);
    free(pairs);
    return failed;
}

/* ---- ping-pong ---- */

typedef struct uv_pp {
    uv_bpair pr[2]; /* [0]: A writes, B reads; [1]: B writes, A reads */
    uint64_t n;
    uint64_t done;
    uint64_t echoed;
    uint8_t out[256]; /* each byte value's own storage: several may be in flight */
    int bad;
} uv_pp;

static uv_pp *uv_pp_cur;

static void uv_pp_on_write(uv_write_t *req, int status)
{
    if (status != 0)
        uv_pp_cur->bad++;
    uv_req_put(req);
}

static void uv_pp_send(uv_pp *pp, int side, uint8_t b)
{
    uv_write_t *req = uv_req_get();
    uv_buf_t buf = uv_buf_init((char *)&pp->out[b], 1);
    if (req == NULL || uv_write(req, (uv_stream_t *)&pp->pr[side].wr, &buf, 1, uv_pp_on_write))
        pp->bad++;
}

static void uv_pp_finish(uv_pp *pp)
{
    uv_close_wr(&pp->pr[0]);
    uv_close_wr(&pp->pr[1]);
}

/* B reads pair 0 and echoes on pair 1; A reads pair 1 and sends the next byte. */
static void uv_pp_on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    uv_pp *pp = uv_pp_cur;
    int is_b = s == (uv_stream_t *)&pp->pr[0].rd;
    ssize_t i;

    if (nread <= 0) {
        if (nread < 0) {
            if (nread != UV_EOF)
                pp->bad++;
            uv_close((uv_handle_t *)s, uv_on_close);
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
        uv_pp_finish(pp);
}

static int uv_pingpong(const bench_params *prm, bench_result *res)
{
    uv_loop_t loop;
    uv_pp pp;
    int failed;
    int i;
    double t0;

    memset(&pp, 0, sizeof pp);
    for (i = 0; i < 256; i++)
        pp.out[i] = (uint8_t)i;
    pp.n = prm->round_trips;
    uv_pp_cur = &pp;
    failed = uv_loop_init(&loop) != 0;
    for (i = 0; !failed && i < 2; i++)
        failed = uv_open(&loop, &pp.pr[i]) ||
                 uv_read_start((uv_stream_t *)&pp.pr[i].rd, uv_on_alloc, uv_pp_on_read) != 0;
    if (!failed) {
        t0 = bench_now();
        uv_pp_send(&pp, 0, 0);
        uv_run(&loop, UV_RUN_DEFAULT);
        res->seconds = bench_now() - t0;
        res->ops = pp.done;
        if (pp.bad || pp.done != pp.n) {
            bench_fail(WHO, "ping-pong: %llu of %llu round trips, %d bad",
                       (unsigned long long)pp.done, (unsigned long long)pp.n, pp.bad);
            failed = 1;
        }
    }
    uv_teardown(&loop, pp.pr, 2);
    return failed;
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
    int64_t base = bench_counted_live();

    for (i = 0; !failed && i < prm->pairs; i++) {
        uv_bpair *p = bench_counted_calloc(1, sizeof *p);
        ends[i] = p;
        failed = p == NULL || uv_open(&loop, p);
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

const bench_contender bench_uv = {"libuv", uv_stream, uv_pingpong, uv_idle};
