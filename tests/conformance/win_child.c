/* win_child.c (Windows flavours only): a real program that ships with Wine (find.exe,
 * cmd.exe) as a child process reading from / writing to ends handed to it; EOF arrives when
 * it exits, and only because our own ends were not inherited (openvpn-gui #304). */
#include "common.h"

#include <stdio.h>
#include <windows.h>

typedef struct child {
    eve_pipe_pair in;  /* child's stdin: read end synchronous + inheritable */
    eve_pipe_pair out; /* child's stdout/stderr: write end synchronous + inheritable */
    PROCESS_INFORMATION pi;
} child;

static void child_start(child *c, const wchar_t *cmdline)
{
    eve_pipe_pair_options o;
    STARTUPINFOW si;
    wchar_t cmd[256];

    memset(c, 0, sizeof *c);
    memset(&o, 0, sizeof o);
    o.read_flags = EVE_PIPE_END_SYNC | EVE_PIPE_END_INHERIT;
    ok_eq(h_pair_create(&c->in, &o), EVE_OK);
    o.read_flags = 0;
    o.write_flags = EVE_PIPE_END_SYNC | EVE_PIPE_END_INHERIT;
    ok_eq(h_pair_create(&c->out, &o), EVE_OK);
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = c->in.read_end;
    si.hStdOutput = c->out.write_end;
    si.hStdError = c->out.write_end;
    wcsncpy(cmd, cmdline, 255);
    cmd[255] = 0;
    ok(CreateProcessW(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &c->pi),
       "CreateProcessW(%ls): %lu", cmdline, (unsigned long)GetLastError());
    /* The child has its copies: drop ours so its exit is the only thing that ends EOF. */
    CloseHandle(c->in.read_end);
    c->in.read_end = NULL;
    CloseHandle(c->out.write_end);
    c->out.write_end = NULL;
}

static DWORD child_wait(child *c)
{
    DWORD code = 1;
    /* The child has closed its stdout (we saw EOF): it is exiting, so this returns. */
    WaitForSingleObject(c->pi.hProcess, INFINITE);
    GetExitCodeProcess(c->pi.hProcess, &code);
    CloseHandle(c->pi.hProcess);
    CloseHandle(c->pi.hThread);
    return code;
}

static int contains(const uint8_t *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle), i;
    for (i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return 1;
    return 0;
}

H_TEST(child_find_filter)
{
    static const char input[] = "alpha\r\nbeta\r\ngamma\r\nbetamax\r\n";
    eve_loop *loop = h_loop_new();
    h_pipe *r = h_pipe_new(NULL), *w = h_pipe_new(NULL);
    child c;

    child_start(&c, L"find.exe \"beta\"");
    ok_eq(h_adopt_write(w, loop, &c.in.write_end), EVE_OK);
    ok_eq(h_adopt_read(r, loop, &c.out.read_end), EVE_OK);
    r->keep_rx = 1;
    ok_eq(h_write(w, input, sizeof input - 1), EVE_SEND_OK);
    ok_eq(h_close_graceful(w), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1 && w->close_calls == 1);
    ok_eq(w->close_reason, EVE_CLOSE_GRACEFUL);
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    ok(r->rx_buf != NULL && contains(r->rx_buf, (size_t)r->rx_bytes, "beta") &&
           contains(r->rx_buf, (size_t)r->rx_bytes, "betamax") &&
           !contains(r->rx_buf, (size_t)r->rx_bytes, "alpha") &&
           !contains(r->rx_buf, (size_t)r->rx_bytes, "gamma"),
       "find output (%llu bytes) is not the two matching lines", (unsigned long long)r->rx_bytes);
    ok_eq(child_wait(&c), 0);
    ok_eq(h_pair_close(&c.in), EVE_OK);
    ok_eq(h_pair_close(&c.out), EVE_OK);
    finish_loop(loop);
}

H_TEST(child_cmd_writes)
{
    eve_loop *loop = h_loop_new();
    h_pipe *r = h_pipe_new(NULL);
    child c;

    child_start(&c, L"cmd.exe /c echo hello-from-child");
    ok_eq(h_pair_close(&c.in), EVE_OK); /* nothing to say to it: its stdin is at EOF */
    ok_eq(h_adopt_read(r, loop, &c.out.read_end), EVE_OK);
    r->keep_rx = 1;
    H_RUN_UNTIL(loop, r->close_calls == 1);
    ok_eq(r->close_reason, EVE_CLOSE_PEER);
    ok_eq(r->error_calls, 0);
    ok(r->rx_buf != NULL && contains(r->rx_buf, (size_t)r->rx_bytes, "hello-from-child"),
       "cmd output missing (%llu bytes)", (unsigned long long)r->rx_bytes);
    ok_eq(child_wait(&c), 0);
    ok_eq(h_pair_close(&c.out), EVE_OK);
    finish_loop(loop);
}

H_TEST(child_big_roundtrip)
{
    /* 1 MiB through find.exe (every line matches): data in both directions at once, EOF
     * only after the child exits. */
    eve_loop *loop = h_loop_new();
    h_pipe *r = h_pipe_new(NULL), *w = h_pipe_new(NULL);
    size_t lines = 16384, i, n = 0;
    uint8_t *src = h_alloc(lines * 64);
    child c;

    for (i = 0; i < lines; i++)
        n += (size_t)sprintf((char *)src + n, "line %06lu x\r\n", (unsigned long)i);
    child_start(&c, L"find.exe \"x\"");
    ok_eq(h_adopt_write(w, loop, &c.in.write_end), EVE_OK);
    ok_eq(h_adopt_read(r, loop, &c.out.read_end), EVE_OK);
    r->keep_rx = 1;
    ok(h_write(w, src, n) != EVE_SEND_INVALID, "write");
    ok_eq(h_close_graceful(w), EVE_OK);
    H_RUN_UNTIL(loop, r->close_calls == 1 && w->close_calls == 1);
    ok_eq(r->rx_bytes, n);
    ok(r->rx_buf != NULL && memcmp(r->rx_buf, src, n) == 0, "find changed the lines");
    ok_eq(child_wait(&c), 0);
    ok_eq(h_pair_close(&c.in), EVE_OK);
    ok_eq(h_pair_close(&c.out), EVE_OK);
    finish_loop(loop);
}
