/* scale.c: 1,000 pipe pairs on one loop, all transferring at once. */
#include "common.h"

#define SCALE_PAIRS 1000
#define SCALE_BYTES (16u * 1024u)

H_TEST(scale_1000_pairs)
{
    eve_loop *loop = h_loop_new();
    h_pipe **r = h_alloc(SCALE_PAIRS * sizeof *r), **w = h_alloc(SCALE_PAIRS * sizeof *w);
    stream *s = h_alloc(SCALE_PAIRS * sizeof *s);
    eve_pipe_config rc = cfg_of(4096, 0, 0);
    int i, closed = 0;
    long guard = 0;

    for (i = 0; i < SCALE_PAIRS; i++)
        h_pair_open(loop, &rc, NULL, &r[i], &w[i]);
    for (i = 0; i < SCALE_PAIRS; i++)
        stream_start(&s[i], w[i], SCALE_BYTES, 4096, 9000 + (uint64_t)i, 1);
    while (closed < 2 * SCALE_PAIRS) {
        int rcode;
        ok(++guard < H_MAX_ITERS, "no progress with %d of %d ends closed", closed,
           2 * SCALE_PAIRS);
        rcode = h_loop_run(loop, EVE_RUN_ONCE);
        ok_soft();
        ok(rcode >= 0, "eve_loop_run returned %d", rcode);
        closed = 0;
        for (i = 0; i < SCALE_PAIRS; i++)
            closed += (int)(r[i]->close_calls + w[i]->close_calls);
        ok(rcode > 0 || closed == 2 * SCALE_PAIRS, "loop idle with %d ends closed", closed);
    }
    for (i = 0; i < SCALE_PAIRS; i++) {
        ok(r[i]->rx_bytes == SCALE_BYTES && r[i]->rx_hash == s[i].hash,
           "pair %d: %llu bytes, hash %s", i, (unsigned long long)r[i]->rx_bytes,
           r[i]->rx_hash == s[i].hash ? "ok" : "differs");
        ok(r[i]->close_reason == EVE_CLOSE_PEER && w[i]->close_reason == EVE_CLOSE_GRACEFUL,
           "pair %d closed with %d/%d", i, r[i]->close_reason, w[i]->close_reason);
    }
    finish_loop(loop);
}
