#pragma once
// The training loop. One call of fit() is one hana::unpack of the layers; inside it, each training
// step is a short recursion over the layer references (forward on the way in, backward and update
// on the way out), so the constant evaluator sees a few calls per layer and step, not a fold.

#include <cstddef>
#include <type_traits>

#include <boost/hana/tuple.hpp>
#include <boost/hana/unpack.hpp>

#include "ctnn/data.hpp"
#include "ctnn/detail/errors.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/network.hpp"

namespace ctnn {

/// How fit() trains. Per-sample updates in data set order, as in the tutorial.
struct FitOptions {
  std::size_t epochs = 1;
};

/// What fit() reports: the loss summed over the last epoch's samples, and the epochs run.
template <class T>
struct FitResult {
  T loss;
  std::size_t epochs;
};

/// The default progress callback: does nothing, so fit() works in a constant expression.
struct NoCallback {
  template <class T>
  constexpr void operator()(std::size_t /*epoch*/, T /*loss*/) const noexcept
  {
  }
};

namespace detail {

template <class Layer, class Optimizer>
using optimizer_state_for = typename Layer::template optimizer_state<Optimizer>;

template <class Layer, class OptimizerState>
struct slot {
  Layer& layer;
  OptimizerState& optimizer_state;
};

// Forward through this layer, recurse into the rest, then backward and update this layer on the
// way out. Returns dx for the layer before; the first layer skips computing it. The cache is a
// local: a fresh frame per step is cheaper for the evaluator than a deep path.
template <bool IsFirst, class Loss, class Optimizer, class T, class Target, class Layer, class State, class... Rest>
constexpr typename Layer::input_type train_sample(const Loss& loss, const Optimizer& optimizer,
                                                  const typename Layer::input_type& x, const Target& target,
                                                  T& loss_sum, slot<Layer, State> here, Rest... rest) noexcept
{
  typename Layer::cache cache;
  const auto& y = here.layer.forward(x, cache);
  if constexpr (sizeof...(Rest) == 0) {
    typename Layer::output_type dy;
    loss_sum += loss.value_and_gradient(y, target, dy);
    return here.layer.template backward_and_update<!IsFirst>(cache, dy, optimizer, here.optimizer_state);
  } else {
    const auto dy = train_sample<false>(loss, optimizer, y, target, loss_sum, rest...);
    return here.layer.template backward_and_update<!IsFirst>(cache, dy, optimizer, here.optimizer_state);
  }
}

// One epoch in its own call: Clang's evaluator keeps every temporary of a frame until the frame
// returns, so per-sample work must not pile up in the frame that runs all the epochs.
template <class Loss, class Optimizer, class Data, class... Slots>
constexpr typename Data::scalar_type train_epoch(const Loss& loss, const Optimizer& optimizer, const Data& data,
                                                 Slots... slots) noexcept
{
  typename Data::scalar_type sum{0};
  for (std::size_t i = 0; i < Data::size(); ++i)
    train_sample<true>(loss, optimizer, data.samples[i].input, data.samples[i].target, sum, slots...);
  return sum;
}

template <class Net, class Data>
constexpr bool check_dataset() noexcept
{
  return diagnostic::check_dataset_inputs<diagnostic::network::expects_inputs<Net::inputs>,
                                          diagnostic::dataset::sample_inputs<Data::inputs>>::value &&
         diagnostic::check_dataset_targets<diagnostic::network::outputs<Net::outputs>,
                                           diagnostic::dataset::sample_targets<Data::outputs>>::value &&
         diagnostic::check_dataset_scalar<diagnostic::network::scalar<typename Net::scalar_type>,
                                          diagnostic::dataset::scalar<typename Data::scalar_type>>::value;
}

}  // namespace detail

/// Trains net on data: for each epoch, for each sample in order, forward, loss, backward, update.
/// callback(epoch, loss) runs after each epoch (epochs count from 1; loss is summed over the epoch).
/// Works in a constant expression when the callback does.
template <class... Layers, class Data, class Loss, class Optimizer, class Callback = NoCallback>
constexpr FitResult<typename Network<Layers...>::scalar_type> fit(Network<Layers...>& net, const Data& data,
                                                                  const Loss& loss, const Optimizer& optimizer,
                                                                  FitOptions options, Callback&& callback = {})
{
  using Net = Network<Layers...>;
  using T = typename Net::scalar_type;
  static_assert(detail::check_dataset<Net, Data>());
  T epoch_loss = T(0);
  if constexpr (DatasetFor<Data, Net>) {  // after a failed check above, say nothing more
    if (options.epochs == 0) detail::ctnn_error_fit_needs_at_least_one_epoch();
    optimizer.validate();

    // The layers are trained as local copies and written back: a local is a short path for the
    // evaluator, while a layer inside the hana::tuple sits below several base classes.
    const auto train = [&](Layers&... layers) {
      [&](detail::optimizer_state_for<Layers, Optimizer>... states) {
        const auto run_epochs = [&](auto... slots) {
          for (std::size_t epoch = 1; epoch <= options.epochs; ++epoch) {
            epoch_loss = detail::train_epoch(loss, optimizer, data, slots...);
            callback(epoch, epoch_loss);
          }
        };
        run_epochs(detail::slot<Layers, detail::optimizer_state_for<Layers, Optimizer>>{layers, states}...);
      }(detail::optimizer_state_for<Layers, Optimizer>{}...);
    };
    if (std::is_constant_evaluated()) {
      // Local copies: a short path for the evaluator (see bench/README.md).
      net.layers = boost::hana::unpack(net.layers, [&](Layers... layers) {
        train(layers...);
        return typename Network<Layers...>::layers_type{layers...};
      });
    } else {
      // At runtime the layers are trained where they are: no copy in and out per fit() call.
      boost::hana::unpack(net.layers, [&](Layers&... layers) { train(layers...); });
    }
  }
  return {epoch_loss, options.epochs};
}

/// The loss summed over a data set, without training.
template <class... Layers, class Data, class Loss>
constexpr typename Network<Layers...>::scalar_type evaluate_loss(const Network<Layers...>& net, const Data& data,
                                                                 const Loss& loss) noexcept
{
  static_assert(detail::check_dataset<Network<Layers...>, Data>());
  typename Network<Layers...>::scalar_type sum{0};
  for (const auto& sample : data.samples) sum += loss.value(net.predict(sample.input), sample.target);
  return sum;
}

}  // namespace ctnn
