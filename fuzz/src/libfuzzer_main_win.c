/* libfuzzer_main_win.c: main() of the clang-cl libFuzzer build, whose engine is a DLL
 * (fuzz/tools/build-libfuzzer-win: compiler-rt's libFuzzer built by mingw-w64 g++). main()
 * hands the engine the harness through LLVMFuzzerRunDriver, after three things a program
 * linked against the MSVC runtime (and clang's own Windows runtime) gets for free and one
 * linked against Wine's winecrt0 and a g++-built engine does not. */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
__declspec(dllimport) int LLVMFuzzerRunDriver(int *argc, char ***argv,
                                              int (*cb)(const uint8_t *data, size_t size));

/* 1. The initialisers in the .CRT$XC* sections, where clang puts the SanitizerCoverage
 * module constructor that registers this program's counters with the engine: the MSVC
 * runtime runs them before main(), Wine's winecrt0 does not ("Is the code instrumented for
 * coverage?"). fz_crt_xca and fz_crt_xcz bracket them (the linker sorts .CRT$XC* by name);
 * fz_crt_ran, an initialiser itself, says whether a runtime already ran them. */
typedef void(__cdecl *fz_crt_init)(void);
static volatile int fz_crt_ran;
static void __cdecl fz_crt_mark(void)
{
    fz_crt_ran = 1;
}
#pragma section(".CRT$XCA", read)
__declspec(allocate(".CRT$XCA")) __attribute__((used)) static fz_crt_init fz_crt_xca = NULL;
#pragma section(".CRT$XCU", read)
__declspec(allocate(".CRT$XCU"))
    __attribute__((used)) static fz_crt_init fz_crt_mark_entry = fz_crt_mark;
#pragma section(".CRT$XCZ", read)
__declspec(allocate(".CRT$XCZ")) __attribute__((used)) static fz_crt_init fz_crt_xcz = NULL;

/* Walked as addresses: the entries between the markers belong to no C object. */
static void fz_run_crt_initialisers(void)
{
    uintptr_t at = (uintptr_t)&fz_crt_xca + sizeof(fz_crt_init);
    uintptr_t end = (uintptr_t)&fz_crt_xcz;

    if (fz_crt_ran)
        return;
    for (; at < end; at += sizeof(fz_crt_init)) {
        fz_crt_init init = *(const volatile fz_crt_init *)at;
        if (init != NULL)
            init();
    }
}

/* 2. Where the coverage counters and the PC table begin and end. SanitizerCoverage puts
 * them in .SCOV$CM and .SCOVP$M and, on COFF, takes the address 8 bytes past
 * __start___sancov_cntrs / __start___sancov_pcs as their start: a 64-bit variable in the
 * section part that sorts first ($CA, $A), with one in the part that sorts last ($CZ, $Z)
 * as the end. The MSVC build of clang's runtime defines these; the g++-built engine does
 * not, so this program does. */
#pragma section(".SCOV$CA", read, write)
__declspec(allocate(".SCOV$CA")) __attribute__((used)) uint64_t __start___sancov_cntrs = 0;
#pragma section(".SCOV$CZ", read, write)
__declspec(allocate(".SCOV$CZ")) __declspec(align(1))
    __attribute__((used)) uint8_t __stop___sancov_cntrs = 0;
#pragma section(".SCOVP$A", read)
__declspec(allocate(".SCOVP$A")) __attribute__((used)) uint64_t __start___sancov_pcs = 0;
#pragma section(".SCOVP$Z", read)
__declspec(allocate(".SCOVP$Z")) __declspec(align(1))
    __attribute__((used)) uint8_t __stop___sancov_pcs = 0;

/* 3. The harness reports a broken invariant with abort(), which goes to this program's C
 * runtime while the engine's SIGABRT handler lives in the DLL's: trap instead, so the
 * engine's exception handler reports the input as a crash. */
static void fz_abort_traps(int sig)
{
    (void)sig;
    __builtin_trap();
}

int main(int argc, char **argv)
{
    fz_run_crt_initialisers();
    signal(SIGABRT, fz_abort_traps);
    LLVMFuzzerInitialize(&argc, &argv);
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
