// ELU and PReLU: PyTorch's nn.ELU and nn.PReLU values (conv1d_torch.py); a model with both trained at
// runtime with the compiler's bits; gradient_check passes and a PReLU with a broken slope gradient
// fails it; model files and generated headers record ELU's alpha and PReLU's slope count.

#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <ctnn/conv1d.hpp>
#include <ctnn/ctnn.hpp>
#include <ctnn/elu.hpp>
#include <ctnn/prelu.hpp>
#include <iterator>
#include <ratio>
#include <string>

#include "bit_helpers.hpp"
#include "conv1d_torch_expected.hpp"

namespace {

using HalfELU = ctnn::ELU<std::ratio<1, 2>>;
static_assert(ctnn::Activation<ctnn::ELU<>, double, 4>);
static_assert(ctnn::Activation<HalfELU, float, 1>);
static_assert(ctnn::ELU<>::name == "elu");
static_assert(HalfELU::name == "elu(1/2)");
static_assert(ctnn::ELU<std::ratio<3, 2>>::name == "elu(3/2)");

template <class A, std::size_t N>
constexpr std::array<double, N> activate(const double (&h)[N])
{
  double y[N];
  A::forward(h, y);
  std::array<double, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = y[i];
  return out;
}
// The compiler's values are the runtime's (checked below against PyTorch's).
constexpr auto elu_in_the_compiler = activate<ctnn::ELU<>>(torch_expected::activation_inputs);

}  // namespace

TEST_CASE("ELU computes nn.ELU's values, the same bits in the compiler")
{
  double h_runtime[std::size(torch_expected::activation_inputs)];
  for (std::size_t i = 0; i < std::size(h_runtime); ++i)
    h_runtime[i] = bit_helpers::opaque(torch_expected::activation_inputs[i]);
  const auto elu = activate<ctnn::ELU<>>(h_runtime);
  const auto half = activate<HalfELU>(h_runtime);
  for (std::size_t i = 0; i < elu.size(); ++i) {
    INFO("h = " << torch_expected::activation_inputs[i]);
    // PyTorch computes e^h - 1 by subtraction, which loses digits near h = 0 (h = -1e-3: 12 correct);
    // ctnn's expm1 does not.
    CHECK(elu[i] == Approx(torch_expected::elu_alpha_1[i]).epsilon(1e-12).margin(1e-300));
    CHECK(half[i] == Approx(torch_expected::elu_alpha_half[i]).epsilon(1e-12).margin(1e-300));
    CHECK(bit_helpers::bits(elu[i]) == bit_helpers::bits(elu_in_the_compiler[i]));
  }
  // The derivative, (y + alpha) dy below zero, is alpha e^h.
  const double h[] = {-0.5, 0.5};
  double y[2], dh[2];
  const double dy[] = {1.0, 1.0};
  HalfELU::forward(h, y);
  HalfELU::backward(h, y, dy, dh);
  CHECK(dh[0] == Approx(0.5 * 0.6065306597126334));
  CHECK(dh[1] == 1.0);
}

TEST_CASE("PReLU computes nn.PReLU's values with one slope per channel")
{
  ctnn::PReLU<ctnn::Shape<4, 2>, 2> prelu{};
  CHECK(prelu.slopes[0] == 0.25);  // PyTorch's start
  prelu.slopes = {{0.25, -0.1}};
  const auto y = prelu(ctnn::Vector<double, 8>(torch_expected::activation_inputs));
  for (std::size_t i = 0; i < 8; ++i)
    CHECK(bit_helpers::bits(y[i]) == bit_helpers::bits(torch_expected::prelu_two_slopes[i]));
  // One step of a stream is one row of the sequence.
  ctnn::PReLU<ctnn::Shape<4, 2>, 2>::state_type none{};
  const auto row = prelu.step({{-3.0, -1.25}}, none);
  CHECK(row[0] == y[0]);
  CHECK(row[1] == y[1]);
}

namespace {

template <class T>
using Net =
    ctnn::Network<ctnn::Dense<2, 4, ctnn::ELU<>, T>, ctnn::PReLU<ctnn::Shape<4>, 4, T>, ctnn::Dense<4, 4, HalfELU, T>,
                  ctnn::PReLU<ctnn::Shape<4>, 1, T>, ctnn::Dense<4, 1, ctnn::Sigmoid, T>>;

template <class T>
constexpr Net<T> train(std::size_t epochs)
{
  auto net = ctnn::initialized<Net<T>>(ctnn::XavierUniform{}, ctnn::Seed{11});
  ctnn::fit(net, ctnn::datasets::xor_gate<T>(), ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.05},
            {.epochs = epochs, .batch_size = 2, .shuffle = true, .shuffle_seed = ctnn::Seed{4}});
  return net;
}

constexpr Net<double> trained_in_the_compiler = train<double>(150);
constexpr Net<float> trained_in_the_compiler_float = train<float>(150);
static_assert(trained_in_the_compiler.predict({{0.0, 1.0}})[0] > 0.9);
static_assert(trained_in_the_compiler.predict({{1.0, 1.0}})[0] < 0.1);
static_assert(trained_in_the_compiler.layer<1>().slopes[0] != 0.25);  // the slopes trained

// A PReLU whose slope gradient is doubled.
struct BrokenPReLU : ctnn::PReLU<ctnn::Shape<4>, 4> {
  template <bool NeedInputGradient>
  constexpr void backward(const input_type& x, const cache_type& c, const output_type& y, const output_type& dy,
                          gradients& g, input_type& dx) const noexcept
  {
    gradients mine{};
    PReLU::backward<NeedInputGradient>(x, c, y, dy, mine, dx);
    for (std::size_t i = 0; i < 4; ++i) g.slopes[i] += 2 * mine.slopes[i];
  }
};

}  // namespace

TEST_CASE("ELU and PReLU train at runtime with the compiler's bits, float and double")
{
  volatile std::size_t epochs = 150;
  CHECK(ctnn::bitwise_equal(train<double>(epochs), trained_in_the_compiler));
  CHECK(ctnn::bitwise_equal(train<float>(epochs), trained_in_the_compiler_float));
}

TEST_CASE("PReLU and ELU pass the gradient check, and a broken slope gradient fails it")
{
  for (const auto& x : {ctnn::Vector<double, 2>{{0.3, 0.8}}, ctnn::Vector<double, 2>{{-0.4, 0.1}}}) {
    const auto check = ctnn::gradient_check(trained_in_the_compiler, x, {{0.0}}, ctnn::BinaryCrossEntropy{});
    INFO("worst parameter " << check.worst_parameter << ": " << check.backprop_at_worst << " vs "
                            << check.numeric_at_worst);
    CHECK(check.passed(1e-6));
  }
  using Sound = ctnn::Network<ctnn::Dense<2, 4, ctnn::Identity>, ctnn::PReLU<ctnn::Shape<4>, 4>,
                              ctnn::Dense<4, 1, ctnn::Identity>>;
  using Broken = ctnn::Network<ctnn::Dense<2, 4, ctnn::Identity>, BrokenPReLU, ctnn::Dense<4, 1, ctnn::Identity>>;
  Sound sound{};
  sound.layer<0>().weights = {{0.5, -0.3, -0.7, 0.2, 0.4, 0.9, -0.6, -0.8}};
  sound.layer<2>().weights = {{0.3, -0.5, 0.8, 0.6}};
  Broken broken{};
  broken.layer<0>() = sound.layer<0>();
  broken.layer<2>() = sound.layer<2>();
  CHECK(ctnn::gradient_check(sound, {{0.6, 0.4}}, {{1.0}}, ctnn::MeanSquaredError{}).passed(1e-6));
  CHECK_FALSE(ctnn::gradient_check(broken, {{0.6, 0.4}}, {{1.0}}, ctnn::MeanSquaredError{}).passed(1e-6));
}

TEST_CASE("ELU and PReLU go through model files and headers")
{
  const std::string text = ctnn::model_text(trained_in_the_compiler);
  CHECK(text.find("\nlayer 1 Dense 2 4 elu\n") != std::string::npos);
  CHECK(text.find("\nlayer 2 PReLU 4 4 slopes=4\n") != std::string::npos);
  CHECK(text.find("\nlayer 3 Dense 4 4 elu(1/2)\n") != std::string::npos);
  CHECK(text.find("\nlayer 4 PReLU 4 4 slopes=1\n") != std::string::npos);
  Net<double> loaded{};
  ctnn::load_model_text_into(loaded, text, "prelu.ctnn");
  CHECK(ctnn::bitwise_equal(loaded, trained_in_the_compiler));

  // Another alpha, or shared slopes for per-channel ones: refused, naming what differs.
  using OtherAlpha =
      ctnn::Network<ctnn::Dense<2, 4, ctnn::ELU<>>, ctnn::PReLU<ctnn::Shape<4>, 4>, ctnn::Dense<4, 4, ctnn::ELU<>>,
                    ctnn::PReLU<ctnn::Shape<4>, 1>, ctnn::Dense<4, 1, ctnn::Sigmoid>>;
  OtherAlpha other{};
  CHECK_THROWS_WITH(ctnn::load_model_text_into(other, text, "prelu.ctnn"),
                    Catch::Contains("layer 3 activation: expected elu, found \"elu(1/2)\""));
  using SharedSlopes =
      ctnn::Network<ctnn::Dense<2, 4, ctnn::ELU<>>, ctnn::PReLU<ctnn::Shape<4>, 1>, ctnn::Dense<4, 4, HalfELU>,
                    ctnn::PReLU<ctnn::Shape<4>, 1>, ctnn::Dense<4, 1, ctnn::Sigmoid>>;
  SharedSlopes shared{};
  CHECK_THROWS_WITH(ctnn::load_model_text_into(shared, text, "prelu.ctnn"),
                    Catch::Contains("layer 2 slopes: expected slopes=1, found \"slopes=4\""));

  const std::string header = ctnn::model_header(trained_in_the_compiler, "prelu_model");
  CHECK(header.find("#include <ctnn/prelu.hpp>\n") != std::string::npos);
  CHECK(header.find("ctnn::Dense<4, 4, ctnn::ELU<std::ratio<1, 2>>, double>") != std::string::npos);
  CHECK(header.find("ctnn::PReLU<ctnn::Shape<4>, 4, double>") != std::string::npos);
}
