#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <ctnn/core.hpp>
#include <ctnn/metrics.hpp>
#include <ctnn/metrics_io.hpp>

#include "metrics_sklearn_expected.hpp"  // written by metrics_sklearn.py with scikit-learn

namespace {

std::uint64_t bits(double value)
{
  return std::bit_cast<std::uint64_t>(value);
}

/// Within 4 units in the last place: the averages sum in ctnn's order, NumPy's in its pairwise one.
bool within_4_ulp(double a, double b)
{
  return std::abs(a - b) <= 4 * std::abs(b) * 0x1p-52;
}

template <std::size_t K>
void check_against_sklearn(const sklearn_expected::Case& expected)
{
  INFO(expected.what);
  ctnn::ConfusionMatrix<K> matrix{};
  for (std::size_t t = 0; t < K; ++t)
    for (std::size_t p = 0; p < K; ++p) matrix.counts[t][p] = expected.counts[t * K + p];
  const auto report = ctnn::classification_report(matrix, expected.zero_division);
  for (std::size_t c = 0; c < K; ++c) {
    INFO("class " << c);
    // The same formulas, one rounding each: the same bits.
    CHECK(bits(report.per_class[c].precision) == bits(expected.precision[c]));
    CHECK(bits(report.per_class[c].recall) == bits(expected.recall[c]));
    CHECK(bits(report.per_class[c].f1) == bits(expected.f1[c]));
    CHECK(report.per_class[c].support == expected.support[c]);
  }
  CHECK(bits(report.accuracy) == bits(expected.accuracy));
  CHECK(within_4_ulp(report.macro_average.precision, expected.macro.precision));
  CHECK(within_4_ulp(report.macro_average.recall, expected.macro.recall));
  CHECK(within_4_ulp(report.macro_average.f1, expected.macro.f1));
  CHECK(report.macro_average.support == expected.macro.support);
  CHECK(within_4_ulp(report.weighted_average.precision, expected.weighted.precision));
  CHECK(within_4_ulp(report.weighted_average.recall, expected.weighted.recall));
  CHECK(within_4_ulp(report.weighted_average.f1, expected.weighted.f1));
  CHECK(report.weighted_average.support == expected.weighted.support);
  if (!expected.text2.empty()) {
    CHECK(ctnn::format_classification_report(report, expected.names) == expected.text2);
    CHECK(ctnn::format_classification_report(report, expected.names, 4) == expected.text4);
  }
}

}  // namespace

TEST_CASE("metrics: classification_report equals scikit-learn's on the same predictions, figures and text")
{
  std::size_t checked = 0;
  for (const auto& expected : sklearn_expected::cases) {
    switch (expected.classes) {
      case 2:
        check_against_sklearn<2>(expected);
        break;
      case 3:
        check_against_sklearn<3>(expected);
        break;
      case 4:
        check_against_sklearn<4>(expected);
        break;
      case 10:
        check_against_sklearn<10>(expected);
        break;
      default:
        FAIL("no check for " << expected.classes << " classes");
    }
    ++checked;
  }
  CHECK(checked == 12);
}

TEST_CASE("metrics: hand-computed figures of a two-class matrix")
{
  // 6 samples of class 0 (4 right), 4 of class 1 (3 right): 1 of class 1 predicted 0, 2 of class 0 predicted 1.
  const ctnn::ConfusionMatrix<2> matrix{{{4, 2}, {1, 3}}};
  const auto report = ctnn::classification_report(matrix);
  CHECK(report.per_class[0].precision == 4.0 / 5.0);
  CHECK(report.per_class[0].recall == 4.0 / 6.0);
  CHECK(report.per_class[1].precision == 3.0 / 5.0);
  CHECK(report.per_class[1].recall == 3.0 / 4.0);
  CHECK(report.per_class[1].f1 == 2.0 * (3.0 / 5.0) * (3.0 / 4.0) / (3.0 / 5.0 + 3.0 / 4.0));
  CHECK(report.per_class[0].support == 6);
  CHECK(report.accuracy == 7.0 / 10.0);
  CHECK(report.macro_average.recall == (4.0 / 6.0 + 3.0 / 4.0) / 2.0);
  CHECK(report.weighted_average.recall == (4.0 / 6.0 * 6.0 + 3.0 / 4.0 * 4.0) / 10.0);
  CHECK(report.weighted_average.support == 10);
  const auto floats = ctnn::classification_report<float>(matrix);
  CHECK(floats.per_class[0].precision == 4.0f / 5.0f);
}

// In a constant expression: from a matrix, and from a network's predictions.
constexpr ctnn::ConfusionMatrix<3> constant_matrix{{{5, 0, 1}, {2, 0, 3}, {0, 0, 7}}};
static_assert(ctnn::classification_report(constant_matrix).per_class[2].recall == 1.0);
static_assert(ctnn::classification_report(constant_matrix).per_class[1].precision == 0.0);  // never predicted
static_assert(ctnn::classification_report(constant_matrix, 1.0).per_class[1].precision == 1.0);
static_assert(ctnn::classification_report(constant_matrix).accuracy == 12.0 / 18.0);

using Gate = ctnn::Network<ctnn::Dense<2, 2, ctnn::Sigmoid>, ctnn::Dense<2, 1, ctnn::Sigmoid>>;
constexpr Gate gate = ctnn::initialized<Gate>(ctnn::Uniform01{}, ctnn::Seed{3});
constexpr auto gate_report = ctnn::classification_report(gate, ctnn::datasets::xor_gate());
static_assert(gate_report.per_class[0].support == 2 && gate_report.per_class[1].support == 2);
static_assert(gate_report.accuracy ==
              static_cast<double>(ctnn::confusion_matrix(gate, ctnn::datasets::xor_gate()).correct()) / 4.0);

TEST_CASE("metrics: the report from a network equals the report from its confusion matrix, at runtime too")
{
  const Gate runtime_gate = ctnn::initialized<Gate>(ctnn::Uniform01{}, ctnn::Seed{3});
  const auto report = ctnn::classification_report(runtime_gate, ctnn::datasets::xor_gate());
  const auto from_matrix =
      ctnn::classification_report(ctnn::confusion_matrix(runtime_gate, ctnn::datasets::xor_gate()));
  for (std::size_t c = 0; c < 2; ++c) {
    CHECK(bits(report.per_class[c].f1) == bits(gate_report.per_class[c].f1));
    CHECK(bits(report.per_class[c].f1) == bits(from_matrix.per_class[c].f1));
  }
}

TEST_CASE("metrics: an empty matrix and names that do not fit are errors")
{
  using Catch::Matchers::Equals;
  const ctnn::ConfusionMatrix<2> empty{};
  CHECK_THROWS_WITH(ctnn::classification_report(empty),
                    Equals("ctnn: classification_report needs a confusion matrix of at least one sample"));
  const auto report = ctnn::classification_report(ctnn::ConfusionMatrix<2>{{{1, 0}, {0, 1}}});
  CHECK_THROWS_WITH(ctnn::format_classification_report(report, {"a", "b", "c"}),
                    Equals("ctnn: a classification report needs one name per class (2), got 3"));
  CHECK_THROWS_AS(ctnn::format_classification_report(report, {}, -1), std::invalid_argument);
}

TEST_CASE("metrics: the text numbers the classes without names, and takes a generated header's string_views")
{
  const auto report = ctnn::classification_report(ctnn::ConfusionMatrix<2>{{{3, 1}, {0, 4}}});
  const std::string numbered = ctnn::format_classification_report(report);
  CHECK(numbered.find("\n           0       1.00      0.75      0.86         4\n") != std::string::npos);
  CHECK(numbered.find("\n    accuracy                           0.88         8\n") != std::string::npos);
  static constexpr std::string_view names[] = {"cat", "dog"};  // as ctnn_add_dataset writes them
  std::ostringstream printed;
  ctnn::print_classification_report(report, names, printed);
  CHECK(printed.str() == ctnn::format_classification_report(report, {"cat", "dog"}));
  CHECK(printed.str().find("\n         dog       0.80      1.00      0.89         4\n") != std::string::npos);
}
