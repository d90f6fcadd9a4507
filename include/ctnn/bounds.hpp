#pragma once
// Sound output bounds of a Network over a box of inputs: output_bounds(net, box) encloses every
// output net.predict computes, in its own float or double arithmetic, for every input in the box.
//
// Two passes per layer. Interval propagation gives each layer's pre-activation bounds; then, for the
// units where tighter bounds help (unstable ReLUs, smooth activations, outputs), back-substitution
// (the DeepPoly / CROWN family) bounds the unit by a linear function of the network's input, carried
// back through each layer's linear relaxation, and minimised over the box. Every step is sound for
// floats: a dense layer's computed h differs from the exact W x + b by at most the standard
// dot-product error (detail/interval.hpp), added to the bounds as a per-unit slack E; coefficients
// carried back are rounded, and their error times the bound of the variable they multiply is
// subtracted; constants are summed with outward rounding.
//
// Layers are bounded through layer_bounds<L>, a trait another layer can specialise (Dense and
// Standardize here): a record type with pre-activation and output bounds, and
//   pre_interval(layer, in_lo, in_hi, record)         the affine part's bounds and slack
//   affine_back(layer, record, d, g, constant)        sum d_j h_j >= sum g_i x_i + constant
//   finish(layer, record)                             activation bounds and relaxations
//   activation_back(record, c, d, constant) -> bool   sum c_j y_j >= sum d_j h_j + constant, or false
// with the sizes pre_size (h) and the layer's input and output sizes.

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctnn/dense.hpp"
#include "ctnn/detail/interval.hpp"
#include "ctnn/detail/linear_bounds.hpp"
#include "ctnn/network.hpp"
#include "ctnn/standardize.hpp"

namespace ctnn {

/// A box: lower[i] <= x_i <= upper[i]. output_bounds returns one for the outputs.
template <class T, std::size_t N>
struct Box {
  T lower[N]{};
  T upper[N]{};
};

/// How output_bounds bounds a layer (see the top of this file). Not specialised: not handled.
template <class L>
struct layer_bounds {
  static constexpr bool known = false;
};

/// Options of output_bounds: linear = false stops after interval propagation.
struct BoundOptions {
  bool linear = true;
};

namespace detail::bounds {

// Lower bound of sum c_i x_i over lo <= x <= hi, rounded down.
template <class T, std::size_t N>
constexpr T minimum_over_box(const T (&c)[N], const T (&lo)[N], const T (&hi)[N]) noexcept
{
  T sum = T(0), absolute = T(0);
  for (std::size_t i = 0; i < N; ++i) {
    const T term = c[i] > T(0) ? c[i] * lo[i] : c[i] < T(0) ? c[i] * hi[i] : T(0);
    sum += term;
    absolute += iv::magnitude(term);
  }
  return iv::lower_of(sum, iv::dot_error(N, absolute));
}

template <class T, std::size_t N>
constexpr void magnitudes(const T (&lo)[N], const T (&hi)[N], T (&m)[N]) noexcept
{
  for (std::size_t i = 0; i < N; ++i) m[i] = iv::larger(iv::magnitude(lo[i]), iv::magnitude(hi[i]));
}

}  // namespace detail::bounds

template <std::size_t In, std::size_t Out, class A, class T>
struct layer_bounds<Dense<In, Out, A, T>> {
  static constexpr bool known = activation_bounds<A>::known;
  static_assert(!known || detail::interval::dot_size_ok<T>(In > Out ? In : Out),
                "ctnn: output_bounds: this Dense layer is too wide for the rounding-error bound");
  using layer_type = Dense<In, Out, A, T>;
  static constexpr std::size_t inputs = In, outputs = Out, pre_size = Out;
  using activation = activation_bounds<A>;
  /// verify may split a unit's input region at h = 0 (ReLU splitting): on either side ReLU is linear.
  static constexpr bool splits_at_zero = std::is_same_v<A, ReLU>;

  struct record {
    T in_magnitude[In]{};
    T pre_lo[Out]{}, pre_hi[Out]{};
    T slack[Out]{};  // |computed h - exact W x + b| <= slack
    T out_lo[Out]{}, out_hi[Out]{};
    Relaxation<T> relaxation[Out]{};
  };

  static constexpr void pre_interval(const layer_type& layer, const T (&lo)[In], const T (&hi)[In], record& r) noexcept
  {
    namespace iv = detail::interval;
    detail::bounds::magnitudes(lo, hi, r.in_magnitude);
    for (std::size_t j = 0; j < Out; ++j) {
      const T* w = layer.weights.values + j * In;
      T low = T(0), high = T(0), absolute = T(0);
      for (std::size_t i = 0; i < In; ++i) {
        const T a = w[i] * lo[i], b = w[i] * hi[i];
        low += iv::smaller(a, b);
        high += iv::larger(a, b);
        absolute += iv::magnitude(w[i]) * r.in_magnitude[i];
      }
      const T bias = layer.bias.values[j];
      absolute += iv::magnitude(bias);
      r.slack[j] = iv::dot_error(In, absolute);
      // The computed sums' own error is within slack too (their terms are smaller): 2 slack in all.
      r.pre_lo[j] = iv::lower_of(low + bias, T(2) * r.slack[j]);
      r.pre_hi[j] = iv::upper_of(high + bias, T(2) * r.slack[j]);
    }
  }

  // sum_j d_j h_j >= sum_i g_i x_i + constant (added to constant).
  static constexpr void affine_back(const layer_type& layer, const record& r, const T (&d)[Out], T (&g)[In],
                                    T& constant) noexcept
  {
    namespace iv = detail::interval;
    T g_absolute[In]{};
    for (std::size_t i = 0; i < In; ++i) g[i] = T(0);
    T bias_sum = T(0), bias_absolute = T(0), slack_sum = T(0);
    for (std::size_t j = 0; j < Out; ++j) {
      const T dj = d[j];
      if (dj == T(0)) continue;
      const T* w = layer.weights.values + j * In;
      for (std::size_t i = 0; i < In; ++i) {
        const T p = dj * w[i];
        g[i] += p;
        g_absolute[i] += iv::magnitude(p);
      }
      const T b = dj * layer.bias.values[j];
      bias_sum += b;
      bias_absolute += iv::magnitude(b);
      slack_sum += iv::magnitude(dj) * r.slack[j];
    }
    // The coefficients' rounding: |g_i - computed g_i| <= dot_error(Out, ...), times |x_i| <= magnitude.
    T coefficient_error = T(0);
    for (std::size_t i = 0; i < In; ++i) coefficient_error += iv::dot_error(Out, g_absolute[i]) * r.in_magnitude[i];
    T lost = iv::upper_of(slack_sum, iv::dot_error(Out, slack_sum));
    lost = iv::add_up(lost, iv::upper_of(coefficient_error, iv::dot_error(In, coefficient_error)));
    constant = iv::sub_down(iv::add_down(constant, iv::lower_of(bias_sum, iv::dot_error(Out, bias_absolute))), lost);
    if (constant != constant) constant = -iv::infinity<T>;
  }

  static constexpr void finish(const layer_type&, record& r) noexcept
  {
    activation::interval(r.pre_lo, r.pre_hi, r.out_lo, r.out_hi);
    if constexpr (activation::elementwise)
      for (std::size_t j = 0; j < Out; ++j)
        r.relaxation[j] = activation::relax(r.pre_lo[j], r.pre_hi[j], r.out_lo[j], r.out_hi[j]);
  }

  static constexpr bool wants_tight(const record& r, std::size_t j) noexcept
  {
    if constexpr (activation::elementwise)
      return activation::wants_tight(r.pre_lo[j], r.pre_hi[j]);
    else
      return true;
  }

  // sum_j c_j y_j >= sum_j d_j h_j + constant through the relaxation lines.
  static constexpr bool activation_back(const record& r, const T (&c)[Out], T (&d)[Out], T& constant) noexcept
  {
    namespace iv = detail::interval;
    if constexpr (!activation::elementwise) {
      return false;
    } else {
      T offset_sum = T(0), offset_absolute = T(0), lost = T(0);
      for (std::size_t j = 0; j < Out; ++j) {
        const Relaxation<T>& line = r.relaxation[j];
        const T slope = c[j] >= T(0) ? line.lower_slope : line.upper_slope;
        const T offset = c[j] >= T(0) ? line.lower_offset : line.upper_offset;
        d[j] = c[j] * slope;
        if (slope != T(0) && slope != T(1)) {  // a rounded product: its error times |h_j|'s bound
          const T h_magnitude = iv::larger(iv::magnitude(r.pre_lo[j]), iv::magnitude(r.pre_hi[j]));
          lost = iv::add_up(
              lost, iv::mul_up(iv::add_up(iv::mul_up(iv::magnitude(d[j]), T(2) * iv::unit_roundoff<T>), iv::tiny<T>),
                               h_magnitude));
        }
        if (c[j] != T(0) && offset != T(0)) {
          const T o = c[j] * offset;
          offset_sum += o;
          offset_absolute += iv::magnitude(o);
        }
      }
      constant =
          iv::sub_down(iv::add_down(constant, iv::lower_of(offset_sum, iv::dot_error(Out, offset_absolute))), lost);
      if (constant != constant) constant = -iv::infinity<T>;
      return true;
    }
  }
};

// Standardize: y = fl(fl(x - mean) / deviation), monotone in x (deviation > 0), so the same
// expression at the ends gives exact bounds; its affine form (x - mean) / deviation is off by at
// most 4 u |y| + 2 subnormals.
template <std::size_t In, class T>
struct layer_bounds<Standardize<In, T>> {
  static constexpr bool known = true;
  using layer_type = Standardize<In, T>;
  static constexpr std::size_t inputs = In, outputs = In, pre_size = In;

  struct record {
    T in_magnitude[In]{};
    T pre_lo[In]{}, pre_hi[In]{};
    T slack[In]{};
    T out_lo[In]{}, out_hi[In]{};
  };

  static constexpr void pre_interval(const layer_type& layer, const T (&lo)[In], const T (&hi)[In], record& r) noexcept
  {
    namespace iv = detail::interval;
    detail::bounds::magnitudes(lo, hi, r.in_magnitude);
    for (std::size_t i = 0; i < In; ++i) {
      r.pre_lo[i] = (lo[i] - layer.mean.values[i]) / layer.deviation.values[i];
      r.pre_hi[i] = (hi[i] - layer.mean.values[i]) / layer.deviation.values[i];
      const T m = iv::larger(iv::magnitude(r.pre_lo[i]), iv::magnitude(r.pre_hi[i]));
      r.slack[i] = iv::add_up(iv::mul_up(m, T(4) * iv::unit_roundoff<T>), T(2) * iv::tiny<T>);
    }
  }

  static constexpr void affine_back(const layer_type& layer, const record& r, const T (&d)[In], T (&g)[In],
                                    T& constant) noexcept
  {
    namespace iv = detail::interval;
    T mean_sum = T(0), mean_absolute = T(0), lost = T(0);
    for (std::size_t i = 0; i < In; ++i) {
      g[i] = d[i] / layer.deviation.values[i];
      const T m = g[i] * layer.mean.values[i];
      mean_sum += m;
      mean_absolute += iv::magnitude(m);
      // |d_i / dev_i - g_i| <= 2 u |g_i| + subnormal, times |x_i - mean_i|; and |d_i| slack_i.
      const T centred = iv::add_up(r.in_magnitude[i], iv::magnitude(layer.mean.values[i]));
      lost = iv::add_up(
          lost,
          iv::mul_up(iv::add_up(iv::mul_up(iv::magnitude(g[i]), T(2) * iv::unit_roundoff<T>), iv::tiny<T>), centred));
      lost = iv::add_up(lost, iv::mul_up(iv::magnitude(d[i]), r.slack[i]));
    }
    constant = iv::sub_down(iv::sub_down(constant, iv::upper_of(mean_sum, iv::dot_error(In, mean_absolute))), lost);
    if (constant != constant) constant = -iv::infinity<T>;
  }

  static constexpr void finish(const layer_type&, record& r) noexcept
  {
    for (std::size_t i = 0; i < In; ++i) r.out_lo[i] = r.pre_lo[i], r.out_hi[i] = r.pre_hi[i];
  }
  static constexpr bool wants_tight(const record&, std::size_t) noexcept { return false; }
  static constexpr bool activation_back(const record&, const T (&c)[In], T (&d)[In], T&) noexcept
  {
    for (std::size_t i = 0; i < In; ++i) d[i] = c[i];
    return true;
  }
};

namespace detail::bounds {

template <class L>
struct unbounded_layer {
  static_assert(layer_bounds<L>::known,
                "ctnn: output_bounds and verify cannot bound this layer kind (or its activation) yet: "
                "specialise ctnn::layer_bounds (bounds.hpp) or ctnn::activation_bounds (detail/linear_bounds.hpp)");
  static constexpr bool value = layer_bounds<L>::known;
};

template <class Net>
struct network_parts;
template <class... Layers>
struct network_parts<Network<Layers...>> {
  using records = std::tuple<typename layer_bounds<Layers>::record...>;
  static constexpr bool all_known = (unbounded_layer<Layers>::value && ...);
};

}  // namespace detail::bounds

/// Every layer's bounds over a box of inputs: what output_bounds and verify compute once per box.
template <class Net>
struct NetworkBounds {
  using T = typename Net::scalar_type;
  static constexpr std::size_t inputs = Net::inputs, outputs = Net::outputs, layer_count = Net::layer_count;
  static_assert(detail::bounds::network_parts<Net>::all_known);
  template <std::size_t I>
  using bounds_of = layer_bounds<std::remove_cvref_t<decltype(std::declval<const Net&>().template layer<I>())>>;

  const Net* net = nullptr;
  Box<T, inputs> box{};
  typename detail::bounds::network_parts<Net>::records records{};

  /// A lower bound of sum_j c_j y_{I, j} (y_I: layer I's output) over the box, through the layers'
  /// relaxations; input_coefficients receives the linear function of the input it minimised.
  template <std::size_t I>
  constexpr T lower_bound(const T (&c)[bounds_of<I>::outputs], T constant,
                          T (&input_coefficients)[inputs]) const noexcept
  {
    using B = bounds_of<I>;
    const auto& r = std::get<I>(records);
    T d[B::pre_size]{};
    if (!B::activation_back(r, c, d, constant)) {
      for (auto& g : input_coefficients) g = T(0);
      return detail::interval::add_down(constant, detail::bounds::minimum_over_box(c, r.out_lo, r.out_hi));
    }
    return lower_bound_of_pre<I>(d, constant, input_coefficients);
  }

  /// The same for layer I's pre-activation values (its affine part's result).
  template <std::size_t I>
  constexpr T lower_bound_of_pre(const T (&d)[bounds_of<I>::pre_size], T constant,
                                 T (&input_coefficients)[inputs]) const noexcept
  {
    using B = bounds_of<I>;
    T g[B::inputs]{};
    B::affine_back(net->template layer<I>(), std::get<I>(records), d, g, constant);
    if constexpr (I == 0) {
      for (std::size_t i = 0; i < inputs; ++i) input_coefficients[i] = g[i];
      const T result = detail::interval::add_down(constant, detail::bounds::minimum_over_box(g, box.lower, box.upper));
      return result != result ? -detail::interval::infinity<T> : result;
    } else {
      return lower_bound<I - 1>(g, constant, input_coefficients);
    }
  }

  /// Fills every layer's bounds for box (linear: tighten the pre-activations by back-substitution).
  /// parent: bounds of the same network over a box that contains this one (their pre-activation
  /// bounds hold here too, and tighten these).
  constexpr void compute(const Net& network, const Box<T, inputs>& input_box, bool linear,
                         const NetworkBounds* parent = nullptr) noexcept
  {
    net = &network;
    box = input_box;
    compute_layers(linear, parent, std::make_index_sequence<layer_count>{});
  }

  /// Whether some pre-activation's bounds cross (lower > upper): then no input of the box satisfies
  /// the constraints the bounds were given (a parent's, e.g. a ReLU split's), and nothing is to prove.
  constexpr bool empty() const noexcept { return empty_layers(std::make_index_sequence<layer_count>{}); }

  /// The network's output bounds.
  constexpr Box<T, outputs> output() const noexcept
  {
    Box<T, outputs> out{};
    const auto& r = std::get<layer_count - 1>(records);
    for (std::size_t j = 0; j < outputs; ++j) out.lower[j] = r.out_lo[j], out.upper[j] = r.out_hi[j];
    return out;
  }

 private:
  template <std::size_t... I>
  constexpr bool empty_layers(std::index_sequence<I...>) const noexcept
  {
    return (empty_layer<I>() || ...);
  }
  template <std::size_t I>
  constexpr bool empty_layer() const noexcept
  {
    const auto& r = std::get<I>(records);
    for (std::size_t j = 0; j < bounds_of<I>::pre_size; ++j)
      if (r.pre_lo[j] > r.pre_hi[j]) return true;
    return false;
  }

  template <std::size_t... I>
  constexpr void compute_layers(bool linear, const NetworkBounds* parent, std::index_sequence<I...>) noexcept
  {
    (compute_layer<I>(linear, parent), ...);
  }

  template <std::size_t I>
  constexpr void compute_layer(bool linear, const NetworkBounds* parent) noexcept
  {
    using B = bounds_of<I>;
    auto& r = std::get<I>(records);
    if constexpr (I == 0)
      B::pre_interval(net->template layer<I>(), box.lower, box.upper, r);
    else
      B::pre_interval(net->template layer<I>(), std::get<I - 1>(records).out_lo, std::get<I - 1>(records).out_hi, r);
    if (parent != nullptr) {
      const auto& p = std::get<I>(parent->records);
      for (std::size_t j = 0; j < B::pre_size; ++j) {
        if (p.pre_lo[j] > r.pre_lo[j]) r.pre_lo[j] = p.pre_lo[j];
        if (p.pre_hi[j] < r.pre_hi[j]) r.pre_hi[j] = p.pre_hi[j];
      }
    }
    if constexpr (I > 0) {
      if (linear) {
        T unused[inputs]{};
        for (std::size_t j = 0; j < B::pre_size; ++j) {
          if (!B::wants_tight(r, j)) continue;
          T e[B::pre_size]{};
          e[j] = T(1);
          const T low = lower_bound_of_pre<I>(e, T(0), unused);
          e[j] = T(-1);
          const T high = -lower_bound_of_pre<I>(e, T(0), unused);
          if (low > r.pre_lo[j]) r.pre_lo[j] = low;
          if (high < r.pre_hi[j]) r.pre_hi[j] = high;
        }
      }
    }
    B::finish(net->template layer<I>(), r);
  }
};

/// Bounds that contain net.predict(x) for every x in box (float or double arithmetic as the network
/// computes it, compile time or runtime). An output can be infinite if the network's can overflow.
template <class Net>
constexpr Box<typename Net::scalar_type, Net::outputs> output_bounds(
    const Net& net, const Box<typename Net::scalar_type, Net::inputs>& box, BoundOptions options = {}) noexcept
{
  NetworkBounds<Net> bounds{};
  bounds.compute(net, box, options.linear);
  return bounds.output();
}

}  // namespace ctnn
