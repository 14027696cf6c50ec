/* bench.h: what the benchmark driver and its contenders share. Every contender runs the
 * same workloads over the same kind of pipe and checks every byte it receives against
 * the same pattern, so a fast wrong answer fails instead of winning. */
#ifndef EVE_BENCH_H
#define EVE_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* ---- the pattern every writer sends and every reader checks ---- */

/* Byte i of a stream is bench_pattern[(start + i) % BENCH_PERIOD]. The period is prime, so
 * no write size is a multiple of it: a lost, repeated or reordered write shows. */
#define BENCH_PERIOD ((size_t)65521)
#define BENCH_MAX_WRITE ((size_t)1024 * 1024)

void bench_pattern_init(void);
/* BENCH_MAX_WRITE valid bytes of the stream from position pos. */
const uint8_t *bench_pattern_at(uint64_t pos);

typedef struct bench_check {
    uint64_t pos; /* bytes checked so far (plus the stream's start offset) */
    uint64_t bad; /* segments that did not match */
} bench_check;

void bench_check_feed(bench_check *check, const uint8_t *data, size_t len);

/* ---- workloads ---- */

typedef enum bench_kind {
    BENCH_STREAM,     /* writers send `bytes` each in `write_size` writes; MiB/s */
    BENCH_PINGPONG,   /* 1-byte round trips; round trips per second */
    BENCH_IDLE,       /* heap bytes per open idle end; lower is better */
    BENCH_IDLE_PAIRS, /* `pairs` pairs each carry `write_size` bytes, then stay open and idle:
                       * heap bytes per pair (and working set per pair); lower is better */
    BENCH_WAKEUP      /* `pairs` threads call the loop's wakeup; calls per second until the
                       * loop has seen the last one */
} bench_kind;

/* X(id, label, kind, write_size, pairs) */
#define BENCH_WORKLOADS(X)                                                                        \
    X(bulk, "64 KiB writes", BENCH_STREAM, 65536, 1)                                              \
    X(w4k, "4 KiB writes", BENCH_STREAM, 4096, 1)                                                 \
    X(w128, "128 B writes", BENCH_STREAM, 128, 1)                                                 \
    X(w1m, "1 MiB writes", BENCH_STREAM, 1048576, 1)                                              \
    X(w256k, "256 KiB writes", BENCH_STREAM, 262144, 1)                                           \
    X(pingpong, "ping-pong 1 B", BENCH_PINGPONG, 1, 1)                                            \
    X(pairs, "1000 pairs, 64 KiB", BENCH_STREAM, 65536, 1000)                                     \
    X(idle_rd, "idle read end", BENCH_IDLE, 0, 64)                                                \
    X(idle_wr, "idle write end", BENCH_IDLE, 0, 64)                                               \
    X(idle10k, "10,000 pairs, 1 KiB each, idle", BENCH_IDLE_PAIRS, 1024, 10000)                   \
    X(wakeup, "wakeups from 8 threads", BENCH_WAKEUP, 0, 8)

typedef struct bench_params {
    size_t write_size;
    unsigned pairs;
    uint64_t bytes;       /* per pair (STREAM) */
    uint64_t round_trips; /* PINGPONG; WAKEUP: calls per thread */
    int read_end;         /* IDLE: measure read ends (1) or write ends (0) */
} bench_params;

typedef struct bench_result {
    double seconds;        /* wall time of the transfer only (setup excluded) */
    uint64_t bytes;        /* total received and checked */
    uint64_t ops;          /* round trips; wakeup calls */
    double heap_per_end;   /* IDLE: heap bytes per end */
    double kernel_per_end; /* IDLE: pipe buffer quota asked of the kernel, per end */
    double ws_per_end;     /* IDLE_PAIRS: growth of the process working set, per pair */
} bench_result;

/* Tuning knobs for ref/ (0 = its defaults) and the kernel buffer every contender that
 * can choose asks for. */
typedef struct bench_tuning {
    size_t buffer_size;
    size_t high_water;
    size_t max_write_batch;
    size_t kernel_buffer;
} bench_tuning;

extern bench_tuning bench_tune;

/* A contender: each function returns 0, or non-zero (after printing why) on failure,
 * including any integrity failure. */
typedef struct bench_contender {
    const char *name;
    int (*stream)(const bench_params *p, bench_result *r);
    int (*pingpong)(const bench_params *p, bench_result *r);
    int (*idle)(const bench_params *p, bench_result *r);
    int (*idle_pairs)(const bench_params *p, bench_result *r); /* NULL: not measured */
    int (*wakeup)(const bench_params *p, bench_result *r);     /* NULL: not measured */
} bench_contender;

/* "-2t": the same, but the two sides run two loops in two threads (as two processes
 * would), the way raw always runs. */
extern const bench_contender bench_ref;
extern const bench_contender bench_ref2;
extern const bench_contender bench_raw;
#ifdef EVE_BENCH_HAVE_LIBUV
extern const bench_contender bench_uv;
extern const bench_contender bench_uv2;
#endif
#ifdef EVE_BENCH_HAVE_IMPL
/* The Asio adapter's eve API (c_impl.c), from eve_asio.dll: usable once bench_impl_load
 * returned 0 (until then, and when it fails, they measure nothing). */
extern bench_contender bench_impl;
extern bench_contender bench_impl2;
int bench_impl_load(void);
#endif

/* ---- helpers ---- */

double bench_now(void); /* seconds, monotonic */
void bench_fail(const char *who, const char *fmt, ...);

/* A wakeup storm: `threads` threads each call fn(arg) `calls` times, then count themselves
 * done and call it once more, so whatever the loop runs after that last call sees every
 * thread done. */
typedef struct bench_storm bench_storm;
bench_storm *bench_storm_start(unsigned threads, uint64_t calls, void (*fn)(void *), void *arg);
unsigned bench_storm_done(bench_storm *s); /* threads counted done */
void bench_storm_join(bench_storm *s);     /* waits for them and frees s */

/* The process working set in bytes (GetProcessMemoryInfo), 0 if unknown. */
uint64_t bench_working_set(void);

/* Heap accounting: a malloc wrapper that keeps the live total of requested bytes. */
void *bench_counted_malloc(size_t size);
void *bench_counted_realloc(void *ptr, size_t size);
void *bench_counted_calloc(size_t n, size_t size);
void bench_counted_free(void *ptr);
int64_t bench_counted_live(void);

#endif /* EVE_BENCH_H */
