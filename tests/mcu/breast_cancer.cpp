// Breast cancer on the target: the 30-4-1 recipe of examples/breast_cancer_recipe.hpp (hold-out
// split, standardisation, Adam, shuffled mini-batches) trained by the compiler that builds this
// file on the constexpr data set ctnn_add_dataset made from data/breast_cancer.csv, trained again
// when it runs on the same 569 samples (in flash), and the build machine's model as a header
// written by ctnn::emit_header, with its predictions. Every line must equal the build machine's.

#include "breast_cancer.hpp"        // ctnn_add_dataset, on the build machine
#include "breast_cancer_model.hpp"  // made by emit_models on the build machine
#include "breast_cancer_recipe.hpp"
#include "harness.hpp"

constexpr auto data = ctnn::datasets::breast_cancer<double>();
constexpr breast_cancer_recipe::Trained compiled = breast_cancer_recipe::train(data);

// The recipe's held-out samples, standardised as it does: inputs the model's tanh units do not saturate on.
constexpr auto split = ctnn::hold_out_every<5>(data);
constexpr auto held_out = ctnn::Standardize<30>::measure(split.train)(split.test);

int main()
{
  mcu::Report report("breast_cancer");
  const breast_cancer_recipe::Trained trained = breast_cancer_recipe::train(mcu::opaque(data));

  report.count("held-out samples right when run", trained.held_out.correct, compiled.held_out.correct);
  report.line("compile-time fingerprint", parameter_fingerprint(compiled.model));
  report.line("runtime fingerprint", parameter_fingerprint(trained.model), parameter_fingerprint(compiled.model));
  report.line("emitted header fingerprint", parameter_fingerprint(mcu::opaque(breast_cancer_model)),
              parameter_fingerprint(compiled.model));
  report.line("emitted header predictions", mcu::predictions_fingerprint(breast_cancer_model, held_out));
  return report.finish();
}
