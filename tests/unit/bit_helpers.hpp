#pragma once
// What the bit-identity tests of the runtime kernels share: a way to keep the optimizer from folding
// the runtime side, a float's bits as an integer, and exactly representable test values.

#include <bit>
#include <cstdint>

namespace bit_helpers {

// Hides a value from the optimizer so that the runtime path really runs on the CPU.
template <class V>
V opaque(V v)
{
  asm volatile("" : : "r"(&v) : "memory");
  return v;
}

template <class T>
constexpr auto bits(T v) noexcept
{
  if constexpr (sizeof(T) == 8)
    return std::bit_cast<std::uint64_t>(v);
  else
    return std::bit_cast<std::uint32_t>(v);
}

// A value in [-1, 1) from a 64-bit LCG step, as a multiple of 2^-20 (exact in float and double).
constexpr double spread(std::uint64_t k) noexcept
{
  const std::uint64_t s = (k + 1) * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<double>(static_cast<std::int64_t>(s >> 43) - (1 << 20)) * 0x1p-20;
}

}  // namespace bit_helpers
