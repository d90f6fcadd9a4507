#pragma once
// Two layers that are not in the library, written against the layer protocol (include/ctnn/layer.hpp,
// docs/extending.md) only: the proof that everything generic reaches a layer through it. No file
// under include/ctnn names them.
//   ElementwiseScale<N, T>: y = scale * x + shift, element by element; both trained.
//   Residual<First, Second>: y = x + Second(First(x)), a block around two layers of any kind.

#include <cstddef>
#include <string_view>

#include <ctnn/layer.hpp>
#include <ctnn/shape.hpp>
#include <ctnn/tensor.hpp>

namespace external {

template <std::size_t N, class T = double>
struct ElementwiseScale {
  using scalar_type = T;
  using input_shape = ctnn::Shape<N>;
  using output_shape = ctnn::Shape<N>;
  using input_type = ctnn::Vector<T, N>;
  using output_type = ctnn::Vector<T, N>;
  static constexpr std::size_t parameter_count = 2 * N;
  static constexpr std::string_view kind = "ElementwiseScale";
  static constexpr std::string_view header = "external_layers.hpp";

  ctnn::Vector<T, N> scale{};
  ctnn::Vector<T, N> shift{};

  constexpr output_type operator()(const input_type& x) const noexcept
  {
    output_type y;
    for (std::size_t i = 0; i < N; ++i) y.values[i] = scale.values[i] * x.values[i] + shift.values[i];
    return y;
  }

  template <class F>
  constexpr void visit_parameters(F&& f)
  {
    f(scale.values);
    f(shift.values);
  }
  template <class F>
  constexpr void visit_parameters(F&& f) const
  {
    f(scale.values);
    f(shift.values);
  }

  // backward needs only x, which fit keeps, and its own scale.
  struct cache_type {};
  constexpr void forward(const input_type& x, cache_type&, output_type& y) const noexcept { y = (*this)(x); }

  struct gradients {
    ctnn::Vector<T, N> scale{};
    ctnn::Vector<T, N> shift{};
  };
  template <class F>
  static constexpr void visit_gradients(gradients& g, F&& f)
  {
    f(g.scale.values);
    f(g.shift.values);
  }

  template <bool NeedInputGradient>
  constexpr void backward(const input_type& x, const cache_type&, const output_type&, const output_type& dy,
                          gradients& g, input_type& dx) const noexcept
  {
    for (std::size_t i = 0; i < N; ++i) {
      g.scale.values[i] += dy.values[i] * x.values[i];
      g.shift.values[i] += dy.values[i];
      if constexpr (NeedInputGradient) dx.values[i] = dy.values[i] * scale.values[i];
    }
  }

  template <class Optimizer>
  struct optimizer_state {
    typename Optimizer::template state<T, N> scale{};
    typename Optimizer::template state<T, N> shift{};
  };
  template <class Optimizer>
  constexpr void update(const Optimizer& optimizer, const gradients& g, optimizer_state<Optimizer>& s) noexcept
  {
    optimizer.update(scale.values, g.scale.values, s.scale);
    optimizer.update(shift.values, g.shift.values, s.shift);
  }

  /// Starts as the identity: scale 1, shift 0, drawing nothing.
  template <class Initializer, class Generator>
  constexpr void initialize(const Initializer&, Generator&) noexcept
  {
    for (auto& s : scale.values) s = T(1);
    for (auto& s : shift.values) s = T(0);
  }

  template <class W>
  static constexpr void spell(W& w)
  {
    w.text("external::ElementwiseScale<");
    w.number(N);
    w.text(", ");
    w.template scalar<T>();
    w.text(">");
  }
};

/// y = x + Second(First(x)): First maps the input shape to any shape Second maps back.
template <class First, class Second>
struct Residual {
  using scalar_type = typename First::scalar_type;
  using input_shape = typename First::input_shape;
  using output_shape = typename Second::output_shape;
  using input_type = typename First::input_type;
  using output_type = typename Second::output_type;
  static_assert(std::is_same_v<input_shape, output_shape>, "Residual: Second must give back First's input shape");
  static constexpr std::size_t parameter_count = First::parameter_count + Second::parameter_count;
  static constexpr std::string_view kind = "Residual";
  static constexpr std::string_view header = "external_layers.hpp";

  First first{};
  Second second{};

  constexpr output_type operator()(const input_type& x) const noexcept
  {
    const output_type inner = second(first(x));
    output_type y;
    for (std::size_t i = 0; i < input_shape::size; ++i) y.values[i] = x.values[i] + inner.values[i];
    return y;
  }

  template <class F>
  constexpr void visit_parameters(F&& f)
  {
    first.visit_parameters(f);
    second.visit_parameters(f);
  }
  template <class F>
  constexpr void visit_parameters(F&& f) const
  {
    first.visit_parameters(f);
    second.visit_parameters(f);
  }

  struct cache_type {
    typename First::cache_type first;
    typename First::output_type between;  // First's output, Second's input
    typename Second::cache_type second;
    output_type inner;  // Second's output
  };
  constexpr void forward(const input_type& x, cache_type& c, output_type& y) const noexcept
  {
    first.forward(x, c.first, c.between);
    second.forward(c.between, c.second, c.inner);
    for (std::size_t i = 0; i < input_shape::size; ++i) y.values[i] = x.values[i] + c.inner.values[i];
  }

  struct gradients {
    ctnn::gradients_of<First> first{};
    ctnn::gradients_of<Second> second{};
  };
  template <class F>
  static constexpr void visit_gradients(gradients& g, F&& f)
  {
    First::visit_gradients(g.first, f);
    Second::visit_gradients(g.second, f);
  }

  template <bool NeedInputGradient>
  constexpr void backward(const input_type& x, const cache_type& c, const output_type& /*y*/, const output_type& dy,
                          gradients& g, input_type& dx) const noexcept
  {
    typename First::output_type d_between;
    second.template backward<true>(c.between, c.second, c.inner, dy, g.second, d_between);
    input_type d_inner;
    first.template backward<NeedInputGradient>(x, c.first, c.between, d_between, g.first, d_inner);
    if constexpr (NeedInputGradient)
      for (std::size_t i = 0; i < input_shape::size; ++i) dx.values[i] = dy.values[i] + d_inner.values[i];
  }

  template <class Optimizer>
  struct optimizer_state {
    ctnn::optimizer_state_of<First, Optimizer> first{};
    ctnn::optimizer_state_of<Second, Optimizer> second{};
  };
  template <class Optimizer>
  constexpr void update(const Optimizer& optimizer, const gradients& g, optimizer_state<Optimizer>& s) noexcept
  {
    first.update(optimizer, g.first, s.first);
    second.update(optimizer, g.second, s.second);
  }

  template <class Initializer, class Generator>
  constexpr void initialize(const Initializer& init, Generator& rng) noexcept
  {
    first.initialize(init, rng);
    second.initialize(init, rng);
  }

  /// The model-file fields: the inner layers' kinds and own fields, so that a residual block around
  /// Tanh layers does not load a file of one around ReLU layers.
  template <class W>
  static constexpr void describe(W& w)
  {
    w.field("first", First::kind);
    if constexpr (requires { typename First::activation_type; })
      w.field("first_activation", std::string_view(First::activation_type::name));
    w.field("second", Second::kind);
    if constexpr (requires { typename Second::activation_type; })
      w.field("second_activation", std::string_view(Second::activation_type::name));
  }

  template <class W>
  static constexpr void spell(W& w)
  {
    w.text("external::Residual<");
    First::spell(w);
    w.text(", ");
    Second::spell(w);
    w.text(">");
  }
};

}  // namespace external
