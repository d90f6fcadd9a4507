#pragma once
// The GRU / LSTM streaming workload both sides run (bench/rtneural/run-recurrent.sh): float, one
// input step of N values per call, N inputs and N hidden units, every output summed into a checksum
// so that no call is optimised away. Weights (PyTorch's layout: rows r, z, n for the GRU, i, f, g,
// o for the LSTM) and the signal are the same numbers on both sides.

#include <cstddef>
#include <vector>

namespace recurrent_bench {

inline constexpr std::size_t sizes[] = {4, 8, 16, 32, 64};

/// A value in [-0.5, 0.5) from an integer, the same on every machine.
inline float value(std::size_t k)
{
  const unsigned long long s = (k + 1) * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<float>(static_cast<double>(s >> 40) / 16777216.0 - 0.5);
}

// PyTorch's weight_ih[row][col] (rows = gates x N, cols = N), weight_hh the same, and the biases.
inline float weight_ih(std::size_t n, std::size_t row, std::size_t col)
{
  return value((row * n + col) * 5 + 1) * 0.6f;
}
inline float weight_hh(std::size_t n, std::size_t row, std::size_t col)
{
  return value((row * n + col) * 5 + 2) * 0.6f;
}
inline float bias_ih(std::size_t row)
{
  return value(row * 11 + 3) * 0.2f;
}
inline float bias_hh(std::size_t row)
{
  return value(row * 11 + 4) * 0.2f;
}

/// samples * n inputs, time-major.
inline std::vector<float> signal(std::size_t n, std::size_t samples)
{
  std::vector<float> s(n * samples);
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = value(i * 3 + 2) * 2.0f;
  return s;
}

struct Result {
  double seconds;
  double checksum;
  float first_outputs[4];  // the outputs of the 10th call, to compare the sides
};

enum class Cell { gru, lstm };

}  // namespace recurrent_bench
