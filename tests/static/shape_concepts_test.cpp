// The soft twins of the hard shape checks: concepts that answer false instead of stopping the
// build, so each rule the compile-fail tests prove can also be checked here without an error.

#include <ctnn/ctnn.hpp>

namespace {

using ctnn::Dense, ctnn::Sigmoid, ctnn::ReLU, ctnn::Tanh;

// Layers chain when the outputs of one equal the inputs of the next, with one scalar type.
static_assert(ctnn::Chainable<Dense<2, 3, Sigmoid>, Dense<3, 1, Sigmoid>>);
static_assert(!ctnn::Chainable<Dense<2, 3, Sigmoid>, Dense<4, 1, Sigmoid>>);
static_assert(!ctnn::Chainable<Dense<2, 3, Tanh, float>, Dense<3, 1, Tanh, double>>);

static_assert(ctnn::ChainableLayers<Dense<2, 3, Sigmoid>>);
static_assert(ctnn::ChainableLayers<Dense<2, 3, Sigmoid>, Dense<3, 1, Sigmoid>>);
static_assert(ctnn::ChainableLayers<Dense<4, 8, ReLU>, Dense<8, 8, ReLU>, Dense<8, 3, Sigmoid>>);
static_assert(!ctnn::ChainableLayers<Dense<2, 3, Sigmoid>, Dense<4, 1, Sigmoid>>);
static_assert(!ctnn::ChainableLayers<Dense<4, 8, ReLU>, Dense<8, 8, ReLU>, Dense<5, 3, Sigmoid>>);
static_assert(!ctnn::ChainableLayers<>);
static_assert(!ctnn::ChainableLayers<int>);

// Naming an invalid Network type is fine; only instantiating it is an error. The twin lets a test
// ask first.
template <class... Layers>
concept valid_network = ctnn::ChainableLayers<Layers...>;
static_assert(!valid_network<Dense<2, 3, Sigmoid>, Dense<4, 1, Sigmoid>>);

// A data set fits a network when widths and scalar type agree.
using Xor = ctnn::Network<Dense<2, 3, Sigmoid>, Dense<3, 1, Sigmoid>>;
static_assert(ctnn::DatasetFor<ctnn::Dataset<2, 1, 4>, Xor>);
static_assert(!ctnn::DatasetFor<ctnn::Dataset<3, 1, 4>, Xor>);
static_assert(!ctnn::DatasetFor<ctnn::Dataset<2, 2, 4>, Xor>);
static_assert(!ctnn::DatasetFor<ctnn::Dataset<2, 1, 4, float>, Xor>);

// Layers are a concept too, and the network's interface types follow from its ends.
static_assert(ctnn::Layer<Dense<2, 3, Sigmoid>>);
static_assert(!ctnn::Layer<int>);
static_assert(std::same_as<Xor::input_type, ctnn::Vector<double, 2>>);
static_assert(std::same_as<Xor::output_type, ctnn::Vector<double, 1>>);

// Activations are checked by concept against the interface Dense calls.
static_assert(ctnn::Activation<Sigmoid, double, 3>);
static_assert(ctnn::Activation<ReLU, float, 8>);
static_assert(!ctnn::Activation<int, double, 3>);

// Whole forward passes work in constant expressions.
constexpr auto tiny = [] {
  ctnn::Network<Dense<2, 1, ctnn::Identity>> net{};
  net.layer<0>().weights = {{2.0, -1.0}};
  net.layer<0>().bias = {{0.5}};
  return net;
}();
static_assert(tiny.predict({{3.0, 4.0}})[0] == 2.5);

}  // namespace

int main() {}
