#pragma once
// The float kernels of ctnn::math's exp, tanh, sigmoid, log, log1p and expm1, in float arithmetic only: a target with
// a single-precision FPU (Cortex-M4, M7 with fpv5-sp) runs them without soft double code, and a
// vector register holds twice as many floats as doubles. Each kernel is generic in V (float, or a
// vector of floats in detail/simd_math.hpp), so the constant evaluator, scalar code and SIMD lanes
// run the same IEEE operations in the same order and give the same bits.
//
// Shared step: e^x = 2^k * 2^(j/32) * e^r with x = (32k + j) ln2/32 + r, |r| <= ln2/64. The table
// holds 2^(j/32) = T (1 + tail) with T a float (its bits, minus j << 18, so that adding n << 18
// for n = 32k + j gives the bits of T * 2^k) and tail a float; then e^x = scale (1 + tmp) with
// scale = T 2^k exact and tmp = tail + (e^r - 1) to ~2^-30. exp rounds scale + scale*tmp once;
// tanh and sigmoid keep scale and scale*tmp apart (an unevaluated sum) and divide with a remainder
// correction, so that their last operation is the only one that rounds at the result's scale.
// docs/numerics.md gives the measured errors (every float input, bench/numerics/sweep.cpp).

#include <bit>
#include <cstdint>

// No FMA contraction (it would change the bits): Clang's scoped pragma at the top of each body;
// GCC's optimize pragma where the target has FMA (as in math.hpp).
#if defined(__clang__)
#define CTNN_FLOAT_MATH_NO_CONTRACT _Pragma("clang fp contract(off)")
#else
#define CTNN_FLOAT_MATH_NO_CONTRACT
#endif
#if defined(__GNUC__) && !defined(__clang__) && defined(__FP_FAST_FMA)
#define CTNN_FLOAT_MATH_GCC_NO_CONTRACT 1
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
#endif

namespace ctnn::math::detail {

struct ExpFloatEntry {
  float tail;          // 2^(j/32) / T - 1, rounded
  std::uint32_t bits;  // bits(T) - (j << 18), T = 2^(j/32) rounded to float
};
// Printed from exp2_hi128/exp2_lo128 (math.hpp; every fourth entry, in double); a test derives it
// again from them and compares (tests/unit/math_test.cpp).
inline constexpr ExpFloatEntry exp_float_table[32] = {
    {0x0p+0F, 0x3f800000U},          {-0x1.947414p-25F, 0x3f7ecd87U}, {0x1.8d96d4p-25F, 0x3f7daac3U},
    {-0x1.dda2fcp-25F, 0x3f7c980fU}, {-0x1.9c0c22p-27F, 0x3f7b95c2U}, {-0x1.a2fbb2p-25F, 0x3f7aa43aU},
    {0x1.964904p-25F, 0x3f79c3d3U},  {-0x1.2b0dbcp-25F, 0x3f78f4f0U}, {0x1.125002p-25F, 0x3f7837f0U},
    {-0x1.cde8cep-26F, 0x3f778d3aU}, {0x1.370be4p-25F, 0x3f76f532U},  {0x1.336de2p-30F, 0x3f767043U},
    {-0x1.0a355p-25F, 0x3f75fed7U},  {-0x1.c541b4p-26F, 0x3f75a15bU}, {-0x1.00d8acp-27F, 0x3f75583fU},
    {-0x1.6cb284p-25F, 0x3f7523f6U}, {0x1.26055cp-26F, 0x3f7504f3U},  {0x1.8b2bb8p-26F, 0x3f74fbafU},
    {-0x1.05cb44p-25F, 0x3f7508a4U}, {-0x1.1c2142p-26F, 0x3f752c4dU}, {0x1.67a1cap-28F, 0x3f75672aU},
    {-0x1.348e56p-25F, 0x3f75b9beU}, {0x1.a3b5e4p-28F, 0x3f76248cU},  {-0x1.0b7ec8p-25F, 0x3f76a81eU},
    {-0x1.f9c304p-27F, 0x3f7744fdU}, {-0x1.e4c886p-26F, 0x3f77fbb8U}, {-0x1.6961b4p-28F, 0x3f78ccdfU},
    {-0x1.b5151ep-28F, 0x3f79b907U}, {-0x1.a5217cp-28F, 0x3f7ac0c7U}, {-0x1.ab7132p-26F, 0x3f7be4baU},
    {0x1.61428ep-28F, 0x3f7d257dU},  {-0x1.2ad5f8p-27F, 0x3f7e83b3U},
};

// exp's common range: 2^k is a normal float and scale*tmp stays normal (a subnormal product would
// lose bits the result keeps). Outside it, exp_float_edge; beyond the limits, inf or 0.
inline constexpr float exp_float_fast_min = -80.0F;
inline constexpr float exp_float_fast_max = 88.0F;
inline constexpr float exp_float_max = 0x1.62e42ep+6F;   // largest float with a finite e^x
inline constexpr float exp_float_min = -0x1.9fe368p+6F;  // smallest float with e^x above 0

// 1.5 * 2^23 + n, n = round(x * 32/ln2): the low 22 bits hold n in two's complement.
template <class V>
constexpr V exp_float_shifted(V x) noexcept
{
  CTNN_FLOAT_MATH_NO_CONTRACT
  return x * 0x1.715476p+5F + 0x1.8p23F;
}

// tmp with e^x = scale (1 + tmp), nd = n as a float. ln2/32 = C1 + C2, C1 with 11 bits so that
// n * C1 is exact for |n| < 2^13; e^r - 1 to r^3 (the r^4 term is below 2^-30).
template <class V>
constexpr V exp_float_tmp(V x, V nd, V tail) noexcept
{
  CTNN_FLOAT_MATH_NO_CONTRACT
  const V r = (x - nd * 0x1.63p-6F) + nd * 0x1.bd0106p-18F;
  const V r2 = r * r;
  return (tail + r) + r2 * (0.5F + r * 0x1.555556p-3F);
}

// The bits of scale from the entry's bits and the shifted value's bits (n << 18 modulo 2^32).
constexpr std::uint32_t exp_float_scale_bits(std::uint32_t entry_bits, std::uint32_t shifted_bits) noexcept
{
  CTNN_FLOAT_MATH_NO_CONTRACT
  return entry_bits + (shifted_bits << 18);
}

// e^x for x outside [exp_float_fast_min, exp_float_fast_max] (within the limits), where 2^k may
// overflow (k = 128) or be subnormal (k < -126).
constexpr float exp_float_edge(float tmp, std::uint32_t sbits, bool positive) noexcept
{
  CTNN_FLOAT_MATH_NO_CONTRACT
  if (positive) {  // k <= 128: scale/2 is finite, doubling the result is exact
    const float s = std::bit_cast<float>(sbits - (std::uint32_t{1} << 23));
    return (s + s * tmp) * 2.0F;
  }
  // k in [-150, -116], result below ~2^-115, possibly subnormal, where rounding s + s*tmp and then
  // to the subnormal grid could err by ~0.75 ulp. Instead scale exactly by 2^126 and add 1: 1 + y
  // rounds to multiples of 2^-23, which is the subnormal grid times 2^126 (as double's exp_edge).
  const float s = std::bit_cast<float>(sbits + (std::uint32_t{126} << 23));  // in [2^-24, 2^11)
  const float l = s * tmp;
  const float y = s + l;
  if (y >= 1.0F) {  // normal
    return y * 0x1p-126F;
  }
  // y < 1 implies s <= 1 (s >= 2^(1/32) makes y > 1), so 1 + s is a Fast2Sum.
  const float w = 1.0F + s;
  const float v = w + (((1.0F - w) + s) + l);
  return (v - 1.0F) * 0x1p-126F;  // both steps exact
}

// tanh below tanh_float_switch: a + a^3 S(a^2), S the Taylor series of (tanh(a) - a)/a^3 to a^8
// (next term below 2^-28 of S at a = 1/4). The a^3 S term is under 2.1 % of the result, so its
// rounding errors stay below a tenth of an ulp.
inline constexpr float tanh_float_tiny = 0x1p-12F;  // below: tanh(x) rounds to x (x^2/3 < 2^-25)
inline constexpr float tanh_float_switch = 0.25F;
inline constexpr float tanh_float_clamp = 10.0F;  // above 9.02, tanh rounds to 1

template <class V>
constexpr V tanh_float_small(V a) noexcept
{
  CTNN_FLOAT_MATH_NO_CONTRACT
  const V u = a * a;
  const V s =
      -0x1.555556p-2F + u * (0x1.111112p-3F + u * (-0x1.ba1ba2p-5F + u * (0x1.664f48p-6F + u * -0x1.226e36p-7F)));
  return a + (a * u) * s;
}

// tanh(a) = 1 - 2/D with D = e^(2a) + 1 = d_hi + d_lo (Fast2Sum: scale >= 1 for 2a >= 1/2).
// q = 2/D is qa + q_lo: qa = 2/D rounded to a multiple of 2^-12 (< 0.76, so 12 bits), d_hi split
// in two 12-bit halves (Veltkamp), so qa*da and qa*db are exact and the remainder 2 - qa*D is
// accurate without an FMA. 1 - qa is exact; the last subtraction is the one rounding that matters.
template <class V>
constexpr V tanh_float_from(V scale, V tmp) noexcept
{
  CTNN_FLOAT_MATH_NO_CONTRACT
  const V e_lo = scale * tmp;
  const V d_hi = scale + 1.0F;
  const V d_lo = ((scale - d_hi) + 1.0F) + e_lo;
  const V inv = 1.0F / (d_hi + d_lo);
  const V qa = (2.0F * inv + 3072.0F) - 3072.0F;
  const V cd = 4097.0F * d_hi;
  const V da = cd - (cd - d_hi);
  const V db = d_hi - da;
  const V rem = ((2.0F - qa * da) - qa * db) - qa * d_lo;
  return (1.0F - qa) - rem * inv;
}

// sigmoid(x) = 1/D, D = 1 + e^-x = d_hi + d_lo (Fast2Sum with the larger of scale and 1 first).
// q = qa + q_lo with qa the top 12 bits of 1/D (Veltkamp), so the remainder 1 - qa*D is accurate
// as in tanh; the last addition rounds. Below sigmoid_float_exp_below, sigmoid(x) = e^x to float
// precision (e^x (1 - e^x + ...), e^-64 < 2^-92); above sigmoid_float_clamp it rounds to 1.
inline constexpr float sigmoid_float_exp_below = -64.0F;
inline constexpr float sigmoid_float_clamp = 20.0F;

template <class V>
constexpr V sigmoid_float_from(V scale, V tmp) noexcept
{
  CTNN_FLOAT_MATH_NO_CONTRACT
  const V one = V{} + 1.0F;
  const V e_lo = scale * tmp;
  const V d_hi = scale + 1.0F;
  const V larger = scale > one ? scale : one;
  const V smaller = scale > one ? one : scale;
  const V d_lo = ((larger - d_hi) + smaller) + e_lo;
  const V q0 = 1.0F / (d_hi + d_lo);
  const V cq = 4097.0F * q0;
  const V qa = cq - (cq - q0);
  const V cd = 4097.0F * d_hi;
  const V da = cd - (cd - d_hi);
  const V db = d_hi - da;
  const V rem = ((1.0F - qa * da) - qa * db) - qa * d_lo;
  return qa + rem * q0;
}

// log(1 + f) + dk ln2 + c for f in [sqrt(2)/2 - 1, sqrt(2) - 1], dk an integer as a float and c a
// small correction: log(1 + f) = 2 atanh(s), s = f/(2 + f), |s| <= 0.1716, written as
// f - f^2/2 + s (f^2/2 + R(s^2)) so that the large terms are exact or nearly so (the form of
// math.hpp's double log_kernel). R: the published fdlibm logf Remez fit (Lg1..Lg4, e_logf.c).
// ln2 is split so that dk * log_float_ln2_hi is exact for |dk| < 2^9 (15 significant bits).
inline constexpr float log_float_ln2_hi = 0x1.62e4p-1F;
inline constexpr float log_float_ln2_lo = 0x1.7f7d1cp-20F;
// f = x needs no reduction for x in this range (1 + x in [sqrt(2)/2, sqrt(2)], both ends inside).
inline constexpr float log1p_float_near_min = -0x1.2bec32p-2F;
inline constexpr float log1p_float_near_max = 0x1.a82798p-2F;
inline constexpr float log1p_float_tiny = 0x1p-25F;                   // below: log1p(x) rounds to x (x^2/2 < x 2^-26)
inline constexpr std::uint32_t log_float_sqrt2_mantissa = 0x3504f3U;  // mantissa bits of sqrt(2) rounded down

template <class V>
constexpr V log_float_kernel(V dk, V f, V c) noexcept
{
  CTNN_FLOAT_MATH_NO_CONTRACT
  const V s = f / (2.0F + f);
  const V z = s * s;
  const V w = z * z;
  const V r_odd = z * (0x1.555554p-1F + w * 0x1.23d3dcp-2F);
  const V r_even = w * (0x1.999c26p-2F + w * 0x1.f13c4cp-3F);
  const V hfsq = 0.5F * f * f;
  return dk * log_float_ln2_hi - ((hfsq - (s * (hfsq + (r_odd + r_even)) + (dk * log_float_ln2_lo + c))) - f);
}

// u = 2^k m, m in [sqrt(2)/2, sqrt(2)), for a positive normal float u: k as a float and f = m - 1
// (exact).
struct ReducedFloat {
  float dk;
  float f;
};
constexpr ReducedFloat log_float_reduce(float u) noexcept
{
  CTNN_FLOAT_MATH_NO_CONTRACT
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(u);
  const std::uint32_t mant = bits & 0x7fffffU;
  const bool above = mant > log_float_sqrt2_mantissa;  // m/2 instead, so |f| < 0.415
  const std::uint32_t exponent = (bits >> 23) + (above ? 1U : 0U);
  const std::uint32_t biased = above ? 126U : 127U;
  return {static_cast<float>(static_cast<std::int32_t>(exponent) - 127),
          std::bit_cast<float>(mant | (biased << 23)) - 1.0F};
}

// expm1 = e^r - 1 for |r| <= ln2/2 (plus cc, r's rounding error), the form of math.hpp's double
// expm1 with the published fdlibm expm1f rational coefficients (Q1, Q2, s_expm1f.c): with
// hxs = r^2/2 and r1 = 1 + hxs (Q1 + hxs Q2), e = hxs (r1 - t)/(6 - r t), t = 3 - r1 r/2, and
// expm1(r) = r - (r e - hxs).
template <class V>
constexpr V expm1_float_e(V r) noexcept
{
  CTNN_FLOAT_MATH_NO_CONTRACT
  const V hfx = 0.5F * r;
  const V hxs = r * hfx;
  const V r1 = 1.0F + hxs * (-0x1.1110dp-5F + hxs * 0x1.9e602p-10F);
  const V t = 3.0F - r1 * hfx;
  return hxs * ((r1 - t) / (6.0F - r * t));
}

}  // namespace ctnn::math::detail

#undef CTNN_FLOAT_MATH_NO_CONTRACT
#if defined(CTNN_FLOAT_MATH_GCC_NO_CONTRACT)
#undef CTNN_FLOAT_MATH_GCC_NO_CONTRACT
#pragma GCC pop_options
#endif
