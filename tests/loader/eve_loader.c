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
