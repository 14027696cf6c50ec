/* replay_main.c: runs corpus files through the harness without libFuzzer (the regression
 * replay of ci/test, and the Windows builds that cannot link libFuzzer).
 * Usage: eve_fuzz_replay [-v] [--expect-failure] [--rows OUT.tsv] FILE|DIR...
 * Fails if no input was found; a failing input aborts with its name on stderr. With
 * --expect-failure the roles swap: the first failing input ends the run with success, and
 * the run fails if every input passes (to prove the checks can fail, on a broken ref/).
 * --rows writes how often the inputs exercised each spec row (eve_monitor_dump_coverage). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <dirent.h>
#include <sys/stat.h>
#endif

#include "eve_monitor.h"
#include "fz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int verbose;
static unsigned long replayed;

static void expected_failure(void)
{
    fprintf(stderr, "eve_fuzz_replay: failure found, as expected\n");
    fflush(stderr);
    _Exit(0); /* no atexit handlers: the broken run's leaks are not the point */
}

/* Returns 0, or -1 if the file cannot be read. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, len = 0;
    int rc = -1;

    if (f == NULL)
        goto out;
    for (;;) {
        size_t n;
        if (len == cap) {
            uint8_t *nb = realloc(buf, cap ? cap * 2 : 4096);
            if (nb == NULL)
                goto out;
            buf = nb;
            cap = cap ? cap * 2 : 4096;
        }
        n = fread(buf + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    if (ferror(f))
        goto out;
    if (verbose)
        fprintf(stderr, "replay %s (%lu bytes)\n", path, (unsigned long)len);
    fz_set_input_name(path);
    LLVMFuzzerTestOneInput(buf, len);
    replayed++;
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "eve_fuzz_replay: cannot read %s\n", path);
    if (f != NULL)
        fclose(f);
    free(buf);
    return rc;
}

static int is_hidden(const char *name)
{
    return name[0] == '.' || strcmp(name, "README.md") == 0;
}

#ifdef _WIN32
static int replay_path(const char *path)
{
    char pattern[MAX_PATH], child[MAX_PATH];
    WIN32_FIND_DATAA fd;
    HANDLE h;
    DWORD attr = GetFileAttributesA(path);
    int rc = 0;

    if (attr == INVALID_FILE_ATTRIBUTES || !(attr & FILE_ATTRIBUTE_DIRECTORY))
        return replay_file(path);
    snprintf(pattern, sizeof pattern, "%s\\*", path);
    h = FindFirstFileA(pattern, &fd);
    if (h == INVALID_HANDLE_VALUE)
        return 0;
    do {
        if (is_hidden(fd.cFileName) || (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
            continue;
        snprintf(child, sizeof child, "%s\\%s", path, fd.cFileName);
        if (replay_file(child) != 0)
            rc = -1;
    } while (FindNextFileA(h, &fd));
    FindClose(h);
    return rc;
}
#else
static int replay_path(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *ent;
    int rc = 0;

    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return replay_file(path);
    d = opendir(path);
    if (d == NULL)
        return -1;
    while ((ent = readdir(d)) != NULL) {
        char child[4096];
        if (is_hidden(ent->d_name))
            continue;
        snprintf(child, sizeof child, "%s/%s", path, ent->d_name);
        if (stat(child, &st) == 0 && S_ISDIR(st.st_mode))
            continue;
        if (replay_file(child) != 0)
            rc = -1;
    }
    closedir(d);
    return rc;
}
#endif

int main(int argc, char **argv)
{
    int i, rc = 0, expect_failure = 0;
    const char *rows = NULL;

    LLVMFuzzerInitialize(&argc, &argv);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) {
            verbose = 1;
            continue;
        }
        if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc) {
            rows = argv[++i];
            continue;
        }
        if (strcmp(argv[i], "--expect-failure") == 0) {
            fz_set_fail_hook(expected_failure);
            expect_failure = 1;
            continue;
        }
        if (replay_path(argv[i]) != 0)
            rc = 1;
    }
    printf("eve_fuzz_replay: %lu inputs replayed, no failure\n", replayed);
    if (replayed == 0) {
        fprintf(stderr, "eve_fuzz_replay: no input found\n");
        rc = 1;
    }
    if (rows != NULL && eve_monitor_dump_coverage(rows) != 0) {
        fprintf(stderr, "eve_fuzz_replay: cannot write %s\n", rows);
        rc = 1;
    }
    if (expect_failure) {
        fprintf(stderr, "eve_fuzz_replay: expected a failure, every input passed\n");
        rc = 1;
    }
    return rc;
}
