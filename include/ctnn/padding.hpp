#pragma once
// How a convolution or pooling layer pads its input, PyTorch's conventions. One enumeration for
// every such layer; each layer refuses, in one error, the kinds that mean nothing to it.

namespace ctnn {

enum class Padding {
  /// No padding: only windows that lie wholly in the input.
  valid,
  /// ceil(in / stride) outputs per axis; the zeros split with the smaller half before.
  same,
  /// Sequences (Conv1D) only: every zero before the first step, so output t sees inputs up to t.
  causal,
  /// Images (Conv2D, pooling) only: the sizes given in the options (pad_top, pad_bottom, ...).
  explicit_sizes,
};

}  // namespace ctnn
