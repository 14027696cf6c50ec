# cmake -DDIR=<results dir> -P clean_results.cmake: remove the previous run's results so
# a test that did not run this time can never show an old result (ctest fixture setup).
file(GLOB _old "${DIR}/*.txt")
if(_old)
    file(REMOVE ${_old})
endif()
file(MAKE_DIRECTORY "${DIR}")
