#pragma once
// fit() callbacks that work in constant expressions too: callbacks(a, b, ...) to pass several at
// once, and EarlyStopping, which stops training when the monitored loss stops improving (Keras's
// EarlyStopping) and can put the best weights back. The runtime ones (History, Reporter) are in
// report.hpp; the protocol they all follow is epoch_report.hpp.

#include <concepts>
#include <cstddef>
#include <limits>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctnn/detail/errors.hpp"
#include "ctnn/epoch_report.hpp"

namespace ctnn {

/// Several fit() callbacks called in order, as one; made by callbacks(...). Each gets the epoch's
/// report in the form it takes (EpochReport, or epoch and summed loss); training stops after the
/// epoch if any of them returns TrainingControl::stop (all of them still run for that epoch).
template <class... Fs>
struct Callbacks {
  std::tuple<Fs...> each;

  template <class Net>
  constexpr TrainingControl operator()(const EpochReport<Net>& report)
  {
    bool stop = false;
    std::apply(
        [&](auto&... f) { ((stop = (detail::call_with_report(f, report) == TrainingControl::stop) || stop), ...); },
        each);
    return stop ? TrainingControl::stop : TrainingControl::proceed;
  }

  /// Called as callback(epoch, loss) (not by fit(), which passes reports): each must take that form.
  template <std::floating_point T>
  constexpr TrainingControl operator()(std::size_t epoch, T loss)
  {
    bool stop = false;
    const auto call = [&](auto& f) {
      if constexpr (std::is_void_v<decltype(f(epoch, loss))>)
        f(epoch, loss);
      else
        stop = detail::as_control(f(epoch, loss)) == TrainingControl::stop || stop;
    };
    std::apply([&](auto&... f) { (call(f), ...); }, each);
    return stop ? TrainingControl::stop : TrainingControl::proceed;
  }
};

/// One callback that calls each of fs in the order given. An lvalue is kept by reference (it must
/// outlive the result, and sees every epoch: a History fills up); an rvalue is moved in. Example:
/// fit(net, data, loss, opt, {.epochs = n}, callbacks(history, Reporter{n}, early_stopping)).
template <class... Fs>
[[nodiscard]] constexpr Callbacks<Fs...> callbacks(Fs&&... fs)
{
  return Callbacks<Fs...>{std::tuple<Fs...>(std::forward<Fs>(fs)...)};
}

/// What EarlyStopping watches: the validation data's mean loss per sample (needs
/// with_validation), or the training data's.
enum class Monitor { validation_loss, training_loss };

/// Stops training when the monitored mean loss has not improved for `patience` epochs, as Keras's
/// EarlyStopping: an epoch improves when its loss is below best - min_delta; after `patience`
/// epochs in a row without improvement (patience 0: the first one), the callback asks fit() to stop,
/// and with restore_best_weights it first puts the weights of the best epoch back into the model.
/// It keeps its bookkeeping (best loss and epoch, the count of epochs without improvement, the best
/// weights) in itself: pass it as an lvalue to read stopped_epoch afterwards or to go on in a later
/// fit() call. Works in constant expressions. If training ends without a stop, the model is the last
/// epoch's; call restore_best(net) for the best one.
template <class Net>
struct EarlyStopping {
  using scalar_type = typename Net::scalar_type;

  Monitor monitor = Monitor::validation_loss;
  std::size_t patience = 0;
  scalar_type min_delta = scalar_type(0);
  bool restore_best_weights = false;

  // Bookkeeping, updated after each epoch.
  scalar_type best = std::numeric_limits<scalar_type>::infinity();
  std::size_t best_epoch = 0;     ///< 0: no epoch seen yet
  std::size_t wait = 0;           ///< epochs since the last improvement
  std::size_t stopped_epoch = 0;  ///< the epoch after which it stopped training; 0: it did not
  Net best_model{};               ///< the best epoch's model (kept with restore_best_weights)

  constexpr TrainingControl operator()(const EpochReport<Net>& report)
  {
    scalar_type value = report.mean_loss();
    if (monitor == Monitor::validation_loss) {
      if (!report.has_validation)
        detail::ctnn_error_early_stopping_monitors_the_validation_loss_but_fit_has_no_validation_data();
      value = report.validation.mean_loss();
    }
    if (value < best - min_delta) {
      best = value;
      best_epoch = report.epoch;
      wait = 0;
      if (restore_best_weights) best_model = report.model;
      return TrainingControl::proceed;
    }
    ++wait;
    if (wait < patience) return TrainingControl::proceed;
    stopped_epoch = report.epoch;
    if (restore_best_weights && best_epoch != 0) report.model = best_model;
    return TrainingControl::stop;
  }

  /// Puts the best epoch's weights into net (with restore_best_weights, once an epoch was seen).
  constexpr void restore_best(Net& net) const
  {
    if (restore_best_weights && best_epoch != 0) net = best_model;
  }
};

}  // namespace ctnn
