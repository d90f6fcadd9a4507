#pragma once
// Impute<In, T>: missing values handled inside the model. A NaN input x_i becomes value_i, the mean or
// median of column i over the training split (missing values left out), and any other input passes
// through unchanged; so a Network that starts with it takes inputs with missing values in predict(),
// and save(), load(), emit_header() and summary() carry the values with the weights. A non-trainable
// layer, as Standardize: fit() leaves it as it is. fit() accepts NaN inputs (never targets, never
// infinities) only for a network whose first layer says it handles them (handles_missing_inputs),
// as this one does. read_csv's CsvNaPolicy::keep reads a missing value as the NaN this layer fills.

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "ctnn/error.hpp"
#include "ctnn/errors.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/math.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

namespace detail {
// Defined in data.hpp, which every data set comes from.
template <class D>
constexpr void check_not_empty(const D& data, const char* what);

[[noreturn]] inline void ctnn_error_impute_needs_a_value_in_every_column(std::size_t column)
{
  raise(argument_error("ctnn: Impute::measure: input " + std::to_string(column + 1) +
                       " is missing in every sample, so it has no mean or median to fill it with"));
}
}  // namespace detail

/// What Impute::measure fills a missing input with: its column's mean (summed in sample order, then
/// divided by the count, as the layer stores it) or its median (the middle value of the sorted
/// column, or the mean of the two middle values, (a + b) / 2, for an even count; NumPy's median).
/// Both leave missing values out, as scikit-learn's SimpleImputer does.
enum class ImputeStrategy { mean, median };

/// Replaces each NaN among In inputs by its stored value. measure() the values on training data; a
/// default-constructed one fills zeros.
template <std::size_t In, class T = double>
struct Impute {
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(In > 0, "ctnn: Impute needs at least one input");

  using scalar_type = T;
  using input_shape = Shape<(In > 0 ? In : 1)>;
  using output_shape = input_shape;
  using input_type = Vector<T, In>;
  using output_type = Vector<T, In>;

  static constexpr std::size_t inputs = In;
  static constexpr std::size_t outputs = In;
  static constexpr std::size_t parameter_count = 0;
  static constexpr std::size_t non_trainable_parameter_count = In;
  static constexpr bool trainable = false;
  /// As the first layer of a network, fit() lets its training data have NaN inputs.
  static constexpr bool handles_missing_inputs = true;
  static constexpr std::string_view kind = "Impute";
  static constexpr std::string_view header = "ctnn/impute.hpp";

  Vector<T, In> values{};

  /// The values of each input column of data by strategy, NaNs left out (any data set with In inputs
  /// of type T). An empty data set, or a column with no value at all, is an error.
  template <class Data>
    requires(Data::inputs == In && std::same_as<typename Data::scalar_type, T>)
  [[nodiscard]] static constexpr Impute measure(const Data& data, ImputeStrategy strategy = ImputeStrategy::mean)
  {
    detail::check_not_empty(data, "Impute::measure");
    const std::size_t n = data.size();
    Impute layer{};
    std::vector<T> column;
    column.reserve(n);
    for (std::size_t f = 0; f < In; ++f) {
      column.clear();
      for (std::size_t i = 0; i < n; ++i)
        if (const T v = data[i].input.values[f]; v == v) column.push_back(v);
      if (column.empty()) detail::ctnn_error_impute_needs_a_value_in_every_column(f);
      layer.values.values[f] = strategy == ImputeStrategy::mean ? mean_of(column) : median_of(column);
    }
    return layer;
  }

  /// x with each NaN replaced by its input's value.
  constexpr output_type operator()(const input_type& x) const noexcept
  {
    output_type y;
    fill(x, y);
    return y;
  }

  /// A copy of data with every missing input filled; targets unchanged.
  template <class Data>
    requires(Data::inputs == In && std::same_as<typename Data::scalar_type, T>)
  [[nodiscard]] constexpr Data operator()(const Data& data) const
  {
    Data filled = data;
    for (std::size_t i = 0; i < filled.size(); ++i) filled[i].input = (*this)(filled[i].input);
    return filled;
  }

  struct cache_type {};

  constexpr void forward(const input_type& x, cache_type& /*c*/, output_type& y) const noexcept { fill(x, y); }

  /// dx = dy where the input was given and 0 where it was filled (a constant); g is empty.
  template <bool NeedInputGradient, bool GivenPreActivationGradient = false, class Gradients>
  constexpr void backward(const input_type& x, const cache_type& /*c*/, const output_type& /*y*/, const output_type& dy,
                          Gradients& /*g*/, input_type& dx) const noexcept
  {
    if constexpr (NeedInputGradient)
      for (std::size_t i = 0; i < In; ++i) dx.values[i] = x.values[i] == x.values[i] ? dy.values[i] : T(0);
  }

  template <class F>
  constexpr void visit_parameters(F&&) const
  {
  }
  template <class F>
  constexpr void visit_parameters(F&&)
  {
  }

  /// The stored values: what model files, fingerprints and bitwise_equal cover.
  template <class F>
  constexpr void visit_non_trainable_parameters(F&& f)
  {
    f(values.values);
  }
  template <class F>
  constexpr void visit_non_trainable_parameters(F&& f) const
  {
    f(values.values);
  }

  /// A fill value must be finite: it replaces a missing input for good.
  constexpr ValueCheck check_values() const noexcept
  {
    for (std::size_t i = 0; i < In; ++i)
      if (!math::isfinite(values.values[i])) return {i, "value", i + 1, "must be finite"};
    return {};
  }

  /// The C++ type, for emit_header: ctnn::Impute<In, <scalar>>.
  template <class W>
  static constexpr void spell(W& w)
  {
    w.text("ctnn::Impute<");
    w.number(In);
    w.text(", ");
    w.template scalar<T>();
    w.text(">");
  }

  template <class W>
  constexpr void spell_values(W& w) const
  {
    w.array("values", values.values);
  }

 private:
  static constexpr T mean_of(const std::vector<T>& column) noexcept
  {
    T sum = T(0);
    for (const T v : column) sum += v;
    return sum / static_cast<T>(column.size());
  }

  static constexpr T median_of(std::vector<T>& column) noexcept
  {
    std::sort(column.begin(), column.end());  // no NaN left: a strict weak order
    const std::size_t middle = column.size() / 2;
    return column.size() % 2 == 1 ? column[middle] : (column[middle - 1] + column[middle]) / T(2);
  }

  constexpr void fill(const input_type& x, output_type& y) const noexcept
  {
    for (std::size_t i = 0; i < In; ++i) y.values[i] = x.values[i] == x.values[i] ? x.values[i] : values.values[i];
  }
};

}  // namespace ctnn
