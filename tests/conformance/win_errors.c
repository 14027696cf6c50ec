/* win_errors.c (Windows flavours only): provoke each Win32 error of spec/errors.tsv that a
 * real pipe can produce. Each test first shows with raw Win32 calls that the situation
 * yields that error here, then checks what the end reports for the same situation. */
#include "common.h"

#include <windows.h>

#include "win_raw.h"

/* Raw pair for the premise checks (synchronous ends, plain calls), made with Win32 alone:
 * what Windows does is the premise, not the implementation's pair. */
static void raw_pair(eve_pipe_pair *p)
{
    win_raw_pair(&p->read_end, &p->write_end, 1, 1);
}

static DWORD raw_read_err(HANDLE h)
{
    char b[8];
    DWORD n = 0;
    BOOL r = ReadFile(h, b, sizeof b, &n, NULL);
    return r ? 0 : GetLastError();
}

static DWORD raw_write_err(HANDLE h)
{
    DWORD n = 0;
    BOOL r = WriteFile(h, "abc", 3, &n, NULL);
    return r ? 0 : GetLastError();
}

H_TEST(err_broken_pipe_read)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_pair p;
    h_pipe *r, *w;

    raw_pair(&p);
    CloseHandle(p.write_end);
    p.write_end = NULL;
    ok_eq(raw_read_err(p.read_end), ERROR_BROKEN_PIPE);
    win_raw_close(&p.read_end, &p.write_end);
    /* the same through an end: close(PEER), no error callback */
    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_dispose(w), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    ok_eq(r->error_calls, 0);
    finish_loop(loop);
}

H_TEST(err_no_data_write)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_pair p;
    h_pipe *r, *w;

    raw_pair(&p);
    CloseHandle(p.read_end);
    p.read_end = NULL;
    ok_eq(raw_write_err(p.write_end), ERROR_NO_DATA);
    win_raw_close(&p.read_end, &p.write_end);
    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_close(r), EVE_OK);
    /* Once the reader's close callback came its handle is gone: the next WriteFile fails. */
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(h_write(w, "abc", 3), EVE_SEND_OK);
    H_RUN_UNTIL(loop, w->close_calls == 1);
    ok_eq(w->close_reason, EVE_CLOSE_PEER);
    ok_eq(w->error_calls, 0);
    ok_eq(h_unsent(w), 3);
    finish_loop(loop);
}

H_TEST(err_pipe_not_connected)
{
    /* openvmm #714: ERROR_PIPE_NOT_CONNECTED on a read means EOF. A server end that was
     * disconnected gives it on both sides. */
    eve_loop *loop = h_loop_new();
    eve_pipe_pair p = {NULL, NULL};
    eve_os_handle hr, hw;
    h_pipe *r = h_pipe_new(NULL), *w = h_pipe_new(NULL);
    int rc;

    raw_pair(&p);
    ok(DisconnectNamedPipe(p.read_end), "DisconnectNamedPipe");
    ok_eq(raw_read_err(p.read_end), ERROR_PIPE_NOT_CONNECTED);
    ok_eq(raw_write_err(p.write_end), ERROR_PIPE_NOT_CONNECTED);
    win_raw_close(&p.read_end, &p.write_end);

    ok_eq(h_pair_create(&p, NULL), EVE_OK);
    ok(DisconnectNamedPipe(p.read_end), "DisconnectNamedPipe");
    hr = p.read_end;
    hw = p.write_end;
    /* adopt may report it at once (ENOTCONN, handle kept) or the first read/write ends the
     * stream with PEER; never an error callback. */
    rc = h_adopt_read(r, loop, &hr);
    ok(rc == EVE_OK || rc == EVE_ENOTCONN, "adopt_read of a disconnected end: %d", rc);
    if (rc == EVE_OK)
        p.read_end = NULL;
    rc = h_adopt_write(w, loop, &hw);
    ok(rc == EVE_OK || rc == EVE_ENOTCONN, "adopt_write of a disconnected end: %d", rc);
    if (rc == EVE_OK) {
        p.write_end = NULL;
        ok_eq(h_write(w, "abc", 3), EVE_SEND_OK);
    }
    if (r->is_read == 1)
        H_RUN_UNTIL(loop, r->close_calls == 1);
    if (w->is_read == 0)
        H_RUN_UNTIL(loop, w->close_calls == 1);
    ok(r->is_read != 1 || r->close_reason == EVE_CLOSE_PEER, "read end closed with %d",
       r->close_reason);
    ok(w->is_read != 0 || w->close_reason == EVE_CLOSE_PEER, "write end closed with %d",
       w->close_reason);
    ok_eq(r->error_calls + w->error_calls, 0);
    ok_eq(h_pair_close(&p), EVE_OK);
    finish_pair(loop, r, w);
}

/* Adopt a fresh pair, remembering the raw handle values (for outside interference). */
static void open_keep(eve_loop *loop, h_pipe **r, h_pipe **w, HANDLE *hr, HANDLE *hw)
{
    eve_pipe_pair p = {NULL, NULL};

    ok_eq(h_pair_create(&p, NULL), EVE_OK);
    *hr = p.read_end;
    *hw = p.write_end;
    *r = h_pipe_new(NULL);
    *w = h_pipe_new(NULL);
    ok_eq(h_adopt_read(*r, loop, &p.read_end), EVE_OK);
    h_pair_took(&p, 1);
    ok_eq(h_adopt_write(*w, loop, &p.write_end), EVE_OK);
    h_pair_took(&p, 0);
    (*r)->peer = *w;
    (*w)->peer = *r;
}

H_TEST(err_cancelled_by_other_read)
{
    /* Someone else cancels the pending read: error(EVE_ECANCELED) then close(ERROR). */
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    HANDLE hr, hw;

    open_keep(loop, &r, &w, &hr, &hw);
    ok(CancelIoEx(hr, NULL), "CancelIoEx: %lu", (unsigned long)GetLastError());
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->error_calls, 1);
    ok_eq(r->last_error, EVE_ECANCELED);
    ok_eq(r->close_reason, EVE_CLOSE_ERROR);
    finish_pair(loop, r, w);
}

H_TEST(err_cancelled_by_other_paused)
{
    /* ... while PAUSED: held, then reported after resume. */
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    HANDLE hr, hw;
    int i;

    open_keep(loop, &r, &w, &hr, &hw);
    ok_eq(h_pause(r), EVE_OK);
    ok(CancelIoEx(hr, NULL), "CancelIoEx: %lu", (unsigned long)GetLastError());
    for (i = 0; i < 20; i++)
        h_spin(loop, 1);
    ok_eq(r->error_calls + r->close_calls, 0);
    ok_eq(h_state(r), EVE_PIPE_PAUSED);
    ok_eq(h_resume(r), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->last_error, EVE_ECANCELED);
    ok_eq(r->close_reason, EVE_CLOSE_ERROR);
    finish_pair(loop, r, w);
}

static void cancelled_write(int draining)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    HANDLE hr, hw;
    uint8_t *big = h_alloc(2 << 20);

    h_fill(big, 2 << 20, 61); /* distinct bytes: a gap in what arrives would show */
    open_keep(loop, &r, &w, &hr, &hw);
    ok_eq(h_pause(r), EVE_OK);
    ok_eq(h_write(w, big, 2 << 20), EVE_SEND_BACKPRESSURE);
    if (draining)
        ok_eq(h_close_graceful(w), EVE_OK);
    h_spin(loop, 3);
    ok(CancelIoEx(hw, NULL), "CancelIoEx: %lu", (unsigned long)GetLastError());
    H_RUN_UNTIL(loop, w->close_calls == 1);
    ok_eq(w->error_calls, 1);
    ok_eq(w->last_error, EVE_ECANCELED);
    ok_eq(w->close_reason, EVE_CLOSE_ERROR);
    ok(h_unsent(w) > 0, "cancelled 2 MiB write left nothing unsent");
    ok_eq(h_resume(r), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1);
    check_accounting(r, w, 2 << 20);
    finish_loop(loop);
}

H_TEST(err_cancelled_by_other_write)
{
    cancelled_write(0);
}

H_TEST(err_cancelled_by_other_draining)
{
    cancelled_write(1);
}

H_TEST(err_access_denied)
{
    /* An end adopted the wrong way round: Win32 refuses the I/O with ERROR_ACCESS_DENIED,
     * reported as error(EVE_EACCES) then close(ERROR) (or refused at adopt). */
    eve_loop *loop = h_loop_new();
    eve_pipe_pair p;
    h_pipe *r = h_pipe_new(NULL), *w = h_pipe_new(NULL);
    int rc;

    raw_pair(&p);
    ok_eq(raw_write_err(p.read_end), ERROR_ACCESS_DENIED);
    ok_eq(raw_read_err(p.write_end), ERROR_ACCESS_DENIED);
    win_raw_close(&p.read_end, &p.write_end);

    ok_eq(h_pair_create(&p, NULL), EVE_OK);
    rc = h_adopt_read(r, loop, &p.write_end); /* the client end is write-only */
    ok(rc == EVE_OK || rc == EVE_EACCES || rc == EVE_EBADF, "adopt_read of a write end: %d", rc);
    if (rc == EVE_OK) {
        H_RUN_UNTIL(loop, r->close_calls == 1);
        ok_eq(r->error_calls, 1);
        ok_eq(r->last_error, EVE_EACCES);
        ok_eq(r->close_reason, EVE_CLOSE_ERROR);
    }
    rc = h_adopt_write(w, loop, &p.read_end); /* the server end is read-only */
    ok(rc == EVE_OK || rc == EVE_EACCES || rc == EVE_EBADF, "adopt_write of a read end: %d", rc);
    if (rc == EVE_OK) {
        ok_eq(h_write(w, "abc", 3), EVE_SEND_OK);
        H_RUN_UNTIL(loop, w->close_calls == 1);
        ok_eq(w->error_calls, 1);
        ok_eq(w->last_error, EVE_EACCES);
        ok_eq(w->close_reason, EVE_CLOSE_ERROR);
        ok_eq(h_unsent(w), 3);
    }
    ok_eq(h_pair_close(&p), EVE_OK);
    finish_pair(loop, r, w);
}

/* Reentrancy inside the error callback: close, dispose, free of itself or of the peer. */
static int err_action;

static void act_in_error(h_pipe *p, int e)
{
    (void)e;
    switch (err_action) {
    case 0:
        ok_eq(h_close(p), EVE_EALREADY); /* the close is already decided */
        break;
    case 1:
        ok_eq(h_dispose(p), EVE_OK); /* suppresses the close callback */
        break;
    case 2:
        h_free(p);
        break;
    default:
        ok_eq(h_close(p->peer), EVE_OK);
        break;
    }
}

H_TEST(err_reentrancy_in_error_cb)
{
    for (err_action = 0; err_action < 4; err_action++) {
        eve_loop *loop = h_loop_new();
        h_pipe *r, *w;
        HANDLE hr, hw;

        open_keep(loop, &r, &w, &hr, &hw);
        r->on_error = act_in_error;
        ok(CancelIoEx(hr, NULL), "CancelIoEx");
        H_RUN_UNTIL(loop, r->error_calls == 1);
        if (err_action == 3)
            H_RUN_UNTIL(loop, w->close_calls == 1);
        if (h_state(w) != EVE_PIPE_CLOSED && h_state(w) != EVE_PIPE_CLOSING)
            ok_eq(h_close(w), EVE_OK);
        h_run_idle(loop);
        ok_eq(r->close_calls, err_action == 0 || err_action == 3 ? 1 : 0);
        if (r->close_calls)
            ok_eq(r->close_reason, EVE_CLOSE_ERROR);
        ok_eq(h_loop_close(loop), EVE_OK);
    }
}
