#pragma once
// FrozenDense: a Dense layer's inference form (what for_inference() makes of it). W is kept by
// columns (W^T row-major) instead of by rows, so column j of W is contiguous and the runtime kernel
// (detail/column_kernels.hpp) puts rows in vector lanes with plain loads, where Dense has to
// transpose tiles of the row-major W on every call. Each output still gets Dense's operations in its
// order (W[i][0] x[0] first, then + W[i][j] x[j] for j = 1, 2, ..., the bias last, then the
// activation), so the bits are Dense's, in a constant expression too.

#include <cstddef>
#include <type_traits>

#include "ctnn/dense.hpp"
#include "ctnn/detail/column_kernels.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// A Dense layer for inference only: W by columns (columns[j * Out + i] = W[i][j]), the bias and the
/// activation. Made from a Dense; gives its operator()'s bits.
template <std::size_t In, std::size_t Out, class ActivationFunction, class T = double>
struct FrozenDense {
  using source_type = Dense<In, Out, ActivationFunction, T>;
  using scalar_type = T;
  using activation_type = ActivationFunction;
  using input_shape = typename source_type::input_shape;
  using output_shape = typename source_type::output_shape;
  using input_type = Vector<T, In>;
  using output_type = Vector<T, Out>;
  static constexpr std::size_t inputs = In;
  static constexpr std::size_t outputs = Out;
  static constexpr std::size_t parameter_count = source_type::parameter_count;

  T columns[In * Out]{};
  Vector<T, Out> bias{};

  constexpr FrozenDense() noexcept = default;
  constexpr explicit FrozenDense(const source_type& layer) noexcept { assign(layer); }

  /// Takes layer's weights (by columns) and bias.
  constexpr void assign(const source_type& layer) noexcept
  {
    for (std::size_t i = 0; i < Out; ++i)
      for (std::size_t j = 0; j < In; ++j) columns[j * Out + i] = layer.weights.values[i * In + j];
    bias = layer.bias;
  }

  /// y = f(W x + b), with Dense's bits.
  constexpr output_type operator()(const input_type& x) const noexcept
  {
    output_type y;
    if (std::is_constant_evaluated()) {
      output_type h;
      for (std::size_t i = 0; i < Out; ++i) {
        T sum = columns[i] * x.values[0];
        for (std::size_t j = 1; j < In; ++j) sum += columns[j * Out + i] * x.values[j];
        h.values[i] = sum + bias.values[i];
      }
      ActivationFunction::forward(h.values, y.values);
    } else {
      forward_block<1>(&x, &y);
    }
    return y;
  }

  /// Runtime: y[s] = (*this)(x[s]) for Samples samples side by side.
  template <std::size_t Samples>
  void forward_block(const input_type* x, output_type* y) const noexcept
  {
    static_assert(sizeof(input_type) == In * sizeof(T) && sizeof(output_type) == Out * sizeof(T),
                  "ctnn: Vector<T, N> holds exactly N values, so that samples are a strided array");
    constexpr std::size_t S = Samples == 1 ? 1 : sub_block;
    static_assert(Samples % S == 0);
    if constexpr (std::is_same_v<ActivationFunction, Identity>) {  // h is y
      for (std::size_t s = 0; s < Samples; s += S)
        detail::dense_forward_columns<In, Out, S>(columns, bias.values, x[s].values, In, y[s].values, Out);
    } else {
      output_type h[Samples];
      for (std::size_t s = 0; s < Samples; s += S)
        detail::dense_forward_columns<In, Out, S>(columns, bias.values, x[s].values, In, h[s].values, Out);
      if constexpr (requires {
                      ActivationFunction::template forward_elementwise<Out * Samples>(h[0].values, y[0].values);
                    })
        ActivationFunction::template forward_elementwise<Out * Samples>(h[0].values, y[0].values);
      else
        for (std::size_t s = 0; s < Samples; ++s) source_type::activate_at_runtime(h[s].values, y[s].values);
    }
  }

 private:
  // Samples per kernel call in a batch (a power of two, so that it divides the model's block).
  static constexpr std::size_t sub_block =
      detail::simd::power_of_two_at_most(detail::column_batch_samples<T, Out>, detail::column_batch_samples<T, Out>);
};

}  // namespace ctnn
