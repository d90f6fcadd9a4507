# ctnn_add_output_test(<name> COMMAND <program> [<arg>...] REGEX <regex>...)
#
# A test that runs the program and passes when it exits 0 and its output matches every REGEX
# (ctest's PASS_REGULAR_EXPRESSION would pass when any one of them matches).
function(ctnn_add_output_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "COMMAND;REGEX")
  set(definitions "")
  set(count 0)
  # One -D per item: a list would be split into separate arguments on its way to the command line.
  foreach(regex IN LISTS arg_REGEX)
    list(APPEND definitions -D "REGEX_${count}=${regex}")
    math(EXPR count "${count} + 1")
  endforeach()
  set(argc 0)
  foreach(word IN LISTS arg_COMMAND)
    list(APPEND definitions -D "ARG_${argc}=${word}")
    math(EXPR argc "${argc} + 1")
  endforeach()
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND} ${definitions} -D "REGEX_COUNT=${count}" -D "ARG_COUNT=${argc}"
            -P ${PROJECT_SOURCE_DIR}/cmake/CtnnCheckOutput.cmake)
endfunction()
