// RTNeural's Conv1DT in its compile-time ModelT, one backend per build of this file: the script
// compiles it with -DRTNEURAL_USE_EIGEN=1, -DRTNEURAL_USE_XSIMD=1 or neither (STL), each with its own
// RTNEURAL_NAMESPACE and BACKEND name. RTNeural's kernel tap 0 is the newest input, nn.Conv1d's the
// oldest: the weights are given reversed.
#include <RTNeural/RTNeural.h>

#include <chrono>
#include <cstddef>
#include <vector>

#include "conv1d_workload.hpp"

namespace {

template <int N, int Dilation>
conv1d_bench::Result run(const std::vector<float>& signal, std::size_t samples)
{
  using namespace conv1d_bench;
  RTNEURAL_NAMESPACE::ModelT<float, N, N, RTNEURAL_NAMESPACE::Conv1DT<float, N, N, kernel, Dilation>> model;
  std::vector<std::vector<std::vector<float>>> w(N, std::vector<std::vector<float>>(N, std::vector<float>(kernel)));
  std::vector<float> b(N);
  for (std::size_t o = 0; o < N; ++o) {
    b[o] = bias(o);
    for (std::size_t i = 0; i < N; ++i)
      for (std::size_t k = 0; k < kernel; ++k) w[o][i][kernel - 1 - k] = weight(N, o, i, k);
  }
  model.template get<0>().setWeights(w);
  model.template get<0>().setBias(b);
  model.reset();
  Result r{0, 0, {}};
  const auto start = std::chrono::steady_clock::now();
  double sum = 0;
  for (std::size_t t = 0; t < samples; ++t) {
    model.forward(signal.data() + t * N);
    const float* y = model.getOutputs();
    float step = 0;
    for (int i = 0; i < N; ++i) step += y[i];
    sum += step;
    if (t == 9)
      for (int i = 0; i < 4; ++i) r.first_outputs[i] = y[i];
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.checksum = sum;
  return r;
}

}  // namespace

conv1d_bench::Result BACKEND(std::size_t n, std::size_t dilation, const std::vector<float>& signal, std::size_t samples)
{
  switch (n * 10 + dilation) {
    case 41:
      return run<4, 1>(signal, samples);
    case 42:
      return run<4, 2>(signal, samples);
    case 81:
      return run<8, 1>(signal, samples);
    case 82:
      return run<8, 2>(signal, samples);
    case 161:
      return run<16, 1>(signal, samples);
    case 162:
      return run<16, 2>(signal, samples);
    case 321:
      return run<32, 1>(signal, samples);
    case 322:
      return run<32, 2>(signal, samples);
    case 641:
      return run<64, 1>(signal, samples);
    default:
      return run<64, 2>(signal, samples);
  }
}
