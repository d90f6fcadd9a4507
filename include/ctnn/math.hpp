#pragma once

// constexpr elementary functions for float and double.
//
// Why not <cmath>: its functions are not constexpr in C++20 and their results
// differ between libm versions. Everything here is plain IEEE-754 binary64
// arithmetic in round-to-nearest, so the constant evaluator and the CPU produce
// identical bits, provided the compiler neither keeps excess precision (x87)
// nor fuses a*b+c into an FMA. The pragmas below switch contraction off for
// this header; -ffp-contract=off on the command line does the same.
//
// Constant evaluation rejects operations that produce inf/NaN from finite
// operands, so special results are returned explicitly after branching on the
// input and never produced by overflowing arithmetic.
//
// float exp, tanh and sigmoid compute in float arithmetic (detail/float_math.hpp); the other float
// functions compute in double and round once to float (within ~0.5 ulp).
// Error bounds quoted below are worst cases measured against long double and
// MPFR references (tests/unit/math_accuracy_test.cpp, docs/numerics.md).

#include <bit>
#include <concepts>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "ctnn/detail/config.hpp"
#include "ctnn/detail/float_math.hpp"

// Under -ffinite-math-only (or -ffast-math) config.hpp has already refused the build, unless
// CTNN_ALLOW_FAST_MATH accepts it; Clang 18+ would add one warning per infinity or NaN below, which
// buries that one error (and -Werror makes them errors). The special results are deliberate.
#if defined(__clang__) && defined(__FINITE_MATH_ONLY__) && __FINITE_MATH_ONLY__
#if __has_warning("-Wnan-infinity-disabled")
#define CTNN_MATH_NAN_INFINITY_QUIET 1
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wnan-infinity-disabled"
#endif
#endif

// Clang: a function-scope pragma, used at the top of each function body.
// GCC has no such scoped switch; where the target has FMA (the only case where
// contraction happens) it gets the optimize pragma, at the price that GCC then
// won't inline these functions into code compiled with different options.
#if defined(__clang__)
#define CTNN_MATH_NO_CONTRACT _Pragma("clang fp contract(off)")
#else
#define CTNN_MATH_NO_CONTRACT
#endif
#if defined(__GNUC__) && !defined(__clang__) && defined(__FP_FAST_FMA)
#define CTNN_MATH_GCC_NO_CONTRACT 1
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
#endif

namespace ctnn::math {

/// The floating-point types supported by ctnn::math.
template <class T>
concept Real = std::same_as<T, float> || std::same_as<T, double>;

/// |x|, clearing the sign bit (so abs(-0) = +0 and abs(-NaN) = NaN).
template <Real T>
constexpr T abs(T x) noexcept
{
  if constexpr (std::same_as<T, double>) {
    return std::bit_cast<double>(std::bit_cast<std::uint64_t>(x) & 0x7fff'ffff'ffff'ffffULL);
  } else {
    return std::bit_cast<float>(std::bit_cast<std::uint32_t>(x) & 0x7fff'ffffU);
  }
}

/// True iff x is NaN (NaN is the only value unequal to itself).
template <Real T>
constexpr bool isnan(T x) noexcept
{
  return x != x;
}

/// True iff x is +inf or -inf.
template <Real T>
constexpr bool isinf(T x) noexcept
{
  return x == std::numeric_limits<T>::infinity() || x == -std::numeric_limits<T>::infinity();
}

/// True iff x is neither infinite nor NaN (NaN fails every comparison).
template <Real T>
constexpr bool isfinite(T x) noexcept
{
  return x >= -std::numeric_limits<T>::max() && x <= std::numeric_limits<T>::max();
}

namespace detail {

// 2^(j/128) = exp2_hi128[j] + exp2_lo128[j] (hi rounded to nearest; the pair is good to ~2^-107),
// tabulated with mpmath. A table lets exp use a short polynomial without division, which matters
// most in the (slow) constant evaluator. tanh uses every fourth entry, 2^(j/32).
inline constexpr double exp2_hi128[128] = {
    0x1.0000000000000p+0, 0x1.0163da9fb3335p+0, 0x1.02c9a3e778061p+0, 0x1.04315e86e7f85p+0, 0x1.059b0d3158574p+0,
    0x1.0706b29ddf6dep+0, 0x1.0874518759bc8p+0, 0x1.09e3ecac6f383p+0, 0x1.0b5586cf9890fp+0, 0x1.0cc922b7247f7p+0,
    0x1.0e3ec32d3d1a2p+0, 0x1.0fb66affed31bp+0, 0x1.11301d0125b51p+0, 0x1.12abdc06c31ccp+0, 0x1.1429aaea92de0p+0,
    0x1.15a98c8a58e51p+0, 0x1.172b83c7d517bp+0, 0x1.18af9388c8deap+0, 0x1.1a35beb6fcb75p+0, 0x1.1bbe084045cd4p+0,
    0x1.1d4873168b9aap+0, 0x1.1ed5022fcd91dp+0, 0x1.2063b88628cd6p+0, 0x1.21f49917ddc96p+0, 0x1.2387a6e756238p+0,
    0x1.251ce4fb2a63fp+0, 0x1.26b4565e27cddp+0, 0x1.284dfe1f56381p+0, 0x1.29e9df51fdee1p+0, 0x1.2b87fd0dad990p+0,
    0x1.2d285a6e4030bp+0, 0x1.2ecafa93e2f56p+0, 0x1.306fe0a31b715p+0, 0x1.32170fc4cd831p+0, 0x1.33c08b26416ffp+0,
    0x1.356c55f929ff1p+0, 0x1.371a7373aa9cbp+0, 0x1.38cae6d05d866p+0, 0x1.3a7db34e59ff7p+0, 0x1.3c32dc313a8e5p+0,
    0x1.3dea64c123422p+0, 0x1.3fa4504ac801cp+0, 0x1.4160a21f72e2ap+0, 0x1.431f5d950a897p+0, 0x1.44e086061892dp+0,
    0x1.46a41ed1d0057p+0, 0x1.486a2b5c13cd0p+0, 0x1.4a32af0d7d3dep+0, 0x1.4bfdad5362a27p+0, 0x1.4dcb299fddd0dp+0,
    0x1.4f9b2769d2ca7p+0, 0x1.516daa2cf6642p+0, 0x1.5342b569d4f82p+0, 0x1.551a4ca5d920fp+0, 0x1.56f4736b527dap+0,
    0x1.58d12d497c7fdp+0, 0x1.5ab07dd485429p+0, 0x1.5c9268a5946b7p+0, 0x1.5e76f15ad2148p+0, 0x1.605e1b976dc09p+0,
    0x1.6247eb03a5585p+0, 0x1.6434634ccc320p+0, 0x1.6623882552225p+0, 0x1.68155d44ca973p+0, 0x1.6a09e667f3bcdp+0,
    0x1.6c012750bdabfp+0, 0x1.6dfb23c651a2fp+0, 0x1.6ff7df9519484p+0, 0x1.71f75e8ec5f74p+0, 0x1.73f9a48a58174p+0,
    0x1.75feb564267c9p+0, 0x1.780694fde5d3fp+0, 0x1.7a11473eb0187p+0, 0x1.7c1ed0130c132p+0, 0x1.7e2f336cf4e62p+0,
    0x1.80427543e1a12p+0, 0x1.82589994cce13p+0, 0x1.8471a4623c7adp+0, 0x1.868d99b4492edp+0, 0x1.88ac7d98a6699p+0,
    0x1.8ace5422aa0dbp+0, 0x1.8cf3216b5448cp+0, 0x1.8f1ae99157736p+0, 0x1.9145b0b91ffc6p+0, 0x1.93737b0cdc5e5p+0,
    0x1.95a44cbc8520fp+0, 0x1.97d829fde4e50p+0, 0x1.9a0f170ca07bap+0, 0x1.9c49182a3f090p+0, 0x1.9e86319e32323p+0,
    0x1.a0c667b5de565p+0, 0x1.a309bec4a2d33p+0, 0x1.a5503b23e255dp+0, 0x1.a799e1330b358p+0, 0x1.a9e6b5579fdbfp+0,
    0x1.ac36bbfd3f37ap+0, 0x1.ae89f995ad3adp+0, 0x1.b0e07298db666p+0, 0x1.b33a2b84f15fbp+0, 0x1.b59728de5593ap+0,
    0x1.b7f76f2fb5e47p+0, 0x1.ba5b030a1064ap+0, 0x1.bcc1e904bc1d2p+0, 0x1.bf2c25bd71e09p+0, 0x1.c199bdd85529cp+0,
    0x1.c40ab5fffd07ap+0, 0x1.c67f12e57d14bp+0, 0x1.c8f6d9406e7b5p+0, 0x1.cb720dcef9069p+0, 0x1.cdf0b555dc3fap+0,
    0x1.d072d4a07897cp+0, 0x1.d2f87080d89f2p+0, 0x1.d5818dcfba487p+0, 0x1.d80e316c98398p+0, 0x1.da9e603db3285p+0,
    0x1.dd321f301b460p+0, 0x1.dfc97337b9b5fp+0, 0x1.e264614f5a129p+0, 0x1.e502ee78b3ff6p+0, 0x1.e7a51fbc74c83p+0,
    0x1.ea4afa2a490dap+0, 0x1.ecf482d8e67f1p+0, 0x1.efa1bee615a27p+0, 0x1.f252b376bba97p+0, 0x1.f50765b6e4540p+0,
    0x1.f7bfdad9cbe14p+0, 0x1.fa7c1819e90d8p+0, 0x1.fd3c22b8f71f1p+0,
};
inline constexpr double exp2_lo128[128] = {
    0x0.0p+0,
    0x1.b61299ab8cdb7p-54,
    -0x1.19083535b085dp-56,
    -0x1.0a31c1977c96ep-54,
    0x1.d73e2a475b465p-55,
    -0x1.c91dfe2b13c27p-55,
    0x1.186be4bb284ffp-57,
    0x1.1487818316136p-54,
    0x1.8a62e4adc610bp-54,
    0x1.01edc16e24f71p-54,
    0x1.03a1727c57b53p-59,
    -0x1.b9bedc44ebd7bp-57,
    -0x1.6c51039449b3ap-54,
    -0x1.1b514b36ca5c7p-58,
    -0x1.32fbf9af1369ep-54,
    0x1.2406ab9eeab0ap-55,
    -0x1.19041b9d78a76p-55,
    -0x1.11023d1970f6cp-54,
    0x1.e5b4c7b4968e4p-55,
    -0x1.95386352ef607p-54,
    0x1.e016e00a2643cp-54,
    -0x1.1df98027bb78cp-54,
    0x1.dc775814a8495p-55,
    0x1.2a97e9494a5eep-55,
    0x1.9b07eb6c70573p-54,
    0x1.ac155bef4f4a4p-55,
    0x1.2bd339940e9d9p-55,
    -0x1.a4c3a8c3f0d7ep-54,
    0x1.612e8afad1255p-55,
    -0x1.10adcd6381aa4p-59,
    0x1.0024754db41d5p-54,
    0x1.1ca0f45d52383p-56,
    0x1.6f46ad23182e4p-55,
    0x1.a9ce78e18047cp-55,
    0x1.32721843659a6p-54,
    -0x1.b5cee5c4e4628p-55,
    -0x1.63aeabf42eae2p-54,
    -0x1.e958d3c9904bdp-54,
    -0x1.5e436d661f5e3p-56,
    -0x1.efff8375d29c3p-54,
    0x1.ada0911f09ebcp-55,
    -0x1.7d023f956f9f3p-54,
    -0x1.ef3691c309278p-58,
    -0x1.1c7dde35f7999p-55,
    0x1.89b7a04ef80d0p-59,
    0x1.c944bd1648a76p-54,
    0x1.3c1a3b69062f0p-56,
    0x1.9cb62f3d1be56p-54,
    0x1.d4397afec42e2p-56,
    0x1.8ecdbbc6a7833p-54,
    -0x1.4b309d25957e3p-54,
    -0x1.f768569bd93efp-55,
    -0x1.07abe1db13cadp-55,
    -0x1.d689cefede59bp-55,
    0x1.9bb2c011d93adp-54,
    0x1.295e15b9a1de8p-55,
    0x1.6324c054647adp-54,
    0x1.c4b1b816986a2p-60,
    0x1.ba6f93080e65ep-54,
    -0x1.3e2429b56de47p-54,
    -0x1.383c17e40b497p-54,
    -0x1.c483c759d8933p-55,
    -0x1.bb60987591c34p-54,
    0x1.038ae44f73e65p-57,
    -0x1.bdd3413b26456p-54,
    -0x1.2895667ff0b0dp-56,
    -0x1.bbe3a683c88abp-57,
    -0x1.83c0f25860ef6p-55,
    -0x1.16e4786887a99p-55,
    -0x1.0a8d96c65d53cp-54,
    -0x1.0245957316dd3p-54,
    0x1.866b80a02162dp-54,
    -0x1.41577ee04992fp-55,
    0x1.f124cd1164dd6p-54,
    0x1.05d02ba15797ep-56,
    -0x1.27c86626d972bp-54,
    -0x1.d4c1dd41532d8p-54,
    -0x1.8d684a341cdfbp-55,
    -0x1.fc6f89bd4f6bap-54,
    0x1.994c2f37cb53ap-54,
    0x1.6e9f156864b27p-54,
    -0x1.0d55e32e9e3aap-56,
    0x1.5cc13a2e3976cp-55,
    -0x1.dd6792e582524p-54,
    -0x1.75fc781b57ebcp-57,
    -0x1.64b7c96a5f039p-56,
    -0x1.d185b7c1b85d1p-54,
    -0x1.173bd91cee632p-54,
    0x1.c7c46b071f2bep-56,
    0x1.824ca78e64c6ep-56,
    -0x1.359495d1cd533p-54,
    0x1.6305c7ddc36abp-54,
    -0x1.d2f6edb8d41e1p-54,
    0x1.bcb7ecac563c7p-54,
    0x1.0fac90ef7fd31p-54,
    -0x1.f9234cae76cd0p-55,
    0x1.7a1cd345dcc81p-54,
    -0x1.bdef54c80e425p-54,
    -0x1.2805e3084d708p-57,
    -0x1.c71dfbbba6de3p-54,
    -0x1.5584f7e54ac3bp-56,
    -0x1.efcd30e54292ep-54,
    0x1.23dd07a2d9e84p-55,
    -0x1.efdca3f6b9c73p-54,
    0x1.11065895048ddp-55,
    0x1.b4537e083c60ap-54,
    0x1.2884dff483cadp-54,
    0x1.1acbc48805c44p-56,
    0x1.503cbd1e949dbp-56,
    -0x1.dd83b53829d72p-55,
    -0x1.cbc3743797a9cp-54,
    -0x1.d487b719d8578p-54,
    0x1.2ed02d75b3707p-55,
    -0x1.11ec18beddfe8p-54,
    0x1.c2300696db532p-54,
    0x1.2da5778f018c3p-54,
    -0x1.1a5cd4f184b5cp-54,
    -0x1.7b627817a1496p-54,
    0x1.39e8980a9cc8fp-55,
    0x1.2d522ca0c8de2p-54,
    -0x1.e9c23179c2893p-54,
    -0x1.c93f3b411ad8cp-54,
    0x1.dc7f486a4b6b0p-54,
    0x1.3a1a5bf0d8e43p-54,
    0x1.9d3e12dd8a18bp-54,
    -0x1.dbb12d006350ap-54,
    0x1.74853f3a5931ep-55,
    0x1.2eb74966579e7p-57,
};

// Largest input with a finite result, and the input below which the result
// rounds to +0.
template <class T>
inline constexpr double exp_max = 0x1.62e42fefa39efp+9;  // 709.78...
template <>
inline constexpr double exp_max<float> = 0x1.62e42fp+6;  // between two floats: 88.72283...
template <class T>
inline constexpr double exp_min = -0x1.74910d52d3051p+9;  // -745.13...
template <>
inline constexpr double exp_min<float> = -104.0;
// exp's common case: x in [exp_fast_min, exp_fast_max]. For double, outside it (but within
// [exp_min, exp_max]) k = round(128x/ln2) >> 7 is above 1022 or below -1000, where exp_edge takes
// over. For float, 2^k is always a normal double and the result rounds once to float.
template <class T>
inline constexpr double exp_fast_max = 709.0;
template <>
inline constexpr double exp_fast_max<float> = exp_max<float>;
template <class T>
inline constexpr double exp_fast_min = -693.0;
template <>
inline constexpr double exp_fast_min<float> = exp_min<float>;

// ln2 split so that k*ln2_hi is exact for |k| < 2^21.
inline constexpr double ln2_hi = 0x1.62e42feep-1;
inline constexpr double ln2_lo = 0x1.a39ef35793c76p-33;

// exp's table: 2^(j/128) = hi * (1 + tail), with tail = lo/hi relative to hi so that exp can
// finish with scale + scale*tmp, and bits = bits(hi) - (j << 45) so that adding n << 45 (n = 128k + j)
// gives bits(hi * 2^k). Derived from exp2_hi128/lo128 (one source of truth, shared with tanh) rather
// than tabulated: lo/hi rounded to double is within 2^-106 of the exact ratio (|lo/hi| < 2^-53), far
// below what the result can resolve.
struct ExpEntry {
  double tail;
  std::uint64_t bits;
};
struct ExpTable {
  ExpEntry e[128];
};
inline constexpr ExpTable exp_table128 = [] {
  ExpTable t{};
  for (unsigned j = 0; j < 128; ++j) {
    t.e[j].tail = exp2_lo128[j] / exp2_hi128[j];
    t.e[j].bits = std::bit_cast<std::uint64_t>(exp2_hi128[j]) - (static_cast<std::uint64_t>(j) << 45);
  }
  return t;
}();

// exp(x) = scale * (1 + tmp) for x outside [exp_fast_min, exp_fast_max] (k = n >> 7 in [1022, 1024]
// or [-1075, -1000]), where 2^k may overflow, scale*tmp may be subnormal and lose bits, or the
// result may be subnormal and round twice. sbits are scale's bits computed modulo 2^64.
constexpr double exp_edge(double tmp, std::uint64_t sbits, bool k_positive) noexcept
{
  CTNN_MATH_NO_CONTRACT
  if (k_positive) {  // k <= 1024 (x <= exp_max): scale/2 is finite; doubling the result is exact
    const double s = std::bit_cast<double>(sbits - (std::uint64_t{1} << 52));
    return (s + s * tmp) * 2.0;
  }
  // k <= -1000, result below ~2^-999, possibly subnormal. Rounding s + s*tmp and then again to the
  // subnormal grid could err by ~1 ulp. Instead scale exactly by 2^1022 and add 1: 1 + y rounds to
  // multiples of 2^-52, which is the subnormal grid times 2^1022.
  const double s = std::bit_cast<double>(sbits + (std::uint64_t{1022} << 52));  // in [2^-53, 2^23)
  const double l = s * tmp;
  const double y = s + l;
  if (y >= 1.0) {  // normal (always for k > -1022)
    return y * 0x1p-1022;
  }
  // y < 1 implies s <= 1 (s >= 2^(1/128) makes y > 1), so 1 + s is a Fast2Sum.
  const double w = 1.0 + s;
  const double v = w + (((1.0 - w) + s) + l);
  return (v - 1.0) * 0x1p-1022;  // both steps exact
}

// k*ln2 + log(1+f) + c for f in [sqrt(2)/2-1, sqrt(2)-1) and a tiny correction c.
// log(1+f) = 2*atanh(s) with s = f/(2+f), |s| <= 0.1716, expanded as
// f - f^2/2 + s*(f^2/2 + R(s^2)) so the large terms are exact or nearly so;
// R is the published fdlibm Remez fit (|error| < 2^-58.45).
// Generic in V (double, or a vector of doubles: detail/simd_math.hpp runs the same expression on
// lanes); dk is k as a double.
template <class V>
constexpr V log_kernel(V dk, V f, V c) noexcept
{
  CTNN_MATH_NO_CONTRACT
  const V s = f / (2.0 + f);
  const V z = s * s;
  const V w = z * z;
  const V r_odd = z * (6.666666666666735130e-01 +
                       w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)));
  const V r_even = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01));
  const V hfsq = 0.5 * f * f;
  return dk * ln2_hi - ((hfsq - (s * (hfsq + (r_odd + r_even)) + (dk * ln2_lo + c))) - f);
}

// Splits a positive normal double u = 2^k * m with m in [sqrt(2)/2, sqrt(2)) and
// returns f = m - 1 (exact).
struct Reduced {
  int k;
  double f;
};
constexpr Reduced log_reduce(double u) noexcept
{
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(u);
  const std::uint64_t mant = bits & 0x000f'ffff'ffff'ffffULL;
  int k = static_cast<int>(bits >> 52) - 1023;
  // mant >= mantissa of sqrt(2): use m/2 instead so |f| < 0.415.
  std::uint64_t biased = 1023;
  if (mant >= 0x6a09'e667'f3bcdULL) {
    biased = 1022;
    ++k;
  }
  return {k, std::bit_cast<double>(mant | (biased << 52)) - 1.0};
}

// log1p<float> for x in (-1, inf): as the double log1p, with float's kernel and thresholds.
constexpr float log1p_float(float x) noexcept
{
  CTNN_MATH_NO_CONTRACT
  if (abs(x) < log1p_float_tiny) {  // keeps -0
    return x;
  }
  if (x > log1p_float_near_min && x < log1p_float_near_max) {
    return log_float_kernel(0.0F, x, 0.0F);
  }
  // u = 1 + x rounded; c = (1 + x) - u exactly, then log(1+x) = log(u) + c/u.
  const float u = 1.0F + x;
  const float c = u >= 2.0F ? 1.0F - (u - x) : x - (u - 1.0F);
  const ReducedFloat red = log_float_reduce(u);
  return log_float_kernel(red.dk, red.f, c / u);
}

// expm1<float> for x in [-40, exp_float_max], |x| >= 2^-25: x = k ln2 + r (+ cc, r's rounding
// error), then 2^k (1 + expm1(r)) - 1 grouped per k as the double expm1 does. k ln2_hi is exact
// (|k| <= 128) and x - k ln2_hi too (Sterbenz: the two are within a factor 2 for k != 0).
constexpr float expm1_float(float x) noexcept
{
  CTNN_MATH_NO_CONTRACT
  int k = 0;
  float r = x;
  float cc = 0.0F;
  if (x > 0x1.62e43p-2F || x < -0x1.62e43p-2F) {  // |x| > ln2/2
    const float kd = (x * 0x1.715476p+0F + 0x1.8p23F) - 0x1.8p23F;
    k = static_cast<int>(kd);
    const float hi = x - kd * log_float_ln2_hi;
    const float lo = kd * log_float_ln2_lo;
    r = hi - lo;
    cc = (hi - r) - lo;
  }
  float e = expm1_float_e(r);
  const float hxs = r * (0.5F * r);
  if (k == 0) {
    return r - (r * e - hxs);
  }
  e = (r * (e - cc) - cc) - hxs;  // now expm1(r + cc) ~= r - e
  if (k == -1) {
    return 0.5F * (r - e) - 0.5F;
  }
  if (k == 1) {
    return r < -0.25F ? -2.0F * (e - (r + 0.5F)) : 1.0F + 2.0F * (r - e);
  }
  if (k <= -2 || k > 56) {
    // 2^k (1 + expm1(r)) dominates (or -1 does); the "-1" rounds last.
    const float y = 1.0F - (e - r);
    if (k == 128) {
      return (y * 2.0F) * 0x1p127F - 1.0F;
    }
    return y * std::bit_cast<float>(static_cast<std::uint32_t>(k + 127) << 23) - 1.0F;
  }
  const float two_k = std::bit_cast<float>(static_cast<std::uint32_t>(k + 127) << 23);
  const float two_mk = std::bit_cast<float>(static_cast<std::uint32_t>(127 - k) << 23);
  if (k < 23) {
    return ((1.0F - two_mk) - (e - r)) * two_k;  // 1 - 2^-k is exact
  }
  return ((r - (e + two_mk)) + 1.0F) * two_k;
}

}  // namespace detail

/// e^x within 0.6 ulp; branch-light straight-line code because it is hot in constant evaluation.
template <Real T>
constexpr T exp(T x) noexcept
{
  CTNN_MATH_NO_CONTRACT
  if constexpr (std::same_as<T, float>) {  // in float arithmetic (detail/float_math.hpp), within 0.52 ulp
    const bool edge = !(x >= detail::exp_float_fast_min && x <= detail::exp_float_fast_max);  // NaN too
    if (edge) [[unlikely]] {
      if (x != x) {
        return x;
      }
      if (x > detail::exp_float_max) {
        return std::numeric_limits<float>::infinity();
      }
      if (x < detail::exp_float_min) {
        return 0.0F;
      }
    }
    const float z = detail::exp_float_shifted(x);
    const float nd = z - 0x1.8p23F;
    std::uint32_t zbits;  // n in the low bits (see double's zbits below)
    if (__builtin_is_constant_evaluated()) {
      zbits = static_cast<std::uint32_t>(static_cast<std::int32_t>(nd));
    } else {
      zbits = std::bit_cast<std::uint32_t>(z);
    }
    const detail::ExpFloatEntry& e = detail::exp_float_table[zbits & 31];
    const std::uint32_t sbits = detail::exp_float_scale_bits(e.bits, zbits);
    const float tmp = detail::exp_float_tmp(x, nd, e.tail);
    if (edge) [[unlikely]] {
      return detail::exp_float_edge(tmp, sbits, x > 0.0F);
    }
    const float scale = std::bit_cast<float>(sbits);
    return scale + scale * tmp;
  }
  const double xd = static_cast<double>(x);
  // One test (two comparisons) for the common case keeps the constant evaluator's work down; the
  // rare inputs take the branch here and, for double, exp_edge below (see exp_fast_min).
  const bool edge = !(xd >= detail::exp_fast_min<T> && xd <= detail::exp_fast_max<T>);  // NaN too
  if (edge) [[unlikely]] {
    if (xd != xd) {
      return x;
    }
    if (xd > detail::exp_max<T>) {
      return std::numeric_limits<T>::infinity();
    }
    if (xd < detail::exp_min<T>) {
      return T(0);
    }
  }
  // x = (128k + j)*ln2/128 + r, |r| <= ln2/256, so e^x = 2^k * 2^(j/128) * e^r
  // = scale * (1 + tail) * e^r ~= scale + scale*tmp with tmp = tail + (e^r - 1).
  // Only the last add rounds at the result's ulp, so no FMA is needed, and
  // scale comes from integer ops beside the floating-point chain.
  const double z = xd * 0x1.71547652b82fep+7 + 0x1.8p52;  // 1.5*2^52 + n, n = round(x*128/ln2)
  const double nd = z - 0x1.8p52;
  const double r = (xd - nd * 0x1.62e42feep-8) - nd * 0x1.a39ef35793c76p-40;
  // n mod 2^64 (only its low 57 bits are used). At runtime from z's low bits, which hold n in
  // two's complement: no float-to-int conversion on the way to the table and to scale. The
  // conversion gives the same n and is cheaper in constant evaluation (no bit_cast).
  std::uint64_t zbits;  // if/else rather than a const initializer, which would be manifestly constant-evaluated
  if (__builtin_is_constant_evaluated()) {  // std::is_constant_evaluated, minus a call (costly in Clang's evaluator)
    zbits = static_cast<std::uint64_t>(static_cast<std::int64_t>(nd));
  } else {
    zbits = std::bit_cast<std::uint64_t>(z);
  }
  const detail::ExpEntry& e = detail::exp_table128.e[zbits & 127];
  // Adding n << 45 = (k << 52) + (j << 45) (mod 2^64) to the entry yields the bits of
  // 2^(j/128) * 2^k whenever that is a normal double.
  const std::uint64_t sbits = e.bits + (zbits << 45);
  // tmp = tail + (e^r - 1), the latter to r^5 (truncation < 2^-60 relative) as r + r2*a + r4*b.
  // b = (5 + r)/120 = 1/24 + r/120 is written unlike a so that Clang does not pair a with b in
  // SIMD registers (the shuffles cost more latency than they save); the r^4 term is < 2^-38 of the
  // result, so b's different rounding does not matter.
  const double r2 = r * r;
  const double tmp =
      ((e.tail + r) + r2 * (0.5 + r * 0x1.5555555555555p-3)) + (r2 * r2) * ((5.0 + r) * 0x1.1111111111111p-7);
  if constexpr (std::same_as<T, double>) {
    if (edge) [[unlikely]] {
      return detail::exp_edge(tmp, sbits, xd > 0.0);
    }
  }
  const double scale = std::bit_cast<double>(sbits);
  return static_cast<T>(scale + scale * tmp);
}

/// e^x - 1 within 0.9 ulp, also for small x where exp(x) - 1 would cancel.
template <Real T>
constexpr T expm1(T x) noexcept
{
  CTNN_MATH_NO_CONTRACT
  if constexpr (std::same_as<T, float>) {  // in float arithmetic (detail/float_math.hpp)
    if (!(x <= detail::exp_float_max)) {   // also catches NaN
      return x != x ? x : std::numeric_limits<float>::infinity();
    }
    if (x < -40.0F) {
      return -1.0F;
    }
    if (abs(x) < 0x1p-25F) {  // the tail x^2/2 is below half an ulp of x; keeps -0
      return x;
    }
    return detail::expm1_float(x);
  } else {
    if (!(x <= detail::exp_max<T>)) {  // also catches NaN
      return x != x ? x : std::numeric_limits<T>::infinity();
    }
    // e^-40 < 2^-57: -1 + e^x rounds to -1 (float or double).
    if (x < T(-40)) {
      return T(-1);
    }
    // e^x - 1 = x + x^2/2 + ...: the tail is below half an ulp of x. Keeps -0.
    if (abs(x) < T(0x1p-54)) {
      return x;
    }
    // x = k*ln2 + r (+ cc, the rounding error of r). expm1(r) comes from the published
    // fdlibm rational form: with hxs = r^2/2 and r1 = 1 + hxs*Q(hxs) (Remez,
    // |error| < 2^-61), expm1(r) = r - (r*e - hxs) where
    // e = hxs*(r1 - t)/(6 - r*t), t = 3 - r1*r/2. The result is then rebuilt as
    // 2^k*(1 + expm1(r)) - 1, grouped per k so that no cancellation loses bits.
    const double xd = x;
    constexpr double half_ln2 = 0x1.62e42fefa39efp-2;
    int k = 0;
    double r = xd;
    double cc = 0.0;
    if (xd > half_ln2 || xd < -half_ln2) {
      const double kd = (xd * 0x1.71547652b82fep+0 + 0x1.8p52) - 0x1.8p52;
      k = static_cast<int>(kd);
      const double hi = xd - kd * detail::ln2_hi;
      const double lo = kd * detail::ln2_lo;
      r = hi - lo;
      cc = (hi - r) - lo;
    }
    const double hfx = 0.5 * r;
    const double hxs = r * hfx;
    const double r1 =
        1.0 + hxs * (-3.33333333333331316428e-02 +
                     hxs * (1.58730158725481460165e-03 +
                            hxs * (-7.93650757867487942473e-05 +
                                   hxs * (4.00821782732936239552e-06 + hxs * -2.01099218183624371326e-07))));
    const double t = 3.0 - r1 * hfx;
    double e = hxs * ((r1 - t) / (6.0 - r * t));
    if (k == 0) {
      return static_cast<T>(r - (r * e - hxs));
    }
    e = (r * (e - cc) - cc) - hxs;  // now expm1(r + cc) ~= r - e
    if (k == -1) {
      return static_cast<T>(0.5 * (r - e) - 0.5);
    }
    if (k == 1) {
      return static_cast<T>(r < -0.25 ? -2.0 * (e - (r + 0.5)) : 1.0 + 2.0 * (r - e));
    }
    if (k <= -2 || k > 56) {
      // 2^k*(1+expm1(r)) dominates (or -1 does); the "-1" rounds last.
      const double y = 1.0 - (e - r);
      if (k == 1024) {
        return static_cast<T>((y * 2.0) * 0x1p1023 - 1.0);
      }
      return static_cast<T>(y * std::bit_cast<double>(static_cast<std::uint64_t>(k + 1023) << 52) - 1.0);
    }
    const double two_k = std::bit_cast<double>(static_cast<std::uint64_t>(k + 1023) << 52);
    const double two_mk = std::bit_cast<double>(static_cast<std::uint64_t>(1023 - k) << 52);
    if (k < 20) {
      return static_cast<T>(((1.0 - two_mk) - (e - r)) * two_k);  // 1 - 2^-k is exact
    }
    return static_cast<T>(((r - (e + two_mk)) + 1.0) * two_k);
  }
}

/// Natural logarithm within 0.9 ulp; log(±0) = -inf, log(x < 0) = NaN.
template <Real T>
constexpr T log(T x) noexcept
{
  CTNN_MATH_NO_CONTRACT
  if (!(x > T(0)) || x == std::numeric_limits<T>::infinity()) {
    if (x == T(0)) {
      return -std::numeric_limits<T>::infinity();
    }
    if (x < T(0)) {
      return std::numeric_limits<T>::quiet_NaN();
    }
    return x;  // NaN or +inf
  }
  if constexpr (std::same_as<T, float>) {  // in float arithmetic (detail/float_math.hpp)
    float u = x;
    float dk = 0.0F;
    if (u < 0x1p-126F) {  // subnormal: scale into the normal range
      u *= 0x1p25F;
      dk = -25.0F;
    }
    const detail::ReducedFloat red = detail::log_float_reduce(u);
    return detail::log_float_kernel(dk + red.dk, red.f, 0.0F);
  }
  double u = static_cast<double>(x);
  int k = 0;
  if (u < 0x1p-1022) {  // double subnormal: scale into the normal range
    u *= 0x1p54;
    k = -54;
  }
  const detail::Reduced red = detail::log_reduce(u);
  return static_cast<T>(detail::log_kernel(static_cast<double>(k + red.k), red.f, 0.0));
}

/// log(1 + x) within 0.85 ulp, also for small x where 1 + x would round.
template <Real T>
constexpr T log1p(T x) noexcept
{
  CTNN_MATH_NO_CONTRACT
  if (!(x > T(-1)) || x == std::numeric_limits<T>::infinity()) {
    if (x == T(-1)) {
      return -std::numeric_limits<T>::infinity();
    }
    if (x < T(-1)) {
      return std::numeric_limits<T>::quiet_NaN();
    }
    return x;  // NaN or +inf
  }
  if constexpr (std::same_as<T, float>) {  // in float arithmetic (detail/float_math.hpp)
    return detail::log1p_float(x);
  }
  // log(1+x) = x - x^2/2 + ...: the tail is below half an ulp of x. Keeps -0.
  if (abs(x) < T(0x1p-54)) {
    return x;
  }
  const double xd = static_cast<double>(x);
  // 1 + x in [sqrt(2)/2, sqrt(2)): f = x exactly, no reduction.
  if (xd > -0x1.2bec333018867p-2 && xd < 0x1.a827999fcef32p-2) {
    return static_cast<T>(detail::log_kernel(0.0, xd, 0.0));
  }
  // u = 1 + x rounded; c = (1 + x) - u exactly, then log(1+x) = log(u) + c/u.
  const double u = 1.0 + xd;
  const double c = u >= 2.0 ? 1.0 - (u - xd) : xd - (u - 1.0);
  const detail::Reduced red = detail::log_reduce(u);
  return static_cast<T>(detail::log_kernel(static_cast<double>(red.k), red.f, c / u));
}

/// Hyperbolic tangent within 0.6 ulp (double; float: see below); odd (keeps ±0), exactly ±1 beyond |x| = 22.
template <Real T>
constexpr T tanh(T x) noexcept
{
  CTNN_MATH_NO_CONTRACT
  // The simple forms (t/(t+2) with t = expm1(2|x|), or 1 - 2/(e^2|x|+1)) lose
  // up to ~2 ulp; below, each path keeps its rounding errors well under 1 ulp.
  // Straight-line code (no calls): tanh can be hot in constant evaluation.
  if (x != x) {
    return x;
  }
  if constexpr (std::same_as<T, float>) {  // in float arithmetic (detail/float_math.hpp)
    const float a = x < 0.0F ? -x : x;
    if (a < detail::tanh_float_tiny) {  // keeps ±0 and subnormals
      return x;
    }
    float y;
    if (a < detail::tanh_float_switch) {
      y = detail::tanh_float_small(a);
    } else {
      const float two_a = 2.0F * (a > detail::tanh_float_clamp ? detail::tanh_float_clamp : a);  // also inf
      const float z = detail::exp_float_shifted(two_a);
      const float nd = z - 0x1.8p23F;
      // n in [23, 923]: a conversion in constant evaluation, the low bits of z at runtime
      std::uint32_t zbits;  // if/else: a const initializer would be manifestly constant-evaluated
      if (__builtin_is_constant_evaluated()) {
        zbits = static_cast<std::uint32_t>(static_cast<std::int32_t>(nd));
      } else {
        zbits = std::bit_cast<std::uint32_t>(z);
      }
      const detail::ExpFloatEntry& e = detail::exp_float_table[zbits & 31];
      const float scale = std::bit_cast<float>(detail::exp_float_scale_bits(e.bits, zbits));
      y = detail::tanh_float_from(scale, detail::exp_float_tmp(two_a, nd, e.tail));
    }
    return x < 0.0F ? -y : y;
  }
  // |x| without a bit_cast (slow in constant evaluation); -0 stays -0, which is fine.
  const double ax = x < T(0) ? -static_cast<double>(x) : static_cast<double>(x);
  double z;
  if (ax < 0.3) {
    if (ax < 0x1p-28) {  // tanh(x) = x - x^3/3 + ...: tail below half an ulp; keeps ±0
      return x;
    }
    // tanh(a) = a - a^3*S(a^2). S = A/Q is the Pade approximant from Lambert's
    // continued fraction tanh(a) = a/(1 + a^2/(3 + a^2/(5 + ...))) cut after
    // 17: S is within 2^-66 relative for |a| <= 0.55. The subtracted term is
    // < 3% of the result, so its rounding errors hardly show.
    const double u = ax * ax;
    // a_num = 1/3 + 2/85 u + 2/5355 u^2 + 4/3132675 u^3
    // q_den = 1 + 8/17 u + 7/255 u^2 + 4/9945 u^3 + 1/765765 u^4
    // (hex literals: the constant evaluator would redo 2.0/85.0 per call)
    const double a_num =
        0x1.5555555555555p-2 + u * (0x1.8181818181818p-6 + u * (0x1.87a00187a0018p-12 + u * 0x1.56c16d6d82d98p-20));
    const double q_den =
        1.0 + u * (0x1.e1e1e1e1e1e1ep-2 +
                   u * (0x1.c1c1c1c1c1c1cp-6 + u * (0x1.a5c001a5c001ap-12 + u * 0x1.5e8ba44745d2dp-20)));
    z = ax - (ax * u) * (a_num / q_den);
  } else if (ax <= 22.0) {
    // tanh(a) = 1 - 2/(E + 1), E = e^(2a), with E, D = E + 1 and Q = 2/D
    // carried as unevaluated sums so that only the final subtraction rounds.
    // E = 2^k * 2^(j/32) * e^r exactly as in exp(): e_hi + e_lo, e_hi exact.
    const double x2 = 2.0 * ax;
    const double nd = (x2 * 0x1.71547652b82fep+5 + 0x1.8p52) - 0x1.8p52;
    const int n = static_cast<int>(nd);
    const double r = (x2 - nd * 0x1.62e42feep-6) - nd * 0x1.a39ef35793c76p-38;
    const double p =
        r + (r * r) * (0.5 + r * (0x1.5555555555555p-3 +
                                  r * (0x1.5555555555555p-5 + r * (0x1.1111111111111p-7 + r * 0x1.6c16c16c16c17p-10))));
    const double t_hi = detail::exp2_hi128[4 * (n & 31)];
    const double scale = std::bit_cast<double>(static_cast<std::uint64_t>((n >> 5) + 1023) << 52);
    const double e_hi = t_hi * scale;
    const double e_lo = (detail::exp2_lo128[4 * (n & 31)] + t_hi * p) * scale;
    // D = d_hi + d_lo (Fast2Sum, e_hi >= 1).
    const double d_hi = e_hi + 1.0;
    const double d_lo = ((e_hi - d_hi) + 1.0) + e_lo;
    // Q = qa + q_lo, qa = 2/D rounded to a multiple of 2^-25 (<= 25 bits) so
    // qa*da and qa*db are exact for the 26-bit halves of d_hi (Veltkamp
    // split), making the remainder 2 - qa*D accurate without an FMA.
    const double inv = 1.0 / (d_hi + d_lo);  // d_lo is up to ~1% of d_hi
    const double qa = (2.0 * inv + 0x1.8p27) - 0x1.8p27;
    const double cd = 0x1.0000002p27 * d_hi;
    const double da = cd - (cd - d_hi);
    const double db = d_hi - da;
    const double q_lo = (((2.0 - qa * da) - qa * db) - qa * d_lo) * inv;
    z = (1.0 - qa) - q_lo;  // 1 - qa is exact
  } else {
    z = 1.0;  // 1 - tanh(22) < 2^-63 rounds to 1; also covers inf
  }
  return static_cast<T>(x < T(0) ? -z : z);
}

/// The logistic function 1 / (1 + e^-x). double: exactly that expression (with exp above); float:
/// in float arithmetic with a remainder-corrected division (detail/float_math.hpp), within 0.6 ulp.
template <Real T>
constexpr T sigmoid(T x) noexcept
{
  CTNN_MATH_NO_CONTRACT
  if constexpr (std::same_as<T, double>) {
    return 1.0 / (1.0 + exp(-x));
  } else {
    if (x != x) {
      return x;
    }
    if (x < detail::sigmoid_float_exp_below) {
      return exp(x);
    }
    const float m = x > detail::sigmoid_float_clamp ? -detail::sigmoid_float_clamp : -x;
    const float z = detail::exp_float_shifted(m);
    const float nd = z - 0x1.8p23F;
    std::uint32_t zbits;  // if/else: a const initializer would be manifestly constant-evaluated
    if (__builtin_is_constant_evaluated()) {
      zbits = static_cast<std::uint32_t>(static_cast<std::int32_t>(nd));
    } else {
      zbits = std::bit_cast<std::uint32_t>(z);
    }
    const detail::ExpFloatEntry& e = detail::exp_float_table[zbits & 31];
    const float scale = std::bit_cast<float>(detail::exp_float_scale_bits(e.bits, zbits));
    return detail::sigmoid_float_from(scale, detail::exp_float_tmp(m, nd, e.tail));
  }
}

namespace detail {

// Correctly rounded square root of a positive finite double in integer arithmetic: what constant
// evaluation runs where the compiler cannot fold __builtin_sqrt (Clang), and what the tests hold
// the hardware instruction to, bit for bit.
constexpr double sqrt_correctly_rounded(double x) noexcept
{
  CTNN_MATH_NO_CONTRACT
  // x = m * 2^e with integer m in [2^52, 2^54) and e even.
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
  std::uint64_t m = bits & 0x000f'ffff'ffff'ffffULL;
  int e = static_cast<int>(bits >> 52);
  if (e == 0) {  // subnormal: normalize
    const int shift = std::countl_zero(m) - 11;
    m <<= shift;
    e = 1 - shift;
  } else {
    m |= 1ULL << 52;
  }
  e -= 1075;
  if (e & 1) {
    m <<= 1;
    --e;
  }
  // q = round(sqrt(m * 2^52)) in [2^52, 2^53]; result = q * 2^(e/2 - 26).
  // Estimate via 1/sqrt(a), a = m/2^52 in [1, 4): cubic fit (< 0.9% error)
  // and three Newton steps (quadratic convergence, ~1e-15).
  const double a = static_cast<double>(m) * 0x1p-52;
  double z = ((-0.0175617 * a + 0.1831726) * a - 0.7116349) * a + 1.5371656;
  z = z * (1.5 - 0.5 * a * z * z);
  z = z * (1.5 - 0.5 * a * z * z);
  z = z * (1.5 - 0.5 * a * z * z);
  std::uint64_t q = static_cast<std::uint64_t>(a * z * 0x1p52);
  // Exact fix-up with d = m*2^52 - q^2. |d| < 2^58, so wrapping 64-bit
  // arithmetic gives it exactly.
  auto d = static_cast<std::int64_t>((m << 52) - q * q);
  while (d < 0) {
    --q;
    d += static_cast<std::int64_t>(2 * q + 1);
  }
  while (d > static_cast<std::int64_t>(2 * q)) {
    d -= static_cast<std::int64_t>(2 * q + 1);
    ++q;
  }
  // Now q = floor(sqrt(N)). Round up iff N > (q + 1/2)^2 = q^2 + q + 1/4;
  // a tie is impossible for an integer N.
  if (d > static_cast<std::int64_t>(q)) {
    ++q;
  }
  // q == 2^53 carries into the exponent field, which is exactly right.
  return std::bit_cast<double>((static_cast<std::uint64_t>(e / 2 + 1049) << 52) + (q - (1ULL << 52)));
}

}  // namespace detail

/// Square root, correctly rounded as IEEE requires; sqrt(-0) = -0, sqrt(x < 0) = NaN.
template <Real T>
constexpr T sqrt(T x) noexcept
{
  if (!(x > T(0)) || x == std::numeric_limits<T>::infinity()) {
    if (x < T(0)) {
      return std::numeric_limits<T>::quiet_NaN();
    }
    return x;  // ±0, +inf, NaN
  }
  // IEEE 754 requires sqrt to be correctly rounded, so the instruction behind __builtin_sqrt gives
  // the same bits as the routine, ~10x faster. GCC also folds the builtin in constant evaluation
  // (correctly rounded, via MPFR, even under -frounding-math); Clang 16 does not.
#if defined(__GNUC__) && !defined(__clang__)
  if constexpr (std::same_as<T, double>) {
    return __builtin_sqrt(x);
  } else {
    return __builtin_sqrtf(x);
  }
#else
#if defined(__clang__)
  if (!std::is_constant_evaluated()) {
    if constexpr (std::same_as<T, double>) {
      return __builtin_sqrt(x);
    } else {
      return __builtin_sqrtf(x);
    }
  }
#endif
  // A correctly rounded double sqrt rounded to float is correctly rounded (53 >= 2*24 + 2).
  return static_cast<T>(detail::sqrt_correctly_rounded(static_cast<double>(x)));
#endif
}

}  // namespace ctnn::math

// Template bodies were tokenized above, so the macros can go.
#undef CTNN_MATH_NO_CONTRACT
#if defined(CTNN_MATH_GCC_NO_CONTRACT)
#undef CTNN_MATH_GCC_NO_CONTRACT
#pragma GCC pop_options
#endif
#if defined(CTNN_MATH_NAN_INFINITY_QUIET)
#undef CTNN_MATH_NAN_INFINITY_QUIET
#pragma clang diagnostic pop
#endif
