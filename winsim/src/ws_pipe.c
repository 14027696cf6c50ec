/* ws_pipe.c: byte-mode named pipes: CreateNamedPipeW, CreateFileW, ConnectNamedPipe,
 * ReadFile, WriteFile, CancelIoEx, GetNamedPipeInfo, PeekNamedPipe, GetOverlappedResult,
 * and what CloseHandle does to a pipe end.
 *
 * Rules, each with its source ("W8" = checked under Wine 8 with a probe program, and the
 * Wine test it agrees with; "MS" = Microsoft Learn):
 *  R1 Quota. A write completes once the bytes not yet read, up to and including its own,
 *     fit the reader's input quota (nInBufferSize for client->server); until then it
 *     pends. (Wine kernel32 test pipe.c test_blocking_rw: "write a message larger than
 *     buffer" pends until enough is read; W8: quota 0 makes a 1-byte write pend.)
 *  R2 Reads return what is available up to the request, gathering across writes,
 *     including from writes still pending (test_blocking_rw; W8: one read returned 19800
 *     bytes spanning two pending 10000-byte writes).
 *  R3 A read with nothing available pends; a 0-byte read pends until data arrives and
 *     then completes with 0 bytes without consuming (test_blocking_rw "pipe is empty,
 *     the next read will block"). A 0-byte write in byte mode completes at once and
 *     wakes no reader ("empty write will not block", "0 length write wakes one read in
 *     msg mode" only).
 *  R4 Overlapped calls that complete at once return TRUE and still queue a packet (W8),
 *     unless the handle has FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: then none (MS
 *     SetFileCompletionNotificationModes; W8 on pipes); those that cannot complete
 *     return FALSE with ERROR_IO_PENDING (MS ReadFile:
 *     "If the function fails, or is completing asynchronously, the return value is
 *     zero").
 *  R5 Peer gone, reader side: buffered data is read first, then ReadFile fails with
 *     ERROR_BROKEN_PIPE; a pending read completes with STATUS_PIPE_BROKEN (test_CloseHandle;
 *     W8). The data of the gone writer's pending writes is discarded (W8: the read after
 *     the writer closed with a pending write got ERROR_BROKEN_PIPE, 0 bytes).
 *  R6 Peer gone, writer side: WriteFile fails at once with ERROR_NO_DATA; a write that
 *     was pending completes with STATUS_PIPE_BROKEN, 0 bytes (test_CloseHandle;
 *     test_overlapped_transport "close client with pending writes"; W8), failed in
 *     order, a later one that then fits completing with success (W8, see
 *     ws_fail_writes_in_order).
 *  R7 Closing an end with its own I/O pending completes that I/O with STATUS_PIPE_BROKEN,
 *     not STATUS_CANCELLED, and the packet is still queued (W8).
 *  R8 CancelIoEx completes the matching pending I/O with STATUS_CANCELLED and 0 bytes,
 *     even for a write partly read already, whose unread rest is dropped; nothing pending
 *     -> ERROR_NOT_FOUND ("cancel_overlapped", "canceling the same operation twice",
 *     "partially read written data before canceling" in test_blocking_rw; W8).
 *  R9 FILE_FLAG_FIRST_PIPE_INSTANCE on an existing name fails with ERROR_ACCESS_DENIED
 *     (MS CreateNamedPipe: "creation of the next instance fails with
 *     ERROR_ACCESS_DENIED"; Wine 8 returns ERROR_PIPE_BUSY when the limit is also hit).
 *     Wine 8 ignores FILE_FLAG_FIRST_PIPE_INSTANCE, and the new call's nMaxInstances 1, when
 *     the existing pipe allows unlimited instances and has the same direction: it returns
 *     a second instance (W8 probe; winsim_squat's Wine platform, the only case modelled).
 *     More than nMaxInstances -> ERROR_PIPE_BUSY; a client finding no listening instance
 *     -> ERROR_PIPE_BUSY, no such name -> ERROR_FILE_NOT_FOUND (W8; test_multiple_instances).
 *  R10 A client that connects before ConnectNamedPipe makes it fail with
 *     ERROR_PIPE_CONNECTED and queue nothing (MS ConnectNamedPipe; W8); a client that
 *     came and went -> ERROR_NO_DATA (MS ConnectNamedPipe).
 *  R11 Access: an inbound pipe's server cannot write, its client cannot ask for read
 *     access (ERROR_ACCESS_DENIED); a handle without read access cannot read.
 *  R13 Process ids: GetNamedPipeServerProcessId / GetNamedPipeClientProcessId answer the
 *     creator of the server end and of the client end; a server end that never had a
 *     client answers TRUE with 0x55555555 for the client (W8). A client keeps answering
 *     after its server went (W8).
 *  R14 Access: FileAccessInformation reports the rights the handle was opened with, the
 *     generic ones mapped to FILE_GENERIC_READ / FILE_GENERIC_WRITE (MS "File Security and
 *     Access Rights"); a CreateNamedPipeW handle has the rights of its direction plus
 *     FILE_READ_ATTRIBUTES. FileModeInformation reports FILE_SYNCHRONOUS_IO_NONALERT for a
 *     handle opened without FILE_FLAG_OVERLAPPED, 0 otherwise (MS FILE_MODE_INFORMATION).
 *  R12 The caller's write buffer must stay valid until the write completes ("must remain
 *     valid for the duration of the write operation", MS WriteFile): a pending write
 *     reads it only when the reader consumes it or when it completes, so ASan catches a
 *     buffer freed early. Read buffers and OVERLAPPEDs are written at completion.
 * Not modelled: message mode, PIPE_NOWAIT, DisconnectNamedPipe, impersonation and
 * security descriptors, remote clients, events
 * (hEvent is only checked for its low bit), APCs, more than one handle per end
 * (no DuplicateHandle), quota rounding (Windows rounds buffer sizes; winsim uses them as
 * given, like Wine).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ws_internal.h"

#include <winternl.h>

/* R13: what Wine 8 answers for the client of a server end nothing connected to. */
#define WS_NO_CLIENT_PID 0x55555555u

/* ---- names ---- */

static WCHAR ws_lower(WCHAR c)
{
    return c >= 'A' && c <= 'Z' ? (WCHAR)(c - 'A' + 'a') : c;
}

static size_t ws_wlen(LPCWSTR s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* \\.\pipe\<name> or \\?\pipe\<name>, case-insensitive; returns <name> or NULL. */
static LPCWSTR ws_pipe_part(LPCWSTR s, size_t *len)
{
    static const char prefix[] = "\\\\.\\pipe\\";
    size_t i, n;
    if (s == NULL)
        return NULL;
    n = ws_wlen(s);
    if (n <= sizeof prefix - 1)
        return NULL;
    for (i = 0; i < sizeof prefix - 1; i++) {
        WCHAR c = ws_lower(s[i]);
        if (c != (WCHAR)prefix[i] && !(i == 2 && c == '?'))
            return NULL;
    }
    *len = n - i;
    return s + i;
}

static int ws_name_eq(const ws_name *nm, LPCWSTR s, size_t len)
{
    size_t i;
    if (nm->len != len)
        return 0;
    for (i = 0; i < len; i++) {
        if (ws_lower(nm->name[i]) != ws_lower(s[i]))
            return 0;
    }
    return 1;
}

static ws_name *ws_name_find(LPCWSTR s, size_t len)
{
    ws_name *nm;
    for (nm = ws_g.names; nm; nm = nm->next) {
        if (ws_name_eq(nm, s, len))
            return nm;
    }
    return NULL;
}

static void ws_name_drop(ws_name *nm)
{
    ws_name **pp;
    for (pp = &ws_g.names; *pp; pp = &(*pp)->next) {
        if (*pp == nm) {
            *pp = nm->next;
            break;
        }
    }
    free(nm->name);
    free(nm);
}

void ws_names_reset(void)
{
    while (ws_g.names)
        ws_name_drop(ws_g.names);
}

/* ---- data queue ---- */

/* Kept as counters: a paused reader's queue can hold hundreds of chunks, and walking it
 * on every read made the simulation quadratic. */
static DWORD ws_avail(const ws_end *r)
{
    return r->in_unread;
}

static const uint8_t *ws_chunk_bytes(const ws_chunk *c)
{
    return c->op ? c->user : c->data;
}

static const char *ws_op_name(const ws_op *op)
{
    return op->kind == WS_OP_READ ? "read" : op->kind == WS_OP_WRITE ? "write" : "connect";
}

void ws_op_complete(ws_op *op, NTSTATUS status, DWORD bytes)
{
    ws_end *e = op->end;
    ws_trace("complete %s h %" PRIu64 " status %lx bytes %lu", ws_op_name(op), e->hval,
             (unsigned long)(ULONG)status, (unsigned long)bytes);
    if (op == ws_g.issuing) {
        ws_g.issued_done = 1;
        ws_g.issued_status = status;
        ws_g.issued_bytes = bytes;
    }
    pthread_cond_broadcast(&ws_g.changed);
    if (op->ov == NULL) {
        /* Synchronous: the op lives on the waiting caller's stack. */
        op->done = 1;
        op->status = status;
        op->bytes = bytes;
        return;
    }
    if (e->port && !((uintptr_t)op->ov->hEvent & 1)) {
        if (op == ws_g.issuing) {
            /* R4: an op completing inside its own call queues its packet last (W8: the
             * packets of writes a read let complete came before the read's). */
            ws_port_ref(e->port);
            ws_g.issued_port = e->port;
            ws_g.issued_key = e->key;
            ws_g.issued_ov = op->ov;
            ws_g.issued_source = e->hval;
        } else {
            ws_port_deliver(e->port, e->key, op->ov, status, bytes, e->hval);
        }
    } else {
        op->ov->Internal = (ULONG_PTR)(ULONG)status;
        op->ov->InternalHigh = bytes;
    }
    ws_pool_put(&ws_ops, op);
}

/* Copy up to op->len available bytes into the read buffer (R2). Seeded runs may return
 * fewer (unless WINSIM_SHORT_READS=0): not what an in-process byte-mode read does, but what
 * a reader sees when another process's writes arrive in pieces, so a reader must cope. */
static DWORD ws_take(ws_end *r, ws_op *op)
{
    DWORD want = op->len, avail = ws_avail(r), done = 0;
    ws_chunk *c;
    if (want > avail)
        want = avail;
    if (want > 1 && ws_g.short_reads && ws_chance(4))
        want = 1 + ws_below(want);
    for (c = r->in_head; c && done < want; c = c->next) {
        DWORD n = c->len - c->pos;
        if (n > want - done)
            n = want - done;
        memcpy(op->buf + done, ws_chunk_bytes(c) + c->pos, n);
        c->pos += n;
        done += n;
    }
    r->in_unread -= done;
    return done;
}

/* R1: complete each pending write whose unread bytes, with all before it, fit. Pending
 * chunks are the tail of the queue (one behind a pending write cannot fit before it), so
 * the walk starts at the first of them, with the unread bytes of those before. */
static void ws_reselect(ws_end *r)
{
    DWORD avail = r->in_unread;
    ws_chunk *c;
    for (c = r->in_pending_head; c; c = c->next)
        avail -= c->len - c->pos;
    for (c = r->in_pending_head; c && (avail += c->len - c->pos) <= r->in_quota; c = c->next) {
        ws_op *op = c->op;
        DWORD rest = c->len - c->pos, total = c->len;
        c->data = ws_big_malloc(rest ? rest : 1, 1); /* the memcpy below fills it */
        if (c->data == NULL)
            abort();
        memcpy(c->data, c->user + c->pos, rest);
        c->user = NULL;
        c->len = rest;
        c->pos = 0;
        c->op = NULL;
        ws_op_complete(op, STATUS_SUCCESS, total);
    }
    r->in_pending_head = c;
}

static void ws_chunk_free(ws_chunk *c)
{
    ws_big_free(c->data);
    ws_pool_put(&ws_chunks, c);
}

/* Drop fully read, completed chunks from the head. */
static void ws_gc(ws_end *r)
{
    while (r->in_head && r->in_head->op == NULL && r->in_head->pos == r->in_head->len) {
        ws_chunk *c = r->in_head;
        r->in_head = c->next;
        if (r->in_head == NULL)
            r->in_tail = NULL;
        ws_chunk_free(c);
    }
}

static ws_op *ws_pop_read(ws_end *r)
{
    ws_op *op = r->reads;
    r->reads = op->next;
    op->next = NULL;
    return op;
}

/* Move data from r's queue into its pending reads, complete what can complete. */
static void ws_pump(ws_end *r)
{
    while (r->reads && ws_avail(r) > 0) {
        ws_op *op = ws_pop_read(r);
        DWORD n = op->len ? ws_take(r, op) : 0; /* R3: a 0-byte read just completes */
        ws_op_complete(op, STATUS_SUCCESS, n);
        ws_reselect(r);
        ws_gc(r);
    }
    ws_reselect(r);
    ws_gc(r);
    while (r->reads && r->state == WS_CLOSING) /* R5 */
        ws_op_complete(ws_pop_read(r), STATUS_PIPE_BROKEN, 0);
}

/* Remove chunk c from r's queue (a cancelled or broken pending write). */
static void ws_unlink_chunk(ws_end *r, ws_chunk *c)
{
    ws_chunk **pp, *prev = NULL;
    for (pp = &r->in_head; *pp; prev = *pp, pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            if (r->in_tail == c)
                r->in_tail = prev;
            r->in_unread -= c->len - c->pos;
            ws_chunk_free(c);
            return;
        }
    }
}

/* Complete with st every pending write of writer w (matching ov, or all) queued in r. */
/* A pending write's buffer is the system's until the write completes (the kernel may copy
 * from it up to then, a cancel included): read it as the write ends, so a program that
 * freed or reused it too early meets its sanitizer here, not a corrupt stream on Windows. */
static void ws_touch_pending(const ws_chunk *c)
{
    volatile uint8_t seen = 0;
    DWORD i;
    for (i = c->pos; c->user && i < c->len; i++)
        seen ^= c->user[i];
    (void)seen;
}

static unsigned ws_fail_writes(ws_end *r, ws_end *w, OVERLAPPED *ov, NTSTATUS st)
{
    unsigned n = 0;
    ws_chunk *c = r->in_head;
    while (c) {
        ws_chunk *next = c->next;
        if (c->op && c->op->end == w && (ov == NULL || c->op->ov == ov)) {
            ws_op *op = c->op;
            ws_touch_pending(c);
            c->op = NULL;
            ws_unlink_chunk(r, c);
            ws_op_complete(op, st, 0);
            n++;
        }
        c = next;
    }
    for (c = r->in_head; c && c->op == NULL; c = c->next)
        ;
    r->in_pending_head = c;
    return n;
}

/* The reader r is closing: fail its peer w's pending writes one at a time, and after each
 * let those behind it that now fit the quota complete as usual (W8: with quota 512, a
 * pending 1-byte write behind a pending 5000-byte one completed with success when the
 * reader closed, the 5000-byte one with STATUS_PIPE_BROKEN; Wine's server re-runs its
 * write queue as each write is failed). */
static void ws_fail_writes_in_order(ws_end *r, ws_end *w)
{
    ws_chunk *c;
    for (;;) {
        for (c = r->in_head; c && !(c->op && c->op->end == w); c = c->next)
            ;
        if (c == NULL)
            return;
        ws_fail_writes(r, w, c->op->ov, STATUS_PIPE_BROKEN);
        ws_reselect(r);
    }
}

static unsigned ws_fail_reads(ws_end *e, OVERLAPPED *ov, NTSTATUS st)
{
    unsigned n = 0;
    ws_op **pp = &e->reads;
    while (*pp) {
        ws_op *op = *pp;
        if (ov == NULL || op->ov == ov) {
            *pp = op->next;
            ws_op_complete(op, st, 0);
            n++;
        } else {
            pp = &op->next;
        }
    }
    if (e->connect && (ov == NULL || e->connect->ov == ov)) {
        ws_op *op = e->connect;
        e->connect = NULL;
        ws_op_complete(op, st, 0);
        n++;
    }
    return n;
}

/* ---- ends ---- */

static ws_end *ws_end_new(int server, int overlapped)
{
    ws_end *e = calloc(1, sizeof *e);
    if (e == NULL)
        return NULL;
    e->server = server;
    e->overlapped = overlapped;
    e->state = WS_LISTENING;
    return e;
}

static void ws_name_unlink_end(ws_end *e)
{
    ws_name *nm = e->name;
    ws_end **pp;
    if (nm == NULL)
        return;
    for (pp = &nm->ends; *pp; pp = &(*pp)->lnext) {
        if (*pp == e) {
            *pp = e->lnext;
            break;
        }
    }
    if (--nm->instances == 0)
        ws_name_drop(nm);
    e->name = NULL;
}

/* R5, R6, R7: what closing the last handle of an end does. */
void ws_end_close(ws_end *e)
{
    ws_end *peer = e->peer;
    ws_trace("close end h %" PRIu64, e->hval);
    ws_fail_reads(e, NULL, STATUS_PIPE_BROKEN);
    if (peer) {
        ws_fail_writes(peer, e, NULL, STATUS_PIPE_BROKEN);
        ws_fail_writes_in_order(e, peer);
        peer->peer = NULL;
        peer->state = WS_CLOSING;
        ws_pump(peer);
    }
    while (e->in_head) {
        ws_chunk *c = e->in_head;
        e->in_head = c->next;
        ws_chunk_free(c);
    }
    e->in_unread = 0;
    e->in_pending_head = NULL;
    ws_name_unlink_end(e);
    if (e->port)
        ws_port_unref(e->port);
    pthread_cond_broadcast(&ws_g.changed);
    free(e);
}

/* ---- creating and connecting ---- */

static ACCESS_MASK ws_server_access(int can_read, int can_write)
{
    return FILE_READ_ATTRIBUTES | READ_CONTROL | SYNCHRONIZE | (can_read ? FILE_GENERIC_READ : 0) |
           (can_write ? FILE_GENERIC_WRITE : 0);
}

/* R14: the generic rights of a CreateFileW request mapped to specific ones. */
static ACCESS_MASK ws_client_access(DWORD access)
{
    ACCESS_MASK m = access & 0x00FFFFFFu;
    if (access & (GENERIC_READ | GENERIC_ALL))
        m |= FILE_GENERIC_READ;
    if (access & (GENERIC_WRITE | GENERIC_ALL))
        m |= FILE_GENERIC_WRITE;
    return m;
}

/* A listening server end of the other process on nm, first in its list of instances (so
 * the next client reaches it), closed at reset. NULL when out of memory. */
static ws_end *ws_squat_end(ws_name *nm)
{
    ws_end *e = ws_end_new(1, 1);

    if (e == NULL)
        return NULL;
    e->name = nm;
    e->pid = WINSIM_OTHER_PROCESS_ID;
    e->can_read = 1;
    e->read_attributes = 1;
    e->granted = ws_server_access(1, 0);
    e->in_quota = nm->in_quota;
    e->lnext = nm->ends;
    nm->ends = e;
    nm->instances++;
    e->squat_next = ws_g.squatters;
    ws_g.squatters = e;
    return e;
}

/* winsim_squat: the other process creates the name first, unlimited instances, and waits
 * for a client on its one instance. Returns the name, or NULL when out of memory. */
static ws_name *ws_squat_name(LPCWSTR part, size_t len)
{
    ws_name *nm = calloc(1, sizeof *nm);
    int wine;

    if (nm == NULL || (nm->name = malloc(len * sizeof(WCHAR))) == NULL) {
        free(nm);
        return NULL;
    }
    wine = ws_g.squat_platform == WINSIM_SQUAT_WINE ||
           (ws_g.squat_platform == WINSIM_SQUAT_SEEDED && ws_seeded() && ws_chance(2));
    memcpy(nm->name, part, len * sizeof(WCHAR));
    nm->len = len;
    nm->max_instances = PIPE_UNLIMITED_INSTANCES;
    nm->open_mode = PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED; /* ref/'s direction: see R9 */
    nm->out_quota = nm->in_quota = 4096;
    nm->first_instance_ignored = wine;
    if (ws_squat_end(nm) == NULL) {
        free(nm->name);
        free(nm);
        return NULL;
    }
    nm->next = ws_g.names;
    ws_g.names = nm;
    ws_trace("squat %s", wine ? "wine" : "windows");
    return nm;
}

void ws_squatters_reset(void)
{
    while (ws_g.squatters) {
        ws_end *e = ws_g.squatters;
        ws_g.squatters = e->squat_next;
        ws_end_close(e);
    }
}

unsigned winsim_squatter_clients(void)
{
    unsigned n;
    ws_lock();
    n = ws_g.squat_clients;
    ws_unlock();
    return n;
}

int winsim_squat(unsigned count, winsim_squat_platform platform)
{
    if (platform != WINSIM_SQUAT_WINDOWS && platform != WINSIM_SQUAT_WINE &&
        platform != WINSIM_SQUAT_SEEDED && platform != WINSIM_SQUAT_RACE)
        return -1;
    ws_lock();
    ws_g.squat_left = count;
    ws_g.squat_platform = platform;
    ws_unlock();
    return 0;
}

static DWORD ws_create_server(LPCWSTR lpName, DWORD open_mode, DWORD pipe_mode, DWORD max,
                              DWORD out_q, DWORD in_q, HANDLE *out)
{
    size_t len;
    LPCWSTR part = ws_pipe_part(lpName, &len);
    DWORD access = open_mode & PIPE_ACCESS_DUPLEX;
    ws_name *nm;
    ws_end *e;

    if (part == NULL)
        return ERROR_INVALID_NAME;
    if (max == 0 || max > PIPE_UNLIMITED_INSTANCES || access == 0)
        return ERROR_INVALID_PARAMETER;
    if (pipe_mode & (PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_NOWAIT))
        return ERROR_NOT_SUPPORTED; /* not modelled */
    nm = ws_name_find(part, len);
    if (nm == NULL && ws_g.squat_left > 0 && ws_g.squat_platform != WINSIM_SQUAT_RACE) {
        ws_g.squat_left--;
        nm = ws_squat_name(part, len);
        if (nm == NULL)
            return ERROR_NOT_ENOUGH_MEMORY;
    }
    if (nm && (open_mode & FILE_FLAG_FIRST_PIPE_INSTANCE) &&
        !(nm->first_instance_ignored && access == (nm->open_mode & PIPE_ACCESS_DUPLEX)))
        return ERROR_ACCESS_DENIED; /* R9 */
    if (nm && nm->instances >= nm->max_instances)
        return ERROR_PIPE_BUSY;
    e = ws_end_new(1, !!(open_mode & FILE_FLAG_OVERLAPPED));
    if (e == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    if (nm == NULL) {
        nm = calloc(1, sizeof *nm);
        if (nm == NULL || (nm->name = malloc(len * sizeof(WCHAR))) == NULL) {
            free(nm);
            free(e);
            return ERROR_NOT_ENOUGH_MEMORY;
        }
        memcpy(nm->name, part, len * sizeof(WCHAR));
        nm->len = len;
        nm->max_instances = max;
        nm->open_mode = open_mode;
        nm->pipe_mode = pipe_mode;
        nm->out_quota = out_q;
        nm->in_quota = in_q;
        nm->next = ws_g.names;
        ws_g.names = nm;
    }
    *out = ws_handle_new(WS_PIPE, e);
    if (*out == NULL) {
        if (nm->instances == 0)
            ws_name_drop(nm);
        free(e);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    e->hval = ws_hval(*out);
    e->read_attributes = 1; /* CreateNamedPipe's handle may always query its pipe */
    e->name = nm;
    e->pid = GetCurrentProcessId();
    e->can_read = !!(access & PIPE_ACCESS_INBOUND);
    e->can_write = !!(access & PIPE_ACCESS_OUTBOUND);
    e->granted = ws_server_access(e->can_read, e->can_write);
    e->in_quota = nm->in_quota;
    e->pipe_mode = pipe_mode;
    /* instances in creation order: clients connect to the first listening one */
    {
        ws_end **pp = &nm->ends;
        while (*pp)
            pp = &(*pp)->lnext;
        *pp = e;
    }
    nm->instances++;
    return 0;
}

/* Security descriptors are not modelled: only the default (NULL) one is taken. A
 * descriptor pointer the caller left uninitialised is refused, where Windows would read it. */
static DWORD ws_security_checks(const SECURITY_ATTRIBUTES *sa)
{
    return sa && sa->lpSecurityDescriptor ? ERROR_NOT_SUPPORTED : 0;
}

HANDLE WINAPI CreateNamedPipeW(LPCWSTR lpName, DWORD dwOpenMode, DWORD dwPipeMode,
                               DWORD nMaxInstances, DWORD nOutBufferSize, DWORD nInBufferSize,
                               DWORD nDefaultTimeOut, LPSECURITY_ATTRIBUTES lpSecurityAttributes)
{
    HANDLE h = INVALID_HANDLE_VALUE;
    DWORD err = 0;
    char name[128];
    ws_lock();
    if (ws_fault(WS_CALL_CreateNamedPipeW, &err))
        ; /* injected */
    else if ((err = ws_security_checks(lpSecurityAttributes)) == 0)
        err = ws_create_server(lpName, dwOpenMode, dwPipeMode, nMaxInstances, nOutBufferSize,
                               nInBufferSize, &h);
    if (err == 0 && lpSecurityAttributes && lpSecurityAttributes->bInheritHandle)
        ws_handle_entry(h)->flags |= HANDLE_FLAG_INHERIT;
    ws_trace("CreateNamedPipeW %s mode %lx/%lx max %lu q %lu/%lu timeout %lu -> %" PRIu64 "/%lu",
             ws_trace_name(lpName, name, sizeof name), (unsigned long)dwOpenMode,
             (unsigned long)dwPipeMode, (unsigned long)nMaxInstances,
             (unsigned long)nOutBufferSize, (unsigned long)nInBufferSize,
             (unsigned long)nDefaultTimeOut, err ? 0 : ws_hval(h), (unsigned long)err);
    ws_unlock();
    SetLastError(err); /* a successful CreateNamedPipe sets 0 */
    return err ? INVALID_HANDLE_VALUE : h;
}

static DWORD ws_connect_client(LPCWSTR name, DWORD access, DWORD flags, HANDLE *out)
{
    size_t len;
    LPCWSTR part = ws_pipe_part(name, &len);
    int want_read = !!(access & (GENERIC_READ | FILE_READ_DATA));
    int want_write = !!(access & (GENERIC_WRITE | FILE_WRITE_DATA | FILE_APPEND_DATA));
    ws_name *nm = part ? ws_name_find(part, len) : NULL;
    ws_end *s, *c;

    if (nm == NULL)
        return ERROR_FILE_NOT_FOUND;
    if (ws_g.squat_left > 0 && ws_g.squat_platform == WINSIM_SQUAT_RACE && nm->ends &&
        nm->ends->pid != WINSIM_OTHER_PROCESS_ID) {
        ws_g.squat_left--;
        if (ws_squat_end(nm) == NULL)
            return ERROR_NOT_ENOUGH_MEMORY;
        ws_trace("squat race");
    }
    for (s = nm->ends; s; s = s->lnext) {
        if (s->state == WS_LISTENING)
            break;
    }
    if (s == NULL)
        return ERROR_PIPE_BUSY;
    if ((want_read && !s->can_write) || (want_write && !s->can_read))
        return ERROR_ACCESS_DENIED; /* R11 */
    c = ws_end_new(0, !!(flags & FILE_FLAG_OVERLAPPED));
    if (c == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    *out = ws_handle_new(WS_PIPE, c);
    if (*out == NULL) {
        free(c);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    c->hval = ws_hval(*out);
    c->granted = ws_client_access(access);
    c->read_attributes = !!(c->granted & FILE_READ_ATTRIBUTES);
    c->can_read = want_read;
    c->can_write = want_write;
    c->pid = GetCurrentProcessId();
    if (s->pid == WINSIM_OTHER_PROCESS_ID)
        ws_g.squat_clients++;
    c->peer_pid = s->pid;
    s->peer_pid = c->pid;
    c->in_quota = nm->out_quota;
    c->pipe_mode = nm->pipe_mode;
    c->state = s->state = WS_CONNECTED;
    c->peer = s;
    s->peer = c;
    if (s->connect) {
        ws_op *op = s->connect;
        s->connect = NULL;
        ws_op_complete(op, STATUS_SUCCESS, 0);
    }
    return 0;
}

HANDLE WINAPI CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                          LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                          DWORD dwFlagsAndAttributes, HANDLE hTemplateFile)
{
    HANDLE h = INVALID_HANDLE_VALUE;
    DWORD err = 0;
    char name[128];
    (void)dwCreationDisposition;
    (void)hTemplateFile;
    ws_lock();
    if (ws_fault(WS_CALL_CreateFileW, &err))
        ; /* injected */
    else if ((err = ws_security_checks(lpSecurityAttributes)) == 0)
        err = ws_connect_client(lpFileName, dwDesiredAccess, dwFlagsAndAttributes, &h);
    if (err == 0 && lpSecurityAttributes && lpSecurityAttributes->bInheritHandle)
        ws_handle_entry(h)->flags |= HANDLE_FLAG_INHERIT;
    ws_trace("CreateFileW %s access %lx share %lx flags %lx -> %" PRIu64 "/%lu",
             ws_trace_name(lpFileName, name, sizeof name), (unsigned long)dwDesiredAccess,
             (unsigned long)dwShareMode, (unsigned long)dwFlagsAndAttributes, err ? 0 : ws_hval(h),
             (unsigned long)err);
    ws_unlock();
    SetLastError(err);
    return err ? INVALID_HANDLE_VALUE : h;
}

/* ---- issuing I/O ---- */

static ws_op *ws_op_new(enum ws_op_kind kind, ws_end *e, OVERLAPPED *ov, void *buf, DWORD len)
{
    ws_op *op = ws_pool_get(&ws_ops);
    if (op == NULL)
        abort();
    op->kind = kind;
    op->end = e;
    op->ov = ov;
    op->buf = buf;
    op->len = len;
    ov->Internal = STATUS_PENDING;
    ov->InternalHigh = 0;
    return op;
}

/* Wait for a synchronous op; a wait no other thread can end is a deadlock (R-none: the
 * simulation's own rule) and fails with ERROR_OPERATION_ABORTED. */
static void ws_sync_wait(ws_op *op, const char *who)
{
    while (!op->done) {
        if (!ws_other_threads()) {
            ws_deadlock(who);
            ws_fail_reads(op->end, NULL, STATUS_CANCELLED);
            if (op->end->peer)
                ws_fail_writes(op->end->peer, op->end, NULL, STATUS_CANCELLED);
            return;
        }
        pthread_cond_wait(&ws_g.changed, &ws_g.mu);
    }
}

/* How an overlapped op that was just issued reports: at once (TRUE) if it completed
 * during the call, unless a seeded run chooses to report it pending (its packet is
 * queued either way, R4). */
static DWORD ws_issue_result(LPDWORD lpBytes)
{
    if (ws_g.issued_done && NT_SUCCESS(ws_g.issued_status) && !ws_chance(3)) {
        if (lpBytes)
            *lpBytes = ws_g.issued_bytes;
        return 0;
    }
    if (ws_g.issued_done && !NT_SUCCESS(ws_g.issued_status) && !ws_chance(3))
        return RtlNtStatusToDosError(ws_g.issued_status);
    return ERROR_IO_PENDING;
}

static void ws_issue_begin(ws_op *op)
{
    ws_g.issuing = op;
    ws_g.issued_done = 0;
}

/* skip_packet: the call reports success on a FILE_SKIP_COMPLETION_PORT_ON_SUCCESS handle,
 * so no packet is queued; the outcome is in the OVERLAPPED, as GetOverlappedResult reads
 * it. */
static void ws_issue_end(int skip_packet)
{
    ws_port *p = ws_g.issued_port;
    ws_g.issuing = NULL;
    ws_g.issued_port = NULL;
    if (p == NULL)
        return;
    if (skip_packet) {
        ws_g.issued_ov->Internal = (ULONG_PTR)(ULONG)ws_g.issued_status;
        ws_g.issued_ov->InternalHigh = ws_g.issued_bytes;
        ws_trace("no packet h %" PRIu64 " (skip on success)", ws_g.issued_source);
    } else {
        ws_port_deliver(p, ws_g.issued_key, ws_g.issued_ov, ws_g.issued_status, ws_g.issued_bytes,
                        ws_g.issued_source);
    }
    ws_port_unref(p);
}

static DWORD ws_read_checks(ws_end *e, OVERLAPPED *ov, LPVOID buf, DWORD len)
{
    if (e == NULL)
        return ERROR_INVALID_HANDLE;
    if (e->overlapped && ov == NULL)
        return ERROR_INVALID_PARAMETER;
    if (buf == NULL && len)
        return ERROR_NOACCESS;
    if (!e->can_read)
        return ERROR_ACCESS_DENIED;
    if (e->state == WS_LISTENING)
        return ERROR_PIPE_LISTENING;
    if (e->state == WS_CLOSING && e->reads == NULL && ws_avail(e) == 0)
        return ERROR_BROKEN_PIPE; /* R5 */
    return 0;
}

/* The end of a ReadFile/WriteFile issue: an overlapped op reports pending or done; a
 * synchronous one (op == sync, on the caller's stack) is waited for and reported here. */
static DWORD ws_issue_finish(ws_end *e, ws_op *op, ws_op *sync, LPDWORD lpBytes, OVERLAPPED *ov,
                             const char *what)
{
    if (op != sync) {
        DWORD err = ws_issue_result(lpBytes);
        ws_issue_end(err == 0 && e->skip_port);
        return err;
    }
    ws_issue_end(0);
    ws_sync_wait(op, what);
    if (lpBytes)
        *lpBytes = sync->bytes;
    if (ov) {
        ov->Internal = (ULONG_PTR)(ULONG)sync->status;
        ov->InternalHigh = sync->bytes;
    }
    return sync->done && NT_SUCCESS(sync->status) ? 0
           : sync->done                           ? RtlNtStatusToDosError(sync->status)
                                                  : ERROR_OPERATION_ABORTED;
}

static DWORD ws_read(ws_end *e, LPVOID buf, DWORD len, LPDWORD lpRead, OVERLAPPED *ov)
{
    DWORD err = 0;
    ws_op sync = {0}, *op, **pp;
    if (!e->overlapped) {
        sync.kind = WS_OP_READ;
        sync.end = e;
        sync.buf = buf;
        sync.len = len;
        op = &sync;
    } else {
        op = ws_op_new(WS_OP_READ, e, ov, buf, len);
        if (ws_fault_async(WS_CALL_ReadFile_async, &err)) {
            ws_op_complete(op, ws_status_of(err), 0);
            return ERROR_IO_PENDING;
        }
    }
    for (pp = &e->reads; *pp; pp = &(*pp)->next)
        ;
    *pp = op;
    ws_issue_begin(op);
    ws_pump(e);
    return ws_issue_finish(e, op, &sync, lpRead, ov, "synchronous ReadFile");
}

BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                     LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped)
{
    ws_end *e;
    DWORD err = 0;
    ws_lock();
    e = ws_handle_get(hFile, WS_PIPE);
    if (lpNumberOfBytesRead)
        *lpNumberOfBytesRead = 0;
    if (ws_fault(WS_CALL_ReadFile, &err)) {
        /* injected */
    } else if ((err = ws_read_checks(e, lpOverlapped, lpBuffer, nNumberOfBytesToRead)) == 0) {
        err = ws_read(e, lpBuffer, nNumberOfBytesToRead, lpNumberOfBytesRead, lpOverlapped);
    }
    ws_trace("ReadFile %" PRIu64 " %lu -> %lu (%lu)", ws_hval(hFile),
             (unsigned long)nNumberOfBytesToRead, (unsigned long)err,
             lpNumberOfBytesRead ? (unsigned long)*lpNumberOfBytesRead : 0ul);
    ws_unlock();
    SetLastError(err);
    return err == 0;
}

static DWORD ws_write_checks(ws_end *e, OVERLAPPED *ov, LPCVOID buf, DWORD len)
{
    if (e == NULL)
        return ERROR_INVALID_HANDLE;
    if (e->overlapped && ov == NULL)
        return ERROR_INVALID_PARAMETER;
    if (buf == NULL && len)
        return ERROR_NOACCESS;
    if (!e->can_write)
        return ERROR_ACCESS_DENIED;
    if (e->state == WS_LISTENING)
        return ERROR_PIPE_LISTENING;
    if (e->peer == NULL)
        return ERROR_NO_DATA; /* R6 */
    return 0;
}

static DWORD ws_write(ws_end *e, LPCVOID buf, DWORD len, LPDWORD lpWritten, OVERLAPPED *ov)
{
    DWORD err = 0;
    ws_op sync = {0}, *op;
    ws_chunk *c;
    ws_end *r = e->peer;
    if (!e->overlapped) {
        sync.kind = WS_OP_WRITE;
        sync.end = e;
        sync.len = len;
        op = &sync;
    } else {
        op = ws_op_new(WS_OP_WRITE, e, ov, NULL, len);
        if (ws_fault_async(WS_CALL_WriteFile_async, &err)) {
            ws_op_complete(op, ws_status_of(err), 0);
            return ERROR_IO_PENDING;
        }
    }
    ws_issue_begin(op);
    if (len == 0) {
        ws_op_complete(op, STATUS_SUCCESS, 0); /* R3 */
    } else {
        c = ws_pool_get(&ws_chunks);
        if (c == NULL)
            abort();
        c->user = buf;
        c->len = len;
        c->op = op;
        r->in_unread += len;
        if (r->in_pending_head == NULL)
            r->in_pending_head = c;
        if (r->in_tail)
            r->in_tail->next = c;
        else
            r->in_head = c;
        r->in_tail = c;
        ws_pump(r);
    }
    return ws_issue_finish(e, op, &sync, lpWritten, ov, "synchronous WriteFile");
}

BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                      LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped)
{
    ws_end *e;
    DWORD err = 0;
    ws_lock();
    e = ws_handle_get(hFile, WS_PIPE);
    if (lpNumberOfBytesWritten)
        *lpNumberOfBytesWritten = 0;
    if (ws_fault(WS_CALL_WriteFile, &err)) {
        /* injected */
    } else if ((err = ws_write_checks(e, lpOverlapped, lpBuffer, nNumberOfBytesToWrite)) == 0) {
        err = ws_write(e, lpBuffer, nNumberOfBytesToWrite, lpNumberOfBytesWritten, lpOverlapped);
    }
    ws_trace("WriteFile %" PRIu64 " %lu -> %lu (%lu)", ws_hval(hFile),
             (unsigned long)nNumberOfBytesToWrite, (unsigned long)err,
             lpNumberOfBytesWritten ? (unsigned long)*lpNumberOfBytesWritten : 0ul);
    ws_unlock();
    SetLastError(err);
    return err == 0;
}

/* ---- connect, cancel, info ---- */

static DWORD ws_connect(ws_end *e, OVERLAPPED *ov)
{
    if (e == NULL)
        return ERROR_INVALID_HANDLE;
    if (!e->server)
        return ERROR_INVALID_FUNCTION; /* STATUS_ILLEGAL_FUNCTION (ntdll test_create) */
    if (e->state == WS_CONNECTED)
        return ERROR_PIPE_CONNECTED; /* R10 */
    if (e->state == WS_CLOSING)
        return ERROR_NO_DATA;
    if (e->connect)
        return ERROR_INVALID_PARAMETER;
    if (!e->overlapped || ov == NULL) {
        ws_deadlock("synchronous ConnectNamedPipe"); /* no client can come: not modelled */
        return ERROR_OPERATION_ABORTED;
    }
    e->connect = ws_op_new(WS_OP_CONNECT, e, ov, NULL, 0);
    return ERROR_IO_PENDING;
}

BOOL WINAPI ConnectNamedPipe(HANDLE hNamedPipe, LPOVERLAPPED lpOverlapped)
{
    DWORD err = 0;
    ws_lock();
    if (!ws_fault(WS_CALL_ConnectNamedPipe, &err))
        err = ws_connect(ws_handle_get(hNamedPipe, WS_PIPE), lpOverlapped);
    ws_trace("ConnectNamedPipe %" PRIu64 " -> %lu", ws_hval(hNamedPipe), (unsigned long)err);
    ws_unlock();
    SetLastError(err);
    return err == 0;
}

BOOL WINAPI DisconnectNamedPipe(HANDLE hNamedPipe)
{
    (void)hNamedPipe;
    SetLastError(ERROR_NOT_SUPPORTED); /* not modelled */
    return FALSE;
}

static DWORD ws_cancel(ws_end *e, OVERLAPPED *ov)
{
    unsigned n;
    if (e == NULL)
        return ERROR_INVALID_HANDLE;
    n = ws_fail_reads(e, ov, STATUS_CANCELLED);
    if (e->peer) {
        n += ws_fail_writes(e->peer, e, ov, STATUS_CANCELLED);
        ws_pump(e->peer); /* R8: dropping a write may let later ones fit */
    }
    return n ? 0 : ERROR_NOT_FOUND;
}

BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped)
{
    DWORD err = 0;
    ws_lock();
    if (!ws_fault(WS_CALL_CancelIoEx, &err))
        err = ws_cancel(ws_handle_get(hFile, WS_PIPE), lpOverlapped);
    ws_trace("CancelIoEx %" PRIu64 "%s -> %lu", ws_hval(hFile), lpOverlapped ? "" : " all",
             (unsigned long)err);
    ws_unlock();
    if (err)
        SetLastError(err);
    return err == 0;
}

BOOL WINAPI CancelIo(HANDLE hFile)
{
    return CancelIoEx(hFile, NULL) || GetLastError() == ERROR_NOT_FOUND;
}

/* Flags 0 is a no-op that Wine 8 refuses with ERROR_INVALID_PARAMETER on a handle opened
 * without FILE_FLAG_OVERLAPPED (ref/README.md, "Adopting foreign handles").
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: an overlapped ReadFile/WriteFile that returns TRUE
 * queues no packet (R4); the flag stays set for the handle's life (MS: it cannot be
 * cleared). FILE_SKIP_SET_EVENT_ON_HANDLE is accepted: winsim signals no file handle. */
static DWORD ws_notification_modes(ws_end *e, UCHAR flags)
{
    if (e == NULL)
        return ERROR_INVALID_HANDLE;
    if (!e->overlapped ||
        (flags & ~(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE)))
        return ERROR_INVALID_PARAMETER;
    if (flags & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS)
        e->skip_port = 1;
    return 0;
}

BOOL WINAPI SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags)
{
    DWORD err = 0;
    ws_lock();
    if (!ws_fault(WS_CALL_SetFileCompletionNotificationModes, &err))
        err = ws_notification_modes(ws_handle_get(FileHandle, WS_PIPE), Flags);
    ws_trace("SetFileCompletionNotificationModes %" PRIu64 " %u -> %lu", ws_hval(FileHandle),
             (unsigned)Flags, (unsigned long)err);
    ws_unlock();
    if (err)
        SetLastError(err);
    return err == 0;
}

/* Server: PIPE_SERVER_END; sizes as created (W8 reports them unrounded). A client
 * whose server is gone keeps answering (W8: GetNamedPipeClientProcessId after close). */
static DWORD ws_info(ws_end *e, LPDWORD flags, LPDWORD out, LPDWORD in, LPDWORD max)
{
    ws_end *s;
    if (e == NULL)
        return ERROR_INVALID_HANDLE;
    if (!e->read_attributes)
        return ERROR_ACCESS_DENIED; /* "must have GENERIC_WRITE and FILE_READ_ATTRIBUTES
                                     * access for a write-only pipe" (MS GetNamedPipeInfo;
                                     * Wine 8 does not check) */
    s = e->server ? e : e->peer;
    if (flags)
        *flags =
            (e->server ? PIPE_SERVER_END : PIPE_CLIENT_END) | (e->pipe_mode & PIPE_TYPE_MESSAGE);
    if (s && s->name) {
        if (out)
            *out = s->name->out_quota;
        if (in)
            *in = s->name->in_quota;
        if (max)
            *max = s->name->max_instances;
    } else {
        if (out)
            *out = e->in_quota;
        if (in)
            *in = e->in_quota;
        if (max)
            *max = 1;
    }
    return 0;
}

BOOL WINAPI GetNamedPipeInfo(HANDLE hNamedPipe, LPDWORD lpFlags, LPDWORD lpOutBufferSize,
                             LPDWORD lpInBufferSize, LPDWORD lpMaxInstances)
{
    DWORD err = 0;
    ws_lock();
    if (!ws_fault(WS_CALL_GetNamedPipeInfo, &err))
        err = ws_info(ws_handle_get(hNamedPipe, WS_PIPE), lpFlags, lpOutBufferSize, lpInBufferSize,
                      lpMaxInstances);
    ws_trace("GetNamedPipeInfo %" PRIu64 " -> %lu", ws_hval(hNamedPipe), (unsigned long)err);
    ws_unlock();
    if (err)
        SetLastError(err);
    return err == 0;
}

static DWORD ws_handle_state(ws_end *e, LPDWORD state, LPDWORD cur, LPDWORD max_coll,
                             LPDWORD timeout, LPWSTR user, DWORD user_size)
{
    ws_end *s;
    if (e == NULL)
        return ERROR_INVALID_HANDLE;
    if (!e->read_attributes)
        return ERROR_ACCESS_DENIED; /* "GENERIC_READ or FILE_READ_ATTRIBUTES" (MS) */
    s = e->server ? e : e->peer;
    if (state)
        *state = PIPE_WAIT | PIPE_READMODE_BYTE;
    if (cur)
        *cur = s && s->name ? s->name->instances : 1;
    if (max_coll)
        *max_coll = 0;
    if (timeout)
        *timeout = 0;
    if (user && user_size > 0)
        user[0] = 0; /* impersonation is not modelled */
    return 0;
}

BOOL WINAPI GetNamedPipeHandleStateW(HANDLE hNamedPipe, LPDWORD lpState, LPDWORD lpCurInstances,
                                     LPDWORD lpMaxCollectionCount, LPDWORD lpCollectDataTimeout,
                                     LPWSTR lpUserName, DWORD nMaxUserNameSize)
{
    DWORD err = 0;
    ws_lock();
    if (!ws_fault(WS_CALL_GetNamedPipeHandleStateW, &err))
        err = ws_handle_state(ws_handle_get(hNamedPipe, WS_PIPE), lpState, lpCurInstances,
                              lpMaxCollectionCount, lpCollectDataTimeout, lpUserName,
                              nMaxUserNameSize);
    ws_trace("GetNamedPipeHandleStateW %" PRIu64 " -> %lu", ws_hval(hNamedPipe),
             (unsigned long)err);
    ws_unlock();
    if (err)
        SetLastError(err);
    return err == 0;
}

/* R13. server: 1 for the server's process, 0 for the client's. */
static BOOL ws_process_id(HANDLE h, PULONG pid, int server, ws_call call, const char *name)
{
    ws_end *e;
    DWORD err = 0;
    ULONG v = 0;
    ws_lock();
    e = ws_handle_get(h, WS_PIPE);
    if (ws_fault(call, &err)) {
        /* injected */
    } else if (e == NULL) {
        err = ERROR_INVALID_HANDLE;
    } else if (pid == NULL) {
        err = ERROR_INVALID_PARAMETER;
    } else if (!!e->server == server) {
        v = e->pid;
    } else {
        v = e->peer_pid ? e->peer_pid : WS_NO_CLIENT_PID;
    }
    if (err == 0)
        *pid = v;
    ws_trace("%s %" PRIu64 " -> %lx/%lu", name, ws_hval(h), (unsigned long)v, (unsigned long)err);
    ws_unlock();
    if (err)
        SetLastError(err);
    return err == 0;
}

BOOL WINAPI GetNamedPipeServerProcessId(HANDLE Pipe, PULONG ServerProcessId)
{
    return ws_process_id(Pipe, ServerProcessId, 1, WS_CALL_GetNamedPipeServerProcessId,
                         "GetNamedPipeServerProcessId");
}

BOOL WINAPI GetNamedPipeClientProcessId(HANDLE Pipe, PULONG ClientProcessId)
{
    return ws_process_id(Pipe, ClientProcessId, 0, WS_CALL_GetNamedPipeClientProcessId,
                         "GetNamedPipeClientProcessId");
}

/* R14: FileAccessInformation and FileModeInformation. */
NTSTATUS NTAPI NtQueryInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock,
                                      PVOID FileInformation, ULONG Length,
                                      FILE_INFORMATION_CLASS FileInformationClass)
{
    ws_end *e;
    DWORD err = 0;
    NTSTATUS st = STATUS_SUCCESS;
    ws_lock();
    e = ws_handle_get(FileHandle, WS_PIPE);
    if (ws_fault(WS_CALL_NtQueryInformationFile, &err))
        st = (NTSTATUS)err;
    else if (e == NULL)
        st = STATUS_INVALID_HANDLE;
    else if (FileInformationClass != FileAccessInformation &&
             FileInformationClass != FileModeInformation)
        st = STATUS_INVALID_INFO_CLASS;
    else if (Length < sizeof(ULONG) || FileInformation == NULL) /* both are one ULONG */
        st = STATUS_INFO_LENGTH_MISMATCH;
    else if (FileInformationClass == FileAccessInformation)
        ((FILE_ACCESS_INFORMATION *)FileInformation)->AccessFlags = e->granted;
    else
        ((FILE_MODE_INFORMATION *)FileInformation)->Mode =
            e->overlapped ? 0 : FILE_SYNCHRONOUS_IO_NONALERT;
    if (IoStatusBlock) {
        IoStatusBlock->Status = st;
        IoStatusBlock->Information = st == STATUS_SUCCESS ? sizeof(ULONG) : 0;
    }
    ws_trace("NtQueryInformationFile %" PRIu64 " %d -> %lx", ws_hval(FileHandle),
             (int)FileInformationClass, (unsigned long)st);
    ws_unlock();
    return st;
}

BOOL WINAPI PeekNamedPipe(HANDLE hNamedPipe, LPVOID lpBuffer, DWORD nBufferSize,
                          LPDWORD lpBytesRead, LPDWORD lpTotalBytesAvail,
                          LPDWORD lpBytesLeftThisMessage)
{
    ws_end *e;
    DWORD err = 0, avail = 0, copied = 0;
    ws_lock();
    e = ws_handle_get(hNamedPipe, WS_PIPE);
    if (e == NULL) {
        err = ERROR_INVALID_HANDLE;
    } else if ((avail = ws_avail(e)) == 0 && e->state == WS_CLOSING) {
        err = ERROR_BROKEN_PIPE; /* test_CloseHandle: PeekNamedPipe fails once empty */
    } else if (e->state == WS_LISTENING) {
        err = ERROR_BAD_PIPE;
    } else {
        const ws_chunk *c;
        for (c = e->in_head; lpBuffer && c && copied < nBufferSize; c = c->next) {
            DWORD n = c->len - c->pos;
            if (n > nBufferSize - copied)
                n = nBufferSize - copied;
            memcpy((uint8_t *)lpBuffer + copied, ws_chunk_bytes(c) + c->pos, n);
            copied += n;
        }
        if (lpBytesRead)
            *lpBytesRead = copied;
        if (lpTotalBytesAvail)
            *lpTotalBytesAvail = avail;
        if (lpBytesLeftThisMessage)
            *lpBytesLeftThisMessage = 0;
    }
    ws_trace("PeekNamedPipe %" PRIu64 " %lu -> %lu avail %lu", ws_hval(hNamedPipe),
             (unsigned long)nBufferSize, (unsigned long)err, (unsigned long)avail);
    ws_unlock();
    if (err)
        SetLastError(err);
    return err == 0;
}

/* Reads the OVERLAPPED only, as Windows does when not waiting, so it works after the
 * handle was closed. */
BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                LPDWORD lpNumberOfBytesTransferred, BOOL bWait)
{
    NTSTATUS st;
    DWORD err = 0;
    (void)hFile;
    ws_lock();
    while (bWait && (DWORD)lpOverlapped->Internal == STATUS_PENDING && ws_other_threads())
        pthread_cond_wait(&ws_g.changed, &ws_g.mu);
    if ((DWORD)lpOverlapped->Internal == STATUS_PENDING) {
        if (bWait)
            ws_deadlock("GetOverlappedResult(bWait)");
        err = ERROR_IO_INCOMPLETE;
    } else {
        st = (NTSTATUS)(ULONG)lpOverlapped->Internal;
        if (lpNumberOfBytesTransferred)
            *lpNumberOfBytesTransferred = (DWORD)lpOverlapped->InternalHigh;
        if (!NT_SUCCESS(st))
            err = RtlNtStatusToDosError(st);
    }
    ws_unlock();
    if (err)
        SetLastError(err);
    return err == 0;
}
