"""interop.python: ctnn-export and ctnn-import beyond what the compiled headers test.

    python3 test_interop.py --tools DIR --writer PATH --work DIR

- The way back: the model files that ctnn::save wrote (interop.writer) read, rewritten byte for byte,
  turned into PyTorch (ctnn-import) and back (ctnn-export): the same bytes; PyTorch's and NumPy's
  outputs against ctnn's on 1000 inputs.
- The model file: values round-trip, a changed digit is caught by the checksum, other versions are
  refused.
- PyTorch's BatchNorm1d (folded), Dropout and Flatten (skipped), models saved in training mode (a
  note), custom modules and state_dicts (ctnn-export's own message).
- Every error case of ctnn-export and ctnn-import: non-zero exit, a message naming the problem, no
  output file (and an existing one left as it was).
- The tools through their sh front end, which must find a Python with torch by itself.
"""

import argparse
import os
import pickle
import shutil
import subprocess
import sys
import unittest
import warnings

import numpy as np
import torch

parser = argparse.ArgumentParser()
parser.add_argument("--tools", required=True)
parser.add_argument("--writer", required=True)
parser.add_argument("--work", required=True)
options, rest = parser.parse_known_args()
sys.path.insert(0, options.tools)
import ctnn_interop as ci  # noqa: E402

import cli  # noqa: E402  (next to this file)

nn = torch.nn
warnings.filterwarnings("ignore")
# What ctnn's outputs and another implementation's may differ by, relative to max(1, |output|).
TOLERANCE = {np.float32: ci.CHECK_TOLERANCE[np.float32], np.float64: ci.CHECK_TOLERANCE[np.float64]}
measured = {}  # worst differences seen, printed at the end


export_cli = cli.load(options.tools, "ctnn-export")
import_cli = cli.load(options.tools, "ctnn-import")
run = cli.run


def work(*parts):
    return os.path.join(options.work, *parts)


def worst_difference(actual, expected):
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    return float(np.max(np.abs(actual - expected) / np.maximum(1.0, np.abs(expected))))


def note(what, dtype, value):
    key = (what, ci.scalar_name(dtype))
    measured[key] = max(measured.get(key, 0.0), value)


class WayBack(unittest.TestCase):
    """ctnn model files (ctnn::save) -> ctnn-import -> PyTorch -> ctnn-export -> the same file."""

    @classmethod
    def setUpClass(cls):
        cls.dir = work("written_by_ctnn")
        shutil.rmtree(cls.dir, ignore_errors=True)
        subprocess.run([options.writer, cls.dir], check=True, stdout=subprocess.DEVNULL)
        cls.names = sorted(f[:-5] for f in os.listdir(cls.dir) if f.endswith(".ctnn"))

    def test_the_writer_wrote_every_model(self):
        self.assertEqual(self.names, ["deep_double", "special_double", "special_float", "standardize_float",
                                      "wide_double", "xor_trained_by_compiler"])

    def test_python_reads_and_rewrites_ctnn_files_byte_for_byte(self):
        for name in self.names:
            with self.subTest(name), open(os.path.join(self.dir, name + ".ctnn"), "rb") as f:
                original = f.read()
                model = ci.load(os.path.join(self.dir, name + ".ctnn"))
                version = int(original.split(b"\n")[0].split(b" ")[1])  # what ctnn::save writes today
                self.assertEqual(ci.model_text(model, version).encode("ascii"), original)

    def test_values_are_written_as_std_to_chars_writes_them(self):
        for name, dtype, bits in (("double", np.float64, np.uint64), ("float", np.float32, np.uint32)):
            with self.subTest(name), open(os.path.join(self.dir, f"values_{name}.txt")) as f:
                lines = f.read().splitlines()
                self.assertGreater(len(lines), 6000)
                for line in lines:
                    pattern, expected = line.split(" ")
                    value = np.array([int(pattern, 16)], dtype=bits).view(dtype)[0]
                    self.assertEqual(ci.decimal_text(value), expected)

    def test_ctnn_to_pytorch_to_ctnn_is_exact(self):
        for name in self.names:
            with self.subTest(name):
                source = os.path.join(self.dir, name + ".ctnn")
                pt = work(name + ".pt")
                back = work(name + ".back.ctnn")
                status, message = run(import_cli, source, "-o", pt)
                self.assertEqual(status, 0, message)
                status, message = run(export_cli, pt, "-o", back)
                self.assertEqual(status, 0, message)
                with open(source, "rb") as a, open(back, "rb") as b:
                    self.assertEqual(a.read(), b.read())

    def test_pytorch_and_numpy_compute_what_ctnn_computes(self):
        for name in self.names:
            csv = os.path.join(self.dir, name + ".csv")
            if not os.path.exists(csv):
                continue
            with self.subTest(name):
                model = ci.load(os.path.join(self.dir, name + ".ctnn"))
                samples = np.loadtxt(csv, delimiter=",", ndmin=2, dtype=model.dtype)
                self.assertEqual(samples.shape, (1000, model.inputs + model.outputs))
                x, ctnn_outputs = samples[:, : model.inputs], samples[:, model.inputs :]
                module = torch.load(work(name + ".pt"), weights_only=False) if os.path.exists(work(name + ".pt")) \
                    else ci.to_torch(model)
                with torch.no_grad():
                    torch_outputs = module(torch.from_numpy(x)).numpy()
                difference = worst_difference(torch_outputs, ctnn_outputs)
                note("PyTorch (ctnn-import) vs ctnn", model.dtype, difference)
                self.assertLessEqual(difference, TOLERANCE[model.dtype])
                numpy_difference = worst_difference(model.predict(x), ctnn_outputs)
                note("NumPy forward vs ctnn", model.dtype, numpy_difference)
                self.assertLessEqual(numpy_difference, TOLERANCE[model.dtype])

    def test_ctnn_import_predicts_with_numpy_from_the_command_line(self):
        name = "wide_double"
        model = ci.load(os.path.join(self.dir, name + ".ctnn"))
        samples = np.loadtxt(os.path.join(self.dir, name + ".csv"), delimiter=",")
        np.savetxt(work("x.csv"), samples[:5, : model.inputs], delimiter=",", fmt="%r")
        result = subprocess.run([os.path.join(options.tools, "ctnn-import"), os.path.join(self.dir, name + ".ctnn"),
                                 "--predict", work("x.csv")], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        printed = np.array([[float(v) for v in line.split(",")] for line in result.stdout.splitlines()])
        self.assertLessEqual(worst_difference(printed, samples[:5, model.inputs :]), TOLERANCE[np.float64])


    def test_numpy_alone_is_enough_to_read_and_run_a_model(self):
        # torch and sklearn made unimportable (None in sys.modules), then ctnn-import --predict as a script.
        name = "standardize_float"
        samples = np.loadtxt(os.path.join(self.dir, name + ".csv"), delimiter=",", dtype=np.float32)
        np.savetxt(work("x_numpy.csv"), samples[:20, :5], delimiter=",", fmt="%r")
        code = ("import runpy, sys; sys.modules['torch'] = None; sys.modules['sklearn'] = None; "
                f"sys.argv = ['ctnn-import', {os.path.join(self.dir, name + '.ctnn')!r}, '--predict', "
                f"{work('x_numpy.csv')!r}]; runpy.run_path({os.path.join(options.tools, 'ctnn-import')!r}, "
                "run_name='__main__')")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        printed = np.array([[float(v) for v in line.split(",")] for line in result.stdout.splitlines()])
        self.assertEqual(printed.shape, (20, 2))
        self.assertLessEqual(worst_difference(printed, samples[:20, 5:]), TOLERANCE[np.float32])


class ModelFile(unittest.TestCase):
    def model(self, dtype=np.float64):
        rng = np.random.default_rng(7)
        return ci.Model(dtype, [ci.StandardizeLayer(rng.normal(size=3), rng.random(3) + 0.5),
                                ci.DenseLayer(rng.normal(size=(4, 3)), rng.normal(size=4), "tanh"),
                                ci.DenseLayer(rng.normal(size=(2, 4)), rng.normal(size=2), "leaky_relu(1/100)")])

    def test_values_read_back_bit_for_bit(self):
        rng = np.random.default_rng(3)
        for dtype, bits in ((np.float64, np.uint64), (np.float32, np.uint32)):
            patterns = rng.integers(0, np.iinfo(bits).max, size=20000, dtype=bits, endpoint=True)
            values = patterns.view(dtype)
            for value in values:
                back = ci.parse_value(ci.decimal_text(value), dtype)
                self.assertEqual(np.array([back], dtype=dtype).view(bits)[0], np.array([value]).view(bits)[0],
                                 ci.decimal_text(value))

    def test_a_changed_digit_fails_the_checksum(self):
        path = work("digit.ctnn")
        ci.save(self.model(), path)
        lines = open(path).read().split("\n")
        k = next(i for i, line in enumerate(lines) if line.startswith("parameters ")) + 5
        digit = next(i for i, c in enumerate(lines[k]) if c in "123456789")
        lines[k] = lines[k][:digit] + str(int(lines[k][digit]) % 9 + 1) + lines[k][digit + 1 :]
        with open(path, "w") as f:
            f.write("\n".join(lines))
        with self.assertRaisesRegex(ci.ConversionError, "the checksum does not match the values"):
            ci.load(path)
        status, message = run(import_cli, path, "-o", work("digit.pt"))
        self.assertNotEqual(status, 0)
        self.assertIn("checksum does not match", message)
        self.assertFalse(os.path.exists(work("digit.pt")))

    def test_versions_other_than_2_and_3_are_refused(self):
        text = ci.model_text(self.model(), version=2)
        for version, why in (("1", "written by an older ctnn"), ("4", "written by a newer ctnn")):
            with self.assertRaisesRegex(ci.ConversionError, why):
                ci.parse_model_text(text.replace("ctnn-model 2", "ctnn-model " + version, 1))

    def test_truncated_and_trailing_data_are_refused(self):
        text = ci.model_text(self.model(np.float32))
        with self.assertRaisesRegex(ci.ConversionError, "end of the file"):
            ci.parse_model_text(text[: len(text) // 2].rsplit("\n", 1)[0] + "\n")
        with self.assertRaisesRegex(ci.ConversionError, "without a newline"):
            ci.parse_model_text(text[:-1])
        with self.assertRaisesRegex(ci.ConversionError, "end of the file after"):
            ci.parse_model_text(text + "x\n")

    def test_the_fingerprint_is_fnv1a_over_little_endian_bits(self):
        # FNV-1a 64 of the 8 bytes 00 00 00 00 00 00 f0 3f (1.0), step by step from its definition.
        h = 0xCBF29CE484222325
        for byte in (0, 0, 0, 0, 0, 0, 0xF0, 0x3F):
            h = ((h ^ byte) * 0x100000001B3) % 2**64
        self.assertEqual(ci.fingerprint(np.array([1.0])), h)


def save_torch(model, name):
    path = work(name + ".pt")
    torch.save(model, path)
    return path


def save_pickle(model, name):
    path = work(name + ".pkl")
    with open(path, "wb") as f:
        pickle.dump(model, f)
    return path


class Errors(unittest.TestCase):
    def expect_error(self, source, arguments, *fragments, output=None):
        output = output or work("out.hpp")
        if os.path.exists(output):
            os.remove(output)
        status, message = run(export_cli, source, "-o", output, *arguments)
        self.assertNotEqual(status, 0)
        self.assertIn("ctnn-export: error:", message)
        for fragment in fragments:
            self.assertIn(fragment, message)
        self.assertFalse(os.path.exists(output))
        if os.path.isdir(os.path.dirname(output)):
            self.assertEqual([f for f in os.listdir(os.path.dirname(output)) if ".tmp-" in f], [])

    def test_unsupported_torch_modules_are_named_with_their_position(self):
        cases = {
            "conv": (nn.Sequential(nn.Linear(4, 4), nn.Conv1d(1, 1, 3)), "module 2 of the Sequential (\"1\": Conv1d("),
            "batchnorm2d": (nn.Sequential(nn.Linear(4, 4), nn.BatchNorm2d(4)), "module 2 of the Sequential "
                            "(\"1\": BatchNorm2d(4"),
            "alpha_dropout": (nn.Sequential(nn.Linear(4, 4), nn.AlphaDropout(0.5), nn.ReLU()), "module 2 of the "
                              "Sequential (\"1\": AlphaDropout(p=0.5"),
            "gelu": (nn.Sequential(nn.Linear(4, 4), nn.GELU()), "module 2 of the Sequential (\"1\": GELU("),
            "nested": (nn.Sequential(nn.Linear(4, 4), nn.Sequential(nn.Linear(4, 2))), "module 2 of the Sequential "
                       "(\"1\": Sequential("),
        }
        for name, (model, fragment) in cases.items():
            with self.subTest(name):
                self.expect_error(save_torch(model, name), [], fragment, "is not supported", "converts Linear")

    def test_torch_models_that_do_not_fit_ctnn(self):
        cases = {
            "not_sequential": (nn.Linear(3, 2), ["not a torch.nn.Sequential"]),
            "activation_first": (nn.Sequential(nn.ReLU(), nn.Linear(3, 2)), ["module 1 of the Sequential (\"0\": "
                                                                             "ReLU()) does not follow a Linear"]),
            "two_activations": (nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Sigmoid()), ["module 3", "does not follow"]),
            "softplus_beta": (nn.Sequential(nn.Linear(3, 2), nn.Softplus(beta=2)), ["module 2", "beta=1 only"]),
            "softmax_dim": (nn.Sequential(nn.Linear(3, 2), nn.Softmax(dim=0)), ["module 2", "dim=1 or dim=-1"]),
            "slope_above_1": (nn.Sequential(nn.Linear(3, 2), nn.LeakyReLU(1.5)), ["module 2", "slope in [0, 1)"]),
            "negative_slope": (nn.Sequential(nn.Linear(3, 2), nn.LeakyReLU(-0.1)), ["module 2", "slope in [0, 1)"]),
            "half": (nn.Sequential(nn.Linear(3, 2)).half(), ["torch.float16", "float32 (float) or float64"]),
            "empty": (nn.Sequential(), ["no Linear layer"]),
            "batchnorm_after_activation": (nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.BatchNorm1d(2)),
                                           ["module 3 of the Sequential (\"2\": BatchNorm1d(2", "does not follow a "
                                            "Linear: a BatchNorm1d folds into the Linear right before it"]),
            "zero_deviation": (nn.Sequential(ci.Standardize(torch.zeros(3), torch.tensor([1.0, 0.0, 2.0])),
                                             nn.Linear(3, 2)), ["layer 1 (Standardize)", "deviations positive"]),
        }
        for name, (model, fragments) in cases.items():
            with self.subTest(name):
                self.expect_error(save_torch(model, name), [], *fragments)

    def test_unsupported_scikit_learn_models(self):
        from sklearn.linear_model import LogisticRegression
        from sklearn.neural_network import MLPClassifier
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import MinMaxScaler, StandardScaler

        x = np.random.default_rng(1).normal(size=(40, 3))
        y = (x[:, 0] > 0).astype(int)
        mlp = MLPClassifier((4,), max_iter=20, random_state=0).fit(x, y)
        cases = {
            "logistic": (LogisticRegression().fit(x, y), ["the model (LogisticRegression) is not supported", "converts a fitted MLPClassifier"]),
            "minmax": (make_pipeline(MinMaxScaler(), MLPClassifier((4,), max_iter=20)).fit(x, y),
                       ["step 1 of the Pipeline (\"minmaxscaler\": MinMaxScaler) is not supported"]),
            "scaler_after": (make_pipeline(mlp, StandardScaler()),
                             ["step 2 of the Pipeline (\"standardscaler\": StandardScaler) after the MLP"]),
            "unfitted": (MLPClassifier((4,)), ["the model (MLPClassifier) is not fitted"]),
            "no_mlp": (make_pipeline(StandardScaler()).fit(x), ["the Pipeline has no MLP"]),
            "dict": ({"weights": [1.0]}, ["the model is a builtins.dict"]),
        }
        for name, (model, fragments) in cases.items():
            with self.subTest(name):
                self.expect_error(save_pickle(model, name), [], *fragments)

    def test_bad_arguments(self):
        good = save_torch(nn.Sequential(nn.Linear(3, 2), nn.Tanh()), "good")
        self.expect_error(good, [], "must end in .hpp", output=work("model.txt"))
        self.expect_error(good, ["--check", "4"], "--check applies to a header", output=work("model.ctnn"))
        self.expect_error(good, ["--check", "0"], "--check 0")
        self.expect_error(good, ["--name", "class"], "it is a C++ keyword")
        self.expect_error(good, ["--name", "2fast"], "not a C++ identifier")
        self.expect_error(work("no_such_model.pt"), [], "no such file")
        self.expect_error(good, [], "No such file or directory", output=work("no_such_dir", "m.hpp"))
        with open(work("garbage.pt"), "wb") as f:
            f.write(b"\x80\x04 this is not a pickle")
        self.expect_error(work("garbage.pt"), [], "cannot read it as a torch.save file, a pickle, an ONNX model (.onnx) or a "
                          "ctnn model file")
        ci.save(ci.Model(np.float64, [ci.DenseLayer(np.ones((1, 2)), np.zeros(1), "relu")]), work("plain.ctnn"))
        self.expect_error(work("plain.ctnn"), ["--check", "3"], "a ctnn model file has none")
        status, _ = run(export_cli, good, "--type", "half", "-o", work("out.hpp"))
        self.assertEqual(status, 2)  # argparse: usage error
        self.assertFalse(os.path.exists(work("out.hpp")))

    def test_a_failed_export_leaves_an_existing_file_alone(self):
        output = work("kept.hpp")
        with open(output, "w") as f:
            f.write("previous\n")
        status, _ = run(export_cli, save_torch(nn.Sequential(nn.Linear(3, 2), nn.GELU()), "gelu2"), "-o", output)
        self.assertNotEqual(status, 0)
        with open(output) as f:
            self.assertEqual(f.read(), "previous\n")

    def test_ctnn_import_errors(self):
        status, message = run(import_cli, work("no_such.ctnn"), "-o", work("x.pt"))
        self.assertNotEqual(status, 0)
        self.assertIn("No such file", message)
        with open(work("not_a_model.ctnn"), "w") as f:
            f.write("hello\n")
        status, message = run(import_cli, work("not_a_model.ctnn"), "-o", work("x.pt"))
        self.assertNotEqual(status, 0)
        self.assertIn("line 1", message)
        self.assertFalse(os.path.exists(work("x.pt")))


class TorchBatchNormAndDropout(unittest.TestCase):
    """nn.BatchNorm1d folded into the Linear before it, nn.Dropout and nn.Flatten skipped, a model saved in
    training mode converted as in eval mode with a note; compared with PyTorch's own (unfolded) module."""

    @staticmethod
    def module(dtype=torch.float32, seed=5):
        generator = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)

        def norm(features):
            layer = nn.BatchNorm1d(features, eps=1e-3)
            with torch.no_grad():
                layer.running_mean.copy_(torch.randn(features, generator=generator))
                layer.running_var.copy_(torch.rand(features, generator=generator) + 0.25)
                layer.weight.copy_(torch.randn(features, generator=generator))
                layer.bias.copy_(torch.randn(features, generator=generator))
            return layer

        return nn.Sequential(nn.Flatten(), nn.Linear(6, 8), norm(8), nn.Dropout(0.4), nn.ReLU(), nn.Linear(8, 4),
                             nn.Dropout(0.2), norm(4), nn.Tanh(), nn.Linear(4, 3, bias=False),
                             nn.BatchNorm1d(3, affine=False), nn.Softmax(dim=1)).to(dtype)

    def test_the_folded_model_computes_what_pytorch_computes(self):
        for dtype, torch_type in ((np.float32, torch.float32), (np.float64, torch.float64)):
            with self.subTest(ci.scalar_name(dtype)):
                module = self.module(torch_type).train()
                model, reference, notes = ci.from_torch(module)
                self.assertEqual(model.dtype, dtype)
                self.assertEqual([(layer.inputs, layer.outputs, layer.activation) for layer in model.layers],
                                 [(6, 8, "relu"), (8, 4, "tanh"), (4, 3, "softmax")])
                x = ci.check_inputs(1000, np.full(6, -2.0), np.full(6, 2.0), seed=9).astype(dtype)
                with torch.no_grad():
                    expected = module.eval()(torch.from_numpy(x)).numpy()
                difference = worst_difference(model.predict(x), expected)
                note("PyTorch with BatchNorm1d -> ctnn (folded)", dtype, difference)
                self.assertLessEqual(difference, TOLERANCE[dtype])
                self.assertEqual(worst_difference(reference(x), expected), 0.0)

    def test_a_model_saved_in_training_mode_is_converted_as_in_eval_mode_with_a_note(self):
        source = save_torch(self.module().train(), "batchnorm_training")
        status, message = run(export_cli, source, "-o", work("batchnorm_training.hpp"), "--check", "8")
        self.assertEqual(status, 0, message)
        self.assertIn("ctnn-export: note: the model was saved in training mode; it is converted as in eval mode "
                      "(model.eval()): BatchNorm1d and Dropout as in inference", message)
        trained_in_eval = save_torch(self.module().eval(), "batchnorm_eval")
        status, message = run(export_cli, trained_in_eval, "-o", work("batchnorm_eval.hpp"))
        self.assertEqual(status, 0, message)
        self.assertNotIn("note:", message)
        # Without BatchNorm1d or Dropout, training mode changes nothing: no note.
        status, message = run(export_cli, save_torch(nn.Sequential(nn.Linear(2, 2)).train(), "plain_training"), "-o",
                              work("plain_training.hpp"))
        self.assertEqual(status, 0, message)
        self.assertNotIn("note:", message)

    def test_the_fold_is_the_unfolded_layers_in_double(self):
        # One Linear and one BatchNorm1d in double: the folded weights and bias are the exact formula's,
        # rounded once (the stored values are doubles, so nothing is rounded in between).
        module = self.module(torch.float64)
        linear, norm = module[1], module[2]
        model = ci.from_torch(module)[0]
        factor = norm.weight.detach().numpy() / np.sqrt(norm.running_var.numpy() + norm.eps)
        np.testing.assert_array_equal(model.layers[0].weights, linear.weight.detach().numpy() * factor[:, None])
        np.testing.assert_array_equal(model.layers[0].bias, (linear.bias.detach().numpy() - norm.running_mean.numpy())
                                      * factor + norm.bias.detach().numpy())

    def test_batch_norms_that_do_not_fold(self):
        cases = {
            "after_activation": (nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.BatchNorm1d(2)),
                                 ["module 3 of the Sequential (\"2\": BatchNorm1d(2", "does not follow a Linear: a "
                                  "BatchNorm1d folds into the Linear right before it"]),
            "first": (nn.Sequential(nn.BatchNorm1d(3), nn.Linear(3, 2)), ["module 1 of the Sequential (\"0\": "
                                                                         "BatchNorm1d(3", "does not follow a Linear"]),
            "no_statistics": (nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2, track_running_stats=False)),
                              ["module 2", "has no running statistics (track_running_stats=False)"]),
            "wrong_width": (nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(5)),
                            ["module 2", "normalises 5 features, the Linear before it gives 2"]),
            "flatten_from_2": (nn.Sequential(nn.Flatten(start_dim=2), nn.Linear(3, 2)),
                               ["module 1", "only a Flatten of everything after the batch"]),
        }
        for name, (model, fragments) in cases.items():
            with self.subTest(name):
                status, message = run(export_cli, save_torch(model, "bn_" + name), "-o", work("bn.hpp"))
                self.assertEqual(status, 1, message)
                for fragment in fragments:
                    self.assertIn(fragment, message)
                self.assertFalse(os.path.exists(work("bn.hpp")))


class CustomModulesAndStateDicts(unittest.TestCase):
    """What users torch.save instead of an nn.Sequential gets ctnn-export's own message, not a traceback."""

    ADVICE = "save an nn.Sequential; a custom module's forward cannot be read"

    def export(self, source):
        output = work("custom.hpp")
        status, message = run(export_cli, source, "-o", output)
        self.assertEqual(status, 1, message)
        self.assertNotIn("Traceback", message)
        self.assertEqual(message.count("ctnn-export: error:"), 1, message)
        self.assertFalse(os.path.exists(output))
        return message

    def test_a_module_class_defined_in_the_saving_script(self):
        # The script that saved it defined Net in its __main__, which ctnn-export's Python does not have.
        script = work("save_custom.py")
        with open(script, "w") as f:
            f.write("import sys, torch\n"
                    "class Net(torch.nn.Module):\n"
                    "    def __init__(self):\n"
                    "        super().__init__()\n"
                    "        self.fc = torch.nn.Linear(3, 2)\n"
                    "    def forward(self, x):\n"
                    "        return torch.relu(self.fc(x))\n"
                    "torch.save(Net(), sys.argv[1])\n")
        subprocess.run([sys.executable, script, work("custom_main.pt")], check=True)
        message = self.export(work("custom_main.pt"))
        self.assertIn("it holds an object of a class this Python cannot find", message)
        self.assertIn("Net", message)
        self.assertIn(self.ADVICE, message)

    def test_a_module_class_python_can_import(self):
        with open(work("custom_net.py"), "w") as f:
            f.write("import torch\n"
                    "class Net(torch.nn.Module):\n"
                    "    def __init__(self):\n"
                    "        super().__init__()\n"
                    "        self.fc = torch.nn.Linear(3, 2)\n"
                    "    def forward(self, x):\n"
                    "        return self.fc(x)\n")
        sys.path.insert(0, work())
        try:
            import custom_net

            message = self.export(save_torch(custom_net.Net(), "custom_importable"))
        finally:
            sys.path.remove(work())
        self.assertIn("the model is a custom_net.Net, not a torch.nn.Sequential: " + self.ADVICE, message)

    def test_a_state_dict(self):
        state = nn.Sequential(nn.Linear(3, 2), nn.ReLU()).state_dict()
        message = self.export(save_torch(state, "state_dict"))
        self.assertIn("it holds a state_dict (a dict of tensors: the weights without the layers), not a model: "
                      + self.ADVICE, message)


class SoftplusThreshold(unittest.TestCase):
    def test_the_check_uses_threshold_40_and_reports_the_models_own_difference(self):
        torch.manual_seed(3)
        module = nn.Sequential(nn.Linear(3, 4), nn.Softplus(threshold=2), nn.Linear(4, 1)).double()
        with torch.no_grad():
            module[0].weight.mul_(20)  # pre-activations well past the threshold
        status, message = run(export_cli, save_torch(module, "softplus2"), "-o", work("softplus2.hpp"), "--check", "8")
        self.assertEqual(status, 0, message)
        self.assertIn("Softplus(threshold=2) at module 2: PyTorch's threshold shortcut changes the outputs by up to",
                      message)
        with open(work("softplus2.hpp")) as f:
            self.assertIn("with threshold=40 in Softplus(threshold=2) at module 2", f.read())
        # The reported difference is what PyTorch's own module gives against the checked outputs: e^-h > 0.
        reported = float(message.split("changes the outputs by up to ")[1].split(",")[0])
        self.assertGreater(reported, 1e-12)


class FrontEnd(unittest.TestCase):
    """The executables themselves, through sh: they must pick a Python with torch without being told."""

    def test_ctnn_export_finds_a_python_with_torch_and_reports_errors(self):
        source = save_torch(nn.Sequential(nn.Linear(4, 4), nn.Conv1d(1, 1, 3)), "conv_cli")
        environment = {k: v for k, v in os.environ.items() if k != "CTNN_PYTHON"}
        result = subprocess.run([os.path.join(options.tools, "ctnn-export"), source, "-o", work("cli.hpp")],
                                capture_output=True, text=True, env=environment)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("module 2 of the Sequential (\"1\": Conv1d(", result.stderr)
        self.assertFalse(os.path.exists(work("cli.hpp")))

    def test_ctnn_export_writes_a_header_from_the_command_line(self):
        source = save_torch(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)), "cli_ok")
        result = subprocess.run([os.path.join(options.tools, "ctnn-export"), source, "-o", work("cli_ok.hpp"),
                                 "--name", "cli_model", "--type", "double", "--check", "2"],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        text = open(work("cli_ok.hpp")).read()
        self.assertIn("inline constexpr ctnn::Network<ctnn::Dense<2, 3, ctnn::ReLU, double>, "
                      "ctnn::Dense<3, 1, ctnn::Identity, double>> cli_model{{", text)
        self.assertIn("static_assert(cli_model_check_worst_difference() <= cli_model_check_tolerance", text)


if __name__ == "__main__":
    os.makedirs(options.work, exist_ok=True)
    program = unittest.main(argv=[sys.argv[0], *rest], exit=False, verbosity=2, warnings="ignore")
    for (what, scalar), value in sorted(measured.items()):
        print(f"measured: {what}, {scalar}: worst difference {value:.3g} of max(1, |ctnn|)")
    sys.exit(0 if program.result.wasSuccessful() else 1)
