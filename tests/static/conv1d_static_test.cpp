// A small convolutional sequence classifier trained by the compiler: a causal dilated Conv1D, a
// PReLU, a Dense per time step (TimeDistributed) with ELU, then a valid Conv1D over all 8 steps down to one
// step, read by a last per-step Dense. It learns whether a noisy sequence's bump comes early or late,
// and streaming its causal front half equals the whole-sequence pass, bit for bit.
#include <bit>
#include <cstddef>
#include <cstdint>

#include <ctnn/conv1d.hpp>
#include <ctnn/core.hpp>
#include <ctnn/elu.hpp>
#include <ctnn/prelu.hpp>
#include <ctnn/time_distributed.hpp>

namespace {

using ctnn::Conv1DOptions;
using ctnn::Padding;

using Front =
    ctnn::Network<ctnn::Conv1D<8, 1, 3, 3, ctnn::Tanh, Conv1DOptions{.dilation = 2, .padding = Padding::causal}>,
                  ctnn::PReLU<ctnn::Shape<8, 3>, 3>, ctnn::TimeDistributed<ctnn::Dense<3, 3, ctnn::ELU<>>, 8>>;
using Net =
    ctnn::Network<ctnn::Conv1D<8, 1, 3, 3, ctnn::Tanh, Conv1DOptions{.dilation = 2, .padding = Padding::causal}>,
                  ctnn::PReLU<ctnn::Shape<8, 3>, 3>, ctnn::TimeDistributed<ctnn::Dense<3, 3, ctnn::ELU<>>, 8>,
                  ctnn::Conv1D<8, 3, 2, 8, ctnn::Tanh>,  // valid over all 8 steps: Shape<1, 2>
                  ctnn::TimeDistributed<ctnn::Dense<2, 1, ctnn::Sigmoid>, 1>>;
static_assert(std::is_same_v<Net::output_shape, ctnn::Shape<1, 1>>);

// A bump of height 1 at step 1 or 2 (label 0) or at step 5 or 6 (label 1), on a small ripple.
constexpr ctnn::Dataset<8, 1, 8> early_or_late()
{
  ctnn::Dataset<8, 1, 8> data{};
  for (std::size_t s = 0; s < 8; ++s) {
    const std::size_t bump = s < 4 ? 1 + s % 2 : 5 + s % 2;
    for (std::size_t t = 0; t < 8; ++t)
      data.samples[s].input[t] = (t == bump ? 1.0 : 0.0) + 0.05 * static_cast<double>((s * 5 + t * 3) % 4) - 0.075;
    data.samples[s].target[0] = s < 4 ? 0.0 : 1.0;
  }
  return data;
}

constexpr Net train(std::size_t epochs)
{
  auto net = ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{5});
  ctnn::fit(net, early_or_late(), ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.05},
            {.epochs = epochs, .batch_size = 4, .shuffle = true, .shuffle_seed = ctnn::Seed{1}});
  return net;
}

constexpr Net trained = train(60);
constexpr auto data = early_or_late();

constexpr bool all_right(const Net& net)
{
  for (const auto& sample : data.samples)
    if ((net.predict(sample.input)[0] > 0.5) != (sample.target[0] > 0.5)) return false;
  return true;
}
static_assert(!all_right(ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{5})));
static_assert(all_right(trained));
// The same bits from GCC and Clang (this file compiles with both): a change of any sum's order or of
// the math functions moves this fingerprint.
static_assert(ctnn::parameter_fingerprint(trained) == std::uint64_t{0xe7915cf2a64febc4});

// The causal front half, streamed step by step, equals its whole-sequence pass.
constexpr bool streams_like_the_whole(const Net& net)
{
  Front front{};
  front.layer<0>() = net.layer<0>();
  front.layer<1>() = net.layer<1>();
  front.layer<2>() = net.layer<2>();
  const auto whole = front.predict(data.samples[5].input);
  auto state = front.initial_state();
  for (std::size_t t = 0; t < 8; ++t) {
    const auto y = front.step({{data.samples[5].input[t]}}, state);
    for (std::size_t c = 0; c < 3; ++c)
      if (std::bit_cast<std::uint64_t>(y[c]) != std::bit_cast<std::uint64_t>(whole[3 * t + c])) return false;
  }
  return true;
}
static_assert(streams_like_the_whole(trained));

}  // namespace

int main() {}
