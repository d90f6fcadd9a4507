// ctnn::footprint<Model>: every figure written out by hand from the layer sizes below, and the
// parameter bytes checked against sizeof the model itself.

#include <ctnn/core.hpp>
#include <ctnn/footprint.hpp>

namespace {

// The tutorial's 2-3-1: 2*3 + 3 + 3*1 + 1 = 13 doubles. Vectors of 2, 3, 3 and 1 values.
using Xor = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
static_assert(ctnn::footprint<Xor>.parameter_bytes == 13 * 8);
static_assert(ctnn::footprint<Xor>.activation_bytes == 3 * 8);       // layer 1's output
static_assert(ctnn::footprint<Xor>.activation_pair_bytes == 5 * 8);  // layer 1: 2 in + 3 out
static_assert(ctnn::footprint<Xor>.state_bytes == 0);
static_assert(ctnn::footprint<Xor> == ctnn::Footprint{104, 24, 40, 0});

// Float, with a Standardize layer: 4 means + 4 deviations, 4*8 + 8, 8*3 + 3 = 75 floats. The widest
// vector is the hidden layer's 8; the widest pair the last layer's 8 + 3.
using Iris = ctnn::Network<ctnn::Standardize<4, float>, ctnn::Dense<4, 8, ctnn::Tanh, float>,
                           ctnn::Dense<8, 3, ctnn::Softmax, float>>;
static_assert(ctnn::footprint<Iris> == ctnn::Footprint{75 * 4, 8 * 4, 12 * 4, 0});

// The widest pair need not hold the widest vector: 1 -> 16 -> 16 -> 1 (TF Lite Micro's sine model):
// 16 + 16 + 16*16 + 16 + 16 + 1 = 321 floats; the pair 16 + 16.
using Sine = ctnn::Network<ctnn::Dense<1, 16, ctnn::ReLU, float>, ctnn::Dense<16, 16, ctnn::ReLU, float>,
                           ctnn::Dense<16, 1, ctnn::Identity, float>>;
static_assert(ctnn::footprint<Sine> == ctnn::Footprint{321 * 4, 16 * 4, 32 * 4, 0});
// Here: 100 -> 2 -> 50: the widest vector is the input (100), the widest pair 100 + 2 = 102, not 2 + 50.
using Funnel = ctnn::Network<ctnn::Dense<100, 2, ctnn::ReLU, float>, ctnn::Dense<2, 50, ctnn::Identity, float>>;
static_assert(ctnn::footprint<Funnel> == ctnn::Footprint{(200 + 2 + 100 + 50) * 4, 100 * 4, 102 * 4, 0});

// What the parameters occupy is what the model is: a Network is its stored values, nothing more.
static_assert(sizeof(Xor) == ctnn::footprint<Xor>.parameter_bytes);
static_assert(sizeof(Iris) == ctnn::footprint<Iris>.parameter_bytes);
static_assert(sizeof(Sine) == ctnn::footprint<Sine>.parameter_bytes);

// footprint<decltype(model)> of a constexpr model (a const type) is the type's.
constexpr Xor xor_model{};
static_assert(ctnn::footprint<decltype(xor_model)> == ctnn::footprint<Xor>);
static_assert(ctnn::footprint<const Xor&> == ctnn::footprint<Xor>);

// A stateful layer (layer.hpp's streaming part) adds its state's size; other layers add 0.
// (A stand-in with the sizes of a GRU of 5 units on 3 inputs.)
struct StatefulStandIn {
  using scalar_type = float;
  using input_shape = ctnn::Shape<3>;
  using output_shape = ctnn::Shape<5>;
  using input_type = ctnn::Vector<float, 3>;
  using output_type = ctnn::Vector<float, 5>;
  static constexpr std::string_view kind = "StandIn";
  static constexpr std::size_t parameter_count = 3 * (5 * 3 + 5 * 5 + 5);  // three gates
  ctnn::Vector<float, parameter_count> parameters;
  constexpr output_type operator()(const input_type&) const noexcept { return {}; }
  template <class F>
  constexpr void visit_parameters(F&& f) const
  {
    f(parameters.values);
  }
  template <class F>
  constexpr void visit_parameters(F&& f)
  {
    f(parameters.values);
  }
  struct state_type {
    float hidden[5];
  };
  using step_input_type = input_type;
  using step_output_type = output_type;
  constexpr state_type initial_state() const noexcept { return {}; }
  constexpr step_output_type step(const step_input_type&, state_type&) const noexcept { return {}; }
};
using Recurrent = ctnn::Network<StatefulStandIn, ctnn::Dense<5, 2, ctnn::Identity, float>>;
static_assert(ctnn::footprint<Recurrent> == ctnn::Footprint{(135 + 12) * 4, 5 * 4, 8 * 4, 5 * 4});

// Usable where a budget is checked: the sine model fits a 2 KB flash budget and 256 bytes of RAM.
static_assert(ctnn::footprint<Sine>.parameter_bytes <= 2048 && ctnn::footprint<Sine>.activation_pair_bytes <= 256);

}  // namespace

int main() {}
