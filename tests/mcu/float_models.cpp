// Float on the target (the Cortex-M4's FPU is single precision): the benchmark's two scikit-learn
// models as ctnn-export wrote them (bench/mcu/models: ReLU 1-16-16-1, tanh/softmax 16-16-4), with
// their predictions; and two float recipes trained by the compiler that builds this file and again
// when it runs: XOR through tanh and sigmoid with SGD, Iris through tanh and softmax with Adam on
// categorical cross-entropy in shuffled mini-batches. Every line must equal the build machine's.

#include <cstddef>

#include <ctnn/core.hpp>
#include <ctnn/datasets/iris.hpp>

#include "classifier_model.hpp"  // ctnn-export, from bench/mcu/train.py's scikit-learn models
#include "harness.hpp"
#include "sine_model.hpp"

namespace {

using Xor = ctnn::Network<ctnn::Dense<2, 4, ctnn::Tanh, float>, ctnn::Dense<4, 1, ctnn::Sigmoid, float>>;
using Iris = ctnn::Network<ctnn::Dense<4, 8, ctnn::Tanh, float>, ctnn::Dense<8, 3, ctnn::Softmax, float>>;
constexpr std::size_t xor_epochs = 300;
constexpr std::size_t iris_epochs = 10;
constexpr auto iris_split = ctnn::hold_out_every<5>(ctnn::datasets::iris<float>());

template <class Callback = ctnn::NoCallback>
constexpr Xor train_xor(Callback&& on_epoch = {})
{
  Xor net = ctnn::initialized<Xor>(ctnn::XavierUniform{}, ctnn::Seed{3});
  ctnn::fit(net, ctnn::datasets::xor_gate<float>(), ctnn::MeanSquaredError{}, ctnn::SGD{0.5f}, {.epochs = xor_epochs},
            on_epoch);
  return net;
}

template <class Callback = ctnn::NoCallback>
constexpr Iris train_iris(Callback&& on_epoch = {})
{
  Iris net = ctnn::initialized<Iris>(ctnn::XavierUniform{}, ctnn::Seed{4});
  ctnn::fit(net, iris_split.train, ctnn::CategoricalCrossEntropy{}, ctnn::Adam{0.02f},
            {.epochs = iris_epochs, .batch_size = 8, .shuffle = true, .shuffle_seed = ctnn::Seed{5}}, on_epoch);
  return net;
}

constexpr Xor xor_compiled = train_xor();
constexpr Iris iris_compiled = train_iris();

}  // namespace

int main()
{
  mcu::Report report("float");

  // 64 points of [0, 2 pi) for the sine model, 64 draws of 16 features in [-3, 3) for the classifier.
  mcu::PredictionFingerprint sine;
  mcu::PredictionFingerprint classifier;
  ctnn::Xoshiro256 rng(ctnn::Seed{6});
  for (int i = 0; i < 64; ++i) {
    sine.add(mcu::opaque(sine_model).predict({{static_cast<float>(i) * 0x1.921fb6p-4f}}));
    ctnn::Vector<float, 16> x;
    for (auto& value : x.values) value = ctnn::uniform(rng, -3.0f, 3.0f);
    classifier.add(mcu::opaque(classifier_model).predict(x));
  }
  report.line("sine model predictions", sine.value());
  report.line("classifier model predictions", classifier.value());

  std::size_t epochs = 0;  // callbacks with an effect: the runs cannot be folded into constants
  const auto count = [&](std::size_t, float) { ++epochs; };
  const Xor xor_trained = train_xor(count);
  const Iris iris_trained = train_iris(count);
  report.count("epochs trained when run", epochs, xor_epochs + iris_epochs);
  report.line("xor compile-time fingerprint", parameter_fingerprint(xor_compiled));
  report.line("xor runtime fingerprint", parameter_fingerprint(xor_trained), parameter_fingerprint(xor_compiled));
  report.line("iris compile-time fingerprint", parameter_fingerprint(iris_compiled));
  report.line("iris runtime fingerprint", parameter_fingerprint(iris_trained), parameter_fingerprint(iris_compiled));
  report.line("iris held-out predictions", mcu::predictions_fingerprint(iris_trained, iris_split.test));
  return report.finish();
}
