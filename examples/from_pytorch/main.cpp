// A PyTorch model in C++: train.py trained it, ctnn-export wrote breast_cancer_model.hpp (the constexpr
// model, its type spelled out, and a --check static_assert against PyTorch's outputs), and train.py
// wrote breast_cancer_held_out.hpp (samples it did not train on). The compiler checks the shape and
// the held-out accuracy; at run time the program prints the predictions.

#include <cstddef>
#include <cstdio>
#include <type_traits>

#include "breast_cancer_held_out.hpp"
#include "breast_cancer_model.hpp"

using Model = std::remove_const_t<decltype(breast_cancer)>;
static_assert(Model::inputs == 30 && Model::outputs == 1 && Model::layer_count == 3,
              "30 raw features in (the first layer standardises them), one probability of benign out");

/// The model's probability of benign for held-out sample k, from its features as the CSV has them.
constexpr float probability_benign(std::size_t k)
{
  Model::input_type x{};
  for (std::size_t i = 0; i < Model::inputs; ++i) x.values[i] = static_cast<float>(held_out_features[k][i]);
  return breast_cancer.predict(x).values[0];
}

constexpr std::size_t correct_held_out()
{
  std::size_t correct = 0;
  for (std::size_t k = 0; k < held_out_count; ++k)
    if ((probability_benign(k) > 0.5f) == (held_out_labels[k] == 1)) ++correct;
  return correct;
}

static_assert(correct_held_out() == held_out_correct_by_pytorch,
              "ctnn classifies the held-out samples as PyTorch does");
static_assert(correct_held_out() * 100 >= held_out_count * 95, "held-out accuracy of at least 95 %");

int main()
{
  constexpr const char* names[] = {"malignant", "benign"};
  std::printf("sample  P(benign)  predicted   true\n");
  for (std::size_t k = 0; k < held_out_count; ++k) {
    const float p = probability_benign(k);
    std::printf("%6zu  %9.6f  %-10s  %s%s\n", k, static_cast<double>(p), names[p > 0.5f ? 1 : 0],
                names[held_out_labels[k]], (p > 0.5f) == (held_out_labels[k] == 1) ? "" : "  <- wrong");
  }
  constexpr std::size_t correct = correct_held_out();
  std::printf("held-out accuracy %.4f (%zu / %zu), checked by the compiler\n",
              static_cast<double>(correct) / static_cast<double>(held_out_count), correct, held_out_count);
}
