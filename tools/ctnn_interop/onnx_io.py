"""ONNX: a graph that is a chain of layers into a ctnn Model (needs the onnx package; no onnxruntime).

The graph is read in its order. Nodes whose inputs are all constants (initializers, Constant nodes,
the shape arithmetic torch.onnx.export writes around Flatten) are folded with the NumPy evaluator;
Shape of a computed tensor gives its shape with BATCH for the batch size. The other nodes must form
one chain from the graph's input to its output, each reading the one before it, and each is turned
into ctnn layers by its entry in OPS. A new op is a function of the same form added to OPS."""

import math

import numpy as np

from .activations import leaky_relu_name, slope_fraction
from .errors import ConversionError
from .model import DenseLayer, Model, StandardizeLayer, fold_batch_norm, scalar_name
from .onnx_eval import BATCH, NotConstant, attributes, default_opset, evaluate, numpy_type, run_node

ONNX_SUPPORTED = ("Gemm, MatMul (+ Add), Relu, LeakyRelu, Sigmoid, Tanh, Softmax (last axis), BatchNormalization "
                  "(folded into the Gemm or MatMul before it), Flatten and Reshape to a vector, Dropout and Identity "
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
        self.standardize = None  # [mean, deviation] in float64
        self.messages = []

    def vector_size(self, where):
        if len(self.shape) != 1:
            raise ConversionError(f"{where} takes a tensor of shape (N, {', '.join(map(str, self.shape))}): ctnn "
                                  "converts layers of vectors (Flatten first)")
        return self.shape[0]

    def flush_affine(self, activation="linear"):
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


def _flatten(chain, node, where, attrs, constants):
    axis = attrs.get("axis", 1)
    rank = len(chain.shape) + 1
    if (axis + rank if axis < 0 else axis) != 1:
        raise ConversionError(f"{where}: only a Flatten at axis 1 (everything after the batch) converts, not axis={axis}")
    chain.shape = (math.prod(chain.shape),)


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
    chain.shape = (size,)


def _needs_affine(chain, where, what):
    if chain.affine is None:
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
    units = chain.vector_size(where)
    if any(np.size(p) != units for p in parameters):
        raise ConversionError(f"{where}: its parameters are not {units} values each, one per feature")
    scale, shift, mean, variance = (np.asarray(p, dtype=np.float64).reshape(-1) for p in parameters)
    chain.affine = fold_batch_norm(*chain.affine, mean, variance, attrs.get("epsilon", 1e-5), scale, shift)


def _activation(name_of):
    def convert(chain, node, where, attrs, constants):
        chain.vector_size(where)
        _needs_affine(chain, where, "each ctnn activation belongs to the Dense layer before it")
        chain.flush_affine(name_of(chain, node, where, attrs))
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


OPS = {
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
    chain.flush()
    if not chain.layers:
        raise ConversionError("the graph computes no layer (its output is its input)")
    converted = Model(dtype, chain.layers)
    input_shape = sample_shape

    def reference(x):
        x = np.ascontiguousarray(x, dtype=converted.dtype)
        n = x.shape[0]
        feeds = x.reshape((n,) + input_shape)
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
