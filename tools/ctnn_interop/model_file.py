"""ctnn model files (docs/model_file.md): the writer (format FORMAT_VERSION), the reader (versions 2
and 3), the architecture fingerprint, class names, and atomic file writing."""

import os
import re
import tempfile

import numpy as np

from .errors import ConversionError
from .model import LAYER_KINDS, SCALARS, Model, class_names_problem, parse_shape, scalar_name, shape_text
from .values import decimal_text, fingerprint, fnv1a, parse_value

# The version the tools write. Version 3 adds shapes, the architecture line and class names; ctnn's
# C++ side reads version 2 only until it implements 3, so the tools write 2 until then.
FORMAT_VERSION = 3
READ_VERSIONS = (2, 3)
V2_KINDS = ("Dense", "Standardize")


def _check_field(token, what):
    if not re.fullmatch(r"[\x21-\x7e]+", token):
        raise ConversionError(f"{what}: the field {token!r} is not one token of printable ASCII without spaces")
    return token


def layer_line(position, layer, version):
    """The model file's line of a layer at a 1-based position."""
    fields = [_check_field(f, f"layer {position} ({layer.kind})") for f in layer.fields()]
    if version == 2:
        if layer.kind not in V2_KINDS or len(layer.input_shape) != 1 or len(layer.output_shape) != 1:
            raise ConversionError(f"layer {position} ({layer.kind} {shape_text(layer.input_shape)} -> "
                                  f"{shape_text(layer.output_shape)}) needs model file format 3; format 2 holds "
                                  "Dense and Standardize layers of vectors only")
        shapes = [str(layer.inputs), str(layer.outputs)]
    else:
        shapes = [shape_text(layer.input_shape), shape_text(layer.output_shape)]
    return " ".join(["layer", str(position), layer.kind, *shapes, *fields])


def architecture_lines(model, version=3):
    """The scalar line and the layer lines, each with its '\\n': what the architecture line covers."""
    lines = [f"scalar {scalar_name(model.dtype)}", f"layers {len(model.layers)}"]
    lines += [layer_line(p, layer, version) for p, layer in enumerate(model.layers, start=1)]
    return "".join(line + "\n" for line in lines)


def architecture_fingerprint(model):
    """FNV-1a 64 over the model's format-3 lines from "scalar" to its last layer line (ctnn's
    architecture_fingerprint): kinds, shapes, fields and the scalar type, not the values."""
    return fnv1a(architecture_lines(model).encode("ascii"))


# ---- class names: percent-encoded, one token each ----

def encode_class_name(name):
    """A class name as one token: every byte outside 0x21..0x7e, and '%', as % and two uppercase hex digits."""
    data = name.encode("utf-8", errors="surrogateescape")
    return "".join(chr(b) if 0x21 <= b <= 0x7E and b != 0x25 else f"%{b:02X}" for b in data)


def decode_class_name(token):
    """The name of a token encode_class_name wrote; raises ValueError for any other spelling (each name
    has exactly one, so a file read and written again keeps its bytes)."""
    data = bytearray()
    at = 0
    while at < len(token):
        c = token[at]
        if c == "%":
            digits = token[at + 1 : at + 3]
            if not re.fullmatch(r"[0-9A-F]{2}", digits):
                raise ValueError(f"'%' must be followed by two uppercase hex digits in \"{token}\"")
            b = int(digits, 16)
            if 0x21 <= b <= 0x7E and b != 0x25:
                raise ValueError(f"%{digits} encodes '{chr(b)}', which is written as itself, in \"{token}\"")
            data.append(b)
            at += 3
        elif 0x21 <= ord(c) <= 0x7E:
            data.append(ord(c))
            at += 1
        else:
            raise ValueError(f"a class name may hold printable ASCII only, found {c!r} in \"{token}\"")
    return data.decode("utf-8", errors="surrogateescape")


def classes_line(names):
    return " ".join(["classes", str(len(names)), *(encode_class_name(n) for n in names)])


# ---- writer ----

def model_text(model, version=None):
    """The model file of model in format version (default FORMAT_VERSION), byte for byte as ctnn::save
    writes it. Version 2 has no place for class names: they are left out."""
    version = FORMAT_VERSION if version is None else version
    if version not in READ_VERSIONS:
        raise ConversionError(f"model file format {version}: this writes versions 2 and 3")
    head = architecture_lines(model, version)
    text = f"ctnn-model {version}\n" + head
    if version >= 3:
        text += f"architecture {fnv1a(head.encode('ascii')):016x}\n"
        if model.class_names is not None:
            text += classes_line(model.class_names) + "\n"
    values = model.values()
    lines = [f"parameters {values.size}"]
    lines.extend(decimal_text(v) for v in values)
    lines.append(f"checksum {fingerprint(values):016x}")
    lines.append("end")
    return text + "\n".join(lines) + "\n"


# ---- reader ----

def _count(text):
    return text.isdigit() and (text == "0" or text[0] != "0")


def parse_model_text(text, source="<text>"):
    """The Model of a model file's text (format 2 or 3); raises ConversionError naming the line and
    what was wrong."""
    lines = text.split("\n")
    after_last_newline = lines.pop()  # "" when the text ends with a newline, as it must
    state = {"line": 0}

    def fail(what):
        raise ConversionError(f"cannot load model \"{source}\": line {state['line']}: {what}")

    def next_line(expected):
        state["line"] += 1
        if state["line"] > len(lines):
            if after_last_newline and state["line"] == len(lines) + 1:
                fail(f"expected {expected}, found a line without a newline at the end of the file (is the file truncated?)")
            fail(f"expected {expected}, found the end of the file")
        line = lines[state["line"] - 1]
        # \r\n line ends (a Windows editor, git's core.autocrlf) read as \n, as in ctnn's C++ reader.
        return line[:-1] if line.endswith("\r") else line

    def keyed(key, expected):
        fields = next_line(f'"{key} {expected}"').split(" ")
        if len(fields) != 2 or fields[0] != key:
            fail(f'expected "{key} {expected}", found "{" ".join(fields)}"')
        return fields[1]

    versions = " and ".join(map(str, READ_VERSIONS))
    version = keyed("ctnn-model", "<version>")
    if not _count(version):
        fail(f"expected \"ctnn-model <version>\" (the first line of a ctnn model file), found \"ctnn-model {version}\"")
    version = int(version)
    if version < READ_VERSIONS[0]:
        fail(f"format version {version} was written by an older ctnn; this reads versions {versions} "
             "(load it with ctnn 0.1 and save it again)")
    if version > READ_VERSIONS[-1]:
        fail(f"format version {version} was written by a newer ctnn; this reads versions {versions}")
    first_architecture_line = state["line"]
    scalar = keyed("scalar", "double|float")
    if scalar not in SCALARS:
        fail(f"scalar type: expected double or float, found \"{scalar}\"")
    dtype = SCALARS[scalar]
    count = keyed("layers", "<count>")
    if not _count(count) or int(count) == 0:
        fail(f"layer count: expected a positive count, found \"{count}\"")
    specs = []
    for position in range(1, int(count) + 1):
        line = next_line(f"layer {position}")
        fields = line.split(" ")
        if version == 2:
            if len(fields) < 5 or fields[0] != "layer" or fields[1] != str(position) or \
                    not all(_count(f) and f != "0" for f in fields[3:5]):
                fail(f'expected "layer {position} <kind> <inputs> <outputs> ...", found "{line}"')
            kind, input_shape, output_shape = fields[2], (int(fields[3]),), (int(fields[4]),)
            if kind not in V2_KINDS:
                fail(f"layer {position}: expected a Standardize (In = Out) or a Dense with a ctnn activation, "
                     f"found \"{line}\"")
        else:
            shapes = [parse_shape(f) for f in fields[3:5]]
            if len(fields) < 5 or fields[0] != "layer" or fields[1] != str(position) or None in shapes:
                fail(f'expected "layer {position} <kind> <input shape> <output shape> ...", found "{line}"')
            kind, (input_shape, output_shape) = fields[2], shapes
            if kind not in LAYER_KINDS:
                fail(f"layer {position}: unknown layer kind \"{kind}\" (this reads {', '.join(sorted(LAYER_KINDS))})")
        layer_class = LAYER_KINDS[kind]
        try:
            size = layer_class.stored_value_count(input_shape, output_shape, fields[5:])
        except ValueError as error:
            if version == 2:
                fail(f"layer {position}: expected a Standardize (In = Out) or a Dense with a ctnn activation, "
                     f"found \"{line}\"")
            fail(f"layer {position}: {error}, found \"{line}\"")
        specs.append((layer_class, input_shape, output_shape, fields[5:], size))
    class_names = None
    if version >= 3:
        covered = "".join(line + "\n" for line in lines[first_architecture_line : state["line"]])
        computed = fnv1a(covered.encode("ascii"))
        written = keyed("architecture", "<16 hex digits>")
        if not re.fullmatch(r"[0-9a-f]{16}", written):
            fail(f"architecture: expected 16 lowercase hex digits, found \"{written}\"")
        if int(written, 16) != computed:
            fail(f"the architecture line does not match the layer lines: the file says {written}, the lines give "
                 f"{computed:016x}")
        if state["line"] < len(lines) and lines[state["line"]].startswith("classes "):
            line = next_line('"classes <count> <name> ..."')
            fields = line.split(" ")
            if len(fields) < 3 or not _count(fields[1]) or int(fields[1]) != len(fields) - 2:
                fail(f"expected \"classes <count> <name> ...\" with as many names as the count, found \"{line}\"")
            try:
                class_names = [decode_class_name(f) for f in fields[2:]]
            except ValueError as error:
                fail(f"classes: {error}")
            outputs = specs[-1][2]
            problem = class_names_problem(class_names, int(np.prod(outputs)))
            if problem:
                fail(f"classes: {problem}")
    expected_count = sum(spec[-1] for spec in specs)
    found = keyed("parameters", expected_count)
    if found != str(expected_count):
        fail(f"parameter count: expected {expected_count}, found \"{found}\"")
    values = np.empty(expected_count, dtype=dtype)
    for k in range(expected_count):
        line = next_line(f"parameter {k + 1} of {expected_count}")
        try:
            values[k] = parse_value(line, dtype)
        except ValueError as error:
            fail(f"parameter {k + 1} of {expected_count}: {error}, found \"{line}\"")
    checksum = keyed("checksum", "<16 hex digits>")
    if not re.fullmatch(r"[0-9a-f]{16}", checksum):
        fail(f"checksum: expected 16 lowercase hex digits, found \"{checksum}\"")
    computed = fingerprint(values)
    if int(checksum, 16) != computed:
        fail(f"the checksum does not match the values (a value was changed or damaged): the file says {checksum}, "
             f"the values give {computed:016x}")
    if next_line('"end"') != "end":
        fail(f"expected \"end\" after the checksum, found \"{lines[state['line'] - 1]}\"")
    if state["line"] != len(lines) or after_last_newline:
        state["line"] += 1
        fail("expected the end of the file after \"end\"")
    layers, at = [], 0
    try:
        for layer_class, input_shape, output_shape, fields, size in specs:
            layers.append(layer_class.from_values(input_shape, output_shape, fields, values[at : at + size]))
            at += size
        return Model(dtype, layers, class_names)
    except ConversionError as error:
        raise ConversionError(f"cannot load model \"{source}\": {error}") from None


def load(path):
    """The Model saved at path (a ctnn model file, format version 2 or 3)."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise ConversionError(f"cannot load model \"{path}\": it is not a ctnn model file (not ASCII text)") from None
    return parse_model_text(text, str(path))


def write_atomically(path, data):
    """Writes data (bytes) to path through a temporary file in its directory and a rename, so that
    path holds either nothing new or all of data."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=os.path.basename(path) + ".tmp-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def save(model, path, version=None):
    """Writes model's file (format version, default FORMAT_VERSION) to path, atomically."""
    write_atomically(path, model_text(model, version).encode("ascii"))
