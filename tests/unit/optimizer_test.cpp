#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>

#include <ctnn/core.hpp>

// References below are written out in long double from the formulas,
// independently of ctnn (Adam's bias corrections use std::pow where ctnn keeps
// running products).

namespace {

constexpr std::size_t steps = 5;
constexpr std::size_t width = 3;

// A different gradient each step, with sign changes, so velocity and moments
// really mix.
constexpr double gradients[steps][width] = {
    {0.5, -1.25, 3.0}, {0.25, -0.75, -2.0}, {-0.125, 1.5, 0.5}, {1.0, 0.1, -0.3}, {0.3, -0.2, 2.5}};
constexpr double start[width] = {1.0, -2.0, 0.5};

struct MomentumReference {
  long double parameters[width];
  long double velocity[width];
};

MomentumReference momentum_reference(long double learning_rate, long double momentum, bool nesterov)
{
  MomentumReference r{};
  for (std::size_t i = 0; i < width; ++i) r.parameters[i] = start[i];
  for (const auto& g : gradients) {
    for (std::size_t i = 0; i < width; ++i) {
      r.velocity[i] = momentum * r.velocity[i] + g[i];
      const long double step = nesterov ? g[i] + momentum * r.velocity[i] : r.velocity[i];
      r.parameters[i] -= learning_rate * step;
    }
  }
  return r;
}

template <class T>
void run_momentum(const ctnn::Momentum<T>& optimizer, T (&parameters)[width])
{
  for (std::size_t i = 0; i < width; ++i) parameters[i] = static_cast<T>(start[i]);
  typename ctnn::Momentum<T>::template state<T, width> state{};
  for (const auto& g : gradients) {
    T gradient[width];
    for (std::size_t i = 0; i < width; ++i) gradient[i] = static_cast<T>(g[i]);
    optimizer.update(parameters, gradient, state);
  }
}

long double adam_reference(std::size_t index, long double learning_rate, long double beta1, long double beta2,
                           long double epsilon)
{
  long double p = start[index], m = 0, v = 0;
  for (std::size_t t = 1; t <= steps; ++t) {
    const long double g = gradients[t - 1][index];
    m = beta1 * m + (1 - beta1) * g;
    v = beta2 * v + (1 - beta2) * g * g;
    const long double m_hat = m / (1 - std::pow(beta1, static_cast<long double>(t)));
    const long double v_hat = v / (1 - std::pow(beta2, static_cast<long double>(t)));
    p -= learning_rate * m_hat / (std::sqrt(v_hat) + epsilon);
  }
  return p;
}

template <class T>
void run_adam(const ctnn::Adam<T>& optimizer, T (&parameters)[width])
{
  for (std::size_t i = 0; i < width; ++i) parameters[i] = static_cast<T>(start[i]);
  typename ctnn::Adam<T>::template state<T, width> state{};
  for (const auto& g : gradients) {
    T gradient[width];
    for (std::size_t i = 0; i < width; ++i) gradient[i] = static_cast<T>(g[i]);
    optimizer.update(parameters, gradient, state);
  }
}

}  // namespace

TEST_CASE(
    "optimizer: Momentum follows v = momentum v + g, p -= lr v over "
    "several steps")
{
  double parameters[width];
  run_momentum(ctnn::Momentum{0.1, 0.9}, parameters);
  const MomentumReference expected = momentum_reference(0.1L, 0.9L, false);
  for (std::size_t i = 0; i < width; ++i)
    CHECK(parameters[i] == Approx(static_cast<double>(expected.parameters[i])).epsilon(1e-13));

  float parameters_f[width];
  run_momentum(ctnn::Momentum{0.1f, 0.9f}, parameters_f);
  // The float reference uses the float-rounded hyper-parameters.
  const MomentumReference expected_f = momentum_reference(0.1f, 0.9f, false);
  for (std::size_t i = 0; i < width; ++i)
    CHECK(parameters_f[i] == Approx(static_cast<double>(expected_f.parameters[i])).epsilon(1e-5));
}

TEST_CASE(
    "optimizer: Nesterov momentum steps by lr (g + momentum v) and "
    "differs from classic")
{
  double nesterov[width];
  run_momentum(ctnn::Momentum{0.1, 0.9, true}, nesterov);
  const MomentumReference expected = momentum_reference(0.1L, 0.9L, true);
  for (std::size_t i = 0; i < width; ++i)
    CHECK(nesterov[i] == Approx(static_cast<double>(expected.parameters[i])).epsilon(1e-13));

  // One step from rest, all values exact in binary: classic moves by lr g (=
  // SGD), Nesterov by lr (1 + momentum) g. lr = 0.5, momentum = 0.5, g = 0.25:
  // 0.125 and 0.1875.
  double classic_p[] = {1.0}, nesterov_p[] = {1.0};
  const double g[] = {0.25};
  ctnn::Momentum<double>::state<double, 1> classic_state{}, nesterov_state{};
  ctnn::Momentum{0.5, 0.5}.update(classic_p, g, classic_state);
  ctnn::Momentum{0.5, 0.5, true}.update(nesterov_p, g, nesterov_state);
  CHECK(classic_p[0] == 0.875);
  CHECK(nesterov_p[0] == 0.8125);
  CHECK(classic_state.velocity[0] == 0.25);
  CHECK(nesterov_state.velocity[0] == 0.25);
  // Second step, same g: v = 0.5 * 0.25 + 0.25 = 0.375; classic -0.1875,
  // Nesterov -0.5 (0.25 + 0.1875).
  ctnn::Momentum{0.5, 0.5}.update(classic_p, g, classic_state);
  ctnn::Momentum{0.5, 0.5, true}.update(nesterov_p, g, nesterov_state);
  CHECK(classic_p[0] == 0.6875);
  CHECK(nesterov_p[0] == 0.59375);
}

TEST_CASE("optimizer: Momentum 0 is plain SGD, bit for bit")
{
  double with_momentum[width], with_sgd[width];
  run_momentum(ctnn::Momentum{0.1, 0.0}, with_momentum);
  for (std::size_t i = 0; i < width; ++i) with_sgd[i] = start[i];
  ctnn::SGD<double>::state<double, width> none{};
  for (const auto& g : gradients) ctnn::SGD{0.1}.update(with_sgd, g, none);
  for (std::size_t i = 0; i < width; ++i) CHECK(with_momentum[i] == with_sgd[i]);
}

TEST_CASE(
    "optimizer: Adam matches the paper's update over several steps, "
    "double and float")
{
  double parameters[width];
  run_adam(ctnn::Adam{0.01}, parameters);
  for (std::size_t i = 0; i < width; ++i) {
    const long double expected = adam_reference(i, 0.01L, 0.9L, 0.999L, 1e-8L);
    CHECK(parameters[i] == Approx(static_cast<double>(expected)).epsilon(1e-13));
  }

  double custom[width];
  run_adam(ctnn::Adam<double>{.learning_rate = 0.05, .beta1 = 0.5, .beta2 = 0.75, .epsilon = 0.125}, custom);
  for (std::size_t i = 0; i < width; ++i) {
    const long double expected = adam_reference(i, 0.05L, 0.5L, 0.75L, 0.125L);
    CHECK(custom[i] == Approx(static_cast<double>(expected)).epsilon(1e-13));
  }

  float parameters_f[width];
  run_adam(ctnn::Adam{0.01f}, parameters_f);
  for (std::size_t i = 0; i < width; ++i) {
    const long double expected = adam_reference(i, 0.01f, 0.9f, 0.999f, 1e-8f);
    CHECK(parameters_f[i] == Approx(static_cast<double>(expected)).epsilon(1e-5));
  }
}

TEST_CASE(
    "optimizer: Adam's first step moves each parameter by about lr times "
    "the gradient's sign")
{
  // m_hat = g and v_hat = g^2 after one step, so the step is lr g / (|g| +
  // eps).
  double parameters[] = {1.0, 1.0, 1.0, 1.0, 1.0};
  const double gradient[] = {1e-3, 5.0, -2.0, -0.25, 0.0};
  ctnn::Adam<double>::state<double, 5> state{};
  ctnn::Adam{0.01}.update(parameters, gradient, state);
  CHECK(1.0 - parameters[0] == Approx(0.01).epsilon(1e-4));
  CHECK(1.0 - parameters[1] == Approx(0.01).epsilon(1e-4));
  CHECK(parameters[2] - 1.0 == Approx(0.01).epsilon(1e-4));
  CHECK(parameters[3] - 1.0 == Approx(0.01).epsilon(1e-4));
  CHECK(parameters[4] == 1.0);  // no gradient, no step (0 / (0 + eps))
  CHECK(state.beta1_power == 0.9);
  CHECK(state.beta2_power == 0.999);
}

TEST_CASE(
    "optimizer: Adam's defaults are the paper's, and designated "
    "initialisers keep the rest")
{
  const ctnn::Adam<double> defaults{};
  CHECK(defaults.learning_rate == 0.001);
  CHECK(defaults.beta1 == 0.9);
  CHECK(defaults.beta2 == 0.999);
  CHECK(defaults.epsilon == 1e-8);
  const ctnn::Adam<double> faster{.learning_rate = 0.01};
  CHECK(faster.learning_rate == 0.01);
  CHECK(faster.beta2 == 0.999);
  const ctnn::Momentum<float> nesterov{.learning_rate = 0.1f, .nesterov = true};
  CHECK(nesterov.momentum == 0.9f);
  CHECK(nesterov.nesterov);
}

TEST_CASE(
    "optimizer: validate rejects bad hyper-parameters with "
    "std::invalid_argument and a message")
{
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  constexpr double inf = std::numeric_limits<double>::infinity();
  using Catch::Matchers::EndsWith;
  using Catch::Matchers::StartsWith;
  // The values themselves are checked in messages_test.cpp; here every bad value is rejected.
  for (double bad : {0.0, -0.1, nan, inf, -inf}) {
    CHECK_THROWS_WITH(ctnn::Momentum{bad}.validate(),
                      StartsWith("ctnn: Momentum: learning rate ") && EndsWith(" must be positive and finite"));
    CHECK_THROWS_WITH(ctnn::Adam{bad}.validate(),
                      StartsWith("ctnn: Adam: learning rate ") && EndsWith(" must be positive and finite"));
  }
  for (double bad : {1.0, 1.5, -0.1, nan, inf})
    CHECK_THROWS_WITH((ctnn::Momentum{0.1, bad}.validate()),
                      StartsWith("ctnn: Momentum: momentum ") && EndsWith(" must be in [0, 1)"));
  for (double bad : {1.0, -0.5, nan, inf}) {
    CHECK_THROWS_WITH((ctnn::Adam{0.1, bad}.validate()),
                      StartsWith("ctnn: Adam: beta1 ") && EndsWith(" must be in [0, 1)"));
    CHECK_THROWS_WITH((ctnn::Adam{0.1, 0.9, bad}.validate()),
                      StartsWith("ctnn: Adam: beta2 ") && EndsWith(" must be in [0, 1)"));
  }
  for (double bad : {0.0, -1e-8, nan, inf})
    CHECK_THROWS_WITH((ctnn::Adam{0.1, 0.9, 0.999, bad}.validate()),
                      StartsWith("ctnn: Adam: epsilon ") && EndsWith(" must be positive and finite"));
  CHECK_THROWS_AS(ctnn::Adam<float>{.beta1 = 1.0f}.validate(), std::invalid_argument);

  // The edges of the ranges are accepted.
  CHECK_NOTHROW(ctnn::Momentum{0.1, 0.0}.validate());
  CHECK_NOTHROW((ctnn::Adam{0.1, 0.0, 0.0}.validate()));
  CHECK_NOTHROW(ctnn::Momentum{0.1, std::nextafter(1.0, 0.0), true}.validate());
}

namespace {

using Xor = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
constexpr std::size_t xor_epochs = 300;

template <class Optimizer>
constexpr Xor train_xor(const Optimizer& optimizer)
{
  Xor net = ctnn::initialized<Xor>(ctnn::Uniform01{}, ctnn::Seed{2024});
  ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, optimizer, {.epochs = xor_epochs});
  return net;
}

// Trained by the compiler; compared below with the same runs at runtime.
constexpr Xor momentum_ct = train_xor(ctnn::Momentum{0.5, 0.9});
constexpr Xor adam_ct = train_xor(ctnn::Adam{0.05});

template <class Net>
bool solves_xor(const Net& net)
{
  const auto data = ctnn::datasets::xor_gate();
  for (const auto& sample : data.samples)
    if (std::abs(net.predict(sample.input)[0] - sample.target[0]) > 0.2) return false;
  return true;
}

}  // namespace

TEST_CASE(
    "optimizer: Momentum and Adam fit XOR in 300 epochs, where SGD at lr "
    "0.1 has barely moved")
{
  const auto data = ctnn::datasets::xor_gate();
  const Xor initial = ctnn::initialized<Xor>(ctnn::Uniform01{}, ctnn::Seed{2024});
  const double initial_loss = ctnn::evaluate(initial, data, ctnn::MeanSquaredError{}).loss;

  const Xor momentum_rt = train_xor(ctnn::Momentum{0.5, 0.9});
  const Xor nesterov_rt = train_xor(ctnn::Momentum{0.5, 0.9, true});
  const Xor adam_rt = train_xor(ctnn::Adam{0.05});
  const Xor sgd_rt = train_xor(ctnn::SGD{0.1});
  for (const Xor* net : {&momentum_rt, &nesterov_rt, &adam_rt}) {
    const double loss = ctnn::evaluate(*net, data, ctnn::MeanSquaredError{}).loss;
    CHECK(loss < initial_loss / 10);
    CHECK(loss < ctnn::evaluate(sgd_rt, data, ctnn::MeanSquaredError{}).loss / 10);
    CHECK(solves_xor(*net));
  }
  CHECK_FALSE(bitwise_equal(momentum_rt, nesterov_rt));
}

TEST_CASE(
    "optimizer: Momentum and Adam train the same bits in the compiler "
    "and at runtime")
{
  CHECK(bitwise_equal(train_xor(ctnn::Momentum{0.5, 0.9}), momentum_ct));
  CHECK(bitwise_equal(train_xor(ctnn::Adam{0.05}), adam_ct));
  CHECK(parameter_fingerprint(train_xor(ctnn::Adam{0.05})) == parameter_fingerprint(adam_ct));
}

TEST_CASE(
    "optimizer: fit validates the optimizer and leaves the model "
    "unchanged on a bad value")
{
  const Xor initial = ctnn::initialized<Xor>(ctnn::Uniform01{}, ctnn::Seed{1});
  Xor net = initial;
  CHECK_THROWS_WITH(ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{},
                              ctnn::Adam<double>{.beta2 = 1.0}, {.epochs = 1}),
                    "ctnn: Adam: beta2 1 must be in [0, 1)");
  CHECK_THROWS_WITH(
      ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::Momentum{0.1, 1.0}, {.epochs = 1}),
      "ctnn: Momentum: momentum 1 must be in [0, 1)");
  CHECK(bitwise_equal(net, initial));
}
