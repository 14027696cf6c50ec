/* fz.h: the pipe fuzz harness, shared by the libFuzzer entry point and the replay driver.
 *
 * fz_run() decodes one input into a sequence of operations on up to FZ_MAX_PAIRS pipe
 * pairs of one loop, runs them through the public API, and checks after every step:
 * the spec monitor accepts the trace; every delivered byte is the next byte of its
 * stream; no callback after the close callback, a dispose or a free; at the end every
 * adopted, undisposed end got exactly one close callback, and a reader that saw EOF got
 * every accepted byte its writer did not count unsent. A failed check prints why and
 * aborts (libFuzzer then keeps the input as a crash).
 *
 * Input format (see fuzz/README.md): byte 0 picks the winsim seed, then opcodes, each
 * followed by its operand bytes (a missing operand reads as 0).
 */
#ifndef EVE_FUZZ_FZ_H
#define EVE_FUZZ_FZ_H

#include <stddef.h>
#include <stdint.h>

#define FZ_MAX_PAIRS 4
#define FZ_MAX_OPS 128

/* Run one input; returns 0 (a failed check does not return). */
int fz_run(const uint8_t *data, size_t size);

/* Name printed with a failure (the replay driver sets the file name). */
void fz_set_input_name(const char *name);

/* Called after a failure is printed, instead of abort() if it returns at all (the replay
 * driver's --expect-failure ends the process there with success). */
void fz_set_fail_hook(void (*hook)(void));

/* ---- the environment: winsim (fz_env_winsim.c) or real Win32 (fz_env_win32.c) ---- */

/* Once per process. */
void fz_env_init(void);
/* Start of an input: choose the schedule seed from the input's seed byte. */
void fz_env_begin(uint8_t seed_byte);
/* Arm a fault (call, nth call from now, error), each picked modulo its table. */
void fz_env_fault(uint8_t call, uint8_t nth, uint8_t error);
/* Armed faults that fired during this input (always 0 on real Win32). */
unsigned fz_env_faults_fired(void);
/* End of an input with everything closed: handles still open (0 on real Win32). */
size_t fz_env_end(void);
/* 1 when completions can arrive later on their own (real Win32): the harness may then
 * block in EVE_RUN_ONCE once nothing can stall, and yields before giving up on idle. */
int fz_env_async(void);
/* Give the kernel a moment to complete I/O (real Win32); nothing under winsim. */
void fz_env_yield(void);
/* 1 if the simulation saw a wait that could never end. */
int fz_env_deadlocked(void);

#endif /* EVE_FUZZ_FZ_H */
