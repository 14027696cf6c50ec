/* backpressure.c: write results against the water marks and the writable callback. */
#include "common.h"

static void check_low_in_writable(h_pipe *w)
{
    size_t q = h_queue(w);
    ok(q <= 1024, "writable fired with %lu bytes queued, low water is 1024", (unsigned long)q);
}

H_TEST(bp_high_water_and_writable_once)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_config wc = cfg_of(0, 4096, 1024);
    h_pipe *r, *w;
    uint8_t buf[1000];
    int i;

    h_fill(buf, sizeof buf, 1);
    h_pair_open(loop, NULL, &wc, &r, &w);
    w->on_writable = check_low_in_writable;
    for (i = 0; i < 4; i++)
        ok_eq(h_write(w, buf, sizeof buf), EVE_SEND_OK); /* 4000 <= 4096 */
    ok_eq(h_queue(w), 4000);
    ok_eq(h_write(w, buf, 96), EVE_SEND_OK);          /* exactly high water: still OK */
    ok_eq(h_write(w, buf, 1), EVE_SEND_BACKPRESSURE); /* 4097 > 4096 */
    ok_eq(h_write(w, buf, 1), EVE_SEND_BACKPRESSURE);
    ok_eq(h_queue(w), 4098);
    ok_eq(w->writable_calls, 0);
    H_RUN_UNTIL(loop, w->writable_calls == 1);
    H_RUN_UNTIL(loop, r->rx_bytes == 4098);
    h_spin(loop, 5);
    ok_eq(w->writable_calls, 1);
    finish_pair(loop, r, w);
}

H_TEST(bp_no_writable_without_backpressure)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_config wc = cfg_of(0, 4096, 1024);
    h_pipe *r, *w;
    uint8_t buf[4096];

    h_fill(buf, sizeof buf, 2);
    h_pair_open(loop, NULL, &wc, &r, &w);
    ok_eq(h_write(w, buf, sizeof buf), EVE_SEND_OK);
    H_RUN_UNTIL(loop, r->rx_bytes == sizeof buf && h_queue(w) == 0);
    h_spin(loop, 5);
    ok_eq(w->writable_calls, 0);
    finish_pair(loop, r, w);
}

H_TEST(bp_single_write_over_high)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_config wc = cfg_of(0, 4096, 0);
    h_pipe *r, *w;
    uint8_t buf[4097];

    h_fill(buf, sizeof buf, 3);
    h_pair_open(loop, NULL, &wc, &r, &w);
    ok_eq(h_write(w, buf, sizeof buf), EVE_SEND_BACKPRESSURE);
    /* low_water 0 means high/4: writable comes once the queue is at or below 1024 */
    w->on_writable = check_low_in_writable;
    H_RUN_UNTIL(loop, w->writable_calls == 1 && r->rx_bytes == sizeof buf);
    finish_pair(loop, r, w);
}

static void check_queue_at_most_one(h_pipe *w)
{
    size_t q = h_queue(w);
    ok(q <= 1, "writable fired with %lu bytes queued, low water is 1", (unsigned long)q);
}

H_TEST(bp_low_water_given_is_kept)
{
    /* low_water 1 is not 0: no default replaces it, so writable waits for an (almost)
     * empty queue, not for high/4 (850) */
    eve_loop *loop = h_loop_new();
    eve_pipe_config wc = cfg_of(0, 3400, 1);
    h_pipe *r, *w;
    uint8_t buf[3000];

    h_fill(buf, sizeof buf, 3);
    h_pair_open(loop, NULL, &wc, &r, &w);
    w->on_writable = check_queue_at_most_one;
    ok_eq(h_write(w, buf, 3000), EVE_SEND_OK);
    ok_eq(h_write(w, buf, 500), EVE_SEND_BACKPRESSURE); /* 3500 > 3400 */
    H_RUN_UNTIL(loop, w->writable_calls == 1 && r->rx_bytes == 3500);
    finish_pair(loop, r, w);
}

H_TEST(bp_writable_rearms)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_config wc = cfg_of(0, 2048, 512);
    h_pipe *r, *w;
    uint8_t buf[3000];

    h_fill(buf, sizeof buf, 4);
    h_pair_open(loop, NULL, &wc, &r, &w);
    ok_eq(h_write(w, buf, sizeof buf), EVE_SEND_BACKPRESSURE);
    H_RUN_UNTIL(loop, w->writable_calls == 1);
    ok_eq(h_write(w, buf, sizeof buf), EVE_SEND_BACKPRESSURE);
    H_RUN_UNTIL(loop, w->writable_calls == 2);
    H_RUN_UNTIL(loop, r->rx_bytes == 2 * sizeof buf);
    h_spin(loop, 3);
    ok_eq(w->writable_calls, 2);
    finish_pair(loop, r, w);
}

H_TEST(bp_writable_not_after_close)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_config wc = cfg_of(0, 2048, 512);
    h_pipe *r, *w;
    uint8_t buf[3000];

    h_fill(buf, sizeof buf, 5);
    h_pair_open(loop, NULL, &wc, &r, &w);
    ok_eq(h_write(w, buf, sizeof buf), EVE_SEND_BACKPRESSURE);
    ok_eq(h_close(w), EVE_OK);
    H_RUN_UNTIL(loop, w->close_calls == 1 && r->close_calls == 1);
    ok_eq(w->writable_calls, 0);
    ok_eq(w->close_reason, EVE_CLOSE_LOCAL);
    check_accounting(r, w, sizeof buf);
    finish_loop(loop);
}

H_TEST(bp_writable_not_after_graceful)
{
    /* Graceful close after BACKPRESSURE: the queue drains, but the end no longer accepts
     * writes, so no writable callback; GRACEFUL with nothing unsent. */
    eve_loop *loop = h_loop_new();
    eve_pipe_config wc = cfg_of(0, 2048, 512);
    h_pipe *r, *w;
    uint8_t buf[3000];

    h_fill(buf, sizeof buf, 6);
    h_pair_open(loop, NULL, &wc, &r, &w);
    ok_eq(h_write(w, buf, sizeof buf), EVE_SEND_BACKPRESSURE);
    ok_eq(h_close_graceful(w), EVE_OK);
    H_RUN_UNTIL(loop, w->close_calls == 1 && r->close_calls == 1);
    ok_eq(w->writable_calls, 0);
    ok_eq(w->close_reason, EVE_CLOSE_GRACEFUL);
    ok_eq(r->rx_bytes, sizeof buf);
    ok_eq(h_unsent(w), 0);
    finish_loop(loop);
}

static void write_more_in_writable(h_pipe *w)
{
    static uint8_t buf[3000];
    if (w->writable_calls < 5)
        ok(h_write(w, buf, sizeof buf) == EVE_SEND_BACKPRESSURE, "write in writable");
    else
        ok_eq(h_close_graceful(w), EVE_OK);
}

H_TEST(bp_write_inside_writable)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_config wc = cfg_of(0, 2048, 512);
    h_pipe *r, *w;
    static uint8_t buf[3000];

    h_pair_open(loop, NULL, &wc, &r, &w);
    w->on_writable = write_more_in_writable;
    ok_eq(h_write(w, buf, sizeof buf), EVE_SEND_BACKPRESSURE);
    H_RUN_UNTIL(loop, w->close_calls == 1 && r->close_calls == 1);
    ok_eq(w->writable_calls, 5);
    ok_eq(r->rx_bytes, 5 * sizeof buf);
    ok_eq(w->close_reason, EVE_CLOSE_GRACEFUL);
    finish_loop(loop);
}

H_TEST(bp_paused_reader_holds_writer)
{
    /* The reader pauses: the kernel buffer fills, the writer's queue stays above low water
     * and no writable comes; after resume everything arrives and writable fires once. */
    eve_loop *loop = h_loop_new();
    eve_pipe_config wc = cfg_of(0, 64 << 10, 16 << 10);
    h_pipe *r, *w;
    stream s;
    int i;

    h_pair_open(loop, NULL, &wc, &r, &w);
    ok_eq(h_pause(r), EVE_OK);
    stream_start(&s, w, 4 << 20, 1 << 20, 8, 1);
    ok_eq(w->backpressure_count, 1);
    for (i = 0; i < 50; i++)
        h_spin(loop, 1);
    ok_eq(r->data_calls, 0);
    ok_eq(w->writable_calls, 0);
    ok(h_queue(w) > (16 << 10), "queue %lu fell to low water while nobody reads",
       (unsigned long)h_queue(w));
    ok_eq(h_resume(r), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1 && w->close_calls == 1);
    ok_eq(r->rx_bytes, 4 << 20);
    ok(r->rx_hash == s.hash, "hash mismatch");
    ok(w->writable_calls >= 1, "writable never fired");
    finish_loop(loop);
}
