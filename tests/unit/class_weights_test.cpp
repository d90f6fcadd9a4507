// Class and sample weights: the compiler's weighted training equals the runtime's bit for bit (float
// and double, fused and unfused losses, per sample and in batches); weights of 1 give today's bits;
// the weighted loss against values computed here independently; balanced weights as scikit-learn's.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "bit_helpers.hpp"
#include "class_weights_recipes.hpp"

namespace cwr = class_weights_recipes;
using bit_helpers::opaque;

TEST_CASE("class weights: weighted training in the compiler equals the runtime, bit for bit")
{
  constexpr std::uint64_t sgd_double = cwr::weighted_sgd(0.5);
  constexpr std::uint64_t sgd_float = cwr::weighted_sgd(0.5f);
  constexpr std::uint64_t adam_double = cwr::weighted_adam_batches(0.05);
  constexpr std::uint64_t adam_float = cwr::weighted_adam_batches(0.05f);
  constexpr std::uint64_t mse_double = cwr::weighted_mse(0.5);
  CHECK(cwr::weighted_sgd(opaque(0.5)) == sgd_double);
  CHECK(cwr::weighted_sgd(opaque(0.5f)) == sgd_float);
  CHECK(cwr::weighted_adam_batches(opaque(0.05)) == adam_double);
  CHECK(cwr::weighted_adam_batches(opaque(0.05f)) == adam_float);
  CHECK(cwr::weighted_mse(opaque(0.5)) == mse_double);
}

namespace {

template <class Loss, class Data>
std::uint64_t trained(const Data& data, const Loss& loss, ctnn::FitOptions options, double learning_rate = 0.5,
                      double* loss_out = nullptr)
{
  cwr::Net net = ctnn::initialized<cwr::Net>(ctnn::XavierUniform{}, ctnn::Seed{5});
  const auto result = ctnn::fit(net, data, loss, ctnn::SGD{opaque(learning_rate)}, options);
  if (loss_out != nullptr) *loss_out = result.loss;
  return ctnn::parameter_fingerprint(net);
}

}  // namespace

TEST_CASE("class weights: weights of 1 train exactly as no weights")
{
  const auto data = cwr::imbalanced<double>();
  const double ones[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  const ctnn::ClassWeights<double, 3> unit{{1.0, 1.0, 1.0}};
  for (const ctnn::FitOptions options :
       {ctnn::FitOptions{.epochs = 5}, ctnn::FitOptions{.epochs = 5, .batch_size = 4, .shuffle = true}}) {
    double plain_loss = 0, weighted_loss = 0;
    const auto plain = trained(data, ctnn::CategoricalCrossEntropy{}, options, 0.5, &plain_loss);
    CHECK(trained(data, ctnn::class_weighted(ctnn::CategoricalCrossEntropy{}, unit), options, 0.5, &weighted_loss) ==
          plain);
    CHECK(weighted_loss == plain_loss);
    CHECK(trained(ctnn::with_sample_weights(data, ones), ctnn::CategoricalCrossEntropy{}, options) == plain);
    CHECK(trained(ctnn::with_sample_weights(data, ones), ctnn::class_weighted(ctnn::CategoricalCrossEntropy{}, unit),
                  options) == plain);
    CHECK(trained(data, ctnn::class_weighted(ctnn::MeanSquaredError{}, unit), options) ==
          trained(data, ctnn::MeanSquaredError{}, options));
  }
}

TEST_CASE("class weights: a weight of 2 on every sample is SGD with twice the learning rate, exactly")
{
  // Doubling is exact in binary floating point, so the doubled gradients step as a doubled rate does.
  const auto data = cwr::imbalanced<double>();
  const std::vector<double> twos(9, 2.0);
  double plain_loss = 0, weighted_loss = 0;
  const auto plain = trained(data, ctnn::CategoricalCrossEntropy{}, {.epochs = 4}, 0.5, &plain_loss);
  CHECK(trained(ctnn::with_sample_weights(data, twos), ctnn::CategoricalCrossEntropy{}, {.epochs = 4}, 0.25,
                &weighted_loss) == plain);
  CHECK(weighted_loss == 2 * plain_loss);
  CHECK(trained(data,
                ctnn::class_weighted(ctnn::CategoricalCrossEntropy{}, ctnn::ClassWeights<double, 3>{{2., 2., 2.}}),
                {.epochs = 4}, 0.25) == plain);
  // In shuffled batches too: the doubled gradient sums average to doubled means.
  const ctnn::FitOptions batches{.epochs = 4, .batch_size = 4, .shuffle = true, .shuffle_seed = ctnn::Seed{6}};
  const auto plain_batches = trained(data, ctnn::CategoricalCrossEntropy{}, batches, 0.5);
  CHECK(plain_batches != plain);
  CHECK(trained(ctnn::with_sample_weights(data, twos), ctnn::CategoricalCrossEntropy{}, batches, 0.25) ==
        plain_batches);
  const ctnn::ClassWeights<double, 3> twice{{2.0, 2.0, 2.0}};
  CHECK(trained(data, ctnn::class_weighted(ctnn::MeanSquaredError{}, twice), batches, 0.25) ==
        trained(data, ctnn::MeanSquaredError{}, batches, 0.5));
}

TEST_CASE("class weights: the weighted loss of a tiny case, computed independently")
{
  // y = (0.2, 0.5, 0.3) against class 1 (weight 3) and class 2 (weight 0.5), sample weights 2 and 1.
  const ctnn::Vector<double, 3> y{{0.2, 0.5, 0.3}};
  const ctnn::Vector<double, 3> class1{{0, 1, 0}}, class2{{0, 0, 1}};
  const auto loss = ctnn::class_weighted(ctnn::CategoricalCrossEntropy{}, ctnn::ClassWeights<double, 3>{{1, 3, 0.5}});
  CHECK(loss.value(y, class1) == Approx(-3 * std::log(0.5L)).epsilon(1e-15));
  CHECK(loss.value(y, class2) == Approx(-0.5 * std::log(0.3L)).epsilon(1e-15));
  ctnn::Vector<double, 3> dy{};
  CHECK(loss.value_and_gradient(y, class1, dy) == loss.value(y, class1));
  CHECK(dy.values[0] == 0.0);
  CHECK(dy.values[1] == Approx(-3 / 0.5));
  CHECK(dy.values[2] == 0.0);

  // evaluate() of a network with one fixed output over two weighted samples: w1 c1 L1 + w2 c2 L2.
  using One = ctnn::Network<ctnn::Dense<1, 3, ctnn::Softmax>>;
  One net{};
  net.layer<0>().bias = {{std::log(0.2), std::log(0.5), std::log(0.3)}};
  const ctnn::Dataset<1, 3, 2> data{{{{{0.0}}, class1}, {{{0.0}}, class2}}};
  const std::array<double, 2> weights{2.0, 1.0};
  const auto evaluation = ctnn::evaluate(net, ctnn::with_sample_weights(data, weights), loss);
  const long double expected = 2 * 3 * -std::log(0.5L) + 1 * 0.5 * -std::log(0.3L);
  CHECK(evaluation.loss == Approx(static_cast<double>(expected)).epsilon(1e-14));
  CHECK(evaluation.correct == 1);
}

TEST_CASE("class weights: balanced weights are scikit-learn's n / (k * count)")
{
  // compute_class_weight("balanced", classes=[0, 1, 2], y=[0]*6 + [1]*2 + [2]) = [0.5, 1.5, 3.0]
  const auto weights = ctnn::balanced_class_weights(cwr::imbalanced<double>());
  CHECK(weights.values[0] == 0.5);
  CHECK(weights.values[1] == 1.5);
  CHECK(weights.values[2] == 3.0);
  // One sigmoid output: classes 0 (six samples) and 1 (three): 9 / (2 * 6) and 9 / (2 * 3).
  const auto binary = ctnn::balanced_class_weights(cwr::imbalanced_binary<float>());
  CHECK(binary.values[0] == 0.75f);
  CHECK(binary.values[1] == 1.5f);
  // Not exact in binary: the same operations as NumPy's len(y) / (n_classes * bincount(y)).
  ctnn::RuntimeDataset<1, 3> runtime;
  for (int c : {0, 0, 0, 0, 0, 1, 1, 1, 2, 2})
    runtime.push_back({{{0.0}}, {{c == 0 ? 1.0 : 0.0, c == 1 ? 1.0 : 0.0, c == 2 ? 1.0 : 0.0}}});
  const auto uneven = ctnn::balanced_class_weights(runtime);
  CHECK(uneven.values[0] == 10.0 / (3.0 * 5.0));  // 0.66666667
  CHECK(uneven.values[1] == 10.0 / (3.0 * 3.0));  // 1.11111111
  CHECK(uneven.values[2] == 10.0 / (3.0 * 2.0));  // 1.66666667
}

TEST_CASE("class weights: bad weights are errors naming the problem")
{
  const auto data = cwr::imbalanced<double>();
  CHECK_THROWS_WITH(ctnn::class_weighted(ctnn::CategoricalCrossEntropy{}, ctnn::ClassWeights<double, 3>{{1, -1, 1}}),
                    "ctnn: class weights: the weight of class 1 must be finite and not negative");
  CHECK_THROWS_WITH(
      ctnn::class_weighted(ctnn::CategoricalCrossEntropy{}, ctnn::ClassWeights<double, 3>{{1, 1, std::nan("")}}),
      "ctnn: class weights: the weight of class 2 must be finite and not negative");
  const std::vector<double> three(3, 1.0);
  CHECK_THROWS_WITH(ctnn::with_sample_weights(data, three),
                    "ctnn: with_sample_weights: the data set has 9 samples but 3 weights were given");
  std::vector<double> bad(9, 1.0);
  bad[4] = INFINITY;
  cwr::Net net{};
  CHECK_THROWS_WITH(ctnn::fit(net, ctnn::with_sample_weights(data, bad), ctnn::CategoricalCrossEntropy{},
                              ctnn::SGD{0.1}, {.epochs = 1}),
                    "ctnn: sample weights: the weight of sample 4 must be finite and not negative");
  ctnn::RuntimeDataset<2, 3> missing_class;
  missing_class.push_back(data[0]);
  missing_class.push_back(data[3]);
  CHECK_THROWS_WITH(ctnn::balanced_class_weights(missing_class),
                    "ctnn: balanced_class_weights: class 2 has no sample, so it has no balanced weight (give the "
                    "weights explicitly)");
}

TEST_CASE("class weights: a weighted runtime data set keeps its class names and validates")
{
  const auto fixed = cwr::imbalanced<double>();
  ctnn::RuntimeDataset<2, 3> data(std::vector<ctnn::Sample<double, 2, 3>>(fixed.begin(), fixed.end()), {"a", "b", "c"});
  const std::vector<double> weights(9, 1.0);
  const auto weighted = ctnn::with_sample_weights(data, weights);
  CHECK(weighted.class_names() == std::vector<std::string>{"a", "b", "c"});
  STATIC_REQUIRE(ctnn::SampleWeightedDataset<std::remove_cvref_t<decltype(weighted)>>);
  cwr::Net net = ctnn::initialized<cwr::Net>(ctnn::XavierUniform{}, ctnn::Seed{5});
  cwr::Net same = net;
  ctnn::fit(net, ctnn::with_validation(weighted, weighted), ctnn::CategoricalCrossEntropy{}, ctnn::SGD{0.5},
            {.epochs = 3});
  ctnn::fit(same, data, ctnn::CategoricalCrossEntropy{}, ctnn::SGD{0.5}, {.epochs = 3});
  CHECK(ctnn::parameter_fingerprint(net) == ctnn::parameter_fingerprint(same));
}

namespace {

// A loss whose value is weighted but whose gradient is not: gradient_check sees the mismatch.
struct GradientUnweighted {
  static constexpr std::string_view name = "gradient_unweighted";
  double weight;
  template <class T, std::size_t N>
  constexpr T value(const ctnn::Vector<T, N>& y, const ctnn::Vector<T, N>& t) const noexcept
  {
    return ctnn::MeanSquaredError::value(y, t) * weight;
  }
  template <class T, std::size_t N>
  constexpr T value_and_gradient(const ctnn::Vector<T, N>& y, const ctnn::Vector<T, N>& t,
                                 ctnn::Vector<T, N>& g) const noexcept
  {
    ctnn::MeanSquaredError::value_and_gradient(y, t, g);
    return value(y, t);
  }
};

}  // namespace

TEST_CASE("class weights: a weighted loss passes gradient_check, fused or not, and a wrong weighting fails it")
{
  const auto weights = ctnn::ClassWeights<double, 3>{{0.5, 3.0, 1.25}};
  const cwr::Net softmax = ctnn::initialized<cwr::Net>(ctnn::XavierUniform{}, ctnn::Seed{11});
  using Sigmoids = ctnn::Network<ctnn::Dense<2, 4, ctnn::Tanh>, ctnn::Dense<4, 3, ctnn::Sigmoid>>;
  const Sigmoids sigmoids = ctnn::initialized<Sigmoids>(ctnn::XavierUniform{}, ctnn::Seed{11});
  const ctnn::Vector<double, 2> x{{0.3, -0.7}};
  const ctnn::Vector<double, 3> target{{0.0, 1.0, 0.0}};
  CHECK(ctnn::gradient_check(softmax, x, target, ctnn::class_weighted(ctnn::CategoricalCrossEntropy{}, weights))
            .passed(1e-6));
  CHECK(
      ctnn::gradient_check(sigmoids, x, target, ctnn::class_weighted(ctnn::MeanSquaredError{}, weights)).passed(1e-6));
  CHECK(ctnn::gradient_check(sigmoids, x, target, ctnn::class_weighted(ctnn::BinaryCrossEntropy{}, weights))
            .passed(1e-6));

  CHECK_FALSE(ctnn::gradient_check(sigmoids, x, target, GradientUnweighted{3.0}).passed(1e-6));
}
