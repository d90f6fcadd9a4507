#pragma once
// Measuring a network on a data set without training it: evaluate() (loss and accuracy) and
// confusion_matrix(). Both run predict() per sample, in the compiler as at runtime.

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>

#include "ctnn/data.hpp"
#include "ctnn/detail/checks.hpp"
#include "ctnn/detail/runtime_only.hpp"
#include "ctnn/network.hpp"

namespace ctnn {

/// What evaluate() measures over a data set.
template <class T>
struct Evaluation {
  T loss;               ///< loss.value() summed over the samples (each times its weight, if weighted)
  std::size_t correct;  ///< samples whose predicted_class equals the target's
  std::size_t samples;

  [[nodiscard]] constexpr T mean_loss() const noexcept { return loss / static_cast<T>(samples); }
  [[nodiscard]] constexpr T accuracy() const noexcept { return static_cast<T>(correct) / static_cast<T>(samples); }
};

/// Loss and accuracy of net over data, without training. With sample weights
/// (with_sample_weights) each sample's loss is multiplied by its weight, as in fit(); the correct
/// count is not weighted. (fit() checks the weights; evaluate() takes them as they are.)
template <class... Layers, class Data, class Loss>
[[nodiscard]] constexpr Evaluation<typename Network<Layers...>::scalar_type> evaluate(const Network<Layers...>& net,
                                                                                      const Data& data,
                                                                                      const Loss& loss) noexcept
{
  static_assert(detail::check_dataset<Network<Layers...>, Data>);
  if (!__builtin_is_constant_evaluated()) detail::runtime_only();  // see detail/runtime_only.hpp
  Evaluation<typename Network<Layers...>::scalar_type> result{0, 0, data.size()};
  const auto& samples = detail::sample_access(data);
  for (std::size_t i = 0; i < result.samples; ++i) {
    const auto& sample = samples[i];
    const auto y = net.predict(sample.input);
    if constexpr (SampleWeightedDataset<Data>)
      result.loss += loss.value(y, sample.target) * data.weight(i);
    else
      result.loss += loss.value(y, sample.target);
    if (predicted_class(y) == predicted_class(sample.target)) ++result.correct;
  }
  return result;
}

namespace detail {

[[noreturn]] inline void ctnn_error_predicted_class_name_needs_one_name_per_class(std::size_t classes,
                                                                                  std::size_t names)
{
  raise(argument_error("ctnn: predicted_class_name needs one name per class (" + std::to_string(classes) + "), got " +
                       std::to_string(names)));
}

}  // namespace detail

/// The name of the class model predicts for input x: class_names[predicted_class(model.predict(x))].
/// class_names is one name per class, by class index: a data set's class_names(), the names load()
/// read from a model file, or a generated header's <name>_class_names (std::string_views: then this
/// works in a constant expression). Another count raises std::invalid_argument (a compile error in a
/// constant expression). The view refers into class_names.
template <class Model, class Names>
[[nodiscard]] constexpr std::string_view predicted_class_name(const Model& model, const typename Model::input_type& x,
                                                              const Names& class_names)
{
  constexpr std::size_t classes = class_count(Model::outputs);
  if (std::size(class_names) != classes)
    detail::ctnn_error_predicted_class_name_needs_one_name_per_class(classes, std::size(class_names));
  return std::string_view(class_names[predicted_class(model.predict(x))]);
}

/// The loss summed over a data set, without training.
template <class... Layers, class Data, class Loss>
[[deprecated("use evaluate(net, data, loss).loss")]] constexpr typename Network<Layers...>::scalar_type evaluate_loss(
    const Network<Layers...>& net, const Data& data, const Loss& loss) noexcept
{
  return evaluate(net, data, loss).loss;
}

/// counts[t][p]: how many samples of true class t the network put in class p (classes as
/// predicted_class() numbers them; a single output has two classes).
template <std::size_t Classes>
struct ConfusionMatrix {
  std::size_t counts[Classes][Classes];

  static constexpr std::size_t classes() noexcept { return Classes; }
  [[nodiscard]] constexpr std::size_t correct() const noexcept
  {
    std::size_t sum = 0;
    for (std::size_t c = 0; c < Classes; ++c) sum += counts[c][c];
    return sum;
  }
  [[nodiscard]] constexpr std::size_t total() const noexcept
  {
    std::size_t sum = 0;
    for (const auto& row : counts)
      for (const std::size_t n : row) sum += n;
    return sum;
  }
};

/// The confusion matrix of net's predictions over data.
template <class... Layers, class Data>
[[nodiscard]] constexpr auto confusion_matrix(const Network<Layers...>& net, const Data& data) noexcept
{
  static_assert(detail::check_dataset<Network<Layers...>, Data>);
  if (!__builtin_is_constant_evaluated()) detail::runtime_only();  // see detail/runtime_only.hpp
  constexpr std::size_t classes = Network<Layers...>::outputs == 1 ? 2 : Network<Layers...>::outputs;
  ConfusionMatrix<classes> matrix{};
  const auto& samples = detail::sample_access(data);
  for (std::size_t i = 0; i < data.size(); ++i)
    ++matrix.counts[predicted_class(samples[i].target)][predicted_class(net.predict(samples[i].input))];
  return matrix;
}

}  // namespace ctnn
