// Arithmetic on the target against the build machine's: the same pairs of doubles and of floats
// (drawn from a fixed seed: random bit patterns, and pairs whose exponents differ by 0 to 64 with one
// a power of two, where rounding after a carry or a cancellation is hard), their sums, differences,
// products and quotients, and the conversions between the two, fingerprinted. Where the core has no
// FPU for a type these are library routines: libgcc's, and for double + and - soft_double.cpp's,
// which the programs of Cortex-M3 and M4 link in place of libgcc's; this program also counts how
// often libgcc's own differ.

#include <bit>
#include <cstddef>
#include <cstdint>

#include <ctnn/random.hpp>

#include "harness.hpp"

#if defined(CTNN_MCU_SOFT_DOUBLE)
// libgcc's, under the names --wrap leaves them; doubles in core registers, as 64-bit integers.
extern "C" std::uint64_t __real___aeabi_dadd(std::uint64_t, std::uint64_t);
extern "C" std::uint64_t __real___aeabi_dsub(std::uint64_t, std::uint64_t);
#endif

namespace {

constexpr std::size_t pairs = 20000;

// Every NaN as one value: IEEE 754 leaves a NaN result's sign and payload open.
std::uint64_t bits(double x) noexcept
{
  return x != x ? 0x7ff8'0000'0000'0000u : std::bit_cast<std::uint64_t>(x);
}
std::uint32_t bits(float x) noexcept
{
  return x != x ? 0x7fc0'0000u : std::bit_cast<std::uint32_t>(x);
}

}  // namespace

int main()
{
  mcu::Report report("arithmetic");
  ctnn::Xoshiro256 rng(ctnn::Seed{33});
  mcu::PredictionFingerprint fingerprint;
#if defined(CTNN_MCU_SOFT_DOUBLE)
  std::size_t libgcc_wrong = 0;
#endif
  for (std::size_t i = 0; i < pairs; ++i) {
    std::uint64_t a = rng();
    std::uint64_t b = rng();
    if (i % 2 == 0) {  // a = ±2^e (plus a few ulps), b has an exponent 0 to 64 below it
      const std::uint64_t exponent = 0x3ff - 40 + (a >> 56) % 80;
      const std::uint64_t shift = (a >> 48) % 65;
      a = (a & 0x8000'0000'0000'0000u) | (exponent << 52) | ((a >> 8) % 4);
      b = (b & 0x800f'ffff'ffff'ffffu) | ((exponent - shift) << 52);
    }
    const double x = mcu::opaque(std::bit_cast<double>(a));
    const double y = mcu::opaque(std::bit_cast<double>(b));
    const double results[] = {x + y, x - y, x * y, x / y};
    for (const double result : results) fingerprint.add_bits(bits(result), 8);
    // The same for floats: a's sign, an exponent within 2^±20 and 23 bits of fraction; b's exponent
    // up to 31 below a's. Every tenth pair two random patterns.
    auto fa =
        static_cast<std::uint32_t>((a >> 32 & 0x8000'0000u) | ((127 - 20 + (a >> 56) % 40) << 23) | (a & 0x7f'ffff));
    auto fb = static_cast<std::uint32_t>(((fa & 0x7f80'0000u) - (((b >> 56) % 32) << 23)) | (b & 0x807f'ffffu));
    if (i % 10 == 1) {
      fa = static_cast<std::uint32_t>(a >> 32);
      fb = static_cast<std::uint32_t>(b >> 32);
    }
    const float u = mcu::opaque(std::bit_cast<float>(fa));
    const float v = mcu::opaque(std::bit_cast<float>(fb));
    const float float_results[] = {u + v, u - v, u * v, u / v, static_cast<float>(x)};
    for (const float result : float_results) fingerprint.add_bits(bits(result), 4);
    fingerprint.add_bits(bits(static_cast<double>(u)), 8);
#if defined(CTNN_MCU_SOFT_DOUBLE)
    const double libgcc[] = {
        std::bit_cast<double>(__real___aeabi_dadd(std::bit_cast<std::uint64_t>(x), std::bit_cast<std::uint64_t>(y))),
        std::bit_cast<double>(__real___aeabi_dsub(std::bit_cast<std::uint64_t>(x), std::bit_cast<std::uint64_t>(y)))};
    for (std::size_t k = 0; k < 2; ++k)
      if (bits(libgcc[k]) != bits(results[k])) ++libgcc_wrong;
#endif
  }
  report.line("double and float results", fingerprint.value());
#if defined(CTNN_MCU_SOFT_DOUBLE)
  std::printf("# arithmetic: libgcc's __aeabi_dadd and __aeabi_dsub differ in %zu of %zu results\n", libgcc_wrong,
              2 * pairs);
#endif
  return report.finish();
}
