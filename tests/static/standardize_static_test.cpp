// The Standardize layer in the constant evaluator: a network that starts with it, trained on raw
// data, equals bit for bit the network without it trained on the data the layer rescaled, with the
// same seed, for per-sample SGD and for shuffled mini-batches with Adam; and the runtime agrees
// (tests/unit/standardize_test.cpp runs the same recipes on Iris).
#include <bit>
#include <cstddef>
#include <cstdint>

#include <ctnn/core.hpp>

namespace {

using Scaled = ctnn::Network<ctnn::Standardize<3>, ctnn::Dense<3, 4, ctnn::Tanh>, ctnn::Dense<4, 1, ctnn::Sigmoid>>;
using Plain = ctnn::Network<ctnn::Dense<3, 4, ctnn::Tanh>, ctnn::Dense<4, 1, ctnn::Sigmoid>>;

// Three features on very different scales; the class is whether the first two, standardised, sum above 0.
constexpr ctnn::Dataset<3, 1, 8> raw_data()
{
  return {{{{{1200.0, 0.02, -7.0}}, {{1.0}}},
           {{{800.0, 0.01, 3.0}}, {{0.0}}},
           {{{1500.0, 0.03, 1.0}}, {{1.0}}},
           {{{700.0, 0.015, -2.0}}, {{0.0}}},
           {{{1000.0, 0.04, 5.0}}, {{1.0}}},
           {{{900.0, 0.005, 0.0}}, {{0.0}}},
           {{{1300.0, 0.012, -1.0}}, {{1.0}}},
           {{{600.0, 0.025, 2.0}}, {{0.0}}}}};
}

template <class T, std::size_t N>
constexpr bool same_bits(const ctnn::Vector<T, N>& a, const ctnn::Vector<T, N>& b)
{
  for (std::size_t i = 0; i < N; ++i)
    if (std::bit_cast<std::uint64_t>(a.values[i]) != std::bit_cast<std::uint64_t>(b.values[i])) return false;
  return true;
}

template <class Loss, class Optimizer>
constexpr bool trains_the_same(const Loss& loss, const Optimizer& optimizer, ctnn::FitOptions options)
{
  const auto raw = raw_data();
  Scaled with_layer = ctnn::initialized<Scaled>(ctnn::XavierUniform{}, ctnn::Seed{7});
  with_layer.layer<0>() = ctnn::Standardize<3>::measure(raw);
  Plain without = ctnn::initialized<Plain>(ctnn::XavierUniform{}, ctnn::Seed{7});
  if (!same_bits(with_layer.parameters(), without.parameters())) return false;  // initialisers skip the layer
  ctnn::fit(with_layer, raw, loss, optimizer, options);
  ctnn::fit(without, ctnn::Standardize<3>::measure(raw)(raw), loss, optimizer, options);
  return same_bits(with_layer.parameters(), without.parameters()) &&
         !same_bits(with_layer.parameters(),
                    ctnn::initialized<Plain>(ctnn::XavierUniform{}, ctnn::Seed{7}).parameters());
}

static_assert(trains_the_same(ctnn::MeanSquaredError{}, ctnn::SGD{0.5}, {.epochs = 30}));
static_assert(trains_the_same(ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.05},
                              {.epochs = 20, .batch_size = 3, .shuffle = true, .shuffle_seed = ctnn::Seed{3}}));

// Its values count as non-trainable parameters.
static_assert(Scaled::parameter_count == Plain::parameter_count);
static_assert(Scaled::non_trainable_parameter_count == 6 &&
              Scaled::total_parameter_count == Plain::parameter_count + 6);

// gradient_check sees only the Dense layers' parameters.
static_assert(ctnn::gradient_check(ctnn::initialized<Scaled>(ctnn::XavierUniform{}, ctnn::Seed{1}),
                                   {{1000.0, 0.02, 1.0}}, {{1.0}}, ctnn::MeanSquaredError{})
                  .parameters == Plain::parameter_count);

}  // namespace

int main() {}
