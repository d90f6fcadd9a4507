// Training that diverges in the compiler (a learning rate far too large) is a compile error that
// names the problem.
#include <ctnn/core.hpp>

using Model = ctnn::Network<ctnn::Dense<2, 3, ctnn::Identity>, ctnn::Dense<3, 1, ctnn::Identity>>;

#ifdef CTNN_EXPECT_COMPILE_ERROR
constexpr double learning_rate = 1e100;
#else
constexpr double learning_rate = 0.01;
#endif

constexpr double loss_after_training()
{
  Model model = ctnn::initialized<Model>(ctnn::Uniform01{}, ctnn::Seed{1});
  return ctnn::fit(model, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{learning_rate},
                   {.epochs = 10})
      .loss;
}
// A constexpr variable rather than a static_assert, whose failure GCC reports as a generic error
// before ctnn's (see CtnnExpectBuildFailure.cmake).
[[maybe_unused]] constexpr double trained_loss = loss_after_training();
