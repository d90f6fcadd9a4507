// Layers written outside the library (tests/external/external_layers.hpp) go through everything
// generic: fit at runtime and in a constant expression with the same bits (per-sample SGD, shuffled
// Adam batches), gradient_check, model files (and a file of another configuration is refused),
// generated headers (compiled by tests/emit_header) and the inference form.

#include <catch2/catch.hpp>

#include <ctnn/ctnn.hpp>
#include <string>

#include "../external/external_layers.hpp"

namespace {

using Block = external::Residual<ctnn::Dense<4, 6, ctnn::Tanh>, ctnn::Dense<6, 4, ctnn::Identity>>;
using Net = ctnn::Network<external::ElementwiseScale<2>, ctnn::Dense<2, 4, ctnn::Tanh>, Block,
                          ctnn::Dense<4, 1, ctnn::Sigmoid>>;
// Equal in every shape and parameter count, but the block's first layer is ReLU.
using OtherBlock = external::Residual<ctnn::Dense<4, 6, ctnn::ReLU>, ctnn::Dense<6, 4, ctnn::Identity>>;
using OtherNet = ctnn::Network<external::ElementwiseScale<2>, ctnn::Dense<2, 4, ctnn::Tanh>, OtherBlock,
                               ctnn::Dense<4, 1, ctnn::Sigmoid>>;

constexpr Net train_in_batches(std::size_t epochs)
{
  auto net = ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{5});
  ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.05},
            {.epochs = epochs, .batch_size = 2, .shuffle = true, .shuffle_seed = ctnn::Seed{3}});
  return net;
}

// Per-sample SGD: Dense's fused step beside the external layers' backward + update.
constexpr Net train_per_sample(std::size_t epochs)
{
  auto net = ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{6});
  ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.2}, {.epochs = epochs});
  return net;
}

// ElementwiseScale with a wrong backward pass: the gradient of its shift doubled.
struct BrokenScale : external::ElementwiseScale<2> {
  template <bool NeedInputGradient>
  constexpr void backward(const input_type& x, const cache_type& c, const output_type& y, const output_type& dy,
                          gradients& g, input_type& dx) const noexcept
  {
    external::ElementwiseScale<2>::backward<NeedInputGradient>(x, c, y, dy, g, dx);
    for (auto& s : g.shift.values) s *= 2;
  }
};

constexpr Net batches_in_the_compiler = train_in_batches(150);
constexpr Net samples_in_the_compiler = train_per_sample(150);

// The compiler's model learned XOR.
static_assert(batches_in_the_compiler.predict({{0.0, 1.0}})[0] > 0.9);
static_assert(batches_in_the_compiler.predict({{1.0, 1.0}})[0] < 0.1);
// The external layers' parameters moved away from their identity start.
static_assert(batches_in_the_compiler.layer<0>().scale[0] != 1.0);
static_assert(
    ctnn::gradient_check(batches_in_the_compiler, {{0.3, 0.8}}, {{1.0}}, ctnn::BinaryCrossEntropy{}).passed(1e-6));
static_assert(ctnn::for_inference(batches_in_the_compiler).predict({{1.0, 0.0}})[0] ==
              batches_in_the_compiler.predict({{1.0, 0.0}})[0]);

}  // namespace

TEST_CASE("external layers train at runtime with the compiler's bits")
{
  volatile std::size_t epochs = 150;  // not a constant: trained at runtime
  const Net batches = train_in_batches(epochs);
  const Net samples = train_per_sample(epochs);
  CHECK(ctnn::bitwise_equal(batches, batches_in_the_compiler));
  CHECK(ctnn::parameter_fingerprint(batches) == ctnn::parameter_fingerprint(batches_in_the_compiler));
  CHECK(ctnn::bitwise_equal(samples, samples_in_the_compiler));
  // Training did something: the per-sample model differs from its initial one.
  CHECK_FALSE(ctnn::bitwise_equal(samples, ctnn::initialized<Net>(ctnn::XavierUniform{}, ctnn::Seed{6})));
}

TEST_CASE("external layers pass the gradient check, and a broken backward fails it")
{
  const Net& net = batches_in_the_compiler;
  for (const auto& x : {ctnn::Vector<double, 2>{{0.3, 0.8}}, ctnn::Vector<double, 2>{{-0.4, 0.1}}}) {
    const auto check = ctnn::gradient_check(net, x, {{0.0}}, ctnn::BinaryCrossEntropy{});
    INFO("worst parameter " << check.worst_parameter << ": " << check.backprop_at_worst << " vs "
                            << check.numeric_at_worst);
    CHECK(check.passed(1e-6));
  }
  // The check sees the external layers' own parameters: a layer whose gradient for shift is doubled fails.
  using Broken = ctnn::Network<BrokenScale, ctnn::Dense<2, 1, ctnn::Sigmoid>>;
  Broken broken{};
  broken.layer<0>().scale = {{1.5, -0.5}};
  broken.layer<1>().weights = {{0.4, 0.7}};
  CHECK_FALSE(ctnn::gradient_check(broken, {{0.3, 0.8}}, {{1.0}}, ctnn::BinaryCrossEntropy{}).passed(1e-6));
}

TEST_CASE("external layers go through model files, and a file of another configuration is refused")
{
  const std::string text = ctnn::model_text(batches_in_the_compiler);
  CHECK(text.find("\nlayer 1 ElementwiseScale 2 2\n") != std::string::npos);
  CHECK(text.find("\nlayer 3 Residual 4 4 first=Dense first_activation=tanh second=Dense second_activation=linear\n") !=
        std::string::npos);
  Net loaded{};
  ctnn::load_model_text_into(loaded, text, "external.ctnn");
  CHECK(ctnn::bitwise_equal(loaded, batches_in_the_compiler));

  OtherNet other{};
  try {
    ctnn::load_model_text_into(other, text, "external.ctnn");
    FAIL("a file of a residual block around tanh layers loaded into one around relu layers");
  } catch (const ctnn::model_file_error& e) {
    CHECK(std::string(e.what()) ==
          "ctnn: cannot load model \"external.ctnn\": line 6: layer 3 first_activation: expected "
          "first_activation=relu, found \"first_activation=tanh\"");
  }
  CHECK(ctnn::bitwise_equal(other, OtherNet{}));  // untouched
  CHECK(ctnn::architecture_fingerprint(other) != ctnn::architecture_fingerprint(batches_in_the_compiler));
}

TEST_CASE("external layers are spelled in generated headers and kept in the inference form")
{
  const std::string header = ctnn::model_header(batches_in_the_compiler, "external_model");
  CHECK(header.find("#include <external_layers.hpp>\n") != std::string::npos);
  CHECK(header.find("#include <ctnn/dense.hpp>\n") != std::string::npos);
  CHECK(header.find("ctnn::layer_from_values<external::ElementwiseScale<2, double>>({") != std::string::npos);
  CHECK(header.find("external::Residual<ctnn::Dense<4, 6, ctnn::Tanh, double>, ctnn::Dense<6, 4, ctnn::Identity, "
                    "double>>") != std::string::npos);

  const auto frozen = ctnn::for_inference(batches_in_the_compiler);
  const ctnn::Vector<double, 2> inputs[] = {{{0.0, 0.0}}, {{0.25, 0.5}}, {{1.0, -2.0}}};
  for (const auto& x : inputs) CHECK(frozen.predict(x)[0] == batches_in_the_compiler.predict(x)[0]);
}
