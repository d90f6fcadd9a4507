// ctnn's Conv1D streamed with step(): a causal Conv1D<1, N, N, 3, Identity, {.dilation = d}, float>
// (the step does not depend on the layer's sequence length), its state a ring of the last
// 2 * d + 1 inputs; and its inference form FrozenConv1D (W by columns), which steps with the same bits.
#include <ctnn/conv1d.hpp>

#include <chrono>
#include <cstddef>
#include <vector>

#include "conv1d_workload.hpp"

namespace {

template <bool Frozen, std::size_t N, std::size_t Dilation>
conv1d_bench::Result run(const std::vector<float>& signal, std::size_t samples)
{
  using namespace conv1d_bench;
  using Layer = ctnn::Conv1D<1, N, N, kernel, ctnn::Identity,
                             ctnn::Conv1DOptions{.dilation = Dilation, .padding = ctnn::Padding::causal}, float>;
  static Layer layer{};
  for (std::size_t o = 0; o < N; ++o) {
    layer.bias[o] = bias(o);
    for (std::size_t i = 0; i < N; ++i)
      for (std::size_t k = 0; k < kernel; ++k) layer.weights[(o * N + i) * kernel + k] = weight(N, o, i, k);
  }
  // The layer itself, or its inference form (W by columns).
  static ctnn::FrozenConv1D<Layer> frozen{};
  frozen.assign(layer);
  const auto& streamer = [&]() -> const auto& {
    if constexpr (Frozen)
      return frozen;
    else
      return layer;
  }();
  auto state = streamer.initial_state();
  Result r{0, 0, {}};
  const auto start = std::chrono::steady_clock::now();
  double sum = 0;
  typename Layer::step_input_type x;
  for (std::size_t t = 0; t < samples; ++t) {
    for (std::size_t i = 0; i < N; ++i) x[i] = signal[t * N + i];
    const auto y = streamer.step(x, state);
    float step = 0;
    for (std::size_t i = 0; i < N; ++i) step += y[i];
    sum += step;
    if (t == 9)
      for (std::size_t i = 0; i < 4; ++i) r.first_outputs[i] = y[i];
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.checksum = sum;
  return r;
}

}  // namespace

namespace {
template <bool Frozen>
conv1d_bench::Result ctnn_run(std::size_t n, std::size_t dilation, const std::vector<float>& signal,
                              std::size_t samples)
{
  switch (n * 10 + dilation) {
    case 41:
      return run<Frozen, 4, 1>(signal, samples);
    case 42:
      return run<Frozen, 4, 2>(signal, samples);
    case 81:
      return run<Frozen, 8, 1>(signal, samples);
    case 82:
      return run<Frozen, 8, 2>(signal, samples);
    case 161:
      return run<Frozen, 16, 1>(signal, samples);
    case 162:
      return run<Frozen, 16, 2>(signal, samples);
    case 321:
      return run<Frozen, 32, 1>(signal, samples);
    case 322:
      return run<Frozen, 32, 2>(signal, samples);
    case 641:
      return run<Frozen, 64, 1>(signal, samples);
    default:
      return run<Frozen, 64, 2>(signal, samples);
  }
}
}  // namespace

conv1d_bench::Result ctnn_conv1d(std::size_t n, std::size_t dilation, const std::vector<float>& signal,
                                 std::size_t samples)
{
  return ctnn_run<false>(n, dilation, signal, samples);
}
conv1d_bench::Result ctnn_frozen_conv1d(std::size_t n, std::size_t dilation, const std::vector<float>& signal,
                                        std::size_t samples)
{
  return ctnn_run<true>(n, dilation, signal, samples);
}
