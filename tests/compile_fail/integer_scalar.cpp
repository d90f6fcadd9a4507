// Weights are float or double; an integer scalar type is rejected by name.
#include <ctnn/dense.hpp>

#ifdef CTNN_EXPECT_COMPILE_ERROR
using Scalar = int;
#else
using Scalar = float;
#endif

ctnn::Dense<2, 3, ctnn::Sigmoid, Scalar> layer{};
