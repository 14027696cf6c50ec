/* eve/pipe.h: one end of an asynchronous anonymous pipe, driven by an eve_loop.
 *
 * The behaviour of every call in every state is defined by the tables in spec/
 * (transitions.tsv, close_reasons.tsv, write_results.tsv, errors.tsv); the comments
 * here summarise them. An implementation conforms when the suite in tests/ finds no
 * step its trace takes that those tables do not allow.
 */
#ifndef EVE_PIPE_H
#define EVE_PIPE_H

#include <stddef.h>
#include <stdint.h>

#include "eve/error.h"
#include "eve/loop.h"
#include "eve/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A Win32 HANDLE, kept opaque so this header does not need <windows.h>. */
typedef void *eve_os_handle;

typedef struct eve_pipe eve_pipe;

typedef enum eve_pipe_state {
    EVE_PIPE_DETACHED = 0, /* created, no handle adopted yet */
    EVE_PIPE_OPEN = 1,     /* adopted: reading (read end) or accepting writes (write end) */
    EVE_PIPE_PAUSED = 2,   /* read end with delivery paused; a read may still be pending */
    EVE_PIPE_DRAINING = 3, /* write end after eve_pipe_close_graceful: flushing its queue */
    EVE_PIPE_CLOSING = 4,  /* closed, waiting for its pending I/O before the close callback */
    EVE_PIPE_CLOSED = 5    /* terminal: close callback delivered, or disposed */
} eve_pipe_state;

typedef enum eve_pipe_close_reason {
    EVE_CLOSE_LOCAL = 0,    /* eve_pipe_close(); queued bytes are dropped and counted */
    EVE_CLOSE_GRACEFUL = 1, /* eve_pipe_close_graceful() after the queue was flushed */
    EVE_CLOSE_PEER = 2,     /* the other end is gone: EOF on a read, broken pipe on a write */
    EVE_CLOSE_ERROR = 3     /* any other I/O error; the error callback ran just before */
} eve_pipe_close_reason;

typedef enum eve_send_result {
    EVE_SEND_OK = 0,           /* accepted; queue at or below the high-water mark */
    EVE_SEND_BACKPRESSURE = 1, /* accepted; queue above high water: wait for writable */
    EVE_SEND_CLOSED = 2,       /* not accepted: the end is draining, closing or closed */
    EVE_SEND_INVALID = 3,      /* not accepted: NULL pipe or data, read end, detached */
    EVE_SEND_NOMEM = 4         /* not accepted: out of memory */
} eve_send_result;

/* Every field 0 means its default. Sizes in bytes. */
typedef struct eve_pipe_config {
    size_t buffer_size;     /* most bytes one data callback delivers (read end) */
    size_t high_water;      /* write returns BACKPRESSURE once the queue exceeds this */
    size_t low_water;       /* writable fires when the queue falls to this (<= high) */
    size_t max_write_batch; /* bound on queued small writes coalesced into one WriteFile */
} eve_pipe_config;

/* What a 0 field stands for (spec/DECISIONS.md item 8, which the spec lint checks these
 * against): low_water's default is high_water / EVE_PIPE_DEFAULT_LOW_WATER_DIVISOR. */
#define EVE_PIPE_DEFAULT_BUFFER_SIZE ((size_t)256 * 1024)
#define EVE_PIPE_DEFAULT_HIGH_WATER ((size_t)1024 * 1024)
#define EVE_PIPE_DEFAULT_LOW_WATER_DIVISOR 4
#define EVE_PIPE_DEFAULT_MAX_WRITE_BATCH ((size_t)256 * 1024)
#define EVE_PIPE_MAX_BUFFER_SIZE ((size_t)16 * 1024 * 1024)

typedef void (*eve_pipe_data_cb)(eve_pipe *pipe, const uint8_t *data, size_t len, void *user);
typedef void (*eve_pipe_writable_cb)(eve_pipe *pipe, void *user);
typedef void (*eve_pipe_close_cb)(eve_pipe *pipe, eve_pipe_close_reason reason, void *user);
typedef void (*eve_pipe_error_cb)(eve_pipe *pipe, int error_number, void *user);

/* 1 if the config (after defaults) is usable, 0 if not (NULL counts as all defaults). */
EVE_API int eve_pipe_config_is_valid(const eve_pipe_config *config);

/* Create a detached end. config may be NULL (defaults). EVE_EINVAL for out NULL or an
 * invalid config, EVE_ENOMEM; *out is untouched on failure. */
EVE_API int eve_pipe_create(const eve_pipe_config *config, eve_pipe **out);

/* Register a callback and its user pointer (cb NULL unregisters). Allowed in every state
 * but CLOSED, including from inside callbacks. EVE_EINVAL for pipe NULL. */
EVE_API int eve_pipe_on_data(eve_pipe *pipe, eve_pipe_data_cb cb, void *user);
EVE_API int eve_pipe_on_writable(eve_pipe *pipe, eve_pipe_writable_cb cb, void *user);
EVE_API int eve_pipe_on_close(eve_pipe *pipe, eve_pipe_close_cb cb, void *user);
EVE_API int eve_pipe_on_error(eve_pipe *pipe, eve_pipe_error_cb cb, void *user);

/* 1 in OPEN, PAUSED and DRAINING; 0 otherwise and for NULL. */
EVE_API int eve_pipe_is_open(const eve_pipe *pipe);
/* The current state; EVE_PIPE_CLOSED for NULL. */
EVE_API eve_pipe_state eve_pipe_state_of(const eve_pipe *pipe);

/* Adopt *handle as this end and start reading (read end) or accept writes (write end).
 * On success the pipe owns the handle and *handle is set to NULL; on failure the caller
 * keeps it. Only from DETACHED. Errors: EVE_EINVAL (NULL argument, not DETACHED),
 * EVE_EBADF (not a pipe handle, or not opened for overlapped I/O), EVE_EBUSY (handle
 * already bound to another completion port), or a mapped Win32 error. */
EVE_API int eve_pipe_adopt_read(eve_pipe *pipe, eve_loop *loop, eve_os_handle *handle);
EVE_API int eve_pipe_adopt_write(eve_pipe *pipe, eve_loop *loop, eve_os_handle *handle);

/* Queue len bytes (copied before return) on a write end; see eve_send_result. A zero-length
 * write is accepted and does nothing (data may then be NULL). */
EVE_API eve_send_result eve_pipe_write(eve_pipe *pipe, const void *data, size_t len);

/* Bytes accepted by eve_pipe_write and not yet written to the pipe. */
EVE_API size_t eve_pipe_write_queue_size(const eve_pipe *pipe);

/* Read end: stop / restart data delivery. Pausing takes effect at once: data of a read
 * already pending is held and delivered after resume. EVE_OK, EVE_EALREADY (already in
 * that state), EVE_EINVAL (NULL, write end, detached), EVE_EPIPE (closing or closed). */
EVE_API int eve_pipe_pause_reading(eve_pipe *pipe);
EVE_API int eve_pipe_resume_reading(eve_pipe *pipe);

/* Close now: cancel pending I/O, drop queued bytes (counted by eve_pipe_unsent_bytes) and
 * call the close callback (EVE_CLOSE_LOCAL) once no I/O is pending, from the loop, never
 * from inside this call. A detached end goes straight to CLOSED without a callback.
 * EVE_OK, EVE_EALREADY (closing or closed), EVE_EINVAL (NULL). */
EVE_API int eve_pipe_close(eve_pipe *pipe);

/* Write end: refuse new writes, flush the queue, then close (EVE_CLOSE_GRACEFUL).
 * Read end: the same as eve_pipe_close. Results as eve_pipe_close. */
EVE_API int eve_pipe_close_graceful(eve_pipe *pipe);

/* Close without any further callback, in any state. Pending I/O is cancelled and its
 * memory kept until the loop reaps the completions. EVE_OK, EVE_EALREADY, EVE_EINVAL. */
EVE_API int eve_pipe_dispose(eve_pipe *pipe);

/* Bytes accepted by write that were never written (dropped at close, dispose or error). */
EVE_API size_t eve_pipe_unsent_bytes(const eve_pipe *pipe);

/* Free the eve_pipe object, disposing it first if it is not CLOSED. The pointer is
 * invalid afterwards. Allowed inside the pipe's own callbacks (the close callback is the
 * usual place). NULL is ignored. */
EVE_API void eve_pipe_free(eve_pipe *pipe);

/* The spec version this implementation conforms to (EVE_SPEC_VERSION of its header). */
EVE_API const char *eve_spec_version(void);

/* ---- pairs ---- */

/* Per-end options for eve_pipe_pair_create. */
#define EVE_PIPE_END_SYNC 0x1    /* open without FILE_FLAG_OVERLAPPED (for a child process) */
#define EVE_PIPE_END_INHERIT 0x2 /* inheritable by child processes */

typedef struct eve_pipe_pair_options {
    unsigned read_flags;       /* EVE_PIPE_END_* for the read end */
    unsigned write_flags;      /* EVE_PIPE_END_* for the write end */
    size_t kernel_buffer_size; /* pipe buffer quota asked of the kernel; 0 = default */
} eve_pipe_pair_options;

typedef struct eve_pipe_pair {
    eve_os_handle read_end;  /* NULL when empty */
    eve_os_handle write_end; /* NULL when empty */
} eve_pipe_pair;

/* Create a connected pair (options NULL: both overlapped, neither inheritable). On failure
 * both fields are NULL. EVE_EINVAL (pair NULL, unknown flag), or a mapped Win32 error. */
EVE_API int eve_pipe_pair_create(eve_pipe_pair *pair, const eve_pipe_pair_options *options);

/* Close every non-NULL handle of the pair and set it to NULL. EVE_EINVAL for NULL. */
EVE_API int eve_pipe_pair_close(eve_pipe_pair *pair);

/* 1 if both handles are set, 0 otherwise. */
EVE_API int eve_pipe_pair_is_valid(const eve_pipe_pair *pair);

#ifdef __cplusplus
}
#endif

#endif /* EVE_PIPE_H */
