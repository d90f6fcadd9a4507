#pragma once
// The inference form of a trained network: ctnn::for_inference(net) gives an InferenceModel in which
// each layer is replaced by its inference form (the layer's `inference_form`, if it names one, e.g. weights
// stored by columns; any other layer is kept as it is). Each form gives its layer's bits,
// so predict() has Network::predict's bits, in a constant expression too, and runs faster at runtime.
// Nothing here trains: freeze after fit(), freeze again after changing the net. step() streams with
// Network::step's bits and its state_type, so a stream can move between the two mid-way.
// for_inference(net, fold_batch_norms) also folds each BatchNorm into the layer before it: opt-in,
// because folding rounds otherwise (within an ulp or so, not the same bits; see fold_batch_norm).

#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include <boost/hana/at.hpp>

#include "ctnn/detail/runtime_only.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/network.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

namespace detail {
// A layer's inference form: its inference_form when it names one, else itself.
template <class L>
struct inference_form_of {
  using type = L;
};
template <class L>
  requires requires { typename L::inference_form; }
struct inference_form_of<L> {
  using type = typename L::inference_form;
};

// Fills a layer's inference form in place: its assign(layer) when it has one (a large form is then
// never a temporary on the stack), else a copy or a conversion.
template <class Form, class L>
constexpr void make_inference_form(Form& form, const L& layer) noexcept
{
  if constexpr (requires { form.assign(layer); })
    form.assign(layer);
  else if constexpr (std::is_same_v<Form, L>)
    form = layer;
  else
    form = Form(layer);
}
}  // namespace detail

template <class Net>
class InferenceModel;

/// A Network<Layers...> frozen for inference (for_inference(net)): predict() and predict_batch()
/// with Network's bits, faster at runtime (layers with an inference form, e.g. weights by columns).
template <class... Layers>
class InferenceModel<Network<Layers...>> {
 public:
  using network_type = Network<Layers...>;
  using scalar_type = typename network_type::scalar_type;
  using input_type = typename network_type::input_type;
  using output_type = typename network_type::output_type;
  using input_shape = typename network_type::input_shape;
  using output_shape = typename network_type::output_shape;
  using layers_type = std::tuple<typename detail::inference_form_of<Layers>::type...>;
  static constexpr std::size_t inputs = network_type::inputs;
  static constexpr std::size_t outputs = network_type::outputs;
  /// Network's: each inference form keeps its layer's state (checked below), so one state serves both.
  using state_type = typename network_type::state_type;
  using step_input_type = typename network_type::step_input_type;
  using step_output_type = typename network_type::step_output_type;
  static_assert((std::is_same_v<state_of<typename detail::inference_form_of<Layers>::type>, state_of<Layers>> && ...),
                "ctnn: a layer's inference form must keep the layer's own state type");
  /// Samples predict_batch() runs through the layers together; the rest go one by one.
  static constexpr std::size_t batch_block = 8;

  layers_type layers{};

  constexpr InferenceModel() noexcept = default;
  constexpr explicit InferenceModel(const network_type& net) noexcept
  {
    // Each layer filled in place: a large model is built on the heap (predict_batch) without
    // passing through the stack.
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (detail::make_inference_form(std::get<I>(layers), net.template layer<I>()), ...);
    }(std::index_sequence_for<Layers...>{});
  }

  /// The I-th layer's inference form (0-based).
  template <std::size_t I>
  constexpr const auto& layer() const noexcept
  {
    return std::get<I>(layers);
  }

  /// Inference, with net.predict(x)'s bits.
  constexpr output_type predict(const input_type& x) const noexcept
  {
    if constexpr (network_type::total_parameter_count > detail::fold_parameter_limit)
      if (!__builtin_is_constant_evaluated()) detail::runtime_only();  // see detail/runtime_only.hpp
    return std::apply([&](const auto&... each) { return detail::chain_layers(x, each...); }, layers);
  }
  constexpr output_type operator()(const input_type& x) const noexcept { return predict(x); }

  /// The resting state of every layer (zeros), Network::initial_state()'s value.
  [[nodiscard]] constexpr state_type initial_state() const noexcept
  {
    state_type state;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((boost::hana::at_c<I>(state.layers) = initial_state_of(std::get<I>(layers))), ...);
    }(std::index_sequence_for<Layers...>{});
    return state;
  }

  /// One time step with Network::step's bits: each layer's step (or, for one that keeps no state,
  /// its operator()) in order, advancing its state. No allocation.
  constexpr step_output_type step(const step_input_type& x, state_type& state) const noexcept
  {
    return step_from<0>(x, state);
  }

  /// Back to zeros, or to a resting state the caller stored, as Network::reset.
  constexpr void reset(state_type& state) const noexcept { state = initial_state(); }
  static constexpr void reset(state_type& state, const state_type& resting) noexcept { state = resting; }

  /// Runtime batch inference, results[s] = predict(samples[s]) for s < count.
  [[deprecated("use ctnn::predict(model, inputs, outputs) from <ctnn/predict.hpp>")]] void predict_batch(
      const input_type* samples, output_type* results, std::size_t count) const noexcept
  {
    run_batch(samples, results, count);
  }

  /// Runtime: results[s] = predict(samples[s]) for s < count, bit for bit, nothing allocated. Blocks
  /// of batch_block samples go through each layer together (a layer's forward_block, when its
  /// inference form has one, sees several samples per pass over its weights).
  void run_batch(const input_type* samples, output_type* results, std::size_t count) const noexcept
  {
    const std::size_t blocked = count - count % batch_block;
    for (std::size_t s = 0; s < blocked; s += batch_block) block_from<0>(samples + s, results + s);
    for (std::size_t s = blocked; s < count; ++s) results[s] = predict(samples[s]);
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

  // Layer I's step, then the rest's on its output (Network::step_from on the inference forms).
  template <std::size_t I, class X>
  constexpr auto step_from(const X& x, state_type& state) const noexcept
  {
    const auto& l = std::get<I>(layers);
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

  // Layer I and those after it on one block; the intermediate values stay on the stack.
  template <std::size_t I, class X>
  void block_from(const X* x, output_type* y) const noexcept
  {
    const auto& l = std::get<I>(layers);
    using L = std::remove_cvref_t<decltype(l)>;
    constexpr bool last = I + 1 == sizeof...(Layers);
    std::array<typename L::output_type, last ? 0 : batch_block> between;
    auto* out = [&] {
      if constexpr (last)
        return y;
      else
        return between.data();
    }();
    if constexpr (requires { l.template forward_block<batch_block>(x, out); })
      l.template forward_block<batch_block>(x, out);
    else
      for (std::size_t s = 0; s < batch_block; ++s) out[s] = l(x[s]);
    if constexpr (!last) block_from<I + 1>(out, y);
  }
};

/// The inference form of net: same predictions, bit for bit, faster at runtime. A copy: later
/// changes to net (training) do not reach it.
template <class... Layers>
constexpr InferenceModel<Network<Layers...>> for_inference(const Network<Layers...>& net) noexcept
{
  return InferenceModel<Network<Layers...>>(net);
}

/// Asks for_inference to fold each BatchNorm into the Dense or Conv2D before it (fold_batch_norm).
struct fold_batch_norms_t {
  explicit constexpr fold_batch_norms_t() noexcept = default;
};
inline constexpr fold_batch_norms_t fold_batch_norms{};

/// The inference form of fold_batch_norm(net): one layer fewer per folded BatchNorm, predictions
/// within a rounding or so of net's, not its bits. A net with no BatchNorm (whose header,
/// batch_norm.hpp, is then perhaps not included) gives for_inference(net).
template <class... Layers>
constexpr auto for_inference(const Network<Layers...>& net, fold_batch_norms_t) noexcept
{
  if constexpr (requires { fold_batch_norm(net); })  // found by ADL when batch_norm.hpp is included
    return for_inference(fold_batch_norm(net));
  else
    return for_inference(net);
}

}  // namespace ctnn
