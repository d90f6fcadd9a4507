#pragma once
// What GRU and LSTM share: the matrix loops of a recurrent cell over flat row-major arrays, each sum
// in one fixed order (left to right over the columns, the bias added last, as Dense), the logistic
// function, the initialiser PyTorch uses for its recurrent layers, and the model-file fields and
// C++ spelling both layers write. Plain loops in a constant expression; at runtime the forward
// pass's matrix products and gate functions run Dense's and the activations' vector kernels, which
// do the same operations per value: the same bits (gru_test.cpp and lstm_test.cpp check wide layers).

#include <cstddef>
#include <string_view>

#include "ctnn/detail/column_kernels.hpp"
#include "ctnn/detail/kernels.hpp"
#include "ctnn/detail/simd_math.hpp"
#include "ctnn/math.hpp"
#include "ctnn/random.hpp"

namespace ctnn {

/// PyTorch's initialiser for nn.GRU and nn.LSTM: every weight and bias uniform in [-k, k) with
/// k = 1 / sqrt(hidden). Recurrent layers pass their hidden size as fan_out, so k is the same for
/// the input and the recurrent weights; on a Dense layer it is 1 / sqrt(outputs).
struct RecurrentUniform {
  template <math::Real T, class Generator>
  constexpr T weight(Generator& rng, std::size_t /*fan_in*/, std::size_t fan_out) const noexcept
  {
    const T limit = T(1) / math::sqrt(static_cast<T>(fan_out));
    return uniform<T>(rng, -limit, limit);
  }
  template <math::Real T, class Generator>
  constexpr T bias(Generator& rng, std::size_t fan_in, std::size_t fan_out) const noexcept
  {
    return weight<T>(rng, fan_in, fan_out);
  }
};

namespace detail::recurrent {

/// The logistic function as Sigmoid and the vector lanes compute it (math::sigmoid: for double
/// 1 / (1 + e^-x), for float its own float kernel).
template <class T>
constexpr T sigmoid(T x) noexcept
{
  return math::sigmoid(x);
}

/// out[i] = sigmoid(in[i]) for i < N; at runtime in vector lanes, with the same bits (detail/simd_math.hpp).
template <std::size_t N, class T>
constexpr void sigmoid_into(const T* in, T* out) noexcept
{
  if (!__builtin_is_constant_evaluated()) return simd::sigmoid_array<N>(in, out);
  for (std::size_t i = 0; i < N; ++i) out[i] = sigmoid(in[i]);
}

/// out[i] = tanh(in[i]) for i < N; at runtime in vector lanes, with the same bits.
template <std::size_t N, class T>
constexpr void tanh_into(const T* in, T* out) noexcept
{
  if (!__builtin_is_constant_evaluated()) return simd::tanh_array<N>(in, out);
  for (std::size_t i = 0; i < N; ++i) out[i] = math::tanh(in[i]);
}

/// out[i] = (W[i][0] x[0] + ... + W[i][Cols-1] x[Cols-1]) + b[i], for i < Rows. At runtime wider
/// matrices run Dense's kernel (rows in vector lanes, each row's sum in the same order: the same bits).
template <std::size_t Rows, std::size_t Cols, class T>
constexpr void affine(const T* w, const T* x, const T* b, T* out) noexcept
{
  if constexpr (use_vector_forward<Cols, Rows>)
    if (!__builtin_is_constant_evaluated()) return dense_forward<Cols, Rows>(w, b, x, out);
  for (std::size_t i = 0; i < Rows; ++i, w += Cols) {
    T sum = w[0] * x[0];
    for (std::size_t j = 1; j < Cols; ++j) sum += w[j] * x[j];
    out[i] = sum + b[i];
  }
}

/// A recurrent layer's two affine maps with its own row-major weights: W_i x + b_i and W_h h + b_h.
template <class Layer>
struct RowAffine {
  const Layer& layer;
  template <class T>
  constexpr void operator()(const T* x, const T* h, T* from_input, T* from_state) const noexcept
  {
    affine<Layer::gate_rows, Layer::inputs>(layer.weight_ih.values, x, layer.bias_ih.values, from_input);
    affine<Layer::gate_rows, Layer::hidden>(layer.weight_hh.values, h, layer.bias_hh.values, from_state);
  }
};

/// out = W x + b with W by columns (wt[j * Rows + i] = W[i][j]), each sum in affine's order: the same
/// bits. At runtime Dense's column kernel, which reads W once per call with no transposition.
template <std::size_t Rows, std::size_t Cols, class T>
constexpr void column_affine(const T* wt, const T* x, const T* b, T* out) noexcept
{
  if (!__builtin_is_constant_evaluated()) return dense_forward_columns<Cols, Rows>(wt, b, x, Cols, out, Rows);
  for (std::size_t i = 0; i < Rows; ++i) {
    T sum = wt[i] * x[0];
    for (std::size_t j = 1; j < Cols; ++j) sum += wt[j * Rows + i] * x[j];
    out[i] = sum + b[i];
  }
}

/// The inference form of a GRU or an LSTM (for_inference): its weights by columns, the rest of the
/// cell the layer's own (Source::cell_using), so predict and step have the layer's bits and
/// state_type, and run faster at runtime. Nothing to train.
template <class Source>
struct FrozenRecurrent {
  using source_type = Source;
  using scalar_type = typename Source::scalar_type;
  using T = scalar_type;
  using input_shape = typename Source::input_shape;
  using output_shape = typename Source::output_shape;
  using input_type = typename Source::input_type;
  using output_type = typename Source::output_type;
  using state_type = typename Source::state_type;
  using step_input_type = typename Source::step_input_type;
  using step_output_type = typename Source::step_output_type;
  static constexpr std::size_t gate_rows = Source::gate_rows;
  static constexpr std::size_t inputs = Source::inputs;
  static constexpr std::size_t hidden = Source::hidden;
  static constexpr std::size_t parameter_count = 0;
  static constexpr std::string_view kind = "FrozenRecurrent";

  T columns_ih[gate_rows * inputs]{};  // columns_ih[j * gate_rows + i] = weight_ih[i][j]
  T columns_hh[gate_rows * hidden]{};
  T bias_ih[gate_rows]{};
  T bias_hh[gate_rows]{};

  constexpr FrozenRecurrent() noexcept = default;
  constexpr explicit FrozenRecurrent(const Source& layer) noexcept { assign(layer); }

  constexpr void assign(const Source& layer) noexcept
  {
    for (std::size_t i = 0; i < gate_rows; ++i) {
      for (std::size_t j = 0; j < inputs; ++j) columns_ih[j * gate_rows + i] = layer.weight_ih.values[i * inputs + j];
      for (std::size_t j = 0; j < hidden; ++j) columns_hh[j * gate_rows + i] = layer.weight_hh.values[i * hidden + j];
      bias_ih[i] = layer.bias_ih.values[i];
      bias_hh[i] = layer.bias_hh.values[i];
    }
  }

  constexpr void operator()(const T* x, const T* h, T* from_input, T* from_state) const noexcept
  {
    column_affine<gate_rows, inputs>(columns_ih, x, bias_ih, from_input);
    column_affine<gate_rows, hidden>(columns_hh, h, bias_hh, from_state);
  }

  constexpr output_type operator()(const input_type& x) const noexcept { return Source::sequence_using(*this, x); }

  constexpr state_type initial_state() const noexcept { return state_type{}; }
  constexpr step_output_type step(const step_input_type& x, state_type& s) const noexcept
  {
    return Source::step_using(*this, x, s);
  }

  template <class F>
  constexpr void visit_parameters(F&&) const noexcept
  {
  }
  template <class F>
  constexpr void visit_parameters(F&&) noexcept
  {
  }
};

/// dW[i][j] += g[i] x[j] and db[i] += g[i]: one time step's share of a weight and bias gradient.
template <std::size_t Rows, std::size_t Cols, class T>
constexpr void add_outer(T* dw, T* db, const T* g, const T* x) noexcept
{
  for (std::size_t i = 0; i < Rows; ++i, dw += Cols) {
    const T gi = g[i];
    for (std::size_t j = 0; j < Cols; ++j) dw[j] += gi * x[j];
    db[i] += gi;
  }
}

/// out[j] = start[j] + W[0][j] g[0] + ... + W[Rows-1][j] g[Rows-1], summed row after row (W^T g).
/// start may be out.
template <std::size_t Rows, std::size_t Cols, class T>
constexpr void transposed_times(const T* w, const T* g, const T* start, T* out) noexcept
{
  for (std::size_t j = 0; j < Cols; ++j) out[j] = start[j];
  for (std::size_t i = 0; i < Rows; ++i, w += Cols) {
    const T gi = g[i];
    for (std::size_t j = 0; j < Cols; ++j) out[j] += w[j] * gi;
  }
}

/// W^T g alone (no start): the input gradient of one time step.
template <std::size_t Rows, std::size_t Cols, class T>
constexpr void transposed_times(const T* w, const T* g, T* out) noexcept
{
  for (std::size_t j = 0; j < Cols; ++j) out[j] = w[j] * g[0];
  for (std::size_t i = 1; i < Rows; ++i) {
    w += Cols;
    const T gi = g[i];
    for (std::size_t j = 0; j < Cols; ++j) out[j] += w[j] * gi;
  }
}

/// The model-file fields of a recurrent layer: hidden=H steps=S return_sequences=true|false.
template <std::size_t Steps, std::size_t Hidden, bool ReturnSequences, class W>
constexpr void describe(W& w)
{
  w.field("hidden", Hidden);
  w.field("steps", Steps);
  w.field("return_sequences", std::string_view(ReturnSequences ? "true" : "false"));
}

/// ctnn::<Name><Steps, In, Hidden, ReturnSequences, T>, for emit_header.
template <std::size_t Steps, std::size_t In, std::size_t Hidden, bool ReturnSequences, class T, class W>
constexpr void spell(W& w, std::string_view name)
{
  w.text("ctnn::");
  w.text(name);
  w.text("<");
  w.number(Steps);
  w.text(", ");
  w.number(In);
  w.text(", ");
  w.number(Hidden);
  w.text(ReturnSequences ? ", true, " : ", false, ");
  w.template scalar<T>();
  w.text(">");
}

}  // namespace detail::recurrent
}  // namespace ctnn
