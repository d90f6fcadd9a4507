// The Impute layer: measured means and medians (NaN left out, as NumPy's nanmean / nanmedian), NaN
// inputs filled in predict() and fit(), the compiler's training equal to the runtime's, the same
// bits as training without the layer on the imputed data, model files and headers, and read_csv's
// CsvNaPolicy::keep that gives it its NaNs.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include <ctnn/ctnn.hpp>
#include <ctnn/impute.hpp>

#include "bit_helpers.hpp"

namespace {

constexpr double missing = std::numeric_limits<double>::quiet_NaN();

using Filled = ctnn::Network<ctnn::Impute<3>, ctnn::Dense<3, 4, ctnn::Tanh>, ctnn::Dense<4, 1, ctnn::Sigmoid>>;
using Plain = ctnn::Network<ctnn::Dense<3, 4, ctnn::Tanh>, ctnn::Dense<4, 1, ctnn::Sigmoid>>;

constexpr ctnn::Dataset<3, 1, 8> with_missing()
{
  return {{{{{0.5, missing, -1.0}}, {{1.0}}},
           {{{-0.25, 2.0, missing}}, {{0.0}}},
           {{{missing, 1.5, 0.5}}, {{1.0}}},
           {{{-0.75, -1.0, 2.0}}, {{0.0}}},
           {{{1.0, missing, 1.0}}, {{1.0}}},
           {{{-0.5, 0.25, missing}}, {{0.0}}},
           {{{0.75, 0.5, -0.5}}, {{1.0}}},
           {{{missing, -0.5, 0.0}}, {{0.0}}}}};
}

template <class T>
constexpr ctnn::Dataset<3, 1, 8, T> with_missing_as()
{
  const auto data = with_missing();
  ctnn::Dataset<3, 1, 8, T> converted{};
  for (std::size_t i = 0; i < 8; ++i) {
    for (std::size_t f = 0; f < 3; ++f) converted.samples[i].input.values[f] = static_cast<T>(data[i].input.values[f]);
    converted.samples[i].target.values[0] = static_cast<T>(data[i].target.values[0]);
  }
  return converted;
}

// Impute + Dense trained on the data with NaNs, and the Dense alone on the data it imputed: the
// fingerprints of both Dense stacks, equal when the layer only fills and passes on.
template <class T = double>
constexpr std::uint64_t trained_with_layer(T learning_rate)
{
  using F = ctnn::Network<ctnn::Impute<3, T>, ctnn::Dense<3, 4, ctnn::Tanh, T>, ctnn::Dense<4, 1, ctnn::Sigmoid, T>>;
  using P = ctnn::Network<ctnn::Dense<3, 4, ctnn::Tanh, T>, ctnn::Dense<4, 1, ctnn::Sigmoid, T>>;
  const auto data = with_missing_as<T>();
  F net = ctnn::initialized<F>(ctnn::XavierUniform{}, ctnn::Seed{4});
  net.template layer<0>() = ctnn::Impute<3, T>::measure(data, ctnn::ImputeStrategy::median);
  ctnn::fit(net, data, ctnn::BinaryCrossEntropy{}, ctnn::SGD<T>{learning_rate}, {.epochs = 10});
  return ctnn::parameter_fingerprint(P{{net.template layer<1>(), net.template layer<2>()}});
}

template <class T = double>
constexpr std::uint64_t trained_on_imputed(T learning_rate)
{
  using P = ctnn::Network<ctnn::Dense<3, 4, ctnn::Tanh, T>, ctnn::Dense<4, 1, ctnn::Sigmoid, T>>;
  const auto data = with_missing_as<T>();
  P net = ctnn::initialized<P>(ctnn::XavierUniform{}, ctnn::Seed{4});
  ctnn::fit(net, ctnn::Impute<3, T>::measure(data, ctnn::ImputeStrategy::median)(data), ctnn::BinaryCrossEntropy{},
            ctnn::SGD<T>{learning_rate}, {.epochs = 10});
  return ctnn::parameter_fingerprint(net);
}

template <class T, std::size_t N>
bool same_bits(const ctnn::Vector<T, N>& a, const ctnn::Vector<T, N>& b)
{
  for (std::size_t i = 0; i < N; ++i)
    if (std::bit_cast<std::uint64_t>(a.values[i]) != std::bit_cast<std::uint64_t>(b.values[i])) return false;
  return true;
}

}  // namespace

TEST_CASE("impute: measure takes each column's mean or median without its NaNs")
{
  const auto data = with_missing();
  // np.nanmean / np.nanmedian of the columns.
  const auto mean = ctnn::Impute<3>::measure(data);
  CHECK(mean.values.values[0] == Approx((0.5 - 0.25 - 0.75 + 1.0 - 0.5 + 0.75) / 6));
  CHECK(mean.values.values[1] == Approx((2.0 + 1.5 - 1.0 + 0.25 + 0.5 - 0.5) / 6));
  CHECK(mean.values.values[2] == Approx((-1.0 + 0.5 + 2.0 + 1.0 - 0.5 + 0.0) / 6));
  const auto median = ctnn::Impute<3>::measure(data, ctnn::ImputeStrategy::median);
  CHECK(median.values.values[0] == 0.125);  // sorted -0.75 -0.5 -0.25 0.5 0.75 1: (-0.25 + 0.5) / 2
  CHECK(median.values.values[1] == 0.375);  // -1 -0.5 0.25 0.5 1.5 2: (0.25 + 0.5) / 2
  CHECK(median.values.values[2] == 0.25);   // -1 -0.5 0 0.5 1 2: (0 + 0.5) / 2
  ctnn::RuntimeDataset<1, 1> odd;
  for (double v : {3.0, missing, -1.0, 7.0}) odd.push_back({{{v}}, {{0.0}}});
  CHECK(ctnn::Impute<1>::measure(odd, ctnn::ImputeStrategy::median).values.values[0] == 3.0);

  ctnn::RuntimeDataset<2, 1> empty_column;
  empty_column.push_back({{{1.0, missing}}, {{0.0}}});
  CHECK_THROWS_WITH(ctnn::Impute<2>::measure(empty_column),
                    "ctnn: Impute::measure: input 2 is missing in every sample, so it has no mean or median to fill "
                    "it with");
}

TEST_CASE("impute: NaN inputs are filled, every other value passes unchanged")
{
  const ctnn::Impute<4> layer{{{1.5, -2.0, 0.25, 8.0}}};
  const double inf = std::numeric_limits<double>::infinity();
  const auto y = layer({{missing, -0.0, inf, -missing}});
  CHECK(same_bits(y, ctnn::Vector<double, 4>{{1.5, -0.0, inf, 8.0}}));
  static_assert(ctnn::Impute<2>{{{3.0, 4.0}}}({{std::numeric_limits<double>::quiet_NaN(), 1.0}}).values[0] == 3.0);
}

TEST_CASE("impute: fit with NaN inputs, in the compiler as at runtime, as training on the imputed data")
{
  constexpr std::uint64_t compiled = trained_with_layer(0.5);
  static_assert(compiled == trained_on_imputed(0.5));
  CHECK(trained_with_layer(bit_helpers::opaque(0.5)) == compiled);
  CHECK(trained_on_imputed(bit_helpers::opaque(0.5)) == compiled);
  constexpr std::uint64_t compiled_float = trained_with_layer(0.5f);
  static_assert(compiled_float == trained_on_imputed(0.5f));
  CHECK(trained_with_layer(bit_helpers::opaque(0.5f)) == compiled_float);
  CHECK(trained_on_imputed(bit_helpers::opaque(0.5f)) == compiled_float);
}

TEST_CASE("impute: NaN inputs without an Impute layer, NaN targets and infinities are still errors")
{
  const auto data = with_missing();
  Plain plain{};
  CHECK_THROWS_WITH(ctnn::fit(plain, data, ctnn::BinaryCrossEntropy{}, ctnn::SGD{0.1}, {.epochs = 1}),
                    "ctnn: the training data has a NaN or an infinity in sample 0");
  Filled filled{};
  auto bad_target = data;
  bad_target.samples[3].target.values[0] = missing;
  CHECK_THROWS_WITH(ctnn::fit(filled, bad_target, ctnn::BinaryCrossEntropy{}, ctnn::SGD{0.1}, {.epochs = 1}),
                    "ctnn: the training data has a NaN or an infinity in sample 3");
  auto infinite = data;
  infinite.samples[5].input.values[1] = -std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(ctnn::fit(filled, infinite, ctnn::BinaryCrossEntropy{}, ctnn::SGD{0.1}, {.epochs = 1}),
                    "ctnn: the training data has a NaN or an infinity in sample 5");
  CHECK_THROWS_WITH(ctnn::fit(filled, ctnn::with_validation(data, infinite), ctnn::BinaryCrossEntropy{}, ctnn::SGD{0.1},
                              {.epochs = 1}),
                    "ctnn: the validation data has a NaN or an infinity in sample 5");
  CHECK_NOTHROW(
      ctnn::fit(filled, ctnn::with_validation(data, data), ctnn::BinaryCrossEntropy{}, ctnn::SGD{0.1}, {.epochs = 1}));
}

TEST_CASE("impute: saved with the model, read back and written as a header")
{
  const auto data = with_missing();
  Filled net = ctnn::initialized<Filled>(ctnn::XavierUniform{}, ctnn::Seed{4});
  net.layer<0>() = ctnn::Impute<3>::measure(data);
  ctnn::fit(net, data, ctnn::BinaryCrossEntropy{}, ctnn::SGD{0.5}, {.epochs = 3});
  const std::string text = ctnn::model_text(net, {"no", "yes"});
  CHECK(text.find("\nlayer 1 Impute 3 3\n") != std::string::npos);
  Filled loaded{};
  std::vector<std::string> names;
  ctnn::load_model_text_into(loaded, text, "impute.model", &names);
  CHECK(names == std::vector<std::string>{"no", "yes"});
  CHECK(ctnn::parameter_fingerprint(loaded) == ctnn::parameter_fingerprint(net));
  CHECK(same_bits(loaded.layer<0>().values, net.layer<0>().values));
  for (const auto& sample : data) CHECK(same_bits(loaded.predict(sample.input), net.predict(sample.input)));
  CHECK(same_bits(ctnn::for_inference(loaded).predict({{missing, missing, missing}}),
                  net.predict(net.layer<0>().values)));

  const std::string header = ctnn::model_header(net, "imputing_model", {"no", "yes"});
  CHECK(header.find("#include <ctnn/impute.hpp>\n") != std::string::npos);
  CHECK(header.find("    ctnn::Impute<3, double>{\n") != std::string::npos);

  // A fill value that is not finite cannot be saved.
  Filled broken = net;
  broken.layer<0>().values.values[2] = missing;
  CHECK_THROWS_AS(ctnn::model_text(broken), ctnn::model_file_error);
}

TEST_CASE("impute: read_csv's na_policy keep reads missing inputs as NaN, and write_csv writes them back")
{
  const std::string csv = "a,b,kind\n1.5,NA,x\n,2,y\n?,null,x\n";
  ctnn::CsvReport report;
  const auto data = ctnn::read_csv_text<2, 1>(csv, "keep.csv",
                                              {.header = ctnn::CsvHeader::names,
                                               .targets = ctnn::CsvTargets::class_label,
                                               .na_policy = ctnn::CsvNaPolicy::keep},
                                              report);
  REQUIRE(data.size() == 3);
  CHECK(data[0].input.values[0] == 1.5);
  CHECK(std::isnan(data[0].input.values[1]));
  CHECK(std::isnan(data[1].input.values[0]));
  CHECK(data[1].input.values[1] == 2.0);
  CHECK((std::isnan(data[2].input.values[0]) && std::isnan(data[2].input.values[1])));
  CHECK(report.missing_inputs == std::vector<std::size_t>{2, 2});
  CHECK(report.dropped_rows == 0);
  CHECK(report.filled_values == 0);
  const std::string written = ctnn::write_csv_text(data);
  CHECK(written == "x0,x1,class\n1.5,NaN,x\nNaN,2,y\nNaN,NaN,x\n");
  const auto again = ctnn::read_csv_text<2, 1>(written, "again.csv",
                                               {.header = ctnn::CsvHeader::names,
                                                .targets = ctnn::CsvTargets::class_label,
                                                .na_policy = ctnn::CsvNaPolicy::keep});
  CHECK(ctnn::write_csv_text(again) == written);

  const ctnn::CsvOptions keep{.na_policy = ctnn::CsvNaPolicy::keep};
  CHECK_THROWS_WITH((ctnn::read_csv_text<2, 1>("1,2,NA\n", "t.csv", keep)),
                    "ctnn: t.csv, line 1, column 3: expected a number (a target), found 'NA', a missing value, which "
                    "na_policy keep keeps only in inputs");
  const ctnn::CsvOptions keep_labels{
      .header = ctnn::CsvHeader::names, .targets = ctnn::CsvTargets::class_label, .na_policy = ctnn::CsvNaPolicy::keep};
  CHECK_THROWS_WITH(
      (ctnn::read_csv_text<2, 1>("a,b,kind\n1,2,?\n", "t.csv", keep_labels)),
      "ctnn: t.csv, line 2, column 3 ('kind'): expected a class label (a target), found '?', a missing value, "
      "which na_policy keep keeps only in inputs");
}
