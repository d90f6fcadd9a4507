# cmake -D PROGRAM=<path> -D ARGUMENT=<arg> -D MESSAGE=<text> -P expect_abort.cmake
# Runs PROGRAM ARGUMENT, which must end abnormally (abort) after writing MESSAGE to stderr.
execute_process(COMMAND ${PROGRAM} ${ARGUMENT} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(result EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} ${ARGUMENT} ended normally; it should have aborted")
endif()
string(FIND "${err}" "${MESSAGE}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${PROGRAM} ${ARGUMENT} wrote to stderr:\n${err}\nnot the expected \"${MESSAGE}\"")
endif()
message(STATUS "aborted (${result}) after writing: ${MESSAGE}")
