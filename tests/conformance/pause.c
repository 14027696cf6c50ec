/* pause.c: pause/resume with a read pending, from inside callbacks, in quick succession,
 * and after EOF. Never data while PAUSED, never lost, never doubled. */
#include "common.h"

static void no_data_while_paused(h_pipe *r, const uint8_t *data, size_t len)
{
    (void)data;
    (void)len;
    /* The harness counted the event already; the state inside it must not be PAUSED
     * unless the test paused from inside this very callback (it does not here). */
    ok(h_state(r) != EVE_PIPE_PAUSED, "data delivered on end %d while PAUSED", r->id);
}

/* Spin the loop until the writer's queue is empty (its WriteFile completed, so the reader's
 * pending read has completed too), then a few more turns to dispatch whatever is ready. */
static void settle(eve_loop *loop, h_pipe *w)
{
    H_RUN_UNTIL(loop, h_queue(w) == 0);
    h_spin(loop, 20);
}

H_TEST(pause_with_read_pending)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    uint8_t buf[100];

    h_fill(buf, sizeof buf, 11);
    h_pair_open(loop, NULL, NULL, &r, &w);
    r->on_data = no_data_while_paused;
    ok_eq(h_pause(r), EVE_OK); /* the read issued at adopt is pending */
    ok_eq(h_write(w, buf, sizeof buf), EVE_SEND_OK);
    settle(loop, w);
    ok_eq(r->data_calls, 0);
    ok_eq(h_state(r), EVE_PIPE_PAUSED);
    ok_eq(h_resume(r), EVE_OK);
    H_RUN_UNTIL(loop, r->rx_bytes == sizeof buf);
    ok_eq(r->rx_hash, h_hash(H_HASH_INIT, buf, sizeof buf));
    /* more data after resume still flows */
    ok_eq(h_write(w, buf, 10), EVE_SEND_OK);
    H_RUN_UNTIL(loop, r->rx_bytes == sizeof buf + 10);
    finish_pair(loop, r, w);
}

static void pause_in_first(h_pipe *r, const uint8_t *data, size_t len)
{
    (void)data;
    (void)len;
    if (r->data_calls == 1)
        ok_eq(h_pause(r), EVE_OK);
    else
        ok(h_state(r) != EVE_PIPE_PAUSED, "data delivered while PAUSED");
}

H_TEST(pause_from_first_callback)
{
    /* cpython gh-103607: a pause from the first data callback must hold later data. */
    eve_loop *loop = h_loop_new();
    eve_pipe_config rc = cfg_of(16, 0, 0);
    h_pipe *r, *w;
    uint8_t buf[64];

    h_fill(buf, sizeof buf, 12);
    h_pair_open(loop, &rc, NULL, &r, &w);
    r->on_data = pause_in_first;
    ok_eq(h_write(w, buf, sizeof buf), EVE_SEND_OK);
    H_RUN_UNTIL(loop, r->data_calls == 1);
    settle(loop, w);
    /* A read may legally return fewer bytes than asked: the first delivery is 1..16 bytes,
     * and 64 written bytes cannot all fit in it, so a second callback means pause failed. */
    ok_eq(r->data_calls, 1);
    ok(r->rx_bytes >= 1 && r->rx_bytes <= 16, "first delivery of %llu bytes, want 1..16",
       (unsigned long long)r->rx_bytes);
    ok_eq(h_state(r), EVE_PIPE_PAUSED);
    ok_eq(h_resume(r), EVE_OK);
    H_RUN_UNTIL(loop, r->rx_bytes == sizeof buf);
    ok_eq(r->rx_hash, h_hash(H_HASH_INIT, buf, sizeof buf));
    finish_pair(loop, r, w);
}

H_TEST(pause_resume_pause_before_dispatch)
{
    /* cpython #6921: resume before the pending completion is dispatched must not issue a
     * second read; pause again must still hold the data. Exactly once, in order. */
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    uint8_t buf[300];

    h_fill(buf, sizeof buf, 13);
    h_pair_open(loop, NULL, NULL, &r, &w);
    r->keep_rx = 1;
    ok_eq(h_pause(r), EVE_OK);
    ok_eq(h_resume(r), EVE_OK);
    ok_eq(h_pause(r), EVE_OK);
    ok_eq(h_write(w, buf, 100), EVE_SEND_OK);
    settle(loop, w);
    ok_eq(r->data_calls, 0);
    ok_eq(h_resume(r), EVE_OK);
    ok_eq(h_pause(r), EVE_OK);
    ok_eq(h_resume(r), EVE_OK);
    ok_eq(h_write(w, buf + 100, 200), EVE_SEND_OK);
    H_RUN_UNTIL(loop, r->rx_bytes >= sizeof buf);
    h_spin(loop, 10);
    ok_eq(r->rx_bytes, sizeof buf);
    ok(memcmp(r->rx_buf, buf, sizeof buf) == 0, "bytes doubled, lost or reordered");
    finish_pair(loop, r, w);
}

H_TEST(pause_eof_held_until_resume)
{
    /* EOF completing while PAUSED is held like data: no close callback while paused. */
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;

    h_pair_open(loop, NULL, NULL, &r, &w);
    r->on_data = no_data_while_paused;
    ok_eq(h_pause(r), EVE_OK);
    ok_eq(h_write(w, "tail", 4), EVE_SEND_OK);
    ok_eq(h_close_graceful(w), EVE_OK);
    H_RUN_UNTIL(loop, w->close_calls == 1);
    h_spin(loop, 20);
    ok_eq(r->data_calls, 0);
    ok_eq(r->close_calls, 0);
    ok_eq(h_state(r), EVE_PIPE_PAUSED);
    ok_eq(h_resume(r), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->rx_bytes, 4);
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    ok_eq(r->error_calls, 0);
    finish_loop(loop);
}

H_TEST(pause_resume_after_eof)
{
    /* Once the close is decided, resume says EPIPE. */
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;

    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_close(w), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    ok_eq(h_resume(r), EVE_EPIPE);
    ok_eq(h_pause(r), EVE_EPIPE);
    finish_loop(loop);
}

static void stop_start_in_cb(h_pipe *r, const uint8_t *data, size_t len)
{
    /* The bytes stay the callback's until it returns: a read the resume started must not
     * land in them (with the writer ahead, one would complete at once). */
    static uint8_t before[4096];
    size_t n = len < sizeof before ? len : sizeof before;

    memcpy(before, data, n);
    ok_eq(h_pause(r), EVE_OK);
    ok_eq(h_resume(r), EVE_OK);
    ok(memcmp(before, data, n) == 0,
       "the %lu bytes changed under the data callback after its "
       "pause and resume",
       (unsigned long)len);
}

H_TEST(pause_resume_inside_data_cb)
{
    /* libuv #4738: read stop/start inside the read callback, and reads that exactly fill
     * the buffer, must neither hang nor lose data. */
    eve_loop *loop = h_loop_new();
    eve_pipe_config rc = cfg_of(4096, 0, 0);
    h_pipe *r, *w;
    stream s;

    h_pair_open(loop, &rc, NULL, &r, &w);
    r->on_data = stop_start_in_cb;
    stream_start(&s, w, 64 * 4096, 4096, 14, 1);
    H_RUN_UNTIL(loop, r->close_calls == 1 && w->close_calls == 1);
    ok_eq(r->rx_bytes, 64 * 4096);
    ok(r->rx_hash == s.hash, "hash mismatch");
    finish_loop(loop);
}

static void toggle_pause(h_pipe *r, const uint8_t *data, size_t len)
{
    (void)data;
    (void)len;
    ok_eq(h_pause(r), EVE_OK);
    r->tag = 1;
}

H_TEST(pause_resume_storm)
{
    /* libuv #5037, #1822: many pause/resume cycles while data streams; every byte arrives
     * once, in order, and never while paused. */
    eve_loop *loop = h_loop_new();
    eve_pipe_config rc = cfg_of(1000, 0, 0);
    h_pipe *r, *w;
    stream s;
    long turns = 0;

    h_pair_open(loop, &rc, NULL, &r, &w);
    r->on_data = toggle_pause;
    stream_start(&s, w, 2 << 20, 64 << 10, 15, 1);
    while (r->close_calls == 0) {
        ok(++turns < 1000000, "no progress");
        h_spin(loop, 1);
        if (r->tag) {
            r->tag = 0;
            h_spin(loop, (int)(turns % 3));
            ok_eq(h_state(r), EVE_PIPE_PAUSED);
            ok_eq(h_resume(r), EVE_OK);
        }
    }
    ok_eq(r->rx_bytes, 2 << 20);
    ok(r->rx_hash == s.hash, "hash mismatch");
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    finish_pair(loop, r, w);
}
