#pragma once
// Weights for imbalanced data, in every loss and in fit() and evaluate():
//   class_weighted(loss, weights)      a loss whose value and gradient are scaled by the weight of
//                                      the target's class (predicted_class of the target)
//   balanced_class_weights(data)       n_samples / (n_classes * count_c), as scikit-learn's
//                                      compute_class_weight("balanced") computes it
//   with_sample_weights(data, weights) a data set whose samples carry a weight each; fit() and
//                                      evaluate() scale each sample's loss and gradient by it
// A weight scales the loss and dL/dy (or dL/dh of a fused loss) by one multiplication each, so a
// weight of 1 gives exactly the unweighted bits, and the compiler and the CPU the same bits.
// Both kinds combine: the loss times the class weight, then times the sample weight.

#include <concepts>
#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ctnn/data.hpp"
#include "ctnn/error.hpp"
#include "ctnn/errors.hpp"
#include "ctnn/math.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

namespace detail {

[[noreturn]] inline void ctnn_error_a_class_weight_must_be_finite_and_not_negative(std::size_t c)
{
  raise(argument_error("ctnn: class weights: the weight of class " + std::to_string(c) +
                       " must be finite and not negative"));
}

[[noreturn]] inline void ctnn_error_balanced_class_weights_need_every_class_in_the_data(std::size_t c)
{
  raise(argument_error("ctnn: balanced_class_weights: class " + std::to_string(c) +
                       " has no sample, so it has no balanced weight (give the weights explicitly)"));
}

[[noreturn]] inline void ctnn_error_sample_weights_need_one_weight_per_sample(std::size_t samples, std::size_t weights)
{
  raise(argument_error("ctnn: with_sample_weights: the data set has " + std::to_string(samples) + " samples but " +
                       std::to_string(weights) + " weights were given"));
}

// The weight of a sample of target t (class weights) or of one sample (a sample weight): what
// WeightedLoss multiplies by.
template <class T, std::size_t Classes>
struct by_class {
  Vector<T, Classes> weights;
  template <std::size_t N>
  constexpr T operator()(const Vector<T, N>& target) const noexcept
  {
    static_assert(class_count(N) == Classes,
                  "ctnn: class weights need one weight per class of the network's output (its outputs, or 2 for "
                  "a single output)");
    return weights.values[predicted_class(target)];
  }
};

template <class T>
struct by_sample {
  T weight;
  template <std::size_t N>
  constexpr T operator()(const Vector<T, N>&) const noexcept
  {
    return weight;
  }
};

}  // namespace detail

/// A loss with each sample's value and gradient multiplied by weigher(target). Loss may be a
/// reference (fit() wraps its loss so for sample weights, without a copy). Made by class_weighted().
template <class Loss, class Weigher>
struct WeightedLoss {
  using inner_type = std::remove_cvref_t<Loss>;
  static constexpr std::string_view name = inner_type::name;
  static constexpr bool classification = [] {
    if constexpr (requires { inner_type::classification; })
      return static_cast<bool>(inner_type::classification);
    else
      return false;
  }();
  template <std::size_t Outputs>
  static constexpr bool fits_outputs = [] {
    if constexpr (requires { inner_type::template fits_outputs<Outputs>; })
      return inner_type::template fits_outputs<Outputs>;
    else
      return true;
  }();
  template <class A>
  static constexpr bool fuses_with = [] {
    if constexpr (requires { inner_type::template fuses_with<A>; })
      return inner_type::template fuses_with<A>;
    else
      return false;
  }();

  Loss loss;
  Weigher weigher;

  template <math::Real T, std::size_t N>
  constexpr T value(const Vector<T, N>& y, const Vector<T, N>& target) const noexcept
  {
    return loss.value(y, target) * weigher(target);
  }

  template <math::Real T, std::size_t N>
  constexpr T value_and_gradient(const Vector<T, N>& y, const Vector<T, N>& target,
                                 Vector<T, N>& gradient) const noexcept
  {
    const T value = loss.value_and_gradient(y, target, gradient);
    return scaled(value, target, gradient);
  }

  template <math::Real T, std::size_t N>
    requires requires(const inner_type& l, const Vector<T, N>& v, Vector<T, N>& out) {
      l.value_and_pre_activation_gradient(v, v, v, out);
    }
  constexpr T value_and_pre_activation_gradient(const Vector<T, N>& h, const Vector<T, N>& y,
                                                const Vector<T, N>& target, Vector<T, N>& dh) const noexcept
  {
    const T value = loss.value_and_pre_activation_gradient(h, y, target, dh);
    return scaled(value, target, dh);
  }

  template <math::Real T, std::size_t N>
    requires requires(const inner_type& l, const Vector<T, N>& v, Vector<T, N>& out) {
      l.value_softmax_and_pre_activation_gradient(v, out, v, out);
    }
  constexpr T value_softmax_and_pre_activation_gradient(const Vector<T, N>& h, Vector<T, N>& y,
                                                        const Vector<T, N>& target, Vector<T, N>& dh) const noexcept
  {
    const T value = loss.value_softmax_and_pre_activation_gradient(h, y, target, dh);
    return scaled(value, target, dh);
  }

 private:
  template <class T, std::size_t N>
  constexpr T scaled(T value, const Vector<T, N>& target, Vector<T, N>& gradient) const noexcept
  {
    const T weight = weigher(target);
    for (std::size_t i = 0; i < N; ++i) gradient.values[i] *= weight;
    return value * weight;
  }
};

/// Class weights for a network of Classes classes (its outputs, or 2 for one output), by class index.
template <class T, std::size_t Classes>
using ClassWeights = Vector<T, Classes>;

/// loss with each sample's value and gradient multiplied by the weight of its target's class
/// (predicted_class of the target: the one-hot class, or for one output, 1 when the target is at
/// least one half). A weight must be finite and not negative (std::invalid_argument otherwise; a
/// compile error in a constant expression). All weights 1 train exactly as loss does.
template <class Loss, class T, std::size_t Classes>
[[nodiscard]] constexpr WeightedLoss<Loss, detail::by_class<T, Classes>> class_weighted(
    const Loss& loss, const ClassWeights<T, Classes>& weights)
{
  for (std::size_t c = 0; c < Classes; ++c)
    if (!(weights.values[c] >= T(0)) || !math::isfinite(weights.values[c]))
      detail::ctnn_error_a_class_weight_must_be_finite_and_not_negative(c);
  return {loss, {weights}};
}

/// scikit-learn's balanced class weights of data: n_samples / (n_classes * count_c), in the data's
/// scalar type, the divisor's product first (as NumPy's n / (k * bincount)). A class with no sample
/// is an error (scikit-learn refuses it too).
template <IndexedDataset Data>
[[nodiscard]] constexpr ClassWeights<typename Data::scalar_type, class_count(Data::outputs)> balanced_class_weights(
    const Data& data)
{
  using T = typename Data::scalar_type;
  constexpr std::size_t classes = class_count(Data::outputs);
  std::size_t counts[classes]{};
  for (std::size_t i = 0; i < data.size(); ++i) ++counts[predicted_class(data[i].target)];
  ClassWeights<T, classes> weights{};
  for (std::size_t c = 0; c < classes; ++c) {
    if (counts[c] == 0) detail::ctnn_error_balanced_class_weights_need_every_class_in_the_data(c);
    weights.values[c] = static_cast<T>(data.size()) / (static_cast<T>(classes) * static_cast<T>(counts[c]));
  }
  return weights;
}

namespace detail {

template <class Weights>
constexpr std::size_t weight_count(const Weights& weights) noexcept
{
  return static_cast<std::size_t>(std::size(weights));
}

template <class Data, class Weights>
constexpr void check_weight_count(const Data& data, const Weights& weights)
{
  if (weight_count(weights) != data.size())
    ctnn_error_sample_weights_need_one_weight_per_sample(data.size(), weight_count(weights));
}

}  // namespace detail

/// A data set whose sample i has weight weights[i] (SampleWeightedDataset): fit() and evaluate()
/// multiply that sample's loss and gradient by it. Both are kept by reference, as with_validation
/// does: pass it straight to fit() or keep both alive. Weights is anything with size() and
/// operator[] (Vector, std::array, std::vector, std::span, a built-in array).
template <IndexedDataset Data, class Weights>
class SampleWeighted {
 public:
  using scalar_type = typename Data::scalar_type;
  using sample_type = Sample<scalar_type, Data::inputs, Data::outputs>;
  static constexpr std::size_t inputs = Data::inputs;
  static constexpr std::size_t outputs = Data::outputs;

  constexpr SampleWeighted(const Data& data, const Weights& weights) : data_(data), weights_(weights)
  {
    detail::check_weight_count(data, weights);
  }

  constexpr std::size_t size() const noexcept { return data_.size(); }
  constexpr const sample_type& operator[](std::size_t i) const noexcept { return data_[i]; }
  constexpr scalar_type weight(std::size_t i) const noexcept { return static_cast<scalar_type>(weights_[i]); }
  constexpr const Data& data() const noexcept { return data_; }
  /// The data set's class names (none for a Dataset).
  constexpr std::vector<std::string> class_names() const { return class_names_of(data_); }

 private:
  const Data& data_;
  const Weights& weights_;
};

/// The fixed-size form: its size is part of its type, and its samples are the data set's array, so
/// fit() keeps its order on the stack and indexes the array, as for the Dataset itself.
template <std::size_t In, std::size_t Out, std::size_t N, class T, class Weights>
class SampleWeighted<Dataset<In, Out, N, T>, Weights> {
 public:
  using scalar_type = T;
  using sample_type = Sample<T, In, Out>;
  static constexpr std::size_t inputs = In;
  static constexpr std::size_t outputs = Out;

  constexpr SampleWeighted(const Dataset<In, Out, N, T>& data, const Weights& weights)
      : samples(data.samples), weights_(weights)
  {
    detail::check_weight_count(data, weights);
  }

  const sample_type (&samples)[N];  // public, as Dataset's: detail::sample_access indexes it

  static constexpr std::size_t size() noexcept { return N; }
  constexpr const sample_type& operator[](std::size_t i) const noexcept { return samples[i]; }
  constexpr T weight(std::size_t i) const noexcept { return static_cast<T>(weights_[i]); }

 private:
  const Weights& weights_;
};

/// data with a weight per sample, in order: fit(net, with_sample_weights(train, w), ...). A count
/// other than data.size() is an error; so is a weight that is negative or not finite (fit() and
/// evaluate() check, std::invalid_argument or a compile error). All weights 1 train exactly as data.
template <IndexedDataset Data, class Weights>
[[nodiscard]] constexpr SampleWeighted<Data, Weights> with_sample_weights(const Data& data, const Weights& weights)
{
  return {data, weights};
}

}  // namespace ctnn
