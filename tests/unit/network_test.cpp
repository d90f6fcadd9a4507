#include <catch2/catch.hpp>

#include <cmath>

#include <ctnn/ctnn.hpp>

TEST_CASE("network: predict applies the layers in order")
{
  using Net = ctnn::Network<ctnn::Dense<2, 2, ctnn::Identity>, ctnn::Dense<2, 1, ctnn::Identity>>;
  Net net{};
  net.layer<0>().weights = {{1.0, 2.0, -1.0, 0.5}};
  net.layer<0>().bias = {{0.0, 1.0}};
  net.layer<1>().weights = {{3.0, -2.0}};
  net.layer<1>().bias = {{0.25}};
  // layer 1: (1*1 + 2*2 + 0, -1*1 + 0.5*2 + 1) = (5, 1); layer 2: 3*5 - 2*1 + 0.25
  CHECK(net.predict({{1.0, 2.0}})[0] == 13.25);
  CHECK(net({{1.0, 2.0}})[0] == 13.25);
}

TEST_CASE("network: sizes, counts and parameters() in layer order")
{
  using Net = ctnn::Network<ctnn::Dense<4, 8, ctnn::ReLU>, ctnn::Dense<8, 3, ctnn::Sigmoid>>;
  STATIC_REQUIRE(Net::inputs == 4);
  STATIC_REQUIRE(Net::outputs == 3);
  STATIC_REQUIRE(Net::layer_count == 2);
  STATIC_REQUIRE(Net::parameter_count == 4 * 8 + 8 + 8 * 3 + 3);

  Net net{};
  net.layer<0>().weights(0, 0) = 1.5;
  net.layer<0>().bias[7] = 2.5;
  net.layer<1>().weights(2, 7) = 3.5;
  net.layer<1>().bias[0] = 4.5;
  const auto p = net.parameters();
  CHECK(p[0] == 1.5);
  CHECK(p[32 + 7] == 2.5);
  CHECK(p[40 + 2 * 8 + 7] == 3.5);
  CHECK(p[40 + 24] == 4.5);
}

TEST_CASE("network: evaluate_loss sums the loss over the data set")
{
  using Net = ctnn::Network<ctnn::Dense<2, 1, ctnn::Identity>>;
  Net net{};
  net.layer<0>().weights = {{1.0, 1.0}};
  // predictions 0, 1, 1, 2 against 0, 1, 1, 0: only the last is off, by 2
  CHECK(ctnn::evaluate(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}).loss == 2.0);
}
