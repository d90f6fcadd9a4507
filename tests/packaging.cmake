# Packaging tests (label "package"). package.install installs this build tree into a stage inside it;
# consumers in tests/package and tests/add_subdirectory are then configured, built and run with this
# build's compiler, one through find_package(ctnn) on the stage, one through add_subdirectory() of the
# source tree. Only the find_package consumer is pointed at the stage; nothing is written outside
# the build tree.

if(NOT CTNN_INSTALL)
  return()
endif()
foreach(dir CMAKE_INSTALL_INCLUDEDIR CTNN_INSTALL_CMAKEDIR)
  if(IS_ABSOLUTE "${${dir}}")
    message(WARNING "${dir} is absolute (${${dir}}): --prefix cannot keep the install inside the build tree, "
                    "so the packaging tests are not registered")
    return()
  endif()
endforeach()

set(ctnn_stage ${CMAKE_BINARY_DIR}/package-stage)
set(consumer_options
  --build-generator ${CMAKE_GENERATOR}
  --build-makeprogram ${CMAKE_MAKE_PROGRAM}
  --build-options -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER} -DCMAKE_BUILD_TYPE=$<CONFIG>)

add_test(NAME package.install
  COMMAND ${CMAKE_COMMAND} -D BINARY_DIR=${CMAKE_BINARY_DIR} -D STAGE=${ctnn_stage}
          -P ${CMAKE_CURRENT_SOURCE_DIR}/package/install.cmake)
# The install reads the build tree's install scripts, which a concurrent `cmake --build` (the
# compile-fail tests) may regenerate.
set_tests_properties(package.install PROPERTIES FIXTURES_SETUP ctnn_installed RESOURCE_LOCK ctnn_build_tree)

# The build tree's usage requirements, which the exported ctnn::ctnn must carry unchanged.
set(expected_properties "")
foreach(property INTERFACE_COMPILE_OPTIONS INTERFACE_COMPILE_FEATURES INTERFACE_LINK_LIBRARIES)
  get_target_property(value ctnn ${property})
  if(value)
    string(APPEND expected_properties "${property} ${value}\n")
  endif()
endforeach()
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/package/expected_properties.txt "${expected_properties}")

add_test(NAME package.installed_tree
  COMMAND ${CMAKE_COMMAND} -D STAGE=${ctnn_stage} -D INCLUDEDIR=${CMAKE_INSTALL_INCLUDEDIR}
          -D CMAKEDIR=${CTNN_INSTALL_CMAKEDIR} -D SOURCE_INCLUDE_DIR=${PROJECT_SOURCE_DIR}/include
          -D VERSION=${PROJECT_VERSION} -D EXPECTED_PROPERTIES=${CMAKE_CURRENT_BINARY_DIR}/package/expected_properties.txt
          -P ${CMAKE_CURRENT_SOURCE_DIR}/package/check_installed_tree.cmake)

add_test(NAME package.find_package
  COMMAND ${CMAKE_CTEST_COMMAND}
    --build-and-test ${CMAKE_CURRENT_SOURCE_DIR}/package ${CMAKE_CURRENT_BINARY_DIR}/package-consumer
    ${consumer_options} -DCMAKE_PREFIX_PATH=${ctnn_stage} -DCTNN_EXPECTED_PREFIX=${ctnn_stage}
    --test-command consumer)

add_test(NAME package.find_package.rejects_other_major
  COMMAND ${CMAKE_COMMAND}
    -D SOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}/package -D BINARY_DIR=${CMAKE_CURRENT_BINARY_DIR}/package-consumer-1.0
    -D GENERATOR=${CMAKE_GENERATOR} -D MAKE_PROGRAM=${CMAKE_MAKE_PROGRAM} -D CXX_COMPILER=${CMAKE_CXX_COMPILER}
    -D PREFIX=${ctnn_stage} -D REQUESTED=1.0 -D INSTALLED=${PROJECT_VERSION}
    -P ${CMAKE_CURRENT_SOURCE_DIR}/package/expect_version_rejected.cmake)

set_tests_properties(package.installed_tree package.find_package package.find_package.rejects_other_major
  PROPERTIES FIXTURES_REQUIRED ctnn_installed)

add_test(NAME package.add_subdirectory
  COMMAND ${CMAKE_CTEST_COMMAND}
    --build-and-test ${CMAKE_CURRENT_SOURCE_DIR}/add_subdirectory ${CMAKE_CURRENT_BINARY_DIR}/add_subdirectory-consumer
    ${consumer_options} -DCTNN_SOURCE_DIR=${PROJECT_SOURCE_DIR}
    --test-command consumer)

set_tests_properties(package.install package.installed_tree package.find_package
  package.find_package.rejects_other_major package.add_subdirectory PROPERTIES LABELS package)
