/* eve/version.h: the version of this release of eve-pipe and of the spec it implements.
 *
 * This header is the one place either is written: CMakeLists.txt reads the release version
 * from it (project(VERSION), the CMake package's version file, the pkg-config file, the runner
 * kit's name), and the spec lint checks EVE_SPEC_VERSION against spec/README.md's title.
 */
#ifndef EVE_VERSION_H
#define EVE_VERSION_H

#include "eve/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The release: major.minor.patch (a new call is a minor release, a fix a patch). */
#define EVE_VERSION_MAJOR 1
#define EVE_VERSION_MINOR 1
#define EVE_VERSION_PATCH 0

#define EVE__STRINGIFY(x) #x
#define EVE__VERSION_STR(a, b, c) EVE__STRINGIFY(a) "." EVE__STRINGIFY(b) "." EVE__STRINGIFY(c)
/* "1.1.0": the three numbers above, spelled out. */
#define EVE_VERSION_STRING                                                                        \
    EVE__VERSION_STR(EVE_VERSION_MAJOR, EVE_VERSION_MINOR, EVE_VERSION_PATCH)

/* The spec version this header describes; eve_spec_version() returns the one an
 * implementation declares, and the suite refuses to run against a different major. */
#define EVE_SPEC_VERSION "1.0"

/* The release of the library behind this header, as EVE_VERSION_STRING of the header it was
 * built with (which may differ from the one a program was compiled against). ref/ returns
 * its own; the suite does not require other implementations to export it. */
EVE_API const char *eve_version(void);

#ifdef __cplusplus
}
#endif

#endif /* EVE_VERSION_H */
