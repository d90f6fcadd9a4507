#include <catch2/catch.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <ratio>
#include <span>
#include <string>
#include <vector>

#include <ctnn/activation.hpp>
#include <ctnn/dense.hpp>
#include <ctnn/inference.hpp>
#include <ctnn/network.hpp>
#include <ctnn/predict.hpp>
#include <ctnn/standardize.hpp>

#include "bit_helpers.hpp"

// The inference form (inference.hpp, detail/column_kernels.hpp: W by columns, rows in vector lanes,
// several samples per pass) must give every value the bits the constant evaluator gives
// Network::predict. Expected values come from constant expressions (Network::predict and the
// inference form's own predict there), actual ones from the runtime kernels on data the optimizer
// cannot see, over shapes that leave every remainder of every vector width (2 to 16 lanes) and of
// the batch blocks in play.

namespace {

using bit_helpers::bits;
using bit_helpers::opaque;
using bit_helpers::spread;

template <class T, std::size_t N>
std::string mismatches(const ctnn::Vector<T, N>& expected, const ctnn::Vector<T, N>& actual)
{
  std::string where;
  for (std::size_t i = 0; i < N; ++i)
    if (bits(expected.values[i]) != bits(actual.values[i])) where += std::to_string(i) + " ";
  return where;
}

template <class Net>
constexpr Net make_network(double scale) noexcept
{
  using T = typename Net::scalar_type;
  Net net{};
  std::uint64_t seed = Net::inputs * 131 + Net::outputs;
  net.for_each_layer([&](auto& layer) {
    if constexpr (requires { layer.weights; }) {
      for (auto& w : layer.weights.values) w = static_cast<T>(scale * spread(seed++));
      for (auto& b : layer.bias.values) b = static_cast<T>(scale * spread(seed++));
    } else {  // Standardize
      for (auto& m : layer.mean.values) m = static_cast<T>(spread(seed++));
      for (auto& d : layer.deviation.values) d = static_cast<T>(0.75 + 0.5 * spread(seed++));
    }
  });
  return net;
}

// count samples: at least two full batch blocks (of up to 8 samples) and a rest.
template <class Net, int ScalePercent, std::size_t Count>
void check_network()
{
  using T = typename Net::scalar_type;
  using Samples = std::array<typename Net::input_type, Count>;
  using Outputs = std::array<typename Net::output_type, Count>;
  static constexpr Net net = make_network<Net>(ScalePercent / 100.0);
  static constexpr Samples samples = [] {
    Samples s{};
    for (std::size_t k = 0; k < Count; ++k)
      for (std::size_t j = 0; j < Net::inputs; ++j) s[k].values[j] = static_cast<T>(2.0 * spread(k * 7919 + j));
    return s;
  }();
  static constexpr Outputs expected = [] {
    Outputs out{};
    for (std::size_t k = 0; k < Count; ++k) out[k] = net.predict(samples[k]);
    return out;
  }();
  // The inference form in a constant expression: its plain loops over the column layout.
  static constexpr auto frozen_constant = ctnn::for_inference(net);
  static constexpr Outputs expected_frozen = [] {
    Outputs out{};
    for (std::size_t k = 0; k < Count; ++k) out[k] = frozen_constant.predict(samples[k]);
    return out;
  }();

  const auto model = ctnn::for_inference(opaque(net));
  const Samples runtime_samples = opaque(samples);
  std::vector<typename Net::output_type> batch(Count);
  ctnn::predict(model, std::span<const typename Net::input_type>(runtime_samples),
                std::span<typename Net::output_type>(batch));
  for (std::size_t k = 0; k < Count; ++k) {
    INFO("network " << Net::inputs << " -> " << Net::outputs << " with " << Net::layer_count << " layers, "
                    << (sizeof(T) == 8 ? "double" : "float") << ", scale " << ScalePercent << "%, sample " << k);
    CHECK(mismatches(expected[k], expected_frozen[k]) == "");
    CHECK(mismatches(expected[k], model.predict(runtime_samples[k])) == "");
    CHECK(mismatches(expected[k], batch[k]) == "");
  }
}

template <class T, class A, std::size_t In, std::size_t Out, int ScalePercent = 100>
void check_dense()
{
  check_network<ctnn::Network<ctnn::Dense<In, Out, A, T>>, ScalePercent, 19>();
}

template <class T, class A, int ScalePercent = 100>
void check_dense_shapes()
{
  check_dense<T, A, 8, 3, ScalePercent>();
  check_dense<T, A, 9, 7, ScalePercent>();
  check_dense<T, A, 13, 15, ScalePercent>();
  check_dense<T, A, 16, 16, ScalePercent>();
  check_dense<T, A, 17, 33, ScalePercent>();
  check_dense<T, A, 31, 58, ScalePercent>();
  check_dense<T, A, 64, 64, ScalePercent>();
  check_dense<T, A, 3, 21, ScalePercent>();
}

// The activations run over a layer's outputs, so their lanes and remainders are those of Out; the
// matrix product's widths in In are the identity layer's test (check_dense_shapes). Few inputs keep
// the constant evaluator's share of the compile time small (this file is built by every CI build), and
// four output counts cover full blocks of every width and each remainder (3 = 2 + 1, 15 = 8 + 4 + 2 + 1,
// 33 = 2 * 16 + 1, 58 = 3 * 16 + 8 + 2).
template <class T, class A, int ScalePercent = 100>
void check_activation_shapes()
{
  check_dense<T, A, 8, 3, ScalePercent>();
  check_dense<T, A, 5, 15, ScalePercent>();
  check_dense<T, A, 3, 33, ScalePercent>();
  check_dense<T, A, 3, 58, ScalePercent>();
}

}  // namespace

TEMPLATE_TEST_CASE("inference: the identity layer's inference form has predict's bits at every width", "", float,
                   double)
{
  using T = TestType;
  using A = ctnn::Identity;
  check_dense<T, A, 1, 1>();
  check_dense<T, A, 1, 5>();
  check_dense<T, A, 2, 3>();
  check_dense<T, A, 4, 4>();
  check_dense<T, A, 5, 2>();
  check_dense<T, A, 8, 1>();
  check_dense<T, A, 8, 8>();
  check_dense<T, A, 16, 16>();
  check_dense<T, A, 32, 32>();
  check_dense<T, A, 64, 64>();
  check_dense<T, A, 7, 127>();
  check_dense<T, A, 70, 100>();
  check_dense_shapes<T, A>();
}

TEMPLATE_TEST_CASE("inference: every activation's inference form has predict's bits", "", float, double)
{
  using T = TestType;
  check_activation_shapes<T, ctnn::Sigmoid>();
  check_activation_shapes<T, ctnn::Sigmoid, 40000>();
  check_activation_shapes<T, ctnn::Tanh>();
  check_activation_shapes<T, ctnn::Tanh, 1>();
  check_activation_shapes<T, ctnn::Tanh, 1000>();
  check_activation_shapes<T, ctnn::ReLU>();
  check_activation_shapes<T, ctnn::LeakyReLU<std::ratio<1, 10>>>();
  check_activation_shapes<T, ctnn::Softplus>();
  check_activation_shapes<T, ctnn::Softmax>();
  check_activation_shapes<T, ctnn::Softmax, 40000>();
}

TEMPLATE_TEST_CASE("inference: deeper networks and Standardize keep predict's bits", "", float, double)
{
  using T = TestType;
  using ctnn::Dense;
  check_network<ctnn::Network<Dense<8, 16, ctnn::Tanh, T>, Dense<16, 3, ctnn::Softmax, T>>, 100, 37>();
  check_network<
      ctnn::Network<Dense<5, 33, ctnn::Sigmoid, T>, Dense<33, 7, ctnn::ReLU, T>, Dense<7, 1, ctnn::Identity, T>>, 100,
      16>();
  check_network<ctnn::Network<ctnn::Standardize<4, T>, Dense<4, 8, ctnn::Tanh, T>, Dense<8, 3, ctnn::Softmax, T>>, 100,
                21>();
  check_network<ctnn::Network<ctnn::Standardize<6, T>>, 100, 11>();
  check_network<ctnn::Network<Dense<12, 6, ctnn::Identity, T>, ctnn::Standardize<6, T>, Dense<6, 2, ctnn::Softplus, T>>,
                100, 9>();
}

TEST_CASE("inference: the inference form is built and used in a constant expression")
{
  using Net = ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
  static constexpr Net net = make_network<Net>(1.0);
  static constexpr ctnn::Vector<double, 2> x{{0.25, -0.5}};
  static_assert(bits(ctnn::for_inference(net).predict(x).values[0]) == bits(net.predict(x).values[0]));
  static_assert(ctnn::for_inference(net).layer<0>().columns[1] == net.layer<0>().weights.values[2]);  // W[1][0]
  CHECK(true);
}
