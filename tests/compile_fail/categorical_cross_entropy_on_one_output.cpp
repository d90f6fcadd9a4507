// Categorical cross-entropy needs at least two classes: on a 1-unit output it is a compile error.
#include <ctnn/core.hpp>

#ifdef CTNN_EXPECT_COMPILE_ERROR
using Model = ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
using Data = ctnn::Dataset<2, 1, 4>;
#else
using Model = ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh>, ctnn::Dense<3, 2, ctnn::Softmax>>;
using Data = ctnn::Dataset<2, 2, 4>;
#endif

double train(Model& model, const Data& data)
{
  return ctnn::fit(model, data, ctnn::CategoricalCrossEntropy{}, ctnn::SGD{0.1}, {.epochs = 1}).loss;
}
