#pragma once
// Sound arithmetic for ctnn/bounds.hpp. The constant evaluator cannot switch the rounding mode, so
// outward rounding is done by hand: a round-to-nearest result lies within half an ulp of the exact
// one (or half the smallest subnormal), so the next float up is >= the exact value and the next one
// down <=. A dot product is instead computed once to nearest and widened by the standard bound for
// n products and n additions in any order: |error| <= gamma_{n+1} sum |a_i b_i| + (n + 1) * subnormal,
// gamma_k = k u / (1 - k u), u = epsilon / 2 (Higham, Accuracy and Stability, 3.1; the subnormal
// term covers underflowing products; the order does not matter, so the runtime kernels' order is
// covered too).

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "ctnn/math.hpp"

namespace ctnn::detail::interval {

template <class T>
using bits_of = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

template <class T>
inline constexpr T infinity = std::numeric_limits<T>::infinity();
template <class T>
inline constexpr T tiny = std::numeric_limits<T>::denorm_min();
/// The unit roundoff u: half the distance from 1 to the next float.
template <class T>
inline constexpr T unit_roundoff = std::numeric_limits<T>::epsilon() / 2;

/// The smallest float above x (x itself for +inf and NaN).
template <class T>
constexpr T next_up(T x) noexcept
{
  if (x != x || x == infinity<T>) return x;
  if (x == T(0)) return tiny<T>;
  auto bits = std::bit_cast<bits_of<T>>(x);
  bits = x > T(0) ? bits + 1 : bits - 1;
  return std::bit_cast<T>(bits);
}

/// The largest float below x.
template <class T>
constexpr T next_down(T x) noexcept
{
  return -next_up(-x);
}

template <class T>
constexpr T add_up(T a, T b) noexcept
{
  return next_up(a + b);
}
template <class T>
constexpr T add_down(T a, T b) noexcept
{
  return next_down(a + b);
}
template <class T>
constexpr T sub_up(T a, T b) noexcept
{
  return next_up(a - b);
}
template <class T>
constexpr T sub_down(T a, T b) noexcept
{
  return next_down(a - b);
}
template <class T>
constexpr T mul_up(T a, T b) noexcept
{
  return next_up(a * b);
}
template <class T>
constexpr T mul_down(T a, T b) noexcept
{
  return next_down(a * b);
}
template <class T>
constexpr T div_up(T a, T b) noexcept
{
  return next_up(a / b);
}
template <class T>
constexpr T div_down(T a, T b) noexcept
{
  return next_down(a / b);
}

template <class T>
constexpr T magnitude(T x) noexcept
{
  return x < T(0) ? -x : x;
}
template <class T>
constexpr T larger(T a, T b) noexcept
{
  return a < b ? b : a;
}
template <class T>
constexpr T smaller(T a, T b) noexcept
{
  return b < a ? b : a;
}

/// A float >= gamma_{n+1} (1 + gamma_{n+1}): the relative error of an n-term dot product plus a bias,
/// and of the sum of its magnitudes that the bound is computed from. (n + 1) u 1.25 covers both
/// while (n + 1) u <= 1/16 (checked by the callers' static_assert on the layer sizes).
template <class T>
constexpr T dot_error_coefficient(std::size_t n) noexcept
{
  return static_cast<T>(n + 1) * unit_roundoff<T> * T(1.25);
}

/// True when dot_error_coefficient's bound holds for n terms.
template <class T>
inline constexpr bool dot_size_ok(std::size_t n) noexcept
{
  return static_cast<double>(n + 1) * static_cast<double>(unit_roundoff<T>) <= 1.0 / 16;
}

/// A sound upper bound of the rounding error of a dot product of n terms whose magnitudes sum (to
/// nearest) to absolute_sum.
template <class T>
constexpr T dot_error(std::size_t n, T absolute_sum) noexcept
{
  return add_up(mul_up(dot_error_coefficient<T>(n), absolute_sum), static_cast<T>(2 * (n + 1)) * tiny<T>);
}

/// value - (a sound bound on the error of value) rounded down: a lower bound of the exact quantity
/// value approximates. NaN (from inf - inf) becomes -inf: nothing is known.
template <class T>
constexpr T lower_of(T value, T error) noexcept
{
  const T result = sub_down(value, error);
  return result != result ? -infinity<T> : result;
}
template <class T>
constexpr T upper_of(T value, T error) noexcept
{
  const T result = add_up(value, error);
  return result != result ? infinity<T> : result;
}

/// v widened down by `ulps` units of roundoff relative to |v| plus a few subnormals: for a function
/// implemented within a relative error below ulps/4 of an exact monotone one (see bounds.hpp).
template <class T>
constexpr T widen_down(T v, int ulps) noexcept
{
  if (v != v) return -infinity<T>;
  return sub_down(v, add_up(mul_up(magnitude(v), static_cast<T>(ulps) * unit_roundoff<T>), T(4) * tiny<T>));
}
template <class T>
constexpr T widen_up(T v, int ulps) noexcept
{
  if (v != v) return infinity<T>;
  return add_up(v, add_up(mul_up(magnitude(v), static_cast<T>(ulps) * unit_roundoff<T>), T(4) * tiny<T>));
}

}  // namespace ctnn::detail::interval
