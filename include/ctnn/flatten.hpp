#pragma once
// Flatten<S, T>: the values of a Shape S (an image, a sequence) as a vector Shape<S::size>. The
// values stay where they are (shapes are stored flat and row-major, shape.hpp): the layer only says
// that what follows reads them as one vector, e.g. a Dense layer after a Conv2D. Channels last, so
// an image's vector is PyTorch's nn.Flatten of a (C, H, W) tensor only after reordering the Dense
// weights (or with one channel).

#include <cstddef>
#include <string_view>

#include "ctnn/diagnostic.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

template <class S, class T = double>
struct Flatten {
  static_assert(ShapeType<S>, "ctnn: Flatten takes a ctnn::Shape<...>, e.g. Flatten<Shape<8, 8, 1>>");
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);

  using scalar_type = T;
  using input_shape = S;
  using output_shape = Shape<S::size>;
  using input_type = Vector<T, S::size>;
  using output_type = Vector<T, S::size>;
  static constexpr std::size_t parameter_count = 0;
  static constexpr bool trainable = false;
  static constexpr std::string_view kind = "Flatten";
  static constexpr std::string_view header = "ctnn/flatten.hpp";

  constexpr output_type operator()(const input_type& x) const noexcept { return x; }

  struct cache_type {};
  constexpr void forward(const input_type& x, cache_type&, output_type& y) const noexcept { y = x; }
  template <bool NeedInputGradient, bool GivenPreActivationGradient = false, class Gradients>
  constexpr void backward(const input_type&, const cache_type&, const output_type&, const output_type& dy, Gradients&,
                          input_type& dx) const noexcept
  {
    if constexpr (NeedInputGradient) dx = dy;
  }

  template <class F>
  constexpr void visit_parameters(F&&) const
  {
  }
  template <class F>
  constexpr void visit_parameters(F&&)
  {
  }

  template <class W>
  static constexpr void spell(W& w)
  {
    w.text("ctnn::Flatten<");
    w.text("ctnn::Shape<");
    for (std::size_t d = 0; d < S::rank; ++d) {
      if (d > 0) w.text(", ");
      w.number(S::dims[d]);
    }
    w.text(">");
    w.text(", ");
    w.template scalar<T>();
    w.text(">");
  }
};

}  // namespace ctnn
