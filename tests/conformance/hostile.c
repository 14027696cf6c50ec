/* hostile.c: handles in the hands of a careless or hostile caller: adopting a handle value
 * that an earlier, failed adopt saw and the system then gave to a new handle; adopting a
 * write end whose pipe quota cannot be read; a pair name squatted by another process.
 * Raw Win32 calls: built by the Windows flavours, and natively against winsim/, which
 * reuses handle values and squats names on request. */
#include "common.h"

#if defined(_WIN32) || defined(EVE_TESTS_WITH_WINSIM)
#include <stdio.h>

#include <windows.h>

#ifdef EVE_TESTS_WITH_WINSIM
#include "winsim.h"
#endif

/* A failed adopt leaves nothing behind (spec/README.md, "Handles an implementation did not
 * create"): after the caller closes the refused handle and the system gives its value to
 * a new pipe end, adopting that end is decided as if the failed adopt never happened.
 * sync: the new end is synchronous (adopt must refuse it, EBADF) instead of overlapped
 * (adopt takes it; a second adopt of the same value on the same loop is EBUSY). */
static void adopt_after_failed_adopt(int sync)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_pair p1 = {NULL, NULL};
    eve_pipe_pair p2 = {NULL, NULL};
    eve_pipe_pair_options o = {0, 0, 0};
    h_pipe *x = h_pipe_new(NULL);
    h_pipe *a = h_pipe_new(NULL);
    h_pipe *b = h_pipe_new(NULL);
    eve_os_handle stale;
    eve_os_handle v;
    DWORD n = 0;
    int reused;
    int rc;

    ok_eq(h_pair_create(&p1, NULL), EVE_OK);
    stale = p1.write_end;
    rc = h_adopt_read(x, loop, &p1.write_end); /* the client end is write-only */
    ok(rc == EVE_OK || rc == EVE_EACCES, "adopt_read of a write-only end: %d", rc);
    if (rc == EVE_OK) {
        /* Taken, and refused by its first read: nothing stale for the caller to reuse. */
        H_RUN_UNTIL(loop, x->close_calls == 1);
        ok(x->error_calls == 1 && x->last_error == EVE_EACCES, "error %d (%ld calls)",
           x->last_error, x->error_calls);
        ok_eq(h_pair_close(&p1), EVE_OK);
        finish_loop(loop);
        return;
    }
    ok(p1.write_end == stale, "a failed adopt_read took the handle");
    ok(CloseHandle(p1.write_end), "CloseHandle: %lu", (unsigned long)GetLastError());
    p1.write_end = NULL;

    /* The read end is created first, so it is the handle that gets the freed value. */
    o.read_flags = o.write_flags = sync ? EVE_PIPE_END_SYNC : 0;
    ok_eq(h_pair_create(&p2, &o), EVE_OK);
    if (p2.read_end != stale)
        printf("# the system did not reuse handle value %p: nothing stale to reach\n", stale);
    if (sync) {
        /* Data waits, so an implementation that wrongly reads this end does not block. */
        ok(WriteFile(p2.write_end, "x", 1, &n, NULL) && n == 1, "WriteFile: %lu",
           (unsigned long)GetLastError());
        v = p2.read_end;
        rc = h_adopt_read(a, loop, &v);
        ok(rc == EVE_EBADF, "adopt_read of a synchronous end with a reused value: %d, want %d", rc,
           EVE_EBADF);
        ok(v == p2.read_end, "a failed adopt_read took the handle");
    } else {
        reused = p2.read_end == stale;
        ok_eq(h_adopt_read(a, loop, &p2.read_end), EVE_OK);
        v = stale;
        rc = h_adopt_read(b, loop, &v);
        if (reused)
            ok(rc == EVE_EBUSY,
               "the value an end of this loop owns, adopted again: %d, want %d (two ends would "
               "own one handle)",
               rc, EVE_EBUSY);
        ok(rc != EVE_OK && v == stale, "adopt of a closed or owned value: %d", rc);
        ok_eq(h_close(a), EVE_OK);
        H_RUN_UNTIL(loop, a->close_calls == 1);
    }
    ok_eq(h_pair_close(&p1), EVE_OK);
    ok_eq(h_pair_close(&p2), EVE_OK);
    finish_loop(loop);
}

/* A pipe of the test's own: an inbound server (the read end) with `quota` bytes of
 * buffer, and a client opened with `access` (GENERIC_WRITE alone lacks
 * FILE_READ_ATTRIBUTES: the right GetNamedPipeInfo needs to tell a write end its quota;
 * Windows enforces it, Wine 8 does not). */
static void own_pipe(HANDLE *server, HANDLE *client, DWORD quota, DWORD access)
{
    static long serial;
    WCHAR name[64];
    char ascii[64];
    size_t i;

    snprintf(ascii, sizeof ascii, "\\\\.\\pipe\\eve-test-%lu-%ld",
             (unsigned long)GetCurrentProcessId(), ++serial);
    for (i = 0; ascii[i] && i < sizeof name / sizeof name[0] - 1; i++)
        name[i] = (WCHAR)ascii[i];
    name[i] = 0;
    *server = CreateNamedPipeW(
        name, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
        PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, 1, quota, quota, 0, NULL);
    ok(*server != INVALID_HANDLE_VALUE, "CreateNamedPipeW: %lu", (unsigned long)GetLastError());
    *client = CreateFileW(name, access, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    ok(*client != INVALID_HANDLE_VALUE, "CreateFileW: %lu", (unsigned long)GetLastError());
}

static void pause_after_first(h_pipe *p, const uint8_t *data, size_t len)
{
    (void)data;
    (void)len;
    if (p->data_calls == 1)
        ok_eq(h_pause(p), EVE_OK);
}

/* Close cancels a write the reader has partly read: accepted = delivered + unsent, exact.
 * Returns 0, or the adopt_write result if it refused the client (the caller keeps it). */
static int cancel_partly_read(DWORD quota, DWORD access, size_t len)
{
    eve_loop *loop = h_loop_new();
    eve_pipe_config rcfg = cfg_of(1024, 0, 0);
    h_pipe *r = h_pipe_new(&rcfg);
    h_pipe *w = h_pipe_new(NULL);
    static uint8_t buf[65536];
    HANDLE server, client;
    eve_os_handle v;
    int rc;

    own_pipe(&server, &client, quota, access);
    v = client;
    rc = h_adopt_write(w, loop, &v);
    if (rc != EVE_OK) {
        ok(v == client, "a failed adopt_write took the handle");
        ok(CloseHandle(client) && CloseHandle(server), "CloseHandle");
        finish_loop(loop);
        return rc;
    }
    v = server;
    ok_eq(h_adopt_read(r, loop, &v), EVE_OK);
    r->on_data = pause_after_first;
    h_fill(buf, len, 7);
    ok_eq(h_write(w, buf, len), EVE_SEND_OK);
    H_RUN_UNTIL(loop, r->data_calls >= 1);
    h_spin(loop, 4);
    ok_eq(h_close(w), EVE_OK);
    H_RUN_UNTIL(loop, w->close_calls == 1);
    ok_eq(h_resume(r), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    check_accounting(r, w, len);
    finish_loop(loop);
    return EVE_OK;
}

/* Exact unsent counting must not rest on a query the handle may not allow: adopt_write
 * either refuses such a handle (EVE_EACCES, the caller keeps it) or counts exactly when a
 * close cancels a write the reader has partly read. */
static void write_end_without_read_attributes(void)
{
    int rc = cancel_partly_read(4096, GENERIC_WRITE, 65536);
    ok(rc == EVE_OK || rc == EVE_EACCES,
       "adopt_write of a write end without FILE_READ_ATTRIBUTES: %d", rc);
}

/* A pipe that buffers nothing (quota 0): every write completes only once read, so any
 * write the reader took part of is pending when close cancels it. Still exact. */
static void write_end_quota_zero(void)
{
    ok_eq(cancel_partly_read(0, GENERIC_WRITE | FILE_READ_ATTRIBUTES, 4096), EVE_OK);
}

#ifdef _WIN32
H_TEST(foreign_reused_value_after_failed_adopt)
{
    adopt_after_failed_adopt(0);
    adopt_after_failed_adopt(1);
}

H_TEST(foreign_write_end_without_read_attributes)
{
    write_end_without_read_attributes();
}

H_TEST(foreign_write_end_quota_zero)
{
    write_end_quota_zero();
}
#endif

#ifdef EVE_TESTS_WITH_WINSIM
H_TEST(sim_reused_value_after_failed_adopt)
{
    winsim_reuse_handle_values(1); /* as Windows and Wine do */
    adopt_after_failed_adopt(0);
    adopt_after_failed_adopt(1);
    winsim_reuse_handle_values(0);
}

/* winsim enforces FILE_READ_ATTRIBUTES for GetNamedPipeInfo, as Windows does. */
H_TEST(sim_write_end_without_read_attributes)
{
    write_end_without_read_attributes();
}

H_TEST(sim_write_end_quota_zero)
{
    write_end_quota_zero();
}

/* A pair never returns an end connected to another process (spec/README.md, "Security"):
 * names squatted by another process are skipped whether the platform honours
 * FILE_FLAG_FIRST_PIPE_INSTANCE (Windows) or hands out a second instance of the
 * squatter's pipe (Wine 8), and when every attempt is squatted the pair fails. */
H_TEST(sim_pair_squatted)
{
    static const winsim_squat_platform platforms[] = {WINSIM_SQUAT_WINDOWS, WINSIM_SQUAT_WINE,
                                                      WINSIM_SQUAT_SEEDED, WINSIM_SQUAT_RACE};
    size_t i;

    for (i = 0; i < sizeof platforms / sizeof platforms[0]; i++) {
        size_t open_before = winsim_open_handles();
        eve_loop *loop = h_loop_new();
        eve_pipe_pair pair = {NULL, NULL};
        ULONG server = 0, client = 0;
        unsigned creates = winsim_call_count("CreateNamedPipeW");
        unsigned reached = winsim_squatter_clients();
        h_pipe *r, *w;
        int rc;

        ok_eq(winsim_squat(3, platforms[i]), 0);
        ok_eq(h_pair_create(&pair, NULL), EVE_OK);
        /* A name squatted first is refused before any client opens it; only a squatter
         * that races in after the server checks is reached (and then let go). */
        reached = winsim_squatter_clients() - reached;
        ok(reached == (platforms[i] == WINSIM_SQUAT_RACE ? 3u : 0u),
           "platform %d: %u clients reached the squatter", (int)platforms[i], reached);
        ok(winsim_call_count("CreateNamedPipeW") - creates >= 4,
           "platform %d: %u names tried, 3 of them squatted", (int)platforms[i],
           winsim_call_count("CreateNamedPipeW") - creates);
        ok(GetNamedPipeServerProcessId(pair.write_end, &server) && server == GetCurrentProcessId(),
           "platform %d: the write end is connected to process %lx", (int)platforms[i],
           (unsigned long)server);
        ok(GetNamedPipeClientProcessId(pair.read_end, &client) && client == GetCurrentProcessId(),
           "platform %d: the read end's client is process %lx", (int)platforms[i],
           (unsigned long)client);
        r = h_pipe_new(NULL);
        w = h_pipe_new(NULL);
        ok_eq(h_adopt_read(r, loop, &pair.read_end), EVE_OK);
        h_pair_took(&pair, 1);
        ok_eq(h_adopt_write(w, loop, &pair.write_end), EVE_OK);
        h_pair_took(&pair, 0);
        ok_eq(h_write(w, "hello", 5), EVE_SEND_OK);
        ok_eq(h_close_graceful(w), EVE_OK);
        H_RUN_UNTIL(loop, r->close_calls == 1 && w->close_calls == 1);
        ok(r->rx_bytes == 5 && r->close_reason == EVE_CLOSE_PEER,
           "platform %d: %llu bytes, "
           "close %d",
           (int)platforms[i], (unsigned long long)r->rx_bytes, r->close_reason);

        /* Every name squatted: an error, no handle left open. */
        ok_eq(winsim_squat(1000, platforms[i]), 0);
        rc = h_pair_create(&pair, NULL);
        ok(rc == EVE_EACCES, "platform %d: every name squatted: %d, want %d", (int)platforms[i],
           rc, EVE_EACCES);
        ok_eq(h_pair_is_valid(&pair), 0);
        ok_eq(winsim_squat(0, platforms[i]), 0);
        finish_loop(loop);
        ok(winsim_open_handles() == open_before, "platform %d: %zu handles open, %zu before",
           (int)platforms[i], winsim_open_handles(), open_before);
    }
}
#endif

#endif /* _WIN32 || EVE_TESTS_WITH_WINSIM */
