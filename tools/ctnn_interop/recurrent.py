"""ctnn's recurrent layers in Python: GRU, LSTM and LastStep as layer kinds (model files, headers,
predict with NumPy), and PyTorch's nn.GRU and nn.LSTM converted to them.

Importing this module registers the kinds (register_layer_kind), so that load() reads model files
with GRU, LSTM and LastStep lines. The layers' values are PyTorch's parameters in its order and
layout: weight_ih (gates x inputs, row-major), weight_hh (gates x hidden), bias_ih, bias_hh; gates
r, z, n for the GRU and i, f, g, o for the LSTM.

    from ctnn_interop.recurrent import from_torch_recurrent
    layers = from_torch_recurrent(torch.nn.GRU(2, 8, num_layers=2, batch_first=True), steps=16)
    # two GRULayers, the first returning every step; then add e.g. a DenseLayer and build a Model

A PyTorch module gives no sequence length: steps is ctnn's (the layers are types of fixed shape).
A bias-less module (bias=False) converts with zero biases. Every layer but the last of a stacked
module returns every step; the last returns every step when return_sequences is true."""

import numpy as np

from .errors import ConversionError
from .model import Layer, register_layer_kind


def _sigmoid(h):
    one = h.dtype.type(1)
    return one / (one + np.exp(-h.astype(np.float64)).astype(h.dtype))


def _tanh(h):
    return np.tanh(h.astype(np.float64)).astype(h.dtype)


def _affine(x, w, b):
    """x (n, cols) times w^T (cols -> rows) plus b, summed left to right, the bias last, as ctnn does."""
    h = x[:, 0:1] * w[:, 0]
    for j in range(1, w.shape[1]):
        h = h + x[:, j : j + 1] * w[:, j]
    return h + b


class _RecurrentLayer(Layer):
    gate_count = None  # 3 for the GRU, 4 for the LSTM
    value_names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")

    def __init__(self, steps, weight_ih, weight_hh, bias_ih, bias_hh, return_sequences=False):
        self.weight_ih = np.asarray(weight_ih)
        self.weight_hh = np.asarray(weight_hh)
        self.bias_ih = np.asarray(bias_ih)
        self.bias_hh = np.asarray(bias_hh)
        self.steps = int(steps)
        self.return_sequences = bool(return_sequences)
        rows = self.weight_hh.shape[0] if self.weight_hh.ndim == 2 else 0
        hidden = rows // self.gate_count
        if (self.steps < 1 or self.weight_ih.ndim != 2 or self.weight_hh.ndim != 2 or hidden < 1 or
                rows != self.gate_count * hidden or self.weight_hh.shape[1] != hidden or
                self.weight_ih.shape[0] != rows or self.bias_ih.shape != (rows,) or self.bias_hh.shape != (rows,)):
            raise ConversionError(
                f"a {self.kind} layer needs weight_ih ({self.gate_count}H x inputs), weight_hh ({self.gate_count}H x "
                f"H) and two biases ({self.gate_count}H) over at least one step, not {self.weight_ih.shape}, "
                f"{self.weight_hh.shape}, {self.bias_ih.shape} and {self.bias_hh.shape} over {self.steps}")
        self.hidden = hidden
        self.channels = self.weight_ih.shape[1]
        self.input_shape = (self.steps, self.channels)
        self.output_shape = (self.steps, hidden) if self.return_sequences else (hidden,)

    def fields(self):
        return [f"hidden={self.hidden}", f"steps={self.steps}",
                f"return_sequences={'true' if self.return_sequences else 'false'}"]

    @classmethod
    def _parse(cls, input_shape, output_shape, fields):
        expected_fields = None
        if len(input_shape) == 2 and len(output_shape) in (1, 2):
            steps, hidden = input_shape[0], output_shape[-1]
            sequences = len(output_shape) == 2
            expected_fields = [f"hidden={hidden}", f"steps={steps}",
                               f"return_sequences={'true' if sequences else 'false'}"]
            if sequences and output_shape[0] != steps:
                expected_fields = None
        if expected_fields is None or list(fields) != expected_fields:
            raise ValueError(f"a {cls.kind} layer takes steps x inputs, gives hidden or steps x hidden, and has the "
                             "fields hidden=H steps=S return_sequences=true|false matching its shapes")
        return input_shape[0], input_shape[1], output_shape[-1], len(output_shape) == 2

    @classmethod
    def stored_value_count(cls, input_shape, output_shape, fields):
        _, inputs, hidden, _ = cls._parse(input_shape, output_shape, fields)
        rows = cls.gate_count * hidden
        return rows * inputs + rows * hidden + 2 * rows

    @classmethod
    def from_values(cls, input_shape, output_shape, fields, values):
        steps, inputs, hidden, sequences = cls._parse(input_shape, output_shape, fields)
        rows = cls.gate_count * hidden
        parts = np.split(np.asarray(values), np.cumsum([rows * inputs, rows * hidden, rows]))
        return cls(steps, parts[0].reshape(rows, inputs), parts[1].reshape(rows, hidden), parts[2], parts[3],
                   sequences)

    def values(self):
        return [self.weight_ih.reshape(-1), self.weight_hh.reshape(-1), self.bias_ih, self.bias_hh]

    def forward(self, x):
        x = x.reshape(x.shape[0], self.steps, self.channels)
        dtype = x.dtype
        state = self._initial(x.shape[0], dtype)
        outputs = []
        for t in range(self.steps):
            from_input = _affine(x[:, t, :], self.weight_ih, self.bias_ih)
            from_state = _affine(state[0], self.weight_hh, self.bias_hh)
            state = self._cell(from_input, from_state, state)
            outputs.append(state[0])
        if self.return_sequences:
            return np.stack(outputs, axis=1).reshape(x.shape[0], -1)
        return outputs[-1]

    def cpp_type(self, scalar):
        sequences = "true" if self.return_sequences else "false"
        return f"ctnn::{self.kind}<{self.steps}, {self.channels}, {self.hidden}, {sequences}, {scalar}>"


@register_layer_kind
class GRULayer(_RecurrentLayer):
    """ctnn::GRU<Steps, In, Hidden, ReturnSequences, T>: PyTorch's nn.GRU, one layer."""

    kind = "GRU"
    header = "ctnn/gru.hpp"
    gate_count = 3

    def _initial(self, n, dtype):
        return (np.zeros((n, self.hidden), dtype=dtype),)

    def _cell(self, from_input, from_state, state):
        (h,) = state
        k = self.hidden
        r = _sigmoid(from_input[:, :k] + from_state[:, :k])
        z = _sigmoid(from_input[:, k : 2 * k] + from_state[:, k : 2 * k])
        n = _tanh(from_input[:, 2 * k :] + r * from_state[:, 2 * k :])
        one = h.dtype.type(1)
        return ((one - z) * n + z * h,)


@register_layer_kind
class LSTMLayer(_RecurrentLayer):
    """ctnn::LSTM<Steps, In, Hidden, ReturnSequences, T>: PyTorch's nn.LSTM, one layer (no projection)."""

    kind = "LSTM"
    header = "ctnn/lstm.hpp"
    gate_count = 4

    def _initial(self, n, dtype):
        return (np.zeros((n, self.hidden), dtype=dtype), np.zeros((n, self.hidden), dtype=dtype))

    def _cell(self, from_input, from_state, state):
        _, c = state
        k = self.hidden
        pre = from_input + from_state
        i = _sigmoid(pre[:, :k])
        f = _sigmoid(pre[:, k : 2 * k])
        g = _tanh(pre[:, 2 * k : 3 * k])
        o = _sigmoid(pre[:, 3 * k :])
        c = f * c + i * g
        return (o * _tanh(c), c)


@register_layer_kind
class LastStepLayer(Layer):
    """ctnn::LastStep<Steps, Channels, T>: a sequence's last time step."""

    kind = "LastStep"
    header = "ctnn/sequence.hpp"
    value_names = ()

    def __init__(self, steps, channels):
        self.input_shape = (int(steps), int(channels))
        self.output_shape = (int(channels),)

    @classmethod
    def stored_value_count(cls, input_shape, output_shape, fields):
        if len(input_shape) != 2 or tuple(output_shape) != (input_shape[1],) or fields:
            raise ValueError("a LastStep layer takes steps x channels, gives channels, and has no fields")
        return 0

    @classmethod
    def from_values(cls, input_shape, output_shape, fields, values):
        return cls(*input_shape)

    def values(self):
        return []

    def forward(self, x):
        return x[:, -self.output_shape[0] :]

    def cpp_type(self, scalar):
        return f"ctnn::LastStep<{self.input_shape[0]}, {self.input_shape[1]}, {scalar}>"


def from_torch_recurrent(module, steps, return_sequences=False, dtype=np.float64):
    """The ctnn layers of a torch.nn.GRU or torch.nn.LSTM (num_layers >= 1, batch_first either way,
    bias or not; not bidirectional, no LSTM projection, dropout ignored as in eval mode) over steps
    time steps: one layer per PyTorch layer, each but the last returning every step."""
    import torch

    nn = torch.nn
    if isinstance(module, nn.GRU):
        layer_class = GRULayer
    elif isinstance(module, nn.LSTM):
        layer_class = LSTMLayer
        if module.proj_size:
            raise ConversionError(f"an LSTM with proj_size={module.proj_size} has no ctnn counterpart")
    else:
        raise ConversionError(f"{type(module).__name__} is not a torch.nn.GRU or torch.nn.LSTM")
    if module.bidirectional:
        raise ConversionError(f"a bidirectional {type(module).__name__} has no ctnn counterpart")
    rows = layer_class.gate_count * module.hidden_size
    layers = []
    for index in range(module.num_layers):
        def parameter(name, shape):
            tensor = getattr(module, f"{name}_l{index}", None)
            if tensor is None:  # bias=False
                return np.zeros(shape, dtype=dtype)
            return tensor.detach().cpu().numpy().astype(np.float64).astype(dtype)

        inputs = module.input_size if index == 0 else module.hidden_size
        last = index == module.num_layers - 1
        layers.append(layer_class(steps, parameter("weight_ih", (rows, inputs)),
                                  parameter("weight_hh", (rows, module.hidden_size)), parameter("bias_ih", (rows,)),
                                  parameter("bias_hh", (rows,)), return_sequences or not last))
    return layers


def to_torch_recurrent(layers, batch_first=True):
    """A torch.nn.GRU or torch.nn.LSTM holding consecutive ctnn recurrent layers of one kind (each but
    the last returning every step), bit for bit."""
    import torch

    first = layers[0]
    if any(type(layer) is not type(first) for layer in layers) or not isinstance(first, _RecurrentLayer):
        raise ConversionError("to_torch_recurrent takes GRU layers or LSTM layers, all of one kind")
    if any(not layer.return_sequences for layer in layers[:-1]):
        raise ConversionError("every stacked layer but the last must return every step")
    torch_type = torch.float64 if first.weight_ih.dtype == np.float64 else torch.float32
    module_class = torch.nn.GRU if isinstance(first, GRULayer) else torch.nn.LSTM
    module = module_class(first.channels, first.hidden, num_layers=len(layers), batch_first=batch_first,
                          dtype=torch_type)
    with torch.no_grad():
        for index, layer in enumerate(layers):
            for name in layer.value_names:
                getattr(module, f"{name}_l{index}").copy_(torch.from_numpy(np.array(getattr(layer, name))))
    return module


# ---- nn.Sequential models with a recurrent layer, for ctnn-export --steps and ctnn-import ----

_SEQUENCE_OUTPUT = None


def sequence_output_class():
    """ctnn_interop.recurrent.SequenceOutput, made on first use (so that this module imports without
    torch): the module that goes right after an nn.GRU or nn.LSTM inside an nn.Sequential, whose
    (output, state) tuple no other module takes. SequenceOutput(last_step=True, batch_first=True)
    gives the output's last time step (batch, hidden); last_step=False every step, batch-first
    (batch, steps, hidden), which a following nn.Linear applies to each step."""
    global _SEQUENCE_OUTPUT
    if _SEQUENCE_OUTPUT is None:
        import torch

        class SequenceOutput(torch.nn.Module):
            def __init__(self, last_step=True, batch_first=True):
                super().__init__()
                self.last_step = bool(last_step)
                self.batch_first = bool(batch_first)

            def forward(self, result):
                output = result[0] if isinstance(result, tuple) else result
                if not self.batch_first:
                    output = output.transpose(0, 1)
                return output[:, -1, :] if self.last_step else output

            def extra_repr(self):
                return f"last_step={self.last_step}, batch_first={self.batch_first}"

        SequenceOutput.__module__ = __name__
        SequenceOutput.__qualname__ = "SequenceOutput"
        _SEQUENCE_OUTPUT = SequenceOutput
    return _SEQUENCE_OUTPUT


def __getattr__(name):
    # pickle finds the wrapper by its name when a saved model is loaded.
    if name == "SequenceOutput":
        return sequence_output_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def from_torch_steps(module, steps, dtype=None):
    """(Model, reference, framework notes) for ctnn-export --steps: a torch.nn.Sequential that starts
    with a Conv1d stack (ctnn_interop.conv1d.from_torch_sequence), or with an nn.GRU / nn.LSTM
    followed by SequenceOutput and then Linear layers and activations (a bare nn.GRU / nn.LSTM too: its
    output at every step). reference(x) runs the module on x of shape (n, steps * inputs), ctnn's
    time-major order, and returns (n, outputs)."""
    import copy

    import torch

    from .conv1d import TimeDistributedLayer, from_torch_sequence
    from .model import DenseLayer, Model
    from .torch_io import from_torch

    nn = torch.nn
    if isinstance(module, (nn.GRU, nn.LSTM)):
        module = nn.Sequential(module, sequence_output_class()(last_step=False, batch_first=module.batch_first))
    if not isinstance(module, nn.Sequential):
        raise ConversionError(f"the model is a {type(module).__name__}: --steps converts a torch.nn.Sequential "
                              "that starts with Conv1d, GRU or LSTM (or a bare nn.GRU / nn.LSTM)")
    children = [c for c in module.children() if not isinstance(c, (nn.Dropout, nn.Identity))]
    if not children or not isinstance(children[0], (nn.GRU, nn.LSTM)):
        return from_torch_sequence(module, steps, dtype)
    recurrent_module = children[0]
    params = {t.dtype for t in module.parameters() if t.is_floating_point()}
    if dtype is None:
        dtype = np.float64 if torch.float64 in params else np.float32
    wrapper = children[1] if len(children) > 1 else None
    if wrapper is None or type(wrapper).__name__ != "SequenceOutput":
        raise ConversionError(f"module 2 of the Sequential must be ctnn_interop.recurrent.SequenceOutput (an "
                              f"{type(recurrent_module).__name__} gives a tuple no other module takes), not "
                              f"{type(wrapper).__name__ if wrapper is not None else 'nothing'}")
    if wrapper.batch_first != recurrent_module.batch_first:
        raise ConversionError(f"module 2 (SequenceOutput): batch_first={wrapper.batch_first} but the "
                              f"{type(recurrent_module).__name__} has batch_first={recurrent_module.batch_first}")
    layers = from_torch_recurrent(recurrent_module, steps, return_sequences=not wrapper.last_step, dtype=dtype)
    tail = children[2:]
    if tail:
        head_model, _, _ = from_torch(nn.Sequential(*tail), dtype)
        for layer in head_model.layers:
            if not isinstance(layer, DenseLayer):
                raise ConversionError(f"after SequenceOutput, only Linear layers and activations convert, not "
                                      f"{layer.kind}")
            if wrapper.last_step:
                layers.append(layer)
            else:
                layers.append(TimeDistributedLayer(steps, layer.weights, layer.bias, layer.activation))
    model = Model(dtype, layers)
    torch_type = torch.float64 if model.dtype == np.float64 else torch.float32
    reference_module = copy.deepcopy(module).to(torch_type).eval()
    inputs = recurrent_module.input_size

    def reference(x):
        x = np.ascontiguousarray(x, dtype=model.dtype).reshape(-1, steps, inputs)
        if not recurrent_module.batch_first:
            x = np.ascontiguousarray(x.transpose(1, 0, 2))
        with torch.no_grad():
            y = reference_module(torch.from_numpy(x)).numpy()
        return np.ascontiguousarray(y).reshape(y.shape[0], -1)

    return model, reference


def to_torch_steps(model):
    """A torch.nn.Sequential computing a ctnn Model whose layers are GRU or LSTM layers (one kind),
    optionally LastStep, then Dense or TimeDistributed Dense layers: the nn.GRU / nn.LSTM
    (batch_first), SequenceOutput, then Linear layers and activations. x is (batch, steps, inputs)."""
    import torch

    from .conv1d import TimeDistributedLayer
    from .model import DenseLayer, Model
    from .torch_io import to_torch

    layers = list(model.layers)
    count = 0
    while count < len(layers) and isinstance(layers[count], _RecurrentLayer):
        count += 1
    if count == 0:
        raise ConversionError(f"layer 1 ({layers[0].kind}) has no PyTorch counterpart in ctnn-import yet")
    rest = layers[count:]
    last_step = not layers[count - 1].return_sequences
    if rest and isinstance(rest[0], LastStepLayer):
        if last_step:
            raise ConversionError(f"layer {count + 1} (LastStep) follows a layer that gives one step")
        last_step, rest = True, rest[1:]
    modules = [to_torch_recurrent(layers[:count], batch_first=True),
               sequence_output_class()(last_step=last_step, batch_first=True)]
    dense = []
    for position, layer in enumerate(rest, start=len(layers) - len(rest) + 1):
        if isinstance(layer, DenseLayer) and last_step:
            dense.append(layer)
        elif isinstance(layer, TimeDistributedLayer) and not last_step:
            dense.append(DenseLayer(layer.weights, layer.bias, layer.activation))
        else:
            raise ConversionError(f"layer {position} ({layer.kind}) has no PyTorch counterpart in ctnn-import yet")
    if dense:
        modules.extend(to_torch(Model(model.dtype, dense)).children())
    return torch.nn.Sequential(*modules)
