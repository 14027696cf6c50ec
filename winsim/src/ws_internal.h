/* ws_internal.h: winsim's shared state. One process-wide mutex guards everything; the
 * public functions take it, the ws_ helpers expect it held. */
#ifndef WINSIM_INTERNAL_H
#define WINSIM_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "winsim.h"

/* AddressSanitizer builds: winsim poisons the memory it keeps for reuse (ws_alloc.c and
 * the object pools), so a stale pointer still faults. */
#if defined(__SANITIZE_ADDRESS__)
#define WS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WS_ASAN 1
#endif
#endif
#ifdef WS_ASAN
#include <sanitizer/asan_interface.h>
#define WS_POISON(p, n) __asan_poison_memory_region((p), (n))
#define WS_UNPOISON(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define WS_POISON(p, n) ((void)(p), (void)(n))
#define WS_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* The faultable calls: X(id, "name", documented errors...). The errors are those the
 * Microsoft page of the function (or its Wine test) names, plus the generic resource
 * errors every I/O call can return. "@async" entries fail in the completion instead. */
#define WS_CALLS(X)                                                                               \
    X(CreateNamedPipeW, "CreateNamedPipeW", ERROR_ACCESS_DENIED, ERROR_PIPE_BUSY,                 \
      ERROR_INVALID_PARAMETER, ERROR_NOT_ENOUGH_MEMORY, ERROR_NO_SYSTEM_RESOURCES,                \
      ERROR_TOO_MANY_OPEN_FILES)                                                                  \
    X(CreateFileW, "CreateFileW", ERROR_FILE_NOT_FOUND, ERROR_PIPE_BUSY, ERROR_ACCESS_DENIED,     \
      ERROR_NOT_ENOUGH_MEMORY, ERROR_NO_SYSTEM_RESOURCES, ERROR_TOO_MANY_OPEN_FILES)              \
    X(ConnectNamedPipe, "ConnectNamedPipe", ERROR_NO_DATA, ERROR_INVALID_HANDLE,                  \
      ERROR_NO_SYSTEM_RESOURCES)                                                                  \
    X(ReadFile, "ReadFile", ERROR_BROKEN_PIPE, ERROR_PIPE_NOT_CONNECTED, ERROR_HANDLE_EOF,        \
      ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED, ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_ENOUGH_QUOTA, \
      ERROR_NO_SYSTEM_RESOURCES, ERROR_INVALID_USER_BUFFER, ERROR_OPERATION_ABORTED)              \
    X(ReadFile_async, "ReadFile@async", ERROR_BROKEN_PIPE, ERROR_PIPE_NOT_CONNECTED,              \
      ERROR_HANDLE_EOF, ERROR_OPERATION_ABORTED, ERROR_NO_SYSTEM_RESOURCES,                       \
      ERROR_NOT_ENOUGH_QUOTA, ERROR_IO_DEVICE)                                                    \
    X(WriteFile, "WriteFile", ERROR_NO_DATA, ERROR_BROKEN_PIPE, ERROR_PIPE_NOT_CONNECTED,         \
      ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED, ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_ENOUGH_QUOTA, \
      ERROR_NO_SYSTEM_RESOURCES, ERROR_INVALID_USER_BUFFER)                                       \
    X(WriteFile_async, "WriteFile@async", ERROR_BROKEN_PIPE, ERROR_NO_DATA,                       \
      ERROR_PIPE_NOT_CONNECTED, ERROR_OPERATION_ABORTED, ERROR_NO_SYSTEM_RESOURCES,               \
      ERROR_NOT_ENOUGH_QUOTA, ERROR_IO_DEVICE)                                                    \
    X(CreateIoCompletionPort, "CreateIoCompletionPort", ERROR_INVALID_PARAMETER,                  \
      ERROR_INVALID_HANDLE, ERROR_NOT_ENOUGH_MEMORY, ERROR_NO_SYSTEM_RESOURCES)                   \
    X(GetQueuedCompletionStatusEx, "GetQueuedCompletionStatusEx", ERROR_ABANDONED_WAIT_0,         \
      ERROR_INVALID_HANDLE)                                                                       \
    X(GetQueuedCompletionStatus, "GetQueuedCompletionStatus", ERROR_ABANDONED_WAIT_0,             \
      ERROR_INVALID_HANDLE)                                                                       \
    X(PostQueuedCompletionStatus, "PostQueuedCompletionStatus", ERROR_INVALID_HANDLE,             \
      ERROR_NOT_ENOUGH_MEMORY, ERROR_NO_SYSTEM_RESOURCES)                                         \
    X(CancelIoEx, "CancelIoEx", ERROR_NOT_FOUND, ERROR_INVALID_HANDLE)                            \
    X(SetFileCompletionNotificationModes, "SetFileCompletionNotificationModes",                   \
      ERROR_INVALID_PARAMETER, ERROR_INVALID_HANDLE)                                              \
    X(CloseHandle, "CloseHandle", ERROR_INVALID_HANDLE)                                           \
    X(GetNamedPipeInfo, "GetNamedPipeInfo", ERROR_INVALID_HANDLE, ERROR_PIPE_NOT_CONNECTED,       \
      ERROR_ACCESS_DENIED)                                                                        \
    X(GetFileType, "GetFileType", ERROR_INVALID_HANDLE)                                           \
    X(GetNamedPipeHandleStateW, "GetNamedPipeHandleStateW", ERROR_INVALID_HANDLE,                 \
      ERROR_ACCESS_DENIED)                                                                        \
    X(GetNamedPipeServerProcessId, "GetNamedPipeServerProcessId", ERROR_INVALID_HANDLE,           \
      ERROR_PIPE_NOT_CONNECTED)                                                                   \
    X(GetNamedPipeClientProcessId, "GetNamedPipeClientProcessId", ERROR_INVALID_HANDLE,           \
      ERROR_PIPE_NOT_CONNECTED)                                                                   \
    X(NtQueryInformationFile, "NtQueryInformationFile", (DWORD)STATUS_INVALID_HANDLE,             \
      (DWORD)STATUS_ACCESS_DENIED)                                                                \
    X(SetHandleInformation, "SetHandleInformation", ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED,    \
      ERROR_INVALID_PARAMETER)                                                                    \
    X(BCryptGenRandom, "BCryptGenRandom", (DWORD)STATUS_INVALID_HANDLE,                           \
      (DWORD)STATUS_INVALID_PARAMETER, (DWORD)STATUS_NO_MEMORY)                                   \
    X(HeapAlloc, "HeapAlloc", ERROR_NOT_ENOUGH_MEMORY)                                            \
    X(malloc, "malloc", ERROR_NOT_ENOUGH_MEMORY)                                                  \
    X(CreateThread, "CreateThread", ERROR_NOT_ENOUGH_MEMORY)

typedef enum ws_call {
#define WS__CALL_ENUM(id, name, ...) WS_CALL_##id,
    WS_CALLS(WS__CALL_ENUM)
#undef WS__CALL_ENUM
        WS_CALL_COUNT
} ws_call;

enum ws_kind { WS_FREE = 0, WS_PORT = 1, WS_PIPE = 2, WS_THREAD = 3 };

typedef struct ws_packet {
    struct ws_packet *next;
    ULONG_PTR key;
    OVERLAPPED *ov;
    NTSTATUS status;
    DWORD bytes;
    uint64_t source; /* handle value of the completing end; 0 for posted packets */
    uint64_t seq;    /* the simulated call that queued it */
} ws_packet;

typedef struct ws_port {
    unsigned refs; /* the handle, each bound end, each waiter */
    int handle_open;
    ws_packet *q_head, *q_tail; /* queued: visible to GetQueuedCompletionStatus(Ex) */
    pthread_cond_t cv;
} ws_port;

typedef struct ws_end ws_end;

enum ws_op_kind { WS_OP_READ, WS_OP_WRITE, WS_OP_CONNECT };

typedef struct ws_op {
    struct ws_op *next;
    enum ws_op_kind kind;
    ws_end *end;
    OVERLAPPED *ov; /* NULL: a synchronous call waits for done */
    uint8_t *buf;
    DWORD len;
    int done;
    NTSTATUS status;
    DWORD bytes;
} ws_op;

/* Bytes one end has written for the other to read, in order. A write that did not fit
 * the quota stays pending and keeps pointing at the caller's buffer (which Windows says
 * must stay valid until completion) until it fits; then its rest is copied. */
typedef struct ws_chunk {
    struct ws_chunk *next;
    const uint8_t *user; /* caller's buffer while op is pending */
    uint8_t *data;       /* our copy once buffered */
    DWORD len, pos;
    ws_op *op; /* the pending write, NULL once it completed */
} ws_chunk;

typedef struct ws_name ws_name;

enum ws_state { WS_LISTENING, WS_CONNECTED, WS_CLOSING };

struct ws_end {
    uint64_t hval;
    int server;
    enum ws_state state;
    int can_read, can_write, overlapped, read_attributes;
    int skip_port;               /* FILE_SKIP_COMPLETION_PORT_ON_SUCCESS set (R4) */
    ACCESS_MASK granted;         /* the handle's access rights (FileAccessInformation) */
    DWORD pid;                   /* the process that created the end */
    DWORD peer_pid;              /* the process of the end it connected to (kept after it goes) */
    ws_end *squat_next;          /* squatter ends: ws_g.squatters list */
    ws_name *name;               /* server ends: their pipe name */
    ws_end *peer;                /* NULL when not connected or the peer is gone */
    ws_end *lnext;               /* server ends: the name's instance list */
    ws_chunk *in_head, *in_tail; /* written by the peer, for this end to read */
    DWORD in_unread;             /* unread bytes in the queue */
    ws_chunk *in_pending_head;   /* the first chunk whose write is pending; all after it are */
    DWORD in_quota;
    ws_op *reads;   /* pending reads, FIFO */
    ws_op *connect; /* pending ConnectNamedPipe */
    ws_port *port;
    ULONG_PTR key;
    DWORD pipe_mode;
};

struct ws_name {
    ws_name *next;
    WCHAR *name;
    size_t len;
    DWORD max_instances, instances;
    DWORD open_mode, pipe_mode, out_quota, in_quota;
    int first_instance_ignored; /* winsim_squat, Wine's platform: FIRST_PIPE_INSTANCE and
                                 * nMaxInstances 1 do not refuse another instance */
    ws_end *ends;               /* server instances, in creation order */
};

typedef struct ws_thread ws_thread;

typedef struct ws_handle {
    enum ws_kind kind;
    DWORD flags; /* HANDLE_FLAG_* */
    void *obj;
} ws_handle;

/* Recycled small objects (packets, operations, chunks): each I/O allocated and freed
 * several, and the allocator (ASan's, in the fuzz build) was a good part of a fuzz run. */
typedef struct ws_pool {
    void *head; /* free objects, linked through their first bytes */
    unsigned n;
    size_t size;
} ws_pool;

/* malloc and free, but under ASan large blocks are recycled at the next reset
 * (ws_alloc.c). overwritten: the caller writes all size bytes at once, so a reused block
 * need not be made to look new. */
void *ws_big_malloc(size_t size, int overwritten);
void ws_big_free(void *ptr);
void ws_big_reset(void);

/* A zeroed object (NULL when out of memory); ws_pool_put gives it back. Under the lock. */
void *ws_pool_get(ws_pool *p);
void ws_pool_put(ws_pool *p, void *obj);
extern ws_pool ws_packets, ws_ops, ws_chunks;

typedef struct ws_global {
    pthread_mutex_t mu;
    pthread_cond_t changed; /* any pipe state change, for blocking synchronous I/O */
    int init;
    ws_handle *handles;
    size_t nhandles, cap, next_free, open;
    ws_name *names;
    uint64_t seed, rng;
    uint64_t trace_hash;
    int trace_print;
    void (*trace_sink)(const char *event, void *ctx); /* winsim_trace_sink */
    void *trace_sink_ctx;
    int short_reads;        /* seeded runs may return fewer bytes than available */
    int reuse_handles;      /* winsim_reuse_handle_values: hand out the last freed value */
    size_t last_freed;      /* 1 + index of the handle slot freed last, 0 if none */
    unsigned squat_left;    /* winsim_squat: CreateNamedPipeW calls still to squat */
    int squat_platform;     /* winsim_squat_platform */
    ws_end *squatters;      /* the other process's server ends, closed at reset */
    unsigned squat_clients; /* winsim_squatter_clients */
    unsigned calls[WS_CALL_COUNT];
    unsigned deadlocks;
    unsigned faults_fired;
    ULONGLONG clock_ms;
    uint64_t call_seq; /* one per public call (taken lock) */
    /* the operation being issued by the current call, to tell "completed at once" */
    ws_op *issuing;
    int issued_done;
    NTSTATUS issued_status;
    DWORD issued_bytes;
    /* its packet, queued when the call returns (after those it caused) */
    ws_port *issued_port;
    ULONG_PTR issued_key;
    OVERLAPPED *issued_ov;
    uint64_t issued_source;
} ws_global;

extern ws_global ws_g;

void ws_lock(void);
void ws_unlock(void);

/* handles */
HANDLE ws_handle_new(enum ws_kind kind, void *obj);
void *ws_handle_get(HANDLE h, enum ws_kind kind);
ws_handle *ws_handle_entry(HANDLE h);
void ws_handle_free(HANDLE h);
uint64_t ws_hval(HANDLE h);

/* choices */
int ws_seeded(void);
uint64_t ws_rand(void);
int ws_chance(unsigned one_in);
unsigned ws_below(unsigned n);

/* faults: counts the call; 1 (and *err, *async) if an armed fault fires now */
int ws_fault(ws_call call, DWORD *err);
int ws_fault_async(ws_call async_call, DWORD *err);

void ws_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *ws_trace_name(LPCWSTR name, char *buf, size_t cap);
int ws_other_threads(void);
void ws_deadlock(const char *what);
NTSTATUS ws_status_of(DWORD win32);

/* iocp */
void ws_port_ref(ws_port *p);
void ws_port_unref(ws_port *p);
void ws_port_deliver(ws_port *p, ULONG_PTR key, OVERLAPPED *ov, NTSTATUS st, DWORD bytes,
                     uint64_t source);
void ws_port_close_handle(ws_port *p);

/* pipes */
void ws_end_close(ws_end *e);
void ws_op_complete(ws_op *op, NTSTATUS status, DWORD bytes);
void ws_names_reset(void);
void ws_squatters_reset(void);

/* threads */
void ws_thread_close(ws_thread *t);

#endif /* WINSIM_INTERNAL_H */
