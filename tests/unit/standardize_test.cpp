#include <catch2/catch.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <type_traits>

#include <ctnn/ctnn.hpp>
#include <ctnn/datasets/iris.hpp>

namespace {

using Scaled = ctnn::Network<ctnn::Standardize<4>, ctnn::Dense<4, 8, ctnn::Tanh>, ctnn::Dense<8, 3, ctnn::Softmax>>;
using Plain = ctnn::Network<ctnn::Dense<4, 8, ctnn::Tanh>, ctnn::Dense<8, 3, ctnn::Softmax>>;
using ScaledBinary =
    ctnn::Network<ctnn::Standardize<2>, ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
using PlainBinary = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;

/// Every bit of every value the same (parameters() of a Scaled network are its Dense layers').
template <class T, std::size_t N>
bool same_bits(const ctnn::Vector<T, N>& a, const ctnn::Vector<T, N>& b)
{
  for (std::size_t i = 0; i < N; ++i)
    if (std::bit_cast<std::uint64_t>(static_cast<double>(a.values[i])) !=
        std::bit_cast<std::uint64_t>(static_cast<double>(b.values[i])))
      return false;
  return true;
}

/// Iris with the features put on very different scales, so that standardising matters.
ctnn::Dataset<4, 3, 150> raw_iris()
{
  auto data = ctnn::datasets::iris();
  for (auto& sample : data.samples) {
    sample.input.values[0] *= 1000.0;
    sample.input.values[3] -= 40.0;
  }
  return data;
}

/// The raw-data network and the scaled-data network after the same fit() call, for the same seed.
template <class Loss, class Optimizer>
void check_same_training(const Loss& loss, const Optimizer& optimizer, ctnn::FitOptions options)
{
  const auto raw = raw_iris();
  const auto standardizer = ctnn::Standardize<4>::measure(raw);
  const auto scaled = standardizer(raw);

  Scaled with_layer = ctnn::initialized<Scaled>(ctnn::XavierUniform{}, ctnn::Seed{11});
  with_layer.layer<0>() = ctnn::Standardize<4>::measure(raw);
  const auto layer_before = with_layer.layer<0>();
  Plain without = ctnn::initialized<Plain>(ctnn::XavierUniform{}, ctnn::Seed{11});
  REQUIRE(same_bits(with_layer.parameters(), without.parameters()));

  const auto fit_with = ctnn::fit(with_layer, raw, loss, optimizer, options);
  const auto fit_without = ctnn::fit(without, scaled, loss, optimizer, options);
  CHECK(std::bit_cast<std::uint64_t>(fit_with.loss) == std::bit_cast<std::uint64_t>(fit_without.loss));
  CHECK(same_bits(with_layer.parameters(), without.parameters()));
  CHECK(with_layer.parameters() != Scaled{}.parameters());  // it did train
  // The layer is left as it was set.
  CHECK(same_bits(with_layer.layer<0>().mean, layer_before.mean));
  CHECK(same_bits(with_layer.layer<0>().deviation, layer_before.deviation));

  // predict() takes raw features and gives the scaled network's outputs, bit for bit.
  for (std::size_t i = 0; i < raw.size(); i += 7)
    CHECK(same_bits(with_layer.predict(raw.samples[i].input), without.predict(scaled.samples[i].input)));
  const auto e_with = ctnn::evaluate(with_layer, raw, loss);
  const auto e_without = ctnn::evaluate(without, scaled, loss);
  CHECK(std::bit_cast<std::uint64_t>(e_with.loss) == std::bit_cast<std::uint64_t>(e_without.loss));
  CHECK(e_with.correct == e_without.correct);
}

}  // namespace

TEST_CASE("standardize: a network with the layer trained on raw data equals the plain network on scaled data")
{
  SECTION("per-sample SGD, fused softmax and cross-entropy")
  {
    check_same_training(ctnn::CategoricalCrossEntropy{}, ctnn::SGD{0.05}, {.epochs = 3});
  }
  SECTION("shuffled mini-batches with Adam")
  {
    check_same_training(ctnn::CategoricalCrossEntropy{}, ctnn::Adam{0.01},
                        {.epochs = 3, .batch_size = 16, .shuffle = true, .shuffle_seed = ctnn::Seed{5}});
  }
  SECTION("per-sample Momentum, mean squared error (not fused)")
  {
    check_same_training(ctnn::MeanSquaredError{}, ctnn::Momentum{0.01}, {.epochs = 2, .shuffle = true});
  }
  SECTION("full batch SGD")
  {
    check_same_training(ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 4, .batch_size = 150});
  }
  SECTION("sigmoid output with binary cross-entropy, and a TrainingState carried across calls")
  {
    ctnn::Dataset<2, 1, 4> raw = ctnn::datasets::xor_gate();
    for (auto& sample : raw.samples) sample.input.values[1] = sample.input.values[1] * 300.0 + 7.0;
    const auto s = ctnn::Standardize<2>::measure(raw);
    ScaledBinary with_layer = ctnn::initialized<ScaledBinary>(ctnn::Uniform01{}, ctnn::Seed{3});
    with_layer.layer<0>() = s;
    PlainBinary without = ctnn::initialized<PlainBinary>(ctnn::Uniform01{}, ctnn::Seed{3});
    ctnn::TrainingState<ScaledBinary, ctnn::Adam<>> state_with;
    ctnn::TrainingState<PlainBinary, ctnn::Adam<>> state_without;
    for (int call = 0; call < 3; ++call) {
      ctnn::fit(with_layer, raw, ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.05}, {.epochs = 10}, state_with);
      ctnn::fit(without, s(raw), ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.05}, {.epochs = 10}, state_without);
    }
    CHECK(same_bits(with_layer.parameters(), without.parameters()));
  }
}

TEST_CASE("standardize: initialisers skip the layer and give the other layers a plain network's numbers")
{
  const auto check = [](const auto& init) {
    const auto with_layer = ctnn::initialized<Scaled>(init, ctnn::Seed{42});
    const auto without = ctnn::initialized<Plain>(init, ctnn::Seed{42});
    CHECK(same_bits(with_layer.parameters(), without.parameters()));
    CHECK(same_bits(with_layer.template layer<0>().mean, ctnn::Standardize<4>{}.mean));  // left at its default
    CHECK(same_bits(with_layer.template layer<0>().deviation, ctnn::Standardize<4>{}.deviation));
  };
  check(ctnn::Uniform01{});
  check(ctnn::XavierUniform{});
  check(ctnn::HeNormal{});
  check(ctnn::Uniform{-0.5, 0.5});
  // PerLayer with one initialiser per trainable layer, or one per layer (the layer's is unused).
  const auto plain = ctnn::initialized<Plain>(ctnn::PerLayer{ctnn::XavierUniform{}, ctnn::HeNormal{}}, ctnn::Seed{9});
  CHECK(same_bits(
      ctnn::initialized<Scaled>(ctnn::PerLayer{ctnn::XavierUniform{}, ctnn::HeNormal{}}, ctnn::Seed{9}).parameters(),
      plain.parameters()));
  CHECK(same_bits(ctnn::initialized<Scaled>(ctnn::PerLayer{ctnn::Uniform01{}, ctnn::XavierUniform{}, ctnn::HeNormal{}},
                                            ctnn::Seed{9})
                      .parameters(),
                  plain.parameters()));
}

TEST_CASE("standardize: measure() gives the data's numbers, and it computes (x - mean) / deviation")
{
  const auto raw = raw_iris();
  const auto s = ctnn::Standardize<4>::measure(raw);
  const auto layer = ctnn::Standardize<4>::measure(raw);
  CHECK(same_bits(layer.mean, s.mean));
  CHECK(same_bits(layer.deviation, s.deviation));
  for (std::size_t i = 0; i < raw.size(); i += 11)
    CHECK(same_bits(layer(raw.samples[i].input), s(raw.samples[i].input)));

  const ctnn::Standardize<3> by_hand{{{1.0, -2.0, 0.5}}, {{2.0, 4.0, 0.25}}};
  CHECK(by_hand({{3.0, 2.0, 1.0}}) == ctnn::Vector<double, 3>{{1.0, 1.0, 2.0}});
  CHECK(ctnn::Standardize<3>{}({{3.0, -2.0, 1.5}}) == ctnn::Vector<double, 3>{{3.0, -2.0, 1.5}});
}

TEST_CASE("standardize: counts, fingerprint and bitwise_equal cover the layer's values")
{
  STATIC_REQUIRE(Scaled::parameter_count == Plain::parameter_count);
  STATIC_REQUIRE(Scaled::non_trainable_parameter_count == 8);
  STATIC_REQUIRE(Scaled::total_parameter_count == Plain::parameter_count + 8);
  STATIC_REQUIRE(Plain::non_trainable_parameter_count == 0);
  STATIC_REQUIRE(Scaled::trainable_layer_count == 2);
  STATIC_REQUIRE(!ctnn::is_trainable_layer<ctnn::Standardize<4>>);
  STATIC_REQUIRE(ctnn::is_trainable_layer<ctnn::Dense<4, 8, ctnn::Tanh>>);

  const Scaled a = ctnn::initialized<Scaled>(ctnn::Uniform01{}, ctnn::Seed{1});
  Scaled b = a;
  CHECK(bitwise_equal(a, b));
  b.layer<0>().deviation.values[2] = 1.5;
  CHECK_FALSE(bitwise_equal(a, b));
  CHECK(parameter_fingerprint(a) != parameter_fingerprint(b));
  CHECK(same_bits(a.parameters(), b.parameters()));  // the trainable ones are the same

  // stored_values(): the layer's mean and deviation, then the Dense layers' parameters.
  const auto values = b.stored_values();
  CHECK(values.values[0] == 0.0);
  CHECK(values.values[4 + 2] == 1.5);
  CHECK(values.values[8] == b.parameters().values[0]);
  // A plain network's fingerprint is over its parameters, as before.
  const Plain p = ctnn::initialized<Plain>(ctnn::Uniform01{}, ctnn::Seed{1});
  CHECK(same_bits(p.stored_values(), p.parameters()));
}

TEST_CASE("standardize: gradient_check checks only the trainable parameters")
{
  Scaled net = ctnn::initialized<Scaled>(ctnn::XavierUniform{}, ctnn::Seed{8});
  net.layer<0>() = {{{5.8, 3.0, 3.7, 1.2}}, {{0.8, 0.4, 1.7, 0.7}}};
  Plain plain = ctnn::initialized<Plain>(ctnn::XavierUniform{}, ctnn::Seed{8});
  const ctnn::Vector<double, 4> x{{6.1, 2.8, 4.7, 1.2}};
  const ctnn::Vector<double, 3> target{{0.0, 1.0, 0.0}};
  const auto with_layer = ctnn::gradient_check(net, x, target, ctnn::CategoricalCrossEntropy{});
  const auto without = ctnn::gradient_check(plain, net.layer<0>()(x), target, ctnn::CategoricalCrossEntropy{});
  CHECK(with_layer.parameters == Plain::parameter_count);
  CHECK(with_layer.passed(1e-7));
  CHECK(with_layer.worst_parameter == without.worst_parameter);
  CHECK(std::bit_cast<std::uint64_t>(with_layer.max_error) == std::bit_cast<std::uint64_t>(without.max_error));

  // In the middle of a network the layer passes dL/dy / deviation back to the layer before it.
  using Middle = ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh>, ctnn::Standardize<3>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
  Middle middle = ctnn::initialized<Middle>(ctnn::XavierUniform{}, ctnn::Seed{2});
  middle.layer<1>() = {{{0.1, -0.2, 0.3}}, {{0.5, 2.0, 0.25}}};
  const auto check = ctnn::gradient_check(middle, {{0.3, -0.7}}, {{1.0}}, ctnn::MeanSquaredError{});
  CHECK(check.parameters == 13);
  CHECK(check.passed(1e-7));
}

TEST_CASE("standardize: summary shows the layer and its non-trainable values")
{
  std::ostringstream out;
  ctnn::summary(Scaled{}, out);
  CHECK(out.str() ==
        "Model: \"sequential\"\n"
        "__________________________________________________________________\n"
        " Layer (type)                Output Shape              Param #\n"
        "==================================================================\n"
        " standardize_1 (Standardize) (None, 4)                 8\n"
        " dense_1 (Dense)             (None, 8)                 40\n"
        " dense_2 (Dense)             (None, 3)                 27\n"
        "==================================================================\n"
        "Total params: 75\n"
        "Trainable params: 67\n"
        "Non-trainable params: 8\n"
        "__________________________________________________________________\n");
}

TEST_CASE("standardize: runtime-sized data, a schedule and resumed training keep the equality")
{
  const auto raw = raw_iris();
  const ctnn::RuntimeDataset<4, 3> runtime_raw{raw};
  const auto standardizer = ctnn::Standardize<4>::measure(runtime_raw);
  const ctnn::RuntimeDataset<4, 3> runtime_scaled{standardizer(raw)};
  const auto adam = ctnn::with_schedule(ctnn::Adam{0.02}, ctnn::CosineAnnealing{.epochs = 5});
  const ctnn::FitOptions options{.epochs = 2, .batch_size = 10, .shuffle = true, .shuffle_seed = ctnn::Seed{4}};

  Scaled with_layer = ctnn::initialized<Scaled>(ctnn::XavierUniform{}, ctnn::Seed{6});
  with_layer.layer<0>() = ctnn::Standardize<4>::measure(runtime_raw);
  CHECK(same_bits(with_layer.layer<0>().mean, ctnn::Standardize<4>::measure(raw).mean));
  Plain without = ctnn::initialized<Plain>(ctnn::XavierUniform{}, ctnn::Seed{6});
  using Optimizer = std::remove_const_t<decltype(adam)>;
  ctnn::TrainingState<Scaled, Optimizer> state_with;
  ctnn::TrainingState<Plain, Optimizer> state_without;
  // 2 + 2 + 1 epochs, resumed each time.
  for (const std::size_t epochs : {std::size_t{2}, std::size_t{2}, std::size_t{1}}) {
    ctnn::FitOptions part = options;
    part.epochs = epochs;
    ctnn::fit(with_layer, runtime_raw, ctnn::CategoricalCrossEntropy{}, adam, part, state_with);
    ctnn::fit(without, runtime_scaled, ctnn::CategoricalCrossEntropy{}, adam, part, state_without);
  }
  CHECK(state_with.epoch == 5);
  CHECK(same_bits(with_layer.parameters(), without.parameters()));

  // Measuring an empty data set is an error, not a division by zero.
  CHECK_THROWS(ctnn::Standardize<4>::measure(ctnn::RuntimeDataset<4, 3>{}));
}
