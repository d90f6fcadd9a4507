#pragma once
// Shape<D0, D1, ...>: what a layer takes and gives, as a type. Values are stored flat in a
// Vector<T, Shape::size>, row-major (the last dimension varies fastest). The conventions:
//   Shape<N>                       a vector of N values
//   Shape<Steps, Channels>         a sequence, time-major: value [t][c] at t * Channels + c
//   Shape<Height, Width, Channels> an image, channels last: [h][w][c] at (h * Width + w) * Channels + c
// Chaining compares whole shapes: a layer that takes Shape<8, 4> does not take Shape<32>, although
// both hold 32 values (a Flatten layer says what is meant).

#include <array>
#include <cstddef>

namespace ctnn {

/// The dimensions of a layer's input or output, each at least 1.
template <std::size_t... Dims>
struct Shape {
  static_assert(sizeof...(Dims) > 0, "ctnn: a Shape needs at least one dimension");
  static_assert(((Dims > 0) && ...), "ctnn: every dimension of a Shape must be at least 1");

  static constexpr std::size_t rank = sizeof...(Dims);
  /// How many values the shape holds: the product of its dimensions.
  static constexpr std::size_t size = (std::size_t{1} * ... * Dims);
  static constexpr std::array<std::size_t, sizeof...(Dims)> dims{Dims...};

  /// The flat index of a position, row-major: index(t, c) = t * Channels + c.
  template <class... Index>
    requires(sizeof...(Index) == sizeof...(Dims))
  static constexpr std::size_t index(Index... at) noexcept
  {
    const std::size_t positions[] = {static_cast<std::size_t>(at)...};
    std::size_t flat = 0;
    for (std::size_t d = 0; d < rank; ++d) flat = flat * dims[d] + positions[d];
    return flat;
  }
};

namespace detail {
template <class S>
inline constexpr bool is_shape = false;
template <std::size_t... Dims>
inline constexpr bool is_shape<Shape<Dims...>> = true;
}  // namespace detail

/// True for Shape<...> types.
template <class S>
concept ShapeType = detail::is_shape<S>;

}  // namespace ctnn
