/* test_winsim: the simulation itself, through the Win32 calls: quotas, immediate and
 * pending completion, broken pipe both ways, cancel, close with I/O pending, instance
 * rules, completion ports, fault injection and determinism. Each expectation is the
 * Windows/Wine behaviour the rule comments in winsim/src cite. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <winsim.h>
#include <winternl.h>

#include <cmocka.h>

enum { KEY_SERVER = 11, KEY_CLIENT = 22 };

typedef struct pair {
    HANDLE server, client, port;
} pair;

static const WCHAR NAME[] = L"\\\\.\\pipe\\winsim-test";

static HANDLE make_server(DWORD quota, DWORD extra_flags)
{
    return CreateNamedPipeW(NAME, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED | extra_flags,
                            PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT |
                                PIPE_REJECT_REMOTE_CLIENTS,
                            1, quota, quota, 0, NULL);
}

static void make_pair(pair *p, DWORD quota)
{
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    p->server = make_server(quota, FILE_FLAG_FIRST_PIPE_INSTANCE);
    assert_true(p->server != INVALID_HANDLE_VALUE);
    p->client =
        CreateFileW(NAME, GENERIC_WRITE | FILE_READ_ATTRIBUTES, 0, NULL, OPEN_EXISTING,
                    FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_ANONYMOUS, NULL);
    assert_true(p->client != INVALID_HANDLE_VALUE);
    assert_false(ConnectNamedPipe(p->server, &ov));
    assert_int_equal(GetLastError(), ERROR_PIPE_CONNECTED);
    p->port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    assert_non_null(p->port);
    assert_ptr_equal(CreateIoCompletionPort(p->server, p->port, KEY_SERVER, 0), p->port);
    assert_ptr_equal(CreateIoCompletionPort(p->client, p->port, KEY_CLIENT, 0), p->port);
}

static void close_pair(pair *p)
{
    if (p->server)
        assert_true(CloseHandle(p->server));
    if (p->client)
        assert_true(CloseHandle(p->client));
    assert_true(CloseHandle(p->port));
}

/* Dequeue exactly one packet (timeout 0) and check it. */
static void expect_packet(HANDLE port, ULONG_PTR key, OVERLAPPED *ov, NTSTATUS status, DWORD bytes)
{
    OVERLAPPED_ENTRY e;
    ULONG n = 0;
    assert_true(GetQueuedCompletionStatusEx(port, &e, 1, &n, 0, FALSE));
    assert_int_equal(n, 1);
    assert_int_equal(e.lpCompletionKey, key);
    assert_ptr_equal(e.lpOverlapped, ov);
    assert_int_equal((ULONG)e.Internal, (ULONG)status);
    assert_int_equal(e.dwNumberOfBytesTransferred, bytes);
}

static void expect_empty(HANDLE port)
{
    OVERLAPPED_ENTRY e;
    ULONG n = 99;
    assert_false(GetQueuedCompletionStatusEx(port, &e, 1, &n, 0, FALSE));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    assert_int_equal(n, 0);
}

static int setup(void **state)
{
    (void)state;
    winsim_seed(0);
    assert_int_equal(winsim_reset(), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(winsim_reset(), 0); /* every test closes what it opened */
    return 0;
}

static void test_pair_and_info(void **state)
{
    pair p;
    DWORD flags = 99, out = 0, in = 0, max = 0;
    (void)state;
    make_pair(&p, 4096);
    assert_int_equal(GetFileType(p.server), FILE_TYPE_PIPE);
    assert_int_equal(GetFileType(p.port), FILE_TYPE_UNKNOWN);
    assert_true(GetNamedPipeInfo(p.server, &flags, &out, &in, &max));
    assert_int_equal(flags, PIPE_SERVER_END);
    assert_int_equal(in, 4096);
    assert_int_equal(max, 1);
    assert_true(GetNamedPipeInfo(p.client, &flags, NULL, NULL, NULL));
    assert_int_equal(flags, PIPE_CLIENT_END);
    assert_int_equal(winsim_open_handles(), 3);
    close_pair(&p);
}

static void test_instances(void **state)
{
    pair p;
    HANDLE h;
    (void)state;
    make_pair(&p, 4096);
    h = make_server(4096, FILE_FLAG_FIRST_PIPE_INSTANCE);
    assert_true(h == INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    h = make_server(4096, 0);
    assert_true(h == INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_PIPE_BUSY);
    h = CreateFileW(NAME, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    assert_true(h == INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_PIPE_BUSY);
    h = CreateFileW(L"\\\\.\\pipe\\nobody", GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    assert_true(h == INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_FILE_NOT_FOUND);
    close_pair(&p);
    /* the name is free again once its only instance is closed */
    h = make_server(4096, FILE_FLAG_FIRST_PIPE_INSTANCE);
    assert_true(h != INVALID_HANDLE_VALUE);
    assert_true(CloseHandle(h));
}

/* R9 (Wine's squatter), R13, R14: instances, process ids, access and mode. */
static void test_squat_ids_and_access(void **state)
{
    HANDLE h, c;
    DWORD instances = 0;
    ULONG pid = 0;
    IO_STATUS_BLOCK io;
    FILE_ACCESS_INFORMATION access;
    FILE_MODE_INFORMATION mode;
    (void)state;

    assert_int_equal(winsim_squat(1, WINSIM_SQUAT_WINDOWS), 0);
    h = make_server(4096, FILE_FLAG_FIRST_PIPE_INSTANCE);
    assert_true(h == INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    assert_int_equal(winsim_reset(), 0); /* the squatter's end is not ours to leak */

    assert_int_equal(winsim_squat(1, WINSIM_SQUAT_WINE), 0);
    h = make_server(4096, FILE_FLAG_FIRST_PIPE_INSTANCE);
    assert_true(h != INVALID_HANDLE_VALUE);
    assert_true(GetNamedPipeHandleStateW(h, NULL, &instances, NULL, NULL, NULL, 0));
    assert_int_equal(instances, 2);
    assert_true(GetNamedPipeClientProcessId(h, &pid));
    assert_int_equal(pid, 0x55555555u); /* nothing connected (W8) */
    c = CreateFileW(NAME, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    assert_true(c != INVALID_HANDLE_VALUE);
    assert_true(GetNamedPipeServerProcessId(c, &pid));
    assert_int_equal(pid, WINSIM_OTHER_PROCESS_ID); /* the squatter's instance came first */
    assert_true(GetNamedPipeClientProcessId(c, &pid));
    assert_int_equal(pid, GetCurrentProcessId());

    /* GENERIC_WRITE alone: no FILE_READ_DATA, no FILE_READ_ATTRIBUTES; overlapped. */
    assert_int_equal(NtQueryInformationFile(c, &io, &access, sizeof access, FileAccessInformation),
                     STATUS_SUCCESS);
    assert_int_equal(access.AccessFlags & (FILE_READ_DATA | FILE_READ_ATTRIBUTES), 0);
    assert_true(access.AccessFlags & FILE_WRITE_DATA);
    assert_int_equal(NtQueryInformationFile(c, &io, &mode, sizeof mode, FileModeInformation),
                     STATUS_SUCCESS);
    assert_int_equal(mode.Mode, 0);
    assert_false(GetNamedPipeHandleStateW(c, NULL, &instances, NULL, NULL, NULL, 0));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    assert_true(CloseHandle(c));
    assert_true(CloseHandle(h));
    assert_int_equal(winsim_reset(), 0);

    /* A synchronous server end. */
    h = CreateNamedPipeW(NAME, PIPE_ACCESS_INBOUND, PIPE_TYPE_BYTE, 1, 4096, 4096, 0, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    assert_int_equal(NtQueryInformationFile(h, &io, &mode, sizeof mode, FileModeInformation),
                     STATUS_SUCCESS);
    assert_int_equal(mode.Mode, FILE_SYNCHRONOUS_IO_NONALERT);
    assert_int_equal(NtQueryInformationFile(h, &io, &access, sizeof access, FileAccessInformation),
                     STATUS_SUCCESS);
    assert_true(access.AccessFlags & FILE_READ_DATA);
    assert_true(CloseHandle(h));
}

/* Reused handle values, on request. */
static void test_reuse_handle_values(void **state)
{
    HANDLE a, b;
    (void)state;
    a = make_server(4096, 0);
    assert_true(CloseHandle(a));
    b = make_server(4096, 0);
    assert_true(b != a); /* by default a value never comes back */
    assert_true(CloseHandle(b));
    winsim_reuse_handle_values(1);
    a = make_server(4096, 0);
    assert_true(CloseHandle(a));
    b = make_server(4096, 0);
    assert_ptr_equal(b, a);
    assert_true(CloseHandle(b));
    winsim_reuse_handle_values(0);
}

static void test_access_and_binding(void **state)
{
    pair p;
    HANDLE h, sync;
    char b[4];
    OVERLAPPED ov;
    (void)state;
    memset(&ov, 0, sizeof ov);
    make_pair(&p, 4096);
    assert_false(WriteFile(p.server, "x", 1, NULL, &ov));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    assert_false(ReadFile(p.client, b, 1, NULL, &ov));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    /* a handle binds to one port only */
    assert_null(CreateIoCompletionPort(p.server, p.port, 5, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    close_pair(&p);
    /* an inbound pipe's client cannot ask for read access; a sync handle cannot bind */
    h = make_server(4096, 0);
    assert_true(CreateFileW(NAME, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL) ==
                INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    sync = CreateFileW(NAME, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    assert_true(sync != INVALID_HANDLE_VALUE);
    p.port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    assert_null(CreateIoCompletionPort(sync, p.port, 1, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    /* no FILE_READ_ATTRIBUTES: the pipe cannot be queried; flags 0 refused on a sync
     * handle (what ref/ uses to tell it from one bound elsewhere) */
    assert_false(GetNamedPipeInfo(sync, NULL, NULL, NULL, NULL));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    assert_false(SetFileCompletionNotificationModes(sync, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_true(SetFileCompletionNotificationModes(h, 0));
    /* a synchronous write that fits completes at once */
    assert_true(WriteFile(sync, "abc", 3, NULL, NULL));
    assert_true(CloseHandle(sync));
    assert_true(CloseHandle(h));
    assert_true(CloseHandle(p.port));
    assert_false(CloseHandle(h));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

static void test_immediate_completion_still_queues(void **state)
{
    pair p;
    OVERLAPPED wov, rov;
    DWORD n = 0;
    char buf[200];
    (void)state;
    memset(&wov, 0, sizeof wov);
    memset(&rov, 0, sizeof rov);
    make_pair(&p, 4096);
    assert_true(WriteFile(p.client, "hello", 5, &n, &wov));
    assert_int_equal(n, 5);
    expect_packet(p.port, KEY_CLIENT, &wov, STATUS_SUCCESS, 5);
    assert_true(ReadFile(p.server, buf, sizeof buf, &n, &rov));
    assert_int_equal(n, 5);
    assert_memory_equal(buf, "hello", 5);
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, 5);
    assert_true(GetOverlappedResult(p.server, &rov, &n, FALSE));
    assert_int_equal(n, 5);
    expect_empty(p.port);
    close_pair(&p);
}

/* R4 with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS (as Wine 8 does on pipes): a call that
 * returns TRUE queues no packet, its outcome is in the OVERLAPPED; one that pends still
 * gets its packet. */
static void test_skip_port_on_success(void **state)
{
    pair p;
    OVERLAPPED wov, rov;
    DWORD n = 0;
    char buf[200];
    int done_at_once = 0;
    int i;
    (void)state;
    make_pair(&p, 4096);
    assert_true(
        SetFileCompletionNotificationModes(p.client, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    assert_true(
        SetFileCompletionNotificationModes(p.server, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    for (i = 0; i < 8; i++) { /* a seeded run may report a done call pending: packet then */
        memset(&wov, 0, sizeof wov);
        if (WriteFile(p.client, "hello", 5, NULL, &wov)) {
            done_at_once++;
            expect_empty(p.port);
        } else {
            assert_int_equal(GetLastError(), ERROR_IO_PENDING);
            expect_packet(p.port, KEY_CLIENT, &wov, STATUS_SUCCESS, 5);
        }
        assert_true(GetOverlappedResult(p.client, &wov, &n, FALSE));
        assert_int_equal(n, 5);
    }
    assert_true(done_at_once > 0);
    memset(&rov, 0, sizeof rov);
    while (!ReadFile(p.server, buf, sizeof buf, NULL, &rov)) {
        assert_int_equal(GetLastError(), ERROR_IO_PENDING);
        expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, (DWORD)rov.InternalHigh);
        memset(&rov, 0, sizeof rov);
    }
    expect_empty(p.port);
    assert_true(GetOverlappedResult(p.server, &rov, &n, FALSE));
    assert_true(n > 0);
    while (PeekNamedPipe(p.server, NULL, 0, NULL, &n, NULL) && n > 0) { /* drain */
        memset(&rov, 0, sizeof rov);
        if (!ReadFile(p.server, buf, sizeof buf, NULL, &rov))
            expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, (DWORD)rov.InternalHigh);
    }
    memset(&rov, 0, sizeof rov); /* nothing to read: it pends, and its packet comes */
    assert_false(ReadFile(p.server, buf, sizeof buf, NULL, &rov));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    expect_empty(p.port);
    memset(&wov, 0, sizeof wov);
    i = WriteFile(p.client, "xy", 2, NULL, &wov);
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, 2);
    if (!i) /* the write's own packet comes last (R4) */
        expect_packet(p.port, KEY_CLIENT, &wov, STATUS_SUCCESS, 2);
    expect_empty(p.port);
    close_pair(&p);
}

static void test_quota_pends_until_read(void **state)
{
    pair p;
    OVERLAPPED wov, rov;
    static char big[10000], got[20000];
    DWORD n = 0;
    (void)state;
    memset(&wov, 0, sizeof wov);
    memset(&rov, 0, sizeof rov);
    memset(big, 'b', sizeof big);
    make_pair(&p, 4096);
    assert_false(WriteFile(p.client, big, sizeof big, NULL, &wov));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    assert_false(HasOverlappedIoCompleted(&wov));
    expect_empty(p.port);
    /* reads take from the pending write; it completes once the rest fits the quota */
    assert_true(ReadFile(p.server, got, 50, &n, &rov));
    assert_int_equal(n, 50);
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, 50);
    expect_empty(p.port);
    assert_true(ReadFile(p.server, got, 10000 - 50 - 4096 - 1, &n, &rov));
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, 10000 - 50 - 4096 - 1);
    expect_empty(p.port);
    assert_true(ReadFile(p.server, got, 1, &n, &rov));
    expect_packet(p.port, KEY_CLIENT, &wov, STATUS_SUCCESS, sizeof big);
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, 1);
    assert_true(ReadFile(p.server, got, sizeof got, &n, &rov));
    assert_int_equal(n, 4096);
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, 4096);
    close_pair(&p);
}

/* R1 with a queue: a completed write, then two pending ones. Each completes once it and
 * everything before it fit the quota, in order, even when reads take from its buffer. */
static void test_pending_writes_complete_in_order(void **state)
{
    pair p;
    OVERLAPPED ov1, ov2, ov3, rov;
    static char got[64];
    DWORD n = 0;
    (void)state;
    memset(&ov1, 0, sizeof ov1);
    memset(&ov2, 0, sizeof ov2);
    memset(&ov3, 0, sizeof ov3);
    memset(&rov, 0, sizeof rov);
    make_pair(&p, 10);
    assert_true(WriteFile(p.client, "aaaaaaaa", 8, NULL, &ov1));
    expect_packet(p.port, KEY_CLIENT, &ov1, STATUS_SUCCESS, 8);
    assert_false(WriteFile(p.client, "bbbbbbbbbbbbbbbbbbbb", 20, NULL, &ov2));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    assert_false(WriteFile(p.client, "ccccc", 5, NULL, &ov3));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    expect_empty(p.port);
    /* 8 + 20 > 10: the first read leaves both pending */
    assert_true(ReadFile(p.server, got, 8, &n, &rov));
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, 8);
    expect_empty(p.port);
    /* 15 taken from the pending write's own buffer: 5 + 5 <= 10, both complete, in order */
    assert_true(ReadFile(p.server, got, 15, &n, &rov));
    assert_int_equal(n, 15);
    assert_memory_equal(got, "bbbbbbbbbbbbbbb", 15);
    expect_packet(p.port, KEY_CLIENT, &ov2, STATUS_SUCCESS, 20);
    expect_packet(p.port, KEY_CLIENT, &ov3, STATUS_SUCCESS, 5);
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, 15);
    assert_true(ReadFile(p.server, got, sizeof got, &n, &rov));
    assert_int_equal(n, 10);
    assert_memory_equal(got, "bbbbbccccc", 10);
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, 10);
    close_pair(&p);
}

static void test_pending_reads(void **state)
{
    pair p;
    OVERLAPPED zov, rov, wov;
    char buf[16];
    DWORD n;
    (void)state;
    memset(&zov, 0, sizeof zov);
    memset(&rov, 0, sizeof rov);
    memset(&wov, 0, sizeof wov);
    make_pair(&p, 4096);
    assert_false(ReadFile(p.server, buf, 0, NULL, &zov));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    assert_false(ReadFile(p.server, buf, sizeof buf, NULL, &rov));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    /* an empty write wakes nobody in byte mode */
    assert_true(WriteFile(p.client, "", 0, &n, &wov));
    expect_packet(p.port, KEY_CLIENT, &wov, STATUS_SUCCESS, 0);
    expect_empty(p.port);
    assert_true(WriteFile(p.client, "xyz", 3, &n, &wov));
    /* the 0-byte read completes with 0, the next gets the data */
    expect_packet(p.port, KEY_SERVER, &zov, STATUS_SUCCESS, 0);
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, 3);
    expect_packet(p.port, KEY_CLIENT, &wov, STATUS_SUCCESS, 3);
    assert_memory_equal(buf, "xyz", 3);
    close_pair(&p);
}

static void test_writer_gone(void **state)
{
    pair p;
    OVERLAPPED rov, wov;
    char buf[16];
    DWORD n = 0;
    (void)state;
    memset(&rov, 0, sizeof rov);
    memset(&wov, 0, sizeof wov);
    make_pair(&p, 4096);
    assert_true(WriteFile(p.client, "tail", 4, &n, &wov));
    expect_packet(p.port, KEY_CLIENT, &wov, STATUS_SUCCESS, 4);
    assert_true(CloseHandle(p.client));
    p.client = NULL;
    /* buffered data first, then ERROR_BROKEN_PIPE at once (no packet) */
    assert_true(ReadFile(p.server, buf, sizeof buf, &n, &rov));
    assert_int_equal(n, 4);
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, 4);
    assert_false(ReadFile(p.server, buf, sizeof buf, &n, &rov));
    assert_int_equal(GetLastError(), ERROR_BROKEN_PIPE);
    expect_empty(p.port);
    close_pair(&p);

    /* a read pending when the writer goes completes with STATUS_PIPE_BROKEN */
    make_pair(&p, 4096);
    assert_false(ReadFile(p.server, buf, sizeof buf, NULL, &rov));
    assert_true(CloseHandle(p.client));
    p.client = NULL;
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_PIPE_BROKEN, 0);
    assert_false(GetOverlappedResult(p.server, &rov, &n, FALSE));
    assert_int_equal(GetLastError(), ERROR_BROKEN_PIPE);
    close_pair(&p);
}

static void test_reader_gone(void **state)
{
    pair p;
    OVERLAPPED wov;
    static char big[10000];
    (void)state;
    memset(&wov, 0, sizeof wov);
    make_pair(&p, 4096);
    assert_false(WriteFile(p.client, big, sizeof big, NULL, &wov));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    assert_true(CloseHandle(p.server));
    p.server = NULL;
    expect_packet(p.port, KEY_CLIENT, &wov, STATUS_PIPE_BROKEN, 0);
    assert_false(WriteFile(p.client, "x", 1, NULL, &wov));
    assert_int_equal(GetLastError(), ERROR_NO_DATA);
    expect_empty(p.port);
    close_pair(&p);
}

static void test_reader_close_fails_writes_in_order(void **state)
{
    pair p;
    OVERLAPPED w1, w2;
    static char big[5000];
    (void)state;
    memset(&w1, 0, sizeof w1);
    memset(&w2, 0, sizeof w2);
    make_pair(&p, 512);
    assert_false(WriteFile(p.client, big, sizeof big, NULL, &w1));
    assert_false(WriteFile(p.client, "1", 1, NULL, &w2));
    assert_true(CloseHandle(p.server));
    p.server = NULL;
    /* Wine 8: the first fails, the second then fits and completes */
    expect_packet(p.port, KEY_CLIENT, &w1, STATUS_PIPE_BROKEN, 0);
    expect_packet(p.port, KEY_CLIENT, &w2, STATUS_SUCCESS, 1);
    close_pair(&p);
}

static void test_gqcs_failed_packet(void **state)
{
    pair p;
    OVERLAPPED rov;
    OVERLAPPED *got = NULL;
    ULONG_PTR key = 0;
    DWORD n = 5;
    char buf[4];
    (void)state;
    memset(&rov, 0, sizeof rov);
    make_pair(&p, 4096);
    assert_false(ReadFile(p.server, buf, sizeof buf, NULL, &rov));
    assert_true(CancelIoEx(p.server, NULL));
    /* a failed I/O's packet: FALSE, its error, and the OVERLAPPED returned */
    assert_false(GetQueuedCompletionStatus(p.port, &n, &key, &got, 0));
    assert_int_equal(GetLastError(), ERROR_OPERATION_ABORTED);
    assert_ptr_equal(got, &rov);
    assert_int_equal(key, KEY_SERVER);
    assert_int_equal(n, 0);
    close_pair(&p);
}

static DWORD WINAPI closer(LPVOID arg)
{
    Sleep(20);
    CloseHandle((HANDLE)arg);
    return 0;
}

static void test_port_closed_while_waiting(void **state)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    HANDLE t;
    OVERLAPPED_ENTRY e;
    ULONG n = 0;
    (void)state;
    t = CreateThread(NULL, 0, closer, port, 0, NULL);
    assert_non_null(t);
    assert_false(GetQueuedCompletionStatusEx(port, &e, 1, &n, INFINITE, FALSE));
    assert_int_equal(GetLastError(), ERROR_ABANDONED_WAIT_0);
    assert_int_equal(WaitForSingleObject(t, INFINITE), WAIT_OBJECT_0);
    assert_true(CloseHandle(t));
}

static void test_cancel_and_close_pending(void **state)
{
    pair p;
    OVERLAPPED rov, wov, wov2;
    static char big[10000], got[20000];
    DWORD n = 0;
    (void)state;
    memset(&rov, 0, sizeof rov);
    memset(&wov, 0, sizeof wov);
    memset(&wov2, 0, sizeof wov2);
    make_pair(&p, 4096);
    assert_false(ReadFile(p.server, got, 10, NULL, &rov));
    assert_true(CancelIoEx(p.server, &rov));
    assert_false(CancelIoEx(p.server, &rov));
    assert_int_equal(GetLastError(), ERROR_NOT_FOUND);
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_CANCELLED, 0);
    assert_false(GetOverlappedResult(p.server, &rov, &n, FALSE));
    assert_int_equal(GetLastError(), ERROR_OPERATION_ABORTED);

    /* a cancelled write partly read reports 0 bytes and its unread rest is dropped */
    assert_false(WriteFile(p.client, big, sizeof big, NULL, &wov));
    assert_false(WriteFile(p.client, "z", 1, NULL, &wov2));
    assert_true(ReadFile(p.server, got, 10, &n, &rov));
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, 10);
    assert_true(CancelIoEx(p.client, &wov));
    expect_packet(p.port, KEY_CLIENT, &wov, STATUS_CANCELLED, 0);
    expect_packet(p.port, KEY_CLIENT, &wov2, STATUS_SUCCESS, 1);
    assert_true(ReadFile(p.server, got, sizeof got, &n, &rov));
    assert_int_equal(n, 1);
    assert_int_equal(got[0], 'z');
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, 1);

    /* closing an end with its own read pending: STATUS_PIPE_BROKEN, packet queued */
    assert_false(ReadFile(p.server, got, 10, NULL, &rov));
    assert_true(CloseHandle(p.server));
    p.server = NULL;
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_PIPE_BROKEN, 0);
    close_pair(&p);
}

static void test_port_waits(void **state)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    ULONG_PTR key = 0;
    OVERLAPPED *ov = (OVERLAPPED *)1;
    DWORD n = 0;
    (void)state;
    assert_false(GetQueuedCompletionStatus(port, &n, &key, &ov, 0));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    assert_null(ov);
    /* single-threaded, nothing in flight: INFINITE is a reported deadlock, not a hang */
    assert_false(GetQueuedCompletionStatus(port, &n, &key, &ov, INFINITE));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    assert_int_equal(winsim_deadlocks(), 1);
    assert_true(PostQueuedCompletionStatus(port, 7, 9, (OVERLAPPED *)0x40));
    assert_true(GetQueuedCompletionStatus(port, &n, &key, &ov, INFINITE));
    assert_int_equal(n, 7);
    assert_int_equal(key, 9);
    assert_ptr_equal(ov, (OVERLAPPED *)0x40);
    assert_true(CloseHandle(port));
    assert_false(PostQueuedCompletionStatus(port, 0, 0, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

static DWORD WINAPI poster(LPVOID arg)
{
    Sleep(20);
    PostQueuedCompletionStatus((HANDLE)arg, 1, 77, NULL);
    return 0;
}

static void test_post_from_thread(void **state)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    HANDLE t;
    OVERLAPPED_ENTRY e;
    ULONG n = 0;
    (void)state;
    t = CreateThread(NULL, 0, poster, port, 0, NULL);
    assert_non_null(t);
    assert_true(GetQueuedCompletionStatusEx(port, &e, 1, &n, INFINITE, FALSE));
    assert_int_equal(n, 1);
    assert_int_equal(e.lpCompletionKey, 77);
    assert_int_equal(WaitForSingleObject(t, INFINITE), WAIT_OBJECT_0);
    assert_true(CloseHandle(t));
    assert_true(CloseHandle(port));
    assert_int_equal(winsim_deadlocks(), 0);
}

static void test_faults(void **state)
{
    pair p;
    OVERLAPPED ov, rov;
    char buf[8];
    DWORD n = 0;
    size_t nerr = 0;
    (void)state;
    memset(&ov, 0, sizeof ov);
    memset(&rov, 0, sizeof rov);
    assert_int_equal(winsim_fail("NoSuchCall", 1, 5), -1);
    assert_int_equal(winsim_fail("WriteFile", 0, 5), -1);
    assert_int_equal(winsim_fail("WriteFile", 2, ERROR_NO_SYSTEM_RESOURCES), 0);
    assert_int_equal(winsim_fail("ReadFile@async", 1, ERROR_NOT_ENOUGH_QUOTA), 0);
    make_pair(&p, 4096);
    assert_true(WriteFile(p.client, "a", 1, &n, &ov));
    expect_packet(p.port, KEY_CLIENT, &ov, STATUS_SUCCESS, 1);
    assert_false(WriteFile(p.client, "b", 1, &n, &ov));
    assert_int_equal(GetLastError(), ERROR_NO_SYSTEM_RESOURCES);
    expect_empty(p.port);
    /* the async fault: pending, then the error in the packet, no data taken */
    assert_false(ReadFile(p.server, buf, sizeof buf, NULL, &rov));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_QUOTA_EXCEEDED, 0);
    assert_false(GetOverlappedResult(p.server, &rov, &n, FALSE));
    assert_int_equal(GetLastError(), ERROR_NOT_ENOUGH_QUOTA);
    assert_true(ReadFile(p.server, buf, sizeof buf, &n, &rov));
    assert_int_equal(n, 1);
    expect_packet(p.port, KEY_SERVER, &rov, STATUS_SUCCESS, 1);
    assert_int_equal(winsim_faults_fired(), 2);
    assert_int_equal(winsim_call_count("WriteFile"), 2);
    assert_int_equal(winsim_call_count("ReadFile@async"), 2);
    assert_non_null(winsim_call_errors("ReadFile", &nerr));
    assert_true(nerr >= 5);
    assert_true(winsim_sweep_points(NULL, 0) > 20);
    close_pair(&p);
    /* an unknown Win32 error survives the NTSTATUS round trip */
    assert_int_equal(RtlNtStatusToDosError((NTSTATUS)(0xC0070000u | 1234)), 1234);
}

/* A scenario with choices: returns its trace hash, checks the bytes arrive in order. */
static uint64_t scenario(uint64_t seed)
{
    pair p;
    OVERLAPPED rov, wov;
    static uint8_t out[50000], in[50000];
    DWORD total = 0, sent = 0, i;
    int wpending = 0, rpending = 0, guard = 0;
    uint64_t h;

    winsim_seed(seed);
    assert_int_equal(winsim_reset(), 0);
    for (i = 0; i < sizeof out; i++)
        out[i] = (uint8_t)(i * 7 + 3);
    memset(&rov, 0, sizeof rov);
    memset(&wov, 0, sizeof wov);
    make_pair(&p, 3000);
    while (total < sizeof out && guard++ < 100000) {
        OVERLAPPED_ENTRY e[4];
        ULONG n = 0, k;
        if (!wpending && sent < sizeof out) {
            DWORD len = sizeof out - sent < 7000 ? sizeof out - sent : 7000;
            WriteFile(p.client, out + sent, len, NULL, &wov);
            wpending = 1;
        }
        if (!rpending) {
            ReadFile(p.server, in + total, sizeof in - total, NULL, &rov);
            rpending = 1;
        }
        assert_true(GetQueuedCompletionStatusEx(p.port, e, 4, &n, INFINITE, FALSE));
        for (k = 0; k < n; k++) {
            assert_int_equal((ULONG)e[k].Internal, 0);
            if (e[k].lpCompletionKey == KEY_CLIENT) {
                sent += e[k].dwNumberOfBytesTransferred;
                wpending = 0;
            } else {
                total += e[k].dwNumberOfBytesTransferred;
                rpending = 0;
            }
        }
    }
    assert_int_equal(total, sizeof out);
    assert_memory_equal(in, out, sizeof out);
    if (rpending) {
        assert_true(CancelIoEx(p.server, &rov));
    }
    close_pair(&p);
    h = winsim_trace_hash();
    assert_int_equal(winsim_deadlocks(), 0);
    return h;
}

/* Seeded reordering stays within one call: a write that completed at once is always
 * dequeued before the read of its data; each handle's packets keep their order. */
static void test_seeded_order_is_legal(void **state)
{
    uint64_t seed;
    (void)state;
    for (seed = 1; seed <= 60; seed++) {
        pair p;
        OVERLAPPED wov, rov;
        OVERLAPPED_ENTRY e[4];
        char buf[8];
        ULONG n = 0, got = 0, k;
        int order[2] = {0, 0};
        winsim_seed(seed);
        assert_int_equal(winsim_reset(), 0);
        memset(&wov, 0, sizeof wov);
        memset(&rov, 0, sizeof rov);
        make_pair(&p, 4096);
        WriteFile(p.client, "abcde", 5, NULL, &wov);
        ReadFile(p.server, buf, sizeof buf, NULL, &rov);
        while (got < 2 && GetQueuedCompletionStatusEx(p.port, e, 4, &n, 0, FALSE)) {
            for (k = 0; k < n; k++)
                order[got++] = (int)e[k].lpCompletionKey;
        }
        assert_int_equal(got, 2);
        assert_int_equal(order[0], KEY_CLIENT);
        assert_int_equal(order[1], KEY_SERVER);
        close_pair(&p);
    }
    winsim_seed(0);
}

static void test_determinism(void **state)
{
    uint64_t seed, first = 0;
    int distinct = 0;
    (void)state;
    for (seed = 0; seed < 40; seed++) {
        uint64_t a = scenario(seed), b = scenario(seed);
        assert_true(a == b); /* same seed, same trace */
        if (seed == 0)
            first = a;
        else if (a != first)
            distinct++;
    }
    assert_true(distinct > 10); /* seeds do explore different schedules */
    winsim_seed(0);
}

#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#ifdef TEST_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* ref's allocations (ws_alloc.c): under ASan a large block is poisoned once freed, handed
 * out again only after a reset, with its tail past the size asked for poisoned and its
 * contents those of a new block (ASan's fill, then zeros); without ASan they are malloc
 * and free. The errors ASan must still report: alloc_errors.c. */
static void test_big_blocks(void **state)
{
    enum { SIZE = 200000 };
    unsigned char *a, *b, *c;
    (void)state;
    a = winsim_malloc(SIZE);
    assert_non_null(a);
    memset(a, 1, SIZE);
    winsim_free(a);
    b = winsim_malloc(SIZE);
    assert_non_null(b);
#ifdef TEST_ASAN
    assert_ptr_not_equal(a, b); /* not within the run that freed it */
#endif
    memset(b, 2, SIZE);
    winsim_free(b);
    assert_int_equal(winsim_reset(), 0);
    c = winsim_malloc(SIZE);
    assert_non_null(c);
    memset(c + SIZE - 8, 3, 8);
#ifdef TEST_ASAN
    assert_true(c == a || c == b);
    assert_true(__asan_address_is_poisoned(a == c ? b : a));
    assert_false(__asan_address_is_poisoned(c + SIZE - 1));
    assert_true(__asan_address_is_poisoned(c + SIZE));
    assert_int_equal(c[0], 0xbe); /* read as a new block, not as the last run left it */
    assert_int_equal(c[4095], 0xbe);
    assert_int_equal(c[4096], 0);
    assert_int_equal(c[SIZE - 9], 0);
#endif
    winsim_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pair_and_info, setup, teardown),
        cmocka_unit_test_setup_teardown(test_instances, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_and_binding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_squat_ids_and_access, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reuse_handle_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_immediate_completion_still_queues, setup, teardown),
        cmocka_unit_test_setup_teardown(test_skip_port_on_success, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quota_pends_until_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_writes_complete_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_gone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_gone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_and_close_pending, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_close_fails_writes_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gqcs_failed_packet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_port_closed_while_waiting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_port_waits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_post_from_thread, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seeded_order_is_legal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_determinism, setup, teardown),
        cmocka_unit_test_setup_teardown(test_big_blocks, setup, teardown),
    };
    return cmocka_run_group_tests_name("winsim", tests, NULL, NULL);
}
