"""Image layers for ctnn_interop: ctnn's Conv2D, MaxPool2D, AvgPool2D, GlobalAvgPool2D and Flatten as
model-file layer kinds (read, written, run with ctnn's formulas in NumPy, spelled in headers).

Shapes are ctnn's: an image is (height, width, channels), channels last, where PyTorch and ONNX
take (batch, channels, height, width); a batch x of shape (n, h * w * c) here is PyTorch's
x.reshape(n, h, w, c).transpose(0, 3, 1, 2).

Importing this module registers the layer kinds (model.register_layer_kind)."""

import numpy as np

from . import activations
from .errors import ConversionError
from .model import Layer, register_layer_kind, shape_size

CONV_FIELDS = ("kernel_h", "kernel_w", "stride_h", "stride_w", "pad_top", "pad_bottom", "pad_left", "pad_right",
               "dilation_h", "dilation_w", "groups", "bias")
POOL_FIELDS = CONV_FIELDS[:8]


def window_out(size, kernel, stride, dilation, before, after):
    """Output positions along one axis, as ctnn's window_axis computes them (0: the window does not fit)."""
    span = (kernel - 1) * dilation + 1
    padded = size + before + after
    return 0 if padded < span else (padded - span) // stride + 1


def _parse_numbers(kind, names, tokens):
    if len(tokens) != len(names):
        raise ValueError(f"a {kind} layer has the fields " + ", ".join(f"{k}=..." for k in names))
    numbers = {}
    for key, token in zip(names, tokens):
        name, _, value = token.partition("=")
        if name != key or not value.isdigit():
            raise ValueError(f"a {kind} layer's field {key}=<number> is missing (found {token!r})")
        numbers[key] = int(value)
    return numbers


def _padded(xs, top, bottom, left, right):
    """xs (n, h, w, c) with zero rows and columns around it (no copy without padding)."""
    if not (top or bottom or left or right):
        return xs
    return np.pad(xs, ((0, 0), (top, bottom), (left, right), (0, 0)))


class Conv2DLayer(Layer):
    """ctnn::Conv2D<H, W, InC, OutC, KH, KW, A, ConvOptions{...}, T>: weights (out, in / groups, kh, kw)
    as nn.Conv2d's, bias (out) unless bias is None; padding as explicit sizes (ctnn's model file
    stores the sizes, whatever the C++ type's padding mode was)."""

    kind = "Conv2D"
    header = "ctnn/conv2d.hpp"

    def __init__(self, height, width, weights, bias, activation, stride=(1, 1), pads=(0, 0, 0, 0),
                 dilation=(1, 1), groups=1):
        self.weights = np.asarray(weights)
        self.bias = None if bias is None else np.asarray(bias)
        self.activation = activation
        self.stride = tuple(int(s) for s in stride)
        self.pads = tuple(int(p) for p in pads)  # top, bottom, left, right
        self.dilation = tuple(int(d) for d in dilation)
        self.groups = int(groups)
        if self.weights.ndim != 4:
            raise ConversionError(f"a Conv2D needs weights of shape (out, in / groups, kh, kw), not {self.weights.shape}")
        out, per_group, kh, kw = self.weights.shape
        if min(height, width, *self.stride, *self.dilation, self.groups) < 1 or min(self.pads) < 0:
            raise ConversionError("a Conv2D needs an image, strides, dilations and groups of at least 1")
        if out % self.groups:
            raise ConversionError(f"a Conv2D's {out} output channels are not divisible by its {self.groups} groups")
        if self.bias is not None and self.bias.shape != (out,):
            raise ConversionError(f"a Conv2D of {out} output channels needs {out} biases, not {self.bias.shape}")
        if not activations.is_activation(activation) or activation == "softmax":
            raise ConversionError(f"a Conv2D takes an element-wise ctnn activation, not {activation!r}")
        self.kernel = (kh, kw)
        oh = window_out(height, kh, self.stride[0], self.dilation[0], self.pads[0], self.pads[1])
        ow = window_out(width, kw, self.stride[1], self.dilation[1], self.pads[2], self.pads[3])
        if oh == 0 or ow == 0:
            raise ConversionError(f"a Conv2D's {kh}x{kw} kernel (with its dilation) is larger than the padded "
                                  f"{height}x{width} image")
        self.input_shape = (int(height), int(width), per_group * self.groups)
        self.output_shape = (oh, ow, out)

    @property
    def value_names(self):
        return ("weights",) if self.bias is None else ("weights", "bias")

    def fields(self):
        numbers = (*self.kernel, *self.stride, *self.pads, *self.dilation, self.groups, int(self.bias is not None))
        return [f"{k}={v}" for k, v in zip(CONV_FIELDS, numbers)] + [self.activation]

    @classmethod
    def _parse(cls, fields):
        if len(fields) != len(CONV_FIELDS) + 1 or not activations.is_activation(fields[-1]):
            raise ValueError("a Conv2D layer has the fields " + ", ".join(f"{k}=..." for k in CONV_FIELDS)
                             + " and an activation")
        n = _parse_numbers("Conv2D", CONV_FIELDS, fields[:-1])
        if n["bias"] not in (0, 1):
            raise ValueError("a Conv2D layer's bias is 0 or 1")
        return n, fields[-1]

    @classmethod
    def stored_value_count(cls, input_shape, output_shape, fields):
        n, _ = cls._parse(fields)
        if len(input_shape) != 3 or len(output_shape) != 3:
            raise ValueError("a Conv2D layer's input and output shapes are images, height x width x channels")
        (h, w, cin), (oh, ow, cout) = input_shape, output_shape
        if min(n["stride_h"], n["stride_w"], n["dilation_h"], n["dilation_w"], n["groups"], n["kernel_h"],
               n["kernel_w"]) < 1 or cin % n["groups"] or cout % n["groups"]:
            raise ValueError("a Conv2D layer's channels are divisible by its groups, each number at least 1")
        if (window_out(h, n["kernel_h"], n["stride_h"], n["dilation_h"], n["pad_top"], n["pad_bottom"]) != oh or
                window_out(w, n["kernel_w"], n["stride_w"], n["dilation_w"], n["pad_left"], n["pad_right"]) != ow):
            raise ValueError(f"a Conv2D layer of these fields over a {h}x{w} image gives another output size than "
                             f"{oh}x{ow}")
        return cout * (cin // n["groups"]) * n["kernel_h"] * n["kernel_w"] + (cout if n["bias"] else 0)

    @classmethod
    def from_values(cls, input_shape, output_shape, fields, values):
        n, activation = cls._parse(fields)
        (h, w, cin), cout = input_shape, output_shape[2]
        count = cout * (cin // n["groups"]) * n["kernel_h"] * n["kernel_w"]
        weights = values[:count].reshape(cout, cin // n["groups"], n["kernel_h"], n["kernel_w"])
        return cls(h, w, weights, values[count:] if n["bias"] else None, activation, (n["stride_h"], n["stride_w"]),
                   (n["pad_top"], n["pad_bottom"], n["pad_left"], n["pad_right"]),
                   (n["dilation_h"], n["dilation_w"]), n["groups"])

    def values(self):
        return [self.weights.reshape(-1)] + ([] if self.bias is None else [self.bias])

    def forward(self, x):
        # ctnn's order: each output sums its taps over (input channel, kernel row, kernel column), the
        # weights' order, from +0, padded taps as products with zero, the bias (zero without one) last;
        # each operation in the model's type. Vectorised over the batch and the positions only, so
        # every output sees the same operations in the same order.
        n = x.shape[0]
        h_in, w_in, cin = self.input_shape
        oh, ow, cout = self.output_shape
        kh, kw = self.kernel
        (sh, sw), (dh, dw) = self.stride, self.dilation
        per_group, per_out = cin // self.groups, cout // self.groups
        dtype = x.dtype
        xs = _padded(x.reshape(n, h_in, w_in, cin), *self.pads)
        h = np.zeros((n, oh, ow, cout), dtype=dtype)
        weights = self.weights.astype(dtype)
        for ic in range(per_group):
            for r in range(kh):
                for c in range(kw):
                    window = xs[:, r * dh : r * dh + (oh - 1) * sh + 1 : sh, c * dw : c * dw + (ow - 1) * sw + 1 : sw, :]
                    for g in range(self.groups):
                        outs = slice(g * per_out, (g + 1) * per_out)
                        h[..., outs] = h[..., outs] + window[..., g * per_group + ic, None] * weights[outs, ic, r, c]
        bias = np.zeros(cout, dtype=dtype) if self.bias is None else self.bias.astype(dtype)
        h = (h + bias).reshape(n, -1)
        return activations.activate(self.activation, h)

    def cpp_type(self, scalar):
        h, w, cin = self.input_shape
        top, bottom, left, right = self.pads
        options = (f"ctnn::ConvOptions{{.stride_h = {self.stride[0]}, .stride_w = {self.stride[1]}, .padding = "
                   f"ctnn::Padding::explicit_sizes, .pad_top = {top}, .pad_bottom = {bottom}, .pad_left = {left}, "
                   f".pad_right = {right}, .dilation_h = {self.dilation[0]}, .dilation_w = {self.dilation[1]}, "
                   f".groups = {self.groups}, .bias = {'false' if self.bias is None else 'true'}}}")
        return (f"ctnn::Conv2D<{h}, {w}, {cin}, {self.output_shape[2]}, {self.kernel[0]}, {self.kernel[1]}, "
                f"{activations.activation_spelling(self.activation)}, {options}, {scalar}>")

    def problem(self):
        if not np.all(np.isfinite(self.weights)) or (self.bias is not None and not np.all(np.isfinite(self.bias))):
            return "its weights and biases must be finite"
        return None


class _Pool2DLayer(Layer):
    """ctnn::MaxPool2D / AvgPool2D<H, W, C, KH, KW, PoolOptions{...}, T>: no values."""

    header = "ctnn/pooling.hpp"
    value_names = ()

    def cpp_aggregate(self, scalar, position):
        return []  # no values: the header writes Type{}

    def __init__(self, height, width, channels, kernel, stride, pads=(0, 0, 0, 0)):
        self.kernel = tuple(int(k) for k in kernel)
        self.stride = tuple(int(s) for s in stride)
        self.pads = tuple(int(p) for p in pads)
        if min(height, width, channels, *self.kernel, *self.stride) < 1 or min(self.pads) < 0:
            raise ConversionError(f"a {self.kind} needs an image, a window and strides of at least 1")
        if max(self.pads[:2]) >= self.kernel[0] or max(self.pads[2:]) >= self.kernel[1]:
            raise ConversionError(f"a {self.kind}'s padding must be smaller than its window")
        oh = window_out(height, self.kernel[0], self.stride[0], 1, *self.pads[:2])
        ow = window_out(width, self.kernel[1], self.stride[1], 1, *self.pads[2:])
        if oh == 0 or ow == 0:
            raise ConversionError(f"a {self.kind}'s window is larger than the padded {height}x{width} image")
        self.input_shape = (int(height), int(width), int(channels))
        self.output_shape = (oh, ow, int(channels))

    def fields(self):
        return [f"{k}={v}" for k, v in zip(POOL_FIELDS, (*self.kernel, *self.stride, *self.pads))]

    @classmethod
    def stored_value_count(cls, input_shape, output_shape, fields):
        n = _parse_numbers(cls.kind, POOL_FIELDS, fields)
        if len(input_shape) != 3 or len(output_shape) != 3 or input_shape[2] != output_shape[2]:
            raise ValueError(f"a {cls.kind} layer maps an image to an image of as many channels")
        h, w, _ = input_shape
        if min(n["stride_h"], n["stride_w"], n["kernel_h"], n["kernel_w"]) < 1 or (
                window_out(h, n["kernel_h"], n["stride_h"], 1, n["pad_top"], n["pad_bottom"]),
                window_out(w, n["kernel_w"], n["stride_w"], 1, n["pad_left"], n["pad_right"])) != tuple(output_shape[:2]):
            raise ValueError(f"a {cls.kind} layer of these fields over a {h}x{w} image gives another output size")
        return 0

    @classmethod
    def from_values(cls, input_shape, output_shape, fields, values):
        n = _parse_numbers(cls.kind, POOL_FIELDS, fields)
        return cls(*input_shape, (n["kernel_h"], n["kernel_w"]), (n["stride_h"], n["stride_w"]),
                   (n["pad_top"], n["pad_bottom"], n["pad_left"], n["pad_right"]))

    def _windows(self, x, fill):
        """The window's taps in window order (row, then column), each an array (n, oh, ow, c)."""
        n = x.shape[0]
        h, w, c = self.input_shape
        oh, ow, _ = self.output_shape
        (kh, kw), (sh, sw) = self.kernel, self.stride
        top, bottom, left, right = self.pads
        xs = x.reshape(n, h, w, c)
        if any(self.pads):
            xs = np.pad(xs, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=fill)
        for r in range(kh):
            for col in range(kw):
                yield xs[:, r : r + (oh - 1) * sh + 1 : sh, col : col + (ow - 1) * sw + 1 : sw, :]

    def cpp_type(self, scalar):
        h, w, c = self.input_shape
        top, bottom, left, right = self.pads
        return (f"ctnn::{self.kind}<{h}, {w}, {c}, {self.kernel[0]}, {self.kernel[1]}, ctnn::PoolOptions{{.stride_h = "
                f"{self.stride[0]}, .stride_w = {self.stride[1]}, .padding = ctnn::Padding::explicit_sizes, "
                f".pad_top = {top}, .pad_bottom = {bottom}, .pad_left = {left}, .pad_right = {right}}}, {scalar}>")


class MaxPool2DLayer(_Pool2DLayer):
    """The window's largest value, the first on a tie, NaN winning; padding never the maximum."""

    kind = "MaxPool2D"

    def forward(self, x):
        best = None
        for tap in self._windows(x, -np.inf):
            # ctnn keeps the best so far unless a value is not <= it (larger, or NaN); a padded -inf
            # never replaces a real value, and a window always holds one (padding < window).
            best = tap.copy() if best is None else np.where(tap <= best, best, tap)
        return best.reshape(x.shape[0], -1)


class AvgPool2DLayer(_Pool2DLayer):
    """The window's sum from +0 in window order, padding counted as zeros, over KH * KW."""

    kind = "AvgPool2D"

    def forward(self, x):
        total = np.zeros((x.shape[0],) + tuple(self.output_shape), dtype=x.dtype)
        for tap in self._windows(x, 0):
            total = total + tap
        return (total / x.dtype.type(self.kernel[0] * self.kernel[1])).reshape(x.shape[0], -1)


class GlobalAvgPool2DLayer(Layer):
    """ctnn::GlobalAvgPool2D<H, W, C, T>: each channel's sum over the positions in order, from +0, / (H * W)."""

    kind = "GlobalAvgPool2D"
    header = "ctnn/pooling.hpp"
    value_names = ()

    def cpp_aggregate(self, scalar, position):
        return []  # no values: the header writes Type{}

    def __init__(self, height, width, channels):
        self.input_shape = (int(height), int(width), int(channels))
        self.output_shape = (int(channels),)

    @classmethod
    def stored_value_count(cls, input_shape, output_shape, fields):
        if len(input_shape) != 3 or tuple(output_shape) != (input_shape[2],) or fields:
            raise ValueError("a GlobalAvgPool2D layer maps an image h x w x c to c values, with no fields")
        return 0

    @classmethod
    def from_values(cls, input_shape, output_shape, fields, values):
        return cls(*input_shape)

    def forward(self, x):
        h, w, c = self.input_shape
        xs = x.reshape(x.shape[0], h * w, c)
        total = np.zeros((x.shape[0], c), dtype=x.dtype)
        for p in range(h * w):
            total = total + xs[:, p, :]
        return total / x.dtype.type(h * w)

    def cpp_type(self, scalar):
        h, w, c = self.input_shape
        return f"ctnn::GlobalAvgPool2D<{h}, {w}, {c}, {scalar}>"


class FlattenLayer(Layer):
    """ctnn::Flatten<Shape<...>, T>: the same values read as one vector (channels last)."""

    kind = "Flatten"
    header = "ctnn/flatten.hpp"
    value_names = ()

    def cpp_aggregate(self, scalar, position):
        return []  # no values: the header writes Type{}

    def __init__(self, shape):
        self.input_shape = tuple(int(d) for d in shape)
        self.output_shape = (shape_size(self.input_shape),)

    @classmethod
    def stored_value_count(cls, input_shape, output_shape, fields):
        if tuple(output_shape) != (shape_size(input_shape),) or fields:
            raise ValueError("a Flatten layer's output is one dimension of its input's size, with no fields")
        return 0

    @classmethod
    def from_values(cls, input_shape, output_shape, fields, values):
        return cls(input_shape)

    def forward(self, x):
        return x

    def cpp_type(self, scalar):
        return f"ctnn::Flatten<ctnn::Shape<{', '.join(str(d) for d in self.input_shape)}>, {scalar}>"


for _kind in (Conv2DLayer, MaxPool2DLayer, AvgPool2DLayer, GlobalAvgPool2DLayer, FlattenLayer):
    register_layer_kind(_kind)


def chw_to_hwc_columns(weights, channels, height, width):
    """The columns of a matrix that reads a (C, H, W) tensor flattened (PyTorch's, ONNX's order),
    reordered to read ctnn's (H, W, C) vector: column (h * W + w) * C + c is column c * H * W + h * W + w."""
    weights = np.asarray(weights)
    return weights.reshape(weights.shape[0], channels, height, width).transpose(0, 2, 3, 1).reshape(weights.shape[0], -1)
