// Iris trained in the compiler: the recipe of examples/iris_recipe.hpp runs in a constant
// expression and the accuracies are checked by static_assert. Compiling this file is the test.

#include "iris_recipe.hpp"

namespace {

constexpr auto trained = iris_recipe::train();
constexpr auto on_train = ctnn::evaluate(trained.model, iris_recipe::train_set, ctnn::CategoricalCrossEntropy{});
constexpr auto on_test = ctnn::evaluate(trained.model, iris_recipe::test_set, ctnn::CategoricalCrossEntropy{});

static_assert(on_train.samples == 120 && on_test.samples == 30);
static_assert(on_train.accuracy() >= 0.95, "the training split must be classified at least 95% right");
static_assert(on_test.accuracy() >= 0.9, "the held-out split must be classified at least 90% right");
// Training lowered the loss well below the untrained model's (about ln 3 = 1.1 per sample).
static_assert(on_train.mean_loss() < 0.2);

}  // namespace

int main() {}
