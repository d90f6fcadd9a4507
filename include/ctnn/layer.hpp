#pragma once
// The layer protocol: what a type must offer to be a layer of a Network (Layer), and to be trained
// by fit() (TrainableLayer). Everything generic — Network, fit, gradient_check, the optimizers and
// initialisers, summary, model files, emit_header, for_inference, the bounds — reaches a layer only
// through the members below; docs/extending.md ("Your own layer") shows a complete layer written
// outside the library. A missing member is one compile error that names it.
//
// Inference (Layer):
//   using scalar_type = float or double;
//   using input_shape = Shape<...>;  using output_shape = Shape<...>;
//   using input_type = Vector<scalar_type, input_shape::size>;   output_type likewise
//   static constexpr std::string_view kind;                      // its name in summaries and model files
//   static constexpr std::size_t parameter_count;                // trainable values
//   constexpr output_type operator()(const input_type&) const;
//   template <class F> constexpr void visit_parameters(F&& f) [const];  // f(T (&)[N]) per tensor
// Optional:
//   static constexpr bool trainable = false;                     // values set, not trained
//   static constexpr std::size_t non_trainable_parameter_count;  // with visit_non_trainable_parameters(f)
//   using activation_type = ...;                                 // a last layer a loss may fuse with
//   template <class W> static constexpr void describe(W& w);     // model-file fields (hyper-parameters)
//   template <class W> static constexpr void spell(W& w);        // its C++ type, for emit_header
//   static constexpr std::string_view header;                    // where it is defined, for emit_header
//   constexpr ValueCheck check_values() const;                   // refuses stored values it cannot use
//   using inference_form = ...;                                  // what for_inference() makes of it
//
// Training (TrainableLayer), per sample: fit() keeps, for the sample in flight, the layer's output y
// and one cache_type (what backward() needs besides x and y); forward() fills both, backward() reads
// them and adds the sample's gradients to a gradients value, which update() applies with the
// optimizer, tensor by tensor:
//   using cache_type = ...;                                      // default-constructible
//   constexpr void forward(const input_type& x, cache_type& c, output_type& y) const;
//   template <bool NeedInputGradient>
//   constexpr void backward(const input_type& x, const cache_type& c, const output_type& y,
//                           const output_type& dy, gradients& g, input_type& dx) const;
//                                                                // g += this sample's; dx if asked
//   struct gradients;                                            // zero when value-initialised
//   template <class F> static constexpr void visit_gradients(gradients& g, F&& f);  // parameter order
//   template <class Optimizer> struct optimizer_state;          // Optimizer::state<T, N> per tensor
//   template <class Optimizer> constexpr void update(const Optimizer&, const gradients&,
//                                                    optimizer_state<Optimizer>&);
//   template <class Init, class Generator> constexpr void initialize(const Init&, Generator&);
// A non-trainable layer needs only cache_type, forward and backward (for the input gradient).
// Optional, for speed: backward_and_update(x, c, y, d, optimizer, state, dx), the
// backward pass and the optimizer's step in one (fit() uses it for per-sample training);
// `using plan_type = ...` (an empty type fit() passes as a last argument to forward() and
// backward_and_update(), from which a layer can deduce compile-time constants); and, for a layer
// with an activation_type whose cache_type is output_type holding the pre-activation h,
// forward<false> (h only) and backward<Need, true> from dL/dh, so that a loss fuses with the
// activation (cross-entropy after Sigmoid or Softmax).
// Optional, for a layer that normalises with its batch's statistics (BatchNorm):
// `static constexpr bool uses_batch_statistics = true`, forward_batch(xs, caches, ys, n) (may update
// running values) and backward_batch<NeedInputGradient>(xs, caches, ys, dys, g, dxs, n); fit then
// runs each batch layer by layer (detail/train_step.hpp) and refuses batch_size 1.
//
// Streaming, one time step per call (Network::step): a layer that keeps state between steps (a
// recurrent layer, a causal convolution's ring of past inputs) has
//   using state_type = ...;                          // a literal type of fixed size, owned by the caller
//   constexpr state_type initial_state() const;      // its resting state (zeros)
//   using step_input_type = Vector<T, ...>;          // one time step in, one out
//   using step_output_type = Vector<T, ...>;
//   constexpr step_output_type step(const step_input_type& x, state_type& s) const;
// A layer without state_type steps with operator() on its own input and output: a per-sample layer after a
// recurrent layer maps each step's vector.

#include <concepts>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

#include "ctnn/diagnostic.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// What check_values() returns: index is the position (0-based, in stored-value order) of the first
/// value the layer cannot use, named `name number` (e.g. "deviation 2", counting from 1), and problem
/// says why ("must be positive and finite"); index == npos when every value is usable.
struct ValueCheck {
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::size_t index = npos;
  std::string_view name{};
  std::size_t number = 0;
  std::string_view problem{};

  [[nodiscard]] constexpr bool ok() const noexcept { return index == npos; }
};

namespace detail {

// A visitor that accepts every tensor and does nothing: probes visit_parameters' signature.
struct any_tensor_visitor {
  template <class Tensor>
  constexpr void operator()(Tensor&) const noexcept
  {
  }
};

// The optimizer the protocol checks update() with: plain SGD's shape (a state per tensor, empty).
template <class T>
struct probe_optimizer {
  static constexpr bool plain_gradient_step = false;
  T learning_rate = T(0);
  template <class Scalar, std::size_t N>
  struct state {};
  constexpr void validate() const noexcept {}
  template <class Scalar, std::size_t N>
  constexpr void update(Scalar (&)[N], const Scalar (&)[N], state<Scalar, N>&) const noexcept
  {
  }
};

// The initialiser and generator the protocol checks initialize() with.
struct probe_initializer {
  template <class T, class Generator>
  constexpr T weight(Generator&, std::size_t, std::size_t) const noexcept
  {
    return T(0);
  }
  template <class T, class Generator>
  constexpr T bias(Generator&, std::size_t, std::size_t) const noexcept
  {
    return T(0);
  }
};
struct probe_generator {
  constexpr unsigned long long operator()() noexcept { return 0; }
};

template <class L>
concept has_scalar_type = requires {
  typename L::scalar_type;
} && (std::same_as<typename L::scalar_type, float> || std::same_as<typename L::scalar_type, double>);

template <class L>
concept has_shapes = requires {
  typename L::input_shape;
  typename L::output_shape;
} && ShapeType<typename L::input_shape> && ShapeType<typename L::output_shape>;

template <class L>
concept has_value_types =
    requires {
      typename L::input_type;
      typename L::output_type;
    } && std::same_as<typename L::input_type, Vector<typename L::scalar_type, L::input_shape::size>> &&
    std::same_as<typename L::output_type, Vector<typename L::scalar_type, L::output_shape::size>>;

template <class L>
concept has_kind = requires {
  {
    L::kind
  } -> std::convertible_to<std::string_view>;
};

template <class L>
concept has_parameter_count = requires {
  {
    L::parameter_count
  } -> std::convertible_to<std::size_t>;
};

template <class L>
concept has_call_operator = requires(const L& layer, const typename L::input_type& x) {
  {
    layer(x)
  } -> std::same_as<typename L::output_type>;
};

template <class L>
concept has_visit_parameters = requires(L& layer, const L& constant, any_tensor_visitor f) {
  layer.visit_parameters(f);
  constant.visit_parameters(f);
};

}  // namespace detail

/// False for a layer whose values are set rather than trained (a mean and deviation, say): fit() and
/// gradient_check() skip it, initialisers draw nothing for it, and the layer after it computes no
/// input gradient for it. A layer is trainable unless it says `static constexpr bool trainable = false`.
template <class L>
inline constexpr bool is_trainable_layer = [] {
  if constexpr (requires { L::trainable; })
    return static_cast<bool>(L::trainable);
  else
    return true;
}();

/// The values a layer stores but does not train (a standardising layer's mean and deviation): 0 unless it says.
template <class L>
inline constexpr std::size_t non_trainable_parameter_count_of = [] {
  if constexpr (requires { L::non_trainable_parameter_count; })
    return static_cast<std::size_t>(L::non_trainable_parameter_count);
  else
    return std::size_t{0};
}();

/// Every value a layer stores, trained or not: what model files and fingerprints cover.
template <class L>
inline constexpr std::size_t stored_value_count_of = L::parameter_count + non_trainable_parameter_count_of<L>;

namespace detail {

// Inference members, one check each, in order: one error for the first one missing.
template <class L>
using layer_checks = diagnostic::in_order<
    diagnostic::layer_needs_scalar_type<L, has_scalar_type<L>>, diagnostic::layer_needs_shapes<L, has_shapes<L>>,
    diagnostic::layer_needs_value_types<L, has_value_types<L>>, diagnostic::layer_needs_kind<L, has_kind<L>>,
    diagnostic::layer_needs_parameter_count<L, has_parameter_count<L>>,
    diagnostic::layer_needs_call_operator<L, has_call_operator<L>>,
    diagnostic::layer_needs_visit_parameters<L, has_visit_parameters<L>>>;

}  // namespace detail

/// A type that can be a layer of a Network: the inference part of the protocol above.
template <class L>
concept Layer =
    detail::has_scalar_type<L> && detail::has_shapes<L> && detail::has_value_types<L> && detail::has_kind<L> &&
    detail::has_parameter_count<L> && detail::has_call_operator<L> && detail::has_visit_parameters<L>;

namespace detail {

template <class L>
concept has_cache_and_forward =
    requires { typename L::cache_type; } && std::default_initializable<typename L::cache_type> &&
    requires(const L& layer, const typename L::input_type& x, typename L::cache_type& c, typename L::output_type& y) {
      layer.forward(x, c, y);
    };

template <class L>
concept has_gradients = requires { typename L::gradients; } && std::default_initializable<typename L::gradients> &&
                        requires(typename L::gradients& g, any_tensor_visitor f) { L::visit_gradients(g, f); };

template <class L>
concept has_backward = requires(const L& layer, const typename L::input_type& x, const typename L::cache_type& c,
                                const typename L::output_type& y, const typename L::output_type& dy,
                                typename L::gradients& g, typename L::input_type& dx) {
  layer.template backward<true>(x, c, y, dy, g, dx);
  layer.template backward<false>(x, c, y, dy, g, dx);
};

template <class L>
concept has_update =
    requires { typename L::template optimizer_state<probe_optimizer<typename L::scalar_type>>; } &&
    requires(L& layer, const probe_optimizer<typename L::scalar_type>& optimizer, const typename L::gradients& g,
             typename L::template optimizer_state<probe_optimizer<typename L::scalar_type>>& state) {
      layer.update(optimizer, g, state);
    };

template <class L>
concept has_initialize =
    requires(L& layer, const probe_initializer& init, probe_generator& rng) { layer.initialize(init, rng); };

// A non-trainable layer has no gradients: fit() gives it this empty one.
struct no_gradients {
  template <class F>
  static constexpr void visit(F&&) noexcept
  {
  }
};
struct no_optimizer_state {};

template <class L>
struct trainable_parts {
  using gradients = typename L::gradients;
  template <class Optimizer>
  using optimizer_state = typename L::template optimizer_state<Optimizer>;
};
template <class L>
  requires(!is_trainable_layer<L>)
struct trainable_parts<L> {
  using gradients = no_gradients;
  template <class Optimizer>
  using optimizer_state = no_optimizer_state;
};

// Training members, in order, after the inference ones: a trainable layer needs them all, a
// non-trainable one (trainable = false) only the cache, forward and backward.
template <class L>
using trainable_layer_checks = std::conditional_t<
    is_trainable_layer<L>,
    diagnostic::in_order<
        layer_checks<L>, diagnostic::layer_needs_cache_and_forward<L, has_cache_and_forward<L>>,
        diagnostic::layer_needs_gradients<L, has_gradients<L>>, diagnostic::layer_needs_backward<L, has_backward<L>>,
        diagnostic::layer_needs_update<L, has_update<L>>, diagnostic::layer_needs_initialize<L, has_initialize<L>>>,
    diagnostic::in_order<layer_checks<L>, diagnostic::layer_needs_cache_and_forward<L, has_cache_and_forward<L>>>>;

template <class L>
concept non_trainable_backward =
    requires(const L& layer, const typename L::input_type& x, const typename L::cache_type& c,
             const typename L::output_type& y, const typename L::output_type& dy, no_gradients& g,
             typename L::input_type& dx) { layer.template backward<true>(x, c, y, dy, g, dx); };

}  // namespace detail

/// The gradients fit() keeps for a layer (an empty value for a non-trainable one).
template <class L>
using gradients_of = typename detail::trainable_parts<L>::gradients;

/// An optimizer's state for a layer (empty for a non-trainable one).
template <class L, class Optimizer>
using optimizer_state_of = typename detail::trainable_parts<L>::template optimizer_state<Optimizer>;

/// A layer fit() can train: the whole protocol above (a non-trainable layer: cache, forward, backward).
template <class L>
concept TrainableLayer =
    Layer<L> && detail::has_cache_and_forward<L> &&
    (is_trainable_layer<L>
         ? (detail::has_gradients<L> && detail::has_backward<L> && detail::has_update<L> && detail::has_initialize<L>)
         : detail::non_trainable_backward<L>);

namespace detail {

// Calls f on each array of values a layer stores, the non-trainable ones first, then its parameters.
template <class L, class F>
constexpr void visit_stored_values(L& layer, F&& f)
{
  if constexpr (requires { layer.visit_non_trainable_parameters(f); }) layer.visit_non_trainable_parameters(f);
  layer.visit_parameters(f);
}

// The layer's gradient tensors in parameter order (none for a non-trainable layer).
template <class L, class F>
constexpr void visit_gradients_of(gradients_of<L>& g, F&& f)
{
  if constexpr (is_trainable_layer<L>) L::visit_gradients(g, f);
}

}  // namespace detail

namespace detail {
/// The state of a layer that keeps none between time steps.
struct no_state {
  friend constexpr bool operator==(const no_state&, const no_state&) = default;
};
}  // namespace detail

/// True for a layer that keeps state between time steps (the streaming part of the protocol).
template <class L>
concept StatefulLayer = requires(const L& layer, const typename L::step_input_type& x, typename L::state_type& s) {
  {
    layer.initial_state()
  } -> std::same_as<typename L::state_type>;
  {
    layer.step(x, s)
  } -> std::same_as<typename L::step_output_type>;
};

namespace detail {
template <class L>
struct stepping {
  using state = no_state;
  using input = typename L::input_type;
  using output = typename L::output_type;
};
template <StatefulLayer L>
struct stepping<L> {
  using state = typename L::state_type;
  using input = typename L::step_input_type;
  using output = typename L::step_output_type;
};
}  // namespace detail

/// What a layer keeps between time steps (an empty value for one that keeps nothing).
template <class L>
using state_of = typename detail::stepping<L>::state;
/// One time step in and out of a layer: its step_input_type and step_output_type, or for a layer
/// that keeps no state its input and output.
template <class L>
using step_input_of = typename detail::stepping<L>::input;
template <class L>
using step_output_of = typename detail::stepping<L>::output;

/// A layer of type L whose stored values (non-trainable ones first, then its parameters, each
/// tensor in the layer's order: a model file's order) are values: how generated headers spell a
/// layer that has no aggregate spelling of its own.
template <class L, class T, std::size_t N>
constexpr L layer_from_values(const T (&values)[N]) noexcept
{
  static_assert(N == stored_value_count_of<L>, "ctnn: layer_from_values needs exactly the layer's stored values");
  L layer{};
  std::size_t next = 0;
  detail::visit_stored_values(layer, [&](auto& tensor) {
    for (auto& value : tensor) value = values[next++];
  });
  return layer;
}

}  // namespace ctnn
