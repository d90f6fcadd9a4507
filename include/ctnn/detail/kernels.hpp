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

#include "ctnn/detail/simd.hpp"

namespace ctnn::detail {

// Rows shorter than this are not latency-bound (the CPU overlaps them on its own) and the plain loops,
// fully unrolled by the compiler, are as fast or faster. Also keeps tiny layers (XOR's 2-3-1) on the
// exact code the constant evaluator runs, with no is_constant_evaluated() call for it to evaluate.
template <std::size_t In>
inline constexpr bool use_runtime_kernels = In >= 8;

// The forward pass with rows in vector lanes pays from four inputs and two outputs on (at 2-3-1 the
// plain loops are as fast).
template <std::size_t In, std::size_t Out>
inline constexpr bool use_vector_forward = In >= 4 && Out >= 2;

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

// R * L consecutive rows of h = W x + b with the rows in vector lanes: each L x L tile of W is
// transposed in registers, so that column j of the tile multiplies x[j] in every lane at once. Each
// lane (row) still starts with W[i][0] x[0], adds the products for j = 1, 2, ... in order and the
// bias last, as the plain loop does; R independent vectors hide the add latency.
template <std::size_t R, std::size_t L, std::size_t In, class T>
[[gnu::always_inline]] inline void dense_forward_lanes(const T* w, const T* b, const T* x, T* h) noexcept
{
  using V = simd::vec<T, L>;
  static_assert(In >= L);
  V acc[R];
  // Tile (r, j0): rows r L ... r L + L - 1, columns j0 ... j0 + L - 1, transposed.
  const auto tile_at = [&](std::size_t r, std::size_t j0, V(&tile)[L]) {
    simd::unrolled<L>([&](auto l) { tile[l] = simd::load<V>(w + (r * L + l) * In + j0); });
    if constexpr (sizeof(T) == 4 && L >= 4)
      simd::transpose_floats<L>(tile);
    else
      simd::transpose<L>(tile);
  };
  simd::unrolled<R>([&](auto r) {
    V tile[L];
    tile_at(r, 0, tile);
    acc[r] = tile[0] * x[0];
    simd::unrolled<L - 1>([&](auto k) { acc[r] = acc[r] + tile[k + 1] * x[k + 1]; });
  });
  for (std::size_t j0 = L; j0 + L <= In; j0 += L) {
    simd::unrolled<R>([&](auto r) {
      V tile[L];
      tile_at(r, j0, tile);
      simd::unrolled<L>([&](auto k) { acc[r] = acc[r] + tile[k] * x[j0 + k]; });
    });
  }
  for (std::size_t j = In - In % L; j < In; ++j) {
    simd::unrolled<R>([&](auto r) {
      V column;
      simd::unrolled<L>([&](auto l) { column[l.value] = w[(r * L + l) * In + j]; });
      acc[r] = acc[r] + column * x[j];
    });
  }
  simd::unrolled<R>([&](auto r) { simd::store(h + r * L, acc[r] + simd::load<V>(b + r * L)); });
}

// Rows [First, Out) of h = W x + b in blocks of 4L (or 2L), 2L and L rows, then the rest with
// narrower vectors.
template <std::size_t In, std::size_t Out, std::size_t L, std::size_t First, class T>
[[gnu::always_inline]] inline void dense_forward_from(const T* w, const T* b, const T* x, T* h) noexcept
{
  std::size_t i = First;
  if constexpr (L >= 2) {
    // Four vectors of rows where there are registers for them (16-byte vectors), two for wider ones.
    constexpr std::size_t R = L * sizeof(T) <= 16 ? 4 : 2;
    for (; i + R * L <= Out; i += R * L) dense_forward_lanes<R, L, In>(w + i * In, b + i, x, h + i);
    if constexpr (R == 4 && (Out - First) % (4 * L) >= 2 * L) {
      dense_forward_lanes<2, L, In>(w + i * In, b + i, x, h + i);
      i += 2 * L;
    }
    if constexpr ((Out - First) % (2 * L) >= L) {
      dense_forward_lanes<1, L, In>(w + i * In, b + i, x, h + i);
      i += L;
    }
    constexpr std::size_t done = Out - (Out - First) % L;
    if constexpr (done < Out) dense_forward_from<In, Out, L / 2, done>(w, b, x, h);
  } else {
    for (; i < Out; ++i) dense_forward_rows<1, In>(w + i * In, b + i, x, h + i);
  }
}

/// h = W x + b for a row-major Out x In matrix W, rows in vector lanes (dense_forward_lanes).
/// With Clang, at most 32-byte vectors: Clang 16 at -O3 -march=native spills a 16 x 16 float tile
/// transposed in AVX-512 registers (32 x 32 float predict in a dependent chain: 1,327 -> 75 ns). GCC
/// keeps full width: its 16-lane tiles are the faster ones (16 x 16 float: 57 against 94 ns). Every
/// lane sums in the same order at any width, so the bits are the same.
template <std::size_t In, std::size_t Out, class T>
inline void dense_forward(const T* w, const T* b, const T* x, T* h) noexcept
{
#if defined(__clang__)
  constexpr std::size_t widest = simd::vector_bytes < 32 ? simd::vector_bytes : 32;
#else
  constexpr std::size_t widest = simd::vector_bytes;
#endif
  constexpr std::size_t L = simd::power_of_two_at_most(In < Out ? In : Out, widest / sizeof(T));
  dense_forward_from<In, Out, L, 0>(w, b, x, h);
}

// Rows consecutive rows of the SGD step: dx[j] gains these rows' terms in ascending row order, each
// read before its weight changes, then each weight takes rate * (delta * x[j]) away. Several rows
// per pass share the loads of x and dx.
// Always inlined: Clang 16 at -O3 -march=native calls it otherwise (a 128-10 step 100 -> 73 ns).
template <std::size_t Rows, bool NeedInputGradient, std::size_t In, class T>
[[gnu::always_inline]] constexpr void dense_sgd_rows(T* w, T* b, const T* x, const T* db, T rate, T* dx) noexcept
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
/// Without dx the rows are independent and are stepped from the last up: the forward pass reads W
/// from the first row down, so a W larger than the L1 cache then finds its first rows still there
/// from this step, and this step finds the last rows from the forward pass (64 x 128 doubles with
/// AVX-512: 0.96 -> 0.75 us for step + forward).
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
  const auto block = [&]<std::size_t Rows>(std::size_t i) {
    dense_sgd_rows<Rows, NeedInputGradient, In>(w + i * In, b + i, xs, db + i, rate, sums);
  };
  if constexpr (NeedInputGradient) {
    for (std::size_t i = 0; i < blocked; i += 4) block.template operator()<4>(i);
    // The rest in a pair and a single row: each pass loads and stores dx's sums once.
    if constexpr (Out % 4 >= 2) block.template operator()<2>(blocked);
    if constexpr (Out % 2 == 1) block.template operator()<1>(Out - 1);
  } else {
    if constexpr (Out % 2 == 1) block.template operator()<1>(Out - 1);
    if constexpr (Out % 4 >= 2) block.template operator()<2>(blocked);
    for (std::size_t i = blocked; i >= 4; i -= 4) block.template operator()<4>(i - 4);
  }
  for (std::size_t j = 0; j < In; ++j) dx[j] = sums[j];
}

// Rows consecutive rows of the backward pass for stored gradients, along j in vectors of U (a
// vector or, for the last columns, a scalar): dx[j] gains W[r][j] delta[r] in ascending row order,
// and each gradient of W becomes delta[r] x[j] (or has it added, for a mini-batch's sum).
template <std::size_t Rows, bool NeedInputGradient, bool Accumulate, std::size_t In, class U, class T>
[[gnu::always_inline]] inline void dense_gradient_columns(const T* w, T* gw, const T* x, const T* delta, T* dx,
                                                          std::size_t j) noexcept
{
  const U xj = simd::load<U>(x + j);
  U sum{};
  if constexpr (NeedInputGradient) sum = simd::load<U>(dx + j);
  simd::unrolled<Rows>([&](auto r) {
    if constexpr (NeedInputGradient) sum = sum + simd::load<U>(w + r * In + j) * delta[r];
    if constexpr (Accumulate)
      simd::store(gw + r * In + j, simd::load<U>(gw + r * In + j) + delta[r] * xj);
    else
      simd::store(gw + r * In + j, delta[r] * xj);
  });
  if constexpr (NeedInputGradient) simd::store(dx + j, sum);
}

// Rows consecutive rows of dense_gradients: explicit vectors, since the compilers cannot tell that
// the gradient stores leave W alone and would not vectorise the plain loop at -O2.
template <std::size_t Rows, bool NeedInputGradient, bool Accumulate, std::size_t In, class T>
[[gnu::always_inline]] inline void dense_gradient_rows(const T* w, T* gw, T* gb, const T* x, const T* db,
                                                       T* dx) noexcept
{
  constexpr std::size_t L = simd::lanes<T>;
  using V = simd::vec<T, L>;
  T delta[Rows];
  simd::unrolled<Rows>([&](auto r) { delta[r] = db[r]; });
  constexpr std::size_t vectors = In - In % L;
  for (std::size_t j = 0; j < vectors; j += L)
    dense_gradient_columns<Rows, NeedInputGradient, Accumulate, In, V>(w, gw, x, delta, dx, j);
  if constexpr (vectors < In)  // a loop that cannot run would draw GCC's aggressive-loop warning
    for (std::size_t j = vectors; j < In; ++j)
      dense_gradient_columns<Rows, NeedInputGradient, Accumulate, In, T>(w, gw, x, delta, dx, j);
  simd::unrolled<Rows>([&](auto r) {
    if constexpr (Accumulate)
      gb[r] += delta[r];
    else
      gb[r] = delta[r];
  });
}

/// Dense's backward pass into stored gradients (mini-batches, and optimizers other than SGD), with
/// the plain loops' arithmetic: gb = db and gW = db x^T, or both added to the sums when Accumulate;
/// when NeedInputGradient, dx = W^T db summed over rows from 0 up, starting from zero (dx is left
/// alone otherwise). db may be gb itself.
template <bool NeedInputGradient, bool Accumulate, std::size_t In, std::size_t Out, class T>
inline void dense_gradients(const T* w, T* gw, T* gb, const T* x, const T* db, T* dx) noexcept
{
  T xs[In];
  T sums[In];
  for (std::size_t j = 0; j < In; ++j) {
    xs[j] = x[j];
    sums[j] = T(0);
  }
  T deltas[Out];
  for (std::size_t i = 0; i < Out; ++i) deltas[i] = db[i];
  constexpr std::size_t blocked = Out - Out % 4;
  for (std::size_t i = 0; i < blocked; i += 4)
    dense_gradient_rows<4, NeedInputGradient, Accumulate, In>(w + i * In, gw + i * In, gb + i, xs, deltas + i, sums);
  if constexpr (Out % 4 >= 2)
    dense_gradient_rows<2, NeedInputGradient, Accumulate, In>(w + blocked * In, gw + blocked * In, gb + blocked, xs,
                                                              deltas + blocked, sums);
  if constexpr (Out % 2 == 1)
    dense_gradient_rows<1, NeedInputGradient, Accumulate, In>(w + (Out - 1) * In, gw + (Out - 1) * In, gb + Out - 1, xs,
                                                              deltas + Out - 1, sums);
  if constexpr (NeedInputGradient)
    for (std::size_t j = 0; j < In; ++j) dx[j] = sums[j];
}

}  // namespace ctnn::detail
