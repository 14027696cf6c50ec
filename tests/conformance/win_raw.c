/* win_raw.c (Windows flavours only): see win_raw.h. */
#include "win_raw.h"

#include <stdio.h>

#include "common.h"

#define WIN_RAW_BUFFER 65536

void win_raw_pair(HANDLE *read_end, HANDLE *write_end, int read_sync, int write_sync)
{
    static LONG counter;
    wchar_t name[96];

    swprintf(name, sizeof name / sizeof name[0], L"\\\\.\\pipe\\eve-suite-raw-%lu-%ld",
             (unsigned long)GetCurrentProcessId(), (long)InterlockedIncrement(&counter));
    *read_end = CreateNamedPipeW(name,
                                 PIPE_ACCESS_INBOUND | FILE_FLAG_FIRST_PIPE_INSTANCE |
                                     (read_sync ? 0 : FILE_FLAG_OVERLAPPED),
                                 PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, 1,
                                 WIN_RAW_BUFFER, WIN_RAW_BUFFER, 0, NULL);
    ok(*read_end != INVALID_HANDLE_VALUE, "CreateNamedPipeW(%ls): error %lu", name,
       (unsigned long)GetLastError());
    *write_end = CreateFileW(name, GENERIC_WRITE | FILE_READ_ATTRIBUTES, 0, NULL, OPEN_EXISTING,
                             write_sync ? 0 : FILE_FLAG_OVERLAPPED, NULL);
    ok(*write_end != INVALID_HANDLE_VALUE, "CreateFileW(%ls): error %lu", name,
       (unsigned long)GetLastError());
}

void win_raw_close(HANDLE *read_end, HANDLE *write_end)
{
    if (*read_end)
        CloseHandle(*read_end);
    if (*write_end)
        CloseHandle(*write_end);
    *read_end = *write_end = NULL;
}
