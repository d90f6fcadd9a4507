#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <ratio>
#include <string_view>

#include <ctnn/core.hpp>

// gradient_check compares backprop with central differences. These tests run it for every
// activation with every loss, in float and double, and show that it catches a wrong derivative.

namespace {

// A fixed, unremarkable sample and initial weights away from ReLU's kink at 0: Xavier weights with
// these inputs give pre-activations of size ~0.1..1, and none at exactly 0.
template <class Net, class Loss>
auto check(const Loss& loss, std::uint64_t seed = 11)
{
  using T = typename Net::scalar_type;
  const Net net = ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{seed});
  typename Net::input_type x{};
  for (std::size_t i = 0; i < Net::inputs; ++i) x.values[i] = T(0.35) * T(i + 1) - T(0.6);
  typename Net::output_type target{};
  target.values[Net::outputs - 1] = T(1);  // one-hot, also a valid probability target for BCE
  return ctnn::gradient_check(net, x, target, loss);
}

template <class T>
constexpr T tolerance = sizeof(T) == 8 ? T(1e-6) : T(2e-2);

// Hidden activation A, output activation Out, with a loss: two layers so the hidden activation's
// backward and the chain rule both take part.
template <class A, class Out, class T, class Loss, std::size_t Outputs>
void check_pair(const Loss& loss)
{
  using Net = ctnn::Network<ctnn::Dense<3, 4, A, T>, ctnn::Dense<4, Outputs, Out, T>>;
  const auto result = check<Net>(loss);
  INFO("hidden " << A::name << ", output " << Out::name << ", loss " << Loss::name << ", "
                 << (sizeof(T) == 8 ? "double" : "float") << ": error " << result.max_error << " at parameter "
                 << result.worst_parameter << " (backprop " << result.backprop_at_worst << ", numeric "
                 << result.numeric_at_worst << ")");
  CHECK(result.parameters == Net::parameter_count);
  CHECK(result.passed(tolerance<T>));
}

template <class A, class T>
void check_activation_with_every_loss()
{
  // MSE: the activation on both layers, the output included.
  check_pair<A, A, T, ctnn::MeanSquaredError, 2>(ctnn::MeanSquaredError{});
  // Cross-entropies need probabilities: the activation in the hidden layer, Sigmoid or Softmax out.
  check_pair<A, ctnn::Sigmoid, T, ctnn::BinaryCrossEntropy, 2>(ctnn::BinaryCrossEntropy{});
  check_pair<A, ctnn::Softmax, T, ctnn::CategoricalCrossEntropy, 3>(ctnn::CategoricalCrossEntropy{});
}

using Leaky = ctnn::LeakyReLU<std::ratio<1, 10>>;

}  // namespace

TEMPLATE_TEST_CASE("gradient_check: backprop matches central differences for every activation and loss",
                   "[gradient_check]", double, float)
{
  check_activation_with_every_loss<ctnn::Identity, TestType>();
  check_activation_with_every_loss<ctnn::Sigmoid, TestType>();
  check_activation_with_every_loss<ctnn::Tanh, TestType>();
  check_activation_with_every_loss<ctnn::ReLU, TestType>();
  check_activation_with_every_loss<Leaky, TestType>();
  check_activation_with_every_loss<ctnn::Softplus, TestType>();
  check_activation_with_every_loss<ctnn::Softmax, TestType>();
}

TEST_CASE("gradient_check: the unfused cross-entropy paths match too")
{
  // Sigmoid output with categorical cross-entropy and Softmax output with binary cross-entropy use
  // dL/dy and the activation's own backward, not the fused y - Y.
  check_pair<ctnn::Tanh, ctnn::Sigmoid, double, ctnn::CategoricalCrossEntropy, 3>(ctnn::CategoricalCrossEntropy{});
  check_pair<ctnn::Tanh, ctnn::Softmax, double, ctnn::BinaryCrossEntropy, 3>(ctnn::BinaryCrossEntropy{});
}

namespace {
// Sigmoid with its derivative off by a factor of 2: what a typo in a backward pass looks like.
struct BrokenSigmoid {
  static constexpr std::string_view name = "broken_sigmoid";
  template <class T, std::size_t N>
  static constexpr void forward(const T (&h)[N], T (&y)[N]) noexcept
  {
    ctnn::Sigmoid::forward(h, y);
  }
  template <class T, std::size_t N>
  static constexpr void backward(const T (&h)[N], const T (&y)[N], const T (&dy)[N], T (&dh)[N]) noexcept
  {
    ctnn::Sigmoid::backward(h, y, dy, dh);
    for (auto& d : dh) d *= T(2);
  }
};
}  // namespace

TEST_CASE("gradient_check: a wrong derivative fails the check and is located")
{
  using Net = ctnn::Network<ctnn::Dense<3, 4, ctnn::Tanh>, ctnn::Dense<4, 2, BrokenSigmoid>>;
  const auto result = check<Net>(ctnn::MeanSquaredError{});
  CHECK_FALSE(result.passed(1e-3));
  CHECK(result.max_error > 0.1);
  // Every gradient is doubled, so the worst one is found wherever it is largest; it is a real index.
  CHECK(result.worst_parameter < Net::parameter_count);
  CHECK(result.backprop_at_worst == Approx(2 * result.numeric_at_worst).epsilon(1e-4));
}

namespace {
// A loss whose gradient is NaN on the first output only: the check must not let a later, finite
// error hide it.
struct NaNOnFirstOutput {
  static constexpr std::string_view name = "nan_on_first_output";
  template <class T, std::size_t N>
  static constexpr T value(const ctnn::Vector<T, N>& y, const ctnn::Vector<T, N>& target) noexcept
  {
    return ctnn::MeanSquaredError::value(y, target);
  }
  template <class T, std::size_t N>
  static constexpr T value_and_gradient(const ctnn::Vector<T, N>& y, const ctnn::Vector<T, N>& target,
                                        ctnn::Vector<T, N>& dy) noexcept
  {
    const T v = ctnn::MeanSquaredError::value_and_gradient(y, target, dy);
    dy.values[0] = std::numeric_limits<T>::quiet_NaN();
    return v;
  }
};
}  // namespace

TEST_CASE("gradient_check: a NaN gradient fails the check even when later parameters are fine")
{
  using Net = ctnn::Network<ctnn::Dense<3, 4, ctnn::Tanh>, ctnn::Dense<4, 2, ctnn::Sigmoid>>;
  const auto result = check<Net>(NaNOnFirstOutput{});
  CHECK(std::isnan(result.max_error));
  CHECK_FALSE(result.passed(1.0));
}

TEST_CASE("gradient_check: fused categorical cross-entropy is right for targets that do not sum to 1")
{
  using Net = ctnn::Network<ctnn::Dense<3, 4, ctnn::Tanh>, ctnn::Dense<4, 3, ctnn::Softmax>>;
  const Net net = ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{11});
  const ctnn::Vector<double, 3> x{{0.2, -0.4, 0.7}};
  for (const ctnn::Vector<double, 3> target :
       {ctnn::Vector<double, 3>{{0.5, 0.0, 0.0}}, ctnn::Vector<double, 3>{{1.0, 1.0, 0.0}},
        ctnn::Vector<double, 3>{{0.2, 0.3, 0.5}}}) {
    const auto result = ctnn::gradient_check(net, x, target, ctnn::CategoricalCrossEntropy{});
    INFO("error " << result.max_error);
    CHECK(result.passed(1e-6));
  }
}

TEST_CASE("gradient_check: large parameters get a step large enough to measure")
{
  // |p| = 1e5 in float: an absolute step of 5e-3 is below p's ulp (7.8e-3), a relative one is not.
  using Net = ctnn::Network<ctnn::Dense<1, 1, ctnn::Identity, float>>;
  Net net{};
  net.layer<0>().weights = {{1e5f}};
  net.layer<0>().bias = {{-1e5f}};
  const auto result = ctnn::gradient_check(net, {{1.0f}}, {{0.5f}}, ctnn::MeanSquaredError{});
  INFO("error " << result.max_error);
  CHECK(result.passed(2e-2f));
}
