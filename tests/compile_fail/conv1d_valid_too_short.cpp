// A valid Conv1D of kernel 3 and dilation 2 spans 5 steps: 4 input steps are too few.
#include <ctnn/conv1d.hpp>

#ifdef CTNN_EXPECT_COMPILE_ERROR
constexpr std::size_t steps = 4;
#else
constexpr std::size_t steps = 5;
#endif

ctnn::Conv1D<steps, 2, 2, 3, ctnn::Identity, ctnn::Conv1DOptions{.dilation = 2}> layer{};
