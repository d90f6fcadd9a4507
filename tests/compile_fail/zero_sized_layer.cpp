// A Dense layer needs at least one input and one output.
#include <ctnn/dense.hpp>

#ifdef CTNN_EXPECT_COMPILE_ERROR
constexpr std::size_t outputs = 0;
#else
constexpr std::size_t outputs = 1;
#endif

ctnn::Dense<3, outputs, ctnn::Sigmoid> layer{};
