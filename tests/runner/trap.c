/* trap.c: ref/ with one fault planted, for tests/runner's isolation tests. The
 * EVE_TRAP_AT-th (default 2nd) eve_loop_create of a process hangs (EVE_TRAP=hang) or raises
 * an access violation (EVE_TRAP=crash), once per run: the process that gets there first
 * creates the file EVE_TRAP_MARK, and none traps once it exists. Everything else is ref/,
 * whose loop.c this DLL builds with its eve_loop_create renamed. */
#include <eve/loop.h>

#include <stdlib.h>
#include <string.h>
#include <windows.h>

EVE_API int eve__trap_real_loop_create(eve_loop **out);

/* Creating the mark is the once-per-run test: CREATE_NEW fails when it exists. */
static int eve__trap_claim(void)
{
    const char *mark = getenv("EVE_TRAP_MARK");
    HANDLE h;

    if (mark == NULL)
        return 0;
    h = CreateFileA(mark, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return 0;
    CloseHandle(h);
    return 1;
}

EVE_API int eve_loop_create(eve_loop **out)
{
    static volatile LONG calls;
    const char *mode = getenv("EVE_TRAP"), *at = getenv("EVE_TRAP_AT");
    LONG n = InterlockedIncrement(&calls);

    if (mode != NULL && n == (at != NULL ? atol(at) : 2) && eve__trap_claim()) {
        if (strcmp(mode, "hang") == 0)
            Sleep(INFINITE);
        if (strcmp(mode, "crash") == 0)
            RaiseException(EXCEPTION_ACCESS_VIOLATION, 0, 0, NULL);
    }
    return eve__trap_real_loop_create(out);
}
