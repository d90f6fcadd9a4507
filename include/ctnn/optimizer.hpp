#pragma once
// Optimizers update one parameter tensor (a flat array) at a time from its gradient and a state of
// the optimizer's own type, which the training loop keeps beside each layer: SGD, Momentum, Adam.
// Each is an aggregate, so designated initialisers work: Adam<double>{.learning_rate = 0.01}.

#include <concepts>
#include <cstddef>

#include "ctnn/detail/errors.hpp"
#include "ctnn/detail/simd_math.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/math.hpp"

namespace ctnn {

namespace detail {
// Default hyper-parameters as constants of the scalar type. A default member initialiser T(0.001)
// would leave GCC 12 with an unfolded (float)1.0e-3 that its constant evaluator cannot compare;
// a constexpr variable is folded where it is defined.
template <class T>
inline constexpr T default_learning_rate = T(0.001);
template <class T>
inline constexpr T default_momentum = T(0.9);
template <class T>
inline constexpr T default_beta1 = T(0.9);
template <class T>
inline constexpr T default_beta2 = T(0.999);
template <class T>
inline constexpr T default_epsilon = T(1e-8);
}  // namespace detail

/// Plain stochastic gradient descent, the tutorial's update: p -= learning_rate * dp.
template <math::Real T = double>
struct SGD {
  T learning_rate;

  /// The step is exactly p -= learning_rate * g, so layers may fuse it into their backward pass.
  static constexpr bool plain_gradient_step = true;

  /// SGD keeps nothing between steps.
  template <class Scalar, std::size_t N>
  struct state {};

  /// Rejects a learning rate that is not positive and finite (fit calls this once).
  constexpr void validate() const
  {
    if (!(learning_rate > T(0)) || !math::isfinite(learning_rate))
      detail::ctnn_error_learning_rate_must_be_positive_and_finite("SGD", learning_rate);
  }

  /// Scalar is the layer's: hyper-parameters are converted to it once, so SGD{0.1} trains float
  /// layers too (as the fused step in Dense does).
  template <class Scalar, std::size_t N>
  constexpr void update(Scalar (&parameters)[N], const Scalar (&gradient)[N], state<Scalar, N>&) const noexcept
  {
    const auto rate = static_cast<Scalar>(learning_rate);
    if (!__builtin_is_constant_evaluated())
      return detail::simd::for_each_lanes<N, Scalar>([rate](auto& p, const auto& g) { p -= rate * g; }, parameters,
                                                     gradient);
    for (std::size_t i = 0; i < N; ++i) parameters[i] -= rate * gradient[i];
  }
};

SGD(double) -> SGD<double>;
SGD(float) -> SGD<float>;

/// SGD with momentum, PyTorch's convention: v = momentum * v + g, then p -= learning_rate * v, or
/// with Nesterov p -= learning_rate * (g + momentum * v). The velocity starts at zero.
template <math::Real T = double>
struct Momentum {
  T learning_rate;
  T momentum = detail::default_momentum<T>;
  bool nesterov = false;

  template <class Scalar, std::size_t N>
  struct state {
    Scalar velocity[N]{};
  };

  /// Rejects a learning rate that is not positive and finite, and a momentum outside [0, 1).
  constexpr void validate() const
  {
    if (!(learning_rate > T(0)) || !math::isfinite(learning_rate))
      detail::ctnn_error_learning_rate_must_be_positive_and_finite("Momentum", learning_rate);
    if (!(momentum >= T(0) && momentum < T(1)))  // NaN too
      detail::ctnn_error_momentum_must_be_in_0_1("Momentum", momentum);
  }

  /// Scalar is the layer's; the hyper-parameters are converted to it once.
  template <class Scalar, std::size_t N>
  constexpr void update(Scalar (&parameters)[N], const Scalar (&gradient)[N], state<Scalar, N>& s) const noexcept
  {
    const auto rate = static_cast<Scalar>(learning_rate);
    const auto mu = static_cast<Scalar>(momentum);
    if (!__builtin_is_constant_evaluated()) {
      if (nesterov)
        detail::simd::for_each_lanes<N, Scalar>(
            [rate, mu](auto& p, auto& v, const auto& g) {
              v = mu * v + g;
              p -= rate * (g + mu * v);
            },
            parameters, s.velocity, gradient);
      else
        detail::simd::for_each_lanes<N, Scalar>(
            [rate, mu](auto& p, auto& v, const auto& g) {
              v = mu * v + g;
              p -= rate * v;
            },
            parameters, s.velocity, gradient);
      return;
    }
    // Two loops rather than a test per element: the constant evaluator pays for every branch.
    if (nesterov) {
      for (std::size_t i = 0; i < N; ++i) {
        s.velocity[i] = mu * s.velocity[i] + gradient[i];
        parameters[i] -= rate * (gradient[i] + mu * s.velocity[i]);
      }
    } else {
      for (std::size_t i = 0; i < N; ++i) {
        s.velocity[i] = mu * s.velocity[i] + gradient[i];
        parameters[i] -= rate * s.velocity[i];
      }
    }
  }
};

Momentum(double) -> Momentum<double>;
Momentum(double, double) -> Momentum<double>;
Momentum(double, double, bool) -> Momentum<double>;
Momentum(float) -> Momentum<float>;
Momentum(float, float) -> Momentum<float>;
Momentum(float, float, bool) -> Momentum<float>;

/// Adam (Kingma and Ba): m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g^2, then
/// p -= learning_rate * m_hat / (sqrt(v_hat) + epsilon) with m_hat = m / (1 - beta1^t) and
/// v_hat = v / (1 - beta2^t) at step t. The state keeps beta1^t and beta2^t as running products, so
/// no pow is needed and each tensor counts its own steps.
template <math::Real T = double>
struct Adam {
  T learning_rate = detail::default_learning_rate<T>;
  T beta1 = detail::default_beta1<T>;
  T beta2 = detail::default_beta2<T>;
  T epsilon = detail::default_epsilon<T>;

  template <class Scalar, std::size_t N>
  struct state {
    Scalar first_moment[N]{};
    Scalar second_moment[N]{};
    Scalar beta1_power = Scalar(1);  // beta1^t after t steps
    Scalar beta2_power = Scalar(1);
  };

  /// Rejects a learning rate or epsilon that is not positive and finite, and betas outside [0, 1).
  constexpr void validate() const
  {
    if (!(learning_rate > T(0)) || !math::isfinite(learning_rate))
      detail::ctnn_error_learning_rate_must_be_positive_and_finite("Adam", learning_rate);
    if (!(beta1 >= T(0) && beta1 < T(1))) detail::ctnn_error_adam_beta_must_be_in_0_1("beta1", beta1);  // NaN too
    if (!(beta2 >= T(0) && beta2 < T(1))) detail::ctnn_error_adam_beta_must_be_in_0_1("beta2", beta2);
    if (!(epsilon > T(0)) || !math::isfinite(epsilon))
      detail::ctnn_error_epsilon_must_be_positive_and_finite("Adam", epsilon);
  }

  /// Scalar is the layer's; the hyper-parameters are converted to it once.
  template <class Scalar, std::size_t N>
  constexpr void update(Scalar (&parameters)[N], const Scalar (&gradient)[N], state<Scalar, N>& s) const noexcept
  {
    const auto rate = static_cast<Scalar>(learning_rate);
    const auto b1 = static_cast<Scalar>(beta1);
    const auto b2 = static_cast<Scalar>(beta2);
    const auto eps = static_cast<Scalar>(epsilon);
    s.beta1_power *= b1;
    s.beta2_power *= b2;
    const Scalar first_correction = Scalar(1) - s.beta1_power;
    const Scalar second_correction = Scalar(1) - s.beta2_power;
    const Scalar first_weight = Scalar(1) - b1;
    const Scalar second_weight = Scalar(1) - b2;
    if (!__builtin_is_constant_evaluated())
      return detail::simd::for_each_lanes<N, Scalar>(
          [=](auto& p, auto& m, auto& v, const auto& g) {
            m = b1 * m + first_weight * g;
            v = b2 * v + second_weight * (g * g);
            const auto first_unbiased = m / first_correction;
            const auto second_unbiased = v / second_correction;
            p -= rate * first_unbiased / (detail::simd::sqrt(second_unbiased) + eps);
          },
          parameters, s.first_moment, s.second_moment, gradient);
    for (std::size_t i = 0; i < N; ++i) {
      const Scalar g = gradient[i];
      s.first_moment[i] = b1 * s.first_moment[i] + first_weight * g;
      s.second_moment[i] = b2 * s.second_moment[i] + second_weight * (g * g);
      const Scalar first_unbiased = s.first_moment[i] / first_correction;
      const Scalar second_unbiased = s.second_moment[i] / second_correction;
      parameters[i] -= rate * first_unbiased / (math::sqrt(second_unbiased) + eps);
    }
  }
};

Adam() -> Adam<double>;
Adam(double) -> Adam<double>;
Adam(double, double) -> Adam<double>;
Adam(double, double, double) -> Adam<double>;
Adam(double, double, double, double) -> Adam<double>;
Adam(float) -> Adam<float>;
Adam(float, float) -> Adam<float>;
Adam(float, float, float) -> Adam<float>;
Adam(float, float, float, float) -> Adam<float>;

/// What fit needs from an optimizer stepping tensors of N scalars of type T: validate() (throws, or
/// stops a constant expression, on bad hyper-parameters), a default-constructible state<T, N> kept
/// per tensor between steps, and update(parameters, gradient, state).
template <class O, class T, std::size_t N = 1>
concept OptimizerFor = requires(const O& optimizer, T (&parameters)[N], const T (&gradient)[N]) {
  optimizer.validate();
  requires std::default_initializable<typename O::template state<T, N>>;
  requires requires(typename O::template state<T, N>& state) { optimizer.update(parameters, gradient, state); };
};

namespace detail {
// OptimizerFor's requirements one by one, in order, so that a custom optimizer that misses one gets
// one error naming it (diagnostic.hpp; docs/extending.md).
template <class O, class T, std::size_t N = 1>
using optimizer_checks = diagnostic::in_order<
    diagnostic::optimizer_needs_validate<O, requires(const O& optimizer) { optimizer.validate(); }>,
    diagnostic::optimizer_needs_state<O, requires {
      requires std::default_initializable<typename O::template state<T, N>>;
    }>, diagnostic::optimizer_needs_update<O, requires(const O& optimizer, T (&parameters)[N], const T (&gradient)[N]) {
      requires requires(typename O::template state<T, N>& state) { optimizer.update(parameters, gradient, state); };
    }>>;
}  // namespace detail

}  // namespace ctnn
