// EarlyStopping on the validation loss needs validation data; in the compiler, forgetting it is a
// compile error naming the problem.
#include <ctnn/core.hpp>

using Model = ctnn::Network<ctnn::Dense<2, 2, ctnn::Sigmoid>, ctnn::Dense<2, 1, ctnn::Sigmoid>>;

#ifdef CTNN_EXPECT_COMPILE_ERROR
constexpr ctnn::Monitor monitor = ctnn::Monitor::validation_loss;
#else
constexpr ctnn::Monitor monitor = ctnn::Monitor::training_loss;
#endif

constexpr double loss_after_training()
{
  Model model = ctnn::initialized<Model>(ctnn::Uniform01{}, ctnn::Seed{1});
  ctnn::EarlyStopping<Model> early{.monitor = monitor, .patience = 3};
  return ctnn::fit(model, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 2}, early)
      .loss;
}
// A constexpr variable rather than a static_assert, whose failure GCC reports as a generic error
// before ctnn's (see CtnnExpectBuildFailure.cmake).
[[maybe_unused]] constexpr double trained_loss = loss_after_training();
