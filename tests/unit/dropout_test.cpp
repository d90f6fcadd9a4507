// Dropout: the identity at inference; in training a seeded mask, the same in a constant expression
// and at runtime, dropping about the rate and scaling the rest by 1 / (1 - rate), with backward
// through the same mask; a CNN with dropout trained in the compiler and at runtime with the same
// bits; resumed training (one TrainingState over two fit() calls) giving one long run's bits, which
// a fresh state for the second call does not; model files and generated headers.

#include <catch2/catch.hpp>

#include <ctnn/conv2d.hpp>
#include <ctnn/ctnn.hpp>
#include <ctnn/dropout.hpp>
#include <ctnn/flatten.hpp>
#include <ctnn/pooling.hpp>
#include <ctnn/training_state.hpp>
#include <string>

namespace {

using Drop = ctnn::Dropout<ctnn::Shape<400>, std::ratio<1, 4>, 7>;

constexpr Drop::input_type ramp()
{
  Drop::input_type x;
  for (std::size_t i = 0; i < 400; ++i) x.values[i] = 0.5 + static_cast<double>(i) / 64;
  return x;
}

// How many values a step's mask keeps, and whether the kept ones are x / (1 - rate) and the others 0.
struct MaskFacts {
  std::size_t kept;
  bool scaled;
  bool backward_matches;
};
constexpr MaskFacts mask_facts(std::uint64_t step)
{
  Drop layer{};
  layer.step = step;
  const auto x = ramp();
  Drop::cache_type c;
  Drop::output_type y;
  layer.forward(x, c, y);
  MaskFacts facts{0, true, true};
  Drop::output_type dy;
  for (auto& v : dy.values) v = 1.0;
  Drop::gradients g;
  Drop::input_type dx;
  layer.backward<true>(x, c, y, dy, g, dx);
  for (std::size_t i = 0; i < 400; ++i) {
    facts.kept += c.kept[i] ? 1 : 0;
    facts.scaled = facts.scaled && y.values[i] == (c.kept[i] ? x.values[i] * (4.0 / 3.0) : 0.0);
    facts.backward_matches = facts.backward_matches && dx.values[i] == (c.kept[i] ? 4.0 / 3.0 : 0.0);
  }
  return facts;
}

static_assert(Drop{}(ramp()).values[17] == ramp().values[17]);  // inference: the identity
static_assert(mask_facts(0).scaled && mask_facts(0).backward_matches);
static_assert(mask_facts(0).kept > 260 && mask_facts(0).kept < 340);  // about 300 of 400
static_assert(mask_facts(1).kept != mask_facts(0).kept || mask_facts(2).kept != mask_facts(0).kept);

template <class T>
using Net =
    ctnn::Network<ctnn::Conv2D<6, 6, 1, 4, 3, 3, ctnn::ReLU, ctnn::ConvOptions{.padding = ctnn::Padding::same}, T>,
                  ctnn::MaxPool2D<6, 6, 4, 2, 2, ctnn::PoolOptions{}, T>, ctnn::Flatten<ctnn::Shape<3, 3, 4>, T>,
                  ctnn::Dropout<ctnn::Shape<36>, std::ratio<1, 5>, 3, T>, ctnn::Dense<36, 2, ctnn::Softmax, T>>;

template <class T>
constexpr ctnn::Dataset<36, 2, 8, T> bars()
{
  ctnn::Dataset<36, 2, 8, T> data{};
  for (std::size_t i = 0; i < 8; ++i) {
    const std::size_t at = 1 + i % 4;
    const bool horizontal = i >= 4;
    for (std::size_t k = 0; k < 6; ++k) data.samples[i].input.values[horizontal ? at * 6 + k : k * 6 + at] = T(1);
    data.samples[i].target.values[horizontal ? 1 : 0] = T(1);
  }
  return data;
}

constexpr ctnn::FitOptions batches{.epochs = 1, .batch_size = 3, .shuffle = true, .shuffle_seed = ctnn::Seed{9}};

// Epochs a then b with one TrainingState (Resume), or with a fresh state for the second call.
template <class T, bool Resume = true>
constexpr Net<T> trained(std::size_t a, std::size_t b)
{
  auto net = ctnn::initialized<Net<T>>(ctnn::XavierUniform{}, ctnn::Seed{31});
  ctnn::TrainingState<Net<T>, ctnn::Adam<>> state{};
  ctnn::FitOptions options = batches;
  options.epochs = a;
  ctnn::fit(net, bars<T>(), ctnn::CategoricalCrossEntropy{}, ctnn::Adam{0.02}, options, state);
  if (b > 0) {
    options.epochs = b;
    if constexpr (Resume) {
      ctnn::fit(net, bars<T>(), ctnn::CategoricalCrossEntropy{}, ctnn::Adam{0.02}, options, state);
    } else {
      ctnn::TrainingState<Net<T>, ctnn::Adam<>> fresh{};
      fresh.optimizer = state.optimizer;  // only the dropout steps start over... and the epoch count
      fresh.epoch = state.epoch;
      fresh.shuffled_epochs = state.shuffled_epochs;
      fresh.shuffle_seed = state.shuffle_seed;
      boost::hana::at_c<3>(fresh.optimizer.layers).steps = 0;
      ctnn::fit(net, bars<T>(), ctnn::CategoricalCrossEntropy{}, ctnn::Adam{0.02}, options, fresh);
    }
  }
  return net;
}

constexpr auto whole_double = trained<double>(20, 0);
constexpr auto whole_float = trained<float>(20, 0);
constexpr auto resumed_double = trained<double>(12, 8);
static_assert(ctnn::evaluate(whole_double, bars<double>(), ctnn::CategoricalCrossEntropy{}).accuracy() == 1.0);

}  // namespace

TEST_CASE("Dropout masks are the same at runtime, and backward uses them")
{
  for (std::uint64_t step : {0u, 1u, 2u, 1000u}) {
    const MaskFacts runtime = mask_facts(step);
    CHECK(runtime.scaled);
    CHECK(runtime.backward_matches);
  }
  CHECK(mask_facts(0).kept == std::size_t{[] { return mask_facts(0).kept; }()});
  static_assert(mask_facts(5).kept == mask_facts(5).kept);
  constexpr std::size_t at_compile_time = mask_facts(5).kept;
  CHECK(mask_facts(5).kept == at_compile_time);
}

TEST_CASE("dropout: the compile-time models have the same fingerprints on every compiler")
{
  // Constants measured with GCC 12 and Clang 16 (x86-64): the same bits from both compilers.
  CHECK(ctnn::parameter_fingerprint(whole_double) == 0x5cf1663c2e61c376ULL);
  CHECK(ctnn::parameter_fingerprint(whole_float) == 0x1f8fcff9ba59751aULL);
}

TEST_CASE("a CNN with dropout trains at runtime with the compiler's bits, and resumes exactly")
{
  volatile std::size_t epochs = 20;
  CHECK(ctnn::bitwise_equal(trained<double>(epochs, 0), whole_double));
  CHECK(ctnn::bitwise_equal(trained<float>(epochs, 0), whole_float));
  // 12 + 8 epochs through one TrainingState are the 20 epochs' bits, in the compiler and at runtime.
  CHECK(ctnn::bitwise_equal(resumed_double, whole_double));
  CHECK(ctnn::bitwise_equal(trained<double>(epochs - 8, 8), whole_double));
  // Starting the dropout steps over for the second call draws other masks: other bits.
  CHECK_FALSE(ctnn::bitwise_equal(trained<double, false>(12, 8), whole_double));
  // At inference the dropout layer passes values through: predict equals the network without it.
  ctnn::Network<ctnn::Conv2D<6, 6, 1, 4, 3, 3, ctnn::ReLU, ctnn::ConvOptions{.padding = ctnn::Padding::same}>,
                ctnn::MaxPool2D<6, 6, 4, 2, 2>, ctnn::Flatten<ctnn::Shape<3, 3, 4>>, ctnn::Dense<36, 2, ctnn::Softmax>>
      without{};
  without.layer<0>() = whole_double.layer<0>();
  without.layer<3>() = whole_double.layer<4>();
  for (std::size_t i = 0; i < 8; ++i)
    CHECK(whole_double.predict(bars<double>()[i].input)[0] == without.predict(bars<double>()[i].input)[0]);
}

TEST_CASE("Dropout goes through model files and generated headers")
{
  const std::string text = ctnn::model_text(whole_double);
  CHECK(text.find("Dropout 36 36 rate_num=1 rate_den=5 seed=3") != std::string::npos);
  Net<double> loaded{};
  ctnn::load_model_text_into(loaded, text, "dropout.ctnn");
  CHECK(ctnn::bitwise_equal(loaded, whole_double));
  const std::string header = ctnn::model_header(whole_double, "dropout_model");
  CHECK(header.find("ctnn::Dropout<ctnn::Shape<36>, std::ratio<1, 5>, 3, double>") != std::string::npos);
  CHECK(header.find("#include <ctnn/dropout.hpp>\n") != std::string::npos);
}
