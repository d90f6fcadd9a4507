"""Sequence layers for ctnn_interop: ctnn's Conv1D, PReLU and TimeDistributed(Dense) as model-file
layer kinds (read, written, run with ctnn's formulas in NumPy, spelled in headers), the ELU
activation, and from_torch_sequence(): a PyTorch nn.Sequential of Conv1d layers (with ELU, PReLU and
the other activations ctnn has) into a ctnn Model.

Shapes are ctnn's: a sequence is (steps, channels), time-major, where PyTorch's Conv1d takes
(batch, channels, steps); a batch x of shape (n, steps * channels) here is PyTorch's
x.reshape(n, steps, channels).transpose(1, 2).

Importing this module registers the layer kinds (model.register_layer_kind)."""

import copy
import re
from fractions import Fraction

import numpy as np

from . import activations
from .errors import ConversionError
from .model import Layer, Model, register_layer_kind

# ---- ELU: "elu" (alpha 1) or "elu(n/d)", as ctnn::ELU<std::ratio<n, d>>::name ----

ELU_NAME = re.compile(r"elu\((\d+)/(\d+)\)\Z")


def elu_name(alpha):
    """ctnn's name of ELU<std::ratio<n, d>> for a Fraction alpha."""
    return "elu" if alpha == 1 else f"elu({alpha.numerator}/{alpha.denominator})"


def elu_alpha(name):
    """The Fraction alpha of an ELU name, or None for another name (or a ratio ctnn would not write)."""
    if name == "elu":
        return Fraction(1)
    match = ELU_NAME.match(name)
    if not match:
        return None
    numerator, denominator = int(match.group(1)), int(match.group(2))
    if numerator == 0 or denominator == 0 or max(numerator, denominator) > activations.INTMAX:
        return None
    alpha = Fraction(numerator, denominator)
    if (alpha.numerator, alpha.denominator) != (numerator, denominator) or alpha == 1:
        return None
    return alpha


def alpha_fraction(alpha, dtype):
    """The simplest positive n/d whose T(n) / T(d) is alpha in the type T, or None."""
    target = dtype(alpha)
    for digits in range(1, 19):
        fraction = Fraction(float(alpha)).limit_denominator(10**digits)
        if fraction > 0 and dtype(fraction.numerator) / dtype(fraction.denominator) == target:
            return fraction
    return None


def is_sequence_activation(name):
    return activations.is_activation(name) or elu_alpha(name) is not None


def sequence_activation_spelling(name):
    alpha = elu_alpha(name)
    if alpha is not None:
        return f"ctnn::ELU<std::ratio<{alpha.numerator}, {alpha.denominator}>>"
    return activations.activation_spelling(name)


def sequence_activate(name, h):
    """ctnn's activation on an array of pre-activations (any shape; softmax over the last axis)."""
    alpha = elu_alpha(name)
    if alpha is not None:
        a = h.dtype.type(alpha.numerator) / h.dtype.type(alpha.denominator)
        e = np.expm1(h.astype(np.float64)).astype(h.dtype)  # ctnn: expm1 in double, rounded once
        return np.where(h > h.dtype.type(0), h, a * e)
    flat = h.reshape(-1, h.shape[-1])
    return activations.activate(name, flat).reshape(h.shape)


# ---- Conv1D ----

PADDINGS = ("valid", "same", "causal")
CONV_FIELDS = ("kernel", "stride", "dilation", "groups", "padding", "bias")


def conv_geometry(steps, kernel, stride, dilation, padding):
    """(output steps, zeros on the left), as ctnn::Conv1D computes them; output steps 0 when a valid
    convolution is longer than the input."""
    span = (kernel - 1) * dilation + 1
    if padding == "valid":
        return (0 if steps < span else (steps - span) // stride + 1), 0
    out = (steps - 1) // stride + 1
    if padding == "causal":
        return out, span - 1
    needed = (out - 1) * stride + span
    return out, (needed - steps) // 2 if needed > steps else 0


class Conv1DLayer(Layer):
    """ctnn::Conv1D<Steps, In, Out, Kernel, A, Conv1DOptions{...}, T>: weights (out, in / groups,
    kernel) as nn.Conv1d's, bias (out) unless bias is False."""

    kind = "Conv1D"
    header = "ctnn/conv1d.hpp"

    def __init__(self, steps, weights, bias, activation, stride=1, dilation=1, groups=1, padding="valid"):
        self.weights = np.asarray(weights)
        self.bias = None if bias is None else np.asarray(bias)
        self.activation = activation
        self.stride, self.dilation, self.groups, self.padding = int(stride), int(dilation), int(groups), padding
        if self.weights.ndim != 3:
            raise ConversionError(f"a Conv1D needs weights of shape (out, in / groups, kernel), not {self.weights.shape}")
        out, per_group, kernel = self.weights.shape
        if min(steps, self.stride, self.dilation, self.groups) < 1 or padding not in PADDINGS:
            raise ConversionError("a Conv1D needs steps, stride, dilation and groups of at least 1 and a padding of "
                                  f"{', '.join(PADDINGS)}")
        if out % self.groups != 0:
            raise ConversionError(f"a Conv1D's {out} output channels are not divisible by its {self.groups} groups")
        if self.bias is not None and self.bias.shape != (out,):
            raise ConversionError(f"a Conv1D of {out} output channels needs {out} biases, not {self.bias.shape}")
        if not is_sequence_activation(activation):
            raise ConversionError(f"unknown activation {activation!r}")
        self.kernel = kernel
        output_steps, self.left = conv_geometry(steps, kernel, self.stride, self.dilation, padding)
        if output_steps == 0:
            raise ConversionError(f"a valid Conv1D of kernel {kernel} and dilation {self.dilation} needs at least "
                                  f"{(kernel - 1) * self.dilation + 1} steps, not {steps}")
        self.input_shape = (steps, per_group * self.groups)
        self.output_shape = (output_steps, out)

    @property
    def value_names(self):
        return ("weights",) if self.bias is None else ("weights", "bias")

    def fields(self):
        return [self.activation, f"kernel={self.kernel}", f"stride={self.stride}", f"dilation={self.dilation}",
                f"groups={self.groups}", f"padding={self.padding}", f"bias={'no' if self.bias is None else 'yes'}"]

    @staticmethod
    def _parse_fields(fields):
        if len(fields) != 1 + len(CONV_FIELDS) or not is_sequence_activation(fields[0]):
            raise ValueError("a Conv1D layer has the fields: an activation, " + ", ".join(f"{k}=..." for k in CONV_FIELDS))
        parsed = {}
        for key, token in zip(CONV_FIELDS, fields[1:]):
            name, _, value = token.partition("=")
            if name != key:
                raise ValueError(f"a Conv1D layer's field {key} is missing (found {token!r})")
            parsed[key] = value
        try:
            numbers = {k: int(parsed[k]) for k in ("kernel", "stride", "dilation", "groups")}
        except ValueError:
            raise ValueError("a Conv1D layer's kernel, stride, dilation and groups are whole numbers") from None
        if parsed["padding"] not in PADDINGS or parsed["bias"] not in ("yes", "no"):
            raise ValueError(f"a Conv1D layer's padding is one of {', '.join(PADDINGS)} and its bias yes or no")
        return fields[0], numbers, parsed["padding"], parsed["bias"] == "yes"

    @classmethod
    def stored_value_count(cls, input_shape, output_shape, fields):
        _, n, padding, has_bias = cls._parse_fields(fields)
        if len(input_shape) != 2 or len(output_shape) != 2:
            raise ValueError("a Conv1D layer's input and output shapes are sequences, steps x channels")
        (steps, cin), (out_steps, cout) = input_shape, output_shape
        if min(n.values()) < 1 or cin % n["groups"] or cout % n["groups"]:
            raise ValueError("a Conv1D layer's channels are divisible by its groups, each number at least 1")
        if conv_geometry(steps, n["kernel"], n["stride"], n["dilation"], padding)[0] != out_steps:
            raise ValueError(f"a Conv1D layer of these fields over {steps} steps gives another number of steps than "
                             f"{out_steps}")
        return cout * (cin // n["groups"]) * n["kernel"] + (cout if has_bias else 0)

    @classmethod
    def from_values(cls, input_shape, output_shape, fields, values):
        activation, n, padding, has_bias = cls._parse_fields(fields)
        (steps, cin), (_, cout) = input_shape, output_shape
        count = cout * (cin // n["groups"]) * n["kernel"]
        weights = values[:count].reshape(cout, cin // n["groups"], n["kernel"])
        return cls(steps, weights, values[count:] if has_bias else None, activation, n["stride"], n["dilation"],
                   n["groups"], padding)

    def values(self):
        return [self.weights.reshape(-1)] + ([] if self.bias is None else [self.bias])

    def forward(self, x):
        # ctnn's order: each output is its row of W (channel, then tap) times the window of inputs it
        # sees, padded taps as products with zero, summed from the first product, the bias (zero
        # without one) last; each operation in the model's type, as ctnn does.
        steps, cin = self.input_shape
        out_steps, cout = self.output_shape
        per_group, per_out = cin // self.groups, cout // self.groups
        dtype = x.dtype
        xs = x.reshape(x.shape[0], steps, cin)
        h = np.empty((x.shape[0], out_steps, cout), dtype=dtype)
        zero = np.zeros(x.shape[0], dtype=dtype)
        bias = np.zeros(cout, dtype=dtype) if self.bias is None else self.bias.astype(dtype)
        for t in range(out_steps):
            for o in range(cout):
                first_channel = (o // per_out) * per_group
                total = None
                for c in range(per_group):
                    for k in range(self.kernel):
                        p = t * self.stride + k * self.dilation - self.left
                        value = xs[:, p, first_channel + c] if 0 <= p < steps else zero
                        term = self.weights[o, c, k] * value
                        total = term if total is None else total + term
                h[:, t, o] = total + bias[o]
        return sequence_activate(self.activation, h).reshape(x.shape[0], -1)

    def cpp_type(self, scalar):
        steps, cin = self.input_shape
        options = (f"ctnn::Conv1DOptions{{.stride = {self.stride}, .dilation = {self.dilation}, .groups = "
                   f"{self.groups}, .padding = ctnn::Padding::{self.padding}, .bias = "
                   f"{'false' if self.bias is None else 'true'}}}")
        return (f"ctnn::Conv1D<{steps}, {cin}, {self.output_shape[1]}, {self.kernel}, "
                f"{sequence_activation_spelling(self.activation)}, {options}, {scalar}>")

    def problem(self):
        if not np.all(np.isfinite(self.weights)) or (self.bias is not None and not np.all(np.isfinite(self.bias))):
            return "its weights and biases must be finite"
        return None


# ---- PReLU ----

class PReLULayer(Layer):
    """ctnn::PReLU<Shape, Slopes, T>: x for x > 0, else slope * x; one slope, or one per channel (the
    shape's last dimension)."""

    kind = "PReLU"
    header = "ctnn/prelu.hpp"
    value_names = ("slopes",)

    def __init__(self, shape, slopes):
        self.slopes = np.asarray(slopes).reshape(-1)
        self.input_shape = self.output_shape = tuple(int(d) for d in shape)
        if self.slopes.size not in (1, self.input_shape[-1]):
            raise ConversionError(f"a PReLU over {self.input_shape} has 1 slope or {self.input_shape[-1]}, not "
                                  f"{self.slopes.size}")

    def fields(self):
        return [f"slopes={self.slopes.size}"]

    @classmethod
    def stored_value_count(cls, input_shape, output_shape, fields):
        if tuple(input_shape) != tuple(output_shape) or len(fields) != 1 or not fields[0].startswith("slopes="):
            raise ValueError("a PReLU layer's output shape is its input shape, and its one field slopes=N")
        count = fields[0][len("slopes="):]
        if count not in ("1", str(input_shape[-1])):
            raise ValueError(f"a PReLU layer has slopes=1 or slopes={input_shape[-1]} (its channels)")
        return int(count)

    @classmethod
    def from_values(cls, input_shape, output_shape, fields, values):
        return cls(input_shape, values)

    def forward(self, x):
        n = x.shape[0]
        xs = x.reshape(n, -1, self.input_shape[-1])
        slopes = self.slopes if self.slopes.size > 1 else np.full(self.input_shape[-1], self.slopes[0])
        return np.where(xs > x.dtype.type(0), xs, slopes.astype(x.dtype) * xs).reshape(n, -1)

    def cpp_type(self, scalar):
        dims = ", ".join(str(d) for d in self.input_shape)
        return f"ctnn::PReLU<ctnn::Shape<{dims}>, {self.slopes.size}, {scalar}>"

    def problem(self):
        return None if np.all(np.isfinite(self.slopes)) else "its slopes must be finite"


# ---- TimeDistributed(Dense) ----

class TimeDistributedLayer(Layer):
    """ctnn::TimeDistributed<ctnn::Dense<In, Out, A, T>, Steps>: one Dense applied to every step."""

    kind = "TimeDistributed"
    header = "ctnn/time_distributed.hpp"
    value_names = ("weights", "bias")

    def __init__(self, steps, weights, bias, activation):
        self.weights = np.asarray(weights)
        self.bias = np.asarray(bias)
        self.activation = activation
        if self.weights.ndim != 2 or self.bias.shape != self.weights.shape[:1]:
            raise ConversionError(f"a TimeDistributed Dense needs weights (outputs x inputs) and a bias (outputs), "
                                  f"not {self.weights.shape} and {self.bias.shape}")
        if not is_sequence_activation(activation):
            raise ConversionError(f"unknown activation {activation!r}")
        self.input_shape = (int(steps), self.weights.shape[1])
        self.output_shape = (int(steps), self.weights.shape[0])

    def fields(self):
        return ["layer=Dense", self.activation]

    @classmethod
    def stored_value_count(cls, input_shape, output_shape, fields):
        if (len(fields) != 2 or fields[0] != "layer=Dense" or not is_sequence_activation(fields[1]) or
                len(input_shape) != 2 or len(output_shape) != 2 or input_shape[0] != output_shape[0]):
            raise ValueError("a TimeDistributed layer (of a Dense) maps steps x in to steps x out, with the fields "
                             "layer=Dense and an activation")
        return output_shape[1] * input_shape[1] + output_shape[1]

    @classmethod
    def from_values(cls, input_shape, output_shape, fields, values):
        inputs, outputs = input_shape[1], output_shape[1]
        return cls(input_shape[0], values[: inputs * outputs].reshape(outputs, inputs), values[inputs * outputs:],
                   fields[1])

    def values(self):
        return [self.weights.reshape(-1), self.bias]

    def forward(self, x):
        n = x.shape[0]
        steps, inputs = self.input_shape
        xs = x.reshape(n * steps, inputs)
        # Dense's order: left to right over the inputs, the bias last.
        h = xs[:, 0:1] * self.weights[:, 0]
        for j in range(1, inputs):
            h = h + xs[:, j:j + 1] * self.weights[:, j]
        return sequence_activate(self.activation, h + self.bias).reshape(n, -1)

    def cpp_type(self, scalar):
        steps, inputs = self.input_shape
        return (f"ctnn::TimeDistributed<ctnn::Dense<{inputs}, {self.output_shape[1]}, "
                f"{sequence_activation_spelling(self.activation)}, {scalar}>, {steps}>")


for _kind in (Conv1DLayer, PReLULayer, TimeDistributedLayer):
    register_layer_kind(_kind)


# ---- PyTorch ----

TORCH_SEQUENCE_SUPPORTED = ("Conv1d (any kernel, stride, dilation, groups; padding 0, 'valid' or 'same'; bias or "
                            "none), ConstantPad1d((left, 0), 0) right before a Conv1d (causal padding), the "
                            "activations Sigmoid, Tanh, ReLU, LeakyReLU, ELU and Identity after a Conv1d, PReLU "
                            "(1 or channels parameters) and Dropout (skipped)")


def from_torch_sequence(module, steps, dtype=None):
    """(Model, reference) for a torch.nn.Sequential of Conv1d layers over `steps` time steps: the
    ctnn Model (input shape (steps, in channels)) and reference(x), which runs the module on a batch
    x of shape (n, steps * channels) in ctnn's time-major order and returns its output the same way.
    Raises ConversionError naming the module and its position for anything else."""
    import torch

    nn = torch.nn
    if not isinstance(module, nn.Sequential):
        raise ConversionError(f"the model is a {type(module).__name__}, not a torch.nn.Sequential of "
                              + TORCH_SEQUENCE_SUPPORTED)
    params = {t.dtype for t in module.parameters() if t.is_floating_point()}
    if dtype is None:
        dtype = np.float64 if torch.float64 in params else np.float32
    layers, shape, pad, pending = [], None, None, None

    def numpy(tensor):
        return tensor.detach().cpu().numpy().astype(np.float64)

    def flush(activation):
        nonlocal pending, shape
        conv, padding, where = pending
        kernel, stride, dilation = conv.kernel_size[0], conv.stride[0], conv.dilation[0]
        length = steps if shape is None else shape[0]
        layer = Conv1DLayer(length, numpy(conv.weight).astype(dtype),
                            None if conv.bias is None else numpy(conv.bias).astype(dtype), activation, stride,
                            dilation, conv.groups, padding)
        if shape is not None and shape[1] != layer.input_shape[1]:
            raise ConversionError(f"{where} takes {layer.input_shape[1]} channels, the module before gives {shape[1]}")
        layers.append(layer)
        shape = layer.output_shape
        pending = None

    for position, (name, child) in enumerate(module.named_children(), start=1):
        where = f"module {position} of the Sequential (\"{name}\": {type(child).__name__}({child.extra_repr()}))"
        if isinstance(child, (nn.Dropout, nn.Identity)):
            continue
        if isinstance(child, nn.ConstantPad1d):
            left, right = child.padding
            if right != 0 or child.value != 0:
                raise ConversionError(f"{where}: only zeros on the left (causal padding) convert")
            if pending is not None:
                flush("linear")
            pad = (left, where)
            continue
        if isinstance(child, nn.Conv1d):
            if pending is not None:
                flush("linear")
            if child.padding_mode != "zeros":
                raise ConversionError(f"{where}: only zero padding converts, not {child.padding_mode!r}")
            kernel, dilation = child.kernel_size[0], child.dilation[0]
            if child.padding == "same":
                padding = "same"
            elif child.padding in ("valid", (0,)):
                padding = "valid"
            else:
                raise ConversionError(f"{where}: padding {child.padding} does not convert (use 0, 'valid', 'same', "
                                      "or a ConstantPad1d((left, 0)) before it for causal padding)")
            if pad is not None:
                if padding != "valid" or pad[0] != (kernel - 1) * dilation:
                    raise ConversionError(f"{pad[1]}: a ConstantPad1d before a Conv1d converts only as causal "
                                          f"padding, (kernel - 1) * dilation = {(kernel - 1) * dilation} zeros on "
                                          "the left of an unpadded Conv1d")
                padding, pad = "causal", None
            pending = (child, padding, where)
            continue
        if pad is not None:
            raise ConversionError(f"{pad[1]} is not right before a Conv1d")
        if isinstance(child, nn.PReLU):
            if pending is not None:
                flush("linear")
            if shape is None:
                raise ConversionError(f"{where} does not follow a Conv1d")
            layers.append(PReLULayer(shape, numpy(child.weight).astype(dtype)))
            continue
        activation = None
        if isinstance(child, nn.ELU):
            alpha = alpha_fraction(child.alpha, dtype)
            if alpha is None:
                raise ConversionError(f"{where}: ctnn's ELU needs an alpha a std::ratio gives exactly")
            activation = elu_name(alpha)
        elif isinstance(child, nn.Sigmoid):
            activation = "sigmoid"
        elif isinstance(child, nn.Tanh):
            activation = "tanh"
        elif isinstance(child, nn.ReLU):
            activation = "relu"
        elif isinstance(child, nn.LeakyReLU):
            slope = activations.slope_fraction(child.negative_slope, dtype)
            if slope is None:
                raise ConversionError(f"{where}: ctnn's LeakyReLU needs a slope in [0, 1) a std::ratio gives exactly")
            activation = activations.leaky_relu_name(slope)
        else:
            raise ConversionError(f"{where} is not supported: the sequence converter takes {TORCH_SEQUENCE_SUPPORTED}")
        if pending is None:
            raise ConversionError(f"{where} does not follow a Conv1d: each ctnn activation belongs to the layer "
                                  "before it")
        flush(activation)
    if pad is not None:
        raise ConversionError(f"{pad[1]} is not followed by a Conv1d")
    if pending is not None:
        flush("linear")
    if not layers:
        raise ConversionError("the Sequential has no Conv1d layer")
    model = Model(dtype, layers)
    torch_type = torch.float64 if model.dtype == np.float64 else torch.float32
    reference_module = copy.deepcopy(module).to(torch_type).eval()
    steps_in, channels = model.input_shape

    def reference(x):
        x = np.ascontiguousarray(x, dtype=model.dtype).reshape(-1, steps_in, channels).transpose(0, 2, 1)
        with torch.no_grad():
            y = reference_module(torch.from_numpy(np.ascontiguousarray(x))).numpy()
        return np.ascontiguousarray(y.transpose(0, 2, 1)).reshape(y.shape[0], -1)

    return model, reference
