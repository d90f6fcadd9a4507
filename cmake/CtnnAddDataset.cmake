# ctnn_add_dataset(<target> NAME <name> CSV <file> [INPUTS <n>] [CLASSES <k> | TARGETS <m>]
#                  [TYPE float|double] [HEADER NONE|NAMES|SKLEARN])
#
# At build time, writes <name>.hpp, which defines
#   template <class T> constexpr ctnn::Dataset<In, Out, N, T> ctnn::datasets::<name>() noexcept;
# holding the CSV file's rows (exact values; T is float or double, or only TYPE's type), and puts it
# on <target>'s include path: #include "<name>.hpp". The header is made again when the file changes.
#
#   HEADER   NONE (default): the first line is data; NAMES: a line of column names (the header also
#            gets <name>_input_names and <name>_target_names); SKLEARN: scikit-learn's
#            "n_samples,n_features,class names..." line, checked against the data (the header also
#            gets <name>_class_names with CLASSES).
#   CLASSES  the last column is a class label 0 .. k-1, made one-hot over k outputs.
#   TARGETS  the last m columns are numeric targets. Without CLASSES and TARGETS, a SKLEARN line's
#            class names give CLASSES.
#   INPUTS   the first n columns are inputs; default: SKLEARN's n_features, else all columns before
#            the targets.
#
# The file is read by ctnn::read_csv's own code (a small generator program, built once per project
# from CTNN_DATASET_GENERATOR_SOURCE), so a malformed file fails the build with read_csv's message:
#   ctnn: <file>, line 3, column 2: expected a number, found 'x'

if(NOT DEFINED CTNN_DATASET_GENERATOR_SOURCE OR NOT EXISTS "${CTNN_DATASET_GENERATOR_SOURCE}")
  message(FATAL_ERROR "ctnn: CtnnAddDataset.cmake needs CTNN_DATASET_GENERATOR_SOURCE, the generator's source file "
                      "(now '${CTNN_DATASET_GENERATOR_SOURCE}')")
endif()
# A global property, so that the function finds it when called from any directory of the project.
set_property(GLOBAL PROPERTY CTNN_DATASET_GENERATOR_SOURCE "${CTNN_DATASET_GENERATOR_SOURCE}")

function(ctnn_add_dataset target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "NAME;CSV;INPUTS;CLASSES;TARGETS;TYPE;HEADER" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ctnn_add_dataset: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "ctnn_add_dataset: ${target} is not a target")
  endif()
  if(NOT arg_NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "ctnn_add_dataset: NAME '${arg_NAME}' is not a C++ identifier")
  endif()
  if(NOT arg_CSV)
    message(FATAL_ERROR "ctnn_add_dataset: CSV <file> is required")
  endif()
  if(DEFINED arg_CLASSES AND DEFINED arg_TARGETS)
    message(FATAL_ERROR "ctnn_add_dataset: give CLASSES or TARGETS, not both")
  endif()

  cmake_path(ABSOLUTE_PATH arg_CSV BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} NORMALIZE OUTPUT_VARIABLE csv)
  # The header names its source relative to the project, so it does not depend on where the tree is.
  cmake_path(IS_PREFIX PROJECT_SOURCE_DIR "${csv}" NORMALIZE in_project)
  if(in_project)
    cmake_path(RELATIVE_PATH csv BASE_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE label)
  else()
    set(label "${csv}")
  endif()

  set(options --csv "${csv}" --label "${label}" --name ${arg_NAME})
  foreach(count INPUTS CLASSES TARGETS)
    if(DEFINED arg_${count})
      if(NOT arg_${count} MATCHES "^[1-9][0-9]*$")
        message(FATAL_ERROR "ctnn_add_dataset: ${count} must be a positive integer, not '${arg_${count}}'")
      endif()
      string(TOLOWER ${count} option)
      list(APPEND options --${option} ${arg_${count}})
    endif()
  endforeach()
  if(DEFINED arg_TYPE)
    if(NOT arg_TYPE MATCHES "^(float|double)$")
      message(FATAL_ERROR "ctnn_add_dataset: TYPE is float or double, not '${arg_TYPE}'")
    endif()
    list(APPEND options --type ${arg_TYPE})
  endif()
  if(DEFINED arg_HEADER)
    if(NOT arg_HEADER MATCHES "^(NONE|NAMES|SKLEARN)$")
      message(FATAL_ERROR "ctnn_add_dataset: HEADER is NONE, NAMES or SKLEARN, not '${arg_HEADER}'")
    endif()
    string(TOLOWER ${arg_HEADER} header)
    list(APPEND options --header ${header})
  endif()

  # One generator per project, a host program like any other of the build.
  if(NOT TARGET ctnn_dataset_generator)
    get_property(generator_source GLOBAL PROPERTY CTNN_DATASET_GENERATOR_SOURCE)
    add_executable(ctnn_dataset_generator "${generator_source}")
    target_link_libraries(ctnn_dataset_generator PRIVATE ctnn::ctnn)
    set_target_properties(ctnn_dataset_generator PROPERTIES EXCLUDE_FROM_ALL ON)
  endif()

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/ctnn_datasets/${target}")
  set(header_file "${dir}/${arg_NAME}.hpp")
  add_custom_command(OUTPUT "${header_file}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${dir}"
    COMMAND ctnn_dataset_generator ${options} --output "${header_file}"
    DEPENDS "${csv}" ctnn_dataset_generator
    COMMENT "Generating ${arg_NAME}.hpp from ${label}"
    VERBATIM)
  target_sources(${target} PRIVATE "${header_file}")
  target_include_directories(${target} PRIVATE "${dir}")
endfunction()
