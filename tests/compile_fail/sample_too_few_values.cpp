// A Sample whose input lists fewer values than the network reads.
#include <ctnn/data.hpp>

#ifdef CTNN_EXPECT_COMPILE_ERROR
constexpr ctnn::Sample<double, 3, 1> sample{{{1.0, 2.0}}, {{1.0}}};
#else
constexpr ctnn::Sample<double, 3, 1> sample{{{1.0, 2.0, 3.0}}, {{1.0}}};
#endif
static_assert(sample.target[0] == 1.0);
