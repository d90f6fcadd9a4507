#pragma once
// The digits CNN, written once and used both by examples/digits_cnn.cpp's compile-time proof and by
// its runtime run, so the two cannot drift apart. digits_data.hpp is generated from data/digits.csv
// by examples/digits_header.cmake (as for examples/digits).

#include <cstddef>
#include <type_traits>

#include <ctnn/conv2d.hpp>
#include <ctnn/core.hpp>
#include <ctnn/flatten.hpp>
#include <ctnn/image_data.hpp>
#include <ctnn/pooling.hpp>

#include "digits_data.hpp"

namespace digits_cnn_recipe {

using Image = ctnn::Shape<8, 8, 1>;
/// Four 3x3 filters over the 8x8 image (zero padding keeps 8x8), ReLU, 2x2 max pooling to 4x4x4,
/// and a softmax over the ten digits: 40 + 650 = 690 parameters.
using Model =
    ctnn::Network<ctnn::Conv2D<8, 8, 1, 4, 3, 3, ctnn::ReLU, ctnn::ConvOptions{.padding = ctnn::Padding::same}>,
                  ctnn::MaxPool2D<8, 8, 4, 2, 2>, ctnn::Flatten<ctnn::Shape<4, 4, 4>>,
                  ctnn::Dense<64, 10, ctnn::Softmax>>;

inline constexpr ctnn::Seed seed{2024};
inline constexpr std::size_t epochs = 2;
inline constexpr double learning_rate = 0.05;

/// All 1797 images as Shape<8, 8, 1> samples, pixels 0..16 scaled by 1/16 (exact), the class one-hot.
constexpr ctnn::Dataset<64, 10, digits_data::count> all_digits()
{
  ctnn::Dataset<64, 10, digits_data::count> data{};
  for (std::size_t i = 0; i < digits_data::count; ++i) {
    for (std::size_t p = 0; p < 64; ++p) data.samples[i].input.values[p] = digits_data::rows[i][p];
    data.samples[i].target.values[digits_data::rows[i][64]] = 1.0;
  }
  return ctnn::as_images<Image>(data, 1.0 / 16);
}

/// Every fifth sample is held out (359), as in examples/digits; the other 1438 train.
inline constexpr auto split = ctnn::hold_out_every<5>(all_digits());
inline constexpr const auto& train_set = split.train;
inline constexpr const auto& test_set = split.test;

/// He-normal filters, Xavier-uniform for the softmax layer, biases zero.
constexpr Model untrained()
{
  return ctnn::initialized<Model>(ctnn::PerLayer{ctnn::HeNormal{}, ctnn::XavierUniform{}}, seed);
}

/// Per-sample SGD on categorical cross-entropy (fused with the softmax), samples in order, in one
/// fit() call: what the runtime run does. on_epoch(epoch, loss) is called after every epoch.
template <class Callback = ctnn::NoCallback>
constexpr Model train(Callback&& on_epoch = {})
{
  Model model = untrained();
  ctnn::fit(model, train_set, ctnn::CategoricalCrossEntropy{}, ctnn::SGD{learning_rate}, {.epochs = epochs}, on_epoch);
  return model;
}

// The same run in stages for the compiler (CTNN_TRAIN_IN_STAGES), each one slice of the training
// set for one epoch, so that GCC frees the evaluator's memory between slices; per-sample SGD in order
// keeps nothing besides the model, so the slices give train()'s bits (digits_cnn.cpp compares them).
inline constexpr std::size_t slice_size = 144;
inline constexpr std::size_t slices = (train_set.size() + slice_size - 1) / slice_size;
inline constexpr std::size_t stages = slices * epochs;

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

}  // namespace digits_cnn_recipe
