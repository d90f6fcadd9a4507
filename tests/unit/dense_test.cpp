#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include <ctnn/dense.hpp>
#include <ctnn/init.hpp>
#include <ctnn/optimizer.hpp>
#include <ctnn/random.hpp>

// The tutorial's formulas (section 4.1): h = W x + b, y = f(h); db = f'(h) * dL, dW = db x^T,
// dx = W^T db. The expected numbers are worked out by hand below (Identity keeps them exact).

namespace {
template <class Activation>
ctnn::Dense<2, 3, Activation> example_layer()
{
  ctnn::Dense<2, 3, Activation> layer{};
  layer.weights = {{1.0, 2.0, 3.0, -1.0, 0.5, 0.0}};  // rows (1, 2), (3, -1), (0.5, 0)
  layer.bias = {{0.5, -1.0, 2.0}};
  return layer;
}
constexpr ctnn::Vector<double, 2> x{{2.0, 1.0}};
constexpr ctnn::Vector<double, 3> dy{{1.0, -2.0, 0.5}};
}  // namespace

TEST_CASE("dense: forward computes W x + b through the activation (by hand, Identity)")
{
  const auto layer = example_layer<ctnn::Identity>();
  // h = (1*2 + 2*1 + 0.5, 3*2 - 1*1 - 1, 0.5*2 + 0*1 + 2)
  const auto y = layer(x);
  CHECK(y[0] == 4.5);
  CHECK(y[1] == 4.0);
  CHECK(y[2] == 3.0);
}

TEST_CASE("dense: backward gives db = dL, dW = db x^T, dx = W^T db (by hand, Identity)")
{
  const auto layer = example_layer<ctnn::Identity>();
  decltype(layer)::cache_type cache;
  decltype(layer)::output_type y;
  layer.forward(x, cache, y);
  decltype(layer)::gradients g{};
  ctnn::Vector<double, 2> dx;
  layer.backward<true>(x, cache, y, dy, g, dx);

  CHECK(g.bias == ctnn::Vector<double, 3>{{1.0, -2.0, 0.5}});
  // dW = db x^T = ((2, 1), (-4, -2), (1, 0.5))
  CHECK(g.weights == ctnn::Matrix<double, 3, 2>{{2.0, 1.0, -4.0, -2.0, 1.0, 0.5}});
  // dx = W^T db = (1*1 + 3*(-2) + 0.5*0.5, 2*1 + (-1)*(-2) + 0*0.5)
  CHECK(dx[0] == -4.75);
  CHECK(dx[1] == 4.0);
}

TEST_CASE("dense: Sigmoid backward uses f'(h) = s(h)(1 - s(h)) (reference from <cmath>)")
{
  const auto layer = example_layer<ctnn::Sigmoid>();
  decltype(layer)::cache_type cache;
  decltype(layer)::output_type y;
  layer.forward(x, cache, y);
  decltype(layer)::gradients g{};
  ctnn::Vector<double, 2> dx;
  layer.backward<true>(x, cache, y, dy, g, dx);

  const double h[] = {4.5, 4.0, 3.0};
  double db[3];
  for (std::size_t i = 0; i < 3; ++i) {
    const double s = 1.0 / (1.0 + std::exp(-h[i]));
    CHECK(y[i] == Approx(s).epsilon(1e-15));
    db[i] = s * (1.0 - s) * dy[i];
    CHECK(g.bias[i] == Approx(db[i]).epsilon(1e-13));
    CHECK(g.weights(i, 0) == Approx(db[i] * x[0]).epsilon(1e-13));
    CHECK(g.weights(i, 1) == Approx(db[i] * x[1]).epsilon(1e-13));
  }
  CHECK(dx[0] == Approx(1.0 * db[0] + 3.0 * db[1] + 0.5 * db[2]).epsilon(1e-13));
  CHECK(dx[1] == Approx(2.0 * db[0] - 1.0 * db[1] + 0.0 * db[2]).epsilon(1e-13));
}

TEST_CASE("dense: an SGD step is W -= lr dW, b -= lr db, and dx uses W before the step")
{
  auto layer = example_layer<ctnn::Identity>();
  decltype(layer)::cache_type cache;
  decltype(layer)::output_type y;
  layer.forward(x, cache, y);
  const ctnn::SGD sgd{0.5};  // 0.5 keeps every product exact
  decltype(layer)::optimizer_state<ctnn::SGD<double>> state{};
  ctnn::Vector<double, 2> dx;
  layer.backward_and_update<true, false>(x, cache, y, dy, sgd, state, dx);

  CHECK(dx[0] == -4.75);
  CHECK(dx[1] == 4.0);
  // W - 0.5 * ((2, 1), (-4, -2), (1, 0.5))
  CHECK(layer.weights == ctnn::Matrix<double, 3, 2>{{0.0, 1.5, 5.0, 0.0, 0.0, -0.25}});
  // b - 0.5 * (1, -2, 0.5)
  CHECK(layer.bias == ctnn::Vector<double, 3>{{0.0, 0.0, 1.75}});
}

TEST_CASE("dense: the fused SGD step has the same bits as backward() then update()")
{
  auto fused = example_layer<ctnn::Sigmoid>();
  auto separate = fused;
  const ctnn::SGD sgd{0.1};
  decltype(fused)::optimizer_state<ctnn::SGD<double>> state{};
  for (int step = 0; step < 50; ++step) {
    decltype(fused)::cache_type c1, c2;
    decltype(fused)::output_type y1, y2;
    fused.forward(x, c1, y1);
    separate.forward(x, c2, y2);
    ctnn::Vector<double, 2> dx1;
    fused.backward_and_update<true, false>(x, c1, y1, dy, sgd, state, dx1);
    decltype(fused)::gradients g{};
    ctnn::Vector<double, 2> dx2;
    separate.backward<true>(x, c2, y2, dy, g, dx2);
    separate.update(sgd, g, state);
    for (std::size_t j = 0; j < 2; ++j)
      REQUIRE(std::bit_cast<std::uint64_t>(dx1[j]) == std::bit_cast<std::uint64_t>(dx2[j]));
  }
  for (std::size_t k = 0; k < 6; ++k)
    CHECK(std::bit_cast<std::uint64_t>(fused.weights.values[k]) ==
          std::bit_cast<std::uint64_t>(separate.weights.values[k]));
  for (std::size_t k = 0; k < 3; ++k)
    CHECK(std::bit_cast<std::uint64_t>(fused.bias.values[k]) == std::bit_cast<std::uint64_t>(separate.bias.values[k]));
}

TEST_CASE("dense: the first layer may skip dx, which changes nothing else")
{
  auto with = example_layer<ctnn::Tanh>();
  auto without = with;
  const ctnn::SGD sgd{0.1};
  decltype(with)::optimizer_state<ctnn::SGD<double>> state{};
  decltype(with)::cache_type c1, c2;
  decltype(with)::output_type y1, y2;
  with.forward(x, c1, y1);
  without.forward(x, c2, y2);
  ctnn::Vector<double, 2> computed;
  with.backward_and_update<true, false>(x, c1, y1, dy, sgd, state, computed);
  ctnn::Vector<double, 2> skipped{};
  without.backward_and_update<false, false>(x, c2, y2, dy, sgd, state, skipped);
  CHECK(with.weights == without.weights);
  CHECK(with.bias == without.bias);
  CHECK(skipped == ctnn::Vector<double, 2>{{0.0, 0.0}});
}

TEST_CASE("dense: parameter counts and sizes are part of the type")
{
  using L = ctnn::Dense<4, 7, ctnn::ReLU, float>;
  STATIC_REQUIRE(L::inputs == 4);
  STATIC_REQUIRE(L::outputs == 7);
  STATIC_REQUIRE(L::parameter_count == 35);
  STATIC_REQUIRE(std::is_same_v<L::scalar_type, float>);
  STATIC_REQUIRE(std::is_same_v<ctnn::Dense<2, 3, ctnn::Sigmoid>::scalar_type, double>);
}

// At runtime, layers with 8 or more inputs run detail/kernels.hpp's blocked loops; in a constant
// expression they run the plain ones. The shapes reach every remainder case of the blocking
// (forward: 8, 4, 2 and 1 rows; SGD step: 4 rows and single rows; with and without dx), and the last
// layer (7 inputs) stays on the plain loops at runtime too.
namespace {
struct KernelNet {
  ctnn::Dense<9, 13, ctnn::Sigmoid> a;
  ctnn::Dense<13, 10, ctnn::Tanh> b;
  ctnn::Dense<10, 7, ctnn::Identity> c;
  ctnn::Dense<7, 3, ctnn::Sigmoid> d;
  ctnn::Vector<double, 13> dx_b;  // the last step's dx of a layer with the runtime kernel and one without
  ctnn::Vector<double, 7> dx_d;
  ctnn::Vector<double, 7> inference;
};

constexpr KernelNet train_kernel_net(double rate)
{
  KernelNet net{};
  ctnn::Random rng{ctnn::Seed{42}};
  const ctnn::Uniform<double> init{-1.0, 1.0};
  net.a.initialize(init, rng);
  net.b.initialize(init, rng);
  net.c.initialize(init, rng);
  net.d.initialize(init, rng);
  const ctnn::SGD<double> sgd{rate};
  for (int step = 0; step < 12; ++step) {
    ctnn::Vector<double, 9> input{};
    for (auto& v : input.values) v = ctnn::uniform<double>(rng, -2.0, 2.0);
    decltype(net.a)::cache_type ca;
    decltype(net.b)::cache_type cb;
    decltype(net.c)::cache_type cc;
    decltype(net.d)::cache_type cd;
    decltype(net.a)::output_type ya;
    decltype(net.b)::output_type yb;
    decltype(net.c)::output_type yc;
    decltype(net.d)::output_type yd;
    net.a.forward(input, ca, ya);
    net.b.forward(ya, cb, yb);
    net.c.forward(yb, cc, yc);
    net.d.forward(yc, cd, yd);
    ctnn::Vector<double, 3> grad{};
    for (std::size_t k = 0; k < 3; ++k)
      grad.values[k] = yd.values[k] - (k == static_cast<std::size_t>(step) % 3 ? 1.0 : 0.0);
    decltype(net.d)::optimizer_state<ctnn::SGD<double>> sd{};
    decltype(net.c)::optimizer_state<ctnn::SGD<double>> sc{};
    decltype(net.b)::optimizer_state<ctnn::SGD<double>> sb{};
    decltype(net.a)::optimizer_state<ctnn::SGD<double>> sa{};
    net.d.backward_and_update<true, false>(yc, cd, yd, grad, sgd, sd, net.dx_d);
    ctnn::Vector<double, 10> dx_c;
    net.c.backward_and_update<true, false>(yb, cc, yc, net.dx_d, sgd, sc, dx_c);
    net.b.backward_and_update<true, false>(ya, cb, yb, dx_c, sgd, sb, net.dx_b);
    ctnn::Vector<double, 9> unused;
    net.a.backward_and_update<false, false>(input, ca, ya, net.dx_b, sgd, sa, unused);
  }
  ctnn::Vector<double, 9> probe{};
  for (std::size_t j = 0; j < 9; ++j) probe.values[j] = 0.25 * static_cast<double>(j) - 1.0;
  net.inference = net.c(net.b(net.a(probe)));
  return net;
}

template <std::size_t N>
bool same_bits(const double (&a)[N], const double (&b)[N])
{
  for (std::size_t i = 0; i < N; ++i)
    if (std::bit_cast<std::uint64_t>(a[i]) != std::bit_cast<std::uint64_t>(b[i])) return false;
  return true;
}
}  // namespace

TEST_CASE("dense: the runtime kernels give the constant evaluator's bits (remainder shapes)")
{
  constexpr KernelNet compiled = train_kernel_net(0.05);
  volatile double rate = 0.05;  // keeps the runtime run from being folded away
  const KernelNet run = train_kernel_net(rate);
  CHECK(same_bits(compiled.a.weights.values, run.a.weights.values));
  CHECK(same_bits(compiled.a.bias.values, run.a.bias.values));
  CHECK(same_bits(compiled.b.weights.values, run.b.weights.values));
  CHECK(same_bits(compiled.b.bias.values, run.b.bias.values));
  CHECK(same_bits(compiled.c.weights.values, run.c.weights.values));
  CHECK(same_bits(compiled.c.bias.values, run.c.bias.values));
  CHECK(same_bits(compiled.d.weights.values, run.d.weights.values));
  CHECK(same_bits(compiled.d.bias.values, run.d.bias.values));
  CHECK(same_bits(compiled.dx_b.values, run.dx_b.values));
  CHECK(same_bits(compiled.dx_d.values, run.dx_d.values));
  CHECK(same_bits(compiled.inference.values, run.inference.values));
  // The steps moved the weights (a vacuous comparison would pass too).
  CHECK(compiled.b.weights != train_kernel_net(0.0).b.weights);
}
