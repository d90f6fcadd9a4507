#pragma once
// ctnn::footprint<Model>: what a model costs a microcontroller, as constants for static_assert.
//
//   using Model = ctnn::Network<ctnn::Dense<16, 16, ctnn::Tanh, float>, ctnn::Dense<16, 4, ctnn::Softmax, float>>;
//   static_assert(ctnn::footprint<Model>.parameter_bytes <= 2 * 1024);   // 340 values: 1360 bytes
//   static_assert(ctnn::footprint<Model>.activation_bytes == 64);        // 16 floats
//
// Counted through the layer protocol only (layer.hpp: the shapes, parameter_count, the optional
// non_trainable_parameter_count, a stateful layer's state_type, scalar_type), so any layer counts.

#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <type_traits>
#include <utility>

#include "ctnn/layer.hpp"
#include "ctnn/network.hpp"

namespace ctnn {

/// The memory a model needs, in bytes.
struct Footprint {
  /// Every stored value (trainable or not: a standardising layer's mean and deviation too) times the size of
  /// the scalar: the flash a constexpr model (an emitted or exported header) occupies.
  std::size_t parameter_bytes;
  /// The largest layer input or output: the one vector every forward pass must hold at some point.
  std::size_t activation_bytes;
  /// The largest layer input plus that layer's output: both are live while a layer runs, so a forward
  /// pass that keeps nothing else (two buffers, one per side) needs this much. Network::predict keeps
  /// at least this on the stack, and a layer with a pre-activation cache another output vector unless the
  /// compiler keeps it in registers; the stack use measured on Cortex-M is in tests/mcu.
  std::size_t activation_pair_bytes;
  /// Recurrent state carried from one step to the next: the sum of sizeof(L::state_type) over the
  /// stateful layers (layer.hpp's streaming part); 0 for a network without one.
  std::size_t state_bytes;

  friend constexpr bool operator==(const Footprint&, const Footprint&) = default;
};

/// True for a Network: what footprint<Model> can count.
template <class Model>
concept CountableModel = requires {
  typename Model::layers_type;
  typename Model::scalar_type;
  {
    Model::layer_count
  } -> std::convertible_to<std::size_t>;
};

namespace detail {

template <class Layer>
constexpr std::size_t state_bytes_of() noexcept
{
  if constexpr (StatefulLayer<Layer>)
    return sizeof(state_of<Layer>);
  else
    return 0;
}

template <class Layers>
struct footprint_of_layers;
template <template <class...> class List, class... Layers>
struct footprint_of_layers<List<Layers...>> {
  static constexpr Footprint value(std::size_t scalar_bytes) noexcept
  {
    std::size_t largest = 0;
    std::size_t largest_pair = 0;
    for (const auto& [inputs, outputs] :
         {std::pair<std::size_t, std::size_t>{Layers::input_shape::size, Layers::output_shape::size}...}) {
      largest = inputs > largest ? inputs : largest;
      largest = outputs > largest ? outputs : largest;
      largest_pair = inputs + outputs > largest_pair ? inputs + outputs : largest_pair;
    }
    const std::size_t values = (stored_value_count_of<Layers> + ...);
    return {values * scalar_bytes, largest * scalar_bytes, largest_pair * scalar_bytes,
            (state_bytes_of<Layers>() + ...)};
  }
};

template <class Model>
constexpr Footprint footprint_of() noexcept
{
  static_assert(CountableModel<Model>,
                "ctnn: footprint<Model> counts a ctnn::Network (a type with layers_type, layer_count and scalar_type)");
  if constexpr (CountableModel<Model>)
    return footprint_of_layers<typename Model::layers_type>::value(sizeof(typename Model::scalar_type));
  else
    return {};
}

}  // namespace detail

/// The footprint of a Network type (cv- and reference-qualified types too: footprint<decltype(model)>).
template <class Model>
inline constexpr Footprint footprint = detail::footprint_of<std::remove_cvref_t<Model>>();

}  // namespace ctnn
