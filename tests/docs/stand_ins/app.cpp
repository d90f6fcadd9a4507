// The app.cpp of a README block that only shows how to link ctnn::ctnn: a small network trained in
// the compiler, which needs what the target gives (C++20, ctnn's headers and Boost's).
#include <ctnn/ctnn.hpp>

using Net = ctnn::Network<ctnn::Dense<2, 2, ctnn::Sigmoid>, ctnn::Dense<2, 1, ctnn::Sigmoid>>;

constexpr Net trained()
{
  Net net = ctnn::initialized<Net>(ctnn::Uniform01{}, ctnn::Seed{1});
  ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 10});
  return net;
}
constexpr Net net = trained();

int main()
{
  return bitwise_equal(net, trained()) ? 0 : 1;  // found by argument-dependent lookup
}
