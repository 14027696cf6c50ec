/* ws_iocp.c: I/O completion ports.
 *
 * Rules modelled (Microsoft Learn, "I/O Completion Ports" and the function pages):
 * - "When an asynchronous I/O operation ... completes, an I/O completion packet is
 *   queued in first-in-first-out (FIFO) order to the associated I/O completion port."
 *   A successful overlapped call that completes at once still queues its packet
 *   (checked under Wine 8: WriteFile returned TRUE and the packet was dequeued).
 * - A call that fails at once (not ERROR_IO_PENDING) queues nothing.
 * - "A handle can be associated with only one I/O completion port": binding again fails
 *   (ERROR_INVALID_PARAMETER), as does binding a handle opened without
 *   FILE_FLAG_OVERLAPPED (ref/README.md: Windows and Wine refuse both).
 * - GetQueuedCompletionStatus(Ex) with nothing queued and timeout 0 fails with
 *   WAIT_TIMEOUT (Wine 8: GetLastError 258, *lpOverlapped NULL).
 * - "If a call to GetQueuedCompletionStatus fails because the completion port handle
 *   associated with it is closed while the call is outstanding, the function returns
 *   FALSE, *lpOverlapped will be NULL, and GetLastError will return
 *   ERROR_ABANDONED_WAIT_0."
 * - An OVERLAPPED hEvent with its low bit set means no packet is queued
 *   (GetQueuedCompletionStatus remarks).
 * Freedom explored with a seed: the packets of operations that complete inside the same
 * call (a read letting pending writes complete, a close failing several operations) are
 * queued in a random order, each handle's own packets keeping theirs. Packets of different
 * calls keep the order of the calls: a write that completed at once is queued before the
 * read of its data, as FIFO queueing in completion order implies. Ex may remove fewer
 * entries than it could ("up to ulCount").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "ws_internal.h"

static ws_port *ws_port_new(void)
{
    ws_port *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->refs = 1;
    p->handle_open = 1;
    pthread_cond_init(&p->cv, NULL);
    return p;
}

static void ws_packets_free(ws_packet *k)
{
    while (k) {
        ws_packet *n = k->next;
        ws_pool_put(&ws_packets, k);
        k = n;
    }
}

void ws_port_ref(ws_port *p)
{
    p->refs++;
}

void ws_port_unref(ws_port *p)
{
    if (--p->refs > 0)
        return;
    ws_packets_free(p->q_head);
    pthread_cond_destroy(&p->cv);
    free(p);
}

void ws_port_close_handle(ws_port *p)
{
    p->handle_open = 0;
    pthread_cond_broadcast(&p->cv);
    ws_port_unref(p);
}

/* The packet becomes visible: the OVERLAPPED gets its final status and byte count now,
 * and a waiter wakes. */
static void ws_port_enqueue(ws_port *p, ws_packet *k)
{
    if (k->ov) {
        k->ov->Internal = (ULONG_PTR)(ULONG)k->status;
        k->ov->InternalHigh = k->bytes;
    }
    k->next = NULL;
    if (p->q_tail)
        p->q_tail->next = k;
    else
        p->q_head = k;
    p->q_tail = k;
    pthread_cond_broadcast(&p->cv);
}

/* Seeded: insert k at a random place among the packets this same call queued, after the
 * last one of its own handle. Packets are only ever appended otherwise, so this call's
 * are the tail of the queue. */
static void ws_port_enqueue_shuffled(ws_port *p, ws_packet *k)
{
    ws_packet **pp = &p->q_head, **run = NULL, **after_own = NULL, *c;
    unsigned slots = 0, pick;
    for (; *pp; pp = &(*pp)->next) {
        c = *pp;
        if (c->seq != k->seq)
            continue;
        if (run == NULL)
            run = pp;
        if (c->source == k->source)
            after_own = &c->next;
    }
    if (run == NULL) {
        ws_port_enqueue(p, k);
        return;
    }
    pp = after_own ? after_own : run;
    for (c = *pp; c; c = c->next)
        slots++;
    pick = ws_below(slots + 1);
    while (pick-- > 0)
        pp = &(*pp)->next;
    if (*pp == NULL) {
        ws_port_enqueue(p, k);
        return;
    }
    if (k->ov) {
        k->ov->Internal = (ULONG_PTR)(ULONG)k->status;
        k->ov->InternalHigh = k->bytes;
    }
    k->next = *pp;
    *pp = k;
    pthread_cond_broadcast(&p->cv);
}

void ws_port_deliver(ws_port *p, ULONG_PTR key, OVERLAPPED *ov, NTSTATUS st, DWORD bytes,
                     uint64_t source)
{
    ws_packet *k = ws_pool_get(&ws_packets);
    if (k == NULL) {
        /* Out of memory inside the simulation itself: nothing sane to model. */
        abort();
    }
    k->key = key;
    k->ov = ov;
    k->status = st;
    k->bytes = bytes;
    k->source = source;
    k->seq = ws_g.call_seq;
    if (!ws_seeded()) {
        ws_port_enqueue(p, k);
        return;
    }
    ws_port_enqueue_shuffled(p, k);
}

HANDLE WINAPI CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                     ULONG_PTR CompletionKey, DWORD NumberOfConcurrentThreads)
{
    HANDLE ret = NULL;
    DWORD err = 0;
    (void)NumberOfConcurrentThreads;
    ws_lock();
    if (ws_fault(WS_CALL_CreateIoCompletionPort, &err)) {
        /* injected */
    } else if (FileHandle == INVALID_HANDLE_VALUE) {
        ws_port *p;
        if (ExistingCompletionPort != NULL) {
            err = ERROR_INVALID_PARAMETER;
        } else if ((p = ws_port_new()) == NULL || (ret = ws_handle_new(WS_PORT, p)) == NULL) {
            free(p);
            err = ERROR_NOT_ENOUGH_MEMORY;
        }
    } else {
        ws_end *e = ws_handle_get(FileHandle, WS_PIPE);
        ws_port *p =
            ExistingCompletionPort ? ws_handle_get(ExistingCompletionPort, WS_PORT) : NULL;
        if (e == NULL)
            err = ERROR_INVALID_HANDLE;
        else if (e->port != NULL || !e->overlapped)
            err = ERROR_INVALID_PARAMETER;
        else if (ExistingCompletionPort == NULL)
            err = ERROR_INVALID_PARAMETER; /* a new port per file: not used, not modelled */
        else if (p == NULL)
            err = ERROR_INVALID_HANDLE;
        else {
            e->port = p;
            e->key = CompletionKey;
            ws_port_ref(p);
            ret = ExistingCompletionPort;
        }
    }
    ws_trace("CreateIoCompletionPort %" PRIu64 " %" PRIu64 " -> %" PRIu64 "/%lu",
             ws_hval(FileHandle), ws_hval(ExistingCompletionPort), ws_hval(ret),
             (unsigned long)err);
    ws_unlock();
    if (err)
        SetLastError(err);
    return ret;
}

static void ws_deadline(struct timespec *ts, DWORD ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* WINSIM_DEADLOCK_MS: how long an INFINITE wait with other threads alive may see nothing
 * before it is reported as a deadlock (default 10 s). */
static DWORD ws_deadlock_ms(void)
{
    const char *s = getenv("WINSIM_DEADLOCK_MS");
    return s && *s ? (DWORD)strtoul(s, NULL, 0) : 10000;
}

/* Wait until p has a queued packet. 0 when one is there; else the Win32 error. Another
 * thread can post only if one exists, so a single-threaded infinite wait with nothing in
 * flight is a deadlock: reported and turned into WAIT_TIMEOUT. */
static DWORD ws_port_wait(ws_port *p, DWORD ms, const char *who)
{
    DWORD waited = 0;
    while (p->q_head == NULL) {
        struct timespec ts;
        DWORD slice;
        if (!p->handle_open)
            return ERROR_ABANDONED_WAIT_0;
        if (ms != INFINITE && waited >= ms)
            return WAIT_TIMEOUT;
        if (ms == INFINITE && waited >= ws_deadlock_ms()) {
            /* Other threads exist (a test watchdog, say) but none posted: a backstop so
             * the hang is named instead of killed. */
            ws_deadlock(who);
            return WAIT_TIMEOUT;
        }
        if (!ws_other_threads()) {
            if (ms == INFINITE)
                ws_deadlock(who);
            else
                ws_g.clock_ms += ms - waited;
            return WAIT_TIMEOUT;
        }
        /* Short slices so a thread that exits without posting is noticed. */
        slice = ms == INFINITE ? 50 : (ms - waited < 50 ? ms - waited : 50);
        ws_deadline(&ts, slice);
        ws_port_ref(p);
        if (pthread_cond_timedwait(&p->cv, &ws_g.mu, &ts) == ETIMEDOUT) {
            waited += slice;
            ws_g.clock_ms += slice;
        }
        ws_port_unref(p);
    }
    return 0;
}

static ws_packet *ws_port_pop(ws_port *p)
{
    ws_packet *k = p->q_head;
    p->q_head = k->next;
    if (p->q_head == NULL)
        p->q_tail = NULL;
    ws_trace("dequeue src %" PRIu64 " status %lx bytes %lu%s", k->source,
             (unsigned long)(ULONG)k->status, (unsigned long)k->bytes, k->ov ? "" : " (no ov)");
    return k;
}

BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                        LPOVERLAPPED_ENTRY lpCompletionPortEntries, ULONG ulCount,
                                        PULONG ulNumEntriesRemoved, DWORD dwMilliseconds,
                                        BOOL fAlertable)
{
    ws_port *p;
    DWORD err = 0;
    ULONG n = 0, max;
    (void)fAlertable;
    ws_lock();
    p = ws_handle_get(CompletionPort, WS_PORT);
    if (ws_fault(WS_CALL_GetQueuedCompletionStatusEx, &err)) {
        /* injected */
    } else if (p == NULL) {
        err = ERROR_INVALID_HANDLE;
    } else if (lpCompletionPortEntries == NULL || ulCount == 0 || !ulNumEntriesRemoved) {
        err = ERROR_INVALID_PARAMETER;
    } else {
        ws_port_ref(p);
        err = ws_port_wait(p, dwMilliseconds, "GetQueuedCompletionStatusEx");
        max = ulCount;
        if (ws_chance(4))
            max = 1 + ws_below(ulCount);
        while (err == 0 && n < max && p->q_head) {
            ws_packet *k = ws_port_pop(p);
            lpCompletionPortEntries[n].lpCompletionKey = k->key;
            lpCompletionPortEntries[n].lpOverlapped = k->ov;
            lpCompletionPortEntries[n].Internal = (ULONG_PTR)(ULONG)k->status;
            lpCompletionPortEntries[n].dwNumberOfBytesTransferred = k->bytes;
            ws_pool_put(&ws_packets, k);
            n++;
        }
        ws_port_unref(p);
    }
    if (ulNumEntriesRemoved)
        *ulNumEntriesRemoved = n;
    ws_trace("GetQueuedCompletionStatusEx %" PRIu64 " max %lu ms %ld -> %lu/%lu",
             ws_hval(CompletionPort), (unsigned long)ulCount, (long)dwMilliseconds,
             (unsigned long)n, (unsigned long)err);
    ws_unlock();
    if (err)
        SetLastError(err);
    return err == 0;
}

BOOL WINAPI GetQueuedCompletionStatus(HANDLE CompletionPort, LPDWORD lpNumberOfBytesTransferred,
                                      PULONG_PTR lpCompletionKey, LPOVERLAPPED *lpOverlapped,
                                      DWORD dwMilliseconds)
{
    ws_port *p;
    DWORD err = 0;
    ws_lock();
    p = ws_handle_get(CompletionPort, WS_PORT);
    if (lpOverlapped)
        *lpOverlapped = NULL;
    if (ws_fault(WS_CALL_GetQueuedCompletionStatus, &err)) {
        /* injected */
    } else if (p == NULL) {
        err = ERROR_INVALID_HANDLE;
    } else if (!lpNumberOfBytesTransferred || !lpCompletionKey || !lpOverlapped) {
        err = ERROR_INVALID_PARAMETER;
    } else {
        ws_port_ref(p);
        err = ws_port_wait(p, dwMilliseconds, "GetQueuedCompletionStatus");
        if (err == 0) {
            ws_packet *k = ws_port_pop(p);
            *lpNumberOfBytesTransferred = k->bytes;
            *lpCompletionKey = k->key;
            *lpOverlapped = k->ov;
            /* A failed I/O's packet: FALSE, *lpOverlapped set, its error. */
            err = RtlNtStatusToDosError(k->status);
            ws_pool_put(&ws_packets, k);
        }
        ws_port_unref(p);
    }
    ws_trace("GetQueuedCompletionStatus %" PRIu64 " ms %ld -> %lu", ws_hval(CompletionPort),
             (long)dwMilliseconds, (unsigned long)err);
    ws_unlock();
    if (err)
        SetLastError(err);
    return err == 0;
}

/* "The completion packet will satisfy an outstanding call to GetQueuedCompletionStatus";
 * thread-safe (eve_loop_wakeup relies on it). Posted packets are visible at once. */
BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort, DWORD dwNumberOfBytesTransferred,
                                       ULONG_PTR dwCompletionKey, LPOVERLAPPED lpOverlapped)
{
    ws_port *p;
    DWORD err = 0;
    ws_lock();
    p = ws_handle_get(CompletionPort, WS_PORT);
    if (ws_fault(WS_CALL_PostQueuedCompletionStatus, &err)) {
        /* injected */
    } else if (p == NULL) {
        err = ERROR_INVALID_HANDLE;
    } else {
        ws_packet *k = ws_pool_get(&ws_packets);
        if (k == NULL) {
            err = ERROR_NO_SYSTEM_RESOURCES;
        } else {
            k->key = dwCompletionKey;
            k->ov = lpOverlapped;
            k->bytes = dwNumberOfBytesTransferred;
            k->status = STATUS_SUCCESS;
            /* The OVERLAPPED of a posted packet is the caller's token: not written. */
            k->next = NULL;
            if (p->q_tail)
                p->q_tail->next = k;
            else
                p->q_head = k;
            p->q_tail = k;
            pthread_cond_broadcast(&p->cv);
        }
    }
    ws_trace("PostQueuedCompletionStatus %" PRIu64 " bytes %lu -> %lu", ws_hval(CompletionPort),
             (unsigned long)dwNumberOfBytesTransferred, (unsigned long)err);
    ws_unlock();
    if (err)
        SetLastError(err);
    return err == 0;
}
