#pragma once
// Runtime-only SIMD building blocks (GCC/Clang vector extensions), for detail/kernels.hpp and
// detail/simd_math.hpp. Every lane gets the IEEE operations the scalar constexpr code gives its
// value, in the same order: vectors run several independent values side by side, never one sum in
// a different order. The width follows the target's widest vector registers (SSE2/NEON 16 bytes,
// AVX 32, AVX-512 64), so no code is built for registers the target lacks.

#include <cstddef>
#include <type_traits>
#include <utility>

namespace ctnn::detail::simd {

#if defined(__AVX512F__)
inline constexpr std::size_t vector_bytes = 64;
#elif defined(__AVX__)
inline constexpr std::size_t vector_bytes = 32;
#else
inline constexpr std::size_t vector_bytes = 16;
#endif

/// Values of T in one full-width vector.
template <class T>
inline constexpr std::size_t lanes = vector_bytes / sizeof(T);

/// L values of T side by side.
template <class T, std::size_t L>
using vec [[gnu::vector_size(L * sizeof(T))]] = T;

template <class V, class T>
[[gnu::always_inline]] inline V load(const T* p) noexcept
{
  V v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

template <class V, class T>
[[gnu::always_inline]] inline void store(T* p, const V& v) noexcept
{
  __builtin_memcpy(p, &v, sizeof v);
}

/// The largest power of two not above n (n >= 1), capped at cap.
constexpr std::size_t power_of_two_at_most(std::size_t n, std::size_t cap) noexcept
{
  std::size_t p = 1;
  while (p * 2 <= n && p * 2 <= cap) p *= 2;
  return p;
}

/// Calls f(std::integral_constant<std::size_t, i>{}) for i = 0, 1, ..., Count - 1 in order, written
/// out: the index is a constant, so arrays indexed by it stay in registers.
template <std::size_t Count, class F>
[[gnu::always_inline]] inline void unrolled(F&& f) noexcept
{
  [&]<std::size_t... i>(std::index_sequence<i...>) {
    (f(std::integral_constant<std::size_t, i>{}), ...);
  }(std::make_index_sequence<Count>{});
}

// Swaps the off-diagonal D x D blocks of the 2D x 2D blocks that rows a and b (D rows apart) belong to.
template <std::size_t D, class V, std::size_t... l>
[[gnu::always_inline]] inline void swap_blocks(V& a, V& b, std::index_sequence<l...>) noexcept
{
  constexpr std::size_t L = sizeof...(l);
  const V low = __builtin_shufflevector(a, b, ((l & D) == 0 ? l : l - D + L)...);
  const V high = __builtin_shufflevector(a, b, ((l & D) == 0 ? l + D : l + L)...);
  a = low;
  b = high;
}

// One stage of transpose(): the swaps at distance D, written out (a loop here would leave the rows
// in memory at -O2, which does not unroll it).
template <std::size_t D, std::size_t L, class V, std::size_t... k>
[[gnu::always_inline]] inline void transpose_stage(V (&rows)[L], std::index_sequence<k...>) noexcept
{
  (swap_blocks<D>(rows[(k / D) * 2 * D + k % D], rows[(k / D) * 2 * D + k % D + D], std::make_index_sequence<L>{}),
   ...);
}

/// Transposes the L x L matrix held as L row vectors of L lanes (L a power of two): block swaps at
/// distance L/2, L/4, ..., 1.
template <std::size_t L, class V, std::size_t D = L / 2>
[[gnu::always_inline]] inline void transpose(V (&rows)[L]) noexcept
{
  if constexpr (D >= 1) {
    transpose_stage<D>(rows, std::make_index_sequence<L / 2>{});
    transpose<L, V, D / 2>(rows);
  }
}

// Interleaves within each 128-bit lane of float vectors, as unpcklps/unpckhps (Width 1) and
// unpcklpd/unpckhpd on float pairs (Width 2) do: lane q of the result is a[4q + Start ...] and
// b[4q + Start ...] alternating in runs of Width.
template <std::size_t Start, std::size_t Width, class V, std::size_t... l>
[[gnu::always_inline]] inline V interleave(const V& a, const V& b, std::index_sequence<l...>) noexcept
{
  constexpr std::size_t L = sizeof...(l);
  // Lane l = 4q + p: run p / Width, position p % Width; even runs from a, odd runs from b.
  return __builtin_shufflevector(
      a, b,
      ((l / 4) * 4 + Start + (l % 4) / (2 * Width) * Width + (l % 4) % Width + ((l % 4) / Width % 2 == 1 ? L : 0))...);
}

// Transposes the G x G matrix of 4-lane blocks held in G vectors of L = 4G lanes: block swaps at
// element distance D = L/2, ..., 4, between vectors D/4 apart.
template <std::size_t D, std::size_t L, class V, std::size_t G>
[[gnu::always_inline]] inline void transpose_blocks(V (&blocks)[G]) noexcept
{
  if constexpr (D >= 4) {
    constexpr std::size_t d = D / 4;
    unrolled<G / 2>([&](auto k) {
      constexpr std::size_t i = (k / d) * 2 * d + k % d;
      swap_blocks<D>(blocks[i], blocks[i + d], std::make_index_sequence<L>{});
    });
    transpose_blocks<D / 2, L>(blocks);
  }
}

/// transpose() for float vectors of 4, 8 or 16 lanes in the shape x86 does it in: a 4 x 4 transpose
/// inside each 128-bit lane (eight unpack instructions per four rows), then block swaps of 128-bit
/// lanes across groups of four rows. The element-wise block swaps of transpose() would take two
/// instructions for each of the first stage's eight.
template <std::size_t L, class V>
[[gnu::always_inline]] inline void transpose_floats(V (&rows)[L]) noexcept
{
  static_assert(L % 4 == 0);
  constexpr auto lanes = std::make_index_sequence<L>{};
  V by_group[L / 4][4];  // [g][k]: lane q holds column 4q + k of rows 4g ... 4g + 3
  unrolled<L / 4>([&](auto g) {
    const V t0 = interleave<0, 1>(rows[4 * g], rows[4 * g + 1], lanes);
    const V t1 = interleave<2, 1>(rows[4 * g], rows[4 * g + 1], lanes);
    const V t2 = interleave<0, 1>(rows[4 * g + 2], rows[4 * g + 3], lanes);
    const V t3 = interleave<2, 1>(rows[4 * g + 2], rows[4 * g + 3], lanes);
    by_group[g][0] = interleave<0, 2>(t0, t2, lanes);
    by_group[g][1] = interleave<2, 2>(t0, t2, lanes);
    by_group[g][2] = interleave<0, 2>(t1, t3, lanes);
    by_group[g][3] = interleave<2, 2>(t1, t3, lanes);
  });
  // For each k, the L/4 x L/4 matrix of 128-bit blocks by_group[g][k].lane(q) is transposed, so
  // that vector q holds column 4q + k of every row.
  unrolled<4>([&](auto k) {
    V blocks[L / 4];
    unrolled<L / 4>([&](auto g) { blocks[g] = by_group[g][k]; });
    transpose_blocks<L / 2, L>(blocks);
    unrolled<L / 4>([&](auto q) { rows[4 * q + k] = blocks[q]; });
  });
}

/// Calls f with references to the values at index i of every array, lanes<T> indices at a time as
/// vectors and then one at a time as scalars, storing the values of the non-const arrays back: f is
/// generic, so each value gets the same expression either way. For N values of T per array.
template <std::size_t N, class T, class F, class... P>
[[gnu::always_inline]] inline void for_each_lanes(F f, P*... arrays) noexcept
{
  using V = vec<T, lanes<T>>;
  constexpr std::size_t vectors = N - N % lanes<T>;
  for (std::size_t i = 0; i < vectors; i += lanes<T>) {
    [&](auto... values) {
      f(values...);
      ((std::is_const_v<P> ? void() : store(const_cast<std::remove_const_t<P>*>(arrays) + i, values)), ...);
    }(load<V>(arrays + i)...);
  }
  for (std::size_t i = vectors; i < N; ++i) f(arrays[i]...);
}

}  // namespace ctnn::detail::simd
