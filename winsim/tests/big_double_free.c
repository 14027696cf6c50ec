/* big_double_free: freeing one of ref's large blocks twice must still abort under ASan,
 * although winsim keeps freed large blocks for reuse (src/ws_alloc.c). The abort is caught
 * here so ctest sees an exit, not a crash; winsim.big_double_free matches the message. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <winsim.h>

static void on_abort(int sig)
{
    static const char msg[] = "big_double_free: aborted\n";
    (void)sig;
    if (write(2, msg, sizeof msg - 1) < 0)
        _exit(3);
    _exit(0);
}

int main(void)
{
    void *p = winsim_malloc(200000);
    if (p == NULL)
        return 2;
    signal(SIGABRT, on_abort);
    winsim_free(p);
    winsim_free(p);
    printf("big_double_free: the second free returned\n");
    return 1;
}
