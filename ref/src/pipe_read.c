/* pipe_read.c: the read end (spec/DECISIONS.md item 5). One overlapped ReadFile at a
 * time. Pause never cancels it: a completion that arrives while PAUSED is held, with its
 * status, and delivered after resume, from the loop.
 *
 * The buffer follows traffic, so an open end that nothing is written to costs little:
 *  - an end waits for data with EVE__READ_MIN bytes;
 *  - a read that comes back full means more is waiting: the next one is at least
 *    EVE__READ_SHRINK times larger, and at once large enough for what PeekNamedPipe says
 *    is waiting (up to buffer_size). A gradual climb would cost a read per step, and a
 *    buffer larger than the traffic costs fresh pages, which many pairs feel;
 *  - a read that brings at most 1/EVE__READ_SHRINK of a large buffer says the traffic no
 *    longer needs it: if PeekNamedPipe finds nothing waiting, the end goes back to the
 *    small buffer before it waits.
 * So a stream keeps its large buffer between reads, and an end whose traffic stopped gives
 * it back at its next small read. Ping-pong (small reads into the small buffer) never
 * pays for a peek. */
#include <string.h>

#include "internal.h"

#define EVE__READ_MIN ((size_t)512)
#define EVE__READ_SHRINK 8

static size_t eve__read_min(const struct eve_pipe *pipe)
{
    return pipe->cfg.buffer_size < EVE__READ_MIN ? pipe->cfg.buffer_size : EVE__READ_MIN;
}

int eve__read_setup(struct eve_pipe *pipe)
{
    pipe->rbuf_cap = eve__read_min(pipe);
    pipe->rbuf = eve__block_get(NULL, pipe->rbuf_cap, &pipe->rbuf_size);
    pipe->rlast = 0;
    if (pipe->rbuf == NULL)
        pipe->rbuf_cap = 0;
    return pipe->rbuf ? 0 : -1;
}

/* The size of the next read, from how the last one ended. */
static size_t eve__read_next_cap(struct eve_pipe *pipe)
{
    size_t cap = pipe->rbuf_cap;
    size_t max = pipe->cfg.buffer_size;
    DWORD avail = 0;

    if (pipe->rlast >= cap) {
        size_t next = cap > max / EVE__READ_SHRINK ? max : cap * EVE__READ_SHRINK;
        /* Only below the bound is there anything to size (a stream at buffer_size pays no
         * peek); a failed peek leaves the step: EOF or an error comes with the read. */
        if (next < max && PeekNamedPipe(pipe->handle, NULL, 0, NULL, &avail, NULL))
            while (next < max && next < avail)
                next = next > max / 2 ? max : next * 2;
        return next;
    }
    if (cap <= eve__read_min(pipe) || pipe->rlast > cap / EVE__READ_SHRINK)
        return cap;
    if (PeekNamedPipe(pipe->handle, NULL, 0, NULL, &avail, NULL) && avail > 0)
        return cap;             /* still flowing */
    return eve__read_min(pipe); /* drained: wait small (a failed peek: EOF comes next) */
}

/* Give rbuf `cap` bytes; short of memory, the old buffer serves (any size reads). */
static void eve__read_resize(struct eve_pipe *pipe, size_t cap)
{
    uint8_t *buf;
    size_t size;

    if (cap == pipe->rbuf_cap)
        return;
    buf = eve__block_get(pipe->loop, cap, &size);
    if (buf == NULL)
        return;
    eve__block_put(pipe->loop, pipe->rbuf, pipe->rbuf_size);
    pipe->rbuf = buf;
    pipe->rbuf_cap = cap;
    pipe->rbuf_size = size;
}

DWORD eve__read_issue(struct eve_pipe *pipe)
{
    DWORD err;

    memset(&pipe->req.ov, 0, sizeof pipe->req.ov);
    pipe->req.type = EVE__REQ_READ;
    /* Every issued read is processed by the loop exactly once: from its packet, or, when
     * it succeeds at once on a skip_port handle (no packet), from the settled list. */
    if (ReadFile(pipe->handle, pipe->rbuf, (DWORD)pipe->rbuf_cap, NULL, &pipe->req.ov)) {
        eve__pipe_io_done_at_issue(pipe);
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
    eve__read_resize(pipe, eve__read_next_cap(pipe));
    err = eve__read_issue(pipe);
    if (err != 0)
        eve__pipe_io_settled(pipe, err, 0);
}

/* Deliver one read completion to an OPEN end, then read on. From the loop only. */
static void eve__read_deliver(struct eve_pipe *pipe, DWORD err, DWORD bytes)
{
    pipe->rlast = bytes;
    if (err != 0) { /* T-OPEN-R-K_READ_EOF, _ERROR, _CANCELLED: close decided */
        eve__pipe_fail(pipe, err);
        eve__pipe_close_due(pipe);
        return;
    }
    if (bytes > 0 && pipe->data_cb) { /* T-OPEN-R-K_READ_DATA */
        pipe->in_data_cb = 1;
        eve__pipe_enter(pipe);
        pipe->data_cb(pipe, pipe->rbuf, bytes, pipe->data_user);
        eve__pipe_leave(pipe);
        pipe->in_data_cb = 0;
    }
    if (pipe->close_decided) {
        eve__pipe_close_due(pipe);
        return;
    }
    /* A 0-byte success is not EOF: just read again (T-OPEN-R-K_READ_ZERO). */
    eve__read_start(pipe);
}

void eve__read_done(struct eve_pipe *pipe, DWORD err, DWORD bytes)
{
    if (err == ERROR_MORE_DATA)
        err = 0; /* a message pipe's longer message: the rest comes with the next read */
    if (pipe->close_decided) {
        /* Reap: closed or cancelled, the data goes nowhere (T-CLOSING-R-K_READ_*,
         * T-CLOSED-R-K_READ_*). */
        eve__pipe_close_due(pipe);
        return;
    }
    if (pipe->state == EVE_PIPE_PAUSED) { /* hold: T-PAUSED-R-K_READ_* */
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
    if (pipe == NULL || pipe->state == EVE_PIPE_DETACHED || pipe->role == EVE__ROLE_WRITE)
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
        return EVE_EALREADY;       /* T-PAUSED-R-PAUSE */
    pipe->state = EVE_PIPE_PAUSED; /* T-OPEN-R-PAUSE */
    return EVE_OK;
}

int eve_pipe_resume_reading(eve_pipe *pipe)
{
    int rc = eve__pause_check(pipe);
    if (rc != EVE_OK)
        return rc;
    if (pipe->state == EVE_PIPE_OPEN)
        return EVE_EALREADY;     /* T-OPEN-R-RESUME */
    pipe->state = EVE_PIPE_OPEN; /* T-PAUSED-R-RESUME: release_held or issue_read */
    if (pipe->held)
        eve__loop_defer(pipe->loop, pipe, EVE__DQ_HELD); /* never from inside resume */
    else
        eve__read_start(pipe);
    return EVE_OK;
}
