/* h_internal.h: state shared by the harness files (not for tests). */
#ifndef EVE_TESTS_H_INTERNAL_H
#define EVE_TESTS_H_INTERNAL_H

#include "h.h"

typedef struct h_current {
    const h_test_entry *entry;
    int in_cb;   /* depth of harness callback trampolines */
    int in_call; /* depth of public eve_pipe_* calls made through the wrappers */
    int soft_count;
    char soft_msg[4096]; /* the first failure inside a callback */
    char fail_msg[4096]; /* the first failure: a monitor verdict carries a trace */
    int skipped;
    int reached_end;
    void **pipes; /* h_pipe * */
    size_t npipes, cpipes;
    void **loops; /* eve_loop * */
    size_t nloops, cloops;
    void **allocs;
    size_t nallocs, callocs;
} h_current;

extern h_current h_cur;

void h_begin(const h_test_entry *e);
void h_cleanup(void);
/* Keep the first failure message of the running test for the results file. */
void h_note_failure(const char *file, int line, const char *msg);

/* From now on a crash (an exception, a fatal signal, abort()) calls report with what
 * happened and ends the process with status 4. Called as each test starts: cmocka installs
 * its own handlers before every test. */
void h_catch_crashes(void (*report)(const char *what));

/* Portable clock for the watchdog only (never for assertions). */
unsigned long long h_now_ms(void);
/* What the tests run on: "Wine 8.0", "Windows 10.0.19045", "winsim (Linux)". */
const char *h_platform(void);
/* --impl: make the loader load PATH. -1 if this suite is linked with its implementation. */
int h_use_impl_dll(const char *path);

#endif /* EVE_TESTS_H_INTERNAL_H */
