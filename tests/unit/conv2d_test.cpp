// Conv2D: forward against values computed from the definition (tests/unit/image_reference.py) for
// valid, same, strided, explicit, dilated, grouped and depthwise configurations, in a constant
// expression and at runtime; a small CNN trained in the compiler and at runtime with the same bits
// (per-sample SGD, Adam in shuffled batches), float and double; gradient_check, and a deliberately
// wrong backward that fails it; model files and generated headers.

#include <catch2/catch.hpp>

#include <ctnn/conv2d.hpp>
#include <ctnn/ctnn.hpp>
#include <ctnn/flatten.hpp>
#include <string>

#include "image_reference_expected.hpp"

namespace {

constexpr double x_value(std::size_t i)
{
  return static_cast<double>(static_cast<int>((i * 7) % 11) - 5) / 4.0;
}
constexpr double w_value(std::size_t i)
{
  return static_cast<double>(static_cast<int>((i * 5) % 13) - 6) / 8.0;
}
constexpr double b_value(std::size_t i)
{
  return static_cast<double>(static_cast<int>(i % 3) - 1) / 2.0;
}

using ValidConv = ctnn::Conv2D<5, 5, 2, 3, 3, 3, ctnn::Identity>;
using SameConv = ctnn::Conv2D<6, 7, 2, 4, 3, 2, ctnn::Identity,
                              ctnn::ConvOptions{.stride_h = 2, .padding = ctnn::Padding::same, .groups = 2}>;
using DepthwiseConv = ctnn::Conv2D<7, 7, 3, 3, 3, 3, ctnn::Identity,
                                   ctnn::ConvOptions{.padding = ctnn::Padding::explicit_sizes,
                                                     .pad_top = 1,
                                                     .pad_bottom = 2,
                                                     .pad_left = 0,
                                                     .pad_right = 1,
                                                     .dilation_h = 2,
                                                     .dilation_w = 2,
                                                     .groups = 3,
                                                     .bias = false}>;

// 72 weights per output channel: the loop path, not the folds of kernels up to 64 weights.
using WideConv = ctnn::Conv2D<
    5, 4, 8, 2, 3, 3, ctnn::Identity,
    ctnn::ConvOptions{
        .stride_h = 2, .padding = ctnn::Padding::explicit_sizes, .pad_top = 1, .pad_left = 1, .pad_right = 1}>;
static_assert(std::is_same_v<WideConv::output_shape, ctnn::Shape<2, 4, 2>>);
static_assert(std::is_same_v<ValidConv::output_shape, ctnn::Shape<3, 3, 3>>);
static_assert(std::is_same_v<SameConv::output_shape, ctnn::Shape<3, 7, 4>>);
static_assert(std::is_same_v<DepthwiseConv::output_shape, ctnn::Shape<6, 4, 3>>);
static_assert(ValidConv::parameter_count == 3 * 2 * 9 + 3);
static_assert(DepthwiseConv::parameter_count == 3 * 1 * 9);
static_assert(ctnn::TrainableLayer<ValidConv> && ctnn::TrainableLayer<DepthwiseConv>);

template <class L>
constexpr L filled()
{
  L layer{};
  for (std::size_t i = 0; i < L::weight_count; ++i) layer.weights.values[i] = w_value(i);
  for (std::size_t i = 0; i < L::output_shape::dims[2]; ++i) layer.bias.values[i] = b_value(i);
  return layer;
}

template <class L, std::size_t N>
constexpr bool matches(const double (&expected)[N])
{
  static_assert(N == L::output_shape::size);
  typename L::input_type x;
  for (std::size_t i = 0; i < L::input_shape::size; ++i) x.values[i] = x_value(i);
  const auto y = filled<L>()(x);
  for (std::size_t i = 0; i < N; ++i)
    if (y.values[i] != expected[i]) return false;
  return true;
}

static_assert(matches<ValidConv>(image_reference::conv_valid));
static_assert(matches<SameConv>(image_reference::conv_same_strided_grouped));
static_assert(matches<DepthwiseConv>(image_reference::conv_explicit_dilated_depthwise));
static_assert(matches<WideConv>(image_reference::conv_wide_kernel));

// A tiny CNN on 6x6 images of a bar, vertical (class 0) or horizontal (class 1), at positions 1..4.
template <class T>
using Cnn =
    ctnn::Network<ctnn::Conv2D<6, 6, 1, 3, 3, 3, ctnn::Tanh, ctnn::ConvOptions{.padding = ctnn::Padding::same}, T>,
                  ctnn::Conv2D<6, 6, 3, 2, 3, 3, ctnn::ReLU, ctnn::ConvOptions{.stride_h = 2, .stride_w = 2}, T>,
                  ctnn::Flatten<ctnn::Shape<2, 2, 2>, T>, ctnn::Dense<8, 2, ctnn::Softmax, T>>;

template <class T>
constexpr ctnn::Dataset<36, 2, 8, T> bars()
{
  ctnn::Dataset<36, 2, 8, T> data{};
  for (std::size_t i = 0; i < 8; ++i) {
    const std::size_t at = 1 + i % 4;
    const bool horizontal = i >= 4;
    for (std::size_t k = 0; k < 6; ++k) data.samples[i].input.values[horizontal ? at * 6 + k : k * 6 + at] = T(1);
    data.samples[i].target.values[horizontal ? 1 : 0] = T(1);
  }
  return data;
}

template <class T>
constexpr Cnn<T> train_per_sample(std::size_t epochs)
{
  auto net = ctnn::initialized<Cnn<T>>(ctnn::XavierUniform{}, ctnn::Seed{11});
  ctnn::fit(net, bars<T>(), ctnn::CategoricalCrossEntropy{}, ctnn::SGD{0.3}, {.epochs = epochs});
  return net;
}

template <class T>
constexpr Cnn<T> train_in_batches(std::size_t epochs)
{
  auto net = ctnn::initialized<Cnn<T>>(ctnn::XavierUniform{}, ctnn::Seed{12});
  ctnn::fit(net, bars<T>(), ctnn::CategoricalCrossEntropy{}, ctnn::Adam{0.02},
            {.epochs = epochs, .batch_size = 3, .shuffle = true, .shuffle_seed = ctnn::Seed{4}});
  return net;
}

constexpr auto per_sample_double = train_per_sample<double>(15);
constexpr auto per_sample_float = train_per_sample<float>(15);
constexpr auto batches_double = train_in_batches<double>(15);
constexpr auto batches_float = train_in_batches<float>(15);
static_assert(ctnn::evaluate(per_sample_double, bars<double>(), ctnn::CategoricalCrossEntropy{}).accuracy() >= 0.875);
static_assert(ctnn::evaluate(batches_float, bars<float>(), ctnn::CategoricalCrossEntropy{}).accuracy() == 1.0);

// Conv2D with a wrong backward pass: the bias gradient doubled.
struct BrokenConv : ctnn::Conv2D<4, 4, 1, 2, 3, 3, ctnn::Tanh> {
  using Base = ctnn::Conv2D<4, 4, 1, 2, 3, 3, ctnn::Tanh>;
  template <bool NeedInputGradient, bool Given = false>
  constexpr void backward(const input_type& x, const cache_type& c, const output_type& y, const output_type& dy,
                          gradients& g, input_type& dx) const noexcept
  {
    Base::backward<NeedInputGradient, Given>(x, c, y, dy, g, dx);
    for (auto& b : g.bias.values) b *= 2;
  }
};

}  // namespace

TEST_CASE("Conv2D's forward pass equals the definition's values at runtime")
{
  // At runtime too (the static_asserts above hold the compile-time side).
  CHECK(matches<ValidConv>(image_reference::conv_valid));
  CHECK(matches<SameConv>(image_reference::conv_same_strided_grouped));
  CHECK(matches<DepthwiseConv>(image_reference::conv_explicit_dilated_depthwise));
  CHECK(matches<WideConv>(image_reference::conv_wide_kernel));
}

TEST_CASE("conv2d: the compile-time models have the same fingerprints on every compiler")
{
  // Constants measured with GCC 12 and Clang 16 (x86-64): the same bits from both compilers.
  CHECK(ctnn::parameter_fingerprint(per_sample_double) == 0x67ffe2394c935679ULL);
  CHECK(ctnn::parameter_fingerprint(per_sample_float) == 0x687126cd2745a48cULL);
  CHECK(ctnn::parameter_fingerprint(batches_double) == 0xb915a3733267e568ULL);
  CHECK(ctnn::parameter_fingerprint(batches_float) == 0xc79f1d3c18e8471cULL);
}

TEST_CASE("a CNN trains at runtime with the compiler's bits, float and double")
{
  volatile std::size_t epochs = 15;  // not a constant: trained at runtime
  CHECK(ctnn::bitwise_equal(train_per_sample<double>(epochs), per_sample_double));
  CHECK(ctnn::bitwise_equal(train_per_sample<float>(epochs), per_sample_float));
  CHECK(ctnn::bitwise_equal(train_in_batches<double>(epochs), batches_double));
  CHECK(ctnn::bitwise_equal(train_in_batches<float>(epochs), batches_float));
  CHECK(ctnn::parameter_fingerprint(train_in_batches<double>(epochs)) == ctnn::parameter_fingerprint(batches_double));
  CHECK_FALSE(
      ctnn::bitwise_equal(per_sample_double, ctnn::initialized<Cnn<double>>(ctnn::XavierUniform{}, ctnn::Seed{11})));
}

TEST_CASE("Conv2D passes the gradient check in every configuration, and a broken backward fails it")
{
  const auto check = [](auto net) {
    using Net = decltype(net);
    net = ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{3});
    typename Net::input_type x;
    for (std::size_t i = 0; i < Net::inputs; ++i) x.values[i] = x_value(i) / 3;
    typename Net::output_type target{};
    target.values[0] = 1;
    const auto result = ctnn::gradient_check(net, x, target, ctnn::MeanSquaredError{});
    INFO("worst parameter " << result.worst_parameter << ": " << result.backprop_at_worst << " vs "
                            << result.numeric_at_worst);
    return result.passed(1e-6);
  };
  using Valid = ctnn::Network<ctnn::Conv2D<5, 5, 2, 3, 3, 3, ctnn::Tanh>, ctnn::Flatten<ctnn::Shape<3, 3, 3>>,
                              ctnn::Dense<27, 2, ctnn::Sigmoid>>;
  using Same =
      ctnn::Network<ctnn::Conv2D<4, 4, 1, 2, 3, 3, ctnn::Tanh>,
                    ctnn::Conv2D<2, 2, 2, 4, 3, 2, ctnn::Tanh,
                                 ctnn::ConvOptions{.stride_h = 2, .padding = ctnn::Padding::same, .groups = 2}>,
                    ctnn::Flatten<ctnn::Shape<1, 2, 4>>, ctnn::Dense<8, 1, ctnn::Identity>>;
  using Depthwise = ctnn::Network<ctnn::Conv2D<7, 7, 3, 3, 3, 3, ctnn::Tanh,
                                               ctnn::ConvOptions{.padding = ctnn::Padding::explicit_sizes,
                                                                 .pad_top = 1,
                                                                 .pad_bottom = 2,
                                                                 .pad_right = 1,
                                                                 .dilation_h = 2,
                                                                 .dilation_w = 2,
                                                                 .groups = 3,
                                                                 .bias = false}>,
                                  ctnn::Conv2D<6, 4, 3, 2, 2, 2, ctnn::Tanh>, ctnn::Flatten<ctnn::Shape<5, 3, 2>>,
                                  ctnn::Dense<30, 1, ctnn::Identity>>;
  CHECK(check(Valid{}));
  CHECK(check(Same{}));
  CHECK(check(Depthwise{}));
  using Wide = ctnn::Network<
      ctnn::Conv2D<
          5, 4, 8, 2, 3, 3, ctnn::Tanh,
          ctnn::ConvOptions{
              .stride_h = 2, .padding = ctnn::Padding::explicit_sizes, .pad_top = 1, .pad_left = 1, .pad_right = 1}>,
      ctnn::Conv2D<2, 4, 2, 2, 1, 2, ctnn::Tanh>, ctnn::Flatten<ctnn::Shape<2, 3, 2>>,
      ctnn::Dense<12, 1, ctnn::Identity>>;
  CHECK(check(Wide{}));
  CHECK_FALSE(
      check(ctnn::Network<BrokenConv, ctnn::Flatten<ctnn::Shape<2, 2, 2>>, ctnn::Dense<8, 1, ctnn::Identity>>{}));
  // In a constant expression as well.
  static_assert(ctnn::gradient_check(per_sample_double, bars<double>()[2].input, bars<double>()[2].target,
                                     ctnn::CategoricalCrossEntropy{})
                    .passed(1e-6));
}

TEST_CASE("Conv2D goes through model files and generated headers")
{
  const std::string text = ctnn::model_text(batches_double);
  INFO(text.substr(0, 600));
  CHECK(text.find("Conv2D 6x6x1 6x6x3 kernel_h=3 kernel_w=3 stride_h=1 stride_w=1 pad_top=1 pad_bottom=1 pad_left=1 "
                  "pad_right=1 dilation_h=1 dilation_w=1 groups=1 bias=1 tanh") != std::string::npos);
  Cnn<double> loaded{};
  ctnn::load_model_text_into(loaded, text, "cnn.ctnn");
  CHECK(ctnn::bitwise_equal(loaded, batches_double));

  // Another stride: the file is refused.
  using Other = ctnn::Network<
      ctnn::Conv2D<6, 6, 1, 3, 3, 3, ctnn::Tanh, ctnn::ConvOptions{.padding = ctnn::Padding::same}>,
      ctnn::Conv2D<6, 6, 3, 2, 3, 3, ctnn::ReLU, ctnn::ConvOptions{.stride_h = 2, .stride_w = 2, .dilation_w = 1}>,
      ctnn::Flatten<ctnn::Shape<2, 2, 2>>, ctnn::Dense<8, 2, ctnn::Softmax>>;
  static_assert(std::is_same_v<Other, Cnn<double>>);  // the same type: options compare by value

  const std::string header = ctnn::model_header(batches_double, "cnn_model");
  CHECK(header.find("#include <ctnn/conv2d.hpp>\n") != std::string::npos);
  CHECK(header.find("#include <ctnn/flatten.hpp>\n") != std::string::npos);
  CHECK(header.find("ctnn::Conv2D<6, 6, 1, 3, 3, 3, ctnn::Tanh, ctnn::ConvOptions{.stride_h = 1, .stride_w = 1, "
                    ".padding = ctnn::Padding::same, ") != std::string::npos);
  CHECK(header.find("ctnn::Flatten<ctnn::Shape<2, 2, 2>, double>") != std::string::npos);
}
