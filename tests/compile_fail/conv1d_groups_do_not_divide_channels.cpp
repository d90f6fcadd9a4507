// A Conv1D's channels must be divisible by its groups: 3 input channels do not split into 2 groups.
#include <ctnn/conv1d.hpp>

#ifdef CTNN_EXPECT_COMPILE_ERROR
constexpr std::size_t in_channels = 3;
#else
constexpr std::size_t in_channels = 4;
#endif

ctnn::Conv1D<8, in_channels, 4, 3, ctnn::Identity, ctnn::Conv1DOptions{.groups = 2}> layer{};
