// A custom activation without backward(): one error that names the missing member, also when fit
// would call it.
#include <cstddef>
#include <string_view>

#include <ctnn/core.hpp>

struct Cube {
  static constexpr std::string_view name = "cube";
  template <class T, std::size_t N>
  static constexpr void forward(const T (&h)[N], T (&y)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) y[i] = h[i] * h[i] * h[i];
  }
#ifndef CTNN_EXPECT_COMPILE_ERROR
  template <class T, std::size_t N>
  static constexpr void backward(const T (&h)[N], const T (&)[N], const T (&dy)[N], T (&dh)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) dh[i] = T(3) * h[i] * h[i] * dy[i];
  }
#endif
};

using Model = ctnn::Network<ctnn::Dense<2, 3, Cube>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;

double train(Model& model)
{
  return ctnn::fit(model, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 1}).loss;
}
