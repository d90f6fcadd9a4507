// Class and sample weights in the constant evaluator (cheap): weights of 1 train exactly as none,
// balanced weights are scikit-learn's, and the weighted recipes of tests/unit/class_weights_test.cpp
// run in a constant expression.
#include <cstdint>

#include "../unit/class_weights_recipes.hpp"

namespace {

namespace cwr = class_weights_recipes;

constexpr bool ones_train_as_none()
{
  const auto data = cwr::imbalanced<double>();
  const double ones[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  cwr::Net plain = ctnn::initialized<cwr::Net>(ctnn::XavierUniform{}, ctnn::Seed{5});
  cwr::Net weighted = plain;
  ctnn::fit(plain, data, ctnn::CategoricalCrossEntropy{}, ctnn::SGD{0.5}, {.epochs = 3});
  ctnn::fit(weighted, ctnn::with_sample_weights(data, ones),
            ctnn::class_weighted(ctnn::CategoricalCrossEntropy{}, ctnn::ClassWeights<double, 3>{{1.0, 1.0, 1.0}}),
            ctnn::SGD{0.5}, {.epochs = 3});
  return ctnn::parameter_fingerprint(plain) == ctnn::parameter_fingerprint(weighted);
}
static_assert(ones_train_as_none());

constexpr auto balanced = ctnn::balanced_class_weights(cwr::imbalanced<double>());
static_assert(balanced.values[0] == 0.5 && balanced.values[1] == 1.5 && balanced.values[2] == 3.0);

// Weighting changes the result (the recipes do train with their weights).
static_assert(cwr::weighted_sgd(0.5) != cwr::weighted_sgd(0.25));

}  // namespace

int main() {}
