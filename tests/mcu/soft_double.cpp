// Correctly rounded double addition and subtraction for Arm cores without a double-precision FPU
// (Cortex-M3, M4), linked in place of libgcc's with
//   -Wl,--wrap=__aeabi_dadd,--wrap=__aeabi_dsub,--wrap=__aeabi_drsub
// so that every call the compiler emits for a double + or - (in ctnn, picolibc and libgcc alike)
// comes here, while __real___aeabi_dadd stays reachable for tests/mcu/arithmetic.cpp.
//
// Why: libgcc's routines (libgcc/config/arm/ieee754-df.S, GCC 12.2) misround when the exponents
// differ by exactly 33 and the result needs a one-bit left shift: the operand's bit that becomes
// the rounding bit is folded into the sticky bit. 1 - 0x1.62eac2ac0312ep-33 gives
// 0x1.fffffffe9d153p-1 instead of 0x1.fffffffe9d154p-1 (Adam's 1 - beta1^t after ~210 steps), so a
// double model trained on such a core is not the one the compiler trains in a constant expression.
//
// The numbers as IEEE 754 binary64 bit patterns, round to nearest, ties to even; a NaN operand is
// returned quieted (its sign and payload otherwise kept), inf - inf is the default NaN.

#include <cstdint>

namespace {

constexpr std::uint64_t sign_bit = 0x8000'0000'0000'0000u;
constexpr std::uint64_t fraction_bits = 0x000f'ffff'ffff'ffffu;
constexpr std::uint64_t quiet_bit = 0x0008'0000'0000'0000u;
constexpr std::uint64_t infinity = 0x7ff0'0000'0000'0000u;
constexpr std::uint64_t default_nan = 0x7ff8'0000'0000'0000u;
// Below the 53 bits of a significand: the guard bits that rounding looks at.
constexpr int guard = 9;

constexpr bool is_nan(std::uint64_t x) noexcept
{
  return (x & ~sign_bit) > infinity;
}

constexpr std::uint64_t add(std::uint64_t a, std::uint64_t b) noexcept
{
  if (is_nan(a)) return a | quiet_bit;
  if (is_nan(b)) return b | quiet_bit;
  if ((a & ~sign_bit) == infinity) return (b & ~sign_bit) == infinity && a != b ? default_nan : a;
  if ((b & ~sign_bit) == infinity) return b;
  if ((a & ~sign_bit) < (b & ~sign_bit)) {  // |a| >= |b| from here on: the result has a's sign
    const std::uint64_t larger = b;
    b = a;
    a = larger;
  }
  if ((b & ~sign_bit) == 0) return (a & ~sign_bit) == 0 ? a & b : a;  // -0 + -0 = -0, else +0; x + 0 = x

  const std::uint64_t sign = a & sign_bit;
  int exponent = static_cast<int>((a >> 52) & 0x7ff);
  const int b_exponent = static_cast<int>((b >> 52) & 0x7ff);
  // Significands with their leading bit (a subnormal has none, and the exponent of the smallest
  // normal), then the guard bits.
  std::uint64_t m = ((a & fraction_bits) | (exponent != 0 ? fraction_bits + 1 : 0)) << guard;
  std::uint64_t n = ((b & fraction_bits) | (b_exponent != 0 ? fraction_bits + 1 : 0)) << guard;
  const int shift = (exponent != 0 ? exponent : 1) - (b_exponent != 0 ? b_exponent : 1);
  exponent = exponent != 0 ? exponent : 1;
  // n aligned to m; every bit shifted out is kept as one sticky bit, which stays below the
  // rounding bit even after the one left shift that a subtraction may need when shift >= 2.
  if (shift >= 64)
    n = 1;
  else if (shift > 0)
    n = (n >> shift) | ((n << (64 - shift)) != 0 ? 1 : 0);

  m = (a ^ b) & sign_bit ? m - n : m + n;
  if (m == 0) return 0;  // x - x = +0

  constexpr std::uint64_t leading = std::uint64_t{1} << (52 + guard);
  if (m >= 2 * leading) {  // a carry: one bit right, sticky kept
    m = (m >> 1) | (m & 1);
    ++exponent;
  }
  // Cancellation (exact, since it needs shift <= 1), down to the smallest normal exponent.
  while (m < leading && exponent > 1) {
    m <<= 1;
    --exponent;
  }
  const std::uint64_t rest = m & ((std::uint64_t{1} << guard) - 1);
  m >>= guard;
  constexpr std::uint64_t half = std::uint64_t{1} << (guard - 1);
  if (rest > half || (rest == half && (m & 1) != 0)) ++m;
  if (m == (fraction_bits + 1) << 1) {  // rounded up to the next power of two
    m >>= 1;
    ++exponent;
  }
  if (exponent >= 0x7ff) return sign | infinity;
  // Without its leading bit (a subnormal result), the exponent field is 0.
  const auto field = static_cast<std::uint64_t>(m > fraction_bits ? exponent : 0);
  return sign | (field << 52) | (m & fraction_bits);
}

// a - b; a NaN b keeps its sign, as libgcc and x86 leave it.
constexpr std::uint64_t subtract(std::uint64_t a, std::uint64_t b) noexcept
{
  return is_nan(b) && !is_nan(a) ? b | quiet_bit : add(a, b ^ sign_bit);
}

// A few sums whose bits are known, the first the case libgcc gets wrong.
static_assert(add(0x3ff0'0000'0000'0000u, 0xbde6'2eac'2ac0'312eu) == 0x3fef'ffff'ffe9'd154u);
static_assert(add(0x3ff0'0000'0000'0000u, 0x3ff0'0000'0000'0000u) == 0x4000'0000'0000'0000u);  // 1 + 1
static_assert(subtract(0x3ff0'0000'0000'0000u, 0x3ff0'0000'0000'0000u) == 0);                  // 1 - 1 = +0
static_assert(add(0x8000'0000'0000'0000u, 0x8000'0000'0000'0000u) == 0x8000'0000'0000'0000u);  // -0 + -0
static_assert(add(0x0000'0000'0000'0001u, 0x0000'0000'0000'0001u) == 0x0000'0000'0000'0002u);  // subnormals
static_assert(add(0x7fef'ffff'ffff'ffffu, 0x7fef'ffff'ffff'ffffu) == infinity);                // overflow
static_assert(add(0x3ff0'0000'0000'0000u, 0x3ca0'0000'0000'0000u) == 0x3ff0'0000'0000'0000u);  // 1 + 2^-53: tie, even
static_assert(add(0x3ff0'0000'0000'0001u, 0x3ca0'0000'0000'0000u) == 0x3ff0'0000'0000'0002u);  // tie, up to even
static_assert(subtract(infinity, infinity) == default_nan);

}  // namespace

// The helper functions take and return doubles in core registers (the AEABI base procedure call
// standard, with hard-float code too), as 64-bit integers do.
extern "C" {
std::uint64_t __wrap___aeabi_dadd(std::uint64_t a, std::uint64_t b)
{
  return add(a, b);
}
std::uint64_t __wrap___aeabi_dsub(std::uint64_t a, std::uint64_t b)
{
  return subtract(a, b);
}
std::uint64_t __wrap___aeabi_drsub(std::uint64_t a, std::uint64_t b)
{
  return subtract(b, a);
}
}
