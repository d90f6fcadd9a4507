#pragma once
// Loss functions over one sample's output y and target Y:
//   value(y, Y)                          the loss, for reporting
//   value_and_gradient(y, Y, dy)         the loss, with dy = dL/dy, in one pass
// A loss may also fuse with the output layer's activation (fuses_with<A>), when dL/dh has a
// simpler, numerically stable form than J_f(h)^T dL/dy: then the trainer calls
//   value_and_pre_activation_gradient(h, y, Y, dh)
// and skips the activation's backward. Cross-entropy after Sigmoid or Softmax gives dh = y - Y.

#include <concepts>
#include <cstddef>
#include <limits>
#include <string_view>

#include "ctnn/activation.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/math.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// The tutorial's loss: L = sum((y - Y)^2) / 2 (summed, not averaged), dL/dy = y - Y.
struct MeanSquaredError {
  static constexpr std::string_view name = "mean_squared_error";

  template <std::size_t Outputs>
  static constexpr bool fits_outputs = true;
  template <class A>
  static constexpr bool fuses_with = false;

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

namespace detail {
// Probabilities are kept in [eps, 1 - eps] before a log or a division, as Keras does, so a
// saturated output gives a large finite loss instead of infinity. eps is the type's epsilon.
template <class T>
constexpr T clamp_probability(T p) noexcept
{
  constexpr T eps = std::numeric_limits<T>::epsilon();
  return p < eps ? eps : (p > T(1) - eps ? T(1) - eps : p);
}

// log(1 + e^h) without overflow: max(h, 0) + log1p(e^-|h|).
template <class T>
constexpr T softplus(T h) noexcept
{
  const T magnitude = h < T(0) ? -h : h;
  return (h > T(0) ? h : T(0)) + math::log1p(math::exp(-magnitude));
}
}  // namespace detail

/// L = -sum(Y log y + (1 - Y) log(1 - y)) over the outputs, each y a probability (Sigmoid).
/// With a Sigmoid output layer the loss is computed from h and dL/dh = y - Y, exact and stable.
struct BinaryCrossEntropy {
  static constexpr std::string_view name = "binary_cross_entropy";
  /// Its outputs are class probabilities: fit() reports the training accuracy with it.
  static constexpr bool classification = true;

  template <std::size_t Outputs>
  static constexpr bool fits_outputs = true;
  template <class A>
  static constexpr bool fuses_with = std::same_as<A, Sigmoid>;

  template <math::Real T, std::size_t N>
  static constexpr T value(const Vector<T, N>& y, const Vector<T, N>& target) noexcept
  {
    T sum = T(0);
    for (std::size_t i = 0; i < N; ++i) {
      const T p = detail::clamp_probability(y.values[i]);
      const T t = target.values[i];
      sum -= t * math::log(p) + (T(1) - t) * math::log(T(1) - p);
    }
    return sum;
  }

  /// dL/dy = (y - Y) / (y (1 - y)), with y clamped as in value().
  template <math::Real T, std::size_t N>
  static constexpr T value_and_gradient(const Vector<T, N>& y, const Vector<T, N>& target,
                                        Vector<T, N>& gradient) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) {
      const T p = detail::clamp_probability(y.values[i]);
      gradient.values[i] = (p - target.values[i]) / (p * (T(1) - p));
    }
    return value(y, target);
  }

  /// From the logits h: L = sum(softplus(h) - Y h), and dL/dh = y - Y.
  template <math::Real T, std::size_t N>
  static constexpr T value_and_pre_activation_gradient(const Vector<T, N>& h, const Vector<T, N>& y,
                                                       const Vector<T, N>& target, Vector<T, N>& dh) noexcept
  {
    T sum = T(0);
    for (std::size_t i = 0; i < N; ++i) {
      dh.values[i] = y.values[i] - target.values[i];
      sum += detail::softplus(h.values[i]) - target.values[i] * h.values[i];
    }
    return sum;
  }
};

/// L = -sum(Y log y) for a one-hot (or any probability) target over at least two classes.
/// With a Softmax output layer the loss is computed from h (log-sum-exp) and dL/dh = y - Y.
struct CategoricalCrossEntropy {
  static constexpr std::string_view name = "categorical_cross_entropy";
  /// Its outputs are class probabilities: fit() reports the training accuracy with it.
  static constexpr bool classification = true;

  template <std::size_t Outputs>
  static constexpr bool fits_outputs =
      diagnostic::check_categorical_outputs<diagnostic::network::outputs<Outputs>>::value;
  template <class A>
  static constexpr bool fuses_with = std::same_as<A, Softmax>;

  template <math::Real T, std::size_t N>
  static constexpr T value(const Vector<T, N>& y, const Vector<T, N>& target) noexcept
  {
    T sum = T(0);
    for (std::size_t i = 0; i < N; ++i)
      if (target.values[i] != T(0)) sum -= target.values[i] * math::log(detail::clamp_probability(y.values[i]));
    return sum;
  }

  /// dL/dy = -Y / y, with y clamped as in value().
  template <math::Real T, std::size_t N>
  static constexpr T value_and_gradient(const Vector<T, N>& y, const Vector<T, N>& target,
                                        Vector<T, N>& gradient) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) gradient.values[i] = -target.values[i] / detail::clamp_probability(y.values[i]);
    return value(y, target);
  }

  /// From the logits h: L = sum(Y) logsumexp(h) - sum(Y h), and dL/dh = sum(Y) y - Y, which is
  /// y - Y, bit for bit, for a one-hot target.
  template <math::Real T, std::size_t N>
  static constexpr T value_and_pre_activation_gradient(const Vector<T, N>& h, const Vector<T, N>& y,
                                                       const Vector<T, N>& target, Vector<T, N>& dh) noexcept
  {
    const T largest = largest_of(h);
    T exp_sum = T(0);
    for (std::size_t i = 0; i < N; ++i) exp_sum += math::exp(h.values[i] - largest);
    // log softmax_i = (h_i - largest) - log(exp_sum): the shifted form keeps the small terms exact.
    return from_softmax(h, largest, math::log(exp_sum), y, target, dh);
  }

  /// value_and_pre_activation_gradient() after a softmax, given only the logits h: also writes y =
  /// softmax(h) with Softmax::forward's operations. The exponentials and their sum are computed once
  /// for both, which the two separate calls compute twice with the same bits (what fit() saves in a
  /// constant expression, where an exp costs the evaluator about as much as a 64-term dot product).
  template <math::Real T, std::size_t N>
  static constexpr T value_softmax_and_pre_activation_gradient(const Vector<T, N>& h, Vector<T, N>& y,
                                                               const Vector<T, N>& target, Vector<T, N>& dh) noexcept
  {
    const T largest = largest_of(h);
    T exp_sum = T(0);
    for (std::size_t i = 0; i < N; ++i) {
      y.values[i] = math::exp(h.values[i] - largest);
      exp_sum += y.values[i];
    }
    for (std::size_t i = 0; i < N; ++i) y.values[i] /= exp_sum;
    return from_softmax(h, largest, math::log(exp_sum), y, target, dh);
  }

 private:
  template <math::Real T, std::size_t N>
  static constexpr T largest_of(const Vector<T, N>& h) noexcept
  {
    T largest = h.values[0];
    for (std::size_t i = 1; i < N; ++i)
      if (h.values[i] > largest) largest = h.values[i];
    return largest;
  }

  // The loss and dL/dh from the logits h, their largest value, log(sum exp(h - largest)) and
  // y = softmax(h): what both fused forms share.
  template <math::Real T, std::size_t N>
  static constexpr T from_softmax(const Vector<T, N>& h, T largest, T log_exp_sum, const Vector<T, N>& y,
                                  const Vector<T, N>& target, Vector<T, N>& dh) noexcept
  {
    T target_sum = T(0);
    for (std::size_t i = 0; i < N; ++i) target_sum += target.values[i];
    T sum = T(0);
    for (std::size_t i = 0; i < N; ++i) {
      dh.values[i] = target_sum * y.values[i] - target.values[i];
      if (target.values[i] != T(0)) sum -= target.values[i] * ((h.values[i] - largest) - log_exp_sum);
    }
    return sum;
  }
};

/// What the trainer needs from a loss over N outputs of scalar T.
/// A loss may hold parameters (e.g. a Huber delta): the trainer calls these on the object.
template <class L, class T, std::size_t N>
concept LossFunction =
    requires(const L& loss, const Vector<T, N>& y, const Vector<T, N>& target, Vector<T, N>& gradient) {
      {
        L::name
      } -> std::convertible_to<std::string_view>;
      {
        loss.value(y, target)
      } -> std::same_as<T>;
      {
        loss.value_and_gradient(y, target, gradient)
      } -> std::same_as<T>;
    };

namespace detail {
// LossFunction's requirements one by one, in order, so that a custom loss that misses one gets one
// error naming it (diagnostic.hpp; docs/extending.md).
template <class L, class T, std::size_t N>
using loss_checks = diagnostic::in_order<
    diagnostic::loss_needs_name<L,
                                requires {
                                  {
                                    L::name
                                  } -> std::convertible_to<std::string_view>;
                                }>,
    diagnostic::loss_needs_value<L,
                                 requires(const L& loss, const Vector<T, N>& y, const Vector<T, N>& target) {
                                   {
                                     loss.value(y, target)
                                   } -> std::same_as<T>;
                                 }>,
    diagnostic::loss_needs_value_and_gradient<L, requires(const L& loss, const Vector<T, N>& y,
                                                          const Vector<T, N>& target, Vector<T, N>& gradient) {
      {
        loss.value_and_gradient(y, target, gradient)
      } -> std::same_as<T>;
    }>>;
}  // namespace detail

}  // namespace ctnn
