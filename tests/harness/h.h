/* h.h: the conformance harness on top of cmocka.
 *
 * Tests use only the public headers through these wrappers: every public call and every
 * callback goes through here, so the spec monitor sees the whole observable trace and the
 * harness can count bytes and callbacks without each test doing it again.
 */
#ifndef EVE_TESTS_H_H
#define EVE_TESTS_H_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "eve/loop.h"
#include "eve/pipe.h"

#if defined(__GNUC__) || defined(__clang__)
#define H_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define H_PRINTF(a, b)
#endif

/* ---- assertions (Wine style: the caller's file and line, then a message) ---- */

/* Outside callbacks a failure ends the test at once. Inside a callback it is recorded and
 * the test fails when control is back in the test body, so no longjmp crosses the
 * implementation's frames. */
void h_check(int cond, const char *file, int line, const char *fmt, ...) H_PRINTF(4, 5);
#define ok(cond, ...) h_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
/* Each side evaluated once (they are often calls). */
void h_check_eq(long long got, long long want, const char *a, const char *b, const char *file,
                int line);
#define ok_eq(a, b) h_check_eq((long long)(a), (long long)(b), #a, #b, __FILE__, __LINE__)
/* Skip the running test with a reason (recorded as skipped in the report). */
void h_skip_test(const char *file, int line, const char *why);
#define h_skip(why) h_skip_test(__FILE__, __LINE__, why)
/* Fail now if a callback recorded a failure or the monitor saw a violation. */
void h_check_soft(const char *file, int line);
#define ok_soft() h_check_soft(__FILE__, __LINE__)

/* ---- recorded ends ---- */

typedef struct h_pipe h_pipe;
typedef void (*h_data_fn)(h_pipe *p, const uint8_t *data, size_t len);
typedef void (*h_event_fn)(h_pipe *p);
typedef void (*h_close_fn)(h_pipe *p, eve_pipe_close_reason reason);
typedef void (*h_error_fn)(h_pipe *p, int error_number);

struct h_pipe {
    eve_pipe *raw; /* NULL once freed */
    int id;        /* serial within the test, for messages */
    int is_read;   /* adopted as read end (1), write end (0), or -1 detached */
    eve_loop *loop;
    h_pipe *peer; /* the other end of a pair made by h_pair_open, if any */
    /* hooks the test sets; the harness has already counted the event when they run */
    h_data_fn on_data;
    h_event_fn on_writable;
    h_close_fn on_close;
    h_error_fn on_error;
    void *user;    /* free for the test */
    long long tag; /* free for the test */
    /* what was observed */
    uint64_t rx_bytes;
    uint64_t rx_hash; /* running h_hash of every byte delivered */
    int keep_rx;      /* if set, delivered bytes are appended to rx_buf (grown as needed) */
    uint8_t *rx_buf;
    size_t rx_cap;
    long data_calls;
    long writable_calls;
    long close_calls;
    long error_calls;
    int last_error;
    int close_reason;     /* -1 until the close callback */
    uint64_t tx_accepted; /* bytes of writes that returned OK or BACKPRESSURE */
    uint8_t *tx_buf;      /* the first tx_kept of them (all, up to H_TX_KEEP) */
    size_t tx_kept;
    size_t tx_cap;
    long backpressure_count;
    int free_in_close; /* eve_pipe_free inside the close callback */
};

/* Create a loop (fails the test on error); it is closed at the end of the test if still open. */
eve_loop *h_loop_new(void);
int h_loop_run(eve_loop *loop, eve_run_mode mode);
int h_loop_close(eve_loop *loop);
int h_loop_stop(eve_loop *loop);

/* Raw create, returning the result; *out gets a recorded end on success. */
int h_create(const eve_pipe_config *config, h_pipe **out);
/* Create an end with all four callbacks registered; fails the test on error. */
h_pipe *h_pipe_new(const eve_pipe_config *config);

int h_adopt_read(h_pipe *p, eve_loop *loop, eve_os_handle *handle);
int h_adopt_write(h_pipe *p, eve_loop *loop, eve_os_handle *handle);
eve_send_result h_write(h_pipe *p, const void *data, size_t len);
size_t h_queue(h_pipe *p);
int h_pause(h_pipe *p);
int h_resume(h_pipe *p);
int h_close(h_pipe *p);
int h_close_graceful(h_pipe *p);
int h_dispose(h_pipe *p);
size_t h_unsent(h_pipe *p);
void h_free(h_pipe *p);
eve_pipe_state h_state(h_pipe *p);
int h_is_open(h_pipe *p);
/* (Un)register the harness trampoline for one callback kind. */
int h_on_data(h_pipe *p, int on);
int h_on_writable(h_pipe *p, int on);
int h_on_close(h_pipe *p, int on);
int h_on_error(h_pipe *p, int on);
eve_pipe *h_raw(h_pipe *p);

/* Create a pair and adopt it: *r reads, *w writes, both on loop. Fails the test on error.
 * The configs may be NULL. */
void h_pair_open(eve_loop *loop, const eve_pipe_config *rcfg, const eve_pipe_config *wcfg,
                 h_pipe **r, h_pipe **w);
int h_pair_create(eve_pipe_pair *pair, const eve_pipe_pair_options *options);
int h_pair_close(eve_pipe_pair *pair);
/* Recorded eve_pipe_pair_is_valid. */
int h_pair_is_valid(eve_pipe_pair *pair);
/* Close every end of the test that is still OPEN, PAUSED or DRAINING. */
void h_close_all(void);
/* Tell the monitor an adopt took pair->read_end (read_end 1) or pair->write_end. */
void h_pair_took(eve_pipe_pair *pair, int read_end);

/* ---- driving the loop: bounded by iterations, never by time ---- */

#define H_MAX_ITERS 2000000L
typedef int (*h_cond_fn)(void *ctx);
/* Run EVE_RUN_ONCE until cond(ctx) holds; fails the test if the loop goes idle first, the
 * iteration bound is hit, a run returns an error, or a callback check failed. */
void h_run_until_at(eve_loop *loop, h_cond_fn cond, void *ctx, const char *what, const char *file,
                    int line);
#define h_run_until(loop, cond, ctx) h_run_until_at(loop, cond, ctx, #cond, __FILE__, __LINE__)
/* Same with an expression: H_RUN_UNTIL(loop, p->close_calls == 1). */
#define H_RUN_UNTIL(loop, expr)                                                                   \
    do {                                                                                          \
        long h__i;                                                                                \
        for (h__i = 0; !(expr); h__i++) {                                                         \
            int h__rc;                                                                            \
            ok(h__i < H_MAX_ITERS, "loop never reached: %s", #expr);                              \
            h__rc = h_loop_run(loop, EVE_RUN_ONCE);                                               \
            ok_soft();                                                                            \
            ok(h__rc >= 0, "eve_loop_run returned %d waiting for %s", h__rc, #expr);              \
            ok(h__rc > 0 || (expr), "loop went idle before: %s", #expr);                          \
        }                                                                                         \
    } while (0)
/* Run EVE_RUN_NOWAIT n times (lets ready completions be dispatched, never blocks). */
void h_spin(eve_loop *loop, int n);
/* Run EVE_RUN_DEFAULT until it returns 0 (no live end); bounded by a count of runs. */
void h_run_idle_at(eve_loop *loop, const char *file, int line);
#define h_run_idle(loop) h_run_idle_at(loop, __FILE__, __LINE__)

/* ---- data ---- */

uint64_t h_hash(uint64_t h, const void *data, size_t len); /* start with H_HASH_INIT */
/* Accepted bytes a writer end keeps for h_delivered_prefix. */
#define H_TX_KEEP ((size_t)16 << 20)
/* 1 if the bytes reader r received are the first ones writer w's writes accepted, in
 * order; 0 if not; -1 if w did not keep that many (more than H_TX_KEEP accepted). */
int h_delivered_prefix(const h_pipe *r, const h_pipe *w);
#define H_HASH_INIT 14695981039346656037ULL
void h_fill(void *buf, size_t len, uint64_t seed); /* deterministic pseudo-random bytes */
void *h_alloc(size_t len);                         /* freed at the end of the test */

/* ---- threads (portable, for the thread tests and the watchdog) ---- */

typedef struct h_thread h_thread;
h_thread *h_thread_start(void (*fn)(void *), void *arg);
void h_thread_join(h_thread *t);
void h_sleep_ms(unsigned ms);
/* Sequentially consistent counters shared between threads: add returns the new value. */
long h_atomic_add(volatile long *counter, long delta);
long h_atomic_get(volatile long *counter);

/* ---- test registry ---- */

typedef void (*h_test_fn)(void);
typedef struct h_test_entry {
    const char *id;
    const char *area;
    const char *rows;
    h_test_fn fn;
} h_test_entry;

#define H_TEST(id) void eve_test_##id(void)

/* Declares every test function; tests/harness/test-list.h is the single registry. */
#include "test-list.h"
#define H__DECLARE(id, area, rows) H_TEST(id);
EVE_TESTS_COMMON(H__DECLARE)
#ifdef _WIN32
EVE_TESTS_WIN32(H__DECLARE)
#endif
#ifdef EVE_TESTS_WITH_WINSIM
EVE_TESTS_WINSIM(H__DECLARE)
#endif
#undef H__DECLARE

#endif /* EVE_TESTS_H_H */
