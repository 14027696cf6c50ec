/* eve_monitor.h: the spec trace monitor, the conformance oracle.
 *
 * Feed it the observable trace of pipe ends: every public call with what it returned,
 * every callback with its argument, every loop return. It checks each step against the
 * rows of spec/transitions.tsv and remembers the first step no row allows: the row (or
 * the missing one), the end's state and that end's last steps. It also counts which rows
 * the trace exercised, per monitor and in a process-wide accumulator.
 *
 * An end is identified by an opaque key, normally the eve_pipe pointer; NULL is the "no
 * pipe" end (calls with a NULL pipe). A pair is keyed by its eve_pipe_pair pointer.
 * Portable C11: no windows.h. Not thread-safe: one monitor per thread.
 */
#ifndef EVE_MONITOR_H
#define EVE_MONITOR_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X(name): the public calls the monitor understands. Stable: append only. */
/* clang-format off */
#define EVE_MON_CALLS(X)                                                                   \
    X(CREATE) X(ON_DATA) X(ON_WRITABLE) X(ON_CLOSE) X(ON_ERROR) X(IS_OPEN) X(STATE)        \
    X(ADOPT_READ) X(ADOPT_WRITE) X(WRITE) X(QUEUE_SIZE) X(PAUSE) X(RESUME) X(CLOSE)        \
    X(CLOSE_GRACEFUL) X(DISPOSE) X(UNSENT) X(FREE) X(PAIR_CREATE) X(PAIR_CLOSE)            \
    X(PAIR_IS_VALID) X(PAIR_TAKE_READ) X(PAIR_TAKE_WRITE)

/* X(name): the callbacks. */
#define EVE_MON_CBS(X) X(DATA) X(WRITABLE) X(CLOSE) X(ERROR)
/* clang-format on */

typedef enum eve_mon_call {
#define EVE_MON__CALL_ENUM(n) EVE_MON_CALL_##n,
    EVE_MON_CALLS(EVE_MON__CALL_ENUM)
#undef EVE_MON__CALL_ENUM
        EVE_MON_CALL_COUNT
} eve_mon_call;

typedef enum eve_mon_cb {
#define EVE_MON__CB_ENUM(n) EVE_MON_CB_##n,
    EVE_MON_CBS(EVE_MON__CB_ENUM)
#undef EVE_MON__CB_ENUM
        EVE_MON_CB_COUNT
} eve_mon_cb;

/* Records one public call: begin(key, call); expr, with depth raised so that a callback
 * arriving meanwhile is known to come from inside a call; then end(key, call, arg, result).
 * begin and end stand for eve_monitor_call_begin and eve_monitor_call (with the monitor
 * bound); the suite's harness and the fuzz harness record every call with it. */
#define EVE_MON_RECORD_CALL(begin, end, key, call, arg, depth, expr, result)                      \
    do {                                                                                          \
        begin((key), (call));                                                                     \
        (depth)++;                                                                                \
        (result) = (expr);                                                                        \
        (depth)--;                                                                                \
        end((key), (call), (arg), (long long)(result));                                           \
    } while (0)

/* eve_monitor_call's arg for WRITE when data is NULL and the length is > 0. */
#define EVE_MON_WRITE_NULL_DATA (-1LL)

typedef struct eve_monitor eve_monitor;

/* NULL only when out of memory. */
eve_monitor *eve_monitor_create(void);
/* Adds this monitor's row counts to the process-wide accumulator, then frees it. */
void eve_monitor_free(eve_monitor *mon);

/* Optional: the end's config after defaults (0 = unknown), for the checks that need it:
 * a write longer than high_water must return BACKPRESSURE; data len <= buffer_size. */
void eve_monitor_set_limits(eve_monitor *mon, const void *end, size_t buffer_size,
                            size_t high_water, size_t low_water);

/* Optional: a public call on `end` starts. A callback of any end reported between this and
 * the matching eve_monitor_call is a violation (callbacks only come from the loop). */
void eve_monitor_call_begin(eve_monitor *mon, const void *end, eve_mon_call call);

/* A public call on `end` returned `result`.
 * arg: WRITE: the length (EVE_MON_WRITE_NULL_DATA for NULL data with len > 0);
 *      ON_*: 1 if a callback was set, 0 if cleared; others: 0.
 * result: the int / eve_send_result / eve_pipe_state / size returned (FREE: 0).
 * CREATE: end is the new pipe (*out) on success, NULL on failure.
 * PAIR_*: end is the eve_pipe_pair pointer. PAIR_TAKE_READ/WRITE: an adopt just took that
 * handle out of the pair (report it after the ADOPT_* call, result 0). */
void eve_monitor_call(eve_monitor *mon, const void *end, eve_mon_call call, long long arg,
                      long long result);

/* A callback started. arg: DATA: len; CLOSE: the eve_pipe_close_reason; ERROR: the error
 * number; WRITABLE: 0. */
void eve_monitor_callback(eve_monitor *mon, const void *end, eve_mon_cb cb, long long arg);
/* Optional: that callback returned. */
void eve_monitor_callback_done(eve_monitor *mon, const void *end, eve_mon_cb cb);

/* Shorthand for eve_monitor_call(mon, end, EVE_MON_CALL_STATE, 0, state). */
void eve_monitor_state(eve_monitor *mon, const void *end, int state);

/* eve_loop_run returned rc. rc 0 means no end is live: every end the monitor knows must be
 * DETACHED or CLOSED, with no callback still owed. Applies to all ends of this monitor
 * (one loop per monitor; see eve_monitor_set_loop for more). */
void eve_monitor_loop_returned(eve_monitor *mon, int rc);
/* eve_loop_close returned rc: EVE_EBUSY exactly when some end is not DETACHED/CLOSED. */
void eve_monitor_loop_closed(eve_monitor *mon, int rc);

/* Optional, for several loops per monitor: `end` was adopted on `loop`. The _on variants
 * then check only the ends of that loop (and ends whose loop was never set). */
void eve_monitor_set_loop(eve_monitor *mon, const void *end, const void *loop);
void eve_monitor_loop_returned_on(eve_monitor *mon, const void *loop, int rc);
void eve_monitor_loop_closed_on(eve_monitor *mon, const void *loop, int rc);

/* Write every step reported from now on to out (NULL stops), in the text format
 * eve_trace_check reads (spec/README.md), ends named e1, e2... and pairs p1... in order of
 * creation, so traces of two runs or two implementations can be compared line by line. */
void eve_monitor_record(eve_monitor *mon, FILE *out);

/* 1 while the trace is legal. */
int eve_monitor_ok(const eve_monitor *mon);
/* NULL while legal, else a text: the first violation, its row/state/step and the last
 * steps of that end's trace. Valid until the monitor is freed. */
const char *eve_monitor_failure(const eve_monitor *mon);

/* Bytes accepted by writes (OK/BACKPRESSURE) and bytes delivered by data callbacks on
 * `end`, for the suite to pair ends. 0 for an unknown end. */
unsigned long long eve_monitor_bytes_accepted(const eve_monitor *mon, const void *end);
unsigned long long eve_monitor_bytes_delivered(const eve_monitor *mon, const void *end);

/* Row coverage: fn(row_id, hits) for every row of the tables, hits possibly 0. */
void eve_monitor_coverage(const eve_monitor *mon,
                          void (*fn)(const char *row_id, unsigned hits, void *ctx), void *ctx);
/* 1 if the monitor can ever credit the row (a call, a callback, a loop return), 0 if it is
 * invisible from outside (a kernel row without callbacks, or one that an earlier row
 * explains identically), -1 for an unknown id. */
int eve_monitor_row_observable(const char *row_id);

/* The process-wide accumulator (freed monitors plus still-live ones are NOT included:
 * free them first). Writes "row_id<TAB>hits" lines, all rows; 0 on success, -1 on error. */
int eve_monitor_dump_coverage(const char *path);
void eve_monitor_global_coverage(void (*fn)(const char *row_id, unsigned hits, void *ctx),
                                 void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* EVE_MONITOR_H */
