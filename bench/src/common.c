/* common.c: the pattern, the integrity checker, the clock and the counting allocator. */
#define PSAPI_VERSION 2 /* GetProcessMemoryInfo from kernel32 (K32GetProcessMemoryInfo) */
#include <windows.h>

#include <psapi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

bench_tuning bench_tune;

/* One period plus the longest write, so any write is one contiguous slice. */
static uint8_t bench_pattern[BENCH_PERIOD + BENCH_MAX_WRITE];

void bench_pattern_init(void)
{
    uint64_t x = 0x9E3779B97F4A7C15ull;
    size_t i;
    for (i = 0; i < BENCH_PERIOD; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bench_pattern[i] = (uint8_t)(x >> 32);
    }
    for (i = BENCH_PERIOD; i < sizeof bench_pattern; i++)
        bench_pattern[i] = bench_pattern[i - BENCH_PERIOD];
}

const uint8_t *bench_pattern_at(uint64_t pos)
{
    return bench_pattern + (size_t)(pos % BENCH_PERIOD);
}

void bench_check_feed(bench_check *check, const uint8_t *data, size_t len)
{
    while (len > 0) {
        size_t n = len < BENCH_MAX_WRITE ? len : BENCH_MAX_WRITE;
        if (memcmp(data, bench_pattern_at(check->pos), n) != 0)
            check->bad++;
        check->pos += n;
        data += n;
        len -= n;
    }
}

double bench_now(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER t;
    if (freq.QuadPart == 0)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / (double)freq.QuadPart;
}

void bench_fail(const char *who, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "eve_bench: %s: ", who);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

/* ---- counting allocator: a 16-byte header keeps each block's size ---- */

#define BENCH_HDR 16

static volatile LONG64 bench_live;

void *bench_counted_malloc(size_t size)
{
    uint8_t *p = malloc(size + BENCH_HDR);
    if (p == NULL)
        return NULL;
    memcpy(p, &size, sizeof size);
    InterlockedExchangeAdd64(&bench_live, (LONG64)size);
    return p + BENCH_HDR;
}

void bench_counted_free(void *ptr)
{
    uint8_t *p;
    size_t size;
    if (ptr == NULL)
        return;
    p = (uint8_t *)ptr - BENCH_HDR;
    memcpy(&size, p, sizeof size);
    InterlockedExchangeAdd64(&bench_live, -(LONG64)size);
    free(p);
}

void *bench_counted_realloc(void *ptr, size_t size)
{
    uint8_t *p;
    size_t old = 0;
    if (ptr == NULL)
        return bench_counted_malloc(size);
    p = (uint8_t *)ptr - BENCH_HDR;
    memcpy(&old, p, sizeof old);
    p = realloc(p, size + BENCH_HDR);
    if (p == NULL)
        return NULL;
    memcpy(p, &size, sizeof size);
    InterlockedExchangeAdd64(&bench_live, (LONG64)size - (LONG64)old);
    return p + BENCH_HDR;
}

void *bench_counted_calloc(size_t n, size_t size)
{
    void *p;
    if (size != 0 && n > ((size_t)-1 - BENCH_HDR) / size)
        return NULL;
    p = bench_counted_malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

int64_t bench_counted_live(void)
{
    return (int64_t)InterlockedCompareExchange64(&bench_live, 0, 0);
}

struct bench_storm {
    void (*fn)(void *);
    void *arg;
    uint64_t calls;
    unsigned threads;
    volatile LONG done;
    HANDLE th[64];
};

static DWORD WINAPI bench_storm_main(void *p)
{
    bench_storm *s = p;
    uint64_t i;
    for (i = 0; i < s->calls; i++)
        s->fn(s->arg);
    InterlockedIncrement(&s->done);
    s->fn(s->arg);
    return 0;
}

bench_storm *bench_storm_start(unsigned threads, uint64_t calls, void (*fn)(void *), void *arg)
{
    bench_storm *s = calloc(1, sizeof *s);
    unsigned i;
    if (s == NULL || threads > 64) {
        free(s);
        return NULL;
    }
    s->fn = fn;
    s->arg = arg;
    s->calls = calls;
    for (i = 0; i < threads; i++) {
        s->th[i] = CreateThread(NULL, 0, bench_storm_main, s, 0, NULL);
        if (s->th[i] == NULL) {
            bench_storm_join(s); /* those started finish their calls */
            return NULL;
        }
        s->threads++;
    }
    return s;
}

unsigned bench_storm_done(bench_storm *s)
{
    return (unsigned)InterlockedCompareExchange(&s->done, 0, 0);
}

void bench_storm_join(bench_storm *s)
{
    unsigned i;
    for (i = 0; i < s->threads; i++) {
        WaitForSingleObject(s->th[i], INFINITE);
        CloseHandle(s->th[i]);
    }
    free(s);
}

uint64_t bench_working_set(void)
{
    PROCESS_MEMORY_COUNTERS pmc;
    memset(&pmc, 0, sizeof pmc);
    pmc.cb = sizeof pmc;
    if (!GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof pmc))
        return 0;
    return (uint64_t)pmc.WorkingSetSize;
}
