/* c_raw.c: the raw Win32 contender, the limit under this Wine: per pair one thread in a
 * blocking WriteFile loop and one in a blocking ReadFile loop, on the same kind of pipe
 * ref/ makes (eve_pipe_pair_create with both ends synchronous). */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "eve/pipe.h"

#define WHO "raw"
#define RAW_STACK ((SIZE_T)64 * 1024) /* reservation: 2,000 threads must fit */
#define RAW_MIN_READ ((size_t)65536)

typedef struct raw_pair {
    eve_pipe_pair pair;
    HANDLE go; /* manual-reset: every thread starts the transfer together */
    bench_check check;
    uint64_t start;
    uint64_t total;
    size_t wsize;
    size_t rsize;
    uint64_t written;
    int eof;
    int errors;
} raw_pair;

static int raw_open(raw_pair *p)
{
    eve_pipe_pair_options o = {EVE_PIPE_END_SYNC, EVE_PIPE_END_SYNC, bench_tune.kernel_buffer};
    int rc = eve_pipe_pair_create(&p->pair, &o);
    if (rc != EVE_OK)
        bench_fail(WHO, "eve_pipe_pair_create: %d", rc);
    return rc != EVE_OK;
}

static DWORD WINAPI raw_writer(void *arg)
{
    raw_pair *p = arg;
    WaitForSingleObject(p->go, INFINITE);
    while (p->written < p->total) {
        uint64_t left = p->total - p->written;
        DWORD n = (DWORD)(left < p->wsize ? left : p->wsize);
        DWORD done = 0;
        if (!WriteFile(p->pair.write_end, bench_pattern_at(p->start + p->written), n, &done,
                       NULL)) {
            p->errors++;
            break;
        }
        p->written += done;
    }
    CloseHandle(p->pair.write_end); /* the reader sees end of stream */
    p->pair.write_end = NULL;
    return 0;
}

static DWORD WINAPI raw_reader(void *arg)
{
    raw_pair *p = arg;
    uint8_t *buf = bench_counted_malloc(p->rsize);
    if (buf == NULL) {
        p->errors++;
        return 1;
    }
    WaitForSingleObject(p->go, INFINITE);
    for (;;) {
        DWORD got = 0;
        if (!ReadFile(p->pair.read_end, buf, (DWORD)p->rsize, &got, NULL)) {
            DWORD err = GetLastError();
            if (err == ERROR_BROKEN_PIPE || err == ERROR_HANDLE_EOF ||
                err == ERROR_PIPE_NOT_CONNECTED)
                p->eof = 1;
            else
                p->errors++;
            break;
        }
        bench_check_feed(&p->check, buf, got);
    }
    bench_counted_free(buf);
    return 0;
}

static HANDLE raw_thread(LPTHREAD_START_ROUTINE fn, void *arg)
{
    return CreateThread(NULL, RAW_STACK, fn, arg, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
}

static void raw_join(HANDLE *threads, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (threads[i]) {
            WaitForSingleObject(threads[i], INFINITE);
            CloseHandle(threads[i]);
        }
    }
}

static int raw_verify(const raw_pair *p)
{
    if (p->errors || p->check.bad || p->check.pos - p->start != p->total || !p->eof) {
        bench_fail(WHO, "integrity: got %llu of %llu bytes, %llu bad, eof %d, errors %d",
                   (unsigned long long)(p->check.pos - p->start), (unsigned long long)p->total,
                   (unsigned long long)p->check.bad, p->eof, p->errors);
        return 1;
    }
    return 0;
}

static int raw_stream(const bench_params *prm, bench_result *res)
{
    raw_pair *pairs = calloc(prm->pairs, sizeof *pairs);
    HANDLE *threads = calloc((size_t)prm->pairs * 2, sizeof *threads);
    HANDLE go = CreateEventW(NULL, TRUE, FALSE, NULL);
    unsigned i;
    int failed = pairs == NULL || threads == NULL || go == NULL;
    double t0;

    for (i = 0; !failed && i < prm->pairs; i++) {
        raw_pair *p = &pairs[i];
        p->go = go;
        p->start = p->check.pos = (uint64_t)i * 4099;
        p->total = prm->bytes;
        p->wsize = prm->write_size;
        p->rsize = prm->write_size > RAW_MIN_READ ? prm->write_size : RAW_MIN_READ;
        failed = raw_open(p);
        if (!failed) {
            threads[2 * i] = raw_thread(raw_reader, p);
            threads[2 * i + 1] = raw_thread(raw_writer, p);
            failed = threads[2 * i] == NULL || threads[2 * i + 1] == NULL;
            if (failed)
                bench_fail(WHO, "CreateThread failed (pair %u): %lu", i, GetLastError());
        }
    }
    if (failed) {
        /* Unblock what started: readers see EOF, writers find nothing to write. */
        for (i = 0; pairs && i < prm->pairs; i++)
            pairs[i].total = 0;
    }
    t0 = bench_now();
    if (go)
        SetEvent(go);
    if (threads)
        raw_join(threads, (size_t)prm->pairs * 2);
    res->seconds = bench_now() - t0;
    res->bytes = 0;
    for (i = 0; pairs && i < prm->pairs; i++) {
        if (!failed)
            failed |= raw_verify(&pairs[i]);
        res->bytes += pairs[i].check.pos - pairs[i].start;
        eve_pipe_pair_close(&pairs[i].pair);
    }
    if (go)
        CloseHandle(go);
    free(threads);
    free(pairs);
    return failed;
}

/* ---- ping-pong: the echo side runs in its own thread ---- */

typedef struct raw_pp {
    eve_pipe_pair pr[2]; /* [0]: A writes, B reads; [1]: B writes, A reads */
    int bad;
} raw_pp;

static DWORD WINAPI raw_echo(void *arg)
{
    raw_pp *pp = arg;
    uint8_t b;
    uint8_t expect = 0;
    DWORD n;
    while (ReadFile(pp->pr[0].read_end, &b, 1, &n, NULL) && n == 1) {
        if (b != expect++)
            pp->bad++;
        if (!WriteFile(pp->pr[1].write_end, &b, 1, &n, NULL) || n != 1) {
            pp->bad++;
            break;
        }
    }
    return 0;
}

static int raw_pingpong(const bench_params *prm, bench_result *res)
{
    eve_pipe_pair_options o = {EVE_PIPE_END_SYNC, EVE_PIPE_END_SYNC, bench_tune.kernel_buffer};
    raw_pp pp;
    HANDLE echo = NULL;
    uint64_t i = 0;
    double t0;
    int failed;

    memset(&pp, 0, sizeof pp);
    failed = eve_pipe_pair_create(&pp.pr[0], &o) != EVE_OK ||
             eve_pipe_pair_create(&pp.pr[1], &o) != EVE_OK ||
             (echo = raw_thread(raw_echo, &pp)) == NULL;
    t0 = bench_now();
    for (i = 0; !failed && i < prm->round_trips; i++) {
        uint8_t b = (uint8_t)i;
        DWORD n = 0;
        if (!WriteFile(pp.pr[0].write_end, &b, 1, &n, NULL) || n != 1 ||
            !ReadFile(pp.pr[1].read_end, &b, 1, &n, NULL) || n != 1 || b != (uint8_t)i)
            failed = 1;
    }
    res->seconds = bench_now() - t0;
    res->ops = i;
    if (pp.pr[0].write_end) {
        CloseHandle(pp.pr[0].write_end); /* the echo thread sees EOF */
        pp.pr[0].write_end = NULL;
    }
    if (echo)
        raw_join(&echo, 1);
    if (failed || pp.bad) {
        bench_fail(WHO, "ping-pong: %llu of %llu round trips, %d bad", (unsigned long long)i,
                   (unsigned long long)prm->round_trips, pp.bad);
        failed = 1;
    }
    eve_pipe_pair_close(&pp.pr[0]);
    eve_pipe_pair_close(&pp.pr[1]);
    return failed;
}

/* ---- idle: a reader thread blocked in ReadFile with its buffer; a writer holds only its
 * handle (and a thread, not counted here: its stack is not heap) ---- */

static int raw_idle(const bench_params *prm, bench_result *res)
{
    raw_pair *pairs = calloc(prm->pairs, sizeof *pairs);
    HANDLE *threads = calloc(prm->pairs, sizeof *threads);
    HANDLE go = CreateEventW(NULL, TRUE, TRUE, NULL);
    int64_t base = bench_counted_live();
    DWORD in_quota = 0;
    unsigned i;
    int failed = pairs == NULL || threads == NULL || go == NULL;

    for (i = 0; !failed && i < prm->pairs; i++) {
        raw_pair *p = &pairs[i];
        p->go = go;
        p->rsize = RAW_MIN_READ;
        failed = raw_open(p);
        if (!failed && prm->read_end)
            failed = (threads[i] = raw_thread(raw_reader, p)) == NULL;
    }
    /* Wait until every reader holds its buffer (they block in ReadFile right after). */
    while (!failed && prm->read_end &&
           bench_counted_live() - base < (int64_t)(RAW_MIN_READ * prm->pairs))
        Sleep(1);
    if (!failed) {
        res->heap_per_end = (double)(bench_counted_live() - base) / prm->pairs;
        GetNamedPipeInfo(pairs[0].pair.read_end, NULL, NULL, &in_quota, NULL);
        res->kernel_per_end = prm->read_end ? (double)in_quota : 0.0;
    }
    for (i = 0; pairs && i < prm->pairs; i++) {
        if (pairs[i].pair.write_end)
            CloseHandle(pairs[i].pair.write_end);
        pairs[i].pair.write_end = NULL;
    }
    if (threads)
        raw_join(threads, prm->pairs);
    for (i = 0; pairs && i < prm->pairs; i++)
        eve_pipe_pair_close(&pairs[i].pair);
    if (go)
        CloseHandle(go);
    free(threads);
    free(pairs);
    return failed;
}

/* ---- wakeups: one PostQueuedCompletionStatus per call, every packet dequeued ---- */

static void raw_wake_call(void *port)
{
    PostQueuedCompletionStatus(port, 0, 1, NULL);
}

static int raw_wakeup(const bench_params *prm, bench_result *res)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    uint64_t want = (uint64_t)prm->pairs * (prm->round_trips + 1);
    uint64_t got = 0;
    bench_storm *storm;
    double t0;

    if (port == NULL)
        return 1;
    t0 = bench_now();
    storm = bench_storm_start(prm->pairs, prm->round_trips, raw_wake_call, port);
    while (storm && got < want) {
        OVERLAPPED_ENTRY e[64];
        ULONG n = 0;
        if (!GetQueuedCompletionStatusEx(port, e, 64, &n, INFINITE, FALSE))
            break;
        got += n;
    }
    res->seconds = bench_now() - t0;
    res->ops = want;
    if (storm)
        bench_storm_join(storm);
    CloseHandle(port);
    return got != want;
}

const bench_contender bench_raw = {"raw", raw_stream, raw_pingpong, raw_idle, NULL, raw_wakeup};
