#pragma once
// A constexpr random number generator with an explicit seed, so a network initialised in a
// static_assert and one initialised at runtime start from the same bits.

#include <bit>
#include <cstdint>
#include <limits>
#include <type_traits>

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

namespace detail {

/// The largest T below the finite x (x above the lowest finite T).
template <math::Real T>
constexpr T next_below(T x) noexcept
{
  using Bits = std::conditional_t<sizeof(T) == sizeof(std::uint64_t), std::uint64_t, std::uint32_t>;
  if (x == T(0)) return -std::numeric_limits<T>::denorm_min();
  const Bits bits = std::bit_cast<Bits>(x);
  // Sign and magnitude: a smaller value has a smaller magnitude above zero and a larger one below.
  return std::bit_cast<T>(x > T(0) ? Bits(bits - 1) : Bits(bits + 1));
}

}  // namespace detail

/// Uniform in [low, high), for low < high with high - low finite. low + (high - low) * u can round
/// up to high when u is just below 1; such a draw becomes the largest value below high instead.
template <math::Real T, class Generator>
constexpr T uniform(Generator& rng, T low, T high) noexcept
{
  const T value = low + (high - low) * uniform01<T>(rng);
  return value < high ? value : detail::next_below(high);
}

/// Standard normal (mean 0, standard deviation 1) by Marsaglia's polar method: draw (u, v)
/// uniform in the square [-1, 1)^2 until 0 < s = u^2 + v^2 < 1, then u * sqrt(-2 ln(s) / s) and
/// v * sqrt(-2 ln(s) / s) are two independent standard normals. Only the first is returned and the
/// second is dropped: a stateless draw depends on the generator's state alone, never on a spare
/// hidden from an earlier call, so a const initialiser can use it and interleaving it with other
/// draws cannot shift its values; the price is about 2.5 generator calls per value instead of 1.3.
/// Rejecting s == 0 keeps log away from 0.
template <math::Real T, class Generator>
constexpr T normal(Generator& rng) noexcept
{
  for (;;) {
    // 2 u01 - 1 is exact: u01 is a multiple of 2^-53 (2^-24 for float) below 1.
    const T u = T(2) * uniform01<T>(rng) - T(1);
    const T v = T(2) * uniform01<T>(rng) - T(1);
    const T s = u * u + v * v;
    if (s > T(0) && s < T(1)) return u * math::sqrt(T(-2) * math::log(s) / s);
  }
}

/// Normal with the given mean and standard deviation: mean + stddev * normal<T>(rng).
template <math::Real T, class Generator>
constexpr T normal(Generator& rng, T mean, T stddev) noexcept
{
  return mean + stddev * normal<T>(rng);
}

}  // namespace ctnn
