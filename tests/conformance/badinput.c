/* badinput.c: every bad input of the ref issue gets the spec's named result: NULLs, invalid
 * configs, the wrong end, use after close, double close/dispose, zero-length and huge
 * writes, bad pair options. Foreign handles are in win_handles.c (they need <windows.h>). */
#include "common.h"

H_TEST(bad_null_pipe)
{
    ok_eq(h_on_data(NULL, 1), EVE_EINVAL);
    ok_eq(h_on_writable(NULL, 1), EVE_EINVAL);
    ok_eq(h_on_close(NULL, 0), EVE_EINVAL);
    ok_eq(h_on_error(NULL, 0), EVE_EINVAL);
    ok_eq(h_is_open(NULL), 0);
    ok_eq(h_state(NULL), EVE_PIPE_CLOSED);
    ok_eq(h_write(NULL, "x", 1), EVE_SEND_INVALID);
    ok_eq(h_write(NULL, NULL, 0), EVE_SEND_INVALID);
    ok_eq(h_queue(NULL), 0);
    ok_eq(h_unsent(NULL), 0);
    ok_eq(h_pause(NULL), EVE_EINVAL);
    ok_eq(h_resume(NULL), EVE_EINVAL);
    ok_eq(h_close(NULL), EVE_EINVAL);
    ok_eq(h_close_graceful(NULL), EVE_EINVAL);
    ok_eq(h_dispose(NULL), EVE_EINVAL);
    h_free(NULL);
    {
        eve_loop *loop = h_loop_new();
        eve_pipe_pair pair = {NULL, NULL};
        ok_eq(h_pair_create(&pair, NULL), EVE_OK);
        ok_eq(h_adopt_read(NULL, loop, &pair.read_end), EVE_EINVAL);
        ok_eq(h_adopt_write(NULL, loop, &pair.write_end), EVE_EINVAL);
        ok(pair.read_end != NULL && pair.write_end != NULL, "failed adopt took a handle");
        ok_eq(h_pair_close(&pair), EVE_OK);
        ok_eq(h_loop_close(loop), EVE_OK);
    }
}

H_TEST(bad_create)
{
    eve_pipe_config c;
    eve_pipe *sentinel = (eve_pipe *)&c;
    eve_pipe *out = sentinel;
    h_pipe *p = NULL;

    ok_eq(h_create(NULL, NULL), EVE_EINVAL);
    ok_eq(eve_pipe_config_is_valid(NULL), 1);
    memset(&c, 0, sizeof c);
    ok_eq(eve_pipe_config_is_valid(&c), 1);
    c.buffer_size = EVE_PIPE_MAX_BUFFER_SIZE + 1;
    ok_eq(eve_pipe_config_is_valid(&c), 0);
    ok_eq(eve_pipe_create(&c, &out), EVE_EINVAL);
    ok(out == sentinel, "*out changed by a failed create");
    ok_eq(h_create(&c, &p), EVE_EINVAL);
    ok(p == NULL, "failed create returned an end");
    c.buffer_size = EVE_PIPE_MAX_BUFFER_SIZE;
    ok_eq(eve_pipe_config_is_valid(&c), 1);
    c.buffer_size = 1;
    c.high_water = 100;
    c.low_water = 101;
    ok_eq(eve_pipe_config_is_valid(&c), 0);
    ok_eq(h_create(&c, &p), EVE_EINVAL);
    c.low_water = 100;
    ok_eq(eve_pipe_config_is_valid(&c), 1);
    /* low_water alone above the default high water (1 MiB) is invalid after defaults */
    memset(&c, 0, sizeof c);
    c.low_water = (2u << 20);
    ok_eq(eve_pipe_config_is_valid(&c), 0);
    ok_eq(h_create(&c, &p), EVE_EINVAL);
    memset(&c, 0, sizeof c);
    c.max_write_batch = 1;
    ok_eq(h_create(&c, &p), EVE_OK);
    ok_eq(h_state(p), EVE_PIPE_DETACHED);
    h_free(p);
}

H_TEST(bad_adopt)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_pair pair = {NULL, NULL};
    eve_os_handle none = NULL;
    h_pipe *r = h_pipe_new(NULL), *w = h_pipe_new(NULL);

    ok_eq(h_pair_create(&pair, NULL), EVE_OK);
    ok_eq(h_adopt_read(r, NULL, &pair.read_end), EVE_EINVAL);
    ok_eq(h_adopt_read(r, loop, NULL), EVE_EINVAL);
    ok_eq(h_adopt_read(r, loop, &none), EVE_EINVAL);
    ok_eq(h_adopt_write(w, NULL, &pair.write_end), EVE_EINVAL);
    ok_eq(h_adopt_write(w, loop, NULL), EVE_EINVAL);
    ok_eq(h_adopt_write(w, loop, &none), EVE_EINVAL);
    ok(pair.read_end != NULL && pair.write_end != NULL, "failed adopt took a handle");
    ok_eq(h_state(r), EVE_PIPE_DETACHED);
    ok_eq(h_adopt_read(r, loop, &pair.read_end), EVE_OK);
    h_pair_took(&pair, 1);
    ok_eq(h_adopt_write(w, loop, &pair.write_end), EVE_OK);
    h_pair_took(&pair, 0);
    /* adopt again: only from DETACHED, the handle stays with the caller */
    {
        eve_pipe_pair p2 = {NULL, NULL};
        ok_eq(h_pair_create(&p2, NULL), EVE_OK);
        ok_eq(h_adopt_read(r, loop, &p2.read_end), EVE_EINVAL);
        ok_eq(h_adopt_write(r, loop, &p2.write_end), EVE_EINVAL);
        ok_eq(h_adopt_write(w, loop, &p2.write_end), EVE_EINVAL);
        ok(p2.read_end != NULL && p2.write_end != NULL, "failed adopt took a handle");
        ok_eq(h_pause(r), EVE_OK);
        ok_eq(h_adopt_read(r, loop, &p2.read_end), EVE_EINVAL); /* PAUSED */
        ok_eq(h_close_graceful(w), EVE_OK);
        ok_eq(h_adopt_write(w, loop, &p2.write_end), EVE_EINVAL); /* DRAINING */
        ok_eq(h_close(r), EVE_OK);
        ok_eq(h_adopt_read(r, loop, &p2.read_end), EVE_EINVAL); /* CLOSING */
        ok_eq(h_pair_close(&p2), EVE_OK);
    }
    finish_pair(loop, r, w);
}

H_TEST(bad_write_args)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;
    static uint8_t small[16];
    size_t queued;

    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_write(w, NULL, 5), EVE_SEND_INVALID);
    ok_eq(h_write(w, NULL, 1), EVE_SEND_INVALID); /* the smallest length that needs data */
    ok_eq(h_queue(w), 0);
    ok_eq(h_write(r, small, 1), EVE_SEND_INVALID);
    ok_eq(h_write(r, NULL, 0), EVE_SEND_INVALID);
    ok_eq(h_pause(r), EVE_OK);
    ok_eq(h_write(r, small, 1), EVE_SEND_INVALID);
    ok_eq(h_resume(r), EVE_OK);
    /* A length no allocator can satisfy: NOMEM, nothing queued, the end still works. The
     * data is never read (the copy fails first), so a small buffer is safe here. */
    ok_eq(h_write(w, small, SIZE_MAX), EVE_SEND_NOMEM);
    ok_eq(h_write(w, small, SIZE_MAX / 2), EVE_SEND_NOMEM);
    ok_eq(h_queue(w), 0);
    ok_eq(h_write(w, small, sizeof small), EVE_SEND_OK);
    H_RUN_UNTIL(loop, r->rx_bytes == sizeof small);
    ok_eq(h_close(r), EVE_OK);
    ok_eq(h_write(r, small, 1), EVE_SEND_INVALID); /* CLOSING read end */
    ok_eq(h_queue(r), 0);
    ok_eq(h_unsent(r), 0);
    /* The reader has the 16 bytes, but the writer may not have reaped its WriteFile yet:
     * the queue counts that in-flight write until its completion is dispatched. */
    queued = h_queue(w);
    ok(queued == 0 || queued == sizeof small, "queue %llu, want 0 or 16",
       (unsigned long long)queued);
    ok_eq(h_close(w), EVE_OK);
    ok_eq(h_write(w, small, 1), EVE_SEND_CLOSED); /* CLOSING write end */
    ok_eq(h_pause(w), EVE_EINVAL);
    ok_eq(h_resume(w), EVE_EINVAL);
    ok(h_queue(w) <= queued, "close grew the queue past %llu", (unsigned long long)queued);
    H_RUN_UNTIL(loop, r->close_calls == 1 && w->close_calls == 1);
    ok_eq(h_pause(w), EVE_EINVAL);
    ok_eq(h_resume(w), EVE_EINVAL);
    ok_eq(h_queue(r), 0);
    ok_eq(h_queue(w), 0);
    ok_eq(h_unsent(w), 0); /* the reader got every byte: the write completed in full */
    finish_loop(loop);
}

H_TEST(bad_use_after_close)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r, *w;

    h_pair_open(loop, NULL, NULL, &r, &w);
    ok_eq(h_dispose(r), EVE_OK);
    ok_eq(h_dispose(r), EVE_EALREADY);
    ok_eq(h_close(r), EVE_EALREADY);
    ok_eq(h_close_graceful(r), EVE_EALREADY);
    ok_eq(h_pause(r), EVE_EPIPE);
    ok_eq(h_resume(r), EVE_EPIPE);
    ok_eq(h_write(r, "x", 1), EVE_SEND_INVALID);
    ok_eq(h_on_data(r, 1), EVE_EPIPE);
    ok_eq(h_is_open(r), 0);
    ok_eq(h_close(w), EVE_OK);
    ok_eq(h_close(w), EVE_EALREADY);
    ok_eq(h_close_graceful(w), EVE_EALREADY);
    ok_eq(h_on_error(w, 1), EVE_OK); /* CLOSING: still allowed */
    H_RUN_UNTIL(loop, w->close_calls == 1);
    ok_eq(h_on_error(w, 1), EVE_EPIPE);
    ok_eq(h_write(w, "x", 1), EVE_SEND_CLOSED);
    ok_eq(h_dispose(w), EVE_EALREADY);
    ok_eq(r->close_calls, 0);
    finish_loop(loop);
}

H_TEST(bad_pair_args)
{
    eve_pipe_pair pair = {NULL, NULL};
    eve_pipe_pair_options o;

    ok_eq(h_pair_create(NULL, NULL), EVE_EINVAL);
    ok_eq(h_pair_close(NULL), EVE_EINVAL);
    ok_eq(h_pair_is_valid(NULL), 0);
    ok_eq(h_pair_is_valid(&pair), 0);
    ok_eq(h_pair_close(&pair), EVE_OK); /* empty: nothing to close */
    memset(&o, 0, sizeof o);
    o.read_flags = 0x80;
    ok_eq(h_pair_create(&pair, &o), EVE_EINVAL);
    ok(pair.read_end == NULL && pair.write_end == NULL, "failed pair_create left handles");
    o.read_flags = 0;
    o.write_flags = 0x100;
    ok_eq(h_pair_create(&pair, &o), EVE_EINVAL);
    ok(pair.read_end == NULL && pair.write_end == NULL, "failed pair_create left handles");
    o.write_flags = 0;
    ok_eq(h_pair_create(&pair, &o), EVE_OK);
    ok_eq(h_pair_is_valid(&pair), 1);
    ok_eq(h_pair_close(&pair), EVE_OK);
    ok_eq(h_pair_is_valid(&pair), 0);
    ok(pair.read_end == NULL && pair.write_end == NULL, "pair_close left handles");
    o.kernel_buffer_size = 1 << 20;
    o.read_flags = EVE_PIPE_END_INHERIT;
    o.write_flags = EVE_PIPE_END_SYNC;
    ok_eq(h_pair_create(&pair, &o), EVE_OK);
    ok_eq(h_pair_is_valid(&pair), 1);
    ok_eq(h_pair_close(&pair), EVE_OK);
}

H_TEST(pair_half_taken)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_pair pair = {NULL, NULL};
    h_pipe *r = h_pipe_new(NULL);

    ok_eq(h_pair_create(&pair, NULL), EVE_OK);
    ok_eq(h_adopt_read(r, loop, &pair.read_end), EVE_OK);
    h_pair_took(&pair, 1);
    ok_eq(h_pair_is_valid(&pair), 0);
    /* closing the half the caller still holds is the peer leaving: EOF for the reader */
    ok_eq(h_pair_close(&pair), EVE_OK);
    ok(pair.write_end == NULL, "pair_close left the write end");
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    finish_loop(loop);
}

H_TEST(spec_version)
{
    const char *v = eve_spec_version();
    ok(v != NULL && strcmp(v, EVE_SPEC_VERSION) == 0, "spec version %s, header %s",
       v ? v : "(null)", EVE_SPEC_VERSION);
}
