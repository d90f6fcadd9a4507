// ctnn's streaming Conv1D against RTNeural's Conv1DT (Eigen, xsimd and STL backends), float, one
// sample per call, N = 4...64, kernel 3, dilation 1 and 2. Each round runs every side once per row
// in turn; the table shows the median time per call over the rounds and ctnn's time over the fastest
// RTNeural backend's. Usage: conv1d_bench [samples per run] [rounds]
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "conv1d_workload.hpp"

using conv1d_bench::Result;
Result ctnn_conv1d(std::size_t, std::size_t, const std::vector<float>&, std::size_t);
Result ctnn_frozen_conv1d(std::size_t, std::size_t, const std::vector<float>&, std::size_t);
Result rtneural_eigen(std::size_t, std::size_t, const std::vector<float>&, std::size_t);
Result rtneural_xsimd(std::size_t, std::size_t, const std::vector<float>&, std::size_t);
Result rtneural_stl(std::size_t, std::size_t, const std::vector<float>&, std::size_t);

namespace {
double median(std::vector<double> v)
{
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
}  // namespace

int main(int argc, char** argv)
{
  const std::size_t samples = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  using Run = Result (*)(std::size_t, std::size_t, const std::vector<float>&, std::size_t);
  const Run runs[] = {ctnn_conv1d, ctnn_frozen_conv1d, rtneural_eigen, rtneural_xsimd, rtneural_stl};
  const char* names[] = {"ctnn Conv1D", "ctnn FrozenConv1D", "Eigen", "xsimd", "STL"};
  constexpr int sides = 5;
  std::printf(
      "| N | dilation | ctnn Conv1D ns | ctnn FrozenConv1D ns | RTNeural Eigen ns | xsimd ns | STL ns | "
      "Conv1D / fastest RTNeural | FrozenConv1D / fastest RTNeural |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  bool all_agree = true;
  for (const std::size_t n : conv1d_bench::sizes) {
    for (const std::size_t dilation : {std::size_t{1}, std::size_t{2}}) {
      const auto signal = conv1d_bench::signal(n, samples);
      std::vector<double> times[sides];
      Result last[sides];
      for (int round = 0; round < rounds; ++round)
        for (int side = 0; side < sides; ++side) {
          last[side] = runs[side](n, dilation, signal, samples);
          times[side].push_back(last[side].seconds / static_cast<double>(samples) * 1e9);
        }
      // The sides compute the same convolution: outputs within float rounding of ctnn's.
      for (int side = 1; side < sides; ++side)
        for (int i = 0; i < 4; ++i)
          if (std::fabs(last[side].first_outputs[i] - last[0].first_outputs[i]) > 1e-5f) {
            std::fprintf(stderr, "N %zu dilation %zu: %s's output %d is %g, ctnn's %g\n", n, dilation, names[side], i,
                         static_cast<double>(last[side].first_outputs[i]),
                         static_cast<double>(last[0].first_outputs[i]));
            all_agree = false;
          }
      double ns[sides];
      for (int side = 0; side < sides; ++side) ns[side] = median(times[side]);
      const double fastest = std::min({ns[2], ns[3], ns[4]});
      std::printf("| %zu | %zu | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f |\n", n, dilation, ns[0], ns[1], ns[2],
                  ns[3], ns[4], ns[0] / fastest, ns[1] / fastest);
    }
  }
  return all_agree ? 0 : 1;
}
