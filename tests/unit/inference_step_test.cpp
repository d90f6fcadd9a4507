// InferenceModel::step: a stream through the inference form (FrozenConv1D's, FrozenRecurrent's and
// FrozenDense's column kernels at runtime) gives Network::step's bits at every step and leaves the same state, in a
// constant expression and at runtime, float and double; states move between the two mid-stream.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <cstring>
#include <ratio>
#include <tuple>

#include <ctnn/batch_norm.hpp>
#include <ctnn/conv1d.hpp>
#include <ctnn/dense.hpp>
#include <ctnn/gru.hpp>
#include <ctnn/inference.hpp>
#include <ctnn/init.hpp>
#include <ctnn/lstm.hpp>
#include <ctnn/network.hpp>

namespace {

using ctnn::Conv1DOptions;
using ctnn::Padding;

// Wide enough that the runtime takes the vector column kernels (Conv1D window 2 * 3 = 6 x 24,
// Dense 12 x 20), with a GRU and an LSTM between them.
template <class T>
using Streamed =
    ctnn::Network<ctnn::Conv1D<16, 2, 24, 3, ctnn::Tanh, Conv1DOptions{.dilation = 2, .padding = Padding::causal}, T>,
                  ctnn::GRU<16, 24, 12, true, T>, ctnn::LSTM<16, 12, 12, false, T>, ctnn::Dense<12, 20, ctnn::Tanh, T>,
                  ctnn::Dense<20, 3, ctnn::Identity, T>>;

template <class T>
T input_at(std::size_t t, std::size_t c)
{
  // A deterministic wave that crosses zero, different per channel.
  const double phase = 0.37 * double(t) + 1.3 * double(c);
  return T(0.9 * (phase - 6.0 * double(std::size_t(phase / 6.0))) / 6.0 - 0.45 + 0.1 * double(c));
}

template <class V>
bool same_bits(const V& a, const V& b)
{
  return std::memcmp(a.values, b.values, sizeof(a.values)) == 0;
}

template <class T>
void check_stream()
{
  const auto net = ctnn::initialized<Streamed<T>>(ctnn::RecurrentUniform{}, ctnn::Seed{5});
  const auto model = ctnn::for_inference(net);
  auto net_state = net.initial_state();
  auto model_state = model.initial_state();
  REQUIRE(net_state == model_state);
  std::size_t differing = 0;
  for (std::size_t t = 0; t < 40; ++t) {  // longer than the type's 16 steps: a stream has no end
    const ctnn::Vector<T, 2> x{{input_at<T>(t, 0), input_at<T>(t, 1)}};
    const auto expected = net.step(x, net_state);
    const auto got = model.step(x, model_state);
    if (!same_bits(expected, got)) ++differing;
  }
  CHECK(differing == 0);
  CHECK(net_state == model_state);

  // The whole sequence through predict: the GRU and LSTM inference forms (weights by columns) too.
  typename Streamed<T>::input_type sequence{};
  for (std::size_t t = 0; t < 16; ++t)
    for (std::size_t c = 0; c < 2; ++c) sequence.values[t * 2 + c] = input_at<T>(t + 3, c);
  CHECK(same_bits(net.predict(sequence), model.predict(sequence)));

  // The state moves from one to the other mid-stream, and reset goes back to the stored one.
  const auto resting = model_state;
  const ctnn::Vector<T, 2> x{{T(0.25), T(-0.5)}};
  auto handed_over = net_state;
  CHECK(same_bits(model.step(x, handed_over), net.step(x, net_state)));
  model.reset(handed_over, resting);
  CHECK(handed_over == resting);
  model.reset(handed_over);
  CHECK(handed_over == net.initial_state());
}

// In a constant expression: a small net, stepped 5 times by both.
using Small = ctnn::Network<ctnn::Conv1D<4, 1, 3, 2, ctnn::Tanh, Conv1DOptions{.padding = Padding::causal}>,
                            ctnn::GRU<4, 3, 2>, ctnn::Dense<2, 1, ctnn::Identity>>;

constexpr bool small_streams_alike()
{
  const auto net = ctnn::initialized<Small>(ctnn::RecurrentUniform{}, ctnn::Seed{3});
  const auto model = ctnn::for_inference(net);
  auto a = net.initial_state();
  auto b = model.initial_state();
  for (int t = 0; t < 5; ++t) {
    const ctnn::Vector<double, 1> x{{0.3 * t - 0.5}};
    if (!(net.step(x, a)[0] == model.step(x, b)[0])) return false;
  }
  return a == b;
}
static_assert(small_streams_alike());
static_assert(std::is_same_v<ctnn::InferenceModel<Small>::state_type, Small::state_type>);

}  // namespace

TEST_CASE("InferenceModel step streams with Network step's bits and state, float and double")
{
  check_stream<double>();
  check_stream<float>();
}

namespace {
// Dense -> BatchNorm (tanh) -> Dense, with running statistics and scales that are not the defaults.
template <class T>
using Normalized = ctnn::Network<ctnn::Dense<5, 6, ctnn::Identity, T>,
                                 ctnn::BatchNorm<ctnn::Shape<6>, ctnn::Tanh, std::ratio<1, 10>, std::ratio<1, 1000>, T>,
                                 ctnn::Dense<6, 2, ctnn::Identity, T>>;

template <class T>
Normalized<T> normalized_net()
{
  auto net = ctnn::initialized<Normalized<T>>(ctnn::XavierUniform{}, ctnn::Seed{8});
  auto& norm = net.template layer<1>();
  for (std::size_t c = 0; c < 6; ++c) {
    norm.gamma.values[c] = T(0.5) + T(0.25) * T(c);
    norm.beta.values[c] = T(0.1) * T(c) - T(0.2);
    norm.running_mean.values[c] = T(0.3) - T(0.15) * T(c);
    norm.running_var.values[c] = T(0.4) + T(0.5) * T(c);
  }
  return net;
}

template <class T>
double worst_folded_difference()
{
  const auto net = normalized_net<T>();
  const auto folded = ctnn::for_inference(net, ctnn::fold_batch_norms);
  static_assert(std::tuple_size_v<typename decltype(folded)::layers_type> == 2, "the BatchNorm is folded away");
  double worst = 0;
  for (std::size_t k = 0; k < 50; ++k) {
    ctnn::Vector<T, 5> x{};
    for (std::size_t i = 0; i < 5; ++i) x.values[i] = input_at<T>(k, i) * T(3);
    const auto expected = net.predict(x);
    const auto got = folded.predict(x);
    for (std::size_t o = 0; o < 2; ++o) {
      const double difference = std::fabs(double(got.values[o]) - double(expected.values[o]));
      if (!(difference <= worst)) worst = difference;
    }
  }
  return worst;
}
}  // namespace

TEST_CASE("for_inference folds BatchNorm on request within a rounding of the unfolded net")
{
  // Outputs are of order 1: a few ulps of the type apart (folding rounds the scaled weights once).
  CHECK(worst_folded_difference<double>() <= 1e-14);
  CHECK(worst_folded_difference<float>() <= 1e-6);
  // Without the request the net keeps its layers and its bits.
  const auto net = normalized_net<double>();
  const auto plain = ctnn::for_inference(net);
  static_assert(std::tuple_size_v<decltype(plain.layers)> == 3);
  CHECK(std::memcmp(plain.predict({{0.1, 0.2, 0.3, 0.4, 0.5}}).values, net.predict({{0.1, 0.2, 0.3, 0.4, 0.5}}).values,
                    sizeof(double) * 2) == 0);
  // A broken fold (the running variance ignored) is far outside the tolerance.
  auto broken = net;
  for (auto& v : broken.layer<1>().running_var.values) v = 1;
  const auto wrong = ctnn::for_inference(broken, ctnn::fold_batch_norms);
  CHECK(std::fabs(wrong.predict({{0.1, 0.2, 0.3, 0.4, 0.5}})[0] - net.predict({{0.1, 0.2, 0.3, 0.4, 0.5}})[0]) > 1e-3);
}
