// A custom loss without name: one error that names the missing member.
#include <cstddef>
#include <string_view>

#include <ctnn/core.hpp>

struct AbsoluteError {
#ifndef CTNN_EXPECT_COMPILE_ERROR
  static constexpr std::string_view name = "absolute_error";
#endif
  template <class T, std::size_t N>
  constexpr T value(const ctnn::Vector<T, N>& y, const ctnn::Vector<T, N>& target) const noexcept
  {
    T sum = T(0);
    for (std::size_t i = 0; i < N; ++i) sum += y[i] > target[i] ? y[i] - target[i] : target[i] - y[i];
    return sum;
  }
  template <class T, std::size_t N>
  constexpr T value_and_gradient(const ctnn::Vector<T, N>& y, const ctnn::Vector<T, N>& target,
                                 ctnn::Vector<T, N>& dy) const noexcept
  {
    for (std::size_t i = 0; i < N; ++i) dy[i] = y[i] > target[i] ? T(1) : T(-1);
    return value(y, target);
  }
};

using Model = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;

double train(Model& model)
{
  return ctnn::fit(model, ctnn::datasets::xor_gate(), AbsoluteError{}, ctnn::SGD{0.1}, {.epochs = 1}).loss;
}
