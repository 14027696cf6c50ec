/* test_monitor.c: the monitor accepts legal traces and names each kind of illegal one.
 * Pure C against eve_monitor.h: no pipes, the traces are written by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eve/pipe.h"
#include "eve_monitor.h"

#define KIB ((size_t)1024)

/* Distinct fake keys: the monitor only compares them. */
static char key_r, key_w, key_pair;
#define R ((const void *)&key_r)
#define W ((const void *)&key_w)
#define P ((const void *)&key_pair)

static void call(eve_monitor *m, const void *end, eve_mon_call c, long long arg, long long result)
{
    eve_monitor_call(m, end, c, arg, result);
}

static void cb(eve_monitor *m, const void *end, eve_mon_cb c, long long arg)
{
    eve_monitor_callback(m, end, c, arg);
    eve_monitor_callback_done(m, end, c);
}

/* A read end and a write end, adopted, limits known (high 64 KiB, low 16 KiB). */
static eve_monitor *open_pair(void)
{
    eve_monitor *m = eve_monitor_create();
    assert_non_null(m);
    call(m, P, EVE_MON_CALL_PAIR_CREATE, 0, EVE_OK);
    call(m, R, EVE_MON_CALL_CREATE, 0, EVE_OK);
    call(m, W, EVE_MON_CALL_CREATE, 0, EVE_OK);
    eve_monitor_set_limits(m, R, 64 * KIB, 64 * KIB, 16 * KIB);
    eve_monitor_set_limits(m, W, 64 * KIB, 64 * KIB, 16 * KIB);
    call(m, R, EVE_MON_CALL_ON_DATA, 1, EVE_OK);
    call(m, W, EVE_MON_CALL_ON_WRITABLE, 1, EVE_OK);
    call(m, R, EVE_MON_CALL_ADOPT_READ, 0, EVE_OK);
    call(m, P, EVE_MON_CALL_PAIR_TAKE_READ, 0, 0);
    call(m, W, EVE_MON_CALL_ADOPT_WRITE, 0, EVE_OK);
    call(m, P, EVE_MON_CALL_PAIR_TAKE_WRITE, 0, 0);
    call(m, P, EVE_MON_CALL_PAIR_IS_VALID, 0, 0);
    eve_monitor_state(m, R, EVE_PIPE_OPEN);
    eve_monitor_state(m, W, EVE_PIPE_OPEN);
    assert_true(eve_monitor_ok(m));
    return m;
}

/* The monitor failed, and its text contains every given fragment. */
static void expect_failure(eve_monitor *m, const char *a, const char *b)
{
    const char *f = eve_monitor_failure(m);
    assert_false(eve_monitor_ok(m));
    assert_non_null(f);
    if (strstr(f, a) == NULL || (b != NULL && strstr(f, b) == NULL)) {
        print_error("failure text lacks '%s' / '%s':\n%s\n", a, b ? b : "", f);
        fail();
    }
    eve_monitor_free(m);
}

static unsigned row_hits(const eve_monitor *m, const char *row);

/* ---------------------------------------------------------------- legal traces */

static void legal_full_lifecycle(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    assert_int_equal(row_hits(m, "T-DETACHED-A-ADOPT_READ-ADOPT_OK"), 1);
    call(m, W, EVE_MON_CALL_WRITE, 10, EVE_SEND_OK);
    call(m, W, EVE_MON_CALL_WRITE, 0, EVE_SEND_OK);
    call(m, W, EVE_MON_CALL_WRITE, EVE_MON_WRITE_NULL_DATA, EVE_SEND_INVALID);
    call(m, W, EVE_MON_CALL_WRITE, 100 * KIB, EVE_SEND_BACKPRESSURE);
    call(m, R, EVE_MON_CALL_WRITE, 1, EVE_SEND_INVALID);
    call(m, W, EVE_MON_CALL_QUEUE_SIZE, 0, 100 * KIB + 10);
    cb(m, R, EVE_MON_CB_DATA, 10);
    call(m, R, EVE_MON_CALL_PAUSE, 0, EVE_OK);
    call(m, R, EVE_MON_CALL_PAUSE, 0, EVE_EALREADY);
    eve_monitor_state(m, R, EVE_PIPE_PAUSED);
    call(m, R, EVE_MON_CALL_IS_OPEN, 0, 1);
    call(m, R, EVE_MON_CALL_RESUME, 0, EVE_OK);
    cb(m, R, EVE_MON_CB_DATA, 64 * KIB);
    cb(m, W, EVE_MON_CB_WRITABLE, 0);
    cb(m, R, EVE_MON_CB_DATA, 36 * KIB);
    call(m, W, EVE_MON_CALL_CLOSE_GRACEFUL, 0, EVE_OK);
    eve_monitor_state(m, W, EVE_PIPE_DRAINING);
    call(m, W, EVE_MON_CALL_WRITE, 1, EVE_SEND_CLOSED);
    call(m, W, EVE_MON_CALL_CLOSE_GRACEFUL, 0, EVE_EALREADY);
    cb(m, W, EVE_MON_CB_CLOSE, EVE_CLOSE_GRACEFUL);
    eve_monitor_state(m, W, EVE_PIPE_CLOSED);
    call(m, W, EVE_MON_CALL_QUEUE_SIZE, 0, 0);
    call(m, W, EVE_MON_CALL_UNSENT, 0, 0);
    cb(m, R, EVE_MON_CB_CLOSE, EVE_CLOSE_PEER);
    call(m, R, EVE_MON_CALL_RESUME, 0, EVE_EPIPE);
    call(m, R, EVE_MON_CALL_CLOSE, 0, EVE_EALREADY);
    call(m, R, EVE_MON_CALL_FREE, 0, 0);
    call(m, W, EVE_MON_CALL_FREE, 0, 0);
    eve_monitor_loop_returned(m, 0);
    eve_monitor_loop_closed(m, EVE_OK);
    call(m, P, EVE_MON_CALL_PAIR_CLOSE, 0, EVE_OK);
    assert_null(eve_monitor_failure(m));
    assert_true(eve_monitor_ok(m));
    assert_int_equal(eve_monitor_bytes_accepted(m, W), 100 * KIB + 10);
    assert_int_equal(eve_monitor_bytes_delivered(m, R), 100 * KIB + 10);
    assert_int_equal(row_hits(m, "T-OPEN-W-WRITE-WRITE_OVER"), 1);
    assert_int_equal(row_hits(m, "T-OPEN-W-K_WRITE_FULL-WAKE"), 1);
    assert_int_equal(row_hits(m, "T-OPEN-R-K_READ_DATA"), 3);
    assert_int_equal(row_hits(m, "T-DRAINING-W-FLUSHED"), 1);
    assert_int_equal(row_hits(m, "T-OPEN-R-K_READ_EOF"), 1);
    assert_int_equal(row_hits(m, "T-CLOSED-A-LOOP_IDLE"), 0); /* freed ends are retired */
    eve_monitor_free(m);
}

static void legal_null_pipe_calls(void **state)
{
    eve_monitor *m = eve_monitor_create();
    (void)state;
    eve_monitor_state(m, NULL, EVE_PIPE_CLOSED);
    call(m, NULL, EVE_MON_CALL_IS_OPEN, 0, 0);
    call(m, NULL, EVE_MON_CALL_WRITE, 5, EVE_SEND_INVALID);
    call(m, NULL, EVE_MON_CALL_CLOSE, 0, EVE_EINVAL);
    call(m, NULL, EVE_MON_CALL_DISPOSE, 0, EVE_EINVAL);
    call(m, NULL, EVE_MON_CALL_FREE, 0, 0);
    call(m, NULL, EVE_MON_CALL_CREATE, 0, EVE_EINVAL);
    call(m, NULL, EVE_MON_CALL_PAIR_CREATE, 0, EVE_EINVAL);
    call(m, NULL, EVE_MON_CALL_PAIR_IS_VALID, 0, 0);
    assert_null(eve_monitor_failure(m));
    eve_monitor_free(m);
}

static void legal_error_then_close(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    cb(m, R, EVE_MON_CB_ERROR, EVE_ENOBUFS);
    /* Inside the error callback the end is CLOSING. */
    eve_monitor_state(m, R, EVE_PIPE_CLOSING);
    call(m, R, EVE_MON_CALL_CLOSE, 0, EVE_EALREADY);
    cb(m, R, EVE_MON_CB_CLOSE, EVE_CLOSE_ERROR);
    eve_monitor_state(m, R, EVE_PIPE_CLOSED);
    assert_null(eve_monitor_failure(m));
    assert_int_equal(row_hits(m, "T-OPEN-R-K_READ_ERROR"), 1);
    eve_monitor_free(m);
}

static void legal_close_inside_data_callback(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    eve_monitor_callback(m, R, EVE_MON_CB_DATA, 7);
    eve_monitor_call_begin(m, R, EVE_MON_CALL_CLOSE);
    call(m, R, EVE_MON_CALL_CLOSE, 0, EVE_OK);
    eve_monitor_callback_done(m, R, EVE_MON_CB_DATA);
    eve_monitor_state(m, R, EVE_PIPE_CLOSING);
    cb(m, R, EVE_MON_CB_CLOSE, EVE_CLOSE_LOCAL);
    assert_null(eve_monitor_failure(m));
    assert_int_equal(row_hits(m, "T-CLOSING-A-CLOSE_DUE"), 1);
    eve_monitor_free(m);
}

static void legal_dispose_suppresses_close(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    call(m, W, EVE_MON_CALL_WRITE, 100, EVE_SEND_OK);
    cb(m, W, EVE_MON_CB_ERROR, EVE_EACCES);
    call(m, W, EVE_MON_CALL_DISPOSE, 0, EVE_OK);
    eve_monitor_state(m, W, EVE_PIPE_CLOSED);
    call(m, W, EVE_MON_CALL_DISPOSE, 0, EVE_EALREADY);
    eve_monitor_loop_closed(m, EVE_EBUSY); /* the read end is still open */
    assert_null(eve_monitor_failure(m));
    eve_monitor_free(m);
}

/* Unregistered callbacks are never seen: the model skips them. */
static void legal_unregistered_callbacks(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    call(m, R, EVE_MON_CALL_ON_CLOSE, 0, EVE_OK);
    call(m, W, EVE_MON_CALL_ON_ERROR, 0, EVE_OK);
    /* R: EOF closes it unseen; the next state read shows it. */
    eve_monitor_state(m, R, EVE_PIPE_CLOSED);
    /* W: an error whose error callback is unregistered: only close(ERROR) is seen. */
    cb(m, W, EVE_MON_CB_CLOSE, EVE_CLOSE_ERROR);
    eve_monitor_loop_returned(m, 0);
    assert_null(eve_monitor_failure(m));
    assert_int_equal(row_hits(m, "T-OPEN-W-K_WRITE_ERROR"), 1);
    eve_monitor_free(m);
}

static void legal_error_seen_close_unregistered(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    call(m, R, EVE_MON_CALL_ON_CLOSE, 0, EVE_OK);
    cb(m, R, EVE_MON_CB_ERROR, EVE_ENOMEM);
    eve_monitor_loop_returned(m, 0); /* W is still open: a violation, but of W */
    expect_failure(m, "while this end is OPEN", "(write end)");
}

/* ---------------------------------------------------------------- illegal traces */

static void catches_unregistered_callback(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    call(m, R, EVE_MON_CALL_ON_DATA, 0, EVE_OK);
    cb(m, R, EVE_MON_CB_DATA, 4);
    expect_failure(m, "DATA(4) delivered although it is not registered", "T-OPEN-A-REGISTER");
}

static void catches_callback_after_close(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    cb(m, R, EVE_MON_CB_CLOSE, EVE_CLOSE_PEER);
    cb(m, R, EVE_MON_CB_DATA, 5);
    expect_failure(m, "DATA(5) after the close callback", "T-OPEN-R-K_READ_EOF");
}

static void catches_second_close_callback(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    call(m, W, EVE_MON_CALL_CLOSE, 0, EVE_OK);
    cb(m, W, EVE_MON_CB_CLOSE, EVE_CLOSE_LOCAL);
    cb(m, W, EVE_MON_CB_CLOSE, EVE_CLOSE_LOCAL);
    expect_failure(m, "second close callback", "T-CLOSING-A-CLOSE_DUE");
}

static void catches_data_while_paused(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    call(m, R, EVE_MON_CALL_PAUSE, 0, EVE_OK);
    cb(m, R, EVE_MON_CB_DATA, 100);
    expect_failure(m, "data(100) while PAUSED", "T-OPEN-R-PAUSE");
}

static void catches_skipped_state(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    call(m, R, EVE_MON_CALL_CLOSE, 0, EVE_OK);
    /* CLOSING skipped: CLOSED before the close callback. */
    eve_monitor_state(m, R, EVE_PIPE_CLOSED);
    expect_failure(m, "STATE(0) returned 5 in state CLOSING", "T-CLOSING-A-STATE");
}

static void catches_wrong_write_result(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    call(m, W, EVE_MON_CALL_CLOSE_GRACEFUL, 0, EVE_OK);
    call(m, W, EVE_MON_CALL_WRITE, 10, EVE_SEND_OK);
    expect_failure(m, "wrong result: WRITE(10) returned 0 in state DRAINING",
                   "T-DRAINING-W-WRITE (returns EVE_SEND_CLOSED)");
}

static void catches_missing_backpressure(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    /* 100 KiB cannot fit under a 64 KiB high-water mark. */
    call(m, W, EVE_MON_CALL_WRITE, 100 * KIB, EVE_SEND_OK);
    expect_failure(m, "wrong result: WRITE(102400) returned 0", "WRITE_OVER");
}

static void catches_close_callback_inside_call(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    eve_monitor_call_begin(m, W, EVE_MON_CALL_CLOSE);
    eve_monitor_callback(m, W, EVE_MON_CB_CLOSE, EVE_CLOSE_LOCAL);
    expect_failure(m, "delivered inside the public call CLOSE", NULL);
}

static void catches_close_callback_with_write_pending(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    call(m, W, EVE_MON_CALL_WRITE, 1000, EVE_SEND_OK);
    call(m, W, EVE_MON_CALL_CLOSE, 0, EVE_OK);
    cb(m, W, EVE_MON_CB_CLOSE, EVE_CLOSE_LOCAL);
    /* The in-flight WriteFile still counts: it was not reaped before the callback. */
    call(m, W, EVE_MON_CALL_QUEUE_SIZE, 0, 1000);
    expect_failure(m, "a write was still pending", "T-CLOSING-A-CLOSE_DUE");
}

static void catches_writable_without_backpressure(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    call(m, W, EVE_MON_CALL_WRITE, 10, EVE_SEND_OK);
    cb(m, W, EVE_MON_CB_WRITABLE, 0);
    expect_failure(m, "writable without a BACKPRESSURE", NULL);
}

static void catches_error_without_close(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    cb(m, R, EVE_MON_CB_ERROR, EVE_EBADF);
    cb(m, R, EVE_MON_CB_DATA, 3);
    expect_failure(m, "row T-OPEN-R-K_READ_ERROR owes callback 2", "close(ERROR)");
}

static void catches_wrong_close_reason(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    call(m, R, EVE_MON_CALL_CLOSE, 0, EVE_OK);
    cb(m, R, EVE_MON_CB_CLOSE, EVE_CLOSE_PEER);
    expect_failure(m, "close(2) but the recorded reason is 0", NULL);
}

static void two_loops(void **state)
{
    static char loop_a, loop_b;
    eve_monitor *m = open_pair();
    (void)state;
    eve_monitor_set_loop(m, R, &loop_a);
    eve_monitor_set_loop(m, W, &loop_b);
    call(m, R, EVE_MON_CALL_CLOSE, 0, EVE_OK);
    cb(m, R, EVE_MON_CB_CLOSE, EVE_CLOSE_LOCAL);
    eve_monitor_loop_returned_on(m, &loop_a, 0); /* W is live, but on loop_b */
    eve_monitor_loop_closed_on(m, &loop_a, EVE_OK);
    assert_null(eve_monitor_failure(m));
    eve_monitor_loop_returned_on(m, &loop_b, 0);
    expect_failure(m, "while this end is OPEN", "(write end)");
}

static void catches_idle_while_live(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    eve_monitor_loop_returned(m, 0);
    expect_failure(m, "returned 0 (idle) while this end is OPEN", "T-OPEN-A-LOOP_IDLE");
}

static void catches_use_after_free(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    call(m, R, EVE_MON_CALL_FREE, 0, 0);
    call(m, R, EVE_MON_CALL_PAUSE, 0, EVE_OK);
    expect_failure(m, "after eve_pipe_free", NULL);
}

static void catches_error_number_of_peer(void **state)
{
    eve_monitor *m = open_pair();
    (void)state;
    /* The reader leaving is PEER: no error callback (errors.tsv outcome PEER). */
    cb(m, W, EVE_MON_CB_ERROR, EVE_EPIPE);
    expect_failure(m, "no row of state OPEN (role write) emits ERROR(-32)", NULL);
}

static void failure_shows_last_steps(void **state)
{
    eve_monitor *m = open_pair();
    const char *f;
    (void)state;
    call(m, R, EVE_MON_CALL_PAUSE, 0, EVE_OK);
    call(m, R, EVE_MON_CALL_RESUME, 0, EVE_OK);
    call(m, R, EVE_MON_CALL_RESUME, 0, EVE_OK); /* must be EALREADY */
    f = eve_monitor_failure(m);
    assert_non_null(f);
    assert_non_null(strstr(f, "T-OPEN-R-RESUME (returns EVE_EALREADY)"));
    assert_non_null(strstr(f, "[T-PAUSED-R-RESUME] PAUSED->OPEN"));
    assert_non_null(strstr(f, "[T-OPEN-R-PAUSE] OPEN->PAUSED"));
    assert_non_null(strstr(f, "model state OPEN"));
    eve_monitor_free(m);
}

/* ---------------------------------------------------------------- coverage */

struct hits_ctx {
    const char *row;
    unsigned hits;
    unsigned rows;
};

static void hits_fn(const char *row, unsigned hits, void *ctx)
{
    struct hits_ctx *c = ctx;
    c->rows++;
    if (strcmp(row, c->row) == 0)
        c->hits = hits;
}

static unsigned row_hits(const eve_monitor *m, const char *row)
{
    struct hits_ctx c = {row, 0, 0};
    eve_monitor_coverage(m, hits_fn, &c);
    assert_true(c.rows > 100);
    return c.hits;
}

static void coverage_dump(void **state)
{
    char path[] = "eve_monitor_coverage.tsv";
    char line[256];
    unsigned lines = 0, found = 0;
    FILE *f;
    eve_monitor *m = open_pair();
    (void)state;
    eve_monitor_free(m); /* adds its rows to the process-wide counts */
    assert_int_equal(eve_monitor_dump_coverage(path), 0);
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f) != NULL) {
        lines++;
        if (strncmp(line, "T-DETACHED-A-ADOPT_WRITE-ADOPT_OK\t", 34) == 0)
            found = (unsigned)atoi(line + 34);
    }
    fclose(f);
    remove(path);
    assert_true(lines > 100);
    assert_true(found >= 1);
}

static void observable_rows(void **state)
{
    (void)state;
    assert_int_equal(eve_monitor_row_observable("T-OPEN-A-CLOSE"), 1);
    assert_int_equal(eve_monitor_row_observable("T-OPEN-R-K_READ_DATA"), 1);
    assert_int_equal(eve_monitor_row_observable("T-OPEN-W-K_WRITE_FULL-WAKE"), 1);
    assert_int_equal(eve_monitor_row_observable("T-OPEN-A-LOOP_IDLE"), 1);
    assert_int_equal(eve_monitor_row_observable("T-OPEN-R-K_READ_ZERO"), 0);
    assert_int_equal(eve_monitor_row_observable("T-PAUSED-R-K_READ_DATA"), 0);
    /* Indistinguishable from the full completion, which takes the credit. */
    assert_int_equal(eve_monitor_row_observable("T-OPEN-W-K_WRITE_PARTIAL-WAKE"), 0);
    assert_int_equal(eve_monitor_row_observable("T-NO-SUCH-ROW"), -1);
}

/* The recorded trace is the text format; spec.trace.recorded replays it. */
static void record_trace(void **state)
{
    char line[128];
    FILE *f = fopen("monitor_recorded.trace", "w+");
    eve_monitor *m = eve_monitor_create();
    (void)state;
    assert_non_null(f);
    eve_monitor_record(m, f);
    call(m, P, EVE_MON_CALL_PAIR_CREATE, 0, EVE_OK);
    call(m, R, EVE_MON_CALL_CREATE, 0, EVE_OK);
    call(m, R, EVE_MON_CALL_ADOPT_READ, 0, EVE_OK);
    call(m, P, EVE_MON_CALL_PAIR_TAKE_READ, 0, 0);
    cb(m, R, EVE_MON_CB_DATA, 9);
    eve_monitor_call_begin(m, R, EVE_MON_CALL_CLOSE);
    call(m, R, EVE_MON_CALL_CLOSE, 0, EVE_OK);
    cb(m, R, EVE_MON_CB_CLOSE, EVE_CLOSE_LOCAL);
    eve_monitor_loop_returned(m, 0);
    eve_monitor_record(m, NULL);
    assert_null(eve_monitor_failure(m));
    eve_monitor_free(m);
    rewind(f);
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "call p1 PAIR_CREATE 0 0\n");
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "call e2 CREATE 0 0\n");
    while (fgets(line, sizeof line, f) != NULL && strncmp(line, "begin", 5) != 0)
        ;
    assert_string_equal(line, "begin e2 CLOSE\n");
    fclose(f);
}

/* Arbitrary input never crashes the monitor and always ends in a verdict with a text. */
static void random_steps_are_safe(void **state)
{
    static char keys[3];
    unsigned long long x = 12345;
    unsigned verdicts = 0;
    int i;
    eve_monitor *m = eve_monitor_create();
    (void)state;
    for (i = 0; i < 20000; i++) {
        const void *k;
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        k = (x >> 20) % 4 == 3 ? NULL : &keys[(x >> 20) % 4];
        switch ((x >> 33) % 5) {
        case 0:
        case 1:
            call(m, k, (eve_mon_call)((x >> 40) % EVE_MON_CALL_COUNT),
                 (long long)((x >> 8) % 5) - 1, (long long)((x >> 12) % 7) - 3);
            break;
        case 2:
            eve_monitor_callback(m, k, (eve_mon_cb)((x >> 40) % EVE_MON_CB_COUNT),
                                 (long long)((x >> 8) % 5) - 1);
            break;
        case 3:
            eve_monitor_call_begin(m, k, (eve_mon_call)((x >> 40) % EVE_MON_CALL_COUNT));
            break;
        default:
            eve_monitor_loop_returned(m, (int)((x >> 8) % 2));
            break;
        }
        if (!eve_monitor_ok(m)) {
            assert_non_null(eve_monitor_failure(m));
            verdicts++;
            eve_monitor_free(m);
            m = eve_monitor_create();
        }
    }
    eve_monitor_free(m);
    assert_true(verdicts > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(legal_full_lifecycle),
        cmocka_unit_test(legal_null_pipe_calls),
        cmocka_unit_test(legal_error_then_close),
        cmocka_unit_test(legal_close_inside_data_callback),
        cmocka_unit_test(legal_dispose_suppresses_close),
        cmocka_unit_test(legal_unregistered_callbacks),
        cmocka_unit_test(legal_error_seen_close_unregistered),
        cmocka_unit_test(catches_unregistered_callback),
        cmocka_unit_test(catches_callback_after_close),
        cmocka_unit_test(catches_second_close_callback),
        cmocka_unit_test(catches_data_while_paused),
        cmocka_unit_test(catches_skipped_state),
        cmocka_unit_test(catches_wrong_write_result),
        cmocka_unit_test(catches_missing_backpressure),
        cmocka_unit_test(catches_close_callback_inside_call),
        cmocka_unit_test(catches_close_callback_with_write_pending),
        cmocka_unit_test(catches_writable_without_backpressure),
        cmocka_unit_test(catches_error_without_close),
        cmocka_unit_test(catches_wrong_close_reason),
        cmocka_unit_test(two_loops),
        cmocka_unit_test(catches_idle_while_live),
        cmocka_unit_test(catches_use_after_free),
        cmocka_unit_test(catches_error_number_of_peer),
        cmocka_unit_test(failure_shows_last_steps),
        cmocka_unit_test(coverage_dump),
        cmocka_unit_test(observable_rows),
        cmocka_unit_test(record_trace),
        cmocka_unit_test(random_steps_are_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
