/* eve_consumer: built against an installed eve-pipe. Checks that the headers and the library
 * it linked are the same release, that an error number has its name, and that a pair moves
 * bytes from one end to the other; prints what it found. Exit 0 only if all hold. */
#include <stdio.h>
#include <string.h>

#include <eve/pipe.h>

static char got[16];
static size_t got_len;

static void on_data(eve_pipe *pipe, const uint8_t *data, size_t len, void *user)
{
    (void)pipe;
    (void)user;
    if (len > sizeof got - got_len)
        len = sizeof got - got_len;
    memcpy(got + got_len, data, len);
    got_len += len;
}

static void on_close(eve_pipe *pipe, eve_pipe_close_reason reason, void *user)
{
    (void)reason;
    (void)user;
    eve_pipe_free(pipe);
}

static int transfer(void)
{
    eve_loop *loop = NULL;
    eve_pipe *rd = NULL, *wr = NULL;
    eve_pipe_pair pair;

    if (eve_loop_create(&loop) != EVE_OK || eve_pipe_pair_create(&pair, NULL) != EVE_OK ||
        eve_pipe_create(NULL, &rd) != EVE_OK || eve_pipe_create(NULL, &wr) != EVE_OK)
        return 0;
    eve_pipe_on_data(rd, on_data, NULL);
    eve_pipe_on_close(rd, on_close, NULL);
    eve_pipe_on_close(wr, on_close, NULL);
    if (eve_pipe_adopt_read(rd, loop, &pair.read_end) != EVE_OK ||
        eve_pipe_adopt_write(wr, loop, &pair.write_end) != EVE_OK ||
        eve_pipe_write(wr, "installed", 9) != EVE_SEND_OK || eve_pipe_close_graceful(wr) != EVE_OK)
        return 0;
    return eve_loop_run(loop, EVE_RUN_DEFAULT) == 0 && eve_loop_close(loop) == EVE_OK &&
           got_len == 9 && memcmp(got, "installed", 9) == 0;
}

int main(void)
{
    int same = strcmp(eve_version(), EVE_VERSION_STRING) == 0;
    int named = strcmp(eve_err_name(EVE_EPIPE), "EVE_EPIPE") == 0;
    int moved = transfer();

    printf("eve-pipe %s (headers %s, spec %s): %s %s; transfer %s\n", eve_version(),
           EVE_VERSION_STRING, eve_spec_version(), eve_err_name(EVE_EPIPE),
           eve_strerror(EVE_EPIPE), moved ? "ok" : "FAILED");
    return same && named && moved ? 0 : 1;
}
