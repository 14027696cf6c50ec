# EveFlavour: sets EVE_FLAVOUR (mingw | clangcl | native), the project-wide C settings,
# and imports cmocka as cmocka::cmocka for the flavour.

if(NOT EVE_FLAVOUR)
    if(MSVC)
        set(_eve_guess clangcl)
    elseif(WIN32)
        set(_eve_guess mingw)
    else()
        set(_eve_guess native)
    endif()
    set(EVE_FLAVOUR ${_eve_guess} CACHE STRING "build flavour: mingw, clangcl or native" FORCE)
endif()
set_property(CACHE EVE_FLAVOUR PROPERTY STRINGS mingw clangcl native)
if(NOT EVE_FLAVOUR MATCHES "^(mingw|clangcl|native)$")
    message(FATAL_ERROR "EVE_FLAVOUR must be mingw, clangcl or native, not '${EVE_FLAVOUR}'")
endif()
if(EVE_FLAVOUR STREQUAL "native" AND WIN32)
    message(FATAL_ERROR "EVE_FLAVOUR native is the Linux build against winsim/")
endif()
if(NOT EVE_FLAVOUR STREQUAL "native" AND NOT WIN32)
    message(FATAL_ERROR "EVE_FLAVOUR ${EVE_FLAVOUR} needs ci/toolchain-${EVE_FLAVOUR}.cmake")
endif()
message(STATUS "eve-pipe flavour: ${EVE_FLAVOUR}")

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
    set(CMAKE_BUILD_TYPE Debug CACHE STRING "build type" FORCE)
endif()

set(CMAKE_C_STANDARD 11)
set(CMAKE_C_STANDARD_REQUIRED ON)
set(CMAKE_C_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

if(MSVC)
    add_compile_options(/W4 /WX)
else()
    add_compile_options(-Wall -Wextra -Werror)
endif()

# Where ci/bootstrap puts cross-built dependencies (cmocka per Windows flavour).
if(NOT EVE_DEPS_DIR)
    if(DEFINED ENV{EVE_BUILD_DIR})
        set(EVE_DEPS_DIR "$ENV{EVE_BUILD_DIR}/deps")
    else()
        set(EVE_DEPS_DIR "${CMAKE_CURRENT_LIST_DIR}/../build/deps")
    endif()
endif()
get_filename_component(EVE_DEPS_DIR "${EVE_DEPS_DIR}" ABSOLUTE)
set(EVE_DEPS_DIR "${EVE_DEPS_DIR}" CACHE PATH "ci/bootstrap's dependency cache")

# cmocka: Debian's libcmocka-dev natively; ci/bootstrap's cross-build under Wine; on real
# Windows, EVE_CMOCKA_ROOT or anything find_library can see (e.g. a vcpkg toolchain).
function(eve_import_cmocka)
    if(TARGET cmocka::cmocka)
        return()
    endif()
    set(_hints)
    if(EVE_CMOCKA_ROOT)
        list(APPEND _hints "${EVE_CMOCKA_ROOT}")
    elseif(NOT EVE_FLAVOUR STREQUAL "native")
        list(APPEND _hints "${EVE_DEPS_DIR}/cmocka-${EVE_FLAVOUR}")
    endif()
    # Hints are host paths: look there without the cross toolchain's find root.
    find_path(EVE_CMOCKA_INCLUDE_DIR cmocka.h HINTS ${_hints} PATH_SUFFIXES include
              NO_CMAKE_FIND_ROOT_PATH)
    find_library(EVE_CMOCKA_LIBRARY NAMES cmocka cmocka-static HINTS ${_hints}
                 PATH_SUFFIXES lib NO_CMAKE_FIND_ROOT_PATH)
    if(NOT EVE_CMOCKA_INCLUDE_DIR OR NOT EVE_CMOCKA_LIBRARY)
        message(FATAL_ERROR "cmocka for flavour ${EVE_FLAVOUR} not found: run ci/bootstrap "
                            "(or set EVE_CMOCKA_ROOT)")
    endif()
    add_library(cmocka::cmocka UNKNOWN IMPORTED GLOBAL)
    set_target_properties(cmocka::cmocka PROPERTIES
        IMPORTED_LOCATION "${EVE_CMOCKA_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${EVE_CMOCKA_INCLUDE_DIR}")
endfunction()
eve_import_cmocka()
