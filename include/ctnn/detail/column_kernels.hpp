#pragma once
// Runtime forward pass of a Dense layer whose W is stored by columns (wt[j * Out + i] = W[i][j]), as
// the inference form (inference.hpp) keeps it. Column j of W is contiguous, so rows go into vector
// lanes with plain loads: acc = W[:, 0] x[0], then acc += W[:, j] x[j] for j = 1, 2, ..., then the
// bias, which is each row's sum in the plain loop's order (W[i][0] x[0] first, bias last), with no
// shuffles. Several accumulator vectors (rows) and several samples at once hide the add latency and
// share the loads of W. No FMA, no reassociation (-ffp-contract=off).

#include <cstddef>
#include <utility>

#include "ctnn/detail/simd.hpp"

namespace ctnn::detail {

/// Vector registers the target has (x86-64 before AVX-512: 16; AVX-512: 32; others: taken as 16).
inline constexpr std::size_t vector_registers = simd::vector_bytes == 64 ? 32 : 16;

// column(1), ..., column(In - 1) written out.
template <std::size_t... j, class F>
[[gnu::always_inline]] inline void each_column(std::index_sequence<j...>, F& column) noexcept
{
  (column(j + 1), ...);
}

// R vectors of L rows (rows i ... i + R L - 1) for S samples: x[s * x_stride + j] is input j of
// sample s, h[s * h_stride + i] its output i. Accumulator k = r S + s holds rows i + r L ... of
// sample s. Pack expansions rather than simd::unrolled: with eight samples Clang does not inline
// unrolled's lambdas, and the accumulators then live in memory.
template <std::size_t S, std::size_t L, std::size_t In, std::size_t Out, class T, std::size_t... r, std::size_t... s,
          std::size_t... k>
[[gnu::always_inline]] inline void column_block(const T* wt, const T* b, const T* x, std::size_t x_stride, T* h,
                                                std::size_t h_stride, std::size_t i, std::index_sequence<r...>,
                                                std::index_sequence<s...>, std::index_sequence<k...>) noexcept
{
  using V = simd::vec<T, L>;
  V acc[sizeof...(k)];
  {
    const V w0[] = {simd::load<V>(wt + i + r * L)...};
    const T x0[] = {x[s * x_stride]...};
    ((acc[k] = w0[k / S] * x0[k % S]), ...);
  }
  const auto column = [&](std::size_t j) __attribute__((always_inline))
  {
    const V wj[] = {simd::load<V>(wt + j * Out + i + r * L)...};
    const T xj[] = {x[s * x_stride + j]...};
    ((acc[k] = acc[k] + wj[k / S] * xj[k % S]), ...);
  };
  // One sample's short rows written out: GCC -O2 unrolls no loop, and at a few inputs the loop's own
  // cost is as large as the sums'. Longer rows and several samples run faster as a loop (measured).
  if constexpr (sizeof...(s) == 1 && In <= 8)
    each_column(std::make_index_sequence<In - 1>{}, column);
  else
    for (std::size_t j = 1; j < In; ++j) column(j);
  const V bias[] = {simd::load<V>(b + i + r * L)...};
  (simd::store(h + (k % S) * h_stride + i + (k / S) * L, acc[k] + bias[k / S]), ...);
}

// One row (i) for S samples, scalar: the plain loop.
template <std::size_t In, std::size_t Out, class T, std::size_t... s>
[[gnu::always_inline]] inline void column_row(const T* wt, const T* b, const T* x, std::size_t x_stride, T* h,
                                              std::size_t h_stride, std::size_t i, std::index_sequence<s...>) noexcept
{
  T acc[] = {wt[i] * x[s * x_stride]...};
  for (std::size_t j = 1; j < In; ++j) {
    const T wj = wt[j * Out + i];
    ((acc[s] = acc[s] + wj * x[s * x_stride + j]), ...);
  }
  ((h[s * h_stride + i] = acc[s] + b[i]), ...);
}

// Accumulators per block: up to eight chains (two adds a cycle at four cycles' latency need eight in
// flight), at most half the registers, and no more vectors than the rows need.
template <std::size_t S, std::size_t L>
inline constexpr std::size_t column_block_vectors(std::size_t rows) noexcept
{
  std::size_t r = vector_registers / 2 / S;
  if (r > 8) r = 8;
  if (r * L > rows) r = rows / L;
  return r < 1 ? 1 : r;
}

// Rows [First, Out) in blocks of R L rows, then the rest with narrower vectors, then scalar rows.
template <std::size_t S, std::size_t L, std::size_t First, std::size_t In, std::size_t Out, class T>
[[gnu::always_inline]] inline void columns_from(const T* wt, const T* b, const T* x, std::size_t x_stride, T* h,
                                                std::size_t h_stride) noexcept
{
  if constexpr (L >= 2 && Out - First >= L) {
    constexpr std::size_t R = column_block_vectors<S, L>(Out - First);
    constexpr std::size_t blocked = First + (Out - First) / (R * L) * (R * L);
    for (std::size_t i = First; i < blocked; i += R * L)
      column_block<S, L, In, Out>(wt, b, x, x_stride, h, h_stride, i, std::make_index_sequence<R>{},
                                  std::make_index_sequence<S>{}, std::make_index_sequence<R * S>{});
    if constexpr (blocked < Out) columns_from<S, L, blocked, In, Out>(wt, b, x, x_stride, h, h_stride);
  } else if constexpr (L >= 2) {
    columns_from<S, L / 2, First, In, Out>(wt, b, x, x_stride, h, h_stride);
  } else {
    for (std::size_t i = First; i < Out; ++i)
      column_row<In, Out>(wt, b, x, x_stride, h, h_stride, i, std::make_index_sequence<S>{});
  }
}

/// h = W x + b for S samples (x[s * x_stride + j], h[s * h_stride + i]) with W stored by columns
/// (wt[j * Out + i] = W[i][j]): every h value has the plain loop's bits.
template <std::size_t In, std::size_t Out, std::size_t S = 1, class T>
inline void dense_forward_columns(const T* wt, const T* b, const T* x, std::size_t x_stride, T* h,
                                  std::size_t h_stride) noexcept
{
  columns_from<S, simd::lanes<T>, 0, In, Out>(wt, b, x, x_stride, h, h_stride);
}

/// Samples the batch form of dense_forward_columns takes at once for an Out-row layer: as many as
/// leave each block enough accumulators (register blocking, as a matrix product does), at most 8.
template <class T, std::size_t Out>
inline constexpr std::size_t column_batch_samples = [] {
  constexpr std::size_t L = simd::lanes<T>;
  const std::size_t vectors = Out >= L ? Out / L : 1;
  std::size_t s = vector_registers / 2 / (vectors < 4 ? vectors : 4);
  return s > 8 ? std::size_t{8} : s;
}();

}  // namespace ctnn::detail
