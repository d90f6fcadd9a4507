// A mistake found while training in the compiler is a compile error naming the mistake.
#include <ctnn/ctnn.hpp>

using Model = ctnn::Network<ctnn::Dense<2, 2, ctnn::Sigmoid>, ctnn::Dense<2, 1, ctnn::Sigmoid>>;

#ifdef CTNN_EXPECT_COMPILE_ERROR
constexpr std::size_t epochs = 0;
#else
constexpr std::size_t epochs = 1;
#endif

constexpr double loss_after_training()
{
  Model model = ctnn::initialized<Model>(ctnn::Uniform01{}, ctnn::Seed{1});
  return ctnn::fit(model, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = epochs})
      .loss;
}
// A constexpr variable rather than a static_assert, whose failure GCC reports as a generic error
// before ctnn's (see CtnnExpectBuildFailure.cmake).
[[maybe_unused]] constexpr double trained_loss = loss_after_training();
