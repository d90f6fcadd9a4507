// The compile-time training step's shortcuts give one runtime fit()'s bits: a ReLU layer's SGD step
// skips the rows of units that were off when no weight is -0 (Dense::backward_and_update_into), and
// the softmax shares its exponentials with the fused cross-entropy (CategoricalCrossEntropy::
// value_softmax_and_pre_activation_gradient). Both only in a constant expression; fit() at runtime
// computes every row and every exponential.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>

#include <ctnn/ctnn.hpp>

namespace {

// 24-16-5: both layers run the row folds in the compiler (more than 64 weights, at most 128 inputs).
using Net = ctnn::Network<ctnn::Dense<24, 16, ctnn::ReLU>, ctnn::Dense<16, 5, ctnn::Softmax>>;
constexpr std::size_t sample_count = 40;
using Data = ctnn::Dataset<24, 5, sample_count>;

// Inputs of both signs (so that a step on a zero delta subtracts -0 from some weights), one-hot targets.
constexpr Data data()
{
  Data d{};
  for (std::size_t i = 0; i < sample_count; ++i) {
    for (std::size_t j = 0; j < 24; ++j)
      d.samples[i].input.values[j] = static_cast<double>(static_cast<int>((i * 7 + j * 13) % 17) - 8) / 4.0;
    d.samples[i].target.values[i % 5] = 1.0;
  }
  return d;
}

constexpr Net untrained()
{
  return ctnn::initialized<Net>(ctnn::PerLayer{ctnn::HeNormal{}, ctnn::XavierUniform{}}, ctnn::Seed{7});
}

// The same start with the first hidden unit always off (bias -1000) and its weights -0: the runtime
// step subtracts rate * (0 * x[j]) = -0 from them wherever x[j] < 0, which turns them to +0, so no
// row may be skipped in the compiler either.
constexpr Net with_negative_zero_weights()
{
  Net net = untrained();
  auto& first = net.layer<0>();
  for (std::size_t j = 0; j < 24; ++j) first.weights.values[j] = -0.0;
  first.bias.values[0] = -1000.0;
  return net;
}

template <class Start>
constexpr Net trained(Start start)
{
  Net net = start();
  ctnn::fit(net, data(), ctnn::CategoricalCrossEntropy{}, ctnn::SGD{0.05}, {.epochs = 3});
  return net;
}

constexpr Net trained_by_compiler = trained(untrained);
constexpr Net trained_by_compiler_from_negative_zeros = trained(with_negative_zero_weights);

// How many (sample, hidden unit) steps had a zero delta in the first epoch, counted at runtime.
std::size_t dead_unit_steps(const Net& start)
{
  std::size_t dead = 0;
  const auto d = data();
  const auto& first = start.layer<0>();
  for (const auto& sample : d.samples) {
    const auto y = first(sample.input);
    for (const double v : y.values)
      if (v == 0.0) ++dead;
  }
  return dead;
}

}  // namespace

TEST_CASE("constexpr training: skipping a ReLU layer's dead rows and sharing the softmax's exponentials keep the bits")
{
  Net at_runtime = untrained();
  ctnn::fit(at_runtime, data(), ctnn::CategoricalCrossEntropy{}, ctnn::SGD{0.05}, {.epochs = 3});
  CHECK(bitwise_equal(at_runtime, trained_by_compiler));
  // The shortcut was taken: units were off, and the run trained.
  CHECK(dead_unit_steps(untrained()) > sample_count);
  CHECK_FALSE(bitwise_equal(at_runtime, untrained()));
}

TEST_CASE("constexpr training: a -0 weight turns the dead-row shortcut off")
{
  Net at_runtime = with_negative_zero_weights();
  ctnn::fit(at_runtime, data(), ctnn::CategoricalCrossEntropy{}, ctnn::SGD{0.05}, {.epochs = 3});
  CHECK(bitwise_equal(at_runtime, trained_by_compiler_from_negative_zeros));
  // The runtime step did turn the -0 weights to +0, which a skipped row would not have.
  const auto& first = at_runtime.layer<0>();
  for (std::size_t j = 0; j < 24; ++j) {
    CHECK(first.weights.values[j] == 0.0);
    CHECK_FALSE(std::signbit(first.weights.values[j]));
  }
}
