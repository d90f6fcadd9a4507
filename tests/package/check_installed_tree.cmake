# cmake -D STAGE=... -D INCLUDEDIR=... -D CMAKEDIR=... -D SOURCE_INCLUDE_DIR=... -D VERSION=...
#       -D EXPECTED_PROPERTIES=<file> -P check_installed_tree.cmake
# Checks what `cmake --install` put into STAGE: every header of the source tree and nothing else under
# include/, the package files and ctnn_add_dataset's generator source, the version, and an exported
# ctnn::ctnn whose usage requirements (compile options, features, link libraries) are exactly those of
# the build tree's target.
cmake_minimum_required(VERSION 3.25)
set(failures "")
macro(fail message)
  string(APPEND failures "  ${message}\n")
endmacro()

# The headers: the same relative paths on both sides (so detail/ too), and only headers.
file(GLOB_RECURSE source_headers RELATIVE ${SOURCE_INCLUDE_DIR} ${SOURCE_INCLUDE_DIR}/ctnn/*.hpp)
file(GLOB_RECURSE installed_files RELATIVE ${STAGE}/${INCLUDEDIR} ${STAGE}/${INCLUDEDIR}/*)
list(SORT source_headers)
list(SORT installed_files)
if(NOT "ctnn/detail/config.hpp" IN_LIST installed_files)
  fail("ctnn/detail/config.hpp is not installed")
endif()
if(NOT source_headers STREQUAL installed_files)
  fail("installed ${INCLUDEDIR}/ differs from the source's include/:\n    source:    ${source_headers}\n    installed: ${installed_files}")
endif()

set(package_dir ${STAGE}/${CMAKEDIR})
foreach(file ctnnConfig.cmake ctnnConfigVersion.cmake ctnnTargets.cmake CtnnAddDataset.cmake)
  if(NOT EXISTS ${package_dir}/${file})
    fail("${CMAKEDIR}/${file} is not installed")
  endif()
endforeach()

# ctnn_add_dataset's generator, as source, for each consuming project to build.
if(NOT EXISTS ${STAGE}/share/ctnn/ctnn_dataset_generator.cpp)
  fail("share/ctnn/ctnn_dataset_generator.cpp is not installed")
endif()

if(EXISTS ${package_dir}/ctnnConfig.cmake)
  file(READ ${package_dir}/ctnnConfig.cmake config)
  if(NOT config MATCHES "find_dependency\\(Boost 1\\.74 CONFIG\\)" OR NOT config MATCHES "include\\(\"[^\"]*/ctnnTargets\\.cmake\"\\)")
    fail("ctnnConfig.cmake does not find Boost or does not include ctnnTargets.cmake")
  endif()
endif()

if(EXISTS ${package_dir}/ctnnConfigVersion.cmake)
  file(READ ${package_dir}/ctnnConfigVersion.cmake version_file)
  string(REPLACE "." "\\." version_regex "${VERSION}")
  if(NOT version_file MATCHES "set\\(PACKAGE_VERSION \"${version_regex}\"\\)")
    fail("ctnnConfigVersion.cmake does not say version ${VERSION}")
  endif()
endif()

# Usage requirements: the build tree's values (written at configure time, one "NAME value" per
# line) against the set_target_properties() block of the exported file.
if(EXISTS ${package_dir}/ctnnTargets.cmake)
  file(READ ${package_dir}/ctnnTargets.cmake targets)
  string(REPLACE "\\$" "$" targets "${targets}")  # the exported file escapes $< as \$<
  if(NOT targets MATCHES "add_library\\(ctnn::ctnn INTERFACE IMPORTED\\)")
    fail("ctnnTargets.cmake does not define the INTERFACE target ctnn::ctnn")
  endif()
  file(READ ${EXPECTED_PROPERTIES} expected_properties)
  string(REGEX MATCHALL "(^|\n)INTERFACE_[A-Z_]+" properties "${expected_properties}")  # names only: values hold ;
  foreach(property IN LISTS properties)
    string(STRIP "${property}" property)
    string(REGEX MATCH "(^|\n)${property} ([^\n]*)" _ "${expected_properties}")
    set(expected "${CMAKE_MATCH_2}")
    if(NOT targets MATCHES "\n  ${property} \"([^\"]*)\"")
      fail("ctnn::ctnn has no ${property}; the build tree's target has '${expected}'")
    elseif(NOT CMAKE_MATCH_1 STREQUAL expected)
      fail("ctnn::ctnn ${property}:\n    exported:   ${CMAKE_MATCH_1}\n    build tree: ${expected}")
    endif()
  endforeach()
endif()

if(NOT failures STREQUAL "")
  message(FATAL_ERROR "the installed tree ${STAGE} is not right:\n${failures}")
endif()
message(STATUS "installed tree OK: ${STAGE}")
