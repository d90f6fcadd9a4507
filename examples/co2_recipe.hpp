#pragma once
// The CO2 forecaster, written once and used by examples/co2.cpp (runtime) and by the compile-time
// proof (tests/static/co2_proof_test.cpp or bench/co2_proof.cpp), so the two cannot drift apart.
//
// The series: the monthly Mauna Loa CO2 record, 741 months from 1958-03 to 2020-04 (data/co2.csv,
// column CO2, in ppm; data/co2.md says where it comes from). The task: the next month from the last
// 12. Held out: the last 20 % of the 729 one-month forecasts the series allows (146, from 2008-02 on).
// The framing: a GRU reads the 12 month-to-month differences before the month to forecast (13
// levels), scaled by 1/2 ppm, and predicts that month's difference; the forecast is the last level
// plus it. The differences are stationary (the level climbs from 315 to 416 ppm), so a model trained
// on 1958-2008 is not asked about levels it never saw.

#include <cstddef>
#include <type_traits>
#include <utility>

#include <ctnn/core.hpp>
#include <ctnn/gru.hpp>
#include <ctnn/sequence.hpp>

namespace co2_recipe {

/// data/co2.csv's CO2 column, in file order (examples/co2.cpp checks it against the file).
inline constexpr double series[] = {
    315.70, 317.46, 317.51, 315.86, 314.93, 313.21, 313.33, 314.67, 315.58, 316.49, 316.65, 317.72, 318.29, 318.15,
    316.54, 314.80, 313.84, 313.33, 314.81, 315.58, 316.43, 316.98, 317.58, 319.03, 320.04, 319.58, 318.18, 315.90,
    314.17, 313.83, 315.00, 316.19, 316.90, 317.70, 318.54, 319.48, 320.58, 319.77, 318.57, 316.79, 314.99, 315.31,
    316.10, 317.01, 317.94, 318.55, 319.68, 320.57, 321.02, 320.62, 319.61, 317.40, 316.25, 315.42, 316.69, 317.70,
    318.74, 319.07, 319.86, 321.38, 322.25, 321.48, 319.74, 317.77, 316.21, 315.99, 317.07, 318.35, 319.57, 322.26,
    321.89, 320.44, 318.69, 316.70, 316.87, 317.68, 318.71, 319.44, 320.44, 320.89, 322.14, 322.17, 321.87, 321.21,
    318.87, 317.81, 317.30, 318.87, 319.42, 320.62, 321.60, 322.39, 323.70, 324.08, 323.75, 322.38, 320.36, 318.64,
    318.10, 319.78, 321.03, 322.33, 322.50, 323.04, 324.42, 325.00, 324.09, 322.54, 320.92, 319.25, 319.39, 320.73,
    321.96, 322.57, 323.15, 323.89, 325.02, 325.57, 325.36, 324.14, 322.11, 320.33, 320.25, 321.32, 322.89, 324.00,
    324.41, 325.63, 326.66, 327.38, 326.71, 325.88, 323.66, 322.38, 321.78, 322.85, 324.12, 325.06, 325.98, 326.93,
    328.13, 328.08, 327.67, 326.34, 324.69, 323.10, 323.06, 324.01, 325.13, 326.17, 326.68, 327.17, 327.79, 328.93,
    328.57, 327.36, 325.43, 323.36, 323.56, 324.80, 326.01, 326.77, 327.63, 327.75, 329.72, 330.07, 329.09, 328.04,
    326.32, 324.84, 325.20, 326.50, 327.55, 328.55, 329.56, 330.30, 331.50, 332.48, 332.07, 330.87, 329.31, 327.51,
    327.18, 328.16, 328.64, 329.35, 330.71, 331.48, 332.65, 333.09, 332.25, 331.18, 329.39, 327.43, 327.37, 328.46,
    329.57, 330.40, 331.40, 332.04, 333.31, 333.97, 333.60, 331.90, 330.06, 328.56, 328.34, 329.49, 330.76, 331.75,
    332.57, 333.50, 334.58, 334.88, 334.33, 333.05, 330.94, 329.30, 328.94, 330.31, 331.68, 332.93, 333.42, 334.70,
    336.07, 336.75, 336.27, 334.92, 332.75, 331.59, 331.16, 332.40, 333.85, 334.97, 335.39, 336.64, 337.76, 338.01,
    337.90, 336.54, 334.68, 332.76, 332.55, 333.92, 334.95, 336.23, 336.76, 337.96, 338.88, 339.47, 339.29, 337.73,
    336.09, 333.92, 333.86, 335.29, 336.73, 338.01, 338.36, 340.07, 340.76, 341.47, 341.17, 339.56, 337.60, 335.88,
    336.02, 337.10, 338.21, 339.24, 340.48, 341.38, 342.50, 342.91, 342.25, 340.49, 338.43, 336.69, 336.86, 338.36,
    339.61, 340.75, 341.61, 342.70, 343.57, 344.14, 343.35, 342.06, 339.81, 337.98, 337.86, 339.26, 340.49, 341.38,
    342.52, 343.10, 344.94, 345.76, 345.32, 343.98, 342.38, 339.87, 339.99, 341.15, 342.99, 343.70, 344.50, 345.28,
    347.05, 347.43, 346.80, 345.39, 343.28, 341.07, 341.35, 342.98, 344.22, 344.97, 345.99, 347.42, 348.35, 348.93,
    348.25, 346.56, 344.67, 343.09, 342.80, 344.24, 345.56, 346.30, 346.95, 347.85, 349.55, 350.22, 349.55, 347.94,
    345.90, 344.85, 344.17, 345.66, 346.90, 348.02, 348.48, 349.42, 350.98, 351.85, 351.26, 349.51, 348.10, 346.45,
    346.36, 347.81, 348.96, 350.43, 351.73, 352.22, 353.59, 354.22, 353.80, 352.38, 350.43, 348.73, 348.88, 350.07,
    351.34, 352.76, 353.07, 353.68, 355.42, 355.67, 355.12, 353.90, 351.67, 349.81, 349.99, 351.30, 352.52, 353.66,
    354.70, 355.38, 356.20, 357.16, 356.23, 354.81, 352.91, 350.96, 351.18, 352.83, 354.21, 354.72, 355.75, 357.16,
    358.60, 359.34, 358.24, 356.17, 354.01, 352.15, 352.21, 353.75, 354.99, 355.99, 356.72, 357.81, 359.15, 359.66,
    359.25, 357.02, 355.00, 353.01, 353.31, 354.16, 355.40, 356.70, 357.17, 358.38, 359.46, 360.28, 359.60, 357.57,
    355.52, 353.69, 353.99, 355.34, 356.80, 358.37, 358.91, 359.97, 361.26, 361.69, 360.94, 359.55, 357.48, 355.84,
    356.00, 357.58, 359.04, 359.97, 361.00, 361.63, 363.45, 363.80, 363.26, 361.89, 359.45, 358.05, 357.75, 359.56,
    360.70, 362.05, 363.24, 364.02, 364.71, 365.42, 364.97, 363.65, 361.48, 359.45, 359.61, 360.76, 362.33, 363.19,
    363.99, 364.56, 366.36, 366.80, 365.63, 364.47, 362.50, 360.19, 360.78, 362.43, 364.28, 365.33, 366.15, 367.31,
    368.61, 369.30, 368.88, 367.64, 365.78, 363.90, 364.23, 365.46, 366.97, 368.15, 368.87, 369.59, 371.14, 371.00,
    370.35, 369.27, 366.93, 364.64, 365.13, 366.68, 368.00, 369.14, 369.46, 370.51, 371.66, 371.83, 371.69, 370.12,
    368.12, 366.62, 366.73, 368.29, 369.52, 370.28, 371.50, 372.12, 372.86, 374.02, 373.31, 371.62, 369.55, 367.96,
    368.09, 369.68, 371.24, 372.44, 373.08, 373.52, 374.85, 375.55, 375.40, 374.02, 371.48, 370.70, 370.25, 372.08,
    373.78, 374.68, 375.62, 376.11, 377.65, 378.35, 378.13, 376.60, 374.48, 372.98, 373.00, 374.35, 375.69, 376.79,
    377.37, 378.39, 380.50, 380.62, 379.55, 377.76, 375.83, 374.05, 374.22, 375.84, 377.44, 378.34, 379.61, 380.08,
    382.05, 382.24, 382.08, 380.66, 378.67, 376.42, 376.80, 378.31, 379.96, 381.37, 382.02, 382.56, 384.36, 384.92,
    384.03, 382.28, 380.48, 378.81, 379.06, 380.14, 381.66, 382.58, 383.71, 384.34, 386.23, 386.41, 385.87, 384.44,
    381.84, 380.86, 380.86, 382.36, 383.61, 385.07, 385.84, 385.83, 386.77, 388.51, 388.05, 386.25, 384.08, 383.09,
    382.78, 384.01, 385.11, 386.65, 387.12, 388.52, 389.57, 390.17, 389.62, 388.07, 386.08, 384.65, 384.33, 386.05,
    387.49, 388.55, 390.08, 391.01, 392.38, 393.22, 392.24, 390.33, 388.52, 386.84, 387.16, 388.67, 389.81, 391.30,
    391.92, 392.45, 393.37, 394.28, 393.69, 392.59, 390.21, 389.00, 388.93, 390.24, 391.80, 393.07, 393.35, 394.36,
    396.43, 396.87, 395.88, 394.52, 392.54, 391.13, 391.01, 392.95, 394.33, 395.61, 396.85, 397.26, 398.35, 399.98,
    398.87, 397.37, 395.41, 393.39, 393.70, 395.19, 396.82, 397.93, 398.10, 399.47, 401.33, 401.88, 401.31, 399.07,
    397.21, 395.40, 395.65, 397.23, 398.79, 399.85, 400.31, 401.51, 403.45, 404.10, 402.88, 401.61, 399.00, 397.50,
    398.28, 400.24, 401.89, 402.65, 404.16, 404.85, 407.57, 407.66, 407.00, 404.50, 402.24, 401.01, 401.50, 403.64,
    404.55, 406.07, 406.64, 407.05, 408.95, 409.91, 409.12, 407.20, 405.24, 403.27, 403.64, 405.17, 406.75, 408.05,
    408.34, 409.25, 410.30, 411.30, 410.88, 408.90, 407.10, 405.59, 405.99, 408.12, 409.23, 410.92, 411.66, 412.00,
    413.52, 414.83, 413.96, 411.85, 410.08, 408.55, 408.43, 410.29, 411.85, 413.37, 414.09, 414.51, 416.18,
};
inline constexpr std::size_t months = sizeof(series) / sizeof(series[0]);
static_assert(months == 741);

inline constexpr std::size_t window = 12;                      // months in
inline constexpr std::size_t forecasts = months - window;      // 729 one-month forecasts
inline constexpr std::size_t test_size = (forecasts + 4) / 5;  // the last 20 %, rounded up: 146
inline constexpr double scale = 2.0;                           // ppm per unit of the network's inputs and output

/// Windows of 13 levels (12 differences and the level they start from) with the next level.
inline constexpr auto level_windows = ctnn::windows<window + 1, 1>(series);
inline constexpr auto levels = ctnn::hold_out_last<test_size>(level_windows);

/// A window of levels as the network sees it: its 12 differences and the next one, scaled.
template <class Sample>
constexpr ctnn::Sample<double, window, 1> frame(const Sample& s) noexcept
{
  ctnn::Sample<double, window, 1> framed{};
  for (std::size_t k = 0; k < window; ++k) framed.input.values[k] = (s.input.values[k + 1] - s.input.values[k]) / scale;
  framed.target.values[0] = (s.target.values[0] - s.input.values[window]) / scale;
  return framed;
}
template <std::size_t N>
constexpr ctnn::Dataset<window, 1, N> framed(const ctnn::Dataset<window + 1, 1, N>& data) noexcept
{
  ctnn::Dataset<window, 1, N> out{};
  for (std::size_t i = 0; i < N; ++i) out.samples[i] = frame(data.samples[i]);
  return out;
}
inline constexpr auto train_set = framed(levels.train);
inline constexpr auto test_set = framed(levels.test);

/// A GRU of Hidden units over the 12 differences, then a linear read-out.
template <std::size_t Hidden>
using Model = ctnn::Network<ctnn::GRU<window, 1, Hidden>, ctnn::Dense<Hidden, 1, ctnn::Identity>>;

inline constexpr ctnn::Seed seed{2020};

/// What the compiler trains: 4 units, one pass over the 582 training windows with Adam (learning rate
/// 0.03), one window at a time in shuffled order, in 6 stages of 97 windows (every sixth, so each stage spans the whole
/// period). A pass costs GCC about 1.3 MB per window that it frees only between constant expressions (ctnn/staged.hpp):
/// the stages keep its peak near 0.5 GB.
namespace small {
inline constexpr std::size_t hidden = 4;
inline constexpr std::size_t stages = 6;
inline constexpr std::size_t stage_size = train_set.size() / stages;
static_assert(stage_size * stages == train_set.size());
inline constexpr std::size_t batch_size = 1;
inline constexpr double learning_rate = 0.03;
using Net = Model<hidden>;
inline constexpr ctnn::Adam<double> optimizer{learning_rate};

struct Progress {
  Net model;
  ctnn::TrainingState<Net, ctnn::Adam<double>> state;
};

/// The windows of stage k (1-based): training windows k - 1, k - 1 + 6, k - 1 + 12, ...
template <std::size_t Stage>
constexpr ctnn::Dataset<window, 1, stage_size> slice() noexcept
{
  ctnn::Dataset<window, 1, stage_size> part{};
  for (std::size_t i = 0; i < stage_size; ++i) part.samples[i] = train_set.samples[i * stages + Stage - 1];
  return part;
}

/// The recipe CTNN_TRAIN_IN_STAGES runs (co2_proof_test.cpp), and examples/co2.cpp at runtime.
struct Training {
  static constexpr Progress start(ctnn::Seed from = seed)
  {
    return {ctnn::initialized<Net>(ctnn::RecurrentUniform{}, from), {}};
  }
  template <std::size_t Stage>
  static constexpr Progress stage(Progress progress, std::integral_constant<std::size_t, Stage>)
  {
    ctnn::fit(progress.model, slice<Stage>(), ctnn::MeanSquaredError{}, optimizer,
              {.epochs = 1, .batch_size = batch_size, .shuffle = true, .shuffle_seed = seed}, progress.state);
    return progress;
  }
};

/// Every stage in order, as the compiler runs them (from a seed read at runtime, so that GCC does
/// not try to fold the run while compiling).
inline Net train_at_runtime(ctnn::Seed from)
{
  Progress progress = Training::start(from);
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((progress = Training::stage(progress, std::integral_constant<std::size_t, I + 1>{})), ...);
  }(std::make_index_sequence<stages>{});
  return progress.model;
}
}  // namespace small

/// What only the runtime trains: 16 units, 100 epochs of Adam in shuffled batches of 8.
namespace large {
inline constexpr std::size_t hidden = 16;
inline constexpr std::size_t epochs = 100;
inline constexpr std::size_t batch_size = 8;
inline constexpr double learning_rate = 0.005;
using Net = Model<hidden>;

template <class Callback = ctnn::NoCallback>
inline Net train(std::size_t epoch_count = epochs, Callback&& on_epoch = {})
{
  auto model = ctnn::initialized<Net>(ctnn::RecurrentUniform{}, seed);
  ctnn::fit(model, train_set, ctnn::MeanSquaredError{}, ctnn::Adam{learning_rate},
            {.epochs = epoch_count, .batch_size = batch_size, .shuffle = true, .shuffle_seed = seed}, on_epoch);
  return model;
}
}  // namespace large

/// The held-out mean absolute error in ppm of a forecast(window of levels) -> next level.
template <class Forecast>
constexpr double held_out_mae(Forecast&& forecast) noexcept
{
  double sum = 0;
  for (const auto& s : levels.test) sum += ctnn::math::abs(forecast(s.input) - s.target.values[0]);
  return sum / static_cast<double>(test_size);
}

/// The model's forecast: the last level plus the predicted difference.
template <class Net>
constexpr double model_mae(const Net& model) noexcept
{
  return held_out_mae([&](const auto& levels_in) {
    ctnn::Sample<double, window + 1, 1> s{levels_in, {{0.0}}};
    return levels_in.values[window] + scale * model.predict(frame(s).input)[0];
  });
}
/// The same month last year (12 months before the forecast month).
constexpr double seasonal_naive_mae() noexcept
{
  return held_out_mae([](const auto& levels_in) { return levels_in.values[1]; });
}
/// The last month's level.
constexpr double last_value_mae() noexcept
{
  return held_out_mae([](const auto& levels_in) { return levels_in.values[window]; });
}

}  // namespace co2_recipe
