// A CNN on the handwritten digits (scikit-learn's 8x8 images, 1797 samples, 10 classes): four 3x3
// filters, ReLU, 2x2 max pooling and a softmax layer (examples/digits_cnn_recipe.hpp), trained by
// per-sample SGD for two epochs in the compiler while this file is built (the static_assert below
// checks its held-out accuracy, every fifth image) and again at runtime; the two models are compared
// bit for bit.

#include <cinttypes>
#include <cstdio>

#include <ctnn/report.hpp>
#include <ctnn/staged.hpp>

#include "digits_cnn_recipe.hpp"

// CTNN_DIGITS_CNN_RUNTIME_ONLY leaves the compile-time run out (CMake option CTNN_CNN_PROOF=OFF): it
// costs about a minute of compiler time (docs/images.md).
#ifndef CTNN_DIGITS_CNN_RUNTIME_ONLY
namespace digits_cnn_recipe {
// Trained while compiling this file, in stages (each a slice of 144 images for one epoch); main()
// trains the same recipe in one fit() call.
CTNN_TRAIN_IN_STAGES(trained_by_compiler, Staged, 20);
static_assert(stages == 20, "digits_cnn.cpp passes the stage count as a literal");

inline constexpr auto held_out_by_compiler =
    ctnn::evaluate(trained_by_compiler, test_set, ctnn::CategoricalCrossEntropy{});
static_assert(held_out_by_compiler.samples == 359);
static_assert(held_out_by_compiler.accuracy() >= 0.95, "the held-out digits must be classified at least 95% right");
}  // namespace digits_cnn_recipe
#endif

int main()
{
  ctnn::summary(digits_cnn_recipe::Model{});
  std::printf("\n%zu training images of 8x8x1, %zu held out (every fifth); per-sample SGD, learning rate %g\n\n",
              digits_cnn_recipe::train_set.size(), digits_cnn_recipe::test_set.size(),
              digits_cnn_recipe::learning_rate);

  const digits_cnn_recipe::Model model = digits_cnn_recipe::train(ctnn::Reporter{digits_cnn_recipe::epochs});
  const auto held_out = ctnn::evaluate(model, digits_cnn_recipe::test_set, ctnn::CategoricalCrossEntropy{});
  std::printf("\nheld out  accuracy %.4f (%zu / %zu), mean loss %.6f\n", held_out.accuracy(), held_out.correct,
              held_out.samples, held_out.mean_loss());

#ifdef CTNN_DIGITS_CNN_RUNTIME_ONLY
  std::printf("\nruntime model: fingerprint %016" PRIx64 " (the compile-time run is not built)\n",
              ctnn::parameter_fingerprint(model));
  return held_out.accuracy() >= 0.95 ? 0 : 1;
#else
  const auto& compiled = digits_cnn_recipe::trained_by_compiler;
  const bool identical = ctnn::bitwise_equal(model, compiled);
  std::printf("\ncompile-time model: fingerprint %016" PRIx64 ", held-out accuracy %.4f\n",
              ctnn::parameter_fingerprint(compiled), digits_cnn_recipe::held_out_by_compiler.accuracy());
  std::printf("runtime model:      fingerprint %016" PRIx64 "\n", ctnn::parameter_fingerprint(model));
  std::printf("bit-identical: %s\n", identical ? "yes" : "NO");
  return identical ? 0 : 1;
#endif
}
