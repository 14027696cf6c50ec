/* matrix.c: every call in every state it has a row for (queries, adopts, registration,
 * pause/resume, unsent, free, loop close), and the pair machine's states. */
#include "common.h"

/* Calls that must not change anything, checked against the table's result for the state. */
static void queries(h_pipe *p, eve_pipe_state s, int is_open)
{
    ok_eq(h_state(p), s);
    ok_eq(h_is_open(p), is_open);
    ok_eq(h_on_error(p, 1), s == EVE_PIPE_CLOSED ? EVE_EPIPE : EVE_OK);
}

/* adopt of a spare pair's ends must fail with EINVAL outside DETACHED, keeping them. */
static void no_adopt(eve_loop *loop, h_pipe *p)
{
    eve_pipe_pair spare = {NULL, NULL};
    ok_eq(h_pair_create(&spare, NULL), EVE_OK);
    ok_eq(h_adopt_read(p, loop, &spare.read_end), EVE_EINVAL);
    ok_eq(h_adopt_write(p, loop, &spare.write_end), EVE_EINVAL);
    ok(spare.read_end != NULL && spare.write_end != NULL, "failed adopt took a handle");
    ok_eq(h_pair_close(&spare), EVE_OK);
}

H_TEST(matrix_read_end_states)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w, *d = h_pipe_new(NULL);

    ok_eq(h_unsent(d), 0); /* DETACHED */
    h_pair_open(loop, NULL, NULL, &r, &w);
    queries(r, EVE_PIPE_OPEN, 1);
    ok_eq(h_unsent(r), 0);
    no_adopt(loop, r);
    ok_eq(h_pause(r), EVE_OK);
    queries(r, EVE_PIPE_PAUSED, 1);
    ok_eq(h_queue(r), 0);
    ok_eq(h_unsent(r), 0);
    no_adopt(loop, r);
    ok_eq(h_loop_close(loop), EVE_EBUSY); /* PAUSED is live */
    ok_eq(h_close_graceful(r), EVE_OK);   /* read end: same as close, LOCAL */
    queries(r, EVE_PIPE_CLOSING, 0);
    no_adopt(loop, r);
    ok_eq(h_loop_close(loop), EVE_EBUSY);
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->close_reason, EVE_CLOSE_LOCAL);
    queries(r, EVE_PIPE_CLOSED, 0);
    no_adopt(loop, r);
    ok_eq(h_close(w), EVE_OK);
    H_RUN_UNTIL(loop, w->close_calls == 1);
    /* a DETACHED end does not keep the loop from closing */
    ok_eq(h_loop_close(loop), EVE_OK);
    h_free(d);
}

H_TEST(matrix_write_end_states)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    uint8_t *big = h_alloc(2 << 20);

    h_pair_open(loop, NULL, NULL, &r, &w);
    queries(w, EVE_PIPE_OPEN, 1);
    ok_eq(h_unsent(w), 0);
    no_adopt(loop, w);
    ok_eq(h_pause(r), EVE_OK);
    ok_eq(h_write(w, big, 2 << 20), EVE_SEND_BACKPRESSURE);
    ok_eq(h_close_graceful(w), EVE_OK);
    queries(w, EVE_PIPE_DRAINING, 1);
    ok_eq(h_queue(w), 2 << 20);
    ok_eq(h_unsent(w), 0);
    ok_eq(h_pause(w), EVE_EINVAL);
    ok_eq(h_resume(w), EVE_EINVAL);
    no_adopt(loop, w);
    ok_eq(h_loop_close(loop), EVE_EBUSY); /* DRAINING is live */
    ok_eq(h_resume(r), EVE_OK);
    H_RUN_UNTIL(loop, w->close_calls == 1 && r->close_calls == 1);
    ok_eq(w->close_reason, EVE_CLOSE_GRACEFUL);
    queries(w, EVE_PIPE_CLOSED, 0);
    ok_eq(r->rx_bytes, 2 << 20);
    finish_loop(loop);
}

H_TEST(matrix_free_each_state)
{
    int which;

    for (which = 0; which < 4; which++) {
        eve_loop *loop = h_loop_new();
        h_pipe *r, *w;
        h_pair_open(loop, NULL, NULL, &r, &w);
        ok_eq(h_write(w, "abc", 3), EVE_SEND_OK);
        switch (which) {
        case 0: /* PAUSED */
            ok_eq(h_pause(r), EVE_OK);
            h_free(r);
            ok_eq(h_close(w), EVE_OK);
            break;
        case 1: /* DRAINING */
            ok_eq(h_close_graceful(w), EVE_OK);
            h_free(w);
            ok_eq(h_close(r), EVE_OK);
            break;
        case 2: /* CLOSING */
            ok_eq(h_close(r), EVE_OK);
            h_free(r);
            ok_eq(h_close(w), EVE_OK);
            break;
        default: /* CLOSED */
            ok_eq(h_close(r), EVE_OK);
            ok_eq(h_close(w), EVE_OK);
            H_RUN_UNTIL(loop, r->close_calls == 1 && w->close_calls == 1);
            h_free(r);
            h_free(w);
            break;
        }
        h_run_idle(loop);
        ok(which == 3 || (r->close_calls + w->close_calls) == 1,
           "a freed end got a close callback");
        ok_eq(h_loop_close(loop), EVE_OK);
    }
}

H_TEST(matrix_write_complete_while_closing)
{
    /* The WriteFile completed in the kernel, its completion not yet dispatched, and then
     * close / dispose: the completion is reaped, its bytes count as written, none unsent. */
    int disp;

    for (disp = 0; disp < 2; disp++) {
        eve_loop *loop = h_loop_new();
        h_pipe *r, *w;
        h_pair_open(loop, NULL, NULL, &r, &w);
        ok_eq(h_write(w, "hello", 5), EVE_SEND_OK);
        ok_eq(disp ? h_dispose(w) : h_close(w), EVE_OK);
        H_RUN_UNTIL(loop, r->close_calls == 1);
        ok_eq(r->rx_bytes + h_unsent(w), 5);
        ok_eq(w->close_calls, disp ? 0 : 1);
        finish_loop(loop);
    }
}

H_TEST(matrix_pair_states)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_pair pair = {NULL, NULL}, keep;
    eve_pipe_pair_options bad;
    h_pipe *w = h_pipe_new(NULL), *r = h_pipe_new(NULL);

    memset(&bad, 0, sizeof bad);
    bad.read_flags = 0x40;
    /* FULL: create again replaces the handles (the caller kept copies to close) */
    ok_eq(h_pair_create(&pair, NULL), EVE_OK);
    ok_eq(h_pair_is_valid(&pair), 1);
    keep = pair;
    ok_eq(h_pair_create(&pair, NULL), EVE_OK);
    ok(pair.read_end != keep.read_end, "create on a full pair returned the old handles");
    ok_eq(h_pair_close(&keep), EVE_OK);
    keep = pair;
    ok_eq(h_pair_create(&pair, &bad), EVE_EINVAL); /* FULL -> EMPTY */
    ok(pair.read_end == NULL && pair.write_end == NULL, "failed create left handles");
    ok_eq(h_pair_close(&keep), EVE_OK);
    /* READ_ONLY: the write end taken */
    ok_eq(h_pair_create(&pair, NULL), EVE_OK);
    ok_eq(h_adopt_write(w, loop, &pair.write_end), EVE_OK);
    h_pair_took(&pair, 0);
    ok_eq(h_pair_is_valid(&pair), 0);
    keep = pair;
    ok_eq(h_pair_create(&pair, NULL), EVE_OK); /* READ_ONLY -> FULL */
    ok_eq(h_pair_close(&keep), EVE_OK);        /* the old read end: w's peer leaves */
    keep = pair;
    ok_eq(h_adopt_write(h_pipe_new(NULL), loop, &pair.write_end), EVE_OK);
    h_pair_took(&pair, 0);
    ok_eq(h_adopt_read(r, loop, &pair.read_end), EVE_OK); /* READ_ONLY -> EMPTY */
    h_pair_took(&pair, 1);
    ok_eq(h_pair_close(&pair), EVE_OK);
    ok_eq(h_pair_create(&pair, NULL), EVE_OK);
    ok_eq(h_adopt_write(h_pipe_new(NULL), loop, &pair.write_end), EVE_OK);
    h_pair_took(&pair, 0);
    keep = pair;
    ok_eq(h_pair_create(&pair, &bad), EVE_EINVAL); /* READ_ONLY -> EMPTY */
    ok_eq(h_pair_close(&keep), EVE_OK);
    ok_eq(h_pair_create(&pair, NULL), EVE_OK);
    ok_eq(h_adopt_write(h_pipe_new(NULL), loop, &pair.write_end), EVE_OK);
    h_pair_took(&pair, 0);
    ok_eq(h_pair_close(&pair), EVE_OK); /* READ_ONLY close */
    /* WRITE_ONLY: the read end taken */
    ok_eq(h_pair_create(&pair, NULL), EVE_OK);
    ok_eq(h_adopt_read(h_pipe_new(NULL), loop, &pair.read_end), EVE_OK);
    h_pair_took(&pair, 1);
    keep = pair;
    ok_eq(h_pair_create(&pair, NULL), EVE_OK); /* WRITE_ONLY -> FULL */
    ok_eq(h_pair_close(&keep), EVE_OK);
    ok_eq(h_pair_close(&pair), EVE_OK);
    ok_eq(h_pair_create(&pair, NULL), EVE_OK);
    ok_eq(h_adopt_read(h_pipe_new(NULL), loop, &pair.read_end), EVE_OK);
    h_pair_took(&pair, 1);
    keep = pair;
    ok_eq(h_pair_create(&pair, &bad), EVE_EINVAL); /* WRITE_ONLY -> EMPTY */
    ok_eq(h_pair_close(&keep), EVE_OK);
    /* close whatever is still live */
    h_close_all();
    finish_loop(loop);
}
