/* eve/loop.h: the event loop that owns one I/O completion port.
 *
 * A loop and everything attached to it is used from one thread, except
 * eve_loop_wakeup(), which any thread may call. See spec/README.md for the rules on
 * what may be called from inside callbacks.
 */
#ifndef EVE_LOOP_H
#define EVE_LOOP_H

#include "eve/api.h"
#include "eve/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eve_loop eve_loop;

typedef enum eve_run_mode {
    EVE_RUN_DEFAULT = 0, /* block and dispatch until no pipe is active or stop is called */
    EVE_RUN_ONCE = 1,    /* block until at least one event is dispatched, then return */
    EVE_RUN_NOWAIT = 2   /* dispatch what is ready now, never block */
} eve_run_mode;

typedef void (*eve_loop_wakeup_cb)(eve_loop *loop, void *user);

/* Create a loop. Returns EVE_OK and sets *out, or EVE_EINVAL (out is NULL) / EVE_ENOMEM /
 * a mapped Win32 error; *out is untouched on failure. */
EVE_API int eve_loop_create(eve_loop **out);

/* Run the loop. Returns 1 if pipes are still active (more to do), 0 if not, or a negative
 * eve error (EVE_EINVAL for NULL, EVE_EBUSY if called from inside one of its callbacks). */
EVE_API int eve_loop_run(eve_loop *loop, eve_run_mode mode);

/* Make the current (or next) eve_loop_run return after the events already dequeued. */
EVE_API int eve_loop_stop(eve_loop *loop);

/* Thread-safe: wake the loop from any thread. The wakeup callback runs on the loop's
 * thread at least once after each call; calls are coalesced, so calls made close together
 * share one callback and, once they have all returned, at most one callback is owed.
 * Wakes a blocked EVE_RUN_ONCE. */
EVE_API int eve_loop_wakeup(eve_loop *loop);

/* Register (or clear, with cb NULL) the callback that eve_loop_wakeup triggers. */
EVE_API int eve_loop_on_wakeup(eve_loop *loop, eve_loop_wakeup_cb cb, void *user);

/* Destroy the loop. EVE_EBUSY (and nothing freed) while any pipe adopted on it is not yet
 * CLOSED; ends that were disposed with I/O pending are drained here, without callbacks.
 * EVE_EBUSY also when called from inside one of the loop's callbacks. */
EVE_API int eve_loop_close(eve_loop *loop);

#ifdef __cplusplus
}
#endif

#endif /* EVE_LOOP_H */
