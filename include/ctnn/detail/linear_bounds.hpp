#pragma once
// Sound transformers of ctnn's activations for ctnn/bounds.hpp: for pre-activations h in [l, u] (floats),
// an interval that holds every value ctnn's own forward() computes, and for element-wise activations
// two lines, lower_slope h + lower_offset <= f(h) <= upper_slope h + upper_offset for every float h in
// [l, u] (real-number comparison of the lines with what the float code returns).
//
// Identity, ReLU, LeakyReLU: the float code is monotone (rounding to nearest is), so f(l) and f(u)
// computed by the same expression are the exact bounds. Sigmoid, Tanh, Softplus: the exact functions
// are monotone and ctnn's implementations are within a few units of roundoff of them
// (docs/numerics.md: exp, log1p and tanh < 1 ulp, i.e. < 2u relative; sigmoid adds an addition and a
// division, softplus an addition: below 5u in all), so f(l) and f(u) widened by 16u relative (plus a
// few subnormals) enclose every f(h) for h in [l, u]; tests/unit/bounds_test.cpp checks that the
// implementations' non-monotone steps stay inside that widening. Their lines are flat (the interval);
// tangent lines would be tighter, but would need proven error bounds of the implementations' slopes.
// Softmax mixes units: an interval from the exact function's monotonicity in each input, widened for
// the implementation's rounding (see softmax_interval), and no lines (back-substitution stops there).

#include <cstddef>
#include <ratio>
#include <type_traits>

#include "ctnn/activation.hpp"
#include "ctnn/detail/interval.hpp"
#include "ctnn/math.hpp"

namespace ctnn {

/// Two lines around an element-wise activation over an interval of its input (see above).
template <class T>
struct Relaxation {
  T lower_slope{};
  T lower_offset{};
  T upper_slope{};
  T upper_offset{};
};

/// How bounds.hpp bounds an activation. Specialise it for your own activation with: elementwise,
/// interval(lo, hi, out_lo, out_hi) over N units, and for element-wise ones relax(l, u, out_l, out_u)
/// returning a Relaxation and wants_tight(l, u) (whether tighter input bounds would help). The
/// primary template marks an activation ctnn cannot bound (bounds.hpp's static_assert names it).
template <class A>
struct activation_bounds {
  static constexpr bool known = false;
};

namespace detail::bounds {

namespace iv = detail::interval;

// The flat relaxation [out_l, out_u].
template <class T>
constexpr Relaxation<T> flat(T out_l, T out_u) noexcept
{
  return {T(0), out_l, T(0), out_u};
}

// Monotone functions whose implementation is accurate to a few u: f(l) and f(u) widened.
template <class F, class T, std::size_t N>
constexpr void widened_monotone(F f, const T (&lo)[N], const T (&hi)[N], T (&out_lo)[N], T (&out_hi)[N], T floor,
                                T ceiling) noexcept
{
  constexpr int ulps = 16;
  for (std::size_t i = 0; i < N; ++i) {
    out_lo[i] = iv::larger(iv::widen_down(f(lo[i]), ulps), floor);
    out_hi[i] = iv::smaller(iv::widen_up(f(hi[i]), ulps), ceiling);
  }
}

}  // namespace detail::bounds

template <>
struct activation_bounds<Identity> {
  static constexpr bool known = true;
  static constexpr bool elementwise = true;
  template <class T, std::size_t N>
  static constexpr void interval(const T (&lo)[N], const T (&hi)[N], T (&out_lo)[N], T (&out_hi)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) out_lo[i] = lo[i], out_hi[i] = hi[i];
  }
  template <class T>
  static constexpr Relaxation<T> relax(T, T, T, T) noexcept
  {
    return {T(1), T(0), T(1), T(0)};
  }
  template <class T>
  static constexpr bool wants_tight(T, T) noexcept
  {
    return true;
  }
};

// ReLU and LeakyReLU: f(h) = h above 0, fl(a h) below (a = 0 for ReLU; a h is exact then).
namespace detail::bounds {
template <class T>
constexpr T leaky(T h, T a) noexcept
{
  return h > T(0) ? h : a * h;
}

// The lines of max(h, a h) (+ rounding of a h) on [l, u], l < 0 < u (CROWN's choice of the lower line:
// h when u >= -l, else a h; the upper line is the chord).
template <class T>
constexpr Relaxation<T> leaky_relax(T l, T u, T a) noexcept
{
  namespace iv = detail::interval;
  // |fl(a h) - a h| <= u |a h| + subnormal/2 for h in [l, 0]: added to every offset.
  const T rounding = a == T(0) ? T(0) : iv::add_up(iv::mul_up(iv::mul_up(a, -l), iv::unit_roundoff<T>), iv::tiny<T>);
  if (l >= T(0)) return {T(1), T(0), T(1), T(0)};
  if (u <= T(0)) return {a, -rounding, a, rounding};
  // chord slope s >= (u - a l) / (u - l); offset t >= (s - a)(-l): the line is >= a l at l and >= u at u.
  const T s = iv::div_up(iv::sub_up(u, iv::mul_down(a, l)), iv::sub_down(u, l));
  const T t = iv::add_up(iv::mul_up(iv::sub_up(s, a), -l), rounding);
  const T lower_slope = u >= -l ? T(1) : a;
  return {lower_slope, -rounding, s, t};
}
}  // namespace detail::bounds

template <>
struct activation_bounds<ReLU> {
  static constexpr bool known = true;
  static constexpr bool elementwise = true;
  template <class T, std::size_t N>
  static constexpr void interval(const T (&lo)[N], const T (&hi)[N], T (&out_lo)[N], T (&out_hi)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) {
      out_lo[i] = lo[i] < T(0) ? T(0) : lo[i];
      out_hi[i] = hi[i] < T(0) ? T(0) : hi[i];
    }
  }
  template <class T>
  static constexpr Relaxation<T> relax(T l, T u, T, T) noexcept
  {
    return detail::bounds::leaky_relax(l, u, T(0));
  }
  template <class T>
  static constexpr bool wants_tight(T l, T u) noexcept
  {
    return l < T(0) && u > T(0);
  }
};

template <class Slope>
struct activation_bounds<LeakyReLU<Slope>> {
  static constexpr bool known = true;
  static constexpr bool elementwise = true;
  template <class T, std::size_t N>
  static constexpr void interval(const T (&lo)[N], const T (&hi)[N], T (&out_lo)[N], T (&out_hi)[N]) noexcept
  {
    const T a = LeakyReLU<Slope>::template slope<T>();
    for (std::size_t i = 0; i < N; ++i) {
      out_lo[i] = detail::bounds::leaky(lo[i], a);
      out_hi[i] = detail::bounds::leaky(hi[i], a);
    }
  }
  template <class T>
  static constexpr Relaxation<T> relax(T l, T u, T, T) noexcept
  {
    return detail::bounds::leaky_relax(l, u, LeakyReLU<Slope>::template slope<T>());
  }
  template <class T>
  static constexpr bool wants_tight(T l, T u) noexcept
  {
    return l < T(0) && u > T(0);
  }
};

// The smooth activations: monotone, flat lines.
template <class A>
struct smooth_activation_bounds {
  static constexpr bool known = true;
  static constexpr bool elementwise = true;
  template <class T>
  static constexpr Relaxation<T> relax(T, T, T out_l, T out_u) noexcept
  {
    return detail::bounds::flat(out_l, out_u);
  }
  template <class T>
  static constexpr bool wants_tight(T, T) noexcept
  {
    return true;
  }
};

template <>
struct activation_bounds<Sigmoid> : smooth_activation_bounds<Sigmoid> {
  template <class T, std::size_t N>
  static constexpr void interval(const T (&lo)[N], const T (&hi)[N], T (&out_lo)[N], T (&out_hi)[N]) noexcept
  {
    detail::bounds::widened_monotone([](T h) { return math::sigmoid(h); }, lo, hi, out_lo, out_hi, T(0), T(1));
  }
};

template <>
struct activation_bounds<Tanh> : smooth_activation_bounds<Tanh> {
  template <class T, std::size_t N>
  static constexpr void interval(const T (&lo)[N], const T (&hi)[N], T (&out_lo)[N], T (&out_hi)[N]) noexcept
  {
    detail::bounds::widened_monotone([](T h) { return math::tanh(h); }, lo, hi, out_lo, out_hi, T(-1), T(1));
  }
};

template <>
struct activation_bounds<Softplus> : smooth_activation_bounds<Softplus> {
  template <class T, std::size_t N>
  static constexpr void interval(const T (&lo)[N], const T (&hi)[N], T (&out_lo)[N], T (&out_hi)[N]) noexcept
  {
    detail::bounds::widened_monotone([](T h) { return Softplus::value(h); }, lo, hi, out_lo, out_hi, T(0),
                                     detail::interval::infinity<T>);
  }
};

template <>
struct activation_bounds<Softmax> {
  static constexpr bool known = true;
  static constexpr bool elementwise = false;
  // y_i = 1 / (1 + sum_{j != i} e^(h_j - h_i)) is decreasing in each h_j and increasing in h_i, so
  // the exact softmax of any h in the box is >= the formula at h_j = hi_j, h_i = lo_i (computed with
  // the differences rounded up and e^x widened by 4u up, so the computed value is <= the exact
  // formula), and <= the other corner. The float softmax ctnn computes is within a relative error of
  // (2 N + 8) u + u * (largest difference of inputs) of the exact one (the rounding of h_i - max
  // scales e^x by up to e^(u |h_i - max|), each exp and the sum and the division add a few u): that
  // widening, doubled, is applied; beyond 1/4 the bounds are [0, 1].
  template <class T, std::size_t N>
  static constexpr void interval(const T (&lo)[N], const T (&hi)[N], T (&out_lo)[N], T (&out_hi)[N]) noexcept
  {
    namespace iv = detail::interval;
    T largest = hi[0], smallest = lo[0];
    for (std::size_t i = 1; i < N; ++i) largest = iv::larger(largest, hi[i]), smallest = iv::smaller(smallest, lo[i]);
    const T spread = iv::sub_up(largest, smallest);
    const T relative = iv::mul_up(iv::add_up(T(4 * N + 16), iv::mul_up(T(2), spread)), iv::unit_roundoff<T>);
    const bool hopeless = !(relative < T(0.25));
    const T exp_widening = T(1) + T(8) * iv::unit_roundoff<T>;
    for (std::size_t i = 0; i < N; ++i) {
      T sum_low = T(1), sum_high = T(1);  // 1 + sum of e^(h_j - h_i): largest and smallest
      for (std::size_t j = 0; j < N; ++j) {
        if (j == i) continue;
        sum_low = iv::add_up(sum_low, iv::mul_up(math::exp(iv::sub_up(hi[j], lo[i])), exp_widening));
        sum_high = iv::add_down(sum_high, iv::mul_down(math::exp(iv::sub_down(lo[j], hi[i])), T(1) / exp_widening));
      }
      T low = sum_low != sum_low ? T(0) : iv::div_down(T(1), sum_low);
      T high = sum_high != sum_high ? T(1) : iv::div_up(T(1), iv::larger(sum_high, T(1)));
      low = hopeless ? T(0) : iv::sub_down(low, iv::add_up(iv::mul_up(low, relative), T(4 * N) * iv::tiny<T>));
      high = hopeless ? T(1) : iv::add_up(high, iv::add_up(iv::mul_up(high, relative), T(4 * N) * iv::tiny<T>));
      out_lo[i] = iv::larger(low, T(0));
      out_hi[i] = iv::smaller(high, T(1));
    }
  }
};

}  // namespace ctnn
