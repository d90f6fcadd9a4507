#pragma once
// One training step and one epoch, the loops fit() runs. Each step is a short recursion over the
// layer references (forward on the way in, backward and update on the way out), so the constant
// evaluator sees a few calls per layer and sample, not a fold. A layer is reached only through the
// layer protocol (layer.hpp): forward(x, cache), backward(...) into its gradients and update(), or
// its backward_and_update() fast path when it has one.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "ctnn/class_weights.hpp"
#include "ctnn/data.hpp"
#include "ctnn/detail/checks.hpp"
#include "ctnn/detail/errors.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/math.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn::detail {

// A layer with its optimizer state (per-sample training).
template <class Layer, class OptimizerState>
struct slot {
  Layer& layer;
  OptimizerState& optimizer_state;
};

// A layer with its optimizer state and the gradient sum of the current batch.
template <class Layer, class OptimizerState>
struct batch_slot {
  Layer& layer;
  OptimizerState& optimizer_state;
  gradients_of<Layer>& gradients;
};

// A read-only layer with a gradient sum (gradient_check).
template <class Layer>
struct gradient_slot {
  const Layer& layer;
  gradients_of<Layer>& gradients;
};

// The running sums of an epoch when a callback wants the training accuracy: the loss, and the
// samples whose predicted class was the target's (counted with the model of the moment, as Keras
// does). Without such a callback the sum is a plain scalar and nothing is counted.
template <class T>
struct loss_and_hits {
  T loss{0};
  std::size_t correct = 0;

  constexpr void operator+=(T value) noexcept { loss += value; }
  template <class Y, class Target>
  constexpr void count(const Y& y, const Target& target) noexcept
  {
    if (predicted_class(y) == predicted_class(target)) ++correct;
  }
};

// Whether a layer steps itself for this optimizer in the same pass as its backward pass
// (backward_and_update); SkipsZeroDeltas is passed on to it.
template <class Layer, class Optimizer>
concept steps_itself = requires(Layer& layer, const typename Layer::input_type& x, const typename Layer::cache_type& c,
                                const typename Layer::output_type& y, const Optimizer& optimizer,
                                optimizer_state_of<Layer, Optimizer>& state, typename Layer::input_type& dx) {
  layer.template backward_and_update<true, false, false>(x, c, y, y, optimizer, state, dx);
};

// Whether a layer takes the plan fit() passes as the last argument of forward and backward_and_update.
template <class Layer>
concept takes_plan = requires { typename Layer::plan_type; };

// Whether a layer offers the zero-delta shortcut of a constant-evaluated SGD step.
template <class Layer>
concept skips_zero_deltas = requires(const Layer& layer) {
  {
    layer.skips_zero_deltas_exactly()
  } -> std::same_as<bool>;
};

template <class Layer>
constexpr bool zero_deltas_skip_exactly(const Layer& layer) noexcept
{
  if constexpr (skips_zero_deltas<Layer>)
    return layer.skips_zero_deltas_exactly();
  else
    return true;
}

// The layer's forward pass, with its plan when it takes one (activates = false: the pre-activation
// only, for a loss fused with the activation). A macro rather than a function: a helper call per
// layer and sample costs the constant evaluators time and memory.
#define CTNN_DETAIL_FORWARD(layer, activates, x, c, y)                           \
  do {                                                                           \
    if constexpr (takes_plan<Layer>)                                             \
      (layer).template forward<activates>(x, c, y, typename Layer::plan_type{}); \
    else                                                                         \
      (layer).forward(x, c, y);                                                  \
  } while (false)

// Forward through this layer, recurse into the rest, then backward and update this layer on the
// way out, writing dx for the layer before (the first trainable layer skips it). Each layer's cache,
// output and dL/dy are locals of its own frame, and x is the caller's: the constant evaluator copies
// nothing. SkipsZeroDeltas (constant evaluation only): see the layer's skips_zero_deltas_exactly.
template <bool IsFirst, bool SkipsZeroDeltas, class Loss, class Optimizer, class T, class Target, class Layer,
          class State, class... Rest>
constexpr void train_sample(const Loss& loss, const Optimizer& optimizer, const typename Layer::input_type& x,
                            const Target& target, T& loss_sum, typename Layer::input_type& dx,
                            const slot<Layer, State>& here, const Rest&... rest) noexcept
{
  constexpr bool last = sizeof...(Rest) == 0;
  constexpr bool fused = last && loss_fuses_with_layer<Loss, Layer>();
  typename Layer::cache_type c;
  typename Layer::output_type y, d;
  if constexpr (fused) {
    if constexpr (requires { loss.value_softmax_and_pre_activation_gradient(c, y, target, d); }) {
      // In the compiler the softmax and the loss share their exponentials (same bits, see loss.hpp).
      if (__builtin_is_constant_evaluated()) {
        CTNN_DETAIL_FORWARD(here.layer, false, x, c, y);
        loss_sum += loss.value_softmax_and_pre_activation_gradient(c, y, target, d);
      } else {
        CTNN_DETAIL_FORWARD(here.layer, true, x, c, y);
        loss_sum += loss.value_and_pre_activation_gradient(c, y, target, d);
      }
    } else {
      CTNN_DETAIL_FORWARD(here.layer, true, x, c, y);
      loss_sum += loss.value_and_pre_activation_gradient(c, y, target, d);
    }
    if constexpr (!std::is_arithmetic_v<T>) loss_sum.count(y, target);
  } else if constexpr (last) {
    CTNN_DETAIL_FORWARD(here.layer, true, x, c, y);
    loss_sum += loss.value_and_gradient(y, target, d);
    if constexpr (!std::is_arithmetic_v<T>) loss_sum.count(y, target);
  } else {
    CTNN_DETAIL_FORWARD(here.layer, true, x, c, y);
    // A layer after only non-trainable ones computes no input gradient either.
    train_sample<IsFirst && !is_trainable_layer<Layer>, SkipsZeroDeltas>(loss, optimizer, y, target, loss_sum, d,
                                                                         rest...);
  }
  if constexpr (steps_itself<Layer, Optimizer> && takes_plan<Layer>) {
    here.layer.template backward_and_update<!IsFirst, fused, SkipsZeroDeltas && skips_zero_deltas<Layer>>(
        x, c, y, d, optimizer, here.optimizer_state, dx, typename Layer::plan_type{});
  } else if constexpr (steps_itself<Layer, Optimizer>) {
    here.layer.template backward_and_update<!IsFirst, fused, SkipsZeroDeltas && skips_zero_deltas<Layer>>(
        x, c, y, d, optimizer, here.optimizer_state, dx);
  } else {
    gradients_of<Layer> g{};
    if constexpr (fused)  // a pre-activation gradient, which only a layer that takes one gets
      here.layer.template backward<!IsFirst, true>(x, c, y, d, g, dx);
    else
      here.layer.template backward<!IsFirst>(x, c, y, d, g, dx);
    if constexpr (is_trainable_layer<Layer>) here.layer.update(optimizer, g, here.optimizer_state);
  }
}

// As train_sample, but adds the gradients to each slot's sum instead of updating.
template <bool IsFirst, class Loss, class T, class Target, class Slot, class... Rest>
constexpr void accumulate_sample(const Loss& loss,
                                 const typename std::remove_cvref_t<decltype(Slot::layer)>::input_type& x,
                                 const Target& target, T& loss_sum,
                                 typename std::remove_cvref_t<decltype(Slot::layer)>::input_type& dx, const Slot& here,
                                 const Rest&... rest) noexcept
{
  using Layer = std::remove_cvref_t<decltype(Slot::layer)>;
  constexpr bool last = sizeof...(Rest) == 0;
  constexpr bool fused = last && loss_fuses_with_layer<Loss, Layer>();
  typename Layer::cache_type c;
  typename Layer::output_type y, d;
  CTNN_DETAIL_FORWARD(here.layer, true, x, c, y);
  if constexpr (fused) {
    loss_sum += loss.value_and_pre_activation_gradient(c, y, target, d);
    if constexpr (!std::is_arithmetic_v<T>) loss_sum.count(y, target);
  } else if constexpr (last) {
    loss_sum += loss.value_and_gradient(y, target, d);
    if constexpr (!std::is_arithmetic_v<T>) loss_sum.count(y, target);
  } else {
    accumulate_sample<IsFirst && !is_trainable_layer<Layer>>(loss, y, target, loss_sum, d, rest...);
  }
  if constexpr (fused)  // a pre-activation gradient, which only a layer that takes one gets
    here.layer.template backward<!IsFirst, true>(x, c, y, d, here.gradients, dx);
  else
    here.layer.template backward<!IsFirst>(x, c, y, d, here.gradients, dx);
}

// Whether a layer normalises with its batch's statistics (BatchNorm): then fit runs each batch layer
// by layer (accumulate_batch) rather than sample by sample.
template <class Layer>
concept uses_batch_statistics = requires { requires Layer::uses_batch_statistics; };

// As accumulate_sample for a whole batch, layer by layer: every sample forward through this layer
// (forward_batch for a layer that uses batch statistics), the rest of the network, then every
// sample backward (backward_batch). xs are this layer's inputs, target(s) the batch's targets;
// dxs receives the input gradients unless IsFirst. The samples' caches and outputs live in vectors
// (transient allocations, which a constant expression allows).
template <bool IsFirst, class Loss, class T, class Targets, class Slot, class... Rest>
constexpr void accumulate_batch(const Loss& loss,
                                const std::vector<typename std::remove_cvref_t<decltype(Slot::layer)>::input_type>& xs,
                                const Targets& target, T& loss_sum,
                                std::vector<typename std::remove_cvref_t<decltype(Slot::layer)>::input_type>& dxs,
                                const Slot& here, const Rest&... rest)
{
  using Layer = std::remove_cvref_t<decltype(Slot::layer)>;
  constexpr bool last = sizeof...(Rest) == 0;
  constexpr bool fused = last && loss_fuses_with_layer<Loss, Layer>();
  const std::size_t n = xs.size();
  // reserve and push_back, not the count constructor: Clang 16 cannot evaluate libstdc++ 12's fill.
  std::vector<typename Layer::cache_type> cs;
  std::vector<typename Layer::output_type> ys;
  std::vector<typename Layer::output_type> ds;
  cs.reserve(n);
  ys.reserve(n);
  ds.reserve(n);
  for (std::size_t s = 0; s < n; ++s) {
    cs.push_back({});
    ys.push_back({});
    ds.push_back({});
  }
  if constexpr (uses_batch_statistics<Layer>)
    here.layer.forward_batch(xs.data(), cs.data(), ys.data(), n);
  else
    for (std::size_t s = 0; s < n; ++s) here.layer.forward(xs[s], cs[s], ys[s]);
  if constexpr (last) {
    for (std::size_t s = 0; s < n; ++s) {
      if constexpr (fused)
        loss_sum += loss.value_and_pre_activation_gradient(cs[s], ys[s], target(s), ds[s]);
      else
        loss_sum += loss.value_and_gradient(ys[s], target(s), ds[s]);
      if constexpr (!std::is_arithmetic_v<T>) loss_sum.count(ys[s], target(s));
    }
  } else {
    accumulate_batch<IsFirst && !is_trainable_layer<Layer>>(loss, ys, target, loss_sum, ds, rest...);
  }
  if constexpr (uses_batch_statistics<Layer>) {
    here.layer.template backward_batch<!IsFirst>(xs.data(), cs.data(), ys.data(), ds.data(), here.gradients, dxs.data(),
                                                 n);
  } else {
    for (std::size_t s = 0; s < n; ++s) {
      if constexpr (fused)
        here.layer.template backward<!IsFirst, true>(xs[s], cs[s], ys[s], ds[s], here.gradients, dxs[s]);
      else
        here.layer.template backward<!IsFirst>(xs[s], cs[s], ys[s], ds[s], here.gradients, dxs[s]);
    }
  }
}

#undef CTNN_DETAIL_FORWARD

// The loss of sample i of a weighted data set: loss, its value and gradient times the sample's weight.
template <class Loss, class Data>
constexpr WeightedLoss<const Loss&, by_sample<typename Data::scalar_type>> sample_weighted(const Loss& loss,
                                                                                           const Data& data,
                                                                                           std::size_t i) noexcept
{
  return {loss, {data.weight(i)}};
}

// A non-constexpr report, reached only on failure: in a constant expression the compiler names it.
// The epoch loops test the loss inline and call this only when it failed: a call per sample costs
// the constant evaluator more than the test.
constexpr void check_loss_is_finite(bool finite, std::size_t epoch, std::size_t sample)
{
  if (!finite) ctnn_error_training_diverged_the_loss_is_nan_or_infinite(epoch, sample);
}

// One epoch in its own call: Clang's evaluator keeps every temporary of a frame until the frame
// returns, so per-sample work must not pile up in the frame that runs all the epochs.
template <class Sum, bool SkipsZeroDeltas = false, class Loss, class Optimizer, class Data, class Order, class... Slots>
constexpr Sum train_epoch(const Loss& loss, const Optimizer& optimizer, const Data& data, const Order& order,
                          std::size_t epoch, Slots... slots)
{
  // In the compiler only: the same bits for less work where a ReLU unit was off (see train_sample).
  if constexpr (!SkipsZeroDeltas && (skips_zero_deltas<std::remove_cvref_t<decltype(Slots::layer)>> || ...))
    if (__builtin_is_constant_evaluated() && (zero_deltas_skip_exactly(slots.layer) && ...))
      return train_epoch<Sum, true>(loss, optimizer, data, order, epoch, slots...);
  Sum sum{0};
  constexpr auto largest = std::numeric_limits<typename Data::scalar_type>::max();
  Vector<typename Data::scalar_type, Data::inputs> unused_dx;
  const auto& samples = sample_access(data);
  const std::size_t size = data.size();
  for (std::size_t i = 0; i < size; ++i) {
    const auto& sample = samples[order[i]];
    if constexpr (SampleWeightedDataset<Data>)
      train_sample<true, SkipsZeroDeltas>(sample_weighted(loss, data, order[i]), optimizer, sample.input, sample.target,
                                          sum, unused_dx, slots...);
    else
      train_sample<true, SkipsZeroDeltas>(loss, optimizer, sample.input, sample.target, sum, unused_dx, slots...);
    // Two comparisons, no arithmetic: Clang's evaluator refuses to compute a NaN such as inf - inf.
    if constexpr (std::is_arithmetic_v<Sum>) {
      if (!(sum >= -largest && sum <= largest)) check_loss_is_finite(false, epoch, order[i]);
    } else if (!(sum.loss >= -largest && sum.loss <= largest)) {
      check_loss_is_finite(false, epoch, order[i]);
    }
  }
  return sum;
}

// Averages a batch's gradient sum over its count, steps the optimizer and clears the sum; a
// non-trainable layer has no gradient sum and nothing to step.
template <class Optimizer, class Slot>
constexpr void apply_batch(const Optimizer& optimizer, std::size_t count, Slot& s) noexcept
{
  using Layer = std::remove_cvref_t<decltype(s.layer)>;
  if constexpr (is_trainable_layer<Layer>) {
    using T = typename Layer::scalar_type;
    if (count > 1) {
      const T divisor = static_cast<T>(count);
      Layer::visit_gradients(s.gradients, [&](auto& tensor) {
        for (auto& g : tensor) g /= divisor;
      });
    }
    s.layer.update(optimizer, s.gradients, s.optimizer_state);
    s.gradients = {};
  }
}

template <class Sum, class Loss, class Optimizer, class Data, class Order, class... Slots>
constexpr Sum train_epoch_in_batches(const Loss& loss, const Optimizer& optimizer, const Data& data, const Order& order,
                                     std::size_t batch_size, std::size_t epoch, Slots... slots)
{
  Sum sum{0};
  constexpr auto largest = std::numeric_limits<typename Data::scalar_type>::max();
  Vector<typename Data::scalar_type, Data::inputs> unused_dx;
  const auto& samples = sample_access(data);
  const std::size_t size = data.size();
  for (std::size_t start = 0; start < size; start += batch_size) {
    const std::size_t end = size - start < batch_size ? size : start + batch_size;
    if constexpr ((uses_batch_statistics<std::remove_cvref_t<decltype(Slots::layer)>> || ...)) {
      using Input = Vector<typename Data::scalar_type, Data::inputs>;
      std::vector<Input> xs;
      std::vector<Input> unused_dxs;
      xs.reserve(end - start);
      unused_dxs.reserve(end - start);
      for (std::size_t i = start; i < end; ++i) {
        xs.push_back(samples[order[i]].input);
        unused_dxs.push_back({});
      }
      accumulate_batch<true>(
          loss, xs, [&](std::size_t s) -> const auto& { return samples[order[start + s]].target; }, sum, unused_dxs,
          slots...);
      if constexpr (std::is_arithmetic_v<Sum>) {
        if (!(sum >= -largest && sum <= largest)) check_loss_is_finite(false, epoch, order[start]);
      } else if (!(sum.loss >= -largest && sum.loss <= largest)) {
        check_loss_is_finite(false, epoch, order[start]);
      }
      (apply_batch(optimizer, end - start, slots), ...);
      continue;
    }
    for (std::size_t i = start; i < end; ++i) {
      const auto& sample = samples[order[i]];
      if constexpr (SampleWeightedDataset<Data>)
        accumulate_sample<true>(sample_weighted(loss, data, order[i]), sample.input, sample.target, sum, unused_dx,
                                slots...);
      else
        accumulate_sample<true>(loss, sample.input, sample.target, sum, unused_dx, slots...);
      if constexpr (std::is_arithmetic_v<Sum>) {
        if (!(sum >= -largest && sum <= largest)) check_loss_is_finite(false, epoch, order[i]);
      } else if (!(sum.loss >= -largest && sum.loss <= largest)) {
        check_loss_is_finite(false, epoch, order[i]);
      }
    }
    (apply_batch(optimizer, end - start, slots), ...);
  }
  return sum;
}

// Multiplying by zero turns an infinity into NaN and keeps NaN: the sum is zero iff all are finite.
template <class Layer>
constexpr bool parameters_are_finite(const Layer& layer) noexcept
{
  using T = typename Layer::scalar_type;
  T probe = T(0);
  layer.visit_parameters([&](const auto& tensor) {
    for (const T p : tensor) probe += p * T(0);
  });
  return probe == T(0);
}

template <class... Slots>
constexpr void check_parameters_are_finite(std::size_t epoch, const Slots&... slots)
{
  if ((parameters_are_finite(slots.layer) && ...)) return;
  std::size_t position = 0;
  std::size_t first_bad = 0;
  const auto find = [&](const auto& layer) {
    ++position;
    if (first_bad == 0 && !parameters_are_finite(layer)) first_bad = position;
  };
  (find(slots.layer), ...);
  ctnn_error_training_diverged_a_parameter_is_nan_or_infinite(epoch, first_bad);
}

// Whether a layer, as a network's first, takes NaN inputs (handles_missing_inputs): then fit() accepts them.
template <class L>
inline constexpr bool handles_missing_inputs = [] {
  if constexpr (requires { L::handles_missing_inputs; })
    return static_cast<bool>(L::handles_missing_inputs);
  else
    return false;
}();

// Whether no value is infinite, NaN allowed (the inputs of a network that fills missing ones).
template <class T, std::size_t N>
inline bool none_infinite(const T (&values)[N]) noexcept
{
  using Bits = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;
  constexpr Bits exponent = sizeof(T) == 8 ? Bits(0x7ff0000000000000) : Bits(0x7f800000);
  constexpr Bits magnitude = sizeof(T) == 8 ? Bits(0x7fffffffffffffff) : Bits(0x7fffffff);
  Bits any = 0;
  for (const T v : values) any |= Bits((std::bit_cast<Bits>(v) & magnitude) == exponent);
  return any == 0;
}

// Whether no value is NaN or infinite, for runtime: a value is iff its exponent bits are all ones,
// and the tests OR-ed as integers vectorise where the short-circuit loop below does not (fit
// scans its data on every call).
template <class T, std::size_t N>
inline bool all_finite(const T (&values)[N]) noexcept
{
  using Bits = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;
  constexpr Bits exponent = sizeof(T) == 8 ? Bits(0x7ff0000000000000) : Bits(0x7f800000);
  Bits any = 0;
  for (const T v : values) any |= Bits((std::bit_cast<Bits>(v) & exponent) == exponent);
  return any == 0;
}

// The first sample with a NaN or infinity, or data.size() when there is none; with MissingInputs
// (a first layer that fills them), a NaN input does not count.
template <bool MissingInputs = false, class Data>
constexpr std::size_t first_sample_not_finite(const Data& data)
{
  const auto& samples = sample_access(data);
  for (std::size_t i = 0; i < data.size(); ++i) {
    bool finite = true;
    if (!__builtin_is_constant_evaluated()) {  // the builtin: a call would cost the evaluators one per sample
      if constexpr (MissingInputs)
        finite = none_infinite(samples[i].input.values) && all_finite(samples[i].target.values);
      else
        finite = all_finite(samples[i].input.values) && all_finite(samples[i].target.values);
    } else {
      for (const auto v : samples[i].input.values) finite = finite && (math::isfinite(v) || (MissingInputs && v != v));
      for (const auto v : samples[i].target.values) finite = finite && math::isfinite(v);
    }
    if (!finite) return i;
  }
  return data.size();
}

template <bool MissingInputs = false, class Data>
constexpr void check_data_is_finite(const Data& data)
{
  if (const std::size_t bad = first_sample_not_finite<MissingInputs>(data); bad != data.size())
    ctnn_error_training_data_has_a_nan_or_infinity(bad);
}

template <bool MissingInputs = false, class Data>
constexpr void check_validation_data_is_finite(const Data& data)
{
  if (const std::size_t bad = first_sample_not_finite<MissingInputs>(data); bad != data.size())
    ctnn_error_validation_data_has_a_nan_or_infinity(bad);
}

}  // namespace ctnn::detail
