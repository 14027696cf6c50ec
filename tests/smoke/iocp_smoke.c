/* iocp_smoke: the toolchain and Wine can do what eve-pipe is built on. An overlapped
 * named-pipe pair, both ends on one I/O completion port, one ReadFile and one WriteFile,
 * and both completions dequeued with GetQueuedCompletionStatusEx. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include <cmocka.h>

enum { SMOKE_KEY_READ = 0x5EAD, SMOKE_KEY_WRITE = 0x3217, WAIT_MS = 10000 };

typedef struct smoke {
    HANDLE server; /* read end: the named pipe's server side */
    HANDLE client; /* write end: opened with CreateFileW */
    HANDLE port;
    OVERLAPPED read_ov;
    OVERLAPPED write_ov;
    char buf[256];
} smoke;

static wchar_t *append_hex(wchar_t *p, unsigned long long v)
{
    static const wchar_t digits[] = L"0123456789abcdef";
    int shift;
    for (shift = 60; shift >= 0; shift -= 4) {
        *p++ = digits[(v >> shift) & 0xF];
    }
    return p;
}

/* \\.\pipe\eve-smoke-<pid>-<counter>: unique within this run; enough for a smoke test. */
static void make_name(wchar_t *name)
{
    static const wchar_t prefix[] = L"\\\\.\\pipe\\eve-smoke-";
    static LONG counter;
    wchar_t *p = name;
    memcpy(p, prefix, sizeof prefix - sizeof(wchar_t));
    p += sizeof prefix / sizeof(wchar_t) - 1;
    p = append_hex(p, GetCurrentProcessId());
    *p++ = L'-';
    p = append_hex(p, (unsigned long long)InterlockedIncrement(&counter));
    *p = L'\0';
}

static int setup(void **state)
{
    wchar_t name[64];
    smoke *s = calloc(1, sizeof *s);
    assert_non_null(s);
    make_name(name);
    s->server = CreateNamedPipeW(
        name, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
        PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, 1, 4096, 4096, 0, NULL);
    assert_true(s->server != INVALID_HANDLE_VALUE);
    s->client = CreateFileW(name, GENERIC_WRITE | FILE_READ_ATTRIBUTES, 0, NULL, OPEN_EXISTING,
                            FILE_FLAG_OVERLAPPED, NULL);
    assert_true(s->client != INVALID_HANDLE_VALUE);
    /* The client connected first, so the server side is already connected. */
    assert_false(ConnectNamedPipe(s->server, &s->read_ov));
    assert_int_equal(GetLastError(), ERROR_PIPE_CONNECTED);

    s->port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    assert_non_null(s->port);
    assert_true(CreateIoCompletionPort(s->server, s->port, SMOKE_KEY_READ, 0) == s->port);
    assert_true(CreateIoCompletionPort(s->client, s->port, SMOKE_KEY_WRITE, 0) == s->port);
    memset(&s->read_ov, 0, sizeof s->read_ov);
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    smoke *s = *state;
    if (s->client != INVALID_HANDLE_VALUE) {
        CloseHandle(s->client);
    }
    CloseHandle(s->server);
    CloseHandle(s->port);
    free(s);
    return 0;
}

/* Start an overlapped call: it either completed at once or is pending; both queue a
 * completion packet on the port. */
static void assert_started(BOOL ok)
{
    if (!ok) {
        assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    }
}

/* Dequeue until `want` packets arrived; a lost packet fails after WAIT_MS instead of
 * hanging. */
static ULONG dequeue(HANDLE port, OVERLAPPED_ENTRY *out, ULONG want)
{
    ULONG got = 0;
    while (got < want) {
        ULONG n = 0;
        BOOL ok = GetQueuedCompletionStatusEx(port, out + got, want - got, &n, WAIT_MS, FALSE);
        assert_true(ok);
        assert_true(n >= 1 && n <= want - got);
        got += n;
    }
    return got;
}

static void write_then_read_both_complete(void **state)
{
    static const char msg[] = "hello, completion port";
    smoke *s = *state;
    OVERLAPPED_ENTRY e[2];
    ULONG i;
    int seen_read = 0, seen_write = 0;

    assert_started(ReadFile(s->server, s->buf, sizeof s->buf, NULL, &s->read_ov));
    assert_started(WriteFile(s->client, msg, sizeof msg, NULL, &s->write_ov));
    assert_int_equal(dequeue(s->port, e, 2), 2);

    for (i = 0; i < 2; i++) {
        assert_int_equal(e[i].dwNumberOfBytesTransferred, sizeof msg);
        if (e[i].lpCompletionKey == SMOKE_KEY_READ) {
            assert_ptr_equal(e[i].lpOverlapped, &s->read_ov);
            seen_read++;
        } else {
            assert_int_equal(e[i].lpCompletionKey, SMOKE_KEY_WRITE);
            assert_ptr_equal(e[i].lpOverlapped, &s->write_ov);
            seen_write++;
        }
    }
    assert_int_equal(seen_read, 1);
    assert_int_equal(seen_write, 1);
    assert_memory_equal(s->buf, msg, sizeof msg);
}

/* The peer leaving completes a pending read with ERROR_BROKEN_PIPE (spec: close reason
 * PEER), through the same port. */
static void peer_close_fails_pending_read(void **state)
{
    smoke *s = *state;
    OVERLAPPED_ENTRY e;
    DWORD n = 0;

    assert_started(ReadFile(s->server, s->buf, sizeof s->buf, NULL, &s->read_ov));
    assert_true(CloseHandle(s->client));
    s->client = INVALID_HANDLE_VALUE;
    assert_int_equal(dequeue(s->port, &e, 1), 1);
    assert_int_equal(e.lpCompletionKey, SMOKE_KEY_READ);
    assert_ptr_equal(e.lpOverlapped, &s->read_ov);
    assert_int_equal(e.dwNumberOfBytesTransferred, 0);
    assert_false(GetOverlappedResult(s->server, &s->read_ov, &n, FALSE));
    assert_int_equal(GetLastError(), ERROR_BROKEN_PIPE);
}

/* An empty port does not invent packets. */
static void empty_port_times_out(void **state)
{
    smoke *s = *state;
    OVERLAPPED_ENTRY e;
    ULONG n = 99;

    assert_false(GetQueuedCompletionStatusEx(s->port, &e, 1, &n, 0, FALSE));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(write_then_read_both_complete, setup, teardown),
        cmocka_unit_test_setup_teardown(peer_close_fails_pending_read, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_port_times_out, setup, teardown),
    };
    return cmocka_run_group_tests_name("iocp_smoke", tests, NULL, NULL);
}
