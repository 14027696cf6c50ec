/* error.c: Win32 -> eve error numbers, driven by one table (spec/errors.tsv). */
#include "internal.h"

/* X(win32_name, win32_value, eve_name, row_id). Values, not names: some SDKs lack a few.
 * Anything not listed maps to EVE_EUNKNOWN. */
#define EVE__WIN32_ERRORS(X)                                                   \
    X(ERROR_NO_DATA, 232, EVE_EPIPE, "E01")                                    \
    X(ERROR_BROKEN_PIPE, 109, EVE_EPIPE, "E02")                                \
    X(ERROR_PIPE_NOT_CONNECTED, 233, EVE_ENOTCONN, "E03")                      \
    X(ERROR_HANDLE_EOF, 38, EVE_EPIPE, "E04")                                  \
    X(ERROR_NOT_ENOUGH_QUOTA, 1816, EVE_ENOBUFS, "E05")                        \
    X(ERROR_NO_SYSTEM_RESOURCES, 1450, EVE_ENOBUFS, "E06")                     \
    X(ERROR_OPERATION_ABORTED, 995, EVE_ECANCELED, "E07")                      \
    X(ERROR_INVALID_HANDLE, 6, EVE_EBADF, "E08")                               \
    X(ERROR_ACCESS_DENIED, 5, EVE_EACCES, "E09")                               \
    X(ERROR_NOT_ENOUGH_MEMORY, 8, EVE_ENOMEM, "E10")                           \
    X(ERROR_OUTOFMEMORY, 14, EVE_ENOMEM, "E11")                                \
    X(ERROR_INVALID_PARAMETER, 87, EVE_EINVAL, "E12")                          \
    X(ERROR_PIPE_BUSY, 231, EVE_EBUSY, "E13")                                  \
    X(ERROR_FILE_EXISTS, 80, EVE_EEXIST, "E14")                                \
    X(ERROR_ALREADY_EXISTS, 183, EVE_EEXIST, "E15")                            \
    X(ERROR_TOO_MANY_OPEN_FILES, 4, EVE_EMFILE, "E16")                         \
    X(ERROR_INVALID_FUNCTION, 1, EVE_ENOSYS, "E17")                            \
    X(ERROR_NOT_SUPPORTED, 50, EVE_ENOSYS, "E18")

typedef struct eve__err_row {
    DWORD win32;
    int eve;
} eve__err_row;

static const eve__err_row eve__err_rows[] = {
#define EVE__ERR_ROW(name, value, eve_name, row) {(DWORD)(value), eve_name},
    EVE__WIN32_ERRORS(EVE__ERR_ROW)
#undef EVE__ERR_ROW
};

int eve__map_win32(DWORD err)
{
    size_t i;
    if (err == 0)
        return EVE_OK;
    for (i = 0; i < sizeof eve__err_rows / sizeof eve__err_rows[0]; i++) {
        if (eve__err_rows[i].win32 == err)
            return eve__err_rows[i].eve;
    }
    return EVE_EUNKNOWN;
}

/* spec DECISIONS 4: which failures end a stream with reason PEER (no error callback). */
int eve__is_peer_error(DWORD err, int is_write)
{
    switch (err) {
    case ERROR_BROKEN_PIPE:
    case ERROR_PIPE_NOT_CONNECTED:
        return 1;
    case ERROR_HANDLE_EOF:
        return !is_write;
    case ERROR_NO_DATA:
        return is_write;
    default:
        return 0;
    }
}
