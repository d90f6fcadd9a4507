// The proof: the tutorial's full recipe (2-3-1 sigmoid, weights and biases uniform in [0, 1) from a
// fixed seed, per-sample SGD over the four samples in order, lr 0.1, 15000 epochs, MSE/2) trained
// inside the compiler. If any of these static_asserts fails, this file does not compile.

#include "xor_trained_by_compiler.hpp"

namespace {

// The recipe is spelled out in examples/xor_recipe.hpp; check that it is the tutorial's.
static_assert(xor_recipe::epochs == 15000);
static_assert(xor_recipe::learning_rate == 0.1);
static_assert(xor_recipe::Model::layer_count == 2);
static_assert(xor_recipe::Model::parameter_count == 13);
static_assert(
    std::same_as<xor_recipe::Model,
                 ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid, double>, ctnn::Dense<3, 1, ctnn::Sigmoid, double>>>);

constexpr const xor_recipe::Trained& trained = xor_recipe::trained_by_compiler;
constexpr const xor_recipe::Model& model = trained.model;

// The loss summed over the last epoch, as the tutorial prints it.
static_assert(trained.last_epoch_loss < 0.01);

// The truth table.
static_assert(model.predict({{0.0, 0.0}})[0] < 0.1);
static_assert(model.predict({{0.0, 1.0}})[0] > 0.9);
static_assert(model.predict({{1.0, 0.0}})[0] > 0.9);
static_assert(model.predict({{1.0, 1.0}})[0] < 0.1);

// The same sum evaluated once more after the last update.
static_assert(ctnn::evaluate(model, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}).loss < 0.01);

// Training moved every parameter away from its initial draw.
constexpr auto initial = ctnn::initialized<xor_recipe::Model>(ctnn::Uniform01{}, xor_recipe::seed);
static_assert([] {
  const auto before = initial.parameters();
  const auto after = model.parameters();
  for (std::size_t i = 0; i < before.size(); ++i)
    if (before[i] == after[i]) return false;
  return true;
}());

}  // namespace

int main() {}
