// An initialiser range with low above high is rejected by name, also in a constant expression (the
// README's table of bad values: `Uniform{1.0, 0.5}`).
#include <ctnn/core.hpp>

using Model = ctnn::Network<ctnn::Dense<2, 2, ctnn::Sigmoid>, ctnn::Dense<2, 1, ctnn::Sigmoid>>;

#ifdef CTNN_EXPECT_COMPILE_ERROR
constexpr double low = 1.0;
#else
constexpr double low = 0.25;
#endif

[[maybe_unused]] constexpr Model model = ctnn::initialized<Model>(ctnn::Uniform{low, 0.5}, ctnn::Seed{1});
