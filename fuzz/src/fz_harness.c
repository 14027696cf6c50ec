/* fz_harness.c: decodes a fuzz input into pipe operations and checks every step.
 *
 * One loop and one spec monitor per input. Ends live in fixed slots (no reuse within an
 * input), so a callback that arrives for a freed end still finds its slot and is caught.
 * Every public call and every callback is reported to the monitor; the byte model checks
 * each stream's content and, at the end, its accounting (spec/DECISIONS.md items 3, 7).
 */
#include "fz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eve/loop.h"
#include "eve/pipe.h"
#include "eve_monitor.h"

/* ---- state ---- */

struct fz_pair;

typedef struct fz_end {
    eve_pipe *raw; /* NULL if never created, or once freed */
    struct fz_pair *pair;
    int is_read;
    int adopted;
    int paused; /* pause returned OK and no resume did since */
    int closes; /* close callbacks seen */
    int reason; /* of the close callback */
    int gone;   /* disposed (or freed) before its close callback: no callback ever */
    int cb_on[EVE_MON_CB_COUNT];
    unsigned char react[EVE_MON_CB_COUNT];
    size_t unsent; /* write end: as read at its close callback or at the end */
    int unsent_known;
} fz_end;

typedef struct fz_pair {
    fz_end rd, wr;
    eve_pipe_pair handles;
    unsigned id;
    unsigned long long accepted;  /* bytes the writer's writes accepted */
    unsigned long long delivered; /* bytes the reader's data callbacks got */
    unsigned long long budget;    /* bytes the input may write: see fz_op_pair */
    int sync_rd, sync_wr;         /* that end's handle was opened synchronous */
} fz_pair;

static struct fz_state {
    eve_loop *loop;
    eve_monitor *mon;
    fz_pair pairs[FZ_MAX_PAIRS];
    unsigned npairs;
    const uint8_t *in;
    size_t len;
    size_t pos;
    int in_call;          /* public calls on the stack */
    int in_cb;            /* callbacks on the stack */
    unsigned long events; /* callbacks so far: the idle loop's progress measure */
} S;

static const char *fz_input_name = "(input)";
static int fz_trace = -1; /* EVE_FUZZ_TRACE=1: print each op and each pair's outcome */

void fz_set_input_name(const char *name)
{
    fz_input_name = name;
}

static void (*fz_fail_hook)(void);

void fz_set_fail_hook(void (*hook)(void))
{
    fz_fail_hook = hook;
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 1, 2), noreturn))
#endif
static void
fz_fail(const char *fmt, ...)
{
    va_list ap;
    const char *m = S.mon ? eve_monitor_failure(S.mon) : NULL;

    fprintf(stderr, "eve fuzz: %s: ", fz_input_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    if (m != NULL)
        fprintf(stderr, "spec monitor: %s\n", m);
    fflush(stderr);
    if (fz_fail_hook != NULL)
        fz_fail_hook();
    abort();
}

static void fz_check_monitor(const char *where)
{
    if (!eve_monitor_ok(S.mon))
        fz_fail("spec monitor rejected the trace (%s)", where);
}

static uint8_t fz_byte(void)
{
    return S.pos < S.len ? S.in[S.pos++] : 0;
}

/* The streams' bytes: pair `id`'s byte `off` is fz_pat[(off + id * 977) % FZ_PERIOD]. A
 * prime period, so a lost, repeated or reordered chunk shows unless its length is a multiple
 * of it; the table runs on past the period so any write or read is one memcpy / memcmp. */
#define FZ_PERIOD 65521u
#define FZ_MAX_WRITE 70001u
static uint8_t fz_pat[FZ_PERIOD + FZ_MAX_WRITE];

static void fz_pattern_init(void)
{
    uint32_t x = 2463534242u;
    size_t i;
    if (fz_pat[0] != 0)
        return;
    for (i = 0; i < FZ_PERIOD; i++) {
        x ^= x << 13; /* xorshift32 */
        x ^= x >> 17;
        x ^= x << 5;
        fz_pat[i] = (uint8_t)(x >> 24);
    }
    fz_pat[0] |= 1; /* the "initialised" mark */
    for (i = FZ_PERIOD; i < sizeof fz_pat; i++)
        fz_pat[i] = fz_pat[i - FZ_PERIOD];
}

/* The pattern bytes [off, off + len) of pair id's stream; len <= FZ_MAX_WRITE. */
static const uint8_t *fz_pattern(unsigned id, unsigned long long off)
{
    return fz_pat + (size_t)((off + id * 977ULL) % FZ_PERIOD);
}

/* Ends are numbered 2 * pair + (0 read, 1 write). NULL when there is no pair yet. */
static fz_end *fz_end_at(uint8_t b)
{
    fz_pair *p;
    if (S.npairs == 0)
        return NULL;
    p = &S.pairs[(b >> 1) % S.npairs];
    return (b & 1) ? &p->wr : &p->rd;
}

static fz_end *fz_peer(fz_end *e)
{
    return e->is_read ? &e->pair->wr : &e->pair->rd;
}

/* ---- recording wrappers: every public call goes to the monitor ---- */

#define FZ_MON_BEGIN(key, call) eve_monitor_call_begin(S.mon, key, call)
#define FZ_MON_END(key, call, arg, res) eve_monitor_call(S.mon, key, call, arg, res)
#define FZ_CALL(key, kind, arg, expr, res)                                                        \
    EVE_MON_RECORD_CALL(FZ_MON_BEGIN, FZ_MON_END, key, EVE_MON_CALL_##kind, arg, S.in_call, expr, \
                        res)

static int fz_loop_run(eve_run_mode mode)
{
    int rc = eve_loop_run(S.loop, mode);
    if (rc >= 0)
        eve_monitor_loop_returned(S.mon, rc);
    else if (fz_env_faults_fired() == 0)
        fz_fail("eve_loop_run(%d) returned %d with no fault injected", (int)mode, rc);
    return rc;
}

/* ---- callbacks ---- */

static void fz_cb_enter(fz_end *e, eve_pipe *raw, const char *what)
{
    if (e->raw != raw)
        fz_fail("%s callback on a freed end (pair %u)", what, e->pair->id);
    if (e->gone)
        fz_fail("%s callback after dispose (pair %u)", what, e->pair->id);
    if (e->closes > 0)
        fz_fail("%s callback after the close callback (pair %u)", what, e->pair->id);
    if (S.in_call > 0)
        fz_fail("%s callback from inside a public call", what);
    S.in_cb++;
    S.events++;
}

static void fz_react(fz_end *e, eve_mon_cb cb);

static void fz_on_data(eve_pipe *raw, const uint8_t *data, size_t len, void *user)
{
    fz_end *e = user;
    fz_pair *p = e->pair;
    size_t i;

    eve_monitor_callback(S.mon, raw, EVE_MON_CB_DATA, (long long)len);
    fz_cb_enter(e, raw, "data");
    if (!e->is_read)
        fz_fail("data callback on the write end of pair %u", p->id);
    if (e->paused)
        fz_fail("data callback while paused (pair %u)", p->id);
    if (len == 0 || data == NULL)
        fz_fail("data callback with %s (pair %u)", data ? "length 0" : "NULL data", p->id);
    if (p->delivered + len > p->accepted)
        fz_fail("pair %u delivered %llu bytes, only %llu accepted", p->id, p->delivered + len,
                p->accepted);
    for (i = 0; i < len; i += FZ_MAX_WRITE) {
        size_t n = len - i < FZ_MAX_WRITE ? len - i : FZ_MAX_WRITE;
        const uint8_t *want = fz_pattern(p->id, p->delivered + i);
        if (memcmp(data + i, want, n) != 0) {
            size_t k = 0;
            while (data[i + k] == want[k])
                k++;
            fz_fail("pair %u: byte %llu of the stream is wrong (lost, repeated or reordered)",
                    p->id, p->delivered + i + k);
        }
    }
    p->delivered += len;
    fz_react(e, EVE_MON_CB_DATA);
    S.in_cb--;
    eve_monitor_callback_done(S.mon, raw, EVE_MON_CB_DATA);
}

static void fz_on_writable(eve_pipe *raw, void *user)
{
    fz_end *e = user;

    eve_monitor_callback(S.mon, raw, EVE_MON_CB_WRITABLE, 0);
    fz_cb_enter(e, raw, "writable");
    if (e->is_read)
        fz_fail("writable callback on the read end of pair %u", e->pair->id);
    fz_react(e, EVE_MON_CB_WRITABLE);
    S.in_cb--;
    eve_monitor_callback_done(S.mon, raw, EVE_MON_CB_WRITABLE);
}

static void fz_on_error(eve_pipe *raw, int err, void *user)
{
    fz_end *e = user;

    eve_monitor_callback(S.mon, raw, EVE_MON_CB_ERROR, err);
    fz_cb_enter(e, raw, "error");
    if (err >= 0)
        fz_fail("error callback with %d: eve errors are negative", err);
    fz_react(e, EVE_MON_CB_ERROR);
    S.in_cb--;
    eve_monitor_callback_done(S.mon, raw, EVE_MON_CB_ERROR);
}

static void fz_on_close(eve_pipe *raw, eve_pipe_close_reason reason, void *user)
{
    fz_end *e = user;

    eve_monitor_callback(S.mon, raw, EVE_MON_CB_CLOSE, reason);
    fz_cb_enter(e, raw, "close");
    if (!e->adopted)
        fz_fail("close callback on an end never adopted (pair %u)", e->pair->id);
    e->closes++;
    e->reason = (int)reason;
    if (!e->is_read) {
        size_t n;
        FZ_CALL(raw, UNSENT, 0, eve_pipe_unsent_bytes(raw), n);
        e->unsent = n;
        e->unsent_known = 1;
    }
    fz_react(e, EVE_MON_CB_CLOSE);
    S.in_cb--;
    eve_monitor_callback_done(S.mon, raw, EVE_MON_CB_CLOSE);
}

/* ---- actions: the operations (on an end picked by the input) and the reactions (on the
 * end whose callback runs) share these ---- */

static void fz_register(fz_end *e, eve_mon_cb cb, int on)
{
    int rc = 0;
    void *u = on ? e : NULL;

    switch (cb) {
    case EVE_MON_CB_DATA:
        FZ_CALL(e->raw, ON_DATA, on, eve_pipe_on_data(e->raw, on ? fz_on_data : NULL, u), rc);
        break;
    case EVE_MON_CB_WRITABLE:
        FZ_CALL(e->raw, ON_WRITABLE, on,
                eve_pipe_on_writable(e->raw, on ? fz_on_writable : NULL, u), rc);
        break;
    case EVE_MON_CB_CLOSE:
        FZ_CALL(e->raw, ON_CLOSE, on, eve_pipe_on_close(e->raw, on ? fz_on_close : NULL, u), rc);
        break;
    case EVE_MON_CB_ERROR:
        FZ_CALL(e->raw, ON_ERROR, on, eve_pipe_on_error(e->raw, on ? fz_on_error : NULL, u), rc);
        break;
    default:
        break;
    }
    if (rc == EVE_OK)
        e->cb_on[cb] = on;
}

static void fz_act_none(fz_end *e, uint8_t arg)
{
    (void)e;
    (void)arg;
}

static void fz_act_pause(fz_end *e, uint8_t arg)
{
    int rc;
    (void)arg;
    FZ_CALL(e->raw, PAUSE, 0, eve_pipe_pause_reading(e->raw), rc);
    if (rc == EVE_OK)
        e->paused = 1;
}

static void fz_act_resume(fz_end *e, uint8_t arg)
{
    int rc;
    (void)arg;
    FZ_CALL(e->raw, RESUME, 0, eve_pipe_resume_reading(e->raw), rc);
    if (rc == EVE_OK)
        e->paused = 0;
}

static void fz_act_close(fz_end *e, uint8_t arg)
{
    int rc;
    (void)arg;
    FZ_CALL(e->raw, CLOSE, 0, eve_pipe_close(e->raw), rc);
}

static void fz_act_graceful(fz_end *e, uint8_t arg)
{
    int rc;
    (void)arg;
    FZ_CALL(e->raw, CLOSE_GRACEFUL, 0, eve_pipe_close_graceful(e->raw), rc);
}

static void fz_act_dispose(fz_end *e, uint8_t arg)
{
    int rc;
    (void)arg;
    FZ_CALL(e->raw, DISPOSE, 0, eve_pipe_dispose(e->raw), rc);
    if (rc == EVE_OK && e->raw != NULL)
        e->gone = 1;
}

static void fz_act_free(fz_end *e, uint8_t arg)
{
    eve_pipe *raw = e->raw;
    (void)arg;
    if (raw == NULL)
        return; /* a second free would be the harness's use after free */
    eve_monitor_call_begin(S.mon, raw, EVE_MON_CALL_FREE);
    S.in_call++;
    eve_pipe_free(raw);
    S.in_call--;
    eve_monitor_call(S.mon, raw, EVE_MON_CALL_FREE, 0, 0);
    e->raw = NULL;
    if (e->closes == 0)
        e->gone = 1;
}

/* Write lengths: small ones often, one over 64 KiB, and 0. */
static const size_t fz_write_lens[16] = {0,   1,    2,    3,    7,    16,    100, 255,
                                         256, 1000, 4095, 4096, 4097, 10000, 1,   70001};

/* arg: bits 0-3 the length, bit 7 NULL data (the INVALID path when the length is > 0). */
static void fz_act_write(fz_end *e, uint8_t arg)
{
    fz_pair *p = e->pair;
    size_t len = fz_write_lens[arg & 15];
    const void *data = (arg & 0x80) ? NULL : fz_pattern(p->id, p->accepted);
    long long marg = (data == NULL && len > 0) ? EVE_MON_WRITE_NULL_DATA : (long long)len;
    eve_send_result r;

    if (p->accepted + len > p->budget)
        return;
    FZ_CALL(e->raw, WRITE, marg, eve_pipe_write(e->raw, data, len), r);
    if (r == EVE_SEND_OK || r == EVE_SEND_BACKPRESSURE) {
        if (e->is_read || e->raw == NULL)
            fz_fail("a write on %s was accepted", e->raw ? "a read end" : "NULL");
        p->accepted += len;
    }
}

static void fz_act_query(fz_end *e, uint8_t arg)
{
    eve_pipe_state st;
    int open;
    size_t n;
    (void)arg;
    FZ_CALL(e->raw, STATE, 0, eve_pipe_state_of(e->raw), st);
    FZ_CALL(e->raw, IS_OPEN, 0, eve_pipe_is_open(e->raw), open);
    FZ_CALL(e->raw, QUEUE_SIZE, 0, eve_pipe_write_queue_size(e->raw), n);
    FZ_CALL(e->raw, UNSENT, 0, eve_pipe_unsent_bytes(e->raw), n);
    if (open != (st == EVE_PIPE_OPEN || st == EVE_PIPE_PAUSED || st == EVE_PIPE_DRAINING))
        fz_fail("is_open %d disagrees with state %d", open, (int)st);
}

static void fz_act_close_peer(fz_end *e, uint8_t arg)
{
    fz_act_close(fz_peer(e), arg);
}

static void fz_act_dispose_peer(fz_end *e, uint8_t arg)
{
    fz_act_dispose(fz_peer(e), arg);
}

static void fz_act_free_peer(fz_end *e, uint8_t arg)
{
    fz_act_free(fz_peer(e), arg);
}

/* The write end of the pair writes (from a data callback: the writer keeps feeding). */
static void fz_act_write_pair(fz_end *e, uint8_t arg)
{
    fz_act_write(&e->pair->wr, arg);
}

static void fz_act_stop(fz_end *e, uint8_t arg)
{
    (void)e;
    (void)arg;
    if (eve_loop_stop(S.loop) != EVE_OK)
        fz_fail("eve_loop_stop failed");
}

/* Inside a callback the loop may be neither run nor closed (spec item 9). */
static void fz_act_loop_reenter(fz_end *e, uint8_t arg)
{
    int rc;
    (void)e;
    if (S.in_cb == 0)
        return;
    rc = (arg & 1) ? eve_loop_close(S.loop) : eve_loop_run(S.loop, EVE_RUN_NOWAIT);
    if (rc != EVE_EBUSY)
        fz_fail("eve_loop_%s inside a callback returned %d, not EVE_EBUSY",
                (arg & 1) ? "close" : "run", rc);
}

static void fz_act_toggle(fz_end *e, uint8_t arg)
{
    /* Only writable and error: the byte model and the close check need data and close. */
    eve_mon_cb cb = (arg & 1) ? EVE_MON_CB_ERROR : EVE_MON_CB_WRITABLE;
    fz_register(e, cb, !e->cb_on[cb]);
}

/* Adopt an invalid handle: EVE_EBADF on a detached end, EVE_EINVAL on an adopted one. */
/* Argument bit 0: as write end; bit 1: the handle is NULL, bit 2: no handle pointer. */
static void fz_act_adopt_bad(fz_end *e, uint8_t arg)
{
    eve_os_handle h = (arg & 2) ? NULL : (eve_os_handle)(intptr_t)-1; /* INVALID_HANDLE_VALUE */
    eve_os_handle *hp = (arg & 4) ? NULL : &h;
    int rc;
    if (arg & 1)
        FZ_CALL(e->raw, ADOPT_WRITE, 0, eve_pipe_adopt_write(e->raw, S.loop, hp), rc);
    else
        FZ_CALL(e->raw, ADOPT_READ, 0, eve_pipe_adopt_read(e->raw, S.loop, hp), rc);
    if (rc == EVE_OK)
        fz_fail("adopting an invalid handle succeeded");
}

/* X(name, fn): the actions, numbered in this order (operation bytes and reactions; a
 * reaction reaches the first 16). */
#define FZ_ACTIONS(X)                                                                             \
    X(NONE, fz_act_none)                                                                          \
    X(PAUSE, fz_act_pause)                                                                        \
    X(RESUME, fz_act_resume)                                                                      \
    X(CLOSE, fz_act_close)                                                                        \
    X(GRACEFUL, fz_act_graceful)                                                                  \
    X(DISPOSE, fz_act_dispose)                                                                    \
    X(FREE, fz_act_free)                                                                          \
    X(WRITE, fz_act_write)                                                                        \
    X(QUERY, fz_act_query)                                                                        \
    X(CLOSE_PEER, fz_act_close_peer)                                                              \
    X(DISPOSE_PEER, fz_act_dispose_peer)                                                          \
    X(FREE_PEER, fz_act_free_peer)                                                                \
    X(WRITE_PAIR, fz_act_write_pair)                                                              \
    X(STOP, fz_act_stop)                                                                          \
    X(LOOP_REENTER, fz_act_loop_reenter)                                                          \
    X(TOGGLE, fz_act_toggle)                                                                      \
    X(ADOPT_BAD, fz_act_adopt_bad)

typedef void (*fz_action_fn)(fz_end *e, uint8_t arg);
static const fz_action_fn fz_actions[] = {
#define FZ__ACTION_FN(name, fn) fn,
    FZ_ACTIONS(FZ__ACTION_FN)
#undef FZ__ACTION_FN
};
#define FZ_NACTIONS (sizeof fz_actions / sizeof fz_actions[0])

/* react[cb]: the action's index, and its argument in the high bits (write length). */
static void fz_react(fz_end *e, eve_mon_cb cb)
{
    unsigned char r = e->react[cb];
    fz_actions[(r & 15) % FZ_NACTIONS](e, (uint8_t)((r >> 4) & 0x0f));
}

/* ---- operations decoded from the input ---- */

/* Effective config values (spec item 8) and their tables. */
static const size_t fz_bufs[8] = {0, 1, 2, 7, 64, 512, 4096, 65536};
static const size_t fz_highs[8] = {0, 1, 3, 10, 100, 1000, 4096, 65536};
static const size_t fz_batches[4] = {0, 1, 7, 4096};
static const size_t fz_kbufs[8] = {0, 1, 8, 16, 100, 512, 4096, 65536};

/* Two bytes: buffer (bits 0-2), high water (3-5), low water (6-7: default, 1, high / 2,
 * high + 1 which is invalid when high is set); max_write_batch (bits 0-1 of the second). */
static void fz_config(eve_pipe_config *c, uint8_t a, uint8_t b)
{
    size_t high;
    memset(c, 0, sizeof *c);
    c->buffer_size = fz_bufs[a & 7];
    c->high_water = fz_highs[(a >> 3) & 7];
    high = c->high_water ? c->high_water : EVE_PIPE_DEFAULT_HIGH_WATER;
    switch (a >> 6) {
    case 1:
        c->low_water = 1;
        break;
    case 2:
        c->low_water = high / 2;
        break;
    case 3:
        c->low_water = c->high_water + 1;
        break;
    default:
        break;
    }
    c->max_write_batch = fz_batches[b & 3];
}

static void fz_limits(eve_pipe *raw, const eve_pipe_config *c)
{
    size_t buf = c->buffer_size ? c->buffer_size : EVE_PIPE_DEFAULT_BUFFER_SIZE;
    size_t high = c->high_water ? c->high_water : EVE_PIPE_DEFAULT_HIGH_WATER;
    size_t low = c->low_water ? c->low_water : high / EVE_PIPE_DEFAULT_LOW_WATER_DIVISOR;
    eve_monitor_set_limits(S.mon, raw, buf, high, low);
}

static void fz_end_create(fz_end *e, const eve_pipe_config *c)
{
    eve_pipe *raw = NULL;
    int valid = eve_pipe_config_is_valid(c);
    int rc;
    int k;

    eve_monitor_call_begin(S.mon, NULL, EVE_MON_CALL_CREATE);
    S.in_call++;
    rc = eve_pipe_create(c, &raw);
    S.in_call--;
    eve_monitor_call(S.mon, raw, EVE_MON_CALL_CREATE, 0, rc);
    if (rc == EVE_OK && !valid)
        fz_fail("eve_pipe_create accepted a config eve_pipe_config_is_valid rejects");
    if (rc == EVE_EINVAL && valid)
        fz_fail("eve_pipe_create rejected a config eve_pipe_config_is_valid accepts");
    if (rc != EVE_OK)
        return;
    e->raw = raw;
    fz_limits(raw, c);
    for (k = 0; k < EVE_MON_CB_COUNT; k++)
        fz_register(e, (eve_mon_cb)k, 1);
}

static void fz_pair_check(fz_pair *p)
{
    int v;
    FZ_CALL(&p->handles, PAIR_IS_VALID, 0, eve_pipe_pair_is_valid(&p->handles), v);
    if (v != (p->handles.read_end != NULL && p->handles.write_end != NULL))
        fz_fail("eve_pipe_pair_is_valid returned %d", v);
}

static void fz_adopt(fz_end *e, eve_os_handle *h, int is_read)
{
    int rc;
    if (is_read)
        FZ_CALL(e->raw, ADOPT_READ, 0, eve_pipe_adopt_read(e->raw, S.loop, h), rc);
    else
        FZ_CALL(e->raw, ADOPT_WRITE, 0, eve_pipe_adopt_write(e->raw, S.loop, h), rc);
    if (rc != EVE_OK) {
        if (*h == NULL)
            fz_fail("a failed adopt (%d) took the handle", rc);
        return;
    }
    if (*h != NULL)
        fz_fail("adopt returned EVE_OK and left the handle");
    if ((is_read ? e->pair->sync_rd : e->pair->sync_wr))
        fz_fail("adopt accepted a handle opened without FILE_FLAG_OVERLAPPED");
    e->adopted = 1;
    eve_monitor_call(S.mon, &e->pair->handles,
                     is_read ? EVE_MON_CALL_PAIR_TAKE_READ : EVE_MON_CALL_PAIR_TAKE_WRITE, 0, 0);
    fz_pair_check(e->pair);
}

/* Operands: read config (2 bytes), write config (2), options: bits 0-2 kernel buffer,
 * bit 3 leave the read end unadopted, bit 4 the write end (its handle is closed at once,
 * so the other end sees the peer gone), bit 5 open the read end synchronous (its adopt
 * must fail), bit 6 the write end, bit 7 both ends inheritable. Bit 7 of the write config's
 * second byte adds an unknown flag (pair creation fails with EVE_EINVAL); bit 7 of the read
 * config's second byte adopts the write end first. */
static void fz_op_pair(void)
{
    eve_pipe_config rc_cfg, wc_cfg;
    eve_pipe_pair_options opt;
    fz_pair *p;
    uint8_t a = fz_byte(), b = fz_byte(), c = fz_byte(), d = fz_byte(), o = fz_byte();
    int rc;

    if (S.npairs == FZ_MAX_PAIRS)
        return;
    p = &S.pairs[S.npairs];
    memset(p, 0, sizeof *p);
    p->id = S.npairs++;
    p->rd.pair = p->wr.pair = p;
    p->rd.is_read = 1;
    fz_config(&rc_cfg, a, b);
    fz_config(&wc_cfg, c, d);

    memset(&opt, 0, sizeof opt);
    opt.kernel_buffer_size = fz_kbufs[o & 7];
    opt.read_flags =
        ((o & 0x20) ? EVE_PIPE_END_SYNC : 0) | ((o & 0x80) ? EVE_PIPE_END_INHERIT : 0);
    opt.write_flags =
        ((o & 0x40) ? EVE_PIPE_END_SYNC : 0) | ((o & 0x80) ? EVE_PIPE_END_INHERIT : 0);
    /* A read moves at most buffer_size bytes, a WriteFile at most the kernel quota and
     * max_write_batch: bound the completions (the time) per input to about a hundred per
     * pair. (Without the batch, a 7-byte batch let one input make 11,000 WriteFiles and
     * take 35 ms, and libFuzzer's rate fell with every such input it kept.) */
    p->budget = rc_cfg.buffer_size ? rc_cfg.buffer_size : EVE_PIPE_DEFAULT_BUFFER_SIZE;
    if (opt.kernel_buffer_size != 0 && opt.kernel_buffer_size < p->budget)
        p->budget = opt.kernel_buffer_size;
    if (wc_cfg.max_write_batch != 0 && wc_cfg.max_write_batch < p->budget)
        p->budget = wc_cfg.max_write_batch;
    p->budget = p->budget > 2048 ? 128 * 1024 : p->budget * 64;

    if (d & 0x80)
        opt.read_flags |= 0x80000000u; /* unknown: EVE_EINVAL */
    FZ_CALL(&p->handles, PAIR_CREATE, 0, eve_pipe_pair_create(&p->handles, &opt), rc);
    fz_pair_check(p);
    if (rc != EVE_OK && (p->handles.read_end != NULL || p->handles.write_end != NULL))
        fz_fail("eve_pipe_pair_create failed (%d) and left a handle", rc);
    fz_end_create(&p->rd, &rc_cfg);
    fz_end_create(&p->wr, &wc_cfg);
    p->sync_rd = (o & 0x20) != 0;
    p->sync_wr = (o & 0x40) != 0;
    if (rc == EVE_OK && !(o & 0x10) && (b & 0x80))
        fz_adopt(&p->wr, &p->handles.write_end, 0);
    if (rc == EVE_OK && !(o & 0x08))
        fz_adopt(&p->rd, &p->handles.read_end, 1);
    if (rc == EVE_OK && !(o & 0x10) && !(b & 0x80))
        fz_adopt(&p->wr, &p->handles.write_end, 0);
    FZ_CALL(&p->handles, PAIR_CLOSE, 0, eve_pipe_pair_close(&p->handles), rc);
    fz_pair_check(p);
}

/* Operands: end, action, argument. */
static void fz_op_action(void)
{
    fz_end *e = fz_end_at(fz_byte());
    uint8_t act = fz_byte();
    uint8_t arg = fz_byte();
    if (e != NULL)
        fz_actions[act % FZ_NACTIONS](e, arg);
}

/* Operands: end, callback kind, reaction (low nibble action, high nibble its argument). */
static void fz_op_react(void)
{
    fz_end *e = fz_end_at(fz_byte());
    uint8_t cb = fz_byte();
    uint8_t r = fz_byte();
    if (e != NULL)
        e->react[cb % EVE_MON_CB_COUNT] = r;
}

/* Operand: how many EVE_RUN_NOWAIT passes (1-8). */
static void fz_op_run(void)
{
    int n = (fz_byte() & 7) + 1;
    while (n-- > 0 && fz_loop_run(EVE_RUN_NOWAIT) != 0) {
    }
}

/* Run until no callback happens for `quiet` passes in a row (or nothing is live). Never
 * blocks: on real Win32 a pending read may never complete. */
static void fz_idle(int quiet, int limit)
{
    int calm = 0;
    int i;
    for (i = 0; i < limit && calm < quiet; i++) {
        unsigned long before = S.events;
        if (fz_loop_run(EVE_RUN_NOWAIT) == 0)
            return;
        if (S.events == before) {
            calm++;
            fz_env_yield();
        } else {
            calm = 0;
        }
    }
}

static void fz_op_idle(void)
{
    fz_idle(2, 256);
}

static void fz_op_stop(void)
{
    fz_act_stop(NULL, 0);
    fz_loop_run(EVE_RUN_NOWAIT);
}

static void fz_on_wakeup(eve_loop *loop, void *user)
{
    (void)user;
    S.events++;
    if (loop != S.loop)
        fz_fail("wakeup callback for another loop");
    if (S.in_call > 0 || S.in_cb > 0)
        fz_fail("wakeup callback from inside a call or a callback");
    fz_act_stop(NULL, 0);
}

/* The blocking modes, made safe everywhere: a wakeup is queued first and its callback stops
 * the loop, so EVE_RUN_ONCE and EVE_RUN_DEFAULT return once it is dispatched. Operand bit 0
 * picks the mode. */
static void fz_op_wake(void)
{
    uint8_t m = fz_byte();
    if (eve_loop_on_wakeup(S.loop, fz_on_wakeup, NULL) != EVE_OK)
        fz_fail("eve_loop_on_wakeup failed");
    if (eve_loop_wakeup(S.loop) != EVE_OK) {
        if (fz_env_faults_fired() == 0)
            fz_fail("eve_loop_wakeup failed with no fault injected");
        return;
    }
    fz_loop_run((m & 1) ? EVE_RUN_DEFAULT : EVE_RUN_ONCE);
}

/* eve_loop_close while an adopted end is not CLOSED: EVE_EBUSY, and nothing freed. Only
 * tried then: success would end the loop this input still uses. */
static void fz_op_loop_busy(void)
{
    unsigned k;
    int rc;
    for (k = 0; k < 2 * S.npairs; k++) {
        fz_end *e = fz_end_at((uint8_t)k);
        if (e->adopted && e->closes == 0 && !e->gone)
            break;
    }
    if (k == 2 * S.npairs)
        return;
    rc = eve_loop_close(S.loop);
    eve_monitor_loop_closed(S.mon, rc);
    if (rc != EVE_EBUSY)
        fz_fail("eve_loop_close returned %d with an end still live", rc);
}

static void fz_op_fault(void)
{
    uint8_t call = fz_byte(), nth = fz_byte(), err = fz_byte();
    fz_env_fault(call, nth, err);
}

/* Calls with NULL arguments: each must fail cleanly (checked by the monitor too). */
static void fz_op_nulls(void)
{
    int rc;
    eve_send_result r;
    FZ_CALL(NULL, CLOSE, 0, eve_pipe_close(NULL), rc);
    FZ_CALL(NULL, PAUSE, 0, eve_pipe_pause_reading(NULL), rc);
    FZ_CALL(NULL, WRITE, 1, eve_pipe_write(NULL, fz_pat, 1), r);
    FZ_CALL(NULL, ADOPT_READ, 0, eve_pipe_adopt_read(NULL, S.loop, NULL), rc);
    if (eve_loop_run(NULL, EVE_RUN_NOWAIT) != EVE_EINVAL)
        fz_fail("eve_loop_run(NULL) is not EVE_EINVAL");
    FZ_CALL(NULL, PAIR_CREATE, 0, eve_pipe_pair_create(NULL, NULL), rc);
    FZ_CALL(NULL, PAIR_CLOSE, 0, eve_pipe_pair_close(NULL), rc);
    FZ_CALL(NULL, PAIR_IS_VALID, 0, eve_pipe_pair_is_valid(NULL), rc);
    eve_monitor_call_begin(S.mon, NULL, EVE_MON_CALL_FREE);
    eve_pipe_free(NULL);
    eve_monitor_call(S.mon, NULL, EVE_MON_CALL_FREE, 0, 0);
    (void)r;
}

/* X(name, fn): the opcodes, input byte modulo their count. Actions come twice as often. */
#define FZ_OPS(X)                                                                                 \
    X(PAIR, fz_op_pair)                                                                           \
    X(ACTION, fz_op_action)                                                                       \
    X(ACTION2, fz_op_action)                                                                      \
    X(REACT, fz_op_react)                                                                         \
    X(RUN, fz_op_run)                                                                             \
    X(IDLE, fz_op_idle)                                                                           \
    X(STOP, fz_op_stop)                                                                           \
    X(FAULT, fz_op_fault)                                                                         \
    X(NULLS, fz_op_nulls)                                                                         \
    X(WAKE, fz_op_wake)                                                                           \
    X(LOOP_BUSY, fz_op_loop_busy)

static const struct fz_op {
    const char *name;
    void (*fn)(void);
} fz_ops[] = {
#define FZ__OP_ENTRY(name, fn) {#name, fn},
    FZ_OPS(FZ__OP_ENTRY)
#undef FZ__OP_ENTRY
};
#define FZ_NOPS (sizeof fz_ops / sizeof fz_ops[0])

/* ---- teardown and the final checks ---- */

/* Let streams finish: writers close gracefully, paused readers resume, so a reader can
 * reach EOF and the accounting check applies. */
static void fz_drain(void)
{
    unsigned i;
    for (i = 0; i < S.npairs; i++) {
        fz_pair *p = &S.pairs[i];
        if (p->wr.raw != NULL && p->wr.adopted && eve_pipe_is_open(p->wr.raw))
            fz_act_graceful(&p->wr, 0);
        if (p->rd.raw != NULL && p->rd.paused)
            fz_act_resume(&p->rd, 0);
    }
    fz_idle(fz_env_async() ? 8 : 3, 4096);
}

/* Close whatever is open and run until nothing is live. */
static void fz_close_all(void)
{
    int rc = 1;
    int i;
    unsigned k;

    for (k = 0; k < 2 * S.npairs; k++) {
        fz_end *e = fz_end_at((uint8_t)k);
        if (e->raw != NULL && e->adopted && e->closes == 0 && !e->gone)
            fz_act_close(e, 0);
    }
    /* Everything is cancelled now: on real Win32 blocking is safe (the cancellations
     * complete); winsim completes them at once, and blocking there would deadlock. */
    for (i = 0; i < 100000 && rc != 0; i++) {
        rc = fz_loop_run(fz_env_async() ? EVE_RUN_ONCE : EVE_RUN_NOWAIT);
        fz_check_monitor("closing");
    }
    if (rc != 0)
        fz_fail("ends still live after closing all of them (a close that never completes)");
}

static void fz_check_pair(fz_pair *p, unsigned faults)
{
    fz_end *ends[2] = {&p->rd, &p->wr};
    int k;

    for (k = 0; k < 2; k++) {
        fz_end *e = ends[k];
        if (e->adopted && !e->gone && e->closes != 1)
            fz_fail("pair %u %s end: %d close callbacks, want exactly 1", p->id,
                    e->is_read ? "read" : "write", e->closes);
    }
    if (p->wr.raw != NULL && p->wr.adopted) {
        size_t n;
        FZ_CALL(p->wr.raw, UNSENT, 0, eve_pipe_unsent_bytes(p->wr.raw), n);
        if (p->wr.unsent_known && n != p->wr.unsent)
            fz_fail("pair %u: unsent changed after the close callback (%lu, then %lu)", p->id,
                    (unsigned long)p->wr.unsent, (unsigned long)n);
        p->wr.unsent = n;
        p->wr.unsent_known = 1;
    }
    if (!p->wr.unsent_known)
        return;
    if (p->wr.unsent > p->accepted)
        fz_fail("pair %u: %lu bytes unsent of %llu accepted", p->id, (unsigned long)p->wr.unsent,
                p->accepted);
    if (p->wr.closes == 1 && p->wr.reason == EVE_CLOSE_GRACEFUL && p->wr.unsent != 0)
        fz_fail("pair %u: closed GRACEFUL with %lu bytes unsent", p->id,
                (unsigned long)p->wr.unsent);
    /* EOF means every written byte was read: accepted = delivered + unsent. An injected
     * read error can look like EOF with data still in the pipe, hence no faults. */
    if (faults == 0 && p->rd.closes == 1 && p->rd.reason == EVE_CLOSE_PEER &&
        p->delivered + p->wr.unsent != p->accepted)
        fz_fail("pair %u: EOF after %llu bytes delivered + %lu unsent, %llu accepted", p->id,
                p->delivered, (unsigned long)p->wr.unsent, p->accepted);
}

static void fz_teardown(void)
{
    unsigned faults;
    size_t leaked;
    unsigned i;
    int rc;

    /* A registered wakeup callback lets EVE_RUN_ONCE block with nothing live. */
    if (eve_loop_on_wakeup(S.loop, NULL, NULL) != EVE_OK)
        fz_fail("eve_loop_on_wakeup(NULL) failed");
    fz_drain();
    fz_check_monitor("draining");
    fz_close_all();
    rc = eve_loop_close(S.loop);
    eve_monitor_loop_closed(S.mon, rc);
    if (rc != EVE_OK)
        fz_fail("eve_loop_close returned %d with every end closed", rc);
    S.loop = NULL;
    faults = fz_env_faults_fired();
    for (i = 0; i < S.npairs; i++) {
        fz_pair *p = &S.pairs[i];
        if (fz_trace)
            fprintf(stderr,
                    "  pair %u: accepted %llu delivered %llu unsent %lu%s; closes rd %d (%d)"
                    " wr %d (%d); faults %u\n",
                    i, p->accepted, p->delivered, (unsigned long)p->wr.unsent,
                    p->wr.unsent_known ? "" : "?", p->rd.closes, p->rd.reason, p->wr.closes,
                    p->wr.reason, faults);
        fz_check_pair(p, faults);
    }
    for (i = 0; i < 2 * S.npairs; i++)
        fz_act_free(fz_end_at((uint8_t)i), 0);
    fz_check_monitor("teardown");
    if (fz_env_deadlocked())
        fz_fail("the simulation saw a wait that could never end");
    leaked = fz_env_end();
    if (leaked != 0)
        fz_fail("%lu handles still open after everything was closed", (unsigned long)leaked);
    eve_monitor_free(S.mon);
    S.mon = NULL;
}

int fz_run(const uint8_t *data, size_t size)
{
    int rc;
    unsigned n;

    if (fz_trace < 0) {
        const char *t = getenv("EVE_FUZZ_TRACE");
        fz_trace = t != NULL && *t != '\0' && *t != '0';
    }
    fz_pattern_init();
    memset(&S, 0, sizeof S);
    S.in = data;
    S.len = size;
    fz_env_begin(fz_byte());
    S.mon = eve_monitor_create();
    if (S.mon == NULL)
        fz_fail("out of memory for the monitor");
    rc = eve_loop_create(&S.loop);
    if (rc != EVE_OK)
        fz_fail("eve_loop_create returned %d", rc);
    for (n = 0; n < FZ_MAX_OPS && S.pos < S.len; n++) {
        const struct fz_op *op = &fz_ops[fz_byte() % FZ_NOPS];
        if (fz_trace)
            fprintf(stderr, "op %u %s @%lu\n", n, op->name, (unsigned long)S.pos);
        op->fn();
        if (!eve_monitor_ok(S.mon))
            fz_fail("spec monitor rejected the trace after op %u (%s)", n, op->name);
    }
    fz_teardown();
    return 0;
}
