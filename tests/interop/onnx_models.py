"""ONNX models for the interop tests, each with outputs computed without ctnn-export: PyTorch modules
exported by torch.onnx.export at opsets 11, 13, 15 and 17 (their outputs: PyTorch's), and graphs
built with onnx.helper (their outputs: NumPy formulas written here, in double).

    cases() -> {name: Case}
"""

import io
import warnings

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

nn = torch.nn
OPSETS = (11, 13, 15, 17)


class Case:
    """An ONNX model, the shape of one sample of its input, and expected(x): its outputs for inputs x
    of shape (n, features) (each sample flattened), computed independently of ctnn-export."""

    def __init__(self, model, sample_shape, expected, dtype=np.float32, source="a NumPy formula"):
        self.model = model
        self.source = source  # what computes expected
        self.sample_shape = tuple(sample_shape)
        self.expected = expected
        self.dtype = dtype
        self.inputs = int(np.prod(sample_shape))

    def save(self, path):
        onnx.save(self.model, path)
        return path


# ---- PyTorch, exported ----

class ViewThenLinear(nn.Module):
    """x.view(x.size(0), -1): torch.onnx.export writes Shape, Gather, Unsqueeze, Concat and Reshape."""

    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 2))

    def forward(self, x):
        return self.layers(x.view(x.size(0), -1))


def randomized_batch_norm(features, generator):
    norm = nn.BatchNorm1d(features)
    with torch.no_grad():
        norm.running_mean.copy_(torch.randn(features, generator=generator))
        norm.running_var.copy_(torch.rand(features, generator=generator) * 1.5 + 0.5)
        norm.weight.copy_(torch.randn(features, generator=generator))
        norm.bias.copy_(torch.randn(features, generator=generator))
    return norm


def torch_modules():
    """name -> (module in eval mode, sample shape)."""
    import ctnn_interop as ci

    generator = torch.Generator().manual_seed(31)
    torch.manual_seed(31)
    modules = {}
    modules["mlp_softmax_float"] = (nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 6), nn.LeakyReLU(0.01),
                                                  nn.Linear(6, 3), nn.Softmax(dim=1)), (4,))
    modules["batchnorm_dropout_float"] = (nn.Sequential(
        nn.Flatten(), nn.Linear(6, 5), randomized_batch_norm(5, generator), nn.ReLU(), nn.Dropout(0.3),
        nn.Linear(5, 3, bias=False), nn.LeakyReLU(0.1), nn.Linear(3, 2), nn.Sigmoid()), (2, 3))
    mean, deviation = torch.randn(3, generator=generator), torch.rand(3, generator=generator) + 0.5
    modules["standardize_double"] = (nn.Sequential(ci.Standardize(mean, deviation), nn.Linear(3, 4), nn.Sigmoid(),
                                                   nn.Linear(4, 2)).double(), (3,))
    modules["view_flatten_float"] = (ViewThenLinear(), (2, 3))
    return {name: (module.eval(), shape) for name, (module, shape) in modules.items()}


def exported(module, sample_shape, opset):
    dtype = next(module.parameters()).dtype
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, torch.zeros((2,) + tuple(sample_shape), dtype=dtype), buffer, opset_version=opset,
                          input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
    return onnx.load_from_string(buffer.getvalue())


def torch_expected(module, sample_shape):
    dtype = next(module.parameters()).dtype

    def expected(x):
        with torch.no_grad():
            t = torch.from_numpy(np.ascontiguousarray(x).reshape((-1,) + tuple(sample_shape))).to(dtype)
            return module(t).numpy().astype(np.float64)
    return expected


# ---- graphs by hand ----

def tensor(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def graph_model(nodes, inputs, output, initializers=(), opset=13, ir_version=None, element=TensorProto.FLOAT):
    """A model of a graph with one input (name, shape) and one output."""
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info(name, element, shape) for name, shape in inputs],
                              [helper.make_tensor_value_info(output, element, None)], list(initializers))
    kwargs = {"opset_imports": [helper.make_opsetid("", opset)], "producer_name": "ctnn interop tests"}
    if ir_version is not None:
        kwargs["ir_version"] = ir_version
    return helper.make_model(graph, **kwargs)


def constant(name, array):
    return helper.make_node("Constant", [], [name], value=tensor(name + "_value", array))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def hand_built():
    """name -> Case."""
    rng = np.random.default_rng(41)

    def f32(*shape, scale=1.0):
        return (rng.normal(size=shape) * scale).astype(np.float32)

    cases = {}

    # Gemm with transB=0, alpha and beta, a bias of shape (1, Out); then Gemm with transB=1.
    b1, c1, b2, c2 = f32(3, 4), f32(1, 4), f32(2, 4), f32(2)
    model = graph_model(
        [helper.make_node("Gemm", ["x", "B1", "C1"], ["h1"], alpha=0.5, beta=2.0),
         helper.make_node("Tanh", ["h1"], ["a1"]),
         helper.make_node("Gemm", ["a1", "B2", "C2"], ["y"], transB=1)],
        [("x", ["N", 3])], "y", [tensor("B1", b1), tensor("C1", c1), tensor("B2", b2), tensor("C2", c2)])
    cases["gemm_alpha_beta"] = Case(model, (3,), 
                                   lambda x, b1=b1, c1=c1, b2=b2, c2=c2: np.tanh(0.5 * (x @ b1.astype(float)) + 2.0 * c1)
                                   @ b2.T.astype(float) + c2)

    # As the ACAS Xu networks of VNN-COMP are written (MATLAB's exporter: IR 3, opset 8, initializers
    # listed as inputs too, a fixed batch of 1): (x - mean) / deviation on (1, 1, 1, 5), Flatten, then
    # MatMul + Add + Relu layers and a last MatMul + Add.
    mean, deviation = f32(1, 1, 1, 5), (np.abs(f32(1, 1, 1, 5)) + 0.5).astype(np.float32)
    weights = [f32(5, 6, scale=0.5), f32(6, 6, scale=0.5), f32(6, 3, scale=0.5)]
    biases = [f32(6), f32(6), f32(3)]
    nodes = [helper.make_node("Sub", ["input", "mean"], ["centred"]),
             helper.make_node("Div", ["centred", "deviation"], ["scaled"]),
             helper.make_node("Flatten", ["scaled"], ["flat"], axis=1)]
    initializers = [tensor("mean", mean), tensor("deviation", deviation)]
    previous = "flat"
    for k, (w, b) in enumerate(zip(weights, biases), start=1):
        initializers += [tensor(f"W{k}", w), tensor(f"B{k}", b)]
        nodes += [helper.make_node("MatMul", [previous, f"W{k}"], [f"m{k}"]),
                  helper.make_node("Add", [f"m{k}", f"B{k}"], [f"a{k}"])]
        previous = f"a{k}"
        if k < len(weights):
            nodes.append(helper.make_node("Relu", [previous], [f"r{k}"]))
            previous = f"r{k}"
    graph = helper.make_graph(
        nodes, "acas_like",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, 1, 5])]
        + [helper.make_tensor_value_info(t.name, TensorProto.FLOAT, list(t.dims)) for t in initializers],
        [helper.make_tensor_value_info(previous, TensorProto.FLOAT, [1, 5])], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 8)], ir_version=3)

    def acas_expected(x, mean=mean, deviation=deviation, weights=weights, biases=biases):
        h = (x - mean.reshape(1, 5).astype(float)) / deviation.reshape(1, 5)
        for k, (w, b) in enumerate(zip(weights, biases), start=1):
            h = h @ w.astype(float) + b
            if k < len(weights):
                h = np.maximum(h, 0)
        return h
    cases["acas_like"] = Case(model, (1, 1, 5), acas_expected)

    # Opset 11: weights in Constant nodes; x.view(N, -1) spelled out (Unsqueeze's axes an attribute);
    # the bias as Add's first operand; Softmax(axis=1), which opset 11 reads as "flatten from axis 1".
    w1, b1, w2 = f32(6, 5), f32(5), f32(5, 3)
    model = graph_model(
        [constant("W1", w1), constant("B1", b1), constant("W2", w2), constant("zero", np.array(0, dtype=np.int64)),
         constant("minus_one", np.array([-1], dtype=np.int64)),
         helper.make_node("Shape", ["x"], ["shape"]),
         helper.make_node("Gather", ["shape", "zero"], ["batch"], axis=0),
         helper.make_node("Unsqueeze", ["batch"], ["batch_1d"], axes=[0]),
         helper.make_node("Concat", ["batch_1d", "minus_one"], ["target"], axis=0),
         helper.make_node("Reshape", ["x", "target"], ["flat"]),
         helper.make_node("MatMul", ["flat", "W1"], ["m1"]),
         helper.make_node("Add", ["B1", "m1"], ["a1"]),
         helper.make_node("Relu", ["a1"], ["r1"]),
         helper.make_node("MatMul", ["r1", "W2"], ["m2"]),
         helper.make_node("Softmax", ["m2"], ["y"], axis=1)],
        [("x", ["N", 2, 3])], "y", opset=11)
    cases["constants_reshape_opset11"] = Case(
        model, (2, 3), lambda x, w1=w1, b1=b1, w2=w2: softmax(np.maximum(x @ w1.astype(float) + b1, 0) @ w2.astype(float)))

    # Opset 13: MatMul + Add + BatchNormalization (folded), Identity, Dropout with its ratio input,
    # a no-op Reshape of (N, 5) through Shape/Gather/Unsqueeze (axes an input)/Concat, Gemm, Softmax.
    w1, b1, w2, b2 = f32(4, 5), f32(5), f32(3, 5), f32(3)
    scale, shift, bn_mean, variance = f32(5), f32(5), f32(5), (np.abs(f32(5)) + 0.3).astype(np.float32)
    model = graph_model(
        [helper.make_node("MatMul", ["x", "W1"], ["m1"]),
         helper.make_node("Add", ["m1", "B1"], ["a1"]),
         helper.make_node("BatchNormalization", ["a1", "scale", "shift", "bn_mean", "variance"], ["n1"], epsilon=1e-3),
         helper.make_node("Identity", ["n1"], ["i1"]),
         helper.make_node("Dropout", ["i1", "ratio"], ["d1", "mask"]),
         helper.make_node("Sigmoid", ["d1"], ["s1"]),
         helper.make_node("Shape", ["s1"], ["shape"]),
         helper.make_node("Gather", ["shape", "zero"], ["batch"]),
         helper.make_node("Unsqueeze", ["batch", "axes"], ["batch_1d"]),
         helper.make_node("Concat", ["batch_1d", "minus_one"], ["target"], axis=0),
         helper.make_node("Reshape", ["s1", "target"], ["flat"]),
         helper.make_node("Gemm", ["flat", "W2", "B2"], ["g2"], transB=1),
         helper.make_node("Softmax", ["g2"], ["y"])],
        [("x", ["N", 4])], "y",
        [tensor("W1", w1), tensor("B1", b1), tensor("scale", scale), tensor("shift", shift), tensor("bn_mean", bn_mean),
         tensor("variance", variance), tensor("ratio", np.array(0.5, dtype=np.float32)),
         tensor("zero", np.array(0, dtype=np.int64)), tensor("axes", np.array([0], dtype=np.int64)),
         tensor("minus_one", np.array([-1], dtype=np.int64)), tensor("W2", w2), tensor("B2", b2)])

    def bn_expected(x, w1=w1, b1=b1, w2=w2, b2=b2, scale=scale, shift=shift, bn_mean=bn_mean, variance=variance):
        h = x @ w1.astype(float) + b1
        h = (h - bn_mean) / np.sqrt(variance.astype(float) + np.float64(np.float32(1e-3))) * scale + shift
        return softmax(sigmoid(h) @ w2.T.astype(float) + b2)
    cases["batchnorm_noise_opset13"] = Case(model, (4,), bn_expected)

    # A fixed batch of 1 and a Reshape to the constant (1, -1); LeakyRelu(0.2).
    w1, b1 = f32(4, 3), f32(3)
    model = graph_model(
        [helper.make_node("Reshape", ["x", "target"], ["flat"]),
         helper.make_node("Gemm", ["flat", "W1", "B1"], ["g1"]),
         helper.make_node("LeakyRelu", ["g1"], ["y"], alpha=0.2)],
        [("x", [1, 2, 2])], "y", [tensor("target", np.array([1, -1], dtype=np.int64)), tensor("W1", w1),
                                  tensor("B1", b1)])

    def leaky_expected(x, w1=w1, b1=b1):
        h = x @ w1.astype(float) + b1
        return np.where(h < 0, np.float64(np.float32(0.2)) * h, h)
    cases["fixed_batch_reshape"] = Case(model, (2, 2), leaky_expected)

    # Double: Gemm, Relu, Gemm, Sigmoid.
    w1, b1, w2, b2 = rng.normal(size=(3, 6)), rng.normal(size=6), rng.normal(size=(6, 2)), rng.normal(size=2)
    model = graph_model(
        [helper.make_node("Gemm", ["x", "W1", "B1"], ["g1"]),
         helper.make_node("Relu", ["g1"], ["r1"]),
         helper.make_node("Gemm", ["r1", "W2", "B2"], ["g2"]),
         helper.make_node("Sigmoid", ["g2"], ["y"])],
        [("x", ["N", 3])], "y", [tensor("W1", w1), tensor("B1", b1), tensor("W2", w2), tensor("B2", b2)],
        element=TensorProto.DOUBLE)
    cases["double_gemm"] = Case(model, (3,), 
                               lambda x, w1=w1, b1=b1, w2=w2, b2=b2: sigmoid(np.maximum(x @ w1 + b1, 0) @ w2 + b2),
                               np.float64)
    return cases


def cases():
    """name -> Case: every PyTorch module at every opset, and the graphs built by hand."""
    result = {}
    for name, (module, shape) in torch_modules().items():
        dtype = np.float64 if next(module.parameters()).dtype == torch.float64 else np.float32
        for opset in OPSETS:
            result[f"torch_{name}_opset{opset}"] = Case(exported(module, shape, opset), shape,
                                                        torch_expected(module, shape), dtype, "PyTorch")
    result.update(hand_built())
    return result
