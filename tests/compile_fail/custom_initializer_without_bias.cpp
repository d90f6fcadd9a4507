// A custom initialiser without bias(): one error that names the missing member.
#include <cstddef>

#include <ctnn/core.hpp>

struct Constant {
  template <class T, class Generator>
  constexpr T weight(Generator&, std::size_t, std::size_t) const noexcept
  {
    return T(0.5);
  }
#ifndef CTNN_EXPECT_COMPILE_ERROR
  template <class T, class Generator>
  constexpr T bias(Generator&, std::size_t, std::size_t) const noexcept
  {
    return T(0);
  }
#endif
};

using Model = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;

constexpr Model model = ctnn::initialized<Model>(Constant{}, ctnn::Seed{1});
#ifndef CTNN_EXPECT_COMPILE_ERROR  // a model left uninitialised fails this too: not the error under test
static_assert(model.layer<0>().weights(0, 0) == 0.5);
#endif
