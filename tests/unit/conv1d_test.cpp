// Conv1D: PyTorch's nn.Conv1d outputs for each padding, dilation 1 and 2, stride 2 and groups 2
// (conv1d_torch.py); the same bits trained at runtime as in the compiler; gradient_check on every
// configuration and a broken backward that fails it; streaming a causal convolution one step at a
// time gives the whole sequence's bits; model files and generated headers keep every
// hyper-parameter, and a file of another dilation is refused with a message naming the field.

#include <catch2/catch.hpp>

#include <cstddef>
#include <ctnn/conv1d.hpp>
#include <ctnn/ctnn.hpp>
#include <fstream>
#include <iterator>
#include <string>

#include "bit_helpers.hpp"
#include "conv1d_emitted_model.hpp"
#include "conv1d_emitted_source.hpp"
#include "conv1d_torch_expected.hpp"

namespace {

using ctnn::Conv1DOptions;
using ctnn::Padding;

// The script's formulas: W and b by flat index, x[t][c] by its flat time-major index.
constexpr double weight_at(std::size_t i)
{
  return static_cast<double>(static_cast<int>((i * 37) % 17) - 8) / 10.0;
}
constexpr double bias_at(std::size_t i)
{
  return static_cast<double>(static_cast<int>((i * 11) % 7) - 3) / 20.0;
}
constexpr double input_at(std::size_t i)
{
  return static_cast<double>(static_cast<int>((i * 29) % 23) - 11) / 8.0;
}

template <class L>
constexpr L torch_layer()
{
  L layer{};
  for (std::size_t i = 0; i < layer.weights.size(); ++i) layer.weights[i] = weight_at(i);
  if constexpr (L::has_bias)
    for (std::size_t i = 0; i < layer.bias.size(); ++i) layer.bias[i] = bias_at(i);
  return layer;
}

template <class L>
constexpr typename L::input_type torch_input()
{
  typename L::input_type x{};
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = input_at(i);
  return x;
}

// Compares the layer's output with PyTorch's, value by value: the sums run in another order.
template <class L, std::size_t N>
void check_against_torch(const double (&expected)[N])
{
  static_assert(N == L::output_shape::size, "the script's output has the layer's output shape");
  constexpr L layer = torch_layer<L>();
  const auto y = layer(torch_input<L>());
  for (std::size_t i = 0; i < N; ++i) {
    INFO("output " << i);
    CHECK(y[i] == Approx(expected[i]).margin(1e-12));
  }
}

template <std::size_t In, std::size_t Out, std::size_t Kernel, Conv1DOptions O>
using Conv = ctnn::Conv1D<7, In, Out, Kernel, ctnn::Identity, O>;

}  // namespace

TEST_CASE("Conv1D computes nn.Conv1d's outputs for each padding, dilation, stride and groups")
{
  using namespace torch_expected;
  check_against_torch<Conv<2, 3, 3, Conv1DOptions{}>>(conv1d_valid);
  check_against_torch<Conv<2, 3, 3, Conv1DOptions{.dilation = 2}>>(conv1d_valid_dilation2);
  check_against_torch<Conv<2, 3, 3, Conv1DOptions{.padding = Padding::same}>>(conv1d_same);
  check_against_torch<Conv<2, 3, 3, Conv1DOptions{.dilation = 2, .padding = Padding::same}>>(conv1d_same_dilation2);
  check_against_torch<Conv<2, 3, 4, Conv1DOptions{.padding = Padding::same}>>(conv1d_same_kernel4);
  check_against_torch<Conv<2, 3, 3, Conv1DOptions{.padding = Padding::causal}>>(conv1d_causal);
  check_against_torch<Conv<2, 3, 3, Conv1DOptions{.dilation = 2, .padding = Padding::causal}>>(conv1d_causal_dilation2);
  check_against_torch<Conv<2, 3, 3, Conv1DOptions{.stride = 2}>>(conv1d_valid_stride2);
  check_against_torch<Conv<2, 3, 3, Conv1DOptions{.stride = 2, .padding = Padding::causal}>>(conv1d_causal_stride2);
  check_against_torch<Conv<4, 6, 3, Conv1DOptions{.groups = 2}>>(conv1d_groups2);
  check_against_torch<Conv<4, 2, 2, Conv1DOptions{.dilation = 2, .groups = 2, .padding = Padding::same}>>(
      conv1d_groups2_same_dilation2);
  check_against_torch<Conv<2, 3, 3, Conv1DOptions{.padding = Padding::causal, .bias = false}>>(conv1d_causal_no_bias);
}

namespace {

// The output shapes, as nn.Conv1d's formula gives them.
static_assert(std::is_same_v<Conv<2, 3, 3, Conv1DOptions{}>::output_shape, ctnn::Shape<5, 3>>);
static_assert(std::is_same_v<Conv<2, 3, 3, Conv1DOptions{.dilation = 2}>::output_shape, ctnn::Shape<3, 3>>);
static_assert(std::is_same_v<Conv<2, 3, 3, Conv1DOptions{.stride = 2}>::output_shape, ctnn::Shape<3, 3>>);
static_assert(std::is_same_v<Conv<2, 3, 3, Conv1DOptions{.stride = 2, .padding = Padding::causal}>::output_shape,
                             ctnn::Shape<4, 3>>);
static_assert(std::is_same_v<Conv<2, 3, 3, Conv1DOptions{.padding = Padding::same}>::output_shape, ctnn::Shape<7, 3>>);
static_assert(Conv<4, 6, 3, Conv1DOptions{.groups = 2}>::parameter_count == 6 * 2 * 3 + 6);
static_assert(Conv<2, 3, 3, Conv1DOptions{.bias = false}>::parameter_count == 3 * 2 * 3);
static_assert(ctnn::TrainableLayer<Conv<2, 3, 3, Conv1DOptions{}>>);
static_assert(ctnn::StatefulLayer<Conv<2, 3, 3, Conv1DOptions{.padding = Padding::causal}>>);
static_assert(!ctnn::StatefulLayer<Conv<2, 3, 3, Conv1DOptions{.padding = Padding::same}>>);
// The compiler computes PyTorch's outputs as well.
static_assert(torch_layer<Conv<2, 3, 3, Conv1DOptions{.dilation = 2, .padding = Padding::causal}>>()(
                  torch_input<Conv<2, 3, 3, Conv1DOptions{}>>())[0] == torch_expected::conv1d_causal_dilation2[0]);

// Two convolutions (so the first one's input gradient is checked through the second) and a Dense.
template <class T = double>
using Net =
    ctnn::Network<ctnn::Conv1D<8, 2, 4, 3, ctnn::Tanh, Conv1DOptions{.dilation = 2, .padding = Padding::causal}, T>,
                  ctnn::Conv1D<8, 4, 2, 2, ctnn::Tanh, Conv1DOptions{.stride = 2, .groups = 2}, T>,
                  ctnn::Conv1D<4, 2, 1, 4, ctnn::Sigmoid, Conv1DOptions{}, T>>;

// Sequences of 8 steps, 2 channels: label 1 when the first channel rises, 0 when it falls.
template <class T>
constexpr ctnn::Dataset<16, 1, 8, T> rising_or_falling()
{
  ctnn::Dataset<16, 1, 8, T> data{};
  for (std::size_t s = 0; s < 8; ++s) {
    const bool rising = s % 2 == 0;
    for (std::size_t t = 0; t < 8; ++t) {
      const T ramp = static_cast<T>(rising ? t : 7 - t) / T(8);
      data.samples[s].input[2 * t] = ramp + static_cast<T>(s) / T(64);
      data.samples[s].input[2 * t + 1] = static_cast<T>((s * 3 + t) % 5) / T(5) - T(0.4);
    }
    data.samples[s].target[0] = rising ? T(1) : T(0);
  }
  return data;
}

template <class T>
constexpr Net<T> train(std::size_t epochs)
{
  auto net = ctnn::initialized<Net<T>>(ctnn::XavierUniform{}, ctnn::Seed{7});
  ctnn::fit(net, rising_or_falling<T>(), ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.05},
            {.epochs = epochs, .batch_size = 4, .shuffle = true, .shuffle_seed = ctnn::Seed{2}});
  return net;
}

constexpr Net<double> trained_in_the_compiler = train<double>(12);
constexpr Net<float> trained_in_the_compiler_float = train<float>(12);

// A Conv1D whose bias gradient is doubled.
struct BrokenConv : ctnn::Conv1D<6, 2, 2, 3, ctnn::Tanh, Conv1DOptions{.padding = Padding::same}> {
  template <bool NeedInputGradient>
  constexpr void backward(const input_type& x, const cache_type& h, const output_type& y, const output_type& dy,
                          gradients& g, input_type& dx) const noexcept
  {
    gradients mine{};
    Conv1D::backward<NeedInputGradient>(x, h, y, dy, mine, dx);
    for (std::size_t i = 0; i < mine.weights.size(); ++i) g.weights[i] += mine.weights[i];
    for (std::size_t i = 0; i < mine.bias.size(); ++i) g.bias[i] += 2 * mine.bias[i];
  }
};
// One whose input gradient ignores dilation (the second tap's position taken as the first's).
struct WrongInputGradientConv
    : ctnn::Conv1D<6, 2, 2, 3, ctnn::Tanh, Conv1DOptions{.dilation = 2, .padding = Padding::same}> {
  template <bool NeedInputGradient>
  constexpr void backward(const input_type& x, const cache_type& h, const output_type& y, const output_type& dy,
                          gradients& g, input_type& dx) const noexcept
  {
    Conv1D::backward<NeedInputGradient>(x, h, y, dy, g, dx);
    if constexpr (NeedInputGradient)
      for (std::size_t i = 0; i + 2 < dx.size(); ++i) dx[i] = dx[i + 2];
  }
};

template <class L>
constexpr L spread_layer()
{
  L layer{};
  std::size_t k = 0;
  layer.visit_parameters([&](auto& tensor) {
    for (auto& v : tensor) v = bit_helpers::spread(k++);
  });
  return layer;
}

}  // namespace

TEST_CASE("Conv1D trains at runtime with the compiler's bits, float and double")
{
  volatile std::size_t epochs = 12;  // not a constant: trained at runtime
  const Net<double> at_runtime = train<double>(epochs);
  const Net<float> at_runtime_float = train<float>(epochs);
  CHECK(ctnn::bitwise_equal(at_runtime, trained_in_the_compiler));
  CHECK(ctnn::parameter_fingerprint(at_runtime) == ctnn::parameter_fingerprint(trained_in_the_compiler));
  CHECK(ctnn::bitwise_equal(at_runtime_float, trained_in_the_compiler_float));
  // It learned: every training sample on the right side.
  const auto data = rising_or_falling<double>();
  for (const auto& sample : data.samples)
    CHECK((at_runtime.predict(sample.input)[0] > 0.5) == (sample.target[0] > 0.5));
  CHECK_FALSE(ctnn::bitwise_equal(at_runtime, ctnn::initialized<Net<double>>(ctnn::XavierUniform{}, ctnn::Seed{7})));
  // Its inference form (each Conv1D's W by columns) predicts with the same bits.
  const auto frozen = ctnn::for_inference(at_runtime);
  for (const auto& sample : data.samples)
    CHECK(bit_helpers::bits(frozen.predict(sample.input)[0]) == bit_helpers::bits(at_runtime.predict(sample.input)[0]));
  static_assert(ctnn::for_inference(trained_in_the_compiler).predict(rising_or_falling<double>().samples[1].input) ==
                trained_in_the_compiler.predict(rising_or_falling<double>().samples[1].input));
}

TEST_CASE("Conv1D passes the gradient check in every configuration, and a broken backward fails it")
{
  const auto data = rising_or_falling<double>();
  for (std::size_t s = 0; s < 3; ++s) {
    const auto check =
        ctnn::gradient_check(trained_in_the_compiler, data.samples[s].input, {{0.3}}, ctnn::MeanSquaredError{});
    INFO("sample " << s << ", worst parameter " << check.worst_parameter << ": " << check.backprop_at_worst << " vs "
                   << check.numeric_at_worst);
    CHECK(check.passed(1e-6));
  }
  // same + dilation 2 before valid + groups 2 + no bias, and causal + stride 2 before same + kernel 4.
  using Mixed =
      ctnn::Network<ctnn::Conv1D<9, 2, 4, 3, ctnn::Tanh, Conv1DOptions{.dilation = 2, .padding = Padding::same}>,
                    ctnn::Conv1D<9, 4, 2, 2, ctnn::Tanh, Conv1DOptions{.groups = 2, .bias = false}>,
                    ctnn::Conv1D<8, 2, 3, 3, ctnn::Tanh, Conv1DOptions{.stride = 2, .padding = Padding::causal}>,
                    ctnn::Conv1D<4, 3, 2, 4, ctnn::Identity, Conv1DOptions{.padding = Padding::same}>>;
  Mixed mixed{};
  mixed.layer<0>() = spread_layer<std::remove_cvref_t<decltype(mixed.layer<0>())>>();
  mixed.layer<1>() = spread_layer<std::remove_cvref_t<decltype(mixed.layer<1>())>>();
  mixed.layer<2>() = spread_layer<std::remove_cvref_t<decltype(mixed.layer<2>())>>();
  mixed.layer<3>() = spread_layer<std::remove_cvref_t<decltype(mixed.layer<3>())>>();
  Mixed::input_type x{};
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = bit_helpers::spread(100 + i);
  Mixed::output_type target{};
  const auto check = ctnn::gradient_check(mixed, x, target, ctnn::MeanSquaredError{});
  INFO("worst parameter " << check.worst_parameter << ": " << check.backprop_at_worst << " vs "
                          << check.numeric_at_worst);
  CHECK(check.passed(1e-6));

  // The check catches a wrong parameter gradient and a wrong input gradient.
  using Head = ctnn::Conv1D<6, 2, 1, 2, ctnn::Identity, Conv1DOptions{.stride = 2}>;
  ctnn::Network<BrokenConv, Head> broken{};
  broken.layer<0>() = {spread_layer<BrokenConv::Conv1D>()};
  broken.layer<1>() = spread_layer<Head>();
  ctnn::Network<ctnn::Conv1D<6, 2, 2, 3, ctnn::Tanh, Conv1DOptions{.padding = Padding::same}>, Head> sound{};
  sound.layer<0>() = spread_layer<BrokenConv::Conv1D>();
  sound.layer<1>() = broken.layer<1>();
  ctnn::Vector<double, 12> x6{};
  for (std::size_t i = 0; i < x6.size(); ++i) x6[i] = bit_helpers::spread(200 + i);
  CHECK(ctnn::gradient_check(sound, x6, {{0.1, -0.2, 0.3}}, ctnn::MeanSquaredError{}).passed(1e-6));
  CHECK_FALSE(ctnn::gradient_check(broken, x6, {{0.1, -0.2, 0.3}}, ctnn::MeanSquaredError{}).passed(1e-6));

  ctnn::Network<WrongInputGradientConv::Conv1D, WrongInputGradientConv, Head> wrong_dx{};
  ctnn::Network<WrongInputGradientConv::Conv1D, WrongInputGradientConv::Conv1D, Head> right_dx{};
  right_dx.layer<0>() = spread_layer<WrongInputGradientConv::Conv1D>();
  right_dx.layer<1>() = spread_layer<WrongInputGradientConv::Conv1D>();
  right_dx.layer<1>().weights[0] = 0.9;  // the two convolutions differ
  right_dx.layer<2>() = spread_layer<Head>();
  wrong_dx.layer<0>() = right_dx.layer<0>();
  wrong_dx.layer<1>() = {right_dx.layer<1>()};
  wrong_dx.layer<2>() = right_dx.layer<2>();
  CHECK(ctnn::gradient_check(right_dx, x6, {{0.1, -0.2, 0.3}}, ctnn::MeanSquaredError{}).passed(1e-6));
  CHECK_FALSE(ctnn::gradient_check(wrong_dx, x6, {{0.1, -0.2, 0.3}}, ctnn::MeanSquaredError{}).passed(1e-6));
}

namespace {

using Causal = ctnn::Conv1D<10, 3, 4, 3, ctnn::Tanh, Conv1DOptions{.dilation = 2, .padding = Padding::causal}>;
using Stream =
    ctnn::Network<Causal,
                  ctnn::Conv1D<10, 4, 2, 2, ctnn::Identity, Conv1DOptions{.dilation = 3, .padding = Padding::causal}>>;

constexpr Stream stream_model = [] {
  Stream net{};
  net.layer<0>() = spread_layer<Causal>();
  net.layer<1>() = spread_layer<std::remove_cvref_t<decltype(net.layer<1>())>>();
  return net;
}();

constexpr Stream::input_type stream_input = [] {
  Stream::input_type x{};
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = bit_helpers::spread(300 + i);
  return x;
}();

// Each step's output, the whole sequence streamed from the initial state.
template <class Net>
constexpr typename Net::output_type streamed(const Net& net, const typename Net::input_type& x)
{
  typename Net::output_type y{};
  auto state = net.initial_state();
  constexpr std::size_t in = Net::step_input_type::size();
  constexpr std::size_t out = Net::step_output_type::size();
  for (std::size_t t = 0; t < Net::input_shape::dims[0]; ++t) {
    typename Net::step_input_type xt;
    for (std::size_t c = 0; c < in; ++c) xt[c] = x[t * in + c];
    const auto yt = net.step(xt, state);
    for (std::size_t c = 0; c < out; ++c) y[t * out + c] = yt[c];
  }
  return y;
}

// The state is the two rings, of (3 - 1) * 2 + 1 = 5 steps of 3 channels and 4 steps of 4, and their positions.
static_assert(sizeof(Stream::state_type) == (5 * 3 + 4 * 4) * sizeof(double) + 2 * sizeof(std::size_t));
static_assert(streamed(stream_model, stream_input) == stream_model.predict(stream_input));

}  // namespace

TEST_CASE("a causal Conv1D streamed one step at a time gives the whole sequence's bits")
{
  const auto x = bit_helpers::opaque(stream_input);
  const auto whole = stream_model.predict(x);
  const auto steps = streamed(stream_model, x);
  for (std::size_t i = 0; i < whole.size(); ++i) CHECK(bit_helpers::bits(steps[i]) == bit_helpers::bits(whole[i]));
  // Reset to a stored state: the stream goes on as from that point.
  auto state = stream_model.initial_state();
  for (std::size_t t = 0; t < 4; ++t) (void)stream_model.step({{x[3 * t], x[3 * t + 1], x[3 * t + 2]}}, state);
  const auto resting = state;
  const auto next = stream_model.step({{x[12], x[13], x[14]}}, state);
  Stream::reset(state, resting);
  CHECK(stream_model.step({{x[12], x[13], x[14]}}, state) == next);
  stream_model.reset(state);
  CHECK(state == stream_model.initial_state());
}

TEST_CASE("Conv1D goes through model files and headers, and a file of another dilation is refused")
{
  const std::string text = ctnn::model_text(trained_in_the_compiler);
  CHECK(text.find("\nlayer 1 Conv1D 8x2 8x4 tanh kernel=3 stride=1 dilation=2 groups=1 padding=causal bias=yes\n") !=
        std::string::npos);
  CHECK(text.find("\nlayer 2 Conv1D 8x4 4x2 tanh kernel=2 stride=2 dilation=1 groups=2 padding=valid bias=yes\n") !=
        std::string::npos);
  Net<double> loaded{};
  ctnn::load_model_text_into(loaded, text, "conv.ctnn");
  CHECK(ctnn::bitwise_equal(loaded, trained_in_the_compiler));

  using OtherDilation =
      ctnn::Network<ctnn::Conv1D<8, 2, 4, 3, ctnn::Tanh, Conv1DOptions{.dilation = 1, .padding = Padding::causal}>,
                    ctnn::Conv1D<8, 4, 2, 2, ctnn::Tanh, Conv1DOptions{.stride = 2, .groups = 2}>,
                    ctnn::Conv1D<4, 2, 1, 4, ctnn::Sigmoid, Conv1DOptions{}>>;
  OtherDilation other{};
  try {
    ctnn::load_model_text_into(other, text, "conv.ctnn");
    FAIL("a file of a dilation-2 convolution loaded into a dilation-1 one");
  } catch (const ctnn::model_file_error& e) {
    CHECK(std::string(e.what()) ==
          "ctnn: cannot load model \"conv.ctnn\": line 4: layer 1 dilation: expected dilation=1, found "
          "\"dilation=2\"");
  }
  CHECK(ctnn::architecture_fingerprint(other) != ctnn::architecture_fingerprint(trained_in_the_compiler));

  const std::string header = ctnn::model_header(trained_in_the_compiler, "conv_model");
  CHECK(header.find("#include <ctnn/conv1d.hpp>\n") != std::string::npos);
  CHECK(header.find("ctnn::Conv1D<8, 2, 4, 3, ctnn::Tanh, ctnn::Conv1DOptions{.stride = 1, .dilation = 2, .groups = "
                    "1, .padding = ctnn::Padding::causal, .bias = true}, double>") != std::string::npos);
  const std::string no_bias =
      ctnn::model_header(ctnn::Network<ctnn::Conv1D<4, 1, 1, 2, ctnn::Identity, Conv1DOptions{.bias = false}>>{}, "m");
  CHECK(no_bias.find(".bias = false}, double>") != std::string::npos);
}

namespace {

// Wide layers, where the runtime computes each output row with Dense's vector kernel: its bits must be
// the constant evaluator's (plain loops), whole sequences and streams, float and double.
template <class T, std::size_t N, Conv1DOptions O>
using Wide = ctnn::Conv1D<6, N, N, 3, ctnn::Identity, O, T>;

template <class L>
constexpr L wide_layer()
{
  L layer{};
  for (std::size_t i = 0; i < L::weight_count; ++i)
    layer.weights[i] = static_cast<typename L::scalar_type>(bit_helpers::spread(1000 + i));
  for (std::size_t i = 0; i < L::out_channels; ++i)
    layer.bias[i] = static_cast<typename L::scalar_type>(bit_helpers::spread(3000 + i));
  return layer;
}
template <class L>
constexpr typename L::input_type wide_input()
{
  typename L::input_type x{};
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<typename L::scalar_type>(bit_helpers::spread(5000 + i));
  return x;
}
template <class L>
constexpr typename L::output_type wide_stream(const L& layer, const typename L::input_type& x)
{
  constexpr std::size_t in = L::step_input_type::size();
  constexpr std::size_t out = L::step_output_type::size();
  typename L::output_type y{};
  auto state = layer.initial_state();
  for (std::size_t t = 0; t < L::input_shape::dims[0]; ++t) {
    typename L::step_input_type xt;
    for (std::size_t c = 0; c < in; ++c) xt[c] = x[t * in + c];
    const auto yt = layer.step(xt, state);
    for (std::size_t c = 0; c < out; ++c) y[t * out + c] = yt[c];
  }
  return y;
}

template <class L>
void check_wide_bits()
{
  constexpr L layer = wide_layer<L>();
  constexpr auto whole_in_the_compiler = layer(wide_input<L>());
  const auto x = bit_helpers::opaque(wide_input<L>());
  const auto whole = bit_helpers::opaque(layer)(x);
  for (std::size_t i = 0; i < whole.size(); ++i)
    CHECK(bit_helpers::bits(whole[i]) == bit_helpers::bits(whole_in_the_compiler[i]));
  // The inference form, W by columns, through the column kernel.
  const auto frozen = bit_helpers::opaque(ctnn::FrozenConv1D<L>(layer));
  static_assert(ctnn::FrozenConv1D<L>(wide_layer<L>())(wide_input<L>()) == whole_in_the_compiler);
  const auto frozen_whole = frozen(x);
  for (std::size_t i = 0; i < whole.size(); ++i)
    CHECK(bit_helpers::bits(frozen_whole[i]) == bit_helpers::bits(whole_in_the_compiler[i]));
  if constexpr (L::streams) {
    constexpr auto stream_in_the_compiler = wide_stream(layer, wide_input<L>());
    const auto stream = wide_stream(bit_helpers::opaque(layer), x);
    const auto frozen_stream = wide_stream(frozen, x);
    for (std::size_t i = 0; i < stream.size(); ++i) {
      CHECK(bit_helpers::bits(stream[i]) == bit_helpers::bits(stream_in_the_compiler[i]));
      CHECK(bit_helpers::bits(frozen_stream[i]) == bit_helpers::bits(stream_in_the_compiler[i]));
    }
  }
}

}  // namespace

TEST_CASE("Conv1D's runtime kernel gives the compiler's bits, whole sequences and streams")
{
  constexpr Conv1DOptions causal{.dilation = 2, .padding = Padding::causal};
  constexpr Conv1DOptions grouped{.stride = 2, .groups = 4, .padding = Padding::same, .bias = false};
  check_wide_bits<Wide<float, 8, causal>>();
  check_wide_bits<Wide<float, 32, causal>>();
  check_wide_bits<Wide<double, 16, causal>>();
  check_wide_bits<Wide<float, 16, grouped>>();
  check_wide_bits<Wide<double, 32, grouped>>();
}

// The committed header emit_header wrote compiles (its own static_asserts check both fingerprints)
// to the model it was written from, and emit_header still writes it, to the byte.
static_assert(ctnn::bitwise_equal(conv1d_emitted, conv1d_emitted_source()));

TEST_CASE("a generated header of every Conv1D, ELU, PReLU and TimeDistributed option compiles to the same model")
{
  const auto x = [] {
    Conv1DEmitted::input_type v{};
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = bit_helpers::opaque(bit_helpers::spread(500 + i));
    return v;
  }();
  const auto from_header = conv1d_emitted.predict(x);
  const auto from_source = conv1d_emitted_source().predict(x);
  for (std::size_t i = 0; i < from_header.size(); ++i)
    CHECK(bit_helpers::bits(from_header[i]) == bit_helpers::bits(from_source[i]));

#ifdef CTNN_DATA_DIR  // the unit_tests target's: the repository's data/, whatever the working directory
  const std::string path = std::string(CTNN_DATA_DIR) + "/../tests/unit/conv1d_emitted_model.hpp";
#else
  std::string path = __FILE__;
  path = path.substr(0, path.find_last_of('/') + 1) + "conv1d_emitted_model.hpp";
#endif
  std::ifstream file(path);
  REQUIRE(file);
  const std::string committed{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  // The committed file starts with one line that keeps the format check away from it.
  CHECK("// clang-format off\n" + ctnn::model_header(conv1d_emitted_source(), "conv1d_emitted") == committed);
}
