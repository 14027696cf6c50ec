/* A pipe.h whose max_write_batch default disagrees with spec/DECISIONS.md item 8 (as a
 * copy of the defaults once did): spec.lint.defaults.rejects must name it. */
#define EVE_PIPE_DEFAULT_BUFFER_SIZE ((size_t)256 * 1024)
#define EVE_PIPE_DEFAULT_HIGH_WATER ((size_t)1024 * 1024)
#define EVE_PIPE_DEFAULT_LOW_WATER_DIVISOR 4
#define EVE_PIPE_DEFAULT_MAX_WRITE_BATCH ((size_t)1024 * 1024)
