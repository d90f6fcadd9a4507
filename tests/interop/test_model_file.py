"""interop.model_file: model file format 3 in Python (docs/model_file.md), before ctnn's C++ side
reads it: round trips, the architecture line computed here by hand, class names, every reader
error, a layer kind defined only in this file (read, written and emitted through the registry), the
format-3 header layout, and class names from scikit-learn.

    python3 test_model_file.py --tools DIR
"""

import argparse
import os
import re
import sys
import unittest
import warnings

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--tools", required=True)
options, rest = parser.parse_known_args()
sys.path.insert(0, options.tools)
import ctnn_interop as ci  # noqa: E402

warnings.filterwarnings("ignore")


def fnv1a_by_hand(text):
    """FNV-1a 64 from its definition, written out here: not the package's function."""
    h = 14695981039346656037
    for byte in text.encode("ascii"):
        h ^= byte
        h = (h * 1099511628211) % (1 << 64)
    return h


def small_model(dtype=np.float32, class_names=None):
    return ci.Model(dtype, [ci.StandardizeLayer([0.5, -1.0], [2.0, 0.25]),
                            ci.DenseLayer([[1.0, -2.0], [0.5, 0.0], [3.0, 1.5]], [0.1, 0.2, 0.3], "sigmoid"),
                            ci.DenseLayer([[1.0, 2.0, -1.0]], [0.0], "sigmoid")], class_names)


class ScaleLayer(ci.Layer):
    """A layer kind that ctnn does not have, for this test only: y = x * factor + offset, element-wise
    over any shape, with two key=value fields. Read, written and emitted through the registry alone."""

    kind = "Scale"
    header = "test_scale.hpp"
    value_names = ("factors",)

    def __init__(self, shape, factors, offset):
        self.input_shape = self.output_shape = tuple(shape)
        self.factors = np.asarray(factors).reshape(-1)
        self.offset = offset

    def fields(self):
        return [f"offset={self.offset}", "mode=multiply"]

    @classmethod
    def stored_value_count(cls, input_shape, output_shape, fields):
        if input_shape != output_shape or len(fields) != 2 or not re.fullmatch(r"offset=-?\d+", fields[0]) or \
                fields[1] != "mode=multiply":
            raise ValueError("a Scale layer keeps its shape and has the fields offset=<integer> mode=multiply")
        return int(np.prod(input_shape))

    @classmethod
    def from_values(cls, input_shape, output_shape, fields, values):
        return cls(input_shape, values, int(fields[0].split("=")[1]))

    def forward(self, x):
        return x * self.factors + self.factors.dtype.type(self.offset)

    def cpp_type(self, scalar):
        return f"test::Scale<ctnn::Shape<{', '.join(map(str, self.input_shape))}>, {self.offset}, {scalar}>"


class FormatThree(unittest.TestCase):
    def test_the_tools_write_the_version_of_one_constant(self):
        self.assertIn(ci.FORMAT_VERSION, (2, 3))
        self.assertTrue(ci.model_text(small_model()).startswith(f"ctnn-model {ci.FORMAT_VERSION}\n"))
        self.assertEqual(ci.READ_VERSIONS, (2, 3))

    def test_the_architecture_line_of_a_small_model_computed_by_hand(self):
        text = ci.model_text(small_model(), version=3)
        covered = ("scalar float\n"
                   "layers 3\n"
                   "layer 1 Standardize 2 2\n"
                   "layer 2 Dense 2 3 sigmoid\n"
                   "layer 3 Dense 3 1 sigmoid\n")
        self.assertTrue(text.startswith("ctnn-model 3\n" + covered + f"architecture {fnv1a_by_hand(covered):016x}\n"
                                        "parameters 17\n"), text[:300])
        self.assertEqual(ci.architecture_fingerprint(small_model()), fnv1a_by_hand(covered))
        # The values do not change it; the scalar type, an activation or a shape does.
        other_values = small_model()
        other_values.layers[1].weights[0, 0] = 7
        self.assertEqual(ci.architecture_fingerprint(other_values), fnv1a_by_hand(covered))
        self.assertNotEqual(ci.architecture_fingerprint(small_model(np.float64)), fnv1a_by_hand(covered))
        tanh = small_model()
        tanh.layers[2].activation = "tanh"
        self.assertNotEqual(ci.architecture_fingerprint(tanh), fnv1a_by_hand(covered))

    def test_version_2_and_3_differ_in_their_head_only(self):
        model = small_model(class_names=["benign", "malignant"])
        two, three = ci.model_text(model, version=2), ci.model_text(model, version=3)
        self.assertTrue(two.startswith("ctnn-model 2\nscalar float\n"))
        self.assertNotIn("architecture", two)
        self.assertNotIn("classes", two)  # version 2 has no place for them
        self.assertEqual(two.split("parameters ")[1], three.split("parameters ")[1])
        self.assertIn("\nclasses 2 benign malignant\nparameters 17\n", three)

    def test_round_trips(self):
        names = ["a cat", "100%", "naïve", "quote\"back\\slash", "tab\there", "x" * 40]
        models = [small_model(), small_model(np.float64, ["no", "yes"]),
                  ci.Model(np.float64, [ci.DenseLayer(np.ones((6, 2)), np.arange(6.0), "softmax")], names),
                  ci.Model(np.float32, [ci.DenseLayer(np.ones((3, 2)), np.zeros(3), "leaky_relu(1/100)")])]
        for model in models:
            for version in (2, 3):
                with self.subTest(version=version, classes=model.class_names):
                    text = ci.model_text(model, version)
                    back = ci.parse_model_text(text)
                    self.assertEqual(ci.model_text(back, version), text)
                    self.assertEqual(back.class_names, model.class_names if version == 3 else None)
                    self.assertEqual(ci.fingerprint(back.values()), model.fingerprint())

    def test_class_names_are_percent_encoded(self):
        encoded = {"a cat": "a%20cat", "100%": "100%25", "naïve": "na%C3%AFve", "tab\there": "tab%09here",
                   "quote\"": "quote\""}
        for name, token in encoded.items():
            self.assertEqual(ci.encode_class_name(name), token)
            self.assertEqual(ci.decode_class_name(token), name)
        for token, why in (("a%2", "two uppercase hex digits"), ("a%2f", "two uppercase hex digits"),
                           ("%41", "%41 encodes 'A', which is written as itself")):
            with self.assertRaisesRegex(ValueError, re.escape(why)):
                ci.decode_class_name(token)

    def test_what_a_reader_refuses(self):
        text = ci.model_text(small_model(class_names=["benign", "malignant"]), version=3)

        def refused(changed, line, why):
            with self.assertRaises(ci.ConversionError) as caught:
                ci.parse_model_text(changed)
            self.assertIn(f"line {line}: {why}", str(caught.exception))

        refused(text.replace("layer 3 Dense 3 1 sigmoid", "layer 3 Dense 3 1 tanh"), 7,
                "the architecture line does not match the layer lines: the file says")
        refused(text.replace("architecture ", "architecture 0"), 7, "architecture: expected 16 lowercase hex digits")
        refused(text.replace("classes 2 benign malignant", "classes 3 benign malignant"), 8,
                'expected "classes <count> <name> ..." with as many names as the count')
        refused(text.replace("classes 2 benign malignant", "classes 3 a b c"), 8,
                "classes: 3 class names for 1 output: expected 2 (a single output's two classes, output < 0.5 first)")
        refused(text.replace("classes 2 benign malignant", "classes 2 benign mal%69gnant"), 8,
                "classes: %69 encodes 'i', which is written as itself")
        refused(text.replace("layer 2 Dense 2 3 sigmoid", "layer 2 Dense 2 03 sigmoid"), 5,
                'expected "layer 2 <kind> <input shape> <output shape> ...", found "layer 2 Dense 2 03 sigmoid"')
        refused(text.replace("layer 2 Dense 2 3 sigmoid", "layer 2 Dense 2 3x1 sigmoid"), 5,
                "layer 2: a Dense layer has input and output shapes of one dimension")
        refused(text.replace("layer 2 Dense 2 3 sigmoid", "layer 2 Conv9D 2 3 sigmoid"), 5,
                'layer 2: unknown layer kind "Conv9D" (this reads AvgPool2D, Conv1D, Conv2D, Dense, Flatten, GRU, '
                'GlobalAvgPool2D, LSTM, LastStep, MaxPool2D, PReLU, Standardize, TimeDistributed)')
        refused(text.replace("ctnn-model 3", "ctnn-model 4"), 1,
                "format version 4 was written by a newer ctnn; this reads versions 2 and 3")

    def test_a_file_without_classes_still_reads(self):
        text = ci.model_text(small_model(class_names=["benign", "malignant"]), version=3)
        model = ci.parse_model_text(text.replace("classes 2 benign malignant\n", ""))
        self.assertIsNone(model.class_names)

    def test_class_names_must_fit_the_outputs(self):
        with self.assertRaisesRegex(ci.ConversionError, "3 class names for 1 output: expected 2"):
            small_model(class_names=["a", "b", "c"])
        with self.assertRaisesRegex(ci.ConversionError, "a class name is empty"):
            small_model(class_names=["a", ""])


class TheFormatPage(unittest.TestCase):
    """docs/model_file.md's example is a file the reader takes and the writer gives back byte for byte."""

    def test_the_example_reads_and_writes_back(self):
        page = open(os.path.join(options.tools, os.pardir, "docs", "model_file.md"), encoding="utf-8").read()
        example = page.split("## An example (version 3)")[1].split("```\n")[1]
        model = ci.parse_model_text(example, "docs/model_file.md")
        self.assertEqual(ci.model_text(model, version=3), example)
        self.assertEqual(model.class_names, ["benign", "malignant tumour"])
        covered = example.split("\n", 1)[1].split("architecture")[0]
        self.assertEqual(len(covered), 99)
        self.assertIn(f"FNV-1a over the {len(covered)} bytes", page)
        self.assertIn(f"std::uint64_t{{0x{model.fingerprint():016x}}}", page)
        self.assertIn(f"std::uint64_t{{0x{ci.architecture_fingerprint(model):016x}}}", page)


class ValueText(unittest.TestCase):
    """Values are read as std::from_chars reads them: rounded once to the type, and out of range when
    they round to infinity, or to zero without being zero."""

    def float_bits(self, text):
        return int(ci.bits(np.array([ci.parse_value(text, np.float32)]))[0])

    def test_a_float_is_rounded_once(self):
        # 1 + 2^-24 is the midpoint between the floats 1 and 1 + 2^-23; a decimal a hair above it is
        # nearer to 1 + 2^-23, though the double nearest to it is the midpoint itself (ties to even: 1).
        midpoint = "1.000000059604644775390625"
        self.assertEqual(self.float_bits(midpoint), 0x3F800000)
        self.assertEqual(self.float_bits(midpoint + "0000000001"), 0x3F800001)
        self.assertEqual(self.float_bits("1.0000000596046447753906249999999999"), 0x3F800000)
        self.assertEqual(self.float_bits("-" + midpoint + "0000000001"), 0xBF800001)

    def test_out_of_range(self):
        for text, dtype in (("1e-400", np.float64), ("2e-324", np.float64), ("7e-46", np.float32),
                            ("1e39", np.float32), ("1e309", np.float64)):
            with self.subTest(text), self.assertRaisesRegex(ValueError, "out of the range"):
                ci.parse_value(text, dtype)
        self.assertEqual(ci.parse_value("3e-324", np.float64), np.float64(5e-324))  # the smallest subnormal
        self.assertEqual(ci.parse_value("0e-999", np.float32), 0)

    def test_spellings(self):
        for text in ("1.5", "15e-1", ".5", "5.", "1E5", "infinity", "-INF"):
            ci.parse_value(text, np.float64)
        for text in ("+1", "nan", "-nan", "0x1p3", " 1", "1 ", "1,5", "nan:0x7ff8", "nan:0x3ff0000000000000"):
            with self.subTest(text), self.assertRaises(ValueError):
                ci.parse_value(text, np.float64)


class ALayerKindFromOutside(unittest.TestCase):
    """A kind registered by this test: the reader, writer, predict and header take it with no edit."""

    @classmethod
    def setUpClass(cls):
        ci.register_layer_kind(ScaleLayer)

    @classmethod
    def tearDownClass(cls):
        del ci.LAYER_KINDS["Scale"]

    def model(self):
        return ci.Model(np.float64, [ci.StandardizeLayer([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 4.0, 8.0]),
                                     ScaleLayer((4,), [0.5, -1.0, 2.0, 0.25], -3),
                                     ci.DenseLayer(np.arange(8.0).reshape(2, 4) / 8, [0.0, 1.0], "relu")])

    def test_it_round_trips_in_format_3_with_its_fields(self):
        image = ci.Model(np.float32, [ScaleLayer((2, 3, 1), np.arange(6.0), 7)])
        text = ci.model_text(image, version=3)
        self.assertIn("\nlayer 1 Scale 2x3x1 2x3x1 offset=7 mode=multiply\n", text)
        back = ci.parse_model_text(text)
        self.assertEqual(back.input_shape, (2, 3, 1))
        self.assertEqual(ci.model_text(back, version=3), text)
        np.testing.assert_array_equal(back.predict(np.ones((1, 6))), [[7, 8, 9, 10, 11, 12]])
        with self.assertRaisesRegex(ci.ConversionError, r"layer 1: a Scale layer keeps its shape"):
            ci.parse_model_text(text.replace("offset=7", "offset=seven"))

    def test_format_2_has_no_place_for_it(self):
        with self.assertRaisesRegex(ci.ConversionError, r"layer 2 \(Scale 4 -> 4\) needs model file format 3"):
            ci.model_text(self.model(), version=2)

    def test_shapes_must_chain(self):
        with self.assertRaisesRegex(ci.ConversionError, "layer 2 takes 6 inputs but layer 1 gives 2x3"):
            ci.Model(np.float64, [ScaleLayer((2, 3), np.ones(6), 0), ci.DenseLayer(np.ones((1, 6)), [0.0], "linear")])

    def test_its_header_line_is_layer_from_values(self):
        header = ci.model_header(self.model(), "scaled", version=3)
        self.assertIn("    ctnn::layer_from_values<test::Scale<ctnn::Shape<4>, -3, double>>({  // layer 2, 4 values\n"
                      "        0x1.0000000000000p-1, -0x1.0000000000000p+0, 0x1.0000000000000p+1, "
                      "0x1.0000000000000p-2\n    }),\n", header)
        self.assertIn("#include <ctnn/dense.hpp>\n#include <ctnn/fingerprint.hpp>\n#include <ctnn/standardize.hpp>\n"
                      "#include <test_scale.hpp>\n", header)
        with self.assertRaisesRegex(ci.ConversionError, "needs the format 3 layout"):
            ci.model_header(self.model(), "scaled", version=2)


class HeaderLayouts(unittest.TestCase):
    def test_format_3_header(self):
        model = small_model(class_names=["benign", "mal\"ig\\nant"])
        header = ci.model_header(model, "cancer", version=3)
        lines = header.split("\n")
        includes = [line for line in lines if line.startswith("#include")]
        self.assertEqual(includes, ["#include <bit>", "#include <cstdint>", "#include <string_view>",
                                    "#include <ctnn/dense.hpp>", "#include <ctnn/fingerprint.hpp>",
                                    "#include <ctnn/standardize.hpp>"])
        self.assertNotIn("ctnn/ctnn.hpp", header)
        self.assertIn("inline constexpr std::string_view cancer_class_names[] = {\"benign\", \"mal\\\"ig\\\\nant\"};",
                      header)
        self.assertIn(f"static_assert(ctnn::parameter_fingerprint(cancer) == std::uint64_t{{0x{model.fingerprint():016x}}},"
                      "\n              \"ctnn: cancer must have the parameters it was generated from\");", header)
        self.assertIn("static_assert(ctnn::architecture_fingerprint(cancer) == "
                      f"std::uint64_t{{0x{ci.architecture_fingerprint(model):016x}}},\n"
                      "              \"ctnn: cancer must have the architecture it was generated from\");", header)
        # Dense and Standardize keep their aggregate initializers.
        self.assertIn("    ctnn::Standardize<2, float>{\n        {{  // layer 1 mean\n            0x1p-1f, -0x1p+0f\n",
                      header)
        leaky = ci.Model(np.float32, [ci.DenseLayer(np.ones((1, 2)), [0.0], "leaky_relu(1/100)")])
        self.assertIn("#include <ratio>", ci.model_header(leaky, "leaky", version=3))

    def test_class_names_as_cpp_literals(self):
        self.assertEqual(ci.cpp_string_literal("naïve \"q\" \\"), '"na\\303\\257ve \\"q\\" \\\\"')
        self.assertEqual(ci.cpp_string_literal("a\nb7"), '"a\\012b7"')

    def test_format_2_header_is_ctnn_0_2s(self):
        header = ci.model_header(small_model(class_names=["no", "yes"]), "cancer", version=2)
        self.assertIn("#include <ctnn/ctnn.hpp>\n#include <ctnn/standardize.hpp>\n", header)
        self.assertIn("static_assert(parameter_fingerprint(cancer) == ", header)
        self.assertNotIn("architecture", header)
        self.assertNotIn("class_names", header)


class ScikitLearnClassNames(unittest.TestCase):
    def test_classifiers_carry_their_classes(self):
        from sklearn.neural_network import MLPClassifier, MLPRegressor

        x = np.random.default_rng(1).normal(size=(60, 3))
        labels = np.array(["setosa", "versicolor", "virginica"])[np.arange(60) % 3]
        cases = {
            "multiclass": (MLPClassifier((4,), max_iter=30, random_state=0).fit(x, labels),
                           ["setosa", "versicolor", "virginica"]),
            "binary_text": (MLPClassifier((4,), max_iter=30, random_state=0).fit(x, labels == "setosa"),
                            ["False", "True"]),
            "binary_float_labels": (MLPClassifier((4,), max_iter=30, random_state=0).fit(x, (x[:, 0] > 0) * 1.0),
                                    ["0", "1"]),
            "multilabel": (MLPClassifier((4,), max_iter=30, random_state=0).fit(x, np.stack([x[:, 0] > 0,
                                                                                              x[:, 1] > 0], 1)), None),
            "regressor": (MLPRegressor((4,), max_iter=30, random_state=0).fit(x, x[:, 0]), None),
        }
        for name, (estimator, expected) in cases.items():
            with self.subTest(name):
                model = ci.from_sklearn(estimator)[0]
                self.assertEqual(model.class_names, expected)
                if expected:
                    self.assertIn(f"\nclasses {len(expected)} {' '.join(expected)}\n", ci.model_text(model, 3))


if __name__ == "__main__":
    program = unittest.main(argv=[sys.argv[0], *rest], exit=False, verbosity=2, warnings="ignore")
    sys.exit(0 if program.result.wasSuccessful() else 1)
