# cmake -D CLANG_FORMAT=<path> -D SOURCE_DIR=<repo> -P CtnnFormatCheck.cmake
# Passes when every C++ file of the project is formatted as .clang-format says (checked, not changed).
# Fix with: clang-format-16 -i $(git ls-files '*.hpp' '*.cpp')
file(GLOB_RECURSE sources
  ${SOURCE_DIR}/include/*.hpp ${SOURCE_DIR}/tests/*.hpp ${SOURCE_DIR}/tests/*.cpp
  ${SOURCE_DIR}/examples/*.hpp ${SOURCE_DIR}/examples/*.cpp ${SOURCE_DIR}/bench/*.hpp ${SOURCE_DIR}/bench/*.cpp
  ${SOURCE_DIR}/tools/*.cpp)
execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${sources}
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "these files are not formatted (run clang-format -i on them):\n${output}")
endif()
list(LENGTH sources count)
message(STATUS "${count} files formatted as .clang-format says")
