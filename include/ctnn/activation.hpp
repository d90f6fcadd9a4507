#pragma once
// Activation policies work on a whole layer's pre-activations at once:
//   forward(h, y)          y = f(h)
//   backward(h, y, dy, dh) dh = J_f(h)^T dy, the vector-Jacobian product
// For element-wise f that is dh = f'(h) * dy (the tutorial's deriv_activate_func(h) * grads); an
// activation that mixes units (Softmax) fits the same interface. One call per layer, not per
// unit, because every call costs the constant evaluator more than the arithmetic inside it.
// name is one word of printable ASCII: model files store it and compare it on load.
// forward_elementwise<N>(h, y) (element-wise activations) and forward_runtime<N>(h, y) (Softmax) are
// the runtime forms Dense calls: detail/simd_math.hpp's layer-wide functions, which give each value
// forward()'s bits, several values per instruction; backward_elementwise<N>(h, y, dy, dh) likewise
// gives backward()'s bits (element-wise activations; runtime only). forward() and backward() stay
// the plain loops: a test for constant evaluation in them would cost the compile-time proofs one per
// call.

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <ratio>
#include <string_view>

#include "ctnn/detail/simd_math.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/math.hpp"

namespace ctnn {

/// What Dense needs from an activation over N units of scalar T.
template <class A, class T, std::size_t N = 1>
concept Activation = requires(const T (&h)[N], const T (&y)[N], const T (&dy)[N], T (&out)[N]) {
  {
    A::name
  } -> std::convertible_to<std::string_view>;
  A::forward(h, out);
  A::backward(h, y, dy, out);
};

namespace detail {
// Activation's requirements one by one, in order, so that a custom activation that misses one gets
// one error naming it (diagnostic.hpp; docs/extending.md).
template <class A, class T, std::size_t N>
using activation_checks = diagnostic::in_order<
    diagnostic::activation_needs_name<A,
                                      requires {
                                        {
                                          A::name
                                        } -> std::convertible_to<std::string_view>;
                                      }>,
    diagnostic::activation_needs_forward<A, requires(const T (&h)[N], T (&out)[N]) { A::forward(h, out); }>,
    diagnostic::activation_needs_backward<A, requires(const T (&h)[N], const T (&y)[N], const T (&dy)[N], T (&out)[N]) {
      A::backward(h, y, dy, out);
    }>>;
}  // namespace detail

/// f(h) = h
struct Identity {
  static constexpr std::string_view name = "linear";

  /// Runtime forward over N values stored anywhere (batch inference's unit-major blocks).
  template <std::size_t N, math::Real T>
  static void forward_elementwise(const T* h, T* y) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) y[i] = h[i];
  }
  /// Runtime backward over N values: backward()'s bits (here dh = dy).
  template <std::size_t N, math::Real T>
  static void backward_elementwise(const T*, const T*, const T* dy, T* dh) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) dh[i] = dy[i];
  }

  template <math::Real T, std::size_t N>
  static constexpr void forward(const T (&h)[N], T (&y)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) y[i] = h[i];
  }
  template <math::Real T, std::size_t N>
  static constexpr void backward(const T (&)[N], const T (&)[N], const T (&dy)[N], T (&dh)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) dh[i] = dy[i];
  }
};

/// f(h) = 1 / (1 + e^-h) (math::sigmoid: for float in float arithmetic, within 0.6 ulp); f'(h) = y (1 - y),
/// the tutorial's sigmoid(h) (1 - sigmoid(h)).
struct Sigmoid {
  static constexpr std::string_view name = "sigmoid";

  template <std::size_t N, math::Real T>
  static void forward_elementwise(const T* h, T* y) noexcept
  {
    detail::simd::sigmoid_array<N>(h, y);
  }
  template <std::size_t N, math::Real T>
  static void backward_elementwise(const T*, const T* y, const T* dy, T* dh) noexcept
  {
    detail::simd::zip<N>(
        dh, [](auto yi, auto di) { return yi * (T(1) - yi) * di; }, y, dy);
  }

  template <math::Real T, std::size_t N>
  static constexpr void forward(const T (&h)[N], T (&y)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) y[i] = math::sigmoid(h[i]);
  }
  template <math::Real T, std::size_t N>
  static constexpr void backward(const T (&)[N], const T (&y)[N], const T (&dy)[N], T (&dh)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) dh[i] = y[i] * (T(1) - y[i]) * dy[i];
  }
};

/// f(h) = tanh(h); f'(h) = 1 - y^2.
struct Tanh {
  static constexpr std::string_view name = "tanh";

  template <std::size_t N, math::Real T>
  static void forward_elementwise(const T* h, T* y) noexcept
  {
    detail::simd::tanh_array<N>(h, y);
  }
  template <std::size_t N, math::Real T>
  static void backward_elementwise(const T*, const T* y, const T* dy, T* dh) noexcept
  {
    detail::simd::zip<N>(
        dh, [](auto yi, auto di) { return (T(1) - yi * yi) * di; }, y, dy);
  }

  template <math::Real T, std::size_t N>
  static constexpr void forward(const T (&h)[N], T (&y)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) y[i] = math::tanh(h[i]);
  }
  template <math::Real T, std::size_t N>
  static constexpr void backward(const T (&)[N], const T (&y)[N], const T (&dy)[N], T (&dh)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) dh[i] = (T(1) - y[i] * y[i]) * dy[i];
  }
};

/// f(h) = max(0, h); f'(0) is taken as 0. A NaN input stays NaN.
struct ReLU {
  static constexpr std::string_view name = "relu";

  template <std::size_t N, math::Real T>
  static void forward_elementwise(const T* h, T* y) noexcept
  {
    detail::simd::zip<N>(
        y, [](auto hi) { return hi < T(0) ? decltype(hi){} : hi; }, h);
  }
  template <std::size_t N, math::Real T>
  static void backward_elementwise(const T* h, const T*, const T* dy, T* dh) noexcept
  {
    detail::simd::zip<N>(
        dh, [](auto hi, auto di) { return hi > T(0) ? di : decltype(di){}; }, h, dy);
  }

  template <math::Real T, std::size_t N>
  static constexpr void forward(const T (&h)[N], T (&y)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) y[i] = h[i] < T(0) ? T(0) : h[i];
  }
  template <math::Real T, std::size_t N>
  static constexpr void backward(const T (&h)[N], const T (&)[N], const T (&dy)[N], T (&dh)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) dh[i] = h[i] > T(0) ? dy[i] : T(0);
  }
};

namespace detail {

template <class R>
struct ratio_parts {  // not a std::ratio: LeakyReLU's static_assert says so; 0/1 keeps the rest quiet
  static constexpr bool is_ratio = false;
  static constexpr std::intmax_t num = 0;
  static constexpr std::intmax_t den = 1;
};
template <std::intmax_t Num, std::intmax_t Den>
struct ratio_parts<std::ratio<Num, Den>> {
  static constexpr bool is_ratio = true;
  static constexpr std::intmax_t num = std::ratio<Num, Den>::num;  // reduced, den > 0
  static constexpr std::intmax_t den = std::ratio<Num, Den>::den;
};

// Decimal digits of |v|, with a '-' for a negative v (intmax_t's minimum is outside std::ratio's range).
constexpr std::size_t decimal_width(std::intmax_t v) noexcept
{
  std::size_t width = v < 0 ? 2 : 1;
  for (std::uintmax_t rest = static_cast<std::uintmax_t>(v < 0 ? -v : v); rest >= 10; rest /= 10) ++width;
  return width;
}

// Writes v in decimal at out[at...] and returns the position after it.
template <std::size_t Size>
constexpr std::size_t write_decimal(std::array<char, Size>& out, std::size_t at, std::intmax_t v) noexcept
{
  if (v < 0) out[at++] = '-';
  const std::size_t end = at + decimal_width(v < 0 ? -v : v);
  std::uintmax_t rest = static_cast<std::uintmax_t>(v < 0 ? -v : v);
  for (std::size_t i = end; i > at; rest /= 10) out[--i] = static_cast<char>('0' + rest % 10);
  return end;
}

// "leaky_relu(num/den)" built at compile time, so that each slope has its own model-file name.
template <std::intmax_t Num, std::intmax_t Den>
struct leaky_relu_name {
  static constexpr std::string_view prefix = "leaky_relu(";
  static constexpr std::size_t size = prefix.size() + decimal_width(Num) + 1 + decimal_width(Den) + 1;
  static constexpr std::array<char, size> text = [] {
    std::array<char, size> out{};
    std::size_t at = 0;
    for (char c : prefix) out[at++] = c;
    at = write_decimal(out, at, Num);
    out[at++] = '/';
    at = write_decimal(out, at, Den);
    out[at] = ')';
    return out;
  }();
  static constexpr std::string_view view{text.data(), size};
};

}  // namespace detail

/// f(h) = h for h > 0, else slope * h, with the slope a std::ratio (Clang 16 has no floating-point
/// template arguments) in [0, 1), computed as T(num) / T(den). f'(0) is taken as the slope. The name
/// is the reduced ratio, "leaky_relu(1/100)" by default, so a model file records the slope.
template <class Slope = std::ratio<1, 100>>
struct LeakyReLU {
  static_assert(detail::ratio_parts<Slope>::is_ratio,
                "ctnn: LeakyReLU's slope must be a std::ratio, such as std::ratio<1, 100>");
  static_assert(detail::ratio_parts<Slope>::num >= 0 &&
                    detail::ratio_parts<Slope>::num < detail::ratio_parts<Slope>::den,
                "ctnn: LeakyReLU's slope must be at least 0 and below 1");

  static constexpr std::string_view name =
      detail::leaky_relu_name<detail::ratio_parts<Slope>::num, detail::ratio_parts<Slope>::den>::view;

  template <math::Real T>
  static constexpr T slope() noexcept
  {
    return static_cast<T>(detail::ratio_parts<Slope>::num) / static_cast<T>(detail::ratio_parts<Slope>::den);
  }

  template <std::size_t N, math::Real T>
  static void forward_elementwise(const T* h, T* y) noexcept
  {
    const T a = slope<T>();
    detail::simd::zip<N>(
        y, [a](auto hi) { return hi > T(0) ? hi : a * hi; }, h);
  }
  template <std::size_t N, math::Real T>
  static void backward_elementwise(const T* h, const T*, const T* dy, T* dh) noexcept
  {
    const T a = slope<T>();
    detail::simd::zip<N>(
        dh, [a](auto hi, auto di) { return hi > T(0) ? di : a * di; }, h, dy);
  }
  template <math::Real T, std::size_t N>
  static constexpr void forward(const T (&h)[N], T (&y)[N]) noexcept
  {
    const T a = slope<T>();
    for (std::size_t i = 0; i < N; ++i) y[i] = h[i] > T(0) ? h[i] : a * h[i];
  }
  template <math::Real T, std::size_t N>
  static constexpr void backward(const T (&h)[N], const T (&)[N], const T (&dy)[N], T (&dh)[N]) noexcept
  {
    const T a = slope<T>();
    for (std::size_t i = 0; i < N; ++i) dh[i] = h[i] > T(0) ? dy[i] : a * dy[i];
  }
};

/// f(h) = log(1 + e^h), computed as max(h, 0) + log1p(e^-|h|) so that no e^h overflows;
/// f'(h) = sigmoid(h), computed from e^-|h| as well.
struct Softplus {
  static constexpr std::string_view name = "softplus";

  /// e[i] = math::exp(-|h[i]|) for M values (a NaN stays NaN).
  template <std::size_t M, math::Real T>
  static void minus_magnitude_exp(const T* h, T* e) noexcept
  {
    detail::simd::zip<M>(
        e, [](auto hi) { return hi < T(0) ? hi : -hi; }, h);
    detail::simd::exp_array<M>(e, e);
  }

  template <math::Real T>
  static constexpr T value(T h) noexcept
  {
    const T magnitude = h < T(0) ? -h : h;  // NaN stays NaN and so does y
    return (h > T(0) ? h : T(0)) + math::log1p(math::exp(-magnitude));
  }
  // The runtime forms: e^-|h| for a block of values into a temporary, then log1p or the sigmoid, each
  // step lanes at a time with the scalar expression's bits.
  template <std::size_t N, math::Real T>
  static void forward_elementwise(const T* h, T* y) noexcept
  {
    detail::simd::in_chunks<N>([&]<std::size_t M>(std::size_t at) {
      T e[M];
      minus_magnitude_exp<M>(h + at, e);
      detail::simd::log1p_array<M>(e, e);
      detail::simd::zip<M>(
          y + at, [](auto hi, auto li) { return (hi > T(0) ? hi : decltype(hi){}) + li; }, h + at, e);
    });
  }
  template <std::size_t N, math::Real T>
  static void backward_elementwise(const T* h, const T*, const T* dy, T* dh) noexcept
  {
    detail::simd::in_chunks<N>([&]<std::size_t M>(std::size_t at) {
      T e[M];
      minus_magnitude_exp<M>(h + at, e);
      detail::simd::zip<M>(
          dh + at,
          [](auto hi, auto ei, auto di) {
            const auto one_plus = T(1) + ei;
            return (hi >= T(0) ? T(1) / one_plus : ei / one_plus) * di;
          },
          h + at, e, dy + at);
    });
  }
  template <math::Real T, std::size_t N>
  static constexpr void forward(const T (&h)[N], T (&y)[N]) noexcept
  {
    // Written out rather than through value(): a call per unit costs the constant evaluator.
    for (std::size_t i = 0; i < N; ++i) {
      const T magnitude = h[i] < T(0) ? -h[i] : h[i];
      y[i] = (h[i] > T(0) ? h[i] : T(0)) + math::log1p(math::exp(-magnitude));
    }
  }
  template <math::Real T, std::size_t N>
  static constexpr void backward(const T (&h)[N], const T (&)[N], const T (&dy)[N], T (&dh)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) {
      // sigmoid(h) = 1 / (1 + e^-h) for h >= 0 and e^h / (1 + e^h) below: e^-|h| never overflows.
      const T magnitude = h[i] < T(0) ? -h[i] : h[i];
      const T e = math::exp(-magnitude);
      const T sigmoid = h[i] >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
      dh[i] = sigmoid * dy[i];
    }
  }
};

/// y_i = e^(h_i - max h) / sum_j e^(h_j - max h): shifting by the maximum keeps every e^x <= 1 and
/// the sum >= 1, so nothing overflows. Backward: dh_i = y_i (dy_i - sum_j y_j dy_j), which is
/// J^T dy for the Jacobian J = diag(y) - y y^T without forming J.
struct Softmax {
  static constexpr std::string_view name = "softmax";

  /// forward() at runtime: the same operations, the exponentials and the division lanes at a time
  /// (the maximum and the sum stay in order).
  template <std::size_t N, math::Real T>
  static void forward_runtime(const T* h, T* y) noexcept
  {
    T largest = h[0];
    for (std::size_t i = 1; i < N; ++i)
      if (h[i] > largest) largest = h[i];
    detail::simd::zip<N>(
        y, [largest](auto hi) { return hi - largest; }, h);
    detail::simd::exp_array<N>(y, y);
    T sum = T(0);
    for (std::size_t i = 0; i < N; ++i) sum += y[i];
    detail::simd::zip<N>(
        y, [sum](auto yi) { return yi / sum; }, y);
  }

  template <math::Real T, std::size_t N>
  static constexpr void forward(const T (&h)[N], T (&y)[N]) noexcept
  {
    T largest = h[0];
    for (std::size_t i = 1; i < N; ++i)
      if (h[i] > largest) largest = h[i];
    T sum = T(0);
    for (std::size_t i = 0; i < N; ++i) {
      y[i] = math::exp(h[i] - largest);
      sum += y[i];
    }
    for (std::size_t i = 0; i < N; ++i) y[i] /= sum;
  }
  template <math::Real T, std::size_t N>
  static constexpr void backward(const T (&)[N], const T (&y)[N], const T (&dy)[N], T (&dh)[N]) noexcept
  {
    T weighted = T(0);
    for (std::size_t i = 0; i < N; ++i) weighted += y[i] * dy[i];
    for (std::size_t i = 0; i < N; ++i) dh[i] = y[i] * (dy[i] - weighted);
  }
};

}  // namespace ctnn
