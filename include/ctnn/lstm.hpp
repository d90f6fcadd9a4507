#pragma once
// LSTM: a long short-term memory layer over a sequence Shape<Steps, In>, with PyTorch's equations
// and gate order (i, f, g, o), for each time step t, from h_0 = c_0 = 0:
//   i = sigmoid(W_ii x_t + b_ii + W_hi h + b_hi)      f = sigmoid(W_if x_t + b_if + W_hf h + b_hf)
//   g = tanh(W_ig x_t + b_ig + W_hg h + b_hg)         o = sigmoid(W_io x_t + b_io + W_ho h + b_ho)
//   c' = f * c + i * g                                h' = o * tanh(c')
// The parameters are PyTorch's weight_ih_l0 (4H x In), weight_hh_l0 (4H x H), bias_ih_l0 and
// bias_hh_l0 (4H each), in that order, rows i, f, g, o: importing an nn.LSTM is a copy.
// The output is the last hidden state h (Shape<Hidden>), or every step's (Shape<Steps, Hidden>) with
// ReturnSequences. Training is backpropagation through time over the whole sequence; streaming
// (Network::step) runs one time step per call on a state (h and c) the caller owns.

#include <cstddef>
#include <string_view>
#include <type_traits>

#include "ctnn/detail/recurrent.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/math.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// An LSTM layer from Steps time steps of In channels to Hidden units (the last step's h, or every
/// step's with ReturnSequences).
template <std::size_t Steps, std::size_t In, std::size_t Hidden, bool ReturnSequences = false, class T = double>
struct LSTM {
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(Steps > 0 && In > 0 && Hidden > 0, "ctnn: an LSTM needs at least one step, one input and one unit");

  using scalar_type = T;
  using input_shape = Shape<Steps, In>;
  using output_shape = std::conditional_t<ReturnSequences, Shape<Steps, Hidden>, Shape<Hidden>>;
  using input_type = Vector<T, input_shape::size>;
  using output_type = Vector<T, output_shape::size>;

  static constexpr std::size_t steps = Steps;
  static constexpr std::size_t inputs = In;
  static constexpr std::size_t hidden = Hidden;
  static constexpr bool return_sequences = ReturnSequences;
  static constexpr std::size_t gate_rows = 4 * Hidden;
  static constexpr std::size_t parameter_count = gate_rows * In + gate_rows * Hidden + 2 * gate_rows;
  static constexpr std::string_view kind = "LSTM";
  static constexpr std::string_view header = "ctnn/lstm.hpp";
  /// for_inference's form: the weights by columns, faster at runtime, the same bits.
  using inference_form = detail::recurrent::FrozenRecurrent<LSTM>;

  Matrix<T, gate_rows, In> weight_ih{};
  Matrix<T, gate_rows, Hidden> weight_hh{};
  Vector<T, gate_rows> bias_ih{};
  Vector<T, gate_rows> bias_hh{};

  /// What forward() keeps for backpropagation through time: every h_0..h_Steps and c_0..c_Steps,
  /// every step's gates i, f, g, o and tanh(c').
  struct cache_type {
    Vector<T, (Steps + 1) * Hidden> states{};
    Vector<T, (Steps + 1) * Hidden> cells{};
    Vector<T, Steps * gate_rows> gates{};
    Vector<T, Steps * Hidden> squashed_cells{};
  };

  /// What a stream keeps between steps: h and c.
  struct state_type {
    Vector<T, Hidden> h{};
    Vector<T, Hidden> c{};
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

  /// One time step: h_next and c_next from x, h and c (each next may be its current). gates gets
  /// i, f, g, o and squashed tanh(c_next), for backpropagation.
  constexpr void cell(const T* x, const T* h, const T* c, T* h_next, T* c_next, T* gates, T* squashed) const noexcept
  {
    cell_using(detail::recurrent::RowAffine<LSTM>{*this}, x, h, c, h_next, c_next, gates, squashed);
  }

  /// cell() with the two affine maps from affines(x, h, from_input, from_state): the layer's own, or its
  /// inference form's (weights by columns), which give the same bits.
  template <class Pre>
  static constexpr void cell_using(const Pre& affines, const T* x, const T* h, const T* c, T* h_next, T* c_next,
                                   T* gates, T* squashed) noexcept
  {
    T from_input[gate_rows];
    T from_state[gate_rows];
    affines(x, h, from_input, from_state);
    if (__builtin_is_constant_evaluated()) {  // one pass per unit: fewer steps for the evaluators
      for (std::size_t k = 0; k < Hidden; ++k) {
        const T i = detail::recurrent::sigmoid(from_input[k] + from_state[k]);
        const T f = detail::recurrent::sigmoid(from_input[Hidden + k] + from_state[Hidden + k]);
        const T g = math::tanh(from_input[2 * Hidden + k] + from_state[2 * Hidden + k]);
        const T o = detail::recurrent::sigmoid(from_input[3 * Hidden + k] + from_state[3 * Hidden + k]);
        gates[k] = i;
        gates[Hidden + k] = f;
        gates[2 * Hidden + k] = g;
        gates[3 * Hidden + k] = o;
        c_next[k] = f * c[k] + i * g;
        squashed[k] = math::tanh(c_next[k]);
        h_next[k] = o * squashed[k];
      }
      return;
    }
    // At runtime the same operations gate by gate, each gate's function over all units in vector lanes.
    T pre[gate_rows];
    for (std::size_t k = 0; k < gate_rows; ++k) pre[k] = from_input[k] + from_state[k];
    detail::recurrent::sigmoid_into<2 * Hidden>(pre, gates);                        // i, f
    detail::recurrent::tanh_into<Hidden>(pre + 2 * Hidden, gates + 2 * Hidden);     // g
    detail::recurrent::sigmoid_into<Hidden>(pre + 3 * Hidden, gates + 3 * Hidden);  // o
    for (std::size_t k = 0; k < Hidden; ++k) c_next[k] = gates[Hidden + k] * c[k] + gates[k] * gates[2 * Hidden + k];
    detail::recurrent::tanh_into<Hidden>(c_next, squashed);
    for (std::size_t k = 0; k < Hidden; ++k) h_next[k] = gates[3 * Hidden + k] * squashed[k];
  }

  /// Inference over the whole sequence from h_0 = c_0 = 0.
  constexpr output_type operator()(const input_type& x) const noexcept
  {
    return sequence_using(detail::recurrent::RowAffine<LSTM>{*this}, x);
  }
  template <class Pre>
  static constexpr output_type sequence_using(const Pre& affines, const input_type& x) noexcept
  {
    output_type y;
    T h[Hidden] = {};
    T c[Hidden] = {};
    T gates[gate_rows];
    T squashed[Hidden];
    for (std::size_t t = 0; t < Steps; ++t) {
      cell_using(affines, x.values + t * In, h, c, h, c, gates, squashed);
      if constexpr (ReturnSequences)
        for (std::size_t k = 0; k < Hidden; ++k) y.values[t * Hidden + k] = h[k];
    }
    if constexpr (!ReturnSequences)
      for (std::size_t k = 0; k < Hidden; ++k) y.values[k] = h[k];
    return y;
  }

  constexpr void forward(const input_type& x, cache_type& cache, output_type& y) const noexcept
  {
    for (std::size_t k = 0; k < Hidden; ++k) {
      cache.states.values[k] = T(0);
      cache.cells.values[k] = T(0);
    }
    for (std::size_t t = 0; t < Steps; ++t) {
      T* h_next = cache.states.values + (t + 1) * Hidden;
      T* c_next = cache.cells.values + (t + 1) * Hidden;
      cell(x.values + t * In, h_next - Hidden, c_next - Hidden, h_next, c_next, cache.gates.values + t * gate_rows,
           cache.squashed_cells.values + t * Hidden);
      if constexpr (ReturnSequences)
        for (std::size_t k = 0; k < Hidden; ++k) y.values[t * Hidden + k] = h_next[k];
    }
    if constexpr (!ReturnSequences)
      for (std::size_t k = 0; k < Hidden; ++k) y.values[k] = cache.states.values[Steps * Hidden + k];
  }

  /// Backpropagation through time: adds the sample's gradients to g, and writes dx when asked.
  template <bool NeedInputGradient>
  constexpr void backward(const input_type& x, const cache_type& cache, const output_type& /*y*/, const output_type& dy,
                          gradients& g, input_type& dx) const noexcept
  {
    T dh[Hidden];  // dL/dh_t, from the output and from later steps
    T dc[Hidden];  // dL/dc_t from later steps
    for (std::size_t k = 0; k < Hidden; ++k) {
      dh[k] = ReturnSequences ? T(0) : dy.values[k];
      dc[k] = T(0);
    }
    T pre[gate_rows];  // dL/d(gate pre-activations): the same for the input and the recurrent side
    for (std::size_t t = Steps; t-- > 0;) {
      if constexpr (ReturnSequences)
        for (std::size_t k = 0; k < Hidden; ++k) dh[k] += dy.values[t * Hidden + k];
      const T* h = cache.states.values + t * Hidden;
      const T* c = cache.cells.values + t * Hidden;
      const T* gates = cache.gates.values + t * gate_rows;
      const T* squashed = cache.squashed_cells.values + t * Hidden;
      for (std::size_t k = 0; k < Hidden; ++k) {
        const T i = gates[k];
        const T f = gates[Hidden + k];
        const T gc = gates[2 * Hidden + k];
        const T o = gates[3 * Hidden + k];
        const T s = squashed[k];
        const T dcell = dc[k] + dh[k] * o * (T(1) - s * s);
        pre[k] = dcell * gc * i * (T(1) - i);
        pre[Hidden + k] = dcell * c[k] * f * (T(1) - f);
        pre[2 * Hidden + k] = dcell * i * (T(1) - gc * gc);
        pre[3 * Hidden + k] = dh[k] * s * o * (T(1) - o);
        dc[k] = dcell * f;  // through c' = f c + ...
      }
      detail::recurrent::add_outer<gate_rows, In>(g.weight_ih.values, g.bias_ih.values, pre, x.values + t * In);
      detail::recurrent::add_outer<gate_rows, Hidden>(g.weight_hh.values, g.bias_hh.values, pre, h);
      if constexpr (NeedInputGradient)
        detail::recurrent::transposed_times<gate_rows, In>(weight_ih.values, pre, dx.values + t * In);
      if (t > 0) detail::recurrent::transposed_times<gate_rows, Hidden>(weight_hh.values, pre, dh);
    }
  }

  /// One time step of a stream: advances s.h and s.c and returns h.
  constexpr step_output_type step(const step_input_type& x, state_type& s) const noexcept
  {
    return step_using(detail::recurrent::RowAffine<LSTM>{*this}, x, s);
  }
  template <class Pre>
  static constexpr step_output_type step_using(const Pre& affines, const step_input_type& x, state_type& s) noexcept
  {
    T gates[gate_rows];
    T squashed[Hidden];
    cell_using(affines, x.values, s.h.values, s.c.values, s.h.values, s.c.values, gates, squashed);
    return s.h;
  }
  /// The resting state: h = c = 0.
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
  /// ctnn::LSTM<Steps, In, Hidden, ReturnSequences, T>, for emit_header.
  template <class W>
  static constexpr void spell(W& w)
  {
    detail::recurrent::spell<Steps, In, Hidden, ReturnSequences, T>(w, "LSTM");
  }
};

}  // namespace ctnn
