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

// The same run in stages, for the compiler (ctnn/staged.hpp, used by xor_trained_by_compiler.hpp):
// each stage is a constant expression of its own, within Clang's default limit of 2^20 steps, and GCC
// frees the evaluator's memory between them. Per-sample SGD in data-set order keeps no state besides
// the model, so the stages give the same bits as train(): examples/xor.cpp compares its staged
// compile-time model with train() at runtime.
inline constexpr std::size_t stages = 20;
static_assert(epochs % stages == 0);

/// The recipe for CTNN_TRAIN_IN_STAGES: each stage trains the next epochs / stages epochs.
struct Staged {
  static constexpr Trained start() { return untrained(); }
  static constexpr Trained stage(Trained from, auto /*index*/) { return train_epochs(from, epochs / stages); }
};

}  // namespace xor_recipe
