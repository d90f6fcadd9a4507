// A Dataset of 4 samples written with 3: an aggregate would add a sample of zeros.
#include <ctnn/data.hpp>

constexpr ctnn::Dataset<2, 1, 4> data{{
    {{{0.0, 0.0}}, {{0.0}}},
    {{{0.0, 1.0}}, {{1.0}}},
    {{{1.0, 0.0}}, {{1.0}}},
#ifndef CTNN_EXPECT_COMPILE_ERROR
    {{{1.0, 1.0}}, {{0.0}}},
#endif
}};
static_assert(data[1].target[0] == 1.0);
