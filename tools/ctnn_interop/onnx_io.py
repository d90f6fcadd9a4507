"""ONNX: a graph that is a chain of layers into a ctnn Model (needs the onnx package; no onnxruntime).

The graph is read in its order. Nodes whose inputs are all constants (initializers, Constant nodes,
the shape arithmetic torch.onnx.export writes around Flatten) are folded with the NumPy evaluator;
Shape of a computed tensor gives its shape with BATCH for the batch size. The other nodes must form
one chain from the graph's input to its output, each reading the one before it, and each is turned
into ctnn layers by its entry in OPS. A new op is a function of the same form added to OPS."""

import math

import numpy as np

from .activations import leaky_relu_name, slope_fraction
from .conv2d import (AvgPool2DLayer, Conv2DLayer, FlattenLayer, GlobalAvgPool2DLayer, MaxPool2DLayer,
                     chw_to_hwc_columns)
from .errors import ConversionError
from .model import DenseLayer, Model, StandardizeLayer, fold_batch_norm, scalar_name
from .onnx_eval import BATCH, NotConstant, attributes, default_opset, evaluate, numpy_type, run_node

ONNX_SUPPORTED = ("Gemm, MatMul (+ Add), Conv (2-D), MaxPool, AveragePool, GlobalAveragePool, Relu, LeakyRelu, Sigmoid, Tanh, Softmax (last axis), BatchNormalization "
                  "(folded into the Gemm, MatMul or Conv before it), Flatten and Reshape to a vector, Dropout and Identity "
                  "(skipped), and Sub, Add, Div and Mul by constants (a Standardize layer)")
ONNX_ELEMENT_TYPES = {1: np.float32, 11: np.float64}  # TensorProto.FLOAT, TensorProto.DOUBLE


def load_onnx(path):
    try:
        import onnx
    except ImportError:
        raise ConversionError("reading an ONNX model needs the Python package onnx (Debian: python3-onnx)") from None
    try:
        return onnx.load(path)
    except Exception as error:  # protobuf's DecodeError and friends have no common base worth naming
        raise ConversionError(f"cannot read it as an ONNX model ({type(error).__name__}: {error})") from None


def describe_node(node, position):
    name = f'"{node.name}"' if node.name else f'output "{node.output[0]}"' if node.output else "unnamed"
    return f"node {position} of the graph ({node.op_type} {name})"


class Chain:
    """The converter's state while it walks the chain: the layers so far, the affine map (Gemm or
    MatMul, + Add) waiting for its activation, and the Sub/Div waiting to become a Standardize layer."""

    def __init__(self, dtype, opset, sample_shape, batch):
        self.dtype = dtype
        self.opset = opset
        self.shape = sample_shape  # the current tensor's shape without the batch dimension
        self.batch = batch  # the input's fixed batch size, or None
        self.layers = []
        self.affine = None  # (weights (Out, In), bias (Out)) in float64
        self.conv = None  # a Conv waiting for its activation: its Conv2DLayer arguments, weights in float64
        self.columns = None  # (C, H, W) of a flattened image whose next matrix reads it channels first
        self.global_pooled = False  # the tensor is (C, 1, 1) from a GlobalAveragePool: ctnn's vector of C
        self.images = False  # a Conv or pooling node read the input: ctnn's input is an image (H, W, C)
        self.standardize = None  # [mean, deviation] in float64
        self.messages = []

    def vector_size(self, where):
        if len(self.shape) != 1:
            raise ConversionError(f"{where} takes a tensor of shape (N, {', '.join(map(str, self.shape))}): ctnn "
                                  "converts layers of vectors (Flatten first)")
        return self.shape[0]

    def flush_affine(self, activation="linear"):
        if self.conv is not None:
            conv = dict(self.conv)
            conv["weights"] = conv["weights"].astype(self.dtype)
            if conv["bias"] is not None:
                conv["bias"] = conv["bias"].astype(self.dtype)
            self.layers.append(Conv2DLayer(activation=activation, **conv))
            self.conv = None
        if self.affine is not None:
            weights, bias = self.affine
            self.layers.append(DenseLayer(weights.astype(self.dtype), bias.astype(self.dtype), activation))
            self.affine = None

    def flush_standardize(self):
        if self.standardize is not None:
            mean, deviation = (np.asarray(v, dtype=self.dtype) for v in self.standardize)
            self.standardize = None
            # (x - (+0)) / 1 is x for every x: such a layer (ACAS Xu's zero "mean image") is left out.
            if np.all(mean.view(np.uint64 if mean.dtype == np.float64 else np.uint32) == 0) and np.all(deviation == 1):
                return
            self.layers.append(StandardizeLayer(mean, deviation))

    def flush(self):
        self.flush_affine()
        self.flush_standardize()

    def per_sample(self, value, where, what):
        """A constant broadcast against the current tensor, as one vector per sample (float64)."""
        value = np.asarray(value, dtype=np.float64)
        full = (1,) + tuple(self.shape)
        try:
            if value.ndim > len(full):
                raise ValueError
            if value.ndim == len(full) and value.shape[0] != 1:
                raise ValueError  # a value per sample of the batch
            broadcast = np.broadcast_to(value.reshape(value.shape[1:] if value.ndim == len(full) else value.shape),
                                        tuple(self.shape))
        except ValueError:
            raise ConversionError(f"{where}: its {what} of shape {value.shape} does not broadcast to one value per "
                                  f"feature of the tensor (N, {', '.join(map(str, self.shape))})") from None
        return broadcast.reshape(-1).copy()


# ---- the ops: each takes (chain, node, where, attrs, constants), where constants lists the node's
# inputs after the computed one (None where absent), and updates the chain ----

def _skip(chain, node, where, attrs, constants):
    if node.op_type == "Dropout" and len(constants) > 1 and constants[1] is not None and bool(np.all(constants[1])):
        raise ConversionError(f"{where} is in training mode (training_mode=true): ctnn converts inference graphs")


def _to_vector(chain):
    """The current tensor becomes one vector per sample; an image (C, H, W) becomes a ctnn Flatten of
    its (H, W, C) form, and the matrix that reads it next gets its columns in that order."""
    if chain.global_pooled:
        chain.global_pooled = False
    elif chain.images and len(chain.shape) == 3:
        channels, height, width = chain.shape
        chain.flush()
        chain.layers.append(FlattenLayer((height, width, channels)))
        if channels > 1 and height * width > 1:
            chain.columns = (channels, height, width)
    chain.shape = (math.prod(chain.shape),)


def _flatten(chain, node, where, attrs, constants):
    axis = attrs.get("axis", 1)
    rank = len(chain.shape) + 1
    if (axis + rank if axis < 0 else axis) != 1:
        raise ConversionError(f"{where}: only a Flatten at axis 1 (everything after the batch) converts, not axis={axis}")
    _to_vector(chain)


def _reshape(chain, node, where, attrs, constants):
    target = list(np.asarray(constants[0]).reshape(-1))
    size = math.prod(chain.shape)
    full = [BATCH] + list(chain.shape)
    resolved = []
    for i, d in enumerate(target):
        if d is BATCH:
            resolved.append(BATCH)
        elif int(d) == 0 and not attrs.get("allowzero", 0) and i < len(full):
            resolved.append(full[i])
        else:
            resolved.append(int(d))
    if chain.batch is not None and resolved and resolved[0] is not BATCH and resolved[0] == chain.batch:
        resolved[0] = BATCH  # the input's fixed batch size, written as a number
    to_vector = len(resolved) == 2 and (
        (resolved[0] is BATCH and resolved[1] in (-1, size)) or (resolved[0] == -1 and resolved[1] == size))
    if not to_vector:
        shown = ", ".join("N" if d is BATCH else str(d) for d in resolved)
        raise ConversionError(f"{where}: a Reshape of (N, {', '.join(map(str, chain.shape))}) to ({shown}) is not a "
                              "Reshape to one vector per sample, which is what converts")
    _to_vector(chain)


def _needs_affine(chain, where, what):
    if chain.affine is None and chain.conv is None:
        raise ConversionError(f"{where} does not follow a Gemm or MatMul: {what}")


def _gemm(chain, node, where, attrs, constants):
    inputs = chain.vector_size(where)
    weights, bias = constants[0], constants[1] if len(constants) > 1 else None
    if weights is None or np.ndim(weights) != 2:
        raise ConversionError(f"{where}: its weights B must be a constant matrix")
    if attrs.get("transA", 0):
        raise ConversionError(f"{where}: transA=1 would take the batch as features; only transA=0 converts")
    weights = np.asarray(weights, dtype=np.float64)
    weights = weights if attrs.get("transB", 0) else weights.T  # (Out, In)
    if weights.shape[1] != inputs:
        raise ConversionError(f"{where}: its weights take {weights.shape[1]} inputs, the tensor before it has {inputs}")
    alpha, beta = float(attrs.get("alpha", 1.0)), float(attrs.get("beta", 1.0))
    if alpha != 1.0 or (bias is not None and beta != 1.0):
        chain.messages.append(f"{where}: alpha={alpha:g}, beta={beta:g} are multiplied into the weights and the bias "
                              "(each value rounded once)")
    _start_affine(chain, alpha * weights)
    if bias is not None:
        chain.affine = (chain.affine[0], chain.per_sample(beta * np.asarray(bias, dtype=np.float64), where, "C"))


def _start_affine(chain, weights):
    chain.flush()
    if chain.columns is not None:
        weights = chw_to_hwc_columns(weights, *chain.columns)
        chain.columns = None
    chain.affine = (weights, np.zeros(weights.shape[0]))
    chain.shape = (weights.shape[0],)


def _matmul(chain, node, where, attrs, constants):
    inputs = chain.vector_size(where)
    weights = constants[0]
    if weights is None or np.ndim(weights) != 2:
        raise ConversionError(f"{where}: its second operand must be a constant matrix (features x outputs)")
    weights = np.asarray(weights, dtype=np.float64).T
    if weights.shape[1] != inputs:
        raise ConversionError(f"{where}: its matrix takes {weights.shape[1]} inputs, the tensor before it has {inputs}")
    _start_affine(chain, weights)


def _elementwise(chain, node, where, attrs, constants):
    """Add, Sub, Mul, Div by a constant: into the bias of the affine map before it (Add, Sub), else a
    Standardize layer, (x - mean) / deviation, which computes them exactly: x + c as x - (-c), x / d,
    and x * m as x / (1 / m) when 1 / m is exact (m a power of two)."""
    op = node.op_type
    if (chain.images and len(chain.shape) != 1) or chain.columns is not None:
        raise ConversionError(f"{where}: an {op} by a constant converts on vectors only (into the bias of the Gemm or "
                              "MatMul before it, or a Standardize layer), not on an image or a flattened image")
    value = chain.per_sample(constants[0], where, "constant")
    if op in ("Add", "Sub") and chain.affine is not None:
        weights, bias = chain.affine
        chain.affine = (weights, bias + value if op == "Add" else bias - value)
        return
    chain.flush_affine()
    if op in ("Add", "Sub"):
        if chain.standardize is not None:
            chain.flush_standardize()
        chain.standardize = [-value if op == "Add" else value, np.ones_like(value)]
        return
    deviation = 1.0 / value if op == "Mul" else value
    if not (np.all(np.isfinite(deviation)) and np.all(deviation > 0)):
        raise ConversionError(f"{where}: a {op} by a constant becomes a Standardize layer, whose deviations must be "
                              "positive and finite")
    if op == "Mul" and not np.all(np.frexp(value)[0] == 0.5):
        raise ConversionError(f"{where}: a Mul by constants converts only by powers of two (a Standardize layer "
                              "dividing by 1 / m, exactly); write the normalisation as a Div")
    if chain.standardize is not None and np.all(chain.standardize[1] == 1):
        chain.standardize[1] = deviation  # (x - mean) then / deviation: one layer
    else:
        chain.flush_standardize()
        chain.standardize = [np.zeros_like(deviation), deviation]


def _batch_normalization(chain, node, where, attrs, constants):
    _needs_affine(chain, where, "a BatchNormalization folds into the Gemm or MatMul (+ Add) right before it")
    if attrs.get("training_mode", 0):
        raise ConversionError(f"{where} is in training mode (training_mode=1): ctnn converts inference graphs")
    if len(node.output) > 1 and any(node.output[1:]):
        raise ConversionError(f"{where} computes running statistics (training mode): ctnn converts inference graphs")
    parameters = constants[:4]
    if len(parameters) < 4 or any(p is None for p in parameters):
        raise ConversionError(f"{where}: its scale, bias, mean and variance must be constants")
    units = chain.shape[0] if chain.conv is not None else chain.vector_size(where)
    if any(np.size(p) != units for p in parameters):
        raise ConversionError(f"{where}: its parameters are not {units} values each, one per "
                              + ("channel" if chain.conv is not None else "feature"))
    scale, shift, mean, variance = (np.asarray(p, dtype=np.float64).reshape(-1) for p in parameters)
    epsilon = attrs.get("epsilon", 1e-5)
    if chain.conv is not None:
        weights = chain.conv["weights"]
        bias = chain.conv["bias"] if chain.conv["bias"] is not None else np.zeros(units)
        folded, bias = fold_batch_norm(weights.reshape(units, -1), bias, mean, variance, epsilon, scale, shift)
        chain.conv["weights"], chain.conv["bias"] = folded.reshape(weights.shape), bias
        return
    chain.affine = fold_batch_norm(*chain.affine, mean, variance, epsilon, scale, shift)


def _activation(name_of):
    def convert(chain, node, where, attrs, constants):
        if chain.conv is None:
            chain.vector_size(where)
        _needs_affine(chain, where, "each ctnn activation belongs to the "
                      + ("Dense or Conv2D" if chain.images else "Dense") + " layer before it")
        name = name_of(chain, node, where, attrs)
        if chain.conv is not None and name == "softmax":
            raise ConversionError(f"{where}: a Softmax over an image does not convert (Flatten and a Gemm first)")
        chain.flush_affine(name)
    return convert


def _leaky_relu_name(chain, node, where, attrs):
    alpha = attrs.get("alpha", 0.01)
    slope = slope_fraction(alpha, chain.dtype)
    if slope is None:
        raise ConversionError(f"{where}: ctnn's LeakyReLU needs a slope in [0, 1) that a std::ratio gives exactly in "
                              f"{scalar_name(chain.dtype)}, not {alpha!r}")
    return leaky_relu_name(slope)


def _softmax_name(chain, node, where, attrs):
    axis = attrs.get("axis", 1 if chain.opset < 13 else -1)
    if axis not in (1, -1):
        raise ConversionError(f"{where}: only a Softmax over the features (axis=1 or -1) converts, not axis={axis}")
    return "softmax"


def _not_yet(what):
    """An op whose ctnn layer does not exist yet: its parameters are checked as they will be read, then
    it is refused. When the layer comes, the last line becomes the layer."""
    def convert(chain, node, where, attrs, constants):
        chain.vector_size(where)
        if node.op_type == "PRelu" and (constants[0] is None):
            raise ConversionError(f"{where}: its slope must be a constant")
        raise ConversionError(f"{where} is not supported yet: {what}; ctnn-export converts {ONNX_SUPPORTED}")
    return convert


def _image(chain, where, node_kind):
    if chain.global_pooled:
        raise ConversionError(f"{where} follows a GlobalAveragePool: ctnn's global pooling gives a vector (Flatten "
                              "and a Gemm next)")
    if len(chain.shape) != 3:
        shown = ", ".join(map(str, chain.shape))
        raise ConversionError(f"{where} is not supported: ctnn-export converts {ONNX_SUPPORTED}; this {node_kind} "
                              f"takes a tensor of shape (N, {shown}), and ctnn converts 2-D ones of images "
                              "(N, C, H, W) (1-D ones of sequences, (N, C, L), not yet)")
    if not chain.images:
        if chain.layers or chain.affine is not None or chain.standardize is not None:
            raise ConversionError(f"{where} follows layers of vectors: a Conv or pooling node converts on an image, "
                                  "from the graph's input or another Conv or pooling node")
        chain.images = True
    return chain.shape


def _pair(attrs, name, default, where):
    value = [int(v) for v in attrs.get(name, [default, default])]
    if len(value) != 2:
        raise ConversionError(f"{where}: its {name} {value} is not for a 2-D window")
    return value


def _window_pads(attrs, where, size, kernel, stride, dilation):
    """(top, bottom, left, right) from auto_pad or pads."""
    auto = attrs.get("auto_pad", "NOTSET")
    auto = auto.decode() if isinstance(auto, bytes) else auto
    if auto in ("NOTSET", "VALID"):
        pads = [int(p) for p in attrs.get("pads", [0, 0, 0, 0])] if auto == "NOTSET" else [0, 0, 0, 0]
        if len(pads) != 4 or min(pads) < 0:
            raise ConversionError(f"{where}: its pads {pads} are not four sizes for a 2-D window")
        return pads[0], pads[2], pads[1], pads[3]
    if auto not in ("SAME_UPPER", "SAME_LOWER"):
        raise ConversionError(f"{where}: auto_pad={auto} does not convert")
    result = []
    for n, k, s, d in zip(size, kernel, stride, dilation):
        out = (n + s - 1) // s
        total = max(0, (out - 1) * s + (k - 1) * d + 1 - n)
        small, large = total // 2, total - total // 2
        result += [small, large] if auto == "SAME_UPPER" else [large, small]
    return tuple(result)


def _conv(chain, node, where, attrs, constants):
    channels, height, width = _image(chain, where, "Conv")
    weights = constants[0]
    bias = constants[1] if len(constants) > 1 else None
    if weights is None or np.ndim(weights) != 4:
        raise ConversionError(f"{where}: its weights W must be a constant of shape (M, C / group, kH, kW)")
    weights = np.asarray(weights, dtype=np.float64)
    group = int(attrs.get("group", 1))
    if weights.shape[1] * group != channels:
        raise ConversionError(f"{where}: its weights take {weights.shape[1]} x {group} groups channels, the tensor "
                              f"before it has {channels}")
    kernel = weights.shape[2:]
    if "kernel_shape" in attrs and tuple(int(k) for k in attrs["kernel_shape"]) != tuple(kernel):
        raise ConversionError(f"{where}: its kernel_shape {list(attrs['kernel_shape'])} is not its weights' {kernel}")
    stride, dilation = _pair(attrs, "strides", 1, where), _pair(attrs, "dilations", 1, where)
    pads = _window_pads(attrs, where, (height, width), kernel, stride, dilation)
    chain.flush()
    conv = {"height": height, "width": width, "weights": weights,
            "bias": None if bias is None else np.asarray(bias, dtype=np.float64).reshape(-1),
            "stride": stride, "pads": pads, "dilation": dilation, "groups": group}
    try:
        probe = Conv2DLayer(activation="linear", **conv)
    except ConversionError as error:
        raise ConversionError(f"{where}: {error}") from None
    chain.conv = conv
    oh, ow, out = probe.output_shape
    chain.shape = (out, oh, ow)


def _pool(chain, node, where, attrs, constants):
    op = node.op_type
    channels, height, width = _image(chain, where, op)
    if op == "GlobalAveragePool":
        chain.flush()
        chain.layers.append(GlobalAvgPool2DLayer(height, width, channels))
        chain.shape = (channels, 1, 1)  # (N, C, 1, 1), which ctnn holds as the vector of C values
        chain.global_pooled = True
        return
    if attrs.get("ceil_mode", 0):
        raise ConversionError(f"{where}: ceil_mode=1 does not convert (ctnn's windows round down)")
    if len(node.output) > 1 and any(node.output[1:]):
        raise ConversionError(f"{where}: its Indices output does not convert")
    kernel = _pair(attrs, "kernel_shape", 1, where)
    stride = _pair(attrs, "strides", 1, where)
    if _pair(attrs, "dilations", 1, where) != [1, 1]:
        raise ConversionError(f"{where}: a dilated pooling window does not convert")
    pads = _window_pads(attrs, where, (height, width), kernel, stride, (1, 1))
    if op == "AveragePool" and any(pads) and not attrs.get("count_include_pad", 0):
        raise ConversionError(f"{where}: an AveragePool with padding converts with count_include_pad=1 only (ctnn "
                              "counts padding as zeros, as PyTorch's default)")
    chain.flush()
    kind = MaxPool2DLayer if op == "MaxPool" else AvgPool2DLayer
    try:
        layer = kind(height, width, channels, kernel, stride, pads)
    except ConversionError as error:
        raise ConversionError(f"{where}: {error}") from None
    chain.layers.append(layer)
    oh, ow, _ = layer.output_shape
    chain.shape = (channels, oh, ow)


def _pad(chain, node, where, attrs, constants):
    """torch.onnx.export writes a Pad of zero sizes before some AveragePools: skipped; other pads refused."""
    pads = attrs.get("pads") if constants == [] or constants[0] is None else constants[0]
    if pads is None or np.any(np.asarray(pads, dtype=object) != 0):
        raise ConversionError(f"{where}: a Pad converts only when it adds nothing (padding belongs to the Conv or "
                              "pooling node)")


OPS = {
    "Pad": _pad,
    "Conv": _conv,
    "MaxPool": _pool,
    "AveragePool": _pool,
    "GlobalAveragePool": _pool,
    "Identity": _skip,
    "Dropout": _skip,
    "Flatten": _flatten,
    "Reshape": _reshape,
    "Gemm": _gemm,
    "MatMul": _matmul,
    "Add": _elementwise,
    "Sub": _elementwise,
    "Mul": _elementwise,
    "Div": _elementwise,
    "BatchNormalization": _batch_normalization,
    "Relu": _activation(lambda chain, node, where, attrs: "relu"),
    "LeakyRelu": _activation(_leaky_relu_name),
    "Sigmoid": _activation(lambda chain, node, where, attrs: "sigmoid"),
    "Tanh": _activation(lambda chain, node, where, attrs: "tanh"),
    "Softmax": _activation(_softmax_name),
    "Elu": _not_yet("ctnn has no ELU activation yet (it comes with the sequence layers)"),
    "PRelu": _not_yet("ctnn has no PReLU layer yet (it comes with the sequence layers)"),
}
# Ops whose operands may come in either order (the computed one is not first).
COMMUTATIVE = {"Add", "Mul"}


def _graph_input(graph, constants):
    inputs = [i for i in graph.input if i.name not in constants]
    if len(inputs) != 1:
        names = ", ".join(f'"{i.name}"' for i in inputs)
        raise ConversionError(f"the graph has {len(inputs)} inputs ({names}): ctnn converts a chain from one input"
                              if inputs else "the graph has no input")
    tensor = inputs[0]
    kind = tensor.type.WhichOneof("value")
    if kind != "tensor_type":
        raise ConversionError(f"the graph's input \"{tensor.name}\" is not a tensor")
    element = tensor.type.tensor_type.elem_type
    if element not in ONNX_ELEMENT_TYPES:
        found = numpy_type(element)
        raise ConversionError(f"the graph's input \"{tensor.name}\" holds {found if found is not None else element}; "
                              "ctnn converts float32 (float) or float64 (double) graphs")
    if not tensor.type.tensor_type.HasField("shape"):
        raise ConversionError(f"the graph's input \"{tensor.name}\" has no shape: ctnn needs its size")
    dims = tensor.type.tensor_type.shape.dim
    shown = ", ".join(d.dim_param or str(d.dim_value) if d.HasField("dim_value") or d.dim_param else "?" for d in dims)
    if len(dims) < 2:
        raise ConversionError(f"the graph's input \"{tensor.name}\" has shape ({shown}): ctnn converts a graph whose "
                              "input has the batch first, (N, features...)")
    sample = []
    for d in dims[1:]:
        if not d.HasField("dim_value") or d.dim_value <= 0:
            raise ConversionError(f"the graph's input \"{tensor.name}\" has shape ({shown}): every dimension after "
                                  "the batch must be a known size")
        sample.append(d.dim_value)
    batch = dims[0].dim_value if dims[0].HasField("dim_value") and dims[0].dim_value > 0 else None
    return tensor.name, ONNX_ELEMENT_TYPES[element], tuple(sample), batch


def from_onnx(model, dtype=None):
    """(Model, reference, notes) for an onnx.ModelProto whose graph is a chain of the ops in OPS.
    reference(x) evaluates the original graph with NumPy in the model's scalar type."""
    from onnx import numpy_helper

    graph = model.graph
    opset = default_opset(model)
    if opset is None:
        raise ConversionError("the model imports no version of the standard ONNX operators (opset)")
    constants = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    input_name, source_type, sample_shape, batch = _graph_input(graph, constants)
    dtype = source_type if dtype is None else dtype
    chain = Chain(dtype, opset, sample_shape, batch)
    shapes = {input_name: sample_shape}  # computed tensors and their shapes without the batch
    readers = {}  # computed tensor -> the node that read it
    extra_outputs = {}  # outputs of chain nodes that ctnn does not compute -> their node
    current = input_name
    for position, node in enumerate(graph.node, start=1):
        where = describe_node(node, position)
        if node.domain not in ("", "ai.onnx"):
            raise ConversionError(f"{where} is from the operator set \"{node.domain}\", not ONNX's: ctnn-export "
                                  f"converts {ONNX_SUPPORTED}")
        for name in node.input:
            if name and name not in constants and name not in shapes:
                if name in extra_outputs:
                    raise ConversionError(f"{where} reads \"{name}\", an output of {extra_outputs[name]} that ctnn "
                                          "does not compute (ctnn converts inference graphs)")
                raise ConversionError(f"{where} reads \"{name}\", which no node, initializer or input gives")
        computed = [i for i, name in enumerate(node.input) if name in shapes]
        if not computed:
            try:
                outputs = run_node(node, [constants[name] if name else None for name in node.input], opset)
            except NotConstant:
                raise ConversionError(f"{where} computes with the batch size, which a ctnn model does not know") \
                    from None
            except ConversionError as error:
                raise ConversionError(f"{where} computes a constant: {error}") from None
            for name, value in zip(node.output, outputs):
                if name:
                    constants[name] = value
            continue
        if node.op_type == "Shape" and len(node.input) == 1:
            attrs = attributes(node)
            full = np.array([BATCH, *shapes[node.input[0]]], dtype=object)
            constants[node.output[0]] = full[attrs.get("start", 0) : attrs.get("end", len(full))]
            continue
        if len(computed) > 1:
            raise ConversionError(f"{where} is not a chain: it takes {len(computed)} computed inputs (a branch or a "
                                  "skip connection); ctnn converts a chain of layers")
        if node.op_type not in OPS:
            raise ConversionError(f"{where} is not supported: ctnn-export converts {ONNX_SUPPORTED}")
        index = computed[0]
        name = node.input[index]
        if name != current:
            first = readers.get(name)
            raise ConversionError(f"{where} is not a chain: it reads \"{name}\", which "
                                  + (f"{first} read already" if first else "is not the last layer's output")
                                  + " (a branch); ctnn converts a chain of layers")
        if index != 0 and node.op_type not in COMMUTATIVE:
            raise ConversionError(f"{where}: the computed tensor must be its first input and the constant its "
                                  "second")
        readers[name] = where
        others = [constants[n] if n else None for i, n in enumerate(node.input) if i != index]
        OPS[node.op_type](chain, node, where, attributes(node), others)
        current = node.output[0]
        shapes[current] = chain.shape
        for extra in node.output[1:]:
            if extra:
                extra_outputs[extra] = where
    outputs = [o.name for o in graph.output]
    if len(outputs) != 1:
        raise ConversionError(f"the graph has {len(outputs)} outputs ({', '.join(outputs)}): ctnn converts a chain "
                              "with one output")
    if outputs[0] != current:
        if outputs[0] in shapes:
            raise ConversionError(f"the graph's output \"{outputs[0]}\" is not the end of its chain: nodes after it "
                                  f"compute \"{current}\"")
        raise ConversionError(f"the graph's output \"{outputs[0]}\" does not depend on its input")
    chain.vector_size("the graph's output")
    if chain.columns is not None:
        raise ConversionError("the graph's output is a flattened image in channels-first order, which ctnn's "
                              "channels-last Flatten does not give: end the graph with a Gemm or MatMul")
    chain.flush()
    if not chain.layers:
        raise ConversionError("the graph computes no layer (its output is its input)")
    converted = Model(dtype, chain.layers)
    input_shape = sample_shape
    # ctnn's image is (H, W, C): its flat input reordered to ONNX's (C, H, W) for the reference.
    ctnn_shape = (sample_shape[1], sample_shape[2], sample_shape[0]) if chain.images else sample_shape

    def reference(x):
        x = np.ascontiguousarray(x, dtype=converted.dtype)
        n = x.shape[0]
        feeds = x.reshape((n,) + ctnn_shape)
        if chain.images:
            feeds = np.ascontiguousarray(feeds.transpose(0, 3, 1, 2))
        step = batch or n  # a graph made for a fixed batch size is run with that size
        parts = []
        for start in range(0, n, step):
            part = feeds[start : start + step]
            padding = step - part.shape[0]
            if padding:
                part = np.concatenate([part, np.zeros((padding,) + input_shape, dtype=part.dtype)])
            result = evaluate(model, {input_name: part}, converted.dtype)[0]
            parts.append(np.asarray(result).reshape(step, -1)[: step - padding])
        return np.concatenate(parts).astype(converted.dtype)

    return converted, reference, {"messages": chain.messages}
