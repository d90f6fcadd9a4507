#pragma once
// Network<Layers...>: the layers live in a boost::hana::tuple because they have different types.
// Shapes are checked over adjacent pairs of the type list when the Network type is instantiated.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

#include <boost/hana/at.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/unpack.hpp>

#include "ctnn/detail/runtime_only.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// The sizes and scalar type every layer exposes.
template <class L>
concept Layer = requires {
  typename L::scalar_type;
  typename L::input_type;
  typename L::output_type;
  {
    L::inputs
  } -> std::convertible_to<std::size_t>;
  {
    L::outputs
  } -> std::convertible_to<std::size_t>;
  {
    L::parameter_count
  } -> std::convertible_to<std::size_t>;
};

/// False for a layer whose values are set rather than trained (Standardize): fit() and
/// gradient_check() skip it, initialisers draw nothing for it, and the layer after it computes no
/// input gradient for it. A layer is trainable unless it says `static constexpr bool trainable = false`.
template <class L>
inline constexpr bool is_trainable_layer = [] {
  if constexpr (requires { L::trainable; })
    return static_cast<bool>(L::trainable);
  else
    return true;
}();

/// The values a layer stores but does not train (Standardize's mean and deviation): 0 unless it says.
template <class L>
inline constexpr std::size_t non_trainable_parameter_count_of = [] {
  if constexpr (requires { L::non_trainable_parameter_count; })
    return static_cast<std::size_t>(L::non_trainable_parameter_count);
  else
    return std::size_t{0};
}();

/// True when Next can take Prev's output: the soft twin of Network's shape check.
template <class Prev, class Next>
concept Chainable = Layer<Prev> && Layer<Next> && Prev::outputs == Next::inputs &&
                    std::same_as<typename Prev::scalar_type, typename Next::scalar_type>;

namespace detail {
template <std::size_t I, class... Ts>
using nth_type = std::tuple_element_t<I, std::tuple<Ts...>>;

// Calls f on each array of values a layer stores, the non-trainable ones first, then its parameters.
template <class L, class F>
constexpr void visit_stored_values(L& layer, F&& f)
{
  if constexpr (requires { layer.visit_non_trainable_parameters(f); }) layer.visit_non_trainable_parameters(f);
  layer.visit_parameters(f);
}

// l_n(...(l_2(l_1(x)))): each layer on the one before's output, what predict() does (Network's and
// the inference form's).
template <class X, class L, class... Rest>
constexpr auto chain_layers(const X& x, const L& l, const Rest&... rest) noexcept
{
  if constexpr (sizeof...(Rest) == 0)
    return l(x);
  else
    return chain_layers(l(x), rest...);
}

template <class... Layers>
constexpr bool chains_pairwise() noexcept
{
  if constexpr (sizeof...(Layers) == 1)
    return (Layer<Layers> && ...);
  else
    return []<std::size_t... I>(std::index_sequence<I...>) {
      return (Chainable<nth_type<I, Layers...>, nth_type<I + 1, Layers...>> && ...);
    }(std::make_index_sequence<sizeof...(Layers) - 1>{});
}

// One shape check and one scalar check per adjacent pair, naming 1-based positions and both sizes,
// in order: only the first mismatch is reported.
template <class Indices, class... Layers>
struct chain_checks;
template <std::size_t... I, class... Layers>
struct chain_checks<std::index_sequence<I...>, Layers...> {
  template <std::size_t J>
  using shape = diagnostic::check_shape<
      typename diagnostic::layer<J + 2>::template expects_inputs<nth_type<J + 1, Layers...>::inputs>,
      typename diagnostic::layer<J + 1>::template outputs<nth_type<J, Layers...>::outputs>>;
  template <std::size_t J>
  using scalar = diagnostic::check_same_scalar<
      typename diagnostic::layer<J + 2>::template scalar<typename nth_type<J + 1, Layers...>::scalar_type>,
      typename diagnostic::layer<J + 1>::template scalar<typename nth_type<J, Layers...>::scalar_type>>;
  using type = diagnostic::in_order<shape<I>..., scalar<I>...>;
};
}  // namespace detail

/// True when Layers... form a valid Network; the soft twin of Network's static_asserts.
template <class... Layers>
concept ChainableLayers = sizeof...(Layers) > 0 && detail::chains_pairwise<Layers...>();

template <class Net>
class InferenceModel;  // inference.hpp, included at the end of this header

/// A feed-forward network of layers applied in order.
template <class... Layers>
class Network {
  static_assert(sizeof...(Layers) > 0, "ctnn: a Network needs at least one layer");
  static_assert((Layer<Layers> && ...), "ctnn: every Network entry must be a layer such as Dense<In, Out, Activation>");
  static_assert(diagnostic::passes<
                typename detail::chain_checks<std::make_index_sequence<sizeof...(Layers) - 1>, Layers...>::type>);

  using first_layer = detail::nth_type<0, Layers...>;
  using last_layer = detail::nth_type<sizeof...(Layers) - 1, Layers...>;

 public:
  using scalar_type = typename first_layer::scalar_type;
  using input_type = typename first_layer::input_type;
  using output_type = typename last_layer::output_type;
  using layers_type = boost::hana::tuple<Layers...>;

  static constexpr std::size_t layer_count = sizeof...(Layers);
  static constexpr std::size_t inputs = first_layer::inputs;
  static constexpr std::size_t outputs = last_layer::outputs;
  /// Trainable parameters (what fit() changes and parameters() lists).
  static constexpr std::size_t parameter_count = (Layers::parameter_count + ...);
  /// Values set rather than trained, such as Standardize's mean and deviation.
  static constexpr std::size_t non_trainable_parameter_count = (non_trainable_parameter_count_of<Layers> + ...);
  /// Every stored value: what stored_values(), model files and parameter_fingerprint() cover.
  static constexpr std::size_t total_parameter_count = parameter_count + non_trainable_parameter_count;
  static constexpr std::size_t trainable_layer_count = (std::size_t{is_trainable_layer<Layers>} + ...);

  /// How many of the layers before the one at position (0-based) are trainable.
  static constexpr std::size_t trainable_layers_before(std::size_t position) noexcept
  {
    constexpr bool trainable[] = {is_trainable_layer<Layers>...};
    std::size_t count = 0;
    for (std::size_t i = 0; i < position; ++i) count += trainable[i] ? 1 : 0;
    return count;
  }

  layers_type layers{};

  /// The I-th layer (0-based).
  template <std::size_t I>
  constexpr auto& layer() noexcept
  {
    return boost::hana::at_c<I>(layers);
  }
  template <std::size_t I>
  constexpr const auto& layer() const noexcept
  {
    return boost::hana::at_c<I>(layers);
  }

  /// Inference: the layers applied in order.
  constexpr output_type predict(const input_type& x) const noexcept
  {
    if constexpr (parameter_count > detail::fold_parameter_limit)
      if (!__builtin_is_constant_evaluated()) detail::runtime_only();  // see detail/runtime_only.hpp
    return boost::hana::unpack(layers, [&](const Layers&... each) { return detail::chain_layers(x, each...); });
  }
  constexpr output_type operator()(const input_type& x) const noexcept { return predict(x); }

  /// Runtime batch inference: results[s] = predict(samples[s]) for s < count, bit for bit. From two
  /// blocks of samples on, a copy with W by columns (for_inference, inference.hpp) runs the batch:
  /// copying W costs less than one block's sums, and its kernel needs no transposes.
  void predict_batch(const input_type* samples, output_type* results, std::size_t count) const
  {
    using Model = InferenceModel<Network>;
    if (count >= 2 * Model::batch_block) {
      const auto model = std::make_unique<Model>(*this);  // on the heap: as large as the parameters
      model->predict_batch(samples, results, count);
      return;
    }
    for (std::size_t s = 0; s < count; ++s) results[s] = predict(samples[s]);
  }

  /// Calls f(layer) for each layer in order.
  template <class F>
  constexpr void for_each_layer(F&& f)
  {
    boost::hana::for_each(layers, f);
  }
  template <class F>
  constexpr void for_each_layer(F&& f) const
  {
    boost::hana::for_each(layers, f);
  }

  /// Every parameter in layer order (each layer's own order: Dense gives W row-major, then b).
  constexpr Vector<scalar_type, parameter_count> parameters() const noexcept
  {
    Vector<scalar_type, parameter_count> flat{};
    std::size_t next = 0;
    for_each_layer([&](const auto& l) {
      l.visit_parameters([&](const auto& tensor) {
        for (auto v : tensor) flat.values[next++] = v;
      });
    });
    return flat;
  }

  /// Every stored value, trainable or not, in layer order (Standardize: mean, then deviation).
  /// Equal to parameters() for a network whose layers are all trainable.
  constexpr Vector<scalar_type, total_parameter_count> stored_values() const noexcept
  {
    Vector<scalar_type, total_parameter_count> flat{};
    std::size_t next = 0;
    for_each_layer([&](const auto& l) {
      detail::visit_stored_values(l, [&](const auto& tensor) {
        for (auto v : tensor) flat.values[next++] = v;
      });
    });
    return flat;
  }

  /// True when every stored value has the same bits in both networks (+0 and -0 differ, equal NaNs
  /// match).
  friend constexpr bool bitwise_equal(const Network& a, const Network& b) noexcept
  {
    const auto pa = a.stored_values();
    const auto pb = b.stored_values();
    for (std::size_t i = 0; i < total_parameter_count; ++i)
      if (std::bit_cast<parameter_bits>(pa.values[i]) != std::bit_cast<parameter_bits>(pb.values[i])) return false;
    return true;
  }

  /// FNV-1a 64 over the bytes (least significant first) of every stored value, trainable or not, in
  /// layer order: a short id of a trained model, and the checksum of its model file.
  friend constexpr std::uint64_t parameter_fingerprint(const Network& net) noexcept
  {
    std::uint64_t hash = 0xcbf29ce484222325u;
    for (auto v : net.stored_values().values) {
      const auto bits = std::bit_cast<parameter_bits>(v);
      for (std::size_t byte = 0; byte < sizeof(bits); ++byte) {
        hash ^= static_cast<std::uint8_t>(bits >> (8 * byte));
        hash *= 0x100000001b3u;
      }
    }
    return hash;
  }

 private:
  using parameter_bits = std::conditional_t<sizeof(scalar_type) == 8, std::uint64_t, std::uint32_t>;
};

}  // namespace ctnn

// After Network: the inference form builds on it, and Network::predict_batch runs on it.
#include "ctnn/inference.hpp"  // IWYU pragma: export
