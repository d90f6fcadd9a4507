// MaxPool2D, AvgPool2D and GlobalAvgPool2D: forward against values computed from the definitions
// (tests/unit/image_reference.py), in a constant expression and at runtime; their backward passes
// through gradient_check of CNNs around them (and a max pool whose gradient goes to the wrong place
// fails it); a CNN with each trained in the compiler and at runtime with the same bits; model files
// and generated headers.

#include <catch2/catch.hpp>

#include <ctnn/conv2d.hpp>
#include <ctnn/ctnn.hpp>
#include <ctnn/flatten.hpp>
#include <ctnn/pooling.hpp>
#include <string>

#include "image_reference_expected.hpp"

namespace {

constexpr double x_value(std::size_t i)
{
  return static_cast<double>(static_cast<int>((i * 7) % 11) - 5) / 4.0;
}

template <class L, std::size_t N>
constexpr bool matches(const double (&expected)[N])
{
  static_assert(N == L::output_shape::size);
  typename L::input_type x;
  for (std::size_t i = 0; i < L::input_shape::size; ++i) x.values[i] = x_value(i);
  const auto y = L{}(x);
  for (std::size_t i = 0; i < N; ++i)
    if (y.values[i] != expected[i]) return false;
  return true;
}

constexpr ctnn::PoolOptions padded{.stride_h = 2,
                                   .stride_w = 2,
                                   .padding = ctnn::Padding::explicit_sizes,
                                   .pad_top = 1,
                                   .pad_bottom = 1,
                                   .pad_left = 1,
                                   .pad_right = 1};
using MaxPool = ctnn::MaxPool2D<5, 6, 2, 2, 2>;
using PaddedMaxPool = ctnn::MaxPool2D<5, 5, 2, 3, 3, padded>;
using PaddedAvgPool = ctnn::AvgPool2D<5, 5, 2, 3, 3, padded>;
using GlobalPool = ctnn::GlobalAvgPool2D<4, 3, 3>;
using AvgPool = ctnn::AvgPool2D<5, 6, 2, 2, 3, ctnn::PoolOptions{.stride_h = 1, .stride_w = 2}>;
static_assert(std::is_same_v<MaxPool::output_shape, ctnn::Shape<2, 3, 2>>);
static_assert(std::is_same_v<PaddedMaxPool::output_shape, ctnn::Shape<3, 3, 2>>);
static_assert(std::is_same_v<GlobalPool::output_shape, ctnn::Shape<3>>);
static_assert(
    std::is_same_v<ctnn::MaxPool2D<8, 8, 4, 2, 2, ctnn::PoolOptions{.padding = ctnn::Padding::same}>::output_shape,
                   ctnn::Shape<4, 4, 4>>);
static_assert(matches<MaxPool>(image_reference::max_pool));
static_assert(matches<PaddedMaxPool>(image_reference::max_pool_padded));
static_assert(matches<PaddedAvgPool>(image_reference::avg_pool_padded));
static_assert(matches<GlobalPool>(image_reference::global_avg_pool));
static_assert(matches<AvgPool>(image_reference::avg_pool));

template <std::size_t H, std::size_t W>
using AvgPool2DOf = ctnn::AvgPool2D<H, W, 2, 2, 3, ctnn::PoolOptions{.stride_h = 1, .stride_w = 2}>;

// Max pooling that sends each gradient to the window's first value instead of its maximum.
struct BrokenMaxPool : ctnn::MaxPool2D<4, 4, 2, 2, 2> {
  template <bool NeedInputGradient, bool Given = false, class Gradients>
  constexpr void backward(const input_type& x, const cache_type& c, const output_type& y, const output_type& dy,
                          Gradients& g, input_type& dx) const noexcept
  {
    cache_type wrong = c;
    for (std::size_t out = 0; out < output_shape::size; ++out) {
      const std::size_t oh = out / 4, ow = out / 2 % 2, ch = out % 2;
      wrong.from[out] = ((2 * oh) * 4 + 2 * ow) * 2 + ch;
    }
    ctnn::MaxPool2D<4, 4, 2, 2, 2>::backward<NeedInputGradient, Given>(x, wrong, y, dy, g, dx);
  }
};

template <class T>
using MaxCnn =
    ctnn::Network<ctnn::Conv2D<6, 6, 1, 4, 3, 3, ctnn::ReLU, ctnn::ConvOptions{.padding = ctnn::Padding::same}, T>,
                  ctnn::MaxPool2D<6, 6, 4, 2, 2, ctnn::PoolOptions{}, T>, ctnn::Flatten<ctnn::Shape<3, 3, 4>, T>,
                  ctnn::Dense<36, 2, ctnn::Softmax, T>>;
template <class T>
using AvgCnn = ctnn::Network<ctnn::Conv2D<6, 6, 1, 3, 3, 3, ctnn::Tanh, ctnn::ConvOptions{}, T>,
                             ctnn::AvgPool2D<4, 4, 3, 3, 3, padded, T>,
                             ctnn::Conv2D<2, 2, 3, 4, 2, 2, ctnn::Tanh, ctnn::ConvOptions{}, T>,
                             ctnn::GlobalAvgPool2D<1, 1, 4, T>, ctnn::Dense<4, 2, ctnn::Softmax, T>>;

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

template <class Net>
constexpr Net trained(std::size_t epochs)
{
  using T = typename Net::scalar_type;
  auto net = ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{21});
  ctnn::fit(net, bars<T>(), ctnn::CategoricalCrossEntropy{}, ctnn::Adam{0.02},
            {.epochs = epochs, .batch_size = 2, .shuffle = true, .shuffle_seed = ctnn::Seed{5}});
  return net;
}

constexpr auto max_double = trained<MaxCnn<double>>(12);
constexpr auto max_float = trained<MaxCnn<float>>(12);
constexpr auto avg_double = trained<AvgCnn<double>>(12);
constexpr auto avg_float = trained<AvgCnn<float>>(12);
static_assert(ctnn::evaluate(max_double, bars<double>(), ctnn::CategoricalCrossEntropy{}).accuracy() == 1.0);

template <class Net>
bool passes_gradient_check()
{
  const auto net = ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{8});
  typename Net::input_type x;
  for (std::size_t i = 0; i < Net::inputs; ++i) x.values[i] = x_value(i) / 3 + 0.001 * static_cast<double>(i);
  typename Net::output_type target{};
  target.values[0] = 1;
  const auto result = ctnn::gradient_check(net, x, target, ctnn::MeanSquaredError{});
  INFO("worst parameter " << result.worst_parameter << ": " << result.backprop_at_worst << " vs "
                          << result.numeric_at_worst);
  return result.passed(1e-6);
}

}  // namespace

TEST_CASE("pooling layers equal the definitions' values at runtime")
{
  CHECK(matches<MaxPool>(image_reference::max_pool));
  CHECK(matches<PaddedMaxPool>(image_reference::max_pool_padded));
  CHECK(matches<PaddedAvgPool>(image_reference::avg_pool_padded));
  CHECK(matches<GlobalPool>(image_reference::global_avg_pool));
  CHECK(matches<AvgPool>(image_reference::avg_pool));
}

TEST_CASE("gradients pass through pooling layers, and a max pool that routes them wrongly fails the check")
{
  CHECK(passes_gradient_check<ctnn::Network<ctnn::Conv2D<5, 5, 1, 2, 2, 2, ctnn::Tanh>, ctnn::MaxPool2D<4, 4, 2, 2, 2>,
                                            ctnn::Flatten<ctnn::Shape<2, 2, 2>>, ctnn::Dense<8, 1, ctnn::Identity>>>());
  CHECK(passes_gradient_check<
        ctnn::Network<ctnn::Conv2D<5, 5, 1, 2, 2, 2, ctnn::Tanh>, ctnn::MaxPool2D<4, 4, 2, 3, 3, padded>,
                      ctnn::Flatten<ctnn::Shape<2, 2, 2>>, ctnn::Dense<8, 1, ctnn::Identity>>>());
  CHECK(passes_gradient_check<
        ctnn::Network<ctnn::Conv2D<6, 6, 1, 3, 3, 3, ctnn::Tanh>, ctnn::AvgPool2D<4, 4, 3, 3, 3, padded>,
                      ctnn::Flatten<ctnn::Shape<2, 2, 3>>, ctnn::Dense<12, 1, ctnn::Identity>>>());
  CHECK(passes_gradient_check<ctnn::Network<ctnn::Conv2D<5, 5, 1, 3, 3, 3, ctnn::Tanh>, ctnn::GlobalAvgPool2D<3, 3, 3>,
                                            ctnn::Dense<3, 1, ctnn::Identity>>>());
  CHECK_FALSE(
      passes_gradient_check<ctnn::Network<ctnn::Conv2D<5, 5, 1, 2, 2, 2, ctnn::Tanh>, BrokenMaxPool,
                                          ctnn::Flatten<ctnn::Shape<2, 2, 2>>, ctnn::Dense<8, 1, ctnn::Identity>>>());
}

TEST_CASE("pooling: the compile-time models have the same fingerprints on every compiler")
{
  // Constants measured with GCC 12 and Clang 16 (x86-64): the same bits from both compilers.
  CHECK(ctnn::parameter_fingerprint(max_double) == 0x26abac83ad1f4815ULL);
  CHECK(ctnn::parameter_fingerprint(max_float) == 0xd192d1cdfb947413ULL);
  CHECK(ctnn::parameter_fingerprint(avg_double) == 0x2dbbe831e71215d3ULL);
  CHECK(ctnn::parameter_fingerprint(avg_float) == 0x68f5b3ec2c97c318ULL);
}

TEST_CASE("CNNs with pooling train at runtime with the compiler's bits, float and double")
{
  volatile std::size_t epochs = 12;
  CHECK(ctnn::bitwise_equal(trained<MaxCnn<double>>(epochs), max_double));
  CHECK(ctnn::bitwise_equal(trained<MaxCnn<float>>(epochs), max_float));
  CHECK(ctnn::bitwise_equal(trained<AvgCnn<double>>(epochs), avg_double));
  CHECK(ctnn::bitwise_equal(trained<AvgCnn<float>>(epochs), avg_float));
}

TEST_CASE("pooling layers go through model files and generated headers")
{
  const std::string text = ctnn::model_text(avg_double);
  INFO(text.substr(0, 800));
  CHECK(text.find("AvgPool2D 4x4x3 2x2x3 kernel_h=3 kernel_w=3 stride_h=2 stride_w=2 pad_top=1 pad_bottom=1 pad_left=1 "
                  "pad_right=1") != std::string::npos);
  CHECK(text.find("GlobalAvgPool2D 1x1x4 4") != std::string::npos);
  AvgCnn<double> loaded{};
  ctnn::load_model_text_into(loaded, text, "avg.ctnn");
  CHECK(ctnn::bitwise_equal(loaded, avg_double));

  const std::string header = ctnn::model_header(max_double, "max_model");
  CHECK(header.find("#include <ctnn/pooling.hpp>\n") != std::string::npos);
  CHECK(header.find("ctnn::MaxPool2D<6, 6, 4, 2, 2, ctnn::PoolOptions{.stride_h = 0, .stride_w = 0, .padding = "
                    "ctnn::Padding::valid, .pad_top = 0, .pad_bottom = 0, .pad_left = 0, .pad_right = 0}, double>") !=
        std::string::npos);
}
