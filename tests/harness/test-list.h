/* test-list.h: the single registry of conformance tests (libuv style).
 *
 * X(id, area, rows): id is the test's stable name (the cmocka test name, the id used in
 * tests/expectations/<impl>.txt and in the report), area groups tests for the report and
 * for ctest (one ctest per area), rows lists the spec rows (ids from the spec tables) the test is
 * written to exercise, space separated; "A|B" where the test's path may legally go either
 * way (an implementation may refuse at adopt or fail the first I/O). The spec monitor reports
 * the rows a run actually took; tests/report refuses a row no table has, and a citation none
 * of whose observable rows the test's passing run took (tests/report/README.md).
 *
 * EVE_TESTS_COMMON: public API only, every flavour (native against winsim included).
 * EVE_TESTS_WIN32: also use <windows.h> (child processes, foreign handles, raw Win32
 * checks); built only by the Windows flavours.
 */
#ifndef EVE_TESTS_TEST_LIST_H
#define EVE_TESTS_TEST_LIST_H

/* clang-format off */
#define EVE_TESTS_COMMON(X)                                                                       \
    X(lifecycle_read_end, "lifecycle",                                                            \
      "T-NONE-A-CREATE-CREATE_OK T-DETACHED-A-STATE T-DETACHED-A-IS_OPEN T-DETACHED-A-FREE "      \
      "T-DETACHED-A-ADOPT_READ-ADOPT_OK T-OPEN-A-STATE T-OPEN-A-IS_OPEN T-OPEN-R-PAUSE "          \
      "T-PAUSED-A-STATE T-PAUSED-A-IS_OPEN T-PAUSED-R-PAUSE T-PAUSED-R-RESUME "                   \
      "T-OPEN-R-RESUME T-OPEN-R-WRITE T-OPEN-R-QUEUE_SIZE T-OPEN-A-CLOSE T-CLOSING-A-CLOSE "      \
      "T-CLOSING-A-IS_OPEN T-CLOSING-R-PAUSE T-CLOSING-R-RESUME T-CLOSING-R-K_READ_CANCELLED "    \
      "T-CLOSING-A-CLOSE_DUE T-CLOSED-A-STATE T-CLOSED-A-CLOSE T-CLOSED-A-CLOSE_GRACEFUL "        \
      "T-CLOSED-A-DISPOSE T-CLOSED-NR-PAUSE T-CLOSED-NR-RESUME T-CLOSED-R-WRITE "                 \
      "T-CLOSED-NR-UNSENT T-OPEN-W-K_WRITE_PEER C-LOCAL C-PEER-W W-READ-OPEN W-READ-CLOSED "      \
      "W-AT-PEER")                                                                                \
    X(lifecycle_write_end, "lifecycle",                                                           \
      "T-DETACHED-A-ADOPT_WRITE-ADOPT_OK T-OPEN-W-PAUSE T-OPEN-W-RESUME "                         \
      "T-OPEN-W-WRITE-WRITE_WITHIN T-OPEN-W-QUEUE_SIZE T-OPEN-W-CLOSE_GRACEFUL "                  \
      "T-DRAINING-A-STATE T-DRAINING-A-IS_OPEN T-DRAINING-W-WRITE T-DRAINING-W-CLOSE_GRACEFUL "   \
      "T-DRAINING-W-K_WRITE_FULL T-DRAINING-W-FLUSHED T-OPEN-R-K_READ_DATA T-OPEN-R-K_READ_EOF "  \
      "T-CLOSED-NW-WRITE T-CLOSED-W-UNSENT T-CLOSED-W-QUEUE_SIZE C-GRACEFUL-W C-PEER-R "          \
      "W-OPEN-UNDER_HIGH W-DRAINING W-CLOSED W-AT-GRACEFUL E-ERROR_BROKEN_PIPE")                  \
    X(lifecycle_detached, "lifecycle",                                                            \
      "T-DETACHED-A-WRITE T-DETACHED-A-PAUSE T-DETACHED-A-RESUME T-DETACHED-A-QUEUE_SIZE "        \
      "T-DETACHED-A-CLOSE T-DETACHED-A-CLOSE_GRACEFUL T-DETACHED-A-DISPOSE "                      \
      "T-CLOSED-A-ADOPT_READ T-PAIR_EMPTY-A-PAIR_CREATE-PAIR_OK T-PAIR_FULL-A-PAIR_CLOSE "        \
      "C-NONE-DETACHED W-DETACHED")                                                               \
    X(lifecycle_callbacks_registration, "lifecycle",                                              \
      "T-NONE-A-REGISTER T-OPEN-A-REGISTER T-PAUSED-A-REGISTER T-DRAINING-A-REGISTER "            \
      "T-CLOSING-A-REGISTER T-CLOSED-A-REGISTER T-PAUSED-R-CLOSE T-DETACHED-A-REGISTER")          \
    X(lifecycle_data_without_callback, "lifecycle",                                               \
      "T-OPEN-A-REGISTER T-OPEN-W-CLOSE_GRACEFUL T-OPEN-R-K_READ_EOF")                            \
    X(lifecycle_unregistered_close_cb, "lifecycle", "T-CLOSED-A-LOOP_IDLE")                       \
    X(lifecycle_dispose_each_state, "lifecycle",                                                  \
      "T-OPEN-A-DISPOSE T-PAUSED-A-DISPOSE T-DRAINING-A-DISPOSE T-CLOSING-A-DISPOSE "             \
      "T-CLOSED-R-K_READ_CANCELLED T-CLOSED-W-K_WRITE_FULL C-NONE-DISPOSE W-AT-DISPOSE "          \
      "T-CLOSED-A-LOOP_CLOSE")                                                                    \
    X(lifecycle_close_graceful_read_end, "lifecycle",                                             \
      "T-OPEN-R-CLOSE_GRACEFUL T-OPEN-W-CLOSE_GRACEFUL T-DRAINING-W-FLUSHED C-LOCAL")             \
    X(lifecycle_close_draining, "lifecycle",                                                      \
      "T-DRAINING-W-CLOSE T-CLOSING-W-K_WRITE_CANCELLED "                                         \
      "T-CLOSED-W-UNSENT W-AT-CLOSE-DRAINING W-OPEN-OVER_HIGH")                                  \
    X(loop_run_default_until_idle, "lifecycle", "T-DRAINING-W-FLUSHED T-CLOSED-A-LOOP_IDLE")     \
    X(loop_lifecycle, "lifecycle",                                                                \
      "T-OPEN-A-LOOP_CLOSE T-CLOSING-A-LOOP_CLOSE T-CLOSED-A-LOOP_CLOSE")                         \
    X(data_sizes_around_buffer, "data",                                                           \
      "T-OPEN-R-K_READ_DATA T-OPEN-R-K_READ_EOF T-OPEN-W-K_WRITE_FULL-NO_WAKE "                   \
      "T-DRAINING-W-FLUSHED")                                                                     \
    X(data_sizes_default_buffer, "data", "T-OPEN-R-K_READ_DATA T-OPEN-W-K_WRITE_FULL-NO_WAKE")    \
    X(data_1mib, "data", "T-OPEN-R-K_READ_DATA T-OPEN-W-WRITE-WRITE_WITHIN")                      \
    X(data_64mib_hash, "data", "T-OPEN-R-K_READ_DATA T-OPEN-W-WRITE-WRITE_OVER "                  \
      "T-OPEN-W-K_WRITE_FULL-WAKE W-WRITABLE-FULL")                                               \
    X(data_single_large_write, "data", "T-OPEN-W-WRITE-WRITE_OVER T-DRAINING-W-K_WRITE_FULL")     \
    X(data_tiny_buffer, "data", "T-OPEN-R-K_READ_DATA")                                           \
    X(data_100k_small_writes, "data", "T-OPEN-W-WRITE-WRITE_WITHIN T-OPEN-W-K_WRITE_FULL-NO_WAKE")\
    X(data_zero_length_write, "data",                                                             \
      "T-OPEN-W-WRITE-WRITE_EMPTY T-DRAINING-W-WRITE W-OPEN-EMPTY")                               \
    X(data_order_mixed_sizes, "data", "T-OPEN-W-WRITE-WRITE_WITHIN T-OPEN-W-WRITE-WRITE_OVER")    \
    X(data_bidirectional_large, "data", "T-OPEN-R-K_READ_DATA T-OPEN-W-K_WRITE_FULL-WAKE")        \
    X(bp_high_water_and_writable_once, "backpressure",                                            \
      "T-OPEN-W-WRITE-WRITE_WITHIN T-OPEN-W-WRITE-WRITE_OVER T-OPEN-W-K_WRITE_FULL-WAKE "         \
      "T-OPEN-W-K_WRITE_FULL-NO_WAKE W-OPEN-UNDER_HIGH W-OPEN-OVER_HIGH W-WRITABLE-FULL")         \
    X(bp_no_writable_without_backpressure, "backpressure", "T-OPEN-W-K_WRITE_FULL-NO_WAKE")       \
    X(bp_single_write_over_high, "backpressure", "T-OPEN-W-WRITE-WRITE_OVER W-OPEN-OVER_HIGH")    \
    X(bp_low_water_given_is_kept, "backpressure",                                                 \
      "T-OPEN-W-WRITE-WRITE_OVER T-OPEN-W-K_WRITE_FULL-WAKE")                                     \
    X(bp_writable_rearms, "backpressure", "T-OPEN-W-K_WRITE_FULL-WAKE W-WRITABLE-FULL")           \
    X(bp_writable_not_after_close, "backpressure", "T-OPEN-A-CLOSE W-AT-CLOSE")                   \
    X(bp_writable_not_after_graceful, "backpressure", "T-OPEN-W-CLOSE_GRACEFUL W-AT-GRACEFUL")    \
    X(bp_write_inside_writable, "backpressure", "T-OPEN-W-K_WRITE_FULL-WAKE")                     \
    X(bp_paused_reader_holds_writer, "backpressure",                                              \
      "T-PAUSED-R-K_READ_DATA T-OPEN-W-K_WRITE_FULL-WAKE W-WRITABLE-FULL")                        \
    X(pause_with_read_pending, "pause", "T-OPEN-R-PAUSE T-PAUSED-R-K_READ_DATA T-PAUSED-R-RESUME")\
    X(pause_from_first_callback, "pause", "T-OPEN-R-PAUSE T-PAUSED-R-RESUME")                     \
    X(pause_resume_pause_before_dispatch, "pause",                                                \
      "T-OPEN-R-PAUSE T-PAUSED-R-RESUME T-PAUSED-R-K_READ_DATA")                                  \
    X(pause_eof_held_until_resume, "pause", "T-PAUSED-R-K_READ_EOF T-PAUSED-R-RESUME C-PEER-R")   \
    X(pause_resume_after_eof, "pause", "T-CLOSED-NR-RESUME T-CLOSED-NR-PAUSE T-OPEN-R-K_READ_EOF")\
    X(pause_resume_inside_data_cb, "pause", "T-OPEN-R-PAUSE T-PAUSED-R-RESUME")                   \
    X(pause_resume_storm, "pause", "T-PAUSED-R-K_READ_DATA T-PAUSED-R-RESUME")                    \
    X(close_with_read_pending, "close", "T-OPEN-A-CLOSE T-CLOSING-R-K_READ_CANCELLED")            \
    X(close_with_write_pending, "close",                                                          \
      "T-OPEN-A-CLOSE T-CLOSING-W-K_WRITE_CANCELLED T-CLOSING-W-UNSENT T-CLOSED-W-UNSENT "\
      "W-AT-CLOSE")               \
    X(dispose_with_io_pending, "close",                                                           \
      "T-OPEN-A-DISPOSE T-CLOSED-W-K_WRITE_CANCELLED T-CLOSED-R-K_READ_CANCELLED")                \
    X(dispose_then_loop_close_drains, "close", "T-OPEN-A-DISPOSE T-CLOSED-A-LOOP_CLOSE")          \
    X(free_with_io_pending, "close", "T-OPEN-A-FREE")                                             \
    X(close_inside_data_cb, "close", "T-OPEN-A-CLOSE")                                            \
    X(dispose_inside_data_cb, "close", "T-OPEN-A-DISPOSE")                                        \
    X(free_inside_data_cb, "close", "T-OPEN-A-FREE")                                              \
    X(close_other_end_inside_data_cb, "close", "T-OPEN-A-CLOSE T-OPEN-A-DISPOSE T-OPEN-A-FREE")   \
    X(close_inside_writable_cb, "close",                                                          \
      "T-OPEN-A-CLOSE T-OPEN-A-DISPOSE T-OPEN-W-CLOSE_GRACEFUL")                                  \
    X(close_inside_close_cb, "close", "T-CLOSED-A-CLOSE T-CLOSED-A-DISPOSE T-CLOSED-NW-WRITE")    \
    X(free_inside_close_cb, "close", "T-CLOSED-A-FREE")                                           \
    X(loop_calls_inside_callback, "close", "T-OPEN-R-K_READ_DATA")                                \
    X(peer_close_writer_side_data_buffered, "close", "T-PAUSED-R-K_READ_EOF C-PEER-R")            \
    X(peer_close_reader_side_data_queued, "close", "T-OPEN-W-K_WRITE_PEER C-PEER-W W-AT-PEER")    \
    X(write_after_reader_left, "close", "T-OPEN-W-K_WRITE_PEER C-PEER-W")                         \
    X(bad_null_pipe, "badinput",                                                                  \
      "T-NONE-A-REGISTER T-NONE-A-IS_OPEN T-NONE-A-STATE T-NONE-A-WRITE T-NONE-A-QUEUE_SIZE "     \
      "T-NONE-A-UNSENT T-NONE-A-PAUSE T-NONE-A-RESUME T-NONE-A-CLOSE T-NONE-A-CLOSE_GRACEFUL "    \
      "T-NONE-A-DISPOSE T-NONE-A-FREE T-NONE-A-ADOPT_READ T-NONE-A-ADOPT_WRITE W-NONE")           \
    X(bad_create, "badinput",                                                                     \
      "T-NONE-A-CREATE-CREATE_EINVAL T-NONE-A-CREATE-CREATE_OK T-DETACHED-A-FREE")                \
    X(bad_adopt, "badinput",                                                                      \
      "T-DETACHED-A-ADOPT_READ-ADOPT_EINVAL T-DETACHED-A-ADOPT_WRITE-ADOPT_EINVAL "               \
      "T-OPEN-A-ADOPT_READ T-OPEN-A-ADOPT_WRITE T-PAUSED-A-ADOPT_READ T-DRAINING-A-ADOPT_WRITE "  \
      "T-CLOSING-A-ADOPT_READ T-PAIR_FULL-A-PAIR_TAKE_READ T-PAIR_WRITE_ONLY-A-PAIR_TAKE_WRITE")  \
    X(bad_write_args, "badinput",                                                                 \
      "T-OPEN-W-WRITE-WRITE_NULL_DATA T-OPEN-W-WRITE-WRITE_NOMEM T-OPEN-R-WRITE "                 \
      "T-PAUSED-R-WRITE T-CLOSING-R-WRITE T-CLOSING-W-WRITE T-CLOSING-R-QUEUE_SIZE "              \
      "T-CLOSING-R-UNSENT T-CLOSING-W-PAUSE T-CLOSING-W-RESUME T-CLOSING-W-QUEUE_SIZE "           \
      "T-CLOSED-W-PAUSE T-CLOSED-W-RESUME T-CLOSED-NR-QUEUE_SIZE T-CLOSED-W-QUEUE_SIZE "          \
      "W-OPEN-NULL_DATA W-OPEN-NOMEM W-READ-PAUSED W-READ-CLOSING W-CLOSING")                     \
    X(bad_use_after_close, "badinput",                                                            \
      "T-CLOSED-A-DISPOSE T-CLOSED-A-CLOSE T-CLOSED-A-CLOSE_GRACEFUL T-CLOSED-NR-PAUSE "          \
      "T-CLOSED-NR-RESUME T-CLOSED-R-WRITE T-CLOSED-A-REGISTER T-CLOSED-A-IS_OPEN "               \
      "T-CLOSING-A-REGISTER T-CLOSING-A-CLOSE_GRACEFUL T-CLOSED-NW-WRITE")                        \
    X(bad_pair_args, "badinput",                                                                  \
      "T-PAIR_NULL-A-PAIR_CREATE T-PAIR_NULL-A-PAIR_CLOSE T-PAIR_NULL-A-PAIR_IS_VALID "           \
      "T-PAIR_EMPTY-A-PAIR_IS_VALID T-PAIR_EMPTY-A-PAIR_CLOSE "                                   \
      "T-PAIR_EMPTY-A-PAIR_CREATE-PAIR_EINVAL T-PAIR_EMPTY-A-PAIR_CREATE-PAIR_OK "                \
      "T-PAIR_FULL-A-PAIR_IS_VALID T-PAIR_FULL-A-PAIR_CLOSE")                                     \
    X(pair_half_taken, "badinput",                                                                \
      "T-PAIR_FULL-A-PAIR_TAKE_READ T-PAIR_WRITE_ONLY-A-PAIR_IS_VALID "                           \
      "T-PAIR_WRITE_ONLY-A-PAIR_CLOSE T-OPEN-R-K_READ_EOF")                                       \
    X(spec_version, "badinput", "")                                                               \
    X(matrix_read_end_states, "lifecycle",                                                        \
      "T-DETACHED-A-UNSENT T-OPEN-A-UNSENT T-OPEN-A-ADOPT_READ T-OPEN-A-ADOPT_WRITE "             \
      "T-PAUSED-A-ADOPT_READ T-PAUSED-A-ADOPT_WRITE T-PAUSED-R-QUEUE_SIZE T-PAUSED-R-UNSENT "     \
      "T-PAUSED-A-LOOP_CLOSE T-PAUSED-R-CLOSE_GRACEFUL T-CLOSING-A-ADOPT_READ "                   \
      "T-CLOSING-A-ADOPT_WRITE T-CLOSING-A-LOOP_CLOSE T-CLOSED-A-ADOPT_READ "                     \
      "T-CLOSED-A-ADOPT_WRITE T-DETACHED-A-LOOP_CLOSE T-PAUSED-A-REGISTER")                       \
    X(matrix_write_end_states, "lifecycle",                                                       \
      "T-DRAINING-A-REGISTER T-DRAINING-W-QUEUE_SIZE T-DRAINING-W-UNSENT T-DRAINING-W-PAUSE "     \
      "T-DRAINING-W-RESUME T-DRAINING-A-ADOPT_READ T-DRAINING-A-ADOPT_WRITE "                     \
      "T-DRAINING-A-LOOP_CLOSE T-DRAINING-W-FLUSHED")                                             \
    X(matrix_free_each_state, "lifecycle",                                                        \
      "T-PAUSED-A-FREE T-DRAINING-A-FREE T-CLOSING-A-FREE T-CLOSED-A-FREE C-NONE-DISPOSE")        \
    X(matrix_write_complete_while_closing, "close",                                               \
      "T-CLOSING-W-K_WRITE_FULL T-CLOSED-W-K_WRITE_FULL")                                         \
    X(matrix_pair_states, "badinput",                                                             \
      "T-PAIR_FULL-A-PAIR_CREATE-PAIR_OK T-PAIR_FULL-A-PAIR_CREATE-PAIR_EINVAL "                  \
      "T-PAIR_FULL-A-PAIR_TAKE_WRITE T-PAIR_READ_ONLY-A-PAIR_IS_VALID "                           \
      "T-PAIR_READ_ONLY-A-PAIR_CREATE-PAIR_OK T-PAIR_READ_ONLY-A-PAIR_TAKE_READ "                 \
      "T-PAIR_READ_ONLY-A-PAIR_CREATE-PAIR_EINVAL T-PAIR_READ_ONLY-A-PAIR_CLOSE "                 \
      "T-PAIR_WRITE_ONLY-A-PAIR_CREATE-PAIR_OK T-PAIR_WRITE_ONLY-A-PAIR_CREATE-PAIR_EINVAL "      \
      "T-PAIR_FULL-A-PAIR_IS_VALID")                                                              \
    X(scale_1000_pairs, "scale", "T-OPEN-R-K_READ_DATA T-DRAINING-W-FLUSHED T-OPEN-R-K_READ_EOF") \
    X(threads_two_loops, "threads", "T-OPEN-R-K_READ_DATA T-OPEN-W-K_WRITE_FULL-WAKE")            \
    X(threads_wakeup, "threads", "T-OPEN-A-LOOP_IDLE")                                            \
    X(threads_wakeup_storm, "threads", "")                                                        \
    X(threads_once_blocks, "threads",                                                             \
      "T-OPEN-A-LOOP_CLOSE T-OPEN-R-K_READ_EOF T-PAIR_WRITE_ONLY-A-PAIR_CLOSE")                   \
    X(graceful_vs_close_unsent, "close",                                                          \
      "T-OPEN-W-CLOSE_GRACEFUL T-OPEN-A-CLOSE C-GRACEFUL-W C-LOCAL W-AT-CLOSE W-AT-GRACEFUL")     \
    /* mutant_kills.c: tests added because a mutant of tests/mutants/ survived */                 \
    X(bp_writable_once_then_small_writes, "backpressure",                                         \
      "T-OPEN-W-WRITE-WRITE_OVER T-OPEN-W-WRITE-WRITE_WITHIN T-OPEN-W-K_WRITE_FULL-WAKE")         \
    X(dispose_cancels_idle_read, "close",                                                         \
      "T-OPEN-A-DISPOSE T-CLOSED-A-LOOP_CLOSE")                                                   \
    X(close_cb_after_write_settled, "close",                                                      \
      "T-OPEN-A-CLOSE T-CLOSING-A-CLOSE_DUE T-CLOSED-W-QUEUE_SIZE T-CLOSED-W-UNSENT")
/* clang-format on */

/* clang-format off */
#define EVE_TESTS_WIN32(X)                                                                        \
    X(foreign_file, "handles",                                                                    \
      "T-DETACHED-A-ADOPT_READ-ADOPT_EBADF T-DETACHED-A-ADOPT_WRITE-ADOPT_EBADF")                 \
    X(foreign_socket, "handles",                                                                  \
      "T-DETACHED-A-ADOPT_READ-ADOPT_EBADF T-DETACHED-A-ADOPT_WRITE-ADOPT_EBADF")                 \
    X(foreign_bound_port, "handles",                                                              \
      "T-DETACHED-A-ADOPT_READ-ADOPT_EBUSY T-DETACHED-A-ADOPT_WRITE-ADOPT_EBUSY "                 \
      "E-ERROR_INVALID_PARAMETER")                                                                \
    X(foreign_sync_handle, "handles",                                                             \
      "T-DETACHED-A-ADOPT_READ-ADOPT_EBADF T-DETACHED-A-ADOPT_WRITE-ADOPT_EBADF")                 \
    X(foreign_invalid_handle, "handles",                                                          \
      "T-DETACHED-A-ADOPT_READ-ADOPT_EBADF T-DETACHED-A-ADOPT_WRITE-ADOPT_EBADF")                 \
    X(pair_handle_properties, "handles",                                                          \
      "T-PAIR_EMPTY-A-PAIR_CREATE-PAIR_OK T-PAIR_FULL-A-PAIR_CLOSE")                              \
    X(foreign_reused_value_after_failed_adopt, "handles",                                         \
      "T-DETACHED-A-ADOPT_READ-ADOPT_OSERR|T-OPEN-R-K_READ_ERROR "                                \
      "T-DETACHED-A-ADOPT_READ-ADOPT_EBUSY|T-OPEN-R-K_READ_ERROR "                                \
      "T-DETACHED-A-ADOPT_READ-ADOPT_EBADF|T-OPEN-R-K_READ_ERROR "                                \
      "T-DETACHED-A-ADOPT_READ-ADOPT_OK")                                                         \
    X(foreign_write_end_without_read_attributes, "handles",                                       \
      "T-DETACHED-A-ADOPT_WRITE-ADOPT_OK T-OPEN-A-CLOSE T-PAUSED-R-RESUME C-LOCAL C-PEER-R")       \
    X(foreign_write_end_quota_zero, "handles",                                                    \
      "T-DETACHED-A-ADOPT_WRITE-ADOPT_OK T-OPEN-A-CLOSE T-PAUSED-R-RESUME C-LOCAL C-PEER-R")       \
    X(err_broken_pipe_read, "errors",                                                             \
      "E-ERROR_BROKEN_PIPE T-OPEN-R-K_READ_EOF C-PEER-R")                                         \
    X(err_no_data_write, "errors", "E-ERROR_NO_DATA T-OPEN-W-K_WRITE_PEER C-PEER-W W-AT-PEER")    \
    X(err_pipe_not_connected, "errors", "E-ERROR_PIPE_NOT_CONNECTED")                             \
    X(err_cancelled_by_other_read, "errors",                                                      \
      "E-ERROR_OPERATION_ABORTED T-OPEN-R-K_READ_CANCELLED C-ERROR-R")                            \
    X(err_cancelled_by_other_paused, "errors",                                                    \
      "T-PAUSED-R-K_READ_CANCELLED T-PAUSED-R-RESUME T-OPEN-R-K_READ_CANCELLED")                  \
    X(err_cancelled_by_other_write, "errors",                                                     \
      "E-ERROR_OPERATION_ABORTED T-OPEN-W-K_WRITE_CANCELLED C-ERROR-W")                           \
    X(err_cancelled_by_other_draining, "errors", "T-DRAINING-W-K_WRITE_CANCELLED C-ERROR-W")      \
    X(err_access_denied, "errors",                                                                \
      "E-ERROR_ACCESS_DENIED T-DETACHED-A-ADOPT_READ-ADOPT_OSERR|T-OPEN-R-K_READ_ERROR "          \
      "T-DETACHED-A-ADOPT_READ-ADOPT_OSERR|C-ERROR-R "                                            \
      "T-DETACHED-A-ADOPT_WRITE-ADOPT_OSERR|T-OPEN-W-K_WRITE_ERROR "                              \
      "T-DETACHED-A-ADOPT_WRITE-ADOPT_OSERR|C-ERROR-W "                                           \
      "T-DETACHED-A-ADOPT_WRITE-ADOPT_OSERR|W-AT-ERROR")                                          \
    X(err_reentrancy_in_error_cb, "errors",                                                       \
      "T-OPEN-R-K_READ_CANCELLED T-CLOSING-A-DISPOSE C-NONE-DISPOSE")                             \
    X(kernel_read_done_then_close, "kernel",                                                      \
      "T-CLOSING-R-K_READ_DATA T-CLOSING-R-K_READ_EOF T-CLOSED-R-K_READ_DATA "                    \
      "T-CLOSED-R-K_READ_EOF")                                                                    \
    X(kernel_read_zero_bytes, "kernel",                                                           \
      "T-OPEN-R-K_READ_ZERO T-PAUSED-R-K_READ_ZERO T-OPEN-R-K_READ_EOF")                          \
    X(kernel_write_peer_while_closing, "kernel",                                                  \
      "T-CLOSING-W-K_WRITE_PEER T-CLOSED-W-K_WRITE_PEER T-DRAINING-W-K_WRITE_PEER")               \
    X(kernel_write_invalid_handle, "kernel",                                                      \
      "E-ERROR_INVALID_HANDLE T-OPEN-W-K_WRITE_ERROR T-DRAINING-W-K_WRITE_ERROR C-ERROR-W")       \
    X(child_find_filter, "child", "T-OPEN-R-K_READ_EOF T-DRAINING-W-FLUSHED")                     \
    X(child_cmd_writes, "child", "T-OPEN-R-K_READ_DATA T-OPEN-R-K_READ_EOF")                      \
    X(child_big_roundtrip, "child", "T-OPEN-R-K_READ_DATA T-DRAINING-W-FLUSHED")
/* clang-format on */

/* EVE_TESTS_WINSIM: native flavour only (defined EVE_TESTS_WITH_WINSIM). They drive winsim/
 * (fault injection, handle flags, the arguments ref/ passed to CreateNamedPipeW) to reach
 * what no real system does on demand; tests/conformance/mutant_kills.c. */
/* clang-format off */
#define EVE_TESTS_WINSIM(X)                                                                       \
    X(sim_error_table_read, "winsim",                                                             \
      "T-OPEN-R-K_READ_EOF T-OPEN-R-K_READ_ERROR T-OPEN-R-K_READ_CANCELLED "                      \
      "E-ERROR_BROKEN_PIPE E-ERROR_NO_DATA E-ERROR_PIPE_NOT_CONNECTED "                           \
      "E-ERROR_OPERATION_ABORTED E-ERROR_INVALID_HANDLE E-ERROR_ACCESS_DENIED "                   \
      "E-ERROR_INVALID_PARAMETER")                                                                \
    X(sim_error_table_write, "winsim",                                                            \
      "T-OPEN-W-K_WRITE_PEER T-OPEN-W-K_WRITE_ERROR T-OPEN-W-K_WRITE_CANCELLED "                  \
      "T-CLOSED-W-UNSENT E-ERROR_BROKEN_PIPE E-ERROR_NO_DATA E-ERROR_PIPE_NOT_CONNECTED "         \
      "E-ERROR_OPERATION_ABORTED E-ERROR_INVALID_HANDLE E-ERROR_ACCESS_DENIED "                   \
      "E-ERROR_INVALID_PARAMETER")                                                                \
    X(sim_pair_name_retry, "winsim",                                                              \
      "T-PAIR_EMPTY-A-PAIR_CREATE-PAIR_OK")                                                       \
    X(sim_pair_security_flags, "winsim",                                                          \
      "T-PAIR_EMPTY-A-PAIR_CREATE-PAIR_OK T-PAIR_FULL-A-PAIR_CLOSE")                              \
    X(sim_pair_not_inheritable, "winsim",                                                         \
      "T-PAIR_EMPTY-A-PAIR_CREATE-PAIR_OK T-PAIR_FULL-A-PAIR_CLOSE")                              \
    X(sim_read_fails_at_once, "winsim", "T-OPEN-R-K_READ_ERROR")                                  \
    X(sim_read_fails_at_once_paused, "winsim",                                                    \
      "T-OPEN-R-PAUSE T-PAUSED-R-K_READ_ERROR T-PAUSED-R-RESUME T-OPEN-R-K_READ_ERROR")           \
    X(sim_read_error_held_while_paused, "winsim",                                                 \
      "T-OPEN-R-PAUSE T-PAUSED-R-K_READ_ERROR T-PAUSED-R-RESUME T-OPEN-R-K_READ_ERROR")           \
    X(sim_later_read_fails_at_once, "winsim", "T-OPEN-R-K_READ_DATA T-OPEN-R-K_READ_ERROR")       \
    X(sim_wakeup_after_failed_post, "winsim", "")                                                 \
    X(sim_writable_at_low_water_exactly, "winsim",                                                \
      "T-OPEN-W-WRITE-WRITE_OVER T-OPEN-W-K_WRITE_FULL-WAKE T-OPEN-A-CLOSE T-CLOSED-W-UNSENT")    \
    X(sim_loop_close_reaps_disposed, "winsim",                                                    \
      "T-OPEN-A-DISPOSE T-PAUSED-A-DISPOSE T-CLOSED-A-LOOP_CLOSE")                                \
    X(sim_reused_value_after_failed_adopt, "winsim",                                              \
      "T-DETACHED-A-ADOPT_READ-ADOPT_OSERR T-DETACHED-A-ADOPT_READ-ADOPT_EBUSY "                  \
      "T-DETACHED-A-ADOPT_READ-ADOPT_EBADF T-DETACHED-A-ADOPT_READ-ADOPT_OK")                     \
    X(sim_write_end_without_read_attributes, "winsim", "T-DETACHED-A-ADOPT_WRITE-ADOPT_OSERR")    \
    X(sim_write_end_quota_zero, "winsim", "T-OPEN-A-CLOSE T-CLOSED-W-UNSENT C-PEER-R")            \
    X(sim_pair_squatted, "winsim",                                                                \
      "T-PAIR_EMPTY-A-PAIR_CREATE-PAIR_OK T-PAIR_EMPTY-A-PAIR_CREATE-PAIR_OSERR")
/* clang-format on */

#endif /* EVE_TESTS_TEST_LIST_H */
