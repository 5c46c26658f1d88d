# Installs the parley_shared component of the main build into a fresh prefix, then
# configures, builds and runs tests/consumer/app against that prefix only.
# Run with: cmake -DMAIN_BUILD_DIR=... -DWORK_DIR=... -DAPP_SOURCE_DIR=... -DGENERATOR=...
#           -DCXX_COMPILER=... -DBUILD_TYPE=... -P run_consumer_test.cmake
foreach(var MAIN_BUILD_DIR WORK_DIR APP_SOURCE_DIR GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_consumer_test.cmake: ${var} is not set")
  endif()
endforeach()
if(NOT BUILD_TYPE)
  set(BUILD_TYPE Release)
endif()

set(prefix ${WORK_DIR}/prefix)
set(app_build ${WORK_DIR}/build)
# Start from nothing so a stale install or cache cannot make the test pass.
file(REMOVE_RECURSE ${prefix} ${app_build})

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${step} failed (${rc}):\n${err}")
  endif()
endfunction()

run("install" ${CMAKE_COMMAND} --install ${MAIN_BUILD_DIR} --prefix ${prefix}
    --component parley_shared)

# Only the shared package may land in the prefix.
file(GLOB_RECURSE installed RELATIVE ${prefix} ${prefix}/*)
foreach(f IN LISTS installed)
  if(NOT f MATCHES "^(include/parley/[^/]+\\.hpp|lib[^/]*/(.+/)?(libparley_shared\\.[^/]+|cmake/parley_shared/[^/]+))$")
    message(FATAL_ERROR "unexpected file in the parley_shared install: ${f}")
  endif()
endforeach()

run("configure" ${CMAKE_COMMAND} -S ${APP_SOURCE_DIR} -B ${app_build} -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)

# The package must come from the prefix, not from the main build tree.
file(STRINGS ${app_build}/CMakeCache.txt found_dir REGEX "^parley_shared_DIR:")
string(REGEX REPLACE "^[^=]*=" "" found_dir "${found_dir}")
string(FIND "${found_dir}" "${prefix}/" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "parley_shared was found in '${found_dir}', not under ${prefix}")
endif()

run("build" ${CMAKE_COMMAND} --build ${app_build})
run("run" ${app_build}/parley_consumer)
