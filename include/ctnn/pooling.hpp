#pragma once
// Pooling over images of Shape<H, W, C> (channels last), channel by channel, as PyTorch's layers:
//   MaxPool2D<H, W, C, KH, KW, PoolOptions, T>  the largest value of each window (the first one on a
//                                               tie; NaN wins); padding is never the maximum.
//   AvgPool2D<H, W, C, KH, KW, PoolOptions, T>  the window's sum (in window order) / (KH * KW),
//                                               padding counted as zeros (count_include_pad=True).
//   GlobalAvgPool2D<H, W, C, T>                 Shape<C>: each channel's mean over the image, summed
//                                               in position order (nn.AdaptiveAvgPool2d(1) + Flatten).
// The stride defaults to the kernel's size. None has parameters: set-not-trained layers (trainable =
// false) with a backward pass for the layers before them.

#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

#include "ctnn/detail/window.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

namespace detail {

enum class pool_kind { max, average };

template <pool_kind Kind, std::size_t H, std::size_t W, std::size_t C, std::size_t KernelH, std::size_t KernelW,
          PoolOptions Options, class T>
struct pool2d {
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(Options.padding != Padding::causal,
                "ctnn: a pooling layer pads valid, same or explicit_sizes (Padding::causal is for sequences)");
  static_assert(H > 0 && W > 0 && C > 0 && KernelH > 0 && KernelW > 0,
                "ctnn: a pooling layer needs an image, channels and a kernel of at least 1 in every dimension");

  static constexpr window_axis rows = make_axis(H, KernelH, Options.stride_h > 0 ? Options.stride_h : KernelH, 1,
                                                Options.padding, Options.pad_top, Options.pad_bottom);
  static constexpr window_axis columns = make_axis(W, KernelW, Options.stride_w > 0 ? Options.stride_w : KernelW, 1,
                                                   Options.padding, Options.pad_left, Options.pad_right);
  static_assert(!(H > 0 && W > 0 && C > 0 && KernelH > 0 && KernelW > 0) || (rows.fits() && columns.fits()),
                "ctnn: the pooling window is larger than the padded input image");
  static_assert(!(H > 0 && W > 0 && C > 0 && KernelH > 0 && KernelW > 0 && rows.fits() && columns.fits()) ||
                    (rows.pad_before < KernelH && rows.pad_after < KernelH && columns.pad_before < KernelW &&
                     columns.pad_after < KernelW),
                "ctnn: a pooling layer's padding must be smaller than its window, or a window would hold only padding");

  static constexpr std::size_t out_height = rows.out();
  static constexpr std::size_t out_width = columns.out();

  using scalar_type = T;
  using input_shape = Shape<(H > 0 ? H : 1), (W > 0 ? W : 1), (C > 0 ? C : 1)>;
  using output_shape = Shape<out_height, out_width, (C > 0 ? C : 1)>;
  using input_type = Vector<T, input_shape::size>;
  using output_type = Vector<T, output_shape::size>;
  static constexpr std::size_t parameter_count = 0;
  static constexpr bool trainable = false;
  static constexpr std::string_view kind = Kind == pool_kind::max ? "MaxPool2D" : "AvgPool2D";
  static constexpr std::string_view header = "ctnn/pooling.hpp";

  /// Max pooling keeps where each output came from; average pooling needs nothing.
  struct max_cache {
    std::size_t from[output_shape::size];
  };
  struct no_cache {};
  using cache_type = std::conditional_t<Kind == pool_kind::max, max_cache, no_cache>;

 private:
  static constexpr auto row_table = make_axis_table<out_height>(rows);
  static constexpr auto column_table = make_axis_table<out_width>(columns);

  // Without padding every window lies in the image: small windows then run as folds over their
  // taps (cheaper for the constant evaluators), the same comparisons and sums in the same order.
  static constexpr bool folds = rows.pad_before == 0 && rows.pad_after == 0 && columns.pad_before == 0 &&
                                columns.pad_after == 0 && KernelH * KernelW <= 64;
  template <std::size_t... K>
  static constexpr auto taps_of(std::index_sequence<K...>)
      -> std::index_sequence<(K / KernelW * W + K % KernelW) * C...>;
  using tap_pack = std::conditional_t<folds, decltype(taps_of(std::make_index_sequence<KernelH * KernelW>{})),
                                      std::index_sequence<>>;

  template <std::size_t... Offset>
  constexpr void pool_folded(const input_type& x, cache_type& c, output_type& y,
                             std::index_sequence<Offset...>) const noexcept
  {
    for (std::size_t oh = 0, out = 0; oh < out_height; ++oh)
      for (std::size_t ow = 0; ow < out_width; ++ow) {
        const std::size_t corner = (oh * rows.stride * W + ow * columns.stride) * C;
        for (std::size_t ch = 0; ch < C; ++ch, ++out) {
          const std::size_t start = corner + ch;
          if constexpr (Kind == pool_kind::max) {
            std::size_t best = start;
            ((best = !(x.values[start + Offset] <= x.values[best]) ? start + Offset : best), ...);
            c.from[out] = best;
            y.values[out] = x.values[best];
          } else {
            y.values[out] = (T(0) + ... + x.values[start + Offset]) / static_cast<T>(KernelH * KernelW);
          }
        }
      }
  }

 public:
  constexpr output_type operator()(const input_type& x) const noexcept
  {
    cache_type c;
    output_type y;
    forward(x, c, y);
    return y;
  }

  constexpr void forward(const input_type& x, cache_type& c, output_type& y) const noexcept
  {
    if constexpr (folds) {
      pool_folded(x, c, y, tap_pack{});
      return;
    }
    for (std::size_t oh = 0, out = 0; oh < out_height; ++oh) {
      const std::size_t row0 = row_table.origin[oh], kh0 = row_table.first[oh], kh1 = row_table.end[oh];
      for (std::size_t ow = 0; ow < out_width; ++ow) {
        const std::size_t col0 = column_table.origin[ow], kw0 = column_table.first[ow], kw1 = column_table.end[ow];
        for (std::size_t ch = 0; ch < C; ++ch, ++out) {
          if constexpr (Kind == pool_kind::max) {
            std::size_t best = ((row0 + kh0) * W + col0 + kw0) * C + ch;
            for (std::size_t kh = kh0; kh < kh1; ++kh)
              for (std::size_t kw = kw0; kw < kw1; ++kw) {
                const std::size_t at = ((row0 + kh) * W + col0 + kw) * C + ch;
                if (!(x.values[at] <= x.values[best])) best = at;  // larger, or NaN
              }
            c.from[out] = best;
            y.values[out] = x.values[best];
          } else {
            T sum = T(0);
            for (std::size_t kh = kh0; kh < kh1; ++kh)
              for (std::size_t kw = kw0; kw < kw1; ++kw) sum += x.values[((row0 + kh) * W + col0 + kw) * C + ch];
            y.values[out] = sum / static_cast<T>(KernelH * KernelW);
          }
        }
      }
    }
  }

  /// dx: each output's gradient to where its maximum came from (added up where windows overlap),
  /// or spread evenly over its window.
  template <bool NeedInputGradient, bool GivenPreActivationGradient = false, class Gradients>
  constexpr void backward(const input_type&, const cache_type& c, const output_type&, const output_type& dy, Gradients&,
                          input_type& dx) const noexcept
  {
    if constexpr (NeedInputGradient) {
      for (auto& v : dx.values) v = T(0);
      if constexpr (Kind == pool_kind::max) {
        for (std::size_t out = 0; out < output_shape::size; ++out) dx.values[c.from[out]] += dy.values[out];
      } else {
        for (std::size_t oh = 0, out = 0; oh < out_height; ++oh) {
          const std::size_t row0 = row_table.origin[oh], kh0 = row_table.first[oh], kh1 = row_table.end[oh];
          for (std::size_t ow = 0; ow < out_width; ++ow) {
            const std::size_t col0 = column_table.origin[ow], kw0 = column_table.first[ow], kw1 = column_table.end[ow];
            for (std::size_t ch = 0; ch < C; ++ch, ++out) {
              const T share = dy.values[out] / static_cast<T>(KernelH * KernelW);
              for (std::size_t kh = kh0; kh < kh1; ++kh)
                for (std::size_t kw = kw0; kw < kw1; ++kw) dx.values[((row0 + kh) * W + col0 + kw) * C + ch] += share;
            }
          }
        }
      }
    }
  }

  template <class F>
  constexpr void visit_parameters(F&&) const
  {
  }
  template <class F>
  constexpr void visit_parameters(F&&)
  {
  }

  template <class Wr>
  static constexpr void describe(Wr& w)
  {
    w.field("kernel_h", KernelH);
    w.field("kernel_w", KernelW);
    w.field("stride_h", rows.stride);
    w.field("stride_w", columns.stride);
    w.field("pad_top", rows.pad_before);
    w.field("pad_bottom", rows.pad_after);
    w.field("pad_left", columns.pad_before);
    w.field("pad_right", columns.pad_after);
  }

  template <class Wr>
  static constexpr void spell(Wr& w)
  {
    w.text(Kind == pool_kind::max ? "ctnn::MaxPool2D<" : "ctnn::AvgPool2D<");
    for (const std::size_t n : {H, W, C, KernelH, KernelW}) {
      w.number(n);
      w.text(", ");
    }
    w.text("ctnn::PoolOptions{.stride_h = ");
    w.number(Options.stride_h);
    w.text(", .stride_w = ");
    w.number(Options.stride_w);
    w.text(Options.padding == Padding::valid  ? ", .padding = ctnn::Padding::valid"
           : Options.padding == Padding::same ? ", .padding = ctnn::Padding::same"
                                              : ", .padding = ctnn::Padding::explicit_sizes");
    w.text(", .pad_top = ");
    w.number(Options.pad_top);
    w.text(", .pad_bottom = ");
    w.number(Options.pad_bottom);
    w.text(", .pad_left = ");
    w.number(Options.pad_left);
    w.text(", .pad_right = ");
    w.number(Options.pad_right);
    w.text("}, ");
    w.template scalar<T>();
    w.text(">");
  }
};

}  // namespace detail

/// Max pooling with a KernelH x KernelW window (stride: the kernel's size unless Options say).
template <std::size_t H, std::size_t W, std::size_t C, std::size_t KernelH, std::size_t KernelW,
          PoolOptions Options = PoolOptions{}, class T = double>
struct MaxPool2D : detail::pool2d<detail::pool_kind::max, H, W, C, KernelH, KernelW, Options, T> {};

/// Average pooling with a KernelH x KernelW window, padding counted as zeros.
template <std::size_t H, std::size_t W, std::size_t C, std::size_t KernelH, std::size_t KernelW,
          PoolOptions Options = PoolOptions{}, class T = double>
struct AvgPool2D : detail::pool2d<detail::pool_kind::average, H, W, C, KernelH, KernelW, Options, T> {};

/// Each channel's mean over the whole image: Shape<H, W, C> to Shape<C>.
template <std::size_t H, std::size_t W, std::size_t C, class T = double>
struct GlobalAvgPool2D {
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(H > 0 && W > 0 && C > 0, "ctnn: GlobalAvgPool2D needs an image of at least 1x1x1");

  using scalar_type = T;
  using input_shape = Shape<(H > 0 ? H : 1), (W > 0 ? W : 1), (C > 0 ? C : 1)>;
  using output_shape = Shape<(C > 0 ? C : 1)>;
  using input_type = Vector<T, input_shape::size>;
  using output_type = Vector<T, output_shape::size>;
  static constexpr std::size_t parameter_count = 0;
  static constexpr bool trainable = false;
  static constexpr std::string_view kind = "GlobalAvgPool2D";
  static constexpr std::string_view header = "ctnn/pooling.hpp";

  struct cache_type {};

  constexpr output_type operator()(const input_type& x) const noexcept
  {
    output_type y;
    cache_type c;
    forward(x, c, y);
    return y;
  }
  constexpr void forward(const input_type& x, cache_type&, output_type& y) const noexcept
  {
    for (std::size_t ch = 0; ch < C; ++ch) {
      T sum = T(0);
      for (std::size_t p = 0; p < H * W; ++p) sum += x.values[p * C + ch];
      y.values[ch] = sum / static_cast<T>(H * W);
    }
  }
  template <bool NeedInputGradient, bool GivenPreActivationGradient = false, class Gradients>
  constexpr void backward(const input_type&, const cache_type&, const output_type&, const output_type& dy, Gradients&,
                          input_type& dx) const noexcept
  {
    if constexpr (NeedInputGradient)
      for (std::size_t p = 0; p < H * W; ++p)
        for (std::size_t ch = 0; ch < C; ++ch) dx.values[p * C + ch] = dy.values[ch] / static_cast<T>(H * W);
  }

  template <class F>
  constexpr void visit_parameters(F&&) const
  {
  }
  template <class F>
  constexpr void visit_parameters(F&&)
  {
  }

  template <class Wr>
  static constexpr void spell(Wr& w)
  {
    w.text("ctnn::GlobalAvgPool2D<");
    for (const std::size_t n : {H, W, C}) {
      w.number(n);
      w.text(", ");
    }
    w.template scalar<T>();
    w.text(">");
  }
};

}  // namespace ctnn
