/* ws_core.c: the handle table, the seeded generator, the trace, fault injection, the
 * Win32 <-> NTSTATUS table, and the small kernel32/bcrypt calls. */
#define _GNU_SOURCE
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bcrypt.h>

#include "ws_internal.h"

ws_global ws_g = {.mu = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};

/* GetLastError is per thread: "The last-error code is maintained on a per-thread basis"
 * (GetLastError, Microsoft Learn). */
static _Thread_local DWORD ws_last_error;

DWORD WINAPI GetLastError(void)
{
    return ws_last_error;
}

void WINAPI SetLastError(DWORD dwErrCode)
{
    ws_last_error = dwErrCode;
}

/* ---- seed and generator (splitmix64) ---- */

static uint64_t ws_env_seed(void)
{
    const char *s = getenv("WINSIM_SEED");
    return s ? strtoull(s, NULL, 0) : 0;
}

static void ws_init_locked(void)
{
    const char *t;
    if (ws_g.init)
        return;
    ws_g.init = 1;
    ws_g.seed = ws_env_seed();
    ws_g.rng = ws_g.seed;
    ws_g.clock_ms = 1000000;
    ws_g.trace_hash = 0xcbf29ce484222325ULL;
    t = getenv("WINSIM_TRACE");
    ws_g.trace_print = t && *t && *t != '0';
    t = getenv("WINSIM_SHORT_READS");
    ws_g.short_reads = !(t && *t == '0');
}

void ws_lock(void)
{
    pthread_mutex_lock(&ws_g.mu);
    ws_init_locked();
    ws_g.call_seq++;
}

void ws_unlock(void)
{
    pthread_mutex_unlock(&ws_g.mu);
}

int ws_seeded(void)
{
    return ws_g.seed != 0;
}

uint64_t ws_rand(void)
{
    uint64_t z = (ws_g.rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

int ws_chance(unsigned one_in)
{
    return ws_seeded() && one_in && ws_rand() % one_in == 0;
}

unsigned ws_below(unsigned n)
{
    return n ? (unsigned)(ws_rand() % n) : 0;
}

void winsim_seed(uint64_t seed)
{
    ws_lock();
    ws_g.seed = seed;
    ws_g.rng = seed;
    ws_g.trace_hash = 0xcbf29ce484222325ULL;
    ws_unlock();
}

uint64_t winsim_current_seed(void)
{
    uint64_t s;
    ws_lock();
    s = ws_g.seed;
    ws_unlock();
    return s;
}

/* ---- recycled objects ---- */

#define WS_POOL_MAX 1024 /* objects kept per pool; more go back to the allocator */

ws_pool ws_packets = {.size = sizeof(ws_packet)};
ws_pool ws_ops = {.size = sizeof(ws_op)};
ws_pool ws_chunks = {.size = sizeof(ws_chunk)};

void *ws_pool_get(ws_pool *p)
{
    void *obj = p->head;
    if (obj == NULL)
        return calloc(1, p->size);
    WS_UNPOISON(obj, p->size);
    memcpy(&p->head, obj, sizeof p->head);
    p->n--;
    memset(obj, 0, p->size);
    return obj;
}

void ws_pool_put(ws_pool *p, void *obj)
{
    if (obj == NULL)
        return;
    if (p->n == WS_POOL_MAX) {
        free(obj);
        return;
    }
    memcpy(obj, &p->head, sizeof p->head);
    p->head = obj;
    p->n++;
    /* A stale pointer to a recycled object still faults, past the link: LeakSanitizer does
     * not follow pointers kept in poisoned memory. */
    WS_POISON((char *)obj + sizeof p->head, p->size - sizeof p->head);
}

/* ---- trace ---- */

/* The trace hash covers the format and the raw values of its conversions: formatting every
 * call as text only to hash it was most of a fuzz execution's cost. A format is parsed once
 * (a small cache keyed by its address; the formats are literals) into the hash of its text
 * and the kinds of its arguments. */
#define WS_FMT_CACHE 128 /* the shift below takes 7 bits */
#define WS_FMT_ARGS 12

enum ws_arg { WS_ARG_INT = 1, WS_ARG_LONG, WS_ARG_LLONG, WS_ARG_PTR, WS_ARG_STR };

typedef struct ws_fmt {
    const char *fmt;
    uint64_t hash;
    unsigned char arg[WS_FMT_ARGS]; /* enum ws_arg, 0 ends */
} ws_fmt;

static ws_fmt ws_fmts[WS_FMT_CACHE];

/* Knows the conversions winsim uses: d i u x X c s p, with h, l, ll, z or j. */
static void ws_fmt_parse(ws_fmt *c, const char *fmt)
{
    const char *f;
    unsigned n = 0;
    memset(c, 0, sizeof *c);
    c->fmt = fmt;
    c->hash = 0xcbf29ce484222325ULL;
    for (f = fmt; *f != '\0'; f++) {
        unsigned lng = 0;
        c->hash = (c->hash ^ (unsigned char)*f) * 0x100000001b3ULL;
        if (*f != '%')
            continue;
        if (*++f == '\0')
            break;
        c->hash = (c->hash ^ (unsigned char)*f) * 0x100000001b3ULL;
        while (*f != '\0' && strchr("-+ #0123456789.", *f) != NULL)
            f++;
        for (; *f == 'l' || *f == 'h' || *f == 'z' || *f == 'j'; f++)
            lng += *f == 'l' ? 1 : *f == 'h' ? 0 : 2;
        if (*f == '\0' || n == WS_FMT_ARGS - 1)
            break;
        if (*f == 's')
            c->arg[n++] = WS_ARG_STR;
        else if (*f == 'p')
            c->arg[n++] = WS_ARG_PTR;
        else if (strchr("diuxXc", *f) != NULL)
            c->arg[n++] = lng >= 2 ? WS_ARG_LLONG : lng == 1 ? WS_ARG_LONG : WS_ARG_INT;
    }
}

/* Runs for every simulated call: the fuzz build's sanitizers and edge counters cost more
 * here than the hashing; it reads only its arguments and its own cache. */
#if defined(__clang__)
#define WS_UNINSTRUMENTED __attribute__((no_sanitize("address", "undefined", "coverage")))
#elif defined(__has_attribute)
#if __has_attribute(no_sanitize) && __has_attribute(no_sanitize_coverage)
#define WS_UNINSTRUMENTED                                                                         \
    __attribute__((no_sanitize("address", "undefined"), no_sanitize_coverage))
#endif
#endif
#ifndef WS_UNINSTRUMENTED
#define WS_UNINSTRUMENTED
#endif

/* Same attributes as its caller, or the compiler may not inline it. */
WS_UNINSTRUMENTED static inline uint64_t ws_mix(uint64_t h, uint64_t v)
{
    h = (h ^ v) * 0x100000001b3ULL;
    return h ^ (h >> 29);
}

WS_UNINSTRUMENTED static void ws_trace_hash(const char *fmt, va_list ap)
{
    /* Fibonacci hashing: literals are often 32-byte aligned (ASan pads them). */
    ws_fmt *c = &ws_fmts[((uint64_t)(uintptr_t)fmt * 0x9E3779B97F4A7C15ULL) >> 57];
    uint64_t h = ws_g.trace_hash;
    unsigned i;

    if (c->fmt != fmt)
        ws_fmt_parse(c, fmt);
    h = ws_mix(h, c->hash);
    for (i = 0; c->arg[i] != 0; i++) {
        const char *s;
        switch (c->arg[i]) {
        case WS_ARG_INT:
            h = ws_mix(h, va_arg(ap, unsigned));
            break;
        case WS_ARG_LONG:
            h = ws_mix(h, va_arg(ap, unsigned long));
            break;
        case WS_ARG_LLONG:
            h = ws_mix(h, va_arg(ap, unsigned long long));
            break;
        case WS_ARG_PTR:
            h = ws_mix(h, (uintptr_t)va_arg(ap, void *));
            break;
        default:
            for (s = va_arg(ap, const char *); s != NULL && *s != '\0'; s++)
                h = ws_mix(h, (unsigned char)*s);
        }
    }
    ws_g.trace_hash = h;
}

void ws_trace(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ws_trace_hash(fmt, ap);
    va_end(ap);
    if (ws_g.trace_print || ws_g.trace_sink) {
        char buf[320];
        va_start(ap, fmt);
        vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        if (ws_g.trace_print)
            fprintf(stderr, "winsim: %s\n", buf);
        if (ws_g.trace_sink)
            ws_g.trace_sink(buf, ws_g.trace_sink_ctx);
    }
}

uint64_t winsim_trace_hash(void)
{
    uint64_t h;
    ws_lock();
    h = ws_g.trace_hash;
    ws_unlock();
    return h;
}

void winsim_trace_print(int on)
{
    ws_lock();
    ws_g.trace_print = on;
    ws_unlock();
}

void winsim_trace_sink(winsim_trace_sink_fn sink, void *ctx)
{
    ws_lock();
    ws_g.trace_sink = sink;
    ws_g.trace_sink_ctx = ctx;
    ws_unlock();
}

/* A pipe name for the trace: ASCII as is, anything else as '?'. */
const char *ws_trace_name(LPCWSTR name, char *buf, size_t cap)
{
    size_t i = 0;
    for (; name && name[i] && i + 1 < cap; i++)
        buf[i] = name[i] < 0x80 ? (char)name[i] : '?';
    buf[i] = 0;
    return buf;
}

/* ---- waits that can never end ---- */

/* Another thread could still post a packet or move data only if one exists. */
int ws_other_threads(void)
{
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    int n = 0;
    if (d == NULL)
        return 1; /* cannot tell: assume another thread may act */
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n > 1;
}

void ws_deadlock(const char *what)
{
    ws_g.deadlocks++;
    fprintf(stderr,
            "winsim: deadlock: %s would wait forever: nothing queued or in flight and no "
            "other thread posting (seed %" PRIu64 ")\n",
            what, ws_g.seed);
    ws_trace("deadlock %s", what);
}

unsigned winsim_deadlocks(void)
{
    unsigned n;
    ws_lock();
    n = ws_g.deadlocks;
    ws_unlock();
    return n;
}

/* ---- handles ---- */

HANDLE ws_handle_new(enum ws_kind kind, void *obj)
{
    size_t i;
    if (ws_g.nhandles == ws_g.cap) {
        size_t cap = ws_g.cap ? ws_g.cap * 2 : 64;
        ws_handle *t = realloc(ws_g.handles, cap * sizeof *t);
        if (t == NULL)
            return NULL;
        memset(t + ws_g.cap, 0, (cap - ws_g.cap) * sizeof *t);
        ws_g.handles = t;
        ws_g.cap = cap;
    }
    /* Values grow and are not reused until reset, so a stale handle is caught as
     * ERROR_INVALID_HANDLE instead of reaching a newer object; unless a test asks for
     * Windows' reuse of the value freed last. */
    if (ws_g.reuse_handles && ws_g.last_freed != 0 &&
        ws_g.handles[ws_g.last_freed - 1].kind == WS_FREE) {
        i = ws_g.last_freed - 1;
        ws_g.last_freed = 0;
    } else {
        i = ws_g.nhandles++;
    }
    ws_g.handles[i].kind = kind;
    ws_g.handles[i].flags = 0;
    ws_g.handles[i].obj = obj;
    ws_g.open++;
    return (HANDLE)(uintptr_t)((i + 1) * 4);
}

ws_handle *ws_handle_entry(HANDLE h)
{
    uintptr_t v = (uintptr_t)h;
    size_t i;
    if (v == 0 || v % 4 != 0)
        return NULL;
    i = v / 4 - 1;
    if (i >= ws_g.nhandles || ws_g.handles[i].kind == WS_FREE)
        return NULL;
    return &ws_g.handles[i];
}

void *ws_handle_get(HANDLE h, enum ws_kind kind)
{
    ws_handle *e = ws_handle_entry(h);
    return e && e->kind == kind ? e->obj : NULL;
}

void ws_handle_free(HANDLE h)
{
    ws_handle *e = ws_handle_entry(h);
    if (e == NULL)
        return;
    e->kind = WS_FREE;
    e->obj = NULL;
    ws_g.open--;
    ws_g.last_freed = (size_t)(e - ws_g.handles) + 1;
}

void winsim_reuse_handle_values(int on)
{
    ws_lock();
    ws_g.reuse_handles = on;
    ws_g.last_freed = 0;
    ws_unlock();
}

uint64_t ws_hval(HANDLE h)
{
    return (uint64_t)(uintptr_t)h;
}

size_t winsim_open_handles(void)
{
    size_t n;
    ws_lock();
    n = ws_g.open;
    ws_unlock();
    return n;
}

/* ---- faults ---- */

typedef struct ws_call_info {
    const char *name;
    const DWORD *errors;
    size_t nerrors;
    ws_call counts_as; /* the call whose invocations this one counts */
} ws_call_info;

#define WS__ERRS(id, name, ...) static const DWORD ws_errs_##id[] = {__VA_ARGS__};
WS_CALLS(WS__ERRS)
#undef WS__ERRS

static const ws_call_info ws_calls[WS_CALL_COUNT] = {
#define WS__INFO(id, name, ...)                                                                   \
    {name, ws_errs_##id, sizeof ws_errs_##id / sizeof ws_errs_##id[0], WS_CALL_##id},
    WS_CALLS(WS__INFO)
#undef WS__INFO
};

static ws_call ws_counts_as(ws_call c)
{
    if (c == WS_CALL_ReadFile_async)
        return WS_CALL_ReadFile;
    if (c == WS_CALL_WriteFile_async)
        return WS_CALL_WriteFile;
    return c;
}

enum { WS_MAX_FAULTS = 64 };
static struct {
    ws_call call;
    unsigned nth;
    DWORD error;
} ws_faults[WS_MAX_FAULTS];
static size_t ws_nfaults;

static int ws_call_by_name(const char *name, ws_call *out)
{
    int i;
    for (i = 0; name && i < WS_CALL_COUNT; i++) {
        if (strcmp(ws_calls[i].name, name) == 0) {
            *out = (ws_call)i;
            return 1;
        }
    }
    return 0;
}

static int ws_fault_check(ws_call call, DWORD *err)
{
    unsigned n = ws_g.calls[ws_counts_as(call)];
    size_t i;
    for (i = 0; i < ws_nfaults; i++) {
        if (ws_faults[i].call == call && ws_faults[i].nth == n) {
            *err = ws_faults[i].error;
            ws_g.faults_fired++;
            ws_trace("fault %s #%u error %lu", ws_calls[call].name, n, (unsigned long)*err);
            return 1;
        }
    }
    return 0;
}

int ws_fault(ws_call call, DWORD *err)
{
    ws_g.calls[call]++;
    return ws_fault_check(call, err);
}

int ws_fault_async(ws_call async_call, DWORD *err)
{
    return ws_fault_check(async_call, err);
}

int winsim_fail(const char *call, unsigned nth, DWORD error)
{
    ws_call c;
    int rc = -1;
    ws_lock();
    if (nth > 0 && ws_nfaults < WS_MAX_FAULTS && ws_call_by_name(call, &c)) {
        ws_faults[ws_nfaults].call = c;
        ws_faults[ws_nfaults].nth = nth;
        ws_faults[ws_nfaults].error = error;
        ws_nfaults++;
        rc = 0;
    }
    ws_unlock();
    return rc;
}

void winsim_fail_clear(void)
{
    ws_lock();
    ws_nfaults = 0;
    ws_unlock();
}

unsigned winsim_faults_fired(void)
{
    unsigned n;
    ws_lock();
    n = ws_g.faults_fired;
    ws_unlock();
    return n;
}

unsigned winsim_call_count(const char *call)
{
    ws_call c;
    unsigned n = 0;
    ws_lock();
    if (ws_call_by_name(call, &c))
        n = ws_g.calls[ws_counts_as(c)];
    ws_unlock();
    return n;
}

const DWORD *winsim_call_errors(const char *call, size_t *n)
{
    ws_call c;
    if (!ws_call_by_name(call, &c)) {
        if (n)
            *n = 0;
        return NULL;
    }
    if (n)
        *n = ws_calls[c].nerrors;
    return ws_calls[c].errors;
}

size_t winsim_sweep_points(winsim_fault_point *out, size_t cap)
{
    size_t total = 0, e;
    unsigned nth;
    int c;
    ws_lock();
    for (c = 0; c < WS_CALL_COUNT; c++) {
        unsigned count = ws_g.calls[ws_counts_as((ws_call)c)];
        for (nth = 1; nth <= count; nth++) {
            for (e = 0; e < ws_calls[c].nerrors; e++, total++) {
                if (out && total < cap) {
                    out[total].call = ws_calls[c].name;
                    out[total].nth = nth;
                    out[total].error = ws_calls[c].errors[e];
                }
            }
        }
    }
    ws_unlock();
    return total;
}

/* ---- Win32 <-> NTSTATUS (the values Windows puts in OVERLAPPED.Internal) ---- */

#define WS_STATUS_MAP(X)                                                                          \
    X(ERROR_SUCCESS, STATUS_SUCCESS)                                                              \
    X(ERROR_IO_PENDING, (NTSTATUS)STATUS_PENDING)                                                 \
    X(ERROR_BROKEN_PIPE, STATUS_PIPE_BROKEN)                                                      \
    X(ERROR_NO_DATA, STATUS_PIPE_CLOSING)                                                         \
    X(ERROR_PIPE_NOT_CONNECTED, STATUS_PIPE_DISCONNECTED)                                         \
    X(ERROR_PIPE_LISTENING, STATUS_PIPE_LISTENING)                                                \
    X(ERROR_PIPE_CONNECTED, STATUS_PIPE_CONNECTED)                                                \
    X(ERROR_PIPE_BUSY, STATUS_PIPE_BUSY)                                                          \
    X(ERROR_OPERATION_ABORTED, STATUS_CANCELLED)                                                  \
    X(ERROR_HANDLE_EOF, STATUS_END_OF_FILE)                                                       \
    X(ERROR_NO_SYSTEM_RESOURCES, STATUS_INSUFFICIENT_RESOURCES)                                   \
    X(ERROR_NOT_ENOUGH_QUOTA, STATUS_QUOTA_EXCEEDED)                                              \
    X(ERROR_NOT_ENOUGH_MEMORY, STATUS_NO_MEMORY)                                                  \
    X(ERROR_INVALID_HANDLE, STATUS_INVALID_HANDLE)                                                \
    X(ERROR_INVALID_PARAMETER, STATUS_INVALID_PARAMETER)                                          \
    X(ERROR_ACCESS_DENIED, STATUS_ACCESS_DENIED)                                                  \
    X(ERROR_IO_DEVICE, STATUS_IO_DEVICE_ERROR)                                                    \
    X(ERROR_MORE_DATA, STATUS_BUFFER_OVERFLOW)                                                    \
    X(ERROR_NOT_FOUND, STATUS_NOT_FOUND)                                                          \
    X(ERROR_INVALID_USER_BUFFER, STATUS_INVALID_USER_BUFFER)                                      \
    X(ERROR_NOT_SUPPORTED, STATUS_NOT_SUPPORTED)                                                  \
    X(ERROR_INVALID_FUNCTION, STATUS_INVALID_DEVICE_REQUEST)                                      \
    X(ERROR_TOO_MANY_OPEN_FILES, STATUS_TOO_MANY_OPENED_FILES)                                    \
    X(ERROR_FILE_NOT_FOUND, STATUS_OBJECT_NAME_NOT_FOUND)                                         \
    X(ERROR_CONNECTION_ABORTED, STATUS_CONNECTION_ABORTED)

/* Win32 errors without an entry travel as FACILITY_NTWIN32 statuses (0xC007xxxx), which
 * RtlNtStatusToDosError turns back into the same code. */
NTSTATUS ws_status_of(DWORD win32)
{
#define WS__TO_NT(w, s)                                                                           \
    if (win32 == (DWORD)(w))                                                                      \
        return (s);
    WS_STATUS_MAP(WS__TO_NT)
#undef WS__TO_NT
    return (NTSTATUS)(0xC0070000u | (win32 & 0xFFFF));
}

ULONG WINAPI RtlNtStatusToDosError(NTSTATUS Status)
{
#define WS__TO_W32(w, s)                                                                          \
    if (Status == (s))                                                                            \
        return (ULONG)(w);
    WS_STATUS_MAP(WS__TO_W32)
#undef WS__TO_W32
    if (((ULONG)Status & 0xFFFF0000u) == 0xC0070000u)
        return (ULONG)Status & 0xFFFF;
    return 317; /* ERROR_MR_MID_NOT_FOUND, as Windows for an unknown status */
}

/* ---- small kernel32 calls ---- */

/* One simulated process: a fixed id keeps names, and so traces, reproducible. */
DWORD WINAPI GetCurrentProcessId(void)
{
    return 0x1234;
}

DWORD WINAPI GetCurrentThreadId(void)
{
    return (DWORD)(uintptr_t)pthread_self();
}

/* Virtual milliseconds: advanced by the timeouts the simulation "waits". */
ULONGLONG WINAPI GetTickCount64(void)
{
    ULONGLONG t;
    ws_lock();
    t = ws_g.clock_ms;
    ws_unlock();
    return t;
}

DWORD WINAPI GetTickCount(void)
{
    return (DWORD)GetTickCount64();
}

void WINAPI Sleep(DWORD dwMilliseconds)
{
    struct timespec ts = {dwMilliseconds / 1000, (long)(dwMilliseconds % 1000) * 1000000L};
    ws_lock();
    ws_g.clock_ms += dwMilliseconds;
    ws_unlock();
    if (ws_other_threads())
        nanosleep(&ts, NULL);
}

HANDLE WINAPI GetProcessHeap(void)
{
    return (HANDLE)(uintptr_t)0x7e570000u;
}

static int ws_alloc_fault(ws_call call)
{
    DWORD err;
    int f;
    ws_lock();
    f = ws_fault(call, &err);
    ws_unlock();
    return f;
}

LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes)
{
    (void)hHeap;
    if (ws_alloc_fault(WS_CALL_HeapAlloc))
        return NULL;
    if (dwFlags & HEAP_ZERO_MEMORY)
        return calloc(1, dwBytes ? dwBytes : 1);
    return malloc(dwBytes ? dwBytes : 1);
}

LPVOID WINAPI HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes)
{
    (void)hHeap;
    (void)dwFlags;
    return realloc(lpMem, dwBytes ? dwBytes : 1);
}

BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem)
{
    (void)hHeap;
    (void)dwFlags;
    free(lpMem);
    return TRUE;
}

/* For ref's allocation hook (eve__set_allocator): a faultable malloc named "malloc". */
void *winsim_malloc(size_t size)
{
    if (ws_alloc_fault(WS_CALL_malloc))
        return NULL;
    return ws_big_malloc(size, 0);
}

void winsim_free(void *ptr)
{
    ws_big_free(ptr);
}

/* Drawn from the seeded generator so names are reproducible; BCryptGenRandom with a NULL
 * algorithm requires BCRYPT_USE_SYSTEM_PREFERRED_RNG (BCryptGenRandom, Microsoft Learn). */
NTSTATUS WINAPI BCryptGenRandom(BCRYPT_ALG_HANDLE hAlgorithm, PUCHAR pbBuffer, ULONG cbBuffer,
                                ULONG dwFlags)
{
    DWORD err;
    NTSTATUS st = STATUS_SUCCESS;
    ULONG i;
    ws_lock();
    if (ws_fault(WS_CALL_BCryptGenRandom, &err))
        st = (NTSTATUS)err;
    else if ((hAlgorithm == NULL) != !!(dwFlags & BCRYPT_USE_SYSTEM_PREFERRED_RNG))
        st = STATUS_INVALID_HANDLE;
    else if (pbBuffer == NULL && cbBuffer)
        st = STATUS_INVALID_PARAMETER;
    for (i = 0; st == STATUS_SUCCESS && i < cbBuffer; i++)
        pbBuffer[i] = (UCHAR)(ws_rand() >> 32);
    ws_trace("BCryptGenRandom %lu -> %lx", (unsigned long)cbBuffer, (unsigned long)st);
    ws_unlock();
    return st;
}

BOOL WINAPI SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags)
{
    ws_handle *e;
    DWORD err = 0;
    ws_lock();
    e = ws_handle_entry(hObject);
    if (ws_fault(WS_CALL_SetHandleInformation, &err)) {
        /* injected */
    } else if (e == NULL)
        err = ERROR_INVALID_HANDLE;
    else
        e->flags = (e->flags & ~dwMask) | (dwFlags & dwMask);
    ws_trace("SetHandleInformation %" PRIu64 " %lx %lx -> %lu", ws_hval(hObject),
             (unsigned long)dwMask, (unsigned long)dwFlags, (unsigned long)err);
    ws_unlock();
    if (err)
        SetLastError(err);
    return err == 0;
}

BOOL WINAPI GetHandleInformation(HANDLE hObject, LPDWORD lpdwFlags)
{
    ws_handle *e;
    ws_lock();
    e = ws_handle_entry(hObject);
    if (e && lpdwFlags)
        *lpdwFlags = e->flags;
    ws_unlock();
    if (e == NULL)
        SetLastError(ERROR_INVALID_HANDLE);
    return e != NULL;
}

/* "If the function fails, the return value is FILE_TYPE_UNKNOWN" and GetLastError is not
 * NO_ERROR (GetFileType, Microsoft Learn). Ports are not files. */
DWORD WINAPI GetFileType(HANDLE hFile)
{
    ws_handle *e;
    DWORD err = 0, type = FILE_TYPE_UNKNOWN;
    ws_lock();
    e = ws_handle_entry(hFile);
    if (ws_fault(WS_CALL_GetFileType, &err)) {
        /* injected */
    } else if (e == NULL)
        err = ERROR_INVALID_HANDLE;
    else if (e->kind == WS_PIPE)
        type = FILE_TYPE_PIPE;
    ws_trace("GetFileType %" PRIu64 " -> %lu/%lu", ws_hval(hFile), (unsigned long)type,
             (unsigned long)err);
    ws_unlock();
    SetLastError(err);
    return type;
}

/* A failing CloseHandle (injected) still closes: the caller cannot retry it usefully, and
 * the leak check should blame only real leaks. */
BOOL WINAPI CloseHandle(HANDLE hObject)
{
    ws_handle *e;
    DWORD err = 0;
    ws_lock();
    e = ws_handle_entry(hObject);
    ws_fault(WS_CALL_CloseHandle, &err);
    if (e == NULL) {
        err = ERROR_INVALID_HANDLE;
    } else {
        enum ws_kind kind = e->kind;
        void *obj = e->obj;
        ws_handle_free(hObject);
        if (kind == WS_PIPE)
            ws_end_close(obj);
        else if (kind == WS_PORT)
            ws_port_close_handle(obj);
        else if (kind == WS_THREAD)
            ws_thread_close(obj);
    }
    ws_trace("CloseHandle %" PRIu64 " -> %lu", ws_hval(hObject), (unsigned long)err);
    pthread_cond_broadcast(&ws_g.changed);
    ws_unlock();
    if (err)
        SetLastError(err);
    return err == 0;
}

size_t winsim_reset(void)
{
    size_t leaked, i;
    ws_lock();
    leaked = ws_g.open;
    /* Pipe ends first (their packets go to ports), then ports, then threads. */
    for (i = 0; i < ws_g.nhandles; i++) {
        if (ws_g.handles[i].kind == WS_PIPE) {
            void *obj = ws_g.handles[i].obj;
            ws_handle_free((HANDLE)(uintptr_t)((i + 1) * 4));
            ws_end_close(obj);
        }
    }
    for (i = 0; i < ws_g.nhandles; i++) {
        enum ws_kind kind = ws_g.handles[i].kind;
        void *obj = ws_g.handles[i].obj;
        if (kind == WS_FREE)
            continue;
        ws_handle_free((HANDLE)(uintptr_t)((i + 1) * 4));
        if (kind == WS_PORT)
            ws_port_close_handle(obj);
        else if (kind == WS_THREAD)
            ws_thread_close(obj);
    }
    ws_squatters_reset();
    ws_names_reset();
    free(ws_g.handles);
    ws_g.handles = NULL;
    ws_g.nhandles = ws_g.cap = ws_g.open = 0;
    ws_g.last_freed = 0;
    ws_g.squat_left = 0;
    ws_g.squat_clients = 0;
    memset(ws_g.calls, 0, sizeof ws_g.calls);
    ws_nfaults = 0;
    ws_g.faults_fired = 0;
    ws_g.deadlocks = 0;
    ws_g.rng = ws_g.seed;
    ws_g.trace_hash = 0xcbf29ce484222325ULL;
    ws_g.clock_ms = 1000000;
    ws_big_reset();
    pthread_cond_broadcast(&ws_g.changed);
    ws_unlock();
    return leaked;
}
