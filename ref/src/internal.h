/* internal.h: what the ref/ sources share. Plain Win32 C: <windows.h> and the C library
 * only, so the same files build against winsim/ on Linux. */
#ifndef EVE_REF_INTERNAL_H
#define EVE_REF_INTERNAL_H

#include <windows.h>

#include <stddef.h>
#include <stdint.h>

#include "eve/loop.h"
#include "eve/pipe.h"

/* ---- allocation: one hook so tests and fuzzers can fail any allocation ---- */

typedef void *(*eve__malloc_fn)(size_t size);
typedef void (*eve__free_fn)(void *ptr);

/* Both NULL restores malloc/free. Not thread-safe: set it before any loop exists. */
void eve__set_allocator(eve__malloc_fn malloc_fn, eve__free_fn free_fn);
void *eve__malloc(size_t size);
void *eve__calloc(size_t size);
void eve__free(void *ptr);

/* Large blocks (write chunks, read and coalescing buffers of EVE__BLOCK_MIN bytes or more)
 * go back to their loop when freed and are handed out again while they fit: a fresh large
 * block costs its pages (under Wine 8, 1 MiB from malloc, filled and freed, costs ~80
 * times the copy), and a stream needs the same sizes over and over. Smaller sizes are
 * plain eve__malloc. */
#define EVE__BLOCK_MIN ((size_t)64 * 1024)
#define EVE__CACHE_SLOTS 8                             /* blocks a loop keeps at most */
#define EVE__CACHE_MAX_BLOCK ((size_t)4 * 1024 * 1024) /* larger ones are freed at once */
#define EVE__CACHE_LINGER_MS 1000 /* an idle loop frees its blocks after this long */

typedef struct eve__block_cache {
    void *block[EVE__CACHE_SLOTS]; /* eve__block_put adds, eve__block_get takes, */
    size_t size[EVE__CACHE_SLOTS]; /* eve__block_trim frees them all */
    unsigned count;
} eve__block_cache;

struct eve_loop;
/* A block of at least `need` bytes (its size in *size), from the loop's cache if one fits
 * (loop may be NULL: no cache). NULL when out of memory. */
void *eve__block_get(struct eve_loop *loop, size_t need, size_t *size);
/* Give back a block of eve__block_get (NULL is ignored). */
void eve__block_put(struct eve_loop *loop, void *block, size_t size);
void eve__block_trim(struct eve_loop *loop);

/* ---- errors ---- */

/* Win32 error -> eve error (spec/errors.tsv); 0 stays 0. */
int eve__map_win32(DWORD err);
/* 1 if err ending a ReadFile/WriteFile means the peer is gone (outcome PEER). */
int eve__is_peer_error(DWORD err);

/* The spec's roles: none until adopted, then read or write for good. */
typedef enum eve__role { EVE__ROLE_NONE = 0, EVE__ROLE_READ, EVE__ROLE_WRITE } eve__role;

/* ---- requests: an OVERLAPPED plus who owns it; the loop dispatches on .type ---- */

typedef enum eve__req_type { EVE__REQ_READ = 1, EVE__REQ_WRITE = 2 } eve__req_type;

typedef struct eve__req {
    OVERLAPPED ov; /* first member: the loop maps an OVERLAPPED* back to its request */
    eve__req_type type;
    struct eve_pipe *owner;
    int pending; /* 1 from the issue until the loop has processed its outcome */
    /* Ended at issue with no packet to come: a failure, or a success on a skip_port handle
     * (eve__pipe_io_settled sets the three); the loop processes it like a completion, from
     * its settled list, and clears settled. */
    int settled;
    DWORD settled_err;
    DWORD settled_bytes;
} eve__req;

/* One eve_pipe_write's copy of the caller's bytes. */
typedef struct eve__chunk {
    struct eve__chunk *next;
    size_t size; /* bytes of the block it lives in (eve__block_get) */
    size_t len;  /* bytes in data */
    size_t off;  /* bytes of data already written */
    uint8_t data[];
} eve__chunk;

/* Deferred work the loop does for a pipe, so nothing is delivered from a public call. */
#define EVE__DQ_CLOSE_DUE 0x1 /* close decided and no I/O pending: deliver error/close */
#define EVE__DQ_HELD 0x2      /* resumed with a held read completion: deliver it */
#define EVE__DQ_FLUSHED 0x8   /* close_graceful with nothing queued: close GRACEFUL */

/* One end. Each field says who sets it and who reads it; "the loop" is loop.c plus the
 * completion and deferred handlers it calls (eve__read_done, eve__write_done,
 * eve__pipe_run_deferred). */
struct eve_pipe {
    eve_pipe_config cfg;  /* defaults applied; set by eve_pipe_create only */
    eve_pipe_state state; /* the spec's state; every transition sets it */
    eve__role role;       /* set once by eve__pipe_adopt (NONE until then); read by the
                           * calls whose rows depend on it */
    HANDLE handle;        /* set by eve__pipe_adopt; closed by eve__pipe_reap */
    int skip_port;        /* set by eve__pipe_adopt: an I/O that succeeds at issue queues no
                           * packet (FILE_SKIP_COMPLETION_PORT_ON_SUCCESS), so
                           * eve__read_issue and eve__write_start settle it themselves */
    eve_loop *loop;       /* set by eve__pipe_adopt */

    eve_pipe_data_cb data_cb; /* the callbacks: set by eve_pipe_on_*; called through */
    void *data_user;          /* eve__pipe_enter/leave */
    eve_pipe_writable_cb writable_cb;
    void *writable_user;
    eve_pipe_close_cb close_cb;
    void *close_user;
    eve_pipe_error_cb error_cb;
    void *error_user;

    eve__req req; /* the one I/O an end has in flight (spec: one per end) */

    /* On the loop's list of adopted ends (eve__loop_link at adopt, eve__loop_unlink in
     * eve__pipe_reap); eve_loop_close walks it. */
    struct eve_pipe *lnext;
    struct eve_pipe *lprev;
    /* The loop's deferred FIFO (eve__loop_defer adds, the loop drains). */
    struct eve_pipe *deferred_next;
    unsigned deferred; /* EVE__DQ_* bits: or-ed in by eve__loop_defer, cleared when run */
    int on_deferred;   /* 1 while on the FIFO: set by eve__loop_defer, cleared by the loop;
                        * eve__pipe_retire never frees an end still on it */
    /* The loop's settled list: ends whose request settled at issue (eve__loop_settle adds,
     * eve__loop_run_settled takes them). While on it the request is pending, which keeps
     * the end from being reaped or freed. */
    struct eve_pipe *settled_next;

    /* read end */
    uint8_t *rbuf;    /* the read buffer: set at adopt, resized by eve__read_start only */
    size_t rbuf_cap;  /* the size of each ReadFile, EVE__READ_MIN..buffer_size
                       * (pipe_read.c); at most rbuf_size */
    size_t rbuf_size; /* bytes of the block rbuf lives in (eve__block_get) */
    size_t rlast;     /* bytes the last read completion brought; read by eve__read_start */
    int in_data_cb;   /* rbuf is lent to the data callback (set and cleared around it by
                       * eve__read_deliver): no ReadFile into it meanwhile */
    int held;         /* a completion that arrived while PAUSED: set by eve__read_done,
                       * cleared by eve__read_deliver_held on resume, or by eve__pipe_reap */
    DWORD held_err;   /* its outcome, kept for eve__read_deliver_held */
    DWORD held_bytes;

    /* write end */
    eve__chunk *qhead;   /* the queue of accepted chunks: eve_pipe_write appends, */
    eve__chunk *qtail;   /* eve__write_done consumes from the head */
    size_t queued_bytes; /* accepted, not yet written, including the in-flight part */
    size_t inflight;     /* bytes of the WriteFile in flight: set by eve__write_start,
                          * zeroed by eve__write_done */
    uint8_t *wbuf;       /* coalescing buffer (eve__write_coalesce) */
    size_t wbuf_cap;     /* bytes of its block */
    size_t write_cap;    /* bytes per WriteFile, set at adopt by eve__write_setup */
    int writable_armed;  /* arm_writable: set by a write that returns BACKPRESSURE;
                          * disarm_writable: cleared by the writable callback's delivery in
                          * eve__write_done, by close_graceful and by a close decision */
    size_t unsent;       /* bytes accepted and dropped: added to by every drop */

    /* close */
    int close_decided; /* the first close decision (eve__pipe_decide_close) sets it, once;
                        * read everywhere I/O might restart or be delivered */
    eve_pipe_close_reason close_reason; /* set with close_decided */
    int close_errno;                    /* for EVE_CLOSE_ERROR: the error callback's argument */
    int disposed;                       /* no callback ever again: set by dispose and free, never
                                         * cleared; read by eve__pipe_close_due (no error or close
                                         * callback) and eve__pipe_close_due_later (finish now) */
    int counted_live;                   /* counted in loop->live: set at adopt, cleared by
                                         * eve__pipe_mark_closed (once CLOSED) */
    int cleaned;       /* handle closed, buffers freed, off the loop's list: set by
                        * eve__pipe_reap (and at create: nothing to clean yet), cleared
                        * by adopt; read by close_due, close_due_later and retire */
    int busy;          /* callbacks of this end on the stack: eve__pipe_enter/leave;
                        * nothing that could free the end runs while it is non-zero */
    int freed_by_user; /* eve_pipe_free was called: eve__pipe_retire frees the memory
                        * once nothing refers to it */
};

struct eve_loop {
    HANDLE port;
    struct eve_pipe *pipes;         /* adopted, not cleaned up */
    size_t live;                    /* adopted ends not CLOSED */
    struct eve_pipe *deferred_head; /* deferred FIFO */
    struct eve_pipe *deferred_tail;
    /* Requests that settled at issue, processed like a batch of packets: those that settle
     * while a batch is processed wait for the next turn, after the port was polled, so an
     * end whose reads keep succeeding at once cannot starve the others. */
    struct eve_pipe *settled_head;
    struct eve_pipe *settled_tail;
    int in_callback;
    int stop;
    eve_loop_wakeup_cb wakeup_cb;
    void *wakeup_user;
    /* 1 while a wakeup packet is on the port and not yet dequeued. Set by eve_loop_wakeup
     * (any thread) when it posts; cleared by the loop thread when it dequeues the packet,
     * before the callback runs. At most one packet is ever outstanding. */
    volatile LONG wakeup_posted;
    /* Large blocks its ends gave back (alloc.c); trimmed by an idle loop and by close. */
    eve__block_cache cache;
};

/* Completion key of eve_loop_wakeup's packets; pipe handles are bound with key 0. */
#define EVE__KEY_WAKEUP ((ULONG_PTR)1)

/* ---- loop.c ---- */
void eve__loop_link(eve_loop *loop, struct eve_pipe *pipe);
void eve__loop_unlink(eve_loop *loop, struct eve_pipe *pipe);
void eve__loop_defer(eve_loop *loop, struct eve_pipe *pipe, unsigned what);
void eve__loop_settle(eve_loop *loop, struct eve_pipe *pipe);

/* ---- pipe.c ---- */
/* How an end finishes, in the spec's words (spec/transitions.tsv): a close is decided
 * (decide_close: the first reason wins), then CLOSE_DUE once no I/O is pending. Five steps,
 * each its own function because each is reached from places the others are not:
 *  - close_due: from the loop only (a completion, or the deferred FIFO): delivers error and
 *    close, since the loop is the one place a callback may run;
 *  - close_due_later: from a public call (close, dispose, free), where no callback may run:
 *    a disposed end nothing refers to finishes at once, anything else goes on the FIFO;
 *  - mark_closed (static): the state CLOSED and the loop's live count, shared by both;
 *  - reap: the handle and buffers, once the kernel is done with them, also used by
 *    eve_loop_close for ends it reaps itself;
 *  - retire: the memory, once the user freed the end and nothing refers to it (not on the
 *    FIFO, no callback on the stack, no I/O pending) -- after any of the steps above. */
/* Record how the end closes (first decision wins) and move it to CLOSING. */
void eve__pipe_decide_close(struct eve_pipe *pipe, eve_pipe_close_reason reason, int err);
/* Decide close from a failed Win32 read/write: PEER or ERROR per the spec. */
void eve__pipe_fail(struct eve_pipe *pipe, DWORD err);
/* From the loop: deliver what is due once no I/O is pending (error, close, reap). */
void eve__pipe_close_due(struct eve_pipe *pipe);
/* From a public call: finish now if nothing can call back, else leave it to the loop. */
void eve__pipe_close_due_later(struct eve_pipe *pipe);
/* Release the memory if the user freed it and nothing refers to it any more. */
void eve__pipe_retire(struct eve_pipe *pipe);
/* Reap: close the handle, free buffers, leave the loop's list (idempotent). */
void eve__pipe_reap(struct eve_pipe *pipe);
/* The loop dequeued this pipe's deferred work. */
void eve__pipe_run_deferred(struct eve_pipe *pipe, unsigned what);
/* ReadFile/WriteFile ended at issue with no packet to come (a failure, or a success with
 * skip_port): keep the request pending and let the loop process the outcome like a
 * completion, never inside the public call that issued it (spec/README.md, precision 2). */
void eve__pipe_io_settled(struct eve_pipe *pipe, DWORD err, DWORD bytes);
/* ReadFile/WriteFile returned TRUE: settle it if skip_port, else its packet will come. */
void eve__pipe_io_done_at_issue(struct eve_pipe *pipe);
/* The loop processes the outcome of the end's request: from its packet, or settled. */
void eve__pipe_io_outcome(struct eve_pipe *pipe, DWORD err, DWORD bytes);
/* The loop takes the settled outcome of the end's request. */
void eve__pipe_run_settled(struct eve_pipe *pipe);
/* Cancel the pending I/O, if any. */
void eve__pipe_cancel(struct eve_pipe *pipe);
int eve__pipe_adopt(struct eve_pipe *pipe, eve_loop *loop, eve_os_handle *handle, eve__role role);
/* Calls a user callback with the loop and pipe marked busy. */
void eve__pipe_enter(struct eve_pipe *pipe);
void eve__pipe_leave(struct eve_pipe *pipe);

/* ---- pipe_read.c ---- */
/* At adopt: the first read buffer (the small one an idle end waits with). 0 or ENOMEM. */
int eve__read_setup(struct eve_pipe *pipe);
/* Issue a ReadFile; 0, or the Win32 error of a synchronous failure (nothing pending). */
DWORD eve__read_issue(struct eve_pipe *pipe);
/* Issue the next ReadFile if the end is OPEN and idle; a failure decides the close. */
void eve__read_start(struct eve_pipe *pipe);
void eve__read_done(struct eve_pipe *pipe, DWORD err, DWORD bytes);
void eve__read_deliver_held(struct eve_pipe *pipe);

/* ---- pipe_write.c ---- */
/* At adopt: the largest WriteFile this end will issue, from the pipe's quota in the
 * direction it writes: 0 when the pipe buffers nothing, EVE__QUOTA_UNKNOWN on a client
 * whose server is gone (its writes all fail, so no cap is needed). */
#define EVE__QUOTA_UNKNOWN ((size_t)-1)
void eve__write_setup(struct eve_pipe *pipe, size_t quota);
void eve__write_start(struct eve_pipe *pipe);
void eve__write_done(struct eve_pipe *pipe, DWORD err, DWORD bytes);
/* Drop the queue (not the in-flight part's memory) and count it unsent. */
void eve__write_drop_queued(struct eve_pipe *pipe);
void eve__write_free_queue(struct eve_pipe *pipe);

#endif /* EVE_REF_INTERNAL_H */
