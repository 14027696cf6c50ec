/* wsdiff: the differential check's driver. Generates operation scripts from a seed and runs
 * them against the Win32 pipe and completion-port calls, printing a canonical trace. The
 * same source builds natively against winsim and with mingw-w64 against Wine's kernel32;
 * winsim/diff/run-diff compares the two traces line by line.
 *
 * Canonical form (only where Windows leaves freedom):
 *  - each call's own result (TRUE, or FALSE and its error) is kept as is;
 *  - completions are listed per operation, in issue order, after the script ends
 *    (when a packet arrives relative to later calls is timing, not semantics);
 *  - a read's data is reported as its length and a checksum.
 * Usage: wsdiff FIRST COUNT   (scripts FIRST .. FIRST+COUNT-1) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

enum { MAX_OPS = 40, MAX_OUT = 4, KEY_S = 1, KEY_C = 2, BIG = 70000 };

typedef struct op {
    OVERLAPPED ov; /* first: packets map back to their op */
    int kind;      /* 'R' or 'W' */
    DWORD len;
    int issued; /* returned TRUE or ERROR_IO_PENDING: a packet is owed */
    int done;
    DWORD status, bytes;
    uint32_t sum;
    uint8_t *buf;
} op;

static uint64_t rng;

static unsigned pick(unsigned n)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (unsigned)((z ^ (z >> 31)) % n);
}

static uint32_t checksum(const uint8_t *p, DWORD n)
{
    uint32_t h = 2166136261u;
    DWORD i;
    for (i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static void make_name(WCHAR *out, unsigned script)
{
    static const char prefix[] = "\\\\.\\pipe\\wsdiff-";
    unsigned i, v = script;
    for (i = 0; prefix[i]; i++)
        out[i] = (WCHAR)prefix[i];
    for (int k = 0; k < 8; k++, v >>= 4)
        out[i + 7 - k] = (WCHAR) "0123456789abcdef"[v & 15];
    out[i + 8] = 0;
}

typedef struct script {
    HANDLE server, client, port;
    op ops[MAX_OPS];
    int nops;
    uint64_t written; /* pattern position of the next write */
} script;

static int outstanding(const script *s, int kind)
{
    int i, n = 0;
    for (i = 0; i < s->nops; i++)
        n += s->ops[i].kind == kind && s->ops[i].issued && !s->ops[i].done;
    return n;
}

/* Dequeue every packet available now (timeout ms), marking its op done. */
static void drain(script *s, DWORD ms)
{
    OVERLAPPED_ENTRY e[8];
    ULONG n = 0, k;
    while (GetQueuedCompletionStatusEx(s->port, e, 8, &n, ms, FALSE)) {
        for (k = 0; k < n; k++) {
            op *o = (op *)e[k].lpOverlapped;
            o->done = 1;
            o->status = (DWORD)e[k].Internal;
            o->bytes = e[k].dwNumberOfBytesTransferred;
            if (o->kind == 'R')
                o->sum = checksum(o->buf, o->bytes);
        }
    }
}

static void issue(script *s, int kind, DWORD len)
{
    op *o = &s->ops[s->nops++];
    BOOL ok;
    DWORD err, i;
    o->kind = kind;
    o->len = len;
    o->buf = malloc(len ? len : 1);
    if (kind == 'W') {
        for (i = 0; i < len; i++)
            o->buf[i] = (uint8_t)((s->written + i) * 131u + 7);
        s->written += len;
        ok = WriteFile(s->client, o->buf, len, NULL, &o->ov);
    } else {
        ok = ReadFile(s->server, o->buf, len, NULL, &o->ov);
    }
    err = ok ? 0 : GetLastError();
    o->issued = ok || err == ERROR_IO_PENDING;
    printf("  %c%d %lu -> %s %lu\n", kind, s->nops - 1, (unsigned long)len, ok ? "TRUE" : "FALSE",
           (unsigned long)err);
}

static void cancel(script *s, int kind, int all)
{
    HANDLE h = kind == 'R' ? s->server : s->client;
    OVERLAPPED *ov = NULL;
    int i;
    BOOL ok;
    for (i = 0; !all && i < s->nops; i++) {
        if (s->ops[i].kind == kind && s->ops[i].issued && !s->ops[i].done) {
            ov = &s->ops[i].ov;
            break;
        }
    }
    if (!all && ov == NULL)
        return;
    ok = CancelIoEx(h, ov);
    /* Canonical: with no OVERLAPPED and nothing pending, Wine 8 returns TRUE where
     * Microsoft documents FALSE/ERROR_NOT_FOUND (winsim follows the documentation), so a
     * cancel-all's own result is not compared; its effect on the operations is. */
    if (all)
        printf("  cancel %c all\n", kind);
    else
        printf("  cancel %c op %d -> %s %lu\n", kind, (int)((op *)ov - s->ops),
               ok ? "TRUE" : "FALSE", ok ? 0ul : (unsigned long)GetLastError());
}

static void close_end(script *s, int server)
{
    HANDLE *h = server ? &s->server : &s->client;
    if (*h == NULL)
        return;
    CloseHandle(*h);
    *h = NULL;
    printf("  close %s\n", server ? "server" : "client");
}

/* The reader's view of the queue: bytes available (pending writes' included). */
static void peek(script *s)
{
    DWORD avail = 0;
    if (s->server == NULL)
        return;
    if (PeekNamedPipe(s->server, NULL, 0, NULL, &avail, NULL))
        printf("  avail %lu\n", (unsigned long)avail);
    else
        printf("  avail error %lu\n", (unsigned long)GetLastError());
}

static const DWORD QUOTAS[] = {1, 512, 4096, 65536};
static const DWORD WLENS[] = {0, 1, 7, 100, 1000, 5000, BIG};
static const DWORD RLENS[] = {0, 1, 16, 100, 4096, 65536};

static void step(script *s)
{
    switch (pick(10)) {
    case 0:
    case 1:
    case 2:
        if (s->client && outstanding(s, 'W') < MAX_OUT)
            issue(s, 'W', WLENS[pick(7)]);
        break;
    case 3:
    case 4:
    case 5:
        if (s->server && outstanding(s, 'R') < MAX_OUT)
            issue(s, 'R', RLENS[pick(6)]);
        break;
    case 6:
        if (s->server)
            cancel(s, 'R', pick(3) == 0);
        break;
    case 7:
        if (s->client)
            cancel(s, 'W', pick(3) == 0);
        break;
    case 8:
        drain(s, 0);
        break;
    default:
        if (pick(4) == 0)
            close_end(s, pick(2));
        break;
    }
}

static void run_script(unsigned id)
{
    static script s;
    WCHAR name[64];
    DWORD quota = QUOTAS[(rng = id * 0x2545F4914F6CDD1DULL + 1, pick(4))];
    int i, steps = 8 + (int)pick(25);
    memset(&s, 0, sizeof s);
    make_name(name, id);
    s.server = CreateNamedPipeW(
        name, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
        PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, 1, quota, quota, 0, NULL);
    s.client = CreateFileW(name, GENERIC_WRITE | FILE_READ_ATTRIBUTES, 0, NULL, OPEN_EXISTING,
                           FILE_FLAG_OVERLAPPED, NULL);
    s.port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    if (s.server == INVALID_HANDLE_VALUE || s.client == INVALID_HANDLE_VALUE || !s.port) {
        printf("script %u: setup failed %lu\n", id, (unsigned long)GetLastError());
        return;
    }
    CreateIoCompletionPort(s.server, s.port, KEY_S, 0);
    CreateIoCompletionPort(s.client, s.port, KEY_C, 0);
    printf("script %u quota %lu\n", id, (unsigned long)quota);
    for (i = 0; i < steps && s.nops < MAX_OPS; i++) {
        step(&s);
        Sleep(0); /* lets Wine finish asyncs the server already completed */
        peek(&s);
    }
    close_end(&s, 1);
    close_end(&s, 0);
    for (i = 0; i < 50 && (outstanding(&s, 'R') || outstanding(&s, 'W')); i++)
        drain(&s, 20);
    drain(&s, 0);
    for (i = 0; i < s.nops; i++) {
        op *o = &s.ops[i];
        if (!o->issued)
            continue;
        if (!o->done)
            printf("  %c%d: no completion\n", o->kind, i);
        else if (o->kind == 'R')
            printf("  %c%d: %08lx %lu sum %08lx\n", o->kind, i, (unsigned long)o->status,
                   (unsigned long)o->bytes, (unsigned long)o->sum);
        else
            printf("  %c%d: %08lx %lu\n", o->kind, i, (unsigned long)o->status,
                   (unsigned long)o->bytes);
    }
    for (i = 0; i < s.nops; i++)
        free(s.ops[i].buf);
    CloseHandle(s.port);
}

static void show(const char *what, BOOL ok)
{
    printf("  %s -> %s %lu\n", what, ok ? "TRUE" : "FALSE",
           ok ? 0ul : (unsigned long)GetLastError());
}

static HANDLE server_for(const WCHAR *name, DWORD extra)
{
    return CreateNamedPipeW(name, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED | extra,
                            PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, 1, 4096, 4096, 0,
                            NULL);
}

/* One-off calls whose results ref/ relies on: printed before the scripts. */
static void probes(void)
{
    WCHAR name[64];
    OVERLAPPED ov;
    HANDLE s, c, port, h;
    DWORD flags = 0;
    ULONG_PTR key;
    OVERLAPPED *got;
    char b[4];

    printf("probes\n");
    memset(&ov, 0, sizeof ov);
    make_name(name, 0xfffffffu);
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    s = server_for(name, FILE_FLAG_FIRST_PIPE_INSTANCE);
    h = server_for(name, FILE_FLAG_FIRST_PIPE_INSTANCE);
    /* Canonical: Microsoft documents ERROR_ACCESS_DENIED, Wine 8 says ERROR_PIPE_BUSY */
    printf("  second first-instance -> %s\n",
           h == INVALID_HANDLE_VALUE &&
                   (GetLastError() == ERROR_ACCESS_DENIED || GetLastError() == ERROR_PIPE_BUSY)
               ? "refused"
               : "ACCEPTED");
    c = CreateFileW(name, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    show("client asking read access on an inbound pipe", c != INVALID_HANDLE_VALUE);
    if (c != INVALID_HANDLE_VALUE)
        CloseHandle(c);
    c = CreateFileW(name, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    show("sync client without FILE_READ_ATTRIBUTES", c != INVALID_HANDLE_VALUE);
    show("ConnectNamedPipe after the client", ConnectNamedPipe(s, &ov));
    /* Canonical: Microsoft requires FILE_READ_ATTRIBUTES here, Wine 8 does not check */
    printf("  GetNamedPipeInfo without FILE_READ_ATTRIBUTES -> %s\n",
           GetNamedPipeInfo(c, &flags, NULL, NULL, NULL) || GetLastError() == ERROR_ACCESS_DENIED
               ? "TRUE or ERROR_ACCESS_DENIED"
               : "other error");
    show("GetNamedPipeInfo server", GetNamedPipeInfo(s, &flags, NULL, NULL, NULL));
    printf("  server flags %lu, file types %lu %lu\n", (unsigned long)flags,
           (unsigned long)GetFileType(s), (unsigned long)GetFileType(c));
    show("bind a sync handle", CreateIoCompletionPort(c, port, 1, 0) != NULL);
    show("SetFileCompletionNotificationModes(sync, 0)", SetFileCompletionNotificationModes(c, 0));
    show("SetFileCompletionNotificationModes(overlapped, 0)",
         SetFileCompletionNotificationModes(s, 0));
    show("bind the server", CreateIoCompletionPort(s, port, 2, 0) != NULL);
    show("bind the server again", CreateIoCompletionPort(s, port, 3, 0) != NULL);
    show("server WriteFile on an inbound pipe", WriteFile(s, "x", 1, NULL, &ov));
    show("client ReadFile without read access", ReadFile(c, b, 1, NULL, NULL));
    show("CancelIoEx with nothing pending (given OVERLAPPED)", CancelIoEx(s, &ov));
    show("sync WriteFile that fits", WriteFile(c, "abc", 3, NULL, NULL));
    CloseHandle(c);
    show("ReadFile of buffered data after the writer left", ReadFile(s, b, 4, NULL, &ov));
    show("ReadFile after that", ReadFile(s, b, 4, NULL, &ov));
    show("GetQueuedCompletionStatus", GetQueuedCompletionStatus(port, &flags, &key, &got, 0));
    show("GetQueuedCompletionStatus, empty",
         GetQueuedCompletionStatus(port, &flags, &key, &got, 0));
    CloseHandle(s);
    s = server_for(name, 0);
    c = CreateFileW(name, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    show("second client", CreateFileW(name, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL) !=
                              INVALID_HANDLE_VALUE);
    CloseHandle(s);
    show("WriteFile after the reader left", WriteFile(c, "x", 1, NULL, &ov));
    show("open a name nobody serves", CreateFileW(name, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0,
                                                  NULL) != INVALID_HANDLE_VALUE);
    CloseHandle(c);
    CloseHandle(port);
}

int main(int argc, char **argv)
{
    unsigned first = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 0;
    unsigned count = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 1000;
    unsigned i;
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    if (first == 0)
        probes();
    for (i = 0; i < count; i++)
        run_script(first + i);
    return 0;
}
