// ctnn's side of bench/cnn_pytorch: the digits CNN of examples/digits_cnn_recipe.hpp trained at
// runtime (per-sample SGD, learning rate 0.05, two epochs, every fifth image held out) and single
// images classified one by one, timed; torch_cnn.py does the same in PyTorch and run.sh prints both.

#include <chrono>
#include <cstdio>

#include "digits_cnn_recipe.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start)
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main()
{
  using namespace digits_cnn_recipe;
  constexpr int training_runs = 20;
  digits_cnn_recipe::Model model{};
  const auto start = std::chrono::steady_clock::now();
  for (int run = 0; run < training_runs; ++run) model = train();
  const double training = seconds_since(start) / training_runs;
  const auto held_out = ctnn::evaluate(model, test_set, ctnn::CategoricalCrossEntropy{});

  constexpr int inference_rounds = 200;
  double checksum = 0;
  const auto infer_start = std::chrono::steady_clock::now();
  for (int round = 0; round < inference_rounds; ++round)
    for (std::size_t i = 0; i < test_set.size(); ++i) checksum += model.predict(test_set[i].input)[round % 10];
  const double inference = seconds_since(infer_start);
  const double images = static_cast<double>(inference_rounds) * static_cast<double>(test_set.size());

  std::printf(
      "ctnn    train %.4f s per run (%.0f samples/s), held-out accuracy %.4f, inference %.0f images/s "
      "(checksum %.3f)\n",
      training, static_cast<double>(epochs * train_set.size()) / training, held_out.accuracy(), images / inference,
      checksum);
}
