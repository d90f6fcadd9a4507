// ctnn's GRU and LSTM streamed with step(): GRU<1, N, N, false, float> / LSTM<...> (the step does
// not depend on the layer's sequence length), the state h (and c) owned by the caller; and their
// inference form (Layer::inference_form, what for_inference makes: weights by columns, the same bits).
#include <ctnn/gru.hpp>
#include <ctnn/lstm.hpp>

#include <chrono>
#include <cstddef>
#include <vector>

#include "recurrent_workload.hpp"

namespace {

template <bool Frozen, class Layer, std::size_t N>
recurrent_bench::Result run(const std::vector<float>& signal, std::size_t samples)
{
  using namespace recurrent_bench;
  static Layer layer{};
  constexpr std::size_t rows = Layer::gate_rows;
  for (std::size_t r = 0; r < rows; ++r) {
    layer.bias_ih[r] = bias_ih(r);
    layer.bias_hh[r] = bias_hh(r);
    for (std::size_t c = 0; c < N; ++c) {
      layer.weight_ih.values[r * N + c] = weight_ih(N, r, c);
      layer.weight_hh.values[r * N + c] = weight_hh(N, r, c);
    }
  }
  static typename Layer::inference_form frozen{};
  frozen.assign(layer);
  const auto& streamer = [&]() -> const auto& {
    if constexpr (Frozen)
      return frozen;
    else
      return layer;
  }();
  auto state = streamer.initial_state();
  Result result{0, 0, {}};
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
      for (std::size_t i = 0; i < 4; ++i) result.first_outputs[i] = y[i];
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.checksum = sum;
  return result;
}

template <bool Frozen, template <std::size_t, std::size_t, std::size_t, bool, class> class Cell>
recurrent_bench::Result run_n(std::size_t n, const std::vector<float>& signal, std::size_t samples)
{
  switch (n) {
    case 4:
      return run<Frozen, Cell<1, 4, 4, false, float>, 4>(signal, samples);
    case 8:
      return run<Frozen, Cell<1, 8, 8, false, float>, 8>(signal, samples);
    case 16:
      return run<Frozen, Cell<1, 16, 16, false, float>, 16>(signal, samples);
    case 32:
      return run<Frozen, Cell<1, 32, 32, false, float>, 32>(signal, samples);
    default:
      return run<Frozen, Cell<1, 64, 64, false, float>, 64>(signal, samples);
  }
}

}  // namespace

recurrent_bench::Result ctnn_recurrent(recurrent_bench::Cell cell, std::size_t n, const std::vector<float>& signal,
                                       std::size_t samples)
{
  return cell == recurrent_bench::Cell::gru ? run_n<false, ctnn::GRU>(n, signal, samples)
                                            : run_n<false, ctnn::LSTM>(n, signal, samples);
}

recurrent_bench::Result ctnn_frozen_recurrent(recurrent_bench::Cell cell, std::size_t n,
                                              const std::vector<float>& signal, std::size_t samples)
{
  return cell == recurrent_bench::Cell::gru ? run_n<true, ctnn::GRU>(n, signal, samples)
                                            : run_n<true, ctnn::LSTM>(n, signal, samples);
}
