#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <stdexcept>
#include <type_traits>

#include <ctnn/core.hpp>

namespace {

using ctnn::Dense;
using ctnn::Network;

template <class T>
using Small = Network<Dense<3, 4, ctnn::Tanh, T>, Dense<4, 2, ctnn::Sigmoid, T>>;

// Smallest and largest value and the mean of an array.
struct Summary {
  double low;
  double high;
  double mean;
};

template <class T, std::size_t N>
Summary summarize(const T (&values)[N])
{
  Summary s{static_cast<double>(values[0]), static_cast<double>(values[0]), 0.0};
  for (T v : values) {
    const double x = static_cast<double>(v);
    s.low = std::min(s.low, x);
    s.high = std::max(s.high, x);
    s.mean += x;
  }
  s.mean /= static_cast<double>(N);
  return s;
}

template <class T, std::size_t N>
bool all_zero(const T (&values)[N])
{
  for (T v : values)
    if (v != T(0)) return false;
  return true;
}

// A seed read through a volatile: the runtime initialisations really run at runtime, and GCC's
// optimiser does not spend a minute unrolling and folding draws from a known seed.
ctnn::Seed runtime_seed(std::uint64_t value)
{
  volatile std::uint64_t opaque = value;
  return ctnn::Seed{opaque};
}

}  // namespace

TEST_CASE("init: Uniform01 draws W row by row, then b, layer after layer, as uniform01 does")
{
  using Net = Network<Dense<2, 3, ctnn::Sigmoid>, Dense<3, 1, ctnn::Sigmoid>>;
  const Net net = ctnn::initialized<Net>(ctnn::Uniform01{}, runtime_seed(2024));
  ctnn::Random rng{runtime_seed(2024)};
  for (double p : net.parameters().values) CHECK(p == ctnn::uniform01<double>(rng));
  // The first draw from Seed{2024}, from the independent reference in random_test.cpp.
  CHECK(net.layer<0>().weights.values[0] == 0x1.c90e2b427aee0p-5);
}

TEMPLATE_TEST_CASE("init: Uniform draws weights and biases in low to high", "", float, double)
{
  using T = TestType;
  using Net = Network<Dense<100, 50, ctnn::Tanh, T>, Dense<50, 20, ctnn::Tanh, T>>;
  auto net = std::make_unique<Net>();
  ctnn::Random rng{runtime_seed(3)};
  ctnn::initialize(*net, ctnn::Uniform{T(-0.25), T(0.5)}, rng);

  const auto check = [](const auto& values, double spread) {
    const Summary s = summarize(values);
    CHECK(s.low >= -0.25);
    CHECK(s.high < 0.5);
    // With thousands of draws the extremes come within a small fraction of the ends.
    CHECK(s.low < -0.25 + spread);
    CHECK(s.high > 0.5 - spread);
    // The mean of uniform(-0.25, 0.5) is 0.125; its standard deviation 0.75 / sqrt(12) ~ 0.217.
    CHECK(std::fabs(s.mean - 0.125) < 5 * 0.217 / std::sqrt(static_cast<double>(std::size(values))));
  };
  check(net->template layer<0>().weights.values, 0.001);
  check(net->template layer<1>().weights.values, 0.001);
  check(net->template layer<0>().bias.values, 0.1);

  // A range given in double is converted to the network's scalar type.
  const Net from_double = ctnn::initialized<Net>(ctnn::Uniform{-0.25, 0.5}, runtime_seed(3));
  const Net from_scalar = ctnn::initialized<Net>(ctnn::Uniform{T(-0.25), T(0.5)}, runtime_seed(3));
  CHECK(bitwise_equal(from_double, from_scalar));
}

TEST_CASE("init: Uniform deduces its scalar type from the bounds")
{
  STATIC_REQUIRE(std::is_same_v<decltype(ctnn::Uniform{-1.0, 1.0}), ctnn::Uniform<double>>);
  STATIC_REQUIRE(std::is_same_v<decltype(ctnn::Uniform{-1.0f, 1.0f}), ctnn::Uniform<float>>);
}

TEMPLATE_TEST_CASE("init: XavierUniform draws weights within sqrt(6 / (fan_in + fan_out)) and zero biases", "", float,
                   double)
{
  using T = TestType;
  using Net = Network<Dense<200, 100, ctnn::Tanh, T>, Dense<100, 10, ctnn::Sigmoid, T>>;
  auto net = std::make_unique<Net>();
  ctnn::Random rng{runtime_seed(17)};
  ctnn::initialize(*net, ctnn::XavierUniform{}, rng);

  const auto check = [](const auto& weights, double fan_in, double fan_out) {
    const double limit = std::sqrt(6.0 / (fan_in + fan_out));
    const Summary s = summarize(weights);
    // The limit is rounded to T, which may round it up by half an ulp.
    const double slack = limit * static_cast<double>(std::numeric_limits<T>::epsilon());
    CHECK(s.low >= -limit - slack);
    CHECK(s.high < limit + slack);
    CHECK(s.low < -0.99 * limit);
    CHECK(s.high > 0.99 * limit);
    // Variance of uniform(-a, a) is a^2 / 3; for a uniform distribution the sample variance's
    // relative standard error is sqrt(0.8 / n). Allow 5 of them.
    const double n = static_cast<double>(std::size(weights));
    double sum2 = 0;
    for (T w : weights) sum2 += static_cast<double>(w) * static_cast<double>(w);
    CHECK(std::fabs(sum2 / n / (limit * limit / 3) - 1) < 5 * std::sqrt(0.8 / n));
  };
  check(net->template layer<0>().weights.values, 200, 100);
  check(net->template layer<1>().weights.values, 100, 10);
  CHECK(all_zero(net->template layer<0>().bias.values));
  CHECK(all_zero(net->template layer<1>().bias.values));
}

TEMPLATE_TEST_CASE("init: HeNormal draws weights with mean 0 and standard deviation sqrt(2 / fan_in)", "", float,
                   double)
{
  using T = TestType;
  using Net = Network<Dense<1000, 200, ctnn::ReLU, T>>;
  auto net = std::make_unique<Net>();
  ctnn::Random rng{runtime_seed(1)};
  ctnn::initialize(*net, ctnn::HeNormal{}, rng);

  const auto& weights = net->template layer<0>().weights.values;
  const double n = static_cast<double>(std::size(weights));  // 200000
  const double expected_stddev = std::sqrt(2.0 / 1000.0);
  double sum = 0, sum2 = 0;
  std::size_t beyond_3_stddev = 0;
  for (T w : weights) {
    const double x = static_cast<double>(w);
    sum += x;
    sum2 += x * x;
    beyond_3_stddev += std::fabs(x) > 3 * expected_stddev;
  }
  // 5 standard errors: of the mean stddev / sqrt(n), of the sample stddev about stddev / sqrt(2 n).
  CHECK(std::fabs(sum / n) < 5 * expected_stddev / std::sqrt(n));
  CHECK(std::fabs(std::sqrt(sum2 / n) / expected_stddev - 1) < 5 / std::sqrt(2 * n));
  // P(|z| > 3) = erfc(3 / sqrt(2)) ~ 0.0027 for a normal; the count is binomial.
  const double p = std::erfc(3 / std::sqrt(2.0));
  CHECK(std::fabs(static_cast<double>(beyond_3_stddev) - n * p) < 5 * std::sqrt(n * p * (1 - p)));
  CHECK(all_zero(net->template layer<0>().bias.values));
}

TEMPLATE_TEST_CASE("init: PerLayer gives the i-th layer the i-th initialiser from one generator", "", float, double)
{
  using T = TestType;
  using Net = Network<Dense<40, 30, ctnn::Tanh, T>, Dense<30, 20, ctnn::ReLU, T>, Dense<20, 10, ctnn::Sigmoid, T>>;
  const ctnn::PerLayer per_layer{ctnn::XavierUniform{}, ctnn::HeNormal{}, ctnn::Uniform{2.0, 3.0}};
  const Net net = ctnn::initialized<Net>(per_layer, runtime_seed(9));

  // Layer 1: Xavier, |w| <= sqrt(6 / 70) (plus T's rounding of the limit), zero biases.
  const double xavier_limit = std::sqrt(6.0 / 70.0) * (1 + static_cast<double>(std::numeric_limits<T>::epsilon()));
  const Summary first = summarize(net.template layer<0>().weights.values);
  CHECK(first.low >= -xavier_limit);
  CHECK(first.high <= xavier_limit);
  CHECK(all_zero(net.template layer<0>().bias.values));
  // Layer 2: He, root mean square near sqrt(2 / 30) (600 draws: relative standard error
  // 1 / sqrt(1200) ~ 2.9%, so 15% is 5 of them), zero biases.
  double sum2 = 0;
  for (T w : net.template layer<1>().weights.values) sum2 += static_cast<double>(w) * static_cast<double>(w);
  CHECK(std::fabs(std::sqrt(sum2 / 600) / std::sqrt(2.0 / 30.0) - 1) < 0.15);
  CHECK(all_zero(net.template layer<1>().bias.values));
  // Layer 3: Uniform in [2, 3) for weights and biases alike.
  const Summary third_w = summarize(net.template layer<2>().weights.values);
  const Summary third_b = summarize(net.template layer<2>().bias.values);
  CHECK(third_w.low >= 2.0);
  CHECK(third_w.high < 3.0);
  CHECK(third_b.low >= 2.0);
  CHECK(third_b.high < 3.0);

  // The same as initialising each layer by hand in order from one generator.
  Net by_hand{};
  ctnn::Random rng{runtime_seed(9)};
  by_hand.template layer<0>().initialize(ctnn::XavierUniform{}, rng);
  by_hand.template layer<1>().initialize(ctnn::HeNormal{}, rng);
  by_hand.template layer<2>().initialize(ctnn::Uniform{2.0, 3.0}, rng);
  CHECK(bitwise_equal(net, by_hand));

  // One initialiser repeated for every layer is the same as that initialiser alone.
  const Net uniform01_each =
      ctnn::initialized<Net>(ctnn::PerLayer{ctnn::Uniform01{}, ctnn::Uniform01{}, ctnn::Uniform01{}}, runtime_seed(9));
  CHECK(bitwise_equal(uniform01_each, ctnn::initialized<Net>(ctnn::Uniform01{}, runtime_seed(9))));
}

namespace {

// Initialised in a constant expression and at runtime from the same seed.
template <class Net, class Initializer>
bool same_at_compile_time_and_runtime(const Initializer& init, const Net& at_compile_time)
{
  const Net at_runtime = ctnn::initialized<Net>(init, runtime_seed(7));
  return bitwise_equal(at_compile_time, at_runtime);
}

}  // namespace

TEMPLATE_TEST_CASE("init: every initialiser gives the same bits at compile time and at runtime", "", float, double)
{
  using T = TestType;
  using Net = Small<T>;
  constexpr ctnn::Seed seed{7};

  constexpr Net uniform01 = ctnn::initialized<Net>(ctnn::Uniform01{}, seed);
  CHECK(same_at_compile_time_and_runtime(ctnn::Uniform01{}, uniform01));

  constexpr Net uniform = ctnn::initialized<Net>(ctnn::Uniform{-2.0, 3.0}, seed);
  CHECK(same_at_compile_time_and_runtime(ctnn::Uniform{-2.0, 3.0}, uniform));

  constexpr Net xavier = ctnn::initialized<Net>(ctnn::XavierUniform{}, seed);
  CHECK(same_at_compile_time_and_runtime(ctnn::XavierUniform{}, xavier));

  constexpr Net he = ctnn::initialized<Net>(ctnn::HeNormal{}, seed);
  CHECK(same_at_compile_time_and_runtime(ctnn::HeNormal{}, he));

  constexpr ctnn::PerLayer per_layer{ctnn::HeNormal{}, ctnn::XavierUniform{}};
  constexpr Net mixed = ctnn::initialized<Net>(per_layer, seed);
  CHECK(same_at_compile_time_and_runtime(per_layer, mixed));

  // Different initialisers really differ (the comparison above is not vacuous).
  CHECK_FALSE(bitwise_equal(xavier, he));
  CHECK_FALSE(bitwise_equal(he, mixed));
}

TEST_CASE("init: a Uniform range that is not finite or not low below high throws before any draw")
{
  using Net = Small<double>;
  using FloatNet = Small<float>;
  constexpr double inf = std::numeric_limits<double>::infinity();
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  constexpr double max = std::numeric_limits<double>::max();

  const auto rejects = [](const auto& init, auto net) {
    ctnn::Random rng{runtime_seed(1)};
    const auto before = net;
    CHECK_THROWS_AS(ctnn::initialize(net, init, rng), std::invalid_argument);
    CHECK_THROWS_WITH(ctnn::initialize(net, init, rng), Catch::Matchers::StartsWith("ctnn: Uniform: range ["));
    CHECK(bitwise_equal(net, before));
  };
  rejects(ctnn::Uniform{1.0, 0.0}, Net{});
  rejects(ctnn::Uniform{0.5, 0.5}, Net{});
  rejects(ctnn::Uniform{nan, 1.0}, Net{});
  rejects(ctnn::Uniform{0.0, nan}, Net{});
  rejects(ctnn::Uniform{0.0, inf}, Net{});
  rejects(ctnn::Uniform{-inf, 0.0}, Net{});
  rejects(ctnn::Uniform{-inf, inf}, Net{});
  // high - low would overflow.
  rejects(ctnn::Uniform{-max, max}, Net{});
  rejects(ctnn::Uniform{0.0, max}, Net{});
  // Beyond float's range, or low == high once rounded to float.
  rejects(ctnn::Uniform{0.0, 1e39}, FloatNet{});
  rejects(ctnn::Uniform{1.0, 1.0 + 1e-12}, FloatNet{});
  rejects(ctnn::Uniform{-std::numeric_limits<float>::infinity(), 0.0f}, FloatNet{});
  // A bad range anywhere in a PerLayer is found before the first layer draws.
  rejects(ctnn::PerLayer{ctnn::Uniform01{}, ctnn::Uniform{2.0, 1.0}}, Net{});

  // Half the largest value either way is the widest accepted range, and every draw stays finite.
  ctnn::Random rng{runtime_seed(1)};
  Net wide{};
  CHECK_NOTHROW(ctnn::initialize(wide, ctnn::Uniform{-max / 2, max / 2}, rng));
  for (double p : wide.parameters().values) CHECK(std::isfinite(p));
  FloatNet wide_float{};
  const double float_half_max = static_cast<double>(std::numeric_limits<float>::max()) / 2;
  CHECK_NOTHROW(ctnn::initialize(wide_float, ctnn::Uniform{-float_half_max, float_half_max}, rng));
  for (float p : wide_float.parameters().values) CHECK(std::isfinite(p));
}

namespace {

// True when initialising Small<double> with the Uniform from Range::get() is a constant expression.
template <class Range>
concept initializes_in_constant_expression = requires {
  typename std::integral_constant<bool, (ctnn::initialized<Small<double>>(Range::get(), ctnn::Seed{1}), true)>;
};

struct GoodRange {
  static constexpr ctnn::Uniform<double> get() { return {-1.0, 1.0}; }
};
struct ReversedRange {
  static constexpr ctnn::Uniform<double> get() { return {1.0, -1.0}; }
};
struct InfiniteRange {
  static constexpr ctnn::Uniform<double> get() { return {0.0, std::numeric_limits<double>::infinity()}; }
};

}  // namespace

TEST_CASE("init: a bad Uniform range is not a constant expression")
{
  STATIC_REQUIRE(initializes_in_constant_expression<GoodRange>);
  STATIC_REQUIRE_FALSE(initializes_in_constant_expression<ReversedRange>);
  STATIC_REQUIRE_FALSE(initializes_in_constant_expression<InfiniteRange>);
}
