#pragma once
// Initialisers draw each weight and bias from a generator; layers call them in a fixed order.
//
// An initialiser has
//   template <math::Real T, class Generator> constexpr T weight(Generator&, size_t fan_in, size_t fan_out) const
//   template <math::Real T, class Generator> constexpr T bias(Generator&, size_t fan_in, size_t fan_out) const
// and optionally template <math::Real T> constexpr void validate() const, which initialize() calls
// once, with the network's scalar type, before any draw.

#include <concepts>
#include <cstddef>
#include <limits>
#include <tuple>
#include <utility>

#include "ctnn/detail/errors.hpp"
#include "ctnn/detail/runtime_only.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/math.hpp"
#include "ctnn/random.hpp"

namespace ctnn {

/// The tutorial's np.random.uniform(): weights and biases uniform in [0, 1).
struct Uniform01 {
  template <math::Real T, class Generator>
  constexpr T weight(Generator& rng, std::size_t /*fan_in*/, std::size_t /*fan_out*/) const noexcept
  {
    return uniform01<T>(rng);
  }
  template <math::Real T, class Generator>
  constexpr T bias(Generator& rng, std::size_t /*fan_in*/, std::size_t /*fan_out*/) const noexcept
  {
    return uniform01<T>(rng);
  }
};

/// Weights and biases uniform in [low, high). initialize() rejects (as a compile error in a constant
/// expression, std::invalid_argument at runtime) a range that is NaN or infinite, has low >= high in
/// the network's scalar type, or reaches beyond half that type's largest value (so that high - low
/// and every draw stay finite).
template <math::Real T = double>
struct Uniform {
  T low;
  T high;

  template <math::Real Scalar>
  constexpr void validate() const
  {
    if (!within_half_of_max<Scalar>(low) || !within_half_of_max<Scalar>(high) ||
        !(static_cast<Scalar>(low) < static_cast<Scalar>(high)))
      detail::ctnn_error_initializer_range_must_be_finite_and_low_below_high(
          "Uniform", sizeof(Scalar) == sizeof(float) ? "float" : "double", low, high);
  }

  template <math::Real Scalar, class Generator>
  constexpr Scalar weight(Generator& rng, std::size_t /*fan_in*/, std::size_t /*fan_out*/) const noexcept
  {
    return uniform<Scalar>(rng, static_cast<Scalar>(low), static_cast<Scalar>(high));
  }
  template <math::Real Scalar, class Generator>
  constexpr Scalar bias(Generator& rng, std::size_t /*fan_in*/, std::size_t /*fan_out*/) const noexcept
  {
    return uniform<Scalar>(rng, static_cast<Scalar>(low), static_cast<Scalar>(high));
  }

 private:
  // Compared in the wider type, so the conversion to Scalar happens only for values that fit.
  // False for NaN and infinities.
  template <math::Real Scalar>
  static constexpr bool within_half_of_max(T x) noexcept
  {
    if constexpr (sizeof(Scalar) < sizeof(T))
      return math::abs(x) <= static_cast<T>(std::numeric_limits<Scalar>::max() / Scalar(2));
    else
      return math::abs(static_cast<Scalar>(x)) <= std::numeric_limits<Scalar>::max() / Scalar(2);
  }
};

Uniform(double, double) -> Uniform<double>;
Uniform(float, float) -> Uniform<float>;

/// Glorot and Bengio (2010): weights uniform in [-a, a) with a = sqrt(6 / (fan_in + fan_out)),
/// which keeps the variance of activations and gradients about equal across tanh/sigmoid layers.
/// Biases are zero and draw nothing.
struct XavierUniform {
  template <math::Real T, class Generator>
  constexpr T weight(Generator& rng, std::size_t fan_in, std::size_t fan_out) const noexcept
  {
    const T limit = math::sqrt(T(6) / static_cast<T>(fan_in + fan_out));
    return uniform<T>(rng, -limit, limit);
  }
  template <math::Real T, class Generator>
  constexpr T bias(Generator& /*rng*/, std::size_t /*fan_in*/, std::size_t /*fan_out*/) const noexcept
  {
    return T(0);
  }
};

/// He et al. (2015): weights normal with mean 0 and standard deviation sqrt(2 / fan_in), which keeps
/// the variance of activations about constant across ReLU layers. Biases are zero and draw nothing.
struct HeNormal {
  template <math::Real T, class Generator>
  constexpr T weight(Generator& rng, std::size_t fan_in, std::size_t /*fan_out*/) const noexcept
  {
    const T stddev = math::sqrt(T(2) / static_cast<T>(fan_in));
    return stddev * normal<T>(rng);
  }
  template <math::Real T, class Generator>
  constexpr T bias(Generator& /*rng*/, std::size_t /*fan_in*/, std::size_t /*fan_out*/) const noexcept
  {
    return T(0);
  }
};

/// One initialiser per layer, in layer order: PerLayer{XavierUniform{}, HeNormal{}} initialises the
/// first layer with XavierUniform and the second with HeNormal, all from the one generator.
template <class... Initializers>
struct PerLayer {
  std::tuple<Initializers...> initializers;

  constexpr PerLayer(Initializers... each) : initializers{std::move(each)...} {}
};

template <class... Initializers>
PerLayer(Initializers...) -> PerLayer<Initializers...>;

/// What initialize() needs from an initialiser for scalar type T drawing from a Generator.
template <class I, class T, class Generator>
concept InitializerFor = requires(const I& init, Generator& rng, std::size_t fan_in, std::size_t fan_out) {
  {
    init.template weight<T>(rng, fan_in, fan_out)
  } -> std::convertible_to<T>;
  {
    init.template bias<T>(rng, fan_in, fan_out)
  } -> std::convertible_to<T>;
};

namespace detail {

// InitializerFor's requirements one by one, in order, so that a custom initialiser that misses one
// gets one error naming it (diagnostic.hpp; docs/extending.md).
template <class I, class T, class Generator>
using initializer_checks = diagnostic::in_order<
    diagnostic::initializer_needs_weight<I, requires(const I& init, Generator& rng, std::size_t fan) {
      {
        init.template weight<T>(rng, fan, fan)
      } -> std::convertible_to<T>;
    }>, diagnostic::initializer_needs_bias<I, requires(const I& init, Generator& rng, std::size_t fan) {
      {
        init.template bias<T>(rng, fan, fan)
      } -> std::convertible_to<T>;
    }>>;

template <class Scalar, class Initializer>
constexpr void validate_initializer(const Initializer& init)
{
  if constexpr (requires { init.template validate<Scalar>(); }) init.template validate<Scalar>();
}

// A trainable layer draws its values (the layer protocol's initialize); a non-trainable one draws
// nothing, so the other layers get the numbers they would get without it.
template <class L, class Initializer, class Generator>
constexpr void initialize_layer(L& layer, const Initializer& init, Generator& rng)
{
  if constexpr (is_trainable_layer<L>) layer.initialize(init, rng);
}

}  // namespace detail

/// Initialises every layer of net in order from one generator.
template <class Net, class Initializer, class Generator>
constexpr void initialize(Net& net, const Initializer& init, Generator& rng)
{
  static_assert(diagnostic::passes<detail::initializer_checks<Initializer, typename Net::scalar_type, Generator>>);
  if constexpr (InitializerFor<Initializer, typename Net::scalar_type, Generator>) {
    detail::validate_initializer<typename Net::scalar_type>(init);
    net.for_each_layer([&](auto& layer) { detail::initialize_layer(layer, init, rng); });
  }
}

namespace detail {

// With one initialiser per trainable layer, the one for layer I (0-based) is the number of trainable
// layers before it; with one per layer, it is I.
template <class Net, std::size_t Count>
constexpr std::size_t initializer_index(std::size_t layer) noexcept
{
  if constexpr (Count == Net::layer_count) {
    return layer;
  } else {
    const std::size_t trainable_before = Net::trainable_layers_before(layer);
    // A non-trainable layer after the last trainable one ignores the last initialiser.
    return trainable_before < Count ? trainable_before : Count - 1;
  }
}

}  // namespace detail

/// Initialises the i-th layer of net with the i-th initialiser of per_layer, in layer order, from
/// one generator. The counts must match: one initialiser per layer, or one per trainable layer
/// (non-trainable layers such as Standardize draw nothing, so they need none).
template <class Net, class... Initializers, class Generator>
constexpr void initialize(Net& net, const PerLayer<Initializers...>& per_layer, Generator& rng)
{
  constexpr bool one_per_trainable_layer = Net::trainable_layer_count != Net::layer_count &&
                                           Net::trainable_layer_count == sizeof...(Initializers) &&
                                           sizeof...(Initializers) > 0;
  static_assert(diagnostic::passes<diagnostic::check_initializer_count<
                    diagnostic::network_layers<one_per_trainable_layer ? Net::trainable_layer_count : Net::layer_count>,
                    diagnostic::per_layer_initializers<sizeof...(Initializers)>>>);
  static_assert(
      diagnostic::passes<
          diagnostic::in_order<detail::initializer_checks<Initializers, typename Net::scalar_type, Generator>...>>);
  if constexpr ((Net::layer_count == sizeof...(Initializers) || one_per_trainable_layer) &&
                (InitializerFor<Initializers, typename Net::scalar_type, Generator> && ...)) {
    // Every initialiser is checked before the first draw.
    std::apply([](const auto&... each) { (detail::validate_initializer<typename Net::scalar_type>(each), ...); },
               per_layer.initializers);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (detail::initialize_layer(
           net.template layer<I>(),
           std::get<detail::initializer_index<Net, sizeof...(Initializers)>(I)>(per_layer.initializers), rng),
       ...);
    }(std::make_index_sequence<Net::layer_count>{});
  }
}

/// A network of type Net initialised by init (an initialiser or a PerLayer) from a generator seeded
/// with seed.
template <class Net, class Initializer>
constexpr Net initialized(const Initializer& init, Seed seed)
{
  if constexpr (Net::parameter_count > detail::fold_parameter_limit)
    if (!__builtin_is_constant_evaluated()) detail::runtime_only();  // see detail/runtime_only.hpp
  Net net{};
  Random rng{seed};
  initialize(net, init, rng);
  return net;
}

}  // namespace ctnn
