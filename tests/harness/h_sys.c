/* h_sys.c: threads, sleeping and a clock, for the thread tests and the watchdog; crash
 * capture for the runner; choosing the DLL under test (the loader build). */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "h.h"
#include "h_internal.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A crash ends the process once h_crash_report has recorded it: the state of an
 * implementation that faulted is not worth running more tests in, and the runner re-runs
 * whatever the process left without a result, one test per process. This replaces cmocka's
 * handler, which would mark the test failed and go on. */
static void (*h_crash_report)(const char *what);

static void h_crash_abort(int sig)
{
    (void)sig;
    h_crash_report("abort() called");
    _Exit(4);
}

#ifdef _WIN32
#include <windows.h>

static LONG WINAPI h_crash_filter(EXCEPTION_POINTERS *ep)
{
    char what[96];

    snprintf(what, sizeof what, "exception 0x%08lX at %p",
             (unsigned long)ep->ExceptionRecord->ExceptionCode,
             ep->ExceptionRecord->ExceptionAddress);
    h_crash_report(what);
    _Exit(4);
}

void h_catch_crashes(void (*report)(const char *what))
{
    h_crash_report = report;
    SetUnhandledExceptionFilter(h_crash_filter);
    signal(SIGABRT, h_crash_abort);
}

struct h_thread {
    HANDLE h;
    void (*fn)(void *);
    void *arg;
};

static DWORD WINAPI h_thread_main(LPVOID arg)
{
    h_thread *t = arg;
    t->fn(t->arg);
    return 0;
}

h_thread *h_thread_start(void (*fn)(void *), void *arg)
{
    h_thread *t = calloc(1, sizeof *t);

    ok(t != NULL, "out of memory");
    t->fn = fn;
    t->arg = arg;
    t->h = CreateThread(NULL, 0, h_thread_main, t, 0, NULL);
    ok(t->h != NULL, "CreateThread failed: %lu", (unsigned long)GetLastError());
    return t;
}

void h_thread_join(h_thread *t)
{
    WaitForSingleObject(t->h, INFINITE);
    CloseHandle(t->h);
    free(t);
}

void h_sleep_ms(unsigned ms)
{
    Sleep(ms);
}

long h_atomic_add(volatile long *counter, long delta)
{
    return InterlockedExchangeAdd((volatile LONG *)counter, delta) + delta;
}

unsigned long long h_now_ms(void)
{
    return GetTickCount64();
}

const char *h_platform(void)
{
    static char text[96];
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    const char *(*wine_version)(void) =
        (const char *(*)(void))(void (*)(void))GetProcAddress(ntdll, "wine_get_version");
    LONG(WINAPI * rtl_version)
    (OSVERSIONINFOW *) =
        (LONG(WINAPI *)(OSVERSIONINFOW *))(void (*)(void))GetProcAddress(ntdll, "RtlGetVersion");
    OSVERSIONINFOW v;

    memset(&v, 0, sizeof v);
    v.dwOSVersionInfoSize = sizeof v;
    if (wine_version != NULL)
        snprintf(text, sizeof text, "Wine %s", wine_version());
    else if (rtl_version != NULL && rtl_version(&v) == 0)
        snprintf(text, sizeof text, "Windows %lu.%lu.%lu", (unsigned long)v.dwMajorVersion,
                 (unsigned long)v.dwMinorVersion, (unsigned long)v.dwBuildNumber);
    else
        snprintf(text, sizeof text, "Windows");
    return text;
}

int h_use_impl_dll(const char *path)
{
    /* Only the suite linked with tests/loader exports this from its executable. */
    void (*use)(const char *) = (void (*)(const char *))(void (*)(void))GetProcAddress(
        GetModuleHandleA(NULL), "eve_loader_use_dll");
    if (use == NULL)
        return -1;
    use(path);
    return 0;
}

#else
#include <pthread.h>
#include <string.h>
#include <time.h>

static void h_crash_signal(int sig)
{
    char what[64];

    snprintf(what, sizeof what, "signal %d (%s)", sig, strsignal(sig));
    h_crash_report(what);
    _Exit(4);
}

void h_catch_crashes(void (*report)(const char *what))
{
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
    struct sigaction sa;
    size_t i;

    h_crash_report = report;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h_crash_signal;
    for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
    signal(SIGABRT, h_crash_abort);
}

struct h_thread {
    pthread_t t;
    void (*fn)(void *);
    void *arg;
};

static void *h_thread_main(void *arg)
{
    h_thread *t = arg;
    t->fn(t->arg);
    return NULL;
}

h_thread *h_thread_start(void (*fn)(void *), void *arg)
{
    h_thread *t = calloc(1, sizeof *t);
    int rc;

    ok(t != NULL, "out of memory");
    t->fn = fn;
    t->arg = arg;
    rc = pthread_create(&t->t, NULL, h_thread_main, t);
    ok(rc == 0, "pthread_create failed: %d", rc);
    return t;
}

void h_thread_join(h_thread *t)
{
    pthread_join(t->t, NULL);
    free(t);
}

void h_sleep_ms(unsigned ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

long h_atomic_add(volatile long *counter, long delta)
{
    return __atomic_add_fetch(counter, delta, __ATOMIC_SEQ_CST);
}

unsigned long long h_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000ULL + (unsigned long long)ts.tv_nsec / 1000000ULL;
}
int h_use_impl_dll(const char *path)
{
    (void)path;
    return -1;
}

const char *h_platform(void)
{
    return "winsim (native build)";
}

#endif

long h_atomic_get(volatile long *counter)
{
    return h_atomic_add(counter, 0);
}
