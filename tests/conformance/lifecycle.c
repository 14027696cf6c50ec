/* lifecycle.c: the states of each end and what every call returns in them. */
#include "common.h"

H_TEST(lifecycle_read_end)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;

    r = h_pipe_new(NULL);
    ok_eq(h_state(r), EVE_PIPE_DETACHED);
    ok_eq(h_is_open(r), 0);
    h_free(r);
    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_state(r), EVE_PIPE_OPEN);
    ok_eq(h_is_open(r), 1);
    ok_eq(h_pause(r), EVE_OK);
    ok_eq(h_state(r), EVE_PIPE_PAUSED);
    ok_eq(h_is_open(r), 1);
    ok_eq(h_pause(r), EVE_EALREADY);
    ok_eq(h_resume(r), EVE_OK);
    ok_eq(h_state(r), EVE_PIPE_OPEN);
    ok_eq(h_resume(r), EVE_EALREADY);
    ok_eq(h_write(r, "x", 1), EVE_SEND_INVALID);
    ok_eq(h_queue(r), 0);
    /* A read is pending from adopt on: close must wait for it (CLOSING), and the close
     * callback never comes from inside the call. */
    ok_eq(h_close(r), EVE_OK);
    ok_eq(r->close_calls, 0);
    ok(h_state(r) == EVE_PIPE_CLOSING || h_state(r) == EVE_PIPE_CLOSED, "state %d after close",
       (int)h_state(r));
    ok_eq(h_is_open(r), 0);
    ok_eq(h_close(r), EVE_EALREADY);
    ok_eq(h_pause(r), EVE_EPIPE);
    ok_eq(h_resume(r), EVE_EPIPE);
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->close_reason, EVE_CLOSE_LOCAL);
    ok_eq(r->error_calls, 0);
    ok_eq(h_state(r), EVE_PIPE_CLOSED);
    ok_eq(h_close(r), EVE_EALREADY);
    ok_eq(h_close_graceful(r), EVE_EALREADY);
    ok_eq(h_dispose(r), EVE_EALREADY);
    ok_eq(h_pause(r), EVE_EPIPE);
    ok_eq(h_resume(r), EVE_EPIPE);
    ok_eq(h_write(r, "x", 1), EVE_SEND_INVALID);
    ok_eq(h_unsent(r), 0);
    /* The writer sees its reader leave: a write makes it close with PEER. */
    h_write(w, "hello", 5);
    H_RUN_UNTIL(loop, w->close_calls == 1);
    ok_eq(w->close_reason, EVE_CLOSE_PEER);
    ok_eq(w->error_calls, 0);
    h_spin(loop, 5);
    ok_eq(r->close_calls, 1);
    ok_eq(w->close_calls, 1);
    finish_loop(loop);
}

H_TEST(lifecycle_write_end)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;

    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_state(w), EVE_PIPE_OPEN);
    ok_eq(h_is_open(w), 1);
    ok_eq(h_pause(w), EVE_EINVAL);
    ok_eq(h_resume(w), EVE_EINVAL);
    ok_eq(h_write(w, "abc", 3), EVE_SEND_OK);
    ok_eq(h_queue(w), 3);
    ok_eq(h_close_graceful(w), EVE_OK);
    /* The WriteFile's completion has not been dispatched yet: still flushing. */
    ok_eq(h_state(w), EVE_PIPE_DRAINING);
    ok_eq(h_is_open(w), 1);
    ok_eq(h_write(w, "d", 1), EVE_SEND_CLOSED);
    ok_eq(h_close_graceful(w), EVE_EALREADY);
    ok_eq(w->close_calls, 0);
    H_RUN_UNTIL(loop, w->close_calls == 1 && r->close_calls == 1);
    ok_eq(w->close_reason, EVE_CLOSE_GRACEFUL);
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    ok_eq(r->rx_bytes, 3);
    ok_eq(r->rx_hash, h_hash(H_HASH_INIT, "abc", 3));
    ok_eq(h_unsent(w), 0);
    ok_eq(h_queue(w), 0);
    ok_eq(h_state(w), EVE_PIPE_CLOSED);
    ok_eq(h_write(w, "e", 1), EVE_SEND_CLOSED);
    ok_eq(h_close(w), EVE_EALREADY);
    ok_eq(h_dispose(w), EVE_EALREADY);
    ok_eq(r->error_calls + w->error_calls, 0);
    finish_loop(loop);
}

H_TEST(lifecycle_detached)
{
    eve_loop *loop = h_loop_new();
    h_pipe *a = h_pipe_new(NULL), *b = h_pipe_new(NULL), *c = h_pipe_new(NULL);

    ok_eq(h_write(a, "x", 1), EVE_SEND_INVALID);
    ok_eq(h_pause(a), EVE_EINVAL);
    ok_eq(h_resume(a), EVE_EINVAL);
    ok_eq(h_queue(a), 0);
    ok_eq(h_close(a), EVE_OK);
    ok_eq(h_state(a), EVE_PIPE_CLOSED);
    ok_eq(h_close(a), EVE_EALREADY);
    ok_eq(h_dispose(a), EVE_EALREADY);
    ok_eq(h_close_graceful(b), EVE_OK);
    ok_eq(h_state(b), EVE_PIPE_CLOSED);
    ok_eq(h_dispose(c), EVE_OK);
    ok_eq(h_state(c), EVE_PIPE_CLOSED);
    ok_eq(h_dispose(c), EVE_EALREADY);
    ok_eq(h_close(c), EVE_EALREADY);
    /* A closed end cannot be adopted: the handle stays with the caller. */
    {
        eve_pipe_pair pair = {NULL, NULL};
        ok_eq(h_pair_create(&pair, NULL), EVE_OK);
        ok_eq(h_adopt_read(a, loop, &pair.read_end), EVE_EINVAL);
        ok(pair.read_end != NULL, "a failed adopt took the handle");
        ok_eq(h_pair_close(&pair), EVE_OK);
        ok(pair.read_end == NULL && pair.write_end == NULL, "pair_close left a handle");
    }
    h_spin(loop, 3);
    ok_eq(a->close_calls + b->close_calls + c->close_calls, 0);
    ok_eq(h_loop_run(loop, EVE_RUN_DEFAULT), 0);
    ok_eq(h_loop_close(loop), EVE_OK);
}

/* RUN_DEFAULT dispatches until no end is live: one call carries a whole transfer, both
 * closes included, then reports idle (loop.h). */
H_TEST(loop_run_default_until_idle)
{
    eve_loop *loop = h_loop_new();
    uint8_t *buf = h_alloc(100000);
    h_pipe *r, *w;

    h_fill(buf, 100000, 5);
    h_pair_open(loop, NULL, NULL, &r, &w);
    h_spin(loop, 1); /* a run before it must leave nothing behind that stops this one */
    ok_eq(h_write(w, buf, 100000), EVE_SEND_OK);
    ok_eq(h_close_graceful(w), EVE_OK);
    ok_eq(h_loop_run(loop, EVE_RUN_DEFAULT), 0);
    ok(w->close_calls == 1 && r->close_calls == 1, "closes: write end %ld, read end %ld",
       w->close_calls, r->close_calls);
    ok(r->rx_bytes == 100000, "%llu bytes delivered of 100000", (unsigned long long)r->rx_bytes);
    finish_loop(loop);
}

H_TEST(lifecycle_callbacks_registration)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;

    ok_eq(h_on_data(NULL, 0), EVE_EINVAL);
    ok_eq(h_on_writable(NULL, 0), EVE_EINVAL);
    ok_eq(h_on_close(NULL, 0), EVE_EINVAL);
    ok_eq(h_on_error(NULL, 0), EVE_EINVAL);
    h_pair_open(loop, NULL, NULL, &r, &w);
    /* Re-registering and clearing is allowed while open; cleared callbacks are not called. */
    ok_eq(h_on_writable(r, 0), EVE_OK);
    ok_eq(h_on_error(w, 0), EVE_OK);
    ok_eq(h_on_error(w, 1), EVE_OK);
    ok_eq(h_on_data(r, 0), EVE_OK);
    ok_eq(h_on_data(r, 1), EVE_OK);
    ok_eq(h_write(w, "abc", 3), EVE_SEND_OK);
    H_RUN_UNTIL(loop, r->rx_bytes == 3);
    ok_eq(h_pause(r), EVE_OK);
    ok_eq(h_on_close(r, 1), EVE_OK);
    ok_eq(h_close_graceful(w), EVE_OK);
    ok_eq(h_on_close(w, 1), EVE_OK); /* DRAINING */
    ok_eq(h_close(r), EVE_OK);
    ok_eq(h_on_close(r, 1), EVE_OK); /* CLOSING */
    H_RUN_UNTIL(loop, r->close_calls == 1 && w->close_calls == 1);
    ok(h_on_data(r, 1) != EVE_OK, "on_data accepted on a CLOSED end");
    ok(h_on_close(w, 1) != EVE_OK, "on_close accepted on a CLOSED end");
    finish_loop(loop);
}

H_TEST(lifecycle_data_without_callback)
{
    /* Data that arrives while no data callback is registered is not seen; the stream goes
     * on to its end. */
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;

    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_on_data(r, 0), EVE_OK);
    ok_eq(h_write(w, "abc", 3), EVE_SEND_OK);
    ok_eq(h_close_graceful(w), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1 && w->close_calls == 1);
    ok_eq(r->data_calls, 0);
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    ok_eq(w->close_reason, EVE_CLOSE_GRACEFUL);
    finish_loop(loop);
}

H_TEST(lifecycle_unregistered_close_cb)
{
    /* Without a close callback the end still reaches CLOSED and the loop goes idle. */
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;

    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_on_close(r, 0), EVE_OK);
    ok_eq(h_on_close(w, 0), EVE_OK);
    ok_eq(h_close(r), EVE_OK);
    ok_eq(h_close(w), EVE_OK);
    h_run_idle(loop);
    ok_eq(h_state(r), EVE_PIPE_CLOSED);
    ok_eq(h_state(w), EVE_PIPE_CLOSED);
    ok_eq(r->close_calls + w->close_calls, 0);
    ok_eq(h_loop_close(loop), EVE_OK);
}

static int dispose_in(eve_loop *loop, int which)
{
    h_pipe *r, *w;

    h_pair_open(loop, NULL, NULL, &r, &w);
    switch (which) {
    case 0: /* OPEN read end with its read pending */
        ok_eq(h_dispose(r), EVE_OK);
        ok_eq(h_state(r), EVE_PIPE_CLOSED);
        ok_eq(h_close(w), EVE_OK);
        break;
    case 1: /* PAUSED */
        ok_eq(h_pause(r), EVE_OK);
        ok_eq(h_dispose(r), EVE_OK);
        ok_eq(h_close(w), EVE_OK);
        break;
    case 2: /* DRAINING write end */
        ok_eq(h_write(w, "abcdef", 6), EVE_SEND_OK);
        ok_eq(h_close_graceful(w), EVE_OK);
        ok_eq(h_state(w), EVE_PIPE_DRAINING);
        ok_eq(h_dispose(w), EVE_OK);
        ok_eq(h_state(w), EVE_PIPE_CLOSED);
        ok_eq(h_close(r), EVE_OK);
        break;
    default: /* CLOSING: dispose suppresses the close callback not yet delivered */
        ok_eq(h_close(r), EVE_OK);
        ok_eq(h_dispose(r), r->close_calls ? EVE_EALREADY : EVE_OK);
        ok_eq(h_state(r), EVE_PIPE_CLOSED);
        ok_eq(h_close(w), EVE_OK);
        break;
    }
    h_run_idle(loop);
    ok_eq(which == 2 ? w->close_calls : r->close_calls, 0);
    ok_eq(which == 2 ? r->close_calls : w->close_calls, 1);
    return 0;
}

H_TEST(lifecycle_dispose_each_state)
{
    int which;

    for (which = 0; which < 4; which++) {
        eve_loop *loop = h_loop_new();
        dispose_in(loop, which);
        ok_eq(h_loop_close(loop), EVE_OK);
    }
}

H_TEST(lifecycle_close_graceful_read_end)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;

    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_close_graceful(r), EVE_OK);
    ok(h_state(r) == EVE_PIPE_CLOSING || h_state(r) == EVE_PIPE_CLOSED, "state %d",
       (int)h_state(r));
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->close_reason, EVE_CLOSE_LOCAL);
    /* Graceful close of an idle write end: nothing to flush. */
    ok_eq(h_close_graceful(w), EVE_OK);
    H_RUN_UNTIL(loop, w->close_calls == 1);
    ok_eq(w->close_reason, EVE_CLOSE_GRACEFUL);
    finish_loop(loop);
}

H_TEST(lifecycle_close_draining)
{
    /* close in DRAINING aborts the flush: LOCAL, and what was not written is counted. */
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    static uint8_t big[1 << 20];

    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_pause(r), EVE_OK);
    h_fill(big, sizeof big, 7);
    ok(h_write(w, big, sizeof big) == EVE_SEND_OK, "1 MiB write at the high-water mark");
    ok(h_write(w, big, sizeof big) == EVE_SEND_BACKPRESSURE, "2 MiB queued is over high water");
    ok_eq(h_close_graceful(w), EVE_OK);
    ok_eq(h_state(w), EVE_PIPE_DRAINING);
    ok_eq(h_close(w), EVE_OK);
    ok_eq(h_close(w), EVE_EALREADY);
    ok_eq(h_resume(r), EVE_OK);
    H_RUN_UNTIL(loop, w->close_calls == 1 && r->close_calls == 1);
    ok_eq(w->close_reason, EVE_CLOSE_LOCAL);
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    ok_eq(w->writable_calls, 0);
    check_accounting(r, w, w->tx_accepted);
    ok(h_unsent(w) > 0, "2 MiB cannot all be in a pipe whose reader is paused");
    finish_loop(loop);
}

H_TEST(loop_lifecycle)
{
    eve_loop *loop = NULL, *l2;
    h_pipe *r, *w;

    ok_eq(eve_loop_create(NULL), EVE_EINVAL);
    ok_eq(eve_loop_run(NULL, EVE_RUN_DEFAULT), EVE_EINVAL);
    ok_eq(eve_loop_stop(NULL), EVE_EINVAL);
    ok_eq(eve_loop_wakeup(NULL), EVE_EINVAL);
    ok_eq(eve_loop_on_wakeup(NULL, NULL, NULL), EVE_EINVAL);
    ok_eq(eve_loop_close(NULL), EVE_EINVAL);
    l2 = h_loop_new();
    ok_eq(h_loop_run(l2, EVE_RUN_DEFAULT), 0);
    ok_eq(h_loop_run(l2, EVE_RUN_NOWAIT), 0);
    ok_eq(h_loop_run(l2, EVE_RUN_ONCE), 0);
    ok_eq(h_loop_close(l2), EVE_OK);
    loop = h_loop_new();
    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_loop_run(loop, EVE_RUN_NOWAIT), 1);
    ok_eq(h_loop_close(loop), EVE_EBUSY);
    ok_eq(h_close(r), EVE_OK);
    ok_eq(h_loop_close(loop), EVE_EBUSY); /* CLOSING counts as live */
    ok_eq(h_close(w), EVE_OK);
    /* stop before run: the next run returns after the events already dequeued */
    ok_eq(h_loop_stop(loop), EVE_OK);
    ok(h_loop_run(loop, EVE_RUN_DEFAULT) >= 0, "run after stop");
    h_run_idle(loop);
    ok_eq(r->close_calls + w->close_calls, 2);
    ok_eq(h_loop_close(loop), EVE_OK);
}
