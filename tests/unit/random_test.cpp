#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include <ctnn/random.hpp>

// Reference values were computed by an independent Python transcription of the published
// SplitMix64 and xoshiro256** algorithms; SplitMix64(1234567) is also the sequence its authors'
// reference implementation prints.

TEST_CASE("random: SplitMix64 gives the reference sequence")
{
  ctnn::SplitMix64 rng{ctnn::Seed{1234567}};
  const std::uint64_t expected[] = {6457827717110365317u, 3203168211198807973u, 9817491932198370423u,
                                    4593380528125082431u, 16408922859458223821u};
  for (auto value : expected) CHECK(rng() == value);
}

TEST_CASE("random: xoshiro256** seeded through SplitMix64 gives the reference sequence")
{
  ctnn::Xoshiro256 rng{ctnn::Seed{2024}};
  const std::uint64_t expected[] = {1029197146548041518u, 14427268137155694693u, 1329179038587965441u,
                                    2946237779985736811u, 14271330741670775463u, 4517093410612401397u};
  for (auto value : expected) CHECK(rng() == value);

  ctnn::Xoshiro256 zero{ctnn::Seed{0}};
  CHECK(zero() == 11091344671253066420u);
  CHECK(zero() == 13793997310169335082u);
  CHECK(zero() == 1900383378846508768u);
}

TEST_CASE("random: uniform01 keeps the top 53 bits, scaled exactly into 0 <= u < 1")
{
  ctnn::Random rng{ctnn::Seed{2024}};
  CHECK(ctnn::uniform01<double>(rng) == 0x1.c90e2b427aee0p-5);
  CHECK(ctnn::uniform01<double>(rng) == 0x1.906fe7dd14f42p-1);
  CHECK(ctnn::uniform01<double>(rng) == 0x1.272314b15ee50p-4);

  ctnn::Random many{ctnn::Seed{7}};
  double low = 1.0, high = 0.0;
  for (int i = 0; i < 100000; ++i) {
    const double u = ctnn::uniform01<double>(many);
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    low = u < low ? u : low;
    high = u > high ? u : high;
  }
  CHECK(low < 0.001);
  CHECK(high > 0.999);

  ctnn::Random floats{ctnn::Seed{7}};
  for (int i = 0; i < 100000; ++i) {
    const float u = ctnn::uniform01<float>(floats);
    REQUIRE(u >= 0.0f);
    REQUIRE(u < 1.0f);
  }
}

TEST_CASE("random: the sequence is the same at compile time and at runtime")
{
  constexpr auto at_compile_time = [] {
    ctnn::Random rng{ctnn::Seed{99}};
    std::uint64_t values[8]{};
    for (auto& v : values) v = rng();
    struct Values {
      std::uint64_t v[8];
    } out{};
    for (std::size_t i = 0; i < 8; ++i) out.v[i] = values[i];
    return out;
  }();
  ctnn::Random rng{ctnn::Seed{99}};
  for (auto value : at_compile_time.v) CHECK(rng() == value);
}

namespace {

// A generator that always returns its largest value, so uniform01 gives 1 - 2^-53.
struct AlwaysMax {
  constexpr std::uint64_t operator()() const noexcept { return ~std::uint64_t{0}; }
};

// The standard normal CDF, from <cmath>'s erfc.
double normal_cdf(double x)
{
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

template <class T>
std::vector<double> normal_draws(std::uint64_t seed, std::size_t count)
{
  ctnn::Random rng{ctnn::Seed{seed}};
  std::vector<double> draws(count);
  for (auto& z : draws) z = static_cast<double>(ctnn::normal<T>(rng));
  return draws;
}

}  // namespace

TEST_CASE("random: uniform stays below high when low + (high - low) * u rounds up to it")
{
  AlwaysMax rng;
  // u = 1 - 2^-53; 1 + (2 - 1) * u = 2 - 2^-53 is halfway between 2 - 2^-52 and 2 and rounds to 2.
  CHECK(1.0 + 1.0 * ctnn::uniform01<double>(rng) == 2.0);
  CHECK(ctnn::uniform<double>(rng, 1.0, 2.0) == 2.0 - 0x1.0p-52);
  // The same for float: u = 1 - 2^-24.
  CHECK(1.0f + 1.0f * ctnn::uniform01<float>(rng) == 2.0f);
  CHECK(ctnn::uniform<float>(rng, 1.0f, 2.0f) == 2.0f - 0x1.0p-23f);
  // Below zero and at zero the largest value below high is still found.
  CHECK(ctnn::uniform<double>(rng, -3.0, -2.0) == std::nextafter(-2.0, -3.0));
  CHECK(ctnn::uniform<double>(rng, -1.0, 0.0) < 0.0);
}

TEST_CASE("random: normal follows the polar method on the generator's uniforms")
{
  // The same uniforms, transformed with <cmath>'s log and sqrt in long double.
  ctnn::Random rng{ctnn::Seed{11}};
  ctnn::Random reference{ctnn::Seed{11}};
  for (int i = 0; i < 2000; ++i) {
    long double expected = 0;
    for (;;) {
      const long double u = 2 * static_cast<long double>(ctnn::uniform01<double>(reference)) - 1;
      const long double v = 2 * static_cast<long double>(ctnn::uniform01<double>(reference)) - 1;
      const long double s = u * u + v * v;
      if (s > 0 && s < 1) {
        expected = u * std::sqrt(-2 * std::log(s) / s);
        break;
      }
    }
    const double z = ctnn::normal<double>(rng);
    REQUIRE(std::fabs(static_cast<long double>(z) - expected) <= 1e-14L * (1 + std::fabs(expected)));
  }
}

TEST_CASE("random: normal with mean and stddev scales the standard normal")
{
  ctnn::Random a{ctnn::Seed{5}};
  ctnn::Random b{ctnn::Seed{5}};
  for (int i = 0; i < 100; ++i) CHECK(ctnn::normal<double>(a, 3.0, 0.5) == 3.0 + 0.5 * ctnn::normal<double>(b));
  ctnn::Random c{ctnn::Seed{5}};
  ctnn::Random d{ctnn::Seed{5}};
  for (int i = 0; i < 100; ++i) CHECK(ctnn::normal<float>(c, -1.0f, 2.0f) == -1.0f + 2.0f * ctnn::normal<float>(d));
}

TEMPLATE_TEST_CASE("random: normal has mean 0, variance 1 and normal moments and tails", "", float, double)
{
  constexpr std::size_t n = 100000;
  std::vector<double> z = normal_draws<TestType>(2024, n);

  double sum = 0, sum2 = 0, sum3 = 0, sum4 = 0;
  std::size_t beyond_2 = 0, beyond_3 = 0;
  for (double x : z) {
    sum += x;
    sum2 += x * x;
    sum3 += x * x * x;
    sum4 += x * x * x * x;
    beyond_2 += std::fabs(x) > 2.0;
    beyond_3 += std::fabs(x) > 3.0;
  }
  const double count = static_cast<double>(n);
  // Tolerances are 5 standard errors of each statistic for a true standard normal:
  // mean sqrt(1/n), E[z^2] sqrt(2/n), E[z^3] sqrt(15/n), E[z^4] sqrt(96/n).
  CHECK(std::fabs(sum / count) < 5 * std::sqrt(1 / count));
  CHECK(std::fabs(sum2 / count - 1) < 5 * std::sqrt(2 / count));
  CHECK(std::fabs(sum3 / count) < 5 * std::sqrt(15 / count));
  CHECK(std::fabs(sum4 / count - 3) < 5 * std::sqrt(96 / count));

  // Two-sided tail counts are binomial(n, p) with p = 2 (1 - Phi(t)); within 5 standard deviations.
  for (auto [t, observed] : {std::pair{2.0, beyond_2}, std::pair{3.0, beyond_3}}) {
    const double p = 2 * (1 - normal_cdf(t));
    CHECK(std::fabs(static_cast<double>(observed) - count * p) < 5 * std::sqrt(count * p * (1 - p)));
  }

  // Kolmogorov-Smirnov: sqrt(n) D exceeds 1.95 with probability about 0.001 for normal draws.
  std::sort(z.begin(), z.end());
  double d = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double f = normal_cdf(z[i]);
    d = std::max({d, f - static_cast<double>(i) / count, static_cast<double>(i + 1) / count - f});
  }
  CHECK(std::sqrt(count) * d < 1.95);
}

TEST_CASE("random: normal is the same at compile time and at runtime")
{
  struct Draws {
    double d[64];
    float f[64];
  };
  constexpr Draws at_compile_time = [] {
    Draws out{};
    ctnn::Random rng{ctnn::Seed{31}};
    for (auto& v : out.d) v = ctnn::normal<double>(rng);
    for (auto& v : out.f) v = ctnn::normal<float>(rng);
    return out;
  }();
  volatile std::uint64_t seed = 31;  // keeps the runtime draws out of the constant evaluator
  ctnn::Random rng{ctnn::Seed{seed}};
  for (double v : at_compile_time.d)
    CHECK(std::bit_cast<std::uint64_t>(ctnn::normal<double>(rng)) == std::bit_cast<std::uint64_t>(v));
  for (float v : at_compile_time.f)
    CHECK(std::bit_cast<std::uint32_t>(ctnn::normal<float>(rng)) == std::bit_cast<std::uint32_t>(v));
}
