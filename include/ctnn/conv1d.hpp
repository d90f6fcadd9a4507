#pragma once
// Conv1D: a one-dimensional convolution over a sequence Shape<Steps, InChannels> (time-major, shape.hpp)
// to Shape<OutputSteps, OutChannels>, as PyTorch's nn.Conv1d computes it (cross-correlation):
//   h[t][o] = sum over c in o's group, k < Kernel of W[o][c][k] x[t * stride - left + k * dilation][c]
//             (+ b[o]),   y = f(h)
// with x zero outside [0, Steps). The weights are laid out as nn.Conv1d's (out, in / groups, kernel),
// so importing one is a copy. Padding: valid (none), same (output steps = ceil(Steps / stride), the
// padding split as Keras and PyTorch split it, the smaller half on the left) or causal (all of it
// on the left: an output never sees a later input). A causal convolution with stride 1 also streams:
// step() takes one input step and gives one output step, with a ring of the last
// (Kernel - 1) * dilation + 1 inputs in a state the caller owns, the same bits as the whole sequence.
//
// Every output is one row of W times the window of inputs it sees, in W's (channel, tap) order, summed
// as Dense sums (from the first product, the bias last), padded taps included as products with zero:
// the whole-sequence pass and the stream agree to the bit, and at runtime Dense's vector kernel
// (detail/kernels.hpp: the same operations per value) computes the rows.

#include <cstddef>
#include <string_view>
#include <type_traits>

#include "ctnn/activation.hpp"
#include "ctnn/detail/column_kernels.hpp"
#include "ctnn/detail/kernels.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/elu.hpp"  // IWYU pragma: export (convolution stacks use it; generated headers include only this)
#include "ctnn/layer.hpp"
#include "ctnn/math.hpp"
#include "ctnn/padding.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// A Conv1D's hyper-parameters besides its sizes, as a class template argument:
/// Conv1D<16, 4, 8, 3, Tanh, Conv1DOptions{.dilation = 2, .padding = Padding::causal}>.
struct Conv1DOptions {
  std::size_t stride = 1;
  std::size_t dilation = 1;
  std::size_t groups = 1;
  Padding padding = Padding::valid;
  bool bias = true;
};

namespace detail::conv1d {

/// How many input steps one output step spans: (Kernel - 1) * dilation + 1.
constexpr std::size_t span(std::size_t kernel, std::size_t dilation) noexcept
{
  return (kernel - 1) * dilation + 1;
}

/// Output steps; 0 when a valid convolution's span is longer than the input.
constexpr std::size_t output_steps(std::size_t steps, std::size_t kernel, Conv1DOptions o) noexcept
{
  const std::size_t s = span(kernel, o.dilation);
  if (o.padding == Padding::valid) return steps < s ? 0 : (steps - s) / o.stride + 1;
  return (steps - 1) / o.stride + 1;  // same and causal: ceil(steps / stride)
}

/// Zeros before the first input step.
constexpr std::size_t left_padding(std::size_t steps, std::size_t kernel, Conv1DOptions o) noexcept
{
  const std::size_t s = span(kernel, o.dilation);
  if (o.padding == Padding::causal) return s - 1;
  if (o.padding == Padding::valid) return 0;
  const std::size_t needed = (output_steps(steps, kernel, o) - 1) * o.stride + s;
  return needed > steps ? (needed - steps) / 2 : 0;
}

// The configuration checks, each naming its numbers in the error's instantiation note.
template <bool Holds, std::size_t Steps, std::size_t In, std::size_t Out, std::size_t Kernel>
struct sizes_at_least_one {
  static_assert(Holds, "ctnn: Conv1D needs at least one step, one input channel, one output channel and a kernel of 1");
  static constexpr bool holds = Holds;
  static constexpr bool value = true;
};
template <bool Holds, std::size_t Stride, std::size_t Dilation, std::size_t Groups>
struct options_at_least_one {
  static_assert(Holds, "ctnn: Conv1D's stride, dilation and groups must each be at least 1");
  static constexpr bool holds = Holds;
  static constexpr bool value = true;
};
template <bool Holds, std::size_t In, std::size_t Out, std::size_t Groups>
struct groups_divide_channels {
  static_assert(Holds, "ctnn: Conv1D's input and output channels must both be divisible by its groups");
  static constexpr bool holds = Holds;
  static constexpr bool value = true;
};
template <bool Holds, std::size_t Steps, std::size_t Kernel, std::size_t Dilation>
struct valid_needs_span {
  static_assert(Holds, "ctnn: a valid Conv1D needs at least (Kernel - 1) * dilation + 1 input steps");
  static constexpr bool holds = Holds;
  static constexpr bool value = true;
};

constexpr std::string_view padding_name(Padding p) noexcept
{
  return p == Padding::valid ? "valid" : (p == Padding::same ? "same" : (p == Padding::causal ? "causal" : "explicit"));
}

}  // namespace detail::conv1d

template <class Source>
struct FrozenConv1D;  // its inference form, below

/// A 1-D convolution from Shape<Steps, InChannels> to Shape<output_steps, OutChannels> with an
/// ActivationFunction applied to every output value (element-wise activations only, for streaming).
template <std::size_t Steps, std::size_t InChannels, std::size_t OutChannels, std::size_t Kernel,
          class ActivationFunction = Identity, Conv1DOptions Options = Conv1DOptions{}, class T = double>
struct Conv1D {
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(Options.padding != Padding::explicit_sizes,
                "ctnn: a Conv1D pads valid, same or causal (Padding::explicit_sizes is for image layers)");
  // One error for the first impossible configuration (diagnostic.hpp's in_order): the class itself
  // stays well-formed, so nothing else is reported.
  static_assert(
      diagnostic::passes<diagnostic::in_order<
          detail::conv1d::sizes_at_least_one<(Steps > 0 && InChannels > 0 && OutChannels > 0 && Kernel > 0), Steps,
                                             InChannels, OutChannels, Kernel>,
          detail::conv1d::options_at_least_one<(Options.stride > 0 && Options.dilation > 0 && Options.groups > 0),
                                               Options.stride, Options.dilation, Options.groups>,
          detail::conv1d::groups_divide_channels<(Options.groups == 0 || (InChannels % Options.groups == 0 &&
                                                                          OutChannels % Options.groups == 0)),
                                                 InChannels, OutChannels, Options.groups>,
          detail::conv1d::valid_needs_span<(Options.padding != Padding::valid || Options.dilation == 0 ||
                                            Steps >= detail::conv1d::span(Kernel, Options.dilation)),
                                           Steps, Kernel, Options.dilation>>>);

  using scalar_type = T;
  using activation_type = ActivationFunction;
  /// What for_inference() makes of it: W by columns, for Dense's column kernel.
  using inference_form = FrozenConv1D<Conv1D>;

  static constexpr Conv1DOptions options = Options;
  static constexpr std::size_t steps = Steps;
  static constexpr std::size_t kernel = Kernel;
  static constexpr std::size_t stride = Options.stride > 0 ? Options.stride : 1;
  static constexpr std::size_t dilation = Options.dilation > 0 ? Options.dilation : 1;
  static constexpr std::size_t groups =
      Options.groups > 0 && InChannels % Options.groups == 0 && OutChannels % Options.groups == 0 ? Options.groups : 1;
  static constexpr bool has_bias = Options.bias;
  static constexpr std::size_t in_per_group = InChannels / groups > 0 ? InChannels / groups : 1;
  static constexpr std::size_t out_per_group = OutChannels / groups > 0 ? OutChannels / groups : 1;
  /// Input steps one output step sees: (Kernel - 1) * dilation + 1.
  static constexpr std::size_t span = detail::conv1d::span(Kernel > 0 ? Kernel : 1, dilation);
  // Clamped to 1 only so that a bad configuration reports its static_assert and nothing else.
  static constexpr std::size_t output_steps = [] {
    const std::size_t n = detail::conv1d::output_steps(Steps, Kernel > 0 ? Kernel : 1,
                                                       {stride, dilation, groups, Options.padding, has_bias});
    return n > 0 ? n : std::size_t{1};
  }();
  static constexpr std::size_t left_padding = detail::conv1d::left_padding(
      Steps, Kernel > 0 ? Kernel : 1, {stride, dilation, groups, Options.padding, has_bias});
  static constexpr std::size_t in_channels = InChannels > 0 ? InChannels : 1;
  static constexpr std::size_t out_channels = OutChannels > 0 ? OutChannels : 1;
  static constexpr std::size_t weight_count = out_channels * in_per_group * (Kernel > 0 ? Kernel : 1);
  /// The inputs one output sees: in_per_group channels times Kernel taps (a row of W).
  static constexpr std::size_t window_size = in_per_group * (Kernel > 0 ? Kernel : 1);

  using input_shape = Shape<(Steps > 0 ? Steps : 1), in_channels>;
  using output_shape = Shape<output_steps, out_channels>;
  using input_type = Vector<T, input_shape::size>;
  using output_type = Vector<T, output_shape::size>;

  static constexpr std::size_t parameter_count = weight_count + (has_bias ? out_channels : 0);
  /// The Keras class name, for summaries and model files.
  static constexpr std::string_view kind = "Conv1D";
  static constexpr std::string_view header = "ctnn/conv1d.hpp";
  /// True when step() is offered: a causal convolution of stride 1.
  static constexpr bool streams = Options.padding == Padding::causal && stride == 1;

  /// W as nn.Conv1d stores it: [out][in / groups][kernel], flat.
  Vector<T, weight_count> weights{};
  /// b (zero, and not a parameter, without bias: the sums add it either way).
  Vector<T, out_channels> bias{};

  /// Inference: the whole sequence.
  constexpr output_type operator()(const input_type& x) const noexcept
  {
    output_type h;
    output_type y;
    forward(x, h, y);
    return y;
  }

  /// What backward() needs besides x and y: the pre-activation h.
  using cache_type = output_type;

  constexpr void forward(const input_type& x, cache_type& h, output_type& y) const noexcept
  {
    convolve(x, h);
    ActivationFunction::forward(h.values, y.values);
  }

  /// dW and db, shaped like the parameters.
  struct gradients {
    Vector<T, weight_count> weights{};
    Vector<T, out_channels> bias{};
  };
  template <class F>
  static constexpr void visit_gradients(gradients& g, F&& f)
  {
    f(g.weights.values);
    if constexpr (has_bias) f(g.bias.values);
  }

  /// Adds this sample's dW (and db) to g; writes dx = ∂L/∂x when NeedInputGradient.
  template <bool NeedInputGradient>
  constexpr void backward(const input_type& x, const cache_type& h, const output_type& y, const output_type& dy,
                          gradients& g, input_type& dx) const noexcept
  {
    T dh[output_shape::size];
    ActivationFunction::backward(h.values, y.values, dy.values, dh);
    if constexpr (NeedInputGradient)
      for (auto& v : dx.values) v = T(0);
    for (std::size_t t = 0; t < output_steps; ++t) {
      const std::size_t first = t * stride;  // in padded steps
      for (std::size_t o = 0; o < out_channels; ++o) {
        const T delta = dh[t * out_channels + o];
        if constexpr (has_bias) g.bias.values[o] += delta;
        const std::size_t channel0 = (o / out_per_group) * in_per_group;
        for (std::size_t c = 0; c < in_per_group; ++c) {
          const std::size_t row = (o * in_per_group + c) * Kernel;
          for (std::size_t k = 0, p = first; k < Kernel; ++k, p += dilation) {
            if (p < left_padding || p - left_padding >= Steps) continue;  // a padded zero
            const std::size_t at = (p - left_padding) * in_channels + channel0 + c;
            g.weights.values[row + k] += delta * x.values[at];
            if constexpr (NeedInputGradient) dx.values[at] += weights.values[row + k] * delta;
          }
        }
      }
    }
  }

  template <class Optimizer>
  struct optimizer_state {
    typename Optimizer::template state<T, weight_count> weights{};
    typename Optimizer::template state<T, out_channels> bias{};
  };
  template <class Optimizer>
  constexpr void update(const Optimizer& optimizer, const gradients& g, optimizer_state<Optimizer>& s) noexcept
  {
    optimizer.update(weights.values, g.weights.values, s.weights);
    if constexpr (has_bias) optimizer.update(bias.values, g.bias.values, s.bias);
  }

  /// W in its stored order, then b, with nn.Conv1d's fans: in / groups * kernel and out * kernel.
  template <class Initializer, class Generator>
  constexpr void initialize(const Initializer& init, Generator& rng) noexcept
  {
    constexpr std::size_t fan_in = in_per_group * Kernel;
    constexpr std::size_t fan_out = out_channels * Kernel;
    for (auto& w : weights.values) w = init.template weight<T>(rng, fan_in, fan_out);
    if constexpr (has_bias)
      for (auto& b : bias.values) b = init.template bias<T>(rng, fan_in, fan_out);
  }

  template <class F>
  constexpr void visit_parameters(F&& f)
  {
    f(weights.values);
    if constexpr (has_bias) f(bias.values);
  }
  template <class F>
  constexpr void visit_parameters(F&& f) const
  {
    f(weights.values);
    if constexpr (has_bias) f(bias.values);
  }

  /// Streaming (causal, stride 1): the last span inputs, oldest at `next`, and where the next goes.
  struct state_type {
    Vector<T, span * in_channels> ring{};
    std::size_t next = 0;
    friend constexpr bool operator==(const state_type&, const state_type&) = default;
  };
  using step_input_type = Vector<T, in_channels>;
  using step_output_type = Vector<T, out_channels>;

  /// The resting state: every past input zero, as causal padding has it.
  constexpr state_type initial_state() const noexcept
    requires(streams)
  {
    return state_type{};
  }

  /// One input step in, one output step out: the output step of the whole sequence that ends here.
  constexpr step_output_type step(const step_input_type& x, state_type& s) const noexcept
    requires(streams)
  {
    push(x, s);
    T h[out_channels];
    T u[window_size];
    for (std::size_t g = 0; g < groups; ++g) {
      ring_window(s, g, u);
      group_outputs(u, g, h + g * out_per_group);
    }
    step_output_type y;
    ActivationFunction::forward(h, y.values);
    return y;
  }

  /// The model-file fields after the shapes.
  template <class W>
  static constexpr void describe(W& w)
  {
    w.token("activation", std::string_view(ActivationFunction::name));
    w.field("kernel", Kernel);
    w.field("stride", stride);
    w.field("dilation", dilation);
    w.field("groups", groups);
    w.field("padding", detail::conv1d::padding_name(Options.padding));
    w.field("bias", std::string_view(has_bias ? "yes" : "no"));
  }

  /// The C++ type, for emit_header.
  template <class W>
  static constexpr void spell(W& w)
  {
    w.text("ctnn::Conv1D<");
    w.number(Steps);
    w.text(", ");
    w.number(InChannels);
    w.text(", ");
    w.number(OutChannels);
    w.text(", ");
    w.number(Kernel);
    w.text(", ");
    w.template activation<ActivationFunction>();
    w.text(", ctnn::Conv1DOptions{.stride = ");
    w.number(stride);
    w.text(", .dilation = ");
    w.number(dilation);
    w.text(", .groups = ");
    w.number(groups);
    w.text(", .padding = ctnn::Padding::");
    w.text(detail::conv1d::padding_name(Options.padding));
    w.text(has_bias ? ", .bias = true}, " : ", .bias = false}, ");
    w.template scalar<T>();
    w.text(">");
  }

  /// A loaded weight or bias must be finite.
  constexpr ValueCheck check_values() const noexcept
  {
    for (std::size_t i = 0; i < weight_count; ++i)
      if (!math::isfinite(weights.values[i])) return {i, "weight", i + 1, "must be finite"};
    if constexpr (has_bias)
      for (std::size_t i = 0; i < out_channels; ++i)
        if (!math::isfinite(bias.values[i])) return {weight_count + i, "bias", i + 1, "must be finite"};
    return {};
  }

 private:
  template <class Source>
  friend struct FrozenConv1D;

  // The window of output step t and group g: u[c * Kernel + k] = the input tap k sees (zero if padded).
  static constexpr void window_at(const input_type& x, std::size_t t, std::size_t g, T (&u)[window_size]) noexcept
  {
    for (std::size_t k = 0, p = t * stride; k < Kernel; ++k, p += dilation) {  // p in padded steps
      const bool padded = p < left_padding || p - left_padding >= Steps;
      const std::size_t at = padded ? 0 : (p - left_padding) * in_channels + g * in_per_group;
      for (std::size_t c = 0; c < in_per_group; ++c) u[c * Kernel + k] = padded ? T(0) : x.values[at + c];
    }
  }
  // The same window from a stream's ring (after the step's input went in): the oldest input at s.next.
  static constexpr void ring_window(const state_type& s, std::size_t g, T (&u)[window_size]) noexcept
  {
    for (std::size_t k = 0, slot = s.next; k < Kernel; ++k) {
      for (std::size_t c = 0; c < in_per_group; ++c)
        u[c * Kernel + k] = s.ring.values[slot * in_channels + g * in_per_group + c];
      slot += dilation;
      if (slot >= span) slot -= span;
    }
  }
  static constexpr void push(const step_input_type& x, state_type& s) noexcept
  {
    for (std::size_t c = 0; c < in_channels; ++c) s.ring.values[s.next * in_channels + c] = x.values[c];
    s.next = s.next + 1 == span ? 0 : s.next + 1;
  }

  // h = W * x + b, every tap of every output, padded ones as products with zero: for each output
  // step and group, the window u of the taps it sees, then each output's row of W times u.
  constexpr void convolve(const input_type& x, output_type& h) const noexcept
  {
    T u[window_size];
    for (std::size_t t = 0; t < output_steps; ++t) {
      for (std::size_t g = 0; g < groups; ++g) {
        window_at(x, t, g, u);
        group_outputs(u, g, h.values + t * out_channels + g * out_per_group);
      }
    }
  }

  // The outputs of group g from its window: h[o] = ((W[o][0] u[0] + W[o][1] u[1]) + ...) + b[o], in
  // W's (channel, tap) order, summed as Dense sums, so that at runtime Dense's vector kernel (rows in
  // lanes, the same operations per value) computes them. Without bias, b is zero.
  constexpr void group_outputs(const T (&u)[window_size], std::size_t g, T* h) const noexcept
  {
    const T* w = weights.values + g * out_per_group * window_size;
    const T* b = bias.values + g * out_per_group;
    if (detail::use_vector_forward<window_size, out_per_group> && !std::is_constant_evaluated()) {
      detail::dense_forward<window_size, out_per_group>(w, b, u, h);
      return;
    }
    for (std::size_t o = 0; o < out_per_group; ++o, w += window_size) {
      T sum = w[0] * u[0];
      for (std::size_t j = 1; j < window_size; ++j) sum += w[j] * u[j];
      h[o] = sum + b[o];
    }
  }
};

/// A Conv1D's inference form (for_inference(), or FrozenConv1D<L>(layer) for streaming): each group's
/// W stored by columns, so that at runtime Dense's column kernel (detail/column_kernels.hpp: every
/// value the plain loop's bits) computes the rows without transposing tiles. The same outputs and
/// steps as the layer, bit for bit; nothing to train or save (a Network of it has no parameters).
template <class Source>
struct FrozenConv1D {
  using source_type = Source;
  using scalar_type = typename Source::scalar_type;
  using T = scalar_type;
  using activation_type = typename Source::activation_type;
  using input_shape = typename Source::input_shape;
  using output_shape = typename Source::output_shape;
  using input_type = typename Source::input_type;
  using output_type = typename Source::output_type;
  using state_type = typename Source::state_type;
  using step_input_type = typename Source::step_input_type;
  using step_output_type = typename Source::step_output_type;
  static constexpr std::size_t parameter_count = 0;
  static constexpr std::string_view kind = "FrozenConv1D";

  static constexpr std::size_t window_size = Source::window_size;
  static constexpr std::size_t out_per_group = Source::out_per_group;

  /// Group g's W by columns: columns[g * window_size * out_per_group + j * out_per_group + i] =
  /// W[g * out_per_group + i][j].
  T columns[Source::weight_count]{};
  Vector<T, Source::out_channels> bias{};

  constexpr FrozenConv1D() noexcept = default;
  constexpr explicit FrozenConv1D(const Source& layer) noexcept { assign(layer); }

  constexpr void assign(const Source& layer) noexcept
  {
    for (std::size_t g = 0; g < Source::groups; ++g)
      for (std::size_t i = 0; i < out_per_group; ++i)
        for (std::size_t j = 0; j < window_size; ++j)
          columns[(g * window_size + j) * out_per_group + i] =
              layer.weights.values[(g * out_per_group + i) * window_size + j];
    bias = layer.bias;
  }

  constexpr output_type operator()(const input_type& x) const noexcept
  {
    output_type h;
    output_type y;
    T u[window_size];
    for (std::size_t t = 0; t < Source::output_steps; ++t)
      for (std::size_t g = 0; g < Source::groups; ++g) {
        Source::window_at(x, t, g, u);
        group_outputs(u, g, h.values + t * Source::out_channels + g * out_per_group);
      }
    activation_type::forward(h.values, y.values);
    return y;
  }

  template <class F>
  constexpr void visit_parameters(F&&) const noexcept
  {
  }
  template <class F>
  constexpr void visit_parameters(F&&) noexcept
  {
  }

  constexpr state_type initial_state() const noexcept
    requires(Source::streams)
  {
    return state_type{};
  }
  constexpr step_output_type step(const step_input_type& x, state_type& s) const noexcept
    requires(Source::streams)
  {
    Source::push(x, s);
    T h[Source::out_channels];
    T u[window_size];
    for (std::size_t g = 0; g < Source::groups; ++g) {
      Source::ring_window(s, g, u);
      group_outputs(u, g, h + g * out_per_group);
    }
    step_output_type y;
    activation_type::forward(h, y.values);
    return y;
  }

 private:
  constexpr void group_outputs(const T (&u)[window_size], std::size_t g, T* h) const noexcept
  {
    const T* w = columns + g * window_size * out_per_group;
    const T* b = bias.values + g * out_per_group;
    if (!std::is_constant_evaluated()) {
      detail::dense_forward_columns<window_size, out_per_group>(w, b, u, window_size, h, out_per_group);
      return;
    }
    for (std::size_t i = 0; i < out_per_group; ++i) {
      T sum = w[i] * u[0];
      for (std::size_t j = 1; j < window_size; ++j) sum += w[j * out_per_group + i] * u[j];
      h[i] = sum + b[i];
    }
  }
};

}  // namespace ctnn
