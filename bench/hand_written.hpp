#pragma once
// The baseline of bench/runtime.cpp: a sigmoid In-Hidden-Out network trained by per-sample SGD on
// the tutorial's MSE/2, written as plain C would be: fixed-size arrays, nested loops, no ctnn types.
// The only ctnn code it calls is ctnn::math::exp (std::exp would give other bits; the exp cost is
// measured on its own in runtime.cpp).
//
// It does the same arithmetic in the same order as ctnn (Dense::forward, Sigmoid,
// MeanSquaredError::value_and_gradient, Dense::backward_and_update, detail::train_sample), so the
// weights it produces are bit-identical to ctnn::fit's; runtime.cpp checks that before timing.
//   forward  h[i] = ((W[i][0]*x[0] + W[i][1]*x[1]) + ...) + b[i],  y[i] = 1 / (1 + exp(-h[i]))
//   loss     d = y - t, loss += d*d/2 (per sample from 0, then added to the epoch's sum)
//   backward db[i] = y[i]*(1 - y[i])*dy[i]; dx[j] = 0 + W[0][j]*db[0] + W[1][j]*db[1] + ... (W before
//            the step); W[i][j] -= lr*(db[i]*x[j]); b[i] -= lr*db[i]. Output layer first.

#include <cstddef>

#include "ctnn/math.hpp"

namespace bench {

/// The parameters, laid out as a C programmer would: W[unit][input], row-major.
template <std::size_t In, std::size_t Hidden, std::size_t Out>
struct HandWrittenNet {
  double w1[Hidden][In];
  double b1[Hidden];
  double w2[Out][Hidden];
  double b2[Out];
};

/// N samples as two plain arrays.
template <std::size_t In, std::size_t Out, std::size_t N>
struct HandWrittenData {
  double x[N][In];
  double t[N][Out];
};

inline double hand_sigmoid(double h)
{
  return 1.0 / (1.0 + ctnn::math::exp(-h));
}

/// One SGD step on one sample; returns the sample's loss.
template <std::size_t In, std::size_t Hidden, std::size_t Out>
inline double hand_train_step(HandWrittenNet<In, Hidden, Out>& net, const double (&sample)[In], const double (&t)[Out],
                              double lr)
{
  // The input is copied to a local first, as ctnn's cache does (c.x = x). Read straight from the data
  // set, x could alias W1 as far as the compiler knows, and GCC -O2 then leaves the W1 update (the
  // largest loop) scalar: ~10% slower per 64-128-10 step. restrict-qualifying x does as well as the copy.
  double x[In];
  for (std::size_t j = 0; j < In; ++j) x[j] = sample[j];

  double y1[Hidden];
  double y2[Out];

  // Forward.
  for (std::size_t i = 0; i < Hidden; ++i) {
    double sum = net.w1[i][0] * x[0];
    for (std::size_t j = 1; j < In; ++j) sum += net.w1[i][j] * x[j];
    y1[i] = sum + net.b1[i];
  }
  for (std::size_t i = 0; i < Hidden; ++i) y1[i] = hand_sigmoid(y1[i]);
  for (std::size_t k = 0; k < Out; ++k) {
    double sum = net.w2[k][0] * y1[0];
    for (std::size_t j = 1; j < Hidden; ++j) sum += net.w2[k][j] * y1[j];
    y2[k] = sum + net.b2[k];
  }
  for (std::size_t k = 0; k < Out; ++k) y2[k] = hand_sigmoid(y2[k]);

  // Loss and the output layer's delta.
  double loss = 0.0;
  double db2[Out];
  for (std::size_t k = 0; k < Out; ++k) {
    const double d = y2[k] - t[k];
    loss += d * d / 2.0;
    db2[k] = y2[k] * (1.0 - y2[k]) * d;
  }

  // Output layer: gradient to the hidden layer (from W before the step), then the step.
  double dy1[Hidden];
  for (std::size_t j = 0; j < Hidden; ++j) dy1[j] = 0.0;
  for (std::size_t k = 0; k < Out; ++k) {
    const double g = db2[k];
    for (std::size_t j = 0; j < Hidden; ++j) {
      dy1[j] += net.w2[k][j] * g;
      net.w2[k][j] -= lr * (g * y1[j]);
    }
    net.b2[k] -= lr * g;
  }

  // Hidden layer: its deltas, then the step (no gradient to the inputs).
  double db1[Hidden];
  for (std::size_t i = 0; i < Hidden; ++i) db1[i] = y1[i] * (1.0 - y1[i]) * dy1[i];
  for (std::size_t i = 0; i < Hidden; ++i) {
    const double g = db1[i];
    for (std::size_t j = 0; j < In; ++j) net.w1[i][j] -= lr * (g * x[j]);
    net.b1[i] -= lr * g;
  }
  return loss;
}

/// One epoch over the samples in order; returns the loss summed over the epoch.
template <std::size_t In, std::size_t Hidden, std::size_t Out, std::size_t N>
inline double hand_train_epoch(HandWrittenNet<In, Hidden, Out>& net, const HandWrittenData<In, Out, N>& data, double lr)
{
  double sum = 0.0;
  for (std::size_t s = 0; s < N; ++s) sum += hand_train_step(net, data.x[s], data.t[s], lr);
  return sum;
}

}  // namespace bench
