/* fz_env_winsim.c: the harness's environment on winsim/ (native builds): the input picks
 * the schedule seed and arms injected faults; the end of an input checks for leaked
 * handles and impossible waits. */
#include "fz.h"

#include <winsim.h>

/* ref/'s internal allocation hook (ref/src/internal.h): winsim_malloc makes every
 * allocation of ref/ a fault point named "malloc". */
void eve__set_allocator(void *(*malloc_fn)(size_t), void (*free_fn)(void *));

/* The calls the input may fault. Left out: CloseHandle and CancelIoEx, whose failure on a
 * valid handle with I/O pending Windows does not produce, and which would only make the
 * harness wait forever for a completion. */
static const char *const fz_fault_calls[] = {
    "ReadFile",
    "ReadFile@async",
    "WriteFile",
    "WriteFile@async",
    "CreateNamedPipeW",
    "CreateFileW",
    "ConnectNamedPipe",
    "CreateIoCompletionPort",
    "GetQueuedCompletionStatusEx",
    "GetNamedPipeInfo",
    "GetFileType",
    "SetHandleInformation",
    "BCryptGenRandom",
    "malloc",
    "PostQueuedCompletionStatus",
};
#define FZ_NCALLS (sizeof fz_fault_calls / sizeof fz_fault_calls[0])

void fz_env_init(void)
{
    eve__set_allocator(winsim_malloc, winsim_free);
}

void fz_env_begin(uint8_t seed_byte)
{
    /* 0 keeps winsim's "no choices" schedule; any other byte explores a seed of its own. */
    winsim_seed(seed_byte ? 0x9E3779B97F4A7C15ULL * seed_byte : 0);
    winsim_reset();
}

void fz_env_fault(uint8_t call, uint8_t nth, uint8_t error)
{
    const char *name = fz_fault_calls[call % FZ_NCALLS];
    size_t n = 0;
    const DWORD *errs = winsim_call_errors(name, &n);

    if (errs == NULL || n == 0)
        return;
    /* Counters run from the last reset: "nth" means the nth call from now. */
    winsim_fail(name, winsim_call_count(name) + 1 + (nth & 7), errs[error % n]);
}

unsigned fz_env_faults_fired(void)
{
    return winsim_faults_fired();
}

size_t fz_env_end(void)
{
    return winsim_reset();
}

int fz_env_async(void)
{
    return 0;
}

void fz_env_yield(void)
{
}

int fz_env_deadlocked(void)
{
    return winsim_deadlocks() > 0;
}
