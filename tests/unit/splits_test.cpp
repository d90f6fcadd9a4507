#include <catch2/catch.hpp>

#include <array>
#include <map>
#include <span>
#include <vector>

#include <ctnn/core.hpp>
#include <ctnn/datasets/iris.hpp>

// random_split and stratified_split, fixed-size and runtime; batch predict.

namespace {

constexpr auto iris = ctnn::datasets::iris<double>();

// Iris has duplicate rows, so the splits are checked on a copy whose first input is the sample's
// index: each sample can be found again in the parts.
constexpr ctnn::Dataset<4, 3, 150> indexed()
{
  ctnn::Dataset<4, 3, 150> data = iris;
  for (std::size_t i = 0; i < 150; ++i) data[i].input[0] = static_cast<double>(i);
  return data;
}

template <class Part>
std::vector<std::size_t> indices(const Part& part)
{
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < part.size(); ++i) found.push_back(static_cast<std::size_t>(part[i].input[0]));
  return found;
}

template <class Part>
std::map<std::size_t, std::size_t> class_counts(const Part& part)
{
  std::map<std::size_t, std::size_t> counts;
  for (std::size_t i = 0; i < part.size(); ++i) ++counts[ctnn::predicted_class(part[i].target)];
  return counts;
}

// Both parts together hold each sample exactly once, each part in the data's order.
template <class Split>
void check_partition(const Split& split, std::size_t total)
{
  std::vector<int> seen(total, 0);
  const auto mark = [&](const auto& part) {
    const auto found = indices(part);
    for (std::size_t k = 0; k < found.size(); ++k) {
      REQUIRE(found[k] < total);
      ++seen[found[k]];
      if (k > 0) CHECK(found[k - 1] < found[k]);
    }
  };
  mark(split.train);
  mark(split.test);
  for (std::size_t i = 0; i < total; ++i) CHECK(seen[i] == 1);
}

constexpr auto fixed_random = ctnn::random_split<30>(indexed(), ctnn::Seed{4});
constexpr auto fixed_stratified = ctnn::stratified_split<30>(indexed(), ctnn::Seed{4});
static_assert(decltype(fixed_random.train)::size() == 120 && decltype(fixed_random.test)::size() == 30);

}  // namespace

TEST_CASE("random_split: sizes, a partition, the same seed the same split", "[splits]")
{
  check_partition(fixed_random, 150);
  const ctnn::RuntimeDataset<4, 3> runtime{indexed()};
  const auto split = ctnn::random_split(runtime, 30, ctnn::Seed{4});
  REQUIRE(split.train.size() == 120);
  REQUIRE(split.test.size() == 30);
  check_partition(split, 150);
  // The runtime form gives the fixed-size form's split, and a seed its own split.
  CHECK(indices(split.test) == indices(fixed_random.test));
  CHECK(indices(ctnn::random_split(runtime, 30, ctnn::Seed{4}).test) == indices(split.test));
  CHECK(indices(ctnn::random_split(runtime, 30, ctnn::Seed{5}).test) != indices(split.test));
  // Not simply the first or last samples, and not stratified by luck on every seed.
  CHECK(indices(split.test) != indices(ctnn::hold_out_every<5>(runtime).test));

  CHECK_THROWS_WITH(ctnn::random_split(runtime, 0, ctnn::Seed{1}),
                    "ctnn: a split needs 1 <= test size < the data set's size (150), got 0");
  CHECK_THROWS_WITH(ctnn::random_split(runtime, 150, ctnn::Seed{1}),
                    "ctnn: a split needs 1 <= test size < the data set's size (150), got 150");
}

TEST_CASE("stratified_split keeps each class's share", "[splits]")
{
  check_partition(fixed_stratified, 150);
  CHECK(class_counts(fixed_stratified.test) == std::map<std::size_t, std::size_t>{{0, 10}, {1, 10}, {2, 10}});
  CHECK(class_counts(fixed_stratified.train) == std::map<std::size_t, std::size_t>{{0, 40}, {1, 40}, {2, 40}});

  // Unequal classes: 50, 50 and 20 samples (the last 30 of class 2 dropped); a test part of 31 gives
  // the shares 12.9, 12.9, 5.2, so 13, 13 and 5 by largest remainder.
  ctnn::RuntimeDataset<4, 3> unequal;
  for (std::size_t i = 0; i < 120; ++i) unequal.push_back(indexed()[i]);
  const auto split = ctnn::stratified_split(unequal, 31, ctnn::Seed{8});
  check_partition(split, 120);
  CHECK(class_counts(split.test) == std::map<std::size_t, std::size_t>{{0, 13}, {1, 13}, {2, 5}});
  CHECK(indices(ctnn::stratified_split(unequal, 31, ctnn::Seed{8}).test) == indices(split.test));
  CHECK(indices(ctnn::stratified_split(unequal, 31, ctnn::Seed{9}).test) != indices(split.test));
  // A single output: two classes, by target >= 0.5.
  const auto gate = ctnn::stratified_split<2>(ctnn::datasets::xor_gate(), ctnn::Seed{1});
  CHECK(class_counts(gate.test) == std::map<std::size_t, std::size_t>{{0, 1}, {1, 1}});
}

TEST_CASE("predict over a data set, a span and an array gives net.predict of each input", "[predict]")
{
  using Net = ctnn::Network<ctnn::Dense<4, 5, ctnn::Tanh>, ctnn::Dense<5, 3, ctnn::Softmax>>;
  constexpr Net net = ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{2});
  constexpr auto fixed = ctnn::predict(net, iris);  // a std::array, in a constant expression
  static_assert(fixed.size() == 150);
  const ctnn::RuntimeDataset<4, 3> runtime{iris};
  const std::vector<Net::output_type> from_runtime = ctnn::predict(net, runtime);
  REQUIRE(from_runtime.size() == 150);
  std::vector<Net::input_type> inputs;
  for (const auto& sample : iris) inputs.push_back(sample.input);
  std::vector<Net::output_type> from_span(150);
  ctnn::predict(net, std::span<const Net::input_type>(inputs), std::span<Net::output_type>(from_span));
  for (std::size_t i = 0; i < 150; ++i) {
    const auto expected = net.predict(iris[i].input);
    CHECK(fixed[i] == expected);
    CHECK(from_runtime[i] == expected);
    CHECK(from_span[i] == expected);
  }
  const std::array<Net::input_type, 2> two{iris[0].input, iris[149].input};
  const auto pair = ctnn::predict(net, two);
  CHECK(pair[1] == net.predict(iris[149].input));
  std::vector<Net::output_type> short_output(3);
  CHECK_THROWS_WITH(
      ctnn::predict(net, std::span<const Net::input_type>(inputs), std::span<Net::output_type>(short_output)),
      "ctnn: predict needs as many outputs as inputs, got 150 inputs and 3 outputs");
}
