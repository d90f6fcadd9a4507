// A NaN or infinity in data trained on in the compiler is a compile error naming the problem.
#include <limits>

#include <ctnn/core.hpp>

using Model = ctnn::Network<ctnn::Dense<2, 2, ctnn::Sigmoid>, ctnn::Dense<2, 1, ctnn::Sigmoid>>;

constexpr double loss_after_training()
{
  auto data = ctnn::datasets::xor_gate();
#ifdef CTNN_EXPECT_COMPILE_ERROR
  data.samples[2].input.values[0] = std::numeric_limits<double>::infinity();
#endif
  Model model = ctnn::initialized<Model>(ctnn::Uniform01{}, ctnn::Seed{1});
  return ctnn::fit(model, data, ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 1}).loss;
}
// A constexpr variable rather than a static_assert, whose failure GCC reports as a generic error
// before ctnn's (see CtnnExpectBuildFailure.cmake).
[[maybe_unused]] constexpr double trained_loss = loss_after_training();
