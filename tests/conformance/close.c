/* close.c: close and dispose with I/O pending, from inside every callback, of the other
 * end, peer close on each side with data buffered, graceful close versus close. */
#include "common.h"

H_TEST(close_with_read_pending)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;

    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_close(r), EVE_OK);
    ok_eq(r->close_calls, 0);
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->close_reason, EVE_CLOSE_LOCAL);
    ok_eq(r->data_calls + r->error_calls, 0);
    finish_pair(loop, r, w);
}

H_TEST(close_with_write_pending)
{
    /* A WriteFile bigger than the pipe can hold stays pending; close cancels it and counts
     * what never went out: accepted = delivered + unsent. */
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    uint8_t *big = h_alloc(4 << 20);

    h_fill(big, 4 << 20, 21);
    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_pause(r), EVE_OK);
    ok_eq(h_write(w, big, 4 << 20), EVE_SEND_BACKPRESSURE);
    h_spin(loop, 10);
    ok_eq(h_close(w), EVE_OK);
    ok(h_state(w) == EVE_PIPE_CLOSING, "state %d with a write pending", (int)h_state(w));
    /* While CLOSING the count may still grow as the cancelled write reports back, but it
     * never exceeds what was accepted (the monitor checks the same on every UNSENT). */
    ok(h_unsent(w) <= (size_t)4 << 20, "unsent %llu while CLOSING",
       (unsigned long long)h_unsent(w));
    ok_eq(h_resume(r), EVE_OK);
    H_RUN_UNTIL(loop, w->close_calls == 1 && r->close_calls == 1);
    ok_eq(w->close_reason, EVE_CLOSE_LOCAL);
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    ok(h_unsent(w) > 0, "4 MiB cannot have gone into a paused pipe");
    check_accounting(r, w, 4 << 20);
    finish_loop(loop);
}

H_TEST(dispose_with_io_pending)
{
    /* No callback ever; the loop reaps the cancelled I/O and closes cleanly. */
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    uint8_t *big = h_alloc(4 << 20);
    long before;

    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_write(w, big, 4 << 20), EVE_SEND_BACKPRESSURE);

    h_spin(loop, 5);
    before = r->data_calls;
    ok_eq(h_dispose(w), EVE_OK);
    ok_eq(h_state(w), EVE_PIPE_CLOSED);
    ok_eq(h_dispose(r), EVE_OK);
    ok_eq(h_state(r), EVE_PIPE_CLOSED);
    h_run_idle(loop);
    ok_eq(r->close_calls + w->close_calls + w->writable_calls, 0);
    ok_eq(r->data_calls, before);
    ok_eq(h_loop_close(loop), EVE_OK);
    /* Once the cancelled WriteFile is reaped, its unwritten part is counted. */
    ok(h_unsent(w) > 0, "dispose of a pending 4 MiB write left nothing unsent");
}

H_TEST(dispose_then_loop_close_drains)
{
    /* mio #1944: completions of disposed ends are reaped by eve_loop_close itself. */
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    uint8_t *big = h_alloc(1 << 20);

    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_write(w, big, 1 << 20), EVE_SEND_OK);
    ok_eq(h_dispose(r), EVE_OK);
    ok_eq(h_dispose(w), EVE_OK);
    ok_eq(h_loop_close(loop), EVE_OK);
    ok_eq(r->close_calls + w->close_calls, 0);
}

H_TEST(free_with_io_pending)
{
    /* cpython #116773 / mio #2004: freeing ends with I/O in flight must keep the OVERLAPPED
     * memory alive until the completions are reaped (valgrind/ASan catch it natively). */
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    uint8_t *big = h_alloc(2 << 20);

    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_write(w, big, 2 << 20), EVE_SEND_BACKPRESSURE);
    h_spin(loop, 3);
    h_free(w);
    h_free(r);
    h_run_idle(loop);
    ok_eq(h_loop_close(loop), EVE_OK);
}

/* ---- from inside each callback ---- */

static void close_in_data(h_pipe *r, const uint8_t *d, size_t n)
{
    (void)d, (void)n;
    ok_eq(h_close(r), EVE_OK);
    ok_eq(h_close(r), EVE_EALREADY);
}

static void dispose_in_data(h_pipe *r, const uint8_t *d, size_t n)
{
    (void)d, (void)n;
    ok_eq(h_dispose(r), EVE_OK);
    ok_eq(h_state(r), EVE_PIPE_CLOSED);
}

static void free_in_data(h_pipe *r, const uint8_t *d, size_t n)
{
    (void)d, (void)n;
    h_free(r);
}

static void close_peer_in_data(h_pipe *r, const uint8_t *d, size_t n)
{
    (void)d, (void)n;
    if (r->data_calls == 1)
        ok_eq(h_close(r->peer), EVE_OK);
}

static void dispose_peer_in_data(h_pipe *r, const uint8_t *d, size_t n)
{
    (void)d, (void)n;
    if (r->data_calls == 1)
        ok_eq(h_dispose(r->peer), EVE_OK);
}

static void free_peer_in_data(h_pipe *r, const uint8_t *d, size_t n)
{
    (void)d, (void)n;
    if (r->data_calls == 1)
        h_free(r->peer);
}

static void run_data_cb_case(h_data_fn fn, int peer)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_config rc = cfg_of(100, 0, 0);
    h_pipe *r, *w;
    static uint8_t buf[1000];

    h_pair_open(loop, &rc, NULL, &r, &w);
    r->on_data = fn;
    ok_eq(h_write(w, buf, sizeof buf), EVE_SEND_OK);
    H_RUN_UNTIL(loop, r->data_calls >= 1);
    if (!peer) {
        /* Nothing is delivered after the call took effect. */
        h_spin(loop, 10);
        ok_eq(r->data_calls, 1);
        ok_eq(h_close(w), EVE_OK);
        h_run_idle(loop);
        ok_eq(r->close_calls, fn == close_in_data ? 1 : 0);
        if (fn == close_in_data)
            ok_eq(r->close_reason, EVE_CLOSE_LOCAL);
    } else {
        /* The peer went away after its data was in the pipe: the reader still gets what
         * the peer had written, then PEER. */
        h_run_idle(loop);
        ok_eq(r->close_calls, 1);
        ok_eq(r->close_reason, EVE_CLOSE_PEER);
        ok_eq(w->close_calls, fn == close_peer_in_data ? 1 : 0);
    }
    ok_eq(h_loop_close(loop), EVE_OK);
}

H_TEST(close_inside_data_cb)
{
    run_data_cb_case(close_in_data, 0);
}

H_TEST(dispose_inside_data_cb)
{
    run_data_cb_case(dispose_in_data, 0);
}

H_TEST(free_inside_data_cb)
{
    run_data_cb_case(free_in_data, 0);
}

H_TEST(close_other_end_inside_data_cb)
{
    run_data_cb_case(close_peer_in_data, 1);
    run_data_cb_case(dispose_peer_in_data, 1);
    run_data_cb_case(free_peer_in_data, 1);
}

static void close_in_writable(h_pipe *w)
{
    ok_eq(h_close(w), EVE_OK);
}

static void dispose_in_writable(h_pipe *w)
{
    ok_eq(h_dispose(w), EVE_OK);
}

static void graceful_in_writable(h_pipe *w)
{
    ok_eq(h_close_graceful(w), EVE_OK);
}

static void close_reader_in_writable(h_pipe *w)
{
    ok_eq(h_close(w->peer), EVE_OK);
}

H_TEST(close_inside_writable_cb)
{
    static const h_event_fn fns[] = {close_in_writable, dispose_in_writable, graceful_in_writable,
                                     close_reader_in_writable};
    static uint8_t buf[3000];
    size_t i;

    for (i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        eve_loop *loop = h_loop_new();
        eve_pipe_config wc = cfg_of(0, 2048, 512);
        h_pipe *r, *w;

        h_pair_open(loop, NULL, &wc, &r, &w);
        w->on_writable = fns[i];
        ok_eq(h_write(w, buf, sizeof buf), EVE_SEND_BACKPRESSURE);
        H_RUN_UNTIL(loop, w->writable_calls == 1);
        if (fns[i] == close_reader_in_writable)
            ok_eq(h_close(w), EVE_OK);
        h_run_idle(loop);
        ok_eq(w->writable_calls, 1);
        ok_eq(w->close_calls, fns[i] == dispose_in_writable ? 0 : 1);
        ok_eq(r->close_calls, 1);
        if (fns[i] == graceful_in_writable)
            ok_eq(w->close_reason, EVE_CLOSE_GRACEFUL);
        ok_eq(h_loop_close(loop), EVE_OK);
    }
}

static void close_again_in_close(h_pipe *p, eve_pipe_close_reason reason)
{
    (void)reason;
    ok_eq(h_close(p), EVE_EALREADY);
    ok_eq(h_dispose(p), EVE_EALREADY);
    ok_eq(h_state(p), EVE_PIPE_CLOSED);
    ok_eq(h_write(p, "x", 1), p->is_read ? EVE_SEND_INVALID : EVE_SEND_CLOSED);
    if (p->peer != NULL && p->peer->raw != NULL && h_state(p->peer) != EVE_PIPE_CLOSED)
        ok(h_close(p->peer) == EVE_OK || h_state(p->peer) == EVE_PIPE_CLOSING, "close peer");
}

H_TEST(close_inside_close_cb)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;

    h_pair_open(loop, NULL, NULL, &r, &w);
    r->on_close = close_again_in_close;
    w->on_close = close_again_in_close;
    ok_eq(h_close(r), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1 && w->close_calls == 1);
    ok_eq(r->close_reason, EVE_CLOSE_LOCAL);
    finish_loop(loop);
}

H_TEST(free_inside_close_cb)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;

    h_pair_open(loop, NULL, NULL, &r, &w);
    r->free_in_close = 1;
    w->free_in_close = 1;
    ok_eq(h_write(w, "abc", 3), EVE_SEND_OK);
    ok_eq(h_close_graceful(w), EVE_OK);
    h_run_idle(loop);
    ok_eq(r->close_calls, 1);
    ok_eq(w->close_calls, 1);
    ok(r->raw == NULL && w->raw == NULL, "not freed");
    ok_eq(h_loop_close(loop), EVE_OK);
}

static void loop_calls_in_cb(h_pipe *r, const uint8_t *d, size_t n)
{
    (void)d, (void)n;
    ok_eq(eve_loop_run(r->loop, EVE_RUN_NOWAIT), EVE_EBUSY);
    ok_eq(eve_loop_close(r->loop), EVE_EBUSY);
    ok_eq(eve_loop_stop(r->loop), EVE_OK);
}

H_TEST(loop_calls_inside_callback)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    int rc;

    h_pair_open(loop, NULL, NULL, &r, &w);
    r->on_data = loop_calls_in_cb;
    ok_eq(h_write(w, "abc", 3), EVE_SEND_OK);
    /* stop from inside the callback makes this DEFAULT run return with ends still live */
    rc = h_loop_run(loop, EVE_RUN_DEFAULT);
    ok_soft();
    ok_eq(rc, 1);
    ok_eq(r->data_calls, 1);
    finish_pair(loop, r, w);
}

/* ---- peer close with data buffered, graceful versus close ---- */

H_TEST(peer_close_writer_side_data_buffered)
{
    /* The writer is gone while its bytes sit in the pipe: the reader gets them all, then
     * close(PEER) without an error callback. */
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    uint8_t buf[5000];

    h_fill(buf, sizeof buf, 31);
    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_pause(r), EVE_OK);
    ok_eq(h_write(w, buf, sizeof buf), EVE_SEND_OK);
    H_RUN_UNTIL(loop, h_queue(w) == 0);
    ok_eq(h_close(w), EVE_OK);
    H_RUN_UNTIL(loop, w->close_calls == 1);
    ok_eq(w->close_reason, EVE_CLOSE_LOCAL);
    ok_eq(h_unsent(w), 0);
    ok_eq(h_resume(r), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->rx_bytes, sizeof buf);
    ok_eq(r->rx_hash, h_hash(H_HASH_INIT, buf, sizeof buf));
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    ok_eq(r->error_calls, 0);
    finish_loop(loop);
}

H_TEST(peer_close_reader_side_data_queued)
{
    /* The reader is gone while the writer still has bytes queued (mio #1461: must not
     * block forever): the writer closes with PEER, no error callback, and counts them. */
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    uint8_t *big = h_alloc(3 << 20);

    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_pause(r), EVE_OK);
    ok_eq(h_write(w, big, 3 << 20), EVE_SEND_BACKPRESSURE);
    ok_eq(h_write(w, big, 1000), EVE_SEND_BACKPRESSURE);
    h_spin(loop, 5);
    ok_eq(h_close(r), EVE_OK);
    H_RUN_UNTIL(loop, w->close_calls == 1 && r->close_calls == 1);
    ok_eq(w->close_reason, EVE_CLOSE_PEER);
    ok_eq(w->error_calls, 0);
    ok_eq(w->writable_calls, 0);
    ok(h_unsent(w) > 0, "nothing unsent although the reader left with 3 MiB queued");
    ok(h_unsent(w) <= w->tx_accepted, "unsent %lu > accepted", (unsigned long)h_unsent(w));
    ok_eq(h_queue(w), 0);
    ok_eq(h_write(w, "x", 1), EVE_SEND_CLOSED);
    finish_loop(loop);
}

H_TEST(write_after_reader_left)
{
    /* ERROR_NO_DATA / ERROR_BROKEN_PIPE on a write to a gone reader is PEER, not an error
     * (libuv #4471, #4562). */
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;

    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_close(r), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(h_write(w, "hello", 5), EVE_SEND_OK);
    H_RUN_UNTIL(loop, w->close_calls == 1);
    ok_eq(w->close_reason, EVE_CLOSE_PEER);
    ok_eq(w->error_calls, 0);
    ok_eq(h_unsent(w), 5);
    finish_loop(loop);
}

H_TEST(graceful_vs_close_unsent)
{
    int graceful;

    for (graceful = 0; graceful < 2; graceful++) {
        eve_loop *loop = h_loop_new();
        h_pipe *r, *w;
        stream s;

        h_pair_open(loop, NULL, NULL, &r, &w);
        ok_eq(h_pause(r), EVE_OK);
        stream_start(&s, w, 3 << 20, 1 << 20, 41, 0);
        ok_eq(graceful ? h_close_graceful(w) : h_close(w), EVE_OK);
        ok_eq(h_resume(r), EVE_OK);
        H_RUN_UNTIL(loop, r->close_calls == 1 && w->close_calls == 1);
        ok_eq(r->close_reason, EVE_CLOSE_PEER);
        if (graceful) {
            /* node #53242: nothing queued at close is lost. */
            ok_eq(w->close_reason, EVE_CLOSE_GRACEFUL);
            ok_eq(h_unsent(w), 0);
            ok_eq(r->rx_bytes, s.off);
            ok(r->rx_hash == s.hash, "hash mismatch");
        } else {
            ok_eq(w->close_reason, EVE_CLOSE_LOCAL);
            ok(h_unsent(w) > 0, "close dropped nothing");
            check_accounting(r, w, s.off);
        }
        finish_loop(loop);
    }
}
