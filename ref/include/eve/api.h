/* eve/api.h: how every eve_ function is declared.
 *
 * Implementations built as a DLL define EVE_BUILDING_DLL; programs using a DLL define EVE_DLL
 * (the installed CMake target eve::pipe_shared and the pkg-config file eve-pipe-dll do).
 */
#ifndef EVE_API_H
#define EVE_API_H

#if defined(_WIN32) && defined(EVE_BUILDING_DLL)
#define EVE_API __declspec(dllexport)
#elif defined(_WIN32) && defined(EVE_DLL)
#define EVE_API __declspec(dllimport)
#else
#define EVE_API
#endif

#endif /* EVE_API_H */
