#pragma once
// Initialisers draw each weight and bias from a generator; layers call them in a fixed order.

#include <cstddef>

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

/// Initialises every layer of net in order from one generator.
template <class Net, class Initializer, class Generator>
constexpr void initialize(Net& net, const Initializer& init, Generator& rng)
{
  net.for_each_layer([&](auto& layer) { layer.initialize(init, rng); });
}

/// A network of type Net initialised by init from a generator seeded with seed.
template <class Net, class Initializer>
constexpr Net initialized(const Initializer& init, Seed seed)
{
  Net net{};
  Random rng{seed};
  initialize(net, init, rng);
  return net;
}

}  // namespace ctnn
