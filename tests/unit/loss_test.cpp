#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include <ctnn/core.hpp>

// References are written with <cmath> in long double, independently of ctnn::math.

namespace {

template <std::size_t N>
ctnn::Vector<double, N> vec(const double (&v)[N])
{
  ctnn::Vector<double, N> out{};
  for (std::size_t i = 0; i < N; ++i) out.values[i] = v[i];
  return out;
}

long double sigmoid(long double h)
{
  return 1.0L / (1.0L + std::exp(-h));
}

}  // namespace

TEST_CASE("loss: binary cross-entropy value and dL/dy follow the definition")
{
  const auto y = vec({0.2, 0.7, 0.999});
  const auto t = vec({0.0, 1.0, 1.0});
  ctnn::Vector<double, 3> dy{};
  const double value = ctnn::BinaryCrossEntropy::value_and_gradient(y, t, dy);
  long double expected = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    const long double p = y.values[i], target = t.values[i];
    expected -= target * std::log(p) + (1 - target) * std::log(1 - p);
    CHECK(dy.values[i] == Approx(static_cast<double>((p - target) / (p * (1 - p)))).epsilon(1e-13));
  }
  CHECK(value == Approx(static_cast<double>(expected)).epsilon(1e-14));
  CHECK(ctnn::BinaryCrossEntropy::value(y, t) == value);
}

TEST_CASE("loss: binary cross-entropy stays finite for saturated outputs")
{
  const auto y = vec({0.0, 1.0});
  const auto t = vec({1.0, 0.0});
  ctnn::Vector<double, 2> dy{};
  const double value = ctnn::BinaryCrossEntropy::value_and_gradient(y, t, dy);
  CHECK(std::isfinite(value));
  CHECK(value > 60.0);  // -2 log(2^-52) = 72.1
  CHECK(std::isfinite(dy.values[0]));
  CHECK(std::isfinite(dy.values[1]));
}

TEST_CASE("loss: binary cross-entropy fused with Sigmoid gives y - Y and the loss from the logits")
{
  STATIC_REQUIRE(ctnn::BinaryCrossEntropy::fuses_with<ctnn::Sigmoid>);
  STATIC_REQUIRE_FALSE(ctnn::BinaryCrossEntropy::fuses_with<ctnn::Tanh>);
  const auto h = vec({-3.0, 0.5, 40.0, -745.0});
  const auto t = vec({0.0, 1.0, 0.0, 1.0});
  ctnn::Vector<double, 4> y{};
  ctnn::Sigmoid::forward(h.values, y.values);
  ctnn::Vector<double, 4> dh{};
  const double value = ctnn::BinaryCrossEntropy::value_and_pre_activation_gradient(h, y, t, dh);
  long double expected = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(dh.values[i] == y.values[i] - t.values[i]);
    // -[Y log s(h) + (1 - Y) log(1 - s(h))] = softplus(h) - Y h, exact even where s(h) rounds to 0 or 1.
    const long double hi = h.values[i];
    expected += (hi > 0 ? hi + std::log1p(std::exp(-hi)) : std::log1p(std::exp(hi))) - t.values[i] * hi;
  }
  CHECK(value == Approx(static_cast<double>(expected)).epsilon(1e-14));
  CHECK(value > 785.0);  // 40 from sample 2 and 745 from sample 3: no clamp at 36 or 72
  (void)sigmoid;
}

TEST_CASE("loss: categorical cross-entropy value and dL/dy follow the definition")
{
  const auto y = vec({0.1, 0.6, 0.3});
  const auto t = vec({0.0, 1.0, 0.0});
  ctnn::Vector<double, 3> dy{};
  const double value = ctnn::CategoricalCrossEntropy::value_and_gradient(y, t, dy);
  CHECK(value == Approx(static_cast<double>(-std::log(0.6L))).epsilon(1e-15));
  CHECK(dy.values[0] == 0.0);
  CHECK(dy.values[1] == Approx(-1.0 / 0.6).epsilon(1e-15));
  CHECK(dy.values[2] == 0.0);
}

TEST_CASE("loss: categorical cross-entropy fused with Softmax gives y - Y and a stable log-sum-exp")
{
  STATIC_REQUIRE(ctnn::CategoricalCrossEntropy::fuses_with<ctnn::Softmax>);
  STATIC_REQUIRE_FALSE(ctnn::CategoricalCrossEntropy::fuses_with<ctnn::Sigmoid>);
  const auto h = vec({1000.0, 0.0, -1000.0, 999.0});
  const auto t = vec({0.0, 0.0, 0.0, 1.0});
  ctnn::Vector<double, 4> y{};
  ctnn::Softmax::forward(h.values, y.values);
  ctnn::Vector<double, 4> dh{};
  const double value = ctnn::CategoricalCrossEntropy::value_and_pre_activation_gradient(h, y, t, dh);
  // -log softmax_3 = log(e^1 + 1 + ...) with the shift by 999: log(1 + e) to within e^-999.
  CHECK(value == Approx(static_cast<double>(std::log1p(std::exp(1.0L)))).epsilon(1e-15));
  for (std::size_t i = 0; i < 4; ++i) CHECK(dh.values[i] == y.values[i] - t.values[i]);
}

TEST_CASE("loss: every loss satisfies LossFunction for float and double")
{
  STATIC_REQUIRE(ctnn::LossFunction<ctnn::MeanSquaredError, double, 3>);
  STATIC_REQUIRE(ctnn::LossFunction<ctnn::BinaryCrossEntropy, float, 1>);
  STATIC_REQUIRE(ctnn::LossFunction<ctnn::CategoricalCrossEntropy, float, 3>);
  STATIC_REQUIRE(ctnn::CategoricalCrossEntropy::fits_outputs<2>);
  const ctnn::Vector<float, 2> y{{0.25f, 0.75f}};
  const ctnn::Vector<float, 2> t{{0.0f, 1.0f}};
  CHECK(ctnn::CategoricalCrossEntropy::value(y, t) == Approx(-std::log(0.75f)));
}
