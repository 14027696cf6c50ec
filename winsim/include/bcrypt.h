/* winsim <bcrypt.h>: BCryptGenRandom only, drawing from winsim's seeded generator so that
 * "random" pipe names are reproducible from WINSIM_SEED. */
#ifndef WINSIM_BCRYPT_H
#define WINSIM_BCRYPT_H

#include <windows.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef PVOID BCRYPT_ALG_HANDLE;
#define BCRYPT_RNG_USE_ENTROPY_IN_BUFFER 0x00000001
#define BCRYPT_USE_SYSTEM_PREFERRED_RNG 0x00000002
#ifndef BCRYPT_SUCCESS
#define BCRYPT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#endif

NTSTATUS WINAPI BCryptGenRandom(BCRYPT_ALG_HANDLE hAlgorithm, PUCHAR pbBuffer, ULONG cbBuffer,
                                ULONG dwFlags);

#ifdef __cplusplus
}
#endif

#endif /* WINSIM_BCRYPT_H */
