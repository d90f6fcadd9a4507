# cmake -D SOURCE_DIR=<this folder> -D BINARY_DIR=... -D GENERATOR=... -D MAKE_PROGRAM=... -D CXX_COMPILER=...
#       -D PREFIX=<stage> -D REQUESTED=<version> -D INSTALLED=<version> -P expect_version_rejected.cmake
# Configures the find_package consumer asking for REQUESTED, a version the installed INSTALLED does not
# satisfy: the configure must fail, and fail because CMake found the staged ctnn and rejected its version.
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE ${BINARY_DIR})
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -G ${GENERATOR}
          -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
          -DCMAKE_PREFIX_PATH=${PREFIX} -DCTNN_REQUIRED_VERSION=${REQUESTED}
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("${output}")
if(result EQUAL 0)
  message(FATAL_ERROR "find_package(ctnn ${REQUESTED}) accepted ctnn ${INSTALLED}")
endif()
string(REPLACE "." "\\." requested_regex "${REQUESTED}")
string(REPLACE "." "\\." installed_regex "${INSTALLED}")
foreach(regex
    "Could not find a configuration file for package \"ctnn\" that is compatible[ \n]+with requested version \"${requested_regex}\""
    "package-stage/[^\n]*/ctnnConfig\\.cmake, version: ${installed_regex}\n")
  if(NOT output MATCHES "${regex}")
    message(FATAL_ERROR "the configure failed, but its output does not match '${regex}'")
  endif()
endforeach()
message(STATUS "find_package(ctnn ${REQUESTED}) rejected the installed ctnn ${INSTALLED}, as it must")
