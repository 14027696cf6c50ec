/* eve_uv.c: eve/loop.h + eve/pipe.h on top of libuv's uv_pipe_t (Windows), built as a DLL
 * and validated by the conformance suite through tests/loader.
 *
 * The adapter maps the API onto libuv as directly as a careful libuv user would, and no
 * further: an eve_loop is a uv_loop_t, an end is a uv_pipe_t opened on the adopted HANDLE
 * (uv_pipe_open), pause/resume are uv_read_stop/uv_read_start, each eve_pipe_write is one
 * uv_write of a private copy, close is uv_close, graceful close is uv_shutdown then
 * uv_close, backpressure reads write_queue_size, pairs come from uv_pipe(). What libuv does
 * not do (the spec's buffer config, batching, one I/O in flight, precise unsent counts...)
 * is not emulated: the suite's failures are findings about libuv (README.md).
 *
 * Bookkeeping the adapter must do anyway, as any libuv user must: argument and state
 * checks, the callback nesting depth (libuv's uv_run is not reentrant), and keeping the
 * uv_pipe_t alive until its close callback even when the eve_pipe is freed first. */
#include <errno.h>
#include <io.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "eve/loop.h"
#include "eve/pipe.h"

/* ---- errors: libuv's codes -> eve's, and which of them mean "the other end is gone" ---- */

/* X(uv code, eve code, peer): peer 1 = a careful libuv user reads it as "peer gone"
 * (UV_EOF on a read, UV_EPIPE on a write; libuv 1.44.2 also reports ERROR_BROKEN_PIPE
 * as UV_EOF on writes). */
#define EVE_UV_ERRORS(X)                                                                          \
    X(UV_EOF, EVE_EPIPE, 1)                                                                       \
    X(UV_EPIPE, EVE_EPIPE, 1)                                                                     \
    X(UV_EBADF, EVE_EBADF, 0)                                                                     \
    X(UV_ENOTSOCK, EVE_EBADF, 0) /* libuv's "not a pipe" from uv_pipe_open */                     \
    X(UV_EAGAIN, EVE_EAGAIN, 0)                                                                   \
    X(UV_ENOMEM, EVE_ENOMEM, 0)                                                                   \
    X(UV_EACCES, EVE_EACCES, 0)                                                                   \
    X(UV_EBUSY, EVE_EBUSY, 0)                                                                     \
    X(UV_EEXIST, EVE_EEXIST, 0)                                                                   \
    X(UV_EINVAL, EVE_EINVAL, 0)                                                                   \
    X(UV_EMFILE, EVE_EMFILE, 0)                                                                   \
    X(UV_EALREADY, EVE_EALREADY, 0)                                                               \
    X(UV_ENOTCONN, EVE_ENOTCONN, 0)                                                               \
    X(UV_ENOBUFS, EVE_ENOBUFS, 0)                                                                 \
    X(UV_ECANCELED, EVE_ECANCELED, 0)                                                             \
    X(UV_EIO, EVE_EIO, 0)                                                                         \
    X(UV_ENOSYS, EVE_ENOSYS, 0)                                                                   \
    X(UV_ENOTSUP, EVE_ENOSYS, 0)

typedef struct eve_uv_err_row {
    int uv;
    int eve;
    int peer;
} eve_uv_err_row;

static const eve_uv_err_row eve_uv_err_rows[] = {
#define EVE_UV__ERR_ROW(uv, eve, peer) {uv, eve, peer},
    EVE_UV_ERRORS(EVE_UV__ERR_ROW)
#undef EVE_UV__ERR_ROW
};

static const eve_uv_err_row *eve_uv_err_find(int uv)
{
    size_t i;
    for (i = 0; i < sizeof eve_uv_err_rows / sizeof eve_uv_err_rows[0]; i++) {
        if (eve_uv_err_rows[i].uv == uv)
            return &eve_uv_err_rows[i];
    }
    return NULL;
}

static int eve_uv_err(int uv)
{
    const eve_uv_err_row *row;
    if (uv >= 0)
        return EVE_OK;
    row = eve_uv_err_find(uv);
    return row ? row->eve : EVE_EUNKNOWN;
}

static int eve_uv_is_peer(int uv)
{
    const eve_uv_err_row *row = eve_uv_err_find(uv);
    return row != NULL && row->peer;
}

/* ---- types ---- */

struct eve_loop {
    uv_loop_t uv;
    uv_async_t wake;
    eve_loop_wakeup_cb wake_cb;
    void *wake_user;
    int depth;   /* user callbacks running: eve_loop_run/close refuse inside them */
    size_t live; /* adopted ends not CLOSED: what eve_loop_run reports */
};

/* What libuv points at: lives until uv_close's callback, possibly after its eve_pipe. */
typedef struct eve_uv_end {
    uv_pipe_t h;
    eve_pipe *owner; /* NULL once the eve_pipe is freed */
    char *rbuf;
    size_t rcap;
} eve_uv_end;

struct eve_pipe {
    eve_pipe_config cfg;
    eve_pipe_state state;
    int is_read;
    eve_loop *loop;
    eve_uv_end *end; /* NULL before adopt and after uv_close's callback */
    eve_pipe_data_cb data_cb;
    void *data_user;
    eve_pipe_writable_cb writable_cb;
    void *writable_user;
    eve_pipe_close_cb close_cb;
    void *close_user;
    eve_pipe_error_cb error_cb;
    void *error_user;
    size_t unsent;
    int want_writable;         /* a write returned BACKPRESSURE */
    eve_pipe_close_reason why; /* decided when the close starts */
    int err;                   /* eve error for EVE_CLOSE_ERROR */
    int cb_depth;              /* this pipe's callbacks running */
    int free_later;            /* eve_pipe_free inside one of them */
};

typedef struct eve_uv_write {
    uv_write_t req;
    size_t len;
    char data[];
} eve_uv_write;

/* ---- callbacks into the user: nesting depth and free-inside-callback ---- */

/* Calls return 1 if the pipe is gone (freed inside the callback). */
static void eve_uv_enter(eve_pipe *p)
{
    p->cb_depth++;
    p->loop->depth++;
}

static int eve_uv_leave(eve_pipe *p)
{
    p->loop->depth--;
    if (--p->cb_depth == 0 && p->free_later) {
        free(p);
        return 1;
    }
    return 0;
}

/* ---- closing ---- */

static void eve_uv_set_closed(eve_pipe *p)
{
    if (p->loop != NULL && p->state != EVE_PIPE_DETACHED && p->state != EVE_PIPE_CLOSED)
        p->loop->live--;
    p->state = EVE_PIPE_CLOSED;
}

static void eve_uv_on_close(uv_handle_t *h)
{
    eve_uv_end *end = h->data;
    eve_pipe *p = end->owner;
    free(end->rbuf);
    free(end);
    if (p == NULL)
        return;
    p->end = NULL;
    if (p->state != EVE_PIPE_CLOSING)
        return; /* disposed: no callback */
    if (p->why == EVE_CLOSE_ERROR && p->error_cb != NULL) {
        eve_uv_enter(p);
        p->error_cb(p, p->err, p->error_user);
        if (eve_uv_leave(p) || p->state != EVE_PIPE_CLOSING)
            return;
    }
    eve_uv_set_closed(p);
    if (p->close_cb != NULL) {
        eve_uv_enter(p);
        p->close_cb(p, p->why, p->close_user);
        eve_uv_leave(p);
    }
}

static void eve_uv_start_close(eve_pipe *p, eve_pipe_close_reason why, int err)
{
    p->state = EVE_PIPE_CLOSING;
    p->why = why;
    p->err = err;
    p->want_writable = 0;
    if (p->end != NULL && !uv_is_closing((uv_handle_t *)&p->end->h))
        uv_close((uv_handle_t *)&p->end->h, eve_uv_on_close);
}

/* An I/O failure reported by libuv while the end is still open. */
static void eve_uv_fail(eve_pipe *p, int uverr)
{
    if (p->state == EVE_PIPE_OPEN || p->state == EVE_PIPE_PAUSED ||
        p->state == EVE_PIPE_DRAINING) {
        if (eve_uv_is_peer(uverr))
            eve_uv_start_close(p, EVE_CLOSE_PEER, EVE_OK);
        else
            eve_uv_start_close(p, EVE_CLOSE_ERROR, eve_uv_err(uverr));
    }
}

/* ---- loop ---- */

static void eve_uv_on_wake(uv_async_t *a)
{
    eve_loop *loop = a->data;
    if (loop->wake_cb != NULL) {
        loop->depth++;
        loop->wake_cb(loop, loop->wake_user);
        loop->depth--;
    }
}

EVE_API int eve_loop_create(eve_loop **out)
{
    eve_loop *loop;
    int rc;
    if (out == NULL)
        return EVE_EINVAL;
    loop = calloc(1, sizeof *loop);
    if (loop == NULL)
        return EVE_ENOMEM;
    rc = uv_loop_init(&loop->uv);
    if (rc == 0) {
        rc = uv_async_init(&loop->uv, &loop->wake, eve_uv_on_wake);
        if (rc != 0)
            uv_loop_close(&loop->uv);
    }
    if (rc != 0) {
        free(loop);
        return eve_uv_err(rc);
    }
    loop->wake.data = loop;
    uv_unref((uv_handle_t *)&loop->wake); /* the wakeup alone keeps nothing alive */
    *out = loop;
    return EVE_OK;
}

EVE_API int eve_loop_run(eve_loop *loop, eve_run_mode mode)
{
    static const uv_run_mode modes[] = {UV_RUN_DEFAULT, UV_RUN_ONCE, UV_RUN_NOWAIT};
    if (loop == NULL || (unsigned)mode > (unsigned)EVE_RUN_NOWAIT)
        return EVE_EINVAL;
    if (loop->depth > 0)
        return EVE_EBUSY;
    /* uv_run's own answer counts only active libuv handles: an idle write end or a
     * paused reader is not one, though the API counts it (README.md). */
    uv_run(&loop->uv, modes[mode]);
    return loop->live > 0;
}

EVE_API int eve_loop_stop(eve_loop *loop)
{
    if (loop == NULL)
        return EVE_EINVAL;
    uv_stop(&loop->uv);
    return EVE_OK;
}

EVE_API int eve_loop_wakeup(eve_loop *loop)
{
    if (loop == NULL)
        return EVE_EINVAL;
    return eve_uv_err(uv_async_send(&loop->wake));
}

EVE_API int eve_loop_on_wakeup(eve_loop *loop, eve_loop_wakeup_cb cb, void *user)
{
    if (loop == NULL)
        return EVE_EINVAL;
    loop->wake_cb = cb;
    loop->wake_user = user;
    return EVE_OK;
}

typedef struct eve_uv_walk {
    eve_loop *loop;
    int busy;
} eve_uv_walk;

/* A handle still owned by an end that is not CLOSED keeps the loop busy. */
static void eve_uv_walk_busy(uv_handle_t *h, void *arg)
{
    eve_uv_walk *walk = arg;
    eve_uv_end *end;
    if (h == (uv_handle_t *)&walk->loop->wake)
        return;
    end = h->data;
    if (!uv_is_closing(h) || (end->owner != NULL && end->owner->state != EVE_PIPE_CLOSED))
        walk->busy = 1;
}

EVE_API int eve_loop_close(eve_loop *loop)
{
    eve_uv_walk walk;
    if (loop == NULL)
        return EVE_EINVAL;
    if (loop->depth != 0)
        return EVE_EBUSY;
    walk.loop = loop;
    walk.busy = 0;
    uv_walk(&loop->uv, eve_uv_walk_busy, &walk);
    if (walk.busy)
        return EVE_EBUSY;
    /* Disposed ends and the wakeup: let libuv finish their closes, then free. */
    uv_close((uv_handle_t *)&loop->wake, NULL);
    uv_run(&loop->uv, UV_RUN_DEFAULT);
    if (uv_loop_close(&loop->uv) != 0)
        return EVE_EBUSY;
    free(loop);
    return EVE_OK;
}

/* ---- ends: config, creation, registration, state ---- */

static int eve_uv_resolve(const eve_pipe_config *in, eve_pipe_config *out)
{
    eve_pipe_config c = {0, 0, 0, 0};
    if (in != NULL)
        c = *in;
    if (c.buffer_size == 0)
        c.buffer_size = EVE_PIPE_DEFAULT_BUFFER_SIZE;
    if (c.high_water == 0)
        c.high_water = EVE_PIPE_DEFAULT_HIGH_WATER;
    if (c.low_water == 0)
        c.low_water = c.high_water / EVE_PIPE_DEFAULT_LOW_WATER_DIVISOR;
    if (c.max_write_batch == 0)
        c.max_write_batch = EVE_PIPE_DEFAULT_MAX_WRITE_BATCH;
    *out = c;
    return c.buffer_size <= EVE_PIPE_MAX_BUFFER_SIZE && c.low_water <= c.high_water;
}

EVE_API int eve_pipe_config_is_valid(const eve_pipe_config *config)
{
    eve_pipe_config c;
    return eve_uv_resolve(config, &c);
}

EVE_API int eve_pipe_create(const eve_pipe_config *config, eve_pipe **out)
{
    eve_pipe *p;
    eve_pipe_config c;
    if (out == NULL || !eve_uv_resolve(config, &c))
        return EVE_EINVAL;
    p = calloc(1, sizeof *p);
    if (p == NULL)
        return EVE_ENOMEM;
    p->cfg = c;
    p->state = EVE_PIPE_DETACHED;
    p->is_read = -1;
    *out = p;
    return EVE_OK;
}

/* X(kind, callback type) */
#define EVE_UV_CALLBACKS(X)                                                                       \
    X(data, eve_pipe_data_cb)                                                                     \
    X(writable, eve_pipe_writable_cb)                                                             \
    X(close, eve_pipe_close_cb)                                                                   \
    X(error, eve_pipe_error_cb)

#define EVE_UV__ON(kind, type)                                                                    \
    EVE_API int eve_pipe_on_##kind(eve_pipe *pipe, type cb, void *user)                           \
    {                                                                                             \
        if (pipe == NULL)                                                                         \
            return EVE_EINVAL;                                                                    \
        if (pipe->state == EVE_PIPE_CLOSED)                                                       \
            return EVE_EPIPE;                                                                     \
        pipe->kind##_cb = cb;                                                                     \
        pipe->kind##_user = user;                                                                 \
        return EVE_OK;                                                                            \
    }
EVE_UV_CALLBACKS(EVE_UV__ON)
#undef EVE_UV__ON

EVE_API int eve_pipe_is_open(const eve_pipe *pipe)
{
    return pipe != NULL && (pipe->state == EVE_PIPE_OPEN || pipe->state == EVE_PIPE_PAUSED ||
                            pipe->state == EVE_PIPE_DRAINING);
}

EVE_API eve_pipe_state eve_pipe_state_of(const eve_pipe *pipe)
{
    return pipe == NULL ? EVE_PIPE_CLOSED : pipe->state;
}

/* ---- adopt ---- */

static void eve_uv_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    eve_uv_end *end = h->data;
    (void)suggested; /* libuv suggests 64 KiB; the end's configured buffer is used */
    *buf = uv_buf_init(end->rbuf, (unsigned)end->rcap);
}

static void eve_uv_on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    eve_uv_end *end = s->data;
    eve_pipe *p = end->owner;
    (void)buf;
    if (p == NULL || nread == 0)
        return; /* libuv's "nothing this time" */
    if (nread < 0) {
        eve_uv_fail(p, (int)nread);
        return;
    }
    if (p->data_cb != NULL) {
        eve_uv_enter(p);
        p->data_cb(p, (const uint8_t *)buf->base, (size_t)nread, p->data_user);
        eve_uv_leave(p);
    }
}

/* uv_pipe_open takes a CRT descriptor on Windows, not a HANDLE. */
static int eve_uv_open(eve_uv_end *end, HANDLE h)
{
    int fd = _open_osfhandle((intptr_t)h, 0);
    int rc;
    if (fd == -1)
        return errno == EMFILE ? UV_EMFILE : UV_EBADF;
    rc = uv_pipe_open(&end->h, fd);
    /* On failure the caller keeps its handle, but the CRT cannot hand a HANDLE back
     * without closing it: the descriptor slot is left behind (README.md). On success
     * libuv keeps descriptors above 2 and closes them with the handle; for 0-2 it took a
     * duplicate, so ours goes (closing the original, which the pipe now owns). */
    if (rc == 0 && fd <= 2)
        _close(fd);
    return rc;
}

static int eve_uv_adopt(eve_pipe *pipe, eve_loop *loop, eve_os_handle *handle, int is_read)
{
    eve_uv_end *end;
    int rc;
    if (pipe == NULL || loop == NULL || handle == NULL || *handle == NULL ||
        pipe->state != EVE_PIPE_DETACHED)
        return EVE_EINVAL;
    end = calloc(1, sizeof *end);
    if (end == NULL)
        return EVE_ENOMEM;
    end->rcap = pipe->cfg.buffer_size;
    end->rbuf = is_read ? malloc(end->rcap) : NULL;
    rc = (is_read && end->rbuf == NULL) ? UV_ENOMEM : uv_pipe_init(&loop->uv, &end->h, 0);
    if (rc != 0) {
        free(end->rbuf);
        free(end);
        return eve_uv_err(rc);
    }
    end->h.data = end;
    rc = eve_uv_open(end, *handle);
    if (rc != 0) {
        uv_close((uv_handle_t *)&end->h, eve_uv_on_close); /* owner NULL: just freed */
        return eve_uv_err(rc);
    }
    *handle = NULL; /* libuv owns it now */
    end->owner = pipe;
    pipe->end = end;
    pipe->loop = loop;
    pipe->is_read = is_read;
    pipe->state = EVE_PIPE_OPEN;
    loop->live++;
    /* uv_read_start refuses e.g. a handle without read access: the handle is libuv's
     * already, so the end fails like any I/O, from the loop. */
    if (is_read) {
        rc = uv_read_start((uv_stream_t *)&end->h, eve_uv_alloc, eve_uv_on_read);
        if (rc != 0)
            eve_uv_fail(pipe, rc);
    }
    return EVE_OK;
}

EVE_API int eve_pipe_adopt_read(eve_pipe *pipe, eve_loop *loop, eve_os_handle *handle)
{
    return eve_uv_adopt(pipe, loop, handle, 1);
}

EVE_API int eve_pipe_adopt_write(eve_pipe *pipe, eve_loop *loop, eve_os_handle *handle)
{
    return eve_uv_adopt(pipe, loop, handle, 0);
}

/* ---- writes ---- */

EVE_API size_t eve_pipe_write_queue_size(const eve_pipe *pipe)
{
    if (pipe == NULL || pipe->end == NULL)
        return 0;
    return uv_stream_get_write_queue_size((const uv_stream_t *)&pipe->end->h);
}

static void eve_uv_on_write(uv_write_t *req, int status)
{
    eve_uv_write *w = (eve_uv_write *)req;
    eve_uv_end *end = req->handle->data;
    eve_pipe *p = end->owner;
    size_t len = w->len;
    free(w);
    if (p == NULL)
        return;
    if (status < 0) {
        /* libuv does not say how much of a failed write went out. A failure while
         * the end is closing is the close's own cancellation: eve_uv_fail ignores it. */
        p->unsent += len;
        eve_uv_fail(p, status);
        return;
    }
    if (p->want_writable && p->state == EVE_PIPE_OPEN &&
        eve_pipe_write_queue_size(p) <= p->cfg.low_water) {
        p->want_writable = 0;
        if (p->writable_cb != NULL) {
            eve_uv_enter(p);
            p->writable_cb(p, p->writable_user);
            eve_uv_leave(p);
        }
    }
}

EVE_API eve_send_result eve_pipe_write(eve_pipe *pipe, const void *data, size_t len)
{
    eve_uv_write *w;
    uv_buf_t buf;
    int rc;
    if (pipe == NULL || pipe->state == EVE_PIPE_DETACHED || pipe->is_read)
        return EVE_SEND_INVALID;
    if (pipe->state != EVE_PIPE_OPEN)
        return EVE_SEND_CLOSED;
    if (data == NULL && len > 0)
        return EVE_SEND_INVALID;
    if (len == 0)
        return EVE_SEND_OK;
    /* One uv_buf_t per write; its length is a ULONG on Windows. */
    if (len > 0xFFFFFFFFu || len > SIZE_MAX - sizeof *w)
        return EVE_SEND_NOMEM;
    w = malloc(sizeof *w + len);
    if (w == NULL)
        return EVE_SEND_NOMEM;
    memcpy(w->data, data, len);
    w->len = len;
    buf = uv_buf_init(w->data, (unsigned)len);
    rc = uv_write(&w->req, (uv_stream_t *)&pipe->end->h, &buf, 1, eve_uv_on_write);
    if (rc == UV_ENOMEM) {
        free(w);
        return EVE_SEND_NOMEM;
    }
    if (rc != 0) {
        /* libuv failed the WriteFile at once (e.g. the reader is gone). The API has no
         * "failed" result: the bytes count as accepted and unsent, and the end closes
         * from the loop, as for a failure libuv reports in the write callback. */
        free(w);
        pipe->unsent += len;
        eve_uv_fail(pipe, rc);
        return EVE_SEND_OK;
    }
    if (eve_pipe_write_queue_size(pipe) > pipe->cfg.high_water) {
        pipe->want_writable = 1;
        return EVE_SEND_BACKPRESSURE;
    }
    return EVE_SEND_OK;
}

/* ---- pause / resume ---- */

static int eve_uv_read_check(const eve_pipe *pipe)
{
    if (pipe == NULL || pipe->state == EVE_PIPE_DETACHED || !pipe->is_read)
        return EVE_EINVAL;
    if (pipe->state == EVE_PIPE_CLOSING || pipe->state == EVE_PIPE_CLOSED)
        return EVE_EPIPE;
    return EVE_OK;
}

EVE_API int eve_pipe_pause_reading(eve_pipe *pipe)
{
    int rc = eve_uv_read_check(pipe);
    if (rc != EVE_OK)
        return rc;
    if (pipe->state == EVE_PIPE_PAUSED)
        return EVE_EALREADY;
    rc = uv_read_stop((uv_stream_t *)&pipe->end->h);
    if (rc != 0)
        return eve_uv_err(rc);
    pipe->state = EVE_PIPE_PAUSED;
    return EVE_OK;
}

EVE_API int eve_pipe_resume_reading(eve_pipe *pipe)
{
    int rc = eve_uv_read_check(pipe);
    if (rc != EVE_OK)
        return rc;
    if (pipe->state == EVE_PIPE_OPEN)
        return EVE_EALREADY;
    rc = uv_read_start((uv_stream_t *)&pipe->end->h, eve_uv_alloc, eve_uv_on_read);
    if (rc != 0)
        return eve_uv_err(rc);
    pipe->state = EVE_PIPE_OPEN;
    return EVE_OK;
}

/* ---- close, graceful close, dispose, free ---- */

EVE_API int eve_pipe_close(eve_pipe *pipe)
{
    if (pipe == NULL)
        return EVE_EINVAL;
    if (pipe->state == EVE_PIPE_CLOSING || pipe->state == EVE_PIPE_CLOSED)
        return EVE_EALREADY;
    if (pipe->state == EVE_PIPE_DETACHED) {
        pipe->state = EVE_PIPE_CLOSED;
        return EVE_OK;
    }
    eve_uv_start_close(pipe, EVE_CLOSE_LOCAL, EVE_OK);
    return EVE_OK;
}

static void eve_uv_on_shutdown(uv_shutdown_t *req, int status)
{
    eve_uv_end *end = req->handle->data;
    eve_pipe *p = end->owner;
    free(req);
    if (p == NULL || p->state != EVE_PIPE_DRAINING)
        return; /* closed or disposed meanwhile: libuv cancelled the shutdown */
    if (status == 0)
        eve_uv_start_close(p, EVE_CLOSE_GRACEFUL, EVE_OK);
    else
        eve_uv_fail(p, status);
}

EVE_API int eve_pipe_close_graceful(eve_pipe *pipe)
{
    uv_shutdown_t *req;
    int rc;
    if (pipe == NULL)
        return EVE_EINVAL;
    if (pipe->state == EVE_PIPE_DRAINING)
        return EVE_EALREADY;
    if (pipe->is_read != 0 || pipe->state != EVE_PIPE_OPEN)
        return eve_pipe_close(pipe); /* read end, detached, closing or closed */
    req = calloc(1, sizeof *req);
    if (req == NULL)
        return EVE_ENOMEM;
    rc = uv_shutdown(req, (uv_stream_t *)&pipe->end->h, eve_uv_on_shutdown);
    if (rc != 0) {
        free(req);
        eve_uv_fail(pipe, rc);
        return EVE_OK;
    }
    pipe->state = EVE_PIPE_DRAINING;
    return EVE_OK;
}

EVE_API int eve_pipe_dispose(eve_pipe *pipe)
{
    if (pipe == NULL)
        return EVE_EINVAL;
    if (pipe->state == EVE_PIPE_CLOSED)
        return EVE_EALREADY;
    eve_uv_set_closed(pipe);
    pipe->want_writable = 0;
    if (pipe->end != NULL && !uv_is_closing((uv_handle_t *)&pipe->end->h))
        uv_close((uv_handle_t *)&pipe->end->h, eve_uv_on_close);
    return EVE_OK;
}

EVE_API size_t eve_pipe_unsent_bytes(const eve_pipe *pipe)
{
    return pipe == NULL ? 0 : pipe->unsent;
}

EVE_API void eve_pipe_free(eve_pipe *pipe)
{
    if (pipe == NULL)
        return;
    if (pipe->state != EVE_PIPE_CLOSED)
        eve_pipe_dispose(pipe);
    if (pipe->end != NULL)
        pipe->end->owner = NULL; /* libuv may still call back about the handle */
    pipe->end = NULL;
    if (pipe->cb_depth > 0)
        pipe->free_later = 1;
    else
        free(pipe);
}

EVE_API const char *eve_spec_version(void)
{
    return EVE_SPEC_VERSION;
}

/* ---- pairs: libuv's own uv_pipe() ---- */

/* uv_pipe returns CRT descriptors: take the HANDLE out (inheritable only if asked). */
static int eve_uv_fd_to_handle(uv_file fd, unsigned flags, eve_os_handle *out)
{
    HANDLE h = (HANDLE)_get_osfhandle(fd);
    HANDLE dup;
    BOOL ok = DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &dup, 0,
                              (flags & EVE_PIPE_END_INHERIT) != 0, DUPLICATE_SAME_ACCESS);
    int rc = ok ? 0 : uv_translate_sys_error((int)GetLastError());
    _close(fd);
    *out = ok ? dup : NULL;
    return rc;
}

EVE_API int eve_pipe_pair_create(eve_pipe_pair *pair, const eve_pipe_pair_options *options)
{
    const unsigned known = EVE_PIPE_END_SYNC | EVE_PIPE_END_INHERIT;
    unsigned rf = options ? options->read_flags : 0;
    unsigned wf = options ? options->write_flags : 0;
    uv_file fds[2];
    int rc, rc2;
    if (pair == NULL)
        return EVE_EINVAL;
    pair->read_end = NULL;
    pair->write_end = NULL;
    if ((rf & ~known) != 0 || (wf & ~known) != 0)
        return EVE_EINVAL;
    /* kernel_buffer_size has no uv_pipe() equivalent: libuv picks the pipe's quota. */
    rc = uv_pipe(fds, (rf & EVE_PIPE_END_SYNC) ? 0 : UV_NONBLOCK_PIPE,
                 (wf & EVE_PIPE_END_SYNC) ? 0 : UV_NONBLOCK_PIPE);
    if (rc != 0)
        return eve_uv_err(rc);
    rc = eve_uv_fd_to_handle(fds[0], rf, &pair->read_end);
    rc2 = eve_uv_fd_to_handle(fds[1], wf, &pair->write_end);
    if (rc == 0)
        rc = rc2;
    if (rc != 0) {
        eve_pipe_pair_close(pair);
        return eve_uv_err(rc);
    }
    return EVE_OK;
}

EVE_API int eve_pipe_pair_close(eve_pipe_pair *pair)
{
    if (pair == NULL)
        return EVE_EINVAL;
    if (pair->read_end != NULL)
        CloseHandle(pair->read_end);
    if (pair->write_end != NULL)
        CloseHandle(pair->write_end);
    pair->read_end = NULL;
    pair->write_end = NULL;
    return EVE_OK;
}

EVE_API int eve_pipe_pair_is_valid(const eve_pipe_pair *pair)
{
    return pair != NULL && pair->read_end != NULL && pair->write_end != NULL;
}
