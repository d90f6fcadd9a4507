#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>

#include <ctnn/core.hpp>

#include "noisy_xor.hpp"

// A TrainingState makes training resumable bit for bit: fit for a epochs then b epochs equals one
// fit for a + b epochs, for every recipe. Schedules give the documented rates.

namespace {

using Net = ctnn::Network<ctnn::Dense<2, 4, ctnn::Tanh>, ctnn::Dense<4, 1, ctnn::Sigmoid>>;

constexpr auto points = test_data::noisy_xor;

constexpr Net fresh()
{
  return ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{5});
}

// Trains `total` epochs in one call and in calls of `parts[i]` epochs sharing a TrainingState; true
// when both give the same bits and the state counted every epoch. Also false when training did not
// move the model (a test that could not fail otherwise).
template <class Optimizer, class Data>
constexpr bool resumes_bit_for_bit(const Data& data, const Optimizer& optimizer, std::size_t batch_size, bool shuffle,
                                   std::size_t first, std::size_t second)
{
  const ctnn::FitOptions options{
      .epochs = first + second, .batch_size = batch_size, .shuffle = shuffle, .shuffle_seed = ctnn::Seed{17}};
  Net whole = fresh();
  ctnn::TrainingState<Net, Optimizer> whole_state;
  ctnn::fit(whole, data, ctnn::BinaryCrossEntropy{}, optimizer, options, whole_state);

  Net staged = fresh();
  ctnn::TrainingState<Net, Optimizer> state;
  ctnn::FitOptions part = options;
  part.epochs = first;
  ctnn::fit(staged, data, ctnn::BinaryCrossEntropy{}, optimizer, part, state);
  const bool counted_first = state.epoch == first;
  part.epochs = second;
  ctnn::fit(staged, data, ctnn::BinaryCrossEntropy{}, optimizer, part, state);
  return counted_first && state.epoch == first + second && whole_state.epoch == first + second &&
         bitwise_equal(whole, staged) && !bitwise_equal(whole, fresh());
}

constexpr auto scheduled_adam = ctnn::with_schedule(ctnn::Adam{0.02}, ctnn::CosineAnnealing{.epochs = 9});

// In the compiler: shuffled Adam with a schedule, in batches and per sample.
static_assert(resumes_bit_for_bit(points(), scheduled_adam, 3, true, 4, 5));
static_assert(resumes_bit_for_bit(points(), scheduled_adam, 1, true, 2, 3));
static_assert(resumes_bit_for_bit(ctnn::RuntimeDataset<2, 1>{points()}, scheduled_adam, 3, true, 4, 5));

// Staging as the compiler needs it: the model and the state in constexpr variables between stages.
struct Stage {
  Net net;
  ctnn::TrainingState<Net, decltype(scheduled_adam)> state;
};
constexpr ctnn::FitOptions stage_options{.epochs = 4, .batch_size = 3, .shuffle = true, .shuffle_seed = ctnn::Seed{17}};
constexpr Stage next(Stage from)
{
  ctnn::fit(from.net, points(), ctnn::BinaryCrossEntropy{}, scheduled_adam, stage_options, from.state);
  return from;
}
constexpr Stage stage1 = next({fresh(), {}});
constexpr Stage stage2 = next(stage1);
constexpr Stage stage3 = next(stage2);
static_assert(stage3.state.epoch == 12);
static_assert([] {
  Net whole = fresh();
  ctnn::FitOptions options = stage_options;
  options.epochs = 12;
  ctnn::fit(whole, points(), ctnn::BinaryCrossEntropy{}, scheduled_adam, options);
  return bitwise_equal(whole, stage3.net);
}());

}  // namespace

TEST_CASE("fit for a then b epochs with a TrainingState equals fit for a + b epochs", "[training_state]")
{
  const auto data = points();
  const ctnn::RuntimeDataset<2, 1> runtime{data};
  const auto momentum = ctnn::with_schedule(ctnn::Momentum{0.1, 0.8}, ctnn::StepDecay{.step = 3, .factor = 0.5});
  const auto sgd = ctnn::with_schedule(ctnn::SGD{0.5}, ctnn::ExponentialDecay{.factor = 0.9});
  const auto user = ctnn::with_schedule(ctnn::Adam{0.05}, [](std::size_t epoch) { return epoch < 5 ? 1.0 : 0.3; });
  for (const std::size_t batch : {std::size_t{1}, std::size_t{3}, std::size_t{8}})
    for (const bool shuffle : {false, true})
      for (const std::size_t first : {std::size_t{1}, std::size_t{4}}) {
        INFO("batch " << batch << " shuffle " << shuffle << " first " << first);
        CHECK(resumes_bit_for_bit(data, ctnn::SGD{0.5}, batch, shuffle, first, 6));
        CHECK(resumes_bit_for_bit(data, ctnn::Momentum{0.1}, batch, shuffle, first, 6));
        CHECK(resumes_bit_for_bit(data, ctnn::Adam{0.02}, batch, shuffle, first, 6));
        CHECK(resumes_bit_for_bit(data, scheduled_adam, batch, shuffle, first, 6));
        CHECK(resumes_bit_for_bit(runtime, scheduled_adam, batch, shuffle, first, 6));
        CHECK(resumes_bit_for_bit(data, momentum, batch, shuffle, first, 6));
        CHECK(resumes_bit_for_bit(data, sgd, batch, shuffle, first, 6));
        CHECK(resumes_bit_for_bit(data, user, batch, shuffle, first, 6));
      }
}

TEST_CASE("without a TrainingState a second fit restarts the shuffle and the schedule", "[training_state]")
{
  // The reason for the state: two plain calls differ from one call of the same total length.
  const auto data = points();
  Net whole = fresh();
  ctnn::fit(whole, data, ctnn::BinaryCrossEntropy{}, ctnn::SGD{0.5}, {.epochs = 6, .shuffle = true});
  Net twice = fresh();
  ctnn::fit(twice, data, ctnn::BinaryCrossEntropy{}, ctnn::SGD{0.5}, {.epochs = 3, .shuffle = true});
  ctnn::fit(twice, data, ctnn::BinaryCrossEntropy{}, ctnn::SGD{0.5}, {.epochs = 3, .shuffle = true});
  CHECK(!bitwise_equal(whole, twice));
}

TEST_CASE("a TrainingState rejects a different shuffle seed", "[training_state]")
{
  Net net = fresh();
  ctnn::TrainingState<Net, ctnn::SGD<double>> state;
  ctnn::fit(net, points(), ctnn::BinaryCrossEntropy{}, ctnn::SGD{0.5},
            {.epochs = 2, .shuffle = true, .shuffle_seed = ctnn::Seed{1}}, state);
  CHECK_THROWS_WITH(ctnn::fit(net, points(), ctnn::BinaryCrossEntropy{}, ctnn::SGD{0.5},
                              {.epochs = 2, .shuffle = true, .shuffle_seed = ctnn::Seed{2}}, state),
                    "ctnn: a TrainingState resumes the shuffle it started: pass the same shuffle_seed to every fit() "
                    "call");
}

TEST_CASE("schedules give their documented rates", "[schedule]")
{
  constexpr ctnn::StepDecay step{.step = 3, .factor = 0.5};
  STATIC_REQUIRE(step.learning_rate(1, 0.8) == 0.8);
  STATIC_REQUIRE(step.learning_rate(3, 0.8) == 0.8);
  STATIC_REQUIRE(step.learning_rate(4, 0.8) == 0.4);
  STATIC_REQUIRE(step.learning_rate(7, 0.8) == 0.2);
  constexpr ctnn::ExponentialDecay exponential{.factor = 0.5};
  STATIC_REQUIRE(exponential.learning_rate(1, 1.0) == 1.0);
  STATIC_REQUIRE(exponential.learning_rate(4, 1.0) == 0.125);
  constexpr ctnn::CosineAnnealing cosine{.epochs = 10, .minimum = 0.1};
  STATIC_REQUIRE(cosine.learning_rate(1, 1.1) == 1.1);
  STATIC_REQUIRE(cosine.learning_rate(11, 1.1) == 0.1);
  STATIC_REQUIRE(cosine.learning_rate(50, 1.1) == 0.1);
  for (std::size_t e = 1; e <= 11; ++e) {
    const double expected = 0.1 + 1.0 * (1 + std::cos(3.14159265358979323846 * double(e - 1) / 10)) / 2;
    CHECK(cosine.learning_rate(e, 1.1) == Approx(expected).epsilon(1e-15));
  }
  const auto scheduled = ctnn::with_schedule(ctnn::SGD{0.1}, [](std::size_t e, double lr) { return lr / double(e); });
  CHECK(scheduled.at_epoch(4).learning_rate == 0.1 / 4);
  Net net = fresh();
  const auto negative = ctnn::with_schedule(ctnn::SGD{0.1}, [](std::size_t e) { return e < 2 ? 1.0 : -1.0; });
  CHECK_THROWS_WITH(ctnn::fit(net, points(), ctnn::BinaryCrossEntropy{}, negative, {.epochs = 3}),
                    "ctnn: the learning-rate schedule gave a negative or non-finite rate at epoch 2");
}
