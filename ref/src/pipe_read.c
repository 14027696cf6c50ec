/* pipe_read.c: the read end (spec/DECISIONS.md item 5). One overlapped ReadFile of
 * buffer_size bytes at a time. Pause never cancels it: a completion that arrives while
 * PAUSED is held, with its status, and delivered after resume, from the loop. */
#include <string.h>

#include "internal.h"

DWORD eve__read_issue(struct eve_pipe *pipe)
{
    DWORD err;

    memset(&pipe->req.ov, 0, sizeof pipe->req.ov);
    pipe->req.type = EVE__REQ_READ;
    /* No FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: a synchronous success still queues a
     * packet, so every issued read is reaped by the loop exactly once. */
    if (ReadFile(pipe->handle, pipe->rbuf, (DWORD)pipe->cfg.buffer_size, NULL, &pipe->req.ov)) {
        pipe->req.pending = 1;
        return 0;
    }
    err = GetLastError();
    if (err == ERROR_IO_PENDING || err == ERROR_MORE_DATA) {
        pipe->req.pending = 1;
        return 0;
    }
    return err ? err : ERROR_INVALID_FUNCTION;
}

void eve__read_start(struct eve_pipe *pipe)
{
    DWORD err;

    /* in_data_cb: rbuf is still lent to the callback; the read follows its return. */
    if (pipe->state != EVE_PIPE_OPEN || pipe->req.pending || pipe->held || pipe->in_data_cb ||
        pipe->close_decided)
        return;
    err = eve__read_issue(pipe);
    if (err != 0)
        eve__pipe_io_failed(pipe, err);
}

/* Deliver one read completion to an OPEN end, then read on. From the loop only. */
static void eve__read_deliver(struct eve_pipe *pipe, DWORD err, DWORD bytes)
{
    if (err != 0) {
        eve__pipe_fail(pipe, err);
        eve__pipe_settle(pipe);
        return;
    }
    if (bytes > 0 && pipe->data_cb) {
        pipe->in_data_cb = 1;
        eve__pipe_enter(pipe);
        pipe->data_cb(pipe, pipe->rbuf, bytes, pipe->data_user);
        eve__pipe_leave(pipe);
        pipe->in_data_cb = 0;
    }
    if (pipe->close_decided) {
        eve__pipe_settle(pipe);
        return;
    }
    /* A 0-byte success is not EOF: just read again. */
    eve__read_start(pipe);
}

void eve__read_done(struct eve_pipe *pipe, DWORD err, DWORD bytes)
{
    if (err == ERROR_MORE_DATA)
        err = 0; /* a message pipe's longer message: the rest comes with the next read */
    if (pipe->close_decided) {
        eve__pipe_settle(pipe); /* closed or cancelled: the data goes nowhere */
        return;
    }
    if (pipe->state == EVE_PIPE_PAUSED) {
        if (err == 0 && bytes == 0)
            return; /* nothing to hold; resume issues the next read */
        pipe->held = 1;
        pipe->held_err = err;
        pipe->held_bytes = bytes;
        return;
    }
    eve__read_deliver(pipe, err, bytes);
}

void eve__read_deliver_held(struct eve_pipe *pipe)
{
    if (pipe->state != EVE_PIPE_OPEN || !pipe->held || pipe->close_decided)
        return;
    pipe->held = 0;
    eve__read_deliver(pipe, pipe->held_err, pipe->held_bytes);
}

static int eve__pause_check(const eve_pipe *pipe)
{
    /* The write end is checked before the state (transitions.tsv). */
    if (pipe == NULL || pipe->state == EVE_PIPE_DETACHED || pipe->is_write_end)
        return EVE_EINVAL;
    if (pipe->state == EVE_PIPE_CLOSING || pipe->state == EVE_PIPE_CLOSED)
        return EVE_EPIPE;
    return EVE_OK;
}

int eve_pipe_pause_reading(eve_pipe *pipe)
{
    int rc = eve__pause_check(pipe);
    if (rc != EVE_OK)
        return rc;
    if (pipe->state == EVE_PIPE_PAUSED)
        return EVE_EALREADY;
    pipe->state = EVE_PIPE_PAUSED;
    return EVE_OK;
}

int eve_pipe_resume_reading(eve_pipe *pipe)
{
    int rc = eve__pause_check(pipe);
    if (rc != EVE_OK)
        return rc;
    if (pipe->state == EVE_PIPE_OPEN)
        return EVE_EALREADY;
    pipe->state = EVE_PIPE_OPEN;
    if (pipe->held)
        eve__loop_defer(pipe->loop, pipe, EVE__DQ_HELD); /* never from inside resume */
    else
        eve__read_start(pipe);
    return EVE_OK;
}
