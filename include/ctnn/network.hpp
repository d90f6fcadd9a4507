#pragma once
// Network<Layers...>: the layers live in a boost::hana::tuple because they have different types.
// Each layer is checked against the layer protocol (layer.hpp), then shapes and scalar types over
// adjacent pairs of the type list, when the Network type is instantiated. Fingerprints and
// bitwise_equal are in fingerprint.hpp, batch prediction in predict.hpp.

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include <boost/hana/at.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/unpack.hpp>

#include "ctnn/detail/runtime_only.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// True when Next can take Prev's output: the soft twin of Network's shape check.
template <class Prev, class Next>
concept Chainable =
    Layer<Prev> && Layer<Next> && std::same_as<typename Prev::output_shape, typename Next::input_shape> &&
    std::same_as<typename Prev::scalar_type, typename Next::scalar_type>;

namespace detail {
template <std::size_t I, class... Ts>
using nth_type = std::tuple_element_t<I, std::tuple<Ts...>>;

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

// One shape check and one scalar check per adjacent pair, naming 1-based positions and both shapes,
// in order: only the first mismatch is reported.
template <class Indices, class... Layers>
struct chain_checks;
template <std::size_t... I, class... Layers>
struct chain_checks<std::index_sequence<I...>, Layers...> {
  template <std::size_t J>
  using shape = diagnostic::check_shape<
      typename diagnostic::layer<J + 2>::template takes<typename nth_type<J + 1, Layers...>::input_shape>,
      typename diagnostic::layer<J + 1>::template produces<typename nth_type<J, Layers...>::output_shape>>;
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

/// A feed-forward network of layers applied in order.
template <class... Layers>
class Network {
  static_assert(sizeof...(Layers) > 0, "ctnn: a Network needs at least one layer");
  // Each entry's members (the layer protocol, layer.hpp), then the chain: one error for the first problem.
  static_assert(diagnostic::passes<diagnostic::in_order<detail::layer_checks<Layers>...>>);
  static_assert(diagnostic::passes<std::conditional_t<
                    (Layer<Layers> && ...),
                    typename detail::chain_checks<std::make_index_sequence<sizeof...(Layers) - 1>, Layers...>::type,
                    diagnostic::in_order<>>>);

  using first_layer = detail::nth_type<0, Layers...>;
  using last_layer = detail::nth_type<sizeof...(Layers) - 1, Layers...>;

 public:
  using scalar_type = typename first_layer::scalar_type;
  using input_shape = typename first_layer::input_shape;
  using output_shape = typename last_layer::output_shape;
  using input_type = typename first_layer::input_type;
  using output_type = typename last_layer::output_type;
  using layers_type = boost::hana::tuple<Layers...>;

  static constexpr std::size_t layer_count = sizeof...(Layers);
  /// How many values predict() takes and gives (the sizes of input_shape and output_shape).
  static constexpr std::size_t inputs = input_shape::size;
  static constexpr std::size_t outputs = output_shape::size;
  /// Trainable parameters (what fit() changes and parameters() lists).
  static constexpr std::size_t parameter_count = (Layers::parameter_count + ...);
  /// Values set rather than trained, such as a standardising layer's mean and deviation.
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

  /// Runtime batch inference, results[s] = predict(samples[s]) for s < count.
  [[deprecated(
      "use ctnn::predict(net, inputs, outputs) from <ctnn/predict.hpp>, on for_inference(net) for speed")]] void
  predict_batch(const input_type* samples, output_type* results, std::size_t count) const noexcept
  {
    for (std::size_t s = 0; s < count; ++s) results[s] = predict(samples[s]);
  }

  /// What a streaming model keeps between time steps: each layer's state (state_of), in layer order.
  /// A literal type of fixed size (static_assert on sizeof(Net::state_type) for a memory budget); the
  /// model itself stays immutable, so one model serves any number of streams.
  struct state_type {
    boost::hana::tuple<state_of<Layers>...> layers{};

    /// Layer by layer, each state's own ==.
    friend constexpr bool operator==(const state_type& a, const state_type& b) noexcept
    {
      return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return ((boost::hana::at_c<I>(a.layers) == boost::hana::at_c<I>(b.layers)) && ...);
      }(std::index_sequence_for<Layers...>{});
    }
  };
  using step_input_type = step_input_of<first_layer>;
  using step_output_type = step_output_of<last_layer>;

  /// The resting state of every layer (zeros): where a stream starts.
  [[nodiscard]] constexpr state_type initial_state() const noexcept
  {
    state_type state;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((boost::hana::at_c<I>(state.layers) = initial_state_of(boost::hana::at_c<I>(layers))), ...);
    }(std::index_sequence_for<Layers...>{});
    return state;
  }

  /// One time step: each layer's step (or, for one that keeps no state, its operator()) in order,
  /// with its state, which it advances. No allocation.
  constexpr step_output_type step(const step_input_type& x, state_type& state) const noexcept
  {
    return step_from<0>(x, state);
  }

  /// Back to the resting state (zeros), or to one the caller stored (e.g. the state after a second
  /// of silence, so that a stream restarts without a click).
  constexpr void reset(state_type& state) const noexcept { state = initial_state(); }
  static constexpr void reset(state_type& state, const state_type& resting) noexcept { state = resting; }

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

  /// Every parameter in layer order (each layer's own order, as its visit_parameters gives it).
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

  /// Every stored value, trainable or not, in layer order (each layer's visit_parameters order).
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

 private:
  template <class L>
  static constexpr state_of<L> initial_state_of(const L& layer) noexcept
  {
    if constexpr (StatefulLayer<L>)
      return layer.initial_state();
    else
      return {};
  }

  // Layer I's step, then the rest's on its output.
  template <std::size_t I, class X>
  constexpr auto step_from(const X& x, state_type& state) const noexcept
  {
    const auto& l = boost::hana::at_c<I>(layers);
    const auto y = [&] {
      if constexpr (StatefulLayer<std::remove_cvref_t<decltype(l)>>)
        return l.step(x, boost::hana::at_c<I>(state.layers));
      else
        return l(x);
    }();
    if constexpr (I + 1 == sizeof...(Layers))
      return y;
    else
      return step_from<I + 1>(y, state);
  }
};

namespace detail {
template <class Net>
inline constexpr bool is_network = false;
template <class... Layers>
inline constexpr bool is_network<Network<Layers...>> = true;
}  // namespace detail

}  // namespace ctnn
