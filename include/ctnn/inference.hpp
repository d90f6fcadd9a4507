#pragma once
// The inference form of a trained network: ctnn::for_inference(net) gives an InferenceModel that keeps
// each Dense layer's W by columns (W^T row-major) instead of by rows. Column j of W is then
// contiguous, so the runtime kernel (detail/column_kernels.hpp) puts rows in vector lanes with plain
// loads, where Network::predict has to transpose tiles of the row-major W on every call. Each output
// still gets the plain loop's operations in its order (W[i][0] x[0] first, then + W[i][j] x[j] for
// j = 1, 2, ..., the bias last, then the activation), so predict() has Network::predict's bits, in a
// constant expression too (plain loops over the column layout). Layers other than Dense (Standardize)
// are kept as they are. Nothing here trains: freeze after fit(), freeze again after changing the net.

#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctnn/dense.hpp"
#include "ctnn/detail/column_kernels.hpp"
#include "ctnn/detail/runtime_only.hpp"
#include "ctnn/network.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// A Dense layer for inference only: W by columns (columns[j * Out + i] = W[i][j]), the bias and the
/// activation. Made from a Dense; gives its operator()'s bits.
template <std::size_t In, std::size_t Out, class ActivationFunction, class T = double>
struct FrozenDense {
  using source_type = Dense<In, Out, ActivationFunction, T>;
  using scalar_type = T;
  using activation_type = ActivationFunction;
  using input_type = Vector<T, In>;
  using output_type = Vector<T, Out>;
  static constexpr std::size_t inputs = In;
  static constexpr std::size_t outputs = Out;
  static constexpr std::size_t parameter_count = source_type::parameter_count;

  T columns[In * Out]{};
  Vector<T, Out> bias{};

  constexpr FrozenDense() noexcept = default;
  constexpr explicit FrozenDense(const source_type& layer) noexcept { assign(layer); }

  /// Takes layer's weights (by columns) and bias.
  constexpr void assign(const source_type& layer) noexcept
  {
    for (std::size_t i = 0; i < Out; ++i)
      for (std::size_t j = 0; j < In; ++j) columns[j * Out + i] = layer.weights.values[i * In + j];
    bias = layer.bias;
  }

  /// y = f(W x + b), with Dense's bits.
  constexpr output_type operator()(const input_type& x) const noexcept
  {
    output_type y;
    if (std::is_constant_evaluated()) {
      output_type h;
      for (std::size_t i = 0; i < Out; ++i) {
        T sum = columns[i] * x.values[0];
        for (std::size_t j = 1; j < In; ++j) sum += columns[j * Out + i] * x.values[j];
        h.values[i] = sum + bias.values[i];
      }
      ActivationFunction::forward(h.values, y.values);
    } else {
      forward_block<1>(&x, &y);
    }
    return y;
  }

  /// Runtime: y[s] = (*this)(x[s]) for Samples samples side by side.
  template <std::size_t Samples>
  void forward_block(const input_type* x, output_type* y) const noexcept
  {
    static_assert(sizeof(input_type) == In * sizeof(T) && sizeof(output_type) == Out * sizeof(T),
                  "ctnn: Vector<T, N> holds exactly N values, so that samples are a strided array");
    constexpr std::size_t S = Samples == 1 ? 1 : sub_block;
    static_assert(Samples % S == 0);
    if constexpr (std::is_same_v<ActivationFunction, Identity>) {  // h is y
      for (std::size_t s = 0; s < Samples; s += S)
        detail::dense_forward_columns<In, Out, S>(columns, bias.values, x[s].values, In, y[s].values, Out);
    } else {
      output_type h[Samples];
      for (std::size_t s = 0; s < Samples; s += S)
        detail::dense_forward_columns<In, Out, S>(columns, bias.values, x[s].values, In, h[s].values, Out);
      if constexpr (requires {
                      ActivationFunction::template forward_elementwise<Out * Samples>(h[0].values, y[0].values);
                    })
        ActivationFunction::template forward_elementwise<Out * Samples>(h[0].values, y[0].values);
      else
        for (std::size_t s = 0; s < Samples; ++s) source_type::activate_at_runtime(h[s].values, y[s].values);
    }
  }

 private:
  // Samples per kernel call in a batch (a power of two, so that it divides the model's block).
  static constexpr std::size_t sub_block =
      detail::simd::power_of_two_at_most(detail::column_batch_samples<T, Out>, detail::column_batch_samples<T, Out>);
};

namespace detail {
// A layer's inference form: Dense becomes FrozenDense, any other layer is kept as it is.
template <class L>
struct frozen_layer {
  using type = L;
  static constexpr void assign(L& frozen, const L& layer) noexcept { frozen = layer; }
};
template <std::size_t In, std::size_t Out, class A, class T>
struct frozen_layer<Dense<In, Out, A, T>> {
  using type = FrozenDense<In, Out, A, T>;
  static constexpr void assign(type& frozen, const Dense<In, Out, A, T>& layer) noexcept { frozen.assign(layer); }
};
}  // namespace detail

template <class Net>
class InferenceModel;

/// A Network<Layers...> frozen for inference (for_inference(net)): predict() and predict_batch()
/// with Network's bits, faster at runtime (Dense layers keep W by columns).
template <class... Layers>
class InferenceModel<Network<Layers...>> {
 public:
  using network_type = Network<Layers...>;
  using scalar_type = typename network_type::scalar_type;
  using input_type = typename network_type::input_type;
  using output_type = typename network_type::output_type;
  using layers_type = std::tuple<typename detail::frozen_layer<Layers>::type...>;
  static constexpr std::size_t inputs = network_type::inputs;
  static constexpr std::size_t outputs = network_type::outputs;
  /// Samples predict_batch() runs through the layers together; the rest go one by one.
  static constexpr std::size_t batch_block = 8;

  layers_type layers{};

  constexpr InferenceModel() noexcept = default;
  constexpr explicit InferenceModel(const network_type& net) noexcept
  {
    // Each layer filled in place: a large model is built on the heap (predict_batch) without
    // passing through the stack.
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (detail::frozen_layer<Layers>::assign(std::get<I>(layers), net.template layer<I>()), ...);
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

  /// Runtime batch inference: results[s] = predict(samples[s]) for s < count, bit for bit. Blocks of
  /// batch_block samples go through each layer together (several samples per pass over W).
  void predict_batch(const input_type* samples, output_type* results, std::size_t count) const noexcept
  {
    const std::size_t blocked = count - count % batch_block;
    for (std::size_t s = 0; s < blocked; s += batch_block) block_from<0>(samples + s, results + s);
    for (std::size_t s = blocked; s < count; ++s) results[s] = predict(samples[s]);
  }

 private:
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

}  // namespace ctnn
