/* h.c: recording wrappers, callback trampolines, loop driving and data helpers. */
#include "h.h"
#include "h_internal.h"
#include "monitor_port.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

h_current h_cur;

/* ---- assertions ---- */

void h_check(int cond, const char *file, int line, const char *fmt, ...)
{
    char msg[sizeof h_cur.fail_msg - 512]; /* room for "file:line: " in front */
    va_list ap;

    if (cond)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (h_cur.in_cb > 0) {
        /* Recorded, not thrown: a longjmp must not cross the implementation's frames. */
        if (h_cur.soft_count++ == 0)
            snprintf(h_cur.soft_msg, sizeof h_cur.soft_msg, "%s:%d: %s", file, line, msg);
        print_error("%s:%d: Test failed (in callback): %s\n", file, line, msg);
        return;
    }
    h_note_failure(file, line, msg);
    print_error("%s:%d: Test failed: %s\n", file, line, msg);
    _fail(file, line);
}

void h_check_eq(long long got, long long want, const char *a, const char *b, const char *file,
                int line)
{
    h_check(got == want, file, line, "%s == %s: got %lld, want %lld", a, b, got, want);
}

void h_check_soft(const char *file, int line)
{
    const char *m;

    if (h_cur.soft_count > 0) {
        h_note_failure(file, line, h_cur.soft_msg);
        print_error("%s:%d: %d failure(s) inside callbacks, first: %s\n", file, line,
                    h_cur.soft_count, h_cur.soft_msg);
        _fail(file, line);
    }
    m = hm_failure();
    if (m != NULL) {
        char msg[sizeof h_cur.fail_msg]; /* the monitor's verdict and the end's last steps */
        snprintf(msg, sizeof msg, "spec monitor: %s", m);
        h_note_failure(file, line, msg);
        print_error("%s:%d: %s\n", file, line, msg);
        _fail(file, line);
    }
}

void h_skip_test(const char *file, int line, const char *why)
{
    h_cur.skipped = 1;
    snprintf(h_cur.fail_msg, sizeof h_cur.fail_msg, "%s", why);
    print_message("%s:%d: skipped: %s\n", file, line, why);
    _skip(file, line);
}

/* ---- bookkeeping ---- */

static void *h_track(void ***arr, size_t *n, size_t *cap, void *item)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        void **na = realloc(*arr, ncap * sizeof *na);
        if (na == NULL) {
            free(item);
            ok(0, "out of memory in the harness");
            return NULL;
        }
        *arr = na;
        *cap = ncap;
    }
    (*arr)[(*n)++] = item;
    return item;
}

void *h_alloc(size_t len)
{
    void *m = malloc(len ? len : 1);
    ok(m != NULL, "cannot allocate %lu bytes for the test", (unsigned long)len);
    return h_track(&h_cur.allocs, &h_cur.nallocs, &h_cur.callocs, m);
}

eve_pipe *h_raw(h_pipe *p)
{
    return p ? p->raw : NULL;
}

/* ---- callback trampolines ---- */

static void h_cb_enter(h_pipe *p, const char *what)
{
    h_cur.in_cb++; /* first: checks below must not longjmp out of a callback */
    ok(p->raw != NULL, "%s callback on end %d after eve_pipe_free", what, p->id);
    ok(p->close_calls == 0, "%s callback on end %d after its close callback", what, p->id);
}

static void h_cb_leave(void)
{
    h_cur.in_cb--;
}

/* Copy len bytes to (*buf)[used..], growing *buf (capacity *cap) by doubling. 1 when
 * done, 0 (with a test failure) when the harness is out of memory. */
static int h_append(uint8_t **buf, size_t *cap, size_t used, const void *data, size_t len)
{
    if (used + len > *cap) {
        size_t ncap = *cap ? *cap : 4096;
        uint8_t *nb;
        while (ncap < used + len)
            ncap *= 2;
        nb = realloc(*buf, ncap);
        ok(nb != NULL, "harness out of memory");
        if (nb == NULL)
            return 0;
        *buf = nb;
        *cap = ncap;
    }
    memcpy(*buf + used, data, len);
    return 1;
}

static void h_tr_data(eve_pipe *raw, const uint8_t *data, size_t len, void *user)
{
    h_pipe *p = user;

    hm_callback(raw, EVE_MON_CB_DATA, (long long)len);
    h_cb_enter(p, "data");
    ok(raw == p->raw, "data callback got pipe %p, registered on %p", (void *)raw, (void *)p->raw);
    ok(len > 0, "data callback with length 0 on end %d", p->id);
    ok(data != NULL, "data callback with NULL data on end %d", p->id);
    p->data_calls++;
    p->rx_bytes += len;
    if (data != NULL) {
        p->rx_hash = h_hash(p->rx_hash, data, len);
        if (p->keep_rx)
            (void)h_append(&p->rx_buf, &p->rx_cap, p->rx_bytes - len, data, len);
    }
    if (p->on_data != NULL)
        p->on_data(p, data, len);
    h_cb_leave();
    hm_callback_done(raw, EVE_MON_CB_DATA);
}

static void h_tr_writable(eve_pipe *raw, void *user)
{
    h_pipe *p = user;

    hm_callback(raw, EVE_MON_CB_WRITABLE, 0);
    h_cb_enter(p, "writable");
    ok(h_cur.in_call == 0, "writable callback delivered from inside a public call");
    p->writable_calls++;
    if (p->on_writable != NULL)
        p->on_writable(p);
    h_cb_leave();
    hm_callback_done(raw, EVE_MON_CB_WRITABLE);
}

static void h_tr_error(eve_pipe *raw, int error_number, void *user)
{
    h_pipe *p = user;

    hm_callback(raw, EVE_MON_CB_ERROR, error_number);
    h_cb_enter(p, "error");
    ok(error_number < 0, "error callback with error %d (eve errors are negative)", error_number);
    p->error_calls++;
    p->last_error = error_number;
    if (p->on_error != NULL)
        p->on_error(p, error_number);
    h_cb_leave();
    hm_callback_done(raw, EVE_MON_CB_ERROR);
}

static void h_tr_close(eve_pipe *raw, eve_pipe_close_reason reason, void *user)
{
    h_pipe *p = user;

    hm_callback(raw, EVE_MON_CB_CLOSE, reason);
    h_cur.in_cb++;
    ok(p->raw != NULL, "close callback on end %d after eve_pipe_free", p->id);
    ok(p->close_calls == 0, "second close callback on end %d", p->id);
    ok(h_cur.in_call == 0, "close callback delivered from inside a public call");
    p->close_calls++;
    p->close_reason = (int)reason;
    if (p->on_close != NULL)
        p->on_close(p, reason);
    if (p->free_in_close && p->raw != NULL)
        h_free(p);
    h_cur.in_cb--;
    hm_callback_done(raw, EVE_MON_CB_CLOSE);
}

/* ---- recording wrappers ---- */

#define H_CALL(p, kind, arg, expr, result)                                                        \
    EVE_MON_RECORD_CALL(hm_call_begin, hm_call, h_raw(p), kind, arg, h_cur.in_call, expr, result)

/* The effective limits per spec/DECISIONS.md item 8 (0 means the default). */
static void h_report_limits(const eve_pipe *raw, const eve_pipe_config *c)
{
    size_t buf = c && c->buffer_size ? c->buffer_size : EVE_PIPE_DEFAULT_BUFFER_SIZE;
    size_t high = c && c->high_water ? c->high_water : EVE_PIPE_DEFAULT_HIGH_WATER;
    size_t low = c && c->low_water ? c->low_water : high / EVE_PIPE_DEFAULT_LOW_WATER_DIVISOR;

    hm_set_limits(raw, buf, high, low);
}

int h_create(const eve_pipe_config *config, h_pipe **out)
{
    eve_pipe *raw = NULL;
    h_pipe *p;
    int rc;

    hm_call_begin(NULL, EVE_MON_CALL_CREATE);
    h_cur.in_call++;
    rc = eve_pipe_create(config, out ? &raw : NULL);
    h_cur.in_call--;
    hm_call(raw, EVE_MON_CALL_CREATE, 0, rc);
    if (rc != EVE_OK || out == NULL)
        return rc;
    h_report_limits(raw, config);
    p = calloc(1, sizeof *p);
    ok(p != NULL, "harness out of memory");
    p->raw = raw;
    p->id = (int)h_cur.npipes;
    p->is_read = -1;
    p->close_reason = -1;
    p->rx_hash = H_HASH_INIT;
    h_track(&h_cur.pipes, &h_cur.npipes, &h_cur.cpipes, p);
    *out = p;
    return rc;
}

int h_on_data(h_pipe *p, int on)
{
    int rc;
    H_CALL(p, EVE_MON_CALL_ON_DATA, on,
           eve_pipe_on_data(h_raw(p), on ? h_tr_data : NULL, on ? (void *)p : NULL), rc);
    return rc;
}

int h_on_writable(h_pipe *p, int on)
{
    int rc;
    H_CALL(p, EVE_MON_CALL_ON_WRITABLE, on,
           eve_pipe_on_writable(h_raw(p), on ? h_tr_writable : NULL, on ? (void *)p : NULL), rc);
    return rc;
}

int h_on_close(h_pipe *p, int on)
{
    int rc;
    H_CALL(p, EVE_MON_CALL_ON_CLOSE, on,
           eve_pipe_on_close(h_raw(p), on ? h_tr_close : NULL, on ? (void *)p : NULL), rc);
    return rc;
}

int h_on_error(h_pipe *p, int on)
{
    int rc;
    H_CALL(p, EVE_MON_CALL_ON_ERROR, on,
           eve_pipe_on_error(h_raw(p), on ? h_tr_error : NULL, on ? (void *)p : NULL), rc);
    return rc;
}

h_pipe *h_pipe_new(const eve_pipe_config *config)
{
    h_pipe *p = NULL;
    int rc = h_create(config, &p);

    ok(rc == EVE_OK, "eve_pipe_create returned %d", rc);
    ok_eq(h_on_data(p, 1), EVE_OK);
    ok_eq(h_on_writable(p, 1), EVE_OK);
    ok_eq(h_on_close(p, 1), EVE_OK);
    ok_eq(h_on_error(p, 1), EVE_OK);
    return p;
}

int h_adopt_read(h_pipe *p, eve_loop *loop, eve_os_handle *handle)
{
    int rc;
    H_CALL(p, EVE_MON_CALL_ADOPT_READ, 0, eve_pipe_adopt_read(h_raw(p), loop, handle), rc);
    if (rc == EVE_OK && p != NULL) {
        p->is_read = 1;
        p->loop = loop;
    }
    return rc;
}

int h_adopt_write(h_pipe *p, eve_loop *loop, eve_os_handle *handle)
{
    int rc;
    H_CALL(p, EVE_MON_CALL_ADOPT_WRITE, 0, eve_pipe_adopt_write(h_raw(p), loop, handle), rc);
    if (rc == EVE_OK && p != NULL) {
        p->is_read = 0;
        p->loop = loop;
    }
    return rc;
}

eve_send_result h_write(h_pipe *p, const void *data, size_t len)
{
    eve_send_result r;
    /* Lengths above LLONG_MAX are clamped: -1 is the monitor's "NULL data" marker. */
    long long arg = (data == NULL && len > 0) ? EVE_MON_WRITE_NULL_DATA
                    : len > (size_t)LLONG_MAX ? LLONG_MAX
                                              : (long long)len;

    H_CALL(p, EVE_MON_CALL_WRITE, arg, eve_pipe_write(h_raw(p), data, len), r);
    if (p != NULL && (r == EVE_SEND_OK || r == EVE_SEND_BACKPRESSURE)) {
        /* The first H_TX_KEEP accepted bytes are kept, so a reader's bytes can be checked
         * against them (h_delivered_prefix). */
        if (p->tx_accepted == p->tx_kept && p->tx_kept + len <= H_TX_KEEP && len > 0 &&
            h_append(&p->tx_buf, &p->tx_cap, p->tx_kept, data, len))
            p->tx_kept += len;
        p->tx_accepted += len;
    }
    if (p != NULL && r == EVE_SEND_BACKPRESSURE)
        p->backpressure_count++;
    return r;
}

size_t h_queue(h_pipe *p)
{
    size_t n;
    H_CALL(p, EVE_MON_CALL_QUEUE_SIZE, 0, eve_pipe_write_queue_size(h_raw(p)), n);
    return n;
}

int h_pause(h_pipe *p)
{
    int rc;
    H_CALL(p, EVE_MON_CALL_PAUSE, 0, eve_pipe_pause_reading(h_raw(p)), rc);
    return rc;
}

int h_resume(h_pipe *p)
{
    int rc;
    H_CALL(p, EVE_MON_CALL_RESUME, 0, eve_pipe_resume_reading(h_raw(p)), rc);
    return rc;
}

int h_close(h_pipe *p)
{
    int rc;
    H_CALL(p, EVE_MON_CALL_CLOSE, 0, eve_pipe_close(h_raw(p)), rc);
    return rc;
}

int h_close_graceful(h_pipe *p)
{
    int rc;
    H_CALL(p, EVE_MON_CALL_CLOSE_GRACEFUL, 0, eve_pipe_close_graceful(h_raw(p)), rc);
    return rc;
}

int h_dispose(h_pipe *p)
{
    int rc;
    H_CALL(p, EVE_MON_CALL_DISPOSE, 0, eve_pipe_dispose(h_raw(p)), rc);
    return rc;
}

size_t h_unsent(h_pipe *p)
{
    size_t n;
    H_CALL(p, EVE_MON_CALL_UNSENT, 0, eve_pipe_unsent_bytes(h_raw(p)), n);
    return n;
}

eve_pipe_state h_state(h_pipe *p)
{
    eve_pipe_state s;
    H_CALL(p, EVE_MON_CALL_STATE, 0, eve_pipe_state_of(h_raw(p)), s);
    return s;
}

int h_is_open(h_pipe *p)
{
    int r;
    H_CALL(p, EVE_MON_CALL_IS_OPEN, 0, eve_pipe_is_open(h_raw(p)), r);
    return r;
}

void h_free(h_pipe *p)
{
    eve_pipe *raw = h_raw(p);

    h_cur.in_call++;
    eve_pipe_free(raw);
    h_cur.in_call--;
    hm_call(raw, EVE_MON_CALL_FREE, 0, 0);
    if (p != NULL)
        p->raw = NULL;
}

int h_pair_create(eve_pipe_pair *pair, const eve_pipe_pair_options *options)
{
    int rc;
    h_cur.in_call++;
    rc = eve_pipe_pair_create(pair, options);
    h_cur.in_call--;
    hm_call(pair, EVE_MON_CALL_PAIR_CREATE, 0, rc);
    return rc;
}

int h_pair_close(eve_pipe_pair *pair)
{
    int rc;
    h_cur.in_call++;
    rc = eve_pipe_pair_close(pair);
    h_cur.in_call--;
    hm_call(pair, EVE_MON_CALL_PAIR_CLOSE, 0, rc);
    return rc;
}

int h_pair_is_valid(eve_pipe_pair *pair)
{
    int v = eve_pipe_pair_is_valid(pair);
    hm_call(pair, EVE_MON_CALL_PAIR_IS_VALID, 0, v);
    return v;
}

void h_close_all(void)
{
    size_t i;
    for (i = 0; i < h_cur.npipes; i++) {
        h_pipe *p = h_cur.pipes[i];
        if (p->raw != NULL && h_is_open(p))
            ok_eq(h_close(p), EVE_OK);
    }
}

void h_pair_took(eve_pipe_pair *pair, int read_end)
{
    hm_call(pair, read_end ? EVE_MON_CALL_PAIR_TAKE_READ : EVE_MON_CALL_PAIR_TAKE_WRITE, 0, 0);
}

void h_pair_open(eve_loop *loop, const eve_pipe_config *rcfg, const eve_pipe_config *wcfg,
                 h_pipe **r, h_pipe **w)
{
    eve_pipe_pair pair = {NULL, NULL};
    int rc = h_pair_create(&pair, NULL);

    ok(rc == EVE_OK, "eve_pipe_pair_create returned %d", rc);
    ok(pair.read_end != NULL && pair.write_end != NULL, "pair has a NULL end");
    *r = h_pipe_new(rcfg);
    *w = h_pipe_new(wcfg);
    rc = h_adopt_read(*r, loop, &pair.read_end);
    ok(rc == EVE_OK, "adopt_read returned %d", rc);
    ok(pair.read_end == NULL, "adopt_read did not take the handle");
    h_pair_took(&pair, 1);
    rc = h_adopt_write(*w, loop, &pair.write_end);
    ok(rc == EVE_OK, "adopt_write returned %d", rc);
    ok(pair.write_end == NULL, "adopt_write did not take the handle");
    h_pair_took(&pair, 0);
    (*r)->peer = *w;
    (*w)->peer = *r;
}

/* ---- loops ---- */

eve_loop *h_loop_new(void)
{
    eve_loop *loop = NULL;
    int rc = eve_loop_create(&loop);

    ok(rc == EVE_OK && loop != NULL, "eve_loop_create returned %d", rc);
    h_track(&h_cur.loops, &h_cur.nloops, &h_cur.cloops, loop);
    return loop;
}

/* Loops of the test not yet closed. */
static size_t h_live_loops(void)
{
    size_t i, n = 0;
    for (i = 0; i < h_cur.nloops; i++)
        n += h_cur.loops[i] != NULL;
    return n;
}

int h_loop_run(eve_loop *loop, eve_run_mode mode)
{
    int rc = eve_loop_run(loop, mode);
    /* The monitor's "idle" check spans every end it knows: only meaningful with one loop. */
    if (h_live_loops() == 1)
        hm_loop_returned(loop, rc);
    return rc;
}

int h_loop_stop(eve_loop *loop)
{
    return eve_loop_stop(loop);
}

int h_loop_close(eve_loop *loop)
{
    int rc = eve_loop_close(loop);
    size_t i;

    if (h_live_loops() == 1)
        hm_loop_closed(loop, rc);
    if (rc == EVE_OK) {
        for (i = 0; i < h_cur.nloops; i++)
            if (h_cur.loops[i] == loop)
                h_cur.loops[i] = NULL;
    }
    return rc;
}

void h_run_until_at(eve_loop *loop, h_cond_fn cond, void *ctx, const char *what, const char *file,
                    int line)
{
    long i;

    for (i = 0; !cond(ctx); i++) {
        int rc;
        h_check(i < H_MAX_ITERS, file, line, "loop never reached: %s", what);
        rc = h_loop_run(loop, EVE_RUN_ONCE);
        h_check_soft(file, line);
        h_check(rc >= 0, file, line, "eve_loop_run returned %d waiting for %s", rc, what);
        h_check(rc > 0 || cond(ctx), file, line, "loop went idle before: %s", what);
    }
}

void h_spin(eve_loop *loop, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        int rc = h_loop_run(loop, EVE_RUN_NOWAIT);
        ok(rc >= 0, "eve_loop_run(NOWAIT) returned %d", rc);
    }
    ok_soft();
}

void h_run_idle_at(eve_loop *loop, const char *file, int line)
{
    long i;
    int rc = 1;

    for (i = 0; i < 1000 && rc > 0; i++) {
        rc = h_loop_run(loop, EVE_RUN_DEFAULT);
        h_check_soft(file, line);
    }
    h_check(rc == 0, file, line, "eve_loop_run(DEFAULT) never reported idle (last %d)", rc);
}

/* ---- data ---- */

uint64_t h_hash(uint64_t h, const void *data, size_t len)
{
    const uint8_t *b = data;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= b[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void h_fill(void *buf, size_t len, uint64_t seed)
{
    uint8_t *b = buf;
    uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
    size_t i;

    for (i = 0; i < len; i += 8) {
        uint64_t z;
        size_t k;
        x += 0x9E3779B97F4A7C15ULL;
        z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        z ^= z >> 31;
        for (k = 0; k < 8 && i + k < len; k++)
            b[i + k] = (uint8_t)(z >> (8 * k));
    }
}

/* ---- per-test setup and cleanup (called by the runner) ---- */

void h_begin(const h_test_entry *e)
{
    h_cur.entry = e;
    h_cur.in_cb = 0;
    h_cur.in_call = 0;
    h_cur.soft_count = 0;
    h_cur.soft_msg[0] = '\0';
    h_cur.fail_msg[0] = '\0';
    h_cur.skipped = 0;
    h_cur.reached_end = 0;
    hm_begin(e->id);
}

void h_cleanup(void)
{
    size_t i;

    /* Monitor is done before this: cleanup is not part of the test's trace. */
    for (i = 0; i < h_cur.npipes; i++) {
        h_pipe *p = h_cur.pipes[i];
        if (p->raw != NULL)
            eve_pipe_free(p->raw);
        free(p->rx_buf);
        free(p->tx_buf);
        free(p);
    }
    h_cur.npipes = 0;
    for (i = 0; i < h_cur.nloops; i++) {
        eve_loop *loop = h_cur.loops[i];
        int k, rc = EVE_EBUSY;
        for (k = 0; loop != NULL && k < 100 && rc == EVE_EBUSY; k++) {
            eve_loop_run(loop, EVE_RUN_NOWAIT);
            rc = eve_loop_close(loop);
        }
        if (loop != NULL && rc != EVE_OK)
            print_message("note: loop %p of the test could not be closed (%d), leaked\n",
                          (void *)loop, rc);
    }
    h_cur.nloops = 0;
    for (i = 0; i < h_cur.nallocs; i++)
        free(h_cur.allocs[i]);
    h_cur.nallocs = 0;
}

int h_delivered_prefix(const h_pipe *r, const h_pipe *w)
{
    if (r->rx_bytes > w->tx_kept)
        return -1;
    return h_hash(H_HASH_INIT, w->tx_buf, (size_t)r->rx_bytes) == r->rx_hash;
}
