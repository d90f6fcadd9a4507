"""interop.property_header: ctnn_interop.property_header writes a header whose static_assert proves a
property with ctnn::verify. The model is y = |x0 - x1| (relu(x0 - x1) + relu(x1 - x0)), whose range
over a box is known by hand; a property that holds must compile, one that a known input violates must
fail to compile with the header's message.

    python3 test_property_header.py --tools DIR --include DIR --compiler CXX
"""

import argparse
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--tools", required=True)
parser.add_argument("--include", required=True, help="ctnn's include directory")
parser.add_argument("--compiler", default="g++")
options, rest = parser.parse_known_args()
sys.path.insert(0, options.tools)
import ctnn_interop as ci  # noqa: E402
from ctnn_interop import property_header  # noqa: E402


def absolute_difference(dtype):
    return ci.Model(dtype, [ci.DenseLayer([[1.0, -1.0], [-1.0, 1.0]], [0.0, 0.0], "relu"),
                            ci.DenseLayer([[1.0, 1.0]], [0.0], "linear")])


def arguments(**given):
    args = argparse.Namespace(property=None, box=None, violation=None, property_out=None, max_pieces=2000)
    for key, value in given.items():
        setattr(args, key, value)
    return args


class PropertyHeader(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.dir = self.directory.name

    def tearDown(self):
        self.directory.cleanup()

    def export(self, dtype, **given):
        model = absolute_difference(dtype)
        header = os.path.join(self.dir, "absdiff.hpp")
        with open(header, "w") as f:
            f.write(ci.model_header(model, "absdiff"))
        return property_header.run(arguments(**given), model, "absdiff", header)

    def compile(self, header):
        source = os.path.join(self.dir, "main.cpp")
        with open(source, "w") as f:
            f.write(f"#include \"{os.path.basename(header)}\"\nint main() {{}}\n")
        return subprocess.run([options.compiler, "-std=c++20", "-fsyntax-only", "-I", options.include, "-I", self.dir,
                               source], capture_output=True, text=True)

    def test_a_property_that_holds_compiles(self):
        # |x0 - x1| <= 1 on [0, 1]^2: never >= 1.25.
        for dtype in (np.float64, np.float32):
            written = self.export(dtype, box="0:1,0:1", violation="(>= Y_0 1.25)")
            self.assertTrue(written.endswith("absdiff_property.hpp"))
            result = self.compile(written)
            self.assertEqual(result.returncode, 0, result.stderr[-3000:])

    def test_a_violated_property_fails_with_the_message(self):
        # (1, 0) gives 1 >= 0.75.
        written = self.export(np.float64, box="0:1,0:1", violation="(>= Y_0 0.75)")
        result = self.compile(written)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("region 0 of the property must be proven", result.stderr)

    def test_a_vnnlib_file_with_two_regions(self):
        # In [0, 0.5]^2 and in [0.5, 1]^2, |x0 - x1| <= 0.5 < 0.6: holds. With [0, 1] x [0, 0.25] as
        # the second region, (1, 0) gives 1 >= 0.6: region 1 is violated, region 0 still proven.
        head = ["(declare-const X_0 Real)", "(declare-const X_1 Real)", "(declare-const Y_0 Real)",
                "(assert (or (and (>= X_0 0) (<= X_0 0.5) (>= X_1 0) (<= X_1 0.5))"]
        second = {True: "            (and (>= X_0 0.5) (<= X_0 1) (>= X_1 0.5) (<= X_1 1))))",
                  False: "            (and (>= X_0 0) (<= X_0 1) (>= X_1 0) (<= X_1 0.25))))"}
        for holds in (True, False):
            path = os.path.join(self.dir, "prop.vnnlib")
            with open(path, "w") as f:
                f.write("\n".join(head + [second[holds], "(assert (>= Y_0 0.6))"]) + "\n")
            written = self.export(np.float64, property=path)
            with open(written) as f:
                self.assertEqual(f.read().count("static_assert(ctnn::verify"), 2)
            result = self.compile(written)
            if holds:
                self.assertEqual(result.returncode, 0, result.stderr[-3000:])
            else:
                self.assertIn("region 1 of the property must be proven", result.stderr)
                self.assertNotIn("region 0 of the property", result.stderr)

    def test_a_float_box_is_widened_outward(self):
        # 0.1 and 0.3 are not floats: the float box must contain [0.1, 0.3].
        model = absolute_difference(np.float32)
        regions = property_header.property_regions(arguments(box="0.1:0.3,0.1:0.3", violation="(>= Y_0 1)"), 2, 1)
        text = property_header.property_header_text(model, "absdiff", "absdiff.hpp", regions, 10)
        lower, upper = np.float32(0.1), np.float32(0.3)
        lower = lower if float(lower) <= 0.1 else np.nextafter(lower, np.float32(-1))
        upper = upper if float(upper) >= 0.3 else np.nextafter(upper, np.float32(1))
        self.assertLessEqual(float(lower), 0.1)
        self.assertGreaterEqual(float(upper), 0.3)
        self.assertIn(f"{{{{{float(lower).hex()}f, {float(lower).hex()}f}}, "
                      f"{{{float(upper).hex()}f, {float(upper).hex()}f}}}}", text)

    def test_bad_arguments_are_refused(self):
        model = absolute_difference(np.float64)
        header = os.path.join(self.dir, "absdiff.hpp")
        for given, message in ((dict(box="0:1", violation="(>= Y_0 1)"), "expected 2 LO:HI pairs"),
                               (dict(box="0:1,1:0", violation="(>= Y_0 1)"), "LO <= HI"),
                               (dict(box="0:1,0:1"), "--box and --violation go together"),
                               (dict(box="0:1,0:1", violation="(>= Y_0 1)", max_pieces=0), "--max-pieces 0")):
            with self.assertRaises(ci.ConversionError) as caught:
                property_header.run(arguments(**given), model, "absdiff", header)
            self.assertIn(message, str(caught.exception))
        path = os.path.join(self.dir, "open.vnnlib")
        with open(path, "w") as f:
            f.write("(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n"
                    "(assert (>= X_0 0))\n(assert (>= Y_0 1))\n")
        with self.assertRaises(ci.ConversionError) as caught:
            property_header.run(arguments(property=path), model, "absdiff", header)
        self.assertIn("no finite bounds", str(caught.exception))
        self.assertIsNone(property_header.run(arguments(), model, "absdiff", header))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]] + rest)
