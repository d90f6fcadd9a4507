"""RTNeural's JSON model files as ctnn models.

Two formats are read:
- the Keras exporter's (RTNeural's python/model_utils.py): {"in_shape": ..., "layers": [{"type",
  "activation", "shape", "weights"}, ...]} with the layer types dense, time-distributed-dense, gru,
  lstm, conv1d, prelu and activation (tanh, sigmoid, relu, elu, softmax, linear);
- a PyTorch state dict saved as JSON (what RTNeural's torch_helpers read): "<prefix>weight_ih_l<k>",
  "<prefix>weight_hh_l<k>", "<prefix>bias_ih_l<k>", "<prefix>bias_hh_l<k>" for nn.GRU / nn.LSTM
  layers and "<prefix>weight", "<prefix>bias" for nn.Linear, in the file's key order. A state dict
  names no activations: these models convert with none between the layers.

RTNeural runs a model one sample at a time, each recurrent layer and convolution keeping its state;
ctnn's types have a fixed sequence length, so the model is built over `steps` time steps (every
layer returning every step, Dense layers as TimeDistributed) and streamed with Network::step, one
sample per call, as RTNeural does. predict() over the whole sequence gives the same values at each step.

Anything else (batchnorm, conv2d, and the rest) is refused with one ConversionError naming the layer
and its position; nothing is converted partly."""

import json
from fractions import Fraction

import numpy as np

from .conv1d import Conv1DLayer, PReLULayer, TimeDistributedLayer, elu_name
from .errors import ConversionError
from .model import Model
from .recurrent import GRULayer, LSTMLayer

KERAS_TYPES = ("dense", "time-distributed-dense", "gru", "lstm", "conv1d", "prelu", "activation")
KERAS_ACTIVATIONS = {"": "linear", "linear": "linear", "tanh": "tanh", "sigmoid": "sigmoid", "relu": "relu",
                     "softmax": "softmax", "elu": elu_name(Fraction(1))}


def _array(value, where, what):
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ConversionError(f"{where}: {what} is not an array of numbers") from None


def _keras_layers(description, steps):
    layers = []
    entries = description.get("layers")
    if not isinstance(entries, list) or not entries:
        raise ConversionError("the model has no \"layers\" list")

    def add_activation(name, where):
        last = layers[-1] if layers else None
        if not isinstance(last, (TimeDistributedLayer, Conv1DLayer)) or last.activation != "linear":
            raise ConversionError(f"{where}: an activation converts only right after a dense or conv1d layer "
                                  "without one of its own")
        last.activation = name

    for position, entry in enumerate(entries, start=1):
        kind = entry.get("type") if isinstance(entry, dict) else None
        where = f"layer {position} ({kind!r})"
        if kind not in KERAS_TYPES:
            raise ConversionError(f"{where} is not supported: ctnn converts the RTNeural layer types "
                                  f"{', '.join(KERAS_TYPES)}")
        activation = entry.get("activation", "") or ""
        if activation not in KERAS_ACTIVATIONS:
            raise ConversionError(f"{where}: the activation {activation!r} is not supported (ctnn converts "
                                  f"{', '.join(repr(a) for a in KERAS_ACTIVATIONS if a)})")
        activation = KERAS_ACTIVATIONS[activation]
        weights = [_array(w, where, f"weights[{i}]") for i, w in enumerate(entry.get("weights", []))]
        if kind == "activation":
            add_activation(activation, where)
            continue
        if kind in ("dense", "time-distributed-dense"):
            if len(weights) not in (1, 2) or weights[0].ndim != 2:
                raise ConversionError(f"{where}: expected a kernel (inputs x outputs) and an optional bias")
            kernel = weights[0]
            bias = weights[1] if len(weights) == 2 else np.zeros(kernel.shape[1])
            layers.append(TimeDistributedLayer(steps, kernel.T, bias, activation))
        elif kind == "gru":
            # Keras (reset_after=True): kernel (in, 3H), recurrent (H, 3H), bias (2, 3H), gates z, r, h;
            # PyTorch's (and ctnn's) order is r, z, n: the same equations once the gates are reordered.
            if len(weights) != 3 or weights[2].ndim != 2 or weights[2].shape[0] != 2:
                raise ConversionError(f"{where}: expected a kernel, a recurrent kernel and a bias of 2 rows "
                                      "(Keras' reset_after=True GRU)")
            if activation != "tanh":
                raise ConversionError(f"{where}: only a tanh GRU (PyTorch's) converts, not {activation}")
            hidden = weights[1].shape[0]
            order = np.concatenate([np.arange(hidden, 2 * hidden), np.arange(hidden), np.arange(2 * hidden, 3 * hidden)])
            layers.append(GRULayer(steps, weights[0].T[order], weights[1].T[order], weights[2][0][order],
                                   weights[2][1][order], True))
        elif kind == "lstm":
            # Keras: kernel (in, 4H), recurrent (H, 4H), one bias (4H), gates i, f, c, o: PyTorch's order.
            if len(weights) != 3 or weights[2].ndim != 1:
                raise ConversionError(f"{where}: expected a kernel, a recurrent kernel and a bias")
            if activation != "tanh":
                raise ConversionError(f"{where}: only a tanh LSTM (PyTorch's) converts, not {activation}")
            layers.append(LSTMLayer(steps, weights[0].T, weights[1].T, weights[2], np.zeros_like(weights[2]), True))
        elif kind == "conv1d":
            # RTNeural streams a Keras Conv1D causally: kernel (K, in, out) is nn.Conv1d's (out, in, K).
            if len(weights) not in (1, 2) or weights[0].ndim != 3:
                raise ConversionError(f"{where}: expected a kernel (kernel x inputs x outputs) and an optional bias")
            dilation = entry.get("dilation", [1])
            dilation = int(dilation[0] if isinstance(dilation, list) else dilation)
            kernel = weights[0].transpose(2, 1, 0)
            layers.append(Conv1DLayer(steps, kernel, weights[1] if len(weights) == 2 else None, activation, 1,
                                      dilation, 1, "causal"))
        elif kind == "prelu":
            if len(weights) != 1:
                raise ConversionError(f"{where}: expected one array of slopes")
            if not layers:
                raise ConversionError(f"{where}: a prelu layer converts only after another layer")
            layers.append(PReLULayer(layers[-1].output_shape, weights[0].reshape(-1)))
    return layers


def _torch_layers(state, steps):
    layers, keys, position = [], list(state), 0
    index = 0
    while index < len(keys):
        key = keys[index]
        position += 1
        if "weight_ih_l" in key:
            prefix, number = key.split("weight_ih_l")
            names = [f"{prefix}{part}_l{number}" for part in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
            if keys[index:index + 4] != names:
                raise ConversionError(f"entry {index + 1} ({key!r}): expected {', '.join(names)} in this order")
            values = [_array(state[name], f"entry {index + 1 + i} ({name!r})", "the value")
                      for i, name in enumerate(names)]
            rows, hidden = values[1].shape
            if rows == 3 * hidden:
                layers.append(GRULayer(steps, *values, True))
            elif rows == 4 * hidden:
                layers.append(LSTMLayer(steps, *values, True))
            else:
                raise ConversionError(f"entry {index + 1} ({key!r}): {rows} gate rows for {hidden} units is "
                                      "neither a GRU (3) nor an LSTM (4)")
            index += 4
        elif key.endswith("weight") and index + 1 < len(keys) and keys[index + 1] == key[:-6] + "bias":
            weight = _array(state[key], f"entry {index + 1} ({key!r})", "the value")
            if weight.ndim != 2:
                raise ConversionError(f"entry {index + 1} ({key!r}): only nn.Linear weights (2 dimensions) "
                                      f"convert from a state dict, not shape {weight.shape}")
            bias = _array(state[keys[index + 1]], f"entry {index + 2}", "the value")
            layers.append(TimeDistributedLayer(steps, weight, bias, "linear"))
            index += 2
        else:
            raise ConversionError(f"entry {index + 1} ({key!r}) is not supported: a state dict converts as nn.GRU, "
                                  "nn.LSTM (weight_ih_l<k>, weight_hh_l<k>, bias_ih_l<k>, bias_hh_l<k>) and "
                                  "nn.Linear (weight, bias) entries")
    return layers


def from_rtneural(description, steps, dtype=np.float64):
    """The ctnn Model of an RTNeural model description (the parsed JSON) over `steps` time steps."""
    if int(steps) < 1:
        raise ConversionError(f"--steps {steps}: expected at least one step")
    if not isinstance(description, dict) or not description:
        raise ConversionError("not an RTNeural model: expected a JSON object")
    if "layers" in description:
        layers = _keras_layers(description, int(steps))
    else:
        layers = _torch_layers(description, int(steps))
    if not layers:
        raise ConversionError("the model has no layer ctnn converts")
    return Model(dtype, layers)


def load_rtneural(path, steps, dtype=np.float64):
    """from_rtneural on the JSON file at path."""
    with open(path, encoding="utf-8") as f:
        try:
            description = json.load(f)
        except json.JSONDecodeError as error:
            raise ConversionError(f"not JSON: {error}") from None
    return from_rtneural(description, steps, dtype)
