#pragma once
// The digits run, written once and used both by examples/digits.cpp (runtime) and by its compile-time
// proof (examples/digits_proof.cpp), so the two cannot drift apart. digits_data.hpp is generated from
// data/digits.csv by examples/digits_header.cmake.

#include <cstddef>
#include <type_traits>

#include <ctnn/core.hpp>

#include "digits_data.hpp"

namespace digits_recipe {

/// 64-16-10: ReLU hidden units, a softmax over the ten digits.
using Model = ctnn::Network<ctnn::Dense<64, 16, ctnn::ReLU>, ctnn::Dense<16, 10, ctnn::Softmax>>;

inline constexpr ctnn::Seed seed{2024};
inline constexpr std::size_t epochs = 2;
inline constexpr double learning_rate = 0.05;

/// All 1797 images, pixels 0..16 as doubles (exact), the class one-hot.
constexpr ctnn::Dataset<64, 10, digits_data::count> all_digits()
{
  ctnn::Dataset<64, 10, digits_data::count> data{};
  for (std::size_t i = 0; i < digits_data::count; ++i) {
    for (std::size_t p = 0; p < 64; ++p) data.samples[i].input.values[p] = digits_data::rows[i][p];
    data.samples[i].target.values[digits_data::rows[i][64]] = 1.0;
  }
  return data;
}

/// Every fifth sample is held out (359); the other 1438 train.
inline constexpr auto split = ctnn::hold_out_every<5>(all_digits());
/// Pixels standardised with the training split's mean and deviation, applied to both splits.
inline constexpr auto standardize = ctnn::Standardize<64>::measure(split.train);
inline constexpr auto train_set = standardize(split.train);
inline constexpr auto test_set = standardize(split.test);

/// He-normal weights for the ReLU layer, Xavier-uniform for the softmax layer, biases zero.
constexpr Model untrained()
{
  return ctnn::initialized<Model>(ctnn::PerLayer{ctnn::HeNormal{}, ctnn::XavierUniform{}}, seed);
}

/// Per-sample SGD on categorical cross-entropy (fused with the softmax), samples in order, in one
/// fit() call: what the runtime example runs. on_epoch(epoch, loss) is called after every epoch.
template <class Callback = ctnn::NoCallback>
constexpr Model train(Callback&& on_epoch = {})
{
  Model model = untrained();
  ctnn::fit(model, train_set, ctnn::CategoricalCrossEntropy{}, ctnn::SGD{learning_rate}, {.epochs = epochs}, on_epoch);
  return model;
}

// The same run in stages, for the compiler (CTNN_TRAIN_IN_STAGES): each stage trains one slice of
// the training set for one epoch, so that GCC frees the evaluator's memory every slice_size samples
// (one evaluation of the whole run peaks at about 1.5 GB). Per-sample SGD in data-set order keeps
// no state besides the model, so the slices give the same bits as train(); examples/digits.cpp
// compares the two.
inline constexpr std::size_t slice_size = 144;
inline constexpr std::size_t slices = (train_set.size() + slice_size - 1) / slice_size;
inline constexpr std::size_t stages = slices * epochs;

/// Samples [Slice * slice_size, ...) of the training set, at most slice_size of them.
template <std::size_t Slice>
constexpr auto training_slice()
{
  constexpr std::size_t begin = Slice * slice_size;
  constexpr std::size_t count = train_set.size() - begin < slice_size ? train_set.size() - begin : slice_size;
  ctnn::Dataset<64, 10, count> slice{};
  for (std::size_t i = 0; i < count; ++i) slice.samples[i] = train_set.samples[begin + i];
  return slice;
}

/// The recipe for CTNN_TRAIN_IN_STAGES: stage k (from 1) trains slice (k - 1) % slices.
struct Staged {
  static constexpr Model start() { return untrained(); }
  template <std::size_t Stage>
  static constexpr Model stage(Model model, std::integral_constant<std::size_t, Stage>)
  {
    ctnn::fit(model, training_slice<(Stage - 1) % slices>(), ctnn::CategoricalCrossEntropy{}, ctnn::SGD{learning_rate},
              {.epochs = 1});
    return model;
  }
};

}  // namespace digits_recipe
