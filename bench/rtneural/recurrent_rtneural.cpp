// RTNeural's GRULayerT / LSTMLayerT in its compile-time ModelT, one backend per build of this file
// (the script compiles it with -DRTNEURAL_USE_EIGEN=1, -DRTNEURAL_USE_XSIMD=1 or neither, each with
// its own RTNEURAL_NAMESPACE and BACKEND name). RTNeural takes Keras' layout: W (in x gates*N), U
// (N x gates*N), the GRU's gates z, r, h and two bias rows, the LSTM's i, f, c, o and one bias (here
// bias_ih + bias_hh, one rounding away from PyTorch's two additions).
#include <RTNeural/RTNeural.h>

#include <chrono>
#include <cstddef>
#include <vector>

#include "recurrent_workload.hpp"

namespace {

template <class Model, int N, int Gates>
recurrent_bench::Result run(const std::vector<float>& signal, std::size_t samples)
{
  using namespace recurrent_bench;
  static Model model;
  // Keras column k of gate block g is PyTorch row source_row(g * N + i).
  const auto source_row = [](std::size_t keras_row) {
    if (Gates != 3) return keras_row;  // LSTM: the same gate order
    const std::size_t gate = keras_row / N, i = keras_row % N;
    const std::size_t torch_gate = gate == 0 ? 1 : (gate == 1 ? 0 : 2);  // Keras z, r, h = PyTorch rows z, r, n
    return torch_gate * N + i;
  };
  std::vector<std::vector<float>> w(N, std::vector<float>(Gates * N)), u(N, std::vector<float>(Gates * N));
  std::vector<std::vector<float>> b2(2, std::vector<float>(Gates * N));
  std::vector<float> b1(Gates * N);
  for (std::size_t k = 0; k < std::size_t(Gates * N); ++k) {
    const std::size_t r = source_row(k);
    for (std::size_t c = 0; c < std::size_t(N); ++c) {
      w[c][k] = weight_ih(N, r, c);
      u[c][k] = weight_hh(N, r, c);
    }
    b2[0][k] = bias_ih(r);
    b2[1][k] = bias_hh(r);
    b1[k] = bias_ih(r) + bias_hh(r);
  }
  auto& layer = model.template get<0>();
  layer.setWVals(w);
  layer.setUVals(u);
  if constexpr (Gates == 3)
    layer.setBVals(b2);
  else
    layer.setBVals(b1);
  model.reset();
  Result result{0, 0, {}};
  const auto start = std::chrono::steady_clock::now();
  double sum = 0;
  for (std::size_t t = 0; t < samples; ++t) {
    model.forward(signal.data() + t * N);
    const float* y = model.getOutputs();
    float step = 0;
    for (int i = 0; i < N; ++i) step += y[i];
    sum += step;
    if (t == 9)
      for (int i = 0; i < 4; ++i) result.first_outputs[i] = y[i];
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.checksum = sum;
  return result;
}

template <int N>
recurrent_bench::Result run_cell(recurrent_bench::Cell cell, const std::vector<float>& signal, std::size_t samples)
{
  namespace R = RTNEURAL_NAMESPACE;
  if (cell == recurrent_bench::Cell::gru)
    return run<R::ModelT<float, N, N, R::GRULayerT<float, N, N>>, N, 3>(signal, samples);
  return run<R::ModelT<float, N, N, R::LSTMLayerT<float, N, N>>, N, 4>(signal, samples);
}

}  // namespace

recurrent_bench::Result BACKEND(recurrent_bench::Cell cell, std::size_t n, const std::vector<float>& signal,
                                std::size_t samples)
{
  switch (n) {
    case 4:
      return run_cell<4>(cell, signal, samples);
    case 8:
      return run_cell<8>(cell, signal, samples);
    case 16:
      return run_cell<16>(cell, signal, samples);
    case 32:
      return run_cell<32>(cell, signal, samples);
    default:
      return run_cell<64>(cell, signal, samples);
  }
}
