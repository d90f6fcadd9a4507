#pragma once
// The breast-cancer run of the compile-time proof, written once and used both by
// examples/breast_cancer.cpp (on data read by ctnn::read_csv at runtime) and by
// tests/static/breast_cancer_proof_test.cpp (on the constexpr data set ctnn_add_dataset generates from
// the same file): the same function on the same values must give the same bits.

#include <cstddef>

#include <ctnn/core.hpp>

namespace breast_cancer_recipe {

/// 30-4-1: tanh hidden units, one sigmoid output (1 = benign, 0 = malignant, as in the file).
using Model = ctnn::Network<ctnn::Dense<30, 4, ctnn::Tanh>, ctnn::Dense<4, 1, ctnn::Sigmoid>>;

inline constexpr ctnn::Seed seed{2024};
inline constexpr std::size_t epochs = 4;
inline constexpr std::size_t batch_size = 8;
inline constexpr double learning_rate = 0.01;

/// A trained model and how it does on the held-out samples.
struct Trained {
  Model model;
  ctnn::Evaluation<double> held_out;
};

/// Every fifth sample held out; features standardised with the training part's mean and deviation;
/// Xavier-uniform weights, then Adam on binary cross-entropy in shuffled mini-batches. Few epochs and
/// a small network keep the compile-time run cheap (about 10 s and 0.3 GB for GCC).
template <class Data>
constexpr Trained train(const Data& data)
{
  const auto split = ctnn::hold_out_every<5>(data);
  const auto standardize = ctnn::Standardize<30>::measure(split.train);
  const auto train_set = standardize(split.train);
  Model model = ctnn::initialized<Model>(ctnn::XavierUniform{}, seed);
  ctnn::fit(model, train_set, ctnn::BinaryCrossEntropy{}, ctnn::Adam{learning_rate},
            {.epochs = epochs, .batch_size = batch_size, .shuffle = true, .shuffle_seed = seed});
  return {model, ctnn::evaluate(model, standardize(split.test), ctnn::BinaryCrossEntropy{})};
}

}  // namespace breast_cancer_recipe
