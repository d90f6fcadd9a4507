#pragma once
// Dropout<S, Rate, Seed, T>: in training, each value is zeroed with probability Rate (a std::ratio)
// and the others scaled by 1 / (1 - Rate), as PyTorch's nn.Dropout; at inference (operator(),
// predict, evaluate, for_inference) it passes its input through.
//
// The masks are drawn without a generator in the layer, so that they are the same in a constant
// expression and at runtime and resume exactly: value i of a sample is kept when a hash of (Seed,
// the optimizer step, the sample's input bits, i) falls at or above Rate. The step count lives in
// the layer's optimizer state, which is part of TrainingState: update() advances it (once per sample
// in per-sample training, once per batch otherwise) and copies it into the layer, so fit for a
// epochs then b epochs with one TrainingState gives the bits of one fit for a + b epochs. Within a
// batch the samples' own bits make their masks differ (two identical samples of one batch share a
// mask). A fit() without a TrainingState starts the count again from the layer's last step.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <ratio>
#include <string_view>

#include "ctnn/diagnostic.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

namespace detail {
// SplitMix64's finaliser: every input bit reaches every output bit.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept
{
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A std::ratio's arguments as written (std::ratio<2, 8> is another type than std::ratio<1, 4>).
template <class R>
struct ratio_as_written;
template <std::intmax_t Num, std::intmax_t Den>
struct ratio_as_written<std::ratio<Num, Den>> {
  static constexpr std::intmax_t num = Num;
  static constexpr std::intmax_t den = Den;
};
}  // namespace detail

template <class S, class Rate, std::uint64_t Seed = 0, class T = double>
struct Dropout {
  static_assert(ShapeType<S>, "ctnn: Dropout takes a ctnn::Shape<...>, e.g. Dropout<Shape<64>, std::ratio<1, 4>>");
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(Rate::num >= 0 && Rate::num < Rate::den,
                "ctnn: Dropout's rate must be a std::ratio in [0, 1), e.g. std::ratio<1, 4>");

  using scalar_type = T;
  using input_shape = S;
  using output_shape = S;
  using input_type = Vector<T, S::size>;
  using output_type = Vector<T, S::size>;
  static constexpr std::size_t parameter_count = 0;
  static constexpr std::string_view kind = "Dropout";
  static constexpr std::string_view header = "ctnn/dropout.hpp";
  /// 1 / (1 - Rate), rounded once.
  static constexpr T keep_scale = static_cast<T>(Rate::den) / static_cast<T>(Rate::den - Rate::num);

  /// The optimizer steps taken (update() sets it from the optimizer state): where the masks are.
  std::uint64_t step = 0;

  constexpr output_type operator()(const input_type& x) const noexcept { return x; }

  /// Which values were kept: what backward() needs.
  struct cache_type {
    bool kept[S::size];
  };

  constexpr void forward(const input_type& x, cache_type& c, output_type& y) const noexcept
  {
    std::uint64_t h = detail::mix64(Seed ^ detail::mix64(step));
    for (const T v : x.values) {
      if constexpr (sizeof(T) == 8)
        h = detail::mix64(h ^ std::bit_cast<std::uint64_t>(v));
      else
        h = detail::mix64(h ^ std::bit_cast<std::uint32_t>(v));
    }
    for (std::size_t i = 0; i < S::size; ++i) {
      // A uniform integer in [0, den) from the top 32 bits: kept when at least num.
      const std::uint64_t draw = ((detail::mix64(h + i) >> 32) * static_cast<std::uint64_t>(Rate::den)) >> 32;
      c.kept[i] = draw >= static_cast<std::uint64_t>(Rate::num);
      y.values[i] = c.kept[i] ? x.values[i] * keep_scale : T(0);
    }
  }

  struct gradients {};
  template <class F>
  static constexpr void visit_gradients(gradients&, F&&)
  {
  }

  template <bool NeedInputGradient, bool GivenPreActivationGradient = false>
  constexpr void backward(const input_type&, const cache_type& c, const output_type&, const output_type& dy, gradients&,
                          input_type& dx) const noexcept
  {
    if constexpr (NeedInputGradient)
      for (std::size_t i = 0; i < S::size; ++i) dx.values[i] = c.kept[i] ? dy.values[i] * keep_scale : T(0);
  }

  /// The mask generator's position: part of TrainingState, so resumed training draws on.
  template <class Optimizer>
  struct optimizer_state {
    std::uint64_t steps = 0;
  };
  template <class Optimizer>
  constexpr void update(const Optimizer&, const gradients&, optimizer_state<Optimizer>& state) noexcept
  {
    step = ++state.steps;
  }

  template <class Initializer, class Generator>
  constexpr void initialize(const Initializer&, Generator&) noexcept
  {
    step = 0;
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
  static constexpr void describe(W& w)
  {
    w.field("rate_num", static_cast<std::size_t>(Rate::num));
    w.field("rate_den", static_cast<std::size_t>(Rate::den));
    constexpr std::size_t seed = Seed;
    w.field("seed", seed);
  }

  template <class W>
  static constexpr void spell(W& w)
  {
    w.text("ctnn::Dropout<ctnn::Shape<");
    for (std::size_t d = 0; d < S::rank; ++d) {
      if (d > 0) w.text(", ");
      w.number(S::dims[d]);
    }
    w.text(">, std::ratio<");
    w.number(detail::ratio_as_written<Rate>::num);
    w.text(", ");
    w.number(detail::ratio_as_written<Rate>::den);
    w.text(">, ");
    constexpr std::size_t seed = Seed;
    w.number(seed);
    w.text(", ");
    w.template scalar<T>();
    w.text(">");
  }
};

}  // namespace ctnn
