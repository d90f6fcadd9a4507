// Layer 2 takes 4 inputs but layer 1 produces 3.
#include <ctnn/dense.hpp>
#include <ctnn/network.hpp>

#ifdef CTNN_EXPECT_COMPILE_ERROR
using Broken = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<4, 1, ctnn::Sigmoid>>;
#else
using Broken = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
#endif

Broken network{};
