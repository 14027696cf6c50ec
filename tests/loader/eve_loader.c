/* eve_loader.c: the runtime-pluggable implementation. Defines every eve_ function that
 * eve/loop.h and eve/pipe.h declare as a trampoline into a DLL loaded with LoadLibrary and
 * resolved with GetProcAddress, so the suite validates a prebuilt library (C, D, Rust,
 * Zig... exporting the C ABI) without being rebuilt. The DLL is EVE_IMPL_DLL from the
 * environment, else the default compiled in (ref's DLL). Every missing symbol is named, then
 * the process exits with status 2. Not eve_err_name, eve_strerror (eve/error.h) nor
 * eve_version (eve/version.h), which pipe.h includes: they are ref/'s utilities, the suite
 * never calls them, and an implementation need not export them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "eve/loop.h"
#include "eve/pipe.h"

#ifndef EVE_LOADER_DEFAULT_DLL
#define EVE_LOADER_DEFAULT_DLL "eve_pipe.dll"
#endif

#include "eve_loader_api.h"

typedef void (*eve_loader_fn)(void);

enum {
#define EVE_LOADER__IDX(ret, name, params, args) IDX_##name,
#define EVE_LOADER__VIDX(name, params, args) IDX_##name,
    EVE_LOADER_API(EVE_LOADER__IDX) EVE_LOADER_VOID_API(EVE_LOADER__VIDX) IDX_COUNT
};

static const char *const eve_loader_names[IDX_COUNT] = {
#define EVE_LOADER__NAME(ret, name, params, args) #name,
#define EVE_LOADER__VNAME(name, params, args) #name,
    EVE_LOADER_API(EVE_LOADER__NAME) EVE_LOADER_VOID_API(EVE_LOADER__VNAME)};

static eve_loader_fn eve_loader_fns[IDX_COUNT];
static volatile LONG eve_loader_state; /* 0 not loaded, 1 loading, 2 loaded */

/* A Unix path (Wine run from Linux) becomes a Z: path. */
static void eve_loader_path(const char *in, char *out, size_t cap)
{
    size_t i = 0;
    if (in[0] == '/' && cap > 2) {
        out[i++] = 'Z';
        out[i++] = ':';
    }
    for (; *in && i + 1 < cap; in++)
        out[i++] = *in == '/' ? '\\' : *in;
    out[i] = '\0';
}

/* Set by the suite's --impl before the first call; wins over EVE_IMPL_DLL. Exported from
 * the executable, so the suite can tell at run time that it is the loader build. */
static const char *eve_loader_chosen;

__declspec(dllexport) void eve_loader_use_dll(const char *path);
__declspec(dllexport) void eve_loader_use_dll(const char *path)
{
    eve_loader_chosen = path;
}

static void eve_loader_load(void)
{
    const char *want = eve_loader_chosen ? eve_loader_chosen : getenv("EVE_IMPL_DLL");
    char path[1024];
    HMODULE dll;
    int missing = 0, i;

    /* The first call wins; other threads wait (the suite's second thread calls too). */
    if (InterlockedCompareExchange(&eve_loader_state, 1, 0) != 0) {
        while (eve_loader_state != 2)
            Sleep(1);
        return;
    }
    eve_loader_path(want && *want ? want : EVE_LOADER_DEFAULT_DLL, path, sizeof path);
    dll = LoadLibraryA(path);
    if (dll == NULL) {
        fprintf(stderr, "eve_loader: cannot load %s (error %lu)\n", path,
                (unsigned long)GetLastError());
        exit(2);
    }
    for (i = 0; i < IDX_COUNT; i++) {
        eve_loader_fns[i] = (eve_loader_fn)GetProcAddress(dll, eve_loader_names[i]);
        if (eve_loader_fns[i] == NULL) {
            fprintf(stderr, "eve_loader: %s: missing symbol %s\n", path, eve_loader_names[i]);
            missing++;
        }
    }
    if (missing) {
        fprintf(stderr, "eve_loader: %s lacks %d of the %d eve_ symbols: not testable\n", path,
                missing, (int)IDX_COUNT);
        exit(2);
    }
    fprintf(stderr, "eve_loader: implementation under test: %s\n", path);
    eve_loader_state = 2;
}

#define EVE_LOADER__TRAMPOLINE(ret, name, params, args)                                           \
    ret name params                                                                               \
    {                                                                                             \
        if (eve_loader_state != 2)                                                                \
            eve_loader_load();                                                                    \
        return ((ret(*) params)eve_loader_fns[IDX_##name])args;                                   \
    }
EVE_LOADER_API(EVE_LOADER__TRAMPOLINE)

void eve_pipe_free(eve_pipe *p)
{
    if (eve_loader_state != 2)
        eve_loader_load();
    ((void (*)(eve_pipe *))eve_loader_fns[IDX_eve_pipe_free])(p);
}
