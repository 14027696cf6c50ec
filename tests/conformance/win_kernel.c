/* win_kernel.c (Windows flavours only): place kernel completions deterministically with a
 * raw (synchronous) peer handle, so the rows for completions that arrive while an end is
 * CLOSING or already CLOSED (disposed) are exercised, and 0-byte reads are not EOF. */
#include "common.h"

#include <windows.h>

#include "win_raw.h"

/* A read end on the loop whose writer is a raw synchronous handle the test drives. The
 * pair is made with Win32 alone (win_raw.h): the subject is what the end does with
 * completions, whatever ends the implementation's own pair can give. */
static h_pipe *reader_with_raw_writer(eve_loop *loop, eve_pipe_pair *pair)
{
    h_pipe *r = h_pipe_new(NULL);

    win_raw_pair(&pair->read_end, &pair->write_end, 0, 1);
    ok_eq(h_adopt_read(r, loop, &pair->read_end), EVE_OK);
    return r;
}

static h_pipe *writer_with_raw_reader(eve_loop *loop, eve_pipe_pair *pair)
{
    h_pipe *w = h_pipe_new(NULL);

    win_raw_pair(&pair->read_end, &pair->write_end, 1, 0);
    ok_eq(h_adopt_write(w, loop, &pair->write_end), EVE_OK);
    return w;
}

H_TEST(kernel_read_done_then_close)
{
    /* The pending read completes (data, or EOF) before the loop dispatches it; the end is
     * then closed or disposed: the completion is reaped, nothing is delivered. */
    int k;

    for (k = 0; k < 4; k++) {
        eve_loop *loop = h_loop_new();
        eve_pipe_pair pair;
        h_pipe *r = reader_with_raw_writer(loop, &pair);
        DWORD n = 0;

        if (k & 1) {
            CloseHandle(pair.write_end); /* EOF completes the read */
            pair.write_end = NULL;
        } else {
            ok(WriteFile(pair.write_end, "abc", 3, &n, NULL) && n == 3, "raw write");
        }
        ok_eq((k & 2) ? h_dispose(r) : h_close(r), EVE_OK);
        h_run_idle(loop);
        ok_eq(r->data_calls, 0);
        ok_eq(r->close_calls, (k & 2) ? 0 : 1);
        if (r->close_calls)
            ok_eq(r->close_reason, EVE_CLOSE_LOCAL);
        win_raw_close(&pair.read_end, &pair.write_end);
        ok_eq(h_loop_close(loop), EVE_OK);
    }
}

H_TEST(kernel_read_zero_bytes)
{
    /* A 0-byte write by the peer: whether or not the kernel completes the read with 0
     * bytes, no data callback has length 0 and the stream goes on. */
    eve_loop *loop = h_loop_new();
    eve_pipe_pair pair;
    h_pipe *r = reader_with_raw_writer(loop, &pair);
    DWORD n = 0;
    int i;

    r->keep_rx = 1;
    ok(WriteFile(pair.write_end, "", 0, &n, NULL), "0-byte WriteFile");
    for (i = 0; i < 10; i++)
        h_spin(loop, 1);
    ok_eq(r->close_calls, 0);
    ok_eq(h_pause(r), EVE_OK);
    ok(WriteFile(pair.write_end, "", 0, &n, NULL), "0-byte WriteFile while paused");
    for (i = 0; i < 10; i++)
        h_spin(loop, 1);
    ok_eq(h_resume(r), EVE_OK);
    ok(WriteFile(pair.write_end, "xyz", 3, &n, NULL) && n == 3, "raw write");
    H_RUN_UNTIL(loop, r->rx_bytes == 3);
    ok(memcmp(r->rx_buf, "xyz", 3) == 0, "bytes");
    ok_eq(r->close_calls, 0);
    win_raw_close(&pair.read_end, &pair.write_end);
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    finish_loop(loop);
}

H_TEST(kernel_write_peer_while_closing)
{
    /* A WriteFile pending (the raw reader reads nothing); the reader's handle is closed so
     * the write fails with PEER in the kernel; then close / dispose / graceful close: the
     * failure is reaped in CLOSING/CLOSED, or ends DRAINING with PEER. */
    int k;

    for (k = 0; k < 3; k++) {
        eve_loop *loop = h_loop_new();
        eve_pipe_pair pair;
        h_pipe *w = writer_with_raw_reader(loop, &pair);
        uint8_t *big = h_alloc(1 << 20);

        ok_eq(h_write(w, big, 1 << 20), EVE_SEND_OK);
        h_spin(loop, 3);
        if (k == 2)
            ok_eq(h_close_graceful(w), EVE_OK); /* DRAINING, then the peer leaves */
        CloseHandle(pair.read_end);
        pair.read_end = NULL;
        if (k == 0)
            ok_eq(h_close(w), EVE_OK);
        else if (k == 1)
            ok_eq(h_dispose(w), EVE_OK);
        h_run_idle(loop);
        ok_eq(w->close_calls, k == 1 ? 0 : 1);
        if (k == 0)
            ok_eq(w->close_reason, EVE_CLOSE_LOCAL);
        if (k == 2)
            ok_eq(w->close_reason, EVE_CLOSE_PEER);
        ok_eq(w->error_calls, 0);
        ok(h_unsent(w) > 0 && h_unsent(w) <= (1 << 20), "unsent %lu", (unsigned long)h_unsent(w));
        win_raw_close(&pair.read_end, &pair.write_end);
        ok_eq(h_loop_close(loop), EVE_OK);
    }
}

H_TEST(kernel_write_invalid_handle)
{
    /* The handle is closed behind the end's back: the next WriteFile fails with
     * ERROR_INVALID_HANDLE: error(EVE_EBADF) then close(ERROR), in OPEN and in DRAINING. */
    int draining;

    for (draining = 0; draining < 2; draining++) {
        eve_loop *loop = h_loop_new();
        eve_pipe_pair pair = {NULL, NULL};
        h_pipe *w = h_pipe_new(NULL), *r = h_pipe_new(NULL);
        HANDLE hw;
        DWORD n;

        ok_eq(h_pair_create(&pair, NULL), EVE_OK);
        hw = pair.write_end;
        ok_eq(h_adopt_read(r, loop, &pair.read_end), EVE_OK);
        h_pair_took(&pair, 1);
        ok_eq(h_adopt_write(w, loop, &pair.write_end), EVE_OK);
        h_pair_took(&pair, 0);
        ok_eq(h_write(w, "first", 5), EVE_SEND_OK);  /* in flight, completes at once */
        ok_eq(h_write(w, "second", 6), EVE_SEND_OK); /* queued behind it */
        if (draining)
            ok_eq(h_close_graceful(w), EVE_OK);
        ok(CloseHandle(hw), "CloseHandle behind the end's back");
        ok(!WriteFile(hw, "x", 1, &n, NULL) && GetLastError() == ERROR_INVALID_HANDLE,
           "premise: a closed handle gives ERROR_INVALID_HANDLE");
        H_RUN_UNTIL(loop, w->close_calls == 1);
        ok_eq(w->error_calls, 1);
        ok_eq(w->last_error, EVE_EBADF);
        ok_eq(w->close_reason, EVE_CLOSE_ERROR);
        ok_eq(h_unsent(w), 6);
        H_RUN_UNTIL(loop, r->close_calls == 1);
        ok_eq(r->rx_bytes, 5);
        finish_loop(loop);
    }
}
