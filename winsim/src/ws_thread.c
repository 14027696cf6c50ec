/* ws_thread.c: CreateThread and WaitForSingleObject on thread handles, over pthreads, so
 * Windows-API tests (the wakeup test) build natively. Threads are the one source of
 * nondeterminism winsim does not control. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "ws_internal.h"

struct ws_thread {
    pthread_t t;
    LPTHREAD_START_ROUTINE fn;
    LPVOID arg;
    int done;
    int refs; /* the handle and the running thread */
    DWORD code;
};

static void ws_thread_unref(ws_thread *t)
{
    if (--t->refs == 0) {
        pthread_detach(t->t);
        free(t);
    }
}

static void *ws_thread_main(void *arg)
{
    ws_thread *t = arg;
    DWORD code = t->fn(t->arg);
    ws_lock();
    t->code = code;
    t->done = 1;
    pthread_cond_broadcast(&ws_g.changed);
    ws_thread_unref(t);
    ws_unlock();
    return NULL;
}

HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize,
                           LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter,
                           DWORD dwCreationFlags, LPDWORD lpThreadId)
{
    ws_thread *t = NULL;
    HANDLE h = NULL;
    DWORD err = 0;
    (void)lpThreadAttributes;
    (void)dwStackSize;
    (void)dwCreationFlags;
    ws_lock();
    if (ws_fault(WS_CALL_CreateThread, &err)) {
        /* injected */
    } else if ((t = calloc(1, sizeof *t)) == NULL || (h = ws_handle_new(WS_THREAD, t)) == NULL) {
        err = ERROR_NOT_ENOUGH_MEMORY;
    } else {
        t->fn = lpStartAddress;
        t->arg = lpParameter;
        t->refs = 2;
        if (pthread_create(&t->t, NULL, ws_thread_main, t) != 0) {
            ws_handle_free(h);
            h = NULL;
            err = ERROR_NOT_ENOUGH_MEMORY;
        } else {
            t = NULL;
        }
    }
    if (err)
        free(t);
    if (h && lpThreadId)
        *lpThreadId = (DWORD)(uintptr_t)h;
    ws_unlock();
    if (err)
        SetLastError(err);
    return h;
}

void ws_thread_close(ws_thread *t)
{
    ws_thread_unref(t);
}

DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds)
{
    ws_thread *t;
    DWORD rc = WAIT_OBJECT_0;
    struct timespec ts;
    ws_lock();
    t = ws_handle_get(hHandle, WS_THREAD);
    if (t == NULL) {
        ws_unlock();
        SetLastError(ERROR_INVALID_HANDLE); /* only thread handles are waitable here */
        return WAIT_FAILED;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += dwMilliseconds / 1000;
    ts.tv_nsec += (long)(dwMilliseconds % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    t->refs++;
    while (!t->done && rc == WAIT_OBJECT_0) {
        if (dwMilliseconds == INFINITE)
            pthread_cond_wait(&ws_g.changed, &ws_g.mu);
        else if (pthread_cond_timedwait(&ws_g.changed, &ws_g.mu, &ts) == ETIMEDOUT)
            rc = WAIT_TIMEOUT;
    }
    ws_thread_unref(t);
    ws_unlock();
    return rc;
}
