#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <ctnn/core.hpp>

// Mini-batches, shuffling, evaluate/confusion_matrix, and the errors fit() raises. References are
// written by hand from Dense's documented pieces (forward, backward, update), not from fit().

namespace {

using Hidden = ctnn::Dense<2, 3, ctnn::Tanh>;
using Output = ctnn::Dense<3, 1, ctnn::Sigmoid>;
using Net = ctnn::Network<Hidden, Output>;

constexpr Net fresh()
{
  return ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{3});
}

// One epoch of mini-batch SGD by hand: sum the per-sample gradients of each batch, divide by the
// batch's size, step once.
void hand_epoch(Net& net, const ctnn::Dataset<2, 1, 4>& data, const std::vector<std::size_t>& order, std::size_t batch,
                double lr)
{
  auto& l1 = net.layer<0>();
  auto& l2 = net.layer<1>();
  for (std::size_t start = 0; start < order.size(); start += batch) {
    const std::size_t end = std::min(order.size(), start + batch);
    decltype(l1.weights) w1{};
    decltype(l1.bias) b1{};
    decltype(l2.weights) w2{};
    decltype(l2.bias) b2{};
    for (std::size_t s = start; s < end; ++s) {
      const auto& sample = data.samples[order[s]];
      Hidden::cache_type c1{};
      Output::cache_type c2{};
      Hidden::output_type y1;
      Output::output_type y2;
      l1.forward(sample.input, c1, y1);
      l2.forward(y1, c2, y2);
      const auto dy = ctnn::MeanSquaredError::gradient(y2, sample.target);
      Output::gradients g2{};
      Hidden::gradients g1{};
      ctnn::Vector<double, 3> dx;
      l2.backward<true>(y1, c2, y2, dy, g2, dx);
      ctnn::Vector<double, 2> unused;
      l1.backward<false>(sample.input, c1, y1, dx, g1, unused);
      for (std::size_t k = 0; k < 6; ++k) w1.values[k] += g1.weights.values[k];
      for (std::size_t k = 0; k < 3; ++k) b1.values[k] += g1.bias.values[k];
      for (std::size_t k = 0; k < 3; ++k) w2.values[k] += g2.weights.values[k];
      b2.values[0] += g2.bias.values[0];
    }
    const double n = static_cast<double>(end - start);
    for (std::size_t k = 0; k < 6; ++k) l1.weights.values[k] -= lr * (n > 1 ? w1.values[k] / n : w1.values[k]);
    for (std::size_t k = 0; k < 3; ++k) l1.bias.values[k] -= lr * (n > 1 ? b1.values[k] / n : b1.values[k]);
    for (std::size_t k = 0; k < 3; ++k) l2.weights.values[k] -= lr * (n > 1 ? w2.values[k] / n : w2.values[k]);
    l2.bias.values[0] -= lr * (n > 1 ? b2.values[0] / n : b2.values[0]);
  }
}

}  // namespace

TEST_CASE("fit: mini-batches average the gradients of each batch, the last one possibly smaller")
{
  const auto data = ctnn::datasets::xor_gate();
  for (std::size_t batch : {2u, 3u, 4u}) {
    Net by_fit = fresh();
    Net by_hand = fresh();
    ctnn::fit(by_fit, data, ctnn::MeanSquaredError{}, ctnn::SGD{0.5}, {.epochs = 7, .batch_size = batch});
    for (int e = 0; e < 7; ++e) hand_epoch(by_hand, data, {0, 1, 2, 3}, batch, 0.5);
    INFO("batch size " << batch);
    CHECK(bitwise_equal(by_fit, by_hand));
  }
}

TEST_CASE("fit: per-sample training equals mini-batches of one")
{
  const auto data = ctnn::datasets::xor_gate();
  Net by_fit = fresh();
  Net by_hand = fresh();
  ctnn::fit(by_fit, data, ctnn::MeanSquaredError{}, ctnn::SGD{0.5}, {.epochs = 5});
  for (int e = 0; e < 5; ++e) hand_epoch(by_hand, data, {0, 1, 2, 3}, 1, 0.5);
  CHECK(bitwise_equal(by_fit, by_hand));
}

TEST_CASE("fit: shuffling is a fixed function of the seed and changes the model")
{
  const auto data = ctnn::datasets::xor_gate();
  const auto train = [&](bool shuffle, std::uint64_t seed) {
    Net net = fresh();
    ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{0.5},
              {.epochs = 20, .batch_size = 2, .shuffle = shuffle, .shuffle_seed = ctnn::Seed{seed}});
    return net;
  };
  CHECK(bitwise_equal(train(true, 1), train(true, 1)));
  CHECK_FALSE(bitwise_equal(train(true, 1), train(true, 2)));
  CHECK_FALSE(bitwise_equal(train(true, 1), train(false, 1)));
}

TEST_CASE("fit: each shuffle is a permutation and every order of three is about equally likely")
{
  ctnn::Random rng{ctnn::Seed{9}};
  // Keyed by the order read as a base-3 number, not by a std::vector: on big-endian targets Debian
  // 12's libstdc++ compares vectors of wider integers with a memcmp of one byte per element (C++20's
  // lexicographical_compare_three_way), so every order would land on one key there.
  std::map<std::size_t, int> seen;
  constexpr int draws = 60000;
  std::size_t order[3] = {0, 1, 2};
  for (int i = 0; i < draws; ++i) {
    ctnn::detail::shuffle_order(order, rng);
    std::vector<std::size_t> sorted(order, order + 3);
    std::sort(sorted.begin(), sorted.end());
    REQUIRE(sorted == std::vector<std::size_t>{0, 1, 2});
    ++seen[order[0] * 9 + order[1] * 3 + order[2]];
  }
  REQUIRE(seen.size() == 6);
  // Chi-square with 5 degrees of freedom: 20.5 is its 99.9% quantile.
  double chi2 = 0;
  for (const auto& [permutation, count] : seen) {
    const double expected = draws / 6.0;
    chi2 += (count - expected) * (count - expected) / expected;
  }
  CHECK(chi2 < 20.5);
}

TEST_CASE("fit: the compile-time run of shuffled Adam mini-batches equals the runtime run")
{
  constexpr auto train = [] {
    Net net = fresh();
    ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.05},
              {.epochs = 40, .batch_size = 3, .shuffle = true, .shuffle_seed = ctnn::Seed{4}});
    return net;
  };
  constexpr Net at_compile_time = train();
  const Net at_runtime = train();
  CHECK(bitwise_equal(at_compile_time, at_runtime));
}

TEST_CASE("evaluate: loss, accuracy and the confusion matrix count what the network predicts")
{
  // A hand-set 2-3-1 network whose output is above 0.5 exactly when x0 > x1.
  Net net{};
  net.layer<0>().weights = {{1, 0, 0, 1, 0, 0}};  // tanh(x0), tanh(x1), 0
  net.layer<1>().weights = {{10, -10, 0}};
  net.layer<1>().bias = {{-1}};                  // sigmoid(10 tanh x0 - 10 tanh x1 - 1)
  const auto data = ctnn::datasets::xor_gate();  // targets 0, 1, 1, 0; predictions 0, 0, 1, 0
  const auto result = ctnn::evaluate(net, data, ctnn::MeanSquaredError{});
  CHECK(result.samples == 4);
  CHECK(result.correct == 3);
  CHECK(result.accuracy() == 0.75);
  CHECK(result.loss == Approx(ctnn::evaluate(net, data, ctnn::MeanSquaredError{}).loss));
  CHECK(result.mean_loss() == Approx(result.loss / 4));

  const auto matrix = ctnn::confusion_matrix(net, data);
  STATIC_REQUIRE(decltype(matrix)::classes() == 2);
  CHECK(matrix.counts[0][0] == 2);  // (0,0) and (1,1)
  CHECK(matrix.counts[0][1] == 0);
  CHECK(matrix.counts[1][0] == 1);  // (0,1)
  CHECK(matrix.counts[1][1] == 1);  // (1,0)
  CHECK(matrix.correct() == 3);
  CHECK(matrix.total() == 4);
}

TEST_CASE("predicted_class: argmax with the first of ties, and a threshold of one half for one output")
{
  CHECK(ctnn::predicted_class(ctnn::Vector<double, 3>{{0.2, 0.5, 0.3}}) == 1);
  CHECK(ctnn::predicted_class(ctnn::Vector<double, 3>{{0.4, 0.2, 0.4}}) == 0);
  CHECK(ctnn::predicted_class(ctnn::Vector<double, 1>{{0.5}}) == 1);
  CHECK(ctnn::predicted_class(ctnn::Vector<float, 1>{{0.49f}}) == 0);
}

TEST_CASE("fit: a batch size of 0 or above the data set's size is rejected and the model kept")
{
  const auto data = ctnn::datasets::xor_gate();
  for (std::size_t batch : {0u, 5u}) {
    Net net = fresh();
    const Net before = net;
    CHECK_THROWS_WITH(
        ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 1, .batch_size = batch}),
        "ctnn: fit: option batch_size " + std::to_string(batch) +
            " must be at least 1 and at most the data set's size 4");
    CHECK(bitwise_equal(net, before));
  }
}

TEST_CASE("fit: a NaN or infinity in the data is rejected, naming the sample, and the model kept")
{
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    auto data = ctnn::datasets::xor_gate();
    data.samples[2].input.values[1] = bad;
    Net net = fresh();
    const Net before = net;
    CHECK_THROWS_WITH(ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 1}),
                      "ctnn: the training data has a NaN or an infinity in sample 2");
    CHECK(bitwise_equal(net, before));
    data = ctnn::datasets::xor_gate();
    data.samples[3].target.values[0] = bad;
    CHECK_THROWS_WITH(ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 1}),
                      "ctnn: the training data has a NaN or an infinity in sample 3");
  }
}

TEST_CASE("fit: a huge learning rate stops training with a divergence_error naming epoch and sample")
{
  using Linear = ctnn::Network<ctnn::Dense<2, 3, ctnn::Identity>, ctnn::Dense<3, 1, ctnn::Identity>>;
  Linear net = ctnn::initialized<Linear>(ctnn::Uniform01{}, ctnn::Seed{1});
  try {
    ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{1e150}, {.epochs = 100});
    FAIL("fit did not stop");
  } catch (const ctnn::divergence_error& error) {
    CHECK(error.quantity() == "loss");
    CHECK(error.epoch() >= 1);
    CHECK(error.epoch() <= 3);
    CHECK(error.sample() < 4);
    CHECK_THAT(error.what(), Catch::StartsWith("ctnn: training diverged at epoch " + std::to_string(error.epoch()) +
                                               ", sample " + std::to_string(error.sample()) + ": the loss"));
  }
}

TEST_CASE("fit: parameters that become infinite while the loss stays finite stop training at the epoch's end")
{
  // One sample: its loss is computed before the update, from finite weights, and is finite; the
  // step then overflows layer 2's weights (|lr * d * y1| > 1.8e308) before any later loss sees them.
  using Linear = ctnn::Network<ctnn::Dense<2, 3, ctnn::Identity>, ctnn::Dense<3, 1, ctnn::Identity>>;
  Linear net = ctnn::initialized<Linear>(ctnn::Uniform01{}, ctnn::Seed{1});
  const ctnn::Dataset<2, 1, 1> one{{{{{1.0, 1.0}}, {{-5.0}}}}};
  try {
    ctnn::fit(net, one, ctnn::MeanSquaredError{}, ctnn::SGD{1.7e308}, {.epochs = 10});
    FAIL("fit did not stop");
  } catch (const ctnn::divergence_error& error) {
    CHECK(error.epoch() == 1);
    CHECK(error.sample() == ctnn::divergence_error::no_sample);
    CHECK(error.quantity() == "parameters of layer 1");
    CHECK(std::string(error.what()) ==
          "ctnn: training diverged at epoch 1: the parameters of layer 1 became NaN or infinite (is the learning "
          "rate too large?)");
  }
}

TEST_CASE("fit: a TrainingState carries Adam's moments from one fit call to the next")
{
  const auto data = ctnn::datasets::xor_gate();
  constexpr auto twenty_epochs_at_once = [] {
    Net net = fresh();
    ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.05}, {.epochs = 20});
    return net;
  };
  Net in_two_calls = fresh();
  ctnn::TrainingState<Net, ctnn::Adam<double>> state;
  ctnn::fit(in_two_calls, data, ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.05}, {.epochs = 10}, state);
  ctnn::fit(in_two_calls, data, ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.05}, {.epochs = 10}, state);
  CHECK(bitwise_equal(in_two_calls, twenty_epochs_at_once()));

  // Without the state the second call starts Adam afresh (bias correction from step 1), which differs.
  Net restarted = fresh();
  ctnn::fit(restarted, data, ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.05}, {.epochs = 10});
  ctnn::fit(restarted, data, ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.05}, {.epochs = 10});
  CHECK_FALSE(bitwise_equal(restarted, twenty_epochs_at_once()));
}

namespace {
// A loss with a parameter, as a user would write one: the trainer calls it on the object.
struct Huber {
  static constexpr std::string_view name = "huber";
  double delta;
  template <std::size_t N>
  constexpr double value(const ctnn::Vector<double, N>& y, const ctnn::Vector<double, N>& t) const noexcept
  {
    double sum = 0;
    for (std::size_t i = 0; i < N; ++i) {
      const double d = y.values[i] - t.values[i];
      const double a = d < 0 ? -d : d;
      sum += a <= delta ? d * d / 2 : delta * (a - delta / 2);
    }
    return sum;
  }
  template <std::size_t N>
  constexpr double value_and_gradient(const ctnn::Vector<double, N>& y, const ctnn::Vector<double, N>& t,
                                      ctnn::Vector<double, N>& dy) const noexcept
  {
    for (std::size_t i = 0; i < N; ++i) {
      const double d = y.values[i] - t.values[i];
      dy.values[i] = d > delta ? delta : (d < -delta ? -delta : d);
    }
    return value(y, t);
  }
};
}  // namespace

TEST_CASE("fit: a loss with parameters of its own trains, and its gradient checks out")
{
  STATIC_REQUIRE(ctnn::LossFunction<Huber, double, 1>);
  Net net = fresh();
  const auto data = ctnn::datasets::xor_gate();
  const double before = ctnn::evaluate(net, data, Huber{0.1}).loss;
  ctnn::fit(net, data, Huber{0.1}, ctnn::SGD{0.5}, {.epochs = 300});
  CHECK(ctnn::evaluate(net, data, Huber{0.1}).loss < before);
  CHECK(ctnn::gradient_check(fresh(), {{0.3, 0.8}}, {{1.0}}, Huber{0.1}).passed(1e-6));
}

TEST_CASE("fit: a float network trains with double hyper-parameters, converted once, the same in the compiler")
{
  using FloatNet = ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh, float>, ctnn::Dense<3, 1, ctnn::Sigmoid, float>>;
  constexpr auto train = [](auto optimizer, std::size_t batch) {
    FloatNet net = ctnn::initialized<FloatNet>(ctnn::XavierUniform{}, ctnn::Seed{3});
    ctnn::fit(net, ctnn::datasets::xor_gate<float>(), ctnn::MeanSquaredError{}, optimizer,
              {.epochs = 30, .batch_size = batch});
    return net;
  };
  constexpr FloatNet sgd_ct = train(ctnn::SGD{0.5}, 2);
  constexpr FloatNet adam_ct = train(ctnn::Adam{}, 1);
  CHECK(bitwise_equal(sgd_ct, train(ctnn::SGD{0.5}, 2)));
  CHECK(bitwise_equal(adam_ct, train(ctnn::Adam{}, 1)));
  // double 0.5 and 0.001 convert to float exactly as the float literals do
  CHECK(bitwise_equal(sgd_ct, train(ctnn::SGD{0.5f}, 2)));
  CHECK(bitwise_equal(adam_ct, train(ctnn::Adam<float>{}, 1)));
}

TEST_CASE("fit: a callback that reads the network sees the same epoch in the compiler as at runtime")
{
  struct Losses {
    double values[5];
  };
  constexpr auto train = [] {
    Net net = fresh();
    Losses seen{};
    const auto data = ctnn::datasets::xor_gate();
    ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{0.5}, {.epochs = 5}, [&](std::size_t epoch, double) {
      seen.values[epoch - 1] = ctnn::evaluate(net, data, ctnn::MeanSquaredError{}).loss;
    });
    return seen;
  };
  constexpr Losses at_compile_time = train();
  const Losses at_runtime = train();
  for (std::size_t i = 0; i < 5; ++i) CHECK(at_compile_time.values[i] == at_runtime.values[i]);
  CHECK(at_runtime.values[0] != at_runtime.values[4]);  // the network did change between epochs
}
