#pragma once
// The tutorial's XOR run, written once and used both by the runtime example and by the
// compile-time proof, so the two cannot drift apart.

#include <ctnn/core.hpp>

namespace xor_recipe {

/// 2-3-1, sigmoid on both layers.
using Model = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;

/// The fixed seed for W and b drawn uniform in [0, 1).
inline constexpr ctnn::Seed seed{2024};
inline constexpr std::size_t epochs = 15000;
inline constexpr double learning_rate = 0.1;

/// A trained model and the loss summed over its last epoch.
struct Trained {
  Model model;
  double last_epoch_loss;
};

/// The initial model, W and b drawn from the seed.
constexpr Trained untrained()
{
  return {ctnn::initialized<Model>(ctnn::Uniform01{}, seed), 0.0};
}

/// `count` epochs of per-sample SGD with the tutorial's MSE/2 over the four samples, from `from`.
/// on_epoch(epoch, loss) is called after every epoch.
template <class Callback = ctnn::NoCallback>
constexpr Trained train_epochs(Trained from, std::size_t count, Callback&& on_epoch = {})
{
  const auto result = ctnn::fit(from.model, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{},
                                ctnn::SGD{learning_rate}, {.epochs = count}, on_epoch);
  return {from.model, result.loss};
}

/// The whole run: initialise, then all the epochs.
template <class Callback = ctnn::NoCallback>
constexpr Trained train(Callback&& on_epoch = {})
{
  return train_epochs(untrained(), epochs, on_epoch);
}

// The same run in stages, for the compiler. GCC frees what its constant evaluator allocated only
// when it finishes a function definition, so one 15000-epoch evaluation peaks at about 1.2 GB, and
// ten stages with a function defined after each at about a third of that (bench/README.md).
// Per-sample SGD in data-set order keeps no state besides the model, so the stages give the same
// bits as train(): examples/xor.cpp compares its staged compile-time model with train() at runtime.
inline constexpr std::size_t stages = 10;
static_assert(epochs % stages == 0);

/// The next epochs / stages epochs, from where the previous stage stopped.
constexpr Trained next_stage(Trained from)
{
  return train_epochs(from, epochs / stages);
}

}  // namespace xor_recipe
