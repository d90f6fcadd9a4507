// LSTM: forward and backpropagation through time against PyTorch's nn.LSTM (recurrent_torch.py's
// values), training in the compiler and at runtime with the same bits (double and float),
// gradient_check on stacked layers (and a broken gradient fails it), streaming step by step with the
// bits of the whole-sequence pass, reset to a stored resting state, model files and headers.

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <ctnn/ctnn.hpp>
#include <ctnn/lstm.hpp>
#include <string>
#include <type_traits>

#include "bit_helpers.hpp"
#include "recurrent_torch_expected.hpp"

namespace {

namespace ref = torch_reference;
using SequenceLSTM = ctnn::LSTM<ref::steps, ref::inputs, ref::hidden, true>;
using LastLSTM = ctnn::LSTM<ref::steps, ref::inputs, ref::hidden>;

template <class L>
constexpr L torch_lstm()
{
  L layer{};
  for (std::size_t i = 0; i < L::gate_rows * L::inputs; ++i) layer.weight_ih.values[i] = ref::lstm::weight_ih[i];
  for (std::size_t i = 0; i < L::gate_rows * L::hidden; ++i) layer.weight_hh.values[i] = ref::lstm::weight_hh[i];
  for (std::size_t i = 0; i < L::gate_rows; ++i) {
    layer.bias_ih.values[i] = ref::lstm::bias_ih[i];
    layer.bias_hh.values[i] = ref::lstm::bias_hh[i];
  }
  return layer;
}
constexpr SequenceLSTM sequence_layer = torch_lstm<SequenceLSTM>();
constexpr LastLSTM last_layer = torch_lstm<LastLSTM>();
constexpr SequenceLSTM::input_type torch_input{ref::lstm::input};

// The compiler's forward pass is the runtime's, bit for bit (checked at runtime below).
constexpr SequenceLSTM::output_type sequence_in_the_compiler = sequence_layer(torch_input);

template <std::size_t N>
void check_close(const double* actual, const double (&expected)[N], double tolerance)
{
  for (std::size_t i = 0; i < N; ++i) {
    INFO("index " << i);
    CHECK(actual[i] == Approx(expected[i]).epsilon(tolerance).margin(tolerance));
  }
}

// A smooth periodic series (a tanh of a triangle wave, period 8) cut into windows, each with the
// next value as its target.
constexpr double wave(std::size_t t)
{
  const double phase = static_cast<double>(t % 8);
  return ctnn::math::tanh(phase < 4 ? phase - 2 : 6 - phase);
}
template <class T, std::size_t Window, std::size_t Count>
constexpr ctnn::Dataset<Window, 1, Count, T> wave_windows()
{
  ctnn::Dataset<Window, 1, Count, T> data{};
  for (std::size_t s = 0; s < Count; ++s) {
    for (std::size_t t = 0; t < Window; ++t) data.samples[s].input.values[t] = static_cast<T>(wave(s + t));
    data.samples[s].target.values[0] = static_cast<T>(wave(s + Window));
  }
  return data;
}

template <class T>
using Forecaster = ctnn::Network<ctnn::LSTM<6, 1, 4, false, T>, ctnn::Dense<4, 1, ctnn::Identity, T>>;
using Stacked = ctnn::Network<ctnn::LSTM<4, 2, 3, true>, ctnn::LSTM<4, 3, 3>, ctnn::Dense<3, 1, ctnn::Identity>>;

template <class T>
constexpr Forecaster<T> train_forecaster(std::size_t epochs)
{
  auto net = ctnn::initialized<Forecaster<T>>(ctnn::RecurrentUniform{}, ctnn::Seed{11});
  ctnn::fit(net, wave_windows<T, 6, 12>(), ctnn::MeanSquaredError{}, ctnn::Adam{0.02},
            {.epochs = epochs, .batch_size = 4, .shuffle = true, .shuffle_seed = ctnn::Seed{2}});
  return net;
}

constexpr Stacked train_stacked(std::size_t epochs)
{
  auto net = ctnn::initialized<Stacked>(ctnn::XavierUniform{}, ctnn::Seed{4});
  ctnn::Dataset<8, 1, 3> data{};
  for (std::size_t s = 0; s < 3; ++s) {
    for (std::size_t i = 0; i < 8; ++i)
      data.samples[s].input.values[i] = 0.25 * static_cast<double>(s) - 0.1 * static_cast<double>(i);
    data.samples[s].target.values[0] = 0.5 - 0.3 * static_cast<double>(s);
  }
  ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = epochs});
  return net;
}

constexpr Forecaster<double> forecaster_in_the_compiler = train_forecaster<double>(20);
constexpr Forecaster<float> float_forecaster_in_the_compiler = train_forecaster<float>(20);
constexpr Stacked stacked_in_the_compiler = train_stacked(10);

static_assert(ctnn::TrainableLayer<SequenceLSTM> && ctnn::StatefulLayer<SequenceLSTM>);
static_assert(std::is_same_v<SequenceLSTM::output_shape, ctnn::Shape<5, 4>>);
static_assert(std::is_same_v<LastLSTM::output_shape, ctnn::Shape<4>>);
static_assert(LastLSTM::parameter_count == 4 * 4 * 3 + 4 * 4 * 4 + 2 * 4 * 4);
// The state is h and c and nothing else: a budget a user can assert on.
static_assert(sizeof(Forecaster<double>::state_type) == 2 * 4 * sizeof(double));
static_assert(sizeof(Forecaster<float>::state_type) == 2 * 4 * sizeof(float));
static_assert(sizeof(Stacked::state_type) == 2 * 6 * sizeof(double));

// A LSTM whose forget-gate input weights get a doubled gradient: what the gradient check must catch.
struct BrokenLSTM : ctnn::LSTM<4, 2, 3> {
  template <bool NeedInputGradient>
  constexpr void backward(const input_type& x, const cache_type& c, const output_type& y, const output_type& dy,
                          gradients& g, input_type& dx) const noexcept
  {
    gradients before = g;
    ctnn::LSTM<4, 2, 3>::backward<NeedInputGradient>(x, c, y, dy, g, dx);
    // Rows hidden..2*hidden of weight_ih are the forget gate's.
    for (std::size_t i = hidden * inputs; i < 2 * hidden * inputs; ++i)
      g.weight_ih.values[i] += g.weight_ih.values[i] - before.weight_ih.values[i];
  }
};

}  // namespace

TEST_CASE("LSTM forward matches PyTorch's nn.LSTM, every step and the last")
{
  const auto sequence = sequence_layer(torch_input);
  check_close(sequence.values, ref::lstm::output, 1e-13);
  const auto last = last_layer(torch_input);
  for (std::size_t i = 0; i < ref::hidden; ++i) CHECK(last[i] == sequence[(ref::steps - 1) * ref::hidden + i]);
  CHECK(sequence == sequence_in_the_compiler);
}

TEST_CASE("LSTM backpropagation through time matches PyTorch's gradients")
{
  SequenceLSTM::cache_type cache;
  SequenceLSTM::output_type y;
  sequence_layer.forward(torch_input, cache, y);
  CHECK(y == sequence_in_the_compiler);
  const SequenceLSTM::output_type dy{ref::lstm::loss_weights};
  SequenceLSTM::gradients g{};
  SequenceLSTM::input_type dx;
  sequence_layer.backward<true>(torch_input, cache, y, dy, g, dx);
  check_close(g.weight_ih.values, ref::lstm::grad_weight_ih, 1e-12);
  check_close(g.weight_hh.values, ref::lstm::grad_weight_hh, 1e-12);
  check_close(g.bias_ih.values, ref::lstm::grad_bias_ih, 1e-12);
  check_close(g.bias_hh.values, ref::lstm::grad_bias_hh, 1e-12);
  check_close(dx.values, ref::lstm::grad_input, 1e-12);
}

TEST_CASE("LSTM networks train at runtime with the compiler's bits, double and float")
{
  volatile std::size_t epochs = 20;  // not a constant: trained at runtime
  const auto forecaster = train_forecaster<double>(epochs);
  CHECK(ctnn::parameter_fingerprint(forecaster) == ctnn::parameter_fingerprint(forecaster_in_the_compiler));
  CHECK(ctnn::bitwise_equal(forecaster, forecaster_in_the_compiler));
  const auto float_forecaster = train_forecaster<float>(epochs);
  CHECK(ctnn::parameter_fingerprint(float_forecaster) == ctnn::parameter_fingerprint(float_forecaster_in_the_compiler));
  // The same bits on every compiler: GCC's and Clang's builds of this file check the same values.
  CHECK(ctnn::parameter_fingerprint(forecaster_in_the_compiler) == 0xb3ceb07bf6818105ULL);
  CHECK(ctnn::parameter_fingerprint(float_forecaster_in_the_compiler) == 0x1fa9871194c03e40ULL);
  CHECK(ctnn::parameter_fingerprint(stacked_in_the_compiler) == 0x1b26a922fe7de1acULL);
  volatile std::size_t stacked_epochs = 10;
  CHECK(ctnn::bitwise_equal(train_stacked(stacked_epochs), stacked_in_the_compiler));

  // Training learned something: the trained forecaster beats the initial one on its data.
  const auto data = wave_windows<double, 6, 12>();
  const auto initial = ctnn::initialized<Forecaster<double>>(ctnn::RecurrentUniform{}, ctnn::Seed{11});
  double before = 0, after = 0;
  for (const auto& s : data) {
    before += ctnn::math::abs(initial.predict(s.input)[0] - s.target[0]);
    after += ctnn::math::abs(forecaster.predict(s.input)[0] - s.target[0]);
  }
  CHECK(after < 0.5 * before);
}

TEST_CASE("LSTM passes the gradient check stacked, and a broken forget-gate gradient fails it")
{
  const Stacked::input_type x{{0.3, -0.2, 0.5, 0.1, -0.4, 0.6, 0.2, -0.7}};
  const auto check = ctnn::gradient_check(stacked_in_the_compiler, x, {{0.4}}, ctnn::MeanSquaredError{});
  INFO("worst parameter " << check.worst_parameter << ": " << check.backprop_at_worst << " vs "
                          << check.numeric_at_worst);
  CHECK(check.passed(1e-7));
  const auto last = ctnn::gradient_check(forecaster_in_the_compiler, {{0.1, 0.5, 0.9, 0.7, 0.2, -0.3}}, {{0.5}},
                                         ctnn::MeanSquaredError{});
  CHECK(last.passed(1e-7));

  ctnn::Network<BrokenLSTM, ctnn::Dense<3, 1, ctnn::Identity>> broken{};
  ctnn::Random rng{ctnn::Seed{9}};
  ctnn::initialize(broken, ctnn::RecurrentUniform{}, rng);
  CHECK_FALSE(ctnn::gradient_check(broken, x, {{0.4}}, ctnn::MeanSquaredError{}).passed(1e-3));
  // The same values in the unbroken layer pass.
  ctnn::Network<ctnn::LSTM<4, 2, 3>, ctnn::Dense<3, 1, ctnn::Identity>> sound{};
  ctnn::Random same{ctnn::Seed{9}};
  ctnn::initialize(sound, ctnn::RecurrentUniform{}, same);
  CHECK(ctnn::gradient_check(sound, x, {{0.4}}, ctnn::MeanSquaredError{}).passed(1e-7));
}

TEST_CASE("LSTM streams one step at a time with the whole sequence's bits, and resets to a resting state")
{
  // Sequence-to-sequence: each step's output is that step's row of the whole pass.
  auto state = ctnn::Network<SequenceLSTM>{{sequence_layer}}.initial_state();
  const ctnn::Network<SequenceLSTM> sequence_net{{sequence_layer}};
  for (std::size_t t = 0; t < ref::steps; ++t) {
    const auto y = sequence_net.step(
        ctnn::Vector<double, ref::inputs>::from(torch_input.values + t * ref::inputs, ref::inputs), state);
    for (std::size_t i = 0; i < ref::hidden; ++i) CHECK(y[i] == sequence_in_the_compiler[t * ref::hidden + i]);
  }

  // Stacked LSTMs and a Dense, stepped: the last output is predict's.
  const Stacked& net = stacked_in_the_compiler;
  const Stacked::input_type x{{0.3, -0.2, 0.5, 0.1, -0.4, 0.6, 0.2, -0.7}};
  auto stream = net.initial_state();
  CHECK(stream == Stacked::state_type{});
  double y = 0;
  for (std::size_t t = 0; t < 4; ++t) y = net.step({{x[2 * t], x[2 * t + 1]}}, stream)[0];
  CHECK(y == net.predict(x)[0]);

  // A resting state stored after silence: a reset to it continues from there, a plain reset from zero.
  auto silence = net.initial_state();
  for (int t = 0; t < 10; ++t) net.step({{0.0, 0.0}}, silence);
  const auto resting = silence;
  CHECK_FALSE(resting == net.initial_state());
  net.reset(stream, resting);
  CHECK(stream == resting);
  auto copy = resting;
  CHECK(net.step({{0.5, 0.5}}, stream)[0] == net.step({{0.5, 0.5}}, copy)[0]);
  net.reset(stream);
  CHECK(stream == net.initial_state());
  double again = 0;
  for (std::size_t t = 0; t < 4; ++t) again = net.step({{x[2 * t], x[2 * t + 1]}}, stream)[0];
  CHECK(again == y);
}

TEST_CASE("LSTM layers go through model files and generated headers")
{
  const std::string text = ctnn::model_text(stacked_in_the_compiler);
  CHECK(text.find("\nlayer 1 LSTM 4x2 4x3 hidden=3 steps=4 return_sequences=true\n") != std::string::npos);
  CHECK(text.find("\nlayer 2 LSTM 4x3 3 hidden=3 steps=4 return_sequences=false\n") != std::string::npos);
  Stacked loaded{};
  ctnn::load_model_text_into(loaded, text, "lstm.ctnn");
  CHECK(ctnn::bitwise_equal(loaded, stacked_in_the_compiler));

  const std::string header = ctnn::model_header(stacked_in_the_compiler, "lstm_model");
  CHECK(header.find("#include <ctnn/lstm.hpp>\n") != std::string::npos);
  CHECK(header.find("ctnn::layer_from_values<ctnn::LSTM<4, 2, 3, true, double>>({") != std::string::npos);
  CHECK(header.find("ctnn::LSTM<4, 3, 3, false, double>") != std::string::npos);

  const auto frozen = ctnn::for_inference(stacked_in_the_compiler);
  const Stacked::input_type x{{0.3, -0.2, 0.5, 0.1, -0.4, 0.6, 0.2, -0.7}};
  CHECK(frozen.predict(x)[0] == stacked_in_the_compiler.predict(x)[0]);
}

TEST_CASE("LSTM sequence-to-sequence: every step's output trained and checked")
{
  using SequenceToSequence = ctnn::Network<ctnn::LSTM<3, 2, 2, true>>;
  constexpr auto train = [](std::size_t epochs) {
    auto net = ctnn::initialized<SequenceToSequence>(ctnn::RecurrentUniform{}, ctnn::Seed{12});
    const ctnn::Dataset<6, 6, 2> data{{{{{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}}, {{0.1, -0.1, 0.2, -0.2, 0.3, -0.3}}},
                                       {{{-0.3, 0.1, 0.0, 0.2, -0.1, 0.4}}, {{0.0, 0.1, 0.1, 0.2, 0.2, 0.3}}}}};
    ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::Adam{0.05}, {.epochs = epochs, .batch_size = 2});
    return net;
  };
  constexpr SequenceToSequence in_the_compiler = train(30);
  volatile std::size_t epochs = 30;
  CHECK(ctnn::bitwise_equal(train(epochs), in_the_compiler));
  const auto check = ctnn::gradient_check(in_the_compiler, {{0.2, -0.4, 0.6, 0.1, -0.3, 0.5}},
                                          {{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}}, ctnn::MeanSquaredError{});
  CHECK(check.passed(1e-7));
}

namespace {

// Wide layers run the runtime's vector kernels (Dense's matrix product, the activations' lanes); the
// compiler runs the plain loops. Gate rows and columns that are not multiples of the lanes cover the
// kernels' tails too.
template <class L>
constexpr L spread_layer()
{
  L layer{};
  std::uint64_t k = 0;
  layer.visit_parameters([&](auto& tensor) {
    for (auto& v : tensor) v = static_cast<typename L::scalar_type>(bit_helpers::spread(k++) * 0.75);
  });
  return layer;
}
template <class L>
constexpr typename L::input_type spread_input()
{
  typename L::input_type x{};
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<typename L::scalar_type>(bit_helpers::spread(1000 + i) * 2);
  return x;
}
using WideFloat = ctnn::LSTM<3, 9, 13, true, float>;
using WideDouble = ctnn::LSTM<2, 16, 21, false, double>;
constexpr WideFloat wide_float = spread_layer<WideFloat>();
constexpr WideDouble wide_double = spread_layer<WideDouble>();
constexpr WideFloat::output_type wide_float_in_the_compiler = wide_float(spread_input<WideFloat>());
constexpr WideDouble::output_type wide_double_in_the_compiler = wide_double(spread_input<WideDouble>());

template <class Y>
bool same_bits(const Y& a, const Y& b)
{
  for (std::size_t i = 0; i < a.size(); ++i)
    if (bit_helpers::bits(a[i]) != bit_helpers::bits(b[i])) return false;
  return true;
}

}  // namespace

TEST_CASE("LSTM runtime vector kernels give the compiler's bits on wide layers, float and double")
{
  const auto float_layer = bit_helpers::opaque(wide_float);
  const auto double_layer = bit_helpers::opaque(wide_double);
  CHECK(same_bits(float_layer(bit_helpers::opaque(spread_input<WideFloat>())), wide_float_in_the_compiler));
  CHECK(same_bits(double_layer(bit_helpers::opaque(spread_input<WideDouble>())), wide_double_in_the_compiler));
  // Streaming runs the same kernels.
  auto state = float_layer.initial_state();
  const auto x = spread_input<WideFloat>();
  for (std::size_t t = 0; t < 3; ++t) {
    const auto y = float_layer.step(WideFloat::step_input_type::from(x.values + t * 9, 9), state);
    for (std::size_t i = 0; i < 13; ++i)
      CHECK(bit_helpers::bits(y[i]) == bit_helpers::bits(wide_float_in_the_compiler[t * 13 + i]));
  }
}
