// Handwritten digits (scikit-learn's 8x8 images, 1797 samples, 10 classes): a 64-16-10 ReLU/softmax
// network trained by per-sample SGD for two epochs, in the compiler while this file is built (the
// static_assert below checks its held-out accuracy) and again at runtime; the two models are compared
// bit for bit.

#include <cinttypes>
#include <cstdio>
#include <string>
#include <vector>

#include <ctnn/report.hpp>

#include "digits_recipe.hpp"

namespace digits_recipe {
// Trained while compiling this file, in stages; main() trains the same recipe in one fit() call.
CTNN_TRAIN_IN_STAGES(trained_by_compiler, Staged, 20);
static_assert(stages == 20, "digits.cpp passes the stage count as a literal");

inline constexpr auto held_out_by_compiler =
    ctnn::evaluate(trained_by_compiler, test_set, ctnn::CategoricalCrossEntropy{});
static_assert(held_out_by_compiler.samples == 359);
static_assert(held_out_by_compiler.accuracy() >= 0.9, "the held-out digits must be classified at least 90% right");
}  // namespace digits_recipe

namespace {

void report(const char* name, const digits_recipe::Model& model, const auto& data)
{
  const auto result = ctnn::evaluate(model, data, ctnn::CategoricalCrossEntropy{});
  std::printf("%-9s accuracy %.4f (%zu / %zu), mean loss %.6f\n", name, result.accuracy(), result.correct,
              result.samples, result.mean_loss());
}

}  // namespace

int main()
{
  ctnn::summary(digits_recipe::Model{});
  std::printf("\n%zu training samples, %zu held out (every fifth); per-sample SGD, learning rate %g\n\n",
              digits_recipe::train_set.size(), digits_recipe::test_set.size(), digits_recipe::learning_rate);

  const digits_recipe::Model model = digits_recipe::train(ctnn::Reporter{digits_recipe::epochs});

  std::printf("\n");
  report("training", model, digits_recipe::train_set);
  report("held out", model, digits_recipe::test_set);

  std::vector<std::string> names;
  for (int digit = 0; digit < 10; ++digit) names.push_back(std::to_string(digit));
  std::printf("\nconfusion matrix, held-out samples:\n");
  std::fflush(stdout);
  ctnn::print_confusion_matrix(ctnn::confusion_matrix(model, digits_recipe::test_set), names);
  std::cout.flush();

  const auto& compiled = digits_recipe::trained_by_compiler;
  const bool identical = bitwise_equal(model, compiled);
  std::printf("\ncompile-time model: fingerprint %016" PRIx64 ", held-out accuracy %.4f\n",
              parameter_fingerprint(compiled), digits_recipe::held_out_by_compiler.accuracy());
  std::printf("runtime model:      fingerprint %016" PRIx64 "\n", parameter_fingerprint(model));
  std::printf("bit-identical: %s\n", identical ? "yes" : "NO");
  return identical ? 0 : 1;
}
