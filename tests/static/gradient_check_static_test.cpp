// gradient_check in a constant expression: backprop proved right by the compiler for a few networks.

#include <ctnn/core.hpp>

namespace {

template <class Net, class Loss>
constexpr ctnn::GradientCheck<typename Net::scalar_type> check(const Loss& loss)
{
  using T = typename Net::scalar_type;
  const Net net = ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{5});
  typename Net::input_type x{};
  for (std::size_t i = 0; i < Net::inputs; ++i) x.values[i] = T(0.3) * T(i + 1) - T(0.5);
  typename Net::output_type target{};
  target.values[0] = T(1);
  return ctnn::gradient_check(net, x, target, loss);
}

// The tutorial's network with its loss.
static_assert(
    check<ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>>(ctnn::MeanSquaredError{})
        .passed(1e-7));
// Softmax with categorical cross-entropy (the fused y - Y path) behind tanh.
static_assert(check<ctnn::Network<ctnn::Dense<4, 5, ctnn::Tanh>, ctnn::Dense<5, 3, ctnn::Softmax>>>(
                  ctnn::CategoricalCrossEntropy{})
                  .passed(1e-7));
// Sigmoid with binary cross-entropy (fused), behind softplus, in float.
static_assert(check<ctnn::Network<ctnn::Dense<3, 4, ctnn::Softplus, float>, ctnn::Dense<4, 1, ctnn::Sigmoid, float>>>(
                  ctnn::BinaryCrossEntropy{})
                  .passed(2e-2f));

}  // namespace

int main() {}
