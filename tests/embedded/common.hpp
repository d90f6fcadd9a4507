#pragma once
// A small model trained in the compiler, the runtime twin of each computation, and a bit comparison:
// what the embedded tests share.

#include <bit>
#include <cstdint>
#include <cstdio>

#include <ctnn/core.hpp>

namespace embedded {

using Net = ctnn::Network<ctnn::Dense<2, 8, ctnn::Tanh>, ctnn::Dense<8, 1, ctnn::Sigmoid>>;

constexpr Net trained(std::size_t epochs, std::size_t batch_size)
{
  Net net = ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{12});
  ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.05},
            {.epochs = epochs, .batch_size = batch_size, .shuffle = batch_size > 1, .shuffle_seed = ctnn::Seed{4}});
  return net;
}

inline bool same_bits(double a, double b)
{
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

/// Prints what failed and counts it.
inline int check(bool ok, const char* what)
{
  if (!ok) std::printf("FAILED: %s\n", what);
  return ok ? 0 : 1;
}

}  // namespace embedded
