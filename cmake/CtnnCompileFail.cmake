# ctnn_add_compile_fail_test(<name> SOURCE <file> REGEX <regex>... [FIRST_ERROR <regex>]
#                            [CONSTANT_EXPRESSION_ERROR <regex>] [KO_OPTIONS <flag>...])
#
# Builds <file> twice under ctest: <name>.ok must compile (the rest of the file is fine), and
# <name>.ko, built with CTNN_EXPECT_COMPILE_ERROR defined, must fail with exactly one "error:" line,
# output matching every REGEX (our diagnostic, not just any error: a build that fails for another
# reason does not pass), and an error line matching FIRST_ERROR when given. For a problem found in a
# constant expression, CONSTANT_EXPRESSION_ERROR must match GCC's error line or Clang's first note
# (see CtnnExpectBuildFailure.cmake). KO_OPTIONS are extra compiler flags for the .ko build only.
function(ctnn_add_compile_fail_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "SOURCE;FIRST_ERROR;CONSTANT_EXPRESSION_ERROR" "REGEX;KO_OPTIONS")
  foreach(kind ok ko)
    set(target compile_fail.${name}.${kind})
    add_library(${target} OBJECT EXCLUDE_FROM_ALL ${arg_SOURCE})
    target_link_libraries(${target} PRIVATE ctnn::ctnn ctnn_warnings)
  endforeach()
  target_compile_definitions(compile_fail.${name}.ko PRIVATE CTNN_EXPECT_COMPILE_ERROR)
  target_compile_options(compile_fail.${name}.ko PRIVATE ${arg_KO_OPTIONS})

  # "$<$<BOOL:$<CONFIG>>:--config;$<CONFIG>>": with no build type (single-config generators) $<CONFIG>
  # is empty, and `cmake --build --config` with an empty value is an error.
  add_test(NAME compile_fail.${name}.ok
    COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target compile_fail.${name}.ok
            "$<$<BOOL:$<CONFIG>>:--config;$<CONFIG>>"
    COMMAND_EXPAND_LISTS)
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
      -D "CONSTANT_EXPRESSION_ERROR=${arg_CONSTANT_EXPRESSION_ERROR}" -D "COMPILER_ID=${CMAKE_CXX_COMPILER_ID}"
      -P ${PROJECT_SOURCE_DIR}/cmake/CtnnExpectBuildFailure.cmake)
  # Two builds of one tree must not run at once.
  set_tests_properties(compile_fail.${name}.ok compile_fail.${name}.ko PROPERTIES
    RESOURCE_LOCK ctnn_build_tree LABELS compile-fail)
endfunction()
