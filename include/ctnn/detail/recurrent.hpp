#pragma once
// What GRU and LSTM share: the matrix loops of a recurrent cell over flat row-major arrays, each sum
// in one fixed order (left to right over the columns, the bias added last, as Dense), the logistic
// function, the initialiser PyTorch uses for its recurrent layers, and the model-file fields and
// C++ spelling both layers write. Plain loops in a constant expression; at runtime the forward
// pass's matrix products and gate functions run Dense's and the activations' vector kernels, which
// do the same operations per value: the same bits (gru_test.cpp and lstm_test.cpp check wide layers).

#include <cstddef>
#include <string_view>

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
