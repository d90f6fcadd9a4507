# cmake -D BINARY_DIR=<ctnn build tree> -D STAGE=<prefix inside it> -P install.cmake
# Installs ctnn into a fresh STAGE, and fails if any installed file landed outside it.
cmake_minimum_required(VERSION 3.25)
if(NOT STAGE MATCHES "/package-stage$" OR NOT IS_DIRECTORY "${BINARY_DIR}")
  message(FATAL_ERROR "unexpected STAGE '${STAGE}' or BINARY_DIR '${BINARY_DIR}'")
endif()
unset(ENV{DESTDIR})             # a DESTDIR in the environment would move the stage out of the build tree
file(REMOVE_RECURSE ${STAGE})  # no headers left over from an earlier run
file(REMOVE ${BINARY_DIR}/install_manifest.txt)

execute_process(COMMAND ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${STAGE} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install exited with ${result}")
endif()

file(STRINGS ${BINARY_DIR}/install_manifest.txt installed)
if(installed STREQUAL "")
  message(FATAL_ERROR "cmake --install installed nothing")
endif()
foreach(file IN LISTS installed)
  cmake_path(IS_PREFIX STAGE "${file}" NORMALIZE inside)
  if(NOT inside)
    message(FATAL_ERROR "installed outside the stage ${STAGE}: ${file}")
  endif()
endforeach()
