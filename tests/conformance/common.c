/* common.c: helpers shared by the scenario tests. */
#include "common.h"

static void stream_pump(h_pipe *w)
{
    stream *s = w->user;

    while (s->off < s->total) {
        size_t n = s->total - s->off < s->chunk ? (size_t)(s->total - s->off) : s->chunk;
        eve_send_result r;

        h_fill(s->buf, n, s->seed + (uint64_t)s->writes);
        r = h_write(w, s->buf, n);
        ok(r == EVE_SEND_OK || r == EVE_SEND_BACKPRESSURE, "write %ld returned %d", s->writes,
           (int)r);
        if (r != EVE_SEND_OK && r != EVE_SEND_BACKPRESSURE)
            return;
        s->hash = h_hash(s->hash, s->buf, n);
        s->off += n;
        s->writes++;
        if (r == EVE_SEND_BACKPRESSURE)
            return; /* the writable callback resumes */
    }
    if (!s->done && s->graceful)
        ok_eq(h_close_graceful(w), EVE_OK);
    s->done = 1;
}

void stream_start(stream *s, h_pipe *w, uint64_t total, size_t chunk, uint64_t seed, int graceful)
{
    memset(s, 0, sizeof *s);
    s->w = w;
    s->total = total;
    s->chunk = chunk;
    s->seed = seed;
    s->graceful = graceful;
    s->hash = H_HASH_INIT;
    s->buf = h_alloc(chunk);
    w->user = s;
    w->on_writable = stream_pump;
    stream_pump(w);
}

eve_pipe_config cfg_of(size_t buffer_size, size_t high_water, size_t low_water)
{
    eve_pipe_config c;
    memset(&c, 0, sizeof c);
    c.buffer_size = buffer_size;
    c.high_water = high_water;
    c.low_water = low_water;
    return c;
}

int cond_closed(void *p)
{
    return ((h_pipe *)p)->close_calls > 0;
}

int cond_both_closed(void *p)
{
    h_pipe *a = p;
    return a->close_calls > 0 && a->peer != NULL && a->peer->close_calls > 0;
}

static void close_if_live(h_pipe *p)
{
    eve_pipe_state s = h_state(p);
    if (s != EVE_PIPE_CLOSED && s != EVE_PIPE_CLOSING)
        ok_eq(h_close(p), EVE_OK);
}

void finish_pair(eve_loop *loop, h_pipe *r, h_pipe *w)
{
    close_if_live(r);
    close_if_live(w);
    finish_loop(loop);
}

void finish_loop(eve_loop *loop)
{
    h_run_idle(loop);
    ok_eq(h_loop_close(loop), EVE_OK);
}

void check_accounting_at(h_pipe *r, h_pipe *w, uint64_t accepted, const char *file, int line)
{
    uint64_t unsent = h_unsent(w);

    h_check(r->rx_bytes <= accepted, file, line, "delivered %llu > accepted %llu",
            (unsigned long long)r->rx_bytes, (unsigned long long)accepted);
    h_check(r->rx_bytes + unsent >= accepted, file, line,
            "delivered %llu + unsent %llu < accepted %llu: bytes silently lost",
            (unsigned long long)r->rx_bytes, (unsigned long long)unsent,
            (unsigned long long)accepted);
    h_check(unsent <= accepted, file, line, "unsent %llu > accepted %llu",
            (unsigned long long)unsent, (unsigned long long)accepted);
    /* The reader saw EOF, so it got every byte that went into the pipe: exact. */
    h_check(r->close_reason != EVE_CLOSE_PEER || r->rx_bytes + unsent == accepted, file, line,
            "delivered %llu + unsent %llu > accepted %llu: bytes counted delivered and unsent",
            (unsigned long long)r->rx_bytes, (unsigned long long)unsent,
            (unsigned long long)accepted);
    h_check(h_queue(w) == 0, file, line, "queue %lu after close", (unsigned long)h_queue(w));
    /* Unsent bytes are the tail of the stream: what the reader got is its head, in order,
     * with no gap where a dropped or cancelled write was. */
    h_check(h_delivered_prefix(r, w) != 0, file, line,
            "the %llu bytes delivered are not the first %llu bytes accepted",
            (unsigned long long)r->rx_bytes, (unsigned long long)r->rx_bytes);
}
