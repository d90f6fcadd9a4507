// fit takes a data set (the IndexedDataset concept); an array of samples is not one, and the error
// says what is expected instead of failing deep inside fit().
#include <array>

#include <ctnn/core.hpp>

using Model = ctnn::Network<ctnn::Dense<2, 2, ctnn::Sigmoid>, ctnn::Dense<2, 1, ctnn::Sigmoid>>;

#ifdef CTNN_EXPECT_COMPILE_ERROR
constexpr std::array<ctnn::Sample<double, 2, 1>, 4> data = {{{{{0.0, 0.0}}, {{0.0}}}}};
#else
constexpr auto data = ctnn::datasets::xor_gate();
#endif

constexpr double loss_after_training()
{
  Model model = ctnn::initialized<Model>(ctnn::Uniform01{}, ctnn::Seed{1});
  return ctnn::fit(model, data, ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 1}).loss;
}
static_assert(loss_after_training() >= 0.0);
