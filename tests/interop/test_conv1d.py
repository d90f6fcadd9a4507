"""interop.conv1d: ctnn_interop's sequence layers (tools/ctnn_interop/conv1d.py). A PyTorch
Sequential of Conv1d (causal through ConstantPad1d, dilated, grouped, strided, 'same'), ELU and
PReLU converts and computes PyTorch's outputs; the model file round-trips; the Python model of
tests/unit/conv1d_emitted_source.hpp has the fingerprints ctnn::emit_header wrote into
tests/unit/conv1d_emitted_model.hpp (the same field tokens and value order as the C++ layers); and
what does not convert is refused naming the module.

    /usr/bin/python3 tests/interop/test_conv1d.py --tools tools
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
from ctnn_interop import conv1d as seq  # noqa: E402

warnings.filterwarnings("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))


def spread(k):
    """tests/unit/bit_helpers.hpp's spread(k): a multiple of 2^-20 in [-1, 1)."""
    s = ((k + 1) * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    return float((s >> 43) - (1 << 20)) * 2.0**-20


def torch_model(dtype):
    import torch

    nn = torch.nn
    torch.manual_seed(3)
    return nn.Sequential(nn.ConstantPad1d((4, 0), 0.0), nn.Conv1d(2, 4, 3, dilation=2), nn.ELU(0.5), nn.PReLU(4),
                         nn.Conv1d(4, 4, 3, groups=2, padding="same"), nn.Tanh(), nn.Dropout(0.1),
                         nn.Conv1d(4, 2, 2, stride=2, bias=False)).to(dtype)


class TorchSequences(unittest.TestCase):
    def test_pytorch_conv1d_elu_prelu_convert_and_compute_the_same(self):
        import torch

        for torch_type, tolerance in ((torch.float64, 1e-12), (torch.float32, 1e-5)):
            model, reference = seq.from_torch_sequence(torch_model(torch_type), steps=9)
            self.assertEqual(model.input_shape, (9, 2))
            self.assertEqual(model.output_shape, (4, 2))
            x = np.random.default_rng(1).uniform(-2, 2, (50, 18)).astype(model.dtype)
            worst = np.max(np.abs(model.predict(x) - reference(x)))
            self.assertLess(worst, tolerance, f"{torch_type}: worst difference {worst}")

    def test_the_model_file_and_header_name_every_option(self):
        import torch

        model, _ = seq.from_torch_sequence(torch_model(torch.float64), steps=9)
        text = ci.model_text(model)
        self.assertIn("\nlayer 1 Conv1D 9x2 9x4 elu(1/2) kernel=3 stride=1 dilation=2 groups=1 padding=causal "
                      "bias=yes\n", text)
        self.assertIn("\nlayer 2 PReLU 9x4 9x4 slopes=4\n", text)
        self.assertIn("\nlayer 4 Conv1D 9x4 4x2 linear kernel=2 stride=2 dilation=1 groups=1 padding=valid "
                      "bias=no\n", text)
        again = ci.parse_model_text(text)
        self.assertEqual(again.fingerprint(), model.fingerprint())
        self.assertEqual(ci.model_text(again), text)
        header = ci.model_header(model, "seq_model")
        self.assertIn("#include <ctnn/conv1d.hpp>", header)
        self.assertIn("ctnn::Conv1D<9, 2, 4, 3, ctnn::ELU<std::ratio<1, 2>>, ctnn::Conv1DOptions{.stride = 1, "
                      ".dilation = 2, .groups = 1, .padding = ctnn::Padding::causal, .bias = true}, double>", header)

    def test_unsupported_modules_are_named(self):
        import torch

        nn = torch.nn
        cases = [
            (nn.Sequential(nn.Conv1d(2, 2, 3, padding=1)), "module 1 of the Sequential (\"0\": Conv1d("),
            (nn.Sequential(nn.ConstantPad1d((2, 1), 0.0), nn.Conv1d(2, 2, 3)), "only zeros on the left"),
            (nn.Sequential(nn.ConstantPad1d((3, 0), 0.0), nn.Conv1d(2, 2, 3)), "converts only as causal padding"),
            (nn.Sequential(nn.Conv1d(2, 2, 3), nn.GRU(2, 2)), "module 2 of the Sequential (\"1\": GRU("),
            (nn.Sequential(nn.Tanh()), "does not follow a Conv1d"),
        ]
        for module, message in cases:
            with self.assertRaises(ci.ConversionError) as caught:
                seq.from_torch_sequence(module.double(), steps=9)
            self.assertIn(message, str(caught.exception))


class SameAsCpp(unittest.TestCase):
    def test_the_python_layers_have_the_fingerprints_emit_header_wrote(self):
        k = iter(range(10**6))

        def values(*shape):
            return np.array([spread(next(k)) for _ in range(int(np.prod(shape)))]).reshape(shape)

        layers = [seq.Conv1DLayer(9, values(4, 1, 3), values(4), "elu(1/2)", dilation=2, groups=2, padding="causal")]
        layers.append(seq.PReLULayer((9, 4), values(4)))
        layers.append(seq.Conv1DLayer(9, values(3, 4, 2), None, "tanh", stride=2, padding="same"))
        w, b = values(2, 3), values(2)
        layers.append(seq.TimeDistributedLayer(5, w, b, "elu"))
        layers.append(seq.PReLULayer((5, 2), values(1)))
        model = ci.Model(np.float64, layers)
        with open(os.path.join(HERE, "..", "unit", "conv1d_emitted_model.hpp")) as f:
            header = f.read()
        parameters = re.search(r"parameter_fingerprint\(conv1d_emitted\) == std::uint64_t\{0x([0-9a-f]+)\}", header)
        architecture = re.search(r"architecture_fingerprint\(conv1d_emitted\) == std::uint64_t\{0x([0-9a-f]+)\}",
                                 header)
        self.assertEqual(model.fingerprint(), int(parameters.group(1), 16))
        self.assertEqual(ci.architecture_fingerprint(model), int(architecture.group(1), 16))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], *rest])
