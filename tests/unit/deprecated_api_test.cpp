// ctnn 0.2's spellings that 0.3 deprecates still compile and give the new spellings' results (one
// release of grace; README "Changelog" lists each with its replacement). Deprecation warnings are
// what these spellings are for, so this file alone switches them off.

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <ctnn/ctnn.hpp>
#include <vector>

namespace {
using Net = ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh>, ctnn::Dense<3, 2, ctnn::Softmax>>;

Net example()
{
  return ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{11});
}

const ctnn::Dataset<2, 2, 4> data{{{{{0.0, 0.0}}, {{1.0, 0.0}}},
                                   {{{0.0, 1.0}}, {{0.0, 1.0}}},
                                   {{{1.0, 0.0}}, {{0.0, 1.0}}},
                                   {{{1.0, 1.0}}, {{1.0, 0.0}}}}};
}  // namespace

TEST_CASE("deprecated: Dense's 0.2 training interface gives the protocol's bits")
{
  using D = ctnn::Dense<2, 3, ctnn::Sigmoid>;
  D old_layer{};
  old_layer.weights = {{0.5, -1.0, 0.25, 2.0, -0.75, 0.1}};
  old_layer.bias = {{0.1, 0.2, -0.3}};
  D new_layer = old_layer;
  const ctnn::Vector<double, 2> x{{0.3, -0.7}};
  const ctnn::Vector<double, 3> dy{{1.0, -0.5, 0.25}};

  D::cache old_cache;
  old_layer.forward(x, old_cache);
  D::gradients old_g;
  const auto old_dx = old_layer.backward(old_cache, dy, old_g);

  D::cache_type new_cache;
  D::output_type new_y;
  new_layer.forward(x, new_cache, new_y);
  D::gradients new_g{};
  ctnn::Vector<double, 2> new_dx;
  new_layer.backward<true>(x, new_cache, new_y, dy, new_g, new_dx);
  CHECK(old_dx == new_dx);
  CHECK(old_g.weights == new_g.weights);
  CHECK(old_g.bias == new_g.bias);

  const ctnn::SGD<double> sgd{0.1};
  D::optimizer_state<ctnn::SGD<double>> state{};
  const auto stepped_dx = old_layer.backward_and_update<true>(old_cache, dy, sgd, state);
  ctnn::Vector<double, 2> new_stepped_dx;
  new_layer.backward_and_update<true, false>(x, new_cache, new_y, dy, sgd, state, new_stepped_dx);
  CHECK(stepped_dx == new_stepped_dx);
  CHECK(old_layer.weights == new_layer.weights);
  STATIC_REQUIRE(D::straight_line);
  STATIC_REQUIRE_FALSE(D::row_folds);
}

TEST_CASE("deprecated: evaluate_loss, predict_batch, Standardizer, the OptimizerState overload")
{
  Net net = example();
  CHECK(ctnn::evaluate_loss(net, data, ctnn::CategoricalCrossEntropy{}) ==
        ctnn::evaluate(net, data, ctnn::CategoricalCrossEntropy{}).loss);

  std::array<ctnn::Vector<double, 2>, 20> inputs{};
  for (std::size_t i = 0; i < inputs.size(); ++i)
    inputs[i] = {{0.1 * static_cast<double>(i), -0.05 * static_cast<double>(i)}};
  std::array<ctnn::Vector<double, 2>, 20> old_outputs{};
  net.predict_batch(inputs.data(), old_outputs.data(), inputs.size());
  std::array<ctnn::Vector<double, 2>, 20> frozen_outputs{};
  ctnn::for_inference(net).predict_batch(inputs.data(), frozen_outputs.data(), inputs.size());
  const auto outputs = ctnn::predict(net, inputs);
  CHECK(old_outputs == outputs);
  CHECK(frozen_outputs == outputs);

  const ctnn::Standardizer<double, 2> scaler = ctnn::Standardizer<double, 2>::measure(data);
  CHECK(scaler.mean == ctnn::Standardize<2>::measure(data).mean);
  CHECK(ctnn::Standardize<2>::from(scaler).deviation == scaler.deviation);

  Net with_state = example();
  Net with_training_state = example();
  ctnn::OptimizerState<Net, ctnn::Adam<double>> state{};
  ctnn::fit(with_state, data, ctnn::CategoricalCrossEntropy{}, ctnn::Adam{0.01}, {.epochs = 3}, state);
  ctnn::fit(with_state, data, ctnn::CategoricalCrossEntropy{}, ctnn::Adam{0.01}, {.epochs = 2}, state);
  ctnn::TrainingState<Net, ctnn::Adam<double>> training{};
  ctnn::fit(with_training_state, data, ctnn::CategoricalCrossEntropy{}, ctnn::Adam{0.01}, {.epochs = 3}, training);
  ctnn::fit(with_training_state, data, ctnn::CategoricalCrossEntropy{}, ctnn::Adam{0.01}, {.epochs = 2}, training);
  CHECK(ctnn::bitwise_equal(with_state, with_training_state));
}

TEST_CASE("deprecated: fit_with_history and History::recorder record what a History passed to fit does")
{
  Net a = example();
  const ctnn::History old_history =
      ctnn::fit_with_history(a, data, ctnn::CategoricalCrossEntropy{}, ctnn::SGD{0.1}, {.epochs = 4});
  Net b = example();
  ctnn::History history;
  ctnn::fit(b, data, ctnn::CategoricalCrossEntropy{}, ctnn::SGD{0.1}, {.epochs = 4}, history);
  CHECK(old_history.losses == history.losses);
  ctnn::History recorded;
  Net c = example();
  ctnn::fit(c, data, ctnn::CategoricalCrossEntropy{}, ctnn::SGD{0.1}, {.epochs = 4}, recorded.recorder());
  CHECK(recorded.losses == history.losses);
}
