#pragma once
// BatchNorm<S, Activation, Momentum, Epsilon, T>: batch normalisation per channel, then an
// activation (ctnn has no activation layer, so the one that follows the normalisation is part of it:
// Conv2D<..., Identity> + BatchNorm<..., ReLU> is PyTorch's Conv2d + BatchNorm2d + ReLU). The
// channels are the last dimension of S: Shape<N> normalises each of N features (nn.BatchNorm1d),
// Shape<H, W, C> each of C channels over all positions (nn.BatchNorm2d).
//
// Training (fit with batch_size >= 2) normalises with the batch's statistics: the mean and the
// biased variance over the batch's samples and positions, and updates the running values as
// PyTorch does: running = (1 - momentum) running + momentum batch, with the unbiased variance (m / (m
// - 1)). It uses the layer protocol's batch part (layer.hpp: uses_batch_statistics, forward_batch,
// backward_batch), for which fit runs a batch layer by layer (detail/train_step.hpp). Inference
// (operator(), predict, evaluate) and the per-sample forward and backward (gradient_check, and a
// fit of batch_size 1, which is refused) use the running values, as PyTorch's eval mode:
//   y = f(gamma (x - running_mean) / sqrt(running_var + eps) + beta).
// The running values are stored in the model (non-trainable values: model files, headers,
// fingerprints). fold_batch_norm(net) folds each BatchNorm into the Dense or Conv2D before it.

#include <cstddef>
#include <ratio>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include <boost/hana/unpack.hpp>

#include "ctnn/activation.hpp"
#include "ctnn/conv2d.hpp"
#include "ctnn/dense.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/math.hpp"
#include "ctnn/network.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

template <class S, class ActivationFunction = Identity, class Momentum = std::ratio<1, 10>,
          class Epsilon = std::ratio<1, 100000>, class T = double>
struct BatchNorm {
  static_assert(ShapeType<S>, "ctnn: BatchNorm takes a ctnn::Shape<...>: Shape<N> or Shape<H, W, C>");
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(Momentum::num >= 0 && Momentum::num <= Momentum::den && Epsilon::num > 0,
                "ctnn: BatchNorm's momentum must be a std::ratio in [0, 1] and its epsilon positive");
  static_assert(diagnostic::passes<detail::activation_checks<ActivationFunction, T, S::size>>);

  using scalar_type = T;
  using activation_type = ActivationFunction;
  using input_shape = S;
  using output_shape = S;
  using input_type = Vector<T, S::size>;
  using output_type = Vector<T, S::size>;

  static constexpr std::size_t channels = S::dims[S::rank - 1];
  static constexpr std::size_t positions = S::size / channels;
  static constexpr std::size_t parameter_count = 2 * channels;
  static constexpr std::size_t non_trainable_parameter_count = 2 * channels;
  static constexpr bool uses_batch_statistics = true;
  static constexpr std::string_view kind = "BatchNorm";
  static constexpr std::string_view header = "ctnn/batch_norm.hpp";
  static constexpr T momentum = static_cast<T>(Momentum::num) / static_cast<T>(Momentum::den);
  static constexpr T epsilon = static_cast<T>(Epsilon::num) / static_cast<T>(Epsilon::den);

  Vector<T, channels> gamma = filled(T(1));
  Vector<T, channels> beta{};
  Vector<T, channels> running_mean{};
  Vector<T, channels> running_var = filled(T(1));

  /// The pre-activation h, the normalised input x_hat and each channel's 1 / sqrt(var + eps).
  struct cache_type {
    output_type h;
    input_type normalized;
    Vector<T, channels> inverse_deviation;
  };

  struct gradients {
    Vector<T, channels> gamma;
    Vector<T, channels> beta;
  };
  template <class Optimizer>
  struct optimizer_state {
    typename Optimizer::template state<T, channels> gamma{};
    typename Optimizer::template state<T, channels> beta{};
  };

  /// Inference with the running values.
  constexpr output_type operator()(const input_type& x) const noexcept
  {
    cache_type c;
    output_type y;
    forward(x, c, y);
    return y;
  }

  /// Per sample, with the running values (eval mode).
  constexpr void forward(const input_type& x, cache_type& c, output_type& y) const noexcept
  {
    T* const inverse = c.inverse_deviation.values;
    for (std::size_t ch = 0; ch < channels; ++ch) inverse[ch] = T(1) / math::sqrt(running_var.values[ch] + epsilon);
    for (std::size_t i = 0; i < S::size; ++i) {
      const std::size_t ch = i % channels;
      c.normalized.values[i] = (x.values[i] - running_mean.values[ch]) * inverse[ch];
      c.h.values[i] = gamma.values[ch] * c.normalized.values[i] + beta.values[ch];
    }
    ActivationFunction::forward(c.h.values, y.values);
  }

  /// Per sample, the running values held constant: dgamma, dbeta, and dx = dh gamma / sqrt(var + eps).
  template <bool NeedInputGradient, bool GivenPreActivationGradient = false>
  constexpr void backward(const input_type&, const cache_type& c, const output_type& y, const output_type& dy,
                          gradients& g, input_type& dx) const noexcept
  {
    T dh[S::size];
    ActivationFunction::backward(c.h.values, y.values, dy.values, dh);
    for (std::size_t i = 0; i < S::size; ++i) {
      const std::size_t ch = i % channels;
      g.gamma.values[ch] += dh[i] * c.normalized.values[i];
      g.beta.values[ch] += dh[i];
      if constexpr (NeedInputGradient) dx.values[i] = dh[i] * gamma.values[ch] * c.inverse_deviation.values[ch];
    }
  }

  /// A batch of n samples in training: normalised with the batch's statistics, summed sample by
  /// sample then position by position; updates the running values.
  constexpr void forward_batch(const input_type* xs, cache_type* cs, output_type* ys, std::size_t n) noexcept
  {
    const T count = static_cast<T>(n * positions);
    for (std::size_t ch = 0; ch < channels; ++ch) {
      T sum = T(0);
      for (std::size_t s = 0; s < n; ++s)
        for (std::size_t p = 0; p < positions; ++p) sum += xs[s].values[p * channels + ch];
      const T mean = sum / count;
      T squares = T(0);
      for (std::size_t s = 0; s < n; ++s)
        for (std::size_t p = 0; p < positions; ++p) {
          const T d = xs[s].values[p * channels + ch] - mean;
          squares += d * d;
        }
      const T variance = squares / count;
      const T inverse = T(1) / math::sqrt(variance + epsilon);
      for (std::size_t s = 0; s < n; ++s) {
        cs[s].inverse_deviation.values[ch] = inverse;
        for (std::size_t p = 0; p < positions; ++p) {
          const std::size_t i = p * channels + ch;
          cs[s].normalized.values[i] = (xs[s].values[i] - mean) * inverse;
          cs[s].h.values[i] = gamma.values[ch] * cs[s].normalized.values[i] + beta.values[ch];
        }
      }
      const T unbiased = count > T(1) ? squares / (count - T(1)) : variance;
      running_mean.values[ch] = (T(1) - momentum) * running_mean.values[ch] + momentum * mean;
      running_var.values[ch] = (T(1) - momentum) * running_var.values[ch] + momentum * unbiased;
    }
    for (std::size_t s = 0; s < n; ++s) ActivationFunction::forward(cs[s].h.values, ys[s].values);
  }

  /// The batch's backward pass, through the batch statistics:
  ///   dx = gamma / sigma (dh - sum(dh) / m - x_hat sum(dh x_hat) / m), per channel over m values.
  /// dys are the gradients of the sum of the samples' losses (fit divides the parameters' by n).
  template <bool NeedInputGradient>
  constexpr void backward_batch(const input_type* /*xs*/, const cache_type* cs, const output_type* ys,
                                const output_type* dys, gradients& g, input_type* dxs, std::size_t n) const noexcept
  {
    const T count = static_cast<T>(n * positions);
    T dh_sum[channels]{};
    T dh_x_hat_sum[channels]{};
    for (std::size_t s = 0; s < n; ++s) {
      T dh[S::size];
      ActivationFunction::backward(cs[s].h.values, ys[s].values, dys[s].values, dh);
      for (std::size_t i = 0; i < S::size; ++i) {
        const std::size_t ch = i % channels;
        dh_sum[ch] += dh[i];
        dh_x_hat_sum[ch] += dh[i] * cs[s].normalized.values[i];
      }
    }
    for (std::size_t ch = 0; ch < channels; ++ch) {
      g.gamma.values[ch] += dh_x_hat_sum[ch];
      g.beta.values[ch] += dh_sum[ch];
    }
    if constexpr (NeedInputGradient) {
      for (std::size_t s = 0; s < n; ++s) {
        T dh[S::size];
        ActivationFunction::backward(cs[s].h.values, ys[s].values, dys[s].values, dh);
        for (std::size_t i = 0; i < S::size; ++i) {
          const std::size_t ch = i % channels;
          dxs[s].values[i] = gamma.values[ch] * cs[s].inverse_deviation.values[ch] *
                             (dh[i] - dh_sum[ch] / count - cs[s].normalized.values[i] * (dh_x_hat_sum[ch] / count));
        }
      }
    }
  }

  template <class F>
  static constexpr void visit_gradients(gradients& g, F&& f)
  {
    f(g.gamma.values);
    f(g.beta.values);
  }
  template <class Optimizer>
  constexpr void update(const Optimizer& optimizer, const gradients& g, optimizer_state<Optimizer>& state) noexcept
  {
    optimizer.update(gamma.values, g.gamma.values, state.gamma);
    optimizer.update(beta.values, g.beta.values, state.beta);
  }
  /// gamma 1, beta 0, running mean 0 and variance 1 (PyTorch's start), drawing nothing.
  template <class Initializer, class Generator>
  constexpr void initialize(const Initializer&, Generator&) noexcept
  {
    *this = BatchNorm{};
  }

  template <class F>
  constexpr void visit_parameters(F&& f)
  {
    f(gamma.values);
    f(beta.values);
  }
  template <class F>
  constexpr void visit_parameters(F&& f) const
  {
    f(gamma.values);
    f(beta.values);
  }
  /// The running mean and variance: set by training, not trained.
  template <class F>
  constexpr void visit_non_trainable_parameters(F&& f)
  {
    f(running_mean.values);
    f(running_var.values);
  }
  template <class F>
  constexpr void visit_non_trainable_parameters(F&& f) const
  {
    f(running_mean.values);
    f(running_var.values);
  }

  /// Each running variance must be finite and not negative.
  constexpr ValueCheck check_values() const noexcept
  {
    for (std::size_t i = 0; i < channels; ++i)
      if (!math::isfinite(running_mean.values[i])) return {i, "running_mean", i + 1, "must be finite"};
    for (std::size_t i = 0; i < channels; ++i)
      if (!(running_var.values[i] >= T(0)) || !math::isfinite(running_var.values[i]))
        return {channels + i, "running_var", i + 1, "must be finite and not negative"};
    return {};
  }

  template <class W>
  static constexpr void describe(W& w)
  {
    w.field("momentum_num", static_cast<std::size_t>(Momentum::num));
    w.field("momentum_den", static_cast<std::size_t>(Momentum::den));
    w.field("eps_num", static_cast<std::size_t>(Epsilon::num));
    w.field("eps_den", static_cast<std::size_t>(Epsilon::den));
    w.token("activation", std::string_view(ActivationFunction::name));
  }

  template <class W>
  static constexpr void spell(W& w)
  {
    w.text("ctnn::BatchNorm<ctnn::Shape<");
    for (std::size_t d = 0; d < S::rank; ++d) {
      if (d > 0) w.text(", ");
      w.number(S::dims[d]);
    }
    w.text(">, ");
    w.template activation<ActivationFunction>();
    w.text(", std::ratio<");
    w.number(static_cast<std::size_t>(Momentum::num));
    w.text(", ");
    w.number(static_cast<std::size_t>(Momentum::den));
    w.text(">, std::ratio<");
    w.number(static_cast<std::size_t>(Epsilon::num));
    w.text(", ");
    w.number(static_cast<std::size_t>(Epsilon::den));
    w.text(">, ");
    w.template scalar<T>();
    w.text(">");
  }

 private:
  static constexpr Vector<T, channels> filled(T value) noexcept
  {
    Vector<T, channels> v{};
    for (auto& x : v.values) x = value;
    return v;
  }
};

namespace detail {

// What a layer followed by a BatchNorm folds into: a Dense or Conv2D without activation (Identity)
// whose output shape the BatchNorm normalises becomes the same layer with the BatchNorm's activation
// (and a bias).
template <class L, class B>
struct batch_norm_fold {
  static constexpr bool folds = false;
};
template <std::size_t In, std::size_t Out, class T, class A, class M, class E>
struct batch_norm_fold<Dense<In, Out, Identity, T>, BatchNorm<Shape<Out>, A, M, E, T>> {
  static constexpr bool folds = true;
  using type = Dense<In, Out, A, T>;
};
template <std::size_t H, std::size_t W, std::size_t InC, std::size_t OutC, std::size_t KH, std::size_t KW,
          ConvOptions Options, class T, class S, class A, class M, class E>
  requires std::is_same_v<S, typename Conv2D<H, W, InC, OutC, KH, KW, Identity, Options, T>::output_shape>
struct batch_norm_fold<Conv2D<H, W, InC, OutC, KH, KW, Identity, Options, T>, BatchNorm<S, A, M, E, T>> {
  static constexpr bool folds = true;
  static constexpr ConvOptions with_bias = [] {
    ConvOptions o = Options;
    o.bias = true;
    return o;
  }();
  using type = Conv2D<H, W, InC, OutC, KH, KW, A, with_bias, T>;
};

// W'[c] = W[c] s_c and b'_c = (b_c - mean_c) s_c + beta_c, s_c = gamma_c / sqrt(var_c + eps).
template <class L, class B>
constexpr auto fold_pair(const L& layer, const B& norm) noexcept
{
  using T = typename L::scalar_type;
  typename batch_norm_fold<L, B>::type folded{};
  constexpr std::size_t rows = B::channels;
  constexpr std::size_t row_size = sizeof(layer.weights.values) / sizeof(T) / rows;
  for (std::size_t c = 0; c < rows; ++c) {
    const T scale = norm.gamma.values[c] / math::sqrt(norm.running_var.values[c] + B::epsilon);
    for (std::size_t k = 0; k < row_size; ++k)
      folded.weights.values[c * row_size + k] = layer.weights.values[c * row_size + k] * scale;
    folded.bias.values[c] = (layer.bias.values[c] - norm.running_mean.values[c]) * scale + norm.beta.values[c];
  }
  return folded;
}

template <class... Done>
constexpr auto network_from_tuple(const std::tuple<Done...>& done)
{
  Network<Done...> net{};
  net.layers =
      std::apply([](const Done&... layers) { return typename Network<Done...>::layers_type{layers...}; }, done);
  return net;
}

template <class... Done, class First, class... Rest>
constexpr auto fold_layers(const std::tuple<Done...>& done, const First& first, const Rest&... rest)
{
  if constexpr (sizeof...(Rest) == 0) {
    return network_from_tuple(std::tuple_cat(done, std::tuple<First>{first}));
  } else {
    return [&](const auto& second, const auto&... others) {
      using Second = std::remove_cvref_t<decltype(second)>;
      if constexpr (batch_norm_fold<First, Second>::folds) {
        const auto folded = fold_pair(first, second);
        if constexpr (sizeof...(others) == 0)
          return network_from_tuple(std::tuple_cat(done, std::tuple<std::remove_cvref_t<decltype(folded)>>{folded}));
        else
          return fold_layers(std::tuple_cat(done, std::tuple<std::remove_cvref_t<decltype(folded)>>{folded}),
                             others...);
      } else {
        return fold_layers(std::tuple_cat(done, std::tuple<First>{first}), second, others...);
      }
    }(rest...);
  }
}

}  // namespace detail

/// The network with every BatchNorm that follows a Dense or Conv2D without activation folded into
/// it (the layer takes the BatchNorm's activation): the same function as inference with the running
/// values, one layer fewer. Not the same bits: the folded weights and biases are rounded once each,
/// and h = (W s) x + b' rounds otherwise than gamma ((W x + b) - mean) / sigma + beta; predictions
/// agree to a unit or so in the last place (batch_norm_test.cpp: 11 of 16 outputs identical, the
/// others 2.2e-16 apart in double).
template <class... Layers>
constexpr auto fold_batch_norm(const Network<Layers...>& net)
{
  return boost::hana::unpack(net.layers,
                             [](const Layers&... layers) { return detail::fold_layers(std::tuple<>{}, layers...); });
}

}  // namespace ctnn
