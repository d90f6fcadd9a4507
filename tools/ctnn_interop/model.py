"""A ctnn Network in Python: its scalar type, its layers and their shapes, and predict() with
ctnn's formulas (NumPy only).

A layer kind is a class with the members of Layer below; LAYER_KINDS maps the model file's kind to
it. Dense and Standardize are here; a new kind (Conv1D, GRU, ...) is a new Layer subclass given to
register_layer_kind(), and the model file reader and writer, the header emitter and predict take it
with no other change."""

import copy
import math
import re

import numpy as np

from .activations import activate, activation_spelling, is_activation
from .errors import ConversionError
from .values import fingerprint as _fingerprint

SCALARS = {"double": np.float64, "float": np.float32}


def scalar_name(dtype):
    return "double" if np.dtype(dtype) == np.float64 else "float"


# ---- shapes: tuples of positive dimensions, written 8x4 in model files and messages ----

SHAPE_TEXT = re.compile(r"[1-9][0-9]*(x[1-9][0-9]*)*\Z")


def shape_text(shape):
    return "x".join(str(d) for d in shape)


def parse_shape(text):
    """The shape of its text form (8x4), or None when the text is not one."""
    if not SHAPE_TEXT.match(text):
        return None
    return tuple(int(d) for d in text.split("x"))


def shape_size(shape):
    return math.prod(shape)


# ---- layers ----

class Layer:
    """What every layer kind provides (a subclass sets or overrides each of these):

    kind            the model file's kind ("Dense")
    header          the ctnn header its C++ type lives in ("ctnn/dense.hpp")
    value_names     its arrays, in stored-value order ("weights", "bias")
    input_shape, output_shape
    fields()        its hyper-parameters as model-file tokens, in the order the layer defines
    stored_value_count(input_shape, output_shape, fields)   classmethod: how many values a model file
                    line of this kind holds; raises ValueError saying what is wrong with the line
    from_values(input_shape, output_shape, fields, values)   classmethod: the layer of a model file
    forward(x)      on a batch of flat inputs (n, input size), in the model's scalar type
    cpp_type(scalar)   its C++ type
    cpp_aggregate(scalar, position)   its aggregate initializer in a header as a list of (comment,
                    array) members, a 2-D array written one row per line; or None for
                    ctnn::layer_from_values<Type>({values...})
    problem()       why its values cannot be loaded by ctnn, or None
    """

    kind = None
    header = None
    value_names = ()

    @property
    def inputs(self):
        return shape_size(self.input_shape)

    @property
    def outputs(self):
        return shape_size(self.output_shape)

    def fields(self):
        return []

    def values(self):
        return [getattr(self, name) for name in self.value_names]

    def with_dtype(self, dtype):
        """A copy whose arrays are of the scalar type dtype."""
        other = copy.copy(self)
        for name in self.value_names:
            setattr(other, name, np.asarray(getattr(self, name)).astype(dtype))
        return other

    def cpp_aggregate(self, scalar, position):
        return None

    def problem(self):
        return None


class StandardizeLayer(Layer):
    """ctnn::Standardize<In, T>: y = (x - mean) / deviation, not trained."""

    kind = "Standardize"
    header = "ctnn/standardize.hpp"
    value_names = ("mean", "deviation")

    def __init__(self, mean, deviation):
        self.mean = np.asarray(mean)
        self.deviation = np.asarray(deviation)
        if self.mean.ndim != 1 or self.deviation.shape != self.mean.shape:
            raise ConversionError(f"a Standardize layer needs a mean and a deviation of the same length, not "
                                  f"{self.mean.shape} and {self.deviation.shape}")
        self.input_shape = self.output_shape = self.mean.shape

    @classmethod
    def stored_value_count(cls, input_shape, output_shape, fields):
        if len(input_shape) != 1 or input_shape != output_shape or fields:
            raise ValueError("a Standardize layer has one input shape of one dimension, its output shape the "
                             "same, and no fields")
        return 2 * input_shape[0]

    @classmethod
    def from_values(cls, input_shape, output_shape, fields, values):
        n = input_shape[0]
        return cls(values[:n], values[n:])

    def forward(self, x):
        return (x - self.mean) / self.deviation

    def cpp_type(self, scalar):
        return f"ctnn::Standardize<{self.inputs}, {scalar}>"

    def cpp_aggregate(self, scalar, position):
        return [("mean", self.mean), ("deviation", self.deviation)]

    def problem(self):
        # ctnn::load refuses these: the layer subtracts each mean and divides by each deviation.
        if not (np.all(np.isfinite(self.mean)) and np.all(np.isfinite(self.deviation)) and
                np.all(self.deviation > 0)):
            return "its means must be finite and its deviations positive and finite"
        return None


class DenseLayer(Layer):
    """ctnn::Dense<In, Out, A, T>: y = A(W x + b), W of shape (Out, In)."""

    kind = "Dense"
    header = "ctnn/dense.hpp"
    value_names = ("weights", "bias")

    def __init__(self, weights, bias, activation):
        self.weights = np.asarray(weights)
        self.bias = np.asarray(bias)
        self.activation = activation
        if self.weights.ndim != 2 or self.bias.shape != self.weights.shape[:1]:
            raise ConversionError(f"a Dense layer needs weights (outputs x inputs) and a bias (outputs), not "
                                  f"{self.weights.shape} and {self.bias.shape}")
        if not is_activation(activation):
            raise ConversionError(f"unknown activation {activation!r}")
        self.output_shape = self.weights.shape[:1]
        self.input_shape = self.weights.shape[1:]

    def fields(self):
        return [self.activation]

    @classmethod
    def stored_value_count(cls, input_shape, output_shape, fields):
        if len(input_shape) != 1 or len(output_shape) != 1 or len(fields) != 1 or not is_activation(fields[0]):
            raise ValueError("a Dense layer has input and output shapes of one dimension and one field, a ctnn "
                             "activation")
        return output_shape[0] * input_shape[0] + output_shape[0]

    @classmethod
    def from_values(cls, input_shape, output_shape, fields, values):
        inputs, outputs = input_shape[0], output_shape[0]
        return cls(values[: inputs * outputs].reshape(outputs, inputs), values[inputs * outputs :], fields[0])

    def values(self):
        return [self.weights.reshape(-1), self.bias]

    def forward(self, x):
        # h = W x + b summed left to right and the bias added last, in the model's scalar type, as
        # ctnn's Dense does: NumPy then gets ctnn's pre-activations bit for bit.
        w = self.weights
        h = x[:, 0:1] * w[:, 0]
        for j in range(1, self.inputs):
            h = h + x[:, j : j + 1] * w[:, j]
        return activate(self.activation, h + self.bias)

    def cpp_type(self, scalar):
        return f"ctnn::Dense<{self.inputs}, {self.outputs}, {activation_spelling(self.activation)}, {scalar}>"

    def cpp_aggregate(self, scalar, position):
        return [(f"weights, {self.outputs} x {self.inputs}, row-major", self.weights), ("bias", self.bias)]


def fold_batch_norm(weights, bias, mean, variance, epsilon, scale, shift):
    """The (weights, bias) of an affine layer followed by an inference batch norm
    y = (h - mean) / sqrt(variance + epsilon) * scale + shift, in float64 from the stored values: each
    folded value is rounded once, to the model's type, when the layer is made."""
    factor = np.asarray(scale, dtype=np.float64) / np.sqrt(np.asarray(variance, dtype=np.float64) + float(epsilon))
    weights = np.asarray(weights, dtype=np.float64) * factor[:, None]
    bias = (np.asarray(bias, dtype=np.float64) - np.asarray(mean, dtype=np.float64)) * factor + shift
    return weights, bias


LAYER_KINDS = {}


def register_layer_kind(layer_class):
    """Makes a Layer subclass readable from model files (by its kind) and returns it."""
    LAYER_KINDS[layer_class.kind] = layer_class
    return layer_class


register_layer_kind(DenseLayer)
register_layer_kind(StandardizeLayer)


def _shape_phrase(shape):
    return f"{shape[0]} inputs" if len(shape) == 1 else f"an input of shape {shape_text(shape)}"


class Model:
    """A ctnn Network: a scalar type (np.float32 or np.float64), its layers in order, and optionally
    the names of its output classes (class_names, in output order; two for a single sigmoid output,
    the class of an output below 0.5 first)."""

    def __init__(self, dtype, layers, class_names=None):
        self.dtype = np.dtype(dtype).type
        if not layers:
            raise ConversionError("a model needs at least one layer")
        self.layers = [layer.with_dtype(self.dtype) for layer in layers]
        for position, layer in enumerate(self.layers, start=1):
            problem = layer.problem()
            if problem:
                raise ConversionError(f"layer {position} ({layer.kind}): {problem}")
        for position, (before, after) in enumerate(zip(self.layers, self.layers[1:]), start=2):
            if tuple(before.output_shape) != tuple(after.input_shape):
                gives = shape_text(before.output_shape)
                raise ConversionError(f"layer {position} takes {_shape_phrase(after.input_shape)} but layer "
                                      f"{position - 1} gives {gives}")
        self.class_names = None if class_names is None else [str(name) for name in class_names]
        if self.class_names is not None:
            problem = class_names_problem(self.class_names, self.outputs)
            if problem:
                raise ConversionError(problem)

    @property
    def input_shape(self):
        return tuple(self.layers[0].input_shape)

    @property
    def output_shape(self):
        return tuple(self.layers[-1].output_shape)

    @property
    def inputs(self):
        return self.layers[0].inputs

    @property
    def outputs(self):
        return self.layers[-1].outputs

    def values(self):
        """Every stored value in file order, as one array of the model's scalar type."""
        parts = [np.asarray(part).reshape(-1) for layer in self.layers for part in layer.values()]
        return np.concatenate(parts).astype(self.dtype)

    def fingerprint(self):
        return _fingerprint(self.values())

    def predict(self, x):
        """The model's outputs for a batch x of shape (n, inputs), with ctnn's formulas (NumPy only)."""
        y = np.asarray(x, dtype=self.dtype)
        if y.ndim == 1:
            return self.predict(y[None, :])[0]
        if y.shape[1] != self.inputs:
            raise ValueError(f"the model takes {self.inputs} inputs, x has {y.shape[1]} columns")
        for layer in self.layers:
            y = layer.forward(y)
        return y

    def cpp_type(self):
        scalar = scalar_name(self.dtype)
        return "ctnn::Network<" + ", ".join(layer.cpp_type(scalar) for layer in self.layers) + ">"

    def with_dtype(self, dtype):
        return Model(dtype, [layer.with_dtype(dtype) for layer in self.layers], self.class_names)


def class_names_problem(names, outputs):
    """Why names cannot name the classes of a model with this many outputs, or None."""
    expected = 2 if outputs == 1 else outputs
    if len(names) != expected:
        return (f"{len(names)} class names for {outputs} output{'s' if outputs != 1 else ''}: expected {expected}"
                + (" (a single output's two classes, output < 0.5 first)" if outputs == 1 else ""))
    for name in names:
        if name == "":
            return "a class name is empty"
    return None


def layer_spelling(layer, dtype):
    return layer.cpp_type(scalar_name(dtype))


def copy_layer(layer, dtype):
    return layer.with_dtype(dtype)
