#pragma once
// What sequence models need around their recurrent layers:
//   LastStep<Steps, Channels, T>   a sequence's last time step (sequence-to-one after a layer that
//                                  returns every step)
//   windows<Window, Horizon>(...)  a time series cut into samples: Window steps in, the next Horizon
//                                  steps as the target; fixed-size (constexpr Dataset) from a fixed
//                                  series, runtime-sized (RuntimeDataset) from a read_csv result or a span
//   hold_out_last<TestSize>(data)  the last samples held out, in time order (no shuffling across the cut)
// A series with C channels is a sequence of rows: its windows are Shape<Window, C> inputs (time-major,
// as a recurrent layer takes them) and Horizon * C targets.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ctnn/data.hpp"
#include "ctnn/detail/errors.hpp"
#include "ctnn/error.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// The last time step of a sequence Shape<Steps, Channels>: Shape<Channels>. No parameters. In a
/// stream (Network::step) each step is the last one so far: it passes the step through.
template <std::size_t Steps, std::size_t Channels, class T = double>
struct LastStep {
  static_assert(Steps > 0 && Channels > 0, "ctnn: LastStep needs at least one step and one channel");

  using scalar_type = T;
  using input_shape = Shape<Steps, Channels>;
  using output_shape = Shape<Channels>;
  using input_type = Vector<T, Steps * Channels>;
  using output_type = Vector<T, Channels>;
  static constexpr std::size_t parameter_count = 0;
  static constexpr bool trainable = false;
  static constexpr std::string_view kind = "LastStep";
  static constexpr std::string_view header = "ctnn/sequence.hpp";

  constexpr output_type operator()(const input_type& x) const noexcept
  {
    output_type y;
    for (std::size_t c = 0; c < Channels; ++c) y.values[c] = x.values[(Steps - 1) * Channels + c];
    return y;
  }
  template <class F>
  constexpr void visit_parameters(F&&) const noexcept
  {
  }
  template <class F>
  constexpr void visit_parameters(F&&) noexcept
  {
  }

  struct cache_type {};
  constexpr void forward(const input_type& x, cache_type&, output_type& y) const noexcept { y = (*this)(x); }
  /// dx: dy at the last step, zeros before.
  template <bool NeedInputGradient, class Gradients>
  constexpr void backward(const input_type&, const cache_type&, const output_type&, const output_type& dy, Gradients&,
                          input_type& dx) const noexcept
  {
    if constexpr (NeedInputGradient) {
      for (std::size_t i = 0; i < (Steps - 1) * Channels; ++i) dx.values[i] = T(0);
      for (std::size_t c = 0; c < Channels; ++c) dx.values[(Steps - 1) * Channels + c] = dy.values[c];
    }
  }

  // Streaming: nothing kept, the step itself is the last step.
  struct state_type {
    friend constexpr bool operator==(const state_type&, const state_type&) = default;
  };
  using step_input_type = Vector<T, Channels>;
  using step_output_type = Vector<T, Channels>;
  constexpr state_type initial_state() const noexcept { return {}; }
  constexpr step_output_type step(const step_input_type& x, state_type&) const noexcept { return x; }

  template <class W>
  static constexpr void spell(W& w)
  {
    w.text("ctnn::LastStep<");
    w.number(Steps);
    w.text(", ");
    w.number(Channels);
    w.text(", ");
    w.template scalar<T>();
    w.text(">");
  }
};

namespace detail {

// Sample s of the windows over rows (each row Channels values, row r at rows[r * Channels]).
template <std::size_t Window, std::size_t Horizon, std::size_t Channels, class T>
constexpr Sample<T, Window * Channels, Horizon * Channels> window_at(const T* rows, std::size_t s) noexcept
{
  Sample<T, Window * Channels, Horizon * Channels> sample{};
  const T* first = rows + s * Channels;
  for (std::size_t i = 0; i < Window * Channels; ++i) sample.input.values[i] = first[i];
  for (std::size_t i = 0; i < Horizon * Channels; ++i) sample.target.values[i] = first[Window * Channels + i];
  return sample;
}

// Not constexpr, so that reaching it in a constant expression is a compile error naming the problem.
[[noreturn]] inline void ctnn_error_series_shorter_than_window_and_horizon(std::size_t rows, std::size_t needed)
{
  raise(argument_error("ctnn: windows: the series has " + std::to_string(rows) + " steps, fewer than one window " +
                       "and its horizon (" + std::to_string(needed) + ")"));
}
[[noreturn]] inline void ctnn_error_hold_out_last_size(std::size_t test_size, std::size_t size)
{
  raise(argument_error("ctnn: hold_out_last: test_size " + std::to_string(test_size) +
                       " must be at least 1 and below the data set's size " + std::to_string(size)));
}

template <std::size_t Window, std::size_t Horizon>
constexpr void check_series_length(std::size_t rows)
{
  if (rows < Window + Horizon) ctnn_error_series_shorter_than_window_and_horizon(rows, Window + Horizon);
}

}  // namespace detail

/// The windows of a fixed series of N values: sample s is series[s, s + Window) in and
/// series[s + Window, s + Window + Horizon) as the target, for every s that fits (N - Window - Horizon + 1).
template <std::size_t Window, std::size_t Horizon = 1, class T, std::size_t N>
constexpr Dataset<Window, Horizon, N - Window - Horizon + 1, T> windows(const T (&series)[N]) noexcept
{
  static_assert(Window > 0 && Horizon > 0, "ctnn: windows needs a window and a horizon of at least one step");
  static_assert(N >= Window + Horizon, "ctnn: windows: the series is shorter than one window and its horizon");
  Dataset<Window, Horizon, N - Window - Horizon + 1, T> data{};
  for (std::size_t s = 0; s < data.size(); ++s) data.samples[s] = detail::window_at<Window, Horizon, 1>(series, s);
  return data;
}
template <std::size_t Window, std::size_t Horizon = 1, class T, std::size_t N>
constexpr Dataset<Window, Horizon, N - Window - Horizon + 1, T> windows(const Vector<T, N>& series) noexcept
{
  return windows<Window, Horizon>(series.values);
}

/// The windows of a fixed data set read as a series of rows, one row a time step of C channels (its
/// inputs; its targets are ignored): what ctnn_add_dataset gives for a CSV time series.
template <std::size_t Window, std::size_t Horizon = 1, std::size_t C, std::size_t Out, std::size_t N, class T>
constexpr Dataset<Window * C, Horizon * C, N - Window - Horizon + 1, T> windows(
    const Dataset<C, Out, N, T>& rows) noexcept
{
  static_assert(Window > 0 && Horizon > 0, "ctnn: windows needs a window and a horizon of at least one step");
  static_assert(N >= Window + Horizon, "ctnn: windows: the series is shorter than one window and its horizon");
  T flat[N * C];
  for (std::size_t r = 0; r < N; ++r)
    for (std::size_t c = 0; c < C; ++c) flat[r * C + c] = rows.samples[r].input.values[c];
  Dataset<Window * C, Horizon * C, N - Window - Horizon + 1, T> data{};
  for (std::size_t s = 0; s < data.size(); ++s) data.samples[s] = detail::window_at<Window, Horizon, C>(flat, s);
  return data;
}

/// The windows of a runtime series of values (a std::vector, an array...): as the fixed form, sized at
/// runtime. A series shorter than Window + Horizon raises ctnn::argument_error.
template <std::size_t Window, std::size_t Horizon = 1, class T>
constexpr RuntimeDataset<Window, Horizon, T> windows(std::span<const T> series)
{
  static_assert(Window > 0 && Horizon > 0, "ctnn: windows needs a window and a horizon of at least one step");
  detail::check_series_length<Window, Horizon>(series.size());
  RuntimeDataset<Window, Horizon, T> data;
  const std::size_t count = series.size() - Window - Horizon + 1;
  data.reserve(count);
  for (std::size_t s = 0; s < count; ++s) data.push_back(detail::window_at<Window, Horizon, 1>(series.data(), s));
  return data;
}

/// The windows of a runtime data set read as a series of rows of C channels (its inputs), as
/// read_csv gives a CSV time series: read_csv<1, 1>("co2.csv", {.header = CsvHeader::names,
/// .input_columns = {"CO2"}, .target_columns = {"CO2"}}) then windows<12, 1>(rows).
template <std::size_t Window, std::size_t Horizon = 1, std::size_t C, std::size_t Out, class T>
constexpr RuntimeDataset<Window * C, Horizon * C, T> windows(const RuntimeDataset<C, Out, T>& rows)
{
  static_assert(Window > 0 && Horizon > 0, "ctnn: windows needs a window and a horizon of at least one step");
  detail::check_series_length<Window, Horizon>(rows.size());
  std::vector<T> flat;
  flat.reserve(rows.size() * C);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < C; ++c) flat.push_back(row.input.values[c]);
  RuntimeDataset<Window * C, Horizon * C, T> data;
  const std::size_t count = rows.size() - Window - Horizon + 1;
  data.reserve(count);
  for (std::size_t s = 0; s < count; ++s) data.push_back(detail::window_at<Window, Horizon, C>(flat.data(), s));
  return data;
}

/// The last TestSize samples held out, the rest for training, both in order: a forecaster is tested
/// on the future of what it learned from.
template <std::size_t TestSize, std::size_t In, std::size_t Out, std::size_t N, class T>
constexpr TrainTestSplit<In, Out, N - TestSize, TestSize, T> hold_out_last(const Dataset<In, Out, N, T>& data) noexcept
{
  static_assert(TestSize >= 1 && TestSize < N,
                "ctnn: hold_out_last<TestSize> needs 1 <= TestSize < the data set's size");
  TrainTestSplit<In, Out, N - TestSize, TestSize, T> split{};
  for (std::size_t i = 0; i < N - TestSize; ++i) split.train.samples[i] = data.samples[i];
  for (std::size_t i = 0; i < TestSize; ++i) split.test.samples[i] = data.samples[N - TestSize + i];
  return split;
}

/// hold_out_last for a runtime-sized data set: test_size samples (at least one, fewer than the data
/// set's size, else ctnn::argument_error).
template <std::size_t In, std::size_t Out, class T>
constexpr RuntimeSplit<In, Out, T> hold_out_last(const RuntimeDataset<In, Out, T>& data, std::size_t test_size)
{
  if (test_size < 1 || test_size >= data.size()) detail::ctnn_error_hold_out_last_size(test_size, data.size());
  RuntimeSplit<In, Out, T> split;
  const std::size_t train_size = data.size() - test_size;
  for (std::size_t i = 0; i < data.size(); ++i) (i < train_size ? split.train : split.test).push_back(data[i]);
  return split;
}

}  // namespace ctnn
