/* winsim.h: controls of the Win32 simulation, for winsim-only tests and harnesses.
 *
 * Determinism: every choice among behaviours Windows allows comes from one generator,
 * seeded by winsim_seed() or, at first use, by the environment variable WINSIM_SEED.
 * Seed 0 (the default) makes no choices: completions are reported at once when they can
 * be, reads return everything available, packets are queued in completion order.
 * Any other seed explores: an operation that completed may still report ERROR_IO_PENDING
 * (its packet is queued all the same), reads may return fewer bytes than available (off
 * with WINSIM_SHORT_READS=0: an in-process byte-mode read returns all it can; pieces are
 * what a reader of another process's writes sees), packets of operations completing in the
 * same call are queued in a shuffled order (each handle's own order kept), and
 * GetQueuedCompletionStatusEx may remove fewer entries than it could.
 * Same seed and same calls: same trace (winsim_trace_hash()).
 *
 * Faults: winsim_fail("WriteFile", 3, ERROR_NO_SYSTEM_RESOURCES) makes the 3rd WriteFile
 * (counting from the last winsim_reset) fail at once with that error. The call name
 * "WriteFile@async" instead makes that call return ERROR_IO_PENDING and complete with the
 * error (0 bytes, no data moved). winsim_sweep_points() lists, after a clean run, every
 * (call, nth, documented error) of that run, to re-run the scenario once per point.
 */
#ifndef WINSIM_H
#define WINSIM_H

#include <stddef.h>
#include <stdint.h>

#include <windows.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Choose the seed (see above). Also resets the trace hash. */
void winsim_seed(uint64_t seed);
uint64_t winsim_current_seed(void);

/* Close every handle, drop every pipe name, queued packet, fault and counter; keep the
 * seed (the generator restarts from it). Returns how many handles were still open: a
 * leak check for a scenario that should have closed everything. */
size_t winsim_reset(void);

/* Handles currently open (pipe ends, ports, threads). */
size_t winsim_open_handles(void);

/* Arm a fault: the nth (1-based) call of `call`, counted since the last winsim_reset
 * (winsim_call_count tells how many were made so far), fails with `error`. Several faults may be
 * armed. 0 on success, -1 for an unknown call name or nth 0. For BCryptGenRandom the error is an
 * NTSTATUS. */
int winsim_fail(const char *call, unsigned nth, DWORD error);
void winsim_fail_clear(void);
/* How many armed faults have fired since the last reset. */
unsigned winsim_faults_fired(void);

/* Invocations of `call` since the last reset (the "@async" names count the same calls
 * as their plain name). */
unsigned winsim_call_count(const char *call);

typedef struct winsim_fault_point {
    const char *call; /* a name winsim_fail accepts (static storage) */
    unsigned nth;
    DWORD error;
} winsim_fault_point;

/* Every fault point of the calls made since the last reset: for each faultable call,
 * each invocation 1..count, each error Windows documents for that call. Writes up to cap
 * points into out (out may be NULL) and returns the total. */
size_t winsim_sweep_points(winsim_fault_point *out, size_t cap);

/* The documented errors of a faultable call (NULL and *n = 0 if unknown). */
const DWORD *winsim_call_errors(const char *call, size_t *n);

/* Handle values. By default a closed handle's value is never given out again (until
 * winsim_reset), so a stale handle fails with ERROR_INVALID_HANDLE. Windows and Wine reuse
 * a freed value at once: with on = 1 the next handle gets the value closed last, so a test
 * can show what a stale value reaches. */
void winsim_reuse_handle_values(int on);

/* Another process. Ends it creates report this id from GetNamedPipe*ProcessId; the
 * simulated process is GetCurrentProcessId(). */
#define WINSIM_OTHER_PROCESS_ID 0x4321u

/* A squatter: the next `count` CreateNamedPipeW calls find their name already created by
 * WINSIM_OTHER_PROCESS_ID, PIPE_ACCESS_INBOUND, with PIPE_UNLIMITED_INSTANCES and one
 * instance listening (as a squatter that predicted the name would). What the call then does
 * depends on the platform modelled: WINSIM_SQUAT_WINDOWS  FILE_FLAG_FIRST_PIPE_INSTANCE is
 * honoured: ERROR_ACCESS_DENIED; WINSIM_SQUAT_WINE     (Wine 8) it is ignored, and so is
 * nMaxInstances 1, when the existing pipe allows unlimited instances and the call asks for the
 *                        same direction (inbound): the call returns a second instance
 *                        (error 0), and a client opening the name connects to the first
 *                        listening instance, the squatter's;
 *  WINSIM_SQUAT_SEEDED   one of the two, per squatted name, chosen by the seed (seed 0:
 *                        Windows).
 * 0, or -1 for an unknown platform. winsim_reset ends the squatting. */
typedef enum winsim_squat_platform {
    WINSIM_SQUAT_WINDOWS = 0,
    WINSIM_SQUAT_WINE = 1,
    WINSIM_SQUAT_SEEDED = 2,
    WINSIM_SQUAT_RACE = 3
} winsim_squat_platform;
int winsim_squat(unsigned count, winsim_squat_platform platform);

/* WINSIM_SQUAT_RACE models a platform that enforces neither FILE_FLAG_FIRST_PIPE_INSTANCE nor
 * the instance limit: the squatter does not create names first, it adds an instance to each
 * of the next `count` names this process opens a client on, just before the client connects
 * (after any check of the server instance), and the client reaches the squatter's.
 *
 * Clients of this process that reached a squatter's instance since the last reset. */
unsigned winsim_squatter_clients(void);

/* A malloc/free pair for ref's allocation hook (eve__set_allocator): each winsim_malloc
 * counts as a call of "malloc", so the sweep can fail any of ref's allocations. */
void *winsim_malloc(size_t size);
void winsim_free(void *ptr);

/* Trace: a hash of every simulated call, its arguments that matter and its outcome, and
 * of every packet dequeued. With WINSIM_TRACE=1 in the environment (or
 * winsim_trace_print(1)) each event is also printed to stderr. */
uint64_t winsim_trace_hash(void);
void winsim_trace_print(int on);

/* Each traced event, as the text WINSIM_TRACE prints ("WriteFile 7 4096 -> 997 (0)": call,
 * handle, arguments, error, bytes; pipe names in ASCII), handed to `sink` as it happens, on
 * the calling thread with winsim's lock held: the sink must not call back into winsim or
 * the program under test. For tests of what a program asks of Win32 (the sizes of its
 * reads and writes, the names and modes of its pipes). NULL stops. */
typedef void (*winsim_trace_sink_fn)(const char *event, void *ctx);
void winsim_trace_sink(winsim_trace_sink_fn sink, void *ctx);

/* Times the simulation found a wait that could never end (a single-threaded
 * GetQueuedCompletionStatus(Ex) with INFINITE and nothing queued or in flight, or a
 * synchronous ReadFile/WriteFile that would block forever); each is also reported on
 * stderr. The wait then returns WAIT_TIMEOUT (the blocking I/O ERROR_OPERATION_ABORTED). */
unsigned winsim_deadlocks(void);

#ifdef __cplusplus
}
#endif

#endif /* WINSIM_H */
