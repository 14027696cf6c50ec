/* monitor_port.h: the one place the harness talks to the spec trace monitor.
 *
 * The wrappers in h.c report every public call (with what it returned) and every callback
 * (with its argument) here; monitor_port.c forwards them to spec/monitor (eve_monitor).
 */
#ifndef EVE_TESTS_MONITOR_PORT_H
#define EVE_TESTS_MONITOR_PORT_H

#include <stddef.h>

/* X(name): the public calls the harness records. */
/* clang-format off */
#define HM_CALLS(X)                                                                           \
    X(CREATE) X(ON_DATA) X(ON_WRITABLE) X(ON_CLOSE) X(ON_ERROR) X(IS_OPEN) X(STATE)            \
    X(ADOPT_READ) X(ADOPT_WRITE) X(WRITE) X(QUEUE_SIZE) X(PAUSE) X(RESUME) X(CLOSE)            \
    X(CLOSE_GRACEFUL) X(DISPOSE) X(UNSENT) X(FREE) X(PAIR_CREATE) X(PAIR_CLOSE)                \
    X(PAIR_IS_VALID) X(PAIR_TAKE_READ) X(PAIR_TAKE_WRITE) X(CONFIG_IS_VALID) X(SPEC_VERSION)
/* clang-format on */

/* X(name): the callbacks. */
#define HM_CBS(X) X(DATA) X(WRITABLE) X(CLOSE) X(ERROR)

typedef enum hm_call_kind {
#define HM__ENUM(n) HM_CALL_##n,
    HM_CALLS(HM__ENUM)
#undef HM__ENUM
        HM_CALL_COUNT
} hm_call_kind;

typedef enum hm_cb_kind {
#define HM__ENUM(n) HM_CB_##n,
    HM_CBS(HM__ENUM)
#undef HM__ENUM
        HM_CB_COUNT
} hm_cb_kind;

/* Start / end one test's trace. hm_end calls row_fn for each row the trace exercised. */
void hm_begin(const char *test_id);
void hm_end(void (*row_fn)(const char *row_id, unsigned hits, void *ctx), void *ctx);

/* end is the eve_pipe pointer (an opaque key); for calls that failed before an end existed
 * (create) it is NULL. is_read is 1 / 0 once adopted, -1 before. arg: the length for write,
 * the flag "cb set" for registrations, 0 otherwise. */
#define HM_WRITE_NULL_DATA (-1LL) /* hm_call's arg for a write of NULL data, len > 0 */
void hm_call_begin(const void *end, hm_call_kind call);
void hm_call(const void *end, hm_call_kind call, long long arg, long long result);
/* The end's effective config (after defaults), for the monitor's size checks. */
void hm_set_limits(const void *end, size_t buffer_size, size_t high_water, size_t low_water);
void hm_callback(const void *end, hm_cb_kind cb, long long arg);
/* A callback's hook returned: the monitor knows we are out of the callback again. */
void hm_callback_done(const void *end, hm_cb_kind cb);
/* Reported only while the test uses a single loop (the monitor checks "idle" over all ends). */
void hm_loop_returned(const void *loop, int rc);
void hm_loop_closed(const void *loop, int rc);

/* NULL while the trace is legal, else the first violation (row, state, last steps). */
const char *hm_failure(void);

#endif /* EVE_TESTS_MONITOR_PORT_H */
