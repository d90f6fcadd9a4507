// Iris (150 flowers, 4 measurements, 3 species): a 4-8-3 tanh/softmax network trained with Adam on
// categorical cross-entropy in shuffled mini-batches, at runtime here and in the compiler while
// this file was built; the two models are compared bit for bit.

#include <cinttypes>
#include <cstdio>
#include <string>
#include <vector>

#include <ctnn/report.hpp>

#include "iris_recipe.hpp"

// Trained while compiling this file: the same function main() calls, in a constant expression.
constexpr iris_recipe::Model trained_by_compiler = iris_recipe::train().model;

namespace {

void report(const char* name, const iris_recipe::Model& model, const auto& data)
{
  const auto result = ctnn::evaluate(model, data, ctnn::CategoricalCrossEntropy{});
  std::printf("%-9s accuracy %.4f (%zu / %zu), mean loss %.6f\n", name, result.accuracy(), result.correct,
              result.samples, result.mean_loss());
}

}  // namespace

int main()
{
  ctnn::summary(iris_recipe::Model{});
  std::printf(
      "\n%zu training samples, %zu held out (every fifth); Adam, learning rate %g, batches of %zu, shuffled\n\n",
      iris_recipe::train_set.size(), iris_recipe::test_set.size(), iris_recipe::learning_rate, iris_recipe::batch_size);

  const iris_recipe::Model model = iris_recipe::train(ctnn::Reporter{iris_recipe::epochs, {.every = 5}}).model;

  std::printf("\n");
  report("training", model, iris_recipe::train_set);
  report("held out", model, iris_recipe::test_set);

  const std::vector<std::string> names(std::begin(ctnn::datasets::iris_class_names),
                                       std::end(ctnn::datasets::iris_class_names));
  std::printf("\nconfusion matrix, held-out samples:\n");
  std::fflush(stdout);
  ctnn::print_confusion_matrix(ctnn::confusion_matrix(model, iris_recipe::test_set), names);
  std::cout.flush();

  const bool identical = bitwise_equal(model, trained_by_compiler);
  std::printf("\ncompile-time model: fingerprint %016" PRIx64 "\n", parameter_fingerprint(trained_by_compiler));
  std::printf("runtime model:      fingerprint %016" PRIx64 "\n", parameter_fingerprint(model));
  std::printf("bit-identical: %s\n", identical ? "yes" : "NO");
  return identical ? 0 : 1;
}
