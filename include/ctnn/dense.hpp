#pragma once
// Dense (fully connected) layer, the tutorial's section 4.1:
//   forward   h = W x + b,  y = f(h)
//   backward  db = f'(h) * dL,  dW = db x^T,  dx = W^T db
// The loops are written out over the flat arrays on purpose: the constant evaluator pays for
// every function call, so one call per layer and step is the budget. At runtime forward() and the
// SGD step run detail/kernels.hpp's loops instead: same operations per value, faster order.

#include <cstddef>
#include <string_view>
#include <type_traits>

#include "ctnn/activation.hpp"
#include "ctnn/detail/kernels.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// A fully connected layer from In inputs to Out outputs with an ActivationFunction such as Sigmoid.
template <std::size_t In, std::size_t Out, class ActivationFunction, class T = double>
struct Dense {
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(diagnostic::check_layer_size<diagnostic::dense_inputs_outputs<In, Out>>::value);
  static_assert(!math::Real<T> || In == 0 || Out == 0 || ctnn::Activation<ActivationFunction, T, Out>,
                "ctnn: Dense's activation must provide name, forward(h, y) and backward(h, y, dy, dh)");

  using scalar_type = T;
  using activation_type = ActivationFunction;
  using input_type = Vector<T, In>;
  using output_type = Vector<T, Out>;

  static constexpr std::size_t inputs = In;
  static constexpr std::size_t outputs = Out;
  static constexpr std::size_t parameter_count = Out * In + Out;
  /// The Keras class name, used by summary().
  static constexpr std::string_view kind = "Dense";

  // Sizes are clamped to 1 only so that a zero-sized Dense reports the check above and nothing else.
  Matrix<T, (Out > 0 ? Out : 1), (In > 0 ? In : 1)> weights{};
  Vector<T, (Out > 0 ? Out : 1)> bias{};

  /// What forward() keeps for backward(): the tutorial's self.x, self.h and self.y.
  struct cache {
    Vector<T, In> x;
    Vector<T, Out> h;
    Vector<T, Out> y;
  };

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

  /// Inference: y = f(W x + b).
  constexpr output_type operator()(const input_type& x) const noexcept
  {
    cache c;
    return forward(x, c);
  }

  /// Training forward pass: fills the cache and returns its y.
  constexpr const output_type& forward(const input_type& x, cache& c) const noexcept
  {
    c.x = x;
    // h = W x + b, summed left to right with the bias added last, as np.dot(W, x) + b reads.
    if (!detail::use_runtime_kernels<In> || std::is_constant_evaluated()) {
      for (std::size_t i = 0, row = 0; i < Out; ++i, row += In) {
        T sum = weights.values[row] * x.values[0];
        for (std::size_t j = 1; j < In; ++j) sum += weights.values[row + j] * x.values[j];
        c.h.values[i] = sum + bias.values[i];
      }
    } else {
      detail::dense_forward<In, Out>(weights.values, bias.values, c.x.values, c.h.values);
    }
    ActivationFunction::forward(c.h.values, c.y.values);
    return c.y;
  }

  /// Backward pass: writes db = J_f(h)^T dy and dW = db x^T into g and returns dx = W^T db (left
  /// zero when NeedInputGradient is false, for the first layer, whose dx nobody reads).
  template <bool NeedInputGradient = true>
  constexpr input_type backward(const cache& c, const output_type& dy, gradients& g) const noexcept
  {
    ActivationFunction::backward(c.h.values, c.y.values, dy.values, g.bias.values);
    return propagate<NeedInputGradient, false>(c, g.bias.values, g);
  }

  /// As backward(), but adds db and dW to g, as a mini-batch sums them. When
  /// GivenPreActivationGradient, d is dL/dh already (a loss fused with this activation gave it).
  template <bool NeedInputGradient, bool GivenPreActivationGradient = false>
  constexpr input_type accumulate_backward(const cache& c, const output_type& d, gradients& g) const noexcept
  {
    if constexpr (GivenPreActivationGradient) {
      return propagate<NeedInputGradient, true>(c, d.values, g);
    } else {
      T db[Out];
      ActivationFunction::backward(c.h.values, c.y.values, d.values, db);
      return propagate<NeedInputGradient, true>(c, db, g);
    }
  }

  /// Applies one optimizer step to W and b.
  template <class Optimizer>
  constexpr void update(const Optimizer& optimizer, const gradients& g, optimizer_state<Optimizer>& state) noexcept
  {
    optimizer.update(weights.values, g.weights.values, state.weights);
    optimizer.update(bias.values, g.bias.values, state.bias);
  }

  /// backward() then update() in one pass, as per-sample training does. For an optimizer whose
  /// step is p -= learning_rate * g (Optimizer::plain_gradient_step, as SGD) the update follows in
  /// the same call with the same arithmetic, so no gradient is stored; the bits equal backward() +
  /// update(). GivenPreActivationGradient as in accumulate_backward().
  template <bool NeedInputGradient, bool GivenPreActivationGradient = false, class Optimizer>
  constexpr input_type backward_and_update(const cache& c, const output_type& d, const Optimizer& optimizer,
                                           optimizer_state<Optimizer>& state) noexcept
  {
    if constexpr (requires { requires Optimizer::plain_gradient_step; }) {
      T db[Out];
      if constexpr (GivenPreActivationGradient) {
        for (std::size_t i = 0; i < Out; ++i) db[i] = d.values[i];
      } else {
        ActivationFunction::backward(c.h.values, c.y.values, d.values, db);
      }
      const auto rate = static_cast<T>(optimizer.learning_rate);
      input_type dx;
      if (detail::use_runtime_kernels<In> && !std::is_constant_evaluated()) {
        detail::dense_sgd_step<NeedInputGradient, In, Out>(weights.values, bias.values, c.x.values, db, rate,
                                                           dx.values);
        return dx;
      }
      if constexpr (NeedInputGradient) {
        // dx reads W before this step changes it, summed over i from 0 up, as backward() sums it.
        for (std::size_t j = 0; j < In; ++j) {
          T sum = T(0);
          for (std::size_t i = 0; i < Out; ++i) sum += weights.values[i * In + j] * db[i];
          dx.values[j] = sum;
        }
      } else {
        for (std::size_t j = 0; j < In; ++j) dx.values[j] = T(0);
      }
      for (std::size_t i = 0, k = 0; i < Out; ++i) {
        const T delta = db[i];
        for (std::size_t j = 0; j < In; ++j, ++k) weights.values[k] -= rate * (delta * c.x.values[j]);
        bias.values[i] -= rate * delta;
      }
      return dx;
    } else {
      gradients g;
      input_type dx;
      if constexpr (GivenPreActivationGradient)
        dx = propagate<NeedInputGradient, false>(c, d.values, g);
      else
        dx = backward<NeedInputGradient>(c, d, g);
      update(optimizer, g, state);
      return dx;
    }
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

 private:
  // db is written (or added) to g.bias, db x^T to g.weights; returns W^T db (zero unless NeedInputGradient).
  template <bool NeedInputGradient, bool Accumulate>
  constexpr input_type propagate(const cache& c, const T (&db)[Out], gradients& g) const noexcept
  {
    input_type dx{};
    for (std::size_t i = 0, k = 0; i < Out; ++i) {
      const T delta = db[i];
      if constexpr (Accumulate)
        g.bias.values[i] += delta;
      else
        g.bias.values[i] = delta;
      for (std::size_t j = 0; j < In; ++j, ++k) {
        if constexpr (Accumulate)
          g.weights.values[k] += delta * c.x.values[j];
        else
          g.weights.values[k] = delta * c.x.values[j];
        if constexpr (NeedInputGradient) dx.values[j] += weights.values[k] * delta;
      }
    }
    return dx;
  }
};

}  // namespace ctnn
