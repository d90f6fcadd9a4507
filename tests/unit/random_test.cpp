#include <catch2/catch.hpp>

#include <cstdint>

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
