// Cars (data/cars.csv: 406 cars of model years 1970-1982): where was a car made, Europe, Japan or
// the USA, given six measurements? The file is read as it is: the class is a column of names
// (Origin), 14 rows have a missing value (NA), and three columns are not used (Name, Year and the
// class itself are text). read_csv chooses the columns by name, leaves out the rows with a missing
// value and names the classes; a stratified split keeps the classes' shares; a network whose first
// layer standardises the raw measurements is trained and judged class by class (precision, recall,
// F1, as scikit-learn's classification_report). The same file, read at build time by
// ctnn_add_dataset with the same options, gives the same samples and class names in the compiler.
// Then every car again, the 14 with a missing value too: read_csv keeps a missing input as NaN, the
// model's first layer (Impute) fills it with the training split's median, and balanced class weights
// (as scikit-learn's class_weight="balanced") make the rarer Europe and Japan count as much as the
// USA; the model file keeps the medians and the class names, and names the class of a car whose
// miles per gallon are missing.
//
//   cars [data/cars.csv] [file to write the held-out part to, default ctnn-cars-held-out.csv in the
//        temporary directory]

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include <ctnn/class_weights.hpp>
#include <ctnn/ctnn.hpp>
#include <ctnn/impute.hpp>
#include <ctnn/metrics.hpp>
#include <ctnn/metrics_io.hpp>

#include "cars.hpp"  // made by ctnn_add_dataset from data/cars.csv (examples/CMakeLists.txt)

// The header's class names and samples, in constant expressions: Origin's names, sorted.
static_assert(ctnn::datasets::cars_class_names[0] == "Europe" && ctnn::datasets::cars_class_names[1] == "Japan" &&
              ctnn::datasets::cars_class_names[2] == "USA");
static_assert(ctnn::datasets::cars<double>().size() == 392);  // 406 rows, 14 with a missing value
static_assert(ctnn::datasets::cars_input_names[3] == "Horsepower");

namespace {

constexpr std::size_t features = 6;
using Model = ctnn::Network<ctnn::Standardize<features>, ctnn::Dense<features, 16, ctnn::Tanh>,
                            ctnn::Dense<16, 3, ctnn::Softmax>>;

using ImputingModel = ctnn::Network<ctnn::Impute<features>, ctnn::Standardize<features>,
                                    ctnn::Dense<features, 16, ctnn::Tanh>, ctnn::Dense<16, 3, ctnn::Softmax>>;

/// How the example reads the file; examples/CMakeLists.txt gives ctnn_add_dataset the same.
const ctnn::CsvOptions options{
    .header = ctnn::CsvHeader::names,
    .targets = ctnn::CsvTargets::class_label,
    .input_columns = {"Miles_per_Gallon", "Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration"},
    .target_columns = {"Origin"},
    .na_policy = ctnn::CsvNaPolicy::drop_row,
};

template <class A, class B>
bool same_bits(const A& a, const B& b)
{
  if (a.size() != b.size()) return false;
  for (std::size_t s = 0; s < a.size(); ++s) {
    for (std::size_t i = 0; i < A::inputs; ++i)
      if (std::bit_cast<std::uint64_t>(a[s].input.values[i]) != std::bit_cast<std::uint64_t>(b[s].input.values[i]))
        return false;
    for (std::size_t k = 0; k < A::outputs; ++k)
      if (std::bit_cast<std::uint64_t>(a[s].target.values[k]) != std::bit_cast<std::uint64_t>(b[s].target.values[k]))
        return false;
  }
  return true;
}

// Every car, missing values kept: Impute, then Standardize, trained with balanced class weights.
bool every_car(const std::string& csv)
{
  ctnn::CsvOptions keep = options;
  keep.na_policy = ctnn::CsvNaPolicy::keep;
  ctnn::CsvReport report;
  const auto data = ctnn::read_csv<features, 3>(csv, keep, report);
  std::size_t missing = 0;
  for (const std::size_t count : report.missing_inputs) missing += count;
  std::printf("\nevery car: %zu of %zu read, %zu missing values kept as NaN for the Impute layer\n", data.size(),
              report.rows, missing);
  const auto split = ctnn::stratified_split(data, data.size() / 5, ctnn::Seed{1});
  ImputingModel model = ctnn::initialized<ImputingModel>(ctnn::XavierUniform{}, ctnn::Seed{7});
  // Both measured on the training split: the medians without the missing values, then the scaling
  // of the columns as the Impute layer fills them.
  model.layer<0>() = ctnn::Impute<features>::measure(split.train, ctnn::ImputeStrategy::median);
  model.layer<1>() = ctnn::Standardize<features>::measure(model.layer<0>()(split.train));
  const auto weights = ctnn::balanced_class_weights(split.train);
  std::printf("balanced class weights: %s %.4f, %s %.4f, %s %.4f\n\n", data.class_names()[0].c_str(), weights.values[0],
              data.class_names()[1].c_str(), weights.values[1], data.class_names()[2].c_str(), weights.values[2]);
  ctnn::summary(model, data.class_names());
  constexpr std::size_t epochs = 150;
  std::printf("\n");
  ctnn::fit(model, split.train, ctnn::class_weighted(ctnn::CategoricalCrossEntropy{}, weights), ctnn::Adam{0.005},
            {.epochs = epochs, .batch_size = 16, .shuffle = true, .shuffle_seed = ctnn::Seed{7}},
            ctnn::Reporter{epochs, {.every = 50}});
  std::printf("\nheld-out cars (missing values included), class by class, with balanced class weights:\n\n");
  ctnn::print_classification_report(ctnn::classification_report(model, split.test), split.test.class_names());
  std::printf("\n");
  std::fflush(stdout);
  ctnn::print_confusion_matrix(ctnn::confusion_matrix(model, split.test), split.test.class_names());
  std::cout.flush();

  // The model file keeps the medians, the scaling and the class names.
  const auto path = std::filesystem::temp_directory_path() / "ctnn-cars-imputing.model";
  ctnn::save(model, path, data.class_names());
  ImputingModel loaded{};
  std::vector<std::string> names;
  ctnn::load_into(loaded, path, &names);
  std::filesystem::remove(path);
  // The citroen ds-21 pallas (line 12), whose miles per gallon are missing.
  constexpr double missing_value = std::numeric_limits<double>::quiet_NaN();
  const ctnn::Vector<double, features> citroen{{missing_value, 4, 133, 115, 3090, 17.5}};
  const bool same =
      ctnn::parameter_fingerprint(loaded) == ctnn::parameter_fingerprint(model) && names == data.class_names();
  std::printf(
      "\nsaved and loaded with its medians and class names: %s; the citroen ds-21 pallas (miles per gallon "
      "missing) was made in: %s\n",
      same ? "the same model" : "DIFFERENT", std::string(ctnn::predicted_class_name(loaded, citroen, names)).c_str());
  return same;
}

int run(const std::string& csv, const std::string& held_out_path)
{
  ctnn::CsvReport report;
  const auto data = ctnn::read_csv<features, 3>(csv, options, report);
  std::printf("read %zu of %zu cars from %s: %zu rows with a missing value left out (lines", data.size(), report.rows,
              csv.c_str(), report.dropped_rows);
  for (const std::size_t line : report.dropped_lines) std::printf(" %zu", line);
  std::printf(")\nmissing values:");
  for (std::size_t i = 0; i < features; ++i)
    if (report.missing_inputs[i] != 0)
      std::printf(" %s %zu", std::string(ctnn::datasets::cars_input_names[i]).c_str(), report.missing_inputs[i]);
  std::size_t counts[3] = {};
  for (const auto& sample : data) ++counts[ctnn::predicted_class(sample.target)];
  std::printf("\nclasses: %s (%zu), %s (%zu), %s (%zu)\n", data.class_names()[0].c_str(), counts[0],
              data.class_names()[1].c_str(), counts[1], data.class_names()[2].c_str(), counts[2]);
  const bool same_as_header = same_bits(data, ctnn::datasets::cars<double>());
  std::printf("the generated header holds the same %zu samples: %s\n\n", data.size(), same_as_header ? "yes" : "NO");

  // A fifth held out, each class keeping its share; the classes' names go with both parts.
  const auto split = ctnn::stratified_split(data, data.size() / 5, ctnn::Seed{1});
  Model model = ctnn::initialized<Model>(ctnn::XavierUniform{}, ctnn::Seed{7});
  model.layer<0>() = ctnn::Standardize<features>::measure(split.train);  // raw measurements in
  ctnn::summary(model);
  constexpr std::size_t epochs = 150;
  std::printf("\n%zu training and %zu held-out cars; Adam, batches of 16, shuffled\n\n", split.train.size(),
              split.test.size());
  ctnn::fit(model, split.train, ctnn::CategoricalCrossEntropy{}, ctnn::Adam{0.005},
            {.epochs = epochs, .batch_size = 16, .shuffle = true, .shuffle_seed = ctnn::Seed{7}},
            ctnn::Reporter{epochs, {.every = 25}});

  std::printf("\nheld-out cars, class by class:\n\n");
  ctnn::print_classification_report(ctnn::classification_report(model, split.test), split.test.class_names());
  std::printf("\n");
  std::fflush(stdout);
  ctnn::print_confusion_matrix(ctnn::confusion_matrix(model, split.test), split.test.class_names());
  std::cout.flush();

  // The held-out part as CSV (for scikit-learn, say), which reads back to the same bits.
  ctnn::write_csv(
      split.test, held_out_path,
      {.input_names = {"Miles_per_Gallon", "Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration"},
       .target_names = {"Origin"}});
  const auto again = ctnn::read_csv<features, 3>(held_out_path, {.header = ctnn::CsvHeader::names,
                                                                 .targets = ctnn::CsvTargets::class_label,
                                                                 .class_names = split.test.class_names()});
  const bool round_trip = same_bits(again, split.test);
  std::printf("\nheld-out part written to %s and read back: %s\n", held_out_path.c_str(),
              round_trip ? "the same samples, bit for bit" : "DIFFERENT");
  return same_as_header && round_trip && every_car(csv) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv)
{
  const std::string csv = argc > 1 ? argv[1] : CTNN_DATA_DIR "/cars.csv";
  const std::string held_out =
      argc > 2 ? argv[2] : (std::filesystem::temp_directory_path() / "ctnn-cars-held-out.csv").string();
  try {
    return run(csv, held_out);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
