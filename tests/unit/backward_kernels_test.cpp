#include <catch2/catch.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>

#include <ctnn/activation.hpp>
#include <ctnn/data.hpp>
#include <ctnn/dense.hpp>
#include <ctnn/detail/simd.hpp>
#include <ctnn/loss.hpp>
#include <ctnn/network.hpp>
#include <ctnn/optimizer.hpp>
#include <ctnn/train.hpp>

#include "bit_helpers.hpp"

// The runtime backward pass and optimizer steps (detail/kernels.hpp's dense_sgd_step and
// dense_gradients, the optimizers' vector loops, the activations' backward_elementwise) must train
// a network to the bits the constant evaluator trains it to. Each check runs one fit() recipe in a
// constant expression and the same recipe at runtime, on data the optimizer cannot see, over shapes
// that leave every remainder block of rows (blocks of 4, 2, 1) and of columns (2 to 16 lanes) in play.

namespace {

using bit_helpers::bits;
using bit_helpers::opaque;
using bit_helpers::spread;

// Set when StubSigmoid's runtime backward ran, so the test knows Dense called it.
bool stub_backward_ran = false;

// Sigmoid with a runtime element-wise backward of its own: Dense's hook for backward_elementwise is
// exercised whatever the library's activations provide.
struct StubSigmoid {
  static constexpr std::string_view name = "stub_sigmoid";

  template <ctnn::math::Real T, std::size_t N>
  static constexpr void forward(const T (&h)[N], T (&y)[N]) noexcept
  {
    ctnn::Sigmoid::forward(h, y);
  }
  template <ctnn::math::Real T, std::size_t N>
  static constexpr void backward(const T (&h)[N], const T (&y)[N], const T (&dy)[N], T (&dh)[N]) noexcept
  {
    ctnn::Sigmoid::backward(h, y, dy, dh);
  }
  template <std::size_t N, ctnn::math::Real T>
  static void backward_elementwise(const T*, const T* y, const T* dy, T* dh) noexcept
  {
    stub_backward_ran = true;
    ctnn::detail::simd::for_each_lanes<N, T>(
        [](auto& out, const auto& yi, const auto& dyi) { out = yi * (T(1) - yi) * dyi; }, dh, y, dy);
  }
};

constexpr std::size_t sample_count = 5;  // batches of 2 leave a last batch of 1

template <class T, std::size_t In, std::size_t Hidden, std::size_t Out, class First, class Second>
using TestNet = ctnn::Network<ctnn::Dense<In, Hidden, First, T>, ctnn::Dense<Hidden, Out, Second, T>>;

template <class Net>
constexpr Net make_network() noexcept
{
  using T = typename Net::scalar_type;
  Net net{};
  std::uint64_t seed = Net::inputs * 131 + Net::outputs;
  net.for_each_layer([&](auto& layer) {
    for (auto& w : layer.weights.values) w = static_cast<T>(0.5 * spread(seed++));
    for (auto& b : layer.bias.values) b = static_cast<T>(0.5 * spread(seed++));
  });
  return net;
}

template <class Net>
constexpr ctnn::Dataset<Net::inputs, Net::outputs, sample_count, typename Net::scalar_type> make_data() noexcept
{
  using T = typename Net::scalar_type;
  ctnn::Dataset<Net::inputs, Net::outputs, sample_count, T> data{};
  for (std::size_t s = 0; s < sample_count; ++s) {
    for (std::size_t j = 0; j < Net::inputs; ++j)
      data.samples[s].input.values[j] = static_cast<T>(spread(1000 + s * 97 + j));
    for (std::size_t k = 0; k < Net::outputs; ++k)
      data.samples[s].target.values[k] = static_cast<T>(k == s % Net::outputs ? 1 : 0);
  }
  return data;
}

// Two epochs of the recipe; the loss is MSE/2, or cross-entropy fused with a Softmax output.
template <class Net, class Loss, class Optimizer>
constexpr Net trained(Net net,
                      const ctnn::Dataset<Net::inputs, Net::outputs, sample_count, typename Net::scalar_type>& data,
                      const Optimizer& optimizer, std::size_t batch_size)
{
  ctnn::fit(net, data, Loss{}, optimizer, {.epochs = 2, .batch_size = batch_size});
  return net;
}

template <class Net>
std::string mismatches(const Net& expected, const Net& actual)
{
  std::string where;
  std::size_t layer = 0;
  const auto compare = [&](const auto& want, const auto& got) {
    for (std::size_t k = 0; k < std::size(want.weights.values); ++k)
      if (bits(want.weights.values[k]) != bits(got.weights.values[k]))
        where += "layer " + std::to_string(layer) + " w" + std::to_string(k) + " ";
    for (std::size_t k = 0; k < std::size(want.bias.values); ++k)
      if (bits(want.bias.values[k]) != bits(got.bias.values[k]))
        where += "layer " + std::to_string(layer) + " b" + std::to_string(k) + " ";
    ++layer;
  };
  compare(expected.template layer<0>(), actual.template layer<0>());
  compare(expected.template layer<1>(), actual.template layer<1>());
  return where;
}

template <class Net, class Loss, class Optimizer, Optimizer optimizer, std::size_t BatchSize>
void check_recipe(const char* what)
{
  static constexpr Net start = make_network<Net>();
  static constexpr auto data = make_data<Net>();
  static constexpr Net expected = trained<Net, Loss>(start, data, optimizer, BatchSize);
  const Net actual = trained<Net, Loss>(opaque(start), opaque(data), opaque(optimizer), opaque(BatchSize));
  INFO(what << ", batch size " << BatchSize << ", " << Net::inputs << "-"
            << std::remove_cvref_t<decltype(start.template layer<0>())>::outputs << "-" << Net::outputs << " "
            << (sizeof(typename Net::scalar_type) == 8 ? "double" : "float"));
  CHECK(mismatches(expected, actual) == "");
}

template <class T, class Net, class Loss>
void check_optimizers()
{
  check_recipe<Net, Loss, ctnn::SGD<T>, ctnn::SGD<T>{T(0.3)}, 1>("per-sample SGD");
  check_recipe<Net, Loss, ctnn::SGD<T>, ctnn::SGD<T>{T(0.3)}, 2>("mini-batch SGD");
  check_recipe<Net, Loss, ctnn::Momentum<T>, ctnn::Momentum<T>{T(0.1), T(0.9), false}, 1>("Momentum");
  check_recipe<Net, Loss, ctnn::Momentum<T>, ctnn::Momentum<T>{T(0.1), T(0.8), true}, 2>("Nesterov momentum");
  check_recipe<Net, Loss, ctnn::Adam<T>, ctnn::Adam<T>{T(0.01)}, 1>("Adam");
  check_recipe<Net, Loss, ctnn::Adam<T>, ctnn::Adam<T>{T(0.01)}, 2>("mini-batch Adam");
}

// Each optimizer and both batch paths once: the shapes' remainders are the kernels' share, and this
// file's compile time is paid by every CI build.
template <class T, class Net, class Loss>
void check_each_optimizer_once()
{
  check_recipe<Net, Loss, ctnn::SGD<T>, ctnn::SGD<T>{T(0.3)}, 1>("per-sample SGD");
  check_recipe<Net, Loss, ctnn::Momentum<T>, ctnn::Momentum<T>{T(0.1), T(0.8), true}, 2>("Nesterov momentum");
  check_recipe<Net, Loss, ctnn::Adam<T>, ctnn::Adam<T>{T(0.01)}, 2>("mini-batch Adam");
}

}  // namespace

TEMPLATE_TEST_CASE("backward kernels: runtime training has the constant evaluator's bits", "", float, double)
{
  using T = TestType;
  using ctnn::MeanSquaredError;
  // Hidden widths leave 1, 2, 3 and 0 rows after the blocks of 4; the inputs of both layers leave
  // every remainder of 2, 4, 8 and 16 lanes.
  check_optimizers<T, TestNet<T, 8, 9, 3, StubSigmoid, ctnn::Sigmoid>, MeanSquaredError>();
  check_optimizers<T, TestNet<T, 9, 14, 6, ctnn::Sigmoid, StubSigmoid>, MeanSquaredError>();
  check_optimizers<T, TestNet<T, 17, 11, 2, ctnn::Tanh, ctnn::Tanh>, MeanSquaredError>();
  check_each_optimizer_once<T, TestNet<T, 31, 16, 7, StubSigmoid, ctnn::Identity>, MeanSquaredError>();
  check_each_optimizer_once<T, TestNet<T, 33, 23, 5, ctnn::ReLU, StubSigmoid>, MeanSquaredError>();
  check_each_optimizer_once<T, TestNet<T, 15, 12, 4, ctnn::Tanh, ctnn::Softmax>, ctnn::CategoricalCrossEntropy>();
  CHECK(stub_backward_ran);
}
