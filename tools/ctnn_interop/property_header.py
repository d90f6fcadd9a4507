"""ctnn-export's property option: a header that proves a property of the exported model in a
static_assert over ctnn::verify (include/ctnn/verify.hpp).

The property is a VNN-LIB file (--property P.vnnlib: declare-const, assert of input bounds and of the
output violation, (or (and ...) ...)), or a box with a violation written in VNN-LIB's output syntax
(--box LO:HI,LO:HI,... --violation "(>= Y_0 0.5)"). As in VNN-LIB, the asserted output condition is
what must never happen: the header static_asserts that verify answers holds, i.e. that no input in
the box reaches it. Each input region of the property becomes its own ctnn::Property and
static_assert.

Rounding: the bounds are parsed to double (nearest); for a float model the box is widened to the
nearest floats outside it, so the proven box contains the one asked for; the constraints' coefficients
and constants are rounded to the model's type (written as exact hexadecimal literals of it).

cli.py hooks it in with three lines (see add_arguments and run).
"""

import importlib.util
import math
import os

import numpy as np

from .errors import ConversionError
from .header import invalid_name_reason
from .model import scalar_name


def _formats():
    """tools/ctnn_verify_formats.py (ctnn-verify's VNN-LIB reader), loaded by path: tools/ is no package."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "ctnn_verify_formats.py")
    spec = importlib.util.spec_from_file_location("ctnn_verify_formats", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def add_arguments(parser):
    group = parser.add_argument_group("property (a header proving it with ctnn::verify)")
    group.add_argument("--property", metavar="P.vnnlib",
                       help="a VNN-LIB property: also write a header whose static_assert proves that no input "
                            "in its box reaches its asserted output condition")
    group.add_argument("--box", metavar="LO:HI,...",
                       help="instead of --property: the input box, one LO:HI per input")
    group.add_argument("--violation", metavar="EXPR",
                       help="with --box: the output condition that must never happen, in VNN-LIB syntax over "
                            "Y_0, Y_1, ... (e.g. \"(>= Y_0 0.5)\" or \"(or (<= Y_0 Y_1) (<= Y_0 Y_2))\")")
    group.add_argument("--property-out", metavar="OUT.hpp",
                       help="the property header (default: the model header's name with _property)")
    group.add_argument("--max-pieces", type=int, default=20000, metavar="N",
                       help="verify's budget of input pieces (default 20000)")


def _box_text(box, inputs):
    parts = box.split(",")
    if len(parts) != inputs:
        raise ConversionError(f"--box {box}: expected {inputs} LO:HI pairs (one per input), got {len(parts)}")
    lines = [f"(declare-const X_{i} Real)" for i in range(inputs)]
    for i, part in enumerate(parts):
        ends = part.split(":")
        try:
            lo, hi = (float(e) for e in ends)
        except ValueError:
            raise ConversionError(f"--box: input {i}: \"{part}\" is not LO:HI") from None
        if len(ends) != 2 or not lo <= hi:
            raise ConversionError(f"--box: input {i}: \"{part}\" is not LO:HI with LO <= HI")
        lines += [f"(assert (>= X_{i} {lo!r}))", f"(assert (<= X_{i} {hi!r}))"]
    return lines


def property_regions(args, inputs, outputs):
    """[(lower, upper, cases)] of the property the arguments give (ctnn_verify_formats.parse_vnnlib's form)."""
    formats = _formats()
    if args.property is not None:
        if args.box is not None or args.violation is not None:
            raise ConversionError("--property: give either a VNN-LIB file or --box and --violation, not both")
        with open(args.property, encoding="utf-8") as f:
            text = f.read()
        where = f"--property {args.property}"
    else:
        if args.box is None or args.violation is None:
            raise ConversionError("--box and --violation go together")
        lines = _box_text(args.box, inputs) + [f"(declare-const Y_{j} Real)" for j in range(outputs)]
        text = "\n".join(lines + [f"(assert {args.violation})"])
        where = "--violation"
    try:
        regions = formats.parse_vnnlib(text, inputs, outputs)
    except (formats.FormatError, IndexError, ValueError, KeyError) as error:
        raise ConversionError(f"{where}: {error or 'malformed VNN-LIB'}") from None
    for lower, upper, _ in regions:
        for i, (lo, hi) in enumerate(zip(lower, upper)):
            if not (math.isfinite(lo) and math.isfinite(hi)):
                raise ConversionError(f"{where}: input X_{i} has no finite bounds: verify needs a bounded box")
    return regions


def _literal(value, dtype):
    v = dtype(value) + dtype(0)  # -0.0 (from a bound's sign flip) spelled as 0
    if dtype == np.float32:
        return float(v).hex() + "f"
    return float(v).hex()


def _outward(value, dtype, direction):
    """value as dtype, rounded toward direction (-inf for a lower bound) when it is not exact."""
    v = dtype(value)
    if float(v) != value and (float(v) - value) * direction < 0:
        v = np.nextafter(v, dtype(direction * np.inf))
    return v


def property_header_text(model, name, model_include, regions, max_pieces, source_note=""):
    """The header: includes the model's header and static_asserts that verify proves each region."""
    dtype = model.dtype
    scalar = scalar_name(dtype)
    inputs, outputs = model.inputs, model.outputs
    out = ["#pragma once",
           "// clang-format off",
           f"// Generated by ctnn-export{(' from ' + source_note) if source_note else ''}: a compile-time proof that",
           f"// no input in the box reaches the asserted output condition, for the model {name}. Do not edit.",
           "",
           "#include <ctnn/verify.hpp>",
           "",
           f"#include \"{model_include}\"",
           "",
           f"namespace {name}_property {{",
           "",
           f"inline constexpr ctnn::VerifyOptions options{{.max_pieces = {max_pieces}}};",
           ""]
    for r, (lower, upper, cases) in enumerate(regions):
        count = sum(len(case) for case in cases)
        ptype = f"ctnn::Property<{scalar}, {inputs}, {outputs}, {max(count, 1)}>"
        lo = ", ".join(_literal(_outward(v, dtype, -1), dtype) for v in lower)
        hi = ", ".join(_literal(_outward(v, dtype, +1), dtype) for v in upper)
        out += [f"constexpr {ptype} region_{r}()", "{",
                f"  auto property = {ptype}::in_box({{{{{lo}}}, {{{hi}}}}});"]
        for case in cases:
            out.append("  property.new_case();")
            for coefficients, op, d in case:
                cs = ", ".join(_literal(c, dtype) for c in coefficients)
                strict = "true" if op == "<" else "false"
                out.append(f"  property.add_constraint({{{{{cs}}}, {_literal(d, dtype)}, {strict}}});")
        out += ["  return property;", "}", "",
                f"static_assert(ctnn::verify({name}, region_{r}(), options).verdict == ctnn::Verdict::holds,",
                f"              \"ctnn: {name}: region {r} of the property must be proven (no input in it may "
                "reach the asserted output condition)\");", ""]
    out += [f"}}  // namespace {name}_property", ""]
    return "\n".join(out)


def run(args, model, name, header_path):
    """Writes the property header when --property or --box is given; returns its path, or None."""
    if args.property is None and args.box is None and args.violation is None:
        return None
    if os.path.splitext(header_path)[1].lower() == ".ctnn":
        raise ConversionError("--property writes a header next to a model header: -o must be a .hpp")
    if args.max_pieces < 1:
        raise ConversionError(f"--max-pieces {args.max_pieces}: expected at least 1")
    reason = invalid_name_reason(name + "_property")
    if reason:
        raise ConversionError(f"--name {name}: the property's namespace cannot be named from it: {reason}")
    regions = property_regions(args, model.inputs, model.outputs)
    out = args.property_out
    if out is None:
        stem, suffix = os.path.splitext(header_path)
        out = stem + "_property" + suffix
    include = os.path.relpath(os.path.abspath(header_path), os.path.dirname(os.path.abspath(out)))
    note = os.path.basename(args.property) if args.property is not None else "--box and --violation"
    text = property_header_text(model, name, include.replace(os.sep, "/"), regions, args.max_pieces, note)
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    return out
