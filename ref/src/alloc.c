/* alloc.c: every allocation of ref/ goes through here, so a test or fuzzer can make any
 * of them fail (SQLite's fault-injecting malloc, in small). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* NULL means the C library's: a DLL import's address is no constant initializer. */
static eve__malloc_fn eve__malloc_hook;
static eve__free_fn eve__free_hook;

void eve__set_allocator(eve__malloc_fn malloc_fn, eve__free_fn free_fn)
{
    eve__malloc_hook = malloc_fn;
    eve__free_hook = free_fn;
}

void *eve__malloc(size_t size)
{
    if (size == 0)
        size = 1;
    return eve__malloc_hook ? eve__malloc_hook(size) : malloc(size);
}

void *eve__calloc(size_t size)
{
    void *p = eve__malloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

void eve__free(void *ptr)
{
    if (ptr == NULL)
        return;
    if (eve__free_hook)
        eve__free_hook(ptr);
    else
        free(ptr);
}
