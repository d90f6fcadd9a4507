#pragma once
// Optimizers update one parameter tensor (a flat array) at a time from its gradient and a state of
// the optimizer's own type, which the training loop keeps beside each layer.

#include <cstddef>

#include "ctnn/detail/errors.hpp"
#include "ctnn/math.hpp"

namespace ctnn {

/// Plain stochastic gradient descent, the tutorial's update: p -= learning_rate * dp.
template <math::Real T = double>
struct SGD {
  T learning_rate;

  /// The step is exactly p -= learning_rate * g, so layers may fuse it into their backward pass.
  static constexpr bool plain_gradient_step = true;

  /// SGD keeps nothing between steps.
  template <class Scalar, std::size_t N>
  struct state {
  };

  /// Rejects a learning rate that is not positive and finite (fit calls this once).
  constexpr void validate() const
  {
    if (!(learning_rate > T(0)) || !math::isfinite(learning_rate))
      detail::ctnn_error_learning_rate_must_be_positive_and_finite();
  }

  template <std::size_t N>
  constexpr void update(T (&parameters)[N], const T (&gradient)[N], state<T, N>&) const noexcept
  {
    for (std::size_t i = 0; i < N; ++i) parameters[i] -= learning_rate * gradient[i];
  }
};

SGD(double)->SGD<double>;
SGD(float)->SGD<float>;

}  // namespace ctnn
