#pragma once
// Per-class figures of a classifier, from its confusion matrix: precision, recall, F1 and support of
// each class, their macro and weighted averages, and the accuracy. constexpr, and computed as
// scikit-learn's classification_report computes them (tests/unit/metrics_test.cpp compares the two):
//
//   constexpr auto report = ctnn::classification_report(ctnn::confusion_matrix(net, test));
//   static_assert(report.per_class[2].recall > 0.9);
//   ctnn::print_classification_report(report, test.class_names());  // ctnn/metrics_io.hpp, runtime
//
// A class that is never predicted has no precision, one that has no sample no recall: both are
// zero_division (0 unless given, as scikit-learn's default), and F1 is 0 when precision and recall are.

#include <cstddef>
#include <stdexcept>

#include "ctnn/evaluate.hpp"
#include "ctnn/network.hpp"

namespace ctnn {

/// The figures of one class, or their average over the classes.
template <class T = double>
struct ClassScores {
  T precision{};            ///< tp / (tp + fp): of the samples predicted to be the class, the share that is
  T recall{};               ///< tp / (tp + fn): of the samples of the class, the share predicted to be it
  T f1{};                   ///< 2 precision recall / (precision + recall), their harmonic mean
  std::size_t support = 0;  ///< the samples of the class (for an average: all samples)
};

/// classification_report(): each class's scores, in class order, their averages and the accuracy.
template <std::size_t Classes, class T = double>
struct ClassificationReport {
  ClassScores<T> per_class[Classes];
  /// The share of samples whose class was predicted right.
  T accuracy{};
  /// The unweighted mean of the classes' scores: each class counts as much as any other.
  ClassScores<T> macro_average;
  /// The mean of the classes' scores weighted by their support: each sample counts as much.
  ClassScores<T> weighted_average;

  static constexpr std::size_t classes() noexcept { return Classes; }
};

namespace detail {

[[noreturn]] inline void ctnn_error_a_classification_report_needs_at_least_one_sample()
{
  detail::raise(argument_error("ctnn: classification_report needs a confusion matrix of at least one sample"));
}

}  // namespace detail

/// Precision, recall, F1 and support per class, their macro and weighted averages, and the accuracy,
/// from a confusion matrix (rows the true classes, columns the predicted ones). zero_division is the
/// precision of a class never predicted and the recall of a class without samples. An empty matrix is
/// an error (std::invalid_argument at runtime).
template <class T = double, std::size_t Classes>
constexpr ClassificationReport<Classes, T> classification_report(const ConfusionMatrix<Classes>& matrix,
                                                                 T zero_division = T(0))
{
  static_assert(std::is_floating_point_v<T>, "ctnn: classification_report's scores are float or double");
  const std::size_t total = matrix.total();
  if (total == 0) detail::ctnn_error_a_classification_report_needs_at_least_one_sample();
  ClassificationReport<Classes, T> report{};
  for (std::size_t c = 0; c < Classes; ++c) {
    std::size_t predicted = 0, actual = 0;
    for (std::size_t other = 0; other < Classes; ++other) {
      predicted += matrix.counts[other][c];
      actual += matrix.counts[c][other];
    }
    const T hits = static_cast<T>(matrix.counts[c][c]);
    ClassScores<T>& scores = report.per_class[c];
    scores.precision = predicted == 0 ? zero_division : hits / static_cast<T>(predicted);
    scores.recall = actual == 0 ? zero_division : hits / static_cast<T>(actual);
    const T sum = scores.precision + scores.recall;
    scores.f1 = sum == T(0) ? T(0) : T(2) * scores.precision * scores.recall / sum;
    scores.support = actual;
  }
  report.accuracy = static_cast<T>(matrix.correct()) / static_cast<T>(total);
  ClassScores<T> macro{}, weighted{};
  for (const ClassScores<T>& scores : report.per_class) {
    macro.precision += scores.precision;
    macro.recall += scores.recall;
    macro.f1 += scores.f1;
    const T support = static_cast<T>(scores.support);
    weighted.precision += scores.precision * support;
    weighted.recall += scores.recall * support;
    weighted.f1 += scores.f1 * support;
  }
  const T classes = static_cast<T>(Classes), samples = static_cast<T>(total);
  report.macro_average = {macro.precision / classes, macro.recall / classes, macro.f1 / classes, total};
  report.weighted_average = {weighted.precision / samples, weighted.recall / samples, weighted.f1 / samples, total};
  return report;
}

/// The classification report of net's predictions over data (see confusion_matrix).
template <class T = double, class... Layers, class Data>
constexpr auto classification_report(const Network<Layers...>& net, const Data& data, T zero_division = T(0))
{
  return classification_report<T>(confusion_matrix(net, data), zero_division);
}

}  // namespace ctnn
