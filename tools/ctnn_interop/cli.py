"""The command lines of ctnn-export and ctnn-import (tools/), which call export_main and import_main."""

import argparse
import os
import re
import sys

import numpy as np

from .errors import ConversionError
from .header import check_inputs, check_tolerance, invalid_name_reason, model_header
from .model import SCALARS, StandardizeLayer
from .model_file import load, save, write_atomically
from . import property_header
from .sources import convert, load_source
from .torch_io import SOFTPLUS_EXACT_THRESHOLD
from .values import decimal_text

HEADER_SUFFIXES = (".hpp", ".h", ".hh", ".hxx")
CHECK_SEED = 0


def default_name(path):
    stem = os.path.splitext(os.path.basename(path))[0]
    name = re.sub(r"[^A-Za-z0-9_]", "_", stem).strip("_")
    name = re.sub(r"__+", "_", name)
    if not name or name[0].isdigit() or invalid_name_reason(name):
        name = "model_" + name if name else "model"
    return name


def check_range(model):
    """Where the check inputs are drawn: around the data when the model starts by standardising it
    (mean +- 2 deviations), else [-2, 2] in every input."""
    first = model.layers[0]
    if isinstance(first, StandardizeLayer):
        mean = first.mean.astype(np.float64)
        spread = 2 * np.abs(first.deviation.astype(np.float64))
        return mean - spread, mean + spread, "drawn uniformly within 2 standard deviations of the training mean"
    return np.full(model.inputs, -2.0), np.full(model.inputs, 2.0), "drawn uniformly from [-2, 2]"


def _convert_steps(source, steps, dtype):
    """convert() for a sequence model (ctnn-export --steps): Conv1d, GRU or LSTM in an nn.Sequential."""
    if steps < 1:
        raise ConversionError(f"--steps {steps}: expected at least one time step")
    if not type(source).__module__.startswith("torch"):
        raise ConversionError("--steps applies to a PyTorch model (nn.Sequential with Conv1d, GRU or LSTM)")
    import torch

    from .recurrent import from_torch_steps

    model, reference = from_torch_steps(source, steps, dtype)
    return model, reference, f"PyTorch {torch.__version__.split('+')[0]}", {"messages": []}


def export(arguments):
    out = arguments.output
    suffix = os.path.splitext(out)[1].lower()
    if suffix not in HEADER_SUFFIXES + (".ctnn",):
        raise ConversionError(f"-o {out}: the output must end in .hpp (a header) or .ctnn (a model file)")
    if arguments.check is not None and suffix == ".ctnn":
        raise ConversionError("--check applies to a header (.hpp): a model file carries no check")
    if arguments.check is not None and not 1 <= arguments.check <= 100000:
        raise ConversionError(f"--check {arguments.check}: expected a count of inputs from 1 to 100000")
    name = arguments.name if arguments.name is not None else default_name(out)
    if suffix != ".ctnn":
        reason = invalid_name_reason(name)
        if reason:
            raise ConversionError(f"--name {name}: the name cannot be used: {reason}")
    dtype = None if arguments.type is None else SCALARS[arguments.type]
    if not os.path.isfile(arguments.model):
        raise ConversionError("no such file")
    source = load_source(arguments.model)
    if arguments.steps is not None:
        model, reference, framework, notes = _convert_steps(source, arguments.steps, dtype)
    else:
        image_shape = None
        if arguments.image_shape is not None:
            parts = arguments.image_shape.split(",")
            if len(parts) != 3 or not all(p.isdigit() and int(p) > 0 for p in parts):
                raise ConversionError(f"--image-shape {arguments.image_shape}: expected C,H,W, three positive "
                                      "whole numbers")
            image_shape = tuple(int(p) for p in parts)
        model, reference, framework, notes = convert(source, dtype, image_shape)
    summary = f"{model.cpp_type()}, fingerprint {model.fingerprint():016x}"
    if "changed" in notes and arguments.check is None:
        summary += (f"; note: above its threshold PyTorch's {notes['changed']} returns h, where ctnn computes "
                    "log(1 + e^h) (--check measures the difference)")
    if suffix == ".ctnn" and (getattr(arguments, "property", None) or getattr(arguments, "box", None)):
        raise ConversionError("--property and --box write a header: -o must name a .hpp")
    if suffix == ".ctnn":
        save(model, out)
    else:
        check = None
        if arguments.check is not None:
            if reference is None:
                raise ConversionError("--check compares with the framework the model comes from; a ctnn model "
                                      "file has none (compile its header without --check)")
            low, high, how = check_range(model)
            inputs = check_inputs(arguments.check, low, high, CHECK_SEED).astype(model.dtype)
            expected = np.asarray(reference(inputs), dtype=model.dtype).reshape(len(inputs), model.outputs)
            tolerance, tolerance_note = check_tolerance(model)
            emulated = model.predict(inputs).astype(np.float64)
            scale = np.maximum(1.0, np.abs(expected.astype(np.float64)))
            worst = float(np.max(np.abs(emulated - expected) / scale))
            if not worst <= tolerance:
                raise ConversionError(
                    f"the converted model does not reproduce {framework}'s outputs: the worst difference is {worst:.3g} "
                    f"(of max(1, |output|)), more than the tolerance {tolerance:.3g}; nothing written")
            note = f"{arguments.check} inputs {how} (seed {CHECK_SEED})"
            if framework == "ONNX":
                note += "; the ONNX graph's outputs computed by ctnn-export's NumPy evaluator"
            if "changed" in notes:
                original = np.asarray(notes["original"](inputs), dtype=np.float64).reshape(expected.shape)
                shortcut = float(np.max(np.abs(original - expected) / scale))
                note += (f"; the outputs are {framework}'s with threshold={SOFTPLUS_EXACT_THRESHOLD:g} in "
                         f"{notes['changed']}, where the model's own threshold makes PyTorch return h instead of "
                         f"ctnn's log(1 + e^h): the model's own outputs differ from these by up to {shortcut:.3g}")
                summary += f"; {notes['changed']}: PyTorch's threshold shortcut changes the outputs by up to {shortcut:.3g}"
            check = {"inputs": inputs, "expected": expected, "tolerance": tolerance, "tolerance_note": tolerance_note,
                     "framework": framework, "note": note}
            summary += f", checked on {arguments.check} inputs (NumPy emulation: worst difference {worst:.3g}, " \
                       f"tolerance {tolerance:.3g})"
        text = model_header(model, name, f"{os.path.basename(arguments.model)} ({framework})", check)
        write_atomically(out, text.encode("ascii", errors="replace"))
        written = property_header.run(arguments, model, name, out)
        if written:
            print(f"ctnn-export: wrote {written}: the property as a static_assert over ctnn::verify", file=sys.stderr)
    for message in notes.get("messages", []):
        print(f"ctnn-export: note: {message}", file=sys.stderr)
    print(f"ctnn-export: wrote {out}: {summary}", file=sys.stderr)


def export_main():
    parser = argparse.ArgumentParser(
        prog="ctnn-export",
        description="Convert a PyTorch nn.Sequential, a scikit-learn MLP or an ONNX model into a constexpr ctnn "
                    "header or a ctnn model file. Loading a torch.save file or a pickle runs code from it: export only "
                    "models you trust.")
    parser.add_argument("model", metavar="MODEL", help="torch.save'd nn.Sequential, pickled scikit-learn MLP or "
                        "Pipeline(StandardScaler, MLP), ONNX model (.onnx), or a ctnn model file")
    parser.add_argument("-o", dest="output", metavar="OUT.hpp|OUT.ctnn", required=True,
                        help="a header (.hpp) or a ctnn model file (.ctnn), written atomically")
    parser.add_argument("--name", help="the header's constexpr object (default: the output's file name)")
    parser.add_argument("--type", choices=("float", "double"),
                        help="the scalar type (default: the model's, float32 -> float, float64 -> double)")
    parser.add_argument("--image-shape", metavar="C,H,W",
                        help="the input image of a PyTorch Sequential that starts with a Conv2d or pooling "
                             "(channels, height, width; ctnn's model takes it channels last)")
    parser.add_argument("--steps", type=int, metavar="N",
                        help="a sequence model (nn.Sequential starting with Conv1d, GRU or LSTM): its time steps "
                             "(the ctnn type's sequence length)")
    parser.add_argument("--check", type=int, metavar="N",
                        help="also write N inputs and the framework's outputs, and static_assert that ctnn "
                             "reproduces them")
    property_header.add_arguments(parser)
    arguments = parser.parse_args()
    try:
        export(arguments)
    except ConversionError as error:
        # An option's mistake is not the model's: only the model's own problems are prefixed with its name.
        about = "" if str(error).startswith("--") else f"{arguments.model}: "
        print(f"ctnn-export: error: {about}{error}", file=sys.stderr)
        return 1
    except (OSError, ImportError) as error:
        print(f"ctnn-export: error: {arguments.model}: {error}", file=sys.stderr)
        return 1
    return 0


def import_main():
    parser = argparse.ArgumentParser(prog="ctnn-import",
                                     description="Turn a ctnn model file into a PyTorch nn.Sequential (torch.save), "
                                                 "or compute its outputs with NumPy alone.")
    parser.add_argument("model", metavar="MODEL.ctnn", help="a ctnn model file (format version 2 or 3), or with "
                        "--from rtneural an RTNeural model JSON")
    parser.add_argument("--from", dest="source", choices=("ctnn", "rtneural"), default="ctnn",
                        help="the model's format (default ctnn)")
    parser.add_argument("--steps", type=int, default=1, metavar="N",
                        help="with --from rtneural: the ctnn type's sequence length (default 1; streaming with "
                             "Network::step takes any number of samples)")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("-o", dest="output", metavar="OUT.pt",
                      help="write a torch.save'd nn.Sequential (atomically); with --from rtneural also OUT.ctnn "
                           "(a model file) or OUT.hpp (a constexpr header)")
    what.add_argument("--predict", metavar="X.csv",
                      help="print the outputs for each row of X.csv (comma-separated inputs, no header), NumPy only")
    arguments = parser.parse_args()
    try:
        if arguments.source == "rtneural":
            from .rtneural import load_rtneural

            model = load_rtneural(arguments.model, arguments.steps)
        else:
            model = load(arguments.model)
        suffix = os.path.splitext(arguments.output or "")[1].lower()
        if arguments.source == "rtneural" and suffix in HEADER_SUFFIXES + (".ctnn",):
            if suffix == ".ctnn":
                save(model, arguments.output)
            else:
                text = model_header(model, default_name(arguments.output), os.path.basename(arguments.model))
                write_atomically(arguments.output, text.encode("ascii", errors="replace"))
            print(f"ctnn-import: wrote {arguments.output}: {model.cpp_type()}", file=sys.stderr)
        elif arguments.output is not None:
            import io

            import torch

            from .torch_io import to_torch

            from .model import DenseLayer, StandardizeLayer
            from .recurrent import to_torch_steps

            plain = all(isinstance(layer, (DenseLayer, StandardizeLayer)) for layer in model.layers)
            buffer = io.BytesIO()
            torch.save(to_torch(model) if plain else to_torch_steps(model), buffer)
            write_atomically(arguments.output, buffer.getvalue())
            print(f"ctnn-import: wrote {arguments.output}: {model.cpp_type()}", file=sys.stderr)
        else:
            x = np.loadtxt(arguments.predict, delimiter=",", ndmin=2, dtype=np.float64)
            if x.shape[1] != model.inputs:
                raise ConversionError(f"{arguments.predict} has {x.shape[1]} columns, the model takes {model.inputs}")
            for row in model.predict(x):
                print(",".join(decimal_text(v) for v in row))
    except (ConversionError, OSError, ImportError, ValueError) as error:
        print(f"ctnn-import: error: {error}", file=sys.stderr)
        return 1
    return 0
