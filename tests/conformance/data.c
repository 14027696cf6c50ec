/* data.c: data integrity: edge sizes around the read buffer, big streams checked by hash,
 * many small writes, order across writes. */
#include "common.h"

/* Send `total` bytes in `chunk` writes through a fresh pair whose reader uses `rbuf`,
 * close gracefully, and check every byte arrived once, in order, then EOF. */
static void transfer(size_t rbuf, uint64_t total, size_t chunk, uint64_t seed)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_config rc = cfg_of(rbuf, 0, 0);
    h_pipe *r, *w;
    stream s;

    h_pair_open(loop, &rc, NULL, &r, &w);
    stream_start(&s, w, total, chunk ? chunk : 1, seed, 1);
    H_RUN_UNTIL(loop, r->close_calls == 1 && w->close_calls == 1);
    ok(s.done, "writer did not finish (%llu of %llu accepted)", (unsigned long long)s.off,
       (unsigned long long)total);
    ok_eq(r->rx_bytes, total);
    ok(r->rx_hash == s.hash, "hash of %llu bytes received differs from what was sent",
       (unsigned long long)total);
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    ok_eq(w->close_reason, EVE_CLOSE_GRACEFUL);
    ok_eq(h_unsent(w), 0);
    ok_eq(r->error_calls + w->error_calls, 0);
    if (total > 0 && rbuf > 0)
        ok(r->data_calls >= (long)((total + rbuf - 1) / rbuf),
           "%ld deliveries for %llu bytes"
           " with a %lu-byte buffer",
           r->data_calls, (unsigned long long)total, (unsigned long)rbuf);
    finish_loop(loop);
}

H_TEST(data_sizes_around_buffer)
{
    static const size_t sizes[] = {0, 1, 4095, 4096, 4097, 3 * 4096, 3 * 4096 + 1};
    size_t i;

    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        transfer(4096, sizes[i], sizes[i] ? sizes[i] : 1, 100 + i);
}

H_TEST(data_sizes_default_buffer)
{
    static const size_t sizes[] = {1, 65535, 65536, 65537};
    size_t i;

    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        transfer(0, sizes[i], sizes[i], 200 + i);
}

H_TEST(data_1mib)
{
    transfer(0, 1 << 20, 1 << 20, 300);
}

H_TEST(data_64mib_hash)
{
    transfer(0, (uint64_t)64 << 20, 1 << 20, 400);
}

H_TEST(data_single_large_write)
{
    /* One write far above high water: BACKPRESSURE, then delivered whole. */
    transfer(0, (uint64_t)12 << 20, (size_t)12 << 20, 450);
}

H_TEST(data_tiny_buffer)
{
    transfer(1, 3000, 1000, 500);
}

H_TEST(data_100k_small_writes)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    uint8_t buf[16];
    uint64_t hash = H_HASH_INIT, total = 0;
    long i, bp = 0;

    h_pair_open(loop, NULL, NULL, &r, &w);
    for (i = 0; i < 100000; i++) {
        size_t n = 1 + (size_t)(i % 16);
        eve_send_result res;
        h_fill(buf, n, (uint64_t)i);
        res = h_write(w, buf, n);
        if (res == EVE_SEND_BACKPRESSURE)
            bp++;
        else if (res != EVE_SEND_OK)
            ok(0, "write %ld returned %d", i, (int)res);
        hash = h_hash(hash, buf, n);
        total += n;
        if (i % 5000 == 4999)
            h_spin(loop, 2); /* let some go out while writing */
    }
    ok_eq(h_close_graceful(w), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1 && w->close_calls == 1);
    ok_eq(r->rx_bytes, total);
    ok(r->rx_hash == hash, "100,000 small writes arrived altered or out of order");
    ok_eq(w->close_reason, EVE_CLOSE_GRACEFUL);
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    ok_eq(h_unsent(w), 0);
    ok_eq(w->backpressure_count, bp);
    finish_loop(loop);
}

H_TEST(data_zero_length_write)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;

    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_write(w, NULL, 0), EVE_SEND_OK);
    ok_eq(h_write(w, "x", 0), EVE_SEND_OK);
    ok_eq(h_queue(w), 0);
    ok_eq(h_write(w, "yz", 2), EVE_SEND_OK);
    ok_eq(h_write(w, NULL, 0), EVE_SEND_OK);
    ok_eq(h_queue(w), 2);
    ok_eq(h_close_graceful(w), EVE_OK);
    ok_eq(h_write(w, NULL, 0), EVE_SEND_CLOSED); /* DRAINING is checked before len 0 */
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->rx_bytes, 2);
    ok_eq(r->rx_hash, h_hash(H_HASH_INIT, "yz", 2));
    finish_pair(loop, r, w);
}

H_TEST(data_order_mixed_sizes)
{
    /* Writes of many sizes, some above the coalescing bound: the concatenation arrives. */
    eve_loop *loop = h_loop_new();
    eve_pipe_config wc;
    h_pipe *r, *w;
    uint8_t *src = h_alloc(3 << 20);
    size_t off = 0, n = 1;

    memset(&wc, 0, sizeof wc);
    wc.max_write_batch = 4096;
    h_fill(src, 3 << 20, 600);
    h_pair_open(loop, NULL, &wc, &r, &w);
    r->keep_rx = 1;
    while (off < (3u << 20)) {
        eve_send_result res;
        if (off + n > (3u << 20))
            n = (3u << 20) - off;
        res = h_write(w, src + off, n);
        ok(res == EVE_SEND_OK || res == EVE_SEND_BACKPRESSURE, "write returned %d", (int)res);
        off += n;
        n = n * 3 + 1;
        if (n > 300000)
            n = 7;
    }
    ok_eq(h_close_graceful(w), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->rx_bytes, 3 << 20);
    ok(r->rx_buf != NULL && memcmp(r->rx_buf, src, 3 << 20) == 0, "bytes differ");
    finish_pair(loop, r, w);
}

H_TEST(data_bidirectional_large)
{
    /* libuv #1099: both sides writing large data at once must not deadlock. */
    eve_loop *loop = h_loop_new();
    h_pipe *r1, *w1, *r2, *w2;
    stream s1, s2;

    h_pair_open(loop, NULL, NULL, &r1, &w1);
    h_pair_open(loop, NULL, NULL, &r2, &w2);
    stream_start(&s1, w1, 8 << 20, 1 << 20, 700, 1);
    stream_start(&s2, w2, 8 << 20, 256 << 10, 701, 1);
    H_RUN_UNTIL(loop, r1->close_calls && r2->close_calls && w1->close_calls && w2->close_calls);
    ok_eq(r1->rx_bytes, 8 << 20);
    ok_eq(r2->rx_bytes, 8 << 20);
    ok(r1->rx_hash == s1.hash && r2->rx_hash == s2.hash, "hash mismatch");
    finish_loop(loop);
}
