/* fz_env_win32.c: the harness's environment on real Win32 (mingw, clang-cl; under Wine
 * here): no schedule control and no fault injection; the kernel completes I/O on its own
 * time, so the harness yields before deciding that nothing more will happen. */
#include "fz.h"

#include <windows.h>

void fz_env_init(void)
{
}

void fz_env_begin(uint8_t seed_byte)
{
    (void)seed_byte;
}

void fz_env_fault(uint8_t call, uint8_t nth, uint8_t error)
{
    (void)call;
    (void)nth;
    (void)error;
}

unsigned fz_env_faults_fired(void)
{
    return 0;
}

size_t fz_env_end(void)
{
    return 0;
}

int fz_env_async(void)
{
    return 1;
}

void fz_env_yield(void)
{
    Sleep(1);
}

int fz_env_deadlocked(void)
{
    return 0;
}
