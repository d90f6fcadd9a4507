"""interop.recurrent: ctnn's GRU, LSTM and LastStep in Python (ctnn_interop.recurrent): a model file
written by ctnn::model_text (recurrent_model.ctnn: GRU 4x2 -> 3 every step, LSTM 3 every step,
LastStep, Dense 3 -> 1, initialised with RecurrentUniform from Seed{3}) loads, round-trips byte for
byte and predicts ctnn's outputs; nn.GRU and nn.LSTM (stacked, batch_first both ways, bias or not)
convert to ctnn layers that compute PyTorch's outputs, and back.

    python3 test_recurrent.py --tools DIR
"""

import argparse
import os
import sys
import unittest

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--tools", required=True)
options, rest = parser.parse_known_args()
sys.path.insert(0, options.tools)
import ctnn_interop as ci  # noqa: E402
from ctnn_interop import recurrent  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# What ctnn's predict gave for the model file's network (tests/interop/recurrent_model.ctnn).
INPUTS = [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], [-0.5, 0.25, 1.0, -1.0, 0.0, 0.5, -0.25, 0.75]]
CTNN_OUTPUTS = [float.fromhex("0x1.67a0dd223f5e6p-1"), float.fromhex("0x1.616440537b878p-1")]


class ModelFile(unittest.TestCase):
    def test_loads_round_trips_and_predicts(self):
        path = os.path.join(HERE, "recurrent_model.ctnn")
        with open(path) as f:
            text = f.read()
        model = ci.parse_model_text(text, path)
        kinds = [layer.kind for layer in model.layers]
        self.assertEqual(kinds, ["GRU", "LSTM", "LastStep", "Dense"])
        self.assertEqual(ci.model_text(model), text)
        y = model.predict(np.array(INPUTS))
        # NumPy's exp and tanh are not ctnn's: a few ulps apart.
        np.testing.assert_allclose(y[:, 0], CTNN_OUTPUTS, rtol=1e-13, atol=1e-15)
        self.assertIn("ctnn::GRU<4, 2, 3, true, double>", model.cpp_type())
        self.assertIn("ctnn::LastStep<4, 3, double>", model.cpp_type())

    def test_a_line_that_does_not_match_its_shapes_is_refused(self):
        with self.assertRaises(ValueError):
            recurrent.GRULayer.stored_value_count((4, 2), (3,), ["hidden=3", "steps=4", "return_sequences=true"])
        with self.assertRaises(ValueError):
            recurrent.LSTMLayer.stored_value_count((4, 2), (4, 3), ["hidden=3", "steps=5", "return_sequences=true"])
        fields = ["hidden=3", "steps=4", "return_sequences=false"]
        self.assertEqual(recurrent.GRULayer.stored_value_count((4, 2), (3,), fields), 9 * 2 + 9 * 3 + 18)


class Torch(unittest.TestCase):
    def setUp(self):
        try:
            import torch  # noqa: F401
        except ImportError:
            self.skipTest("no torch")

    def check(self, module, steps, batch_first):
        import torch

        torch.manual_seed(1)
        module = module.double().eval()
        layers = recurrent.from_torch_recurrent(module, steps, return_sequences=True)
        model = ci.Model(np.float64, layers)
        x = np.random.default_rng(2).uniform(-1, 1, (5, steps, module.input_size))
        with torch.no_grad():
            tx = torch.from_numpy(x if batch_first else x.transpose(1, 0, 2).copy())
            out = module(tx)[0].numpy()
        if not batch_first:
            out = out.transpose(1, 0, 2)
        y = model.predict(x.reshape(5, -1))
        np.testing.assert_allclose(y, out.reshape(5, -1), rtol=1e-12, atol=1e-14)
        back = recurrent.to_torch_recurrent(layers, batch_first=True)
        for name, tensor in module.named_parameters():
            np.testing.assert_array_equal(getattr(back, name).detach().numpy(), tensor.detach().numpy())

    def test_gru(self):
        import torch

        self.check(torch.nn.GRU(3, 5, num_layers=2, batch_first=True), 7, True)
        self.check(torch.nn.GRU(2, 4, batch_first=False), 6, False)

    def test_lstm(self):
        import torch

        self.check(torch.nn.LSTM(3, 5, num_layers=3, batch_first=True), 7, True)
        self.check(torch.nn.LSTM(2, 4, batch_first=False), 6, False)

    def test_without_bias(self):
        import torch

        module = torch.nn.GRU(2, 3, bias=False, batch_first=True).double()
        layers = recurrent.from_torch_recurrent(module, 4)
        self.assertTrue(np.all(layers[0].bias_ih == 0))
        self.assertEqual(layers[0].output_shape, (3,))

    def test_unsupported(self):
        import torch

        with self.assertRaises(ci.ConversionError):
            recurrent.from_torch_recurrent(torch.nn.GRU(2, 3, bidirectional=True), 4)
        with self.assertRaises(ci.ConversionError):
            recurrent.from_torch_recurrent(torch.nn.LSTM(2, 3, proj_size=2), 4)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], *rest])
