// The tutorial's XOR run (dense-layer-and-xor, section 4.1.2): the model summary, the loss every
// 1000 epochs and the truth table, plus the same model trained by the compiler, compared bit for bit.

#include <cinttypes>
#include <cstdio>

#include "xor_recipe.hpp"

// Trained while compiling this file: the same function main() calls, in a constant expression.
constexpr xor_recipe::Model trained_by_compiler = xor_recipe::train().model;

int main()
{
  ctnn::summary(xor_recipe::Model{});
  std::printf("\n");

  const xor_recipe::Model model = xor_recipe::train([](std::size_t epoch, double loss) {
    if (epoch == 1 || epoch % 1000 == 0)
      std::printf("epoch: %zu / %zu  Loss = %f\n", epoch, xor_recipe::epochs, loss);
  }).model;

  std::printf("x0 XOR x1 => result\n");
  for (const auto& sample : ctnn::datasets::xor_gate().samples)
    std::printf("%2d XOR %2d => %.4f\n", static_cast<int>(sample.input[0]), static_cast<int>(sample.input[1]),
                model.predict(sample.input)[0]);

  const bool identical = bitwise_equal(model, trained_by_compiler);
  std::printf("\ncompile-time model: fingerprint %016" PRIx64 "\n", parameter_fingerprint(trained_by_compiler));
  std::printf("runtime model:      fingerprint %016" PRIx64 "\n", parameter_fingerprint(model));
  std::printf("bit-identical: %s\n", identical ? "yes" : "NO");
  return identical ? 0 : 1;
}
