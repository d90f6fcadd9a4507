// A batch larger than the data set, found while training in the compiler, is a compile error.
#include <ctnn/core.hpp>

using Model = ctnn::Network<ctnn::Dense<2, 2, ctnn::Sigmoid>, ctnn::Dense<2, 1, ctnn::Sigmoid>>;

#ifdef CTNN_EXPECT_COMPILE_ERROR
constexpr std::size_t batch_size = 5;  // XOR has 4 samples
#else
constexpr std::size_t batch_size = 4;
#endif

constexpr double loss_after_training()
{
  Model model = ctnn::initialized<Model>(ctnn::Uniform01{}, ctnn::Seed{1});
  return ctnn::fit(model, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1},
                   {.epochs = 1, .batch_size = batch_size})
      .loss;
}
// A constexpr variable rather than a static_assert, whose failure GCC reports as a generic error
// before ctnn's (see CtnnExpectBuildFailure.cmake).
[[maybe_unused]] constexpr double trained_loss = loss_after_training();
