/* c_impl.c: the asio and asio-2t contenders: c_ref.c's code, unchanged, over the eve API of
 * the Asio adapter (tests/impl/asio), loaded at run time from eve_asio.dll beside
 * eve_bench.exe. Both implementations export the same eve_ names, so here every eve_ call
 * goes through a pointer that bench_impl_load resolves with GetProcAddress (the list is the
 * loader's, tests/loader/eve_loader_api.h). Idle memory is not measured: the heap counts
 * use ref/'s own allocation hook. */
#include <windows.h>

#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "eve_loader_api.h"

#define WHO "asio"

/* One pointer per function, named bench_impl_<function>. */
#define BENCH_IMPL_PTR(ret, name, params, args) static ret(*bench_impl_##name) params;
#define BENCH_IMPL_VPTR(name, params, args) static void(*bench_impl_##name) params;
EVE_LOADER_API(BENCH_IMPL_PTR)
EVE_LOADER_VOID_API(BENCH_IMPL_VPTR)

/* Resolve every function from eve_asio.dll; on failure the contenders measure nothing
 * (their columns show "-") and the reason is printed. Returns 0 when loaded. */
int bench_impl_load(void)
{
    HMODULE dll = LoadLibraryA("eve_asio.dll");
    int missing = 0;

    if (dll == NULL) {
        fprintf(stderr,
                "eve_bench: no eve_asio.dll beside eve_bench.exe (error %lu): no %s "
                "columns\n",
                (unsigned long)GetLastError(), WHO);
    } else {
#define BENCH_IMPL_RESOLVE(ret, name, params, args)                                               \
    {                                                                                             \
        FARPROC f = GetProcAddress(dll, #name);                                                   \
        missing |= f == NULL;                                                                     \
        memcpy(&bench_impl_##name, &f, sizeof f);                                                 \
    }
#define BENCH_IMPL_VRESOLVE(name, params, args) BENCH_IMPL_RESOLVE(void, name, params, args)
        EVE_LOADER_API(BENCH_IMPL_RESOLVE)
        EVE_LOADER_VOID_API(BENCH_IMPL_VRESOLVE)
        if (missing)
            fprintf(stderr, "eve_bench: eve_asio.dll lacks eve_ functions: no %s columns\n", WHO);
    }
    if (dll == NULL || missing) {
        bench_impl.stream = bench_impl.pingpong = bench_impl.wakeup = NULL;
        bench_impl2.stream = bench_impl2.pingpong = NULL;
        return 1;
    }
    return 0;
}

/* From here on, c_ref.c's eve_ calls are calls through the pointers. */
#define eve_loop_create bench_impl_eve_loop_create
#define eve_loop_run bench_impl_eve_loop_run
#define eve_loop_stop bench_impl_eve_loop_stop
#define eve_loop_wakeup bench_impl_eve_loop_wakeup
#define eve_loop_on_wakeup bench_impl_eve_loop_on_wakeup
#define eve_loop_close bench_impl_eve_loop_close
#define eve_pipe_create bench_impl_eve_pipe_create
#define eve_pipe_on_data bench_impl_eve_pipe_on_data
#define eve_pipe_on_writable bench_impl_eve_pipe_on_writable
#define eve_pipe_on_close bench_impl_eve_pipe_on_close
#define eve_pipe_on_error bench_impl_eve_pipe_on_error
#define eve_pipe_adopt_read bench_impl_eve_pipe_adopt_read
#define eve_pipe_adopt_write bench_impl_eve_pipe_adopt_write
#define eve_pipe_write bench_impl_eve_pipe_write
#define eve_pipe_close bench_impl_eve_pipe_close
#define eve_pipe_close_graceful bench_impl_eve_pipe_close_graceful
#define eve_pipe_free bench_impl_eve_pipe_free
#define eve_pipe_pair_create bench_impl_eve_pipe_pair_create
#define eve_pipe_pair_close bench_impl_eve_pipe_pair_close

#define EVE_BENCH_IMPL 1
#include "c_ref.c"
