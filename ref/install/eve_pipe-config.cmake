# find_package(eve_pipe CONFIG): the installed eve-pipe reference implementation.
#   eve::pipe_static  the static library
#   eve::pipe_shared  eve_pipe.dll through its import library (defines EVE_DLL)
#   eve::pipe         eve::pipe_shared if the project sets BUILD_SHARED_LIBS, else static
include("${CMAKE_CURRENT_LIST_DIR}/eve_pipe-targets.cmake")

if(NOT TARGET eve::pipe)
    add_library(eve::pipe INTERFACE IMPORTED)
    if(BUILD_SHARED_LIBS)
        set_target_properties(eve::pipe PROPERTIES INTERFACE_LINK_LIBRARIES eve::pipe_shared)
    else()
        set_target_properties(eve::pipe PROPERTIES INTERFACE_LINK_LIBRARIES eve::pipe_static)
    endif()
endif()
