#pragma once
// The callback protocol of fit(): what a callback receives after each epoch (EpochReport, or the
// epoch and its summed loss) and what it may answer (TrainingControl). The training loop
// (train.hpp) and the callbacks (callbacks.hpp, report.hpp) both build on it.

#include <concepts>
#include <cstddef>
#include <type_traits>

#include "ctnn/evaluate.hpp"

namespace ctnn {

/// The default progress callback: does nothing, so fit() works in a constant expression.
struct NoCallback {
  template <class T>
  constexpr void operator()(std::size_t /*epoch*/, T /*loss*/) const noexcept
  {
  }
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

  [[nodiscard]] constexpr scalar_type mean_loss() const noexcept { return loss / static_cast<scalar_type>(samples); }
  [[nodiscard]] constexpr scalar_type accuracy() const noexcept
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

namespace detail {

// A loss whose outputs are class probabilities, for which fit() reports the training accuracy: one
// that says `static constexpr bool classification = true` (the cross-entropy losses).
template <class Loss>
inline constexpr bool is_classification_loss = [] {
  if constexpr (requires { Loss::classification; })
    return static_cast<bool>(Loss::classification);
  else
    return false;
}();

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

}  // namespace detail
}  // namespace ctnn
