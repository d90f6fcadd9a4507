#pragma once
// Standardize<In, T>: preprocessing inside the model. A non-trainable layer, y_i = (x_i - mean_i) /
// deviation_i, with the mean and deviation measured on the training split (Standardizer's numbers),
// so a Network that starts with it takes raw features in predict(), and save(), load(), emit_header()
// and summary() carry the scaling with the weights. fit() trains the layers after it and leaves it
// as it is: it has no gradients, no optimizer state, draws nothing from an initialiser, and the layer
// after it computes no input gradient for it.

#include <cstddef>
#include <string_view>
#include <utility>

#include "ctnn/data.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// Rescales each of In inputs to (x - mean) / deviation. Its values are set, not trained: build it
/// with measure(training data) or from(a Standardizer). A default-constructed one (mean 0, deviation
/// 1) passes its input through unchanged.
template <std::size_t In, class T = double>
struct Standardize {
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(In > 0, "ctnn: Standardize needs at least one input");

  using scalar_type = T;
  using input_type = Vector<T, In>;
  using output_type = Vector<T, In>;

  static constexpr std::size_t inputs = In;
  static constexpr std::size_t outputs = In;
  /// Trainable parameters: none. Its stored values are non_trainable_parameter_count.
  static constexpr std::size_t parameter_count = 0;
  static constexpr std::size_t non_trainable_parameter_count = 2 * In;
  static constexpr bool trainable = false;
  /// The name summary() and model files use.
  static constexpr std::string_view kind = "Standardize";

  Vector<T, In> mean{};
  Vector<T, In> deviation = ones();

  /// The mean and (population) deviation of each input over data, as Standardizer::measure gives them.
  template <class Data>
  static constexpr Standardize measure(const Data& data)
  {
    return from(Standardizer<T, In>::measure(data));
  }

  /// The layer that applies s.
  static constexpr Standardize from(const Standardizer<T, In>& s) noexcept { return {s.mean, s.deviation}; }

  /// The Standardizer with this layer's numbers.
  constexpr Standardizer<T, In> standardizer() const noexcept { return {mean, deviation}; }

  /// The protocol fit() and gradient_check() call on every layer; here there is nothing to keep.
  struct cache {
    Vector<T, In> x;
    Vector<T, In> y;
  };
  struct gradients {};
  template <class Optimizer>
  struct optimizer_state {};
  using weight_indices = std::index_sequence<>;
  using row_indices = std::index_sequence<>;

  /// y = (x - mean) / deviation, the same operations as Standardizer's.
  constexpr output_type operator()(const input_type& x) const noexcept
  {
    output_type y;
    scale(x, y);
    return y;
  }

  constexpr const output_type& forward(const input_type& x, cache& c) const noexcept
  {
    c.x = x;
    scale(x, c.y);
    return c.y;
  }

  /// Writes y only; h is not used by this layer's backward pass.
  constexpr void forward_into(const input_type& x, output_type& /*h*/, output_type& y, std::index_sequence<>,
                              std::index_sequence<>) const noexcept
  {
    scale(x, y);
  }

  template <bool NeedInputGradient = true>
  constexpr input_type backward(const cache& c, const output_type& dy, gradients& g) const noexcept
  {
    input_type dx{};
    accumulate_backward_into<NeedInputGradient>(c.x, c.y, c.y, dy, g, dx);
    return dx;
  }

  template <bool NeedInputGradient, bool GivenPreActivationGradient = false>
  constexpr input_type accumulate_backward(const cache& c, const output_type& d, gradients& g) const noexcept
  {
    input_type dx{};
    accumulate_backward_into<NeedInputGradient, GivenPreActivationGradient>(c.x, c.y, c.y, d, g, dx);
    return dx;
  }

  /// dx = dy / deviation, when a trainable layer before this one needs it.
  template <bool NeedInputGradient, bool GivenPreActivationGradient = false>
  constexpr void accumulate_backward_into(const input_type& /*x*/, const output_type& /*h*/, const output_type& /*y*/,
                                          const output_type& d, gradients& /*g*/, input_type& dx) const noexcept
  {
    if constexpr (NeedInputGradient)
      for (std::size_t i = 0; i < In; ++i) dx.values[i] = d.values[i] / deviation.values[i];
  }

  template <class Optimizer>
  constexpr void update(const Optimizer& /*optimizer*/, const gradients& /*g*/,
                        optimizer_state<Optimizer>& /*state*/) noexcept
  {
  }

  template <bool NeedInputGradient, bool GivenPreActivationGradient = false, class Optimizer>
  constexpr input_type backward_and_update(const cache& c, const output_type& d, const Optimizer& /*optimizer*/,
                                           optimizer_state<Optimizer>& /*state*/) noexcept
  {
    gradients g;
    return accumulate_backward<NeedInputGradient>(c, d, g);
  }

  template <bool NeedInputGradient, bool GivenPreActivationGradient, class Optimizer>
  constexpr void backward_and_update_into(const input_type& x, const output_type& h, const output_type& y,
                                          const output_type& d, const Optimizer& /*optimizer*/,
                                          optimizer_state<Optimizer>& /*state*/, input_type& dx, std::index_sequence<>,
                                          std::index_sequence<>) noexcept
  {
    gradients g;
    accumulate_backward_into<NeedInputGradient>(x, h, y, d, g, dx);
  }

  /// Trainable parameters: none, so fit(), gradient_check() and Network::parameters() skip this layer.
  template <class F>
  constexpr void visit_parameters(F&&) const
  {
  }
  template <class F>
  constexpr void visit_parameters(F&&)
  {
  }

  /// The stored values, mean then deviation: what model files, fingerprints and bitwise_equal cover.
  template <class F>
  constexpr void visit_non_trainable_parameters(F&& f)
  {
    f(mean.values);
    f(deviation.values);
  }
  template <class F>
  constexpr void visit_non_trainable_parameters(F&& f) const
  {
    f(mean.values);
    f(deviation.values);
  }

  /// Draws nothing: the other layers get the numbers they would get in a network without this one.
  template <class Initializer, class Generator>
  constexpr void initialize(const Initializer& /*init*/, Generator& /*rng*/) noexcept
  {
  }

 private:
  static constexpr Vector<T, In> ones() noexcept
  {
    Vector<T, In> v{};
    for (auto& value : v.values) value = T(1);
    return v;
  }

  constexpr void scale(const input_type& x, output_type& y) const noexcept
  {
    for (std::size_t i = 0; i < In; ++i) y.values[i] = (x.values[i] - mean.values[i]) / deviation.values[i];
  }
};

}  // namespace ctnn
