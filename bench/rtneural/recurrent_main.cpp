// ctnn's streaming GRU and LSTM (the layer's step and its inference form's) against RTNeural's GRULayerT / LSTMLayerT
// (Eigen, xsimd and STL backends), float, one sample per call, N = 4...64 inputs and units. Each round runs every side
// once per row in turn; the table shows the median time per call over the rounds and ctnn's time over
// the fastest RTNeural backend's. Usage: recurrent_bench [samples per run] [rounds]
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "recurrent_workload.hpp"

using recurrent_bench::Cell;
using recurrent_bench::Result;
Result ctnn_recurrent(Cell, std::size_t, const std::vector<float>&, std::size_t);
Result ctnn_frozen_recurrent(Cell, std::size_t, const std::vector<float>&, std::size_t);
Result rtneural_eigen(Cell, std::size_t, const std::vector<float>&, std::size_t);
Result rtneural_xsimd(Cell, std::size_t, const std::vector<float>&, std::size_t);
Result rtneural_stl(Cell, std::size_t, const std::vector<float>&, std::size_t);

namespace {
double median(std::vector<double> v)
{
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
}  // namespace

int main(int argc, char** argv)
{
  const std::size_t samples = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  using Run = Result (*)(Cell, std::size_t, const std::vector<float>&, std::size_t);
  const Run runs[] = {ctnn_recurrent, ctnn_frozen_recurrent, rtneural_eigen, rtneural_xsimd, rtneural_stl};
  const char* names[] = {"ctnn", "ctnn inference form", "Eigen", "xsimd", "STL"};
  constexpr int sides = 5;
  std::printf(
      "| layer | N | ctnn step ns | ctnn inference form ns | RTNeural Eigen ns | xsimd ns | STL ns | "
      "step / fastest RTNeural | inference form / fastest RTNeural |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  bool all_agree = true;
  for (const Cell cell : {Cell::gru, Cell::lstm}) {
    const char* layer = cell == Cell::gru ? "GRU" : "LSTM";
    for (const std::size_t n : recurrent_bench::sizes) {
      const auto signal = recurrent_bench::signal(n, samples);
      std::vector<double> times[sides];
      Result last[sides];
      for (int round = 0; round < rounds; ++round)
        for (int side = 0; side < sides; ++side) {
          last[side] = runs[side](cell, n, signal, samples);
          times[side].push_back(last[side].seconds / static_cast<double>(samples) * 1e9);
        }
      // The same cell on every side: the 10th call's outputs within float rounding (different tanh
      // and sigmoid, ten steps of recurrence) of ctnn's.
      for (int side = 1; side < sides; ++side)
        for (int i = 0; i < 4; ++i)
          if (std::fabs(last[side].first_outputs[i] - last[0].first_outputs[i]) > 1e-4f) {
            std::fprintf(stderr, "%s N %zu: %s's output %d is %g, ctnn's %g\n", layer, n, names[side], i,
                         static_cast<double>(last[side].first_outputs[i]),
                         static_cast<double>(last[0].first_outputs[i]));
            all_agree = false;
          }
      double ns[sides];
      for (int side = 0; side < sides; ++side) ns[side] = median(times[side]);
      const double fastest = std::min({ns[2], ns[3], ns[4]});
      std::printf("| %s | %zu | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f |\n", layer, n, ns[0], ns[1], ns[2],
                  ns[3], ns[4], ns[0] / fastest, ns[1] / fastest);
    }
  }
  return all_agree ? 0 : 1;
}
