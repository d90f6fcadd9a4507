#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <iterator>
#include <vector>

#include <ctnn/core.hpp>
#include <ctnn/datasets/iris.hpp>

// A RuntimeDataset holding the same samples as a Dataset trains, evaluates and classifies bit for bit
// the same, at runtime and in a constant expression.

namespace {

using Net = ctnn::Network<ctnn::Dense<4, 5, ctnn::Tanh>, ctnn::Dense<5, 3, ctnn::Softmax>>;
constexpr auto iris = ctnn::datasets::iris<double>();

template <class Data>
constexpr Net trained_on(const Data& data, std::size_t batch_size, bool shuffle)
{
  Net net = ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{7});
  ctnn::fit(net, data, ctnn::CategoricalCrossEntropy{}, ctnn::Adam{0.01},
            {.epochs = 3, .batch_size = batch_size, .shuffle = shuffle, .shuffle_seed = ctnn::Seed{11}});
  return net;
}

template <class V>
bool equal(const V& a, const V& b)
{
  return std::equal(std::begin(a.values), std::end(a.values), std::begin(b.values));
}

// A small data set (the first and last two samples of each class) so the constant evaluator is quick.
constexpr ctnn::Dataset<4, 3, 12> small()
{
  ctnn::Dataset<4, 3, 12> data{};
  std::size_t k = 0;
  for (const std::size_t i : {0u, 1u, 48u, 49u, 50u, 51u, 98u, 99u, 100u, 101u, 148u, 149u}) data[k++] = iris[i];
  return data;
}

constexpr bool runtime_and_fixed_agree(std::size_t batch_size, bool shuffle)
{
  const auto fixed = small();
  const ctnn::RuntimeDataset<4, 3> runtime{fixed};
  const Net a = trained_on(fixed, batch_size, shuffle);
  const Net b = trained_on(runtime, batch_size, shuffle);
  const auto ea = ctnn::evaluate(a, fixed, ctnn::CategoricalCrossEntropy{});
  const auto eb = ctnn::evaluate(b, runtime, ctnn::CategoricalCrossEntropy{});
  const auto ca = ctnn::confusion_matrix(a, fixed);
  const auto cb = ctnn::confusion_matrix(b, runtime);
  bool same_matrix = true;
  for (std::size_t t = 0; t < 3; ++t)
    for (std::size_t p = 0; p < 3; ++p) same_matrix = same_matrix && ca.counts[t][p] == cb.counts[t][p];
  return bitwise_equal(a, b) && ea.loss == eb.loss && ea.correct == eb.correct && ea.samples == eb.samples &&
         same_matrix && ca.total() == 12;
}

static_assert(runtime_and_fixed_agree(1, false));
static_assert(runtime_and_fixed_agree(4, true));

}  // namespace

TEST_CASE("a RuntimeDataset trains bit for bit as the Dataset with the same samples", "[data]")
{
  for (const std::size_t batch : {std::size_t{1}, std::size_t{8}, std::size_t{150}})
    for (const bool shuffle : {false, true}) {
      const ctnn::RuntimeDataset<4, 3> runtime{iris};
      const Net a = trained_on(iris, batch, shuffle);
      const Net b = trained_on(runtime, batch, shuffle);
      CHECK(bitwise_equal(a, b));
      CHECK(!bitwise_equal(a, ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{7})));
      const auto ea = ctnn::evaluate(a, iris, ctnn::CategoricalCrossEntropy{});
      const auto eb = ctnn::evaluate(b, runtime, ctnn::CategoricalCrossEntropy{});
      CHECK(ea.loss == eb.loss);
      CHECK(ea.correct == eb.correct);
      CHECK(eb.samples == 150);
      const auto ca = ctnn::confusion_matrix(a, iris);
      const auto cb = ctnn::confusion_matrix(b, runtime);
      for (std::size_t t = 0; t < 3; ++t)
        for (std::size_t p = 0; p < 3; ++p) CHECK(ca.counts[t][p] == cb.counts[t][p]);
    }
  CHECK(runtime_and_fixed_agree(1, true));
}

TEST_CASE("Standardize::measure and hold_out_every take a RuntimeDataset", "[data]")
{
  const ctnn::RuntimeDataset<4, 3> runtime{iris};
  const auto fixed_split = ctnn::hold_out_every<5>(iris);
  const auto runtime_split = ctnn::hold_out_every<5>(runtime);
  REQUIRE(runtime_split.train.size() == 120);
  REQUIRE(runtime_split.test.size() == 30);
  for (std::size_t i = 0; i < 120; ++i) CHECK(equal(runtime_split.train[i].input, fixed_split.train[i].input));
  for (std::size_t i = 0; i < 30; ++i) CHECK(equal(runtime_split.test[i].target, fixed_split.test[i].target));

  const auto s_fixed = ctnn::Standardize<4>::measure(fixed_split.train);
  const auto s_runtime = ctnn::Standardize<4>::measure(runtime_split.train);
  CHECK(equal(s_fixed.mean, s_runtime.mean));
  CHECK(equal(s_fixed.deviation, s_runtime.deviation));
  const ctnn::RuntimeDataset<4, 3> scaled = s_runtime(runtime_split.test);  // the same kind comes back
  const auto scaled_fixed = s_fixed(fixed_split.test);
  for (std::size_t i = 0; i < 30; ++i) CHECK(equal(scaled[i].input, scaled_fixed[i].input));

  CHECK_THROWS_WITH(ctnn::hold_out_every<5>(ctnn::RuntimeDataset<4, 3>{}),
                    "ctnn: hold_out_every<5> needs at least 5 samples, the data set has 0");
  using Standardize = ctnn::Standardize<4>;
  CHECK_THROWS_WITH(Standardize::measure(ctnn::RuntimeDataset<4, 3>{}),
                    "ctnn: Standardize::measure needs a data set with at least one sample");
  Net net{};
  CHECK_THROWS_WITH(
      ctnn::fit(net, ctnn::RuntimeDataset<4, 3>{}, ctnn::CategoricalCrossEntropy{}, ctnn::SGD{0.1}, {.epochs = 1}),
      "ctnn: fit needs a data set with at least one sample");
}
