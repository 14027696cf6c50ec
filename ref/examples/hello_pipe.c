/* hello_pipe: create a pair, write to one end, read from the other, close both.
 * Exits 0 only if it read back exactly what it wrote. */
#include <stdio.h>
#include <string.h>

#include "eve/pipe.h"

static const char message[] = "hello, pipe";

struct reader {
    char got[64];
    size_t len;
};

static void on_data(eve_pipe *pipe, const uint8_t *data, size_t len, void *user)
{
    struct reader *r = user;
    if (len > sizeof r->got - r->len)
        len = sizeof r->got - r->len;
    memcpy(r->got + r->len, data, len);
    r->len += len;
    (void)pipe;
}

/* Called once per end, from the loop; free the end here. */
static void on_close(eve_pipe *pipe, eve_pipe_close_reason reason, void *user)
{
    printf("%s end closed (reason %d)\n", (const char *)user, (int)reason);
    eve_pipe_free(pipe);
}

/* Say which call failed and why ("eve_pipe_pair_create: access denied (EVE_EACCES)"). */
static int failed(const char *call, int rc)
{
    if (rc == EVE_OK)
        return 0;
    fprintf(stderr, "%s: %s (%s)\n", call, eve_strerror(rc), eve_err_name(rc));
    return 1;
}

int main(void)
{
    eve_loop *loop = NULL;
    eve_pipe *rd = NULL;
    eve_pipe *wr = NULL;
    eve_pipe_pair pair;
    struct reader r = {{0}, 0};
    int rc;

    if (failed("eve_loop_create", eve_loop_create(&loop)) ||
        failed("eve_pipe_pair_create", eve_pipe_pair_create(&pair, NULL)) ||
        failed("eve_pipe_create", eve_pipe_create(NULL, &rd)) ||
        failed("eve_pipe_create", eve_pipe_create(NULL, &wr)))
        return 1;
    eve_pipe_on_data(rd, on_data, &r);
    eve_pipe_on_close(rd, on_close, "read");
    eve_pipe_on_close(wr, on_close, "write");
    if (failed("eve_pipe_adopt_read", eve_pipe_adopt_read(rd, loop, &pair.read_end)) ||
        failed("eve_pipe_adopt_write", eve_pipe_adopt_write(wr, loop, &pair.write_end)))
        return 1;

    /* Queue the message, then close the write end once it is flushed: the read end
     * sees the data, then end of stream (reason EVE_CLOSE_PEER). */
    if (eve_pipe_write(wr, message, strlen(message)) != EVE_SEND_OK)
        return 1;
    eve_pipe_close_graceful(wr);

    rc = eve_loop_run(loop, EVE_RUN_DEFAULT); /* until both ends are closed */
    if (rc != 0 || failed("eve_loop_close", eve_loop_close(loop)))
        return 1;
    printf("read %u bytes: \"%.*s\"\n", (unsigned)r.len, (int)r.len, r.got);
    return r.len == strlen(message) && memcmp(r.got, message, r.len) == 0 ? 0 : 1;
}
