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

/// The whole run: initialise, then per-sample SGD with the tutorial's MSE/2 over the four samples.
/// on_epoch(epoch, loss) is called after every epoch.
template <class Callback = ctnn::NoCallback>
constexpr Trained train(Callback&& on_epoch = {})
{
  Model model = ctnn::initialized<Model>(ctnn::Uniform01{}, seed);
  const auto result = ctnn::fit(model, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{learning_rate},
                                {.epochs = epochs}, on_epoch);
  return {model, result.loss};
}

}  // namespace xor_recipe
