// A reference point for bench/compile.sh, not a ctnn workload: the digits recipe (64-16-10
// ReLU/softmax, categorical cross-entropy, per-sample SGD, lr 0.05, 1438 samples x 2 epochs in 20
// stages, ctnn's initial weights and standardised data) trained by hand-written plain loops over
// plain arrays, one call per sample besides exp and log, then the held-out accuracy checked. The data
// preparation (split, standardisation) and the initial weights are ctnn's, as in examples/digits.cpp,
// so the difference between the two workloads is what ctnn's training and evaluation cost beyond this.
// Same arithmetic per value as ctnn, except that the softmax's exponentials and their sum are computed
// once and shared with the loss (ctnn's fused loss computes the same values again, with the same
// bits). With -DCTNN_FLOOR_CHECK_BITS the program compares its parameters with one runtime fit().

#include <cstddef>

#include <ctnn/core.hpp>
#include <ctnn/staged.hpp>

#include "digits_recipe.hpp"

namespace {

struct Parameters {
  double w1[16 * 64], b1[16], w2[10 * 16], b2[10];
};

constexpr double rate = digits_recipe::learning_rate;

// One training step; returns the sample's loss.
constexpr double train_sample(Parameters& p, const double (&x)[64], const double (&target)[10])
{
  double h1[16], y1[16], h2[10], y2[10], d2[10], dx[16];
  for (std::size_t i = 0; i < 16; ++i) {
    double sum = p.w1[i * 64] * x[0];
    for (std::size_t j = 1; j < 64; ++j) sum += p.w1[i * 64 + j] * x[j];
    h1[i] = sum + p.b1[i];
    y1[i] = h1[i] < 0.0 ? 0.0 : h1[i];
  }
  for (std::size_t i = 0; i < 10; ++i) {
    double sum = p.w2[i * 16] * y1[0];
    for (std::size_t j = 1; j < 16; ++j) sum += p.w2[i * 16 + j] * y1[j];
    h2[i] = sum + p.b2[i];
  }
  double largest = h2[0];
  for (std::size_t i = 1; i < 10; ++i)
    if (h2[i] > largest) largest = h2[i];
  double exp_sum = 0.0;
  for (std::size_t i = 0; i < 10; ++i) {
    y2[i] = ctnn::math::exp(h2[i] - largest);
    exp_sum += y2[i];
  }
  for (std::size_t i = 0; i < 10; ++i) y2[i] /= exp_sum;
  const double log_exp_sum = ctnn::math::log(exp_sum);
  double target_sum = 0.0;
  for (std::size_t i = 0; i < 10; ++i) target_sum += target[i];
  double loss = 0.0;
  for (std::size_t i = 0; i < 10; ++i) {
    d2[i] = target_sum * y2[i] - target[i];
    if (target[i] != 0.0) loss -= target[i] * ((h2[i] - largest) - log_exp_sum);
  }
  for (std::size_t j = 0; j < 16; ++j) {
    double sum = 0.0;
    for (std::size_t i = 0; i < 10; ++i) sum += p.w2[i * 16 + j] * d2[i];
    dx[j] = sum;
  }
  for (std::size_t i = 0; i < 10; ++i) {
    for (std::size_t j = 0; j < 16; ++j) p.w2[i * 16 + j] -= rate * (d2[i] * y1[j]);
    p.b2[i] -= rate * d2[i];
  }
  for (std::size_t i = 0; i < 16; ++i) {
    const double delta = h1[i] > 0.0 ? dx[i] : 0.0;
    for (std::size_t j = 0; j < 64; ++j) p.w1[i * 64 + j] -= rate * (delta * x[j]);
    p.b1[i] -= rate * delta;
  }
  return loss;
}

struct Staged {
  static constexpr Parameters start()
  {
    const auto initial = digits_recipe::untrained().parameters();
    Parameters p{};
    std::size_t k = 0;
    for (double& w : p.w1) w = initial[k++];
    for (double& b : p.b1) b = initial[k++];
    for (double& w : p.w2) w = initial[k++];
    for (double& b : p.b2) b = initial[k++];
    return p;
  }
  // Stage k (from 1) trains samples [slice * 144, ...) of the training set, as the recipe's stages do.
  template <std::size_t Stage>
  static constexpr Parameters stage(Parameters p, std::integral_constant<std::size_t, Stage>)
  {
    constexpr std::size_t size = digits_recipe::train_set.size();
    constexpr std::size_t begin = (Stage - 1) % digits_recipe::slices * digits_recipe::slice_size;
    constexpr std::size_t end = size - begin < digits_recipe::slice_size ? size : begin + digits_recipe::slice_size;
    double loss = 0.0;
    for (std::size_t s = begin; s < end; ++s) {
      const auto& sample = digits_recipe::train_set.samples[s];
      loss += train_sample(p, sample.input.values, sample.target.values);
    }
    if (!(loss >= 0.0)) throw "the loss is not finite";
    return p;
  }
};

CTNN_TRAIN_IN_STAGES(trained, Staged, 20);

constexpr std::size_t held_out_correct()
{
  const Parameters& p = trained;
  std::size_t correct = 0;
  for (const auto& sample : digits_recipe::test_set.samples) {
    double y1[16], h2[10];
    for (std::size_t i = 0; i < 16; ++i) {
      double sum = p.w1[i * 64] * sample.input.values[0];
      for (std::size_t j = 1; j < 64; ++j) sum += p.w1[i * 64 + j] * sample.input.values[j];
      sum += p.b1[i];
      y1[i] = sum < 0.0 ? 0.0 : sum;
    }
    std::size_t best = 0;
    for (std::size_t i = 0; i < 10; ++i) {
      double sum = p.w2[i * 16] * y1[0];
      for (std::size_t j = 1; j < 16; ++j) sum += p.w2[i * 16 + j] * y1[j];
      h2[i] = sum + p.b2[i];
      if (h2[i] > h2[best]) best = i;
    }
    if (sample.target.values[best] == 1.0) ++correct;
  }
  return correct;
}

static_assert(held_out_correct() >= 0.9 * 359, "the held-out digits must be classified at least 90% right");

}  // namespace

#ifdef CTNN_FLOOR_CHECK_BITS
#include <cstdio>
#include <cstring>

int main()
{
  const auto model = digits_recipe::train().parameters();
  const Parameters& p = trained;
  double flat[sizeof(Parameters) / sizeof(double)];
  std::memcpy(flat, &p, sizeof flat);
  const bool identical = std::memcmp(flat, model.values, sizeof flat) == 0;
  std::printf("held out %zu / 359, bit-identical to fit(): %s\n", held_out_correct(), identical ? "yes" : "NO");
  return identical ? 0 : 1;
}
#else
int main() {}
#endif
