// output_bounds and verify in constant expressions: a bound on a small network's output over a box,
// and a proof that its arg max does not change around a point (both checked by the compiler).

#include <ctnn/bounds.hpp>
#include <ctnn/verify.hpp>

namespace {

// 2 -> 4 (tanh) -> 3 (relu) -> 2, weights written out.
constexpr auto small_network()
{
  ctnn::Network<ctnn::Dense<2, 4, ctnn::Tanh>, ctnn::Dense<4, 3, ctnn::ReLU>, ctnn::Dense<3, 2, ctnn::Identity>> net{};
  constexpr double w0[] = {0.5, -1.0, 1.5, 0.25, -0.75, 0.5, 1.0, 1.0};
  constexpr double w1[] = {1.0, -0.5, 0.25, 0.5, -1.0, 1.0, 0.5, 0.5, 0.75, 0.25, -0.25, 1.0};
  constexpr double w2[] = {1.0, -1.0, 0.5, -0.5, 1.0, 0.25};
  for (std::size_t i = 0; i < 8; ++i) net.layer<0>().weights.values[i] = w0[i];
  for (std::size_t i = 0; i < 12; ++i) net.layer<1>().weights.values[i] = w1[i];
  for (std::size_t i = 0; i < 6; ++i) net.layer<2>().weights.values[i] = w2[i];
  net.layer<1>().bias.values[0] = 0.1;
  net.layer<2>().bias.values[0] = 0.3;
  return net;
}

constexpr auto net = small_network();
constexpr ctnn::Box<double, 2> unit_box{{-1.0, -1.0}, {1.0, 1.0}};
constexpr auto bounds = ctnn::output_bounds(net, unit_box);

// The largest y_0 at a grid of 25 points is 1.49 (at (1, -0.5)); the bounds say 3.52 (the same as
// interval arithmetic's here: tanh's lines are flat).
static_assert(bounds.upper[0] < 3.6);
static_assert(bounds.lower[0] > -2.5);
// Every corner's output lies inside the bounds.
static_assert(net.predict({{1.0, 1.0}})[0] <= bounds.upper[0] && net.predict({{1.0, 1.0}})[0] >= bounds.lower[0]);
static_assert(net.predict({{-1.0, 1.0}})[1] <= bounds.upper[1] && net.predict({{-1.0, 1.0}})[1] >= bounds.lower[1]);
// Linear bounds are no looser than intervals here.
static_assert(bounds.upper[0] - bounds.lower[0] <= ctnn::output_bounds(net, unit_box, {.linear = false}).upper[0] -
                                                       ctnn::output_bounds(net, unit_box, {.linear = false}).lower[0]);

// Class 0 wins at (0.5, -0.5) and within 0.05 of it: proven.
constexpr double centre[] = {0.5, -0.5};
static_assert(net.predict({{0.5, -0.5}})[0] > net.predict({{0.5, -0.5}})[1]);
constexpr auto robust = ctnn::verify(net, ctnn::Property<double, 2, 2>::around(centre, 0.05).require_arg_max(0));
static_assert(robust.verdict == ctnn::Verdict::holds);
static_assert(robust.margin > 0);
// Over the whole box it is not: verify finds an input where class 1 wins, and predict agrees.
constexpr auto everywhere = ctnn::verify(net, ctnn::Property<double, 2, 2>::in_box(unit_box).require_arg_max(0));
static_assert(everywhere.verdict == ctnn::Verdict::violated);
static_assert(net.predict({{everywhere.counterexample[0], everywhere.counterexample[1]}})[1] >=
              net.predict({{everywhere.counterexample[0], everywhere.counterexample[1]}})[0]);

}  // namespace

int main() {}
