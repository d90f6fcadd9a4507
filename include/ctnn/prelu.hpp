#pragma once
// PReLU<S, Slopes, T>: the parametric ReLU (He et al. 2015; PyTorch's nn.PReLU), a layer over any
// Shape S whose negative slope is trained:
//   y = x for x > 0, else a_c x;   ∂L/∂a_c = sum of x dy over the values with x <= 0 of channel c
// with one slope shared by every value (Slopes = 1, nn.PReLU()'s default) or one per channel
// (Slopes = the last dimension of S: the channel of a sequence Shape<Steps, C> or image Shape<H, W, C>,
// the unit of a vector Shape<N>; nn.PReLU(num_parameters=C)). Slopes start at 0.25, as PyTorch's.
// Over a sequence it streams one step at a time (step()), keeping no state.

#include <cstddef>
#include <string_view>

#include "ctnn/diagnostic.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/math.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

namespace detail {
template <class S>
inline constexpr std::size_t last_dimension = S::dims[S::rank - 1];

// Fails (naming both numbers in the note) without making PReLU itself ill-formed: one error.
template <bool Holds, std::size_t Slopes, std::size_t Channels>
struct prelu_slopes {
  static_assert(Holds,
                "ctnn: PReLU has one slope shared by every value or one per channel (the shape's last dimension)");
  static constexpr bool value = true;
};
}  // namespace detail

/// A ReLU with a trained negative slope over Shape S: Slopes = 1 (shared) or the channel count.
template <class S, std::size_t Slopes = 1, class T = double>
struct PReLU {
  static_assert(ShapeType<S>,
                "ctnn: PReLU's first argument must be a Shape, such as Shape<16, 4>");  // else nothing works
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(detail::prelu_slopes<(Slopes == 1 || Slopes == detail::last_dimension<S>), Slopes,
                                     detail::last_dimension<S>>::value);

  using scalar_type = T;
  using input_shape = S;
  using output_shape = S;
  using input_type = Vector<T, S::size>;
  using output_type = Vector<T, S::size>;

  static constexpr std::size_t channels = detail::last_dimension<S>;
  static constexpr std::size_t slope_count = Slopes;
  static constexpr std::size_t parameter_count = Slopes;
  static constexpr std::string_view kind = "PReLU";
  static constexpr std::string_view header = "ctnn/prelu.hpp";

  Vector<T, Slopes> slopes = initial_slopes();

  constexpr output_type operator()(const input_type& x) const noexcept
  {
    output_type y;
    apply(x.values, y.values);
    return y;
  }

  /// backward() needs only x, which fit() keeps.
  struct cache_type {};
  constexpr void forward(const input_type& x, cache_type&, output_type& y) const noexcept { apply(x.values, y.values); }

  struct gradients {
    Vector<T, Slopes> slopes{};
  };
  template <class F>
  static constexpr void visit_gradients(gradients& g, F&& f)
  {
    f(g.slopes.values);
  }

  template <bool NeedInputGradient>
  constexpr void backward(const input_type& x, const cache_type&, const output_type&, const output_type& dy,
                          gradients& g, input_type& dx) const noexcept
  {
    for (std::size_t i = 0; i < S::size; ++i) {
      const std::size_t s = Slopes == 1 ? 0 : i % channels;
      if (x.values[i] > T(0)) {
        if constexpr (NeedInputGradient) dx.values[i] = dy.values[i];
      } else {
        g.slopes.values[s] += x.values[i] * dy.values[i];
        if constexpr (NeedInputGradient) dx.values[i] = slopes.values[s] * dy.values[i];
      }
    }
  }

  template <class Optimizer>
  struct optimizer_state {
    typename Optimizer::template state<T, Slopes> slopes{};
  };
  template <class Optimizer>
  constexpr void update(const Optimizer& optimizer, const gradients& g, optimizer_state<Optimizer>& s) noexcept
  {
    optimizer.update(slopes.values, g.slopes.values, s.slopes);
  }

  /// Back to PyTorch's start, 0.25, drawing nothing whatever the initialiser.
  template <class Initializer, class Generator>
  constexpr void initialize(const Initializer&, Generator&) noexcept
  {
    slopes = initial_slopes();
  }

  template <class F>
  constexpr void visit_parameters(F&& f)
  {
    f(slopes.values);
  }
  template <class F>
  constexpr void visit_parameters(F&& f) const
  {
    f(slopes.values);
  }

  /// Streaming over a sequence: one step of `channels` values, no state kept.
  struct state_type {
    friend constexpr bool operator==(const state_type&, const state_type&) = default;
  };
  using step_input_type = Vector<T, channels>;
  using step_output_type = Vector<T, channels>;
  constexpr state_type initial_state() const noexcept
    requires(S::rank == 2)
  {
    return {};
  }
  constexpr step_output_type step(const step_input_type& x, state_type&) const noexcept
    requires(S::rank == 2)
  {
    step_output_type y;
    for (std::size_t c = 0; c < channels; ++c) {
      const T a = slopes.values[Slopes == 1 ? 0 : c];
      y.values[c] = x.values[c] > T(0) ? x.values[c] : a * x.values[c];
    }
    return y;
  }

  /// The model-file field after the shapes: how many slopes.
  template <class W>
  static constexpr void describe(W& w)
  {
    w.field("slopes", Slopes);
  }

  /// The C++ type, for emit_header: ctnn::PReLU<ctnn::Shape<...>, Slopes, <scalar>>.
  template <class W>
  static constexpr void spell(W& w)
  {
    w.text("ctnn::PReLU<ctnn::Shape<");
    for (std::size_t d = 0; d < S::rank; ++d) {
      if (d > 0) w.text(", ");
      w.number(S::dims[d]);
    }
    w.text(">, ");
    w.number(Slopes);
    w.text(", ");
    w.template scalar<T>();
    w.text(">");
  }

  /// A loaded slope must be finite.
  constexpr ValueCheck check_values() const noexcept
  {
    for (std::size_t i = 0; i < Slopes; ++i)
      if (!math::isfinite(slopes.values[i])) return {i, "slope", i + 1, "must be finite"};
    return {};
  }

 private:
  static constexpr Vector<T, Slopes> initial_slopes() noexcept
  {
    Vector<T, Slopes> v{};
    for (auto& a : v.values) a = T(0.25);
    return v;
  }

  constexpr void apply(const T* x, T* y) const noexcept
  {
    for (std::size_t i = 0; i < S::size; ++i) {
      const T a = slopes.values[Slopes == 1 ? 0 : i % channels];
      y[i] = x[i] > T(0) ? x[i] : a * x[i];
    }
  }
};

}  // namespace ctnn
