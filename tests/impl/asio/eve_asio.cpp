/* eve_asio.cpp: eve/loop.h + eve/pipe.h on top of standalone Asio's
 * asio::windows::stream_handle, built as a DLL and validated by the conformance suite
 * through tests/loader.
 *
 * The adapter maps the API onto Asio as directly as a careful Asio user would, and no
 * further: an eve_loop is an asio::io_context, an end is a stream_handle assigned the
 * adopted HANDLE, a read end keeps one async_read_some of its buffer in flight (pause stops
 * issuing reads and holds what a pending one brings), a write end keeps its own queue of
 * writes and one asio::async_write of its head in flight (backpressure compares the queued
 * bytes with the config's marks), close is cancel + close of the handle, graceful close
 * waits for the queue to empty first, wakeup is asio::post from any thread, and the run
 * modes are run/run_one/poll. What Asio does not do is not emulated: the suite's failures
 * are findings about Asio (README.md).
 *
 * Bookkeeping the adapter must do anyway, as any Asio user must: argument and state
 * checks, the callback nesting depth, and keeping an end's memory (its buffers, its
 * stream_handle) alive until every handler that refers to it has run, even when the
 * eve_pipe is freed first. */
#include <atomic>
#include <cstdint>
#include <cstring>
#include <deque>
#include <new>
#include <optional>
#include <vector>

#include <asio/connect_pipe.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/windows/stream_handle.hpp>
#include <asio/write.hpp>

#include "eve/loop.h"
#include "eve/pipe.h"

namespace
{

/* ---- errors: what Asio reports -> eve's numbers, and what ends an end as PEER ---- */

enum class outcome { peer, cancel, error };

struct mapped {
    int eve;
    outcome how;
};

/* On Windows Asio reports I/O failures as Win32 codes in its system category (plus its own
 * asio::error::eof for ERROR_HANDLE_EOF); the numbers follow the API's table of Win32
 * errors (spec/errors.tsv). X(Win32 code, eve error, outcome). */
#define EVE_ASIO_WIN32_ERRORS(X)                                                                  \
    X(ERROR_HANDLE_EOF, EVE_EPIPE, outcome::peer)                                                 \
    X(ERROR_BROKEN_PIPE, EVE_EPIPE, outcome::peer)                                                \
    X(ERROR_NO_DATA, EVE_EPIPE, outcome::peer)                                                    \
    X(ERROR_PIPE_NOT_CONNECTED, EVE_ENOTCONN, outcome::peer)                                      \
    X(ERROR_OPERATION_ABORTED, EVE_ECANCELED, outcome::cancel)                                    \
    X(ERROR_NOT_ENOUGH_QUOTA, EVE_ENOBUFS, outcome::error)                                        \
    X(ERROR_NO_SYSTEM_RESOURCES, EVE_ENOBUFS, outcome::error)                                     \
    X(ERROR_NOT_ENOUGH_MEMORY, EVE_ENOMEM, outcome::error)                                        \
    X(ERROR_OUTOFMEMORY, EVE_ENOMEM, outcome::error)                                              \
    X(ERROR_INVALID_HANDLE, EVE_EBADF, outcome::error)                                            \
    X(ERROR_ACCESS_DENIED, EVE_EACCES, outcome::error)                                            \
    X(ERROR_INVALID_PARAMETER, EVE_EINVAL, outcome::error)                                        \
    X(ERROR_PIPE_BUSY, EVE_EBUSY, outcome::error)                                                 \
    X(ERROR_FILE_EXISTS, EVE_EEXIST, outcome::error)                                              \
    X(ERROR_ALREADY_EXISTS, EVE_EEXIST, outcome::error)                                           \
    X(ERROR_TOO_MANY_OPEN_FILES, EVE_EMFILE, outcome::error)                                      \
    X(ERROR_INVALID_FUNCTION, EVE_ENOSYS, outcome::error)                                         \
    X(ERROR_NOT_SUPPORTED, EVE_ENOSYS, outcome::error)

mapped map_error(const asio::error_code &ec)
{
    if (ec == asio::error::eof)
        return {EVE_EPIPE, outcome::peer};
    if (ec.category() == asio::system_category()) {
        switch (ec.value()) {
#define EVE_ASIO__CASE(win32, eve, how)                                                           \
    case win32:                                                                                   \
        return {eve, how};
            EVE_ASIO_WIN32_ERRORS(EVE_ASIO__CASE)
#undef EVE_ASIO__CASE
        default:
            break;
        }
    }
    /* Asio's own codes for checks it makes before any Win32 call. */
    if (ec == asio::error::bad_descriptor)
        return {EVE_EBADF, outcome::error};
    if (ec == asio::error::no_memory)
        return {EVE_ENOMEM, outcome::error};
    if (ec == asio::error::invalid_argument)
        return {EVE_EINVAL, outcome::error};
    if (ec == asio::error::operation_not_supported)
        return {EVE_ENOSYS, outcome::error};
    return {EVE_EUNKNOWN, outcome::error};
}

} // namespace

/* ---- types ---- */

struct eve_loop {
    asio::io_context ctx;
    /* Held while an adopted end is not CLOSED: an idle write end or a paused reader has no
     * operation in flight, and without outstanding work io_context::run returns at once. */
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> busy;
    std::atomic<bool> wake_owed{false}; /* a posted wakeup has not run yet */
    eve_loop_wakeup_cb wake_cb = nullptr;
    void *wake_user = nullptr;
    int depth = 0;   /* user callbacks running: eve_loop_run/close refuse inside them */
    size_t live = 0; /* adopted ends not CLOSED */
};

struct eve_pipe {
    eve_pipe_config cfg{};
    eve_pipe_state state = EVE_PIPE_DETACHED;
    int is_read = -1;
    eve_loop *loop = nullptr;
    std::optional<asio::windows::stream_handle> h; /* from adopt until its last handler */
    eve_pipe_data_cb data_cb = nullptr;
    void *data_user = nullptr;
    eve_pipe_writable_cb writable_cb = nullptr;
    void *writable_user = nullptr;
    eve_pipe_close_cb close_cb = nullptr;
    void *close_user = nullptr;
    eve_pipe_error_cb error_cb = nullptr;
    void *error_user = nullptr;

    /* Read end: one async_read_some into rbuf at a time; while paused its result waits. */
    std::vector<uint8_t> rbuf;
    bool reading = false;
    bool held = false;
    asio::error_code held_ec;
    size_t held_len = 0;

    /* Write end: the queue; its head is in flight while `writing`. */
    std::deque<std::vector<uint8_t>> wq;
    size_t queued = 0;
    bool writing = false;
    bool want_writable = false; /* a write returned BACKPRESSURE */
    size_t unsent = 0;

    int pending = 0; /* handlers not yet run that refer to this end */
    eve_pipe_close_reason why = EVE_CLOSE_LOCAL;
    int err = EVE_OK; /* eve error for EVE_CLOSE_ERROR */
    int cb_depth = 0; /* this end's callbacks running */
    bool freed = false;
};

namespace
{

/* ---- callbacks into the user: nesting depth and free-inside-callback ---- */

void enter(eve_pipe *p)
{
    p->cb_depth++;
    p->loop->depth++;
}

/* The end is deleted once freed, with no handler and no callback of it left. */
bool reap(eve_pipe *p)
{
    if (!p->freed || p->pending > 0 || p->cb_depth > 0)
        return false;
    delete p;
    return true;
}

/* Returns true if the end is gone or freed: the caller must not go on with it. */
bool leave(eve_pipe *p)
{
    p->loop->depth--;
    p->cb_depth--;
    return p->freed ? (reap(p), true) : false;
}

/* ---- closing ---- */

void set_closed(eve_pipe *p)
{
    if (p->loop != nullptr && p->state != EVE_PIPE_DETACHED && p->state != EVE_PIPE_CLOSED &&
        --p->loop->live == 0)
        p->loop->busy.reset();
    p->state = EVE_PIPE_CLOSED;
}

/* Queued writes not in flight are dropped and counted; the one in flight counts what its
 * handler says did not go out. */
void drop_queue(eve_pipe *p)
{
    while (p->wq.size() > (p->writing ? 1u : 0u)) {
        p->unsent += p->wq.back().size();
        p->queued -= p->wq.back().size();
        p->wq.pop_back();
    }
    p->want_writable = false;
}

/* Called whenever a handler of the end has run: once none is left, a closing end gets
 * its close callback (error first for ERROR) and the handle object goes. */
void settle(eve_pipe *p)
{
    if (p->pending > 0 || reap(p))
        return;
    if (p->state != EVE_PIPE_CLOSING && p->state != EVE_PIPE_CLOSED)
        return;
    p->h.reset();
    if (p->state != EVE_PIPE_CLOSING)
        return; /* disposed: no callback */
    if (p->why == EVE_CLOSE_ERROR && p->error_cb != nullptr) {
        enter(p);
        p->error_cb(p, p->err, p->error_user);
        if (leave(p) || p->state != EVE_PIPE_CLOSING)
            return;
    }
    set_closed(p);
    if (p->close_cb != nullptr) {
        enter(p);
        p->close_cb(p, p->why, p->close_user);
        leave(p);
    }
}

/* Close the handle now (Asio completes what is in flight with operation_aborted); the
 * close callback follows from the loop once every handler has run. */
void close_handle(eve_pipe *p)
{
    asio::error_code ignored;
    if (p->h && p->h->is_open()) {
        p->h->cancel(ignored);
        p->h->close(ignored);
    }
}

void start_close(eve_pipe *p, eve_pipe_close_reason why, int err)
{
    p->state = EVE_PIPE_CLOSING;
    p->why = why;
    p->err = err;
    p->held = false;
    drop_queue(p);
    close_handle(p);
    /* Even with nothing in flight, the callback comes from the loop, never from inside
     * the call that closed. */
    p->pending++;
    asio::post(p->loop->ctx, [p] {
        p->pending--;
        settle(p);
    });
}

/* An I/O failure reported by Asio while the end is still open. */
void fail(eve_pipe *p, const asio::error_code &ec)
{
    if (p->state != EVE_PIPE_OPEN && p->state != EVE_PIPE_PAUSED && p->state != EVE_PIPE_DRAINING)
        return;
    mapped m = map_error(ec);
    if (m.how == outcome::peer)
        start_close(p, EVE_CLOSE_PEER, EVE_OK);
    else
        start_close(p, EVE_CLOSE_ERROR, m.eve);
}

/* ---- reads ---- */

void start_read(eve_pipe *p);

/* A read's result while the end is OPEN: data (then the next read) or the end. */
void deliver(eve_pipe *p, const asio::error_code &ec, size_t len)
{
    if (ec) {
        fail(p, ec);
        return;
    }
    if (len > 0 && p->data_cb != nullptr) {
        enter(p);
        p->data_cb(p, p->rbuf.data(), len, p->data_user);
        if (leave(p))
            return;
    }
    if (p->state == EVE_PIPE_OPEN && !p->reading && !p->held)
        start_read(p);
}

void on_read(eve_pipe *p, const asio::error_code &ec, size_t len)
{
    p->pending--;
    p->reading = false;
    if (p->state == EVE_PIPE_PAUSED) {
        /* Paused with this read in flight: keep its result for resume. */
        p->held = true;
        p->held_ec = ec;
        p->held_len = len;
    } else if (p->state == EVE_PIPE_OPEN && !p->freed) {
        deliver(p, ec, len);
        return;
    }
    settle(p);
}

void start_read(eve_pipe *p)
{
    p->reading = true;
    p->pending++;
    p->h->async_read_some(asio::buffer(p->rbuf),
                          [p](const asio::error_code &ec, size_t len) { on_read(p, ec, len); });
}

/* ---- writes ---- */

void start_write(eve_pipe *p);

void on_write(eve_pipe *p, const asio::error_code &ec, size_t written)
{
    size_t len = p->wq.front().size();
    p->pending--;
    p->writing = false;
    p->wq.pop_front();
    p->queued -= len;
    if (ec) {
        /* asio::async_write reports how much of the buffer went out before the failure. */
        p->unsent += len - written;
        fail(p, ec);
        settle(p);
        return;
    }
    if (p->state == EVE_PIPE_DRAINING && p->wq.empty()) {
        start_close(p, EVE_CLOSE_GRACEFUL, EVE_OK);
    } else if ((p->state == EVE_PIPE_OPEN || p->state == EVE_PIPE_DRAINING) && !p->wq.empty()) {
        start_write(p);
    }
    if (p->want_writable && p->state == EVE_PIPE_OPEN && p->queued <= p->cfg.low_water) {
        p->want_writable = false;
        if (p->writable_cb != nullptr) {
            enter(p);
            p->writable_cb(p, p->writable_user);
            if (leave(p))
                return;
        }
    }
    settle(p);
}

void start_write(eve_pipe *p)
{
    p->writing = true;
    p->pending++;
    asio::async_write(*p->h, asio::buffer(p->wq.front()),
                      [p](const asio::error_code &ec, size_t n) { on_write(p, ec, n); });
}

/* ---- config ---- */

bool resolve(const eve_pipe_config *in, eve_pipe_config *out)
{
    eve_pipe_config c = {0, 0, 0, 0};
    if (in != nullptr)
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

int adopt(eve_pipe *p, eve_loop *loop, eve_os_handle *handle, int is_read)
{
    if (p == nullptr || loop == nullptr || handle == nullptr || *handle == nullptr ||
        p->state != EVE_PIPE_DETACHED)
        return EVE_EINVAL;
    asio::error_code ec;
    try {
        if (is_read)
            p->rbuf.resize(p->cfg.buffer_size);
        p->h.emplace(loop->ctx);
        if (loop->live == 0)
            loop->busy.emplace(loop->ctx.get_executor());
    } catch (const std::bad_alloc &) {
        p->h.reset();
        p->rbuf = std::vector<uint8_t>();
        return EVE_ENOMEM;
    }
    /* stream_handle::assign binds the handle to the io_context's completion port; on
     * failure the handle is untouched and stays the caller's. */
    p->h->assign(*handle, ec);
    if (ec) {
        p->h.reset();
        p->rbuf = std::vector<uint8_t>();
        if (loop->live == 0)
            loop->busy.reset();
        return map_error(ec).eve;
    }
    *handle = nullptr;
    p->loop = loop;
    p->is_read = is_read;
    p->state = EVE_PIPE_OPEN;
    loop->live++;
    if (is_read)
        start_read(p);
    return EVE_OK;
}

int read_check(const eve_pipe *p)
{
    if (p == nullptr || p->state == EVE_PIPE_DETACHED || !p->is_read)
        return EVE_EINVAL;
    if (p->state == EVE_PIPE_CLOSING || p->state == EVE_PIPE_CLOSED)
        return EVE_EPIPE;
    return EVE_OK;
}

/* Asio's pair is never inheritable; a user who needs that asks Win32 for it. */
int make_inheritable(HANDLE h, unsigned flags)
{
    if ((flags & EVE_PIPE_END_INHERIT) == 0)
        return EVE_OK;
    if (SetHandleInformation(h, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT))
        return EVE_OK;
    return map_error(asio::error_code(static_cast<int>(GetLastError()), asio::system_category()))
        .eve;
}

} // namespace

extern "C" {

/* ---- loop ---- */

EVE_API int eve_loop_create(eve_loop **out)
{
    if (out == nullptr)
        return EVE_EINVAL;
    try {
        *out = new eve_loop();
    } catch (const std::bad_alloc &) {
        return EVE_ENOMEM;
    } catch (const asio::system_error &e) {
        return map_error(e.code()).eve;
    }
    return EVE_OK;
}

EVE_API int eve_loop_run(eve_loop *loop, eve_run_mode mode)
{
    if (loop == nullptr || static_cast<unsigned>(mode) > static_cast<unsigned>(EVE_RUN_NOWAIT))
        return EVE_EINVAL;
    if (loop->depth > 0)
        return EVE_EBUSY;
    asio::error_code ec;
    if (mode == EVE_RUN_DEFAULT)
        loop->ctx.run(ec);
    else if (mode == EVE_RUN_ONCE)
        loop->ctx.run_one(ec);
    else
        loop->ctx.poll(ec);
    /* run() ends stopped when work runs out or stop() was called; the next run must
     * start afresh (a stop() made before this run was consumed by it). */
    if (loop->ctx.stopped())
        loop->ctx.restart();
    if (ec)
        return map_error(ec).eve;
    return loop->live > 0 ? 1 : 0;
}

EVE_API int eve_loop_stop(eve_loop *loop)
{
    if (loop == nullptr)
        return EVE_EINVAL;
    loop->ctx.stop();
    return EVE_OK;
}

EVE_API int eve_loop_wakeup(eve_loop *loop)
{
    if (loop == nullptr)
        return EVE_EINVAL;
    /* Coalesced: while one posted wakeup has not run, later calls share it. */
    if (loop->wake_owed.exchange(true))
        return EVE_OK;
    try {
        asio::post(loop->ctx, [loop] {
            loop->wake_owed.store(false);
            if (loop->wake_cb != nullptr) {
                loop->depth++;
                loop->wake_cb(loop, loop->wake_user);
                loop->depth--;
            }
        });
    } catch (const std::bad_alloc &) {
        loop->wake_owed.store(false);
        return EVE_ENOMEM;
    }
    return EVE_OK;
}

EVE_API int eve_loop_on_wakeup(eve_loop *loop, eve_loop_wakeup_cb cb, void *user)
{
    if (loop == nullptr)
        return EVE_EINVAL;
    loop->wake_cb = cb;
    loop->wake_user = user;
    return EVE_OK;
}

EVE_API int eve_loop_close(eve_loop *loop)
{
    if (loop == nullptr)
        return EVE_EINVAL;
    if (loop->depth != 0 || loop->live > 0)
        return EVE_EBUSY;
    /* Disposed ends' handlers: their handles are closed, so they complete; run them so
     * that each end's memory goes before the io_context does. */
    asio::error_code ec;
    loop->ctx.restart();
    loop->ctx.run(ec);
    delete loop;
    return EVE_OK;
}

/* ---- ends ---- */

EVE_API int eve_pipe_config_is_valid(const eve_pipe_config *config)
{
    eve_pipe_config c;
    return resolve(config, &c) ? 1 : 0;
}

EVE_API int eve_pipe_create(const eve_pipe_config *config, eve_pipe **out)
{
    eve_pipe_config c;
    if (out == nullptr || !resolve(config, &c))
        return EVE_EINVAL;
    eve_pipe *p = new (std::nothrow) eve_pipe();
    if (p == nullptr)
        return EVE_ENOMEM;
    p->cfg = c;
    *out = p;
    return EVE_OK;
}

/* X(kind, callback type) */
#define EVE_ASIO_CALLBACKS(X)                                                                     \
    X(data, eve_pipe_data_cb)                                                                     \
    X(writable, eve_pipe_writable_cb)                                                             \
    X(close, eve_pipe_close_cb)                                                                   \
    X(error, eve_pipe_error_cb)

#define EVE_ASIO__ON(kind, type)                                                                  \
    EVE_API int eve_pipe_on_##kind(eve_pipe *pipe, type cb, void *user)                           \
    {                                                                                             \
        if (pipe == nullptr)                                                                      \
            return EVE_EINVAL;                                                                    \
        if (pipe->state == EVE_PIPE_CLOSED)                                                       \
            return EVE_EPIPE;                                                                     \
        pipe->kind##_cb = cb;                                                                     \
        pipe->kind##_user = user;                                                                 \
        return EVE_OK;                                                                            \
    }
EVE_ASIO_CALLBACKS(EVE_ASIO__ON)
#undef EVE_ASIO__ON

EVE_API int eve_pipe_is_open(const eve_pipe *pipe)
{
    return pipe != nullptr && (pipe->state == EVE_PIPE_OPEN || pipe->state == EVE_PIPE_PAUSED ||
                               pipe->state == EVE_PIPE_DRAINING);
}

EVE_API eve_pipe_state eve_pipe_state_of(const eve_pipe *pipe)
{
    return pipe == nullptr ? EVE_PIPE_CLOSED : pipe->state;
}

EVE_API int eve_pipe_adopt_read(eve_pipe *pipe, eve_loop *loop, eve_os_handle *handle)
{
    return adopt(pipe, loop, handle, 1);
}

EVE_API int eve_pipe_adopt_write(eve_pipe *pipe, eve_loop *loop, eve_os_handle *handle)
{
    return adopt(pipe, loop, handle, 0);
}

EVE_API eve_send_result eve_pipe_write(eve_pipe *pipe, const void *data, size_t len)
{
    if (pipe == nullptr || pipe->state == EVE_PIPE_DETACHED || pipe->is_read)
        return EVE_SEND_INVALID;
    if (pipe->state != EVE_PIPE_OPEN)
        return EVE_SEND_CLOSED;
    if (data == nullptr && len > 0)
        return EVE_SEND_INVALID;
    if (len == 0)
        return EVE_SEND_OK;
    /* One WriteFile takes a DWORD length. */
    if (len > 0xFFFFFFFFu)
        return EVE_SEND_NOMEM;
    try {
        const uint8_t *bytes = static_cast<const uint8_t *>(data);
        pipe->wq.emplace_back(bytes, bytes + len);
    } catch (const std::bad_alloc &) {
        return EVE_SEND_NOMEM;
    }
    pipe->queued += len;
    if (!pipe->writing)
        start_write(pipe);
    if (pipe->queued > pipe->cfg.high_water) {
        pipe->want_writable = true;
        return EVE_SEND_BACKPRESSURE;
    }
    return EVE_SEND_OK;
}

EVE_API size_t eve_pipe_write_queue_size(const eve_pipe *pipe)
{
    return pipe == nullptr ? 0 : pipe->queued;
}

EVE_API int eve_pipe_pause_reading(eve_pipe *pipe)
{
    int rc = read_check(pipe);
    if (rc != EVE_OK)
        return rc;
    if (pipe->state == EVE_PIPE_PAUSED)
        return EVE_EALREADY;
    /* Asio has no "stop reading": a read in flight stays in flight; its result is held. */
    pipe->state = EVE_PIPE_PAUSED;
    return EVE_OK;
}

EVE_API int eve_pipe_resume_reading(eve_pipe *pipe)
{
    int rc = read_check(pipe);
    if (rc != EVE_OK)
        return rc;
    if (pipe->state == EVE_PIPE_OPEN)
        return EVE_EALREADY;
    pipe->state = EVE_PIPE_OPEN;
    if (pipe->held) {
        /* Deliver the held result from the loop, not from inside this call. */
        pipe->pending++;
        asio::post(pipe->loop->ctx, [pipe] {
            pipe->pending--;
            if (pipe->state == EVE_PIPE_OPEN && pipe->held && !pipe->freed) {
                pipe->held = false;
                deliver(pipe, pipe->held_ec, pipe->held_len);
                return;
            }
            settle(pipe);
        });
    } else if (!pipe->reading) {
        start_read(pipe);
    }
    return EVE_OK;
}

EVE_API int eve_pipe_close(eve_pipe *pipe)
{
    if (pipe == nullptr)
        return EVE_EINVAL;
    if (pipe->state == EVE_PIPE_CLOSING || pipe->state == EVE_PIPE_CLOSED)
        return EVE_EALREADY;
    if (pipe->state == EVE_PIPE_DETACHED) {
        pipe->state = EVE_PIPE_CLOSED;
        return EVE_OK;
    }
    start_close(pipe, EVE_CLOSE_LOCAL, EVE_OK);
    return EVE_OK;
}

EVE_API int eve_pipe_close_graceful(eve_pipe *pipe)
{
    if (pipe == nullptr)
        return EVE_EINVAL;
    if (pipe->state == EVE_PIPE_DRAINING)
        return EVE_EALREADY;
    if (pipe->is_read != 0 || pipe->state != EVE_PIPE_OPEN)
        return eve_pipe_close(pipe); /* read end, detached, closing or closed */
    pipe->want_writable = false;
    pipe->state = EVE_PIPE_DRAINING;
    if (!pipe->wq.empty())
        return EVE_OK; /* on_write closes once the queue is empty */
    /* Nothing to flush: the end is flushed as seen from the loop, like any other time. */
    pipe->pending++;
    asio::post(pipe->loop->ctx, [pipe] {
        pipe->pending--;
        if (pipe->state == EVE_PIPE_DRAINING && pipe->wq.empty())
            start_close(pipe, EVE_CLOSE_GRACEFUL, EVE_OK);
        else
            settle(pipe);
    });
    return EVE_OK;
}

EVE_API int eve_pipe_dispose(eve_pipe *pipe)
{
    if (pipe == nullptr)
        return EVE_EINVAL;
    if (pipe->state == EVE_PIPE_CLOSED)
        return EVE_EALREADY;
    set_closed(pipe);
    pipe->held = false;
    drop_queue(pipe);
    close_handle(pipe);
    if (pipe->pending == 0)
        pipe->h.reset();
    return EVE_OK;
}

EVE_API size_t eve_pipe_unsent_bytes(const eve_pipe *pipe)
{
    return pipe == nullptr ? 0 : pipe->unsent;
}

EVE_API void eve_pipe_free(eve_pipe *pipe)
{
    if (pipe == nullptr)
        return;
    if (pipe->state != EVE_PIPE_CLOSED)
        eve_pipe_dispose(pipe);
    pipe->freed = true;
    reap(pipe); /* else the last handler or callback of the end deletes it */
}

EVE_API const char *eve_spec_version(void)
{
    return EVE_SPEC_VERSION;
}

/* ---- pairs: Asio's own ---- */

EVE_API int eve_pipe_pair_create(eve_pipe_pair *pair, const eve_pipe_pair_options *options)
{
    const unsigned known = EVE_PIPE_END_SYNC | EVE_PIPE_END_INHERIT;
    unsigned rf = options ? options->read_flags : 0;
    unsigned wf = options ? options->write_flags : 0;
    if (pair == nullptr)
        return EVE_EINVAL;
    pair->read_end = nullptr;
    pair->write_end = nullptr;
    if ((rf & ~known) != 0 || (wf & ~known) != 0)
        return EVE_EINVAL;
    /* Asio makes both ends overlapped, with no way to ask otherwise. */
    if (((rf | wf) & EVE_PIPE_END_SYNC) != 0)
        return EVE_ENOSYS;
    /* asio::connect_pipe would bind both handles to an io_context at once, and Asio's pipes
     * cannot give a handle back unbound; detail::create_pipe is the pair it makes. The
     * kernel buffer size has no equivalent: Asio asks for 8 KiB. */
    asio::detail::native_pipe_handle h[2];
    asio::error_code ec;
    asio::detail::create_pipe(h, ec);
    if (ec)
        return map_error(ec).eve;
    pair->read_end = h[0];
    pair->write_end = h[1];
    int rc = make_inheritable(h[0], rf);
    if (rc == EVE_OK)
        rc = make_inheritable(h[1], wf);
    if (rc != EVE_OK)
        eve_pipe_pair_close(pair);
    return rc;
}

EVE_API int eve_pipe_pair_close(eve_pipe_pair *pair)
{
    if (pair == nullptr)
        return EVE_EINVAL;
    if (pair->read_end != nullptr)
        CloseHandle(pair->read_end);
    if (pair->write_end != nullptr)
        CloseHandle(pair->write_end);
    pair->read_end = nullptr;
    pair->write_end = nullptr;
    return EVE_OK;
}

EVE_API int eve_pipe_pair_is_valid(const eve_pipe_pair *pair)
{
    return pair != nullptr && pair->read_end != nullptr && pair->write_end != nullptr;
}

} /* extern "C" */
