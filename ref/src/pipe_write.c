/* pipe_write.c: the write end (spec/DECISIONS.md items 6, 7). Each eve_pipe_write copies
 * into a chunk on a FIFO. One WriteFile is in flight; when it completes, the chunks queued
 * behind it are coalesced into the next one (up to max_write_batch), so many small writes
 * cost few system calls. A lone or large chunk is written from its own memory. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

#define EVE__MAX_WRITEFILE ((size_t)0x7FFFFFFF)

/* Each WriteFile is at most the pipe's buffer quota (and max_write_batch). Why: a
 * cancelled WriteFile reports 0 bytes even when the reader already took part of it (Wine
 * 8 does; Windows' count on ERROR_OPERATION_ABORTED is not reliable either), so close
 * could not count unsent bytes exactly. A WriteFile no larger than the quota pends only
 * while the buffer is full and completes as soon as the reader takes any of it, so
 * whatever is still pending at cancel time was not read. A pipe with a quota of 0 buffers
 * nothing: a write completes only once read, so only a 1-byte WriteFile cannot be cut in
 * two by a cancel; slow, but exact. A quota that cannot be read (a client whose server is
 * gone, where every write fails anyway) leaves max_write_batch alone. */
void eve__write_setup(struct eve_pipe *pipe, size_t quota)
{
    size_t cap = pipe->cfg.max_write_batch;

    if (quota == 0)
        quota = 1;
    if (quota < cap)
        cap = quota;
    pipe->write_cap = cap < EVE__MAX_WRITEFILE ? cap : EVE__MAX_WRITEFILE;
}

void eve__write_free_queue(struct eve_pipe *pipe)
{
    eve__chunk *c = pipe->qhead;
    while (c) {
        eve__chunk *next = c->next;
        eve__block_put(pipe->loop, c, c->size);
        c = next;
    }
    pipe->qhead = pipe->qtail = NULL;
    eve__block_put(pipe->loop, pipe->wbuf, pipe->wbuf_cap);
    pipe->wbuf = NULL;
    pipe->wbuf_cap = 0;
}

void eve__write_drop_queued(struct eve_pipe *pipe)
{
    /* The in-flight part is settled by its completion; its memory stays until then. */
    pipe->unsent += pipe->queued_bytes - pipe->inflight;
    pipe->queued_bytes = pipe->inflight;
    if (!pipe->req.pending)
        eve__write_free_queue(pipe);
}

/* Mark bytes written: advance and free chunks from the head. */
static void eve__write_consume(struct eve_pipe *pipe, size_t bytes)
{
    pipe->queued_bytes -= bytes;
    while (bytes > 0 && pipe->qhead) {
        eve__chunk *c = pipe->qhead;
        size_t rem = c->len - c->off;
        if (bytes < rem) {
            c->off += bytes;
            return;
        }
        bytes -= rem;
        pipe->qhead = c->next;
        if (pipe->qhead == NULL)
            pipe->qtail = NULL;
        eve__block_put(pipe->loop, c, c->size);
    }
}

/* Copy whole chunks from the head into wbuf while they fit in the batch bound. Returns
 * the bytes copied, or 0 when coalescing would not help (or wbuf cannot grow). */
static size_t eve__write_coalesce(struct eve_pipe *pipe)
{
    size_t bound = pipe->write_cap;
    size_t total = 0;
    size_t n = 0;
    const eve__chunk *c;

    for (c = pipe->qhead; c && total + (c->len - c->off) <= bound; c = c->next, n++)
        total += c->len - c->off;
    if (n < 2)
        return 0;
    if (pipe->wbuf_cap < total) {
        size_t cap = pipe->wbuf_cap ? pipe->wbuf_cap : 4096;
        uint8_t *buf;
        while (cap < total)
            cap = cap > bound / 2 ? bound : cap * 2;
        buf = eve__block_get(pipe->loop, cap, &cap);
        if (buf == NULL)
            return 0; /* not fatal: write the head chunk alone */
        eve__block_put(pipe->loop, pipe->wbuf, pipe->wbuf_cap);
        pipe->wbuf = buf;
        pipe->wbuf_cap = cap;
    }
    total = 0;
    for (c = pipe->qhead; n > 0; c = c->next, n--) {
        memcpy(pipe->wbuf + total, c->data + c->off, c->len - c->off);
        total += c->len - c->off;
    }
    return total;
}

void eve__write_start(struct eve_pipe *pipe)
{
    const uint8_t *buf;
    size_t len;
    DWORD err;

    if (pipe->req.pending || pipe->qhead == NULL || pipe->close_decided)
        return;
    if (pipe->state != EVE_PIPE_OPEN && pipe->state != EVE_PIPE_DRAINING)
        return;
    len = eve__write_coalesce(pipe);
    if (len > 0) {
        buf = pipe->wbuf;
    } else {
        buf = pipe->qhead->data + pipe->qhead->off;
        len = pipe->qhead->len - pipe->qhead->off;
        if (len > pipe->write_cap)
            len = pipe->write_cap; /* the rest goes in the next WriteFile */
    }
    memset(&pipe->req.ov, 0, sizeof pipe->req.ov);
    pipe->req.type = EVE__REQ_WRITE;
    pipe->inflight = len;
    if (WriteFile(pipe->handle, buf, (DWORD)len, NULL, &pipe->req.ov)) {
        eve__pipe_io_done_at_issue(pipe);
        return;
    }
    err = GetLastError();
    if (err == ERROR_IO_PENDING) {
        pipe->req.pending = 1;
        return;
    }
    pipe->inflight = 0;
    eve__pipe_io_settled(pipe, err ? err : ERROR_INVALID_FUNCTION, 0);
}

void eve__write_done(struct eve_pipe *pipe, DWORD err, DWORD bytes)
{
    /* A cancelled WriteFile's count is not trustworthy (dotnet/runtime#57229). */
    size_t done = err == ERROR_OPERATION_ABORTED ? 0 : bytes;

    if (done > pipe->inflight)
        done = pipe->inflight;

    pipe->inflight = 0;
    eve__write_consume(pipe, done);
    if (pipe->close_decided) {
        /* Reap: closed or cancelled, what the WriteFile did not write is unsent
         * (T-CLOSING-W-K_WRITE_*, T-CLOSED-W-K_WRITE_*). */
        pipe->unsent += pipe->queued_bytes;
        pipe->queued_bytes = 0;
        eve__write_free_queue(pipe);
        eve__pipe_close_due(pipe);
        return;
    }
    if (err != 0) { /* T-OPEN-W-K_WRITE_PEER, _ERROR, _CANCELLED (and DRAINING's) */
        eve__pipe_fail(pipe, err);
        eve__pipe_close_due(pipe);
        return;
    }
    if (pipe->state == EVE_PIPE_DRAINING && pipe->queued_bytes == 0) { /* T-DRAINING-W-FLUSHED */
        eve__pipe_decide_close(pipe, EVE_CLOSE_GRACEFUL, 0);
        eve__pipe_close_due(pipe);
        return;
    }
    eve__write_start(pipe);
    /* T-OPEN-W-K_WRITE_FULL-WAKE / -PARTIAL-WAKE (else the NO_WAKE rows) */
    if (pipe->writable_armed && pipe->queued_bytes <= pipe->cfg.low_water &&
        pipe->state == EVE_PIPE_OPEN) {
        pipe->writable_armed = 0;
        if (pipe->writable_cb) {
            eve__pipe_enter(pipe);
            pipe->writable_cb(pipe, pipe->writable_user);
            eve__pipe_leave(pipe);
        }
    }
}

eve_send_result eve_pipe_write(eve_pipe *pipe, const void *data, size_t len)
{
    eve__chunk *c;
    size_t size;
    eve_send_result result;

    /* T-NONE-A-WRITE, T-DETACHED-A-WRITE, T-*-R-WRITE */
    if (pipe == NULL || pipe->state == EVE_PIPE_DETACHED || pipe->role == EVE__ROLE_READ)
        return EVE_SEND_INVALID;
    if (pipe->state != EVE_PIPE_OPEN)
        return EVE_SEND_CLOSED; /* T-DRAINING-W-WRITE, T-CLOSING-W-WRITE, T-CLOSED-NW-WRITE */
    if (data == NULL && len > 0)
        return EVE_SEND_INVALID; /* T-OPEN-W-WRITE-WRITE_NULL_DATA */
    if (len == 0)
        return EVE_SEND_OK; /* T-OPEN-W-WRITE-WRITE_EMPTY */
    /* No C object exceeds PTRDIFF_MAX: refuse before asking (sanitizers abort on it). */
    if (len > (size_t)PTRDIFF_MAX - sizeof *c)
        return EVE_SEND_NOMEM;
    c = eve__block_get(pipe->loop, sizeof *c + len, &size);
    if (c == NULL)
        return EVE_SEND_NOMEM; /* T-OPEN-W-WRITE-WRITE_NOMEM */
    memcpy(c->data, data, len);
    c->next = NULL;
    c->size = size;
    c->len = len;
    c->off = 0;
    if (pipe->qtail)
        pipe->qtail->next = c;
    else
        pipe->qhead = c;
    pipe->qtail = c;
    pipe->queued_bytes += len;
    result = EVE_SEND_OK; /* T-OPEN-W-WRITE-WRITE_WITHIN, or _OVER: */
    if (pipe->queued_bytes > pipe->cfg.high_water) {
        pipe->writable_armed = 1;
        result = EVE_SEND_BACKPRESSURE;
    }
    eve__write_start(pipe);
    return result;
}
