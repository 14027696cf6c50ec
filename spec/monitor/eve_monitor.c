/* eve_monitor.c: checks an observable trace against the generated spec rows.
 *
 * Model per end: the spec state, its role, the close reason recorded on entering CLOSING,
 * whether writable is armed, and the rest of a row whose callbacks are still being
 * delivered (error then close). Kernel completions are not observable: a callback selects
 * the kernel/loop row of the current state that emits it (the lint guarantees that rows
 * without callbacks never change the state, so nothing else can have happened).
 */
#include "eve_monitor.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eve/pipe.h"
#include "eve_spec_tables.h"

#define MON_TRACE 8
#define MON_FAIL_LEN 4096

/* One step of an end's trace, kept raw and formatted only for a failure report (formatting
 * every step as text was most of the monitor's cost in the fuzz harness). */
enum mon_step_kind {
    STEP_CALL,     /* call NAME(arg) -> result, no row */
    STEP_CALL_ROW, /* ... [row] from->to */
    STEP_CB,       /* callback NAME(arg) */
    STEP_CB_ROW,   /* ... [row] from->to */
    STEP_CB_CONT,  /* ... [row, continued] */
    STEP_SILENT,   /* (unregistered close: now to) */
    STEP_LOOP      /* what -> result [row] */
};

typedef struct mon_step {
    long long arg, result;
    const char *what; /* STEP_LOOP: the loop call */
    short row;
    unsigned char kind, name, from, to; /* name: eve_mon_call or eve_mon_cb */
} mon_step;

/* Rows in table order, chained per bucket; -1 ends a chain. */
typedef short mon_link;
_Static_assert(EVE_SPEC_ROW_COUNT < 0x7FFF, "row index fits a mon_link");

typedef struct mon_end {
    const void *key;
    unsigned char machine;
    unsigned char state;
    unsigned char role;       /* EVE_SPEC_ROLE_* bit */
    unsigned char armed;      /* a write returned BACKPRESSURE, writable not yet fired */
    unsigned char close_seen; /* the close callback was delivered */
    unsigned char disposed;
    unsigned char retired;     /* freed: the key may come back only from CREATE */
    unsigned char unsent_seen; /* an UNSENT result was seen after the close callback */
    unsigned long long unsent_final;
    signed char reason;      /* recorded close reason, -1 none */
    signed char silent_next; /* state an unregistered (unseen) close leads to, -1 none */
    unsigned char reg;       /* registered callbacks: bit (1 << eve_spec_cb_kind) */
    int pend_row;            /* row whose callbacks are being delivered, -1 none */
    int pend_cb;             /* index of the next callback of pend_row */
    size_t buffer_size, high, low;
    const void *loop; /* the loop it was adopted on, NULL if not told */
    unsigned id;      /* its name in recorded traces: e<id> (ends) or p<id> (pairs) */
    unsigned long long accepted, delivered;
    mon_step trace[MON_TRACE];
    unsigned trace_n; /* steps recorded so far */
} mon_end;

struct eve_monitor {
    mon_end *ends;
    size_t n, cap;
    unsigned hits[EVE_SPEC_ROW_COUNT];
    unsigned long steps;
    int call_depth;         /* open eve_monitor_call_begin brackets */
    eve_mon_call open_call; /* innermost bracketed call */
    int cb_depth;           /* callbacks started and not yet reported done */
    int failed;
    unsigned next_id;
    FILE *record; /* eve_monitor_record's output, or NULL */
    /* Row index, built once per monitor so the lookups do not scan the whole table:
     * rows of (state, event), and rows with callbacks per state. */
    mon_link by_event[EVE_SPEC_STATE_COUNT][EVE_SPEC_EVENT_COUNT];
    mon_link by_cb[EVE_SPEC_STATE_COUNT];
    mon_link next_event[EVE_SPEC_ROW_COUNT], next_cb[EVE_SPEC_ROW_COUNT];
    char failure[MON_FAIL_LEN];
};

static unsigned g_hits[EVE_SPEC_ROW_COUNT];

static const char *const call_names[] = {
#define MON__NAME(n) #n,
    EVE_MON_CALLS(MON__NAME)
#undef MON__NAME
};
static const char *const cb_names[] = {
#define MON__NAME(n) #n,
    EVE_MON_CBS(MON__NAME)
#undef MON__NAME
};

/* eve_mon_call -> spec event; the machine follows from the event. */
static const unsigned char call_event[EVE_MON_CALL_COUNT] = {
    [EVE_MON_CALL_CREATE] = EVE_SPEC_V_CREATE,
    [EVE_MON_CALL_ON_DATA] = EVE_SPEC_V_REGISTER,
    [EVE_MON_CALL_ON_WRITABLE] = EVE_SPEC_V_REGISTER,
    [EVE_MON_CALL_ON_CLOSE] = EVE_SPEC_V_REGISTER,
    [EVE_MON_CALL_ON_ERROR] = EVE_SPEC_V_REGISTER,
    [EVE_MON_CALL_IS_OPEN] = EVE_SPEC_V_IS_OPEN,
    [EVE_MON_CALL_STATE] = EVE_SPEC_V_STATE,
    [EVE_MON_CALL_ADOPT_READ] = EVE_SPEC_V_ADOPT_READ,
    [EVE_MON_CALL_ADOPT_WRITE] = EVE_SPEC_V_ADOPT_WRITE,
    [EVE_MON_CALL_WRITE] = EVE_SPEC_V_WRITE,
    [EVE_MON_CALL_QUEUE_SIZE] = EVE_SPEC_V_QUEUE_SIZE,
    [EVE_MON_CALL_PAUSE] = EVE_SPEC_V_PAUSE,
    [EVE_MON_CALL_RESUME] = EVE_SPEC_V_RESUME,
    [EVE_MON_CALL_CLOSE] = EVE_SPEC_V_CLOSE,
    [EVE_MON_CALL_CLOSE_GRACEFUL] = EVE_SPEC_V_CLOSE_GRACEFUL,
    [EVE_MON_CALL_DISPOSE] = EVE_SPEC_V_DISPOSE,
    [EVE_MON_CALL_UNSENT] = EVE_SPEC_V_UNSENT,
    [EVE_MON_CALL_FREE] = EVE_SPEC_V_FREE,
    [EVE_MON_CALL_PAIR_CREATE] = EVE_SPEC_V_PAIR_CREATE,
    [EVE_MON_CALL_PAIR_CLOSE] = EVE_SPEC_V_PAIR_CLOSE,
    [EVE_MON_CALL_PAIR_IS_VALID] = EVE_SPEC_V_PAIR_IS_VALID,
    [EVE_MON_CALL_PAIR_TAKE_READ] = EVE_SPEC_V_PAIR_TAKE_READ,
    [EVE_MON_CALL_PAIR_TAKE_WRITE] = EVE_SPEC_V_PAIR_TAKE_WRITE,
};

/* REGISTER calls: which callback kind they set or clear (+1; 0: not a registration). */
static const unsigned char call_reg_kind[EVE_MON_CALL_COUNT] = {
    [EVE_MON_CALL_ON_DATA] = EVE_SPEC_CB_DATA + 1,
    [EVE_MON_CALL_ON_WRITABLE] = EVE_SPEC_CB_WRITABLE + 1,
    [EVE_MON_CALL_ON_CLOSE] = EVE_SPEC_CB_CLOSE + 1,
    [EVE_MON_CALL_ON_ERROR] = EVE_SPEC_CB_ERROR + 1,
};

static const unsigned char cb_kind[EVE_MON_CB_COUNT] = {
    [EVE_MON_CB_DATA] = EVE_SPEC_CB_DATA,
    [EVE_MON_CB_WRITABLE] = EVE_SPEC_CB_WRITABLE,
    [EVE_MON_CB_CLOSE] = EVE_SPEC_CB_CLOSE,
    [EVE_MON_CB_ERROR] = EVE_SPEC_CB_ERROR,
};

static const unsigned char event_kind[EVE_SPEC_EVENT_COUNT] = {
#define MON__K(n, m, k, r) k,
    EVE_SPEC_EVENTS(MON__K)
#undef MON__K
};
static const unsigned char state_live[EVE_SPEC_STATE_COUNT] = {
#define MON__L(n, v, m, r, i, t, l, o) l,
    EVE_SPEC_STATES(MON__L)
#undef MON__L
};

static const char *role_name(unsigned role)
{
    switch (role) {
    case EVE_SPEC_ROLE_READ:
        return "read";
    case EVE_SPEC_ROLE_WRITE:
        return "write";
    default:
        return "none";
    }
}

/* ---------------------------------------------------------------- failure text */

static void end_step(mon_end *e, mon_step step)
{
    e->trace[e->trace_n % MON_TRACE] = step;
    e->trace_n++;
}

/* The step as text, as the failure report shows it. */
static int step_text(const mon_step *s, char *buf, size_t len)
{
    const char *row = s->row >= 0 ? eve_spec_rows[s->row].id : "?";
    const char *from = eve_spec_state_names[s->from], *to = eve_spec_state_names[s->to];
    const char *call = s->name < EVE_MON_CALL_COUNT ? call_names[s->name] : "?";
    const char *cb = s->name < EVE_MON_CB_COUNT ? cb_names[s->name] : "?";

    switch (s->kind) {
    case STEP_CALL:
        return snprintf(buf, len, "call %s(%lld) -> %lld", call, s->arg, s->result);
    case STEP_CALL_ROW:
        return snprintf(buf, len, "call %s(%lld) -> %lld [%s] %s->%s", call, s->arg, s->result,
                        row, from, to);
    case STEP_CB:
        return snprintf(buf, len, "callback %s(%lld)", cb, s->arg);
    case STEP_CB_ROW:
        return snprintf(buf, len, "callback %s(%lld) [%s] %s->%s", cb, s->arg, row, from, to);
    case STEP_CB_CONT:
        return snprintf(buf, len, "callback %s(%lld) [%s, continued]", cb, s->arg, row);
    case STEP_SILENT:
        return snprintf(buf, len, "(unregistered close: now %s)", to);
    default:
        return snprintf(buf, len, "%s -> %d [%s]", s->what, (int)s->result, row);
    }
}

/* Record the first violation: what happened, why, and the end's last steps. */
static void fail(eve_monitor *mon, const mon_end *e, const char *fmt, ...)
{
    va_list ap;
    size_t len;
    unsigned i, first;

    if (mon->failed)
        return;
    mon->failed = 1;
    len = (size_t)snprintf(mon->failure, MON_FAIL_LEN, "spec violation at step %lu: ", mon->steps);
    va_start(ap, fmt);
    len += (size_t)vsnprintf(mon->failure + len, MON_FAIL_LEN - len, fmt, ap);
    va_end(ap);
    if (e == NULL || len >= MON_FAIL_LEN)
        return;
    len += (size_t)snprintf(mon->failure + len, MON_FAIL_LEN - len,
                            "\n  end %p (%s end), model state %s; its last steps:", e->key,
                            role_name(e->role), eve_spec_state_names[e->state]);
    first = e->trace_n > MON_TRACE ? e->trace_n - MON_TRACE : 0;
    for (i = first; i < e->trace_n && len < MON_FAIL_LEN; i++) {
        len += (size_t)snprintf(mon->failure + len, MON_FAIL_LEN - len, "\n    #%u ", i + 1);
        if (len < MON_FAIL_LEN)
            len += (size_t)step_text(&e->trace[i % MON_TRACE], mon->failure + len,
                                     MON_FAIL_LEN - len);
    }
}

/* ---------------------------------------------------------------- ends */

static mon_end *find_end(eve_monitor *mon, const void *key, unsigned machine)
{
    size_t i;
    for (i = 0; i < mon->n; i++)
        if (mon->ends[i].key == key && mon->ends[i].machine == machine)
            return &mon->ends[i];
    return NULL;
}

static void end_init(mon_end *e, const void *key, unsigned machine, unsigned state)
{
    memset(e, 0, sizeof *e);
    e->key = key;
    e->machine = (unsigned char)machine;
    e->state = (unsigned char)state;
    e->role = EVE_SPEC_ROLE_NONE;
    e->reason = -1;
    e->silent_next = -1;
    e->reg = 0xF; /* until told otherwise, every callback is registered */
    e->pend_row = -1;
}

static mon_end *add_end(eve_monitor *mon, const void *key, unsigned machine, unsigned state)
{
    mon_end *e = find_end(mon, key, machine);
    size_t i;
    for (i = 0; e == NULL && i < mon->n; i++)
        if (mon->ends[i].retired)
            e = &mon->ends[i]; /* a freed end's slot: long runs stay small */
    if (e == NULL) {
        if (mon->n == mon->cap) {
            size_t cap = mon->cap ? mon->cap * 2 : 16;
            mon_end *ends = realloc(mon->ends, cap * sizeof *ends);
            if (ends == NULL)
                return NULL;
            mon->ends = ends;
            mon->cap = cap;
        }
        e = &mon->ends[mon->n++];
    }
    end_init(e, key, machine, state);
    e->id = ++mon->next_id;
    return e;
}

/* ---------------------------------------------------------------- recording */

/* The end's name in a recorded trace: "-" for NULL, e<n>/p<n>, "?" if unknown. */
static const char *rec_name(eve_monitor *mon, const void *key, unsigned machine, char *buf,
                            size_t len)
{
    const mon_end *e;
    if (key == NULL)
        return "-";
    e = find_end(mon, key, machine);
    if (e == NULL)
        return "?";
    snprintf(buf, len, "%c%u", machine == EVE_SPEC_MACHINE_PAIR ? 'p' : 'e', e->id);
    return buf;
}

static void rec(eve_monitor *mon, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(mon->record, fmt, ap);
    va_end(ap);
}

void eve_monitor_record(eve_monitor *mon, FILE *out)
{
    if (mon != NULL)
        mon->record = out;
}

/* ---------------------------------------------------------------- matching */

static int in_error_set(long long v)
{
    size_t i;
    for (i = 0; i < eve_spec_error_errno_count; i++)
        if (eve_spec_error_errnos[i] == v)
            return 1;
    return 0;
}

/* Any eve error number errors.tsv can produce (the "errno" return). */
static int is_mapped_errno(long long v)
{
#define MON__ERR(w, wv, name, id)                                                                 \
    if ((long long)(name) == v)                                                                   \
        return 1;
    EVE_SPEC_WIN32_ERRORS(MON__ERR)
#undef MON__ERR
    return v == EVE_SPEC_WIN32_DEFAULT_ERRNO;
}

/* Can the guard hold, given the call's argument and the model? */
static int guard_possible(const mon_end *e, unsigned guard, long long arg)
{
    switch (guard) {
    case EVE_SPEC_G_WRITE_NULL_DATA:
        return arg == EVE_MON_WRITE_NULL_DATA;
    case EVE_SPEC_G_WRITE_EMPTY:
        return arg == 0;
    case EVE_SPEC_G_WRITE_NOMEM:
        return arg > 0;
    case EVE_SPEC_G_WRITE_OVER:
        return arg > 0;
    /* The queue after the append holds at least this write. */
    case EVE_SPEC_G_WRITE_WITHIN:
        return arg > 0 && (e->high == 0 || (size_t)arg <= e->high);
    case EVE_SPEC_G_WAKE:
        return e->armed;
    default:
        return 1;
    }
}

/* 2: exact match, 1: matches a wildcard, 0: no. */
static int ret_match(const eve_spec_row *r, long long result)
{
    switch (r->ret_kind) {
    case EVE_SPEC_RET_EXACT:
        return r->ret == result ? 2 : 0;
    case EVE_SPEC_RET_ERRNO:
        return is_mapped_errno(result) && result != 0 ? 1 : 0;
    case EVE_SPEC_RET_SIZE:
        return result >= 0 ? 1 : 0;
    case EVE_SPEC_RET_NONE:
        return 1;
    default:
        return 0;
    }
}

static int cb_match(const mon_end *e, const eve_spec_cb *c, unsigned kind, long long arg)
{
    if (c->kind != kind)
        return 0;
    switch (c->arg) {
    case EVE_SPEC_ARG_LEN:
        return arg > 0 && (e->buffer_size == 0 || (unsigned long long)arg <= e->buffer_size) ? 1
                                                                                             : 0;
    case EVE_SPEC_ARG_ERRNO:
        return in_error_set(arg) ? 1 : 0;
    case EVE_SPEC_ARG_EXACT:
        return c->value == arg ? 2 : 0;
    case EVE_SPEC_ARG_PENDING:
        return e->reason >= 0 && e->reason == arg ? 2 : 0;
    default:
        return 1;
    }
}

static int row_applies(const eve_spec_row *r, const mon_end *e)
{
    return r->state == e->state && (r->roles & e->role) != 0;
}

/* A callback the owner did not register is never seen: rows skip it. */
static int cb_visible(const mon_end *e, const eve_spec_cb *c)
{
    return (e->reg >> c->kind) & 1u;
}

/* Index of the first visible callback of r at or after from (r->ncb if none). */
static int next_visible(const mon_end *e, const eve_spec_row *r, int from)
{
    while (from < r->ncb && !cb_visible(e, &r->cb[from]))
        from++;
    return from;
}

static int row_has_close(const eve_spec_row *r)
{
    return r->ncb > 0 && r->cb[r->ncb - 1].kind == EVE_SPEC_CB_CLOSE;
}

static void hit(eve_monitor *mon, size_t row)
{
    if (mon->hits[row] < 0xFFFFFFFFu)
        mon->hits[row]++;
}

/* The model effects of a row (state change is done by the caller). */
static void apply_effects(mon_end *e, const eve_spec_row *r)
{
    unsigned long f = r->effects;
    if (f & EVE_SPEC_EFF_ROLE_READ)
        e->role = EVE_SPEC_ROLE_READ;
    if (f & EVE_SPEC_EFF_ROLE_WRITE)
        e->role = EVE_SPEC_ROLE_WRITE;
    if (r->reason >= 0 && e->reason < 0)
        e->reason = r->reason;
    if (f & EVE_SPEC_EFF_ARM_WRITABLE)
        e->armed = 1;
    if (f & EVE_SPEC_EFF_DISARM_WRITABLE)
        e->armed = 0;
    if (f & EVE_SPEC_EFF_SUPPRESS_CLOSE) {
        e->pend_row = -1;
        e->disposed = 1;
        e->armed = 0;
    }
    if (f & EVE_SPEC_EFF_RETIRE)
        e->retired = 1;
}

/* The row's visible callbacks before `done` were delivered: settle the state. */
static void row_progress(mon_end *e, int row, int done)
{
    const eve_spec_row *r = &eve_spec_rows[row];
    if (next_visible(e, r, done) < r->ncb) {
        e->pend_row = row; /* more follows at once; meanwhile CLOSING */
        e->pend_cb = done;
        e->state = EVE_SPEC_S_CLOSING;
        return;
    }
    e->pend_row = -1;
    if (done < r->ncb && row_has_close(r)) {
        /* Only the unregistered close is left: it happens unseen. */
        e->state = EVE_SPEC_S_CLOSING;
        e->silent_next = (signed char)r->next;
        return;
    }
    e->state = r->next;
}

/* Where the end may be without a visible step: an owed unregistered close, or kernel/loop
 * rows all of whose callbacks are unregistered. Fills alt[] (copies of e), returns count. */
static int silent_alternatives(const eve_monitor *mon, const mon_end *e, mon_end *alt, int max)
{
    int n = 0, k, depth;
    mon_link i;
    mon_end cur = *e;
    for (depth = 0; depth < 2 && n < max; depth++) {
        int found = 0;
        if (cur.silent_next >= 0) {
            cur.state = (unsigned char)cur.silent_next;
            cur.silent_next = -1;
            found = 1;
        } else {
            for (i = mon->by_cb[cur.state]; i >= 0 && !found; i = mon->next_cb[i]) {
                const eve_spec_row *r = &eve_spec_rows[i];
                if (r->ncb == 0 || event_kind[r->event] == EVE_SPEC_KIND_CALL ||
                    !row_applies(r, &cur) || next_visible(&cur, r, 0) < r->ncb ||
                    r->next == cur.state)
                    continue;
                apply_effects(&cur, r);
                cur.state = r->next;
                found = 1;
            }
        }
        if (!found)
            break;
        for (k = 0; k < n && alt[k].state != cur.state; k++)
            ;
        if (k == n)
            alt[n++] = cur;
    }
    return n;
}

/* ---------------------------------------------------------------- public API */

/* Chains each row into its buckets, last row first so that every chain is in table order
 * (the lookups keep their "first in table order wins" ties). */
static void build_index(eve_monitor *mon)
{
    size_t i;
    memset(mon->by_event, 0xFF, sizeof mon->by_event); /* all -1 */
    memset(mon->by_cb, 0xFF, sizeof mon->by_cb);
    for (i = eve_spec_row_count; i-- > 0;) {
        const eve_spec_row *r = &eve_spec_rows[i];
        mon->next_event[i] = mon->by_event[r->state][r->event];
        mon->by_event[r->state][r->event] = (mon_link)i;
        mon->next_cb[i] = -1;
        if (r->ncb > 0) {
            mon->next_cb[i] = mon->by_cb[r->state];
            mon->by_cb[r->state] = (mon_link)i;
        }
    }
}

eve_monitor *eve_monitor_create(void)
{
    eve_monitor *mon = calloc(1, sizeof(eve_monitor));
    if (mon != NULL)
        build_index(mon);
    return mon;
}

void eve_monitor_free(eve_monitor *mon)
{
    size_t i;
    if (mon == NULL)
        return;
    for (i = 0; i < EVE_SPEC_ROW_COUNT; i++)
        g_hits[i] += mon->hits[i];
    free(mon->ends);
    free(mon);
}

void eve_monitor_set_limits(eve_monitor *mon, const void *end, size_t buffer_size,
                            size_t high_water, size_t low_water)
{
    mon_end *e = mon ? find_end(mon, end, EVE_SPEC_MACHINE_END) : NULL;
    char nb[24];
    if (e == NULL)
        return;
    if (mon->record)
        rec(mon, "limits %s %llu %llu %llu\n", rec_name(mon, end, EVE_SPEC_MACHINE_END, nb, 24),
            (unsigned long long)buffer_size, (unsigned long long)high_water,
            (unsigned long long)low_water);
    e->buffer_size = buffer_size;
    e->high = high_water;
    e->low = low_water;
}

void eve_monitor_call_begin(eve_monitor *mon, const void *end, eve_mon_call call)
{
    char nb[24];
    if (mon == NULL || (unsigned)call >= EVE_MON_CALL_COUNT)
        return;
    if (mon->record)
        rec(mon, "begin %s %s\n",
            rec_name(mon, end,
                     call >= EVE_MON_CALL_PAIR_CREATE ? EVE_SPEC_MACHINE_PAIR
                                                      : EVE_SPEC_MACHINE_END,
                     nb, 24),
            call_names[call]);
    mon->call_depth++;
    mon->open_call = call;
}

/* Find the end a call is about; NULL after reporting a violation. tmp holds NULL keys. */
static mon_end *call_target(eve_monitor *mon, const void *end, eve_mon_call call, unsigned machine,
                            mon_end *tmp)
{
    mon_end *e;
    if (end == NULL) {
        end_init(tmp, NULL, machine,
                 machine == EVE_SPEC_MACHINE_END ? EVE_SPEC_S_NONE : EVE_SPEC_S_PAIR_NULL);
        return tmp;
    }
    e = find_end(mon, end, machine);
    if (machine == EVE_SPEC_MACHINE_PAIR) {
        if (e == NULL)
            e = add_end(mon, end, machine, EVE_SPEC_S_PAIR_EMPTY);
        return e;
    }
    if (call == EVE_MON_CALL_CREATE) {
        if (e != NULL && !e->retired) {
            fail(mon, e, "CREATE returned %p, an end that was never freed", end);
            return NULL;
        }
        return add_end(mon, end, machine, EVE_SPEC_S_NONE);
    }
    if (e == NULL) {
        fail(mon, NULL, "%s on end %p, which no CREATE produced", call_names[call], end);
        return NULL;
    }
    if (e->retired) {
        fail(mon, e, "%s on end %p after eve_pipe_free (use after free)", call_names[call], end);
        return NULL;
    }
    return e;
}

/* Best row for a call on e (score 0: none matches); *candidates: rows for the event. */
static int select_call_row(const eve_monitor *mon, const mon_end *e, unsigned event, long long arg,
                           long long result, size_t *best, int *candidates)
{
    mon_link i;
    int best_score = 0;
    *candidates = 0;
    for (i = mon->by_event[e->state][event]; i >= 0; i = mon->next_event[i]) {
        const eve_spec_row *r = &eve_spec_rows[i];
        int score;
        if (r->event != event || !row_applies(r, e))
            continue;
        ++*candidates;
        if (!guard_possible(e, r->guard, arg))
            continue;
        score = ret_match(r, result);
        if (score > best_score) {
            best_score = score;
            *best = (size_t)i;
        }
    }
    return best_score;
}

static void wrong_call(eve_monitor *mon, mon_end *e, eve_mon_call call, long long arg,
                       long long result, int candidates)
{
    char rows[600];
    size_t i, len = 0;
    unsigned event = call_event[call];
    const char *st = eve_spec_state_names[e->state];

    end_step(e, (mon_step){.kind = STEP_CALL,
                           .name = (unsigned char)call,
                           .arg = arg,
                           .result = result,
                           .row = -1});
    if (candidates == 0) {
        fail(mon, e, "%s(%lld) -> %lld: no row allows %s in state %s (role %s)", call_names[call],
             arg, result, call_names[call], st, role_name(e->role));
        return;
    }
    rows[0] = '\0';
    for (i = 0; i < eve_spec_row_count && len < sizeof rows - 100; i++) {
        const eve_spec_row *r = &eve_spec_rows[i];
        if (r->event == event && row_applies(r, e) && guard_possible(e, r->guard, arg))
            len += (size_t)snprintf(rows + len, sizeof rows - len, " %s (returns %s);", r->id,
                                    r->returns);
    }
    fail(mon, e, "wrong result: %s(%lld) returned %lld in state %s; allowed:%s", call_names[call],
         arg, result, st, rows);
}

/* Byte accounting the caller can see. */
static void check_counts(eve_monitor *mon, mon_end *e, eve_mon_call call, long long result)
{
    if ((call == EVE_MON_CALL_QUEUE_SIZE || call == EVE_MON_CALL_UNSENT) &&
        (unsigned long long)result > e->accepted)
        fail(mon, e, "%s returned %lld but only %llu bytes were ever accepted", call_names[call],
             result, e->accepted);
    else if (call == EVE_MON_CALL_QUEUE_SIZE && e->close_seen && result != 0)
        fail(mon, e,
             "QUEUE_SIZE returned %lld after the close callback: a write was still "
             "pending when it was delivered",
             result);
    else if (call == EVE_MON_CALL_UNSENT && e->close_seen) {
        if (e->unsent_seen && e->unsent_final != (unsigned long long)result)
            fail(mon, e,
                 "UNSENT changed from %llu to %lld after the close callback: I/O was "
                 "still pending when it was delivered",
                 e->unsent_final, result);
        e->unsent_seen = 1;
        e->unsent_final = (unsigned long long)result;
    }
}

void eve_monitor_call(eve_monitor *mon, const void *end, eve_mon_call call, long long arg,
                      long long result)
{
    mon_end tmp, *e, alt[2];
    size_t best = 0;
    int score, candidates, k, nalt;
    unsigned event, machine, from;
    const eve_spec_row *r;

    if (mon == NULL || (unsigned)call >= EVE_MON_CALL_COUNT)
        return;
    mon->steps++;
    if (mon->call_depth > 0)
        mon->call_depth--;
    event = call_event[call];
    machine = call >= EVE_MON_CALL_PAIR_CREATE ? EVE_SPEC_MACHINE_PAIR : EVE_SPEC_MACHINE_END;
    e = mon->failed ? NULL : call_target(mon, end, call, machine, &tmp);
    if (mon->record) {
        char nb[24];
        rec(mon, "call %s %s %lld %lld\n", rec_name(mon, end, machine, nb, 24), call_names[call],
            arg, result);
    }
    if (e == NULL || mon->failed)
        return;
    score = select_call_row(mon, e, event, arg, result, &best, &candidates);
    if (score == 0) {
        /* An unregistered close may have happened unseen. */
        nalt = silent_alternatives(mon, e, alt, 2);
        for (k = 0; k < nalt && score == 0; k++) {
            int c2;
            score = select_call_row(mon, &alt[k], event, arg, result, &best, &c2);
            if (score > 0) {
                e->state = alt[k].state;
                e->reason = alt[k].reason;
                e->silent_next = alt[k].silent_next;
                e->armed = alt[k].armed;
                end_step(e, (mon_step){.kind = STEP_SILENT, .to = e->state, .row = -1});
            }
        }
    }
    if (score == 0) {
        wrong_call(mon, e, call, arg, result, candidates);
        return;
    }
    r = &eve_spec_rows[best];
    from = e->state;
    hit(mon, best);
    e->state = r->next;
    if (e->state == EVE_SPEC_S_CLOSED)
        e->silent_next = -1;
    apply_effects(e, r);
    if (r->guard == EVE_SPEC_G_WRITE_WITHIN || r->guard == EVE_SPEC_G_WRITE_OVER)
        e->accepted += (unsigned long long)arg;
    if (call_reg_kind[call] != 0 && r->ret_kind == EVE_SPEC_RET_EXACT && r->ret == EVE_OK) {
        unsigned bit = 1u << (call_reg_kind[call] - 1);
        e->reg = (unsigned char)(arg ? (e->reg | bit) : (e->reg & ~bit));
    }
    end_step(e, (mon_step){.kind = STEP_CALL_ROW,
                           .name = (unsigned char)call,
                           .arg = arg,
                           .result = result,
                           .row = (short)best,
                           .from = (unsigned char)from,
                           .to = e->state});
    check_counts(mon, e, call, result);
}

static void owed_violation(eve_monitor *mon, mon_end *e, unsigned kind, long long arg)
{
    const eve_spec_row *r = &eve_spec_rows[e->pend_row];
    end_step(e, (mon_step){.kind = STEP_CB, .name = (unsigned char)kind, .arg = arg, .row = -1});
    fail(mon, e, "row %s owes callback %d of '%s' next, got %s(%lld)", r->id, e->pend_cb + 1,
         r->callbacks, cb_names[kind], arg);
}

/* No row explains the callback: say which rule it breaks. */
static void explain_callback(eve_monitor *mon, mon_end *e, eve_mon_cb cb, long long arg)
{
    const char *st = eve_spec_state_names[e->state];
    end_step(e, (mon_step){.kind = STEP_CB, .name = (unsigned char)cb, .arg = arg, .row = -1});
    if (e->state == EVE_SPEC_S_CLOSED && cb == EVE_MON_CB_CLOSE && e->close_seen)
        fail(mon, e, "second close callback (close(%lld)); exactly one per end", arg);
    else if (e->state == EVE_SPEC_S_CLOSED && e->close_seen)
        fail(mon, e, "callback %s(%lld) after the close callback", cb_names[cb], arg);
    else if (e->state == EVE_SPEC_S_CLOSED && e->disposed)
        fail(mon, e, "callback %s(%lld) after dispose/free", cb_names[cb], arg);
    else if (e->state == EVE_SPEC_S_PAUSED && cb == EVE_MON_CB_DATA)
        fail(mon, e, "data(%lld) while PAUSED (rows T-PAUSED-R-K_READ_*: held, not delivered)",
             arg);
    else if (cb == EVE_MON_CB_WRITABLE && !e->armed && e->state == EVE_SPEC_S_OPEN)
        fail(mon, e, "writable without a BACKPRESSURE write before it (guard WAKE)");
    else if (e->state == EVE_SPEC_S_CLOSING && cb != EVE_MON_CB_CLOSE)
        fail(mon, e, "%s(%lld) after close was called (CLOSING delivers nothing but close)",
             cb_names[cb], arg);
    else if (e->state == EVE_SPEC_S_CLOSING)
        fail(mon, e, "close(%lld) but the recorded reason is %d (T-CLOSING-A-CLOSE_DUE)", arg,
             e->reason);
    else
        fail(mon, e, "no row of state %s (role %s) emits %s(%lld)", st, role_name(e->role),
             cb_names[cb], arg);
}

/* Best kernel/loop row of e whose first visible callback matches (score 0: none). */
static int select_cb_row(const eve_monitor *mon, const mon_end *e, unsigned kind, long long arg,
                         size_t *best, int *at)
{
    mon_link i;
    int best_score = 0;
    for (i = mon->by_cb[e->state]; i >= 0; i = mon->next_cb[i]) {
        const eve_spec_row *r = &eve_spec_rows[i];
        int score, v;
        if (r->ncb == 0 || !row_applies(r, e) || !guard_possible(e, r->guard, 0))
            continue;
        v = next_visible(e, r, 0);
        if (v == r->ncb)
            continue;
        score = cb_match(e, &r->cb[v], kind, arg);
        if (score > best_score) { /* first in table order wins a tie */
            best_score = score;
            *best = (size_t)i;
            *at = v;
        }
    }
    return best_score;
}

/* Checks before any row: from the loop, a known end, a registered callback. */
static mon_end *callback_target(eve_monitor *mon, const void *end, eve_mon_cb cb, long long arg)
{
    mon_end *e = end ? find_end(mon, end, EVE_SPEC_MACHINE_END) : NULL;
    if (e == NULL || e->retired) {
        fail(mon, e, "callback %s(%lld) for end %p, which %s", cb_names[cb], arg, end,
             e ? "was freed" : "the monitor never saw created");
        return NULL;
    }
    end_step(e, (mon_step){.kind = STEP_CB, .name = (unsigned char)cb, .arg = arg, .row = -1});
    if (mon->call_depth > 0) {
        fail(mon, e,
             "callback %s(%lld) delivered inside the public call %s: callbacks come "
             "only from the loop",
             cb_names[cb], arg, call_names[mon->open_call]);
        return NULL;
    }
    if (!((e->reg >> cb_kind[cb]) & 1u)) {
        fail(mon, e, "callback %s(%lld) delivered although it is not registered", cb_names[cb],
             arg);
        return NULL;
    }
    e->trace_n--; /* the matched step is recorded with its row below */
    return e;
}

void eve_monitor_callback(eve_monitor *mon, const void *end, eve_mon_cb cb, long long arg)
{
    mon_end *e, alt[2];
    size_t best = 0;
    int score, at = 0, k, nalt;
    unsigned kind, from;

    if (mon == NULL || (unsigned)cb >= EVE_MON_CB_COUNT)
        return;
    mon->steps++;
    mon->cb_depth++;
    if (mon->record) {
        char nb[24];
        rec(mon, "cb %s %s %lld\n", rec_name(mon, end, EVE_SPEC_MACHINE_END, nb, 24), cb_names[cb],
            arg);
    }
    if (mon->failed || (e = callback_target(mon, end, cb, arg)) == NULL)
        return;
    kind = cb_kind[cb];
    from = e->state;
    if (e->pend_row >= 0) {
        const eve_spec_row *r = &eve_spec_rows[e->pend_row];
        int v = next_visible(e, r, e->pend_cb);
        if (v == r->ncb || !cb_match(e, &r->cb[v], kind, arg)) {
            owed_violation(mon, e, cb, arg);
            return;
        }
        end_step(e, (mon_step){.kind = STEP_CB_CONT,
                               .name = (unsigned char)cb,
                               .arg = arg,
                               .row = (short)e->pend_row});
        row_progress(e, e->pend_row, v + 1);
    } else {
        score = select_cb_row(mon, e, kind, arg, &best, &at);
        if (score == 0) {
            nalt = silent_alternatives(mon, e, alt, 2);
            for (k = 0; k < nalt && score == 0; k++) {
                score = select_cb_row(mon, &alt[k], kind, arg, &best, &at);
                if (score > 0) {
                    e->state = alt[k].state;
                    e->reason = alt[k].reason;
                    e->silent_next = alt[k].silent_next;
                    e->armed = alt[k].armed;
                }
            }
        }
        if (score == 0) {
            explain_callback(mon, e, cb, arg);
            return;
        }
        hit(mon, best);
        apply_effects(e, &eve_spec_rows[best]);
        row_progress(e, (int)best, at + 1);
        end_step(e, (mon_step){.kind = STEP_CB_ROW,
                               .name = (unsigned char)cb,
                               .arg = arg,
                               .row = (short)best,
                               .from = (unsigned char)from,
                               .to = e->state});
    }
    if (cb == EVE_MON_CB_DATA)
        e->delivered += (unsigned long long)arg;
    if (cb == EVE_MON_CB_CLOSE) {
        e->close_seen = 1;
        e->silent_next = -1;
    }
}

void eve_monitor_callback_done(eve_monitor *mon, const void *end, eve_mon_cb cb)
{
    char nb[24];
    if (mon == NULL || (unsigned)cb >= EVE_MON_CB_COUNT)
        return;
    if (mon->record)
        rec(mon, "done %s %s\n", rec_name(mon, end, EVE_SPEC_MACHINE_END, nb, 24), cb_names[cb]);
    if (mon->cb_depth > 0)
        mon->cb_depth--;
}

void eve_monitor_state(eve_monitor *mon, const void *end, int state)
{
    eve_monitor_call(mon, end, EVE_MON_CALL_STATE, 0, state);
}

/* The loop went idle: an unregistered close that may have happened unseen did. */
static void settle_silently(const eve_monitor *mon, mon_end *e)
{
    mon_end alt[2];
    int k, n = silent_alternatives(mon, e, alt, 2);
    for (k = 0; k < n; k++) {
        if (!state_live[alt[k].state]) {
            e->state = alt[k].state;
            e->reason = alt[k].reason;
            e->silent_next = -1;
            end_step(e, (mon_step){.kind = STEP_SILENT, .to = e->state, .row = -1});
            return;
        }
    }
}

/* Apply a loop event to every end of `loop` (NULL: every end); returns how many are live. */
static int loop_event(eve_monitor *mon, const void *loop, unsigned event, int rc, const char *what)
{
    size_t i;
    mon_link j;
    int live = 0;
    for (i = 0; i < mon->n && !mon->failed; i++) {
        mon_end *e = &mon->ends[i];
        if (e->machine != EVE_SPEC_MACHINE_END || e->retired)
            continue;
        if (loop != NULL && e->loop != NULL && e->loop != loop)
            continue;
        if (event == EVE_SPEC_V_LOOP_IDLE && state_live[e->state])
            settle_silently(mon, e);
        live += state_live[e->state];
        for (j = mon->by_event[e->state][event]; j >= 0; j = mon->next_event[j]) {
            const eve_spec_row *r = &eve_spec_rows[j];
            if (r->event != event || !row_applies(r, e))
                continue;
            end_step(e,
                     (mon_step){.kind = STEP_LOOP, .what = what, .result = rc, .row = (short)j});
            if (event == EVE_SPEC_V_LOOP_IDLE && r->ret_kind == EVE_SPEC_RET_FORBIDDEN) {
                fail(mon, e, "%s returned 0 (idle) while this end is %s: row %s forbids it", what,
                     eve_spec_state_names[e->state], r->id);
                break;
            }
            if (event == EVE_SPEC_V_LOOP_CLOSE && rc == EVE_OK && r->ret != EVE_OK) {
                fail(mon, e,
                     "eve_loop_close returned EVE_OK while this end is %s: row %s "
                     "says EVE_EBUSY",
                     eve_spec_state_names[e->state], r->id);
                break;
            }
            hit(mon, (size_t)j);
            break;
        }
        if (e->pend_row >= 0 && event == EVE_SPEC_V_LOOP_IDLE && rc == 0)
            fail(mon, e, "%s returned 0 while row %s still owes '%s'", what,
                 eve_spec_rows[e->pend_row].id, eve_spec_rows[e->pend_row].callbacks);
    }
    return live;
}

void eve_monitor_set_loop(eve_monitor *mon, const void *end, const void *loop)
{
    mon_end *e = mon ? find_end(mon, end, EVE_SPEC_MACHINE_END) : NULL;
    if (e != NULL)
        e->loop = loop;
}

void eve_monitor_loop_returned_on(eve_monitor *mon, const void *loop, int rc)
{
    if (mon == NULL)
        return;
    mon->steps++;
    if (mon->record)
        rec(mon, "loop_returned %d\n", rc);
    if (rc == 0)
        loop_event(mon, loop, EVE_SPEC_V_LOOP_IDLE, rc, "eve_loop_run");
}

void eve_monitor_loop_closed_on(eve_monitor *mon, const void *loop, int rc)
{
    if (mon == NULL)
        return;
    mon->steps++;
    if (mon->record)
        rec(mon, "loop_closed %d\n", rc);
    if (rc == EVE_OK || rc == EVE_EBUSY)
        loop_event(mon, loop, EVE_SPEC_V_LOOP_CLOSE, rc, "eve_loop_close");
}

void eve_monitor_loop_returned(eve_monitor *mon, int rc)
{
    eve_monitor_loop_returned_on(mon, NULL, rc);
}

void eve_monitor_loop_closed(eve_monitor *mon, int rc)
{
    eve_monitor_loop_closed_on(mon, NULL, rc);
}

int eve_monitor_ok(const eve_monitor *mon)
{
    return mon != NULL && !mon->failed;
}

const char *eve_monitor_failure(const eve_monitor *mon)
{
    if (mon == NULL)
        return "no monitor";
    return mon->failed ? mon->failure : NULL;
}

unsigned long long eve_monitor_bytes_accepted(const eve_monitor *mon, const void *end)
{
    size_t i;
    for (i = 0; mon != NULL && i < mon->n; i++)
        if (mon->ends[i].key == end && mon->ends[i].machine == EVE_SPEC_MACHINE_END)
            return mon->ends[i].accepted;
    return 0;
}

unsigned long long eve_monitor_bytes_delivered(const eve_monitor *mon, const void *end)
{
    size_t i;
    for (i = 0; mon != NULL && i < mon->n; i++)
        if (mon->ends[i].key == end && mon->ends[i].machine == EVE_SPEC_MACHINE_END)
            return mon->ends[i].delivered;
    return 0;
}

void eve_monitor_coverage(const eve_monitor *mon,
                          void (*fn)(const char *row_id, unsigned hits, void *ctx), void *ctx)
{
    size_t i;
    if (mon == NULL || fn == NULL)
        return;
    for (i = 0; i < eve_spec_row_count; i++)
        fn(eve_spec_rows[i].id, mon->hits[i], ctx);
}

void eve_monitor_global_coverage(void (*fn)(const char *row_id, unsigned hits, void *ctx),
                                 void *ctx)
{
    size_t i;
    if (fn == NULL)
        return;
    for (i = 0; i < eve_spec_row_count; i++)
        fn(eve_spec_rows[i].id, g_hits[i], ctx);
}

int eve_monitor_dump_coverage(const char *path)
{
    FILE *f;
    size_t i;
    int rc = 0;
    if (path == NULL || (f = fopen(path, "w")) == NULL)
        return -1;
    for (i = 0; i < eve_spec_row_count; i++)
        if (fprintf(f, "%s\t%u\n", eve_spec_rows[i].id, g_hits[i]) < 0)
            rc = -1;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

static int same_first_cb(const eve_spec_row *a, const eve_spec_row *b)
{
    return a->cb[0].kind == b->cb[0].kind && a->cb[0].arg == b->cb[0].arg &&
           a->cb[0].value == b->cb[0].value;
}

int eve_monitor_row_observable(const char *row_id)
{
    size_t i, j;
    for (i = 0; row_id != NULL && i < eve_spec_row_count; i++) {
        const eve_spec_row *r = &eve_spec_rows[i];
        if (strcmp(r->id, row_id) != 0)
            continue;
        if (r->event == EVE_SPEC_V_LOOP_IDLE || r->event == EVE_SPEC_V_LOOP_CLOSE)
            return 1;
        if (event_kind[r->event] == EVE_SPEC_KIND_CALL)
            return 1;
        if (r->ncb == 0)
            return 0;
        for (j = 0; j < i; j++) {
            const eve_spec_row *q = &eve_spec_rows[j];
            if (q->ncb > 0 && q->state == r->state && (q->roles & r->roles) != 0 &&
                q->guard == r->guard && same_first_cb(q, r))
                return 0; /* the earlier row takes the credit */
        }
        return 1;
    }
    return -1;
}
