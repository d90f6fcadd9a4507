# cmake -D TARGET=... -D BINARY_DIR=... -D CONFIG=... -D REGEX_COUNT=n -D REGEX_0=... [-D FIRST_ERROR=...]
#       -P CtnnExpectBuildFailure.cmake
# Passes when building TARGET fails, its output matches every REGEX_<i>, and (if given) the
# first line that says "error:" matches FIRST_ERROR: our message must lead, not trail a backtrace.
execute_process(
  COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} --target ${TARGET} --config ${CONFIG}
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(result EQUAL 0)
  message(FATAL_ERROR "${TARGET} compiled, but it must fail with a ctnn diagnostic")
endif()
if(REGEX_COUNT LESS 1)
  message(FATAL_ERROR "${TARGET}: no regex given; a compile-fail test must name the diagnostic it expects")
endif()
math(EXPR last "${REGEX_COUNT} - 1")
foreach(i RANGE ${last})
  set(regex "${REGEX_${i}}")
  if(NOT output MATCHES "${regex}")
    message(FATAL_ERROR "${TARGET} failed, but its output does not match '${regex}':\n${output}")
  endif()
endforeach()
if(DEFINED FIRST_ERROR AND NOT FIRST_ERROR STREQUAL "")
  string(REGEX MATCH "[^\n]*error:[^\n]*" first_error_line "${output}")
  if(NOT first_error_line MATCHES "${FIRST_ERROR}")
    message(FATAL_ERROR "${TARGET}: the first error does not match '${FIRST_ERROR}':\n${first_error_line}\n\n${output}")
  endif()
endif()
message(STATUS "${TARGET} failed as expected, with every expected diagnostic")
