/* eve/error.h: the portable error numbers every eve_ call and callback uses.
 *
 * Values are negated Linux errno numbers, so they are stable across languages and
 * readable in a debugger. spec/errors.tsv is the source of truth for which Win32
 * error maps to which of these; this list must match its `eve_name`/`eve_value` columns
 * (the spec lint checks it).
 */
#ifndef EVE_ERROR_H
#define EVE_ERROR_H

#include "eve/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, value, meaning) */
#define EVE_ERRNO_MAP(X)                                                                          \
    X(EVE_OK, 0, "success")                                                                       \
    X(EVE_EBADF, -9, "not a usable pipe handle")                                                  \
    X(EVE_EAGAIN, -11, "resource temporarily unavailable")                                        \
    X(EVE_ENOMEM, -12, "out of memory")                                                           \
    X(EVE_EACCES, -13, "access denied")                                                           \
    X(EVE_EBUSY, -16, "resource busy (e.g. loop has live pipes)")                                 \
    X(EVE_EEXIST, -17, "name already exists")                                                     \
    X(EVE_EINVAL, -22, "invalid argument")                                                        \
    X(EVE_EMFILE, -24, "too many open handles")                                                   \
    X(EVE_EPIPE, -32, "broken pipe: the other end is gone")                                       \
    X(EVE_EALREADY, -114, "operation already done or in progress")                                \
    X(EVE_ENOTCONN, -107, "pipe not connected")                                                   \
    X(EVE_ENOBUFS, -105, "no buffer space (quota) available")                                     \
    X(EVE_ECANCELED, -125, "operation cancelled")                                                 \
    X(EVE_EIO, -5, "input/output error")                                                          \
    X(EVE_ENOSYS, -38, "operation not supported on this handle")                                  \
    X(EVE_EUNKNOWN, -4094, "unknown Win32 error")

enum eve_errno {
#define EVE__ERRNO_ENUM(name, value, meaning) name = (value),
    EVE_ERRNO_MAP(EVE__ERRNO_ENUM)
#undef EVE__ERRNO_ENUM
};

/* The name of an error number as written in EVE_ERRNO_MAP ("EVE_EPIPE"), or "unknown" for a
 * number that is not in it. Never NULL; the string is static. */
EVE_API const char *eve_err_name(int err);

/* What an error number means, from EVE_ERRNO_MAP ("broken pipe: the other end is gone"), or
 * "unknown eve error number" for a number that is not in it. Never NULL; static. */
EVE_API const char *eve_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* EVE_ERROR_H */
