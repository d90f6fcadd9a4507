#pragma once
// Activation policies work on a whole layer's pre-activations at once:
//   forward(h, y)          y = f(h)
//   backward(h, y, dy, dh) dh = J_f(h)^T dy, the vector-Jacobian product
// For element-wise f that is dh = f'(h) * dy (the tutorial's deriv_activate_func(h) * grads); an
// activation that mixes units (Softmax) fits the same interface. One call per layer, not per
// unit, because every call costs the constant evaluator more than the arithmetic inside it.

#include <concepts>
#include <cstddef>
#include <string_view>

#include "ctnn/math.hpp"

namespace ctnn {

/// What Dense needs from an activation over N units of scalar T.
template <class A, class T, std::size_t N = 1>
concept Activation = requires(const T (&h)[N], const T (&y)[N], const T (&dy)[N], T (&out)[N])
{
  {
    A::name
    } -> std::convertible_to<std::string_view>;
  A::forward(h, out);
  A::backward(h, y, dy, out);
};

/// f(h) = h
struct Identity {
  static constexpr std::string_view name = "linear";

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

/// f(h) = 1 / (1 + e^-h); f'(h) = y (1 - y), the tutorial's sigmoid(h) (1 - sigmoid(h)).
struct Sigmoid {
  static constexpr std::string_view name = "sigmoid";

  template <math::Real T, std::size_t N>
  static constexpr void forward(const T (&h)[N], T (&y)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) y[i] = T(1) / (T(1) + math::exp(-h[i]));
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

}  // namespace ctnn
