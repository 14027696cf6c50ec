/* probe_small_writes.c: N small writes (1..16 bytes) on one pair, then a graceful close;
 * prints how long the writes took, how much had arrived, and when both ends closed.
 * Not a test: the measurements behind README.md row 3.
 * Usage: probe_small_writes [N [once]] (N default 30000). The close is awaited with
 * EVE_RUN_NOWAIT for at most 60 s, or with EVE_RUN_ONCE (which may block: use timeout). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "eve/loop.h"
#include "eve/pipe.h"

static unsigned long long rx;
static int closed;

static void on_data(eve_pipe *p, const uint8_t *d, size_t n, void *u)
{
    (void)p;
    (void)d;
    (void)u;
    rx += n;
}

static void on_close(eve_pipe *p, eve_pipe_close_reason why, void *u)
{
    (void)p;
    (void)why;
    (void)u;
    closed++;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 30000, i;
    eve_run_mode mode = argc > 2 && strcmp(argv[2], "once") == 0 ? EVE_RUN_ONCE : EVE_RUN_NOWAIT;
    unsigned long long total = 0;
    eve_loop *loop;
    eve_pipe *r, *w;
    eve_pipe_pair pair;
    DWORD t0 = GetTickCount();
    char b[16];

    memset(b, 'a', sizeof b);
    if (eve_loop_create(&loop) || eve_pipe_create(NULL, &r) || eve_pipe_create(NULL, &w) ||
        eve_pipe_pair_create(&pair, NULL))
        return 2;
    eve_pipe_on_data(r, on_data, NULL);
    eve_pipe_on_close(r, on_close, NULL);
    eve_pipe_on_close(w, on_close, NULL);
    if (eve_pipe_adopt_read(r, loop, &pair.read_end) ||
        eve_pipe_adopt_write(w, loop, &pair.write_end))
        return 2;
    for (i = 0; i < n; i++) {
        size_t len = 1 + (size_t)(i % 16);
        eve_pipe_write(w, b, len);
        total += len;
        if (i % 5000 == 4999) {
            eve_loop_run(loop, EVE_RUN_NOWAIT);
            eve_loop_run(loop, EVE_RUN_NOWAIT);
        }
    }
    printf("%ld writes took %lu ms; received %llu of %llu bytes, queue %zu\n", n,
           (unsigned long)(GetTickCount() - t0), rx, total, eve_pipe_write_queue_size(w));
    fflush(stdout);
    eve_pipe_close_graceful(w);
    t0 = GetTickCount();
    while (closed < 2 && GetTickCount() - t0 < 60000) {
        eve_loop_run(loop, mode);
        if (mode == EVE_RUN_ONCE) {
            printf("  %lu ms: received %llu\n", (unsigned long)(GetTickCount() - t0), rx);
            fflush(stdout);
        }
    }
    printf("%s %lu ms after close_graceful; received %llu of %llu bytes\n",
           closed == 2 ? "both ends closed" : "gave up", (unsigned long)(GetTickCount() - t0), rx,
           total);
    return closed == 2 ? 0 : 1;
}
