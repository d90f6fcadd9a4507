#pragma once
// TimeDistributed<Inner, Steps>: a vector layer (Dense<In, Out, A>, or any layer from Shape<In> to
// Shape<Out>) applied to every time step of a sequence, Shape<Steps, In> to Shape<Steps, Out>, with
// one set of weights shared by every step (Keras' TimeDistributed(Dense), a Dense after
// an nn.GRU(batch_first=True) output). Training sums each step's gradients, steps in order; a stream
// applies the inner layer to each step it is given.
//
// Included with Dense, the layer it usually wraps, so that a generated header naming
// TimeDistributed<Dense<...>> compiles with this header alone.

#include <cstddef>
#include <string_view>

#include "ctnn/dense.hpp"
#include "ctnn/elu.hpp"  // IWYU pragma: export (generated headers include only this one)
#include "ctnn/layer.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// Inner applied to each of Steps time steps, the same weights at every step.
template <class Inner, std::size_t Steps>
struct TimeDistributed {
  static_assert(Layer<Inner>, "ctnn: TimeDistributed wraps a layer (see the layer protocol, ctnn/layer.hpp)");
  static_assert(Inner::input_shape::rank == 1 && Inner::output_shape::rank == 1,
                "ctnn: TimeDistributed wraps a layer from a vector Shape<In> to a vector Shape<Out>");
  static_assert(Steps > 0, "ctnn: TimeDistributed needs at least one step");

  using inner_type = Inner;
  using scalar_type = typename Inner::scalar_type;
  using T = scalar_type;
  static constexpr std::size_t steps = Steps;
  static constexpr std::size_t inner_inputs = Inner::input_shape::size;
  static constexpr std::size_t inner_outputs = Inner::output_shape::size;
  using input_shape = Shape<(Steps > 0 ? Steps : 1), inner_inputs>;
  using output_shape = Shape<(Steps > 0 ? Steps : 1), inner_outputs>;
  using input_type = Vector<T, input_shape::size>;
  using output_type = Vector<T, output_shape::size>;

  static constexpr std::size_t parameter_count = Inner::parameter_count;
  static constexpr std::size_t non_trainable_parameter_count = non_trainable_parameter_count_of<Inner>;
  static constexpr bool trainable = is_trainable_layer<Inner>;
  static constexpr std::string_view kind = "TimeDistributed";
  static constexpr std::string_view header = "ctnn/time_distributed.hpp";

  Inner inner{};

  constexpr output_type operator()(const input_type& x) const noexcept
  {
    output_type y;
    for (std::size_t t = 0; t < Steps; ++t) put(y, t, inner(slice(x, t)));
    return y;
  }

  /// Each step's inner cache; the steps' inputs and outputs are sliced again from x and y.
  struct cache_type {
    typename Inner::cache_type steps[Steps > 0 ? Steps : 1]{};
  };

  constexpr void forward(const input_type& x, cache_type& c, output_type& y) const noexcept
  {
    for (std::size_t t = 0; t < Steps; ++t) {
      typename Inner::output_type yt;
      inner.forward(slice(x, t), c.steps[t], yt);
      put(y, t, yt);
    }
  }

  using gradients = gradients_of<Inner>;
  template <class F>
  static constexpr void visit_gradients(gradients& g, F&& f)
  {
    detail::visit_gradients_of<Inner>(g, f);
  }

  /// The inner layer's backward at each step in order, adding to the one set of gradients.
  template <bool NeedInputGradient, class Gradients>
  constexpr void backward(const input_type& x, const cache_type& c, const output_type& y, const output_type& dy,
                          Gradients& g, input_type& dx) const noexcept
  {
    for (std::size_t t = 0; t < Steps; ++t) {
      typename Inner::input_type dxt;
      inner.template backward<NeedInputGradient>(slice(x, t), c.steps[t], slice(y, t), slice(dy, t), g, dxt);
      if constexpr (NeedInputGradient) put(dx, t, dxt);
    }
  }

  template <class Optimizer>
  using optimizer_state = optimizer_state_of<Inner, Optimizer>;
  template <class Optimizer>
  constexpr void update(const Optimizer& optimizer, const gradients& g, optimizer_state<Optimizer>& s) noexcept
  {
    if constexpr (trainable) inner.update(optimizer, g, s);
  }

  template <class Initializer, class Generator>
  constexpr void initialize(const Initializer& init, Generator& rng) noexcept
  {
    if constexpr (trainable) inner.initialize(init, rng);
  }

  template <class F>
  constexpr void visit_parameters(F&& f)
  {
    inner.visit_parameters(f);
  }
  template <class F>
  constexpr void visit_parameters(F&& f) const
  {
    inner.visit_parameters(f);
  }
  template <class F>
  constexpr void visit_non_trainable_parameters(F&& f)
    requires(non_trainable_parameter_count > 0)
  {
    inner.visit_non_trainable_parameters(f);
  }
  template <class F>
  constexpr void visit_non_trainable_parameters(F&& f) const
    requires(non_trainable_parameter_count > 0)
  {
    inner.visit_non_trainable_parameters(f);
  }

  /// Streaming: the inner layer on each step, nothing kept between steps.
  struct state_type {
    friend constexpr bool operator==(const state_type&, const state_type&) = default;
  };
  using step_input_type = typename Inner::input_type;
  using step_output_type = typename Inner::output_type;
  constexpr state_type initial_state() const noexcept { return {}; }
  constexpr step_output_type step(const step_input_type& x, state_type&) const noexcept { return inner(x); }

  /// The model-file fields after the shapes: the inner layer's kind, then its own fields.
  template <class W>
  static constexpr void describe(W& w)
  {
    w.field("layer", Inner::kind);
    if constexpr (requires { Inner::describe(w); }) Inner::describe(w);
  }

  template <class W>
  static constexpr void spell(W& w)
  {
    w.text("ctnn::TimeDistributed<");
    Inner::spell(w);
    w.text(", ");
    w.number(Steps);
    w.text(">");
  }

  constexpr ValueCheck check_values() const noexcept
  {
    if constexpr (requires { inner.check_values(); })
      return inner.check_values();
    else
      return {};
  }

 private:
  template <std::size_t Size, std::size_t N>
  static constexpr Vector<T, N> slice(const Vector<T, Size>& whole, std::size_t t) noexcept
  {
    Vector<T, N> part;
    for (std::size_t i = 0; i < N; ++i) part.values[i] = whole.values[t * N + i];
    return part;
  }
  static constexpr typename Inner::input_type slice(const input_type& x, std::size_t t) noexcept
  {
    return slice<input_type::size(), inner_inputs>(x, t);
  }
  static constexpr typename Inner::output_type slice(const output_type& y, std::size_t t) noexcept
    requires(inner_inputs != inner_outputs)
  {
    return slice<output_type::size(), inner_outputs>(y, t);
  }
  template <std::size_t Size, std::size_t N>
  static constexpr void put(Vector<T, Size>& whole, std::size_t t, const Vector<T, N>& part) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) whole.values[t * N + i] = part.values[i];
  }
};

}  // namespace ctnn
