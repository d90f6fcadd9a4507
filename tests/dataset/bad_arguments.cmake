# cmake -D SOURCE_DIR=<ctnn> -D BINARY_DIR=<scratch> -D GENERATOR=<generator> -P bad_arguments.cmake
# Configures a scratch project that calls ctnn_add_dataset with one wrong argument per case, and
# passes when each configuration fails with the function's message for it.
cmake_minimum_required(VERSION 3.25)

set(cases
  "NA_POLICY DROP|ctnn_add_dataset: NA_POLICY is one of ERROR, DROP_ROW, FILL, KEEP, not 'DROP'"
  "CLASS_ORDER sorted|ctnn_add_dataset: CLASS_ORDER is one of SORTED, FIRST_SEEN, not 'sorted'"
  "HEADER PANDAS|ctnn_add_dataset: HEADER is one of NONE, NAMES, SKLEARN, not 'PANDAS'"
  "CLASSES 0|ctnn_add_dataset: CLASSES must be a positive integer, not '0'"
  "INPUT_COLUMNS|ctnn_add_dataset: INPUT_COLUMNS needs a value"
  "CLASS_COLUMN|ctnn_add_dataset: CLASS_COLUMN needs a value"
  "COLUMNS a b|ctnn_add_dataset: unexpected arguments: COLUMNS")
set(index 0)
foreach(case IN LISTS cases)
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 arguments)
  list(GET parts 1 expected)
  set(dir "${BINARY_DIR}/case${index}")
  file(REMOVE_RECURSE "${dir}")
  file(MAKE_DIRECTORY "${dir}/source")
  file(WRITE "${dir}/source/CMakeLists.txt" "cmake_minimum_required(VERSION 3.25)
project(bad_arguments LANGUAGES NONE)
set(CTNN_DATASET_GENERATOR_SOURCE \"${SOURCE_DIR}/tools/ctnn_dataset_generator.cpp\")
include(\"${SOURCE_DIR}/cmake/CtnnAddDataset.cmake\")
add_custom_target(app)
ctnn_add_dataset(app NAME data CSV data.csv ${arguments})
")
  execute_process(COMMAND ${CMAKE_COMMAND} -S "${dir}/source" -B "${dir}/build" -G "${GENERATOR}"
                  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(result EQUAL 0)
    message(FATAL_ERROR "ctnn_add_dataset(... ${arguments}) was accepted")
  endif()
  string(REGEX REPLACE "[ \n]+" " " flat "${output}")  # CMake wraps its messages
  string(FIND "${flat}" "${expected}" found)
  if(found EQUAL -1)
    message(FATAL_ERROR "ctnn_add_dataset(... ${arguments}) failed without '${expected}':\n${output}")
  endif()
  math(EXPR index "${index} + 1")
endforeach()
message(STATUS "${index} wrong arguments stopped CMake with their messages")
