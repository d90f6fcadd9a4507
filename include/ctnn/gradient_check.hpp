#pragma once
// Gradient check: backpropagation's gradient of a loss for one sample, compared with central
// finite differences, parameter by parameter. constexpr, so a static_assert can hold it.

#include <cstddef>
#include <type_traits>

#include <boost/hana/unpack.hpp>

#include "ctnn/detail/checks.hpp"
#include "ctnn/detail/train_step.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/math.hpp"
#include "ctnn/network.hpp"

namespace ctnn {

/// The result of gradient_check(). error is |backprop - numeric| / max(1, |backprop|, |numeric|):
/// relative for large gradients, absolute for small ones, where a relative error means little.
template <class T>
struct GradientCheck {
  T max_error;
  std::size_t worst_parameter;  ///< the index in Network::parameters() order
  T backprop_at_worst;
  T numeric_at_worst;
  std::size_t parameters;

  [[nodiscard]] constexpr bool passed(T tolerance) const noexcept { return max_error <= tolerance; }
};

/// The default finite-difference step: about the cube root of the type's epsilon, which balances
/// the central difference's truncation error against rounding.
template <class T>
inline constexpr T gradient_check_step = std::is_same_v<T, float> ? T(5e-3) : T(1e-5);

/// Compares backpropagation's dL/dp for every trainable parameter p of net (not a non-trainable layer's values), for
/// one sample (x, target) and a loss, with (L(p + h) - L(p - h)) / 2h, h = step * max(1, |p|). The backpropagated
/// gradient is the one fit() uses, including a loss fused with the output activation; the numeric side differentiates
/// loss.value(y, target), which clamps probabilities, so keep fused outputs away from saturation.
/// Keep inputs away from the kinks of ReLU-like activations, where neither side is the derivative.
/// A NaN anywhere makes the result NaN, and passed() false.
template <class... Layers, class Loss>
[[nodiscard]] constexpr GradientCheck<typename Network<Layers...>::scalar_type> gradient_check(
    const Network<Layers...>& net, const typename Network<Layers...>::input_type& x,
    const typename Network<Layers...>::output_type& target, const Loss& loss,
    typename Network<Layers...>::scalar_type step = gradient_check_step<typename Network<Layers...>::scalar_type>)
{
  using Net = Network<Layers...>;
  using T = typename Net::scalar_type;
  static_assert(detail::check_trainable_layers<Net>);
  static_assert(detail::check_loss<Net, Loss>);

  // Backpropagation, flattened in parameters() order (each layer's gradients in its visit order).
  Vector<T, Net::parameter_count> backprop{};
  boost::hana::unpack(net.layers, [&](const Layers&... layers) {
    [&](gradients_of<Layers>... sums) {
      T unused_loss = T(0);
      typename Net::input_type unused_dx;
      detail::accumulate_sample<true>(loss, x, target, unused_loss, unused_dx,
                                      detail::gradient_slot<Layers>{layers, sums}...);
      std::size_t next = 0;
      // Non-trainable layers have no gradients and no place in parameters().
      const auto flatten = [&]<class L>(const L&, gradients_of<L>& g) {
        detail::visit_gradients_of<L>(g, [&](const auto& tensor) {
          for (const T v : tensor) backprop.values[next++] = v;
        });
      };
      (flatten(layers, sums), ...);
    }(gradients_of<Layers>{}...);
  });

  GradientCheck<T> result{T(0), 0, T(0), T(0), Net::parameter_count};
  Net probe = net;
  std::size_t index = 0;
  const auto compare = [&](auto& tensor) {
    for (auto& p : tensor) {
      const T original = p;
      const T magnitude = math::abs(original);
      const T h = magnitude > T(1) ? step * magnitude : step;  // a step below p's ulp would measure nothing
      const T up = original + h;
      const T down = original - h;
      p = up;
      const T loss_up = loss.value(probe.predict(x), target);
      p = down;
      const T loss_down = loss.value(probe.predict(x), target);
      p = original;
      // Divide by the step actually taken: original +- step is rounded.
      const T numeric = (loss_up - loss_down) / (up - down);
      const T analytic = backprop.values[index];
      T scale = T(1);
      if (math::abs(analytic) > scale) scale = math::abs(analytic);
      if (math::abs(numeric) > scale) scale = math::abs(numeric);
      const T error = math::abs(analytic - numeric) / scale;
      // A NaN error is the worst there is, and stays: a later finite error must not hide it.
      const bool worse = math::isnan(error) ? !math::isnan(result.max_error) : error > result.max_error;
      if (worse) result = {error, index, analytic, numeric, Net::parameter_count};
      ++index;
    }
  };
  probe.for_each_layer([&](auto& layer) { layer.visit_parameters(compare); });
  return result;
}

}  // namespace ctnn
