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

/// Calls f(std::integral_constant<std::size_t, i>{}) for i = 0, 1, ..., Count - 1 in order, written
/// out: the index is a constant, so arrays indexed by it stay in registers.
template <std::size_t Count, class F>
[[gnu::always_inline]] inline void unrolled(F&& f) noexcept
{
  [&]<std::size_t... i>(std::index_sequence<i...>) {
    (f(std::integral_constant<std::size_t, i>{}), ...);
  }(std::make_index_sequence<Count>{});
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
