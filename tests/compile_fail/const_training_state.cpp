// fit() updates the TrainingState it is given: a const one is a compile error that says so.
#include <ctnn/core.hpp>

using Model = ctnn::Network<ctnn::Dense<2, 2, ctnn::Sigmoid>, ctnn::Dense<2, 1, ctnn::Sigmoid>>;

double train(Model& model)
{
#ifdef CTNN_EXPECT_COMPILE_ERROR
  const ctnn::TrainingState<Model, ctnn::Adam<double>> state{};
#else
  ctnn::TrainingState<Model, ctnn::Adam<double>> state{};
#endif
  return ctnn::fit(model, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::Adam{0.01}, {.epochs = 1}, state)
      .loss;
}
