/* fault_sweep: one fixed scenario through the public eve API (create a pair, adopt both
 * ends, write a few chunks, close the write end gracefully, run until both ends closed,
 * free everything), run once cleanly to count winsim's calls, then once per fault point:
 * every call site x every error Windows documents for it (winsim_sweep_points), plus
 * every allocation of ref/ failing. Each run must: not crash, leak no allocation and no
 * handle, call the close callback exactly once per adopted end, deliver a prefix of what
 * was written, and, when the read end saw EOF, account every accepted byte as delivered
 * or unsent. Prints how many fault points it survived.
 * Usage: winsim_fault_sweep [--quick] [--verbose] [--seed S]...
 *   --quick: every 7th point; --seed: sweep these seeds instead of 0, 0x5eed, 1..4. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <winsim.h>

#include "eve/loop.h"
#include "eve/pipe.h"

/* ref/'s internal allocation hook (ref/src/internal.h). */
void eve__set_allocator(void *(*malloc_fn)(size_t), void (*free_fn)(void *));

static long live_allocs;

static void *count_malloc(size_t n)
{
    void *p = winsim_malloc(n);
    if (p)
        live_allocs++;
    return p;
}

static void count_free(void *p)
{
    if (p)
        live_allocs--;
    winsim_free(p);
}

typedef struct end_state {
    int adopted;
    int closes;
    eve_pipe_close_reason reason;
} end_state;

typedef struct run {
    end_state rd, wr;
    size_t accepted, delivered, unsent;
    int corrupt;
    int errors;
    char why[160];
} run;

static uint8_t pattern(size_t i)
{
    return (uint8_t)(i * 131u + (i >> 9));
}

static void on_data(eve_pipe *p, const uint8_t *data, size_t len, void *user)
{
    run *r = user;
    size_t i;
    (void)p;
    for (i = 0; i < len; i++) {
        if (data[i] != pattern(r->delivered + i))
            r->corrupt = 1;
    }
    r->delivered += len;
}

static void on_close_rd(eve_pipe *p, eve_pipe_close_reason reason, void *user)
{
    run *r = user;
    (void)p;
    r->rd.closes++;
    r->rd.reason = reason;
}

static void on_close_wr(eve_pipe *p, eve_pipe_close_reason reason, void *user)
{
    run *r = user;
    (void)p;
    r->wr.closes++;
    r->wr.reason = reason;
}

static void on_error(eve_pipe *p, int err, void *user)
{
    run *r = user;
    (void)p;
    (void)err;
    r->errors++;
}

static const size_t CHUNKS[] = {1000, 70000, 5, 200000, 3000};

static void write_all(eve_pipe *wr, run *r)
{
    static uint8_t buf[200000];
    size_t c, off = 0, i;
    for (c = 0; c < sizeof CHUNKS / sizeof CHUNKS[0]; c++) {
        eve_send_result s;
        for (i = 0; i < CHUNKS[c]; i++)
            buf[i] = pattern(off + i);
        s = eve_pipe_write(wr, buf, CHUNKS[c]);
        if (s != EVE_SEND_OK && s != EVE_SEND_BACKPRESSURE)
            break; /* the stream must stay a prefix of the pattern */
        r->accepted += CHUNKS[c];
        off += CHUNKS[c];
    }
}

/* Run until no end is live; a bounded number of passes, since a faulted
 * GetQueuedCompletionStatusEx makes one pass fail. 0 when done. */
static int drive(eve_loop *loop)
{
    int pass;
    for (pass = 0; pass < 100000; pass++) {
        int rc = eve_loop_run(loop, EVE_RUN_ONCE);
        if (rc == 0)
            return 0;
        if (winsim_deadlocks() > 0)
            return -1;
    }
    return -1;
}

static void fail(run *r, const char *why)
{
    if (r->why[0] == '\0')
        snprintf(r->why, sizeof r->why, "%s", why);
}

static void scenario(run *r)
{
    eve_loop *loop = NULL;
    eve_pipe *rd = NULL, *wr = NULL;
    eve_pipe_pair pair = {NULL, NULL};

    memset(r, 0, sizeof *r);
    if (eve_loop_create(&loop) != EVE_OK)
        return;
    if (eve_pipe_pair_create(&pair, NULL) == EVE_OK && eve_pipe_create(NULL, &rd) == EVE_OK &&
        eve_pipe_create(NULL, &wr) == EVE_OK) {
        eve_pipe_on_data(rd, on_data, r);
        eve_pipe_on_close(rd, on_close_rd, r);
        eve_pipe_on_error(rd, on_error, r);
        eve_pipe_on_close(wr, on_close_wr, r);
        eve_pipe_on_error(wr, on_error, r);
        r->rd.adopted = eve_pipe_adopt_read(rd, loop, &pair.read_end) == EVE_OK;
        r->wr.adopted = eve_pipe_adopt_write(wr, loop, &pair.write_end) == EVE_OK;
        if (r->wr.adopted)
            write_all(wr, r);
        if (!r->rd.adopted)
            eve_pipe_close(wr); /* nobody will ever read */
        else
            eve_pipe_close_graceful(wr);
        if (!r->wr.adopted)
            eve_pipe_close(rd);
        if (drive(loop) != 0)
            fail(r, "the loop did not finish (deadlock or endless passes)");
        r->unsent = eve_pipe_unsent_bytes(wr);
    }
    eve_pipe_pair_close(&pair);
    eve_pipe_free(rd);
    eve_pipe_free(wr);
    if (eve_loop_close(loop) != EVE_OK)
        fail(r, "eve_loop_close refused after everything closed");
}

/* An injected read failure with a "peer gone" error looks like EOF to ref/ while bytes
 * are still in the pipe: those are lost legitimately, so the accounting holds exactly
 * only when the EOF is real. */
static void check(run *r, const winsim_fault_point *pt)
{
    int real_eof = pt == NULL || strncmp(pt->call, "ReadFile", 8) != 0;
    if (r->rd.adopted && r->rd.closes != 1)
        fail(r, "read end: close callbacks != 1");
    if (r->wr.adopted && r->wr.closes != 1)
        fail(r, "write end: close callbacks != 1");
    if (!r->rd.adopted && r->rd.closes != 0)
        fail(r, "read end closed without being adopted");
    if (r->corrupt)
        fail(r, "delivered bytes are not the written stream");
    if (r->delivered > r->accepted)
        fail(r, "delivered more than accepted");
    if (real_eof && r->rd.adopted && r->rd.closes == 1 && r->rd.reason == EVE_CLOSE_PEER &&
        r->delivered + r->unsent != r->accepted)
        fail(r, "EOF seen but accepted != delivered + unsent");
    if (live_allocs != 0)
        fail(r, "ref/ allocations leaked");
}

static int one_point(const winsim_fault_point *pt, uint64_t seed, int verbose)
{
    run r;
    size_t leaked;
    winsim_seed(seed);
    winsim_reset();
    live_allocs = 0;
    if (pt)
        winsim_fail(pt->call, pt->nth, pt->error);
    scenario(&r);
    check(&r, pt);
    leaked = winsim_reset();
    if (leaked)
        fail(&r, "handles leaked");
    if (r.why[0] || verbose) {
        printf("%s %s #%u error %lu seed %llu: %s (accepted %zu delivered %zu unsent %zu, "
               "closes %d/%d reasons %d/%d)\n",
               r.why[0] ? "FAIL" : "ok  ", pt ? pt->call : "(none)", pt ? pt->nth : 0,
               pt ? (unsigned long)pt->error : 0ul, (unsigned long long)seed,
               r.why[0] ? r.why : "", r.accepted, r.delivered, r.unsent, r.rd.closes, r.wr.closes,
               (int)r.rd.reason, (int)r.wr.reason);
    }
    return r.why[0] == '\0';
}

int main(int argc, char **argv)
{
    uint64_t seeds[64] = {0, 0x5eed, 1, 2, 3, 4};
    size_t nseeds = 0, total = 0, survived = 0, s;
    int quick = 0, verbose = 0, i;

    for (i = 1; i < argc; i++) {
        quick |= strcmp(argv[i], "--quick") == 0;
        verbose |= strcmp(argv[i], "--verbose") == 0;
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc && nseeds < 64)
            seeds[nseeds++] = strtoull(argv[++i], NULL, 0);
    }
    if (nseeds == 0)
        nseeds = 6;
    eve__set_allocator(count_malloc, count_free);
    for (s = 0; s < nseeds; s++) {
        winsim_fault_point *pts;
        size_t n, k;
        if (!one_point(NULL, seeds[s], verbose)) {
            printf("fault sweep: the clean run fails (seed %llu)\n", (unsigned long long)seeds[s]);
            return 1;
        }
        /* the clean run's call counts define the points (re-run it to count) */
        winsim_seed(seeds[s]);
        winsim_reset();
        {
            run r;
            scenario(&r);
        }
        n = winsim_sweep_points(NULL, 0);
        pts = calloc(n ? n : 1, sizeof *pts);
        if (pts == NULL)
            return 1;
        winsim_sweep_points(pts, n);
        winsim_reset();
        for (k = 0; k < n; k++) {
            if (quick && k % 7 != 0)
                continue;
            total++;
            survived += (size_t)one_point(&pts[k], seeds[s], verbose);
        }
        free(pts);
    }
    eve__set_allocator(NULL, NULL);
    printf("fault sweep: survived %zu of %zu fault points\n", survived, total);
    return survived == total && total > 0 ? 0 : 1;
}
