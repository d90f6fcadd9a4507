// Breast cancer (569 tumours, 30 features of their cell nuclei, malignant or benign), read from
// data/breast_cancer.csv at runtime: a network whose first layer standardises the raw features is
// trained with validation data and early stopping, evaluated on held-out samples, saved, and reloaded
// into a fresh network that must predict the same on raw features. Then the compile-time proof: the
// recipe of breast_cancer_recipe.hpp, trained by the compiler on the header ctnn_add_dataset made
// from the same file, equals the same recipe trained here on the data read_csv read, bit for bit.
//
//   breast_cancer [data/breast_cancer.csv] [model file to write, default ctnn-breast-cancer.model in
//                 the temporary directory]

#include <bit>
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include <ctnn/ctnn.hpp>

#include "breast_cancer.hpp"  // made by ctnn_add_dataset from data/breast_cancer.csv
#include "breast_cancer_recipe.hpp"

// Trained while compiling this file, on the generated header's data.
constexpr breast_cancer_recipe::Model trained_by_compiler =
    breast_cancer_recipe::train(ctnn::datasets::breast_cancer<double>()).model;

namespace {

/// Raw features in, standardised by the first layer (mean and deviation of the training part).
using Model = ctnn::Network<ctnn::Standardize<30>, ctnn::Dense<30, 8, ctnn::Tanh>, ctnn::Dense<8, 1, ctnn::Sigmoid>>;

constexpr ctnn::Seed seed{7};
constexpr std::size_t max_epochs = 200;

void report(const char* name, const Model& model, const auto& data)
{
  const auto result = ctnn::evaluate(model, data, ctnn::BinaryCrossEntropy{});
  std::printf("%-10s accuracy %.4f (%zu / %zu), mean loss %.6f\n", name, result.accuracy(), result.correct,
              result.samples, result.mean_loss());
}

int run(const std::string& csv, const std::string& model_path)
{
  const auto data = ctnn::read_csv<30, 1>(csv, {.header = ctnn::CsvHeader::sklearn});
  std::printf("read %zu samples of 30 features from %s\n\n", data.size(), csv.c_str());
  // A fifth held out, then a fifth of the rest for validation, each keeping the share of each class.
  const auto outer = ctnn::stratified_split(data, data.size() / 5, ctnn::Seed{1});
  const auto inner = ctnn::stratified_split(outer.train, outer.train.size() / 5, ctnn::Seed{2});
  const auto& train = inner.train;
  const auto& validation = inner.test;
  const auto& test = outer.test;

  Model model = ctnn::initialized<Model>(ctnn::XavierUniform{}, seed);
  model.layer<0>() = ctnn::Standardize<30>::measure(train);
  ctnn::summary(model);
  std::printf(
      "\n%zu training, %zu validation, %zu held-out samples; Adam, batches of 16, shuffled; early stopping on the "
      "validation loss (patience 10, best weights restored)\n\n",
      train.size(), validation.size(), test.size());
  ctnn::EarlyStopping<Model> early{.patience = 10, .restore_best_weights = true};
  ctnn::fit(model, ctnn::with_validation(train, validation), ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.001},
            {.epochs = max_epochs, .batch_size = 16, .shuffle = true, .shuffle_seed = seed},
            ctnn::callbacks(ctnn::Reporter{max_epochs, {.every = 10}}, early));
  if (early.stopped_epoch != 0)
    std::printf("early stopping after epoch %zu: the best validation loss, %.6f, was at epoch %zu\n",
                early.stopped_epoch, static_cast<double>(early.best), early.best_epoch);

  std::printf("\n");
  report("training", model, train);
  report("validation", model, validation);
  report("held out", model, test);
  std::printf("\nconfusion matrix, held-out samples:\n");
  std::fflush(stdout);
  ctnn::print_confusion_matrix(ctnn::confusion_matrix(model, test), {"malignant", "benign"});
  std::cout.flush();

  // The saved model carries its standardisation: a fresh network loaded from the file takes raw
  // features and predicts exactly what the trained one does.
  ctnn::save(model, model_path);
  const Model reloaded = ctnn::load<Model>(model_path);
  std::size_t same = 0;
  for (const auto& sample : test)
    if (std::bit_cast<std::uint64_t>(reloaded.predict(sample.input)[0]) ==
        std::bit_cast<std::uint64_t>(model.predict(sample.input)[0]))
      ++same;
  std::printf("\nsaved to %s and reloaded: the same prediction on %zu of %zu raw held-out samples\n",
              model_path.c_str(), same, test.size());

  // The compile-time proof's recipe, here on the data read at runtime.
  const auto recipe = breast_cancer_recipe::train(data);
  const bool identical = bitwise_equal(recipe.model, trained_by_compiler);
  std::printf("\ncompile-time recipe (30-4-1, %zu epochs): held-out accuracy %.4f\n", breast_cancer_recipe::epochs,
              recipe.held_out.accuracy());
  std::printf("compile-time model: fingerprint %016" PRIx64 "\n", parameter_fingerprint(trained_by_compiler));
  std::printf("runtime model:      fingerprint %016" PRIx64 "\n", parameter_fingerprint(recipe.model));
  std::printf("bit-identical: %s\n", identical ? "yes" : "NO");
  return identical && same == test.size() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv)
{
  const std::string csv = argc > 1 ? argv[1] : CTNN_DATA_DIR "/breast_cancer.csv";
  const std::string model_path =
      argc > 2 ? argv[2] : (std::filesystem::temp_directory_path() / "ctnn-breast-cancer.model").string();
  try {
    return run(csv, model_path);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
