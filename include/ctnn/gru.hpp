#pragma once
// GRU: a gated recurrent layer over a sequence Shape<Steps, In>, with PyTorch's equations and gate
// order (r, z, n), for each time step t, from h_0 = 0:
//   r = sigmoid(W_ir x_t + b_ir + W_hr h + b_hr)
//   z = sigmoid(W_iz x_t + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x_t + b_in + r * (W_hn h + b_hn))
//   h' = (1 - z) * n + z * h
// The parameters are PyTorch's weight_ih_l0 (3H x In), weight_hh_l0 (3H x H), bias_ih_l0 and
// bias_hh_l0 (3H each), in that order, rows r then z then n: importing an nn.GRU is a copy.
// The output is the last hidden state (Shape<Hidden>), or every step's (Shape<Steps, Hidden>) with
// ReturnSequences, which a second GRU can take (stacked layers are two GRUs in a Network).
// Training is backpropagation through time over the whole sequence; streaming (Network::step) runs
// one time step per call on a state the caller owns.

#include <cstddef>
#include <string_view>
#include <type_traits>

#include "ctnn/detail/recurrent.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/math.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// A GRU layer from Steps time steps of In channels to Hidden units (the last step's, or every
/// step's with ReturnSequences).
template <std::size_t Steps, std::size_t In, std::size_t Hidden, bool ReturnSequences = false, class T = double>
struct GRU {
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(Steps > 0 && In > 0 && Hidden > 0, "ctnn: a GRU needs at least one step, one input and one unit");

  using scalar_type = T;
  using input_shape = Shape<Steps, In>;
  using output_shape = std::conditional_t<ReturnSequences, Shape<Steps, Hidden>, Shape<Hidden>>;
  using input_type = Vector<T, input_shape::size>;
  using output_type = Vector<T, output_shape::size>;

  static constexpr std::size_t steps = Steps;
  static constexpr std::size_t inputs = In;
  static constexpr std::size_t hidden = Hidden;
  static constexpr bool return_sequences = ReturnSequences;
  static constexpr std::size_t gate_rows = 3 * Hidden;
  static constexpr std::size_t parameter_count = gate_rows * In + gate_rows * Hidden + 2 * gate_rows;
  static constexpr std::string_view kind = "GRU";
  static constexpr std::string_view header = "ctnn/gru.hpp";
  /// for_inference's form: the weights by columns, faster at runtime, the same bits.
  using inference_form = detail::recurrent::FrozenRecurrent<GRU>;

  Matrix<T, gate_rows, In> weight_ih{};
  Matrix<T, gate_rows, Hidden> weight_hh{};
  Vector<T, gate_rows> bias_ih{};
  Vector<T, gate_rows> bias_hh{};

  /// What forward() keeps for backpropagation through time: every hidden state h_0..h_Steps, every
  /// step's gates r, z, n, and W_hn h + b_hn (which r multiplies).
  struct cache_type {
    Vector<T, (Steps + 1) * Hidden> states{};
    Vector<T, Steps * gate_rows> gates{};
    Vector<T, Steps * Hidden> recurrent_candidate{};
  };

  /// What a stream keeps between steps: the hidden state.
  struct state_type {
    Vector<T, Hidden> h{};
    friend constexpr bool operator==(const state_type&, const state_type&) = default;
  };
  using step_input_type = Vector<T, In>;
  using step_output_type = Vector<T, Hidden>;

  struct gradients {
    Matrix<T, gate_rows, In> weight_ih{};
    Matrix<T, gate_rows, Hidden> weight_hh{};
    Vector<T, gate_rows> bias_ih{};
    Vector<T, gate_rows> bias_hh{};
  };

  template <class Optimizer>
  struct optimizer_state {
    typename Optimizer::template state<T, gate_rows * In> weight_ih{};
    typename Optimizer::template state<T, gate_rows * Hidden> weight_hh{};
    typename Optimizer::template state<T, gate_rows> bias_ih{};
    typename Optimizer::template state<T, gate_rows> bias_hh{};
  };

  /// One time step: h_next from x and h (h_next may be h). gates gets r, z, n and candidate
  /// W_hn h + b_hn, for backpropagation.
  constexpr void cell(const T* x, const T* h, T* h_next, T* gates, T* candidate) const noexcept
  {
    cell_using(detail::recurrent::RowAffine<GRU>{*this}, x, h, h_next, gates, candidate);
  }

  /// cell() with the two affine maps from affines(x, h, from_input, from_state): the layer's own, or its
  /// inference form's (weights by columns), which give the same bits.
  template <class Pre>
  static constexpr void cell_using(const Pre& affines, const T* x, const T* h, T* h_next, T* gates,
                                   T* candidate) noexcept
  {
    T from_input[gate_rows];
    T from_state[gate_rows];
    affines(x, h, from_input, from_state);
    if (__builtin_is_constant_evaluated()) {  // one pass per unit: fewer steps for the evaluators
      for (std::size_t i = 0; i < Hidden; ++i) {
        const T r = detail::recurrent::sigmoid(from_input[i] + from_state[i]);
        const T z = detail::recurrent::sigmoid(from_input[Hidden + i] + from_state[Hidden + i]);
        const T n = math::tanh(from_input[2 * Hidden + i] + r * from_state[2 * Hidden + i]);
        gates[i] = r;
        gates[Hidden + i] = z;
        gates[2 * Hidden + i] = n;
        candidate[i] = from_state[2 * Hidden + i];
        h_next[i] = (T(1) - z) * n + z * h[i];
      }
      return;
    }
    // At runtime the same operations gate by gate, each gate's function over all units in vector lanes.
    T pre[2 * Hidden];  // r's and z's pre-activations, then n's
    for (std::size_t i = 0; i < 2 * Hidden; ++i) pre[i] = from_input[i] + from_state[i];
    detail::recurrent::sigmoid_into<2 * Hidden>(pre, gates);
    for (std::size_t i = 0; i < Hidden; ++i)
      pre[i] = from_input[2 * Hidden + i] + gates[i] * from_state[2 * Hidden + i];
    detail::recurrent::tanh_into<Hidden>(pre, gates + 2 * Hidden);
    for (std::size_t i = 0; i < Hidden; ++i) {
      const T z = gates[Hidden + i];
      candidate[i] = from_state[2 * Hidden + i];
      h_next[i] = (T(1) - z) * gates[2 * Hidden + i] + z * h[i];
    }
  }

  /// Inference over the whole sequence from h_0 = 0.
  constexpr output_type operator()(const input_type& x) const noexcept
  {
    return sequence_using(detail::recurrent::RowAffine<GRU>{*this}, x);
  }
  template <class Pre>
  static constexpr output_type sequence_using(const Pre& affines, const input_type& x) noexcept
  {
    output_type y;
    T h[Hidden] = {};
    T gates[gate_rows];
    T candidate[Hidden];
    for (std::size_t t = 0; t < Steps; ++t) {
      cell_using(affines, x.values + t * In, h, h, gates, candidate);
      if constexpr (ReturnSequences)
        for (std::size_t i = 0; i < Hidden; ++i) y.values[t * Hidden + i] = h[i];
    }
    if constexpr (!ReturnSequences)
      for (std::size_t i = 0; i < Hidden; ++i) y.values[i] = h[i];
    return y;
  }

  constexpr void forward(const input_type& x, cache_type& c, output_type& y) const noexcept
  {
    for (std::size_t i = 0; i < Hidden; ++i) c.states.values[i] = T(0);
    for (std::size_t t = 0; t < Steps; ++t) {
      T* h_next = c.states.values + (t + 1) * Hidden;
      cell(x.values + t * In, h_next - Hidden, h_next, c.gates.values + t * gate_rows,
           c.recurrent_candidate.values + t * Hidden);
      if constexpr (ReturnSequences)
        for (std::size_t i = 0; i < Hidden; ++i) y.values[t * Hidden + i] = h_next[i];
    }
    if constexpr (!ReturnSequences)
      for (std::size_t i = 0; i < Hidden; ++i) y.values[i] = c.states.values[Steps * Hidden + i];
  }

  /// Backpropagation through time: adds the sample's gradients to g, and writes dx when asked.
  template <bool NeedInputGradient>
  constexpr void backward(const input_type& x, const cache_type& c, const output_type& /*y*/, const output_type& dy,
                          gradients& g, input_type& dx) const noexcept
  {
    T dh[Hidden];  // dL/dh_t, from the output and from later steps
    for (std::size_t i = 0; i < Hidden; ++i) dh[i] = ReturnSequences ? T(0) : dy.values[i];
    T from_input[gate_rows];  // dL/d(W_i x + b_i), gate by gate
    T from_state[gate_rows];  // dL/d(W_h h + b_h)
    for (std::size_t t = Steps; t-- > 0;) {
      if constexpr (ReturnSequences)
        for (std::size_t i = 0; i < Hidden; ++i) dh[i] += dy.values[t * Hidden + i];
      const T* h = c.states.values + t * Hidden;
      const T* gates = c.gates.values + t * gate_rows;
      const T* candidate = c.recurrent_candidate.values + t * Hidden;
      for (std::size_t i = 0; i < Hidden; ++i) {
        const T r = gates[i];
        const T z = gates[Hidden + i];
        const T n = gates[2 * Hidden + i];
        const T dn = dh[i] * (T(1) - z) * (T(1) - n * n);
        const T dz = dh[i] * (h[i] - n) * z * (T(1) - z);
        const T dr = dn * candidate[i] * r * (T(1) - r);
        from_input[i] = dr;
        from_input[Hidden + i] = dz;
        from_input[2 * Hidden + i] = dn;
        from_state[i] = dr;
        from_state[Hidden + i] = dz;
        from_state[2 * Hidden + i] = dn * r;
        dh[i] = dh[i] * z;  // through h' = ... + z h
      }
      const T* x_t = x.values + t * In;
      detail::recurrent::add_outer<gate_rows, In>(g.weight_ih.values, g.bias_ih.values, from_input, x_t);
      detail::recurrent::add_outer<gate_rows, Hidden>(g.weight_hh.values, g.bias_hh.values, from_state, h);
      if constexpr (NeedInputGradient)
        detail::recurrent::transposed_times<gate_rows, In>(weight_ih.values, from_input, dx.values + t * In);
      if (t > 0) detail::recurrent::transposed_times<gate_rows, Hidden>(weight_hh.values, from_state, dh, dh);
    }
  }

  /// One time step of a stream: advances s.h and returns it.
  constexpr step_output_type step(const step_input_type& x, state_type& s) const noexcept
  {
    return step_using(detail::recurrent::RowAffine<GRU>{*this}, x, s);
  }
  template <class Pre>
  static constexpr step_output_type step_using(const Pre& affines, const step_input_type& x, state_type& s) noexcept
  {
    T gates[gate_rows];
    T candidate[Hidden];
    cell_using(affines, x.values, s.h.values, s.h.values, gates, candidate);
    return s.h;
  }
  /// The resting state: h = 0.
  constexpr state_type initial_state() const noexcept { return {}; }

  /// weight_ih, weight_hh, bias_ih, bias_hh: PyTorch's parameter order.
  template <class F>
  constexpr void visit_parameters(F&& f)
  {
    f(weight_ih.values);
    f(weight_hh.values);
    f(bias_ih.values);
    f(bias_hh.values);
  }
  template <class F>
  constexpr void visit_parameters(F&& f) const
  {
    f(weight_ih.values);
    f(weight_hh.values);
    f(bias_ih.values);
    f(bias_hh.values);
  }
  template <class F>
  static constexpr void visit_gradients(gradients& g, F&& f)
  {
    f(g.weight_ih.values);
    f(g.weight_hh.values);
    f(g.bias_ih.values);
    f(g.bias_hh.values);
  }

  template <class Optimizer>
  constexpr void update(const Optimizer& optimizer, const gradients& g, optimizer_state<Optimizer>& s) noexcept
  {
    optimizer.update(weight_ih.values, g.weight_ih.values, s.weight_ih);
    optimizer.update(weight_hh.values, g.weight_hh.values, s.weight_hh);
    optimizer.update(bias_ih.values, g.bias_ih.values, s.bias_ih);
    optimizer.update(bias_hh.values, g.bias_hh.values, s.bias_hh);
  }

  /// Draws weight_ih, weight_hh, bias_ih, bias_hh in order, each with fan_out = Hidden (so that
  /// RecurrentUniform is PyTorch's initialisation) and fan_in its columns (In, Hidden, and In + Hidden
  /// for the biases).
  template <class Initializer, class Generator>
  constexpr void initialize(const Initializer& init, Generator& rng) noexcept
  {
    for (auto& w : weight_ih.values) w = init.template weight<T>(rng, In, Hidden);
    for (auto& w : weight_hh.values) w = init.template weight<T>(rng, Hidden, Hidden);
    for (auto& b : bias_ih.values) b = init.template bias<T>(rng, In + Hidden, Hidden);
    for (auto& b : bias_hh.values) b = init.template bias<T>(rng, In + Hidden, Hidden);
  }

  /// Model-file fields: hidden=H steps=S return_sequences=true|false.
  template <class W>
  static constexpr void describe(W& w)
  {
    detail::recurrent::describe<Steps, Hidden, ReturnSequences>(w);
  }
  /// ctnn::GRU<Steps, In, Hidden, ReturnSequences, T>, for emit_header.
  template <class W>
  static constexpr void spell(W& w)
  {
    detail::recurrent::spell<Steps, In, Hidden, ReturnSequences, T>(w, "GRU");
  }
};

}  // namespace ctnn
