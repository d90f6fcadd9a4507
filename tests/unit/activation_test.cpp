#include <catch2/catch.hpp>

#include <cmath>

#include <ctnn/activation.hpp>

// Expected values come from <cmath> (an independent implementation) or are exact by hand.

TEST_CASE("activation: Sigmoid forward is 1 / (1 + e^-h) and backward is y (1 - y) dy")
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

TEST_CASE("activation: ReLU passes positives, zeroes the rest, and its derivative at 0 is 0")
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
