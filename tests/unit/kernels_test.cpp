#include <catch2/catch.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <ratio>
#include <span>
#include <string>
#include <vector>

#include <ctnn/activation.hpp>
#include <ctnn/dense.hpp>
#include <ctnn/math.hpp>
#include <ctnn/network.hpp>
#include <ctnn/optimizer.hpp>
#include <ctnn/predict.hpp>

#include "bit_helpers.hpp"

// The runtime kernels (detail/kernels.hpp, detail/simd_math.hpp: rows or samples in vector lanes,
// layer-wide activations) must give every value the bits the constant evaluator gives it. Each check
// computes the expected values in a constant expression and the actual ones at runtime, from data
// the optimizer cannot see (opaque()), over shapes that leave every remainder block of every vector
// width (2 to 16 lanes) in play.

namespace {

using bit_helpers::bits;
using bit_helpers::opaque;
using bit_helpers::spread;

template <class T, std::size_t In, std::size_t Out, class A>
constexpr ctnn::Dense<In, Out, A, T> make_layer(double scale, std::uint64_t seed) noexcept
{
  ctnn::Dense<In, Out, A, T> layer{};
  for (std::size_t k = 0; k < In * Out; ++k) layer.weights.values[k] = static_cast<T>(scale * spread(seed + k));
  for (std::size_t i = 0; i < Out; ++i) layer.bias.values[i] = static_cast<T>(scale * spread(seed + 99991 + i));
  return layer;
}

template <class T, std::size_t N>
constexpr ctnn::Vector<T, N> make_vector(double scale, std::uint64_t seed) noexcept
{
  ctnn::Vector<T, N> v{};
  for (std::size_t j = 0; j < N; ++j) v.values[j] = static_cast<T>(scale * spread(seed * 7919 + j));
  return v;
}

template <class T, std::size_t N>
std::string mismatches(const T (&expected)[N], const T (&actual)[N])
{
  std::string where;
  for (std::size_t i = 0; i < N; ++i)
    if (bits(expected[i]) != bits(actual[i])) where += std::to_string(i) + " ";
  return where;
}

template <class T, class A, std::size_t In, std::size_t Out, int ScalePercent>
void check_forward_shape()
{
  constexpr double scale = ScalePercent / 100.0;
  static constexpr auto layer = make_layer<T, In, Out, A>(scale, In * 131 + Out);
  static constexpr auto x = make_vector<T, In>(1.0, Out);
  static constexpr auto expected = layer(x);
  const auto runtime_layer = opaque(layer);
  const auto actual = runtime_layer(opaque(x));
  INFO("Dense<" << In << ", " << Out << ", " << A::name << ", " << (sizeof(T) == 8 ? "double" : "float")
                << ">, weights scaled by " << scale);
  CHECK(mismatches(expected.values, actual.values) == "");
}

// Every shape for the matrix product (Identity); the activations run on the product's outputs in
// vector lanes, so for them four output counts cover full blocks of every width and each remainder.
template <class T, class A, int ScalePercent>
void check_activation_shapes()
{
  check_forward_shape<T, A, 8, 3, ScalePercent>();
  check_forward_shape<T, A, 13, 15, ScalePercent>();
  check_forward_shape<T, A, 17, 33, ScalePercent>();
  check_forward_shape<T, A, 31, 58, ScalePercent>();
}

// The activations' four shapes and six more.
template <class T, class A, int ScalePercent>
void check_forward_shapes()
{
  check_activation_shapes<T, A, ScalePercent>();
  check_forward_shape<T, A, 8, 1, ScalePercent>();
  check_forward_shape<T, A, 9, 7, ScalePercent>();
  check_forward_shape<T, A, 16, 16, ScalePercent>();
  check_forward_shape<T, A, 33, 9, ScalePercent>();
  check_forward_shape<T, A, 64, 64, ScalePercent>();
  check_forward_shape<T, A, 3, 21, ScalePercent>();
}

}  // namespace

TEMPLATE_TEST_CASE("kernels: Dense forward at runtime has the constant evaluator's bits", "", float, double)
{
  // Scales: h tiny (tanh's first range), ordinary, and large (tanh's constant range, exp's edges).
  check_forward_shapes<TestType, ctnn::Identity, 100>();
  check_activation_shapes<TestType, ctnn::Sigmoid, 100>();
  check_activation_shapes<TestType, ctnn::Sigmoid, 40000>();
  check_activation_shapes<TestType, ctnn::Tanh, 100>();
  check_activation_shapes<TestType, ctnn::Tanh, 1>();
  check_activation_shapes<TestType, ctnn::Tanh, 1000>();
  check_activation_shapes<TestType, ctnn::ReLU, 100>();
  check_activation_shapes<TestType, ctnn::LeakyReLU<std::ratio<1, 10>>, 100>();
  check_activation_shapes<TestType, ctnn::Softplus, 100>();
  check_activation_shapes<TestType, ctnn::Softmax, 100>();
  check_activation_shapes<TestType, ctnn::Softmax, 40000>();
}

namespace {

template <class T, class... Layers>
void check_predict_batch()
{
  using Net = ctnn::Network<Layers...>;
  constexpr std::size_t count = 3 * 16 + 5;  // the inference form's blocks and a rest
  static constexpr Net net = [] {
    Net n{};
    std::uint64_t seed = 1;
    n.for_each_layer([&](auto& layer) {
      for (auto& w : layer.weights.values) w = static_cast<T>(spread(seed++));
      for (auto& b : layer.bias.values) b = static_cast<T>(spread(seed++));
    });
    return n;
  }();
  using Samples = std::array<typename Net::input_type, count>;
  static constexpr Samples samples = [] {
    Samples s{};
    for (std::size_t k = 0; k < count; ++k) s[k] = make_vector<T, Net::inputs>(2.0, k);
    return s;
  }();
  // The first block's predictions in a constant expression; all of them by single predict.
  static constexpr auto expected_first = [] {
    std::array<typename Net::output_type, 4> out{};
    for (std::size_t k = 0; k < out.size(); ++k) out[k] = net.predict(samples[k]);
    return out;
  }();
  const Net runtime_net = opaque(net);
  const Samples runtime_samples = opaque(samples);
  // The inference form's blocks, and a data set's outputs (which freeze a copy of the network first).
  std::vector<typename Net::output_type> batch(count);
  ctnn::predict(ctnn::for_inference(runtime_net), std::span<const typename Net::input_type>(runtime_samples),
                std::span<typename Net::output_type>(batch));
  ctnn::RuntimeDataset<Net::inputs, Net::outputs, T> data;
  for (const auto& input : runtime_samples) data.push_back({input, typename Net::output_type{}});
  const auto from_data = ctnn::predict(runtime_net, data);
  for (std::size_t k = 0; k < count; ++k) {
    INFO("sample " << k);
    const auto single = runtime_net.predict(runtime_samples[k]);
    CHECK(mismatches(single.values, batch[k].values) == "");
    CHECK(mismatches(single.values, from_data[k].values) == "");
    if (k < expected_first.size()) CHECK(mismatches(expected_first[k].values, batch[k].values) == "");
  }
}

}  // namespace

TEMPLATE_TEST_CASE("kernels: batch prediction gives each sample predict's bits", "", float, double)
{
  using T = TestType;
  check_predict_batch<T, ctnn::Dense<8, 16, ctnn::Tanh, T>, ctnn::Dense<16, 3, ctnn::Softmax, T>>();
  check_predict_batch<T, ctnn::Dense<5, 33, ctnn::Sigmoid, T>, ctnn::Dense<33, 7, ctnn::ReLU, T>,
                      ctnn::Dense<7, 1, ctnn::Identity, T>>();
  check_predict_batch<T, ctnn::Dense<64, 64, ctnn::Tanh, T>>();
  check_predict_batch<T, ctnn::Dense<3, 9, ctnn::Softplus, T>, ctnn::Dense<9, 2, ctnn::LeakyReLU<>, T>>();
}

namespace {

template <class T, std::size_t In, std::size_t Out, class A, class Optimizer>
struct TrainingRun {
  ctnn::Dense<In, Out, A, T> layer;
  ctnn::Vector<T, In> dx[3];
};

// Two per-sample steps through backward_and_update (SGD's fused step, or backward + update for the
// others), then one mini-batch step of two samples through backward + update.
template <class T, std::size_t In, std::size_t Out, class A, class Optimizer>
constexpr TrainingRun<T, In, Out, A, Optimizer> train(const Optimizer& optimizer) noexcept
{
  using Layer = ctnn::Dense<In, Out, A, T>;
  TrainingRun<T, In, Out, A, Optimizer> run{make_layer<T, In, Out, A>(0.5, In + 7 * Out), {}};
  typename Layer::template optimizer_state<Optimizer> state{};
  for (std::size_t step = 0; step < 2; ++step) {
    typename Layer::cache_type c;
    const auto x = make_vector<T, In>(1.0, step + 1);
    typename Layer::output_type y;
    run.layer.forward(x, c, y);
    run.layer.template backward_and_update<true, false>(x, c, y, make_vector<T, Out>(1.0, step + 50), optimizer, state,
                                                        run.dx[step]);
  }
  typename Layer::gradients g{};
  for (std::size_t sample = 0; sample < 2; ++sample) {
    typename Layer::cache_type c;
    const auto x = make_vector<T, In>(1.0, sample + 9);
    typename Layer::output_type y;
    run.layer.forward(x, c, y);
    run.layer.template backward<true>(x, c, y, make_vector<T, Out>(1.0, sample + 70), g, run.dx[2]);
  }
  run.layer.update(optimizer, g, state);
  return run;
}

template <class T, std::size_t In, std::size_t Out, class A, class Optimizer, Optimizer optimizer>
void check_training_shape()
{
  static constexpr auto expected = train<T, In, Out, A>(optimizer);
  const auto actual = train<T, In, Out, A>(opaque(optimizer));
  INFO("Dense<" << In << ", " << Out << ", " << A::name << ", " << (sizeof(T) == 8 ? "double" : "float") << ">");
  CHECK(mismatches(expected.layer.weights.values, actual.layer.weights.values) == "");
  CHECK(mismatches(expected.layer.bias.values, actual.layer.bias.values) == "");
  for (std::size_t k = 0; k < 3; ++k) CHECK(mismatches(expected.dx[k].values, actual.dx[k].values) == "");
}

template <class T, class Optimizer, Optimizer optimizer>
void check_training_shapes()
{
  check_training_shape<T, 8, 3, ctnn::Sigmoid, Optimizer, optimizer>();
  check_training_shape<T, 9, 7, ctnn::Tanh, Optimizer, optimizer>();
  check_training_shape<T, 17, 33, ctnn::Sigmoid, Optimizer, optimizer>();
  check_training_shape<T, 31, 13, ctnn::Softmax, Optimizer, optimizer>();
  check_training_shape<T, 40, 24, ctnn::ReLU, Optimizer, optimizer>();
  check_training_shape<T, 3, 21, ctnn::LeakyReLU<>, Optimizer, optimizer>();
}

}  // namespace

TEMPLATE_TEST_CASE("kernels: training steps at runtime have the constant evaluator's bits", "", float, double)
{
  using T = TestType;
  check_training_shapes<T, ctnn::SGD<T>, ctnn::SGD<T>{T(0.1)}>();
  check_training_shapes<T, ctnn::Momentum<T>, ctnn::Momentum<T>{T(0.05), T(0.9), false}>();
  check_training_shapes<T, ctnn::Momentum<T>, ctnn::Momentum<T>{T(0.05), T(0.8), true}>();
  check_training_shapes<T, ctnn::Adam<T>, ctnn::Adam<T>{T(0.01)}>();
}
