/* mutant_kills.c: tests written because a mutant of tests/mutants/ survived the suite (each
 * names the mutant it kills). The first ones use the public API only and run everywhere;
 * the sim_ ones (EVE_TESTS_WINSIM) run natively on winsim/, whose faults and handle table
 * reach what no real system does on demand. */
#include "common.h"

/* ---- public API only ---- */

/* writable-twice: writable fires once per backpressure episode, not on every later
 * completion that leaves the queue under low_water. */
H_TEST(bp_writable_once_then_small_writes)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_config wc = cfg_of(0, 4096, 1024);
    h_pipe *r, *w;
    uint8_t buf[5000];
    int i;

    h_fill(buf, sizeof buf, 91);
    h_pair_open(loop, NULL, &wc, &r, &w);
    ok_eq(h_write(w, buf, sizeof buf), EVE_SEND_BACKPRESSURE);
    H_RUN_UNTIL(loop, w->writable_calls == 1);
    for (i = 0; i < 3; i++) {
        ok_eq(h_write(w, buf, 10), EVE_SEND_OK);
        H_RUN_UNTIL(loop, r->rx_bytes == sizeof buf + 10 * (uint64_t)(i + 1) && h_queue(w) == 0);
    }
    h_spin(loop, 5);
    ok_eq(w->writable_calls, 1);
    finish_pair(loop, r, w);
}

/* dispose-no-cancel: a disposed read end whose read nothing will ever complete (the
 * writer is alive and silent) must not keep eve_loop_close waiting. */
H_TEST(dispose_cancels_idle_read)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_pair pair = {NULL, NULL};
    h_pipe *r = h_pipe_new(NULL);

    ok_eq(h_pair_create(&pair, NULL), EVE_OK);
    ok_eq(h_adopt_read(r, loop, &pair.read_end), EVE_OK);
    h_pair_took(&pair, 1);
    h_spin(loop, 3);
    ok_eq(h_dispose(r), EVE_OK);
    ok_eq(h_loop_close(loop), EVE_OK); /* reaps the cancelled read; a hang here is the bug */
    ok_eq(r->close_calls, 0);
    ok_eq(h_pair_close(&pair), EVE_OK);
}

static size_t close_cb_queue, close_cb_unsent;

static void record_counts_in_close(h_pipe *p, eve_pipe_close_reason reason)
{
    (void)reason;
    close_cb_queue = h_queue(p);
    close_cb_unsent = h_unsent(p);
}

/* close-cb-before-completion: the close callback comes only once the cancelled WriteFile
 * is reaped, so inside it the queue is empty and unsent is final. */
H_TEST(close_cb_after_write_settled)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    uint8_t *big = h_alloc(4 << 20);

    h_fill(big, 4 << 20, 92);
    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_pause(r), EVE_OK);
    ok_eq(h_write(w, big, 4 << 20), EVE_SEND_BACKPRESSURE);
    h_spin(loop, 10);
    close_cb_queue = close_cb_unsent = (size_t)-1;
    w->on_close = record_counts_in_close;
    ok_eq(h_close(w), EVE_OK);
    H_RUN_UNTIL(loop, w->close_calls == 1);
    ok_eq(close_cb_queue, 0);
    ok(close_cb_unsent > 0, "4 MiB cannot have gone into a paused pipe");
    ok_eq(close_cb_unsent, h_unsent(w));
    ok_eq(h_resume(r), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(h_unsent(w), close_cb_unsent);
    check_accounting(r, w, 4 << 20);
    finish_loop(loop);
}

/* ---- winsim only ---- */
#ifdef EVE_TESTS_WITH_WINSIM

#include <stdio.h>

#include <windows.h>

#include "eve_spec_tables.h"
#include "winsim.h"

typedef struct sim_err_row {
    DWORD win32;
    int eve;
    int outcome;
    const char *row;
} sim_err_row;

/* Every row of spec/errors.tsv (generated), plus an error the table does not list. */
static const sim_err_row sim_err_rows[] = {
#define SIM_ERR_ROW(name, value, eve_name, eve_value, outcome, row)                               \
    {(DWORD)(value), eve_value, outcome, row},
    EVE_SPEC_WIN32_ERRORS_EX(SIM_ERR_ROW)
#undef SIM_ERR_ROW
        {12345, EVE_SPEC_WIN32_DEFAULT_ERRNO, EVE_SPEC_WIN32_DEFAULT_OUTCOME,
         EVE_SPEC_WIN32_DEFAULT_ROW},
};
#define SIM_NROWS (sizeof sim_err_rows / sizeof sim_err_rows[0])

/* An I/O of `p` that ended with e's error: PEER is close(PEER) with no error callback;
 * ERROR, and CANCEL outside CLOSING, are error(errno) then close(ERROR). */
static void sim_check_outcome(h_pipe *p, const sim_err_row *e)
{
    int peer = e->outcome == EVE_SPEC_IO_PEER;
    int want_errno = e->outcome == EVE_SPEC_IO_CANCEL ? EVE_ECANCELED : e->eve;

    ok(p->close_reason == (peer ? EVE_CLOSE_PEER : EVE_CLOSE_ERROR), "%s: close reason %d", e->row,
       p->close_reason);
    ok(p->error_calls == (peer ? 0 : 1), "%s: %ld error callbacks", e->row, p->error_calls);
    if (!peer)
        ok(p->last_error == want_errno, "%s: error %d, want %d", e->row, p->last_error,
           want_errno);
}

/* error-table mutants, not-connected-is-error, error-cb-missing: a read completing with
 * each error of the table. */
H_TEST(sim_error_table_read)
{
    size_t i;

    winsim_fail_clear(); /* nothing left armed by an earlier test that failed */
    for (i = 0; i < SIM_NROWS; i++) {
        const sim_err_row *e = &sim_err_rows[i];
        eve_loop *loop = h_loop_new();
        h_pipe *r, *w;

        h_pair_open(loop, NULL, NULL, &r, &w);
        /* The read after the one now pending (which takes the byte below) fails. */
        ok_eq(winsim_fail("ReadFile@async", winsim_call_count("ReadFile") + 1, e->win32), 0);
        ok_eq(h_write(w, "x", 1), EVE_SEND_OK);
        H_RUN_UNTIL(loop, r->close_calls == 1);
        winsim_fail_clear();
        ok_eq(r->rx_bytes, 1);
        sim_check_outcome(r, e);
        finish_pair(loop, r, w);
    }
}

/* The same for a write. */
H_TEST(sim_error_table_write)
{
    size_t i;

    winsim_fail_clear();
    for (i = 0; i < SIM_NROWS; i++) {
        const sim_err_row *e = &sim_err_rows[i];
        eve_loop *loop = h_loop_new();
        h_pipe *r, *w;

        h_pair_open(loop, NULL, NULL, &r, &w);
        ok_eq(winsim_fail("WriteFile@async", winsim_call_count("WriteFile") + 1, e->win32), 0);
        ok_eq(h_write(w, "x", 1), EVE_SEND_OK);
        H_RUN_UNTIL(loop, w->close_calls == 1);
        winsim_fail_clear();
        sim_check_outcome(w, e);
        ok_eq(h_unsent(w), 1);
        finish_pair(loop, r, w);
    }
}

/* collision-not-retried: a name taken (ERROR_ACCESS_DENIED from CreateNamedPipeW with
 * FILE_FLAG_FIRST_PIPE_INSTANCE) or busy (ERROR_PIPE_BUSY from CreateFileW) is retried with
 * a new name; the retries are bounded. */
H_TEST(sim_pair_name_retry)
{
    static const struct {
        const char *call;
        DWORD err;
        int want;
    } cases[] = {{"CreateNamedPipeW", ERROR_ACCESS_DENIED, EVE_EACCES},
                 {"CreateNamedPipeW", ERROR_ALREADY_EXISTS, EVE_EEXIST},
                 {"CreateFileW", ERROR_PIPE_BUSY, EVE_EBUSY}};
    size_t i;
    unsigned k;

    winsim_fail_clear();
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        eve_pipe_pair pair = {NULL, NULL};
        unsigned base = winsim_call_count(cases[i].call);
        unsigned fired = winsim_faults_fired();

        /* Two collisions in a row: the third name is used. */
        ok_eq(winsim_fail(cases[i].call, base + 1, cases[i].err), 0);
        ok_eq(winsim_fail(cases[i].call, base + 2, cases[i].err), 0);
        ok_eq(h_pair_create(&pair, NULL), EVE_OK);
        winsim_fail_clear();
        ok(winsim_faults_fired() - fired == 2, "%s %lu: %u faults fired", cases[i].call,
           (unsigned long)cases[i].err, winsim_faults_fired() - fired);
        ok_eq(h_pair_is_valid(&pair), 1);
        ok_eq(h_pair_close(&pair), EVE_OK);

        /* Every attempt collides: an error, not a loop for ever. */
        base = winsim_call_count(cases[i].call);
        for (k = 1; k <= 64; k++)
            ok_eq(winsim_fail(cases[i].call, base + k, cases[i].err), 0);
        ok_eq(h_pair_create(&pair, NULL), cases[i].want);
        winsim_fail_clear();
        ok_eq(h_pair_is_valid(&pair), 0);
    }
}

/* What one eve_pipe_pair_create passed to CreateNamedPipeW and CreateFileW, read from
 * winsim's trace as it happens. */
typedef struct sim_pair_args {
    unsigned long open_mode, pipe_mode, max_instances;
    unsigned long access, file_flags;
    int servers, clients;
} sim_pair_args;

static void sim_pair_args_of(const char *event, void *ctx)
{
    sim_pair_args *a = ctx;
    unsigned long x, y, z;

    if (sscanf(event, "CreateNamedPipeW %*s mode %lx/%lx max %lu", &x, &y, &z) == 3) {
        a->open_mode = x;
        a->pipe_mode = y;
        a->max_instances = z;
        a->servers++;
    } else if (sscanf(event, "CreateFileW %*s access %lx share %*x flags %lx", &x, &y) == 2) {
        a->access = x;
        a->file_flags = y;
        a->clients++;
    }
}

static int sim_pair_create_traced(const eve_pipe_pair_options *o, eve_pipe_pair *pair,
                                  sim_pair_args *a)
{
    int rc;

    memset(a, 0, sizeof *a);
    winsim_trace_sink(sim_pair_args_of, a);
    rc = h_pair_create(pair, o);
    winsim_trace_sink(NULL, NULL);
    return rc;
}

/* remote-clients-accepted, squat-first-instance, impersonable-client: DECISIONS.md
 * item 12's flags, as ref passed them. */
H_TEST(sim_pair_security_flags)
{
    eve_pipe_pair pair = {NULL, NULL};
    sim_pair_args a;

    winsim_fail_clear();
    ok_eq(sim_pair_create_traced(NULL, &pair, &a), EVE_OK);
    ok_eq(h_pair_close(&pair), EVE_OK);
    ok(a.servers == 1 && a.clients == 1, "trace: %d CreateNamedPipeW, %d CreateFileW", a.servers,
       a.clients);
    ok(a.open_mode & FILE_FLAG_FIRST_PIPE_INSTANCE, "no FILE_FLAG_FIRST_PIPE_INSTANCE: %lx",
       a.open_mode);
    ok((a.open_mode & PIPE_ACCESS_DUPLEX) == PIPE_ACCESS_INBOUND, "server access %lx",
       a.open_mode);
    ok(a.open_mode & FILE_FLAG_OVERLAPPED, "server not overlapped: %lx", a.open_mode);
    ok(a.pipe_mode & PIPE_REJECT_REMOTE_CLIENTS, "remote clients accepted: mode %lx", a.pipe_mode);
    ok(!(a.pipe_mode & (PIPE_TYPE_MESSAGE | PIPE_NOWAIT)), "pipe mode %lx", a.pipe_mode);
    ok_eq(a.max_instances, 1);
    ok(a.file_flags & SECURITY_SQOS_PRESENT, "client without SECURITY_SQOS_PRESENT: %lx",
       a.file_flags);
    ok((a.file_flags & SECURITY_VALID_SQOS_FLAGS & ~(unsigned long)SECURITY_SQOS_PRESENT) ==
           SECURITY_ANONYMOUS,
       "client impersonation level not anonymous: %lx", a.file_flags);
    ok(a.file_flags & FILE_FLAG_OVERLAPPED, "client not overlapped: %lx", a.file_flags);
    ok(!(a.access & GENERIC_READ), "client access %lx", a.access);
}

static int sim_inheritable(HANDLE h)
{
    DWORD flags = 0;
    ok(GetHandleInformation(h, &flags), "GetHandleInformation failed: %lu",
       (unsigned long)GetLastError());
    return (flags & HANDLE_FLAG_INHERIT) != 0;
}

/* inherit-by-default: ends are inheritable only when asked, each on its own. */
H_TEST(sim_pair_not_inheritable)
{
    eve_pipe_pair pair = {NULL, NULL};
    eve_pipe_pair_options o = {0, 0, 0};

    winsim_fail_clear();
    ok_eq(h_pair_create(&pair, NULL), EVE_OK);
    ok_eq(sim_inheritable(pair.read_end), 0);
    ok_eq(sim_inheritable(pair.write_end), 0);
    ok_eq(h_pair_close(&pair), EVE_OK);
    o.write_flags = EVE_PIPE_END_INHERIT;
    ok_eq(h_pair_create(&pair, &o), EVE_OK);
    ok_eq(sim_inheritable(pair.read_end), 0);
    ok_eq(sim_inheritable(pair.write_end), 1);
    ok_eq(h_pair_close(&pair), EVE_OK);
}

/* loop-close-leaks: eve_loop_close reaps the cancelled I/O of disposed ends and closes
 * their handles. */
H_TEST(sim_loop_close_reaps_disposed)
{
    size_t before = winsim_open_handles();
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    uint8_t *big = h_alloc(1 << 20);

    h_fill(big, 1 << 20, 93);
    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_pause(r), EVE_OK);
    ok_eq(h_write(w, big, 1 << 20), EVE_SEND_OK);
    h_spin(loop, 3);
    ok_eq(h_dispose(w), EVE_OK);
    ok_eq(h_dispose(r), EVE_OK);
    ok_eq(h_loop_close(loop), EVE_OK);
    ok(winsim_open_handles() == before, "%lu handles open after eve_loop_close, %lu before",
       (unsigned long)winsim_open_handles(), (unsigned long)before);
}

/* A read end whose first ReadFile fails, at once (async 0: ERROR_INVALID_FUNCTION, which is
 * error 1, from the call) or in its completion (async 1: ERROR_NO_SYSTEM_RESOURCES): the
 * loop delivers error(errno) and close(ERROR). pause: the end is paused before the loop
 * runs, so the failure is held until resume, though the next read would succeed. */
static void sim_first_read_fails(int async, int pause)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_pair pair = {NULL, NULL};
    h_pipe *r = h_pipe_new(NULL);
    DWORD err = async ? ERROR_NO_SYSTEM_RESOURCES : ERROR_INVALID_FUNCTION;

    winsim_fail_clear();
    ok_eq(h_pair_create(&pair, NULL), EVE_OK);
    ok_eq(
        winsim_fail(async ? "ReadFile@async" : "ReadFile", winsim_call_count("ReadFile") + 1, err),
        0);
    ok_eq(h_adopt_read(r, loop, &pair.read_end), EVE_OK);
    if (pause) {
        ok_eq(h_pause(r), EVE_OK);
        h_spin(loop, 5);
        ok(r->close_calls == 0 && r->error_calls == 0,
           "paused: %ld error and %ld close callbacks before resume", r->error_calls,
           r->close_calls);
        winsim_fail_clear();
        ok_eq(h_resume(r), EVE_OK);
    }
    H_RUN_UNTIL(loop, r->close_calls == 1);
    winsim_fail_clear();
    ok_eq(r->error_calls, 1);
    ok_eq(r->last_error, async ? EVE_ENOBUFS : EVE_ENOSYS);
    ok_eq(r->close_reason, EVE_CLOSE_ERROR);
    ok_eq(h_pair_close(&pair), EVE_OK);
    finish_loop(loop);
}

H_TEST(sim_read_fails_at_once)
{
    sim_first_read_fails(0, 0);
}

H_TEST(sim_read_fails_at_once_paused)
{
    sim_first_read_fails(0, 1);
}

H_TEST(sim_read_error_held_while_paused)
{
    sim_first_read_fails(1, 1);
}

/* A later ReadFile (after data) that fails at once with error 1: the same error and close. */
H_TEST(sim_later_read_fails_at_once)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;

    winsim_fail_clear();
    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(winsim_fail("ReadFile", winsim_call_count("ReadFile") + 1, ERROR_INVALID_FUNCTION), 0);
    ok_eq(h_write(w, "x", 1), EVE_SEND_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1);
    winsim_fail_clear();
    ok_eq(r->rx_bytes, 1);
    ok_eq(r->error_calls, 1);
    ok_eq(r->last_error, EVE_ENOSYS);
    ok_eq(r->close_reason, EVE_CLOSE_ERROR);
    finish_pair(loop, r, w);
}

/* Writable fires when a completion leaves the queue exactly at low water, though the
 * rest cannot move (the reader never reads and the pipe is full). */
H_TEST(sim_writable_at_low_water_exactly)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_pair pair = {NULL, NULL};
    eve_pipe_pair_options o = {0, 0, 4096};
    eve_pipe_config wc = cfg_of(0, 4500, 500);
    h_pipe *w = h_pipe_new(&wc);
    uint8_t *buf = h_alloc(4096);

    h_fill(buf, 4096, 94);
    ok_eq(h_pair_create(&pair, &o), EVE_OK);
    ok_eq(h_adopt_write(w, loop, &pair.write_end), EVE_OK);
    h_pair_took(&pair, 0);
    ok_eq(h_write(w, buf, 4096), EVE_SEND_OK);
    ok_eq(h_write(w, buf, 500), EVE_SEND_BACKPRESSURE);
    H_RUN_UNTIL(loop, w->writable_calls == 1);
    ok_eq(h_queue(w), 500);
    ok_eq(h_close(w), EVE_OK);
    H_RUN_UNTIL(loop, w->close_calls == 1);
    ok_eq(h_unsent(w), 500);
    ok_eq(h_pair_close(&pair), EVE_OK);
    finish_loop(loop);
}

static void sim_count_wakeup(eve_loop *loop, void *user)
{
    (void)loop;
    ++*(long *)user;
}

/* A wakeup the system could not post fails with its error and leaves nothing behind: the
 * next call posts, and its callback runs. */
H_TEST(sim_wakeup_after_failed_post)
{
    eve_loop *loop = h_loop_new();
    long wakeups = 0;

    winsim_fail_clear();
    ok_eq(eve_loop_on_wakeup(loop, sim_count_wakeup, &wakeups), EVE_OK);
    ok_eq(winsim_fail("PostQueuedCompletionStatus",
                      winsim_call_count("PostQueuedCompletionStatus") + 1,
                      ERROR_NOT_ENOUGH_MEMORY),
          0);
    ok_eq(eve_loop_wakeup(loop), EVE_ENOMEM);
    winsim_fail_clear();
    ok_eq(eve_loop_wakeup(loop), EVE_OK);
    ok_eq(h_loop_run(loop, EVE_RUN_ONCE), 0);
    ok_eq(wakeups, 1);
    ok_eq(eve_loop_on_wakeup(loop, NULL, NULL), EVE_OK);
    finish_loop(loop);
}

#endif /* EVE_TESTS_WITH_WINSIM */
