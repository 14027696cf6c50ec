/* pipe.c: an end's life cycle (spec/DECISIONS.md items 1, 3, 7, 8, 9): config, callbacks,
 * adopt, close, graceful close, dispose, free, and delivering the close once no I/O is
 * pending. Reading and writing live in pipe_read.c and pipe_write.c. */
#include <string.h>

#include "internal.h"

#include <winternl.h>

/* Apply defaults to *in (NULL: all defaults); 1 and *out set if the result is valid. */
static int eve__config_resolve(const eve_pipe_config *in, eve_pipe_config *out)
{
    eve_pipe_config c;

    memset(&c, 0, sizeof c);
    if (in)
        c = *in;
    if (c.buffer_size == 0)
        c.buffer_size = EVE_PIPE_DEFAULT_BUFFER_SIZE;
    if (c.high_water == 0)
        c.high_water = EVE_PIPE_DEFAULT_HIGH_WATER;
    if (c.low_water == 0)
        c.low_water = c.high_water / EVE_PIPE_DEFAULT_LOW_WATER_DIVISOR;
    if (c.max_write_batch == 0)
        c.max_write_batch = EVE_PIPE_DEFAULT_MAX_WRITE_BATCH;
    if (c.buffer_size > EVE_PIPE_MAX_BUFFER_SIZE || c.low_water > c.high_water)
        return 0;
    *out = c;
    return 1;
}

int eve_pipe_config_is_valid(const eve_pipe_config *config)
{
    eve_pipe_config c;
    return eve__config_resolve(config, &c);
}

const char *eve_spec_version(void)
{
    return EVE_SPEC_VERSION;
}

const char *eve_version(void)
{
    return EVE_VERSION_STRING;
}

int eve_pipe_create(const eve_pipe_config *config, eve_pipe **out)
{
    eve_pipe_config c;
    struct eve_pipe *pipe;

    if (out == NULL || !eve__config_resolve(config, &c))
        return EVE_EINVAL;
    pipe = eve__calloc(sizeof *pipe);
    if (pipe == NULL)
        return EVE_ENOMEM;
    pipe->cfg = c;
    pipe->state = EVE_PIPE_DETACHED;
    pipe->req.owner = pipe;
    pipe->cleaned = 1; /* nothing to clean until adopted */
    *out = pipe;
    return EVE_OK;
}

/* ---- callbacks ---- */

static int eve__pipe_can_register(const eve_pipe *pipe)
{
    if (pipe == NULL)
        return EVE_EINVAL;
    return pipe->state == EVE_PIPE_CLOSED ? EVE_EPIPE : EVE_OK;
}

#define EVE__DEFINE_ON(kind)                                                                      \
    int eve_pipe_on_##kind(eve_pipe *pipe, eve_pipe_##kind##_cb cb, void *user)                   \
    {                                                                                             \
        int rc = eve__pipe_can_register(pipe);                                                    \
        if (rc != EVE_OK)                                                                         \
            return rc;                                                                            \
        pipe->kind##_cb = cb;                                                                     \
        pipe->kind##_user = user;                                                                 \
        return EVE_OK;                                                                            \
    }
EVE__DEFINE_ON(data)
EVE__DEFINE_ON(writable)
EVE__DEFINE_ON(close)
EVE__DEFINE_ON(error)
#undef EVE__DEFINE_ON

void eve__pipe_enter(struct eve_pipe *pipe)
{
    pipe->busy++;
    pipe->loop->in_callback++;
}

void eve__pipe_leave(struct eve_pipe *pipe)
{
    pipe->loop->in_callback--;
    pipe->busy--;
}

/* ---- queries ---- */

int eve_pipe_is_open(const eve_pipe *pipe)
{
    if (pipe == NULL)
        return 0;
    return pipe->state == EVE_PIPE_OPEN || pipe->state == EVE_PIPE_PAUSED ||
           pipe->state == EVE_PIPE_DRAINING;
}

eve_pipe_state eve_pipe_state_of(const eve_pipe *pipe)
{
    return pipe ? pipe->state : EVE_PIPE_CLOSED;
}

size_t eve_pipe_unsent_bytes(const eve_pipe *pipe)
{
    return pipe ? pipe->unsent : 0;
}

size_t eve_pipe_write_queue_size(const eve_pipe *pipe)
{
    return pipe ? pipe->queued_bytes : 0;
}

/* ---- adopt ---- */

/* 0 if the handle's access rights are known and lack `right`. Neither this query nor the
 * next needs an access right of its own (libuv's uv_pipe_open asks both). */
static int eve__handle_has_right(HANDLE h, ACCESS_MASK right)
{
    IO_STATUS_BLOCK io;
    FILE_ACCESS_INFORMATION info;

    if (NtQueryInformationFile(h, &io, &info, sizeof info, FileAccessInformation) < 0)
        return 1; /* unknown: the first I/O decides, as a completion would */
    return (info.AccessFlags & right) != 0;
}

/* 1 if the handle is known to be opened for synchronous I/O: no completion port takes it. */
static int eve__handle_is_synchronous(HANDLE h)
{
    IO_STATUS_BLOCK io;
    FILE_MODE_INFORMATION info;

    if (NtQueryInformationFile(h, &io, &info, sizeof info, FileModeInformation) < 0)
        return 0; /* unknown: a failed bind tells (eve__bind_error) */
    return (info.Mode & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT)) != 0;
}

/* Everything that can refuse h as this role, checked before h is bound to the loop's
 * port: a binding cannot be undone, so once it is made the adopt succeeds (spec/README.md,
 * "Handles an implementation did not create"). Sets *quota to the pipe's buffer quota in
 * the direction this end writes, EVE__QUOTA_UNKNOWN if it cannot be read, and *byte_type
 * to 1 if the pipe is known to be of byte type (its reads never end with ERROR_MORE_DATA). */
static int eve__check_pipe_handle(HANDLE h, eve__role role, size_t *quota, int *byte_type)
{
    DWORD flags = 0;
    DWORD out_size = 0;
    DWORD in_size = 0;
    DWORD err;

    *quota = EVE__QUOTA_UNKNOWN;
    *byte_type = 0;
    /* GetFileType says PIPE for sockets too; GetNamedPipeInfo fails on them. */
    if (h == INVALID_HANDLE_VALUE || GetFileType(h) != FILE_TYPE_PIPE)
        return EVE_EBADF;
    if (GetNamedPipeInfo(h, &flags, &out_size, &in_size, NULL)) {
        *quota = (flags & PIPE_SERVER_END) ? out_size : in_size;
        *byte_type = (flags & PIPE_TYPE_MESSAGE) == 0;
        err = 0;
    } else {
        err = GetLastError();
    }
    /* Still pipes: a client whose server disconnected (its first I/O then ends the stream
     * with PEER, as on any end), and one opened without FILE_READ_ATTRIBUTES. */
    if (err != 0 && err != ERROR_PIPE_NOT_CONNECTED && err != ERROR_ACCESS_DENIED)
        return EVE_EBADF;
    if (eve__handle_is_synchronous(h))
        return EVE_EBADF;
    /* A write end must know its quota: exact unsent counting rests on it (pipe_write.c). */
    if (role == EVE__ROLE_WRITE && err == ERROR_ACCESS_DENIED)
        return EVE_EACCES;
    if (role == EVE__ROLE_READ && !eve__handle_has_right(h, FILE_READ_DATA))
        return EVE_EACCES;
    return EVE_OK;
}

/* Binding fails with ERROR_INVALID_PARAMETER both for a handle bound to another port and
 * for one opened without FILE_FLAG_OVERLAPPED (Windows and Wine refuse to bind those).
 * FileModeInformation told the second apart before binding; should that query have failed,
 * setting no completion-notification flag (a no-op) still tells them apart where the
 * system refuses it for synchronous handles, as Wine 8 does (ref/README.md, "Adopting
 * foreign handles"). */
static int eve__bind_error(HANDLE h, DWORD err)
{
    if (err != ERROR_INVALID_PARAMETER)
        return eve__map_win32(err);
    if (!SetFileCompletionNotificationModes(h, 0) && GetLastError() == ERROR_INVALID_PARAMETER)
        return EVE_EBADF;
    return EVE_EBUSY;
}

int eve__pipe_adopt(struct eve_pipe *pipe, eve_loop *loop, eve_os_handle *handle, eve__role role)
{
    HANDLE h;
    size_t quota;
    int byte_type;
    int rc;
    DWORD err;

    if (pipe == NULL || loop == NULL || handle == NULL || *handle == NULL)
        return EVE_EINVAL; /* T-DETACHED-A-ADOPT_READ-ADOPT_EINVAL (and _WRITE's) */
    if (pipe->state != EVE_PIPE_DETACHED)
        return EVE_EINVAL; /* T-OPEN-A-ADOPT_READ and the other states' rows */
    h = (HANDLE)*handle;
    rc = eve__check_pipe_handle(h, role, &quota, &byte_type);
    if (rc != EVE_OK)
        return rc; /* T-DETACHED-A-ADOPT_READ-ADOPT_EBADF, or -ADOPT_OSERR (EACCES) */
    if (role == EVE__ROLE_READ && eve__read_setup(pipe) != 0)
        return EVE_ENOMEM; /* T-DETACHED-A-ADOPT_READ-ADOPT_OSERR */
    if (CreateIoCompletionPort(h, loop->port, 0, 0) == NULL) {
        err = GetLastError();
        eve__block_put(NULL, pipe->rbuf, pipe->rbuf_size);
        pipe->rbuf = NULL;
        pipe->rbuf_cap = pipe->rbuf_size = 0;
        return eve__bind_error(h, err ? err : ERROR_INVALID_PARAMETER); /* _EBUSY, _EBADF */
    }
    /* Bound: from here on the end owns h, whatever its first I/O does. An I/O that
     * succeeds at issue then needs no packet: the loop takes it from its settled list,
     * which saves a dequeue per I/O (under Wine, a server round trip). Only on a byte-type
     * pipe, where such a success is the whole outcome; where the mode cannot be set, the
     * packets come as before. */
    pipe->handle = h;
    pipe->skip_port =
        byte_type && SetFileCompletionNotificationModes(h, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
    pipe->loop = loop;
    pipe->role = role;
    pipe->state = EVE_PIPE_OPEN;
    pipe->cleaned = 0;
    pipe->counted_live = 1;
    loop->live++;
    eve__loop_link(loop, pipe);
    if (role == EVE__ROLE_READ) {
        err = eve__read_issue(pipe);
        if (err != 0)
            eve__pipe_io_settled(pipe, err, 0); /* the loop ends it: error, then close */
    } else {
        eve__write_setup(pipe, quota);
    }
    *handle = NULL;
    return EVE_OK; /* T-DETACHED-A-ADOPT_READ-ADOPT_OK, T-DETACHED-A-ADOPT_WRITE-ADOPT_OK */
}

int eve_pipe_adopt_read(eve_pipe *pipe, eve_loop *loop, eve_os_handle *handle)
{
    return eve__pipe_adopt(pipe, loop, handle, EVE__ROLE_READ);
}

int eve_pipe_adopt_write(eve_pipe *pipe, eve_loop *loop, eve_os_handle *handle)
{
    return eve__pipe_adopt(pipe, loop, handle, EVE__ROLE_WRITE);
}

/* ---- closing ---- */

void eve__pipe_decide_close(struct eve_pipe *pipe, eve_pipe_close_reason reason, int err)
{
    if (pipe->close_decided)
        return;
    pipe->close_decided = 1;
    pipe->close_reason = reason;
    pipe->close_errno = err;
    pipe->writable_armed = 0;
    if (pipe->state != EVE_PIPE_CLOSED)
        pipe->state = EVE_PIPE_CLOSING;
    if (pipe->role != EVE__ROLE_READ)
        eve__write_drop_queued(pipe);
}

void eve__pipe_fail(struct eve_pipe *pipe, DWORD err)
{
    if (eve__is_peer_error(err))
        eve__pipe_decide_close(pipe, EVE_CLOSE_PEER, 0);
    else
        eve__pipe_decide_close(pipe, EVE_CLOSE_ERROR, eve__map_win32(err));
}

void eve__pipe_io_settled(struct eve_pipe *pipe, DWORD err, DWORD bytes)
{
    pipe->req.pending = 1;
    pipe->req.settled = 1;
    pipe->req.settled_err = err;
    pipe->req.settled_bytes = bytes;
    eve__loop_settle(pipe->loop, pipe);
}

void eve__pipe_io_done_at_issue(struct eve_pipe *pipe)
{
    DWORD bytes = 0;

    if (!pipe->skip_port) {
        pipe->req.pending = 1; /* its packet is on the port */
        return;
    }
    /* Done: the byte count is in the OVERLAPPED (no wait, nothing pends). */
    (void)GetOverlappedResult(pipe->handle, &pipe->req.ov, &bytes, FALSE);
    eve__pipe_io_settled(pipe, 0, bytes);
}

void eve__pipe_io_outcome(struct eve_pipe *pipe, DWORD err, DWORD bytes)
{
    pipe->req.pending = 0;
    if (pipe->req.type == EVE__REQ_READ)
        eve__read_done(pipe, err, bytes);
    else
        eve__write_done(pipe, err, bytes);
}

void eve__pipe_run_settled(struct eve_pipe *pipe)
{
    pipe->req.settled = 0;
    eve__pipe_io_outcome(pipe, pipe->req.settled_err, pipe->req.settled_bytes);
}

void eve__pipe_cancel(struct eve_pipe *pipe)
{
    /* ERROR_NOT_FOUND: it already completed and its packet is on the port. */
    if (pipe->req.pending && !pipe->req.settled)
        (void)CancelIoEx(pipe->handle, &pipe->req.ov);
}

static void eve__pipe_mark_closed(struct eve_pipe *pipe)
{
    pipe->state = EVE_PIPE_CLOSED;
    if (pipe->counted_live) {
        pipe->counted_live = 0;
        pipe->loop->live--;
    }
}

void eve__pipe_reap(struct eve_pipe *pipe)
{
    if (pipe->cleaned)
        return;
    pipe->cleaned = 1;
    eve__pipe_mark_closed(pipe);
    /* Only now, with no I/O pending, may the handle go: the kernel is done with our
     * OVERLAPPED and buffers, and the handle value cannot be reused under them. */
    if (pipe->handle)
        CloseHandle(pipe->handle);
    pipe->handle = NULL;
    eve__block_put(pipe->loop, pipe->rbuf, pipe->rbuf_size);
    pipe->rbuf = NULL;
    pipe->rbuf_cap = pipe->rbuf_size = 0;
    pipe->held = 0;
    eve__write_free_queue(pipe);
    if (pipe->loop)
        eve__loop_unlink(pipe->loop, pipe);
}

/* CLOSE_DUE (T-CLOSING-A-CLOSE_DUE): a close is decided and no I/O is pending, so the error
 * callback (reason ERROR) and the close callback are delivered, unless disposed. */
void eve__pipe_close_due(struct eve_pipe *pipe)
{
    if (!pipe->close_decided || pipe->req.pending || pipe->busy || pipe->cleaned)
        return;
    if (!pipe->disposed && pipe->close_reason == EVE_CLOSE_ERROR && pipe->error_cb) {
        eve__pipe_enter(pipe);
        pipe->error_cb(pipe, pipe->close_errno, pipe->error_user);
        eve__pipe_leave(pipe);
    }
    eve__pipe_mark_closed(pipe);
    if (!pipe->disposed && pipe->close_cb) {
        /* Cleaned first, so the owner may free it inside the callback. */
        eve__pipe_reap(pipe);
        eve__pipe_enter(pipe);
        pipe->close_cb(pipe, pipe->close_reason, pipe->close_user);
        eve__pipe_leave(pipe);
        return;
    }
    eve__pipe_reap(pipe);
}

void eve__pipe_close_due_later(struct eve_pipe *pipe)
{
    if (!pipe->close_decided || pipe->req.pending || pipe->cleaned)
        return;
    if (pipe->disposed && !pipe->busy) {
        eve__pipe_reap(pipe); /* nothing can call back: finish now */
        return;
    }
    eve__loop_defer(pipe->loop, pipe, EVE__DQ_CLOSE_DUE);
}

/* T-DRAINING-W-FLUSHED with nothing ever queued: close_graceful deferred it. */
static void eve__pipe_run_flushed(struct eve_pipe *pipe)
{
    if (pipe->state == EVE_PIPE_DRAINING && pipe->queued_bytes == 0 && !pipe->req.pending) {
        eve__pipe_decide_close(pipe, EVE_CLOSE_GRACEFUL, 0);
        eve__pipe_close_due(pipe);
    }
}

void eve__pipe_run_deferred(struct eve_pipe *pipe, unsigned what)
{
    if (what & EVE__DQ_FLUSHED)
        eve__pipe_run_flushed(pipe);
    if (what & EVE__DQ_HELD)
        eve__read_deliver_held(pipe);
    if (what & EVE__DQ_CLOSE_DUE)
        eve__pipe_close_due(pipe);
}

/* retire (T-*-A-FREE): the memory goes once the user freed the end and nothing refers to
 * it: not on the deferred FIFO, no callback on the stack, no I/O pending. */
void eve__pipe_retire(struct eve_pipe *pipe)
{
    if (pipe->freed_by_user && pipe->cleaned && !pipe->on_deferred && !pipe->busy &&
        !pipe->req.pending)
        eve__free(pipe);
}

int eve_pipe_close(eve_pipe *pipe)
{
    if (pipe == NULL)
        return EVE_EINVAL;
    switch (pipe->state) {
    case EVE_PIPE_DETACHED: /* T-DETACHED-A-CLOSE */
        pipe->state = EVE_PIPE_CLOSED;
        return EVE_OK;
    case EVE_PIPE_CLOSING: /* T-CLOSING-A-CLOSE, T-CLOSED-A-CLOSE */
    case EVE_PIPE_CLOSED:
        return EVE_EALREADY;
    default:
        break;
    }
    /* T-OPEN-A-CLOSE, T-PAUSED-R-CLOSE, T-DRAINING-W-CLOSE */
    eve__pipe_decide_close(pipe, EVE_CLOSE_LOCAL, 0);
    eve__pipe_cancel(pipe);
    eve__pipe_close_due_later(pipe);
    return EVE_OK;
}

int eve_pipe_close_graceful(eve_pipe *pipe)
{
    if (pipe == NULL)
        return EVE_EINVAL;
    if (pipe->state == EVE_PIPE_DRAINING)
        return EVE_EALREADY; /* T-DRAINING-W-CLOSE_GRACEFUL */
    /* T-OPEN-R-CLOSE_GRACEFUL, T-PAUSED-R-CLOSE_GRACEFUL and the other states: as close */
    if (pipe->state != EVE_PIPE_OPEN || pipe->role == EVE__ROLE_READ)
        return eve_pipe_close(pipe);
    /* T-OPEN-W-CLOSE_GRACEFUL */
    /* Always DRAINING, even with nothing queued: the loop closes it GRACEFUL once every
     * accepted byte is written (by a write completion, or FLUSHED right away). */
    pipe->state = EVE_PIPE_DRAINING;
    pipe->writable_armed = 0;
    if (pipe->queued_bytes == 0 && !pipe->req.pending)
        eve__loop_defer(pipe->loop, pipe, EVE__DQ_FLUSHED);
    return EVE_OK;
}

int eve_pipe_dispose(eve_pipe *pipe)
{
    if (pipe == NULL)
        return EVE_EINVAL;
    if (pipe->state == EVE_PIPE_CLOSED)
        return EVE_EALREADY;                /* T-CLOSED-A-DISPOSE */
    if (pipe->state == EVE_PIPE_DETACHED) { /* T-DETACHED-A-DISPOSE */
        pipe->state = EVE_PIPE_CLOSED;
        return EVE_OK;
    }
    /* T-OPEN-A-DISPOSE, T-PAUSED-A-DISPOSE, T-DRAINING-A-DISPOSE, T-CLOSING-A-DISPOSE */
    pipe->disposed = 1;
    eve__pipe_decide_close(pipe, EVE_CLOSE_LOCAL, 0);
    eve__pipe_mark_closed(pipe);
    eve__pipe_cancel(pipe);
    eve__pipe_close_due_later(pipe);
    return EVE_OK;
}

void eve_pipe_free(eve_pipe *pipe)
{
    if (pipe == NULL || pipe->freed_by_user)
        return;
    if (pipe->state != EVE_PIPE_CLOSED) /* T-*-A-FREE: dispose, then retire */
        (void)eve_pipe_dispose(pipe);
    pipe->disposed = 1; /* e.g. freed between its error and close callbacks */
    pipe->freed_by_user = 1;
    eve__pipe_retire(pipe);
}
