// XOR on the target: the tutorial's model (examples/xor_recipe.hpp) trained by the compiler that
// builds this file, trained again when it runs, and the build machine's model as a header written by
// ctnn::emit_header, with its predictions. Every line must equal the build machine's.

#include <cstddef>

#include "harness.hpp"
#include "xor_model.hpp"  // made by emit_models on the build machine
#include "xor_recipe.hpp"
#include "xor_trained_by_compiler.hpp"

int main()
{
  mcu::Report report("xor");
  const xor_recipe::Model& compiled = xor_recipe::trained_by_compiler.model;

  std::size_t epochs = 0;  // a callback with an effect: the run cannot be folded into a constant
  const xor_recipe::Model trained = xor_recipe::train([&](std::size_t, double) { ++epochs; }).model;

  report.count("epochs trained when run", epochs, xor_recipe::epochs);
  report.line("compile-time fingerprint", parameter_fingerprint(compiled));
  report.line("runtime fingerprint", parameter_fingerprint(trained), parameter_fingerprint(compiled));
  report.line("emitted header fingerprint", parameter_fingerprint(mcu::opaque(xor_model)),
              parameter_fingerprint(compiled));
  report.line("emitted header predictions", mcu::predictions_fingerprint(xor_model, ctnn::datasets::xor_gate()));
  return report.finish();
}
