/* monitor_port.c: forwards the harness's trace to spec/monitor (eve_monitor), one monitor
 * per test, and hands its row coverage to the runner. */
#include "monitor_port.h"

#include "eve_monitor.h"

#include <stdio.h>

static eve_monitor *hm_mon;

static char hm_oom[] = "the monitor could not be created (out of memory)";

void hm_begin(const char *test_id)
{
    (void)test_id;
    hm_mon = eve_monitor_create();
}

void hm_end(void (*row_fn)(const char *row_id, unsigned hits, void *ctx), void *ctx)
{
    if (hm_mon == NULL)
        return;
    eve_monitor_coverage(hm_mon, row_fn, ctx);
    eve_monitor_free(hm_mon);
    hm_mon = NULL;
}

void hm_call_begin(const void *end, eve_mon_call call)
{
    if (hm_mon != NULL)
        eve_monitor_call_begin(hm_mon, end, call);
}

void hm_call(const void *end, eve_mon_call call, long long arg, long long result)
{
    if (hm_mon != NULL)
        eve_monitor_call(hm_mon, end, call, arg, result);
}

void hm_set_limits(const void *end, size_t buffer_size, size_t high_water, size_t low_water)
{
    if (hm_mon != NULL)
        eve_monitor_set_limits(hm_mon, end, buffer_size, high_water, low_water);
}

void hm_callback(const void *end, eve_mon_cb cb, long long arg)
{
    if (hm_mon != NULL)
        eve_monitor_callback(hm_mon, end, cb, arg);
}

void hm_callback_done(const void *end, eve_mon_cb cb)
{
    if (hm_mon != NULL)
        eve_monitor_callback_done(hm_mon, end, cb);
}

void hm_loop_returned(const void *loop, int rc)
{
    (void)loop;
    if (hm_mon != NULL)
        eve_monitor_loop_returned(hm_mon, rc);
}

void hm_loop_closed(const void *loop, int rc)
{
    (void)loop;
    if (hm_mon != NULL)
        eve_monitor_loop_closed(hm_mon, rc);
}

const char *hm_failure(void)
{
    if (hm_mon == NULL)
        return hm_oom;
    return eve_monitor_failure(hm_mon);
}

typedef struct hm_unobs_ctx {
    void (*fn)(const char *row_id, void *ctx);
    void *ctx;
} hm_unobs_ctx;

static void hm_unobs_row(const char *row_id, unsigned hits, void *ctx)
{
    const hm_unobs_ctx *u = ctx;
    (void)hits;
    if (eve_monitor_row_observable(row_id) == 0)
        u->fn(row_id, u->ctx);
}

void hm_unobservable_rows(void (*fn)(const char *row_id, void *ctx), void *ctx)
{
    hm_unobs_ctx u = {fn, ctx};
    eve_monitor_global_coverage(hm_unobs_row, &u);
}
