// A Sample written with its input only: an aggregate would make the target zeros.
#include <ctnn/data.hpp>

#ifdef CTNN_EXPECT_COMPILE_ERROR
constexpr ctnn::Sample<double, 2, 1> sample{{{1.0, 2.0}}};
#else
constexpr ctnn::Sample<double, 2, 1> sample{{{1.0, 2.0}}, {{1.0}}};
#endif
static_assert(sample.input[1] == 2.0);
