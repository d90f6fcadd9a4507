#pragma once
// Runtime shapes of Dense's loops. Dense runs its plain loops in a constant expression (few calls,
// which is what the evaluator pays for) and these at runtime, where the loop order decides the speed.
// Each output value gets the same operations in the same order as in the plain loops, so the bits
// are the same; only the order in which independent outputs are computed differs:
//   - forward sums several rows side by side, each still left to right from W[i][0] x[0] with the
//     bias added last: independent chains instead of one latency-bound chain per row;
//   - the SGD step walks W row by row with dx[j] = ((0 + W[0][j] db[0]) + W[1][j] db[1]) + ...
//     accumulated across rows, so both run along contiguous j and vectorize.
// No FMA, no reassociation: the build's -ffp-contract=off applies here as everywhere in ctnn.

#include <cstddef>
#include <utility>

namespace ctnn::detail {

// Rows shorter than this are not latency-bound (the CPU overlaps them on its own) and the plain loops,
// fully unrolled by the compiler, are as fast or faster. Also keeps tiny layers (XOR's 2-3-1) on the
// exact code the constant evaluator runs, with no is_constant_evaluated() call for it to evaluate.
template <std::size_t In>
inline constexpr bool use_runtime_kernels = In >= 8;

// Rows consecutive rows of h = W x + b. The accumulators are a fold over the row index, so there
// is no loop over rows for the compiler to keep in memory (GCC -O2 does not unroll one).
template <std::size_t Rows, std::size_t In, class T>
constexpr void dense_forward_rows(const T* w, const T* b, const T* x, T* h) noexcept
{
  [&]<std::size_t... r>(std::index_sequence<r...>) {
    T sum[Rows] = {(w[r * In] * x[0])...};
    for (std::size_t j = 1; j < In; ++j) {
      const T xj = x[j];
      ((sum[r] += w[r * In + j] * xj), ...);
    }
    ((h[r] = sum[r] + b[r]), ...);
  }(std::make_index_sequence<Rows>{});
}

/// h = W x + b for a row-major Out x In matrix W: eight rows at a time (eight add chains hide the
/// add latency and fit in the sixteen SSE/AVX registers with room for x and the loads), then four,
/// two and one for the rest.
template <std::size_t In, std::size_t Out, class T>
constexpr void dense_forward(const T* w, const T* b, const T* x, T* h) noexcept
{
  std::size_t i = 0;
  for (; i + 8 <= Out; i += 8) dense_forward_rows<8, In>(w + i * In, b + i, x, h + i);
  if constexpr (Out % 8 >= 4) {
    dense_forward_rows<4, In>(w + i * In, b + i, x, h + i);
    i += 4;
  }
  if constexpr (Out % 4 >= 2) {
    dense_forward_rows<2, In>(w + i * In, b + i, x, h + i);
    i += 2;
  }
  if constexpr (Out % 2 == 1) dense_forward_rows<1, In>(w + i * In, b + i, x, h + i);
}

// Rows consecutive rows of the SGD step: dx[j] gains these rows' terms in ascending row order, each
// read before its weight changes, then each weight takes rate * (delta * x[j]) away. Several rows
// per pass share the loads of x and dx.
template <std::size_t Rows, bool NeedInputGradient, std::size_t In, class T>
constexpr void dense_sgd_rows(T* w, T* b, const T* x, const T* db, T rate, T* dx) noexcept
{
  [&]<std::size_t... r>(std::index_sequence<r...>) {
    const T delta[Rows] = {db[r]...};
    for (std::size_t j = 0; j < In; ++j) {
      if constexpr (NeedInputGradient) {
        T sum = dx[j];
        ((sum += w[r * In + j] * delta[r]), ...);
        dx[j] = sum;
      }
      const T xj = x[j];
      ((w[r * In + j] -= rate * (delta[r] * xj)), ...);
    }
    ((b[r] -= rate * delta[r]), ...);
  }(std::make_index_sequence<Rows>{});
}

/// One SGD step for Dense: dx = W^T db from W before the step, summed over rows from 0 up and
/// starting from zero (left zero unless NeedInputGradient), then W -= rate * (db x^T) and
/// b -= rate * db, with Dense's arithmetic. x and dx are worked on as local copies: the compiler
/// then knows that the stores to W change neither, and vectorizes along j without runtime checks.
template <bool NeedInputGradient, std::size_t In, std::size_t Out, class T>
constexpr void dense_sgd_step(T* w, T* b, const T* x, const T* db, T rate, T* dx) noexcept
{
  T xs[In];
  T sums[In];
  for (std::size_t j = 0; j < In; ++j) {
    xs[j] = x[j];
    sums[j] = T(0);
  }
  constexpr std::size_t blocked = Out - Out % 4;
  for (std::size_t i = 0; i < blocked; i += 4)
    dense_sgd_rows<4, NeedInputGradient, In>(w + i * In, b + i, xs, db + i, rate, sums);
  if constexpr (blocked < Out)
    for (std::size_t i = blocked; i < Out; ++i)
      dense_sgd_rows<1, NeedInputGradient, In>(w + i * In, b + i, xs, db + i, rate, sums);
  for (std::size_t j = 0; j < In; ++j) dx[j] = sums[j];
}

}  // namespace ctnn::detail
