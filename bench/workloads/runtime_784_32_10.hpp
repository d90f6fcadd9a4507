#pragma once
// Shared by the runtime_*.cpp workloads: runtime programs that call ctnn on a 784-32-10 network.
// Compiled with CTNN_CONSTANT_ARGUMENTS, every argument of the measured call is a constant, which
// GCC at -O2 tries to fold into a constant at the evaluator's speed; without it, one argument comes
// from argc. bench/compile.sh compiles both and compares.

#include <cstdint>

#include <ctnn/ctnn.hpp>

namespace runtime_workload {

using Net = ctnn::Network<ctnn::Dense<784, 32, ctnn::ReLU>, ctnn::Dense<32, 10, ctnn::Softmax>>;
inline constexpr std::size_t samples = 32;

/// Inputs uniform in [0, 1) from a fixed seed, the class the sum of the first ten pixels picks.
constexpr ctnn::Dataset<784, 10, samples> make_data()
{
  ctnn::Dataset<784, 10, samples> data{};
  ctnn::Random rng{ctnn::Seed{7}};
  for (auto& sample : data.samples) {
    double sum = 0;
    for (auto& v : sample.input.values) v = ctnn::uniform01<double>(rng);
    for (std::size_t i = 0; i < 10; ++i) sum += sample.input.values[i];
    sample.target.values[static_cast<std::size_t>(sum) % 10] = 1.0;
  }
  return data;
}

/// A constant data set, as a program that embeds its data has.
inline constexpr auto data = make_data();

/// A network initialised at runtime (the seed comes from argc in every variant).
inline Net runtime_network(int argc)
{
  return ctnn::initialized<Net>(ctnn::Uniform{-0.1, 0.1}, ctnn::Seed{static_cast<std::uint64_t>(argc)});
}

}  // namespace runtime_workload
