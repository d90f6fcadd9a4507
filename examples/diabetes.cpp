// Diabetes (442 patients, 10 baseline variables, a measure of disease progression one year later),
// read from data/diabetes.csv at runtime: regression with a network whose first layer standardises
// the raw variables, reported as R² and mean absolute error on held-out patients. (For scale:
// scikit-learn's LinearRegression on the same split gives R² 0.447 and a mean absolute error of 46.5.)
//
//   diabetes [data/diabetes.csv]

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <string>

#include <ctnn/ctnn.hpp>

namespace {

using Model = ctnn::Network<ctnn::Standardize<10>, ctnn::Dense<10, 8, ctnn::Tanh>, ctnn::Dense<8, 1, ctnn::Identity>>;

constexpr ctnn::Seed seed{11};
constexpr std::size_t epochs = 30;

/// The network predicts the target in units of the training targets' deviation from their mean, so
/// that its output layer starts near the right scale; these turn one into the other.
struct TargetScale {
  double mean = 0;
  double deviation = 1;
};

TargetScale measure_targets(const auto& data)
{
  double sum = 0, squares = 0;
  for (const auto& sample : data) sum += sample.target[0];
  const double mean = sum / static_cast<double>(data.size());
  for (const auto& sample : data) squares += (sample.target[0] - mean) * (sample.target[0] - mean);
  return {mean, std::sqrt(squares / static_cast<double>(data.size()))};
}

auto scaled_targets(auto data, const TargetScale& scale)
{
  for (auto& sample : data) sample.target[0] = (sample.target[0] - scale.mean) / scale.deviation;
  return data;
}

/// R² (1 - residual sum of squares / total sum of squares around the data's own mean) and the mean
/// absolute error, in the target's units.
void report(const char* name, const Model& model, const auto& data, const TargetScale& scale)
{
  double mean = 0;
  for (const auto& sample : data) mean += sample.target[0];
  mean /= static_cast<double>(data.size());
  double residual = 0, total = 0, absolute = 0;
  for (const auto& sample : data) {
    const double predicted = model.predict(sample.input)[0] * scale.deviation + scale.mean;
    const double error = predicted - sample.target[0];
    residual += error * error;
    total += (sample.target[0] - mean) * (sample.target[0] - mean);
    absolute += std::fabs(error);
  }
  std::printf("%-9s R² %.3f, mean absolute error %.1f (%zu patients)\n", name, 1 - residual / total,
              absolute / static_cast<double>(data.size()), data.size());
}

int run(const std::string& csv)
{
  // A header line of names: the target is chosen by its name, the inputs are the first ten columns.
  const auto data = ctnn::read_csv<10, 1>(csv, {.header = ctnn::CsvHeader::names, .target_columns = {"progression"}});
  std::printf("read %zu patients of 10 variables from %s\n\n", data.size(), csv.c_str());
  const auto split = ctnn::hold_out_every<5>(data);
  const TargetScale scale = measure_targets(split.train);

  Model model = ctnn::initialized<Model>(ctnn::XavierUniform{}, seed);
  model.layer<0>() = ctnn::Standardize<10>::measure(split.train);
  ctnn::summary(model);
  std::printf("\n%zu training patients, %zu held out (every fifth); Adam on the mean squared error, batches of 16\n\n",
              split.train.size(), split.test.size());
  ctnn::fit(model, scaled_targets(split.train, scale), ctnn::MeanSquaredError{}, ctnn::Adam{0.003},
            {.epochs = epochs, .batch_size = 16, .shuffle = true, .shuffle_seed = seed},
            ctnn::Reporter{epochs, {.every = 10}});

  std::printf("\n");
  report("training", model, split.train, scale);
  report("held out", model, split.test, scale);
  return 0;
}

}  // namespace

int main(int argc, char** argv)
{
  const std::string csv = argc > 1 ? argv[1] : CTNN_DATA_DIR "/diabetes.csv";
  try {
    return run(csv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
