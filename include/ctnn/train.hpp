#pragma once
// The training loop, fit(): epochs of per-sample or mini-batch steps (detail/train_step.hpp) over a
// data set, optionally shuffled, validated, scheduled and resumed (TrainingState), with callbacks
// after each epoch (epoch_report.hpp). One call of fit() is one hana::unpack of the layers; options
// that are not used cost nothing per sample: the training accuracy is counted only for a
// report-taking callback (its running sum is then a struct instead of a scalar), validation, the
// schedule and the callbacks run once per epoch, each behind an `if constexpr` on its type.

#include <concepts>
#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/hana/tuple.hpp>
#include <boost/hana/unpack.hpp>

#include "ctnn/data.hpp"
#include "ctnn/detail/checks.hpp"
#include "ctnn/detail/errors.hpp"
#include "ctnn/detail/runtime_only.hpp"
#include "ctnn/detail/train_step.hpp"
#include "ctnn/epoch_report.hpp"
#include "ctnn/evaluate.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/loss.hpp"
#include "ctnn/math.hpp"
#include "ctnn/network.hpp"
#include "ctnn/optimizer.hpp"
#include "ctnn/random.hpp"
#include "ctnn/schedule.hpp"
#include "ctnn/training_state.hpp"

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
[[nodiscard]] constexpr ValidatedData<Train, Validation> with_validation(const Train& train,
                                                                         const Validation& validation) noexcept
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

// Where an epoch count stands: epochs trained before this call, how many of them shuffled, and the
// shuffle seed. fit() without a TrainingState starts from nothing.
struct epoch_count {
  std::size_t done;
  std::size_t shuffled;
  Seed seed;
};

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
  static_assert(check_trainable_layers<Net>);
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
    if constexpr ((uses_batch_statistics<Layers> || ...))
      if (options.batch_size < 2) ctnn_error_batch_statistics_need_a_batch_size_of_at_least_2(options.batch_size);
    optimizer.validate();
    // NaN inputs are missing values a first layer that handles them fills; anywhere else they are an error.
    constexpr bool missing_inputs = handles_missing_inputs<nth_type<0, Layers...>>;
    check_data_is_finite<missing_inputs>(data);
    check_sample_weights(data);
    if constexpr (training_part<DataArg>::validated) {
      static_assert(check_dataset<Net, typename std::remove_cvref_t<decltype(data_arg.validation)>>);
      check_validation_data_is_finite<missing_inputs>(data_arg.validation);
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
      with_states([&](optimizer_state_of<Layers, State>&... states) {
        if (options.batch_size == 1) {
          const auto per_sample = [&](auto... slots) {
            run_epochs(
                [&](std::size_t epoch, const State& epoch_optimizer) {
                  return train_epoch<Sum>(loss, epoch_optimizer, data, order, epoch, slots...);
                },
                slots...);
          };
          per_sample(slot<Layers, optimizer_state_of<Layers, State>>{layers, states}...);
        } else {
          [&](gradients_of<Layers>... sums) {
            const auto in_batches = [&](auto... slots) {
              run_epochs(
                  [&](std::size_t epoch, const State& epoch_optimizer) {
                    return train_epoch_in_batches<Sum>(loss, epoch_optimizer, data, order, options.batch_size, epoch,
                                                       slots...);
                  },
                  slots...);
            };
            in_batches(batch_slot<Layers, optimizer_state_of<Layers, State>>{layers, states, sums}...);
          }(gradients_of<Layers>{}...);
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
/// or infinite stops it. At runtime these raise ctnn::argument_error (a std::invalid_argument) and
/// ctnn::divergence_error (error.hpp: thrown, or the error handler without exceptions); in a
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
    [&](optimizer_state_of<Layers, State>... states) { train(states...); }(optimizer_state_of<Layers, State>{}...);
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
                        [&](optimizer_state_of<Layers, State>&... states) { train(states...); });
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
[[deprecated(
    "pass a TrainingState<Net, Optimizer>: it carries the optimizer state and the epoch count and "
    "shuffle")]] constexpr FitResult<typename Network<Layers...>::scalar_type>
fit(Network<Layers...>& net, const Data& data, const Loss& loss, const Optimizer& optimizer, FitOptions options,
    OptimizerState<Network<Layers...>, Optimizer>& state, Callback&& callback = {})
{
  using State = base_optimizer_t<Optimizer>;
  detail::epoch_count count{0, 0, options.shuffle_seed};
  return detail::fit_core(net, data, loss, optimizer, options, callback, count, [&](auto train) {
    boost::hana::unpack(state.layers, [&](optimizer_state_of<Layers, State>&... states) { train(states...); });
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
