#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <ratio>
#include <string>

#include <ctnn/activation.hpp>
#include <ctnn/core.hpp>
#include <ctnn/model_file.hpp>

// Expected values come from <cmath> (an independent implementation) or are
// exact by hand.

TEST_CASE(
    "activation: Sigmoid forward is 1 / (1 + e^-h) and backward is y (1 "
    "- y) dy")
{
  const double h[] = {-3.0, -0.5, 0.0, 0.25, 4.0};
  double y[5], dh[5];
  const double dy[] = {1.0, -2.0, 0.5, 3.0, -1.0};
  ctnn::Sigmoid::forward(h, y);
  ctnn::Sigmoid::backward(h, y, dy, dh);
  for (std::size_t i = 0; i < 5; ++i) {
    const double expected = 1.0 / (1.0 + std::exp(-h[i]));
    CHECK(y[i] == Approx(expected).epsilon(1e-15));
    CHECK(dh[i] == Approx(expected * (1.0 - expected) * dy[i]).epsilon(1e-14));
  }
  CHECK(y[2] == 0.5);
  CHECK(dh[2] == 0.125);  // 0.5 * 0.5 * 0.5, exact
}

TEST_CASE("activation: Tanh forward is tanh(h) and backward is (1 - y^2) dy")
{
  const double h[] = {-2.0, -0.1, 0.0, 0.7, 20.0};
  double y[5], dh[5];
  const double dy[] = {1.0, 1.0, 2.0, -1.0, 1.0};
  ctnn::Tanh::forward(h, y);
  ctnn::Tanh::backward(h, y, dy, dh);
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(y[i] == Approx(std::tanh(h[i])).epsilon(1e-15));
    CHECK(dh[i] == Approx((1.0 - std::tanh(h[i]) * std::tanh(h[i])) * dy[i]).epsilon(1e-13).margin(1e-300));
  }
  CHECK(dh[2] == 2.0);
}

TEST_CASE(
    "activation: ReLU passes positives, zeroes the rest, and its "
    "derivative at 0 is 0")
{
  const double h[] = {-1.5, 0.0, 2.5};
  double y[3], dh[3];
  const double dy[] = {7.0, 7.0, 7.0};
  ctnn::ReLU::forward(h, y);
  ctnn::ReLU::backward(h, y, dy, dh);
  CHECK(y[0] == 0.0);
  CHECK(y[1] == 0.0);
  CHECK(y[2] == 2.5);
  CHECK(dh[0] == 0.0);
  CHECK(dh[1] == 0.0);
  CHECK(dh[2] == 7.0);
}

TEST_CASE("activation: Identity passes values and gradients through")
{
  const double h[] = {-1.5, 0.0, 2.5};
  double y[3], dh[3];
  const double dy[] = {1.0, -2.0, 3.0};
  ctnn::Identity::forward(h, y);
  ctnn::Identity::backward(h, y, dy, dh);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(y[i] == h[i]);
    CHECK(dh[i] == dy[i]);
  }
}

TEST_CASE("activation: float works too")
{
  const float h[] = {-1.0f, 0.0f, 1.0f};
  float y[3];
  ctnn::Sigmoid::forward(h, y);
  CHECK(y[1] == 0.5f);
  CHECK(y[2] == Approx(1.0 / (1.0 + std::exp(-1.0))).epsilon(1e-7));
  CHECK(y[0] + y[2] == Approx(1.0f));
}

TEST_CASE(
    "activation: LeakyReLU passes positives and scales the rest by its "
    "slope, also at 0")
{
  const double h[] = {-3.0, -0.5, 0.0, 0.25, 4.0};
  const double dy[] = {1.0, -2.0, 5.0, 3.0, -1.0};
  double y[5], dh[5];
  ctnn::LeakyReLU<>::forward(h, y);
  ctnn::LeakyReLU<>::backward(h, y, dy, dh);
  // Default slope 1/100.
  CHECK(y[0] == Approx(-0.03).epsilon(1e-15));
  CHECK(y[1] == Approx(-0.005).epsilon(1e-15));
  CHECK(y[2] == 0.0);
  CHECK(y[3] == 0.25);
  CHECK(y[4] == 4.0);
  CHECK(dh[0] == Approx(0.01).epsilon(1e-15));
  CHECK(dh[1] == Approx(-0.02).epsilon(1e-15));
  CHECK(dh[2] == Approx(0.05).epsilon(1e-15));  // f'(0) is the slope
  CHECK(dh[3] == 3.0);
  CHECK(dh[4] == -1.0);

  // Slope 1/4 is exact in binary: every value below is exact by hand.
  using Quarter = ctnn::LeakyReLU<std::ratio<1, 4>>;
  const float hf[] = {-2.0f, 0.0f, 3.0f};
  const float dyf[] = {4.0f, 4.0f, 4.0f};
  float yf[3], dhf[3];
  Quarter::forward(hf, yf);
  Quarter::backward(hf, yf, dyf, dhf);
  CHECK(yf[0] == -0.5f);
  CHECK(yf[1] == 0.0f);
  CHECK(yf[2] == 3.0f);
  CHECK(dhf[0] == 1.0f);
  CHECK(dhf[1] == 1.0f);
  CHECK(dhf[2] == 4.0f);
  CHECK(Quarter::slope<double>() == 0.25);
}

TEST_CASE("activation: LeakyReLU's name is one word that records the reduced slope")
{
  CHECK(ctnn::LeakyReLU<>::name == "leaky_relu(1/100)");
  CHECK(ctnn::LeakyReLU<std::ratio<1, 5>>::name == "leaky_relu(1/5)");
  CHECK(ctnn::LeakyReLU<std::ratio<3, 30>>::name == "leaky_relu(1/10)");
  CHECK(ctnn::LeakyReLU<std::ratio<0, 7>>::name == "leaky_relu(0/1)");
  CHECK(ctnn::LeakyReLU<std::ratio<1234567, 9876543210>>::name == "leaky_relu(1234567/9876543210)");
  CHECK(ctnn::Softplus::name == "softplus");
  CHECK(ctnn::Softmax::name == "softmax");
}

TEST_CASE(
    "activation: Softplus is log(1 + e^h) with derivative sigmoid(h), "
    "double and float")
{
  const double h[] = {-30.0, -5.0, -0.5, 0.0, 0.5, 5.0, 30.0, 700.0};
  const double dy[] = {1.0, -2.0, 0.5, 3.0, -1.0, 1.0, 2.0, -1.0};
  constexpr std::size_t n = 8;
  double y[n], dh[n];
  ctnn::Softplus::forward(h, y);
  ctnn::Softplus::backward(h, y, dy, dh);
  for (std::size_t i = 0; i < n; ++i) {
    const long double hl = h[i];
    const long double expected = std::log1p(std::exp(hl));
    const long double slope = 1.0L / (1.0L + std::exp(-hl));
    CHECK(y[i] == Approx(static_cast<double>(expected)).epsilon(1e-15));
    CHECK(dh[i] == Approx(static_cast<double>(slope * dy[i])).epsilon(1e-15));
  }

  const float hf[] = {-80.0f, -3.0f, 0.0f, 2.5f, 80.0f};
  float yf[5], dhf[5];
  const float ones[] = {1.0f, 1.0f, 1.0f, 1.0f, 1.0f};
  ctnn::Softplus::forward(hf, yf);
  ctnn::Softplus::backward(hf, yf, ones, dhf);
  for (std::size_t i = 0; i < 5; ++i) {
    const long double hl = hf[i];
    CHECK(yf[i] == Approx(static_cast<double>(std::log1p(std::exp(hl)))).epsilon(1e-6));
    CHECK(dhf[i] == Approx(static_cast<double>(1.0L / (1.0L + std::exp(-hl)))).epsilon(1e-6));
  }
}

TEST_CASE("activation: Softplus stays finite and right at plus and minus 800")
{
  // softplus(800) = 800 + log1p(e^-800) rounds to 800; softplus(-800) = e^-800
  // (about 1e-348) rounds to 0; sigmoid(800) rounds to 1 and sigmoid(-800) to
  // 0. A naive log(1 + e^h) overflows.
  const double h[] = {800.0, -800.0};
  const double dy[] = {2.0, 2.0};
  double y[2], dh[2];
  ctnn::Softplus::forward(h, y);
  ctnn::Softplus::backward(h, y, dy, dh);
  CHECK(y[0] == 800.0);
  CHECK(y[1] == 0.0);
  CHECK(dh[0] == 2.0);
  CHECK(dh[1] == 0.0);

  const float hf[] = {800.0f, -800.0f};
  const float dyf[] = {1.0f, 1.0f};
  float yf[2], dhf[2];
  ctnn::Softplus::forward(hf, yf);
  ctnn::Softplus::backward(hf, yf, dyf, dhf);
  CHECK(yf[0] == 800.0f);
  CHECK(yf[1] == 0.0f);
  CHECK(dhf[0] == 1.0f);
  CHECK(dhf[1] == 0.0f);
}

namespace {

// The softmax of h in long double, straight from the definition (|h| is small
// where this is used).
template <std::size_t N, class T>
void reference_softmax(const T (&h)[N], long double (&y)[N])
{
  long double sum = 0;
  for (std::size_t i = 0; i < N; ++i) sum += std::exp(static_cast<long double>(h[i]));
  for (std::size_t i = 0; i < N; ++i) y[i] = std::exp(static_cast<long double>(h[i])) / sum;
}

}  // namespace

TEST_CASE(
    "activation: Softmax forward matches the definition and backward "
    "matches the full Jacobian")
{
  const double h[] = {1.0, 2.0, 3.0, -1.0, 0.5};
  const double dy[] = {0.3, -1.0, 2.0, 0.25, -0.5};
  constexpr std::size_t n = 5;
  double y[n], dh[n];
  ctnn::Softmax::forward(h, y);
  ctnn::Softmax::backward(h, y, dy, dh);

  long double expected[n];
  reference_softmax(h, expected);
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    CHECK(y[i] == Approx(static_cast<double>(expected[i])).epsilon(1e-15));
    sum += y[i];
  }
  CHECK(sum == Approx(1.0).epsilon(1e-15));

  // dh = J^T dy with J[i][j] = dy_i/dh_j = y_i (delta_ij - y_j), formed in
  // full.
  for (std::size_t j = 0; j < n; ++j) {
    long double column = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const long double jacobian = expected[i] * ((i == j ? 1.0L : 0.0L) - expected[j]);
      column += jacobian * dy[i];
    }
    CHECK(dh[j] == Approx(static_cast<double>(column)).epsilon(1e-13).margin(1e-15));
  }

  // float agrees with the same reference.
  const float hf[] = {1.0f, 2.0f, 3.0f, -1.0f, 0.5f};
  float yf[n];
  ctnn::Softmax::forward(hf, yf);
  for (std::size_t i = 0; i < n; ++i) CHECK(yf[i] == Approx(static_cast<double>(expected[i])).epsilon(1e-6));
}

TEST_CASE(
    "activation: Softmax does not overflow on large inputs and still "
    "sums to 1")
{
  const double h[] = {1000.0, 0.0, -1000.0};
  double y[3];
  ctnn::Softmax::forward(h, y);
  // e^-1000 and e^-2000 are below the smallest double: the exact result rounds
  // to {1, 0, 0}.
  CHECK(y[0] == 1.0);
  CHECK(y[1] == 0.0);
  CHECK(y[2] == 0.0);

  // Two large inputs 0.5 apart: y = {1, e^-0.5} / (1 + e^-0.5) with the third
  // term negligible.
  const double close[] = {1000.0, 999.5, 0.0};
  ctnn::Softmax::forward(close, y);
  const long double e = std::exp(-0.5L);
  CHECK(y[0] == Approx(static_cast<double>(1.0L / (1.0L + e))).epsilon(1e-15));
  CHECK(y[1] == Approx(static_cast<double>(e / (1.0L + e))).epsilon(1e-15));
  CHECK(y[2] == 0.0);
  CHECK(y[0] + y[1] + y[2] == Approx(1.0).epsilon(1e-15));

  // float: e^100 would overflow float.
  const float hf[] = {100.0f, 99.0f, -100.0f};
  float yf[3];
  ctnn::Softmax::forward(hf, yf);
  const long double ef = std::exp(-1.0L);
  CHECK(yf[0] == Approx(static_cast<double>(1.0L / (1.0L + ef))).epsilon(1e-6));
  CHECK(yf[1] == Approx(static_cast<double>(ef / (1.0L + ef))).epsilon(1e-6));
  CHECK(yf[2] == 0.0f);
  CHECK(yf[0] + yf[1] + yf[2] == Approx(1.0f).epsilon(1e-6));
}

TEST_CASE("activation: a Softmax of one unit is 1 with a zero gradient")
{
  const double h[] = {-7.0};
  const double dy[] = {3.0};
  double y[1], dh[1];
  ctnn::Softmax::forward(h, y);
  ctnn::Softmax::backward(h, y, dy, dh);
  CHECK(y[0] == 1.0);
  CHECK(dh[0] == 0.0);
}

TEST_CASE("activation: a NaN input gives NaN from LeakyReLU, Softplus and Softmax")
{
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double h[] = {nan, 1.0};
  double y[2];
  ctnn::LeakyReLU<>::forward(h, y);
  CHECK(std::isnan(y[0]));
  ctnn::Softplus::forward(h, y);
  CHECK(std::isnan(y[0]));
  ctnn::Softmax::forward(h, y);
  CHECK(std::isnan(y[0]));
  CHECK(std::isnan(y[1]));
}

namespace {
using LeakyFifth =
    ctnn::Network<ctnn::Dense<2, 3, ctnn::LeakyReLU<std::ratio<1, 5>>>, ctnn::Dense<3, 2, ctnn::Softmax>>;
using LeakyDefault = ctnn::Network<ctnn::Dense<2, 3, ctnn::LeakyReLU<>>, ctnn::Dense<3, 2, ctnn::Softmax>>;
using SoftplusNet = ctnn::Network<ctnn::Dense<2, 3, ctnn::Softplus>, ctnn::Dense<3, 2, ctnn::Softmax>>;
}  // namespace

TEST_CASE(
    "activation: a model with LeakyReLU saves its slope and reloads only "
    "into the same slope")
{
  const LeakyFifth net = ctnn::initialized<LeakyFifth>(ctnn::Uniform01{}, ctnn::Seed{7});
  const std::string text = ctnn::model_text(net);
  CHECK(text.find("layer 1 Dense 2 3 leaky_relu(1/5)\n") != std::string::npos);
  CHECK(text.find("layer 2 Dense 3 2 softmax\n") != std::string::npos);

  LeakyFifth loaded{};
  ctnn::load_model_text_into(loaded, text);
  CHECK(bitwise_equal(loaded, net));

  const LeakyDefault untouched = ctnn::initialized<LeakyDefault>(ctnn::Uniform01{}, ctnn::Seed{8});
  LeakyDefault other = untouched;
  CHECK_THROWS_AS(ctnn::load_model_text_into(other, text), ctnn::model_file_error);
  CHECK(bitwise_equal(other, untouched));

  SoftplusNet softplus{};
  CHECK_THROWS_AS(ctnn::load_model_text_into(softplus, text), ctnn::model_file_error);
}
