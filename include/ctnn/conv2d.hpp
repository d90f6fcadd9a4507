#pragma once
// Conv2D: a 2-D convolution over images of Shape<H, W, InC> (channels last, shape.hpp), giving
// Shape<OutH, OutW, OutC>:
//   h[oh][ow][oc] = sum over (ic, kh, kw) of
//                     weight[oc][ic][kh][kw] * x[oh*s + kh*d - pad][ow*s + kw*d - pad][g*icg + ic]
//                   + bias[oc]
//   y = f(h)
// with g = oc's group and icg = InC / groups input channels per group. The weights are stored as
// PyTorch's nn.Conv2d stores them, (out, in / groups, kh, kw) row-major, so importing one is a copy.
// Each sum runs over ic, then kh, then kw (the weights' order), from +0, taps in the padding left
// out (see padded_input), the bias added last: the same operations in a constant expression and
// at runtime, so the same bits. The backward pass skips positions whose delta is exactly zero (a ReLU that was off):
// the gradient and dx sums start at +0 and adding a product +-0 leaves such a sum as it is, so the
// bits are those of the full loops.

#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

#include "ctnn/activation.hpp"
#include "ctnn/detail/simd.hpp"
#include "ctnn/detail/window.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// A 2-D convolution from Shape<H, W, InC> to Shape<OutH, OutW, OutC> with a KernelH x KernelW
/// kernel, an Activation and Options (stride, padding, dilation, groups, bias: ConvOptions).
template <std::size_t H, std::size_t W, std::size_t InC, std::size_t OutC, std::size_t KernelH, std::size_t KernelW,
          class ActivationFunction, ConvOptions Options = ConvOptions{}, class T = double>
struct Conv2D {
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(Options.padding != Padding::causal,
                "ctnn: a Conv2D pads valid, same or explicit_sizes (Padding::causal is for sequences: Conv1D)");
  static_assert(H > 0 && W > 0 && InC > 0 && OutC > 0 && KernelH > 0 && KernelW > 0,
                "ctnn: Conv2D needs an image, channels and a kernel of at least 1 in every dimension");

  static constexpr detail::window_axis rows = detail::make_axis(H, KernelH, Options.stride_h, Options.dilation_h,
                                                                Options.padding, Options.pad_top, Options.pad_bottom);
  static constexpr detail::window_axis columns = detail::make_axis(
      W, KernelW, Options.stride_w, Options.dilation_w, Options.padding, Options.pad_left, Options.pad_right);
  static constexpr bool well_formed =
      H > 0 && W > 0 && InC > 0 && OutC > 0 && KernelH > 0 && KernelW > 0 && Options.stride_h > 0 &&
      Options.stride_w > 0 && Options.dilation_h > 0 && Options.dilation_w > 0 && Options.groups > 0 &&
      InC % (Options.groups > 0 ? Options.groups : 1) == 0 && OutC % (Options.groups > 0 ? Options.groups : 1) == 0 &&
      rows.fits() && columns.fits();
  // One error for the first impossible option (the size check above comes first).
  static_assert(!(H > 0 && W > 0 && InC > 0 && OutC > 0 && KernelH > 0 && KernelW > 0) ||
                    (Options.stride_h > 0 && Options.stride_w > 0 && Options.dilation_h > 0 && Options.dilation_w > 0 &&
                     Options.groups > 0),
                "ctnn: Conv2D's stride, dilation and groups must each be at least 1");
  static_assert(!(H > 0 && W > 0 && InC > 0 && OutC > 0 && KernelH > 0 && KernelW > 0 && Options.groups > 0) ||
                    (InC % (Options.groups > 0 ? Options.groups : 1) == 0 &&
                     OutC % (Options.groups > 0 ? Options.groups : 1) == 0),
                "ctnn: Conv2D's groups must divide both the input and the output channels");
  static_assert(!(H > 0 && W > 0 && InC > 0 && OutC > 0 && KernelH > 0 && KernelW > 0 && Options.stride_h > 0 &&
                  Options.stride_w > 0 && Options.dilation_h > 0 && Options.dilation_w > 0) ||
                    (rows.fits() && columns.fits()),
                "ctnn: Conv2D's kernel (with its dilation) is larger than the padded input image");
  static_assert(!well_formed || diagnostic::passes<detail::activation_checks<ActivationFunction, T, 1>>);

  static constexpr std::size_t out_height = rows.out();
  static constexpr std::size_t out_width = columns.out();
  static constexpr std::size_t groups = Options.groups > 0 ? Options.groups : 1;
  static constexpr std::size_t in_per_group = InC / groups > 0 ? InC / groups : 1;
  static constexpr std::size_t out_per_group = OutC / groups > 0 ? OutC / groups : 1;
  static constexpr std::size_t kernel_size = in_per_group * KernelH * KernelW;  // weights per output channel
  static constexpr std::size_t outputs_per_image = out_height * out_width * OutC;

  using scalar_type = T;
  using activation_type = ActivationFunction;
  using input_shape = Shape<(H > 0 ? H : 1), (W > 0 ? W : 1), (InC > 0 ? InC : 1)>;
  using output_shape = Shape<out_height, out_width, (OutC > 0 ? OutC : 1)>;
  using input_type = Vector<T, input_shape::size>;
  using output_type = Vector<T, output_shape::size>;

  static constexpr std::size_t weight_count = output_shape::dims[2] * kernel_size;
  static constexpr std::size_t bias_count = Options.bias ? output_shape::dims[2] : 0;
  static constexpr std::size_t parameter_count = weight_count + bias_count;
  /// The Keras class name, used by summary() and model files.
  static constexpr std::string_view kind = "Conv2D";
  static constexpr std::string_view header = "ctnn/conv2d.hpp";

  /// PyTorch's layout: (out, in / groups, kh, kw), row-major.
  Vector<T, weight_count> weights{};
  /// Stays zero without Options.bias (then not a parameter: neither trained nor stored).
  Vector<T, output_shape::dims[2]> bias{};

  /// The pre-activation h, which backward() needs besides x and y.
  using cache_type = output_type;

  struct gradients {
    Vector<T, weight_count> weights;
    Vector<T, output_shape::dims[2]> bias;
  };

  template <class Optimizer>
  struct optimizer_state {
    typename Optimizer::template state<T, weight_count> weights{};
    typename Optimizer::template state<T, output_shape::dims[2]> bias{};
  };

  /// Inference: y = f(conv(x) + b).
  constexpr output_type operator()(const input_type& x) const noexcept
  {
    output_type h;
    output_type y;
    forward(x, h, y);
    return y;
  }

  /// Training forward pass: h into the cache, y = f(h). Activates = false computes h only.
  template <bool Activates = true>
  constexpr void forward(const input_type& x, cache_type& h, output_type& y) const noexcept
  {
    convolve(x, h, packs<weight_pack, tap_pack>{});
    if constexpr (Activates) ActivationFunction::forward(h.values, y.values);
  }

  /// Adds this sample's dW and db to g and writes dx when NeedInputGradient. When
  /// GivenPreActivationGradient, dy is dL/dh already (a loss fused with the activation gave it).
  template <bool NeedInputGradient, bool GivenPreActivationGradient = false>
  constexpr void backward(const input_type& x, const cache_type& h, const output_type& y, const output_type& dy,
                          gradients& g, input_type& dx) const noexcept
  {
    if constexpr (GivenPreActivationGradient) {
      backpropagate<NeedInputGradient>(x, dy.values, g, dx, packs<weight_pack, tap_pack>{});
    } else {
      T dh[output_shape::size];
      ActivationFunction::backward(h.values, y.values, dy.values, dh);
      backpropagate<NeedInputGradient>(x, dh, g, dx, packs<weight_pack, tap_pack>{});
    }
  }

  /// Calls f(dW) then f(db) (without a bias, f(dW) only): the order of visit_parameters.
  template <class F>
  static constexpr void visit_gradients(gradients& g, F&& f)
  {
    f(g.weights.values);
    if constexpr (Options.bias) f(g.bias.values);
  }

  template <class Optimizer>
  constexpr void update(const Optimizer& optimizer, const gradients& g, optimizer_state<Optimizer>& state) noexcept
  {
    optimizer.update(weights.values, g.weights.values, state.weights);
    if constexpr (Options.bias) optimizer.update(bias.values, g.bias.values, state.bias);
  }

  template <class F>
  constexpr void visit_parameters(F&& f)
  {
    f(weights.values);
    if constexpr (Options.bias) f(bias.values);
  }
  template <class F>
  constexpr void visit_parameters(F&& f) const
  {
    f(weights.values);
    if constexpr (Options.bias) f(bias.values);
  }

  /// Draws the weights in storage order, then the biases, with PyTorch's fans: in / groups * kh * kw
  /// and out * kh * kw.
  template <class Initializer, class Generator>
  constexpr void initialize(const Initializer& init, Generator& rng) noexcept
  {
    constexpr std::size_t fan_in = kernel_size;
    constexpr std::size_t fan_out = output_shape::dims[2] * KernelH * KernelW;
    for (auto& w : weights.values) w = init.template weight<T>(rng, fan_in, fan_out);
    if constexpr (Options.bias)
      for (auto& b : bias.values) b = init.template bias<T>(rng, fan_in, fan_out);
  }

  /// The model-file fields after the shapes: the kernel, stride, padding, dilation, groups, bias and activation.
  template <class Wr>
  static constexpr void describe(Wr& w)
  {
    w.field("kernel_h", KernelH);
    w.field("kernel_w", KernelW);
    w.field("stride_h", Options.stride_h);
    w.field("stride_w", Options.stride_w);
    w.field("pad_top", rows.pad_before);
    w.field("pad_bottom", rows.pad_after);
    w.field("pad_left", columns.pad_before);
    w.field("pad_right", columns.pad_after);
    w.field("dilation_h", Options.dilation_h);
    w.field("dilation_w", Options.dilation_w);
    w.field("groups", Options.groups);
    w.field("bias", std::size_t{Options.bias ? 1u : 0u});
    w.token("activation", std::string_view(ActivationFunction::name));
  }

  /// The C++ type, for emit_header.
  template <class Wr>
  static constexpr void spell(Wr& w)
  {
    w.text("ctnn::Conv2D<");
    for (const std::size_t n : {H, W, InC, OutC, KernelH, KernelW}) {
      w.number(n);
      w.text(", ");
    }
    w.template activation<ActivationFunction>();
    w.text(", ");
    spell_options(w);
    w.text(", ");
    w.template scalar<T>();
    w.text(">");
  }

  /// ctnn::ConvOptions{...} with every field, as the options are spelled in C++.
  template <class Wr>
  static constexpr void spell_options(Wr& w)
  {
    const auto field = [&](std::string_view name, std::size_t value, bool last = false) {
      w.text(".");
      w.text(name);
      w.text(" = ");
      w.number(value);
      if (!last) w.text(", ");
    };
    w.text("ctnn::ConvOptions{");
    field("stride_h", Options.stride_h);
    field("stride_w", Options.stride_w);
    w.text(Options.padding == Padding::valid  ? ".padding = ctnn::Padding::valid, "
           : Options.padding == Padding::same ? ".padding = ctnn::Padding::same, "
                                              : ".padding = ctnn::Padding::explicit_sizes, ");
    field("pad_top", Options.pad_top);
    field("pad_bottom", Options.pad_bottom);
    field("pad_left", Options.pad_left);
    field("pad_right", Options.pad_right);
    field("dilation_h", Options.dilation_h);
    field("dilation_w", Options.dilation_w);
    field("groups", Options.groups);
    w.text(Options.bias ? ".bias = true}" : ".bias = false}");
  }

 private:
  // The input is read through a zero-padded copy (when there is padding), so that every output
  // position has all its taps: a padded tap adds w * 0 = +-0 to a sum that starts at +0 and so is
  // never -0, which leaves it as it is, and the bits equal those of sums over the real taps only.
  static constexpr std::size_t padded_height = H + rows.pad_before + rows.pad_after;
  static constexpr std::size_t padded_width = W + columns.pad_before + columns.pad_after;
  static constexpr bool pads = padded_height != H || padded_width != W;
  static constexpr std::size_t padded_size = pads ? padded_height * padded_width * InC : 1;

  // Tap k of a kernel, k = (ic * KernelH + kh) * KernelW + kw (the weights' order), is this far from
  // its window's first value in the padded input.
  static constexpr std::size_t tap_offset(std::size_t k) noexcept
  {
    const std::size_t kw = k % KernelW, kh = k / KernelW % KernelH, ic = k / (KernelW * KernelH);
    return (kh * Options.dilation_h * padded_width + kw * Options.dilation_w) * InC + ic;
  }
  // Kernels of at most 64 weights run as folds over the taps: the constant evaluators pay for loop
  // tests and index arithmetic, not for a fold over constants. The same operations, in the same
  // order, as the loop larger kernels run.
  static constexpr bool folds = kernel_size <= 64;
  template <std::size_t... K>
  static constexpr auto taps_of(std::index_sequence<K...>) -> std::index_sequence<tap_offset(K)...>;
  using weight_pack = std::conditional_t<folds, std::make_index_sequence<kernel_size>, std::index_sequence<>>;
  template <class Weights, class Taps>
  struct packs {};
  using tap_pack =
      std::conditional_t<folds, decltype(taps_of(std::make_index_sequence<kernel_size>{})), std::index_sequence<>>;

  // Writes x with its zero padding into buffer.
  static constexpr void pad(const input_type& x, T (&buffer)[padded_size]) noexcept
  {
    for (auto& v : buffer) v = T(0);
    for (std::size_t r = 0; r < H; ++r) {
      const std::size_t to = ((r + rows.pad_before) * padded_width + columns.pad_before) * InC, from = r * W * InC;
      for (std::size_t i = 0; i < W * InC; ++i) buffer[to + i] = x.values[from + i];
    }
  }

  // Where output position (oh, ow)'s window starts in the padded input.
  static constexpr std::size_t window_start(std::size_t oh, std::size_t ow) noexcept
  {
    return (oh * Options.stride_h * padded_width + ow * Options.stride_w) * InC;
  }

  template <class Packs>
  constexpr void convolve(const input_type& x, output_type& h, Packs pack_lists) const noexcept
  {
    if constexpr (pads) {
      T buffer[padded_size];
      pad(x, buffer);
      convolve_padded(buffer, h, pack_lists);
    } else {
      convolve_padded(x.values, h, pack_lists);
    }
  }

  // The runtime kernel runs output columns side by side, one vector lane each: lane j holds output
  // column ow0 + j's sum, which gets the products of the scalar loop in the same order from the same
  // +0, so every lane has the scalar code's bits (no FMA: -ffp-contract=off). Rows narrower than a
  // vector use a narrower one; what is left of a row runs the scalar loop.
  static constexpr std::size_t column_lanes =
      detail::simd::power_of_two_at_most(out_width, detail::simd::lanes<T> > 1 ? detail::simd::lanes<T> : 1);
  static constexpr bool vector_forward = column_lanes >= 2;

  template <std::size_t N>
  void convolve_columns(const T (&xp)[N], output_type& h) const noexcept
  {
    using V = detail::simd::vec<T, column_lanes>;
    constexpr std::size_t column_step = Options.stride_w * InC;  // between neighbouring outputs' windows
    for (std::size_t oh = 0; oh < out_height; ++oh) {
      std::size_t ow0 = 0;
      for (; ow0 + column_lanes <= out_width; ow0 += column_lanes) {
        const std::size_t start = window_start(oh, ow0);
        for (std::size_t oc = 0, w0 = 0; oc < OutC; ++oc, w0 += kernel_size) {
          const std::size_t first = groups == 1 ? start : start + oc / out_per_group * in_per_group;
          V sum{};
          for (std::size_t k = 0; k < kernel_size; ++k) {
            const T* tap = xp + first + tap_offset(k);
            V x;
            if constexpr (column_step == 1) {
              x = detail::simd::load<V>(tap);
            } else {
              detail::simd::unrolled<column_lanes>([&](auto j) { x[j.value] = tap[j.value * column_step]; });
            }
            sum = sum + weights.values[w0 + k] * x;
          }
          const std::size_t out = (oh * out_width + ow0) * OutC + oc;
          detail::simd::unrolled<column_lanes>([&](auto j) {
            // (broken_kernel: the lanes stored in reverse order, for the bit-identity test's proof)
            const std::size_t at = out + (broken_kernel ? column_lanes - 1 - j.value : j.value) * OutC;
            if constexpr (Options.bias)
              h.values[at] = sum[j.value] + bias.values[oc];
            else
              h.values[at] = sum[j.value];
          });
        }
      }
      for (; ow0 < out_width; ++ow0) {
        const std::size_t start = window_start(oh, ow0);
        for (std::size_t oc = 0, w0 = 0; oc < OutC; ++oc, w0 += kernel_size) {
          const std::size_t first = groups == 1 ? start : start + oc / out_per_group * in_per_group;
          T sum = T(0);
          for (std::size_t k = 0; k < kernel_size; ++k) sum += weights.values[w0 + k] * xp[first + tap_offset(k)];
          if constexpr (Options.bias)
            h.values[(oh * out_width + ow0) * OutC + oc] = sum + bias.values[oc];
          else
            h.values[(oh * out_width + ow0) * OutC + oc] = sum;
        }
      }
    }
  }

#if defined(CTNN_TEST_BROKEN_CONV2D_KERNEL)
  // For the bit-identity test's proof that it can fail (defined by hand, never by the build).
  static constexpr bool broken_kernel = true;
#else
  static constexpr bool broken_kernel = false;
#endif

  // Arrays, not pointers, and one expression per sum: what the constant evaluators run fastest.
  template <std::size_t N, std::size_t... K, std::size_t... Offset>
  constexpr void convolve_padded(const T (&xp)[N], output_type& h,
                                 packs<std::index_sequence<K...>, std::index_sequence<Offset...>>) const noexcept
  {
    if constexpr (vector_forward) {
      if (!std::is_constant_evaluated()) {
        convolve_columns(xp, h);
        return;
      }
    }
    for (std::size_t oh = 0, out = 0; oh < out_height; ++oh)
      for (std::size_t ow = 0; ow < out_width; ++ow) {
        const std::size_t start = window_start(oh, ow);
        for (std::size_t oc = 0, w0 = 0; oc < OutC; ++oc, ++out, w0 += kernel_size) {
          const std::size_t first = groups == 1 ? start : start + oc / out_per_group * in_per_group;
          T sum = T(0);
          if constexpr (folds)
            sum = (T(0) + ... + (weights.values[w0 + K] * xp[first + Offset]));
          else
            for (std::size_t k = 0; k < kernel_size; ++k) sum += weights.values[w0 + k] * xp[first + tap_offset(k)];
          if constexpr (Options.bias)
            h.values[out] = sum + bias.values[oc];
          else
            h.values[out] = sum;
        }
      }
  }

  template <bool NeedInputGradient, class Packs>
  constexpr void backpropagate(const input_type& x, const T* dh, gradients& g, input_type& dx,
                               Packs pack_lists) const noexcept
  {
    if constexpr (pads) {
      T buffer[padded_size];
      pad(x, buffer);
      if constexpr (NeedInputGradient) {
        T dx_buffer[padded_size];
        for (auto& v : dx_buffer) v = T(0);
        backpropagate_padded<true>(buffer, dh, g, dx_buffer, pack_lists);
        for (std::size_t r = 0; r < H; ++r) {
          const std::size_t from = ((r + rows.pad_before) * padded_width + columns.pad_before) * InC, to = r * W * InC;
          for (std::size_t i = 0; i < W * InC; ++i) dx.values[to + i] = dx_buffer[from + i];
        }
      } else {
        backpropagate_padded<false>(buffer, dh, g, dx.values, pack_lists);
      }
    } else {
      if constexpr (NeedInputGradient)
        for (auto& v : dx.values) v = T(0);
      backpropagate_padded<NeedInputGradient>(x.values, dh, g, dx.values, pack_lists);
    }
  }

  // dW += delta * window and db += delta per position and output channel, dx += W^T delta (dxp is
  // padded like xp). A zero delta (a ReLU that was off) is skipped: every sum here starts at +0, so
  // adding its +-0 products would change nothing.
  template <bool NeedInputGradient, std::size_t N, std::size_t M, std::size_t... K, std::size_t... Offset>
  constexpr void backpropagate_padded(const T (&xp)[N], const T* dh, gradients& g, T (&dxp)[M],
                                      packs<std::index_sequence<K...>, std::index_sequence<Offset...>>) const noexcept
  {
    for (std::size_t oh = 0, out = 0; oh < out_height; ++oh)
      for (std::size_t ow = 0; ow < out_width; ++ow) {
        const std::size_t start = window_start(oh, ow);
        for (std::size_t oc = 0, w0 = 0; oc < OutC; ++oc, ++out, w0 += kernel_size) {
          const T delta = dh[out];
          if (delta == T(0)) continue;
          if constexpr (Options.bias) g.bias.values[oc] += delta;
          const std::size_t first = groups == 1 ? start : start + oc / out_per_group * in_per_group;
          if constexpr (folds) {
            ((g.weights.values[w0 + K] += delta * xp[first + Offset]), ...);
            if constexpr (NeedInputGradient) ((dxp[first + Offset] += weights.values[w0 + K] * delta), ...);
          } else {
            for (std::size_t k = 0; k < kernel_size; ++k) g.weights.values[w0 + k] += delta * xp[first + tap_offset(k)];
            if constexpr (NeedInputGradient)
              for (std::size_t k = 0; k < kernel_size; ++k)
                dxp[first + tap_offset(k)] += weights.values[w0 + k] * delta;
          }
        }
      }
  }
};

}  // namespace ctnn
