#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <ctnn/callbacks.hpp>
#include <ctnn/core.hpp>

#include <ctnn/report.hpp>
#include "noisy_xor.hpp"

// Validation data, per-epoch metrics, callbacks that stop training, and EarlyStopping. The expected
// figures come from evaluate() on models trained epoch by epoch with a TrainingState (resumable bit
// for bit, see training_state_test.cpp), not from fit()'s own reports.

namespace {

using Net = ctnn::Network<ctnn::Dense<2, 6, ctnn::Tanh>, ctnn::Dense<6, 1, ctnn::Sigmoid>>;

constexpr auto training_points = test_data::noisy_xor;

// Points near the training ones, two of them labelled against the pattern: the validation loss
// falls while the model learns the pattern, then rises as it fits the training points closely.
constexpr ctnn::Dataset<2, 1, 6> validation_points()
{
  return {{{{{0.05, 0.1}}, {{0.0}}},
           {{{0.1, 0.95}}, {{1.0}}},
           {{{0.95, 0.05}}, {{1.0}}},
           {{{0.9, 0.9}}, {{0.0}}},
           {{{0.5, 0.1}}, {{0.0}}},
           {{{0.1, 0.5}}, {{0.0}}}}};
}

constexpr Net fresh()
{
  return ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{21});
}

constexpr auto optimizer = ctnn::Adam{0.05};
constexpr ctnn::FitOptions full_batch{.epochs = 1, .batch_size = 8};

// The model after each of `epochs` epochs, trained one fit() call per epoch.
std::vector<Net> snapshots(std::size_t epochs, ctnn::FitOptions options)
{
  std::vector<Net> models;
  Net net = fresh();
  ctnn::TrainingState<Net, ctnn::Adam<double>> state;
  options.epochs = 1;
  for (std::size_t e = 0; e < epochs; ++e) {
    ctnn::fit(net, training_points(), ctnn::BinaryCrossEntropy{}, optimizer, options, state);
    models.push_back(net);
  }
  return models;
}

// Keras's rule, written out: the epoch (from 1) after which EarlyStopping stops, or 0.
std::size_t keras_stop_epoch(const std::vector<double>& losses, std::size_t patience, double min_delta,
                             std::size_t& best_epoch)
{
  double best = INFINITY;
  std::size_t wait = 0;
  for (std::size_t i = 0; i < losses.size(); ++i) {
    if (losses[i] < best - min_delta) {
      best = losses[i];
      best_epoch = i + 1;
      wait = 0;
    } else if (++wait >= patience) {
      return i + 1;
    }
  }
  return 0;
}

}  // namespace

TEST_CASE("fit with validation records the mean loss, accuracy and validation figures", "[callbacks]")
{
  constexpr std::size_t epochs = 12;
  const auto models = snapshots(epochs, full_batch);
  ctnn::History history;
  Net net = fresh();
  ctnn::FitOptions options = full_batch;
  options.epochs = epochs;
  const auto result = ctnn::fit(net, ctnn::with_validation(training_points(), validation_points()),
                                ctnn::BinaryCrossEntropy{}, optimizer, options, history);
  REQUIRE(result.epochs == epochs);
  REQUIRE(history.size() == epochs);
  REQUIRE(bitwise_equal(net, models.back()));
  for (std::size_t e = 0; e < epochs; ++e) {
    INFO("epoch " << e + 1);
    CHECK(history.epochs[e] == e + 1);
    CHECK(history.mean_losses[e] == history.losses[e] / 8);
    // Full batch: the model is fixed during the epoch, so the running figures are the start's.
    const Net& start = e == 0 ? fresh() : models[e - 1];
    const auto at_start = ctnn::evaluate(start, training_points(), ctnn::BinaryCrossEntropy{});
    CHECK(history.accuracies[e] == at_start.accuracy());
    CHECK(history.losses[e] == Approx(at_start.loss).epsilon(1e-12));
    const auto validation = ctnn::evaluate(models[e], validation_points(), ctnn::BinaryCrossEntropy{});
    CHECK(history.validation_losses[e] == validation.mean_loss());
    CHECK(history.validation_accuracies[e] == validation.accuracy());
  }
  // A regression loss has no accuracy; no validation data, no validation figures.
  ctnn::History plain;
  Net other = fresh();
  ctnn::fit(other, training_points(), ctnn::MeanSquaredError{}, optimizer, options, plain);
  CHECK(std::isnan(plain.accuracies[0]));
  CHECK(std::isnan(plain.validation_losses[0]));
  CHECK(plain.mean_losses[0] == plain.losses[0] / 8);
}

TEST_CASE("Reporter prints the mean loss, accuracy and validation figures", "[callbacks]")
{
  ctnn::History history;
  std::ostringstream out;
  Net net = fresh();
  ctnn::fit(net, ctnn::with_validation(training_points(), validation_points()), ctnn::BinaryCrossEntropy{}, optimizer,
            {.epochs = 3, .batch_size = 8},
            ctnn::callbacks(history, ctnn::Reporter{3, {.every = 2, .progress = ctnn::Progress::never}, out}));
  std::string expected;
  for (const std::size_t e : {1u, 2u, 3u}) {
    char line[200];
    std::snprintf(line, sizeof line, "epoch: %zu / 3  loss = %f  accuracy = %.4f  val_loss = %f  val_accuracy = %.4f\n",
                  e, history.mean_losses[e - 1], history.accuracies[e - 1], history.validation_losses[e - 1],
                  history.validation_accuracies[e - 1]);
    expected += line;
  }
  CHECK(out.str() == expected);
}

TEST_CASE("a callback that returns TrainingControl::stop ends training after that epoch", "[callbacks]")
{
  Net net = fresh();
  ctnn::TrainingState<Net, ctnn::Adam<double>> state;
  std::size_t calls = 0;
  const auto result = ctnn::fit(net, training_points(), ctnn::BinaryCrossEntropy{}, optimizer, {.epochs = 10}, state,
                                [&](std::size_t epoch, double) {
                                  ++calls;
                                  return epoch == 3 ? ctnn::TrainingControl::stop : ctnn::TrainingControl::proceed;
                                });
  CHECK(result.epochs == 3);
  CHECK(calls == 3);
  CHECK(state.epoch == 3);
  Net three = fresh();
  ctnn::fit(three, training_points(), ctnn::BinaryCrossEntropy{}, optimizer, {.epochs = 3});
  CHECK(bitwise_equal(net, three));

  // The report form, and inside callbacks(...): any one asking to stop stops.
  Net again = fresh();
  ctnn::History history;
  const auto stopped =
      ctnn::fit(again, training_points(), ctnn::BinaryCrossEntropy{}, optimizer, {.epochs = 10},
                ctnn::callbacks(history, [](const ctnn::EpochReport<Net>& report) {
                  return report.epoch == 4 ? ctnn::TrainingControl::stop : ctnn::TrainingControl::proceed;
                }));
  CHECK(stopped.epochs == 4);
  CHECK(history.size() == 4);
}

TEST_CASE("EarlyStopping stops where Keras's rule says and restores the best weights", "[callbacks]")
{
  constexpr std::size_t epochs = 200;
  const ctnn::FitOptions per_sample{.epochs = 1};
  const auto models = snapshots(epochs, per_sample);
  std::vector<double> validation_losses;
  for (const Net& m : models)
    validation_losses.push_back(ctnn::evaluate(m, validation_points(), ctnn::BinaryCrossEntropy{}).mean_loss());

  for (const std::size_t patience : {0u, 2u, 5u}) {
    for (const double min_delta : {0.0, 1e-3}) {
      INFO("patience " << patience << " min_delta " << min_delta);
      std::size_t best_epoch = 0;
      const std::size_t expected_stop = keras_stop_epoch(validation_losses, patience, min_delta, best_epoch);
      REQUIRE(expected_stop != 0);  // the data makes it stop: the test can fail
      REQUIRE(best_epoch < expected_stop);

      Net net = fresh();
      ctnn::EarlyStopping<Net> early{.patience = patience, .min_delta = min_delta, .restore_best_weights = true};
      const auto result = ctnn::fit(net, ctnn::with_validation(training_points(), validation_points()),
                                    ctnn::BinaryCrossEntropy{}, optimizer, {.epochs = epochs}, early);
      CHECK(result.epochs == expected_stop);
      CHECK(early.stopped_epoch == expected_stop);
      CHECK(early.best_epoch == best_epoch);
      CHECK(bitwise_equal(net, models[best_epoch - 1]));

      Net kept = fresh();
      ctnn::EarlyStopping<Net> without{.patience = patience, .min_delta = min_delta};
      ctnn::fit(kept, ctnn::with_validation(training_points(), validation_points()), ctnn::BinaryCrossEntropy{},
                optimizer, {.epochs = epochs}, without);
      CHECK(bitwise_equal(kept, models[expected_stop - 1]));  // the last epoch's weights
    }
  }

  Net net = fresh();
  CHECK_THROWS_WITH(ctnn::fit(net, training_points(), ctnn::BinaryCrossEntropy{}, optimizer, {.epochs = 3},
                              ctnn::EarlyStopping<Net>{}),
                    Catch::Contains("EarlyStopping monitors the validation loss, but fit() has no validation data"));
}

namespace {

// In a constant expression: early stopping on the training loss of a run whose learning rate is far
// too large, so the loss stops falling; the restored model is the one trained for the best epochs.
constexpr bool early_stopping_in_the_compiler()
{
  Net net = fresh();
  ctnn::EarlyStopping<Net> early{.monitor = ctnn::Monitor::training_loss, .patience = 1, .restore_best_weights = true};
  const auto result =
      ctnn::fit(net, training_points(), ctnn::BinaryCrossEntropy{}, ctnn::SGD{40.0}, {.epochs = 50}, early);
  Net best = fresh();
  ctnn::fit(best, training_points(), ctnn::BinaryCrossEntropy{}, ctnn::SGD{40.0}, {.epochs = early.best_epoch});
  return early.stopped_epoch != 0 && result.epochs == early.stopped_epoch && early.best_epoch < early.stopped_epoch &&
         bitwise_equal(net, best);
}
static_assert(early_stopping_in_the_compiler());

}  // namespace

namespace {

// In a constant expression too: EarlyStopping on the validation loss stops where Keras's rule,
// applied to the validation losses of a run trained one epoch per fit() call, says.
constexpr bool early_stopping_on_validation_in_the_compiler()
{
  constexpr std::size_t patience = 2;
  constexpr std::size_t epochs = 200;
  Net stepwise = fresh();
  ctnn::TrainingState<Net, ctnn::Adam<double>> state;
  Net best_model = stepwise;
  double best = INFINITY;
  std::size_t wait = 0, expected_stop = 0;
  for (std::size_t e = 1; e <= epochs && expected_stop == 0; ++e) {
    ctnn::fit(stepwise, training_points(), ctnn::BinaryCrossEntropy{}, optimizer, {.epochs = 1}, state);
    const double loss = ctnn::evaluate(stepwise, validation_points(), ctnn::BinaryCrossEntropy{}).mean_loss();
    if (loss < best) {
      best = loss;
      best_model = stepwise;
      wait = 0;
    } else if (++wait >= patience) {
      expected_stop = e;
    }
  }
  Net net = fresh();
  ctnn::EarlyStopping<Net> early{.patience = patience, .restore_best_weights = true};
  const auto result = ctnn::fit(net, ctnn::with_validation(training_points(), validation_points()),
                                ctnn::BinaryCrossEntropy{}, optimizer, {.epochs = epochs}, early);
  return expected_stop != 0 && result.epochs == expected_stop && early.stopped_epoch == expected_stop &&
         bitwise_equal(net, best_model);
}
static_assert(early_stopping_on_validation_in_the_compiler());

}  // namespace
