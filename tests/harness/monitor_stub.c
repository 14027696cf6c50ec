/* monitor_stub.c: a do-nothing monitor, for building the suite where spec/monitor is absent.
 * The harness's own checks (no callback after close, one close callback, none from inside a
 * call) still run; the report then says "monitor: none". */
#include "monitor_port.h"

#include <stddef.h>

void hm_begin(const char *test_id)
{
    (void)test_id;
}
void hm_end(void (*row_fn)(const char *, unsigned, void *), void *ctx)
{
    (void)row_fn;
    (void)ctx;
}
void hm_call(const void *end, hm_call_kind call, long long arg, long long result)
{
    (void)end, (void)call, (void)arg, (void)result;
}
void hm_call_begin(const void *end, hm_call_kind call)
{
    (void)end, (void)call;
}
void hm_set_limits(const void *end, size_t buffer_size, size_t high_water, size_t low_water)
{
    (void)end, (void)buffer_size, (void)high_water, (void)low_water;
}
void hm_loop_closed(const void *loop, int rc)
{
    (void)loop, (void)rc;
}
void hm_callback(const void *end, hm_cb_kind cb, long long arg)
{
    (void)end, (void)cb, (void)arg;
}
void hm_callback_done(const void *end, hm_cb_kind cb)
{
    (void)end, (void)cb;
}
void hm_loop_returned(const void *loop, int rc)
{
    (void)loop, (void)rc;
}
const char *hm_failure(void)
{
    return NULL;
}
int hm_is_real(void)
{
    return 0;
}
