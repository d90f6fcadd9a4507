// A user of ctnn: includes <ctnn/ctnn.hpp> and links ctnn::ctnn, with no flags of its own.
//
// The compiler trains a 2-2-1 sigmoid network on XOR for 8000 epochs. That is past both compilers'
// default constant-evaluation budgets (GCC 12 stops after about 4300 epochs of this run, Clang 16
// after about 1300), so this file compiles only if the budgets set on ctnn::ctnn reached this target.
// main() trains the same network at runtime and passes only if both models have the same bits.

#include <cinttypes>
#include <cstddef>
#include <cstdio>

#include <ctnn/ctnn.hpp>

#include "labels.hpp"        // from labels.csv: class names, rows with a missing value left out
#include "measurements.hpp"  // made by ctnn_add_dataset from measurements.csv
#include "pairs.hpp"         // and from pairs.csv

using Model = ctnn::Network<ctnn::Dense<2, 2, ctnn::Sigmoid>, ctnn::Dense<2, 1, ctnn::Sigmoid>>;

inline constexpr std::size_t epochs = 8000;

constexpr Model train(std::size_t epoch_count)
{
  Model model = ctnn::initialized<Model>(ctnn::Uniform01{}, ctnn::Seed{2024});
  ctnn::fit(model, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.5}, {.epochs = epoch_count});
  return model;
}

constexpr Model trained_by_compiler = train(epochs);

static_assert(trained_by_compiler.predict({{0.0, 0.0}})[0] < 0.1);  // 0 XOR 0 = 0
static_assert(trained_by_compiler.predict({{0.0, 1.0}})[0] > 0.9);  // 0 XOR 1 = 1
static_assert(trained_by_compiler.predict({{1.0, 0.0}})[0] > 0.9);  // 1 XOR 0 = 1
static_assert(trained_by_compiler.predict({{1.0, 1.0}})[0] < 0.1);  // 1 XOR 1 = 0

// The values of measurements.csv (a header line of names, a class label 0-2), in both scalar types.
inline constexpr auto measurements = ctnn::datasets::measurements<double>();
static_assert(measurements.size() == 3);
static_assert(measurements.samples[0].input.values[0] == 0.1 && measurements.samples[0].input.values[1] == -2.5);
static_assert(measurements.samples[1].input.values[0] == 1e-3 && measurements.samples[2].input.values[0] == 7.0);
static_assert(measurements.samples[0].target.values[1] == 1.0 && measurements.samples[0].target.values[0] == 0.0);
static_assert(measurements.samples[2].target.values[2] == 1.0 && measurements.samples[1].target.values[0] == 1.0);
static_assert(ctnn::datasets::measurements<float>().samples[0].input.values[0] == 0.1f);
static_assert(ctnn::datasets::measurements_input_names[1] == "width, in cm");
static_assert(ctnn::datasets::measurements_target_names[0] == "species");
// pairs.csv: no header, one numeric target, float only.
static_assert(ctnn::datasets::pairs().size() == 2);
static_assert(ctnn::datasets::pairs().samples[1].input.values[0] == -0.125f);
static_assert(ctnn::datasets::pairs().samples[1].target.values[0] == 400.0f);
// labels.csv: s1 and s4 have a missing value; the classes are the labels, sorted.
static_assert(ctnn::datasets::labels().size() == 3);
static_assert(ctnn::datasets::labels_class_names[0] == "large" && ctnn::datasets::labels_class_names[1] == "small");
static_assert(ctnn::datasets::labels().samples[1].input.values[0] == 0.5);   // s3
static_assert(ctnn::datasets::labels().samples[1].target.values[1] == 1.0);  // small
static_assert(ctnn::datasets::labels().samples[2].target.values[0] == 1.0);  // s5: large

int main()
{
  volatile std::size_t runtime_epochs = epochs;  // not a constant: the optimizer cannot fold the run away
  const Model trained_at_runtime = train(runtime_epochs);
  const bool identical = bitwise_equal(trained_at_runtime, trained_by_compiler);
  std::printf("compile-time model: fingerprint %016" PRIx64 "\n", parameter_fingerprint(trained_by_compiler));
  std::printf("runtime model:      fingerprint %016" PRIx64 "\n", parameter_fingerprint(trained_at_runtime));
  std::printf("bit-identical: %s\n", identical ? "yes" : "NO");
  return identical ? 0 : 1;
}
