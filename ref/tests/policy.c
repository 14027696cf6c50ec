/* policy: what ref/README.md promises about ref/ beyond the spec, checked call by call:
 * the pair's name, modes and retries (Pairs), the size of every ReadFile (Reads: memory
 * follows traffic), every WriteFile and coalescing buffer (Writes), and that every byte ref
 * allocates is freed. No spec row fixes these choices, so the conformance suite does not
 * test them; a change to them changes ref/README.md and this file together.
 *
 * Native only: winsim's trace sink shows each Win32 call ref makes with its arguments, and
 * ref's allocation hook (internal) counts and sizes each allocation. Seed 0: winsim makes
 * no choices, so every sequence below is exact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#include <bcrypt.h>

#include "winsim.h"

#include <cmocka.h>

/* ---- the calls ref made: winsim's trace, kept as text ---- */

#define EVENTS_MAX 2048
static char events[EVENTS_MAX][192];
static size_t nevents;

static void keep_event(const char *event, void *ctx)
{
    (void)ctx;
    if (nevents < EVENTS_MAX)
        snprintf(events[nevents++], sizeof events[0], "%s", event);
}

/* The byte counts ref asked of `call` (ReadFile or WriteFile) since the last forget_calls,
 * in order, as "512 32768 ..." (the sequence reads in a failure message as it is). */
static const char *sizes_of(const char *call)
{
    static char out[4096];
    size_t i, used = 0;
    size_t prefix = strlen(call);

    out[0] = 0;
    for (i = 0; i < nevents && used + 24 < sizeof out; i++) {
        unsigned long long handle;
        unsigned long size;
        if (strncmp(events[i], call, prefix) != 0 || events[i][prefix] != ' ')
            continue;
        if (sscanf(events[i] + prefix, " %llu %lu", &handle, &size) == 2)
            used +=
                (size_t)snprintf(out + used, sizeof out - used, "%s%lu", used ? " " : "", size);
    }
    return out;
}

/* How many events start with `prefix` since the last forget_calls. */
static size_t count_of(const char *prefix)
{
    size_t i, n = 0;
    for (i = 0; i < nevents; i++)
        n += strncmp(events[i], prefix, strlen(prefix)) == 0;
    return n;
}

/* The first event that starts with `prefix`, or NULL. */
static const char *event_of(const char *prefix)
{
    size_t i;
    for (i = 0; i < nevents; i++)
        if (strncmp(events[i], prefix, strlen(prefix)) == 0)
            return events[i];
    return NULL;
}

static void forget_calls(void)
{
    nevents = 0;
}

/* ---- what ref allocated: its hook, counting ---- */

typedef union block {
    max_align_t align;
    size_t size;
} block;

static size_t allocs;      /* allocations asked for since the last forget_allocs */
static size_t live_blocks; /* blocks not yet freed */
static size_t fail_nth;    /* 1-based allocation (since forget_allocs) to refuse; 0: none */
static size_t sizes[1024]; /* the size of each allocation asked for, in order */
/* Large blocks (EVE__BLOCK_MIN or more) freed since setup; read by another thread. */
static _Atomic size_t large_frees;

static void *counting_malloc(size_t size)
{
    block *b;

    if (allocs < sizeof sizes / sizeof sizes[0])
        sizes[allocs] = size;
    if (++allocs == fail_nth)
        return NULL;
    b = malloc(sizeof *b + size);
    if (b == NULL)
        return NULL;
    b->size = size;
    live_blocks++;
    return b + 1;
}

static void counting_free(void *ptr)
{
    block *b = (block *)ptr - 1;
    live_blocks--;
    if (b->size >= EVE__BLOCK_MIN)
        large_frees++;
    free(b);
}

static void forget_allocs(void)
{
    allocs = 0;
    fail_nth = 0;
}

/* How many allocations since forget_allocs asked for `size` bytes or more. */
static size_t allocs_from(size_t size)
{
    size_t i, n = 0;
    for (i = 0; i < allocs && i < sizeof sizes / sizeof sizes[0]; i++)
        n += sizes[i] >= size;
    return n;
}

/* How many allocations since forget_allocs asked for exactly `size` bytes. */
static size_t allocs_of(size_t size)
{
    size_t i, n = 0;
    for (i = 0; i < allocs && i < sizeof sizes / sizeof sizes[0]; i++)
        n += sizes[i] == size;
    return n;
}

static int setup(void **state)
{
    (void)state;
    winsim_reset();
    winsim_seed(0);
    forget_calls();
    forget_allocs();
    live_blocks = 0;
    large_frees = 0;
    winsim_trace_sink(keep_event, NULL);
    eve__set_allocator(counting_malloc, counting_free);
    return 0;
}

static int teardown(void **state)
{
    size_t leaked = live_blocks;
    size_t handles;

    (void)state;
    eve__set_allocator(NULL, NULL);
    winsim_trace_sink(NULL, NULL);
    handles = winsim_reset();
    if (leaked || handles) {
        print_error("%zu blocks of ref's and %zu handles left at the end\n", leaked, handles);
        return -1;
    }
    return 0;
}

/* ---- a loop with one end of a pair adopted, the other end raw ---- */

typedef struct scene {
    eve_loop *loop;
    eve_pipe *end;              /* the adopted end */
    HANDLE raw;                 /* the other end, for raw ReadFile/WriteFile */
    size_t received;            /* bytes the data callback was given */
    size_t write_back;          /* bytes the data callback writes to the raw end, once */
    size_t refill;              /* bytes it writes there every time */
    int stop_in_data;           /* the data callback stops the loop */
    int close_in_data;          /* the data callback closes the end */
    eve_pipe *graceful_in_data; /* the data callback closes this end gracefully */
    int closed;
} scene;

static void on_data(eve_pipe *pipe, const uint8_t *data, size_t len, void *user)
{
    scene *s = user;
    (void)data;
    s->received += len;
    if (s->close_in_data)
        assert_int_equal(eve_pipe_close(pipe), EVE_OK);
    if (s->stop_in_data)
        assert_int_equal(eve_loop_stop(s->loop), EVE_OK);
    if (s->graceful_in_data)
        assert_int_equal(eve_pipe_close_graceful(s->graceful_in_data), EVE_OK);
    if (s->write_back || s->refill) {
        static uint8_t more[65536];
        DWORD n = 0;
        OVERLAPPED ov;
        memset(&ov, 0, sizeof ov);
        assert_true(WriteFile(s->raw, more, (DWORD)(s->write_back + s->refill), &n, &ov));
        s->write_back = 0;
    }
}

static void on_close(eve_pipe *pipe, eve_pipe_close_reason reason, void *user)
{
    scene *s = user;
    (void)pipe;
    (void)reason;
    s->closed = 1;
}

/* A detached end with the scene's callbacks, on `loop` (NULL: a new loop). */
static void scene_init_on(scene *s, eve_loop *loop, const eve_pipe_config *cfg)
{
    memset(s, 0, sizeof *s);
    if (loop == NULL)
        assert_int_equal(eve_loop_create(&loop), EVE_OK);
    s->loop = loop;
    assert_int_equal(eve_pipe_create(cfg, &s->end), EVE_OK);
    assert_int_equal(eve_pipe_on_data(s->end, on_data, s), EVE_OK);
    assert_int_equal(eve_pipe_on_close(s->end, on_close, s), EVE_OK);
}

/* A loop and a detached end with the scene's callbacks. */
static void scene_init(scene *s, const eve_pipe_config *cfg)
{
    scene_init_on(s, NULL, cfg);
}

/* Adopt one end of a new pair as the scene's end; the other is s->raw. */
static void scene_adopt(scene *s, int read_end, const eve_pipe_pair_options *options)
{
    eve_pipe_pair pair;
    eve_os_handle h;

    assert_int_equal(eve_pipe_pair_create(&pair, options), EVE_OK);
    h = read_end ? pair.read_end : pair.write_end;
    s->raw = read_end ? pair.write_end : pair.read_end;
    if (read_end)
        assert_int_equal(eve_pipe_adopt_read(s->end, s->loop, &h), EVE_OK);
    else
        assert_int_equal(eve_pipe_adopt_write(s->end, s->loop, &h), EVE_OK);
}

static void scene_open(scene *s, int read_end, const eve_pipe_config *cfg,
                       const eve_pipe_pair_options *options)
{
    scene_init(s, cfg);
    scene_adopt(s, read_end, options);
}

/* Another end with the scene's callbacks on on's loop (its own pair). */
static void scene_join(scene *s, const scene *on, int read_end)
{
    scene_init_on(s, on->loop, NULL);
    scene_adopt(s, read_end, NULL);
}

/* Close the scene's end, wait for its close callback, free it; the loop stays. */
static void scene_leave(scene *s)
{
    assert_int_equal(eve_pipe_close(s->end), EVE_OK);
    while (!s->closed)
        assert_true(eve_loop_run(s->loop, EVE_RUN_ONCE) >= 0);
    eve_pipe_free(s->end);
    CloseHandle(s->raw);
}

static void scene_run(scene *s)
{
    int i;
    for (i = 0; i < 16; i++)
        assert_true(eve_loop_run(s->loop, EVE_RUN_NOWAIT) >= 0);
}

/* Write `len` bytes into the pipe from the raw write end, then let the loop deliver. */
static void scene_feed(scene *s, size_t len)
{
    static uint8_t bytes[262144];
    DWORD n = 0;
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    assert_true(len <= sizeof bytes);
    assert_true(WriteFile(s->raw, bytes, (DWORD)len, &n, &ov));
    assert_int_equal(n, len);
    scene_run(s);
}

/* Read everything waiting at the raw read end; returns the byte count. */
static size_t scene_drain(scene *s, uint8_t *into, size_t cap)
{
    size_t got = 0;
    DWORD avail = 0;
    while (PeekNamedPipe(s->raw, NULL, 0, NULL, &avail, NULL) && avail > 0 && got < cap) {
        DWORD n = 0;
        DWORD want = avail < cap - got ? avail : (DWORD)(cap - got);
        OVERLAPPED ov;
        memset(&ov, 0, sizeof ov);
        if (!ReadFile(s->raw, into + got, want, &n, &ov))
            break;
        got += n;
        scene_run(s);
    }
    return got;
}

/* Close the scene's end and its loop. */
static void scene_close(scene *s)
{
    scene_leave(s);
    assert_int_equal(eve_loop_close(s->loop), EVE_OK);
}

static eve_pipe_config config_of(size_t buffer_size, size_t max_write_batch)
{
    eve_pipe_config c;
    memset(&c, 0, sizeof c);
    c.buffer_size = buffer_size;
    c.max_write_batch = max_write_batch;
    return c;
}

/* ---- Pairs ---- */

/* \\.\pipe\eve-<pid>-<counter>-<the 8 random bytes, as 16 hex digits>; the counter counts
 * up by one per name. */
static void pair_name_is_pid_counter_random_bits(void **state)
{
    uint8_t rnd[8];
    char want[64];
    char hex[17];
    unsigned long counter = 0, counter2 = 0, pid = 0;
    eve_pipe_pair pair;
    const char *e;
    int i;

    (void)state;
    /* The bits the pair will draw: the same generator, restarted by the reset. */
    assert_true(BCryptGenRandom(NULL, rnd, sizeof rnd, BCRYPT_USE_SYSTEM_PREFERRED_RNG) >= 0);
    winsim_reset();
    for (i = 0; i < 8; i++)
        snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
    assert_int_equal(eve_pipe_pair_create(&pair, NULL), EVE_OK);
    e = event_of("CreateNamedPipeW ");
    assert_non_null(e);
    assert_int_equal(sscanf(e, "CreateNamedPipeW \\\\.\\pipe\\eve-%lu-%lu-", &pid, &counter), 2);
    assert_int_equal(pid, GetCurrentProcessId());
    snprintf(want, sizeof want, "CreateNamedPipeW \\\\.\\pipe\\eve-%lu-%lu-%s ", pid, counter,
             hex);
    if (strncmp(e, want, strlen(want)) != 0)
        fail_msg("the name is in \"%s\", want \"%s...\"", e, want);
    assert_int_equal(eve_pipe_pair_close(&pair), EVE_OK);

    forget_calls();
    assert_int_equal(eve_pipe_pair_create(&pair, NULL), EVE_OK);
    e = event_of("CreateNamedPipeW ");
    assert_non_null(e);
    assert_int_equal(sscanf(e, "CreateNamedPipeW \\\\.\\pipe\\eve-%*u-%lu-", &counter2), 1);
    assert_int_equal(counter2, counter + 1);
    assert_int_equal(eve_pipe_pair_close(&pair), EVE_OK);
}

/* The modes ref/README.md lists, with and without EVE_PIPE_END_SYNC, and the quota asked. */
static void pair_modes_and_quota(void **state)
{
    static const struct {
        unsigned read_flags, write_flags;
        size_t kbuf;
        DWORD server_mode, client_flags, quota;
    } cases[] = {
        {0, 0, 0, PIPE_ACCESS_INBOUND | FILE_FLAG_FIRST_PIPE_INSTANCE | FILE_FLAG_OVERLAPPED,
         SECURITY_SQOS_PRESENT | SECURITY_ANONYMOUS | FILE_FLAG_OVERLAPPED, 262144},
        {EVE_PIPE_END_SYNC, EVE_PIPE_END_SYNC, 4096,
         PIPE_ACCESS_INBOUND | FILE_FLAG_FIRST_PIPE_INSTANCE,
         SECURITY_SQOS_PRESENT | SECURITY_ANONYMOUS, 4096},
        {0, 0, 0xFFFFFFFFu,
         PIPE_ACCESS_INBOUND | FILE_FLAG_FIRST_PIPE_INSTANCE | FILE_FLAG_OVERLAPPED,
         SECURITY_SQOS_PRESENT | SECURITY_ANONYMOUS | FILE_FLAG_OVERLAPPED, 0xFFFFFFFFu},
    };
    eve_pipe_pair_options too_big = {0, 0, (size_t)0xFFFFFFFFu + 1};
    eve_pipe_pair none;
    size_t i;

    (void)state;
    if (sizeof(size_t) > 4) /* a quota is a DWORD: one more is refused, not truncated */
        assert_int_equal(eve_pipe_pair_create(&none, &too_big), EVE_EINVAL);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        eve_pipe_pair_options o = {cases[i].read_flags, cases[i].write_flags, cases[i].kbuf};
        eve_pipe_pair pair;
        char want[160];
        const char *e;

        forget_calls();
        assert_int_equal(eve_pipe_pair_create(&pair, &o), EVE_OK);
        e = event_of("CreateNamedPipeW ");
        assert_non_null(e);
        snprintf(want, sizeof want, " mode %lx/%lx max 1 q %lu/%lu timeout 0 -> ",
                 (unsigned long)cases[i].server_mode,
                 (unsigned long)(PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT |
                                 PIPE_REJECT_REMOTE_CLIENTS),
                 (unsigned long)cases[i].quota, (unsigned long)cases[i].quota);
        if (strstr(e, want) == NULL)
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, e, want);
        e = event_of("CreateFileW ");
        assert_non_null(e);
        snprintf(want, sizeof want, " access %lx share 0 flags %lx -> ",
                 (unsigned long)(GENERIC_WRITE | FILE_READ_ATTRIBUTES),
                 (unsigned long)cases[i].client_flags);
        if (strstr(e, want) == NULL)
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, e, want);
        assert_int_equal(eve_pipe_pair_close(&pair), EVE_OK);
    }
}

/* 16 attempts: 15 squatted names in a row still give a pair, 16 do not; each attempt is
 * one CreateNamedPipeW and leaves nothing open. */
static void pair_tries_sixteen_names(void **state)
{
    eve_pipe_pair pair;
    unsigned before;

    (void)state;
    assert_int_equal(winsim_squat(15, WINSIM_SQUAT_WINDOWS), 0);
    before = winsim_call_count("CreateNamedPipeW");
    assert_int_equal(eve_pipe_pair_create(&pair, NULL), EVE_OK);
    assert_int_equal(winsim_call_count("CreateNamedPipeW") - before, 16);
    assert_int_equal(eve_pipe_pair_close(&pair), EVE_OK);
    winsim_reset();

    assert_int_equal(winsim_squat(16, WINSIM_SQUAT_WINDOWS), 0);
    assert_int_equal(eve_pipe_pair_create(&pair, NULL), EVE_EACCES);
    assert_int_equal(winsim_call_count("CreateNamedPipeW"), 16);
    assert_null(pair.read_end);
    assert_null(pair.write_end);
}

/* ---- Reads ---- */

/* An end waits with 512 bytes; a full read grows the next at once to what is waiting
 * (8x at least, doubling, up to buffer_size); a stream keeps the large buffer; a read of
 * at most an eighth of it with nothing waiting goes back to 512; one with more waiting
 * (written while the callback ran) keeps it. */
static void read_sizes_follow_traffic(void **state)
{
    eve_pipe_config c = config_of(65536, 0);
    scene s;

    (void)state;
    scene_open(&s, 1, &c, NULL);
    assert_string_equal(sizes_of("ReadFile"), "512");
    scene_feed(&s, 512 + 19488);
    /* 512 full: 4096, doubled while below the 19488 waiting: 32768; 19488 > 32768 / 8 */
    assert_string_equal(sizes_of("ReadFile"), "512 32768 32768");
    assert_int_equal(s.received, 20000);

    forget_calls();
    scene_feed(&s, 4096); /* exactly an eighth, nothing more waiting: back to 512 */
    assert_string_equal(sizes_of("ReadFile"), "512");

    forget_calls();
    scene_feed(&s, 512 + 199488); /* 512 full, then 65536 (the bound) until 2880 remain */
    assert_string_equal(sizes_of("ReadFile"), "65536 65536 65536 65536 512");
    /* a peek to size the first large read and one before going back to 512; reads at the
     * bound pay none */
    assert_int_equal(count_of("PeekNamedPipe "), 2);

    forget_calls();
    scene_feed(&s, 512 + 8192); /* exactly 8192 waiting: 8192 is enough, no doubling; */
    scene_feed(&s, 100);        /* full, so the next is 8x; a small read goes back to 512 */
    assert_string_equal(sizes_of("ReadFile"), "8192 65536 512");

    forget_calls();
    scene_feed(&s, 512 + 1000); /* to 8192 (4096 and 8192 would wait) */
    s.write_back = 1;           /* the callback writes 1 byte: still flowing */
    scene_feed(&s, 100);
    scene_run(&s);
    assert_string_equal(sizes_of("ReadFile"), "4096 4096 4096 512");
    assert_int_equal(s.received, 20000 + 4096 + 200000 + 8804 + 1512 + 101);
    scene_close(&s);
}

/* The growth bound is buffer_size even when it is not a power of two, and only past half
 * of it does doubling jump to it; below 512 an end never asks for more than buffer_size. */
static void read_sizes_odd_bounds(void **state)
{
    eve_pipe_config c = config_of(4100, 0);
    scene s;

    (void)state;
    scene_open(&s, 1, &c, NULL);
    scene_feed(&s, 512 + 1000); /* 512 full: 8 x 512 = 4096 < 4100, enough for 1000 */
    assert_string_equal(sizes_of("ReadFile"), "512 4096 4096"); /* 1000 > 4096 / 8: kept */
    scene_close(&s);

    forget_calls();
    c = config_of(40000, 0);
    scene_open(&s, 1, &c, NULL);
    scene_feed(&s, 512 + 20000); /* 4096, 8192, 16384 (< 20000), 32768 (<= 40000) */
    assert_string_equal(sizes_of("ReadFile"), "512 32768 32768");
    forget_calls();
    scene_feed(&s, 100);         /* back to 512 */
    scene_feed(&s, 512 + 35000); /* ... 16384, 32768 (< 35000 and > 20000): 40000 */
    assert_string_equal(sizes_of("ReadFile"), "512 40000 40000");
    scene_close(&s);

    forget_calls();
    c = config_of(8193, 0);      /* odd: half of it is 4096 */
    scene_open(&s, 1, &c, NULL); /* 4096 is not past half: it doubles to 8192, not 8193 */
    scene_feed(&s, 512 + 5000);
    assert_string_equal(sizes_of("ReadFile"), "512 8192 8192");
    scene_close(&s);

    forget_calls();
    c = config_of(100, 0);
    scene_open(&s, 1, &c, NULL);
    scene_feed(&s, 250);
    assert_string_equal(sizes_of("ReadFile"), "100 100 100 100");
    assert_int_equal(s.received, 250);
    scene_close(&s);
}

/* Small reads into the small buffer (ping-pong) never ask PeekNamedPipe. */
static void read_small_traffic_never_peeks(void **state)
{
    scene s;
    int i;

    (void)state;
    scene_open(&s, 1, NULL, NULL);
    for (i = 0; i < 20; i++)
        scene_feed(&s, (size_t)(1 + i * 25)); /* 1 .. 476: never a full 512 */
    assert_int_equal(count_of("PeekNamedPipe "), 0);
    scene_feed(&s, 512); /* a full read sizes the next one: one peek */
    assert_int_equal(count_of("PeekNamedPipe "), 1);
    scene_close(&s);
}

/* An idle end holds its 512-byte buffer and the end itself: nothing else. */
static void read_idle_end_allocates_little(void **state)
{
    scene s;

    (void)state;
    forget_allocs();
    scene_open(&s, 1, NULL, NULL);
    assert_int_equal(allocs_of(512), 1);
    assert_true(live_blocks <= 3); /* loop, end, read buffer */
    scene_close(&s);
}

/* ERROR_MORE_DATA (a message-mode pipe's message longer than the read) is data, not an
 * error: the end reads on. winsim has no message mode, so the completion is injected. */
static void read_more_data_is_not_an_error(void **state)
{
    eve_pipe_pair pair;
    scene s;

    (void)state;
    scene_init(&s, NULL);
    assert_int_equal(eve_pipe_pair_create(&pair, NULL), EVE_OK);
    assert_int_equal(
        winsim_fail("ReadFile@async", winsim_call_count("ReadFile") + 1, ERROR_MORE_DATA), 0);
    assert_int_equal(eve_pipe_adopt_read(s.end, s.loop, &pair.read_end), EVE_OK);
    s.raw = pair.write_end;
    scene_run(&s);
    assert_int_equal(winsim_faults_fired(), 1);
    assert_int_equal(s.closed, 0);
    scene_feed(&s, 100);
    assert_int_equal(s.received, 100);
    scene_close(&s);
}

/* ---- Writes ---- */

/* A lone chunk is written from its own memory: one allocation per write, no coalescing
 * buffer; queued chunks behind a WriteFile go out together in the next one. */
static void write_coalesces_what_queued(void **state)
{
    uint8_t data[100] = {0};
    static uint8_t big[1024];
    static uint8_t out[16384];
    scene s;
    int i;

    (void)state;
    scene_open(&s, 0, NULL, NULL);
    forget_allocs();
    assert_int_equal(eve_pipe_write(s.end, data, 100), EVE_SEND_OK);
    assert_int_equal(allocs, 1);
    for (i = 0; i < 2; i++)
        assert_int_equal(eve_pipe_write(s.end, data, 100), EVE_SEND_OK);
    scene_run(&s);
    assert_string_equal(sizes_of("WriteFile"), "100 200");
    assert_int_equal(allocs_of(4096), 1); /* the coalescing buffer starts at 4 KiB */
    assert_int_equal(allocs, 4);

    forget_calls();
    forget_allocs();
    assert_int_equal(eve_pipe_write(s.end, data, 100), EVE_SEND_OK);
    for (i = 0; i < 4; i++) /* a batch of exactly 4 KiB: the buffer serves as it is */
        assert_int_equal(eve_pipe_write(s.end, big, sizeof big), EVE_SEND_OK);
    scene_run(&s);
    assert_string_equal(sizes_of("WriteFile"), "100 4096");
    assert_int_equal(allocs, 5);

    forget_calls();
    forget_allocs();
    assert_int_equal(eve_pipe_write(s.end, data, 100), EVE_SEND_OK);
    for (i = 0; i < 40; i++)
        assert_int_equal(eve_pipe_write(s.end, data, 100), EVE_SEND_OK);
    scene_run(&s);
    assert_string_equal(sizes_of("WriteFile"), "100 4000");
    assert_int_equal(allocs, 41);
    assert_int_equal(scene_drain(&s, out, sizeof out), 300 + 4196 + 4100);
    scene_close(&s);
}

/* Batches are whole chunks up to max_write_batch (exactly reaching it is allowed), the
 * head's unwritten rest counting as what is left of it; a lone chunk is cut at the bound. */
static void write_batches_stop_at_the_bound(void **state)
{
    eve_pipe_config c = config_of(0, 300);
    uint8_t data[400] = {0};
    uint8_t out[8192];
    scene s;
    int i;

    (void)state;
    scene_open(&s, 0, &c, NULL);
    assert_int_equal(eve_pipe_write(s.end, data, 100), EVE_SEND_OK);
    for (i = 0; i < 5; i++)
        assert_int_equal(eve_pipe_write(s.end, data, 100), EVE_SEND_OK);
    scene_run(&s);
    assert_string_equal(sizes_of("WriteFile"), "100 300 200");

    forget_calls();
    assert_int_equal(eve_pipe_write(s.end, data, 400), EVE_SEND_OK); /* cut: 300, rest 100 */
    for (i = 0; i < 3; i++)
        assert_int_equal(eve_pipe_write(s.end, data, 100), EVE_SEND_OK);
    scene_run(&s);
    assert_string_equal(sizes_of("WriteFile"), "300 300 100");
    assert_int_equal(scene_drain(&s, out, sizeof out), 600 + 700);
    scene_close(&s);
}

/* The coalescing buffer doubles from 4 KiB while the batch needs more, and is the bound
 * itself once doubling would pass half of it. */
static void write_buffer_grows_by_doubling(void **state)
{
    eve_pipe_config c = config_of(0, 12000);
    static uint8_t data[1000];
    static uint8_t out[65536];
    scene s;
    int i;

    (void)state;
    scene_open(&s, 0, &c, NULL);
    forget_allocs();
    assert_int_equal(eve_pipe_write(s.end, data, 1000), EVE_SEND_OK);
    for (i = 0; i < 5; i++)
        assert_int_equal(eve_pipe_write(s.end, data, 1000), EVE_SEND_OK);
    scene_run(&s);
    assert_string_equal(sizes_of("WriteFile"), "1000 5000");
    assert_int_equal(allocs_of(8192), 1);
    forget_calls();
    assert_int_equal(eve_pipe_write(s.end, data, 1000), EVE_SEND_OK);
    for (i = 0; i < 9; i++)
        assert_int_equal(eve_pipe_write(s.end, data, 1000), EVE_SEND_OK);
    scene_run(&s);
    assert_string_equal(sizes_of("WriteFile"), "1000 9000");
    assert_int_equal(allocs_of(12000), 1);
    assert_int_equal(scene_drain(&s, out, sizeof out), 16000);
    scene_close(&s);

    c = config_of(0, 8193); /* odd: 4096 is half of it rounded down, and still doubles */
    scene_open(&s, 0, &c, NULL);
    forget_allocs();
    assert_int_equal(eve_pipe_write(s.end, data, 1000), EVE_SEND_OK);
    for (i = 0; i < 5; i++)
        assert_int_equal(eve_pipe_write(s.end, data, 1000), EVE_SEND_OK);
    scene_run(&s);
    assert_int_equal(allocs_of(8192), 1);
    assert_int_equal(scene_drain(&s, out, sizeof out), 6000);
    scene_close(&s);
}

/* No memory for the coalescing buffer: the head chunk goes alone, every byte intact. */
static void write_without_buffer_memory_goes_chunk_by_chunk(void **state)
{
    uint8_t data[300];
    uint8_t out[600];
    scene s;
    int i;

    (void)state;
    for (i = 0; i < 300; i++)
        data[i] = (uint8_t)i;
    scene_open(&s, 0, NULL, NULL);
    assert_int_equal(eve_pipe_write(s.end, data, 100), EVE_SEND_OK);
    assert_int_equal(eve_pipe_write(s.end, data + 100, 100), EVE_SEND_OK);
    assert_int_equal(eve_pipe_write(s.end, data + 200, 100), EVE_SEND_OK);
    forget_allocs();
    fail_nth = 1; /* the coalescing buffer */
    scene_run(&s);
    assert_string_equal(sizes_of("WriteFile"), "100 100 100");
    assert_int_equal(scene_drain(&s, out, sizeof out), 300);
    assert_memory_equal(out, data, 300);
    scene_close(&s);
}

/* Each WriteFile is at most the quota: 4096 here, and 1 byte on a pipe that buffers
 * nothing. */
static void write_at_most_the_quota(void **state)
{
    eve_pipe_pair_options o = {0, 0, 4096};
    static uint8_t data[10000];
    static uint8_t out[10000];
    scene s;

    (void)state;
    scene_open(&s, 0, NULL, &o);
    assert_int_equal(eve_pipe_write(s.end, data, sizeof data), EVE_SEND_OK);
    scene_run(&s); /* the first fills the pipe at once; the second waits for the reader */
    assert_string_equal(sizes_of("WriteFile"), "4096 4096");
    assert_int_equal(scene_drain(&s, out, sizeof out), sizeof data);
    assert_string_equal(sizes_of("WriteFile"), "4096 4096 1808");
    scene_close(&s);
}

/* ---- Large blocks ---- */

/* A stream of large writes is copied into blocks the loop hands out again: the first
 * write allocates its chunk, the next ones reuse it (under Wine 8 a fresh 1 MiB block costs
 * about 80 times its copy). */
static void large_writes_reuse_blocks(void **state)
{
    static uint8_t data[200000];
    static uint8_t out[200000];
    scene s;
    int i;

    (void)state;
    scene_open(&s, 0, NULL, NULL);
    forget_allocs();
    for (i = 0; i < 8; i++) {
        assert_int_equal(eve_pipe_write(s.end, data, sizeof data), EVE_SEND_OK);
        scene_run(&s);
        assert_int_equal(scene_drain(&s, out, sizeof out), sizeof data);
        scene_run(&s);
    }
    if (allocs_from(EVE__BLOCK_MIN) != 1)
        fail_msg("8 writes of 200000 bytes made %zu large allocations, want 1",
                 allocs_from(EVE__BLOCK_MIN));
    scene_close(&s);
}

/* A read end whose stream stops and starts again takes its large buffer back from the loop
 * instead of allocating it anew each time. */
static void read_bursts_reuse_blocks(void **state)
{
    scene s;
    int i;

    (void)state;
    scene_open(&s, 1, NULL, NULL);
    forget_calls();
    forget_allocs();
    /* A burst, then a small read: the end waits small again. Bursts of 256 KiB read into
     * 262144 bytes, then of 64 KiB into 65536 (EVE__BLOCK_MIN itself is a large block). */
    for (i = 0; i < 8; i++) {
        scene_feed(&s, i < 4 ? 262144 : 65536);
        scene_feed(&s, 100);
    }
    assert_int_equal(s.received, 4 * (262144 + 100) + 4 * (65536 + 100));
    if (allocs_from(EVE__BLOCK_MIN) != 2)
        fail_msg("8 bursts made %zu large allocations, want 2 (reads: %s)",
                 allocs_from(EVE__BLOCK_MIN), sizes_of("ReadFile"));
    scene_close(&s);
}

/* Write `len` bytes and let the reader take them all. */
static void write_through(scene *s, size_t len)
{
    static uint8_t data[4 * 1024 * 1024];
    static uint8_t out[4 * 1024 * 1024];
    eve_send_result r;
    assert_true(len <= sizeof data);
    r = eve_pipe_write(s->end, data, len); /* over high_water: accepted all the same */
    assert_true(r == EVE_SEND_OK || r == EVE_SEND_BACKPRESSURE);
    scene_run(s);
    assert_int_equal(scene_drain(s, out, sizeof out), len);
    scene_run(s);
}

/* A cached block serves a later need it exceeds by at most a quarter of that need; a block
 * of more than 4 MiB is freed at once. */
static void blocks_fit_within_a_quarter(void **state)
{
    const size_t head = offsetof(eve__chunk, data);
    const size_t first = 200000 + head; /* the block of the first write */
    size_t fits = first;                /* the least need it serves: first - need <= need / 4 */
    eve_pipe_pair_options big = {0, 0, 8 * 1024 * 1024};
    scene s;

    (void)state;
    while (first - (fits - 1) <= (fits - 1) / 4)
        fits--;
    scene_open(&s, 0, NULL, NULL);
    forget_allocs();
    write_through(&s, 200000);
    write_through(&s, fits - 1 - head); /* too small for the cached block: a new one */
    assert_int_equal(allocs_from(EVE__BLOCK_MIN), 2);
    write_through(&s, fits - head); /* the least need the first block serves: it does */
    write_through(&s, 200000);      /* and its own size again */
    assert_int_equal(allocs_from(EVE__BLOCK_MIN), 2);
    scene_close(&s);

    scene_open(&s, 0, NULL, &big);
    forget_allocs();
    write_through(&s, EVE__CACHE_MAX_BLOCK - head); /* a 4 MiB block is kept */
    write_through(&s, EVE__CACHE_MAX_BLOCK - head);
    assert_int_equal(allocs_from(EVE__BLOCK_MIN), 1);
    write_through(&s, EVE__CACHE_MAX_BLOCK - head + 1); /* one byte more is not */
    write_through(&s, EVE__CACHE_MAX_BLOCK - head + 1);
    assert_int_equal(allocs_from(EVE__BLOCK_MIN), 3);
    scene_close(&s);
}

typedef struct waker {
    eve_loop *loop;
    size_t frees_seen; /* large_frees when the loop's blocks were freed, or 0 */
} waker;

/* Wait (up to 10 s) for the loop to free a large block, then wake it. */
static DWORD WINAPI wake_after_trim(LPVOID arg)
{
    waker *w = arg;
    int i;
    for (i = 0; i < 1000 && large_frees == 0; i++)
        Sleep(10);
    w->frees_seen = large_frees;
    eve_loop_wakeup(w->loop);
    return 0;
}

static void on_wakeup(eve_loop *loop, void *user)
{
    (void)loop;
    (void)user;
}

/* The loop keeps the blocks its ends gave back only while there is traffic: a loop with
 * nothing to do frees them before it waits on (ref/README.md, Large blocks). */
static void idle_loop_frees_its_blocks(void **state)
{
    static uint8_t data[200000];
    static uint8_t out[200000];
    waker w;
    HANDLE thread;
    size_t live;
    scene s;

    (void)state;
    scene_open(&s, 0, NULL, NULL);
    assert_int_equal(eve_pipe_write(s.end, data, sizeof data), EVE_SEND_OK);
    scene_run(&s);
    assert_int_equal(scene_drain(&s, out, sizeof out), sizeof data);
    scene_run(&s);
    assert_int_equal(large_frees, 0); /* the chunk waits in the loop for the next write */
    live = live_blocks;
    w.loop = s.loop;
    w.frees_seen = 0;
    assert_int_equal(eve_loop_on_wakeup(s.loop, on_wakeup, NULL), EVE_OK);
    thread = CreateThread(NULL, 0, wake_after_trim, &w, 0, NULL);
    assert_non_null(thread);
    assert_true(eve_loop_run(s.loop, EVE_RUN_ONCE) >= 0); /* idle until woken */
    assert_int_equal(WaitForSingleObject(thread, INFINITE), WAIT_OBJECT_0);
    CloseHandle(thread);
    if (w.frees_seen != 1 || live_blocks != live - 1)
        fail_msg("an idle loop freed %zu large blocks before its wakeup (live %zu -> %zu), "
                 "want 1",
                 w.frees_seen, live, live_blocks);
    scene_close(&s);
}

/* ---- Adopting ---- */

/* ref decides at adopt, before binding (the spec lets the first I/O decide instead):
 * a read end without read access is EACCES, a synchronous handle EBADF, and neither is
 * given to CreateIoCompletionPort. */
static void adopt_refuses_before_binding(void **state)
{
    eve_pipe_pair_options sync = {EVE_PIPE_END_SYNC, EVE_PIPE_END_SYNC, 0};
    eve_pipe_pair pair;
    eve_loop *loop;
    eve_pipe *end;

    (void)state;
    assert_int_equal(eve_loop_create(&loop), EVE_OK);
    assert_int_equal(eve_pipe_create(NULL, &end), EVE_OK);
    assert_int_equal(eve_pipe_pair_create(&pair, NULL), EVE_OK);
    forget_calls();
    assert_int_equal(eve_pipe_adopt_read(end, loop, &pair.write_end), EVE_EACCES);
    assert_int_equal(eve_pipe_pair_close(&pair), EVE_OK);
    assert_int_equal(eve_pipe_pair_create(&pair, &sync), EVE_OK);
    assert_int_equal(eve_pipe_adopt_read(end, loop, &pair.read_end), EVE_EBADF);
    assert_int_equal(eve_pipe_adopt_write(end, loop, &pair.write_end), EVE_EBADF);
    assert_int_equal(eve_pipe_pair_close(&pair), EVE_OK);
    /* a pipe end the system will not describe is not taken for one */
    assert_int_equal(eve_pipe_pair_create(&pair, NULL), EVE_OK);
    assert_int_equal(winsim_fail("GetNamedPipeInfo", winsim_call_count("GetNamedPipeInfo") + 1,
                                 ERROR_INVALID_HANDLE),
                     0);
    assert_int_equal(eve_pipe_adopt_read(end, loop, &pair.read_end), EVE_EBADF);
    assert_null(event_of("CreateIoCompletionPort "));
    assert_int_equal(eve_pipe_pair_close(&pair), EVE_OK);
    eve_pipe_free(end);
    assert_int_equal(eve_loop_close(loop), EVE_OK);
}

/* When a query cannot answer, ref does not guess a refusal: an unknown access right lets
 * the first I/O decide, an unknown mode lets the binding decide (a synchronous handle is
 * still EBADF, an overlapped one is taken). Queries: the mode first, then the access. */
static void adopt_unknown_answers_are_not_refusals(void **state)
{
    eve_pipe_pair_options sync = {EVE_PIPE_END_SYNC, 0, 0};
    eve_pipe_pair pair;
    scene s;
    eve_pipe *end;

    (void)state;
    scene_init(&s, NULL);
    assert_int_equal(eve_pipe_pair_create(&pair, NULL), EVE_OK);
    assert_int_equal(winsim_fail("NtQueryInformationFile",
                                 winsim_call_count("NtQueryInformationFile") + 2,
                                 (DWORD)STATUS_INVALID_HANDLE),
                     0);
    assert_int_equal(eve_pipe_adopt_read(s.end, s.loop, &pair.read_end), EVE_OK);
    assert_int_equal(winsim_faults_fired(), 1);
    s.raw = pair.write_end;
    scene_feed(&s, 100);
    assert_int_equal(s.received, 100);
    scene_close(&s);

    assert_int_equal(eve_loop_create(&s.loop), EVE_OK);
    assert_int_equal(eve_pipe_create(NULL, &end), EVE_OK);
    assert_int_equal(eve_pipe_pair_create(&pair, &sync), EVE_OK);
    assert_int_equal(winsim_fail("NtQueryInformationFile",
                                 winsim_call_count("NtQueryInformationFile") + 1,
                                 (DWORD)STATUS_INVALID_HANDLE),
                     0);
    assert_int_equal(eve_pipe_adopt_read(end, s.loop, &pair.read_end), EVE_EBADF);
    assert_int_equal(winsim_faults_fired(), 2);
    assert_int_equal(winsim_fail("NtQueryInformationFile",
                                 winsim_call_count("NtQueryInformationFile") + 1,
                                 (DWORD)STATUS_INVALID_HANDLE),
                     0);
    assert_int_equal(eve_pipe_adopt_write(end, s.loop, &pair.write_end), EVE_OK);
    assert_int_equal(winsim_faults_fired(), 3);
    assert_int_equal(eve_pipe_close(end), EVE_OK);
    assert_true(eve_loop_run(s.loop, EVE_RUN_DEFAULT) >= 0);
    eve_pipe_free(end);
    assert_int_equal(eve_pipe_pair_close(&pair), EVE_OK);
    assert_int_equal(eve_loop_close(s.loop), EVE_OK);
}

/* A handle bound to another loop's port is EBUSY, and telling it from a synchronous one
 * sets no completion-notification mode on it (flags 0, a no-op), so the other loop keeps
 * getting every completion. */
static void adopt_bound_elsewhere_is_left_alone(void **state)
{
    scene s;
    eve_loop *other;
    eve_pipe *end;
    eve_os_handle stolen;
    const char *e;

    (void)state;
    scene_open(&s, 1, NULL, NULL);
    assert_int_equal(eve_loop_create(&other), EVE_OK);
    assert_int_equal(eve_pipe_create(NULL, &end), EVE_OK);
    /* The adopted end's handle, as a careless caller who kept the value would pass it. */
    stolen = ((struct eve_pipe *)s.end)->handle;
    forget_calls();
    assert_int_equal(eve_pipe_adopt_write(end, other, &stolen), EVE_EBUSY);
    e = event_of("SetFileCompletionNotificationModes ");
    assert_non_null(e);
    assert_non_null(strstr(e, " 0 -> "));
    scene_feed(&s, 100);
    assert_int_equal(s.received, 100);
    eve_pipe_free(end);
    assert_int_equal(eve_loop_close(other), EVE_OK);
    scene_close(&s);
}

/* A write end disposed with nothing to write is finished at once: its handle is closed
 * and its memory freed by the time the loop closes. */
static void dispose_idle_write_end_finishes_at_once(void **state)
{
    scene s;
    size_t handles;

    (void)state;
    scene_open(&s, 0, NULL, NULL);
    handles = winsim_open_handles();
    assert_int_equal(eve_pipe_dispose(s.end), EVE_OK);
    assert_int_equal(winsim_open_handles(), handles - 1);
    eve_pipe_free(s.end);
    CloseHandle(s.raw);
    assert_int_equal(eve_loop_close(s.loop), EVE_OK);
}

/* A pipe that buffers nothing gets 1-byte WriteFiles. */
static void write_quota_zero_one_byte_at_a_time(void **state)
{
    static const WCHAR name[] = L"\\\\.\\pipe\\eve-policy-quota-zero";
    uint8_t out[3];
    size_t got = 0;
    int i;
    scene s;
    eve_os_handle h;

    (void)state;
    scene_init(&s, NULL);
    s.raw = CreateNamedPipeW(name, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED,
                             PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, 1, 0, 0, 0, NULL);
    assert_true(s.raw != INVALID_HANDLE_VALUE);
    h = CreateFileW(name, GENERIC_WRITE | FILE_READ_ATTRIBUTES, 0, NULL, OPEN_EXISTING,
                    FILE_FLAG_OVERLAPPED, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    assert_int_equal(eve_pipe_adopt_write(s.end, s.loop, &h), EVE_OK);
    assert_int_equal(eve_pipe_write(s.end, "abc", 3), EVE_SEND_OK);
    for (i = 0; i < 10 && got < 3; i++) {
        DWORD n = 0;
        OVERLAPPED ov;
        memset(&ov, 0, sizeof ov);
        if (ReadFile(s.raw, out + got, (DWORD)(3 - got), &n, &ov))
            got += n;
        scene_run(&s);
    }
    assert_int_equal(got, 3);
    assert_memory_equal(out, "abc", 3);
    assert_string_equal(sizes_of("WriteFile"), "1 1 1");
    scene_close(&s);
}

/* ---- The loop ---- */

/* Put `len` bytes in the pipe from the raw end, without running the loop. */
static void scene_put(scene *s, size_t len)
{
    static uint8_t bytes[4096];
    DWORD n = 0;
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    assert_true(len <= sizeof bytes);
    assert_true(WriteFile(s->raw, bytes, (DWORD)len, &n, &ov));
}

/* Each run dispatches what is ready and drains the FIFO after its dequeue: a close
 * decided in a data callback is delivered by the same call. */
static void loop_run_drains_after_dequeue(void **state)
{
    scene s, other;
    eve_pipe_pair pair;
    eve_pipe *idle;

    (void)state;
    memset(&other, 0, sizeof other);
    scene_open(&s, 1, NULL, NULL);
    scene_put(&s, 10);
    assert_int_equal(eve_loop_run(s.loop, EVE_RUN_NOWAIT), 1);
    assert_int_equal(s.received, 10);
    scene_put(&s, 10); /* a run after a run dispatches too */
    assert_int_equal(eve_loop_run(s.loop, EVE_RUN_ONCE), 1);
    assert_int_equal(s.received, 20);
    /* An idle write end closed gracefully in the callback goes on the FIFO (FLUSHED). */
    assert_int_equal(eve_pipe_pair_create(&pair, NULL), EVE_OK);
    assert_int_equal(eve_pipe_create(NULL, &idle), EVE_OK);
    assert_int_equal(eve_pipe_on_close(idle, on_close, &other), EVE_OK);
    assert_int_equal(eve_pipe_adopt_write(idle, s.loop, &pair.write_end), EVE_OK);
    s.graceful_in_data = idle;
    scene_put(&s, 10);
    assert_int_equal(eve_loop_run(s.loop, EVE_RUN_NOWAIT), 1);
    assert_int_equal(s.received, 30);
    assert_int_equal(other.closed, 1);
    eve_pipe_free(idle);
    assert_int_equal(eve_pipe_pair_close(&pair), EVE_OK);
    s.graceful_in_data = NULL;
    s.close_in_data = 1;
    scene_put(&s, 10);
    assert_int_equal(eve_loop_run(s.loop, EVE_RUN_NOWAIT), 0);
    assert_int_equal(s.received, 40);
    assert_int_equal(s.closed, 1);
    eve_pipe_free(s.end);
    CloseHandle(s.raw);
    assert_int_equal(eve_loop_close(s.loop), EVE_OK);
}

static void count_wakeup(eve_loop *loop, void *user)
{
    (void)loop;
    ++*(int *)user;
}

static size_t queue_in_close = (size_t)-1;

static void record_queue_in_close(eve_pipe *pipe, eve_pipe_close_reason reason, void *user)
{
    (void)reason;
    queue_in_close = eve_pipe_write_queue_size(pipe);
    ((scene *)user)->closed = 1;
}

/* One write that completes at issue, then close before the loop runs: the close callback
 * comes once that write is processed (its queue empty, nothing unsent), with no packet
 * when the mode could be set and with its packet when it could not. */
static void close_after_write_done_at_issue(int refuse_mode)
{
    scene s;
    uint8_t out[16];

    scene_init(&s, NULL);
    if (refuse_mode)
        assert_int_equal(winsim_fail("SetFileCompletionNotificationModes",
                                     winsim_call_count("SetFileCompletionNotificationModes") + 1,
                                     ERROR_INVALID_PARAMETER),
                         0);
    scene_adopt(&s, 0, NULL);
    assert_int_equal(eve_pipe_on_close(s.end, record_queue_in_close, &s), EVE_OK);
    forget_calls();
    assert_int_equal(eve_pipe_write(s.end, "0123456789", 10), EVE_SEND_OK);
    assert_int_equal(count_of("no packet"), refuse_mode ? 0 : 1);
    assert_int_equal(eve_pipe_close(s.end), EVE_OK);
    queue_in_close = (size_t)-1;
    while (!s.closed)
        assert_true(eve_loop_run(s.loop, EVE_RUN_ONCE) >= 0);
    assert_int_equal(queue_in_close, 0);
    assert_int_equal(eve_pipe_unsent_bytes(s.end), 0);
    assert_int_equal(scene_drain(&s, out, sizeof out), 10);
    eve_pipe_free(s.end);
    CloseHandle(s.raw);
    assert_int_equal(eve_loop_close(s.loop), EVE_OK);
}

static void done_at_issue_without_packet(void **state)
{
    (void)state;
    close_after_write_done_at_issue(0);
}

static void done_at_issue_with_packet(void **state)
{
    (void)state;
    close_after_write_done_at_issue(1);
}

/* Reads that succeed at issue (no packet: FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) are
 * processed like a batch of packets, and one that succeeds again waits for the next turn:
 * an end whose writer always keeps data waiting cannot hold a ONCE run, nor keep a packet
 * of another end waiting on the port for ever in a DEFAULT run. */
static void settled_reads_take_turns(void **state)
{
    scene busy, quiet;
    DWORD n = 0;
    OVERLAPPED ov;
    int runs;

    (void)state;
    scene_open(&busy, 1, NULL, NULL);
    scene_join(&quiet, &busy, 1);
    busy.refill = 100; /* every callback leaves 100 bytes waiting for the next read */
    scene_feed(&busy, 100);
    assert_true(busy.received >= 100);
    memset(&ov, 0, sizeof ov);
    assert_true(WriteFile(quiet.raw, "0123456789", 10, &n, &ov));
    for (runs = 0; runs < 4 && quiet.received < 10; runs++)
        assert_int_equal(eve_loop_run(busy.loop, EVE_RUN_ONCE), 1);
    assert_int_equal(quiet.received, 10);
    /* A DEFAULT run polls the port too, every few turns: quiet's packet comes and its
     * callback stops the run, which would otherwise never return. */
    quiet.stop_in_data = 1;
    memset(&ov, 0, sizeof ov);
    assert_true(WriteFile(quiet.raw, "0123456789", 10, &n, &ov));
    assert_int_equal(eve_loop_run(busy.loop, EVE_RUN_DEFAULT), 1);
    assert_int_equal(quiet.received, 20);
    quiet.stop_in_data = 0;
    busy.refill = 0;
    scene_leave(&quiet);
    scene_close(&busy);
}

/* A stop inside a settled batch keeps the rest of the batch, in front of what settled
 * meanwhile, and what settles after the run is appended behind both: nothing is lost. */
static void stop_keeps_the_settled_rest(void **state)
{
    scene a, b, w;
    size_t a0, b0;
    int runs;

    (void)state;
    scene_open(&a, 1, NULL, NULL);
    scene_join(&b, &a, 1);
    scene_join(&w, &a, 0);
    a.refill = b.refill = 100; /* from the first delivery on, their reads settle at issue */
    scene_feed(&a, 100);
    scene_feed(&b, 100);
    a.stop_in_data = b.stop_in_data = 1; /* the first of the batch stops the run */
    assert_int_equal(eve_loop_run(a.loop, EVE_RUN_DEFAULT), 1);
    a.stop_in_data = b.stop_in_data = 0;
    a.refill = b.refill = 0;
    a0 = a.received;
    b0 = b.received;
    assert_int_equal(eve_pipe_write(w.end, "x", 1), EVE_SEND_OK); /* settles behind them */
    for (runs = 0; runs < 8 && (a.received == a0 || b.received == b0); runs++)
        assert_int_equal(eve_loop_run(a.loop, EVE_RUN_ONCE), 1);
    assert_int_equal(a.received, a0 + 100);
    assert_int_equal(b.received, b0 + 100);
    scene_leave(&w);
    scene_leave(&b);
    scene_close(&a);
}

/* eve_loop_close reaps the I/O of disposed ends without calling back (not even a wakeup
 * posted before it), and leaves no block and no handle; an end freed right after its
 * close is released by the run that delivers it. */
static void loop_close_reaps_without_callbacks(void **state)
{
    static uint8_t big[300000];
    scene rd, wr;
    int wakeups = 0;

    (void)state;
    scene_open(&rd, 1, NULL, NULL);
    scene_open(&wr, 0, NULL, NULL);
    assert_int_equal(eve_pipe_write(wr.end, big, sizeof big), EVE_SEND_OK); /* pipe full */
    scene_run(&wr);
    assert_int_equal(eve_loop_on_wakeup(rd.loop, count_wakeup, &wakeups), EVE_OK);
    assert_int_equal(eve_loop_wakeup(rd.loop), EVE_OK);
    eve_pipe_free(rd.end); /* a read pending */
    eve_pipe_free(wr.end); /* a write pending */
    assert_int_equal(eve_loop_close(rd.loop), EVE_OK);
    assert_int_equal(eve_loop_close(wr.loop), EVE_OK);
    assert_int_equal(wakeups, 0);
    CloseHandle(rd.raw);
    CloseHandle(wr.raw);

    scene_open(&rd, 1, NULL, NULL);
    assert_int_equal(eve_pipe_close(rd.end), EVE_OK);
    eve_pipe_free(rd.end);
    scene_run(&rd);
    CloseHandle(rd.raw);
    assert_int_equal(eve_loop_close(rd.loop), EVE_OK);
}

/* A write end closed with nothing to write and freed before any run: its close is still
 * waiting on the loop's deferred list, so the end can only be released by eve_loop_close,
 * which runs that list first (the teardown counts the blocks left). */
static void loop_close_releases_an_end_freed_after_close(void **state)
{
    scene s;

    (void)state;
    scene_open(&s, 0, NULL, NULL);
    assert_int_equal(eve_pipe_close(s.end), EVE_OK);
    eve_pipe_free(s.end);
    CloseHandle(s.raw);
    assert_int_equal(eve_loop_close(s.loop), EVE_OK);
    assert_int_equal(s.closed, 0);
}

/* A write end whose WriteFile failed at once, disposed before the loop processed the
 * failure: eve_loop_close processes it first and never waits for a completion that cannot
 * come (winsim reports such a wait as a deadlock). */
static void loop_close_processes_failures_first(void **state)
{
    scene s;
    unsigned deadlocks = winsim_deadlocks();

    (void)state;
    scene_open(&s, 0, NULL, NULL);
    assert_int_equal(
        winsim_fail("WriteFile", winsim_call_count("WriteFile") + 1, ERROR_NO_SYSTEM_RESOURCES),
        0);
    assert_int_equal(eve_pipe_write(s.end, "x", 1), EVE_SEND_OK);
    eve_pipe_free(s.end);
    assert_int_equal(eve_loop_close(s.loop), EVE_OK);
    assert_int_equal(winsim_deadlocks(), deadlocks);
    CloseHandle(s.raw);
}

/* A loop whose port cannot be made leaves nothing allocated. */
static void loop_create_without_port_leaves_nothing(void **state)
{
    eve_loop *loop = NULL;

    (void)state;
    assert_int_equal(winsim_fail("CreateIoCompletionPort",
                                 winsim_call_count("CreateIoCompletionPort") + 1,
                                 ERROR_NOT_ENOUGH_MEMORY),
                     0);
    assert_int_equal(eve_loop_create(&loop), EVE_ENOMEM);
    assert_null(loop);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pair_name_is_pid_counter_random_bits, setup, teardown),
        cmocka_unit_test_setup_teardown(pair_modes_and_quota, setup, teardown),
        cmocka_unit_test_setup_teardown(pair_tries_sixteen_names, setup, teardown),
        cmocka_unit_test_setup_teardown(read_sizes_follow_traffic, setup, teardown),
        cmocka_unit_test_setup_teardown(read_sizes_odd_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(read_small_traffic_never_peeks, setup, teardown),
        cmocka_unit_test_setup_teardown(read_idle_end_allocates_little, setup, teardown),
        cmocka_unit_test_setup_teardown(read_more_data_is_not_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(write_coalesces_what_queued, setup, teardown),
        cmocka_unit_test_setup_teardown(write_batches_stop_at_the_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(write_buffer_grows_by_doubling, setup, teardown),
        cmocka_unit_test_setup_teardown(write_without_buffer_memory_goes_chunk_by_chunk, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(write_at_most_the_quota, setup, teardown),
        cmocka_unit_test_setup_teardown(write_quota_zero_one_byte_at_a_time, setup, teardown),
        cmocka_unit_test_setup_teardown(large_writes_reuse_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(read_bursts_reuse_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(blocks_fit_within_a_quarter, setup, teardown),
        cmocka_unit_test_setup_teardown(idle_loop_frees_its_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(adopt_refuses_before_binding, setup, teardown),
        cmocka_unit_test_setup_teardown(adopt_unknown_answers_are_not_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(adopt_bound_elsewhere_is_left_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(dispose_idle_write_end_finishes_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(loop_run_drains_after_dequeue, setup, teardown),
        cmocka_unit_test_setup_teardown(settled_reads_take_turns, setup, teardown),
        cmocka_unit_test_setup_teardown(stop_keeps_the_settled_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(done_at_issue_without_packet, setup, teardown),
        cmocka_unit_test_setup_teardown(done_at_issue_with_packet, setup, teardown),
        cmocka_unit_test_setup_teardown(loop_close_reaps_without_callbacks, setup, teardown),
        cmocka_unit_test_setup_teardown(loop_close_releases_an_end_freed_after_close, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(loop_close_processes_failures_first, setup, teardown),
        cmocka_unit_test_setup_teardown(loop_create_without_port_leaves_nothing, setup, teardown),
    };
    return cmocka_run_group_tests_name("ref.policy", tests, NULL, NULL);
}
