#pragma once
// Loss functions: value(y, target) for reporting, gradient(y, target) = dL/dy for backward.

#include <cstddef>
#include <string_view>

#include "ctnn/math.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// The tutorial's loss: L = sum((y - Y)^2) / 2 (summed, not averaged), dL/dy = y - Y.
struct MeanSquaredError {
  static constexpr std::string_view name = "mean_squared_error";

  template <math::Real T, std::size_t N>
  static constexpr T value(const Vector<T, N>& y, const Vector<T, N>& target) noexcept
  {
    // Same order as np.sum((y - Y) ** 2 / 2): square, halve, then sum.
    T sum = T(0);
    for (std::size_t i = 0; i < N; ++i) {
      const T d = y.values[i] - target.values[i];
      sum += d * d / T(2);
    }
    return sum;
  }

  /// The loss, with dL/dy written to gradient, in one pass.
  template <math::Real T, std::size_t N>
  static constexpr T value_and_gradient(const Vector<T, N>& y, const Vector<T, N>& target,
                                        Vector<T, N>& gradient) noexcept
  {
    T sum = T(0);
    for (std::size_t i = 0; i < N; ++i) {
      const T d = y.values[i] - target.values[i];
      gradient.values[i] = d;
      sum += d * d / T(2);
    }
    return sum;
  }

  template <math::Real T, std::size_t N>
  static constexpr Vector<T, N> gradient(const Vector<T, N>& y, const Vector<T, N>& target) noexcept
  {
    Vector<T, N> d{};
    for (std::size_t i = 0; i < N; ++i) d.values[i] = y.values[i] - target.values[i];
    return d;
  }
};

}  // namespace ctnn
