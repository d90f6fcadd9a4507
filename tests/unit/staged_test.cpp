// CTNN_TRAIN_IN_STAGES (ctnn/staged.hpp): a recipe trained in stages in the compiler, its state
// carried from stage to stage in a TrainingState, gives the bits of one fit() call at runtime, for
// a stateful recipe: Adam, a learning-rate schedule, shuffled mini-batches.

#include <bit>
#include <cstdint>
#include <type_traits>

#include <catch2/catch.hpp>

#include <ctnn/core.hpp>
#include <ctnn/datasets/iris.hpp>

namespace {

using Net = ctnn::Network<ctnn::Dense<4, 5, ctnn::Tanh>, ctnn::Dense<5, 3, ctnn::Softmax>>;
constexpr auto data = ctnn::hold_out_every<5>(ctnn::datasets::iris<double>()).test;  // 30 samples
constexpr auto optimizer = ctnn::with_schedule(ctnn::Adam<double>{0.05}, ctnn::StepDecay{.step = 2, .factor = 0.5});
constexpr ctnn::FitOptions options(std::size_t epochs)
{
  return {.epochs = epochs, .batch_size = 4, .shuffle = true, .shuffle_seed = ctnn::Seed{11}};
}

constexpr Net untrained()
{
  return ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{5});
}

struct Progress {
  Net model;
  ctnn::TrainingState<Net, std::remove_cvref_t<decltype(optimizer)>> state;
};

// Stage k trains k epochs: the stages differ in length, and a state that was not carried would show.
struct ShuffledAdam {
  static constexpr Progress start() { return {untrained(), {}}; }
  template <std::size_t Stage>
  static constexpr Progress stage(Progress progress, std::integral_constant<std::size_t, Stage>)
  {
    ctnn::fit(progress.model, data, ctnn::CategoricalCrossEntropy{}, optimizer, options(Stage), progress.state);
    return progress;
  }
};

CTNN_TRAIN_IN_STAGES(staged, ShuffledAdam, 3);  // 1 + 2 + 3 epochs

bool same_bits(const Net& a, const Net& b)
{
  const auto pa = a.parameters();
  const auto pb = b.parameters();
  for (std::size_t i = 0; i < Net::parameter_count; ++i)
    if (std::bit_cast<std::uint64_t>(pa[i]) != std::bit_cast<std::uint64_t>(pb[i])) return false;
  return true;
}

}  // namespace

TEST_CASE("staged: three stages in the compiler equal one six-epoch fit at runtime (shuffled Adam, schedule)",
          "[staged]")
{
  STATIC_REQUIRE(staged.state.epoch == 6);
  Net model = untrained();
  volatile std::size_t epochs = 6;  // keeps the runtime run at runtime
  ctnn::fit(model, data, ctnn::CategoricalCrossEntropy{}, optimizer, options(epochs));
  CHECK(same_bits(model, staged.model));
  // Each stage trained: the first stage's model differs from the last's.
  CHECK_FALSE(same_bits(staged_ctnn_stage_1.model, staged.model));
  // Without the carried state the same stages give other bits (the check above can fail).
  Net restarted = untrained();
  for (std::size_t stage = 1; stage <= 3; ++stage)
    ctnn::fit(restarted, data, ctnn::CategoricalCrossEntropy{}, optimizer, options(stage));
  CHECK_FALSE(same_bits(restarted, staged.model));
}
