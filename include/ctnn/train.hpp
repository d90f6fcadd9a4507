#pragma once
// The training loop. One call of fit() is one hana::unpack of the layers; inside it, each training
// step is a short recursion over the layer references (forward on the way in, backward and update
// on the way out), so the constant evaluator sees a few calls per layer and step, not a fold.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include <boost/hana/tuple.hpp>
#include <boost/hana/unpack.hpp>

#include "ctnn/data.hpp"
#include "ctnn/detail/errors.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/loss.hpp"
#include "ctnn/math.hpp"
#include "ctnn/network.hpp"
#include "ctnn/optimizer.hpp"
#include "ctnn/random.hpp"

namespace ctnn {

/// How fit() trains. The defaults are the tutorial's: per-sample updates in data set order.
struct FitOptions {
  std::size_t epochs = 1;
  /// Samples per update. 1 updates after every sample; B > 1 averages the gradients of B samples
  /// (the last batch of an epoch may be smaller) and updates once per batch.
  std::size_t batch_size = 1;
  /// Visit the samples in a new random order each epoch, drawn from shuffle_seed. Each fit() call
  /// starts the generator from shuffle_seed again.
  bool shuffle = false;
  Seed shuffle_seed{0};
};

/// What fit() reports: the loss summed over the last epoch's samples, and the epochs run.
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

// Forward through this layer, recurse into the rest, then backward and update this layer on the
// way out, writing dx for the layer before (the first layer skips it). Each layer's h, y and dL/dy
// are locals of its own frame, and x is the caller's: the constant evaluator copies nothing.
template <bool IsFirst, class Loss, class Optimizer, class T, class Target, class Layer, class State, class... Rest>
constexpr void train_sample(const Loss& loss, const Optimizer& optimizer, const typename Layer::input_type& x,
                            const Target& target, T& loss_sum, typename Layer::input_type& dx,
                            const slot<Layer, State>& here, const Rest&... rest) noexcept
{
  using weights = typename Layer::weight_indices;
  using rows = typename Layer::row_indices;
  typename Layer::output_type h, y, d;
  here.layer.forward_into(x, h, y, weights{}, rows{});
  if constexpr (sizeof...(Rest) == 0) {
    if constexpr (loss_fuses_with_layer<Loss, Layer>()) {
      loss_sum += loss.value_and_pre_activation_gradient(h, y, target, d);
      here.layer.template backward_and_update_into<!IsFirst, true>(x, h, y, d, optimizer, here.optimizer_state, dx,
                                                                   weights{}, rows{});
      return;
    } else {
      loss_sum += loss.value_and_gradient(y, target, d);
    }
  } else {
    train_sample<false>(loss, optimizer, y, target, loss_sum, d, rest...);
  }
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
      here.layer.template accumulate_backward_into<!IsFirst, true>(x, h, y, d, here.gradients, dx);
      return;
    } else {
      loss_sum += loss.value_and_gradient(y, target, d);
    }
  } else {
    accumulate_sample<false>(loss, y, target, loss_sum, d, rest...);
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
template <class Loss, class Optimizer, class Data, class... Slots>
constexpr typename Data::scalar_type train_epoch(const Loss& loss, const Optimizer& optimizer, const Data& data,
                                                 const std::size_t (&order)[Data::size()], std::size_t epoch,
                                                 Slots... slots)
{
  typename Data::scalar_type sum{0};
  constexpr auto largest = std::numeric_limits<typename Data::scalar_type>::max();
  Vector<typename Data::scalar_type, Data::inputs> unused_dx;
  for (std::size_t i = 0; i < Data::size(); ++i) {
    const auto& sample = data.samples[order[i]];
    train_sample<true>(loss, optimizer, sample.input, sample.target, sum, unused_dx, slots...);
    // Two comparisons, no arithmetic: Clang's evaluator refuses to compute a NaN such as inf - inf.
    if (!(sum >= -largest && sum <= largest)) check_loss_is_finite(false, epoch, order[i]);
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

template <class Loss, class Optimizer, class Data, class... Slots>
constexpr typename Data::scalar_type train_epoch_in_batches(const Loss& loss, const Optimizer& optimizer,
                                                            const Data& data, const std::size_t (&order)[Data::size()],
                                                            std::size_t batch_size, std::size_t epoch, Slots... slots)
{
  typename Data::scalar_type sum{0};
  constexpr auto largest = std::numeric_limits<typename Data::scalar_type>::max();
  Vector<typename Data::scalar_type, Data::inputs> unused_dx;
  for (std::size_t start = 0; start < Data::size(); start += batch_size) {
    const std::size_t end = Data::size() - start < batch_size ? Data::size() : start + batch_size;
    for (std::size_t i = start; i < end; ++i) {
      const auto& sample = data.samples[order[i]];
      accumulate_sample<true>(loss, sample.input, sample.target, sum, unused_dx, slots...);
      if (!(sum >= -largest && sum <= largest)) check_loss_is_finite(false, epoch, order[i]);
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

template <class Data>
constexpr void check_data_is_finite(const Data& data)
{
  for (std::size_t i = 0; i < Data::size(); ++i) {
    bool finite = true;
    for (const auto v : data.samples[i].input.values) finite = finite && math::isfinite(v);
    for (const auto v : data.samples[i].target.values) finite = finite && math::isfinite(v);
    if (!finite) ctnn_error_training_data_has_a_nan_or_infinity(i);
  }
}

// Fisher-Yates with a bounded draw by rejection, so each order is equally likely on every platform.
template <std::size_t N, class Generator>
constexpr void shuffle_order(std::size_t (&order)[N], Generator& rng) noexcept
{
  for (std::size_t i = N - 1; i > 0; --i) {
    const std::uint64_t range = std::uint64_t{i} + 1;  // no cast: one that is useless on LP64 would warn
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % range) - 1;
    std::uint64_t draw = rng();
    while (draw > limit) draw = rng();
    const std::uint64_t j = draw % range;
    const std::size_t held = order[i];
    order[i] = order[j];
    order[j] = held;
  }
}

// The data set's sizes and scalar type against the network's, in order (one error for one mistake).
template <class Net, class Data>
inline constexpr bool check_dataset = diagnostic::passes<
    diagnostic::in_order<diagnostic::check_dataset_inputs<diagnostic::network::expects_inputs<Net::inputs>,
                                                          diagnostic::dataset::sample_inputs<Data::inputs>>,
                         diagnostic::check_dataset_targets<diagnostic::network::outputs<Net::outputs>,
                                                           diagnostic::dataset::sample_targets<Data::outputs>>,
                         diagnostic::check_dataset_scalar<diagnostic::network::scalar<typename Net::scalar_type>,
                                                          diagnostic::dataset::scalar<typename Data::scalar_type>>>>;

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

/// An optimizer's state for every layer of a network (Adam's moments, Momentum's velocity; empty for
/// SGD). fit() keeps one for the call; pass your own to carry it from one fit() call to the next.
template <class Net, class Optimizer>
struct OptimizerState;
template <class... Layers, class Optimizer>
struct OptimizerState<Network<Layers...>, Optimizer> {
  boost::hana::tuple<detail::optimizer_state_for<Layers, Optimizer>...> layers{};
};

namespace detail {

template <class... Layers, class Data, class Loss, class Optimizer, class Callback, class WithStates>
constexpr FitResult<typename Network<Layers...>::scalar_type> fit_with_states(Network<Layers...>& net, const Data& data,
                                                                              const Loss& loss,
                                                                              const Optimizer& optimizer,
                                                                              FitOptions options, Callback& callback,
                                                                              WithStates with_states)
{
  using Net = Network<Layers...>;
  using T = typename Net::scalar_type;
  static_assert(check_dataset<Net, Data>);
  static_assert(check_loss<Net, Loss>);
  static_assert(diagnostic::passes<optimizer_checks<Optimizer, T>>);
  T epoch_loss = T(0);
  if constexpr (trainable<Net, Data, Loss, Optimizer>) {  // after a failed check above, say nothing more
    if (options.epochs == 0) ctnn_error_fit_needs_at_least_one_epoch();
    if (options.batch_size == 0 || options.batch_size > Data::size())
      ctnn_error_batch_size_must_be_between_1_and_the_data_set_size(options.batch_size, Data::size());
    optimizer.validate();
    check_data_is_finite(data);

    std::size_t order[Data::size()];
    for (std::size_t i = 0; i < Data::size(); ++i) order[i] = i;
    Random shuffler{options.shuffle_seed};

    const auto run_epochs = [&](auto train_one_epoch, const auto&... slots) {
      for (std::size_t epoch = 1; epoch <= options.epochs; ++epoch) {
        if (options.shuffle) shuffle_order(order, shuffler);
        epoch_loss = train_one_epoch(epoch);
        // A scan of every parameter each epoch costs the constant evaluator about 15% more time and
        // memory on XOR; in the compiler the loss is still checked per sample and the parameters once
        // at the end, so a divergence fails the build either way.
        if (!std::is_constant_evaluated()) check_parameters_are_finite(epoch, slots...);
        // In the compiler the layers are trained as local copies (below): a callback that may look
        // at net must see this epoch's parameters there too, as it does at runtime.
        if constexpr (!std::is_same_v<std::remove_cvref_t<Callback>, NoCallback>)
          if (std::is_constant_evaluated()) net.layers = typename Net::layers_type{slots.layer...};
        callback(epoch, epoch_loss);
      }
      if (std::is_constant_evaluated()) check_parameters_are_finite(options.epochs, slots...);
    };
    const auto train = [&](Layers&... layers) {
      with_states([&](optimizer_state_for<Layers, Optimizer>&... states) {
        if (options.batch_size == 1) {
          const auto per_sample = [&](auto... slots) {
            run_epochs([&](std::size_t epoch) { return train_epoch(loss, optimizer, data, order, epoch, slots...); },
                       slots...);
          };
          per_sample(slot<Layers, optimizer_state_for<Layers, Optimizer>>{layers, states}...);
        } else {
          [&](typename Layers::gradients... sums) {
            const auto in_batches = [&](auto... slots) {
              run_epochs(
                  [&](std::size_t epoch) {
                    return train_epoch_in_batches(loss, optimizer, data, order, options.batch_size, epoch, slots...);
                  },
                  slots...);
            };
            in_batches(batch_slot<Layers, optimizer_state_for<Layers, Optimizer>>{layers, states, sums}...);
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
  return {epoch_loss, options.epochs};
}

}  // namespace detail

/// Trains net on data: for each epoch, for each sample (in order, or shuffled), forward, loss,
/// backward, and an optimizer step per sample or per batch (options.batch_size).
/// callback(epoch, loss) runs after each epoch (epochs count from 1; loss is summed over the epoch).
/// Bad options or non-finite data are rejected before training; a loss or parameter that becomes NaN
/// or infinite stops it. At runtime these throw (std::invalid_argument, ctnn::divergence_error); in a
/// constant expression they are compile errors naming the problem. The optimizer's state (e.g. Adam's
/// moments) lives for this call. Works in a constant expression when the callback does.
template <class... Layers, class Data, class Loss, class Optimizer, class Callback = NoCallback>
  requires std::invocable<Callback&, std::size_t, typename Network<Layers...>::scalar_type>
constexpr FitResult<typename Network<Layers...>::scalar_type> fit(Network<Layers...>& net, const Data& data,
                                                                  const Loss& loss, const Optimizer& optimizer,
                                                                  FitOptions options, Callback&& callback = {})
{
  // The states are parameters of a lambda: locals, the shortest path for the constant evaluator.
  return detail::fit_with_states(net, data, loss, optimizer, options, callback, [](auto train) {
    [&](detail::optimizer_state_for<Layers, Optimizer>... states) {
      train(states...);
    }(detail::optimizer_state_for<Layers, Optimizer>{}...);
  });
}

/// As fit() above, with the optimizer's state kept by the caller, so that a later fit() call goes on
/// where this one stopped (Adam's moments and step count, Momentum's velocity). The shuffle order
/// still starts from options.shuffle_seed in each call.
template <class... Layers, class Data, class Loss, class Optimizer, class Callback = NoCallback>
  requires std::invocable<Callback&, std::size_t, typename Network<Layers...>::scalar_type>
constexpr FitResult<typename Network<Layers...>::scalar_type> fit(Network<Layers...>& net, const Data& data,
                                                                  const Loss& loss, const Optimizer& optimizer,
                                                                  FitOptions options,
                                                                  OptimizerState<Network<Layers...>, Optimizer>& state,
                                                                  Callback&& callback = {})
{
  return detail::fit_with_states(net, data, loss, optimizer, options, callback, [&](auto train) {
    boost::hana::unpack(state.layers,
                        [&](detail::optimizer_state_for<Layers, Optimizer>&... states) { train(states...); });
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

/// The class a network output stands for: the index of the largest value (the first, on a tie),
/// or for a single output, 1 when it is at least one half and 0 otherwise.
template <class T, std::size_t N>
constexpr std::size_t predicted_class(const Vector<T, N>& y) noexcept
{
  if constexpr (N == 1) {
    return y.values[0] >= T(0.5) ? 1 : 0;
  } else {
    std::size_t best = 0;
    for (std::size_t i = 1; i < N; ++i)
      if (y.values[i] > y.values[best]) best = i;
    return best;
  }
}

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
  Evaluation<typename Network<Layers...>::scalar_type> result{0, 0, Data::size()};
  for (const auto& sample : data.samples) {
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
  constexpr std::size_t classes = Network<Layers...>::outputs == 1 ? 2 : Network<Layers...>::outputs;
  ConfusionMatrix<classes> matrix{};
  for (const auto& sample : data.samples)
    ++matrix.counts[predicted_class(sample.target)][predicted_class(net.predict(sample.input))];
  return matrix;
}

}  // namespace ctnn
