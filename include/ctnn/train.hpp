#pragma once
// The training loop. One call of fit() is one hana::unpack of the layers; inside it, each training
// step is a short recursion over the layer references (forward on the way in, backward and update
// on the way out), so the constant evaluator sees a few calls per layer and step, not a fold.
// Options that are not used cost nothing per sample: the training accuracy is counted only for a
// report-taking callback (its running sum is then a struct instead of a scalar), validation, the
// schedule and the callbacks run once per epoch, each behind an `if constexpr` on its type.
// Also here: evaluate, confusion_matrix, batch predict, TrainingState (resumable training).

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/hana/tuple.hpp>
#include <boost/hana/unpack.hpp>

#include "ctnn/data.hpp"
#include "ctnn/detail/errors.hpp"
#include "ctnn/detail/runtime_only.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/loss.hpp"
#include "ctnn/math.hpp"
#include "ctnn/network.hpp"
#include "ctnn/optimizer.hpp"
#include "ctnn/random.hpp"
#include "ctnn/schedule.hpp"

namespace ctnn {

/// How fit() trains. The defaults are the tutorial's: per-sample updates in data set order.
struct FitOptions {
  std::size_t epochs = 1;
  /// Samples per update. 1 updates after every sample; B > 1 averages the gradients of B samples
  /// (the last batch of an epoch may be smaller) and updates once per batch.
  std::size_t batch_size = 1;
  /// Visit the samples in a new random order each epoch, drawn from shuffle_seed. Each fit() call
  /// starts the generator from shuffle_seed again, unless a TrainingState carries it on.
  bool shuffle = false;
  Seed shuffle_seed{0};
};

/// What fit() reports: the loss summed over the last epoch's samples, and the epochs run (fewer than
/// options.epochs when a callback stopped training).
template <class T>
struct FitResult {
  T loss;
  std::size_t epochs;
};

/// The default progress callback: does nothing, so fit() works in a constant expression.
struct NoCallback {
  template <class T>
  constexpr void operator()(std::size_t /*epoch*/, T /*loss*/) const noexcept
  {
  }
};

namespace detail {

template <class Layer, class Optimizer>
using optimizer_state_for = typename Layer::template optimizer_state<Optimizer>;

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
  typename Layer::gradients& gradients;
};

// A read-only layer with a gradient sum (gradient_check).
template <class Layer>
struct gradient_slot {
  const Layer& layer;
  typename Layer::gradients& gradients;
};

// True when the loss hands the output layer dL/dh directly (cross-entropy after Sigmoid/Softmax).
template <class Loss, class Layer>
constexpr bool loss_fuses_with_layer() noexcept
{
  if constexpr (requires { Loss::template fuses_with<typename Layer::activation_type>; })
    return Loss::template fuses_with<typename Layer::activation_type>;
  else
    return false;
}

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

// Dense's SGD step takes SkipsDeadRows as its third template argument (Standardize's takes two); it is
// true only for layers whose row folds can skip.
template <bool SkipsDeadRows, class Layer>
constexpr bool skips_dead_rows = SkipsDeadRows && requires { requires Layer::row_folds; };

// True when no weight of the layer is zero (so none is -0), which lets the constant-evaluated SGD
// step skip rows whose delta is zero; a layer without weights qualifies. A zero weight (+0 from an
// exact cancellation, or a zero initialiser) only costs this epoch the shortcut.
template <class Layer>
constexpr bool has_no_zero_weight(const Layer& layer) noexcept
{
  if constexpr (requires { layer.weights.values; })
    for (const auto w : layer.weights.values)
      if (w == 0) return false;
  return true;
}

// Forward through this layer, recurse into the rest, then backward and update this layer on the
// way out, writing dx for the layer before (the first layer skips it). Each layer's h, y and dL/dy
// are locals of its own frame, and x is the caller's: the constant evaluator copies nothing.
// SkipsDeadRows (constant evaluation only): no weight of a Dense layer is -0, so its SGD step may skip
// the rows whose delta is zero (see Dense::backward_and_update_into).
template <bool IsFirst, bool SkipsDeadRows, class Loss, class Optimizer, class T, class Target, class Layer,
          class State, class... Rest>
constexpr void train_sample(const Loss& loss, const Optimizer& optimizer, const typename Layer::input_type& x,
                            const Target& target, T& loss_sum, typename Layer::input_type& dx,
                            const slot<Layer, State>& here, const Rest&... rest) noexcept
{
  using weights = typename Layer::weight_indices;
  using rows = typename Layer::row_indices;
  typename Layer::output_type h, y, d;
  if constexpr (sizeof...(Rest) == 0 && requires { loss.value_softmax_and_pre_activation_gradient(h, y, target, d); } &&
                loss_fuses_with_layer<Loss, Layer>()) {
    // In the compiler the softmax and the loss share their exponentials (same bits, see loss.hpp).
    if (__builtin_is_constant_evaluated()) {
      here.layer.template forward_into<false>(x, h, y, weights{}, rows{});
      loss_sum += loss.value_softmax_and_pre_activation_gradient(h, y, target, d);
    } else {
      here.layer.forward_into(x, h, y, weights{}, rows{});
      loss_sum += loss.value_and_pre_activation_gradient(h, y, target, d);
    }
    if constexpr (!std::is_arithmetic_v<T>) loss_sum.count(y, target);
    if constexpr (skips_dead_rows<SkipsDeadRows, Layer>)
      here.layer.template backward_and_update_into<!IsFirst, true, true>(x, h, y, d, optimizer, here.optimizer_state,
                                                                         dx, weights{}, rows{});
    else
      here.layer.template backward_and_update_into<!IsFirst, true>(x, h, y, d, optimizer, here.optimizer_state, dx,
                                                                   weights{}, rows{});
    return;
  }
  here.layer.forward_into(x, h, y, weights{}, rows{});
  if constexpr (sizeof...(Rest) == 0) {
    if constexpr (loss_fuses_with_layer<Loss, Layer>()) {
      loss_sum += loss.value_and_pre_activation_gradient(h, y, target, d);
      if constexpr (!std::is_arithmetic_v<T>) loss_sum.count(y, target);
      here.layer.template backward_and_update_into<!IsFirst, true, skips_dead_rows<SkipsDeadRows, Layer>>(
          x, h, y, d, optimizer, here.optimizer_state, dx, weights{}, rows{});
      return;
    } else {
      loss_sum += loss.value_and_gradient(y, target, d);
      if constexpr (!std::is_arithmetic_v<T>) loss_sum.count(y, target);
    }
  } else {
    // A layer after only non-trainable ones (Standardize) computes no input gradient either.
    train_sample<IsFirst && !is_trainable_layer<Layer>, SkipsDeadRows>(loss, optimizer, y, target, loss_sum, d,
                                                                       rest...);
  }
  if constexpr (skips_dead_rows<SkipsDeadRows, Layer>)
    here.layer.template backward_and_update_into<!IsFirst, false, true>(x, h, y, d, optimizer, here.optimizer_state, dx,
                                                                        weights{}, rows{});
  else
    here.layer.template backward_and_update_into<!IsFirst, false>(x, h, y, d, optimizer, here.optimizer_state, dx,
                                                                  weights{}, rows{});
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
  typename Layer::output_type h, y, d;
  here.layer.forward_into(x, h, y, typename Layer::weight_indices{}, typename Layer::row_indices{});
  if constexpr (sizeof...(Rest) == 0) {
    if constexpr (loss_fuses_with_layer<Loss, Layer>()) {
      loss_sum += loss.value_and_pre_activation_gradient(h, y, target, d);
      if constexpr (!std::is_arithmetic_v<T>) loss_sum.count(y, target);
      here.layer.template accumulate_backward_into<!IsFirst, true>(x, h, y, d, here.gradients, dx);
      return;
    } else {
      loss_sum += loss.value_and_gradient(y, target, d);
      if constexpr (!std::is_arithmetic_v<T>) loss_sum.count(y, target);
    }
  } else {
    accumulate_sample<IsFirst && !is_trainable_layer<Layer>>(loss, y, target, loss_sum, d, rest...);
  }
  here.layer.template accumulate_backward_into<!IsFirst, false>(x, h, y, d, here.gradients, dx);
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
template <class Sum, bool SkipsDeadRows = false, class Loss, class Optimizer, class Data, class Order, class... Slots>
constexpr Sum train_epoch(const Loss& loss, const Optimizer& optimizer, const Data& data, const Order& order,
                          std::size_t epoch, Slots... slots)
{
  // In the compiler only: the same bits for less work where a ReLU unit was off (see train_sample).
  if constexpr (!SkipsDeadRows && (skips_dead_rows<true, std::remove_cvref_t<decltype(Slots::layer)>> || ...))
    if (__builtin_is_constant_evaluated() && (has_no_zero_weight(slots.layer) && ...))
      return train_epoch<Sum, true>(loss, optimizer, data, order, epoch, slots...);
  Sum sum{0};
  constexpr auto largest = std::numeric_limits<typename Data::scalar_type>::max();
  Vector<typename Data::scalar_type, Data::inputs> unused_dx;
  const auto& samples = sample_access(data);
  const std::size_t size = data.size();
  for (std::size_t i = 0; i < size; ++i) {
    const auto& sample = samples[order[i]];
    train_sample<true, SkipsDeadRows>(loss, optimizer, sample.input, sample.target, sum, unused_dx, slots...);
    // Two comparisons, no arithmetic: Clang's evaluator refuses to compute a NaN such as inf - inf.
    if constexpr (std::is_arithmetic_v<Sum>) {
      if (!(sum >= -largest && sum <= largest)) check_loss_is_finite(false, epoch, order[i]);
    } else if (!(sum.loss >= -largest && sum.loss <= largest)) {
      check_loss_is_finite(false, epoch, order[i]);
    }
  }
  return sum;
}

// Averages a batch's gradient sum over its count, steps the optimizer and clears the sum.
template <class Optimizer, class Slot>
constexpr void apply_batch(const Optimizer& optimizer, std::size_t count, Slot& s) noexcept
{
  using T = typename std::remove_cvref_t<decltype(s.layer)>::scalar_type;
  if (count > 1) {
    const T divisor = static_cast<T>(count);
    for (auto& g : s.gradients.weights.values) g /= divisor;
    for (auto& g : s.gradients.bias.values) g /= divisor;
  }
  s.layer.update(optimizer, s.gradients, s.optimizer_state);
  s.gradients = {};
}

// A non-trainable layer (Standardize) has no gradient sum and nothing to step.
template <class Optimizer, class Slot>
  requires(!is_trainable_layer<std::remove_cvref_t<decltype(Slot::layer)>>)
constexpr void apply_batch(const Optimizer&, std::size_t, Slot&) noexcept
{
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
    for (std::size_t i = start; i < end; ++i) {
      const auto& sample = samples[order[i]];
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

template <class Data>
constexpr void check_data_is_finite(const Data& data)
{
  const auto& samples = sample_access(data);
  for (std::size_t i = 0; i < data.size(); ++i) {
    bool finite = true;
    if (!__builtin_is_constant_evaluated()) {  // the builtin: a call would cost the evaluators one per sample
      finite = all_finite(samples[i].input.values) && all_finite(samples[i].target.values);
    } else {
      for (const auto v : samples[i].input.values) finite = finite && math::isfinite(v);
      for (const auto v : samples[i].target.values) finite = finite && math::isfinite(v);
    }
    if (!finite) ctnn_error_training_data_has_a_nan_or_infinity(i);
  }
}

template <class Data>
struct indexed_dataset_check {
  static constexpr bool holds = IndexedDataset<Data>;
  static_assert(holds,
                "ctnn: the data must be a data set: Dataset, RuntimeDataset, or a type with scalar_type, inputs, "
                "outputs, size() and operator[] giving a Sample (see ctnn::IndexedDataset)");
  static constexpr bool value = true;
};

// The data set's sizes and scalar type against the network's, in order; named only after
// indexed_dataset_check held, since it reads the data set's members.
template <class Net, class Data>
struct dataset_shape_checks {
  static constexpr bool holds = diagnostic::in_order<
      diagnostic::check_dataset_inputs<diagnostic::network::expects_inputs<Net::inputs>,
                                       diagnostic::dataset::sample_inputs<Data::inputs>>,
      diagnostic::check_dataset_targets<diagnostic::network::outputs<Net::outputs>,
                                        diagnostic::dataset::sample_targets<Data::outputs>>,
      diagnostic::check_dataset_scalar<diagnostic::network::scalar<typename Net::scalar_type>,
                                       diagnostic::dataset::scalar<typename Data::scalar_type>>>::holds;
  static constexpr bool value = true;
};

// One error for the first mistake: not a data set, then sizes, then scalar type.
template <class Net, class Data>
inline constexpr bool check_dataset =
    diagnostic::passes<diagnostic::in_order<indexed_dataset_check<Data>, dataset_shape_checks<Net, Data>>>;

// The visiting order of the samples: on the stack for a fixed-size data set (the constant
// evaluator's cheapest), in a std::vector otherwise.
template <class Data>
struct sample_order {
  using type = std::vector<std::size_t>;
};
template <FixedSizeDataset Data>
struct sample_order<Data> {
  using type = std::size_t[Data::size()];
};

// CategoricalCrossEntropy's fits_outputs<N> reports too few outputs itself; any other loss fits.
template <class Loss, std::size_t Outputs>
struct loss_fits_outputs {
  static constexpr bool holds = [] {
    if constexpr (requires { Loss::template fits_outputs<Outputs>; })
      return Loss::template fits_outputs<Outputs>;
    else
      return true;
  }();
  static constexpr bool value = true;
};

// The loss's members, then its fit to the output layer: one error for the first mistake.
template <class Net, class Loss>
inline constexpr bool check_loss =
    diagnostic::passes<diagnostic::in_order<loss_checks<Loss, typename Net::scalar_type, Net::outputs>,
                                            loss_fits_outputs<Loss, Net::outputs>>>;

// Whether fit may go on after the checks above and Dense's check of its activation: their concepts,
// which report nothing themselves.
template <class Layer>
concept activation_usable = !requires { typename Layer::activation_type; } ||
                            Activation<typename Layer::activation_type, typename Layer::scalar_type, Layer::outputs>;
template <class Net>
inline constexpr bool activations_usable = false;
template <class... Layers>
inline constexpr bool activations_usable<Network<Layers...>> = (activation_usable<Layers> && ...);

template <class Net, class Data, class Loss, class Optimizer>
concept trainable = DatasetFor<Data, Net> && LossFunction<Loss, typename Net::scalar_type, Net::outputs> &&
                    OptimizerFor<Optimizer, typename Net::scalar_type> && activations_usable<Net>;

}  // namespace detail

/// What evaluate() measures over a data set.
template <class T>
struct Evaluation {
  T loss;               ///< loss.value() summed over the samples
  std::size_t correct;  ///< samples whose predicted_class equals the target's
  std::size_t samples;

  constexpr T mean_loss() const noexcept { return loss / static_cast<T>(samples); }
  constexpr T accuracy() const noexcept { return static_cast<T>(correct) / static_cast<T>(samples); }
};

/// Loss and accuracy of net over data, without training.
template <class... Layers, class Data, class Loss>
constexpr Evaluation<typename Network<Layers...>::scalar_type> evaluate(const Network<Layers...>& net, const Data& data,
                                                                        const Loss& loss) noexcept
{
  static_assert(detail::check_dataset<Network<Layers...>, Data>);
  if (!__builtin_is_constant_evaluated()) detail::runtime_only();  // see detail/runtime_only.hpp
  Evaluation<typename Network<Layers...>::scalar_type> result{0, 0, data.size()};
  const auto& samples = detail::sample_access(data);
  for (std::size_t i = 0; i < result.samples; ++i) {
    const auto& sample = samples[i];
    const auto y = net.predict(sample.input);
    result.loss += loss.value(y, sample.target);
    if (predicted_class(y) == predicted_class(sample.target)) ++result.correct;
  }
  return result;
}

/// The loss summed over a data set, without training.
template <class... Layers, class Data, class Loss>
constexpr typename Network<Layers...>::scalar_type evaluate_loss(const Network<Layers...>& net, const Data& data,
                                                                 const Loss& loss) noexcept
{
  return evaluate(net, data, loss).loss;
}

/// counts[t][p]: how many samples of true class t the network put in class p (classes as
/// predicted_class() numbers them; a single output has two classes).
template <std::size_t Classes>
struct ConfusionMatrix {
  std::size_t counts[Classes][Classes];

  static constexpr std::size_t classes() noexcept { return Classes; }
  constexpr std::size_t correct() const noexcept
  {
    std::size_t sum = 0;
    for (std::size_t c = 0; c < Classes; ++c) sum += counts[c][c];
    return sum;
  }
  constexpr std::size_t total() const noexcept
  {
    std::size_t sum = 0;
    for (const auto& row : counts)
      for (const std::size_t n : row) sum += n;
    return sum;
  }
};

/// The confusion matrix of net's predictions over data.
template <class... Layers, class Data>
constexpr auto confusion_matrix(const Network<Layers...>& net, const Data& data) noexcept
{
  static_assert(detail::check_dataset<Network<Layers...>, Data>);
  if (!__builtin_is_constant_evaluated()) detail::runtime_only();  // see detail/runtime_only.hpp
  constexpr std::size_t classes = Network<Layers...>::outputs == 1 ? 2 : Network<Layers...>::outputs;
  ConfusionMatrix<classes> matrix{};
  const auto& samples = detail::sample_access(data);
  for (std::size_t i = 0; i < data.size(); ++i)
    ++matrix.counts[predicted_class(samples[i].target)][predicted_class(net.predict(samples[i].input))];
  return matrix;
}

// ---------------------------------------------------------------------------------------------
// Batch predict: in the compiler a loop over net.predict(); at runtime Network::predict_batch, which
// runs several samples at once through each Dense layer, with the same results bit for bit.

namespace detail {

[[noreturn]] inline void ctnn_error_predict_needs_as_many_outputs_as_inputs(std::size_t inputs, std::size_t outputs)
{
  throw std::invalid_argument("ctnn: predict needs as many outputs as inputs, got " + std::to_string(inputs) +
                              " inputs and " + std::to_string(outputs) + " outputs");
}

}  // namespace detail

namespace detail {

// Runtime only: the samples' inputs gathered side by side, then Network::predict_batch (several
// samples at once through each Dense layer, each output with predict()'s bits).
template <class Net, class Samples>
void predict_inputs_in_batches(const Net& net, const Samples& samples, std::size_t count,
                               typename Net::output_type* outputs)
{
  std::vector<typename Net::input_type> inputs(count);
  for (std::size_t i = 0; i < count; ++i) inputs[i] = samples[i].input;
  net.predict_batch(inputs.data(), outputs, count);
}

}  // namespace detail

/// net's outputs for every sample of data, in order: a std::array for a data set whose size is in
/// its type (Dataset), a std::vector otherwise (RuntimeDataset).
template <class... Layers, IndexedDataset Data>
constexpr auto predict(const Network<Layers...>& net, const Data& data)
{
  using Net = Network<Layers...>;
  static_assert(detail::check_dataset<Net, Data>);
  if (!__builtin_is_constant_evaluated()) detail::runtime_only();  // see detail/runtime_only.hpp
  const auto& samples = detail::sample_access(data);
  if constexpr (FixedSizeDataset<Data>) {
    std::array<typename Net::output_type, Data::size()> outputs{};
    if (__builtin_is_constant_evaluated()) {
      for (std::size_t i = 0; i < Data::size(); ++i) outputs[i] = net.predict(samples[i].input);
    } else {
      detail::predict_inputs_in_batches(net, samples, Data::size(), outputs.data());
    }
    return outputs;
  } else {
    std::vector<typename Net::output_type> outputs(data.size());
    if (__builtin_is_constant_evaluated()) {
      for (std::size_t i = 0; i < data.size(); ++i) outputs[i] = net.predict(samples[i].input);
    } else {
      detail::predict_inputs_in_batches(net, samples, data.size(), outputs.data());
    }
    return outputs;
  }
}

/// net's output for each input, written to outputs (which must be as long as inputs; else
/// std::invalid_argument at runtime, a compile error in a constant expression).
template <class... Layers>
constexpr void predict(const Network<Layers...>& net, std::span<const typename Network<Layers...>::input_type> inputs,
                       std::span<typename Network<Layers...>::output_type> outputs)
{
  if (inputs.size() != outputs.size())
    detail::ctnn_error_predict_needs_as_many_outputs_as_inputs(inputs.size(), outputs.size());
  if (__builtin_is_constant_evaluated()) {
    for (std::size_t i = 0; i < inputs.size(); ++i) outputs[i] = net.predict(inputs[i]);
  } else {
    net.predict_batch(inputs.data(), outputs.data(), inputs.size());  // same bits, several samples at once
  }
}

/// net's output for each of N inputs, as an array.
template <class... Layers, std::size_t N>
constexpr std::array<typename Network<Layers...>::output_type, N> predict(
    const Network<Layers...>& net, const std::array<typename Network<Layers...>::input_type, N>& inputs)
{
  std::array<typename Network<Layers...>::output_type, N> outputs{};
  if (__builtin_is_constant_evaluated()) {
    for (std::size_t i = 0; i < N; ++i) outputs[i] = net.predict(inputs[i]);
  } else {
    net.predict_batch(inputs.data(), outputs.data(), N);  // same bits, several samples at once
  }
  return outputs;
}

/// An optimizer's state for every layer of a network (Adam's moments, Momentum's velocity; empty for
/// SGD). fit() keeps one for the call; pass your own to carry it from one fit() call to the next.
template <class Net, class Optimizer>
struct OptimizerState;
template <class... Layers, class Optimizer>
struct OptimizerState<Network<Layers...>, Optimizer> {
  boost::hana::tuple<detail::optimizer_state_for<Layers, base_optimizer_t<Optimizer>>...> layers{};
};

/// Everything fit() carries from one epoch to the next besides the model, as one value: pass the
/// same TrainingState (and the same model, data, loss, optimizer and options) to consecutive fit()
/// calls, and fit for a epochs then for b epochs gives the bits of one fit for a + b epochs, for
/// every recipe (per-sample or batches, shuffled or not, SGD, Momentum, Adam, with a schedule).
///
/// - `optimizer`: each layer's optimizer state (Adam's moments and step count, Momentum's velocity).
/// - `epoch`: epochs trained so far; the next fit() call numbers its epochs from epoch + 1, for its
///   callbacks and for a learning-rate schedule.
/// - the shuffle generator, as `shuffle_seed` and `shuffled_epochs`: the order of a shuffled epoch
///   is the previous epoch's order permuted by the generator's next draws (Fisher-Yates), so a
///   resumed call rebuilds the order by replaying the shuffles of the earlier epochs from the seed
///   (size - 1 draws per epoch, cheap next to training). The seed is taken from options.shuffle_seed
///   at the first shuffled epoch; later calls must pass the same seed (else an error).
///
/// It is a literal type without pointers: a constexpr variable can hold it between stages of a
/// compile-time training run, with the model. Optimizer may be a Scheduled one (with_schedule);
/// the state is that of the optimizer it wraps. EarlyStopping keeps its own bookkeeping (best
/// loss, patience count, best weights) in the callback object, which can be kept across calls too.
template <class Net, class Optimizer>
struct TrainingState {
  using network_type = Net;
  using optimizer_type = base_optimizer_t<Optimizer>;

  OptimizerState<Net, optimizer_type> optimizer{};
  std::size_t epoch = 0;
  std::size_t shuffled_epochs = 0;
  Seed shuffle_seed{0};
};

/// What a callback returns to stop training after the epoch it was called for (or void: proceed).
enum class TrainingControl { proceed, stop };

/// What a report-taking callback, callback(const EpochReport<Net>&), receives after each epoch.
template <class Net>
struct EpochReport {
  using scalar_type = typename Net::scalar_type;

  std::size_t epoch;                   ///< counting from 1 (continuing a TrainingState's count)
  std::size_t last_epoch;              ///< the epoch this fit() call ends with unless a callback stops it
  scalar_type loss;                    ///< the training loss summed over the epoch's samples
  std::size_t samples;                 ///< training samples per epoch
  bool has_accuracy;                   ///< a classification loss (binary or categorical cross-entropy)
  std::size_t correct;                 ///< training samples classified right during the epoch (if has_accuracy)
  scalar_type learning_rate;           ///< the rate this epoch trained with
  bool has_validation;                 ///< fit() got with_validation(train, validation)
  Evaluation<scalar_type> validation;  ///< evaluate() on the validation data after the epoch
  Net& model;                          ///< the model after the epoch; a callback may change it

  constexpr scalar_type mean_loss() const noexcept { return loss / static_cast<scalar_type>(samples); }
  constexpr scalar_type accuracy() const noexcept
  {
    return static_cast<scalar_type>(correct) / static_cast<scalar_type>(samples);
  }
};

/// A fit() callback: callback(epoch, loss) with the loss summed over the epoch (the tutorial's
/// figure), or callback(const EpochReport<Net>&) for the metrics and the model. Either may return
/// void or a TrainingControl (TrainingControl::stop ends training after this epoch).
template <class Callback, class Net>
concept FitCallback = std::invocable<Callback&, std::size_t, typename Net::scalar_type> ||
                      std::invocable<Callback&, const EpochReport<Net>&>;

/// Training data with validation data, made by with_validation(); fit() takes it in place of the
/// training data. Both are kept by reference: pass it straight to fit().
template <class Train, class Validation>
struct ValidatedData {
  const Train& train;
  const Validation& validation;
};

/// fit(net, with_validation(train, validation), ...) trains on train and, after each epoch,
/// evaluates on validation for the callbacks (EpochReport::validation; History; Reporter;
/// EarlyStopping on the validation loss). Without a callback nothing is evaluated.
template <IndexedDataset Train, IndexedDataset Validation>
constexpr ValidatedData<Train, Validation> with_validation(const Train& train, const Validation& validation) noexcept
{
  return {train, validation};
}

namespace detail {

template <class Data>
struct training_part {
  using type = Data;
  static constexpr bool validated = false;
  static constexpr const Data& of(const Data& data) noexcept { return data; }
};
template <class Train, class Validation>
struct training_part<ValidatedData<Train, Validation>> {
  using type = Train;
  static constexpr bool validated = true;
  static constexpr const Train& of(const ValidatedData<Train, Validation>& data) noexcept { return data.train; }
};

template <class Loss>
inline constexpr bool is_classification_loss =
    std::same_as<Loss, BinaryCrossEntropy> || std::same_as<Loss, CategoricalCrossEntropy>;

template <class Result>
constexpr TrainingControl as_control(Result&& result) noexcept
{
  if constexpr (std::same_as<std::remove_cvref_t<Result>, TrainingControl>)
    return result;
  else
    return TrainingControl::proceed;
}

// Calls one callback with a report, in the form it takes, and says whether it asked to stop.
template <class F, class Net>
constexpr TrainingControl call_with_report(F& f, const EpochReport<Net>& report)
{
  if constexpr (std::invocable<F&, const EpochReport<Net>&>) {
    if constexpr (std::is_void_v<std::invoke_result_t<F&, const EpochReport<Net>&>>) {
      f(report);
      return TrainingControl::proceed;
    } else {
      return as_control(f(report));
    }
  } else {
    static_assert(std::invocable<F&, std::size_t, typename Net::scalar_type>,
                  "ctnn: each callback must take (epoch, loss) or (const EpochReport<Net>&)");
    if constexpr (std::is_void_v<std::invoke_result_t<F&, std::size_t, typename Net::scalar_type>>) {
      f(report.epoch, report.loss);
      return TrainingControl::proceed;
    } else {
      return as_control(f(report.epoch, report.loss));
    }
  }
}

// Where an epoch count stands: epochs trained before this call, how many of them shuffled, and the
// shuffle seed. fit() without a TrainingState starts from nothing.
struct epoch_count {
  std::size_t done;
  std::size_t shuffled;
  Seed seed;
};

[[noreturn]] inline void ctnn_error_a_training_state_resumes_with_the_shuffle_seed_it_started_with()
{
  throw std::invalid_argument(
      "ctnn: a TrainingState resumes the shuffle it started: pass the same shuffle_seed to every fit() call");
}

[[noreturn]] inline void ctnn_error_the_scheduled_learning_rate_must_be_finite_and_not_negative(std::size_t epoch)
{
  throw std::invalid_argument("ctnn: the learning-rate schedule gave a negative or non-finite rate at epoch " +
                              std::to_string(epoch));
}

template <class... Layers, class DataArg, class Loss, class Optimizer, class Callback, class WithStates>
constexpr FitResult<typename Network<Layers...>::scalar_type> fit_core(Network<Layers...>& net, const DataArg& data_arg,
                                                                       const Loss& loss, const Optimizer& optimizer,
                                                                       FitOptions options, Callback& callback,
                                                                       epoch_count& count, WithStates with_states)
{
  using Net = Network<Layers...>;
  using T = typename Net::scalar_type;
  using Data = typename training_part<DataArg>::type;
  using State = base_optimizer_t<Optimizer>;
  constexpr bool scheduled = !std::same_as<State, Optimizer>;
  constexpr bool reports = std::invocable<Callback&, const EpochReport<Net>&>;  // preferred when both
  constexpr bool calls_back = !std::same_as<std::remove_cvref_t<Callback>, NoCallback>;
  constexpr bool counts_hits = reports && is_classification_loss<Loss>;
  using Sum = std::conditional_t<counts_hits, loss_and_hits<T>, T>;
  static_assert(check_dataset<Net, Data>);
  static_assert(check_loss<Net, Loss>);
  static_assert(diagnostic::passes<optimizer_checks<State, T>>);
  if (!__builtin_is_constant_evaluated()) runtime_only();  // see detail/runtime_only.hpp
  T epoch_loss = T(0);
  std::size_t epochs_run = 0;
  if constexpr (trainable<Net, Data, Loss, State>) {  // after a failed check above, say nothing more
    const Data& data = training_part<DataArg>::of(data_arg);
    if (options.epochs == 0) ctnn_error_fit_needs_at_least_one_epoch();
    check_not_empty(data, "fit");
    const std::size_t size = data.size();
    if (options.batch_size == 0 || options.batch_size > size)
      ctnn_error_batch_size_must_be_between_1_and_the_data_set_size(options.batch_size, size);
    optimizer.validate();
    check_data_is_finite(data);
    if constexpr (training_part<DataArg>::validated) {
      static_assert(check_dataset<Net, typename std::remove_cvref_t<decltype(data_arg.validation)>>);
      check_data_is_finite(data_arg.validation);
    }
    if (options.shuffle && count.shuffled == 0) count.seed = options.shuffle_seed;
    if (options.shuffle && count.seed.value != options.shuffle_seed.value)
      ctnn_error_a_training_state_resumes_with_the_shuffle_seed_it_started_with();

    typename sample_order<Data>::type order;
    if constexpr (FixedSizeDataset<Data>) {
      for (std::size_t i = 0; i < size; ++i) order[i] = i;
    } else {  // not resize(): Clang 16 cannot evaluate libstdc++ 12's value-initialising fill
      order.reserve(size);
      for (std::size_t i = 0; i < size; ++i) order.push_back(i);
    }
    Random shuffler{count.seed};
    for (std::size_t replayed = 0; replayed < count.shuffled; ++replayed) shuffle_order(order, size, shuffler);

    const auto run_epochs = [&](auto train_one_epoch, auto&... slots) {
      const std::size_t last_epoch = count.done + options.epochs;
      for (std::size_t epoch = count.done + 1; epoch <= last_epoch; ++epoch) {
        if (options.shuffle) {
          shuffle_order(order, size, shuffler);
          ++count.shuffled;
        }
        Sum sum{0};
        if constexpr (scheduled) {
          const State epoch_optimizer = optimizer.at_epoch(epoch);
          if (!(epoch_optimizer.learning_rate >= 0) || !math::isfinite(epoch_optimizer.learning_rate))
            ctnn_error_the_scheduled_learning_rate_must_be_finite_and_not_negative(epoch);
          sum = train_one_epoch(epoch, epoch_optimizer);
        } else {
          sum = train_one_epoch(epoch, optimizer);
        }
        count.done = epoch;
        ++epochs_run;
        if constexpr (counts_hits)
          epoch_loss = sum.loss;
        else
          epoch_loss = sum;
        // A scan of every parameter each epoch costs the constant evaluator about 15% more time and
        // memory on XOR; in the compiler the loss is still checked per sample and the parameters once
        // at the end, so a divergence fails the build either way.
        if (!std::is_constant_evaluated()) check_parameters_are_finite(epoch, slots...);
        if constexpr (calls_back) {
          // In the compiler the layers are trained as local copies (below): a callback that may look
          // at net must see this epoch's parameters there too, as it does at runtime.
          if (std::is_constant_evaluated()) net.layers = typename Net::layers_type{slots.layer...};
          TrainingControl control = TrainingControl::proceed;
          if constexpr (reports) {
            EpochReport<Net> report{epoch, last_epoch, epoch_loss, size, counts_hits, 0, T(0), false, {}, net};
            if constexpr (counts_hits) report.correct = sum.correct;
            if constexpr (scheduled)
              report.learning_rate = static_cast<T>(optimizer.learning_rate_at(epoch));
            else
              report.learning_rate = static_cast<T>(optimizer.learning_rate);
            if constexpr (training_part<DataArg>::validated) {
              report.has_validation = true;
              report.validation = evaluate(net, data_arg.validation, loss);
            }
            control = call_with_report(callback, std::as_const(report));
            // The callback may have changed the model (EarlyStopping restoring the best weights).
            if (std::is_constant_evaluated())
              boost::hana::unpack(net.layers, [&](const auto&... changed) { ((slots.layer = changed), ...); });
          } else if constexpr (std::is_void_v<std::invoke_result_t<Callback&, std::size_t, T>>) {
            callback(epoch, epoch_loss);
          } else {
            control = as_control(callback(epoch, epoch_loss));
          }
          if (control == TrainingControl::stop) break;
        }
      }
      if (std::is_constant_evaluated()) check_parameters_are_finite(count.done, slots...);
    };
    const auto train = [&](Layers&... layers) {
      with_states([&](optimizer_state_for<Layers, State>&... states) {
        if (options.batch_size == 1) {
          const auto per_sample = [&](auto... slots) {
            run_epochs(
                [&](std::size_t epoch, const State& epoch_optimizer) {
                  return train_epoch<Sum>(loss, epoch_optimizer, data, order, epoch, slots...);
                },
                slots...);
          };
          per_sample(slot<Layers, optimizer_state_for<Layers, State>>{layers, states}...);
        } else {
          [&](typename Layers::gradients... sums) {
            const auto in_batches = [&](auto... slots) {
              run_epochs(
                  [&](std::size_t epoch, const State& epoch_optimizer) {
                    return train_epoch_in_batches<Sum>(loss, epoch_optimizer, data, order, options.batch_size, epoch,
                                                       slots...);
                  },
                  slots...);
            };
            in_batches(batch_slot<Layers, optimizer_state_for<Layers, State>>{layers, states, sums}...);
          }(typename Layers::gradients{}...);
        }
      });
    };
    if (std::is_constant_evaluated()) {
      // Local copies: a short path for the evaluator (see bench/README.md).
      net.layers = boost::hana::unpack(net.layers, [&](Layers... layers) {
        train(layers...);
        return typename Network<Layers...>::layers_type{layers...};
      });
    } else {
      // At runtime the layers are trained where they are: no copy in and out per fit() call.
      boost::hana::unpack(net.layers, [&](Layers&... layers) { train(layers...); });
    }
  }
  return {epoch_loss, epochs_run};
}

}  // namespace detail

/// Trains net on data: for each epoch, for each sample (in order, or shuffled), forward, loss,
/// backward, and an optimizer step per sample or per batch (options.batch_size).
/// data is any IndexedDataset (Dataset, RuntimeDataset), or with_validation(train, validation).
/// optimizer is SGD, Momentum, Adam, or one of them with_schedule(...).
/// callback runs after each epoch: callback(epoch, loss) (epochs count from 1; loss is summed over
/// the epoch) or callback(const EpochReport<Net>&); it may return TrainingControl::stop.
/// Bad options or non-finite data are rejected before training; a loss or parameter that becomes NaN
/// or infinite stops it. At runtime these throw (std::invalid_argument, ctnn::divergence_error); in a
/// constant expression they are compile errors naming the problem. The optimizer's state (e.g. Adam's
/// moments) lives for this call. Works in a constant expression when the callback does.
template <class... Layers, class Data, class Loss, class Optimizer, class Callback = NoCallback>
  requires FitCallback<Callback, Network<Layers...>>
constexpr FitResult<typename Network<Layers...>::scalar_type> fit(Network<Layers...>& net, const Data& data,
                                                                  const Loss& loss, const Optimizer& optimizer,
                                                                  FitOptions options, Callback&& callback = {})
{
  using State = base_optimizer_t<Optimizer>;
  detail::epoch_count count{0, 0, options.shuffle_seed};
  // The states are parameters of a lambda: locals, the shortest path for the constant evaluator.
  return detail::fit_core(net, data, loss, optimizer, options, callback, count, [](auto train) {
    [&](detail::optimizer_state_for<Layers, State>... states) {
      train(states...);
    }(detail::optimizer_state_for<Layers, State>{}...);
  });
}

/// As fit() above, going on from a TrainingState and updating it: a later call with the same state
/// continues where this one stopped, bit for bit (see TrainingState). options.epochs counts the
/// epochs of this call; the epochs reported to callbacks and schedules continue the state's count.
template <class... Layers, class Data, class Loss, class Optimizer, class StateOptimizer, class Callback = NoCallback>
  requires FitCallback<Callback, Network<Layers...>> &&
           std::same_as<base_optimizer_t<StateOptimizer>, base_optimizer_t<Optimizer>>
constexpr FitResult<typename Network<Layers...>::scalar_type> fit(
    Network<Layers...>& net, const Data& data, const Loss& loss, const Optimizer& optimizer, FitOptions options,
    TrainingState<Network<Layers...>, StateOptimizer>& state, Callback&& callback = {})
{
  using State = base_optimizer_t<Optimizer>;
  detail::epoch_count count{state.epoch, state.shuffled_epochs, state.shuffle_seed};
  const auto result = detail::fit_core(net, data, loss, optimizer, options, callback, count, [&](auto train) {
    boost::hana::unpack(state.optimizer.layers,
                        [&](detail::optimizer_state_for<Layers, State>&... states) { train(states...); });
  });
  state.epoch = count.done;
  state.shuffled_epochs = count.shuffled;
  state.shuffle_seed = count.seed;
  return result;
}

/// As fit() above, with only the optimizer's state kept by the caller (Adam's moments and step
/// count, Momentum's velocity). Epochs count from 1 and the shuffle order starts from
/// options.shuffle_seed in each call; TrainingState resumes those too.
template <class... Layers, class Data, class Loss, class Optimizer, class Callback = NoCallback>
  requires FitCallback<Callback, Network<Layers...>>
constexpr FitResult<typename Network<Layers...>::scalar_type> fit(Network<Layers...>& net, const Data& data,
                                                                  const Loss& loss, const Optimizer& optimizer,
                                                                  FitOptions options,
                                                                  OptimizerState<Network<Layers...>, Optimizer>& state,
                                                                  Callback&& callback = {})
{
  using State = base_optimizer_t<Optimizer>;
  detail::epoch_count count{0, 0, options.shuffle_seed};
  return detail::fit_core(net, data, loss, optimizer, options, callback, count, [&](auto train) {
    boost::hana::unpack(state.layers, [&](detail::optimizer_state_for<Layers, State>&... states) { train(states...); });
  });
}

/// A const or temporary OptimizerState, or one made for another network or optimizer: a compile
/// error that says so, instead of a failed call deep inside fit().
template <class... Layers, class Data, class Loss, class Optimizer, class StateNet, class StateOptimizer,
          class Callback = NoCallback>
constexpr FitResult<typename Network<Layers...>::scalar_type> fit(Network<Layers...>&, const Data&, const Loss&,
                                                                  const Optimizer&, FitOptions,
                                                                  const OptimizerState<StateNet, StateOptimizer>&,
                                                                  Callback&& = {})
{
  static_assert(std::is_same_v<StateNet, Network<Layers...>> && std::is_same_v<StateOptimizer, Optimizer>,
                "ctnn: the OptimizerState passed to fit must be OptimizerState<Net, Optimizer> for this network "
                "and optimizer type");
  static_assert(!std::is_same_v<StateNet, Network<Layers...>> || !std::is_same_v<StateOptimizer, Optimizer>,
                "ctnn: the OptimizerState passed to fit must be a non-const lvalue: fit updates it");
  return {};
}

/// A const or temporary TrainingState, or one made for another network or optimizer.
template <class... Layers, class Data, class Loss, class Optimizer, class StateNet, class StateOptimizer,
          class Callback = NoCallback>
constexpr FitResult<typename Network<Layers...>::scalar_type> fit(Network<Layers...>&, const Data&, const Loss&,
                                                                  const Optimizer&, FitOptions,
                                                                  const TrainingState<StateNet, StateOptimizer>&,
                                                                  Callback&& = {})
{
  static_assert(std::is_same_v<StateNet, Network<Layers...>> &&
                    std::is_same_v<base_optimizer_t<StateOptimizer>, base_optimizer_t<Optimizer>>,
                "ctnn: the TrainingState passed to fit must be TrainingState<Net, Optimizer> for this network "
                "and optimizer type");
  static_assert(!std::is_same_v<StateNet, Network<Layers...>> ||
                    !std::is_same_v<base_optimizer_t<StateOptimizer>, base_optimizer_t<Optimizer>>,
                "ctnn: the TrainingState passed to fit must be a non-const lvalue: fit updates it");
  return {};
}

}  // namespace ctnn
