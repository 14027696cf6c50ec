/* squat: eve_pipe_pair_create against a squatter in another process, on the real system.
 *
 * The names ref/ makes are unpredictable; this program makes them predictable by linking
 * its own BCryptGenRandom ahead of bcrypt.dll's (zero bits while `predictable` is set), so
 * a second process (this program, run with --squatter) can create them first, inbound as
 * ref/'s are and with PIPE_UNLIMITED_INSTANCES, and wait for clients on them. Then, whatever the
 * platform does with FILE_FLAG_FIRST_PIPE_INSTANCE (Windows refuses it; Wine 8 hands out a second
 * instance of the squatter's pipe), every pair created must connect this process to
 * itself, the squatter must see no client, and a pair whose every name is squatted must
 * fail. Exit 0 when all holds; each failure is printed with its values.
 *
 * Usage: eve_ref_squat [pairs]   (default 200) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include <bcrypt.h>

#include "eve/pipe.h"

/* Attempts ref/ makes per pair (ref/src/pair.c): the squatter covers this many in a row. */
#define ATTEMPTS 16

static int predictable;
static int failures;

typedef NTSTATUS(WINAPI *gen_random_fn)(BCRYPT_ALG_HANDLE, PUCHAR, ULONG, ULONG);

/* Resolved ahead of bcrypt.dll's by the linker: this object defines the symbol. */
NTSTATUS WINAPI BCryptGenRandom(BCRYPT_ALG_HANDLE alg, PUCHAR buf, ULONG len, ULONG flags)
{
    static gen_random_fn real;

    if (predictable) {
        memset(buf, 0, len);
        return 0;
    }
    if (real == NULL) {
        HMODULE dll = LoadLibraryW(L"bcrypt.dll");
        real = dll ? (gen_random_fn)(void (*)(void))GetProcAddress(dll, "BCryptGenRandom") : NULL;
        if (real == NULL)
            return (NTSTATUS)0xC0000001L; /* STATUS_UNSUCCESSFUL */
    }
    return real(alg, buf, len, flags);
}

#define check(cond, ...)                                                                          \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            printf("squat.c:%d: ", __LINE__);                                                     \
            printf(__VA_ARGS__);                                                                  \
            printf("\n");                                                                         \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

/* The name ref/ gives attempt `counter` of process `pid` when the random bits are 0. */
static void squat_name(WCHAR *out, size_t cap, unsigned long pid, unsigned long counter)
{
    _snwprintf(out, cap, L"\\\\.\\pipe\\eve-%lu-%lu-0000000000000000", pid, counter);
    out[cap - 1] = 0;
}

/* --squatter PID FIRST COUNT STEP: create COUNT names, counters FIRST, FIRST + STEP ...,
 * wait for clients on each, print "ready", wait for stdin to close, print how many got
 * one. */
static int squatter(unsigned long pid, unsigned long first, unsigned long count,
                    unsigned long step)
{
    HANDLE *pipes = calloc(count, sizeof *pipes);
    OVERLAPPED *ovs = calloc(count, sizeof *ovs);
    unsigned long i, connected = 0;
    char line[16];

    if (pipes == NULL || ovs == NULL)
        return 2;
    for (i = 0; i < count; i++) {
        WCHAR name[96];
        squat_name(name, 96, pid, first + step * i);
        pipes[i] = CreateNamedPipeW(name, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED,
                                    PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT,
                                    PIPE_UNLIMITED_INSTANCES, 4096, 4096, 0, NULL);
        if (pipes[i] == INVALID_HANDLE_VALUE) {
            printf("squatter: CreateNamedPipeW %lu: %lu\n", first + step * i,
                   (unsigned long)GetLastError());
            return 2;
        }
        ovs[i].hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
        if (!ConnectNamedPipe(pipes[i], &ovs[i]) && GetLastError() == ERROR_PIPE_CONNECTED)
            SetEvent(ovs[i].hEvent);
    }
    printf("ready\n");
    fflush(stdout);
    while (fgets(line, sizeof line, stdin) != NULL) {
    }
    for (i = 0; i < count; i++) {
        if (WaitForSingleObject(ovs[i].hEvent, 0) == WAIT_OBJECT_0)
            connected++;
    }
    printf("connected %lu\n", connected);
    fflush(stdout);
    return 0;
}

typedef struct child {
    PROCESS_INFORMATION pi;
    HANDLE to;   /* its stdin */
    HANDLE from; /* its stdout */
} child;

static int read_line(HANDLE h, char *buf, size_t cap)
{
    size_t n = 0;
    DWORD got;
    while (n + 1 < cap && ReadFile(h, buf + n, 1, &got, NULL) && got == 1) {
        if (buf[n] == '\n')
            break;
        if (buf[n] != '\r') /* the child's stdout is in text mode */
            n++;
    }
    buf[n] = 0;
    return n > 0;
}

static int start_squatter(child *c, unsigned long first, unsigned long count, unsigned long step)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    STARTUPINFOW si;
    HANDLE in_r, out_w;
    WCHAR exe[MAX_PATH], cmd[MAX_PATH + 96];
    char line[64];

    memset(c, 0, sizeof *c);
    if (!CreatePipe(&in_r, &c->to, &sa, 0) || !CreatePipe(&c->from, &out_w, &sa, 0))
        return 0;
    SetHandleInformation(c->to, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(c->from, HANDLE_FLAG_INHERIT, 0);
    GetModuleFileNameW(NULL, exe, MAX_PATH);
    _snwprintf(cmd, MAX_PATH + 96, L"\"%ls\" --squatter %lu %lu %lu %lu", exe,
               (unsigned long)GetCurrentProcessId(), first, count, step);
    cmd[MAX_PATH + 95] = 0;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in_r;
    si.hStdOutput = out_w;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    if (!CreateProcessW(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &c->pi))
        return 0;
    CloseHandle(in_r);
    CloseHandle(out_w);
    if (!read_line(c->from, line, sizeof line) || strcmp(line, "ready") != 0) {
        printf("squatter did not start: \"%s\"\n", line);
        return 0;
    }
    return 1;
}

/* Closes the squatter's stdin and returns how many of its instances got a client. */
static long stop_squatter(child *c)
{
    char line[64];
    unsigned long connected = 0;
    CloseHandle(c->to);
    if (!read_line(c->from, line, sizeof line) || sscanf(line, "connected %lu", &connected) != 1)
        return -1;
    WaitForSingleObject(c->pi.hProcess, INFINITE);
    CloseHandle(c->pi.hProcess);
    CloseHandle(c->pi.hThread);
    CloseHandle(c->from);
    return (long)connected;
}

int main(int argc, char **argv)
{
    unsigned long pairs = 200, i, self = GetCurrentProcessId();
    child sq;
    long connected;

    if (argc == 6 && strcmp(argv[1], "--squatter") == 0)
        return squatter(strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10),
                        strtoul(argv[4], NULL, 10), strtoul(argv[5], NULL, 10));
    if (argc > 1)
        pairs = strtoul(argv[1], NULL, 10);

    /* Attempt counters 1, 3, 5 ... are squatted: each pair's first name is taken, its
     * second free. Then ATTEMPTS names in a row (counters 2 * pairs + 1 on). */
    if (!start_squatter(&sq, 1, pairs, 2)) {
        printf("cannot start the squatter\n");
        return 1;
    }
    predictable = 1;
    for (i = 0; i < pairs; i++) {
        eve_pipe_pair pair;
        ULONG server = 0, client = 0;
        int rc = eve_pipe_pair_create(&pair, NULL);
        check(rc == EVE_OK, "pair %lu: eve_pipe_pair_create %d", i, rc);
        if (rc != EVE_OK)
            continue;
        check(GetNamedPipeServerProcessId(pair.write_end, &server) && server == self,
              "pair %lu: the write end is connected to process %lu, not %lu", i,
              (unsigned long)server, self);
        check(GetNamedPipeClientProcessId(pair.read_end, &client) && client == self,
              "pair %lu: the read end's client is process %lu, not %lu", i, (unsigned long)client,
              self);
        eve_pipe_pair_close(&pair);
    }
    predictable = 0;
    connected = stop_squatter(&sq);
    check(connected == 0, "the squatter's instances got %ld clients from this process", connected);

    if (!start_squatter(&sq, 2 * pairs + 1, ATTEMPTS, 1)) {
        printf("cannot start the squatter\n");
        return 1;
    }
    {
        eve_pipe_pair pair;
        int rc;
        predictable = 1;
        /* Every name the next pair tries is squatted. */
        rc = eve_pipe_pair_create(&pair, NULL);
        predictable = 0;
        check(rc != EVE_OK, "a pair whose names are all squatted was created");
        if (rc == EVE_OK)
            eve_pipe_pair_close(&pair);
    }
    connected = stop_squatter(&sq);
    check(connected == 0, "the squatter's instances got %ld clients", connected);
    printf("%s: %lu pairs against a squatter, %d failures\n", failures ? "FAILED" : "ok", pairs,
           failures);
    return failures ? 1 : 0;
}
