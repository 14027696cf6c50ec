/* count.c: eve_bench_count, the transfer whose instructions callgrind counts, natively
 * against winsim/ (deterministic: same build, same count). One pair on one loop, the
 * writer driven as eve_bench drives it (write until backpressure, resume on writable),
 * every byte checked. Collection is on only around the transfer and off inside the
 * reader's check, so the count is ref/ + winsim/ + the loop's callbacks, not the bench.
 *
 *   eve_bench_count w128 N   N writes of 128 bytes
 *   eve_bench_count bulk N   N writes of 64 KiB
 * Run under valgrind --tool=callgrind --collect-atstart=no; bench/callgrind.sh takes the
 * difference of two sizes, so setup and teardown cancel out. Exit 1 on any mismatch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eve/pipe.h"

#ifdef EVE_BENCH_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#define COUNT_TOGGLE() CALLGRIND_TOGGLE_COLLECT
#else
#define COUNT_TOGGLE() ((void)0)
#endif

#define PERIOD 251 /* prime: no write size is a multiple of it */

typedef struct count_run {
    eve_pipe *rd;
    eve_pipe *wr;
    uint8_t pattern[PERIOD + 65536];
    size_t wsize;
    uint64_t writes;
    uint64_t sent;
    uint64_t got;
    uint64_t bad;
    int closes;
} count_run;

static void count_pump(count_run *r)
{
    while (r->sent < r->writes) {
        eve_send_result s =
            eve_pipe_write(r->wr, r->pattern + (r->sent * r->wsize) % PERIOD, r->wsize);
        if (s != EVE_SEND_OK && s != EVE_SEND_BACKPRESSURE) {
            r->bad++;
            eve_pipe_close(r->wr);
            return;
        }
        r->sent++;
        if (s == EVE_SEND_BACKPRESSURE)
            return;
    }
    eve_pipe_close_graceful(r->wr);
}

static void count_on_writable(eve_pipe *pipe, void *user)
{
    count_pump(user);
    (void)pipe;
}

static void count_on_data(eve_pipe *pipe, const uint8_t *data, size_t len, void *user)
{
    count_run *r = user;
    COUNT_TOGGLE(); /* the check is the bench's work, not ref/'s */
    while (len > 0) {
        size_t off = (size_t)(r->got % PERIOD);
        size_t n = len < 65536 ? len : 65536;
        if (memcmp(data, r->pattern + off, n) != 0)
            r->bad++;
        r->got += n;
        data += n;
        len -= n;
    }
    COUNT_TOGGLE();
    (void)pipe;
}

static void count_on_close(eve_pipe *pipe, eve_pipe_close_reason reason, void *user)
{
    count_run *r = user;
    if (reason != (pipe == r->rd ? EVE_CLOSE_PEER : EVE_CLOSE_GRACEFUL))
        r->bad++;
    r->closes++;
    eve_pipe_free(pipe);
}

int main(int argc, char **argv)
{
    static count_run r;
    eve_loop *loop = NULL;
    eve_pipe_pair pair;
    size_t i;

    if (argc != 3 || (strcmp(argv[1], "w128") != 0 && strcmp(argv[1], "bulk") != 0)) {
        fprintf(stderr, "usage: eve_bench_count w128|bulk WRITES\n");
        return 2;
    }
    r.wsize = strcmp(argv[1], "w128") == 0 ? 128 : 65536;
    r.writes = strtoull(argv[2], NULL, 10);
    for (i = 0; i < sizeof r.pattern; i++)
        r.pattern[i] = (uint8_t)((i % PERIOD) * 7 + 3);
    if (eve_loop_create(&loop) != EVE_OK || eve_pipe_pair_create(&pair, NULL) != EVE_OK ||
        eve_pipe_create(NULL, &r.rd) != EVE_OK || eve_pipe_create(NULL, &r.wr) != EVE_OK)
        return 1;
    eve_pipe_on_data(r.rd, count_on_data, &r);
    eve_pipe_on_close(r.rd, count_on_close, &r);
    eve_pipe_on_close(r.wr, count_on_close, &r);
    eve_pipe_on_writable(r.wr, count_on_writable, &r);
    if (eve_pipe_adopt_read(r.rd, loop, &pair.read_end) != EVE_OK ||
        eve_pipe_adopt_write(r.wr, loop, &pair.write_end) != EVE_OK)
        return 1;

    COUNT_TOGGLE();
    count_pump(&r);
    if (eve_loop_run(loop, EVE_RUN_DEFAULT) != 0)
        r.bad++;
    COUNT_TOGGLE();

    if (eve_loop_close(loop) != EVE_OK)
        r.bad++;
    printf("%s %llu writes: %llu bytes received, %llu bad, %d closes\n", argv[1],
           (unsigned long long)r.writes, (unsigned long long)r.got, (unsigned long long)r.bad,
           r.closes);
    return r.bad == 0 && r.closes == 2 && r.got == r.writes * r.wsize ? 0 : 1;
}
