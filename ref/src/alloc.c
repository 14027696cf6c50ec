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

/* The smallest cached block that holds `need` with at most a quarter of it to spare, or
 * EVE__CACHE_SLOTS. */
static unsigned eve__block_fit(const eve__block_cache *cache, size_t need)
{
    unsigned best = EVE__CACHE_SLOTS;
    unsigned i;

    for (i = 0; i < cache->count; i++) {
        size_t size = cache->size[i];
        if (size >= need && size - need <= need / 4 &&
            (best == EVE__CACHE_SLOTS || size < cache->size[best]))
            best = i;
    }
    return best;
}

void *eve__block_get(struct eve_loop *loop, size_t need, size_t *size)
{
    void *block;

    if (loop != NULL && need >= EVE__BLOCK_MIN) {
        eve__block_cache *cache = &loop->cache;
        unsigned i = eve__block_fit(cache, need);
        if (i < EVE__CACHE_SLOTS) {
            block = cache->block[i];
            *size = cache->size[i];
            cache->count--;
            cache->block[i] = cache->block[cache->count];
            cache->size[i] = cache->size[cache->count];
            return block;
        }
    }
    block = eve__malloc(need);
    *size = block ? need : 0;
    return block;
}

void eve__block_put(struct eve_loop *loop, void *block, size_t size)
{
    eve__block_cache *cache;

    if (block == NULL)
        return;
    if (loop == NULL || size < EVE__BLOCK_MIN || size > EVE__CACHE_MAX_BLOCK ||
        loop->cache.count == EVE__CACHE_SLOTS) {
        eve__free(block);
        return;
    }
    cache = &loop->cache;
    cache->block[cache->count] = block;
    cache->size[cache->count] = size;
    cache->count++;
}

void eve__block_trim(struct eve_loop *loop)
{
    while (loop->cache.count > 0)
        eve__free(loop->cache.block[--loop->cache.count]);
}
