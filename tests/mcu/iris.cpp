// Iris on the target: the 4-8-3 tanh/softmax model of examples/iris_recipe.hpp (Adam, shuffled
// mini-batches, categorical cross-entropy) trained by the compiler that builds this file, trained
// again when it runs, and the build machine's model as a header written by ctnn::emit_header, with
// its predictions. Every line must equal the build machine's.

#include <cstddef>

#include "harness.hpp"
#include "iris_model.hpp"  // made by emit_models on the build machine
#include "iris_recipe.hpp"

constexpr iris_recipe::Model compiled = iris_recipe::train().model;

int main()
{
  mcu::Report report("iris");

  std::size_t epochs = 0;  // a callback with an effect: the run cannot be folded into a constant
  const iris_recipe::Model trained = iris_recipe::train([&](std::size_t, double) { ++epochs; }).model;

  report.count("epochs trained when run", epochs, iris_recipe::epochs);
  report.line("compile-time fingerprint", parameter_fingerprint(compiled));
  report.line("runtime fingerprint", parameter_fingerprint(trained), parameter_fingerprint(compiled));
  report.line("emitted header fingerprint", parameter_fingerprint(mcu::opaque(iris_model)),
              parameter_fingerprint(compiled));
  report.line("emitted header predictions", mcu::predictions_fingerprint(iris_model, iris_recipe::test_set));
  return report.finish();
}
