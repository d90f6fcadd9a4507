#pragma once
// The Iris run, written once and used both by examples/iris.cpp (runtime) and by the compile-time
// proof (tests/static/iris_proof_test.cpp), so the two cannot drift apart.

#include <ctnn/core.hpp>
#include <ctnn/datasets/iris.hpp>

namespace iris_recipe {

/// 4-8-3: tanh hidden units, a softmax over the three classes.
using Model = ctnn::Network<ctnn::Dense<4, 8, ctnn::Tanh>, ctnn::Dense<8, 3, ctnn::Softmax>>;

inline constexpr ctnn::Seed seed{2024};
inline constexpr std::size_t epochs = 30;
inline constexpr std::size_t batch_size = 8;
inline constexpr double learning_rate = 0.02;

/// Every fifth sample (10 of each class) is held out; the other 120 train.
inline constexpr auto split = ctnn::hold_out_every<5>(ctnn::datasets::iris<double>());
/// Features standardised with the training split's mean and deviation, applied to both splits.
inline constexpr auto standardize = ctnn::Standardize<4>::measure(split.train);
inline constexpr auto train_set = standardize(split.train);
inline constexpr auto test_set = standardize(split.test);

/// A trained model and the loss summed over its last epoch.
struct Trained {
  Model model;
  double last_epoch_loss;
};

/// Xavier-uniform weights, then Adam on categorical cross-entropy (fused with the softmax) in
/// shuffled mini-batches of 8. on_epoch(epoch, loss) is called after every epoch.
template <class Callback = ctnn::NoCallback>
constexpr Trained train(Callback&& on_epoch = {})
{
  Model model = ctnn::initialized<Model>(ctnn::XavierUniform{}, seed);
  const auto result =
      ctnn::fit(model, train_set, ctnn::CategoricalCrossEntropy{}, ctnn::Adam{learning_rate},
                {.epochs = epochs, .batch_size = batch_size, .shuffle = true, .shuffle_seed = seed}, on_epoch);
  return {model, result.loss};
}

}  // namespace iris_recipe
