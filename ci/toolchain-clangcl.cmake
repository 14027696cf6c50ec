# clang-cl: the MSVC-ABI flavour, built against Wine's headers and import libraries and run
# under Wine. Wine's winecrt0 provides the entry point; it has no _tls_index, so nothing
# built here may use thread-local storage.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(EVE_FLAVOUR clangcl CACHE STRING "build flavour: mingw, clangcl or native")

set(CMAKE_C_COMPILER clang-cl-14)
set(CMAKE_C_COMPILER_TARGET x86_64-pc-windows-msvc)
set(CMAKE_LINKER lld-link-14)
set(CMAKE_AR llvm-lib-14)
set(CMAKE_RC_COMPILER llvm-rc-14)
set(CMAKE_MT llvm-mt-14)

set(_eve_wine_inc /usr/include/wine/wine)
set(_eve_wine_lib /usr/lib/x86_64-linux-gnu/wine/x86_64-windows)

# CMake links kernel32.lib, user32.lib... by MSVC names: give every Wine import library
# libNAME.a a NAME.lib link in a folder under the build tree. The path is fixed relative
# to this file so try_compile projects find the same folder.
if(DEFINED ENV{EVE_BUILD_DIR})
    set(_eve_libs "$ENV{EVE_BUILD_DIR}/deps/wine-msvc-libs")
else()
    get_filename_component(_eve_libs "${CMAKE_CURRENT_LIST_DIR}/../build/deps/wine-msvc-libs"
                           ABSOLUTE)
endif()
if(NOT EXISTS "${_eve_libs}/kernel32.lib")
    file(MAKE_DIRECTORY "${_eve_libs}")
    file(GLOB _eve_imports "${_eve_wine_lib}/lib*.a")
    foreach(_a IN LISTS _eve_imports)
        get_filename_component(_n "${_a}" NAME_WE)
        string(REGEX REPLACE "^lib" "" _n "${_n}")
        if(NOT EXISTS "${_eve_libs}/${_n}.lib")
            file(CREATE_LINK "${_a}" "${_eve_libs}/${_n}.lib" SYMBOLIC)
        endif()
    endforeach()
endif()

# /GS-: no security cookie, Wine's CRT import libraries do not provide the MSVC one.
set(CMAKE_C_FLAGS_INIT "/GS- -imsvc ${_eve_wine_inc}/msvcrt -imsvc ${_eve_wine_inc}/windows")
set(_eve_link "/libpath:${_eve_libs} /nodefaultlib /manifest:no")
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "${_eve_link} /entry:mainCRTStartup winecrt0.lib ucrtbase.lib ntdll.lib")
# /nodefaultlib leaves DLLs without an entry point: winecrt0 provides DllMainCRTStartup.
set(_eve_dll_link "${_eve_link} /entry:DllMainCRTStartup winecrt0.lib ucrtbase.lib ntdll.lib")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "${_eve_dll_link}")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "${_eve_dll_link}")

# Keep /RTC1 out: its runtime checks need the MSVC runtime library.
set(CMAKE_C_FLAGS_DEBUG "/Z7 /Ob0 /Od" CACHE STRING "C flags for Debug builds")

set(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/wine-run")
