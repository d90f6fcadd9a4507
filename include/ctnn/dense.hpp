#pragma once
// Dense (fully connected) layer, the tutorial's section 4.1:
//   forward   h = W x + b,  y = f(h)
//   backward  db = f'(h) * dL,  dW = db x^T,  dx = W^T db
// The loops are written out over the flat arrays on purpose: the constant evaluator pays for
// every function call, so one call per layer and step is the budget. At runtime the forward pass and
// the SGD step of wider layers run detail/kernels.hpp's loops instead: same operations per value,
// faster order.

#include <cstddef>
#include <limits>
#include <string_view>
#include <type_traits>
#include <utility>

#include "ctnn/activation.hpp"
#include "ctnn/detail/kernels.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

template <std::size_t In, std::size_t Out, class ActivationFunction, class T>
struct FrozenDense;  // its inference form, frozen_dense.hpp (included below)

/// A fully connected layer from In inputs to Out outputs with an ActivationFunction such as Sigmoid.
template <std::size_t In, std::size_t Out, class ActivationFunction, class T = double>
struct Dense {
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(diagnostic::check_layer_size<diagnostic::dense_inputs_outputs<In, Out>>::value);
  // The activation's members, one error for the first one missing (after a bad T or size, nothing).
  static_assert(diagnostic::passes<
                std::conditional_t<(math::Real<T> && In > 0 && Out > 0),
                                   detail::activation_checks<ActivationFunction, T, Out>, diagnostic::in_order<>>>);

  using scalar_type = T;
  using activation_type = ActivationFunction;
  // Shape<1> for a zero size only so that the size check above is the one error.
  using input_shape = Shape<(In > 0 ? In : 1)>;
  using output_shape = Shape<(Out > 0 ? Out : 1)>;
  using input_type = Vector<T, In>;
  using output_type = Vector<T, Out>;
  /// What for_inference() makes of it: W by columns.
  using inference_form = FrozenDense<In, Out, ActivationFunction, T>;

  static constexpr std::size_t inputs = In;
  static constexpr std::size_t outputs = Out;
  static constexpr std::size_t parameter_count = Out * In + Out;
  /// The Keras class name, used by summary() and model files.
  static constexpr std::string_view kind = "Dense";
  /// The header generated code includes for it.
  static constexpr std::string_view header = "ctnn/dense.hpp";

  // Sizes are clamped to 1 only so that a zero-sized Dense reports the check above and nothing else.
  Matrix<T, (Out > 0 ? Out : 1), (In > 0 ? In : 1)> weights{};
  Vector<T, (Out > 0 ? Out : 1)> bias{};

 private:
  // In a constant expression small layers run straight-line code: a fold over constant indices costs
  // the evaluators no loop tests or index arithmetic (about 10 % of the XOR proof on GCC, 15 % on
  // Clang). At runtime the loops are faster (the compilers unroll them anyway), and the operations
  // per value are the same, so the bits are. The packs are W's flat (row-major) indices and the row
  // indices; they are empty for larger layers, which always loop. __builtin_is_constant_evaluated
  // rather than std::is_constant_evaluated: a call costs the evaluators more than the test.
  static constexpr bool unrolls = In * Out <= 64;
  // Larger layers of at most 128 inputs run each row as a fold over the column index in a constant
  // expression (a loop over the rows only): about half the evaluators' time on a 64-16 layer. For
  // them the weight pack holds a row's column indices.
  static constexpr bool folds_rows = !unrolls && In <= 128;
  using weight_pack =
      std::conditional_t<unrolls, std::make_index_sequence<In * Out>,
                         std::conditional_t<folds_rows, std::make_index_sequence<In>, std::index_sequence<>>>;
  using row_pack = std::conditional_t<unrolls, std::make_index_sequence<Out>, std::index_sequence<>>;
  // How the row folds reach a row: Clang's evaluator is faster (about 10 % of the digits run) with a
  // pointer stepped along W and one to x, GCC's slower (15 %, and 20 % more memory) than with
  // W[row + K] and x[K]. Same operations on the values either way.
#if defined(__clang__)
  static constexpr bool folds_rows_by_pointer = true;
#else
  static constexpr bool folds_rows_by_pointer = false;
#endif

  // The plan's type carries the packs above, so that forward() and the step deduce them from the
  // empty plan fit() passes: no extra call per layer and sample for the evaluators.
  template <class WeightPack, class RowPack>
  struct training_plan {};

 public:
  /// What forward() keeps for backward() besides x and y: the pre-activation h = W x + b. A plain
  /// Vector, not a struct: GCC's evaluator needs about 8 % more memory per training step for a
  /// struct holding h and y than for two Vectors.
  using cache_type = Vector<T, Out>;
  /// What fit() passes to forward() and backward_and_update() (the layer protocol's plan_type).
  using plan_type = training_plan<weight_pack, row_pack>;

  /// dW and db, shaped like the parameters.
  struct gradients {
    Matrix<T, Out, In> weights;
    Vector<T, Out> bias;
  };

  /// An optimizer's per-parameter state (empty for plain SGD), one per tensor.
  template <class Optimizer>
  struct optimizer_state {
    typename Optimizer::template state<T, Out * In> weights{};
    typename Optimizer::template state<T, Out> bias{};
  };

  [[deprecated("use forward(x, h, y) and backward(x, h, y, dy, g, dx)")]] static constexpr bool straight_line = unrolls;
  [[deprecated("an implementation detail; use forward(x, h, y)")]] static constexpr bool row_folds = folds_rows;
  using weight_indices [[deprecated("an implementation detail; use forward(x, h, y)")]] = weight_pack;
  using row_indices [[deprecated("an implementation detail; use forward(x, h, y)")]] = row_pack;

  /// What forward(x, cache&) of ctnn 0.2 kept (x, h and y); see the deprecated members at the end.
  struct cache {
    Vector<T, In> x;
    Vector<T, Out> h;
    Vector<T, Out> y;
  };

  /// Inference: y = f(W x + b).
  constexpr output_type operator()(const input_type& x) const noexcept
  {
    output_type h;
    output_type y;
    forward(x, h, y, plan_type{});
    return y;
  }

  /// Training forward pass: h = W x + b into h (the cache) and y = f(h) into y.
  constexpr void forward(const input_type& x, cache_type& h, output_type& y) const noexcept
  {
    forward(x, h, y, plan_type{});
  }

  /// The same with the plan fit() passes. Activates = false computes h only, for a caller that
  /// computes y itself (in a constant expression y is left as it is; at runtime the vector path may
  /// fill it).
  template <bool Activates = true, std::size_t... K, std::size_t... I>
  constexpr void forward(const input_type& x, cache_type& h, output_type& y,
                         training_plan<std::index_sequence<K...>, std::index_sequence<I...>>) const noexcept
  {
    // h = W x + b, summed left to right with the bias added last, as np.dot(W, x) + b reads.
    if (unrolls && __builtin_is_constant_evaluated()) {
      ((h.values[K / In] =
            K % In == 0 ? weights.values[K] * x.values[0] : h.values[K / In] + weights.values[K] * x.values[K % In]),
       ...);
      ((h.values[I] = h.values[I] + bias.values[I]), ...);
    } else if (folds_rows && __builtin_is_constant_evaluated()) {
      // A left fold: ((W[i][0] x[0] + W[i][1] x[1]) + ...), the loop's order. Discarded unless K runs
      // over the inputs: Clang would warn about the indices of an unrolled layer's pack here.
      if constexpr (folds_rows && folds_rows_by_pointer) {
        const T* w = weights.values;
        const T* const xs = x.values;
        for (std::size_t i = 0; i < Out; ++i, w += In) h.values[i] = (... + (w[K] * xs[K])) + bias.values[i];
      } else if constexpr (folds_rows) {
        for (std::size_t i = 0, row = 0; i < Out; ++i, row += In)
          h.values[i] = (... + (weights.values[row + K] * x.values[K])) + bias.values[i];
      }
    } else if (detail::use_vector_forward<In, Out> && !std::is_constant_evaluated()) {
      detail::dense_forward<In, Out>(weights.values, bias.values, x.values, h.values);
      return activate_at_runtime(h.values, y.values);
    } else {
      for (std::size_t i = 0, row = 0; i < Out; ++i, row += In) {
        T sum = weights.values[row] * x.values[0];
        for (std::size_t j = 1; j < In; ++j) sum += weights.values[row + j] * x.values[j];
        h.values[i] = sum + bias.values[i];
      }
    }
    if constexpr (Activates && ctnn::Activation<ActivationFunction, T, Out>)  // else the check above has reported
      ActivationFunction::forward(h.values, y.values);
  }

  /// y = f(h) through the activation's runtime form where it has one (same bits, vectorised).
  // A template only so that a zero-sized Dense, which its static_assert reports, declares no zero-sized array.
  template <std::size_t N = Out>
  static void activate_at_runtime(const T (&h)[N], T (&y)[N]) noexcept
  {
    if constexpr (requires { ActivationFunction::template forward_elementwise<Out>(h, y); })
      ActivationFunction::template forward_elementwise<Out>(h, y);
    else if constexpr (requires { ActivationFunction::template forward_runtime<Out>(h, y); })
      ActivationFunction::template forward_runtime<Out>(h, y);
    else
      ActivationFunction::forward(h, y);
  }

  /// Backward pass for one sample: adds db = J_f(h)^T dy and dW = db x^T to g and writes dx = W^T db
  /// when NeedInputGradient (the first trainable layer's dx nobody reads). When
  /// GivenPreActivationGradient, dy is dL/dh already (a loss fused with this activation gave it).
  template <bool NeedInputGradient, bool GivenPreActivationGradient = false>
  constexpr void backward(const input_type& x, const cache_type& h, const output_type& y, const output_type& dy,
                          gradients& g, input_type& dx) const noexcept
  {
    gradients_into<NeedInputGradient, true, GivenPreActivationGradient>(x, h, y, dy, g, dx);
  }

  /// Calls f(dW's flat array) then f(db's array): the order of visit_parameters.
  template <class F>
  static constexpr void visit_gradients(gradients& g, F&& f)
  {
    f(g.weights.values);
    f(g.bias.values);
  }

  /// Applies one optimizer step to W and b.
  template <class Optimizer>
  constexpr void update(const Optimizer& optimizer, const gradients& g, optimizer_state<Optimizer>& state) noexcept
  {
    optimizer.update(weights.values, g.weights.values, state.weights);
    optimizer.update(bias.values, g.bias.values, state.bias);
  }

  /// backward() then update() in one pass, as per-sample training does; for an optimizer whose step
  /// is p -= learning_rate * g (Optimizer::plain_gradient_step, as SGD) the update follows in the
  /// same loops with the same arithmetic, so no gradient is stored; the bits equal backward() +
  /// update(). Writes dx only when NeedInputGradient, from W before the step. GivenPreActivationGradient
  /// as in backward(). SkipsZeroDeltas: see skips_zero_deltas_exactly().
  template <bool NeedInputGradient, bool GivenPreActivationGradient, bool SkipsZeroDeltas = false, class Optimizer>
  constexpr void backward_and_update(const input_type& x, const cache_type& h, const output_type& y,
                                     const output_type& d, const Optimizer& optimizer,
                                     optimizer_state<Optimizer>& state, input_type& dx) noexcept
  {
    backward_and_update<NeedInputGradient, GivenPreActivationGradient, SkipsZeroDeltas>(x, h, y, d, optimizer, state,
                                                                                        dx, plan_type{});
  }

  /// The same with the plan fit() passes.
  template <bool NeedInputGradient, bool GivenPreActivationGradient, bool SkipsZeroDeltas = false, class Optimizer,
            std::size_t... K, std::size_t... I>
  constexpr void backward_and_update(const input_type& x, const cache_type& h, const output_type& y,
                                     const output_type& d, const Optimizer& optimizer,
                                     optimizer_state<Optimizer>& state, input_type& dx,
                                     training_plan<std::index_sequence<K...>, std::index_sequence<I...>>) noexcept
  {
    if constexpr (requires { requires Optimizer::plain_gradient_step; }) {
      T db[Out];
      if constexpr (GivenPreActivationGradient) {
        for (std::size_t i = 0; i < Out; ++i) db[i] = d.values[i];
      } else if constexpr (runtime_activation_backward) {
        activation_backward(h.values, y.values, d.values, db);
      } else {
        ActivationFunction::backward(h.values, y.values, d.values, db);
      }
      const auto rate = static_cast<T>(optimizer.learning_rate);
      if (unrolls && __builtin_is_constant_evaluated()) {
        // dx[j] = sum over i from 0 up of W[i][j] db[i], started from zero as the loops below start it.
        if constexpr (NeedInputGradient)
          ((dx.values[K % In] =
                K < In ? T(0) + weights.values[K] * db[0] : dx.values[K % In] + weights.values[K] * db[K / In]),
           ...);
        ((weights.values[K] -= rate * (db[K / In] * x.values[K % In])), ...);
        ((bias.values[I] -= rate * db[I]), ...);
      } else if (folds_rows && __builtin_is_constant_evaluated()) {
        if constexpr (folds_rows) {  // discarded otherwise, as in forward
          // dx[j] summed over i from 0 up, from W before the step, as the loops below sum it.
          if constexpr (NeedInputGradient) {
            ((dx.values[K] = T(0)), ...);
            for (std::size_t i = 0, row = 0; i < Out; ++i, row += In)
              ((dx.values[K] = dx.values[K] + weights.values[row + K] * db[i]), ...);
          }
          // A row whose delta is zero (a ReLU unit that was off) subtracts rate * (0 * x[j]) = +-0
          // from each weight, which leaves every weight but -0 as it is when x and the rate are
          // finite. With SkipsZeroDeltas the caller has checked that no weight is -0 (and the step
          // makes none: w - p is -0 only when w is), so such rows are skipped here, the same bits
          // for half the work of a typical ReLU layer. 0: not checked yet, 1: finite, 2: not.
          [[maybe_unused]] int finite_step = 0;
          // The pointers are declared here, not per row: Clang keeps every local of a loop body.
          [[maybe_unused]] T* w = weights.values;
          [[maybe_unused]] const T* const xs = x.values;
          for (std::size_t i = 0, row = 0; i < Out; ++i, row += In, w += In) {
            const T delta = db[i];
            if constexpr (SkipsZeroDeltas) {
              if (delta == T(0)) {
                if (finite_step == 0) {
                  constexpr T largest = std::numeric_limits<T>::max();
                  finite_step = rate >= -largest && rate <= largest &&
                                        (... && (x.values[K] >= -largest && x.values[K] <= largest))
                                    ? 1
                                    : 2;
                }
                if (finite_step == 1) {
                  bias.values[i] -= rate * delta;
                  continue;
                }
              }
            }
            if constexpr (folds_rows_by_pointer) {
              ((w[K] -= rate * (delta * xs[K])), ...);
            } else {
              ((weights.values[row + K] -= rate * (delta * x.values[K])), ...);
            }
            bias.values[i] -= rate * delta;
          }
        }
      } else if (detail::use_runtime_kernels<In> && !std::is_constant_evaluated()) {
        detail::dense_sgd_step<NeedInputGradient, In, Out>(weights.values, bias.values, x.values, db, rate, dx.values);
      } else {
        if constexpr (NeedInputGradient) {
          // dx reads W before this step changes it, summed over i from 0 up, as backward() sums it.
          for (std::size_t j = 0; j < In; ++j) {
            T sum = T(0);
            for (std::size_t i = 0; i < Out; ++i) sum += weights.values[i * In + j] * db[i];
            dx.values[j] = sum;
          }
        }
        for (std::size_t i = 0, k = 0; i < Out; ++i) {
          const T delta = db[i];
          for (std::size_t j = 0; j < In; ++j, ++k) weights.values[k] -= rate * (delta * x.values[j]);
          bias.values[i] -= rate * delta;
        }
      }
    } else {
      gradients g;
      gradients_into<NeedInputGradient, false, GivenPreActivationGradient>(x, h, y, d, g, dx);
      update(optimizer, g, state);
    }
  }

  /// True when no weight is zero, so none is -0: then a constant-evaluated SGD step may skip the rows
  /// whose delta is zero (backward_and_update's SkipsZeroDeltas), the same bits for less work. A
  /// zero weight (+0 from an exact cancellation, or a zero initialiser) only costs the shortcut.
  constexpr bool skips_zero_deltas_exactly() const noexcept
    requires(folds_rows)
  {
    for (const auto w : weights.values)
      if (w == 0) return false;
    return true;
  }

  /// Calls f(W's flat array) then f(b's array).
  template <class F>
  constexpr void visit_parameters(F&& f)
  {
    f(weights.values);
    f(bias.values);
  }
  template <class F>
  constexpr void visit_parameters(F&& f) const
  {
    f(weights.values);
    f(bias.values);
  }

  /// Draws W row by row, then b, as the tutorial's np.random.uniform calls do.
  template <class Initializer, class Generator>
  constexpr void initialize(const Initializer& init, Generator& rng) noexcept
  {
    for (auto& w : weights.values) w = init.template weight<T>(rng, In, Out);
    for (auto& b : bias.values) b = init.template bias<T>(rng, In, Out);
  }

  /// The model-file fields after the shapes: the activation's name.
  template <class W>
  static constexpr void describe(W& w)
  {
    w.token("activation", std::string_view(ActivationFunction::name));
  }

  /// The C++ type, for emit_header: ctnn::Dense<In, Out, <activation>, <scalar>>.
  template <class W>
  static constexpr void spell(W& w)
  {
    w.text("ctnn::Dense<");
    w.number(In);
    w.text(", ");
    w.number(Out);
    w.text(", ");
    w.template activation<ActivationFunction>();
    w.text(", ");
    w.template scalar<T>();
    w.text(">");
  }

  /// The values as a generated header spells them: an aggregate of W (row-major) and b.
  template <class W>
  constexpr void spell_values(W& w) const
  {
    w.matrix("weights", weights.values, Out, In);
    w.array("bias", bias.values);
  }

  // ctnn 0.2's training interface, kept for one release.

  [[deprecated("use forward(x, h, y)")]] constexpr const output_type& forward(const input_type& x,
                                                                              cache& c) const noexcept
  {
    c.x = x;
    forward(x, c.h, c.y, plan_type{});
    return c.y;
  }

  template <bool Activates = true, std::size_t... K, std::size_t... I>
  [[deprecated("use forward(x, h, y)")]] constexpr void forward_into(const input_type& x, output_type& h,
                                                                     output_type& y, std::index_sequence<K...>,
                                                                     std::index_sequence<I...>) const noexcept
  {
    forward<Activates>(x, h, y, plan_type{});
  }

  template <bool NeedInputGradient = true>
  [[deprecated("use backward(x, h, y, dy, g, dx), which adds to g")]] constexpr input_type backward(
      const cache& c, const output_type& dy, gradients& g) const noexcept
  {
    input_type dx{};
    gradients_into<NeedInputGradient, false, false>(c.x, c.h, c.y, dy, g, dx);
    return dx;
  }

  template <bool NeedInputGradient, bool GivenPreActivationGradient = false>
  [[deprecated("use backward(x, h, y, dy, g, dx)")]] constexpr input_type accumulate_backward(
      const cache& c, const output_type& d, gradients& g) const noexcept
  {
    input_type dx{};
    gradients_into<NeedInputGradient, true, GivenPreActivationGradient>(c.x, c.h, c.y, d, g, dx);
    return dx;
  }

  template <bool NeedInputGradient, bool GivenPreActivationGradient = false>
  [[deprecated("use backward(x, h, y, dy, g, dx)")]] constexpr void accumulate_backward_into(
      const input_type& x, const output_type& h, const output_type& y, const output_type& d, gradients& g,
      input_type& dx) const noexcept
  {
    gradients_into<NeedInputGradient, true, GivenPreActivationGradient>(x, h, y, d, g, dx);
  }

  template <bool NeedInputGradient, bool GivenPreActivationGradient = false, class Optimizer>
  [[deprecated("use backward_and_update(x, h, y, d, optimizer, state, dx)")]] constexpr input_type backward_and_update(
      const cache& c, const output_type& d, const Optimizer& optimizer, optimizer_state<Optimizer>& state) noexcept
  {
    input_type dx{};
    backward_and_update<NeedInputGradient, GivenPreActivationGradient>(c.x, c.h, c.y, d, optimizer, state, dx,
                                                                       plan_type{});
    return dx;
  }

  template <bool NeedInputGradient, bool GivenPreActivationGradient, bool SkipsDeadRows = false, class Optimizer,
            std::size_t... K, std::size_t... I>
  [[deprecated("use backward_and_update(x, h, y, d, optimizer, state, dx)")]] constexpr void backward_and_update_into(
      const input_type& x, const output_type& h, const output_type& y, const output_type& d, const Optimizer& optimizer,
      optimizer_state<Optimizer>& state, input_type& dx, std::index_sequence<K...>, std::index_sequence<I...>) noexcept
  {
    backward_and_update<NeedInputGradient, GivenPreActivationGradient, SkipsDeadRows>(x, h, y, d, optimizer, state, dx,
                                                                                      plan_type{});
  }

 private:
  // db = J_f(h)^T d (or d itself when GivenPreActivationGradient), then propagate(): the backward
  // pass shared by backward(), accumulate_backward_into() and the non-SGD optimizers' step.
  template <bool NeedInputGradient, bool Accumulate, bool GivenPreActivationGradient>
  constexpr void gradients_into(const input_type& x, const output_type& h, const output_type& y, const output_type& d,
                                gradients& g, input_type& dx) const noexcept
  {
    if constexpr (GivenPreActivationGradient) {
      propagate<NeedInputGradient, Accumulate>(x, d.values, g, dx);
    } else if constexpr (Accumulate) {
      T db[Out];
      if constexpr (runtime_activation_backward)
        activation_backward(h.values, y.values, d.values, db);
      else
        ActivationFunction::backward(h.values, y.values, d.values, db);
      propagate<NeedInputGradient, true>(x, db, g, dx);
    } else {  // db goes straight into g.bias, which propagate then leaves as it is
      if constexpr (runtime_activation_backward)
        activation_backward(h.values, y.values, d.values, g.bias.values);
      else
        ActivationFunction::backward(h.values, y.values, d.values, g.bias.values);
      propagate<NeedInputGradient, false>(x, g.bias.values, g, dx);
    }
  }

  // At runtime the activation's element-wise backward where it has one (the same bits, vectorised),
  // for layers wide enough to gain from it: small layers keep the one call the evaluators pay for.
  static constexpr bool runtime_activation_backward = detail::use_runtime_kernels<Out> && requires(const T* p, T* out) {
    ActivationFunction::template backward_elementwise<Out>(p, p, p, out);
  };

  // dh = J_f(h)^T dy, through backward_elementwise at runtime. Called only when
  // runtime_activation_backward (Out >= 8), so the callers of smaller layers pay no extra call in a
  // constant expression.
  template <std::size_t N>
  static constexpr void activation_backward(const T (&h)[N], const T (&y)[N], const T (&dy)[N], T (&dh)[N]) noexcept
  {
    if (__builtin_is_constant_evaluated())
      ActivationFunction::backward(h, y, dy, dh);
    else
      ActivationFunction::template backward_elementwise<N>(h, y, dy, dh);
  }

  // db is written (or added) to g.bias, db x^T to g.weights; dx = W^T db is written when NeedInputGradient.
  // (Out > 0 ? Out : 1): a zero-sized Dense reports only its size check, not this declaration.
  template <bool NeedInputGradient, bool Accumulate>
  constexpr void propagate(const input_type& x, const T (&db)[(Out > 0 ? Out : 1)], gradients& g,
                           input_type& dx) const noexcept
  {
    if (detail::use_runtime_kernels<In> && !__builtin_is_constant_evaluated()) {
      detail::dense_gradients<NeedInputGradient, Accumulate, In, Out>(weights.values, g.weights.values, g.bias.values,
                                                                      x.values, db, dx.values);
      return;
    }
    if constexpr (NeedInputGradient)
      for (std::size_t j = 0; j < In; ++j) dx.values[j] = T(0);
    for (std::size_t i = 0, k = 0; i < Out; ++i) {
      const T delta = db[i];
      if constexpr (Accumulate)
        g.bias.values[i] += delta;
      else
        g.bias.values[i] = delta;
      for (std::size_t j = 0; j < In; ++j, ++k) {
        if constexpr (Accumulate)
          g.weights.values[k] += delta * x.values[j];
        else
          g.weights.values[k] = delta * x.values[j];
        if constexpr (NeedInputGradient) dx.values[j] += weights.values[k] * delta;
      }
    }
  }
};

}  // namespace ctnn

#include "ctnn/frozen_dense.hpp"  // IWYU pragma: export
