// All layers of a network share one scalar type.
#include <ctnn/dense.hpp>
#include <ctnn/network.hpp>

#ifdef CTNN_EXPECT_COMPILE_ERROR
using SecondScalar = float;
#else
using SecondScalar = double;
#endif

ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh, double>, ctnn::Dense<3, 1, ctnn::Tanh, SecondScalar>> network{};
