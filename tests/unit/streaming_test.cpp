// Network::step: a streaming model keeps its layers' states in one value the caller owns, of a size
// known at compile time; reset() goes back to zeros or to a stored resting state. The model itself
// is not changed, so one constexpr model serves several streams.

#include <catch2/catch.hpp>

#include <cstddef>
#include <ctnn/core.hpp>
#include <string_view>

namespace {

// y_t = a y_(t-1) + (1 - a) x_t per channel: a layer with state (the last output), written against
// the streaming part of the layer protocol only.
template <std::size_t N>
struct MovingAverage {
  using scalar_type = double;
  using input_shape = ctnn::Shape<N>;
  using output_shape = ctnn::Shape<N>;
  using input_type = ctnn::Vector<double, N>;
  using output_type = input_type;
  static constexpr std::size_t parameter_count = 0;
  static constexpr std::string_view kind = "MovingAverage";
  double a = 0.75;

  template <class F>
  constexpr void visit_parameters(F&&) const
  {
  }
  template <class F>
  constexpr void visit_parameters(F&&)
  {
  }

  struct state_type {
    ctnn::Vector<double, N> last{};
    friend constexpr bool operator==(const state_type&, const state_type&) = default;
  };
  using step_input_type = input_type;
  using step_output_type = output_type;
  constexpr state_type initial_state() const noexcept { return {}; }
  constexpr step_output_type step(const step_input_type& x, state_type& s) const noexcept
  {
    for (std::size_t i = 0; i < N; ++i) s.last[i] = a * s.last[i] + (1 - a) * x[i];
    return s.last;
  }
  /// A whole input from rest: one step from the initial state.
  constexpr output_type operator()(const input_type& x) const noexcept
  {
    state_type s = initial_state();
    return step(x, s);
  }
};

using Stream = ctnn::Network<ctnn::Dense<1, 2, ctnn::Identity>, MovingAverage<2>, ctnn::Dense<2, 1, ctnn::Identity>>;

constexpr Stream model = [] {
  Stream net{};
  net.layer<0>().weights = {{1.0, -2.0}};
  net.layer<2>().weights = {{1.0, 1.0}};
  return net;
}();

// The state holds what the stateful layer keeps, nothing for the others: a budget to assert on.
static_assert(sizeof(Stream::state_type) >= 2 * sizeof(double));
static_assert(sizeof(Stream::state_type) <= 2 * sizeof(double) + 2 * alignof(double));
static_assert(std::is_same_v<Stream::step_input_type, ctnn::Vector<double, 1>>);

constexpr double after_steps(int count)
{
  auto state = model.initial_state();
  double y = 0;
  for (int t = 0; t < count; ++t) y = model.step({{1.0}}, state)[0];
  return y;
}
// In the compiler: y_t = (1 - 0.75^t) (1 - 2) for a constant input 1, summed over the two channels.
static_assert(after_steps(1) == 0.25 * 1.0 + 0.25 * -2.0);
static_assert(after_steps(2) == (0.75 * 0.25 + 0.25) * 1.0 + (0.75 * 0.25 + 0.25) * -2.0);

}  // namespace

TEST_CASE("streaming: each step advances the caller's state, reset goes back to zeros or a resting state")
{
  auto state = model.initial_state();
  CHECK(state == Stream::state_type{});
  double outputs[4];
  for (double& y : outputs) y = model.step({{1.0}}, state)[0];
  CHECK(outputs[0] == after_steps(1));
  CHECK(outputs[1] == after_steps(2));
  CHECK(outputs[3] == after_steps(4));

  // Two streams, one model: the second does not see the first's state.
  auto other = model.initial_state();
  CHECK(model.step({{1.0}}, other)[0] == outputs[0]);

  // A resting state taken after silence: a reset to it continues as from there, not from zero.
  auto silence = model.initial_state();
  for (int t = 0; t < 3; ++t) model.step({{0.5}}, silence);
  const auto resting = silence;
  model.reset(state, resting);
  CHECK(state == resting);
  auto expected = resting;
  CHECK(model.step({{1.0}}, state)[0] == model.step({{1.0}}, expected)[0]);
  model.reset(state);
  CHECK(state == model.initial_state());
  CHECK(model.step({{1.0}}, state)[0] == outputs[0]);
}
