#pragma once
// Weighted training recipes shared by tests/unit/class_weights_test.cpp (at runtime, against the
// same recipe run by the compiler) and tests/static/class_weights_static_test.cpp (cheap checks
// in a constant expression). Small on purpose: each recipe costs the constant evaluator well under
// a second.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <ctnn/class_weights.hpp>
#include <ctnn/core.hpp>

namespace class_weights_recipes {

using Net = ctnn::Network<ctnn::Dense<2, 4, ctnn::Tanh>, ctnn::Dense<4, 3, ctnn::Softmax>>;
using BinaryNet = ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;

// Nine samples of three imbalanced classes: six of class 0, two of class 1, one of class 2.
template <class T>
constexpr ctnn::Dataset<2, 3, 9, T> imbalanced()
{
  return {{{{{T(0.1), T(0.2)}}, {{T(1), T(0), T(0)}}},
           {{{T(-0.3), T(0.5)}}, {{T(1), T(0), T(0)}}},
           {{{T(0.4), T(-0.1)}}, {{T(1), T(0), T(0)}}},
           {{{T(0.9), T(0.7)}}, {{T(0), T(1), T(0)}}},
           {{{T(-0.2), T(-0.6)}}, {{T(1), T(0), T(0)}}},
           {{{T(0.0), T(0.3)}}, {{T(1), T(0), T(0)}}},
           {{{T(-0.8), T(0.9)}}, {{T(0), T(0), T(1)}}},
           {{{T(0.6), T(0.8)}}, {{T(0), T(1), T(0)}}},
           {{{T(0.25), T(-0.4)}}, {{T(1), T(0), T(0)}}}}};
}

// The same points with a single 0/1 target: class 1 for the three minority samples.
template <class T>
constexpr ctnn::Dataset<2, 1, 9, T> imbalanced_binary()
{
  const auto three = imbalanced<T>();
  ctnn::Dataset<2, 1, 9, T> data{};
  for (std::size_t i = 0; i < 9; ++i) {
    data.samples[i].input = three.samples[i].input;
    data.samples[i].target.values[0] = three.samples[i].target.values[0] == T(1) ? T(0) : T(1);
  }
  return data;
}

template <class T>
constexpr T sample_weights[9] = {T(1), T(0.5), T(2), T(1), T(0.25), T(1), T(3), T(1.5), T(0.75)};

// Balanced class weights and sample weights, categorical cross-entropy fused with Softmax, per-sample
// SGD; learning_rate is a parameter so that the runtime run cannot be folded by the optimiser.
template <class T>
constexpr std::uint64_t weighted_sgd(T learning_rate)
{
  using N = ctnn::Network<ctnn::Dense<2, 4, ctnn::Tanh, T>, ctnn::Dense<4, 3, ctnn::Softmax, T>>;
  const auto data = imbalanced<T>();
  N net = ctnn::initialized<N>(ctnn::XavierUniform{}, ctnn::Seed{5});
  const auto loss = ctnn::class_weighted(ctnn::CategoricalCrossEntropy{}, ctnn::balanced_class_weights(data));
  const auto result = ctnn::fit(net, ctnn::with_sample_weights(data, sample_weights<T>), loss,
                                ctnn::SGD<T>{learning_rate}, {.epochs = 8});
  return ctnn::parameter_fingerprint(net) ^
         std::bit_cast<std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>>(result.loss);
}

// Class weights on a single sigmoid output with binary cross-entropy, shuffled mini-batches, Adam.
template <class T>
constexpr std::uint64_t weighted_adam_batches(T learning_rate)
{
  using N = ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh, T>, ctnn::Dense<3, 1, ctnn::Sigmoid, T>>;
  const auto data = imbalanced_binary<T>();
  N net = ctnn::initialized<N>(ctnn::XavierUniform{}, ctnn::Seed{9});
  const auto loss = ctnn::class_weighted(ctnn::BinaryCrossEntropy{}, ctnn::ClassWeights<T, 2>{{T(0.75), T(2.25)}});
  ctnn::fit(net, ctnn::with_sample_weights(data, sample_weights<T>), loss, ctnn::Adam<T>{learning_rate},
            {.epochs = 6, .batch_size = 4, .shuffle = true, .shuffle_seed = ctnn::Seed{2}});
  return ctnn::parameter_fingerprint(net);
}

// Mean squared error (no fused form) with class weights only.
template <class T>
constexpr std::uint64_t weighted_mse(T learning_rate)
{
  using N = ctnn::Network<ctnn::Dense<2, 4, ctnn::Tanh, T>, ctnn::Dense<4, 3, ctnn::Sigmoid, T>>;
  const auto data = imbalanced<T>();
  N net = ctnn::initialized<N>(ctnn::XavierUniform{}, ctnn::Seed{3});
  ctnn::fit(net, data, ctnn::class_weighted(ctnn::MeanSquaredError{}, ctnn::balanced_class_weights(data)),
            ctnn::SGD<T>{learning_rate}, {.epochs = 8});
  return ctnn::parameter_fingerprint(net);
}

}  // namespace class_weights_recipes
