"""interop.onnx_cnn: ctnn-export on ONNX models of images (Conv, pooling, BatchNormalization folded).

    python3 test_onnx_cnn.py --tools DIR --work DIR

- Small PyTorch CNNs exported with torch.onnx.export at opsets 11 and 17, and graphs built by hand
  (auto_pad, strides, dilation, padded average pooling, Reshape through Constant/Shape/Gather),
  convert through the command line to a model file and to a header with --check; ctnn's formulas
  (NumPy) give PyTorch's outputs within the --check tolerance. ctnn reads images channels last: an
  input row here is PyTorch's x.reshape(n, h, w, c).transpose(0, 3, 1, 2).
- Refusals: exit status 1, one message naming the node, its op type and its position, no file.
"""

import argparse
import os
import sys
import unittest
import warnings

import numpy as np
import onnx
import onnx.numpy_helper
import torch
from onnx import helper

parser = argparse.ArgumentParser()
parser.add_argument("--tools", required=True)
parser.add_argument("--work", required=True)
options, rest = parser.parse_known_args()
sys.path.insert(0, options.tools)
import ctnn_interop as ci  # noqa: E402

import cli  # noqa: E402  (next to this file)
from onnx_models import exported, graph_model, tensor  # noqa: E402

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
export_cli = cli.load(options.tools, "ctnn-export")
nn = torch.nn
F = torch.nn.functional


def work(*parts):
    os.makedirs(options.work, exist_ok=True)
    return os.path.join(options.work, *parts)


def worst_difference(actual, expected):
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    return float(np.max(np.abs(actual - expected) / np.maximum(1.0, np.abs(expected))))


def to_torch_layout(x, shape):
    """ctnn's rows (n, h * w * c) as PyTorch's (n, c, h, w); shape is (c, h, w)."""
    c, h, w = shape
    return np.ascontiguousarray(x.reshape(-1, h, w, c).transpose(0, 3, 1, 2))


def randomize_batch_norm(norm, generator):
    with torch.no_grad():
        for tensor_, low, high in ((norm.weight, 0.5, 1.5), (norm.bias, -0.5, 0.5), (norm.running_mean, -0.5, 0.5),
                                   (norm.running_var, 0.5, 2.0)):
            tensor_.copy_(torch.from_numpy(generator.uniform(low, high, tensor_.shape)))


def torch_cnns():
    """name -> (module in eval mode, sample shape (c, h, w)): small, so that the test costs seconds."""
    generator = np.random.default_rng(20)
    torch.manual_seed(20)
    pooled = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                           nn.Conv2d(4, 4, 3, padding=1, groups=2, bias=False), nn.Tanh(), nn.AvgPool2d(2),
                           nn.Flatten(), nn.Dropout(0.25), nn.Linear(8, 3))
    randomize_batch_norm(pooled[1], generator)
    global_pool = nn.Sequential(nn.Conv2d(1, 3, 3, stride=2, dilation=1), nn.LeakyReLU(0.125),
                                nn.Conv2d(3, 3, 2, dilation=2, padding=1, groups=3), nn.Sigmoid(),
                                nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(3, 2), nn.Softmax(dim=1))
    return {"pooled": (pooled.eval(), (2, 8, 4)), "global_pool": (global_pool.double().eval(), (1, 9, 7))}


def torch_reference(module, shape):
    def expected(x):
        with torch.no_grad():
            return module(torch.from_numpy(to_torch_layout(x, shape))).numpy().astype(np.float64)
    return expected


def hand_built():
    """A graph by hand: Conv with auto_pad=SAME_UPPER and stride 2, BatchNormalization, Relu, an
    AveragePool with padding counted (count_include_pad=1), Shape/Gather/Unsqueeze/Concat into a
    Reshape to (N, -1), Gemm with transB. Expected: the same with torch.nn.functional."""
    generator = np.random.default_rng(3)
    w = generator.uniform(-0.5, 0.5, (3, 2, 3, 3)).astype(np.float32)
    b = generator.uniform(-0.5, 0.5, 3).astype(np.float32)
    scale, shift = generator.uniform(0.5, 1.5, 3).astype(np.float32), generator.uniform(-1, 1, 3).astype(np.float32)
    mean, var = generator.uniform(-1, 1, 3).astype(np.float32), generator.uniform(0.5, 2, 3).astype(np.float32)
    dense = generator.uniform(-0.5, 0.5, (2, 3 * 3 * 3)).astype(np.float32)
    dense_bias = generator.uniform(-0.5, 0.5, 2).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], auto_pad="SAME_UPPER", strides=[2, 2], kernel_shape=[3, 3]),
        helper.make_node("BatchNormalization", ["c", "scale", "shift", "mean", "var"], ["n"], epsilon=1e-3),
        helper.make_node("Relu", ["n"], ["r"]),
        helper.make_node("AveragePool", ["r"], ["p"], kernel_shape=[2, 2], strides=[1, 1], pads=[1, 0, 0, 1],
                         count_include_pad=1),
        helper.make_node("Shape", ["p"], ["s"]),
        helper.make_node("Gather", ["s", "zero"], ["batch"], axis=0),
        helper.make_node("Unsqueeze", ["batch", "axes"], ["batch1"]),
        helper.make_node("Concat", ["batch1", "minus_one"], ["target"], axis=0),
        helper.make_node("Reshape", ["p", "target"], ["v"]),
        helper.make_node("Gemm", ["v", "dense", "dense_bias"], ["y"], transB=1),
    ]
    initializers = [tensor("w", w), tensor("b", b), tensor("scale", scale), tensor("shift", shift), tensor("mean", mean),
                    tensor("var", var), tensor("zero", np.array(0, np.int64)), tensor("axes", np.array([0], np.int64)),
                    tensor("minus_one", np.array([-1], np.int64)), tensor("dense", dense),
                    tensor("dense_bias", dense_bias)]
    model = graph_model(nodes, [("x", ["N", 2, 5, 6])], "y", initializers, opset=13)

    def expected(x):
        t = torch.from_numpy(to_torch_layout(x, (2, 5, 6))).double()
        # SAME_UPPER with stride 2: 3 x 3 outputs; rows (5) padded 1 + 1, columns (6) 0 + 1 (the odd one after).
        h = F.conv2d(F.pad(t, (0, 1, 1, 1)), torch.from_numpy(w).double(), torch.from_numpy(b).double(), stride=2)
        h = F.batch_norm(h, torch.from_numpy(mean).double(), torch.from_numpy(var).double(),
                         torch.from_numpy(scale).double(), torch.from_numpy(shift).double(), eps=1e-3)
        h = F.avg_pool2d(F.pad(F.relu(h), (0, 1, 1, 0)), 2, stride=1)  # pads: top 1, right 1
        return (h.flatten(1) @ torch.from_numpy(dense).double().T + torch.from_numpy(dense_bias).double()).numpy()
    return model, (2, 5, 6), expected


class Conversions(unittest.TestCase):
    def convert_and_compare(self, name, model, shape, expected):
        source = work(name + ".onnx")
        onnx.save(model, source)
        status, message = cli.run(export_cli, source, "-o", work(name + ".ctnn"))
        self.assertEqual(status, 0, message)
        status, message = cli.run(export_cli, source, "-o", work(name + ".hpp"), "--check", "4")
        self.assertEqual(status, 0, message)
        converted = ci.load(work(name + ".ctnn"))
        self.assertEqual(converted.input_shape, (shape[1], shape[2], shape[0]))
        size = int(np.prod(shape))
        x = ci.check_inputs(200, np.full(size, -2.0), np.full(size, 2.0), seed=7).astype(converted.dtype)
        want = expected(x)
        tolerance = ci.CHECK_TOLERANCE[converted.dtype]
        self.assertLessEqual(worst_difference(converted.predict(x), want), tolerance)
        _, reference, _, _ = ci.convert(ci.load_source(source))
        self.assertLessEqual(worst_difference(reference(x), want), tolerance)
        return converted

    def test_pytorch_cnns_convert_at_opsets_11_and_17(self):
        for name, (module, shape) in torch_cnns().items():
            texts = set()
            for opset in (11, 17):
                with self.subTest(f"{name} opset {opset}"):
                    converted = self.convert_and_compare(f"{name}_{opset}", exported(module, shape, opset), shape,
                                                         torch_reference(module, shape))
                    texts.add(ci.model_text(converted))
            self.assertEqual(len(texts), 1, f"{name}: the opsets give different models")

    def test_the_layers_and_the_batch_norm_fold(self):
        module, shape = torch_cnns()["pooled"]
        converted = ci.from_onnx(exported(module, shape, 17))[0]
        self.assertEqual([layer.kind for layer in converted.layers],
                         ["Conv2D", "MaxPool2D", "Conv2D", "AvgPool2D", "Flatten", "Dense"])
        self.assertEqual(converted.layers[0].activation, "relu")
        self.assertIsNone(converted.layers[2].bias)
        # A BatchNormalization node folds into the Conv before it: w * scale / sqrt(var + eps) and
        # (b - mean) * scale / sqrt(var + eps) + shift in double from the stored floats, each value
        # rounded once to float. (torch.onnx.export of a model in eval mode folds BatchNorm2d into the
        # Conv itself, in float, so its graphs have no BatchNormalization left.)
        model, _, _ = hand_built()
        values = {i.name: onnx.numpy_helper.to_array(i).astype(np.float64) for i in model.graph.initializer}
        factor = values["scale"] / np.sqrt(values["var"] + float(np.float32(1e-3)))
        layer = ci.from_onnx(model)[0].layers[0]
        self.assertTrue(np.array_equal(layer.weights, (values["w"] * factor[:, None, None, None]).astype(np.float32)))
        self.assertTrue(np.array_equal(layer.bias, ((values["b"] - values["mean"]) * factor
                                                    + values["shift"]).astype(np.float32)))

    def test_a_hand_built_graph(self):
        model, shape, expected = hand_built()
        self.convert_and_compare("hand_built", model, shape, expected)

    def test_refusals_name_the_node(self):
        model, shape, _ = hand_built()
        cases = []
        unknown = onnx.load_from_string(model.SerializeToString())
        unknown.graph.node[2].op_type = "Sin"
        cases.append(("unknown", unknown, 'node 3 of the graph (Sin output "r") is not supported: ctnn-export '
                      "converts Gemm, MatMul (+ Add), Conv (2-D), MaxPool"))
        uncounted = onnx.load_from_string(model.SerializeToString())
        del uncounted.graph.node[3].attribute[:]
        uncounted.graph.node[3].attribute.extend([helper.make_attribute("kernel_shape", [2, 2]),
                                                  helper.make_attribute("pads", [1, 0, 0, 1])])
        cases.append(("uncounted", uncounted, 'node 4 of the graph (AveragePool output "p"): an AveragePool with '
                      "padding converts with count_include_pad=1 only"))
        ceil = onnx.load_from_string(model.SerializeToString())
        ceil.graph.node[3].attribute.extend([helper.make_attribute("ceil_mode", 1)])
        cases.append(("ceil", ceil, 'node 4 of the graph (AveragePool output "p"): ceil_mode=1 does not convert'))
        for name, broken, message in cases:
            with self.subTest(name):
                source = work(f"refused_{name}.onnx")
                onnx.save(broken, source)
                target = work(f"refused_{name}.ctnn")
                status, error = cli.run(export_cli, source, "-o", target)
                self.assertEqual(status, 1)
                self.assertIn(message, error)
                self.assertEqual(error.count("\n"), 1, error)
                self.assertFalse(os.path.exists(target))


class PyTorchImages(unittest.TestCase):
    """ctnn_interop.from_torch(module, image_shape=(C, H, W)) and to_torch back."""

    @staticmethod
    def module():
        generator = np.random.default_rng(5)
        torch.manual_seed(5)
        m = nn.Sequential(nn.Conv2d(2, 4, 3, padding="same"), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Dropout(0.1), nn.Conv2d(4, 3, 2, padding=1, bias=False), nn.Tanh(),
                          nn.AvgPool2d(2, padding=1), nn.Flatten(), nn.Linear(27, 5), nn.BatchNorm1d(5),
                          nn.LeakyReLU(0.25), nn.Linear(5, 3), nn.Softmax(dim=1))
        randomize_batch_norm(m[1], generator)
        randomize_batch_norm(m[10], generator)
        return m  # in training mode, as a model saved while training

    def test_a_cnn_in_training_mode_converts_as_in_eval_mode(self):
        module = self.module()
        model, reference, notes = ci.from_torch(module, image_shape=(2, 8, 6))
        self.assertEqual([layer.kind for layer in model.layers],
                         ["Conv2D", "MaxPool2D", "Conv2D", "AvgPool2D", "Flatten", "Dense", "Dense"])
        self.assertEqual(len(notes["messages"]), 1)
        self.assertIn("saved in training mode; it is converted as in eval mode", notes["messages"][0])
        x = ci.check_inputs(200, np.full(96, -2.0), np.full(96, 2.0), seed=9).astype(np.float32)
        expected = torch_reference(module.eval(), (2, 8, 6))(x)
        self.assertLessEqual(worst_difference(model.predict(x), expected), ci.CHECK_TOLERANCE[np.float32])
        self.assertLessEqual(worst_difference(reference(x), expected), ci.CHECK_TOLERANCE[np.float32])

    def test_to_torch_gives_the_same_model_back(self):
        model = ci.from_torch(self.module(), image_shape=(2, 8, 6))[0]
        back = ci.to_torch(model)
        again = ci.from_torch(back, image_shape=(2, 8, 6))[0]
        self.assertEqual(ci.model_text(again), ci.model_text(model))
        x = ci.check_inputs(50, np.full(96, -2.0), np.full(96, 2.0), seed=10).astype(np.float32)
        self.assertLessEqual(worst_difference(model.predict(x), torch_reference(back, (2, 8, 6))(x)),
                             ci.CHECK_TOLERANCE[np.float32])

    def test_refusals(self):
        with self.assertRaises(ci.ConversionError) as caught:
            ci.from_torch(self.module())
        self.assertIn("its input's (channels, height, width) must be given", str(caught.exception))
        upsampling = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Upsample(scale_factor=2), nn.Flatten(), nn.Linear(72, 1))
        with self.assertRaises(ci.ConversionError) as caught:
            ci.from_torch(upsampling, image_shape=(1, 5, 5))
        self.assertIn('module 2 of the Sequential ("1": Upsample(', str(caught.exception))
        self.assertIn("is not supported: the image converter takes Conv2d", str(caught.exception))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]] + rest)
