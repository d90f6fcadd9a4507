// A 2-input network given one input value: an aggregate would fill the second with zero.
#include <ctnn/dense.hpp>
#include <ctnn/network.hpp>

using Model = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;

double predict(const Model& model)
{
#ifdef CTNN_EXPECT_COMPILE_ERROR
  return model.predict({{0.5}})[0];
#else
  return model.predict({{0.5, 0.25}})[0];
#endif
}
