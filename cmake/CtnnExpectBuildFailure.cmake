# cmake -D TARGET=... -D BINARY_DIR=... [-D CONFIG=...] -D REGEX_COUNT=n -D REGEX_0=... [-D FIRST_ERROR=...]
#       [-D CONSTANT_EXPRESSION_ERROR=...] [-D COMPILER_ID=GNU|Clang] [-D ERROR_COUNT=n]
#       -P CtnnExpectBuildFailure.cmake
# Passes when building TARGET fails with exactly one compiler error, its output matches every
# REGEX_<i>, and (if given) that error line matches FIRST_ERROR: our message must lead, not trail a
# backtrace, and no second error may follow it.
# CONSTANT_EXPRESSION_ERROR is for problems found in a constant expression from runtime values, where
# no static_assert can speak: GCC's error line names the ctnn_error_* function that was reached;
# Clang's error line is always its own ("... must be initialized by a constant expression"), so
# there the regex must match the first note, which names that function.
set(build_command ${CMAKE_COMMAND} --build ${BINARY_DIR} --target ${TARGET})
if(NOT "${CONFIG}" STREQUAL "")  # no build type: `--config` with an empty value is an error
  list(APPEND build_command --config ${CONFIG})
endif()
execute_process(COMMAND ${build_command} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
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

# Compiler diagnostics look like "file:line:col: error: ..." (or "clang++: error: ..."); the build
# tool's own lines ("make: *** ... Error 1", "FAILED: ...") do not match.
# Semicolons would split the lines into list elements: they become commas here.
string(REPLACE ";" "," output_lines "${output}")
string(REGEX MATCHALL "[^\n]*[: ](fatal )?error: [^\n]*" error_lines "${output_lines}")
list(LENGTH error_lines error_count)
if(NOT DEFINED ERROR_COUNT)
  set(ERROR_COUNT 1)
endif()
if(NOT error_count EQUAL ERROR_COUNT)
  list(JOIN error_lines "\n" listed)
  message(FATAL_ERROR "${TARGET}: expected exactly ${ERROR_COUNT} compiler error(s), got ${error_count}:\n${listed}\n\n${output}")
endif()
if(ERROR_COUNT EQUAL 0)  # a build step that is not the compiler failed, and said so (checked above)
  return()
endif()
list(GET error_lines 0 first_error_line)

if(DEFINED FIRST_ERROR AND NOT FIRST_ERROR STREQUAL "")
  if(NOT first_error_line MATCHES "${FIRST_ERROR}")
    message(FATAL_ERROR "${TARGET}: the first error does not match '${FIRST_ERROR}':\n${first_error_line}\n\n${output}")
  endif()
endif()

if(DEFINED CONSTANT_EXPRESSION_ERROR AND NOT CONSTANT_EXPRESSION_ERROR STREQUAL "")
  if(COMPILER_ID MATCHES "Clang")
    string(FIND "${output_lines}" "${first_error_line}" error_at)
    string(SUBSTRING "${output_lines}" ${error_at} -1 from_error)
    string(REGEX MATCH "[^\n]*[: ]note: [^\n]*" first_note_line "${from_error}")
    if(NOT first_error_line MATCHES "must be initialized by a constant expression|is not an integral constant expression")
      message(FATAL_ERROR "${TARGET}: Clang's error is not the constant-expression error:\n${first_error_line}\n\n${output}")
    endif()
    if(NOT first_note_line MATCHES "${CONSTANT_EXPRESSION_ERROR}")
      message(FATAL_ERROR
        "${TARGET}: Clang's first note does not match '${CONSTANT_EXPRESSION_ERROR}':\n${first_note_line}\n\n${output}")
    endif()
  elseif(NOT first_error_line MATCHES "${CONSTANT_EXPRESSION_ERROR}")
    message(FATAL_ERROR
      "${TARGET}: the first error does not match '${CONSTANT_EXPRESSION_ERROR}':\n${first_error_line}\n\n${output}")
  endif()
endif()
message(STATUS "${TARGET} failed as expected, with one error and every expected diagnostic")
