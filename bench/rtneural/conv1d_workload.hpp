#pragma once
// The Conv1D streaming workload both sides run (bench/rtneural/run-conv1d.sh): float, one input
// step of N channels per call, N in and N out channels, kernel 3, dilation 1 or 2, every output
// summed into a checksum so that no call is optimised away. Weights and the signal are the same
// numbers on both sides, in nn.Conv1d's layout (out, in, kernel).

#include <cstddef>
#include <vector>

namespace conv1d_bench {

inline constexpr std::size_t kernel = 3;
inline constexpr std::size_t sizes[] = {4, 8, 16, 32, 64};

/// A value in [-0.5, 0.5) from an integer, the same on every machine.
inline float value(std::size_t k)
{
  const unsigned long long s = (k + 1) * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<float>(static_cast<double>(s >> 40) / 16777216.0 - 0.5);
}

inline float weight(std::size_t n, std::size_t out, std::size_t in, std::size_t tap)
{
  return value(((out * n + in) * kernel + tap) * 7 + 1) * 0.5f;
}
inline float bias(std::size_t out)
{
  return value(out * 13 + 5) * 0.1f;
}

/// samples * n inputs, time-major.
inline std::vector<float> signal(std::size_t n, std::size_t samples)
{
  std::vector<float> s(n * samples);
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = value(i * 3 + 2);
  return s;
}

struct Result {
  double seconds;
  double checksum;
  float first_outputs[4];  // the outputs of the 10th call, to compare the two sides
};

}  // namespace conv1d_bench
