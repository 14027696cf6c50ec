/* h_main.c: the suite's executable. Builds the cmocka group from test-list.h, runs one area
 * or one test (less any excluded), writes every result and every row the monitor saw to a
 * results file for tests/report, ends the process with a "timeout" result when a test
 * outlives its deadline (a watchdog, never an assertion on time) and with a "crash" result
 * when one faults. tests/runner/run-suite re-runs what such a process left without a
 * result, one test per process. */
#include "h.h"
#include "h_internal.h"
#include "monitor_port.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define H__ENTRY(id, area, rows) {#id, area, rows, eve_test_##id},
static const h_test_entry h_all[] = {EVE_TESTS_COMMON(H__ENTRY)
#ifdef _WIN32
                                         EVE_TESTS_WIN32(H__ENTRY)
#endif
#ifdef EVE_TESTS_WITH_WINSIM
                                             EVE_TESTS_WINSIM(H__ENTRY)
#endif
};
#undef H__ENTRY

static FILE *h_results;
/* The watchdog also counts its own sleeps: under Wine, h_now_ms() (GetTickCount64) only
 * advances while the wineserver runs, so a wineserver that died or stalled froze it and
 * the watchdog never fired. Elapsed = the larger of the clock and the count. */
#define H_WD_TICK_MS 500
static volatile unsigned long h_wd_gen; /* bumped as each test starts */
static volatile int h_wd_running;
static volatile const char *h_wd_test;
#define H_DEFAULT_DEADLINE_S 240 /* run directly; tests/runner/run-suite passes its own */
static unsigned long long h_wd_limit_ms = H_DEFAULT_DEADLINE_S * 1000ULL;
static unsigned long long h_test_t0; /* h_now_ms() as the running test started */
static int h_fail_fast;              /* --fail-fast: end the process at the first failure */

void h_note_failure(const char *file, int line, const char *msg)
{
    if (h_cur.fail_msg[0] == '\0')
        snprintf(h_cur.fail_msg, sizeof h_cur.fail_msg, "%s:%d: %s", file, line, msg);
}

/* One line per field, tab separated; messages lose their tabs and newlines. */
static void h_put_clean(const char *s)
{
    for (; s != NULL && *s; s++)
        fputc((*s == '\t' || *s == '\n' || *s == '\r') ? ' ' : *s, h_results);
}

static void h_row_seen(const char *row_id, unsigned hits, void *ctx)
{
    const h_test_entry *e = ctx;
    if (h_results != NULL && hits > 0)
        fprintf(h_results, "row\t%s\t%s\t%u\n", e->id, row_id, hits);
}

/* A crash ends the process (h_catch_crashes): record it as the running test's result. */
static void h_crashed(const char *what)
{
    const char *id = (const char *)h_wd_test;

    fflush(stdout);
    fprintf(stderr, "crash: test %s: %s\n", id, what);
    if (h_results != NULL) {
        fprintf(h_results, "test\t%s\tcrash\t%s\n", id, what);
        fflush(h_results);
    }
}

static void h_tramp(void **state)
{
    const h_test_entry *e = *state;

    h_catch_crashes(h_crashed);
    h_wd_test = e->id;
    h_wd_gen++;
    h_test_t0 = h_now_ms();
    h_wd_running = 1;
    h_begin(e);
    e->fn();
    h_check_soft(__FILE__, __LINE__);
    h_cur.reached_end = 1;
}

static int h_teardown(void **state)
{
    const h_test_entry *e = *state;
    const char *status = h_cur.skipped ? "skip" : h_cur.reached_end ? "pass" : "fail";

    hm_end(h_row_seen, (void *)e);
    h_cleanup();
    h_wd_running = 0;
    if (h_results != NULL) {
        fprintf(h_results, "time\t%s\t%llu\n", e->id, h_now_ms() - h_test_t0);
        fprintf(h_results, "test\t%s\t%s\t", e->id, status);
        h_put_clean(h_cur.reached_end ? "" : h_cur.fail_msg);
        fputc('\n', h_results);
        fflush(h_results);
    }
    if (h_fail_fast && !h_cur.skipped && !h_cur.reached_end) {
        fflush(stdout);
        fprintf(stderr, "--fail-fast: %s failed, stopping\n", e->id);
        _Exit(1);
    }
    return 0;
}

static void h_watchdog(void *arg)
{
    unsigned long gen = 0;
    unsigned long long t0 = 0, counted = 0, elapsed;

    (void)arg;
    for (;;) {
        h_sleep_ms(H_WD_TICK_MS);
        if (!h_wd_running || gen != h_wd_gen) {
            gen = h_wd_gen;
            t0 = h_now_ms();
            counted = 0;
            continue;
        }
        counted += H_WD_TICK_MS;
        elapsed = h_now_ms() - t0;
        if (elapsed < counted)
            elapsed = counted;
        if (elapsed > h_wd_limit_ms) {
            const char *id = (const char *)h_wd_test;
            fprintf(stderr, "watchdog: test %s still running after %llu s: timeout\n", id,
                    h_wd_limit_ms / 1000);
            if (h_results != NULL) {
                fprintf(h_results,
                        "test\t%s\ttimeout\tstill running after its deadline of %llu s\n", id,
                        h_wd_limit_ms / 1000);
                fflush(h_results);
            }
            fflush(stdout);
            _Exit(3);
        }
    }
}

/* The compiler this suite was built with, for the report's run information. */
#define H__STR2(x) #x
#define H__STR(x) H__STR2(x)
#if defined(__clang__) && defined(_MSC_VER)
#define H_TOOLCHAIN "clang-cl " __clang_version__
#elif defined(__clang__)
#define H_TOOLCHAIN "clang " __clang_version__
#elif defined(__MINGW64__)
#define H_TOOLCHAIN "mingw-w64 gcc " __VERSION__
#elif defined(__GNUC__)
#define H_TOOLCHAIN "gcc " __VERSION__
#elif defined(_MSC_VER)
#define H_TOOLCHAIN "MSVC " H__STR(_MSC_FULL_VER)
#else
#define H_TOOLCHAIN "unknown C compiler"
#endif

static void h_put_unobservable(const char *row_id, void *ctx)
{
    (void)ctx;
    fprintf(h_results, "unobservable\t%s\n", row_id);
}

/* The run information and the rows the monitor can never see, ahead of the results. */
static void h_results_header(const char *impl_version)
{
    fprintf(h_results, "impl\t%s\tmonitor\tspec\tdeadline\t%llu\n", impl_version,
            h_wd_limit_ms / 1000);
    fprintf(h_results, "run\tflavour\t%s\n", EVE_HARNESS_FLAVOUR);
    fprintf(h_results, "run\ttoolchain\t%s\n", H_TOOLCHAIN);
    fprintf(h_results, "run\tplatform\t%s\n", h_platform());
    hm_unobservable_rows(h_put_unobservable, NULL);
    fflush(h_results);
}

/* Built with AddressSanitizer (gcc says __SANITIZE_ADDRESS__, clang __has_feature). */
#if defined(__SANITIZE_ADDRESS__)
#define H_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define H_LSAN 1
#endif
#endif
#ifdef H_LSAN
#include <sanitizer/lsan_interface.h>
static void h_leak_check(void)
{
    __lsan_do_leak_check();
}
#else
static void h_leak_check(void)
{
}
#endif

static int h_usage(FILE *to, int status)
{
    fprintf(to,
            "eve_conformance: the eve-pipe %s conformance suite, spec %s\n"
            "usage: eve_conformance [--impl DLL] [--list] [--area AREA] [--test ID]\n"
            "                       [--exclude ID]... [--results FILE] [--deadline SECONDS]\n"
            "                       [--fail-fast]\n"
            "  --impl: the implementation DLL to test (the suite built with tests/loader;\n"
            "          default EVE_IMPL_DLL, else the reference DLL it was built with)\n"
            "  --deadline: seconds a test may run before it ends the process as a timeout\n"
            "              (default %d, or EVE_TEST_DEADLINE)\n"
            "  --fail-fast: end the process at the first failed test (mutation testing)\n",
            EVE_VERSION_STRING, EVE_SPEC_VERSION, H_DEFAULT_DEADLINE_S);
    return status;
}

static int h_excluded(const char *id, const char **excluded, int nexcluded)
{
    int i;
    for (i = 0; i < nexcluded; i++)
        if (strcmp(excluded[i], id) == 0)
            return 1;
    return 0;
}

static int h_major(const char *v)
{
    return v != NULL ? atoi(v) : -1;
}

int main(int argc, char **argv)
{
    const char *area = NULL, *only = NULL, *results = NULL, *impl = NULL;
    const char *dl = getenv("EVE_TEST_DEADLINE");
    size_t n = sizeof h_all / sizeof h_all[0], i, count = 0;
    struct CMUnitTest *tests;
    const char *v, *excluded[256];
    int list = 0, a, failed, nexcluded = 0;

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--list") == 0)
            list = 1;
        else if (strcmp(argv[a], "--area") == 0 && a + 1 < argc)
            area = argv[++a];
        else if (strcmp(argv[a], "--test") == 0 && a + 1 < argc)
            only = argv[++a];
        else if (strcmp(argv[a], "--results") == 0 && a + 1 < argc)
            results = argv[++a];
        else if (strcmp(argv[a], "--exclude") == 0 && a + 1 < argc && nexcluded < 256)
            excluded[nexcluded++] = argv[++a];
        else if (strcmp(argv[a], "--deadline") == 0 && a + 1 < argc)
            dl = argv[++a];
        else if (strcmp(argv[a], "--impl") == 0 && a + 1 < argc)
            impl = argv[++a];
        else if (strcmp(argv[a], "--fail-fast") == 0)
            h_fail_fast = 1;
        else if (strcmp(argv[a], "--help") == 0)
            return h_usage(stdout, 0);
        else
            return h_usage(stderr, 2);
    }
    if (impl != NULL && h_use_impl_dll(impl) != 0) {
        fprintf(stderr, "--impl: this suite is linked with its implementation; use the one "
                        "built with tests/loader (eve_conformance_dll)\n");
        return 2;
    }
    if (dl != NULL && atoi(dl) > 0)
        h_wd_limit_ms = (unsigned long long)atoi(dl) * 1000ULL;
    if (list) {
        for (i = 0; i < n; i++)
            printf("%s\t%s\t%s\n", h_all[i].id, h_all[i].area, h_all[i].rows);
        return 0;
    }
    v = eve_spec_version();
    if (h_major(v) != h_major(EVE_SPEC_VERSION)) {
        fprintf(stderr, "implementation declares spec %s, the suite is for %s: refusing\n",
                v ? v : "(null)", EVE_SPEC_VERSION);
        return 2;
    }
    tests = calloc(n, sizeof *tests);
    if (tests == NULL)
        return 2;
    for (i = 0; i < n; i++) {
        if ((area && strcmp(area, h_all[i].area) != 0) || (only && strcmp(only, h_all[i].id)) ||
            h_excluded(h_all[i].id, excluded, nexcluded))
            continue;
        tests[count].name = h_all[i].id;
        tests[count].test_func = h_tramp;
        tests[count].teardown_func = h_teardown;
        tests[count].initial_state = (void *)&h_all[i];
        count++;
    }
    if (count == 0) {
        fprintf(stderr, "no test matches\n");
        free(tests);
        return 2;
    }
    if (results != NULL) {
        h_results = fopen(results, "w");
        if (h_results == NULL) {
            fprintf(stderr, "cannot write %s\n", results);
            free(tests);
            return 2;
        }
        h_results_header(v);
    }
    h_thread_start(h_watchdog, NULL);
    failed = _cmocka_run_group_tests(area   ? area
                                     : only ? only
                                            : "conformance",
                                     tests, count, NULL, NULL);
    if (h_results != NULL)
        fclose(h_results);
    free(tests);
    fflush(stdout);
    /* _Exit skips LeakSanitizer's check at exit: run it here (it ends the process with an
     * error when something leaked). */
    h_leak_check();
    /* _Exit: the watchdog thread is still sleeping; do not wait for it. */
    _Exit(failed == 0 ? 0 : 1);
}
