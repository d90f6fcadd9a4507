// The Mauna Loa CO2 series (741 months): the next month from the last 12, the last 20 % held out.
// A 4-unit GRU trained in the compiler while this file was built (examples/co2_recipe.hpp, checked
// by static_assert in tests/static/co2_proof_test.cpp) and the same recipe at runtime, compared bit
// for bit; a 16-unit GRU trained only at runtime; the seasonal-naive and last-value forecasts and a
// linear AR(12) least-squares fit beside them. Usage: co2 [data/co2.csv]

#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <ctnn/csv.hpp>
#include <ctnn/sequence.hpp>
#include <string>
#include <vector>

#include "co2_recipe.hpp"

// Trained while compiling this file: the stages co2_recipe::small::train_at_runtime runs below.
CTNN_TRAIN_IN_STAGES(trained_by_compiler, co2_recipe::small::Training, 6);

namespace {

#ifndef CTNN_DATA_DIR
#define CTNN_DATA_DIR "data"
#endif

// Least squares min |A c - y| by Householder QR (A: rows x cols, row-major), for the AR(12) fit:
// the normal equations would square the condition number of 13 columns of levels near 400 ppm.
std::vector<double> least_squares(std::vector<double> a, std::vector<double> y, std::size_t rows, std::size_t cols)
{
  for (std::size_t k = 0; k < cols; ++k) {
    double norm = 0;
    for (std::size_t i = k; i < rows; ++i) norm += a[i * cols + k] * a[i * cols + k];
    norm = std::sqrt(norm);
    const double alpha = a[k * cols + k] > 0 ? -norm : norm;
    std::vector<double> v(rows, 0.0);
    for (std::size_t i = k; i < rows; ++i) v[i] = a[i * cols + k];
    v[k] -= alpha;
    double vv = 0;
    for (std::size_t i = k; i < rows; ++i) vv += v[i] * v[i];
    if (vv == 0) continue;
    for (std::size_t j = k; j < cols; ++j) {  // A <- (I - 2 v v^T / v^T v) A
      double dot = 0;
      for (std::size_t i = k; i < rows; ++i) dot += v[i] * a[i * cols + j];
      for (std::size_t i = k; i < rows; ++i) a[i * cols + j] -= 2 * dot / vv * v[i];
    }
    double dot = 0;
    for (std::size_t i = k; i < rows; ++i) dot += v[i] * y[i];
    for (std::size_t i = k; i < rows; ++i) y[i] -= 2 * dot / vv * v[i];
  }
  std::vector<double> c(cols, 0.0);
  for (std::size_t k = cols; k-- > 0;) {  // R c = Q^T y
    double sum = y[k];
    for (std::size_t j = k + 1; j < cols; ++j) sum -= a[k * cols + j] * c[j];
    c[k] = sum / a[k * cols + k];
  }
  return c;
}

// AR(12) on the levels with an intercept, fitted on the training windows: its held-out MAE.
double ar12_mae()
{
  constexpr std::size_t lags = co2_recipe::window;
  const auto& train = co2_recipe::levels.train;
  std::vector<double> a, y;
  for (const auto& s : train) {
    for (std::size_t k = 1; k <= lags; ++k) a.push_back(s.input[k]);
    a.push_back(1.0);
    y.push_back(s.target[0]);
  }
  const auto c = least_squares(a, y, train.size(), lags + 1);
  return co2_recipe::held_out_mae([&](const auto& levels_in) {
    double forecast = c[lags];
    for (std::size_t k = 1; k <= lags; ++k) forecast += c[k - 1] * levels_in[k];
    return forecast;
  });
}

double seconds_since(std::chrono::steady_clock::time_point start)
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv)
{
  const std::string path = argc > 1 ? argv[1] : CTNN_DATA_DIR "/co2.csv";
  // The series as read_csv reads it, cut into windows at runtime: the recipe's compiled-in series.
  const auto months = ctnn::read_csv<1, 1>(
      path, {.header = ctnn::CsvHeader::names, .input_columns = {"CO2"}, .target_columns = {"CO2"}});
  const auto windows = ctnn::windows<co2_recipe::window + 1, 1>(months);
  bool same_series = windows.size() == co2_recipe::level_windows.size();
  for (std::size_t i = 0; same_series && i < windows.size(); ++i)
    same_series = windows[i].input == co2_recipe::level_windows[i].input &&
                  windows[i].target == co2_recipe::level_windows[i].target;
  std::printf("read %zu months from %s; %zu windows of 13 months, the same as the compiled-in series: %s\n",
              months.size(), path.c_str(), windows.size(), same_series ? "yes" : "NO");
  std::printf("forecasts of the next month from the last 12: %zu for training, %zu held out (from the 584th on)\n\n",
              co2_recipe::levels.train.size(), co2_recipe::levels.test.size());

  volatile std::uint64_t seed_value = co2_recipe::seed.value;  // read at runtime: trained at runtime
  auto start = std::chrono::steady_clock::now();
  const auto small = co2_recipe::small::train_at_runtime(ctnn::Seed{seed_value});
  const double small_seconds = seconds_since(start);
  start = std::chrono::steady_clock::now();
  const auto large = co2_recipe::large::train();
  const double large_seconds = seconds_since(start);

  std::printf("held-out mean absolute error (ppm):\n");
  std::printf("  seasonal naive (same month last year)      %.4f\n", co2_recipe::seasonal_naive_mae());
  std::printf("  last value                                 %.4f\n", co2_recipe::last_value_mae());
  std::printf("  linear AR(12) least squares                %.4f\n", ar12_mae());
  std::printf("  GRU 4, 1 pass, trained by the compiler     %.4f\n", co2_recipe::model_mae(trained_by_compiler.model));
  std::printf("  GRU 4, the same recipe at runtime          %.4f  (%.2f s)\n", co2_recipe::model_mae(small),
              small_seconds);
  std::printf("  GRU 16, %zu epochs, runtime only           %.4f  (%.2f s)\n", co2_recipe::large::epochs,
              co2_recipe::model_mae(large), large_seconds);

  const bool identical = ctnn::bitwise_equal(small, trained_by_compiler.model);
  std::printf("\ncompile-time model: fingerprint %016" PRIx64 "\n",
              ctnn::parameter_fingerprint(trained_by_compiler.model));
  std::printf("runtime model:      fingerprint %016" PRIx64 "\n", ctnn::parameter_fingerprint(small));
  std::printf("bit-identical: %s\n", identical ? "yes" : "NO");
  return identical && same_series ? 0 : 1;
}
