// Targets of width 2 cannot train a network with 1 output.
#include <ctnn/ctnn.hpp>

using Model = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;

#ifdef CTNN_EXPECT_COMPILE_ERROR
constexpr ctnn::Dataset<2, 2, 1> data{{{{{0.0, 1.0}}, {{1.0, 0.0}}}}};
#else
constexpr ctnn::Dataset<2, 1, 1> data{{{{{0.0, 1.0}}, {{1.0}}}}};
#endif

double train_once()
{
  Model model{};
  return ctnn::fit(model, data, ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 1}).loss;
}
