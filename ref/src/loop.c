/* loop.c: the event loop. One completion port; completions are dequeued in batches and
 * dispatched to their pipe by OVERLAPPED. Work that must not run inside a public call
 * (close callbacks, held data after resume) waits on a FIFO the loop drains. */
#include "internal.h"

#define EVE__BATCH 64

int eve_loop_create(eve_loop **out)
{
    eve_loop *loop;
    HANDLE port;
    int rc;

    if (out == NULL)
        return EVE_EINVAL;
    loop = eve__calloc(sizeof *loop);
    if (loop == NULL)
        return EVE_ENOMEM;
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    if (port == NULL) {
        rc = eve__map_win32(GetLastError());
        eve__free(loop);
        return rc ? rc : EVE_EUNKNOWN;
    }
    loop->port = port;
    *out = loop;
    return EVE_OK;
}

void eve__loop_link(eve_loop *loop, struct eve_pipe *pipe)
{
    pipe->lprev = NULL;
    pipe->lnext = loop->pipes;
    if (loop->pipes)
        loop->pipes->lprev = pipe;
    loop->pipes = pipe;
}

void eve__loop_unlink(eve_loop *loop, struct eve_pipe *pipe)
{
    if (pipe->lprev)
        pipe->lprev->lnext = pipe->lnext;
    else if (loop->pipes == pipe)
        loop->pipes = pipe->lnext;
    if (pipe->lnext)
        pipe->lnext->lprev = pipe->lprev;
    pipe->lnext = pipe->lprev = NULL;
}

void eve__loop_defer(eve_loop *loop, struct eve_pipe *pipe, unsigned what)
{
    pipe->deferred |= what;
    if (pipe->on_deferred)
        return;
    pipe->on_deferred = 1;
    pipe->deferred_next = NULL;
    if (loop->deferred_tail)
        loop->deferred_tail->deferred_next = pipe;
    else
        loop->deferred_head = pipe;
    loop->deferred_tail = pipe;
}

void eve__loop_settle(eve_loop *loop, struct eve_pipe *pipe)
{
    pipe->settled_next = NULL;
    if (loop->settled_tail)
        loop->settled_tail->settled_next = pipe;
    else
        loop->settled_head = pipe;
    loop->settled_tail = pipe;
}

/* Process the requests that settled at issue, like a batch of packets: only those already
 * on the list; those that settle meanwhile (a read that succeeds at once again) wait for
 * the next turn. A stop leaves the rest for the next run: unlike a dequeued packet, a
 * settled request keeps. Returns how many ran. */
static int eve__loop_run_settled(eve_loop *loop)
{
    struct eve_pipe *pipe = loop->settled_head;
    struct eve_pipe *last = loop->settled_tail;
    int n = 0;

    loop->settled_head = loop->settled_tail = NULL;
    while (pipe && !loop->stop) {
        struct eve_pipe *next = pipe->settled_next;
        pipe->settled_next = NULL;
        eve__pipe_run_settled(pipe);
        eve__pipe_retire(pipe);
        pipe = next;
        n++;
    }
    if (pipe) { /* stopped: the rest goes back in front of what settled meanwhile */
        last->settled_next = loop->settled_head;
        if (loop->settled_head == NULL)
            loop->settled_tail = last;
        loop->settled_head = pipe;
    }
    return n;
}

/* Process the settled batch, then drain the deferred FIFO, including work deferred while
 * draining. Returns items run. */
static int eve__loop_run_deferred(eve_loop *loop)
{
    int n = eve__loop_run_settled(loop);
    while (loop->deferred_head) {
        struct eve_pipe *pipe = loop->deferred_head;
        unsigned what = pipe->deferred;
        loop->deferred_head = pipe->deferred_next;
        if (loop->deferred_head == NULL)
            loop->deferred_tail = NULL;
        pipe->deferred_next = NULL;
        pipe->deferred = 0;
        pipe->on_deferred = 0;
        eve__pipe_run_deferred(pipe, what);
        eve__pipe_retire(pipe);
        n++;
    }
    return n;
}

static void eve__loop_dispatch(OVERLAPPED_ENTRY *entry)
{
    /* ov is the first member of eve__req. */
    eve__req *req = (eve__req *)(void *)entry->lpOverlapped;
    struct eve_pipe *pipe = req->owner;
    DWORD bytes = entry->dwNumberOfBytesTransferred;
    DWORD err = 0;

    /* The kernel's status is in ov.Internal; this converts it to a Win32 error. */
    if (!GetOverlappedResult(pipe->handle, &req->ov, &bytes, FALSE))
        err = GetLastError();
    eve__pipe_io_outcome(pipe, err, bytes);
    eve__pipe_retire(pipe);
}

static void eve__loop_call_wakeup(eve_loop *loop)
{
    if (loop->wakeup_cb == NULL)
        return;
    loop->in_callback++;
    loop->wakeup_cb(loop, loop->wakeup_user);
    loop->in_callback--;
}

/* GetQueuedCompletionStatusEx, except that a wait that may block for long while the loop
 * holds large blocks first waits EVE__CACHE_LINGER_MS: if nothing comes, the blocks are
 * freed before it waits on. So a loop's memory follows its traffic, a second late. */
static BOOL eve__loop_dequeue(eve_loop *loop, OVERLAPPED_ENTRY *entries, ULONG *count,
                              DWORD timeout)
{
    if (timeout == INFINITE && loop->cache.count > 0) {
        if (GetQueuedCompletionStatusEx(loop->port, entries, EVE__BATCH, count,
                                        EVE__CACHE_LINGER_MS, FALSE))
            return TRUE;
        if (GetLastError() != WAIT_TIMEOUT)
            return FALSE;
        eve__block_trim(loop);
    }
    return GetQueuedCompletionStatusEx(loop->port, entries, EVE__BATCH, count, timeout, FALSE);
}

/* Dequeue one batch (waiting up to timeout ms) and dispatch it. Returns the number of
 * events dispatched (0 on timeout) or a negative eve error. quiet: no wakeup callback. */
static int eve__loop_poll(eve_loop *loop, DWORD timeout, int quiet)
{
    OVERLAPPED_ENTRY entries[EVE__BATCH];
    ULONG count = 0;
    ULONG i;
    int woke = 0;

    if (!eve__loop_dequeue(loop, entries, &count, timeout)) {
        DWORD err = GetLastError();
        return err == WAIT_TIMEOUT ? 0 : eve__map_win32(err);
    }
    for (i = 0; i < count; i++) {
        if (entries[i].lpOverlapped != NULL)
            eve__loop_dispatch(&entries[i]);
        else if (entries[i].lpCompletionKey == EVE__KEY_WAKEUP)
            woke = 1;
    }
    /* Cleared before the callback: a call that still saw the flag set is then followed by
     * this callback, and a call after the clear posts a packet of its own. */
    if (woke)
        InterlockedExchange(&loop->wakeup_posted, 0);
    /* Wakeups dequeued together share one callback. */
    if (woke && !quiet)
        eve__loop_call_wakeup(loop);
    return (int)count;
}

/* Whether the loop has work of its own to do (so it must not wait on the port). */
static int eve__loop_has_work(const eve_loop *loop)
{
    return loop->deferred_head != NULL || loop->settled_head != NULL;
}

/* Whether a blocking wait can ever end with something for the user. */
static int eve__loop_can_block(const eve_loop *loop)
{
    return loop->live > 0 || loop->wakeup_cb != NULL;
}

/* While requests keep settling at issue, the port is polled every EVE__SETTLED_TURNS turns,
 * not every turn: each poll is a system call (under Wine, a server round trip) that would
 * mostly find nothing, and packets wait at most that many settled batches. Measured with
 * ci/bench against polling every turn: 1 MiB writes 15-30% faster (bench/README.md). */
#define EVE__SETTLED_TURNS 8

static int eve__loop_run_default(eve_loop *loop)
{
    unsigned turns = 0;
    for (;;) {
        int rc;
        eve__loop_run_deferred(loop);
        if (loop->stop || loop->live == 0)
            return 0; /* idle only with no end live: T-CLOSED-A-LOOP_IDLE, T-OPEN-A-LOOP_IDLE */
        if (loop->settled_head && ++turns % EVE__SETTLED_TURNS != 0)
            continue;
        rc = eve__loop_poll(loop, eve__loop_has_work(loop) ? 0 : INFINITE, 0);
        if (rc < 0)
            return rc;
    }
}

static int eve__loop_run_once(eve_loop *loop, int nowait)
{
    int ran = eve__loop_run_deferred(loop);
    int rc;
    DWORD timeout = INFINITE;

    if (loop->stop)
        return 0;
    if (nowait || ran > 0 || !eve__loop_can_block(loop))
        timeout = 0;
    rc = eve__loop_poll(loop, timeout, 0);
    if (rc < 0)
        return rc;
    eve__loop_run_deferred(loop);
    return 0;
}

int eve_loop_run(eve_loop *loop, eve_run_mode mode)
{
    int rc;

    if (loop == NULL ||
        (mode != EVE_RUN_DEFAULT && mode != EVE_RUN_ONCE && mode != EVE_RUN_NOWAIT))
        return EVE_EINVAL;
    if (loop->in_callback)
        return EVE_EBUSY;
    if (loop->stop) {
        loop->stop = 0;
        return loop->live > 0;
    }
    switch (mode) {
    case EVE_RUN_DEFAULT:
        rc = eve__loop_run_default(loop);
        break;
    case EVE_RUN_ONCE:
        rc = eve__loop_run_once(loop, 0);
        break;
    default: /* EVE_RUN_NOWAIT */
        rc = eve__loop_run_once(loop, 1);
        break;
    }
    loop->stop = 0;
    if (rc < 0)
        return rc;
    return loop->live > 0;
}

int eve_loop_stop(eve_loop *loop)
{
    if (loop == NULL)
        return EVE_EINVAL;
    loop->stop = 1;
    return EVE_OK;
}

/* Coalesced: a call that finds a packet already posted and not yet dequeued adds nothing,
 * since the callback that packet brings runs after this call. So a storm of calls costs
 * the loop one packet per turn, not one per call. */
int eve_loop_wakeup(eve_loop *loop)
{
    DWORD err;

    if (loop == NULL)
        return EVE_EINVAL;
    if (InterlockedExchange(&loop->wakeup_posted, 1) != 0)
        return EVE_OK;
    if (PostQueuedCompletionStatus(loop->port, 0, EVE__KEY_WAKEUP, NULL))
        return EVE_OK;
    err = GetLastError();
    InterlockedExchange(&loop->wakeup_posted, 0); /* nothing posted: the next call tries */
    return eve__map_win32(err);
}

int eve_loop_on_wakeup(eve_loop *loop, eve_loop_wakeup_cb cb, void *user)
{
    if (loop == NULL)
        return EVE_EINVAL;
    loop->wakeup_cb = cb;
    loop->wakeup_user = user;
    return EVE_OK;
}

static int eve__loop_has_pending(const eve_loop *loop)
{
    const struct eve_pipe *pipe;
    for (pipe = loop->pipes; pipe; pipe = pipe->lnext) {
        if (pipe->req.pending)
            return 1;
    }
    return 0;
}

int eve_loop_close(eve_loop *loop)
{
    if (loop == NULL)
        return EVE_EINVAL;
    if (loop->in_callback || loop->live > 0)
        return EVE_EBUSY; /* T-OPEN-A-LOOP_CLOSE, and every live state's */
    /* Only disposed (or closed) ends remain: reap their cancelled I/O, no callbacks. A
     * stop asked for outside a run must not hold back their settled requests. */
    loop->stop = 0;
    eve__loop_run_deferred(loop);
    while (eve__loop_has_pending(loop)) {
        int rc = eve__loop_poll(loop, eve__loop_has_work(loop) ? 0 : INFINITE, 1);
        if (rc < 0)
            return rc;
        eve__loop_run_deferred(loop);
    }
    while (loop->pipes) {
        struct eve_pipe *pipe = loop->pipes;
        eve__pipe_reap(pipe); /* unlinks it */
        eve__pipe_retire(pipe);
    }
    eve__block_trim(loop);
    CloseHandle(loop->port);
    eve__free(loop);
    return EVE_OK;
}
