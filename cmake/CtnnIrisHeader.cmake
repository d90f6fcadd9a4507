# cmake -D CSV=data/iris.csv -D OUTPUT=include/ctnn/datasets/iris.hpp -P cmake/CtnnIrisHeader.cmake
# Writes the header that holds the Iris data set. The header is committed (users need no build
# step); the test data.iris_header_in_sync regenerates it and fails when the two differ.
file(STRINGS "${CSV}" lines)
list(POP_FRONT lines header)
if(NOT header MATCHES "^150,4,setosa,versicolor,virginica$")
  message(FATAL_ERROR "${CSV}: unexpected first line '${header}' (expected scikit-learn's iris.csv)")
endif()
list(LENGTH lines count)
if(NOT count EQUAL 150)
  message(FATAL_ERROR "${CSV}: expected 150 samples, found ${count}")
endif()

# Every measurement has one decimal, so it is stored exactly as an integer number of tenths of a cm
# and divided by 10 in the scalar type: one correctly rounded division, the same for float and double.
set(rows "")
set(index 0)
foreach(line IN LISTS lines)
  if(NOT line MATCHES "^([0-9])\\.([0-9]),([0-9])\\.([0-9]),([0-9])\\.([0-9]),([0-9])\\.([0-9]),([012])$")
    message(FATAL_ERROR "${CSV}: sample ${index} is not four one-decimal numbers and a class 0-2: '${line}'")
  endif()
  set(row "")
  foreach(group 1 3 5 7)
    math(EXPR next "${group} + 1")
    math(EXPR tenths "${CMAKE_MATCH_${group}} * 10 + ${CMAKE_MATCH_${next}}")
    string(APPEND row "${tenths}, ")
  endforeach()
  string(APPEND rows "    {${row}${CMAKE_MATCH_9}},  // ${index}\n")
  math(EXPR index "${index} + 1")
endforeach()

file(WRITE "${OUTPUT}" "#pragma once
// Generated from data/iris.csv by cmake/CtnnIrisHeader.cmake; do not edit.
//
// The Iris data set (R. A. Fisher, 1936), as shipped by scikit-learn (Debian python3-sklearn,
// sklearn/datasets/data/iris.csv) and described in data/iris.rst: 150 samples of 3 classes (50 each,
// in class order), 4 measurements in cm: sepal length, sepal width, petal length, petal width.

#include <cstddef>
#include <string_view>

#include \"ctnn/data.hpp\"

namespace ctnn::datasets {

namespace detail {
// Each row: the four measurements in tenths of a cm, then the class.
// clang-format off
inline constexpr unsigned char iris_rows[150][5] = {
${rows}};
// clang-format on
}  // namespace detail

/// The class names, by class index.
inline constexpr std::string_view iris_class_names[3] = {\"setosa\", \"versicolor\", \"virginica\"};

/// The Iris data set: inputs in cm, targets one-hot over the three classes, in the file's order.
template <class T = double>
constexpr Dataset<4, 3, 150, T> iris() noexcept
{
  Dataset<4, 3, 150, T> data{};
  for (std::size_t i = 0; i < 150; ++i) {
    for (std::size_t feature = 0; feature < 4; ++feature)
      data.samples[i].input.values[feature] = T(detail::iris_rows[i][feature]) / T(10);
    data.samples[i].target.values[detail::iris_rows[i][4]] = T(1);
  }
  return data;
}

}  // namespace ctnn::datasets
")

# With -D COMPARE_WITH=<committed header>: fail unless OUTPUT (just written) equals it.
if(DEFINED COMPARE_WITH)
  file(READ "${OUTPUT}" generated)
  file(READ "${COMPARE_WITH}" committed)
  if(NOT generated STREQUAL committed)
    message(FATAL_ERROR "${COMPARE_WITH} differs from what ${CSV} generates; regenerate it with\n"
                        "  cmake -D CSV=data/iris.csv -D OUTPUT=include/ctnn/datasets/iris.hpp -P cmake/CtnnIrisHeader.cmake")
  endif()
endif()
