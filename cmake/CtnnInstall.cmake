# Install rules: the headers and a CMake package, so that after `cmake --install` a user writes
#   find_package(ctnn 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE ctnn::ctnn)
# and gets the same target as with add_subdirectory(): include directory, C++20, Boost::headers and
# the compile options of cmake/CtnnTarget.cmake (evaluator budgets, -ffp-contract=off). The budgets
# are exported as the values of the CTNN_*_CONSTEXPR_* cache variables at the time ctnn is installed.

# Off by default under add_subdirectory(): a consumer's `cmake --install` installs its own program,
# not ctnn's headers and package, unless it asks for them with -DCTNN_INSTALL=ON.
option(CTNN_INSTALL "Generate ctnn's install rules (headers and the CMake package)" ${PROJECT_IS_TOP_LEVEL})
if(NOT CTNN_INSTALL)
  return()
endif()

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Header-only and the same for every architecture, so the package goes under share/, not lib/.
set(CTNN_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/ctnn"
  CACHE STRING "Where ctnn's CMake package files go, relative to the install prefix")

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ctnn
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp")

install(TARGETS ctnn EXPORT ctnnTargets)
install(EXPORT ctnnTargets
  NAMESPACE ctnn::
  FILE ctnnTargets.cmake
  DESTINATION ${CTNN_INSTALL_CMAKEDIR})

# ctnn_add_dataset(): its CMake module, and its generator as source, built by each consuming project.
set(CTNN_INSTALL_GENERATORDIR "${CMAKE_INSTALL_DATADIR}/ctnn")
install(FILES ${CMAKE_CURRENT_LIST_DIR}/CtnnAddDataset.cmake DESTINATION ${CTNN_INSTALL_CMAKEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/tools/ctnn_dataset_generator.cpp DESTINATION ${CTNN_INSTALL_GENERATORDIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/ctnnConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/ctnnConfig.cmake
  INSTALL_DESTINATION ${CTNN_INSTALL_CMAKEDIR}
  PATH_VARS CTNN_INSTALL_GENERATORDIR
  NO_SET_AND_CHECK_MACRO)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/ctnnConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion
  ARCH_INDEPENDENT)
install(FILES
  ${PROJECT_BINARY_DIR}/package/ctnnConfig.cmake
  ${PROJECT_BINARY_DIR}/package/ctnnConfigVersion.cmake
  DESTINATION ${CTNN_INSTALL_CMAKEDIR})

# ctnn-export and ctnn-import (tools/): installed to bin/, their package ctnn_interop (tools/ctnn_interop/)
# to share/ctnn/python/ctnn_interop. The installed scripts first try the Python found now
# (cmake/CtnnPython.cmake), then python3 on PATH; CTNN_PYTHON in the environment overrides both.
include(${CMAKE_CURRENT_LIST_DIR}/CtnnPython.cmake)
set(CTNN_INSTALL_PYTHONDIR "${CMAKE_INSTALL_DATADIR}/ctnn/python"
  CACHE STRING "Where the package ctnn_interop (ctnn-export's) goes, relative to the install prefix")
file(RELATIVE_PATH CTNN_MODULE_DIR_FROM_BIN /prefix/${CMAKE_INSTALL_BINDIR} /prefix/${CTNN_INSTALL_PYTHONDIR})
foreach(tool ctnn-export ctnn-import)
  configure_file(${PROJECT_SOURCE_DIR}/tools/${tool} ${PROJECT_BINARY_DIR}/package/bin/${tool} @ONLY)
  install(PROGRAMS ${PROJECT_BINARY_DIR}/package/bin/${tool} DESTINATION ${CMAKE_INSTALL_BINDIR})
endforeach()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/tools/ctnn_interop DESTINATION ${CTNN_INSTALL_PYTHONDIR}
  FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
