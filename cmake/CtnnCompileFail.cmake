# ctnn_add_compile_fail_test(<name> SOURCE <file> REGEX <regex>... [FIRST_ERROR <regex>] [KO_OPTIONS <flag>...])
#
# Builds <file> twice under ctest: <name>.ok must compile (the rest of the file is fine), and
# <name>.ko, built with CTNN_EXPECT_COMPILE_ERROR defined, must fail with output matching every
# REGEX (our diagnostic, not just any error: a build that fails for another reason does not pass),
# and whose first "error:" line matches FIRST_ERROR when given. KO_OPTIONS are extra compiler flags
# for the .ko build only.
function(ctnn_add_compile_fail_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "SOURCE;FIRST_ERROR" "REGEX;KO_OPTIONS")
  foreach(kind ok ko)
    set(target compile_fail.${name}.${kind})
    add_library(${target} OBJECT EXCLUDE_FROM_ALL ${arg_SOURCE})
    target_link_libraries(${target} PRIVATE ctnn::ctnn ctnn_warnings)
  endforeach()
  target_compile_definitions(compile_fail.${name}.ko PRIVATE CTNN_EXPECT_COMPILE_ERROR)
  target_compile_options(compile_fail.${name}.ko PRIVATE ${arg_KO_OPTIONS})

  add_test(NAME compile_fail.${name}.ok
    COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target compile_fail.${name}.ok --config $<CONFIG>)
  # One -D per regex: a list would be split into separate arguments on its way to the command line.
  set(regex_definitions "")
  set(count 0)
  foreach(regex IN LISTS arg_REGEX)
    list(APPEND regex_definitions -D "REGEX_${count}=${regex}")
    math(EXPR count "${count} + 1")
  endforeach()
  add_test(NAME compile_fail.${name}.ko
    COMMAND ${CMAKE_COMMAND}
      -D "TARGET=compile_fail.${name}.ko" -D "BINARY_DIR=${CMAKE_BINARY_DIR}" -D "CONFIG=$<CONFIG>"
      ${regex_definitions} -D "REGEX_COUNT=${count}" -D "FIRST_ERROR=${arg_FIRST_ERROR}"
      -P ${PROJECT_SOURCE_DIR}/cmake/CtnnExpectBuildFailure.cmake)
  # Two builds of one tree must not run at once.
  set_tests_properties(compile_fail.${name}.ok compile_fail.${name}.ko PROPERTIES
    RESOURCE_LOCK ctnn_build_tree LABELS compile-fail)
endfunction()
