// A custom optimizer without update(): one error that names the missing member.
#include <cstddef>

#include <ctnn/core.hpp>

struct HalfStep {
  constexpr void validate() const noexcept {}
  template <class T, std::size_t N>
  struct state {};
#ifndef CTNN_EXPECT_COMPILE_ERROR
  template <class T, std::size_t N>
  constexpr void update(T (&parameters)[N], const T (&gradient)[N], state<T, N>&) const noexcept
  {
    for (std::size_t i = 0; i < N; ++i) parameters[i] -= gradient[i] / T(2);
  }
#endif
};

using Model = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;

double train(Model& model)
{
  return ctnn::fit(model, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, HalfStep{}, {.epochs = 1}).loss;
}
