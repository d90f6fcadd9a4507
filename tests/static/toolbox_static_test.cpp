// Compile-time facts about the activations and optimizers beyond Sigmoid and
// SGD: if this file compiles, every call below ran in the constant evaluator
// and gave the values stated.

#include <ctnn/core.hpp>

#include <cstddef>
#include <ratio>
#include <string_view>
#include <type_traits>

namespace {

// --- Activations ---

static_assert(ctnn::Activation<ctnn::LeakyReLU<>, double, 4>);
static_assert(ctnn::Activation<ctnn::LeakyReLU<std::ratio<1, 5>>, float, 1>);
static_assert(ctnn::Activation<ctnn::Softplus, double, 3>);
static_assert(ctnn::Activation<ctnn::Softmax, float, 10>);

// Names are one word and differ per slope; the ratio is reduced.
static_assert(ctnn::LeakyReLU<>::name == std::string_view{"leaky_relu(1/100)"});
static_assert(ctnn::LeakyReLU<std::ratio<2, 10>>::name == std::string_view{"leaky_relu(1/5)"});
static_assert(ctnn::LeakyReLU<std::ratio<1, 5>>::name != ctnn::LeakyReLU<std::ratio<1, 4>>::name);

// Applies an activation's forward and backward to arrays and returns them
// together.
template <class T, std::size_t N>
struct Applied {
  T y[N];
  T dh[N];
};
template <class A, class T, std::size_t N>
constexpr Applied<T, N> apply(const T (&h)[N], const T (&dy)[N])
{
  Applied<T, N> out{};
  A::forward(h, out.y);
  A::backward(h, out.y, dy, out.dh);
  return out;
}

// Slope 1/4, h = {-2, 0, 3}, dy = 4 everywhere: y = {-0.5, 0, 3}, dh = {1, 1
// (f'(0) = slope), 4}.
constexpr auto leaky = apply<ctnn::LeakyReLU<std::ratio<1, 4>>>({-2.0, 0.0, 3.0}, {4.0, 4.0, 4.0});
static_assert(leaky.y[0] == -0.5 && leaky.y[1] == 0.0 && leaky.y[2] == 3.0);
static_assert(leaky.dh[0] == 1.0 && leaky.dh[1] == 1.0 && leaky.dh[2] == 4.0);

// Softplus: stable at +-800 (800 exactly, and e^-800 rounds to 0); softplus(0)
// = ln 2 and softplus'(0) = 1/2. ln 2 rounded to double is
// 0x1.62e42fefa39efp-1.
constexpr auto softplus = apply<ctnn::Softplus>({800.0, -800.0, 0.0}, {1.0, 1.0, 1.0});
static_assert(softplus.y[0] == 800.0 && softplus.y[1] == 0.0);
static_assert(softplus.y[2] == 0x1.62e42fefa39efp-1);
static_assert(softplus.dh[0] == 1.0 && softplus.dh[1] == 0.0 && softplus.dh[2] == 0.5);
constexpr auto softplus_f = apply<ctnn::Softplus>({800.0f, -800.0f}, {1.0f, 1.0f});
static_assert(softplus_f.y[0] == 800.0f && softplus_f.y[1] == 0.0f);

// Softmax of four equal inputs is 1/4 each; dy = e_0 gives dh = y_0 (e_0 - y) =
// {3/16, -1/16, ...}.
constexpr auto uniform = apply<ctnn::Softmax>({2.0, 2.0, 2.0, 2.0}, {1.0, 0.0, 0.0, 0.0});
static_assert(uniform.y[0] == 0.25 && uniform.y[3] == 0.25);
static_assert(uniform.dh[0] == 0.1875 && uniform.dh[1] == -0.0625 && uniform.dh[3] == -0.0625);

// Large inputs do not overflow (e^1000 would); the result rounds to {1, 0, 0}.
constexpr auto large = apply<ctnn::Softmax>({1000.0, 0.0, -1000.0}, {1.0, 1.0, 1.0});
static_assert(large.y[0] == 1.0 && large.y[1] == 0.0 && large.y[2] == 0.0);

// An uneven softmax sums to 1 within a few rounding errors, in double and
// float.
template <class T, std::size_t N>
constexpr T sum(const T (&values)[N])
{
  T total = T(0);
  for (T v : values) total += v;
  return total;
}
constexpr auto uneven = apply<ctnn::Softmax>({1.0, 2.0, 3.0, -1.0, 0.5}, {0.0, 0.0, 0.0, 0.0, 0.0});
static_assert(sum(uneven.y) > 1.0 - 4e-16 && sum(uneven.y) < 1.0 + 4e-16);
static_assert(uneven.y[2] > uneven.y[1] && uneven.y[1] > uneven.y[0] && uneven.y[0] > uneven.y[4]);
constexpr auto uneven_f = apply<ctnn::Softmax>({1.0f, 2.0f, 3.0f, -1.0f, 0.5f}, {0.0f, 0.0f, 0.0f, 0.0f, 0.0f});
static_assert(sum(uneven_f.y) > 1.0f - 4e-7f && sum(uneven_f.y) < 1.0f + 4e-7f);

// --- Optimizers ---

static_assert(std::is_same_v<decltype(ctnn::Momentum{0.1}), ctnn::Momentum<double>>);
static_assert(std::is_same_v<decltype(ctnn::Momentum{0.1f, 0.5f, true}), ctnn::Momentum<float>>);
static_assert(std::is_same_v<decltype(ctnn::Adam{0.01}), ctnn::Adam<double>>);
static_assert(std::is_same_v<decltype(ctnn::Adam{0.01f}), ctnn::Adam<float>>);
static_assert(std::is_same_v<decltype(ctnn::Adam{}), ctnn::Adam<double>>);
static_assert(ctnn::Adam<double>{.learning_rate = 0.01}.beta2 == 0.999);
static_assert(!ctnn::Momentum<double>{.learning_rate = 0.1}.nesterov);
// Only SGD's step may be fused into the backward pass.
template <class Optimizer>
concept fusable = requires { requires Optimizer::plain_gradient_step; };
static_assert(fusable<ctnn::SGD<double>>);
static_assert(!fusable<ctnn::Momentum<double>> && !fusable<ctnn::Adam<double>>);

template <class Optimizer, std::size_t Steps, std::size_t N>
constexpr auto run(const Optimizer& optimizer, const double (&start)[N], const double (&gradient)[N])
{
  struct Result {
    double parameters[N];
    typename Optimizer::template state<double, N> state;
  } r{};
  for (std::size_t i = 0; i < N; ++i) r.parameters[i] = start[i];
  for (std::size_t t = 0; t < Steps; ++t) optimizer.update(r.parameters, gradient, r.state);
  return r;
}

// Momentum, lr = momentum = 1/2, g = {1/2, 1/4}, all exact: v1 = g, v2 = 1.5 g.
// Classic: p2 = p0 - (1/2)(g + 1.5 g) = p0 - 1.25 g.
// Nesterov steps by (1/2)(g + v/2): p2 = p0 - (1/2)((g + 0.5 g) + (g + 0.75 g)) = p0 - 1.625 g.
constexpr auto classic = run<ctnn::Momentum<double>, 2>({0.5, 0.5}, {1.0, -2.0}, {0.5, 0.25});
static_assert(classic.parameters[0] == 0.375 && classic.parameters[1] == -2.3125);
static_assert(classic.state.velocity[0] == 0.75 && classic.state.velocity[1] == 0.375);
constexpr auto nesterov = run<ctnn::Momentum<double>, 2>({0.5, 0.5, true}, {1.0, -2.0}, {0.5, 0.25});
static_assert(nesterov.parameters[0] == 0.1875 && nesterov.parameters[1] == -2.40625);

// Adam's first step moves by lr g / (|g| + eps): lr (1 - eps/|g|) up to
// rounding, toward -g.
constexpr auto adam = run<ctnn::Adam<double>, 1>({0.01}, {1.0, 1.0}, {0.5, -2.0});
static_assert(adam.parameters[0] < 1.0 - 0.01 * (1 - 3e-8) && adam.parameters[0] > 1.0 - 0.01 * (1 + 1e-12));
static_assert(adam.parameters[1] > 1.0 + 0.01 * (1 - 3e-8) && adam.parameters[1] < 1.0 + 0.01 * (1 + 1e-12));
static_assert(adam.state.beta1_power == 0.9 && adam.state.beta2_power == 0.999);

// A constant gradient keeps m_hat = g and v_hat = g^2 (up to rounding) at every
// step, so ten steps move by ten times lr.
constexpr auto adam10 = run<ctnn::Adam<double>, 10>({0.01}, {0.0}, {0.5});
static_assert(adam10.parameters[0] < -0.1 * (1 - 1e-7) && adam10.parameters[0] > -0.1 * (1 + 1e-7));

// validate() accepts good values in a constant expression and is no constant
// expression for bad ones (the compiler names the ctnn_error_ function). Ratios
// stand in for floating-point parameters.
template <class Optimizer>
concept constant_validates = requires { typename std::bool_constant<(Optimizer::make().validate(), true)>; };
template <int Numerator, int Denominator>
struct MomentumOf {
  static constexpr ctnn::Momentum<double> make() { return {0.1, double(Numerator) / Denominator}; }
};
template <int Numerator, int Denominator>
struct AdamBeta1Of {
  static constexpr ctnn::Adam<double> make() { return {.beta1 = double(Numerator) / Denominator}; }
};
template <int Numerator, int Denominator>
struct AdamEpsilonOf {
  static constexpr ctnn::Adam<double> make() { return {.epsilon = double(Numerator) / Denominator}; }
};
static_assert(constant_validates<MomentumOf<9, 10>>);
static_assert(constant_validates<MomentumOf<0, 1>>);
static_assert(!constant_validates<MomentumOf<1, 1>>);
static_assert(!constant_validates<MomentumOf<-1, 10>>);
static_assert(constant_validates<AdamBeta1Of<0, 1>>);
static_assert(!constant_validates<AdamBeta1Of<1, 1>>);
static_assert(constant_validates<AdamEpsilonOf<1, 1000>>);
static_assert(!constant_validates<AdamEpsilonOf<0, 1>>);

// A short fit with each optimizer in the compiler lowers the loss (a 2-2-1 net,
// 20 epochs).
using Small = ctnn::Network<ctnn::Dense<2, 2, ctnn::Tanh>, ctnn::Dense<2, 1, ctnn::Sigmoid>>;
template <class Optimizer>
constexpr double loss_after(const Optimizer& optimizer, std::size_t epochs)
{
  Small net = ctnn::initialized<Small>(ctnn::Uniform01{}, ctnn::Seed{3});
  if (epochs > 0) ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, optimizer, {.epochs = epochs});
  return ctnn::evaluate(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}).loss;
}
constexpr double untrained = loss_after(ctnn::SGD{0.1}, 0);
static_assert(loss_after(ctnn::Momentum{0.2, 0.9}, 20) < untrained);
static_assert(loss_after(ctnn::Momentum{0.2, 0.9, true}, 20) < untrained);
static_assert(loss_after(ctnn::Adam{0.05}, 20) < untrained);

}  // namespace

int main() {}
