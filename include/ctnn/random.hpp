#pragma once
// A constexpr random number generator with an explicit seed, so a network initialised in a
// static_assert and one initialised at runtime start from the same bits.

#include <cstdint>

#include "ctnn/math.hpp"

namespace ctnn {

/// An explicit seed; there is deliberately no default.
struct Seed {
  std::uint64_t value;
};

/// SplitMix64 (Steele, Lea, Flood 2014): expands one 64-bit seed into a well-mixed stream.
class SplitMix64 {
 public:
  explicit constexpr SplitMix64(Seed seed) noexcept : state_{seed.value} {}

  constexpr std::uint64_t operator()() noexcept
  {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

/// xoshiro256** (Blackman, Vigna 2018), seeded through SplitMix64 as its authors recommend.
class Xoshiro256 {
 public:
  using result_type = std::uint64_t;

  explicit constexpr Xoshiro256(Seed seed) noexcept
  {
    SplitMix64 expand{seed};
    for (auto& word : state_) word = expand();
  }

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return ~result_type{0}; }

  constexpr result_type operator()() noexcept
  {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

  std::uint64_t state_[4]{};
};

/// The generator ctnn uses unless told otherwise.
using Random = Xoshiro256;

/// Uniform in [0, 1): the top 53 (double) or 24 (float) bits of one draw, scaled exactly.
template <math::Real T, class Generator>
constexpr T uniform01(Generator& rng) noexcept
{
  if constexpr (sizeof(T) == sizeof(double))
    return static_cast<T>(rng() >> 11) * T(0x1.0p-53);
  else
    return static_cast<T>(rng() >> 40) * T(0x1.0p-24f);
}

/// Uniform in [low, high).
template <math::Real T, class Generator>
constexpr T uniform(Generator& rng, T low, T high) noexcept
{
  return low + (high - low) * uniform01<T>(rng);
}

}  // namespace ctnn
