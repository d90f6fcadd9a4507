#pragma once
// The compile-time checks shared by fit, evaluate, predict and gradient_check: a data set against a
// network, a loss against its output, the layers against the training protocol. Each names the first
// problem in one error (diagnostic.hpp); the concepts at the end say whether the caller may go on.

#include <concepts>
#include <cstddef>
#include <vector>

#include "ctnn/activation.hpp"
#include "ctnn/data.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/loss.hpp"
#include "ctnn/network.hpp"
#include "ctnn/optimizer.hpp"

namespace ctnn::detail {

template <class Data>
struct indexed_dataset_check {
  static constexpr bool holds = IndexedDataset<Data>;
  static_assert(holds,
                "ctnn: the data must be a data set: Dataset, RuntimeDataset, or a type with scalar_type, inputs, "
                "outputs, size() and operator[] giving a Sample (see ctnn::IndexedDataset)");
  static constexpr bool value = true;
};

// The data set's sizes and scalar type against the network's, in order; named only after
// indexed_dataset_check held, since it reads the data set's members.
template <class Net, class Data>
struct dataset_shape_checks {
  static constexpr bool holds = diagnostic::in_order<
      diagnostic::check_dataset_inputs<diagnostic::network::expects_inputs<Net::inputs>,
                                       diagnostic::dataset::sample_inputs<Data::inputs>>,
      diagnostic::check_dataset_targets<diagnostic::network::outputs<Net::outputs>,
                                        diagnostic::dataset::sample_targets<Data::outputs>>,
      diagnostic::check_dataset_scalar<diagnostic::network::scalar<typename Net::scalar_type>,
                                       diagnostic::dataset::scalar<typename Data::scalar_type>>>::holds;
  static constexpr bool value = true;
};

// One error for the first mistake: not a data set, then sizes, then scalar type.
template <class Net, class Data>
inline constexpr bool check_dataset =
    diagnostic::passes<diagnostic::in_order<indexed_dataset_check<Data>, dataset_shape_checks<Net, Data>>>;

// The visiting order of the samples: on the stack for a fixed-size data set (the constant
// evaluator's cheapest), in a std::vector otherwise.
template <class Data>
struct sample_order {
  using type = std::vector<std::size_t>;
};
template <FixedSizeDataset Data>
struct sample_order<Data> {
  using type = std::size_t[Data::size()];
};

// CategoricalCrossEntropy's fits_outputs<N> reports too few outputs itself; any other loss fits.
template <class Loss, std::size_t Outputs>
struct loss_fits_outputs {
  static constexpr bool holds = [] {
    if constexpr (requires { Loss::template fits_outputs<Outputs>; })
      return Loss::template fits_outputs<Outputs>;
    else
      return true;
  }();
  static constexpr bool value = true;
};

// The loss's members, then its fit to the output layer: one error for the first mistake.
template <class Net, class Loss>
inline constexpr bool check_loss =
    diagnostic::passes<diagnostic::in_order<loss_checks<Loss, typename Net::scalar_type, Net::outputs>,
                                            loss_fits_outputs<Loss, Net::outputs>>>;

// Every layer against the training protocol (layer.hpp), in order: one error for the first member missing.
template <class Net>
inline constexpr bool check_trainable_layers = false;
template <class... Layers>
inline constexpr bool check_trainable_layers<Network<Layers...>> =
    diagnostic::passes<diagnostic::in_order<trainable_layer_checks<Layers>...>>;

// Whether training may go on after the checks above and a layer's check of its activation: their
// concepts, which report nothing themselves.
template <class Layer>
concept activation_usable = !requires {
  typename Layer::activation_type;
} || Activation<typename Layer::activation_type, typename Layer::scalar_type, Layer::output_shape::size>;
template <class Net>
inline constexpr bool layers_trainable = false;
template <class... Layers>
inline constexpr bool layers_trainable<Network<Layers...>> =
    ((TrainableLayer<Layers> && activation_usable<Layers>)&&...);

template <class Net, class Data, class Loss, class Optimizer>
concept trainable = DatasetFor<Data, Net> && LossFunction<Loss, typename Net::scalar_type, Net::outputs> &&
                    OptimizerFor<Optimizer, typename Net::scalar_type> && layers_trainable<Net>;

// True when the loss hands the output layer dL/dh directly (cross-entropy after Sigmoid/Softmax): the
// layer has the loss's activation, its cache is the pre-activation h (an output_type), and it takes a
// pre-activation gradient.
template <class Loss, class Layer>
constexpr bool loss_fuses_with_layer() noexcept
{
  if constexpr (requires { Loss::template fuses_with<typename Layer::activation_type>; }) {
    if constexpr (Loss::template fuses_with<typename Layer::activation_type> &&
                  std::same_as<typename Layer::cache_type, typename Layer::output_type>)
      return requires(const Layer& layer, const typename Layer::cache_type& h, const typename Layer::input_type& x,
                      const typename Layer::output_type& y, gradients_of<Layer>& g,
                      typename Layer::input_type& dx) { layer.template backward<true, true>(x, h, y, y, g, dx); };
    else
      return false;
  } else {
    return false;
  }
}

}  // namespace ctnn::detail
