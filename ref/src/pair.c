/* pair.c: a connected pair over a named pipe (spec/DECISIONS.md item 12). The name is
 * unpredictable (pid, counter, 64 random bits); FILE_FLAG_FIRST_PIPE_INSTANCE and one
 * instance mean a squatted name fails instead of being connected to, and because a
 * platform may ignore both (Wine 8 does when the squatter allows unlimited instances),
 * each attempt then checks that its instance is the name's only one, and that its client
 * reached an instance of this process (a squatter may create one after ours). The client
 * opens with SECURITY_SQOS_PRESENT|SECURITY_ANONYMOUS so the server cannot
 * impersonate it. */
#include <string.h>

#include "internal.h"

#include <bcrypt.h>

#ifndef PIPE_REJECT_REMOTE_CLIENTS
#define PIPE_REJECT_REMOTE_CLIENTS 0x8 /* missing from Wine 8's headers */
#endif

#define EVE__PAIR_ATTEMPTS 16
#define EVE__DEFAULT_KERNEL_BUFFER 262144
#define EVE__NAME_MAX 96

/* The only global mutable state of ref/ besides the allocator hook. */
static volatile LONG eve__pair_counter;

static WCHAR *eve__put_str(WCHAR *out, const char *s)
{
    while (*s)
        *out++ = (WCHAR)*s++;
    return out;
}

static WCHAR *eve__put_dec(WCHAR *out, uint32_t v)
{
    WCHAR tmp[10];
    int n = 0;
    do {
        tmp[n++] = (WCHAR)(L'0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        *out++ = tmp[--n];
    return out;
}

static WCHAR *eve__put_hex(WCHAR *out, uint64_t v, int digits)
{
    static const char hex[] = "0123456789abcdef";
    int i;
    for (i = digits - 1; i >= 0; i--)
        *out++ = (WCHAR)hex[(v >> (4 * i)) & 0xF];
    return out;
}

/* \\.\pipe\eve-<pid>-<counter>-<64 random bits>: decimal, decimal, 16 hex digits. */
static int eve__pair_name(WCHAR *name)
{
    uint8_t rnd[8];
    uint64_t bits = 0;
    LONG n = InterlockedIncrement(&eve__pair_counter);
    int i;
    WCHAR *p = name;

    /* NTSTATUS: negative is failure (BCRYPT_SUCCESS is missing from Wine's header). */
    if (BCryptGenRandom(NULL, rnd, sizeof rnd, BCRYPT_USE_SYSTEM_PREFERRED_RNG) < 0)
        return EVE_EUNKNOWN;
    for (i = 0; i < 8; i++)
        bits = (bits << 8) | rnd[i];
    p = eve__put_str(p, "\\\\.\\pipe\\eve-");
    p = eve__put_dec(p, (uint32_t)GetCurrentProcessId());
    *p++ = L'-';
    p = eve__put_dec(p, (uint32_t)n);
    *p++ = L'-';
    p = eve__put_hex(p, bits, 16);
    *p = 0;
    return EVE_OK;
}

static int eve__pair_retryable(DWORD err)
{
    return err == ERROR_ACCESS_DENIED || err == ERROR_PIPE_BUSY || err == ERROR_ALREADY_EXISTS;
}

/* 1 if our server instance is the name's only one: nobody else created it first, so our
 * client cannot reach anybody else's instance (not even to be turned away). */
static int eve__pair_sole_instance(HANDLE rd)
{
    DWORD instances = 0;
    return GetNamedPipeHandleStateW(rd, NULL, &instances, NULL, NULL, NULL, 0) && instances == 1;
}

/* 1 if the client reached a server instance of this process. That instance can only be
 * ours: the name is unique within the process. So the two handles are the two ends of one
 * pipe and no other process holds either end: asking the server end for its client too
 * would add a server round trip under Wine and tell nothing more. */
static int eve__pair_connected_to_self(HANDLE wr)
{
    ULONG server = 0;
    return GetNamedPipeServerProcessId(wr, &server) && server == GetCurrentProcessId();
}

/* One attempt. Returns 0 or the Win32 error; on error no handle is left open. A name
 * somebody else holds is ERROR_ACCESS_DENIED, what FILE_FLAG_FIRST_PIPE_INSTANCE reports. */
static DWORD eve__pair_try(const WCHAR *name, const eve_pipe_pair_options *o, DWORD kbuf,
                           HANDLE *rd, HANDLE *wr)
{
    SECURITY_ATTRIBUTES sa_r;
    SECURITY_ATTRIBUTES sa_w;
    DWORD err;

    memset(&sa_r, 0, sizeof sa_r);
    sa_r.nLength = sizeof sa_r;
    sa_r.bInheritHandle = (o->read_flags & EVE_PIPE_END_INHERIT) ? TRUE : FALSE;
    sa_w = sa_r;
    sa_w.bInheritHandle = (o->write_flags & EVE_PIPE_END_INHERIT) ? TRUE : FALSE;

    *rd = CreateNamedPipeW(name,
                           PIPE_ACCESS_INBOUND | FILE_FLAG_FIRST_PIPE_INSTANCE |
                               ((o->read_flags & EVE_PIPE_END_SYNC) ? 0 : FILE_FLAG_OVERLAPPED),
                           PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT |
                               PIPE_REJECT_REMOTE_CLIENTS,
                           1, kbuf, kbuf, 0, &sa_r);
    if (*rd == INVALID_HANDLE_VALUE) {
        *rd = NULL;
        return GetLastError();
    }
    if (!eve__pair_sole_instance(*rd)) {
        CloseHandle(*rd);
        *rd = NULL;
        return ERROR_ACCESS_DENIED;
    }
    *wr = CreateFileW(name, GENERIC_WRITE | FILE_READ_ATTRIBUTES, 0, &sa_w, OPEN_EXISTING,
                      SECURITY_SQOS_PRESENT | SECURITY_ANONYMOUS |
                          ((o->write_flags & EVE_PIPE_END_SYNC) ? 0 : FILE_FLAG_OVERLAPPED),
                      NULL);
    if (*wr == INVALID_HANDLE_VALUE) {
        err = GetLastError();
        CloseHandle(*rd);
        *rd = *wr = NULL;
        return err;
    }
    if (!eve__pair_connected_to_self(*wr)) {
        CloseHandle(*wr);
        CloseHandle(*rd);
        *rd = *wr = NULL;
        return ERROR_ACCESS_DENIED;
    }
    return 0;
}

int eve_pipe_pair_create(eve_pipe_pair *pair, const eve_pipe_pair_options *options)
{
    static const eve_pipe_pair_options defaults = {0, 0, 0};
    const unsigned known = EVE_PIPE_END_SYNC | EVE_PIPE_END_INHERIT;
    const eve_pipe_pair_options *o = options ? options : &defaults;
    WCHAR name[EVE__NAME_MAX];
    HANDLE rd = NULL;
    HANDLE wr = NULL;
    DWORD kbuf;
    DWORD err = ERROR_PIPE_BUSY;
    int attempt;
    int rc;

    if (pair == NULL)
        return EVE_EINVAL; /* T-PAIR_EMPTY-A-PAIR_CREATE-PAIR_EINVAL */
    pair->read_end = pair->write_end = NULL;
    if ((o->read_flags & ~known) || (o->write_flags & ~known) ||
        o->kernel_buffer_size > 0xFFFFFFFFu)
        return EVE_EINVAL; /* T-PAIR_FULL-A-PAIR_CREATE-PAIR_EINVAL (and EMPTY's) */
    kbuf = o->kernel_buffer_size ? (DWORD)o->kernel_buffer_size : EVE__DEFAULT_KERNEL_BUFFER;
    for (attempt = 0; attempt < EVE__PAIR_ATTEMPTS; attempt++) {
        rc = eve__pair_name(name);
        if (rc != EVE_OK)
            return rc;
        err = eve__pair_try(name, o, kbuf, &rd, &wr);
        if (err == 0) {
            pair->read_end = rd;
            pair->write_end = wr;
            return EVE_OK; /* T-PAIR_EMPTY-A-PAIR_CREATE-PAIR_OK */
        }
        if (!eve__pair_retryable(err))
            break;
    }
    rc = eve__map_win32(err);
    return rc ? rc : EVE_EUNKNOWN; /* T-PAIR_EMPTY-A-PAIR_CREATE-PAIR_OSERR */
}

int eve_pipe_pair_close(eve_pipe_pair *pair)
{
    if (pair == NULL)
        return EVE_EINVAL;
    if (pair->read_end)
        CloseHandle(pair->read_end);
    if (pair->write_end)
        CloseHandle(pair->write_end);
    pair->read_end = pair->write_end = NULL;
    return EVE_OK; /* T-PAIR_FULL-A-PAIR_CLOSE, T-PAIR_EMPTY-A-PAIR_CLOSE */
}

int eve_pipe_pair_is_valid(const eve_pipe_pair *pair)
{
    return pair != NULL && pair->read_end != NULL && pair->write_end != NULL;
}
