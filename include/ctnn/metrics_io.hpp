#pragma once
// Runtime only: a ClassificationReport (ctnn/metrics.hpp) as text, with class names, in the layout of
// scikit-learn's classification_report, so the two can be compared line by line:
//
//                 precision    recall  f1-score   support
//
//         Europe       0.69      0.64      0.67        14
//          Japan       0.73      0.69      0.71        16
//            USA       0.90      0.94      0.92        49
//
//       accuracy                           0.84        79
//      macro avg       0.78      0.76      0.77        79
//   weighted avg       0.84      0.84      0.84        79

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <iostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ctnn/error.hpp"
#include "ctnn/errors.hpp"
#include "ctnn/metrics.hpp"

namespace ctnn {

namespace detail::metrics_text {

/// The characters of UTF-8 text, as Python's len() counts a str: bytes that do not continue one.
inline std::size_t characters(std::string_view text) noexcept
{
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

inline void right_aligned(std::string& out, std::string_view text, std::size_t width)
{
  const std::size_t length = characters(text);
  if (length < width) out.append(width - length, ' ');
  out += text;
}

template <class T>
std::string fixed(T value, int digits)
{
  char buffer[128];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, digits);
  if (result.ec != std::errc{}) detail::raise(argument_error("ctnn: std::to_chars failed on a score"));
  return std::string(buffer, result.ptr);
}

template <class T>
void scores_line(std::string& out, std::string_view heading, const ClassScores<T>& scores, std::size_t width,
                 int digits)
{
  right_aligned(out, heading, width);
  out += ' ';
  for (const T value : {scores.precision, scores.recall, scores.f1}) {
    out += ' ';
    right_aligned(out, fixed(value, digits), 9);
  }
  out += ' ';
  right_aligned(out, std::to_string(scores.support), 9);
  out += '\n';
}

template <std::size_t Classes, class T>
std::string report_text(const ClassificationReport<Classes, T>& report, std::vector<std::string_view> names, int digits)
{
  if (digits < 0 || digits > 17)
    detail::raise(argument_error("ctnn: a classification report shows 0 to 17 digits, not " + std::to_string(digits)));
  if (!names.empty() && names.size() != Classes)
    detail::raise(argument_error("ctnn: a classification report needs one name per class (" + std::to_string(Classes) +
                                 "), got " + std::to_string(names.size())));
  std::vector<std::string> numbers;
  if (names.empty()) {
    for (std::size_t c = 0; c < Classes; ++c) numbers.push_back(std::to_string(c));
    names.assign(numbers.begin(), numbers.end());
  }
  constexpr std::string_view longest_heading = "weighted avg";
  std::size_t width = std::max<std::size_t>(longest_heading.size(), static_cast<std::size_t>(digits));
  for (const std::string_view name : names) width = std::max(width, characters(name));

  std::string out(width, ' ');
  out += ' ';
  for (const std::string_view header : {"precision", "recall", "f1-score", "support"}) {
    out += ' ';
    right_aligned(out, header, 9);
  }
  out += "\n\n";
  for (std::size_t c = 0; c < Classes; ++c) scores_line(out, names[c], report.per_class[c], width, digits);
  out += '\n';
  right_aligned(out, "accuracy", width);
  out += std::string(1 + 2 * 10, ' ') + ' ';
  right_aligned(out, fixed(report.accuracy, digits), 9);
  out += ' ';
  right_aligned(out, std::to_string(report.macro_average.support), 9);
  out += '\n';
  scores_line(out, "macro avg", report.macro_average, width, digits);
  scores_line(out, "weighted avg", report.weighted_average, width, digits);
  return out;
}

}  // namespace detail::metrics_text

/// The report as scikit-learn's classification_report prints it: a line per class (named by
/// class_names, or numbered when it is empty), then the accuracy and the averages, each score with
/// `digits` digits after the point.
template <std::size_t Classes, class T>
std::string format_classification_report(const ClassificationReport<Classes, T>& report,
                                         const std::vector<std::string>& class_names = {}, int digits = 2)
{
  return detail::metrics_text::report_text(
      report, std::vector<std::string_view>(class_names.begin(), class_names.end()), digits);
}

/// The same, with the class names of a generated header (ctnn::datasets::<name>_class_names), one
/// per class.
template <std::size_t Classes, class T>
std::string format_classification_report(const ClassificationReport<Classes, T>& report,
                                         std::type_identity_t<std::span<const std::string_view, Classes>> class_names,
                                         int digits = 2)
{
  return detail::metrics_text::report_text(
      report, std::vector<std::string_view>(class_names.begin(), class_names.end()), digits);
}

/// Prints format_classification_report(report, class_names) to out.
template <std::size_t Classes, class T>
void print_classification_report(const ClassificationReport<Classes, T>& report,
                                 const std::vector<std::string>& class_names = {}, std::ostream& out = std::cout)
{
  out << format_classification_report(report, class_names);
}

/// Prints format_classification_report(report, class_names) to out.
template <std::size_t Classes, class T>
void print_classification_report(const ClassificationReport<Classes, T>& report,
                                 std::type_identity_t<std::span<const std::string_view, Classes>> class_names,
                                 std::ostream& out = std::cout)
{
  out << format_classification_report(report, class_names);
}

}  // namespace ctnn
