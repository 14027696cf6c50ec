/* alloc_errors MODE: a memory error ASan must still report although winsim recycles
 * ref's large blocks (src/ws_alloc.c). ASan builds only; each mode is a ctest that matches
 * the report:
 *   double-free-big    a recycled-size block freed twice: winsim's own abort
 *   double-free-small  a small block freed twice: ASan's report, untouched by winsim
 *   leak-recycled      a block reused after a reset, then lost: LeakSanitizer at exit
 * winsim's abort is caught here, so ctest sees an exit and the message, not a crash. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <winsim.h>

static void *volatile sink;

static void on_abort(int sig)
{
    static const char msg[] = "alloc_errors: aborted\n";
    (void)sig;
    if (write(2, msg, sizeof msg - 1) < 0)
        _exit(3);
    _exit(0);
}

static void double_free(size_t size)
{
    void *p = winsim_malloc(size);
    if (p == NULL)
        _exit(2);
    winsim_free(p);
    winsim_free(p);
}

/* On a thread of its own: once it has ended, no stale copy of the pointer (the poisoned
 * tail's address, say) on a live stack can make the block look reachable. */
static void *lose_recycled(void *arg)
{
    (void)arg;
    sink = winsim_malloc(200000);
    winsim_free(sink);
    winsim_reset();
    sink = winsim_malloc(200000); /* the same block, from the ready list */
    sink = NULL;
    return NULL;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    signal(SIGABRT, on_abort);
    if (strcmp(mode, "double-free-big") == 0) {
        double_free(200000);
    } else if (strcmp(mode, "double-free-small") == 0) {
        double_free(100);
    } else if (strcmp(mode, "leak-recycled") == 0) {
        pthread_t t;
        if (pthread_create(&t, NULL, lose_recycled, NULL) != 0 || pthread_join(t, NULL) != 0)
            return 2;
        return 0;
    } else {
        fprintf(stderr, "usage: alloc_errors double-free-big|double-free-small|leak-recycled\n");
        return 2;
    }
    printf("alloc_errors: the second free returned\n");
    return 1;
}
