# ctnn_add_dataset(<target> NAME <name> CSV <file> [HEADER NONE|NAMES|SKLEARN] [TYPE float|double]
#                  [INPUTS <n>] [INPUT_COLUMNS <column>...]
#                  [CLASS_COLUMN <column>] [CLASSES <k>] [CLASS_NAMES <name>...] [CLASS_ORDER SORTED|FIRST_SEEN]
#                  [TARGET_COLUMNS <column>...] [TARGETS <m>]
#                  [NA_VALUES <spelling>...] [NA_POLICY ERROR|DROP_ROW|FILL|KEEP] [NA_FILL <number>])
#
# At build time, writes <name>.hpp, which defines
#   template <class T> constexpr ctnn::Dataset<In, Out, N, T> ctnn::datasets::<name>() noexcept;
# holding the CSV file's rows (exact values; T is float or double, or only TYPE's type), and puts it
# on <target>'s include path: #include "<name>.hpp". The header is made again when the file changes.
# The options are ctnn::read_csv's (docs/csv.md), and so are the rules and the error messages:
#
#   HEADER          NONE (default): the first line is data; NAMES: a line of column names (the header also
#                   gets <name>_input_names and <name>_target_names); SKLEARN: scikit-learn's
#                   "n_samples,n_features,class names..." line, checked against the data.
#   <column>        an index from 0 when it is decimal digits, else a name on the HEADER NAMES line.
#   INPUT_COLUMNS   the input columns, in order (read_csv's input_columns); other columns are skipped
#                   unread. INPUTS <n>: the first n columns. Default: SKLEARN's n_features; else, with
#                   CLASS_COLUMN or TARGET_COLUMNS, every other column; else the columns left of the targets.
#   CLASS_COLUMN    the class-label column: integers or names, made one-hot over the classes (read_csv's
#                   class_label). Its classes: CLASSES <k>, else as many as CLASS_NAMES, else the SKLEARN
#                   line's names, else as many as the labels name (integer labels: the largest plus one,
#                   every class occurring). Without CLASS_COLUMN, CLASSES <k>, CLASS_NAMES or CLASS_ORDER
#                   make the column after the inputs (the last one, by default) the label.
#   CLASS_NAMES     the classes' names in class order, which every label must be; default: the labels,
#                   in CLASS_ORDER (SORTED, as scikit-learn: integer labels are the class indices; or
#                   FIRST_SEEN). The header gets <name>_class_names whenever the classes have names.
#   TARGET_COLUMNS  numeric target columns; TARGETS <m>: the m columns after the inputs (the last m, by
#                   default). Without any of these, a SKLEARN line's class names make a class label.
#   NA_VALUES       the spellings of a missing value, replacing read_csv's "" NA NaN ? null ("" is the
#                   empty field; NA_VALUES alone: none). Used unless NA_POLICY is ERROR (the default):
#                   DROP_ROW leaves such rows out (the header's comment says which), FILL puts NA_FILL in
#                   place of a missing number, KEEP makes a missing input NaN for a model that starts
#                   with ctnn::Impute (a missing target is still an error).
#
# The file is read by ctnn::read_csv's own code (a small generator program, built once per project
# from CTNN_DATASET_GENERATOR_SOURCE), so a malformed file fails the build with read_csv's message:
#   ctnn: <file>, line 3, column 2: expected a number, found 'x'
# A value equal to one of this function's keywords (a column or class named TYPE, say) cannot be given.

if(NOT DEFINED CTNN_DATASET_GENERATOR_SOURCE OR NOT EXISTS "${CTNN_DATASET_GENERATOR_SOURCE}")
  message(FATAL_ERROR "ctnn: CtnnAddDataset.cmake needs CTNN_DATASET_GENERATOR_SOURCE, the generator's source file "
                      "(now '${CTNN_DATASET_GENERATOR_SOURCE}')")
endif()
# A global property, so that the function finds it when called from any directory of the project.
set_property(GLOBAL PROPERTY CTNN_DATASET_GENERATOR_SOURCE "${CTNN_DATASET_GENERATOR_SOURCE}")

function(ctnn_add_dataset target)
  set(one_value NAME CSV INPUTS CLASSES TARGETS TYPE HEADER CLASS_COLUMN CLASS_ORDER NA_POLICY NA_FILL)
  set(multi_value INPUT_COLUMNS TARGET_COLUMNS CLASS_NAMES NA_VALUES)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "${one_value}" "${multi_value}")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ctnn_add_dataset: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  foreach(keyword IN LISTS arg_KEYWORDS_MISSING_VALUES)
    if(NOT keyword STREQUAL "NA_VALUES")  # alone: no spelling of a missing value
      message(FATAL_ERROR "ctnn_add_dataset: ${keyword} needs a value")
    endif()
  endforeach()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "ctnn_add_dataset: ${target} is not a target")
  endif()
  if(NOT arg_NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "ctnn_add_dataset: NAME '${arg_NAME}' is not a C++ identifier")
  endif()
  if(NOT arg_CSV)
    message(FATAL_ERROR "ctnn_add_dataset: CSV <file> is required")
  endif()

  cmake_path(ABSOLUTE_PATH arg_CSV BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} NORMALIZE OUTPUT_VARIABLE csv)
  # The header names its source relative to the project, so it does not depend on where the tree is.
  cmake_path(IS_PREFIX PROJECT_SOURCE_DIR "${csv}" NORMALIZE in_project)
  if(in_project)
    cmake_path(RELATIVE_PATH csv BASE_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE label)
  else()
    set(label "${csv}")
  endif()

  # Each argument becomes the generator's option of the same name; the generator checks how they go
  # together, with read_csv's rules.
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
  foreach(choice IN ITEMS "TYPE;float|double" "HEADER;NONE|NAMES|SKLEARN" "CLASS_ORDER;SORTED|FIRST_SEEN"
                          "NA_POLICY;ERROR|DROP_ROW|FILL|KEEP")
    list(GET choice 0 keyword)
    list(GET choice 1 values)
    if(DEFINED arg_${keyword})
      if(NOT arg_${keyword} MATCHES "^(${values})$")
        string(REPLACE "|" ", " listed "${values}")
        message(FATAL_ERROR "ctnn_add_dataset: ${keyword} is one of ${listed}, not '${arg_${keyword}}'")
      endif()
      string(TOLOWER "${keyword}" option)
      string(REPLACE "_" "-" option "${option}")
      string(TOLOWER "${arg_${keyword}}" value)
      list(APPEND options --${option} ${value})
    endif()
  endforeach()
  foreach(single CLASS_COLUMN NA_FILL)
    if(DEFINED arg_${single})
      string(TOLOWER "${single}" option)
      string(REPLACE "_" "-" option "${option}")
      list(APPEND options --${option} "${arg_${single}}")
    endif()
  endforeach()
  foreach(list_keyword INPUT_COLUMNS TARGET_COLUMNS CLASS_NAMES)
    string(REGEX REPLACE "S$" "" option "${list_keyword}")  # INPUT_COLUMNS: --input-column each
    string(TOLOWER "${option}" option)
    string(REPLACE "_" "-" option "${option}")
    foreach(value IN LISTS arg_${list_keyword})
      list(APPEND options --${option} "${value}")
    endforeach()
  endforeach()
  if("NA_VALUES" IN_LIST arg_KEYWORDS_MISSING_VALUES)
    list(APPEND options --na-none)
  elseif(DEFINED arg_NA_VALUES)
    list(APPEND options --na-none)
    if(arg_NA_VALUES STREQUAL "")  # NA_VALUES "": the empty field alone, a list CMake sees as empty
      list(APPEND options --na-empty)
    endif()
    foreach(value IN LISTS arg_NA_VALUES)
      if(value STREQUAL "")
        list(APPEND options --na-empty)
      else()
        list(APPEND options --na "${value}")
      endif()
    endforeach()
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
