"""interop.cli_sequences: ctnn-export --steps and ctnn-import on the command line for PyTorch
sequence models: nn.GRU / nn.LSTM inside an nn.Sequential (with ctnn_interop.recurrent.SequenceOutput
after them), a bare nn.GRU, and Conv1d stacks; the converted models compute PyTorch's outputs on
fresh inputs, go back to PyTorch bit for bit, and the refusals name the problem.

    python3 test_cli_sequences.py --tools DIR
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
options, rest = parser.parse_known_args()
sys.path.insert(0, options.tools)
import ctnn_interop as ci  # noqa: E402

try:
    import torch
except ImportError:
    torch = None


def run(tool, *arguments):
    return subprocess.run([sys.executable, os.path.join(options.tools, tool), *arguments], capture_output=True,
                          text=True)


@unittest.skipIf(torch is None, "no torch")
class Sequences(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.TemporaryDirectory()
        self.addCleanup(self.work.cleanup)
        torch.manual_seed(3)
        from ctnn_interop.recurrent import sequence_output_class

        self.SequenceOutput = sequence_output_class()

    def path(self, name):
        return os.path.join(self.work.name, name)

    def export(self, module, steps, out, *extra):
        source = self.path("model.pt")
        torch.save(module, source)
        done = run("ctnn-export", source, "--steps", str(steps), "-o", self.path(out), *extra)
        return done

    def compare(self, module, model, steps, inputs, batch_first=True, tolerance=1e-12):
        """ctnn's NumPy predict of the model file against the module on random sequences (fed time-major
        when batch_first is false; SequenceOutput gives batch-first outputs either way)."""
        x = np.random.default_rng(5).uniform(-1.5, 1.5, (7, steps, inputs)).astype(model.dtype)
        with torch.no_grad():
            tx = torch.from_numpy(x if batch_first else np.ascontiguousarray(x.transpose(1, 0, 2)))
            expected = module.eval()(tx).numpy()
        got = model.predict(x.reshape(7, -1))
        scale = np.maximum(1.0, np.abs(expected.reshape(7, -1)))
        worst = float(np.max(np.abs(got - expected.reshape(7, -1)) / scale))
        self.assertLessEqual(worst, tolerance)

    def test_stacked_gru_last_step_with_a_head_exports_with_check(self):
        module = torch.nn.Sequential(torch.nn.GRU(2, 5, num_layers=2, batch_first=True),
                                     self.SequenceOutput(last_step=True), torch.nn.Linear(5, 3), torch.nn.Tanh(),
                                     torch.nn.Linear(3, 1))
        done = self.export(module, 6, "gru.hpp", "--check", "20")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("ctnn::GRU<6, 2, 5, true, float>, ctnn::GRU<6, 5, 5, false, float>", done.stderr)
        with open(self.path("gru.hpp")) as f:
            self.assertIn("static_assert", f.read())
        done = self.export(module, 6, "gru.ctnn")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.compare(module, ci.load(self.path("gru.ctnn")), 6, 2, tolerance=2e-6)

    def test_lstm_every_step_time_major_without_bias_goes_there_and_back(self):
        module = torch.nn.Sequential(torch.nn.LSTM(3, 4, bias=False), self.SequenceOutput(False, batch_first=False),
                                     torch.nn.Linear(4, 2)).double()
        done = self.export(module, 5, "lstm.ctnn")
        self.assertEqual(done.returncode, 0, done.stderr)
        model = ci.load(self.path("lstm.ctnn"))
        self.assertEqual(model.cpp_type(), "ctnn::Network<ctnn::LSTM<5, 3, 4, true, double>, "
                         "ctnn::TimeDistributed<ctnn::Dense<4, 2, ctnn::Identity, double>, 5>>")
        self.compare(module, model, 5, 3, batch_first=False)
        done = run("ctnn-import", self.path("lstm.ctnn"), "-o", self.path("back.pt"))
        self.assertEqual(done.returncode, 0, done.stderr)
        back = torch.load(self.path("back.pt"), weights_only=False)
        self.compare(back, model, 5, 3, batch_first=True)
        done = run("ctnn-export", self.path("back.pt"), "--steps", "5", "-o", self.path("again.ctnn"))
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(self.path("lstm.ctnn"), "rb") as a, open(self.path("again.ctnn"), "rb") as b:
            self.assertEqual(a.read(), b.read())

    def test_a_bare_gru_gives_every_step(self):
        module = torch.nn.GRU(2, 3, batch_first=True).double()
        done = self.export(module, 4, "bare.ctnn")
        self.assertEqual(done.returncode, 0, done.stderr)
        model = ci.load(self.path("bare.ctnn"))
        x = np.random.default_rng(1).uniform(-1, 1, (3, 4, 2))
        with torch.no_grad():
            expected = module(torch.from_numpy(x))[0].numpy().reshape(3, -1)
        np.testing.assert_allclose(model.predict(x.reshape(3, -1)), expected, rtol=1e-12, atol=1e-14)

    def test_causal_conv1d_stack_exports_with_check(self):
        module = torch.nn.Sequential(torch.nn.ConstantPad1d((4, 0), 0.0), torch.nn.Conv1d(2, 4, 3, dilation=2),
                                     torch.nn.Tanh(), torch.nn.Conv1d(4, 1, 1))
        done = self.export(module, 8, "conv.hpp", "--check", "10")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("ctnn::Conv1D<8, 2, 4, 3, ctnn::Tanh", done.stderr)
        self.assertIn(".padding = ctnn::Padding::causal", done.stderr)

    def test_refusals_name_the_problem_and_write_nothing(self):
        missing = torch.nn.Sequential(torch.nn.GRU(2, 3, batch_first=True), torch.nn.Linear(3, 1))
        done = self.export(missing, 4, "x.ctnn")
        self.assertEqual(done.returncode, 1)
        self.assertIn("module 2 of the Sequential must be ctnn_interop.recurrent.SequenceOutput", done.stderr)
        mismatched = torch.nn.Sequential(torch.nn.GRU(2, 3, batch_first=True), self.SequenceOutput(True, False))
        done = self.export(mismatched, 4, "x.ctnn")
        self.assertIn("module 2 (SequenceOutput): batch_first=False but the GRU has batch_first=True", done.stderr)
        done = self.export(torch.nn.GRU(2, 3), 0, "x.ctnn")
        self.assertIn("ctnn-export: error: --steps 0: expected at least one time step", done.stderr)
        self.assertFalse(os.path.exists(self.path("x.ctnn")))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
