/* monitor_port.h: the one place the harness talks to the spec trace monitor.
 *
 * The wrappers in h.c report every public call (with what it returned) and every callback
 * (with its argument) here; monitor_port.c forwards them to spec/monitor (eve_monitor).
 */
#ifndef EVE_TESTS_MONITOR_PORT_H
#define EVE_TESTS_MONITOR_PORT_H

#include <stddef.h>

/* The call and callback kinds are the monitor's (eve_monitor.h: EVE_MON_CALLS, EVE_MON_CBS):
 * the harness records exactly the calls and callbacks the monitor checks. */
#include "eve_monitor.h"

/* Start / end one test's trace. hm_end calls row_fn for each row the trace exercised. */
void hm_begin(const char *test_id);
void hm_end(void (*row_fn)(const char *row_id, unsigned hits, void *ctx), void *ctx);

/* end is the eve_pipe pointer (an opaque key); for calls that failed before an end existed
 * (create) it is NULL. is_read is 1 / 0 once adopted, -1 before. arg: the length for write,
 * the flag "cb set" for registrations, 0 otherwise. */
void hm_call_begin(const void *end, eve_mon_call call);
void hm_call(const void *end, eve_mon_call call, long long arg, long long result);
/* The end's effective config (after defaults), for the monitor's size checks. */
void hm_set_limits(const void *end, size_t buffer_size, size_t high_water, size_t low_water);
void hm_callback(const void *end, eve_mon_cb cb, long long arg);
/* A callback's hook returned: the monitor knows we are out of the callback again. */
void hm_callback_done(const void *end, eve_mon_cb cb);
/* Reported only while the test uses a single loop (the monitor checks "idle" over all ends). */
void hm_loop_returned(const void *loop, int rc);
void hm_loop_closed(const void *loop, int rc);

/* NULL while the trace is legal, else the first violation (row, state, last steps). */
const char *hm_failure(void);

/* fn(row_id) for every row the monitor can never credit (eve_monitor_row_observable 0). */
void hm_unobservable_rows(void (*fn)(const char *row_id, void *ctx), void *ctx);

#endif /* EVE_TESTS_MONITOR_PORT_H */
