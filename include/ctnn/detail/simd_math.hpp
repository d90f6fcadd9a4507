#pragma once
// Layer-wide runtime forms of ctnn::math's exp and tanh and of the activations built on them: the
// scalar constexpr algorithm of math.hpp, operation for operation, on lanes::count values at once
// (in double, as the scalar functions compute for float too; float tanh shares its generic kernel
// with math.hpp). Branches become selects between
// results computed for every lane; lanes whose input takes a rare path (exp's edge range, NaN)
// send their whole vector to the scalar function. So each value gets exactly the scalar function's
// bits. Runtime only: the constant evaluator runs the scalar functions.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

// Only the intrinsics the target has: <immintrin.h> declares every x86 extension and costs each
// translation unit (the compile-time proofs too) a noticeable parse.
#if defined(__AVX__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ctnn/detail/simd.hpp"
#include "ctnn/math.hpp"

#if defined(__clang__)
#define CTNN_SIMD_NO_CONTRACT _Pragma("clang fp contract(off)")
#else
#define CTNN_SIMD_NO_CONTRACT
#endif
#if defined(__GNUC__) && !defined(__clang__) && defined(__FP_FAST_FMA)
#define CTNN_SIMD_GCC_NO_CONTRACT 1
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
#endif

namespace ctnn::detail::simd {

namespace m = ctnn::math::detail;

inline constexpr std::size_t double_lanes = lanes<double>;
using vd = vec<double, double_lanes>;
using vu = vec<std::uint64_t, double_lanes>;
using vi = vec<std::int64_t, double_lanes>;  // what a comparison of two vd gives: 0 or -1

[[gnu::always_inline]] inline bool any(const vi& m) noexcept
{
#if defined(__AVX512F__)
  return _mm512_test_epi64_mask(std::bit_cast<__m512i>(m), std::bit_cast<__m512i>(m)) != 0;
#elif defined(__AVX__)
  return _mm256_movemask_pd(std::bit_cast<__m256d>(m)) != 0;
#elif defined(__SSE2__)
  return _mm_movemask_pd(std::bit_cast<__m128d>(m)) != 0;
#else
  std::int64_t bits = 0;
  unrolled<double_lanes>([&](auto l) { bits |= m[l.value]; });
  return bits != 0;
#endif
}

[[gnu::always_inline]] inline vd splat(double v) noexcept
{
  return vd{} + v;
}

[[gnu::always_inline]] inline vi splat_i(std::int64_t v) noexcept
{
  return vi{} + v;
}

// table[index[l]] in every lane: the hardware's gather where there is one (AVX2, AVX-512).
[[gnu::always_inline]] inline vd gather(const double* table, vu index) noexcept
{
#if defined(__AVX512F__)
  static_assert(double_lanes == 8);
  // The masked forms with a zero source: the plain ones leave GCC 12 warning about their own source.
  return std::bit_cast<vd>(
      _mm512_mask_i64gather_pd(_mm512_setzero_pd(), __mmask8(0xff), std::bit_cast<__m512i>(index), table, 8));
#elif defined(__AVX2__)
  static_assert(double_lanes == 4);
  return std::bit_cast<vd>(_mm256_mask_i64gather_pd(_mm256_setzero_pd(), table, std::bit_cast<__m256i>(index),
                                                    _mm256_castsi256_pd(_mm256_set1_epi64x(-1)), 8));
#else
  vd v;
  unrolled<double_lanes>([&](auto l) { v[l.value] = table[index[l.value]]; });
  return v;
#endif
}

// math::exp's common path (x in [m::exp_fast_min<T>, m::exp_fast_max<T>]) for every lane.
[[gnu::always_inline]] inline vd exp_common(vd xd) noexcept
{
  CTNN_SIMD_NO_CONTRACT
  const vd z = xd * 0x1.71547652b82fep+7 + 0x1.8p52;
  const vd nd = z - 0x1.8p52;
  const vd r = (xd - nd * 0x1.62e42feep-8) - nd * 0x1.a39ef35793c76p-40;
  const vu zbits = std::bit_cast<vu>(z);
  // The table's entries are {tail, bits} pairs of doubles' size: entry j is at 2j and 2j + 1.
  const vu index = (zbits & 127) * 2;
  const double* table = &m::exp_table128.e[0].tail;
  const vd tail = gather(table, index);
  const vu entry_bits = std::bit_cast<vu>(gather(table, index + 1));
  const vu sbits = entry_bits + (zbits << 45);
  const vd r2 = r * r;
  const vd tmp = ((tail + r) + r2 * (0.5 + r * 0x1.5555555555555p-3)) + (r2 * r2) * ((5.0 + r) * 0x1.1111111111111p-7);
  const vd scale = std::bit_cast<vd>(sbits);
  return scale + scale * tmp;
}

// math::tanh for every lane, or false when a lane is NaN (the caller then runs the scalar function).
// Both of tanh's computed ranges are evaluated with their inputs clamped into range, then selected.
[[gnu::always_inline]] inline bool tanh_lanes(vd x, vd& out) noexcept
{
  CTNN_SIMD_NO_CONTRACT
  if (any(x != x)) return false;
  const vi negative = x < 0.0;
  const vd ax = negative ? -x : x;
  const vi small = ax < 0.3;
  const vi tiny = ax < 0x1p-28;
  const vi large = ax > 22.0;
  vd z = splat(1.0);
  if (any(small)) {
    const vd a = small ? ax : splat(0.25);
    const vd u = a * a;
    const vd a_num =
        0x1.5555555555555p-2 + u * (0x1.8181818181818p-6 + u * (0x1.87a00187a0018p-12 + u * 0x1.56c16d6d82d98p-20));
    const vd q_den = 1.0 + u * (0x1.e1e1e1e1e1e1ep-2 +
                                u * (0x1.c1c1c1c1c1c1cp-6 + u * (0x1.a5c001a5c001ap-12 + u * 0x1.5e8ba44745d2dp-20)));
    z = small ? a - (a * u) * (a_num / q_den) : z;
  }
  const vi middle = ~small & ~large;
  if (any(middle)) {
    const vd a = middle ? ax : splat(1.0);
    const vd x2 = 2.0 * a;
    const vd shifted = x2 * 0x1.71547652b82fep+5 + 0x1.8p52;
    const vd nd = shifted - 0x1.8p52;
    // n = nd is in [27, 2032]: shifted's low mantissa bits hold 2^51 + n, so n & 31 and n >> 5 come
    // from them as the scalar code gets them from static_cast<int>(nd).
    const vu nbits = std::bit_cast<vu>(shifted) & 0x000f'ffff'ffff'ffffULL;
    const vd r = (x2 - nd * 0x1.62e42feep-6) - nd * 0x1.a39ef35793c76p-38;
    const vd p =
        r + (r * r) * (0.5 + r * (0x1.5555555555555p-3 +
                                  r * (0x1.5555555555555p-5 + r * (0x1.1111111111111p-7 + r * 0x1.6c16c16c16c17p-10))));
    const vu index = (nbits & 31) * 4;
    const vd t_hi = gather(m::exp2_hi128, index);
    const vd t_lo = gather(m::exp2_lo128, index);
    const vu exponent = ((nbits >> 5) - (std::uint64_t{1} << 46)) + 1023;
    const vd scale = std::bit_cast<vd>(exponent << 52);
    const vd e_hi = t_hi * scale;
    const vd e_lo = (t_lo + t_hi * p) * scale;
    const vd d_hi = e_hi + 1.0;
    const vd d_lo = ((e_hi - d_hi) + 1.0) + e_lo;
    const vd inv = 1.0 / (d_hi + d_lo);
    const vd qa = (2.0 * inv + 0x1.8p27) - 0x1.8p27;
    const vd cd = 0x1.0000002p27 * d_hi;
    const vd da = cd - (cd - d_hi);
    const vd db = d_hi - da;
    const vd q_lo = (((2.0 - qa * da) - qa * db) - qa * d_lo) * inv;
    z = middle ? (1.0 - qa) - q_lo : z;
  }
  out = tiny ? x : (negative ? -z : z);
  return true;
}

// Float lanes: math::exp, tanh, sigmoid and log1p for float compute in float arithmetic
// (math/detail/float_math.hpp), here on lanes<float> values at once, twice as many as doubles.
inline constexpr std::size_t float_lanes = lanes<float>;
// Any width of float vector: full-width ones for whole vectors, narrower ones (down to 4 lanes) for a
// layer's last values, so that a layer narrower than a vector runs one narrow vector.
template <std::size_t L>
using vfl = vec<float, L>;
template <std::size_t L>
using vul = vec<std::uint32_t, L>;
template <std::size_t L>
using vil = vec<std::int32_t, L>;  // what a comparison of two vfl<L> gives: 0 or -1
using vf = vfl<float_lanes>;

template <std::size_t L>
[[gnu::always_inline]] inline bool any_f(const vil<L>& m) noexcept
{
#if defined(__AVX512F__)
  if constexpr (L == 16) return _mm512_test_epi32_mask(std::bit_cast<__m512i>(m), std::bit_cast<__m512i>(m)) != 0;
#endif
#if defined(__AVX__)
  if constexpr (L == 8) return _mm256_movemask_ps(std::bit_cast<__m256>(m)) != 0;
#endif
#if defined(__SSE2__)
  if constexpr (L == 4) return _mm_movemask_ps(std::bit_cast<__m128>(m)) != 0;
#endif
  std::int32_t bits = 0;
  unrolled<L>([&](auto l) { bits |= m[l.value]; });
  return bits != 0;
}

// The float exp table as two arrays (tails, bits), for lookups by register permutes: 32 entries
// fit two AVX-512 registers (one vpermt2ps each) or four AVX registers; gathers cost more.
struct ExpFloatColumns {
  alignas(64) float tail[32];
  alignas(64) std::uint32_t bits[32];
};
inline constexpr ExpFloatColumns exp_float_columns = [] {
  ExpFloatColumns c{};
  for (std::size_t j = 0; j < 32; ++j) {
    c.tail[j] = m::exp_float_table[j].tail;
    c.bits[j] = m::exp_float_table[j].bits;
  }
  return c;
}();

// column[j[l]] in every lane, j in [0, 32).
template <class V, std::size_t L, class Column>
[[gnu::always_inline]] inline V lookup32(const Column (&column)[32], vul<L> j) noexcept
{
  [[maybe_unused]] const float* base = reinterpret_cast<const float*>(column);
#if defined(__AVX512F__)
  if constexpr (L == 16) {
    const __m512 low = std::bit_cast<__m512>(load<vfl<16>>(base));
    const __m512 high = std::bit_cast<__m512>(load<vfl<16>>(base + 16));
    return std::bit_cast<V>(_mm512_permutex2var_ps(low, std::bit_cast<__m512i>(j), high));
  }
#endif
#if defined(__AVX2__)
  if constexpr (L == 8) {
    const __m256i index = std::bit_cast<__m256i>(j);
    const __m256 q0 = _mm256_permutevar8x32_ps(_mm256_load_ps(base), index);
    const __m256 q1 = _mm256_permutevar8x32_ps(_mm256_load_ps(base + 8), index);
    const __m256 q2 = _mm256_permutevar8x32_ps(_mm256_load_ps(base + 16), index);
    const __m256 q3 = _mm256_permutevar8x32_ps(_mm256_load_ps(base + 24), index);
    // bit 3 of j picks within each pair, bit 4 between the pairs (blendv reads the sign bit)
    const __m256 bit3 = _mm256_castsi256_ps(_mm256_slli_epi32(index, 28));
    const __m256 bit4 = _mm256_castsi256_ps(_mm256_slli_epi32(index, 27));
    return std::bit_cast<V>(_mm256_blendv_ps(_mm256_blendv_ps(q0, q1, bit3), _mm256_blendv_ps(q2, q3, bit3), bit4));
  }
#endif
  V v;
  unrolled<L>([&](auto l) { v[l.value] = std::bit_cast<std::remove_cvref_t<decltype(v[0])>>(column[j[l.value]]); });
  return v;
}

// e^x = scale (1 + tmp) for every lane, as math::exp<float> computes them (x within its limits).
template <std::size_t L>
[[gnu::always_inline]] inline void exp_float_parts(vfl<L> x, vfl<L>& scale, vfl<L>& tmp) noexcept
{
  CTNN_SIMD_NO_CONTRACT
  const vfl<L> z = m::exp_float_shifted(x);
  const vfl<L> nd = z - 0x1.8p23F;
  const vul<L> zbits = std::bit_cast<vul<L>>(z);
  const vul<L> j = zbits & 31;
  const vfl<L> tail = lookup32<vfl<L>, L>(exp_float_columns.tail, j);
  const vul<L> entry_bits = lookup32<vul<L>, L>(exp_float_columns.bits, j);
  scale = std::bit_cast<vfl<L>>(entry_bits + (zbits << 18));
  tmp = m::exp_float_tmp(x, nd, tail);
}

// math::exp<float> for every lane, or false when a lane is outside its common range.
template <std::size_t L>
[[gnu::always_inline]] inline bool exp_float_lanes(vfl<L> x, vfl<L>& out) noexcept
{
  CTNN_SIMD_NO_CONTRACT
  if (any_f<L>(!(x >= m::exp_float_fast_min && x <= m::exp_float_fast_max))) return false;
  vfl<L> scale, tmp;
  exp_float_parts<L>(x, scale, tmp);
  out = scale + scale * tmp;
  return true;
}

// math::tanh<float> for every lane, or false when a lane is NaN (the scalar function returns it as
// it is). Both computed ranges run with their inputs clamped into range, then are selected.
template <std::size_t L>
[[gnu::always_inline]] inline bool tanh_float_lanes(vfl<L> x, vfl<L>& out) noexcept
{
  CTNN_SIMD_NO_CONTRACT
  using V = vfl<L>;
  if (any_f<L>(x != x)) return false;
  const vil<L> negative = x < 0.0F;
  const V a = negative ? -x : x;
  const vil<L> small = a < m::tanh_float_switch;
  V y = V{} + 1.0F;
  if (any_f<L>(small)) y = m::tanh_float_small(small ? a : V{});
  if (any_f<L>(~small)) {
    const V two_a = 2.0F * (small ? V{} + 1.0F : (a > m::tanh_float_clamp ? V{} + m::tanh_float_clamp : a));
    V scale, tmp;
    exp_float_parts<L>(two_a, scale, tmp);
    y = small ? y : m::tanh_float_from(scale, tmp);
  }
  out = a < m::tanh_float_tiny ? x : (negative ? -y : y);
  return true;
}

// math::sigmoid<float> for every lane, or false when a lane is NaN or below -64 (there the scalar
// function returns exp).
template <std::size_t L>
[[gnu::always_inline]] inline bool sigmoid_float_lanes(vfl<L> x, vfl<L>& out) noexcept
{
  CTNN_SIMD_NO_CONTRACT
  using V = vfl<L>;
  if (any_f<L>(!(x >= m::sigmoid_float_exp_below))) return false;
  const V minus = x > m::sigmoid_float_clamp ? V{} - m::sigmoid_float_clamp : -x;
  V scale, tmp;
  exp_float_parts<L>(minus, scale, tmp);
  out = m::sigmoid_float_from(scale, tmp);
  return true;
}

// math::log1p<float> for every lane, or false when a lane is outside (log1p_float_near_min, max] (NaN,
// inf, the range near -1): the scalar function's paths as selects, the kernel's inputs chosen per
// lane so that the kernel runs once.
template <std::size_t L>
[[gnu::always_inline]] inline bool log1p_float_lanes(vfl<L> x, vfl<L>& out) noexcept
{
  CTNN_SIMD_NO_CONTRACT
  using V = vfl<L>;
  if (any_f<L>(!(x > m::log1p_float_near_min && x <= std::numeric_limits<float>::max()))) return false;
  const vil<L> tiny = (x < 0.0F ? -x : x) < m::log1p_float_tiny;
  const vil<L> near = x < m::log1p_float_near_max;
  const V u = 1.0F + x;
  const V c = u >= 2.0F ? 1.0F - (u - x) : x - (u - 1.0F);
  // m::log_float_reduce on lanes: u is positive and normal here.
  const vul<L> bits = std::bit_cast<vul<L>>(u);
  const vul<L> mant = bits & 0x7fffffU;
  const vil<L> above = mant > m::log_float_sqrt2_mantissa;  // -1 where m/2 is used
  const vil<L> exponent = std::bit_cast<vil<L>>(bits >> 23) - above;
  const vul<L> biased = std::bit_cast<vul<L>>(above ? vil<L>{} + 126 : vil<L>{} + 127);
  const V f = std::bit_cast<V>(mant | (biased << 23)) - 1.0F;
  const V dk = __builtin_convertvector(exponent - 127, V);
  const V kernel = m::log_float_kernel(near ? V{} : dk, near ? x : f, near ? V{} : c / u);
  out = tiny ? x : kernel;
  return true;
}

// The narrowest vector (at least 4 lanes, at most float_lanes) that holds n values.
constexpr std::size_t float_lanes_for(std::size_t n) noexcept
{
  std::size_t l = 4;
  while (l < n && l < float_lanes) l *= 2;
  return l;
}

// Runs a float function over N values, float_lanes at a time through its vector form (vector(x, y)
// for any width, false to decline) and the scalar function for a declined vector. The last
// N % float_lanes values run as one narrower vector, zero-padded: a layer narrower than a vector (4
// tanh units on AVX-512) costs one 4-lane evaluation, not a scalar call per unit.
template <std::size_t N, class Vector, class Scalar>
[[gnu::always_inline]] inline void map_float(const float* in, float* out, Vector vector, Scalar scalar) noexcept
{
  constexpr std::size_t vectors = N - N % float_lanes;
  std::size_t i = 0;
  for (; i < vectors; i += float_lanes) {
    vf result;
    if (vector(load<vf>(in + i), result)) {
      store(out + i, result);
    } else {
      for (std::size_t l = 0; l < float_lanes; ++l) out[i + l] = scalar(in[i + l]);
    }
  }
  if constexpr (N % float_lanes != 0) {
    constexpr std::size_t rest = N % float_lanes;
    using V = vfl<float_lanes_for(rest)>;
    // Lane by lane, not a memcpy into the vector: a wide load of narrower stores would stall.
    V padded{};
    unrolled<rest>([&](auto l) { padded[l.value] = in[vectors + l.value]; });
    V result;
    if (vector(padded, result)) {
      unrolled<rest>([&](auto l) { out[vectors + l.value] = result[l.value]; });
    } else {
      for (std::size_t l = vectors; l < N; ++l) out[l] = scalar(in[l]);
    }
  }
}

// Runs Op over n values of T, double_lanes at a time through the vector form (vector(vd in, vd&
// out) -> bool, false to decline) and the scalar function for the rest or a declined vector.
template <std::size_t N, class T, class Vector, class Scalar>
[[gnu::always_inline]] inline void map(const T* in, T* out, Vector vector, Scalar scalar) noexcept
{
  using vt = vec<T, double_lanes>;
  constexpr std::size_t vectors = N - N % double_lanes;
  std::size_t i = 0;
  for (; i < vectors; i += double_lanes) {
    const vt x = load<vt>(in + i);
    vd result;
    if (vector(__builtin_convertvector(x, vd), result)) {
      store(out + i, __builtin_convertvector(result, vt));
    } else {
      for (std::size_t l = 0; l < double_lanes; ++l) out[i + l] = scalar(in[i + l]);
    }
  }
  for (; i < N; ++i) out[i] = scalar(in[i]);
}

// math::log1p for every lane, or false when a lane is outside (-0x1.2bec333018867p-2, max] (NaN,
// inf, the range near -1): the paths of the scalar function as selects, the kernel's inputs chosen
// per lane so that the kernel runs once.
[[gnu::always_inline]] inline bool log1p_lanes(vd x, vd& out) noexcept
{
  CTNN_SIMD_NO_CONTRACT
  if (any(!(x > -0x1.2bec333018867p-2 && x <= std::numeric_limits<double>::max()))) return false;
  const vi tiny = (x < 0.0 ? -x : x) < 0x1p-54;
  const vi near = x < 0x1.a827999fcef32p-2;  // 1 + x in [sqrt(2)/2, sqrt(2)): no reduction
  const vd u = 1.0 + x;
  const vd c = u >= 2.0 ? 1.0 - (u - x) : x - (u - 1.0);
  // m::log_reduce on lanes: u is positive and normal here.
  const vu bits = std::bit_cast<vu>(u);
  const vu mant = bits & 0x000f'ffff'ffff'ffffULL;
  const vi above = mant >= 0x6a09'e667'f3bcdULL;  // m/2 instead, so |f| < 0.415
  const vu exponent = (bits >> 52) - std::bit_cast<vu>(above);
  const vu biased = std::bit_cast<vu>(above ? splat_i(1022) : splat_i(1023));
  const vd f = std::bit_cast<vd>(mant | (biased << 52)) - 1.0;
  // k = exponent - 1023 as a double, exactly, without an integer conversion (SSE2 has none for int64).
  const vd dk = std::bit_cast<vd>(exponent | 0x4330'0000'0000'0000ULL) - (0x1p52 + 1023.0);
  const vd kernel = m::log_kernel(near ? vd{} : dk, near ? x : f, near ? vd{} : c / u);
  out = tiny ? x : kernel;
  return true;
}

/// math::sqrt on every lane of a full-width vector: the hardware's correctly rounded square root,
/// which math::sqrt equals for every input but a negative one, where math::sqrt returns +NaN (the
/// instruction gives a NaN with the sign bit set).
template <class V>
  requires(!math::Real<V>)
[[gnu::always_inline]] inline V sqrt(V x) noexcept
{
  using T = std::remove_cvref_t<decltype(x[0])>;
  static_assert(sizeof(V) == vector_bytes);
  V root;
#if defined(__AVX512F__)  // the masked forms: the plain ones leave GCC 12 warning about their own source
  if constexpr (sizeof(T) == 8)
    root = std::bit_cast<V>(_mm512_mask_sqrt_pd(std::bit_cast<__m512d>(x), __mmask8(0xff), std::bit_cast<__m512d>(x)));
  else
    root = std::bit_cast<V>(_mm512_mask_sqrt_ps(std::bit_cast<__m512>(x), __mmask16(0xffff), std::bit_cast<__m512>(x)));
#elif defined(__AVX__)
  if constexpr (sizeof(T) == 8)
    root = std::bit_cast<V>(_mm256_sqrt_pd(std::bit_cast<__m256d>(x)));
  else
    root = std::bit_cast<V>(_mm256_sqrt_ps(std::bit_cast<__m256>(x)));
#elif defined(__SSE2__)
  if constexpr (sizeof(T) == 8)
    root = std::bit_cast<V>(_mm_sqrt_pd(std::bit_cast<__m128d>(x)));
  else
    root = std::bit_cast<V>(_mm_sqrt_ps(std::bit_cast<__m128>(x)));
#else
  unrolled<lanes<T>>([&](auto l) { root[l.value] = math::sqrt(x[l.value]); });
#endif
  return x < T(0) ? V{} + std::numeric_limits<T>::quiet_NaN() : root;
}
template <math::Real T>
[[gnu::always_inline]] inline T sqrt(T x) noexcept
{
  return math::sqrt(x);
}

/// out[i] = f(in[i]...) for N values, lanes<T> at a time: f is generic, so it computes the same
/// expression on vectors as on the scalars of the remainder.
template <std::size_t N, class T, class F, class... In>
[[gnu::always_inline]] inline void zip(T* out, F f, const In*... in) noexcept
{
  CTNN_SIMD_NO_CONTRACT
  using V = vec<T, lanes<T>>;
  constexpr std::size_t vectors = N - N % lanes<T>;
  for (std::size_t i = 0; i < vectors; i += lanes<T>) store(out + i, V(f(load<V>(in + i)...)));
  for (std::size_t i = vectors; i < N; ++i) out[i] = f(in[i]...);
}

/// out[i] = math::exp(in[i]).
template <std::size_t N, class T>
inline void exp_array(const T* in, T* out) noexcept
{
  if constexpr (std::is_same_v<T, float>)
    map_float<N>(
        in, out, [](auto x, auto& y) { return exp_float_lanes<sizeof(x) / sizeof(float)>(x, y); },
        [](float x) { return math::exp(x); });
  else
    map<N>(
        in, out,
        [](vd x, vd& y) {
          if (any(!(x >= m::exp_fast_min<T> && x <= m::exp_fast_max<T>))) return false;
          y = exp_common(x);
          return true;
        },
        [](T x) { return math::exp(x); });
}

/// out[i] = math::log1p(in[i]).
template <std::size_t N, class T>
inline void log1p_array(const T* in, T* out) noexcept
{
  if constexpr (std::is_same_v<T, float>)
    map_float<N>(
        in, out, [](auto x, auto& y) { return log1p_float_lanes<sizeof(x) / sizeof(float)>(x, y); },
        [](float x) { return math::log1p(x); });
  else
    map<N>(
        in, out, [](vd x, vd& y) { return log1p_lanes(x, y); }, [](T x) { return math::log1p(x); });
}

/// Calls f.template operator()<M>(at) for the blocks [at, at + M) that cover N values, M at most
/// Chunk: for temporaries on the stack that stay small and in L1 whatever N is.
template <std::size_t N, std::size_t Chunk = 256, class F>
[[gnu::always_inline]] inline void in_chunks(F f) noexcept
{
  std::size_t at = 0;
  for (; at + Chunk <= N; at += Chunk) f.template operator()<Chunk>(at);
  if constexpr (N % Chunk != 0) f.template operator()<N % Chunk>(at);
}

/// out[i] = math::tanh(in[i]).
template <std::size_t N, class T>
inline void tanh_array(const T* in, T* out) noexcept
{
  if constexpr (std::is_same_v<T, float>)
    map_float<N>(
        in, out, [](auto x, auto& y) { return tanh_float_lanes<sizeof(x) / sizeof(float)>(x, y); },
        [](float x) { return math::tanh(x); });
  else
    map<N>(in, out, tanh_lanes, [](T x) { return math::tanh(x); });
}

/// out[i] = math::sigmoid(in[i]), Sigmoid's forward (double: 1 / (1 + math::exp(-in[i]))).
template <std::size_t N, class T>
inline void sigmoid_array(const T* in, T* out) noexcept
{
  CTNN_SIMD_NO_CONTRACT
  if constexpr (std::is_same_v<T, float>) {
    map_float<N>(
        in, out, [](auto x, auto& y) { return sigmoid_float_lanes<sizeof(x) / sizeof(float)>(x, y); },
        [](float x) { return math::sigmoid(x); });
    return;
  }
  using vt = vec<T, double_lanes>;
  constexpr std::size_t vectors = N - N % double_lanes;
  std::size_t i = 0;
  for (; i < vectors; i += double_lanes) {
    const vt x = load<vt>(in + i);
    const vd minus = __builtin_convertvector(-x, vd);
    if (any(!(minus >= m::exp_fast_min<T> && minus <= m::exp_fast_max<T>))) {
      for (std::size_t l = 0; l < double_lanes; ++l) out[i + l] = T(1) / (T(1) + math::exp(-in[i + l]));
    } else {
      const vt e = __builtin_convertvector(exp_common(minus), vt);
      store(out + i, T(1) / (T(1) + e));
    }
  }
  for (; i < N; ++i) out[i] = T(1) / (T(1) + math::exp(-in[i]));
}

}  // namespace ctnn::detail::simd

#undef CTNN_SIMD_NO_CONTRACT
#if defined(CTNN_SIMD_GCC_NO_CONTRACT)
#undef CTNN_SIMD_GCC_NO_CONTRACT
#pragma GCC pop_options
#endif
