# cmake -D CSV=data/digits.csv -D OUTPUT=<build>/digits_data.hpp -P examples/digits_header.cmake
# Writes the header examples/digits_recipe.hpp reads: scikit-learn's 8x8 digits (data/digits.csv,
# 1797 rows of 64 pixels 0..16 and the class 0..9) as an array of small integers, which every scalar
# type holds exactly. Run by the build (examples/CMakeLists.txt) and by bench/compile.sh.
file(STRINGS "${CSV}" lines)
list(LENGTH lines count)
if(NOT count EQUAL 1797)
  message(FATAL_ERROR "${CSV}: expected 1797 samples, found ${count}")
endif()
set(rows "")
set(index 0)
foreach(line IN LISTS lines)
  string(REPLACE "," ";" values "${line}")
  list(LENGTH values fields)
  list(GET values 64 class)
  list(REMOVE_AT values 64)
  list(FILTER values EXCLUDE REGEX "^(1[0-6]|[0-9])$")  # what remains is not a pixel 0..16
  list(LENGTH values bad)
  if(NOT fields EQUAL 65 OR NOT bad EQUAL 0 OR NOT class MATCHES "^[0-9]$")
    message(FATAL_ERROR "${CSV}: sample ${index} is not 64 pixels 0..16 and a class 0..9: '${line}'")
  endif()
  string(APPEND rows "    {${line}},\n")
  math(EXPR index "${index} + 1")
endforeach()
file(WRITE "${OUTPUT}" "#pragma once
// Generated from data/digits.csv by examples/digits_header.cmake; do not edit.

namespace digits_data {

inline constexpr unsigned long count = 1797;
// Each row: the 8x8 image's 64 pixels (0..16) row by row, then the class (0..9).
// clang-format off
inline constexpr unsigned char rows[count][65] = {
${rows}};
// clang-format on

}  // namespace digits_data
")
