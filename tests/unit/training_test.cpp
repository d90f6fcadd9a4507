#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <ctnn/ctnn.hpp>

namespace {

using Xor = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;

// The tutorial's training written out by hand for 2-3-1, with no ctnn code but the scalar exp and
// the generator: an independent statement of what fit() must compute, operation for operation.
struct HandWritten {
  double w1[3][2], b1[3], w2[3], b2;
  double last_epoch_loss;
};

HandWritten train_by_hand(std::uint64_t seed, int epochs, double lr)
{
  HandWritten n{};
  ctnn::Random rng{ctnn::Seed{seed}};
  for (auto& row : n.w1)
    for (auto& w : row) w = ctnn::uniform01<double>(rng);
  for (auto& b : n.b1) b = ctnn::uniform01<double>(rng);
  for (auto& w : n.w2) w = ctnn::uniform01<double>(rng);
  n.b2 = ctnn::uniform01<double>(rng);

  const double inputs[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
  const double labels[4] = {0, 1, 1, 0};
  for (int epoch = 0; epoch < epochs; ++epoch) {
    double loss = 0;
    for (std::size_t s = 0; s < 4; ++s) {
      const double* x = inputs[s];
      double y1[3];
      for (std::size_t i = 0; i < 3; ++i) {
        const double h = (n.w1[i][0] * x[0] + n.w1[i][1] * x[1]) + n.b1[i];
        y1[i] = 1.0 / (1.0 + ctnn::math::exp(-h));
      }
      const double h2 = ((n.w2[0] * y1[0] + n.w2[1] * y1[1]) + n.w2[2] * y1[2]) + n.b2;
      const double y = 1.0 / (1.0 + ctnn::math::exp(-h2));
      const double d = y - labels[s];
      loss += d * d / 2.0;
      // Layer 2 backward: db2 = f'(h2) dL, dx2 = W2^T db2 (with W2 before its update).
      const double db2 = y * (1.0 - y) * d;
      double dx2[3];
      for (std::size_t j = 0; j < 3; ++j) dx2[j] = 0.0 + n.w2[j] * db2;
      for (std::size_t j = 0; j < 3; ++j) n.w2[j] -= lr * (db2 * y1[j]);
      n.b2 -= lr * db2;
      // Layer 1 backward.
      for (std::size_t i = 0; i < 3; ++i) {
        const double db = y1[i] * (1.0 - y1[i]) * dx2[i];
        for (std::size_t j = 0; j < 2; ++j) n.w1[i][j] -= lr * (db * x[j]);
        n.b1[i] -= lr * db;
      }
    }
    n.last_epoch_loss = loss;
  }
  return n;
}

template <class Net>
bool same_bits(const Net& a, const Net& b)
{
  const auto pa = a.parameters();
  const auto pb = b.parameters();
  for (std::size_t i = 0; i < pa.size(); ++i)
    if (std::bit_cast<std::uint64_t>(pa[i]) != std::bit_cast<std::uint64_t>(pb[i])) return false;
  return true;
}

}  // namespace

TEST_CASE("training: fit() computes exactly the tutorial's per-sample SGD written by hand")
{
  for (std::uint64_t seed : {1u, 2024u, 77u}) {
    Xor net = ctnn::initialized<Xor>(ctnn::Uniform01{}, ctnn::Seed{seed});
    const auto result =
        ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 300});
    const HandWritten hand = train_by_hand(seed, 300, 0.1);

    const auto& l1 = net.layer<0>();
    const auto& l2 = net.layer<1>();
    for (std::size_t i = 0; i < 3; ++i) {
      for (std::size_t j = 0; j < 2; ++j)
        CHECK(std::bit_cast<std::uint64_t>(l1.weights(i, j)) == std::bit_cast<std::uint64_t>(hand.w1[i][j]));
      CHECK(std::bit_cast<std::uint64_t>(l1.bias[i]) == std::bit_cast<std::uint64_t>(hand.b1[i]));
      CHECK(std::bit_cast<std::uint64_t>(l2.weights(0, i)) == std::bit_cast<std::uint64_t>(hand.w2[i]));
    }
    CHECK(std::bit_cast<std::uint64_t>(l2.bias[0]) == std::bit_cast<std::uint64_t>(hand.b2));
    CHECK(std::bit_cast<std::uint64_t>(result.loss) == std::bit_cast<std::uint64_t>(hand.last_epoch_loss));
    CHECK(result.epochs == 300);
  }
}

TEST_CASE("training: initialisation draws W row by row, then b, layer by layer")
{
  const Xor net = ctnn::initialized<Xor>(ctnn::Uniform01{}, ctnn::Seed{5});
  ctnn::Random rng{ctnn::Seed{5}};
  for (auto p : net.parameters()) CHECK(p == ctnn::uniform01<double>(rng));
}

namespace {
// Short runs of several architectures, trained once in a constant expression and once at runtime.
template <class Net, class Data>
constexpr Net train_short(const Data& data, double lr, std::size_t epochs)
{
  Net net = ctnn::initialized<Net>(ctnn::Uniform01{}, ctnn::Seed{11});
  ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{lr}, {.epochs = epochs});
  return net;
}

using Deep = ctnn::Network<ctnn::Dense<2, 4, ctnn::Tanh>, ctnn::Dense<4, 4, ctnn::ReLU>,
                           ctnn::Dense<4, 2, ctnn::Identity>, ctnn::Dense<2, 1, ctnn::Sigmoid>>;
using Wide = ctnn::Network<ctnn::Dense<2, 16, ctnn::Sigmoid>, ctnn::Dense<16, 1, ctnn::Tanh>>;
using Single = ctnn::Network<ctnn::Dense<2, 1, ctnn::Sigmoid>>;
using FloatXor = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid, float>, ctnn::Dense<3, 1, ctnn::Sigmoid, float>>;

constexpr Deep deep_ct = train_short<Deep>(ctnn::datasets::xor_gate(), 0.05, 40);
constexpr Wide wide_ct = train_short<Wide>(ctnn::datasets::xor_gate(), 0.1, 40);
constexpr Single single_ct = train_short<Single>(ctnn::datasets::xor_gate(), 0.5, 40);
constexpr FloatXor float_ct = [] {
  FloatXor net = ctnn::initialized<FloatXor>(ctnn::Uniform01{}, ctnn::Seed{11});
  ctnn::fit(net, ctnn::datasets::xor_gate<float>(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1f}, {.epochs = 40});
  return net;
}();
}  // namespace

TEST_CASE("training: compile-time and runtime training give the same bits, for several architectures")
{
  const Deep deep_rt = train_short<Deep>(ctnn::datasets::xor_gate(), 0.05, 40);
  const Wide wide_rt = train_short<Wide>(ctnn::datasets::xor_gate(), 0.1, 40);
  const Single single_rt = train_short<Single>(ctnn::datasets::xor_gate(), 0.5, 40);
  FloatXor float_rt = ctnn::initialized<FloatXor>(ctnn::Uniform01{}, ctnn::Seed{11});
  ctnn::fit(float_rt, ctnn::datasets::xor_gate<float>(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1f}, {.epochs = 40});

  CHECK(bitwise_equal(deep_rt, deep_ct));
  CHECK(bitwise_equal(wide_rt, wide_ct));
  CHECK(bitwise_equal(single_rt, single_ct));
  CHECK(bitwise_equal(float_rt, float_ct));
  CHECK(parameter_fingerprint(deep_rt) == parameter_fingerprint(deep_ct));

  // And the runs did train: parameters moved from their initial draw.
  CHECK_FALSE(bitwise_equal(deep_rt, ctnn::initialized<Deep>(ctnn::Uniform01{}, ctnn::Seed{11})));
}

TEST_CASE("training: bitwise_equal and the fingerprint see a one-bit change")
{
  Xor a = ctnn::initialized<Xor>(ctnn::Uniform01{}, ctnn::Seed{3});
  Xor b = a;
  CHECK(bitwise_equal(a, b));
  b.layer<1>().bias[0] = std::nextafter(b.layer<1>().bias[0], 2.0);
  CHECK_FALSE(bitwise_equal(a, b));
  CHECK(parameter_fingerprint(a) != parameter_fingerprint(b));
  CHECK_FALSE(same_bits(a, b));
}

TEST_CASE("training: the callback sees every epoch, counted from 1, with the summed loss")
{
  Xor net = ctnn::initialized<Xor>(ctnn::Uniform01{}, ctnn::Seed{2024});
  std::size_t calls = 0, last = 0;
  double last_loss = -1;
  const auto result = ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1},
                                {.epochs = 25}, [&](std::size_t epoch, double loss) {
                                  ++calls;
                                  CHECK(epoch == last + 1);
                                  last = epoch;
                                  last_loss = loss;
                                });
  CHECK(calls == 25);
  CHECK(last == 25);
  CHECK(last_loss == result.loss);
}

TEST_CASE("training: bad hyper-parameters throw std::invalid_argument with a message and change nothing")
{
  const Xor initial = ctnn::initialized<Xor>(ctnn::Uniform01{}, ctnn::Seed{1});
  Xor net = initial;
  const auto data = ctnn::datasets::xor_gate();
  CHECK_THROWS_WITH(ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 0}),
                    "ctnn: fit: option epochs 0 must be at least 1");
  CHECK_THROWS_AS(ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{-0.1}, {.epochs = 1}),
                  std::invalid_argument);
  CHECK_THROWS_WITH(ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{0.0}, {.epochs = 1}),
                    "ctnn: SGD: learning rate 0 must be positive and finite");
  CHECK_THROWS_AS(ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{std::numeric_limits<double>::quiet_NaN()},
                            {.epochs = 1}),
                  std::invalid_argument);
  CHECK_THROWS_AS(
      ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{std::numeric_limits<double>::infinity()}, {.epochs = 1}),
      std::invalid_argument);
  CHECK(bitwise_equal(net, initial));
}

TEST_CASE("training: the loss is the tutorial's sum((y - Y)^2) / 2 with gradient y - Y")
{
  const ctnn::Vector<double, 3> y{{0.5, 1.0, -1.0}};
  const ctnn::Vector<double, 3> target{{1.0, 1.0, 1.0}};
  CHECK(ctnn::MeanSquaredError::value(y, target) == 0.125 + 0.0 + 2.0);
  CHECK(ctnn::MeanSquaredError::gradient(y, target) == ctnn::Vector<double, 3>{{-0.5, 0.0, -2.0}});
  ctnn::Vector<double, 3> g{};
  CHECK(ctnn::MeanSquaredError::value_and_gradient(y, target, g) == 2.125);
  CHECK(g == ctnn::Vector<double, 3>{{-0.5, 0.0, -2.0}});
}

TEST_CASE("training: summary() prints a Keras-style table")
{
  std::ostringstream out;
  ctnn::summary(Xor{}, out);
  const std::string text = out.str();
  CHECK_THAT(text, Catch::Contains(" dense_1 (Dense)            (None, 3)                 9\n"));
  CHECK_THAT(text, Catch::Contains(" dense_2 (Dense)            (None, 1)                 4\n"));
  CHECK_THAT(text, Catch::Contains("Total params: 13\n"));
}
