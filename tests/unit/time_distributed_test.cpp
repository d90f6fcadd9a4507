// TimeDistributed: a Dense applied to every step is the Dense on each row; a Conv1D -> PReLU ->
// TimeDistributed(Dense) sequence-to-sequence model trains at runtime with the compiler's bits;
// gradient_check passes and a TimeDistributed that drops all but the last step's gradient fails it;
// model files and headers carry the inner layer; streaming equals the whole sequence.

#include <catch2/catch.hpp>

#include <cstddef>
#include <ctnn/conv1d.hpp>
#include <ctnn/ctnn.hpp>
#include <ctnn/prelu.hpp>
#include <ctnn/time_distributed.hpp>
#include <string>

#include "bit_helpers.hpp"

namespace {

using ctnn::Conv1DOptions;
using ctnn::Padding;

using PerStep = ctnn::TimeDistributed<ctnn::Dense<3, 2, ctnn::Tanh>, 5>;
static_assert(std::is_same_v<PerStep::input_shape, ctnn::Shape<5, 3>>);
static_assert(std::is_same_v<PerStep::output_shape, ctnn::Shape<5, 2>>);
static_assert(PerStep::parameter_count == 3 * 2 + 2);
static_assert(ctnn::TrainableLayer<PerStep>);
static_assert(ctnn::StatefulLayer<PerStep>);

template <class L>
constexpr L spread_layer(std::size_t from = 0)
{
  L layer{};
  layer.visit_parameters([&](auto& tensor) {
    for (auto& v : tensor) v = bit_helpers::spread(from++);
  });
  return layer;
}

// Sequence to sequence: 8 steps of 2 channels to 8 steps of 1, a causal model of a causal target.
template <class T>
using Net =
    ctnn::Network<ctnn::Conv1D<8, 2, 4, 3, ctnn::ELU<>, Conv1DOptions{.dilation = 2, .padding = Padding::causal}, T>,
                  ctnn::PReLU<ctnn::Shape<8, 4>, 4, T>, ctnn::TimeDistributed<ctnn::Dense<4, 1, ctnn::Identity, T>, 8>>;

// Target y_t = x_t[0] - 0.5 x_(t-2)[1] (zero before the start), inputs spread in [-1, 1).
template <class T>
constexpr ctnn::Dataset<16, 8, 12, T> delayed_difference()
{
  ctnn::Dataset<16, 8, 12, T> data{};
  for (std::size_t s = 0; s < 12; ++s) {
    auto& sample = data.samples[s];
    for (std::size_t i = 0; i < 16; ++i) sample.input[i] = static_cast<T>(bit_helpers::spread(16 * s + i));
    for (std::size_t t = 0; t < 8; ++t)
      sample.target[t] = sample.input[2 * t] - (t >= 2 ? T(0.5) * sample.input[2 * (t - 2) + 1] : T(0));
  }
  return data;
}

template <class T>
constexpr Net<T> train(std::size_t epochs)
{
  auto net = ctnn::initialized<Net<T>>(ctnn::XavierUniform{}, ctnn::Seed{21});
  ctnn::fit(net, delayed_difference<T>(), ctnn::MeanSquaredError{}, ctnn::Adam{0.02},
            {.epochs = epochs, .batch_size = 3, .shuffle = true, .shuffle_seed = ctnn::Seed{8}});
  return net;
}

constexpr Net<double> trained_in_the_compiler = train<double>(30);
constexpr Net<float> trained_in_the_compiler_float = train<float>(30);
static_assert(ctnn::evaluate(trained_in_the_compiler, delayed_difference<double>(), ctnn::MeanSquaredError{}).loss <
              ctnn::evaluate(train<double>(1), delayed_difference<double>(), ctnn::MeanSquaredError{}).loss);

// A TimeDistributed whose backward keeps only the last step's parameter gradient.
struct LastStepOnly : ctnn::TimeDistributed<ctnn::Dense<4, 1, ctnn::Identity>, 8> {
  template <bool NeedInputGradient, class Gradients>
  constexpr void backward(const input_type& x, const cache_type& c, const output_type& y, const output_type& dy,
                          Gradients& g, input_type& dx) const noexcept
  {
    output_type last{};
    for (std::size_t i = 0; i < inner_outputs; ++i) last[7 * inner_outputs + i] = dy[7 * inner_outputs + i];
    Gradients unused{};
    TimeDistributed::backward<NeedInputGradient>(x, c, y, dy, unused, dx);  // dx from every step
    TimeDistributed::backward<false>(x, c, y, last, g, dx);
  }
};

}  // namespace

TEST_CASE("TimeDistributed applies its layer to every step")
{
  constexpr PerStep layer{spread_layer<ctnn::Dense<3, 2, ctnn::Tanh>>()};
  PerStep::input_type x{};
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = bit_helpers::opaque(bit_helpers::spread(50 + i));
  const auto y = layer(x);
  for (std::size_t t = 0; t < 5; ++t) {
    const auto row = layer.inner({{x[3 * t], x[3 * t + 1], x[3 * t + 2]}});
    CHECK(bit_helpers::bits(y[2 * t]) == bit_helpers::bits(row[0]));
    CHECK(bit_helpers::bits(y[2 * t + 1]) == bit_helpers::bits(row[1]));
  }
}

TEST_CASE("Conv1D, PReLU and TimeDistributed train sequence to sequence with the compiler's bits")
{
  volatile std::size_t epochs = 30;
  const Net<double> at_runtime = train<double>(epochs);
  CHECK(ctnn::bitwise_equal(at_runtime, trained_in_the_compiler));
  CHECK(ctnn::parameter_fingerprint(at_runtime) == ctnn::parameter_fingerprint(trained_in_the_compiler));
  CHECK(ctnn::bitwise_equal(train<float>(epochs), trained_in_the_compiler_float));
}

TEST_CASE("TimeDistributed passes the gradient check, and one that drops steps fails it")
{
  const auto data = delayed_difference<double>();
  for (std::size_t s = 0; s < 2; ++s) {
    const auto check = ctnn::gradient_check(trained_in_the_compiler, data.samples[s].input, data.samples[s].target,
                                            ctnn::MeanSquaredError{});
    INFO("worst parameter " << check.worst_parameter << ": " << check.backprop_at_worst << " vs "
                            << check.numeric_at_worst);
    CHECK(check.passed(1e-6));
  }
  using Broken =
      ctnn::Network<ctnn::Conv1D<8, 2, 4, 3, ctnn::ELU<>, Conv1DOptions{.dilation = 2, .padding = Padding::causal}>,
                    ctnn::PReLU<ctnn::Shape<8, 4>, 4>, LastStepOnly>;
  Broken broken{};
  broken.layer<0>() = trained_in_the_compiler.layer<0>();
  broken.layer<1>() = trained_in_the_compiler.layer<1>();
  broken.layer<2>().inner = trained_in_the_compiler.layer<2>().inner;
  CHECK_FALSE(ctnn::gradient_check(broken, data.samples[0].input, data.samples[0].target, ctnn::MeanSquaredError{})
                  .passed(1e-6));
}

TEST_CASE("a Conv1D, PReLU and TimeDistributed model streams with the whole sequence's bits")
{
  const auto& net = trained_in_the_compiler;
  const auto data = delayed_difference<double>();
  const auto x = bit_helpers::opaque(data.samples[3].input);
  const auto whole = net.predict(x);
  auto state = net.initial_state();
  for (std::size_t t = 0; t < 8; ++t) {
    const auto y = net.step({{x[2 * t], x[2 * t + 1]}}, state);
    CHECK(bit_helpers::bits(y[0]) == bit_helpers::bits(whole[t]));
  }
  static_assert(std::is_same_v<Net<double>::step_output_type, ctnn::Vector<double, 1>>);
}

TEST_CASE("TimeDistributed goes through model files and headers with its inner layer")
{
  const std::string text = ctnn::model_text(trained_in_the_compiler);
  CHECK(text.find("\nlayer 2 PReLU 8x4 8x4 slopes=4\n") != std::string::npos);
  CHECK(text.find("\nlayer 3 TimeDistributed 8x4 8x1 layer=Dense linear\n") != std::string::npos);
  Net<double> loaded{};
  ctnn::load_model_text_into(loaded, text, "seq.ctnn");
  CHECK(ctnn::bitwise_equal(loaded, trained_in_the_compiler));

  using OtherInner =
      ctnn::Network<ctnn::Conv1D<8, 2, 4, 3, ctnn::ELU<>, Conv1DOptions{.dilation = 2, .padding = Padding::causal}>,
                    ctnn::PReLU<ctnn::Shape<8, 4>, 4>, ctnn::TimeDistributed<ctnn::Dense<4, 1, ctnn::Sigmoid>, 8>>;
  OtherInner other{};
  CHECK_THROWS_WITH(ctnn::load_model_text_into(other, text, "seq.ctnn"),
                    Catch::Contains("layer 3 activation: expected sigmoid, found \"linear\""));

  const std::string header = ctnn::model_header(trained_in_the_compiler, "seq_model");
  CHECK(header.find("#include <ctnn/time_distributed.hpp>\n") != std::string::npos);
  CHECK(header.find("ctnn::TimeDistributed<ctnn::Dense<4, 1, ctnn::Identity, double>, 8>") != std::string::npos);
  CHECK(header.find("ctnn::PReLU<ctnn::Shape<8, 4>, 4, double>") != std::string::npos);
}
