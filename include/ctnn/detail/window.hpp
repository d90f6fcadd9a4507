#pragma once
// The geometry shared by Conv2D and the pooling layers: a kernel window sliding over an image of
// Shape<H, W, C> with a stride, a dilation and padding, and where each output position's window
// lies in the input. Padding is PyTorch's: valid (none), explicit (top, bottom, left, right), or
// same, whose output has ceil(in / stride) positions and whose padding is split with the smaller
// half before (PyTorch's padding="same" at stride 1, TensorFlow's at any stride).

#include <array>
#include <cstddef>

#include "ctnn/padding.hpp"

namespace ctnn {

/// The options of a Conv2D (a class template argument: ctnn::ConvOptions{.stride_h = 2, ...}).
struct ConvOptions {
  std::size_t stride_h = 1;
  std::size_t stride_w = 1;
  Padding padding = Padding::valid;
  /// Used with Padding::explicit_sizes only.
  std::size_t pad_top = 0;
  std::size_t pad_bottom = 0;
  std::size_t pad_left = 0;
  std::size_t pad_right = 0;
  std::size_t dilation_h = 1;
  std::size_t dilation_w = 1;
  /// Input and output channels are split into this many groups; groups == input channels is depthwise.
  std::size_t groups = 1;
  bool bias = true;
};

/// The options of a pooling layer. A stride of 0 means the kernel's size (PyTorch's default).
struct PoolOptions {
  std::size_t stride_h = 0;
  std::size_t stride_w = 0;
  Padding padding = Padding::valid;
  std::size_t pad_top = 0;
  std::size_t pad_bottom = 0;
  std::size_t pad_left = 0;
  std::size_t pad_right = 0;
};

namespace detail {

/// One axis of a window: input size In, kernel K, stride, dilation, padding before and after.
struct window_axis {
  std::size_t in;
  std::size_t kernel;
  std::size_t stride;
  std::size_t dilation;
  std::size_t pad_before;
  std::size_t pad_after;

  constexpr std::size_t span() const noexcept { return dilation * (kernel - 1) + 1; }
  constexpr bool fits() const noexcept
  {
    return stride > 0 && dilation > 0 && kernel > 0 && in + pad_before + pad_after >= span();
  }
  /// Output positions (1 when the window does not fit, so that types stay well formed after the error).
  constexpr std::size_t out() const noexcept
  {
    return fits() ? (in + pad_before + pad_after - span()) / stride + 1 : 1;
  }
  /// The first kernel tap of output position o that lands in the input, and one past the last.
  constexpr std::size_t first_tap(std::size_t o) const noexcept
  {
    const std::size_t start = o * stride;  // in padded coordinates
    std::size_t k = 0;
    while (k < kernel && start + k * dilation < pad_before) ++k;
    return k;
  }
  constexpr std::size_t end_tap(std::size_t o) const noexcept
  {
    const std::size_t start = o * stride;
    std::size_t k = kernel;
    while (k > 0 && start + (k - 1) * dilation >= pad_before + in) --k;
    return k;
  }
  /// The input index of tap k of output position o (valid for first_tap <= k < end_tap).
  constexpr std::size_t input_at(std::size_t o, std::size_t k) const noexcept
  {
    return o * stride + k * dilation - pad_before;
  }
};

constexpr window_axis make_axis(std::size_t in, std::size_t kernel, std::size_t stride, std::size_t dilation,
                                Padding padding, std::size_t explicit_before, std::size_t explicit_after) noexcept
{
  window_axis axis{in, kernel, stride, dilation, 0, 0};
  if (padding == Padding::explicit_sizes) {
    axis.pad_before = explicit_before;
    axis.pad_after = explicit_after;
  } else if (padding == Padding::same && stride > 0 && dilation > 0 && kernel > 0) {
    const std::size_t out = (in + stride - 1) / stride;
    const std::size_t needed = (out - 1) * stride + axis.span();
    const std::size_t total = needed > in ? needed - in : 0;
    axis.pad_before = total / 2;
    axis.pad_after = total - total / 2;
  }
  return axis;
}

// Where each output row (or column) starts in the input, wrapping below zero (unsigned arithmetic
// is modular; a tap index is only used between first and end, where it is in range), and which taps
// land in the input.
template <std::size_t Out>
struct axis_table {
  std::array<std::size_t, Out> origin{};
  std::array<std::size_t, Out> first{};
  std::array<std::size_t, Out> end{};
};
template <std::size_t Out>
constexpr axis_table<Out> make_axis_table(const window_axis& axis) noexcept
{
  axis_table<Out> t{};
  for (std::size_t o = 0; o < Out; ++o) {
    t.origin[o] = o * axis.stride - axis.pad_before;
    t.first[o] = axis.first_tap(o);
    t.end[o] = axis.end_tap(o);
  }
  return t;
}

}  // namespace detail
}  // namespace ctnn
