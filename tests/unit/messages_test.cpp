// Runtime messages name the optimizer, initialiser or option, the parameter and its value, in the
// value's own type (the shortest decimal that reads back to it).

#include <catch2/catch.hpp>

#include <limits>
#include <stdexcept>

#include <ctnn/core.hpp>

namespace {

using Net = ctnn::Network<ctnn::Dense<2, 2, ctnn::Sigmoid>, ctnn::Dense<2, 1, ctnn::Sigmoid>>;
using FloatNet = ctnn::Network<ctnn::Dense<2, 2, ctnn::Sigmoid, float>, ctnn::Dense<2, 1, ctnn::Sigmoid, float>>;

template <class Initializer, class Model>
void initialize_fresh(const Initializer& init, Model net)
{
  ctnn::Random rng{ctnn::Seed{1}};
  ctnn::initialize(net, init, rng);
}

}  // namespace

TEST_CASE("messages: optimizers name themselves, the parameter and its value")
{
  constexpr double inf = std::numeric_limits<double>::infinity();
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(ctnn::SGD{-0.01}.validate(), "ctnn: SGD: learning rate -0.01 must be positive and finite");
  CHECK_THROWS_WITH(ctnn::SGD{inf}.validate(), "ctnn: SGD: learning rate inf must be positive and finite");
  CHECK_THROWS_WITH(ctnn::Momentum{0.0}.validate(), "ctnn: Momentum: learning rate 0 must be positive and finite");
  CHECK_THROWS_WITH((ctnn::Momentum{0.1, 1.5}.validate()), "ctnn: Momentum: momentum 1.5 must be in [0, 1)");
  CHECK_THROWS_WITH((ctnn::Momentum{0.1, nan}.validate()), "ctnn: Momentum: momentum nan must be in [0, 1)");
  CHECK_THROWS_WITH(ctnn::Adam{-0.01}.validate(), "ctnn: Adam: learning rate -0.01 must be positive and finite");
  CHECK_THROWS_WITH((ctnn::Adam<double>{.beta1 = 1.0}.validate()), "ctnn: Adam: beta1 1 must be in [0, 1)");
  CHECK_THROWS_WITH((ctnn::Adam<double>{.beta2 = -0.5}.validate()), "ctnn: Adam: beta2 -0.5 must be in [0, 1)");
  CHECK_THROWS_WITH((ctnn::Adam<double>{.epsilon = 0.0}.validate()),
                    "ctnn: Adam: epsilon 0 must be positive and finite");
  CHECK_THROWS_AS(ctnn::Adam{-0.01}.validate(), std::invalid_argument);
}

TEST_CASE("messages: a float hyper-parameter is shown as the float it is, not as its double expansion")
{
  // 0.1f is 0.100000001490116...: the message shows the float's shortest form.
  CHECK_THROWS_WITH((ctnn::Momentum<float>{-0.1f}.validate()),
                    "ctnn: Momentum: learning rate -0.1 must be positive and finite");
  CHECK_THROWS_WITH((ctnn::Adam<float>{.beta2 = 1.1f}.validate()), "ctnn: Adam: beta2 1.1 must be in [0, 1)");
}

TEST_CASE("messages: fit names the option and its value")
{
  Net net = ctnn::initialized<Net>(ctnn::Uniform01{}, ctnn::Seed{1});
  const auto data = ctnn::datasets::xor_gate();  // 4 samples
  CHECK_THROWS_WITH(ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 0}),
                    "ctnn: fit: option epochs 0 must be at least 1");
  CHECK_THROWS_WITH(ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 1, .batch_size = 7}),
                    "ctnn: fit: option batch_size 7 must be at least 1 and at most the data set's size 4");
  CHECK_THROWS_WITH(ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::Adam{-0.01}, {.epochs = 1}),
                    "ctnn: Adam: learning rate -0.01 must be positive and finite");
}

TEST_CASE("messages: Uniform names its range and the scalar type it was checked in")
{
  CHECK_THROWS_WITH(initialize_fresh(ctnn::Uniform{1.0, 0.5}, Net{}),
                    "ctnn: Uniform: range [1, 0.5) must have low < high in double, each finite and within half of "
                    "double's largest value");
  // 1e300 fits a double but not a float network.
  CHECK_THROWS_WITH(initialize_fresh(ctnn::Uniform{-1.0, 1e300}, FloatNet{}),
                    "ctnn: Uniform: range [-1, 1e+300) must have low < high in float, each finite and within half of "
                    "float's largest value");
}
