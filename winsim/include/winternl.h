/* winsim <winternl.h>: the one native call ref/ makes, NtQueryInformationFile, for the
 * two classes it asks for: FileAccessInformation (the access rights of a handle) and
 * FileModeInformation (whether it was opened for synchronous I/O). */
#ifndef WINSIM_WINTERNL_H
#define WINSIM_WINTERNL_H

#include <windows.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _IO_STATUS_BLOCK {
    union {
        NTSTATUS Status;
        PVOID Pointer;
    };
    ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;

/* The classes modelled; any other: STATUS_INVALID_INFO_CLASS. */
typedef enum _FILE_INFORMATION_CLASS {
    FileAccessInformation = 8,
    FileModeInformation = 16
} FILE_INFORMATION_CLASS;

typedef struct _FILE_ACCESS_INFORMATION {
    ACCESS_MASK AccessFlags;
} FILE_ACCESS_INFORMATION, *PFILE_ACCESS_INFORMATION;

typedef struct _FILE_MODE_INFORMATION {
    ULONG Mode;
} FILE_MODE_INFORMATION, *PFILE_MODE_INFORMATION;

#define FILE_SYNCHRONOUS_IO_ALERT 0x00000010
#define FILE_SYNCHRONOUS_IO_NONALERT 0x00000020

#define STATUS_INVALID_INFO_CLASS ((NTSTATUS)0xC0000003L)
#define STATUS_INFO_LENGTH_MISMATCH ((NTSTATUS)0xC0000004L)

NTSTATUS NTAPI NtQueryInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock,
                                      PVOID FileInformation, ULONG Length,
                                      FILE_INFORMATION_CLASS FileInformationClass);

#ifdef __cplusplus
}
#endif

#endif /* WINSIM_WINTERNL_H */
