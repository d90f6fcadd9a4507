"""interop.onnx: ctnn-export on ONNX models (needs python3-onnx; no onnxruntime).

    python3 test_onnx.py --tools DIR --work DIR [--acasxu DIR]

- Every model of onnx_models.py (PyTorch modules exported at opsets 11, 13, 15, 17; graphs built with
  onnx.helper) converts through the command line to a model file and to a header with --check; ctnn's
  formulas (NumPy) reproduce the independently computed outputs within the --check tolerance on
  1000 inputs, and so does the NumPy evaluator that --check uses.
- Every refusal: exit status 1, one message naming the node, its op type and its position (or the
  graph's problem), no output file.
- With --acasxu DIR (the ACAS Xu networks of VNN-COMP 2021, e.g. stanleybak/vnncomp2021's
  benchmarks/acasxu): each converts, and ctnn's formulas give the evaluator's outputs.
"""

import argparse
import glob
import os
import sys
import unittest
import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper

parser = argparse.ArgumentParser()
parser.add_argument("--tools", required=True)
parser.add_argument("--work", required=True)
parser.add_argument("--acasxu", help="a directory of ACAS Xu .onnx files (optional)")
options, rest = parser.parse_known_args()
sys.path.insert(0, options.tools)
import ctnn_interop as ci  # noqa: E402

import cli  # noqa: E402  (next to this file)
import onnx_models  # noqa: E402
from onnx_models import constant, graph_model, tensor  # noqa: E402

warnings.filterwarnings("ignore")
export_cli = cli.load(options.tools, "ctnn-export")
measured = {}


def work(*parts):
    return os.path.join(options.work, *parts)


def worst_difference(actual, expected):
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    return float(np.max(np.abs(actual - expected) / np.maximum(1.0, np.abs(expected))))


def note(what, dtype, value):
    key = (what, ci.scalar_name(dtype))
    measured[key] = max(measured.get(key, 0.0), value)


class Conversions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cases = onnx_models.cases()

    def test_every_opset_the_tests_need_is_there(self):
        opsets = {ci.onnx_eval.default_opset(case.model) for case in self.cases.values()}
        self.assertTrue({8, 11, 13, 15, 17} <= opsets, opsets)

    def test_each_model_converts_and_computes_its_outputs(self):
        for name, case in self.cases.items():
            with self.subTest(name):
                source = case.save(work(name + ".onnx"))
                status, message = cli.run(export_cli, source, "-o", work(name + ".ctnn"))
                self.assertEqual(status, 0, message)
                status, message = cli.run(export_cli, source, "-o", work(name + ".hpp"), "--check", "8")
                self.assertEqual(status, 0, message)
                model = ci.load(work(name + ".ctnn"))
                self.assertEqual(model.dtype, case.dtype)
                x = ci.check_inputs(1000, np.full(case.inputs, -2.0), np.full(case.inputs, 2.0), seed=7)
                x = x.astype(model.dtype)
                expected = case.expected(x)
                tolerance = ci.CHECK_TOLERANCE[model.dtype]
                difference = worst_difference(model.predict(x), expected)
                note("ctnn (NumPy emulation) vs the source", model.dtype, difference)
                self.assertLessEqual(difference, tolerance)
                _, reference, framework, _ = ci.convert(ci.load_source(source))
                self.assertEqual(framework, "ONNX")
                difference = worst_difference(reference(x), expected)
                note("the NumPy evaluator of ONNX graphs vs the source", model.dtype, difference)
                self.assertLessEqual(difference, tolerance)

    def test_pytorch_exports_give_one_model_at_every_opset(self):
        # The opsets spell some ops differently (Softmax, Unsqueeze, Dropout, BatchNormalization): the
        # converted models must still be the same bits.
        for name in onnx_models.torch_modules():
            with self.subTest(name):
                models = [ci.from_onnx(self.cases[f"torch_{name}_opset{opset}"].model)[0]
                          for opset in onnx_models.OPSETS]
                self.assertEqual(len({ci.model_text(m) for m in models}), 1)

    def test_the_acas_like_graph_keeps_its_normalisation_and_drops_a_zero_mean(self):
        model = ci.from_onnx(self.cases["acas_like"].model)[0]
        self.assertEqual([layer.kind for layer in model.layers], ["Standardize", "Dense", "Dense", "Dense"])
        self.assertEqual(model.layers[1].activation, "relu")
        self.assertEqual(model.layers[3].activation, "linear")
        # As in VNN-COMP's files: a zero "mean image" is (x - 0) / 1, which is x: no layer.
        zero_mean = onnx.load_from_string(self.cases["acas_like"].model.SerializeToString())
        for initializer in zero_mean.graph.initializer:
            if initializer.name in ("mean", "deviation"):
                value = np.zeros(5, np.float32) if initializer.name == "mean" else np.ones(5, np.float32)
                initializer.CopyFrom(tensor(initializer.name, value.reshape(1, 1, 1, 5)))
        self.assertEqual([layer.kind for layer in ci.from_onnx(zero_mean)[0].layers], ["Dense"] * 3)

    def test_batch_norm_is_folded_and_gemm_scaling_noted(self):
        model = ci.from_onnx(self.cases["batchnorm_noise_opset13"].model)[0]
        self.assertEqual([(layer.kind, layer.activation) for layer in model.layers],
                         [("Dense", "sigmoid"), ("Dense", "softmax")])
        status, message = cli.run(export_cli, self.cases["gemm_alpha_beta"].save(work("alpha.onnx")), "-o",
                                  work("alpha.ctnn"))
        self.assertEqual(status, 0, message)
        self.assertIn('ctnn-export: note: node 1 of the graph (Gemm output "h1"): alpha=0.5, beta=2 are multiplied '
                      "into the weights and the bias", message)

    def test_the_header_compares_with_onnx(self):
        case = self.cases["double_gemm"]
        status, message = cli.run(export_cli, case.save(work("double_gemm.onnx")), "-o", work("double_gemm.hpp"),
                                  "--check", "4")
        self.assertEqual(status, 0, message)
        text = open(work("double_gemm.hpp")).read()
        self.assertIn("ctnn: double_gemm does not reproduce ONNX's outputs within the tolerance", text)
        self.assertIn("the ONNX graph's outputs computed by ctnn-export's NumPy evaluator", text)

    @unittest.skipUnless(options.acasxu, "no --acasxu directory given")
    def test_the_acas_xu_networks_convert(self):
        paths = sorted(glob.glob(os.path.join(options.acasxu, "*.onnx")))
        self.assertTrue(paths)
        x = ci.check_inputs(200, np.full(5, -0.6), np.full(5, 0.6), seed=3).astype(np.float32)
        for path in paths:
            with self.subTest(os.path.basename(path)):
                model, reference, _, _ = ci.convert(ci.load_source(path))
                self.assertEqual(model.cpp_type(), "ctnn::Network<ctnn::Dense<5, 50, ctnn::ReLU, float>, "
                                 + "ctnn::Dense<50, 50, ctnn::ReLU, float>, " * 5 + "ctnn::Dense<50, 5, ctnn::Identity, "
                                 "float>>")
                difference = worst_difference(model.predict(x), reference(x))
                note("ACAS Xu: ctnn (NumPy emulation) vs the evaluator", np.float32, difference)
                self.assertLessEqual(difference, ci.CHECK_TOLERANCE[np.float32])


def chain(nodes, initializers=(), shape=("N", 3), opset=13, output="y", element=TensorProto.FLOAT, inputs=None):
    return graph_model(nodes, inputs or [("x", list(shape))], output, initializers, opset=opset, element=element)


W = tensor("W", np.ones((3, 2), np.float32))
B = tensor("B", np.zeros(2, np.float32))


def gemm(x="x", y="h"):
    return helper.make_node("Gemm", [x, "W", "B"], [y], name="dense")


class Refusals(unittest.TestCase):
    """Each graph ctnn cannot take stops ctnn-export with one message, exit status 1 and no file."""

    def refuse(self, model, *fragments):
        source = work("refused.onnx")
        onnx.save(model, source)
        output = work("refused.ctnn")
        if os.path.exists(output):
            os.remove(output)
        status, message = cli.run(export_cli, source, "-o", output)
        self.assertEqual(status, 1, message)
        self.assertEqual(message.count("ctnn-export: error: "), 1, message)
        self.assertNotIn("Traceback", message)
        for fragment in fragments:
            self.assertIn(fragment, message)
        self.assertFalse(os.path.exists(output))

    def test_unsupported_ops_are_named_with_their_position(self):
        conv = chain([gemm(), helper.make_node("Conv", ["h", "K"], ["y"], name="/0/Conv")],
                     [W, B, tensor("K", np.ones((1, 1, 1), np.float32))])
        self.refuse(conv, 'node 2 of the graph (Conv "/0/Conv") is not supported: ctnn-export converts Gemm, MatMul')
        gelu = chain([gemm(), helper.make_node("Erf", ["h"], ["y"])], [W, B])
        self.refuse(gelu, 'node 2 of the graph (Erf output "y") is not supported')
        custom = chain([gemm(), helper.make_node("FusedGemm", ["h"], ["y"], domain="com.microsoft")], [W, B])
        self.refuse(custom, 'node 2 of the graph (FusedGemm output "y") is from the operator set "com.microsoft"')

    def test_elu_and_prelu_wait_for_their_layers(self):
        elu = chain([gemm(), helper.make_node("Elu", ["h"], ["y"], alpha=1.0)], [W, B])
        self.refuse(elu, 'node 2 of the graph (Elu output "y") is not supported yet: ctnn has no ELU activation yet')
        prelu = chain([gemm(), helper.make_node("PRelu", ["h", "slope"], ["y"])],
                      [W, B, tensor("slope", np.full(2, 0.25, np.float32))])
        self.refuse(prelu, 'node 2 of the graph (PRelu output "y") is not supported yet: ctnn has no PReLU layer yet')

    def test_graphs_that_are_not_a_chain(self):
        branch = chain([gemm(), helper.make_node("Relu", ["h"], ["r"]), helper.make_node("Sigmoid", ["h"], ["y"])],
                       [W, B])
        self.refuse(branch, 'node 3 of the graph (Sigmoid output "y") is not a chain: it reads "h", which node 2 of '
                    'the graph (Relu output "r") read already')
        skip = chain([gemm(), helper.make_node("Relu", ["h"], ["r"]), helper.make_node("Add", ["h", "r"], ["y"])],
                     [W, B])
        self.refuse(skip, 'node 3 of the graph (Add output "y") is not a chain: it takes 2 computed inputs')
        two_outputs = graph_model([gemm(), helper.make_node("Relu", ["h"], ["y"])], [("x", ["N", 3])], "y", [W, B])
        two_outputs.graph.output.append(helper.make_tensor_value_info("h", TensorProto.FLOAT, None))
        self.refuse(two_outputs, "the graph has 2 outputs (y, h)")
        two_inputs = chain([gemm()], [W, B], output="h", inputs=[("x", ["N", 3]), ("z", ["N", 3])])
        self.refuse(two_inputs, 'the graph has 2 inputs ("x", "z")')
        early_output = chain([gemm(y="y"), helper.make_node("Relu", ["y"], ["r"])], [W, B])
        self.refuse(early_output, 'the graph\'s output "y" is not the end of its chain: nodes after it compute "r"')
        constant_output = chain([constant("y", np.ones(2, np.float32))])
        self.refuse(constant_output, 'the graph\'s output "y" does not depend on its input')
        mask = chain([gemm(), helper.make_node("Dropout", ["h"], ["d", "mask"]),
                      helper.make_node("Cast", ["mask"], ["y"], to=TensorProto.FLOAT)], [W, B])
        self.refuse(mask, 'node 3 of the graph (Cast output "y") reads "mask", an output of node 2 of the graph '
                    '(Dropout output "d") that ctnn does not compute')
        missing = chain([helper.make_node("Gemm", ["x", "W", "nowhere"], ["y"])], [W])
        self.refuse(missing, 'node 1 of the graph (Gemm output "y") reads "nowhere", which no node, initializer or '
                    'input gives')
        nothing = chain([helper.make_node("Identity", ["x"], ["y"])])
        self.refuse(nothing, "the graph computes no layer")

    def test_operands_ctnn_cannot_take(self):
        trans_a = chain([helper.make_node("Gemm", ["x", "W", "B"], ["y"], transA=1)], [W, B])
        self.refuse(trans_a, 'node 1 of the graph (Gemm output "y"): transA=1 would take the batch as features')
        computed_weights = chain([helper.make_node("Gemm", ["W", "x"], ["y"])], [W], shape=("N", 2))
        self.refuse(computed_weights, 'node 1 of the graph (Gemm output "y"): the computed tensor must be its first '
                    "input")
        right = chain([helper.make_node("MatMul", ["M", "x"], ["y"])], [tensor("M", np.ones((2, 2), np.float32))],
                      shape=("N", 2))
        self.refuse(right, 'node 1 of the graph (MatMul output "y"): the computed tensor must be its first input')
        size = chain([helper.make_node("MatMul", ["x", "M"], ["y"])], [tensor("M", np.ones((4, 2), np.float32))])
        self.refuse(size, 'node 1 of the graph (MatMul output "y"): its matrix takes 4 inputs, the tensor before it '
                    "has 3")
        reversed_sub = chain([gemm(), helper.make_node("Sub", ["one", "h"], ["y"])], [W, B, tensor("one", np.ones(2))])
        self.refuse(reversed_sub, 'node 2 of the graph (Sub output "y"): the computed tensor must be its first input')
        negative = chain([helper.make_node("Div", ["x", "d"], ["s"]), gemm("s", "y")],
                         [W, B, tensor("d", np.array([1, -2, 3], np.float32))])
        self.refuse(negative, 'node 1 of the graph (Div output "s"): a Div by a constant becomes a Standardize layer, '
                    "whose deviations must be positive and finite")
        third = chain([helper.make_node("Mul", ["x", "m"], ["s"]), gemm("s", "y")],
                      [W, B, tensor("m", np.full(3, 1 / 3, np.float32))])
        self.refuse(third, 'node 1 of the graph (Mul output "s"): a Mul by constants converts only by powers of two')
        per_sample = chain([helper.make_node("Sub", ["x", "c"], ["s"]), gemm("s", "y")],
                           [W, B, tensor("c", np.ones((4, 3), np.float32))])
        self.refuse(per_sample, 'node 1 of the graph (Sub output "s"): its constant of shape (4, 3) does not broadcast '
                    "to one value per feature")

    def test_layers_in_an_order_ctnn_cannot_take(self):
        first = chain([helper.make_node("Relu", ["x"], ["r"]), gemm("r", "y")], [W, B])
        self.refuse(first, 'node 1 of the graph (Relu output "r") does not follow a Gemm or MatMul: each ctnn '
                    "activation belongs to the Dense layer before it")
        twice = chain([gemm(), helper.make_node("Relu", ["h"], ["r"]), helper.make_node("Tanh", ["r"], ["y"])], [W, B])
        self.refuse(twice, 'node 3 of the graph (Tanh output "y") does not follow a Gemm or MatMul')
        norm = [tensor(n, np.ones(2, np.float32)) for n in ("s", "b", "m", "v")]
        late_norm = chain([gemm(), helper.make_node("Relu", ["h"], ["r"]),
                           helper.make_node("BatchNormalization", ["r", "s", "b", "m", "v"], ["y"])], [W, B, *norm])
        self.refuse(late_norm, 'node 3 of the graph (BatchNormalization output "y") does not follow a Gemm or MatMul: '
                    "a BatchNormalization folds into the Gemm or MatMul (+ Add) right before it")
        training = chain([gemm(), helper.make_node("BatchNormalization", ["h", "s", "b", "m", "v"], ["y"],
                                                   training_mode=1)], [W, B, *norm], opset=15)
        self.refuse(training, 'node 2 of the graph (BatchNormalization output "y") is in training mode')
        dropout = chain([gemm(), helper.make_node("Dropout", ["h", "ratio", "on"], ["y"])],
                        [W, B, tensor("ratio", np.array(0.5, np.float32)), tensor("on", np.array(True))])
        self.refuse(dropout, 'node 2 of the graph (Dropout output "y") is in training mode')

    def test_shapes_ctnn_cannot_take(self):
        to_matrix = chain([helper.make_node("Reshape", ["x", "t"], ["y"])], [tensor("t", np.array([0, 2, 3]))],
                          shape=("N", 6))
        self.refuse(to_matrix, 'node 1 of the graph (Reshape output "y"): a Reshape of (N, 6) to (N, 2, 3) is not a '
                    "Reshape to one vector per sample")
        whole_batch = chain([helper.make_node("Reshape", ["x", "t"], ["f"]), gemm("f", "y")],
                            [W, B, tensor("t", np.array([1, -1]))])
        self.refuse(whole_batch, 'node 1 of the graph (Reshape output "f"): a Reshape of (N, 3) to (1, -1)')
        flatten_0 = chain([helper.make_node("Flatten", ["x"], ["f"], axis=0), gemm("f", "y")], [W, B])
        self.refuse(flatten_0, 'node 1 of the graph (Flatten output "f"): only a Flatten at axis 1')
        flatten_2 = chain([helper.make_node("Flatten", ["x"], ["f"], axis=2), gemm("f", "y")], [W, B],
                          shape=("N", 1, 3))
        self.refuse(flatten_2, "only a Flatten at axis 1 (everything after the batch) converts, not axis=2")
        matrix = chain([gemm()], [W, B], shape=("N", 2, 3), output="h")
        self.refuse(matrix, 'node 1 of the graph (Gemm "dense") takes a tensor of shape (N, 2, 3): ctnn converts layers '
                    "of vectors")
        softmax_0 = chain([gemm(), helper.make_node("Softmax", ["h"], ["y"], axis=0)], [W, B])
        self.refuse(softmax_0, 'node 2 of the graph (Softmax output "y"): only a Softmax over the features')
        slope = chain([gemm(), helper.make_node("LeakyRelu", ["h"], ["y"], alpha=1.5)], [W, B])
        self.refuse(slope, 'node 2 of the graph (LeakyRelu output "y"): ctnn\'s LeakyReLU needs a slope in [0, 1)')
        batch_arithmetic = chain([helper.make_node("Shape", ["x"], ["s"]), constant("two", np.array([2])),
                                  helper.make_node("Mul", ["s", "two"], ["t"]),
                                  helper.make_node("Reshape", ["x", "t"], ["f"]), gemm("f", "y")], [W, B])
        self.refuse(batch_arithmetic, 'node 3 of the graph (Mul output "t") computes with the batch size')

    def test_inputs_ctnn_cannot_take(self):
        self.refuse(chain([gemm(y="y")], [W, B], element=TensorProto.FLOAT16),
                    'the graph\'s input "x" holds float16; ctnn converts float32 (float) or float64 (double) graphs')
        self.refuse(chain([gemm(y="y")], [W, B], shape=(3,)), 'the graph\'s input "x" has shape (3): ctnn converts a '
                    "graph whose input has the batch first")
        self.refuse(chain([gemm(y="y")], [W, B], shape=("N", "features")),
                    'the graph\'s input "x" has shape (N, features): every dimension after the batch must be a known '
                    "size")
        with open(work("garbage.onnx"), "wb") as f:
            f.write(b"\x08\x07 this is not protobuf \xff\xff")
        status, message = cli.run(export_cli, work("garbage.onnx"), "-o", work("garbage.ctnn"))
        self.assertEqual(status, 1)
        self.assertIn("cannot read it as an ONNX model", message)
        self.assertFalse(os.path.exists(work("garbage.ctnn")))


if __name__ == "__main__":
    os.makedirs(options.work, exist_ok=True)
    program = unittest.main(argv=[sys.argv[0], *rest], exit=False, verbosity=2, warnings="ignore")
    for (what, scalar), value in sorted(measured.items()):
        print(f"measured: {what}, {scalar}: worst difference {value:.3g} of max(1, |expected|)")
    sys.exit(0 if program.result.wasSuccessful() else 1)
