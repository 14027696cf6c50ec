/* common.h: helpers shared by the scenario tests (public API only, through the harness). */
#ifndef EVE_TESTS_COMMON_H
#define EVE_TESTS_COMMON_H

#include "h.h"

#include <string.h>

/* A writer that sends `total` pseudo-random bytes (seeded) in `chunk`-sized writes, waiting
 * for the writable callback whenever a write reports backpressure, then (if graceful) calls
 * eve_pipe_close_graceful. `hash` is the h_hash of every byte accepted. */
typedef struct stream {
    h_pipe *w;
    uint64_t seed;
    uint64_t total;
    uint64_t off;
    size_t chunk;
    int graceful;
    uint8_t *buf; /* chunk bytes, refilled per write */
    uint64_t hash;
    long writes;
    int done; /* every byte accepted (and close_graceful called if asked) */
} stream;

void stream_start(stream *s, h_pipe *w, uint64_t total, size_t chunk, uint64_t seed, int graceful);

/* A config with every field set (0 = default). */
eve_pipe_config cfg_of(size_t buffer_size, size_t high_water, size_t low_water);

/* Conditions for h_run_until / H_RUN_UNTIL. */
int cond_closed(void *p);      /* the end got its close callback */
int cond_both_closed(void *p); /* p and p->peer got their close callbacks */

/* Close both ends of a pair made by h_pair_open if still open, run until both close
 * callbacks came, then close the loop. Used at the end of tests. */
void finish_pair(eve_loop *loop, h_pipe *r, h_pipe *w);
/* After both ends closed: nothing is delivered that was not accepted, unsent never exceeds
 * accepted, and once the reader read to EOF (close PEER) accepted = delivered + unsent
 * exactly (spec/README.md "Writes", DECISIONS item 7): no byte lost silently, none counted
 * both delivered and unsent, even when close cancelled a WriteFile the reader had partly
 * consumed (Wine reports such a cancel as 0 bytes written); and what was delivered is the
 * head of what was accepted, so the unsent bytes are its tail. */
void check_accounting_at(h_pipe *r, h_pipe *w, uint64_t accepted, const char *file, int line);
#define check_accounting(r, w, accepted) check_accounting_at(r, w, accepted, __FILE__, __LINE__)

/* Run the loop until no end is live, then close it (must return EVE_OK). */
void finish_loop(eve_loop *loop);

#endif /* EVE_TESTS_COMMON_H */
