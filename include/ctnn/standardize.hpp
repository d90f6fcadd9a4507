#pragma once
// Standardize<In, T>: preprocessing inside the model. y_i = (x_i - mean_i) / deviation_i, with the
// mean and deviation measured on the training split, so a Network that starts with it takes raw
// features in predict(), and save(), load(), emit_header() and summary() carry the scaling with the
// weights. A non-trainable layer: fit() trains the layers after it and leaves it as it is (no
// gradients, no optimizer state, nothing drawn from an initialiser; the layer after it computes no
// input gradient for it). The same values rescale whole data sets (operator()(data)), for
// preprocessing outside a model.

#include <concepts>
#include <cstddef>
#include <string_view>

#include "ctnn/layer.hpp"
#include "ctnn/math.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

namespace detail {
// Defined in data.hpp, which every data set comes from.
template <class D>
constexpr void check_not_empty(const D& data, const char* what);
}  // namespace detail

/// Rescales each of In inputs to (x - mean) / deviation. Its values are set, not trained: measure()
/// them on training data. A default-constructed one (mean 0, deviation 1) passes its input through.
template <std::size_t In, class T = double>
struct Standardize {
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(In > 0, "ctnn: Standardize needs at least one input");

  using scalar_type = T;
  using input_shape = Shape<(In > 0 ? In : 1)>;
  using output_shape = input_shape;
  using input_type = Vector<T, In>;
  using output_type = Vector<T, In>;

  static constexpr std::size_t inputs = In;
  static constexpr std::size_t outputs = In;
  /// Trainable parameters: none. Its stored values are non_trainable_parameter_count.
  static constexpr std::size_t parameter_count = 0;
  static constexpr std::size_t non_trainable_parameter_count = 2 * In;
  static constexpr bool trainable = false;
  /// The name summary() and model files use.
  static constexpr std::string_view kind = "Standardize";
  /// The header generated code includes for it.
  static constexpr std::string_view header = "ctnn/standardize.hpp";

  Vector<T, In> mean{};
  Vector<T, In> deviation = ones();

  /// The mean and (population) deviation of each input over data (any data set with In inputs of
  /// type T; an empty one is an error). A feature without spread gets deviation 1: only centred.
  template <class Data>
    requires(Data::inputs == In && std::same_as<typename Data::scalar_type, T>)
  [[nodiscard]] static constexpr Standardize measure(const Data& data)
  {
    detail::check_not_empty(data, "Standardize::measure");
    const std::size_t n = data.size();
    // A Dataset's array directly where it has one: a built-in subscript costs the constant evaluator
    // far less than a call per sample.
    const auto& samples = [&]() -> decltype(auto) {
      if constexpr (requires { data.samples[std::size_t{0}]; })
        return (data.samples);
      else
        return (data);
    }();
    Standardize s{};
    for (std::size_t f = 0; f < In; ++f) {
      T sum = T(0);
      for (std::size_t i = 0; i < n; ++i) sum += samples[i].input.values[f];
      const T mean = sum / static_cast<T>(n);
      T squares = T(0);
      for (std::size_t i = 0; i < n; ++i) {
        const T d = samples[i].input.values[f] - mean;
        squares += d * d;
      }
      const T deviation = math::sqrt(squares / static_cast<T>(n));
      s.mean.values[f] = mean;
      s.deviation.values[f] = deviation > T(0) ? deviation : T(1);
    }
    return s;
  }

  /// y = (x - mean) / deviation.
  constexpr output_type operator()(const input_type& x) const noexcept
  {
    output_type y;
    scale(x, y);
    return y;
  }

  /// A copy of data (the same kind of data set) with every input rescaled; targets unchanged.
  template <class Data>
    requires(Data::inputs == In && std::same_as<typename Data::scalar_type, T>)
  [[nodiscard]] constexpr Data operator()(const Data& data) const
  {
    Data scaled = data;
    for (std::size_t i = 0; i < scaled.size(); ++i) scaled[i].input = (*this)(scaled[i].input);
    return scaled;
  }

  /// The layer protocol's training part (layer.hpp): backward() needs nothing but the deviations.
  struct cache_type {};

  constexpr void forward(const input_type& x, cache_type& /*c*/, output_type& y) const noexcept { scale(x, y); }

  /// dx = dy / deviation, when a trainable layer before this one needs it; g is empty.
  template <bool NeedInputGradient, bool GivenPreActivationGradient = false, class Gradients>
  constexpr void backward(const input_type& /*x*/, const cache_type& /*c*/, const output_type& /*y*/,
                          const output_type& dy, Gradients& /*g*/, input_type& dx) const noexcept
  {
    if constexpr (NeedInputGradient)
      for (std::size_t i = 0; i < In; ++i) dx.values[i] = dy.values[i] / deviation.values[i];
  }

  /// Trainable parameters: none, so fit(), gradient_check() and Network::parameters() skip this layer.
  template <class F>
  constexpr void visit_parameters(F&&) const
  {
  }
  template <class F>
  constexpr void visit_parameters(F&&)
  {
  }

  /// The stored values, mean then deviation: what model files, fingerprints and bitwise_equal cover.
  template <class F>
  constexpr void visit_non_trainable_parameters(F&& f)
  {
    f(mean.values);
    f(deviation.values);
  }
  template <class F>
  constexpr void visit_non_trainable_parameters(F&& f) const
  {
    f(mean.values);
    f(deviation.values);
  }

  /// It divides by the deviations: each mean must be finite and each deviation positive and finite.
  constexpr ValueCheck check_values() const noexcept
  {
    for (std::size_t i = 0; i < In; ++i)
      if (!math::isfinite(mean.values[i])) return {i, "mean", i + 1, "must be finite"};
    for (std::size_t i = 0; i < In; ++i)
      if (!(deviation.values[i] > T(0)) || !math::isfinite(deviation.values[i]))
        return {In + i, "deviation", i + 1, "must be positive and finite"};
    return {};
  }

  /// The C++ type, for emit_header: ctnn::Standardize<In, <scalar>>.
  template <class W>
  static constexpr void spell(W& w)
  {
    w.text("ctnn::Standardize<");
    w.number(In);
    w.text(", ");
    w.template scalar<T>();
    w.text(">");
  }

  /// The values as a generated header spells them: an aggregate of the means and the deviations.
  template <class W>
  constexpr void spell_values(W& w) const
  {
    w.array("mean", mean.values);
    w.array("deviation", deviation.values);
  }

  [[deprecated("Standardize is its own Standardizer: use it directly")]] static constexpr Standardize from(
      const Standardize& s) noexcept
  {
    return s;
  }
  [[deprecated("Standardize is its own Standardizer: use it directly")]] constexpr Standardize standardizer()
      const noexcept
  {
    return *this;
  }

 private:
  static constexpr Vector<T, In> ones() noexcept
  {
    Vector<T, In> v{};
    for (auto& value : v.values) value = T(1);
    return v;
  }

  constexpr void scale(const input_type& x, output_type& y) const noexcept
  {
    for (std::size_t i = 0; i < In; ++i) y.values[i] = (x.values[i] - mean.values[i]) / deviation.values[i];
  }
};

/// ctnn 0.2's data-set scaler, now the Standardize layer itself (In and T in the layers' order).
template <class T, std::size_t In>
using Standardizer
    [[deprecated("use Standardize<In, T>: it measures, rescales vectors and data sets, and is a layer")]] =
        Standardize<In, T>;

}  // namespace ctnn
