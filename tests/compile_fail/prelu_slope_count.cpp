// A PReLU has one slope or one per channel (the shape's last dimension, 4 here), not 3.
#include <ctnn/prelu.hpp>

#ifdef CTNN_EXPECT_COMPILE_ERROR
constexpr std::size_t slopes = 3;
#else
constexpr std::size_t slopes = 4;
#endif

ctnn::PReLU<ctnn::Shape<8, 4>, slopes> layer{};
