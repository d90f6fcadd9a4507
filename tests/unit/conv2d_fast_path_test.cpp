// Conv2D's runtime vector kernel (output columns side by side) against the constant evaluator's
// scalar sums: the same bits, for contiguous and strided windows, several input channels, groups,
// padding and dilation, rows wider than a vector (a scalar tail) and narrower, float and double.
// Defining CTNN_TEST_BROKEN_CONV2D_KERNEL (by hand) stores the lanes in reverse order: these tests fail.

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstring>

#include "ctnn/activation.hpp"
#include "ctnn/conv2d.hpp"

namespace {

// Values that are not short binary fractions, so that every product and sum rounds.
template <class T>
constexpr T value_at(std::size_t i, std::size_t salt)
{
  return T(static_cast<double>((i * 37 + salt * 11) % 23) / 7.0 - 1.5);
}

template <class Layer>
constexpr Layer make_layer()
{
  Layer layer{};
  for (std::size_t i = 0; i < Layer::weight_count; ++i)
    layer.weights.values[i] = value_at<typename Layer::scalar_type>(i, 1);
  for (std::size_t i = 0; i < Layer::output_shape::dims[2]; ++i)
    layer.bias.values[i] = value_at<typename Layer::scalar_type>(i, 2);
  return layer;
}

template <class Layer>
constexpr typename Layer::input_type make_input()
{
  typename Layer::input_type x{};
  for (std::size_t i = 0; i < Layer::input_shape::size; ++i) x.values[i] = value_at<typename Layer::scalar_type>(i, 3);
  return x;
}

template <class Layer>
constexpr typename Layer::output_type at_compile_time = make_layer<Layer>()(make_input<Layer>());

template <class Layer>
bool runtime_has_the_constant_bits()
{
  const Layer layer = make_layer<Layer>();
  const typename Layer::output_type y = layer(make_input<Layer>());
  const auto& expected = at_compile_time<Layer>;
  return std::memcmp(y.values, expected.values, sizeof y.values) == 0;
}

template <class T>
using Contiguous = ctnn::Conv2D<6, 19, 1, 3, 3, 3, ctnn::Identity, ctnn::ConvOptions{}, T>;  // 17 columns
template <class T>
using Strided = ctnn::Conv2D<7, 20, 3, 4, 2, 3, ctnn::Tanh,
                             ctnn::ConvOptions{.stride_w = 2, .padding = ctnn::Padding::same, .dilation_h = 2}, T>;
template <class T>
using Grouped = ctnn::Conv2D<5, 12, 4, 6, 3, 2, ctnn::ReLU,
                             ctnn::ConvOptions{.padding = ctnn::Padding::explicit_sizes,
                                               .pad_top = 1,
                                               .pad_left = 2,
                                               .pad_right = 1,
                                               .groups = 2,
                                               .bias = false},
                             T>;
template <class T>
using Narrow = ctnn::Conv2D<4, 3, 2, 2, 2, 2, ctnn::Identity, ctnn::ConvOptions{}, T>;  // 2 columns

}  // namespace

TEST_CASE("Conv2D runtime vector kernel has the constant evaluator's bits in double")
{
  CHECK(runtime_has_the_constant_bits<Contiguous<double>>());
  CHECK(runtime_has_the_constant_bits<Strided<double>>());
  CHECK(runtime_has_the_constant_bits<Grouped<double>>());
  CHECK(runtime_has_the_constant_bits<Narrow<double>>());
}

TEST_CASE("Conv2D runtime vector kernel has the constant evaluator's bits in float")
{
  CHECK(runtime_has_the_constant_bits<Contiguous<float>>());
  CHECK(runtime_has_the_constant_bits<Strided<float>>());
  CHECK(runtime_has_the_constant_bits<Grouped<float>>());
  CHECK(runtime_has_the_constant_bits<Narrow<float>>());
}
