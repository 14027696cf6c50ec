/* eve_loader_api.h: the functions of eve/loop.h and eve/pipe.h that an implementation
 * exports, as X-macro lists, for code that reaches an implementation through a DLL loaded
 * at run time (tests/loader/eve_loader.c, bench/src/c_impl.c). */
#ifndef EVE_LOADER_API_H
#define EVE_LOADER_API_H

#include "eve/loop.h"
#include "eve/pipe.h"

/* X(return type, name, (parameters), (arguments)): the functions of loop.h and pipe.h. */
#define EVE_LOADER_API(X)                                                                         \
    X(int, eve_loop_create, (eve_loop * *out), (out))                                             \
    X(int, eve_loop_run, (eve_loop * loop, eve_run_mode mode), (loop, mode))                      \
    X(int, eve_loop_stop, (eve_loop * loop), (loop))                                              \
    X(int, eve_loop_wakeup, (eve_loop * loop), (loop))                                            \
    X(int, eve_loop_on_wakeup, (eve_loop * loop, eve_loop_wakeup_cb cb, void *user),              \
      (loop, cb, user))                                                                           \
    X(int, eve_loop_close, (eve_loop * loop), (loop))                                             \
    X(int, eve_pipe_config_is_valid, (const eve_pipe_config *config), (config))                   \
    X(int, eve_pipe_create, (const eve_pipe_config *config, eve_pipe **out), (config, out))       \
    X(int, eve_pipe_on_data, (eve_pipe * p, eve_pipe_data_cb cb, void *user), (p, cb, user))      \
    X(int, eve_pipe_on_writable, (eve_pipe * p, eve_pipe_writable_cb cb, void *user),             \
      (p, cb, user))                                                                              \
    X(int, eve_pipe_on_close, (eve_pipe * p, eve_pipe_close_cb cb, void *user), (p, cb, user))    \
    X(int, eve_pipe_on_error, (eve_pipe * p, eve_pipe_error_cb cb, void *user), (p, cb, user))    \
    X(int, eve_pipe_is_open, (const eve_pipe *p), (p))                                            \
    X(eve_pipe_state, eve_pipe_state_of, (const eve_pipe *p), (p))                                \
    X(int, eve_pipe_adopt_read, (eve_pipe * p, eve_loop * loop, eve_os_handle * h), (p, loop, h)) \
    X(int, eve_pipe_adopt_write, (eve_pipe * p, eve_loop * loop, eve_os_handle * h),              \
      (p, loop, h))                                                                               \
    X(eve_send_result, eve_pipe_write, (eve_pipe * p, const void *data, size_t len),              \
      (p, data, len))                                                                             \
    X(size_t, eve_pipe_write_queue_size, (const eve_pipe *p), (p))                                \
    X(int, eve_pipe_pause_reading, (eve_pipe * p), (p))                                           \
    X(int, eve_pipe_resume_reading, (eve_pipe * p), (p))                                          \
    X(int, eve_pipe_close, (eve_pipe * p), (p))                                                   \
    X(int, eve_pipe_close_graceful, (eve_pipe * p), (p))                                          \
    X(int, eve_pipe_dispose, (eve_pipe * p), (p))                                                 \
    X(size_t, eve_pipe_unsent_bytes, (const eve_pipe *p), (p))                                    \
    X(const char *, eve_spec_version, (void), ())                                                 \
    X(int, eve_pipe_pair_create, (eve_pipe_pair * pair, const eve_pipe_pair_options *o),          \
      (pair, o))                                                                                  \
    X(int, eve_pipe_pair_close, (eve_pipe_pair * pair), (pair))                                   \
    X(int, eve_pipe_pair_is_valid, (const eve_pipe_pair *pair), (pair))

/* eve_pipe_free returns void: its own trampoline below. */
#define EVE_LOADER_VOID_API(X) X(eve_pipe_free, (eve_pipe * p), (p))

#endif /* EVE_LOADER_API_H */
