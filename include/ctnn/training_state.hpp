#pragma once
// What fit() carries from one epoch to the next besides the model: TrainingState (and the
// per-layer optimizer state inside it, OptimizerState).

#include <cstddef>

#include <boost/hana/tuple.hpp>

#include "ctnn/layer.hpp"
#include "ctnn/network.hpp"
#include "ctnn/random.hpp"
#include "ctnn/schedule.hpp"

namespace ctnn {

/// An optimizer's state for every layer of a network (Adam's moments, Momentum's velocity; empty for
/// SGD). A TrainingState holds one; fit() without a state keeps one for the call.
template <class Net, class Optimizer>
struct OptimizerState;
template <class... Layers, class Optimizer>
struct OptimizerState<Network<Layers...>, Optimizer> {
  boost::hana::tuple<optimizer_state_of<Layers, base_optimizer_t<Optimizer>>...> layers{};
};

/// Everything fit() carries from one epoch to the next besides the model, as one value: pass the
/// same TrainingState (and the same model, data, loss, optimizer and options) to consecutive fit()
/// calls, and fit for a epochs then for b epochs gives the bits of one fit for a + b epochs, for
/// every recipe (per-sample or batches, shuffled or not, SGD, Momentum, Adam, with a schedule).
///
/// - `optimizer`: each layer's optimizer state (Adam's moments and step count, Momentum's velocity).
/// - `epoch`: epochs trained so far; the next fit() call numbers its epochs from epoch + 1, for its
///   callbacks and for a learning-rate schedule.
/// - the shuffle generator, as `shuffle_seed` and `shuffled_epochs`: the order of a shuffled epoch
///   is the previous epoch's order permuted by the generator's next draws (Fisher-Yates), so a
///   resumed call rebuilds the order by replaying the shuffles of the earlier epochs from the seed
///   (size - 1 draws per epoch, cheap next to training). The seed is taken from options.shuffle_seed
///   at the first shuffled epoch; later calls must pass the same seed (else an error).
///
/// It is a literal type without pointers: a constexpr variable can hold it between stages of a
/// compile-time training run, with the model. Optimizer may be a Scheduled one (with_schedule);
/// the state is that of the optimizer it wraps. EarlyStopping keeps its own bookkeeping (best
/// loss, patience count, best weights) in the callback object, which can be kept across calls too.
template <class Net, class Optimizer>
struct TrainingState {
  using network_type = Net;
  using optimizer_type = base_optimizer_t<Optimizer>;

  OptimizerState<Net, optimizer_type> optimizer{};
  std::size_t epoch = 0;
  std::size_t shuffled_epochs = 0;
  Seed shuffle_seed{0};
};

}  // namespace ctnn
