/* win_raw.h (Windows flavours only): a pipe pair made with Win32 alone. */
#ifndef EVE_TESTS_WIN_RAW_H
#define EVE_TESTS_WIN_RAW_H

#include <windows.h>

/* A byte-mode named pipe with one instance, created here without the implementation: the
 * server is the read end, the client the write end (GENERIC_WRITE | FILE_READ_ATTRIBUTES),
 * each overlapped unless its *_sync is set. For tests whose subject is what Windows does,
 * or what an end does with a handle it adopts: the implementation's own pair, and whether
 * it offers synchronous ends, is not what they test. Close what is left with CloseHandle. */
void win_raw_pair(HANDLE *read_end, HANDLE *write_end, int read_sync, int write_sync);
/* Close whichever of the two the test still holds (non-NULL), and clear them. */
void win_raw_close(HANDLE *read_end, HANDLE *write_end);

#endif /* EVE_TESTS_WIN_RAW_H */
