/* threads.c: two loops in two threads at once; a wakeup from another thread.
 *
 * The harness's recording is single-threaded, so the second thread drives its loop with
 * the raw public API and checks its own results; the main thread uses the harness. */
#include "common.h"

typedef struct raw_xfer {
    eve_loop *loop;
    eve_pipe *r, *w;
    uint64_t total, sent, got;
    uint64_t tx_hash, rx_hash;
    uint8_t buf[65536];
    int closes, result; /* result 0 = ok, else the line that failed */
} raw_xfer;

#define RAW_CHECK(x, c)                                                                           \
    do {                                                                                          \
        if (!(c) && (x)->result == 0)                                                             \
            (x)->result = __LINE__;                                                               \
    } while (0)

static void raw_pump(eve_pipe *w, void *user)
{
    raw_xfer *x = user;
    while (x->sent < x->total) {
        size_t n = sizeof x->buf;
        eve_send_result res;
        if (x->total - x->sent < n)
            n = (size_t)(x->total - x->sent);
        h_fill(x->buf, n, x->sent);
        res = eve_pipe_write(w, x->buf, n);
        RAW_CHECK(x, res == EVE_SEND_OK || res == EVE_SEND_BACKPRESSURE);
        x->tx_hash = h_hash(x->tx_hash, x->buf, n);
        x->sent += n;
        if (res != EVE_SEND_OK)
            return;
    }
    RAW_CHECK(x, eve_pipe_close_graceful(w) == EVE_OK);
}

static void raw_data(eve_pipe *r, const uint8_t *d, size_t n, void *user)
{
    raw_xfer *x = user;
    (void)r;
    x->got += n;
    x->rx_hash = h_hash(x->rx_hash, d, n);
}

static void raw_close(eve_pipe *p, eve_pipe_close_reason reason, void *user)
{
    raw_xfer *x = user;
    RAW_CHECK(x, reason == (p == x->r ? EVE_CLOSE_PEER : EVE_CLOSE_GRACEFUL));
    x->closes++;
}

static void raw_thread(void *arg)
{
    raw_xfer *x = arg;
    eve_pipe_pair pair = {NULL, NULL};
    long i;

    x->tx_hash = x->rx_hash = H_HASH_INIT;
    RAW_CHECK(x, eve_loop_create(&x->loop) == EVE_OK);
    RAW_CHECK(x, eve_pipe_pair_create(&pair, NULL) == EVE_OK);
    RAW_CHECK(x, eve_pipe_create(NULL, &x->r) == EVE_OK);
    RAW_CHECK(x, eve_pipe_create(NULL, &x->w) == EVE_OK);
    if (x->result != 0)
        return;
    eve_pipe_on_data(x->r, raw_data, x);
    eve_pipe_on_close(x->r, raw_close, x);
    eve_pipe_on_close(x->w, raw_close, x);
    eve_pipe_on_writable(x->w, raw_pump, x);
    RAW_CHECK(x, eve_pipe_adopt_read(x->r, x->loop, &pair.read_end) == EVE_OK);
    RAW_CHECK(x, eve_pipe_adopt_write(x->w, x->loop, &pair.write_end) == EVE_OK);
    raw_pump(x->w, x);
    for (i = 0; x->closes < 2 && x->result == 0 && i < H_MAX_ITERS; i++)
        RAW_CHECK(x, eve_loop_run(x->loop, EVE_RUN_ONCE) >= 0);
    RAW_CHECK(x, x->closes == 2);
    RAW_CHECK(x, x->got == x->total && x->rx_hash == x->tx_hash);
    eve_pipe_free(x->r);
    eve_pipe_free(x->w);
    RAW_CHECK(x, eve_loop_close(x->loop) == EVE_OK);
}

H_TEST(threads_two_loops)
{
    raw_xfer *x = h_alloc(sizeof *x);
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    h_thread *t;
    stream s;

    memset(x, 0, sizeof *x);
    x->total = 8u << 20;
    t = h_thread_start(raw_thread, x);
    h_pair_open(loop, NULL, NULL, &r, &w);
    stream_start(&s, w, 8u << 20, 64 << 10, 77, 1);
    H_RUN_UNTIL(loop, r->close_calls == 1 && w->close_calls == 1);
    ok(r->rx_bytes == (8u << 20) && r->rx_hash == s.hash, "main thread transfer corrupted");
    h_thread_join(t);
    ok(x->result == 0, "the second thread's loop failed a check at threads.c:%d", x->result);
    finish_loop(loop);
}

typedef struct waker {
    eve_loop *loop;
    int calls;
    volatile long fired;
} waker;

static void on_wake(eve_loop *loop, void *user)
{
    waker *k = user;
    (void)loop;
    k->fired++;
}

static void wake_thread(void *arg)
{
    waker *k = arg;
    int i;
    h_sleep_ms(20); /* let the main thread block first; correctness does not depend on it */
    for (i = 0; i < k->calls; i++)
        eve_loop_wakeup(k->loop);
}

H_TEST(threads_wakeup)
{
    eve_loop *loop = h_loop_new();
    waker *k = h_alloc(sizeof *k);
    h_pipe *r, *w;
    h_thread *t;
    long i;

    memset(k, 0, sizeof *k);
    k->loop = loop;
    k->calls = 1;
    ok_eq(eve_loop_on_wakeup(loop, on_wake, k), EVE_OK);
    h_pair_open(loop, NULL, NULL, &r, &w); /* a live end, so RUN_ONCE blocks */
    /* I/O is no wakeup: a byte delivered calls no wakeup callback. */
    ok_eq(h_write(w, "x", 1), EVE_SEND_OK);
    H_RUN_UNTIL(loop, r->rx_bytes == 1);
    ok(k->fired == 0, "%ld wakeup callbacks before any eve_loop_wakeup", k->fired);
    t = h_thread_start(wake_thread, k);
    for (i = 0; k->fired == 0; i++) {
        ok(i < 1000, "no wakeup callback after %ld runs", i);
        ok(h_loop_run(loop, EVE_RUN_ONCE) == 1, "run");
    }
    h_thread_join(t);
    ok_eq(r->data_calls + w->writable_calls, 1); /* the byte above, nothing since */
    /* many wakeups close together: at least one callback, never more than calls */
    k->fired = 0;
    k->calls = 1000;
    t = h_thread_start(wake_thread, k);
    h_thread_join(t);
    for (i = 0; k->fired == 0; i++) {
        ok(i < 1000, "no wakeup callback");
        ok(h_loop_run(loop, EVE_RUN_ONCE) == 1, "run");
    }
    h_spin(loop, 3);
    ok(k->fired >= 1 && k->fired <= 1000, "%ld wakeup callbacks for 1000 calls", k->fired);
    /* cleared: a wakeup still returns a blocked RUN_ONCE but calls nothing */
    ok_eq(eve_loop_on_wakeup(loop, NULL, NULL), EVE_OK);
    k->fired = 0;
    ok_eq(eve_loop_wakeup(loop), EVE_OK);
    ok(h_loop_run(loop, EVE_RUN_ONCE) == 1, "run");
    ok_eq(k->fired, 0);
    finish_pair(loop, r, w);
}

/* A storm of wakeups from many threads. */
#define STORM_THREADS 8
#define STORM_CALLS 12500 /* per thread: 100,000 in all */

typedef struct storm {
    eve_loop *loop;
    volatile long done;  /* threads past their storm; each then calls wakeup once more */
    volatile long fails; /* eve_loop_wakeup calls that did not return EVE_OK */
    long fired;          /* callbacks (loop thread only) */
    long saw_done;       /* callbacks that saw every thread done */
} storm;

static void storm_wake(eve_loop *loop, void *user)
{
    storm *s = user;
    (void)loop;
    s->fired++;
    if (h_atomic_get(&s->done) == STORM_THREADS)
        s->saw_done++;
}

static void storm_thread(void *arg)
{
    storm *s = arg;
    int i;
    for (i = 0; i < STORM_CALLS; i++) {
        if (eve_loop_wakeup(s->loop) != EVE_OK)
            h_atomic_add(&s->fails, 1);
    }
    h_atomic_add(&s->done, 1);
    /* A callback must follow this call, so one sees done == STORM_THREADS. */
    if (eve_loop_wakeup(s->loop) != EVE_OK)
        h_atomic_add(&s->fails, 1);
}

/* Runs one storm and joins its threads: every call has returned when this does. */
static void storm_run(storm *s)
{
    h_thread *t[STORM_THREADS];
    int i;

    for (i = 0; i < STORM_THREADS; i++)
        t[i] = h_thread_start(storm_thread, s);
    for (i = 0; i < STORM_THREADS; i++)
        h_thread_join(t[i]);
}

/* Wakeups are coalesced (spec/README.md, "Loop", precision 10): 100,000 calls from 8
 * threads leave at most one callback owed once they have all returned, and no call is
 * lost: a callback follows the last one. First with the loop idle, where the count is
 * exact whatever the scheduling (one callback, not one per call); then with the loop
 * running, where an implementation posting one event per call leaves a backlog the loop
 * drains for many turns after the storm. */
H_TEST(threads_wakeup_storm)
{
    eve_loop *loop = h_loop_new();
    storm *s = h_alloc(sizeof *s);
    h_thread *t[STORM_THREADS];
    h_pipe *r, *w;
    long turns, after;
    int i;

    memset(s, 0, sizeof *s);
    s->loop = loop;
    ok_eq(eve_loop_on_wakeup(loop, storm_wake, s), EVE_OK);
    h_pair_open(loop, NULL, NULL, &r, &w); /* a live end, so RUN_ONCE blocks */

    storm_run(s); /* the loop idle: one callback is owed, however the threads ran */
    ok(h_atomic_get(&s->fails) == 0, "%ld eve_loop_wakeup calls failed", s->fails);
    for (turns = 0; s->fired == 0; turns++) {
        ok(turns < H_MAX_ITERS, "no callback after a storm, %ld turns", turns);
        ok(h_loop_run(loop, EVE_RUN_ONCE) == 1, "run");
    }
    h_spin(loop, 16);
    ok(s->fired == 1,
       "%ld wakeup callbacks for %d calls made while the loop was idle: calls are "
       "not coalesced",
       s->fired, STORM_THREADS * (STORM_CALLS + 1));

    memset(s, 0, sizeof *s);
    s->loop = loop;
    for (i = 0; i < STORM_THREADS; i++)
        t[i] = h_thread_start(storm_thread, s);
    /* Blocks between callbacks: returns only because a wakeup follows every call. */
    for (turns = 0; s->saw_done == 0; turns++) {
        ok(turns < H_MAX_ITERS, "no callback saw the storm end after %ld turns", turns);
        ok(h_loop_run(loop, EVE_RUN_ONCE) == 1, "run");
    }
    for (i = 0; i < STORM_THREADS; i++)
        h_thread_join(t[i]);
    ok(h_atomic_get(&s->fails) == 0, "%ld eve_loop_wakeup calls failed", s->fails);
    after = s->fired;
    h_spin(loop, 16);
    ok(s->fired - after <= 1,
       "%ld wakeup callbacks after the storm ended (%ld in all for %d calls): calls are not "
       "coalesced",
       s->fired - after, s->fired, STORM_THREADS * (STORM_CALLS + 1));
    ok(s->fired >= 1 && s->fired <= STORM_THREADS * (STORM_CALLS + 1), "%ld callbacks", s->fired);
    ok_eq(eve_loop_on_wakeup(loop, NULL, NULL), EVE_OK);
    finish_pair(loop, r, w);
}

typedef struct late_waker {
    eve_loop *loop;
    volatile long woken; /* set just before the wakeup: RUN_ONCE cannot return before it */
} late_waker;

static void late_wake_thread(void *arg)
{
    late_waker *k = arg;
    h_sleep_ms(20); /* let the main thread block first; correctness does not depend on it */
    k->woken = 1;
    eve_loop_wakeup(k->loop);
}

/* RUN_ONCE blocks until something happens: with one idle live end and no wakeup callback,
 * it returns only after the other thread's wakeup (loop.h: "block until at least one event
 * is dispatched"), never at once. */
H_TEST(threads_once_blocks)
{
    eve_loop *loop = h_loop_new();
    late_waker *k = h_alloc(sizeof *k);
    eve_pipe_pair pair = {NULL, NULL};
    h_pipe *r = h_pipe_new(NULL);
    h_thread *t;

    k->loop = loop;
    k->woken = 0;
    ok_eq(h_pair_create(&pair, NULL), EVE_OK);
    ok_eq(h_adopt_read(r, loop, &pair.read_end), EVE_OK);
    h_pair_took(&pair, 1);
    t = h_thread_start(late_wake_thread, k);
    ok(h_loop_run(loop, EVE_RUN_ONCE) == 1, "run");
    ok(k->woken == 1, "RUN_ONCE returned before anything happened");
    h_thread_join(t);
    ok_eq(r->data_calls, 0);
    ok_eq(h_loop_close(loop), EVE_EBUSY); /* one live end is enough to refuse */
    /* A stopped loop's next run returns at once, saying one end is still live. */
    ok_eq(eve_loop_stop(loop), EVE_OK);
    ok(h_loop_run(loop, EVE_RUN_ONCE) == 1, "run after stop with one live end");
    ok_eq(h_pair_close(&pair), EVE_OK); /* the write end goes: end of stream */
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    finish_loop(loop);
}
