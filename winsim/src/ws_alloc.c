/* ws_alloc.c: large blocks (ref's read buffers and write batches, the simulated kernel's
 * copies of pending writes) recycled from one winsim_reset to the next under
 * AddressSanitizer.
 *
 * Why: ASan maps every block over 128 KiB on its own, and poisons, faults in and unmaps it
 * again, so a fuzzer input that opened one pair with ref's 256 KiB defaults spent a fifth
 * of its time in mmap, munmap and page faults. Checks kept: a freed block stays poisoned
 * until the reset that ends its run (a stale pointer inside one run still faults, as
 * use-after-poison); the rest of its size class past the size asked for is poisoned, and
 * ASan's own redzone follows it (overruns fault); a reused block reads as a new one (ASan's
 * fill, then zeros), whatever the input before it wrote; a block is only referenced here
 * while freed, so LeakSanitizer still reports one that ref loses (at exit: libFuzzer's
 * per-input leak check counts only mallocs and frees that reach ASan); freeing a block
 * twice still aborts. Without ASan (plain, valgrind) this is malloc and free. */
#define _GNU_SOURCE /* madvise */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ws_internal.h"

#ifdef WS_ASAN
/* From <sanitizer/allocator_interface.h>, which gcc does not install; both runtimes have
 * them. */
int __sanitizer_get_ownership(const volatile void *p);
size_t __sanitizer_get_allocated_size(const volatile void *p);

#define WS_BIG_MIN_LOG 17 /* classes 128 KiB .. 1 MiB, for requests over 64 KiB */
#define WS_BIG_CLASSES 4
#define WS_BIG_SLOTS 8
#define WS_FILL_BYTES 4096 /* ASan's max_malloc_fill_size */
#define WS_FILL_BYTE 0xbe  /* ASan's malloc_fill_byte */

typedef struct ws_big_list {
    void *slot[WS_BIG_SLOTS];
    unsigned n;
} ws_big_list;

static struct {
    pthread_mutex_t mu;
    ws_big_list ready[WS_BIG_CLASSES];   /* freed before the last reset: reusable */
    ws_big_list pending[WS_BIG_CLASSES]; /* freed since: poisoned until the next reset */
} ws_big = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* The size of the blocks of class k. */
static size_t ws_big_cap(int k)
{
    return (size_t)1 << (WS_BIG_MIN_LOG + k);
}

/* The class of a request, -1 for those ASan's own allocator serves well. */
static int ws_big_class_of(size_t size)
{
    int k;
    if (size <= ws_big_cap(0) / 2)
        return -1;
    for (k = 0; k < WS_BIG_CLASSES; k++)
        if (size <= ws_big_cap(k))
            return k;
    return -1;
}

/* A block's class, from the size it was allocated with; -1 for a pointer ASan does not
 * own, so that ASan's free reports it as it would have. */
static int ws_big_class_of_block(void *ptr)
{
    size_t cap;
    int k;
    if (!__sanitizer_get_ownership(ptr))
        return -1;
    cap = __sanitizer_get_allocated_size(ptr);
    k = ws_big_class_of(cap);
    return k >= 0 && cap == ws_big_cap(k) ? k : -1;
}

/* Zeros n bytes at q. Whole pages are handed back to the kernel instead, which maps zeros
 * again only where the next owner touches: most inputs touch a few pages of a 256 KiB
 * read buffer, and a memset of all of it cost a fifth of a short input. */
static void ws_big_zero(char *q, size_t n)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = ((uintptr_t)q + page - 1) & ~(page - 1);
    uintptr_t hi = ((uintptr_t)q + n) & ~(page - 1);

    if (hi > lo && madvise((void *)lo, hi - lo, MADV_DONTNEED) == 0) {
        memset(q, 0, lo - (uintptr_t)q);
        memset((void *)hi, 0, (uintptr_t)q + n - hi);
    } else {
        memset(q, 0, n);
    }
}

/* Pops a block, clearing its slot: a stale pointer here would hide a leak from LSan. */
static void *ws_big_pop(ws_big_list *l)
{
    void *p = l->slot[--l->n];
    l->slot[l->n] = NULL;
    return p;
}

void *ws_big_malloc(size_t size, int overwritten)
{
    int k = ws_big_class_of(size);
    size_t cap;
    void *p = NULL;

    if (k < 0)
        return malloc(size);
    cap = ws_big_cap(k);
    pthread_mutex_lock(&ws_big.mu);
    if (ws_big.ready[k].n > 0)
        p = ws_big_pop(&ws_big.ready[k]);
    pthread_mutex_unlock(&ws_big.mu);
    if (p != NULL) {
        /* As ASan hands out a block it maps: its fill, then the zeros of a new mapping, so
         * what a buggy read sees never depends on an earlier input. */
        size_t fill = size < WS_FILL_BYTES ? size : WS_FILL_BYTES;
        WS_UNPOISON(p, size);
        if (!overwritten) {
            ws_big_zero((char *)p + fill, size - fill);
            memset(p, WS_FILL_BYTE, fill);
        }
    } else if ((p = malloc(cap)) == NULL) {
        return NULL;
    }
    WS_POISON((char *)p + size, cap - size);
    return p;
}

static void ws_big_double_free(void *ptr, int k)
{
    fprintf(stderr, "winsim: double free of a %zu-byte block at %p\n", ws_big_cap(k), ptr);
    __asan_describe_address(ptr);
    abort();
}

void ws_big_free(void *ptr)
{
    int k;
    if (ptr == NULL)
        return;
    k = ws_big_class_of_block(ptr);
    if (k >= 0) {
        pthread_mutex_lock(&ws_big.mu);
        /* A live block of a class is never poisoned at its start: it is over 64 KiB. */
        if (__asan_address_is_poisoned(ptr))
            ws_big_double_free(ptr, k);
        if (ws_big.pending[k].n < WS_BIG_SLOTS) {
            WS_POISON(ptr, ws_big_cap(k));
            ws_big.pending[k].slot[ws_big.pending[k].n++] = ptr;
            ptr = NULL;
        }
        pthread_mutex_unlock(&ws_big.mu);
    }
    free(ptr);
}

void ws_big_reset(void)
{
    int k;
    pthread_mutex_lock(&ws_big.mu);
    for (k = 0; k < WS_BIG_CLASSES; k++) {
        ws_big_list *from = &ws_big.pending[k], *to = &ws_big.ready[k];
        while (from->n > 0) {
            void *p = ws_big_pop(from);
            if (to->n < WS_BIG_SLOTS)
                to->slot[to->n++] = p;
            else
                free(p);
        }
    }
    pthread_mutex_unlock(&ws_big.mu);
}

#else

void *ws_big_malloc(size_t size, int overwritten)
{
    (void)overwritten;
    return malloc(size);
}

void ws_big_free(void *ptr)
{
    free(ptr);
}

void ws_big_reset(void)
{
}

#endif
