"""ctnn models in Python: read and write ctnn model files (format version 2), write constexpr headers,
convert PyTorch and scikit-learn networks, and run a model with NumPy alone.

Only NumPy is needed to import this module; torch and sklearn are imported when a function needs them.
ctnn-export and ctnn-import are its command-line front ends.

    import ctnn_interop
    model = ctnn_interop.load("model.ctnn")      # checks the format and the checksum
    y = model.predict(x)                         # NumPy only, x of shape (n, inputs)
    ctnn_interop.save(model, "copy.ctnn")        # atomic, byte for byte what ctnn::save writes
"""

import os
import re
import tempfile
from decimal import Decimal
from fractions import Fraction

import numpy as np

FORMAT_VERSION = 2
SCALARS = {"double": np.float64, "float": np.float32}
# The ctnn activation names (Activation::name, the model file's field) and their C++ spellings.
ACTIVATION_SPELLINGS = {
    "sigmoid": "ctnn::Sigmoid",
    "tanh": "ctnn::Tanh",
    "relu": "ctnn::ReLU",
    "linear": "ctnn::Identity",
    "softplus": "ctnn::Softplus",
    "softmax": "ctnn::Softmax",
}
LEAKY_RELU_NAME = re.compile(r"leaky_relu\((\d+)/(\d+)\)\Z")
INTMAX = 2**63 - 1


class ConversionError(Exception):
    """A model that cannot be converted, or a model file that cannot be read; the message says why."""


def scalar_name(dtype):
    return "double" if np.dtype(dtype) == np.float64 else "float"


def leaky_relu_name(slope):
    """The ctnn name of LeakyReLU<std::ratio<n, d>> for a Fraction slope: leaky_relu(n/d), reduced."""
    return f"leaky_relu({slope.numerator}/{slope.denominator})"


def leaky_relu_slope(name):
    """The Fraction of a leaky_relu(n/d) name, or None for another name."""
    match = LEAKY_RELU_NAME.match(name)
    if not match:
        return None
    numerator, denominator = int(match.group(1)), int(match.group(2))
    if denominator == 0 or max(numerator, denominator) > INTMAX:
        return None
    slope = Fraction(numerator, denominator)
    # ctnn writes the reduced ratio, so anything else is not a name it gives.
    reduced = (slope.numerator, slope.denominator) == (numerator, denominator)
    return slope if reduced and slope < 1 else None


def is_activation(name):
    return name in ACTIVATION_SPELLINGS or leaky_relu_slope(name) is not None


def activation_spelling(name):
    slope = leaky_relu_slope(name)
    if slope is not None:
        return f"ctnn::LeakyReLU<std::ratio<{slope.numerator}, {slope.denominator}>>"
    return ACTIVATION_SPELLINGS[name]


class StandardizeLayer:
    """ctnn::Standardize<In, T>: y = (x - mean) / deviation, not trained."""

    kind = "Standardize"

    def __init__(self, mean, deviation):
        self.mean = np.asarray(mean)
        self.deviation = np.asarray(deviation)
        self.inputs = self.outputs = self.mean.shape[0]

    def values(self):
        return [self.mean, self.deviation]

    def forward(self, x):
        return (x - self.mean) / self.deviation


class DenseLayer:
    """ctnn::Dense<In, Out, A, T>: y = A(W x + b), W of shape (Out, In)."""

    kind = "Dense"

    def __init__(self, weights, bias, activation):
        self.weights = np.asarray(weights)
        self.bias = np.asarray(bias)
        self.activation = activation
        self.outputs, self.inputs = self.weights.shape

    def values(self):
        return [self.weights.reshape(-1), self.bias]

    def forward(self, x):
        # h = W x + b summed left to right and the bias added last, in the model's scalar type, as
        # ctnn's Dense does: NumPy then gets ctnn's pre-activations bit for bit.
        w = self.weights
        h = x[:, 0:1] * w[:, 0]
        for j in range(1, self.inputs):
            h = h + x[:, j : j + 1] * w[:, j]
        return activate(self.activation, h + self.bias)


def _in_double(function, h):
    """function(h) computed in double and rounded to h's type once, as ctnn's float math does."""
    return function(h.astype(np.float64)).astype(h.dtype)


def activate(name, h):
    """ctnn's activation by its name, on a batch of pre-activations (n, units), with ctnn's formulas."""
    one = h.dtype.type(1)
    zero = h.dtype.type(0)
    if name == "linear":
        return h
    if name == "sigmoid":
        return one / (one + _in_double(np.exp, -h))
    if name == "tanh":
        return _in_double(np.tanh, h)
    if name == "relu":
        return np.where(h < zero, zero, h)
    if name == "softplus":
        return np.where(h > zero, h, zero) + _in_double(np.log1p, _in_double(np.exp, -np.abs(h)))
    if name == "softmax":
        e = _in_double(np.exp, h - h.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    slope = leaky_relu_slope(name)
    if slope is not None:
        a = h.dtype.type(slope.numerator) / h.dtype.type(slope.denominator)
        return np.where(h > zero, h, a * h)
    raise ConversionError(f"unknown activation {name!r}")


class Model:
    """A ctnn Network: a scalar type (np.float32 or np.float64) and its layers, in order."""

    def __init__(self, dtype, layers):
        self.dtype = np.dtype(dtype).type
        self.layers = list(layers)
        for layer in self.layers:
            for name in ("mean", "deviation", "weights", "bias"):
                if hasattr(layer, name):
                    setattr(layer, name, np.asarray(getattr(layer, name), dtype=self.dtype))
        for position, layer in enumerate(self.layers, start=1):
            # ctnn::load refuses these: the layer subtracts each mean and divides by each deviation.
            if isinstance(layer, StandardizeLayer) and not (np.all(np.isfinite(layer.mean)) and
                                                            np.all(np.isfinite(layer.deviation)) and
                                                            np.all(layer.deviation > 0)):
                raise ConversionError(f"layer {position} (Standardize): its means must be finite and its "
                                      "deviations positive and finite")
        for position, (before, after) in enumerate(zip(self.layers, self.layers[1:]), start=2):
            if before.outputs != after.inputs:
                raise ConversionError(
                    f"layer {position} takes {after.inputs} inputs but layer {position - 1} gives {before.outputs}")

    @property
    def inputs(self):
        return self.layers[0].inputs

    @property
    def outputs(self):
        return self.layers[-1].outputs

    def values(self):
        """Every stored value in file order, as one array of the model's scalar type."""
        parts = [part.reshape(-1) for layer in self.layers for part in layer.values()]
        return np.concatenate(parts).astype(self.dtype)

    def fingerprint(self):
        return fingerprint(self.values())

    def predict(self, x):
        """The model's outputs for a batch x of shape (n, inputs), with ctnn's formulas (NumPy only)."""
        y = np.asarray(x, dtype=self.dtype)
        if y.ndim == 1:
            return self.predict(y[None, :])[0]
        if y.shape[1] != self.inputs:
            raise ValueError(f"the model takes {self.inputs} inputs, x has {y.shape[1]} columns")
        for layer in self.layers:
            y = layer.forward(y)
        return y

    def cpp_type(self):
        return "ctnn::Network<" + ", ".join(layer_spelling(layer, self.dtype) for layer in self.layers) + ">"


def layer_spelling(layer, dtype):
    scalar = scalar_name(dtype)
    if isinstance(layer, StandardizeLayer):
        return f"ctnn::Standardize<{layer.inputs}, {scalar}>"
    return f"ctnn::Dense<{layer.inputs}, {layer.outputs}, {activation_spelling(layer.activation)}, {scalar}>"


# ---- values: bits, FNV-1a, decimal and hexadecimal text ----

def _bits(values):
    values = np.asarray(values)
    return values.view(np.uint64 if values.dtype == np.float64 else np.uint32)


def fingerprint(values):
    """FNV-1a 64 over the IEEE-754 bits of each value, least significant byte first (ctnn's
    parameter_fingerprint and the model file's checksum)."""
    values = np.asarray(values)
    width = values.dtype.itemsize
    data = values.astype(values.dtype.newbyteorder("<"), copy=False).tobytes()
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    assert len(data) == width * values.size
    return h


def decimal_text(value):
    """value as std::to_chars(value) writes it: the shortest digits that read back to the same bits,
    in fixed or scientific notation, whichever is shorter (fixed on a tie), and NaN as nan:0x<bits>."""
    if np.isnan(value):
        digits = 16 if isinstance(value, np.float64) else 8
        return f"nan:0x{int(_bits(np.array([value]))[0]):0{digits}x}"
    if np.isinf(value):
        return "-inf" if value < 0 else "inf"
    if isinstance(value, np.float32):
        shortest = np.format_float_scientific(value, unique=True)
    else:
        shortest = repr(float(value))
    sign, digits, exponent = Decimal(shortest).as_tuple()
    digits = list(digits)
    while len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exponent += 1
    text = "".join(map(str, digits))
    if text == "0":
        exponent = 0
    point = len(digits) - 1 + exponent  # value = d.ddd x 10^point
    scientific = text[0] + ("." + text[1:] if len(text) > 1 else "") + f"e{'-' if point < 0 else '+'}{abs(point):02d}"
    if exponent >= 0:
        # An integer in fixed notation is written with all its digits, as printf("%.0f") would: the
        # float 123456792 is "123456792", not its shortest digits "12345679" and a zero.
        fixed = str(abs(int(value)))
    elif point >= 0:
        fixed = text[: point + 1] + "." + text[point + 1 :]
    else:
        fixed = "0." + "0" * (-point - 1) + text
    return ("-" if sign else "") + (fixed if len(fixed) <= len(scientific) else scientific)


def parse_value(text, dtype):
    """A value of the model file; raises ValueError for anything else."""
    if text.startswith("nan:0x"):
        digits = text[6:]
        width = 16 if dtype == np.float64 else 8
        if len(digits) != width or not re.fullmatch(r"[0-9a-fA-F]+", digits):
            raise ValueError(f"expected a NaN as nan:0x and {width} hex digits")
        bits = np.array([int(digits, 16)], dtype=np.uint64 if dtype == np.float64 else np.uint32)
        value = bits.view(dtype)[0]
        if not np.isnan(value):
            raise ValueError(f"{text} is not the bit pattern of a NaN")
        return value
    if not re.fullmatch(r"[-+]?(inf|infinity|(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)", text, re.IGNORECASE) or text[0] == "+":
        raise ValueError(f"expected a {scalar_name(dtype)} value")
    value = dtype(text)  # NumPy rounds the decimal text to the type
    if np.isinf(value) and "inf" not in text.lower():
        raise ValueError(f"the value is out of the range of {scalar_name(dtype)}")
    return value


def cpp_literal(value):
    """An exact C++ expression for value: a hex-float literal (with f for float), or a bit_cast."""
    is_float = isinstance(value, np.float32)
    if not np.isfinite(value):
        if is_float:
            return f"std::bit_cast<float>(std::uint32_t{{0x{int(_bits(np.array([value]))[0]):08x}}})"
        return f"std::bit_cast<double>(std::uint64_t{{0x{int(_bits(np.array([value]))[0]):016x}}})"
    # float.hex() writes 13 hex digits; a float needs at most 6, so the zeros are dropped.
    text = re.sub(r"\.?0+p", "p", float(value).hex()) if is_float else float(value).hex()
    return text + ("f" if is_float else "")


# ---- model files ----

def model_text(model):
    """The model file (format version 2) of model, byte for byte as ctnn::save writes it."""
    lines = [f"ctnn-model {FORMAT_VERSION}", f"scalar {scalar_name(model.dtype)}", f"layers {len(model.layers)}"]
    for position, layer in enumerate(model.layers, start=1):
        if isinstance(layer, StandardizeLayer):
            lines.append(f"layer {position} Standardize {layer.inputs} {layer.outputs}")
        else:
            lines.append(f"layer {position} Dense {layer.inputs} {layer.outputs} {layer.activation}")
    values = model.values()
    lines.append(f"parameters {values.size}")
    lines.extend(decimal_text(v) for v in values)
    lines.append(f"checksum {fingerprint(values):016x}")
    lines.append("end")
    return "\n".join(lines) + "\n"


def parse_model_text(text, source="<text>"):
    """The Model of a model file's text; raises ConversionError naming the line and what was wrong."""
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
        if line.endswith("\r"):
            fail(f"expected {expected}, found a line ended by \\r\\n (model files end lines with \\n only)")
        return line

    def keyed(key, expected):
        fields = next_line(f'"{key} {expected}"').split(" ")
        if len(fields) != 2 or fields[0] != key:
            fail(f'expected "{key} {expected}", found "{" ".join(fields)}"')
        return fields[1]

    version = keyed("ctnn-model", FORMAT_VERSION)
    if not version.isdigit():
        fail(f"expected \"ctnn-model {FORMAT_VERSION}\" (the first line of a ctnn model file), found \"ctnn-model {version}\"")
    if int(version) < FORMAT_VERSION:
        fail(f"format version {version} was written by an older ctnn; this reads version {FORMAT_VERSION} only "
             "(load it with ctnn 0.1 and save it again)")
    if int(version) > FORMAT_VERSION:
        fail(f"format version {version} was written by a newer ctnn; this reads version {FORMAT_VERSION} only")
    scalar = keyed("scalar", "double|float")
    if scalar not in SCALARS:
        fail(f"scalar type: expected double or float, found \"{scalar}\"")
    dtype = SCALARS[scalar]
    count = keyed("layers", "<count>")
    if not count.isdigit() or int(count) == 0:
        fail(f"layer count: expected a positive count, found \"{count}\"")
    shapes = []
    for position in range(1, int(count) + 1):
        line = next_line(f"layer {position}")
        fields = line.split(" ")
        if len(fields) < 5 or fields[0] != "layer" or fields[1] != str(position) or not all(f.isdigit() for f in fields[3:5]):
            fail(f'expected "layer {position} <kind> <inputs> <outputs> ...", found "{line}"')
        kind, inputs, outputs = fields[2], int(fields[3]), int(fields[4])
        if kind == "Standardize" and len(fields) == 5 and inputs == outputs:
            shapes.append((kind, inputs, outputs, None))
        elif kind == "Dense" and len(fields) == 6 and is_activation(fields[5]):
            shapes.append((kind, inputs, outputs, fields[5]))
        else:
            fail(f"layer {position}: expected a Standardize (In = Out) or a Dense with a ctnn activation, found \"{line}\"")
    expected_count = sum(2 * i if k == "Standardize" else o * i + o for k, i, o, _ in shapes)
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
    for kind, inputs, outputs, activation in shapes:
        if kind == "Standardize":
            layers.append(StandardizeLayer(values[at : at + inputs], values[at + inputs : at + 2 * inputs]))
            at += 2 * inputs
        else:
            weights = values[at : at + inputs * outputs].reshape(outputs, inputs)
            at += inputs * outputs
            layers.append(DenseLayer(weights, values[at : at + outputs], activation))
            at += outputs
    try:
        return Model(dtype, layers)
    except ConversionError as error:
        raise ConversionError(f"cannot load model \"{source}\": {error}") from None


def load(path):
    """The Model saved at path (a ctnn model file, format version 2)."""
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


def save(model, path):
    write_atomically(path, model_text(model).encode("ascii"))


# ---- headers ----

CPP_KEYWORDS = set("""alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t
char32_t class compl concept const consteval constexpr constinit const_cast continue co_await co_return co_yield
decltype default delete do double dynamic_cast else enum explicit export extern false float for friend goto if inline
int long mutable namespace new noexcept not not_eq nullptr operator or or_eq private protected public register
reinterpret_cast requires return short signed sizeof static static_assert static_cast struct switch template this
thread_local throw true try typedef typeid typename union unsigned using virtual void volatile wchar_t while xor
xor_eq""".split())


def invalid_name_reason(name):
    """Why name cannot name the header's constexpr object, or None (ctnn::emit_header's rules)."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return "it is not a C++ identifier (letters, digits and _, not starting with a digit)"
    if name in CPP_KEYWORDS:
        return "it is a C++ keyword"
    if name.startswith("_") or "__" in name:
        return "it is reserved (starts with _ or contains __)"
    if name in ("ctnn", "std", "boost", "main"):
        return "it is a name the generated header uses"
    return None


def _rows(values, indent, per_line):
    literals = [cpp_literal(v) for v in values]
    lines = [", ".join(literals[i : i + per_line]) for i in range(0, len(literals), per_line)]
    return (",\n" + indent).join(lines)


def model_header(model, name, source_note="", check=None):
    """The text of a C++ header that defines model as `inline constexpr <its Network type> name`, with
    exact literals and the fingerprint static_assert, like ctnn::emit_header. check, when given, is a
    dict with inputs (n, In), expected (n, Out), tolerance, framework and note: the header then
    static_asserts that ctnn's predict reproduces expected within tolerance."""
    reason = invalid_name_reason(name)
    if reason:
        raise ConversionError(f"the name \"{name}\" cannot be used: {reason}")
    scalar = scalar_name(model.dtype)
    out = ["#pragma once",
           "// clang-format off",
           "// Generated by ctnn-export" + (f" from {source_note}" if source_note else "") + ": a model as a constexpr",
           "// object. Every parameter is an exact hexadecimal literal, so this model has the bits of the one it",
           "// was exported from. Do not edit.",
           "",
           "#include <bit>",
           "#include <cstddef>",
           "#include <cstdint>",
           "#include <ratio>",
           "",
           "#include <ctnn/ctnn.hpp>"]
    if any(isinstance(layer, StandardizeLayer) for layer in model.layers):
        out.append("#include <ctnn/standardize.hpp>")
    out += ["", f"inline constexpr {model.cpp_type()} {name}{{{{"]
    for position, layer in enumerate(model.layers, start=1):
        spelling = layer_spelling(layer, model.dtype)
        end = "," if position < len(model.layers) else ""
        if isinstance(layer, StandardizeLayer):
            out += [f"    {spelling}{{",
                    f"        {{{{  // layer {position} mean",
                    "            " + _rows(layer.mean, "            ", 4),
                    "        }},",
                    f"        {{{{  // layer {position} deviation",
                    "            " + _rows(layer.deviation, "            ", 4),
                    "        }}}" + end]
        else:
            out += [f"    {spelling}{{",
                    f"        {{{{  // layer {position} weights, {layer.outputs} x {layer.inputs}, row-major"]
            rows = [_rows(row, "            ", layer.inputs) for row in layer.weights]
            out.append("            " + ",\n            ".join(rows))
            out += ["        }},",
                    f"        {{{{  // layer {position} bias",
                    "            " + _rows(layer.bias, "            ", 4),
                    "        }}}" + end]
    out += ["}};", "",
            f"static_assert(parameter_fingerprint({name}) == std::uint64_t{{0x{model.fingerprint():016x}}},",
            f"              \"ctnn: {name} must have the parameters it was generated from\");"]
    if check is not None:
        out += _check_block(model, name, scalar, check)
    return "\n".join(out) + "\n"


def _check_block(model, name, scalar, check):
    inputs = np.asarray(check["inputs"], dtype=model.dtype)
    expected = np.asarray(check["expected"], dtype=model.dtype)
    n = inputs.shape[0]
    tolerance = np.float64(check["tolerance"])
    lines = ["",
             f"// --check {n}: {check['note']}",
             f"// {check['framework']}'s outputs for them follow; ctnn's predict must give each output e within",
             f"// {name}_check_tolerance * max(1, |e|) (the tolerance: {check['tolerance_note']}).",
             f"inline constexpr {scalar} {name}_check_inputs[{n}][{model.inputs}] = {{"]
    lines += ["    {" + _rows(row, "     ", model.inputs) + "}" + ("," if i + 1 < n else "") for i, row in enumerate(inputs)]
    lines += ["};", f"inline constexpr {scalar} {name}_check_outputs[{n}][{model.outputs}] = {{"]
    lines += ["    {" + _rows(row, "     ", model.outputs) + "}" + ("," if i + 1 < n else "") for i, row in enumerate(expected)]
    lines += ["};",
              f"inline constexpr double {name}_check_tolerance = {cpp_literal(tolerance)};  // {float(tolerance):.3g}",
              "",
              f"/// The largest |ctnn - {check['framework']}| / max(1, |{check['framework']}|) over the check outputs.",
              f"constexpr double {name}_check_worst_difference()",
              "{",
              "  double worst = 0;",
              f"  for (std::size_t k = 0; k < {n}; ++k) {{",
              f"    ctnn::Vector<{scalar}, {model.inputs}> x{{}};",
              f"    for (std::size_t i = 0; i < {model.inputs}; ++i) x.values[i] = {name}_check_inputs[k][i];",
              f"    const auto y = {name}.predict(x);",
              f"    for (std::size_t o = 0; o < {model.outputs}; ++o) {{",
              f"      const double e = {name}_check_outputs[k][o];",
              "      const double scale = e > 1 ? e : (e < -1 ? -e : 1);",
              "      const double difference = (double(y.values[o]) - e) / scale;",
              "      const double magnitude = difference < 0 ? -difference : difference;",
              "      if (!(magnitude <= worst)) worst = magnitude;  // a NaN output makes worst NaN: fails below",
              "    }",
              "  }",
              "  return worst;",
              "}",
              "",
              f"static_assert({name}_check_worst_difference() <= {name}_check_tolerance,",
              f"              \"ctnn: {name} does not reproduce {check['framework']}'s outputs within the tolerance: \"",
              "              \"the model was converted wrongly\");"]
    return lines


def check_inputs(count, low, high, seed=0):
    """count inputs drawn uniformly between low and high (arrays of the input width), from seed."""
    generator = np.random.default_rng(seed)
    low = np.asarray(low, dtype=np.float64)
    high = np.asarray(high, dtype=np.float64)
    return low + (high - low) * generator.random((count, low.shape[0]))


# ---- PyTorch and scikit-learn ----

TORCH_SUPPORTED = ("Linear (a missing bias is a zero bias), Sigmoid, Tanh, ReLU, LeakyReLU, Softplus (beta=1), "
                   "Softmax (dim=1 or -1), Identity, and ctnn_interop.Standardize")
SKLEARN_ACTIVATIONS = {"relu": "relu", "tanh": "tanh", "logistic": "sigmoid", "identity": "linear", "softmax": "softmax"}
_torch_classes = {}


def __getattr__(name):
    # ctnn_interop.Standardize, the PyTorch module of ctnn's Standardize layer, is made on first use so
    # that this module imports without torch; pickle finds it by this name when loading a model.
    if name == "Standardize":
        return _torch_standardize()
    raise AttributeError(f"module 'ctnn_interop' has no attribute {name!r}")


def _torch_standardize():
    if "Standardize" not in _torch_classes:
        import torch

        class Standardize(torch.nn.Module):
            """y = (x - mean) / deviation: ctnn's Standardize layer as a PyTorch module (buffers only)."""

            def __init__(self, mean, deviation):
                super().__init__()
                self.register_buffer("mean", torch.as_tensor(mean).clone())
                self.register_buffer("deviation", torch.as_tensor(deviation).clone())

            def forward(self, x):
                return (x - self.mean) / self.deviation

            def extra_repr(self):
                return f"{self.mean.shape[0]}"

        Standardize.__module__ = __name__
        Standardize.__qualname__ = "Standardize"
        _torch_classes["Standardize"] = Standardize
    return _torch_classes["Standardize"]


def load_source(path):
    """What MODEL names for ctnn-export: a ctnn model file (returned as a Model), or the object in a
    torch.save file or a pickle (joblib) file. Unpickling runs code chosen by whoever wrote the file,
    so torch.load is called with weights_only=False on purpose: export only models you trust."""
    import zipfile

    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(b"ctnn-model "):
        return load(path)
    import pickle

    try:
        if zipfile.is_zipfile(path):
            import torch

            return torch.load(path, map_location="cpu", weights_only=False)
        try:
            import joblib
        except ImportError:
            with open(path, "rb") as f:
                return pickle.load(f)
        return joblib.load(path)
    except (pickle.UnpicklingError, EOFError, RuntimeError, ValueError, KeyError, IndexError) as error:
        raise ConversionError(f"cannot read it as a torch.save file, a pickle or a ctnn model file "
                              f"({type(error).__name__}: {error})") from None


def slope_fraction(slope, dtype):
    """The simplest std::ratio n/d (0 <= n/d < 1) whose T(n) / T(d) is the slope in the type T."""
    target = dtype(slope)
    for digits in range(1, 19):
        fraction = Fraction(float(slope)).limit_denominator(10**digits)
        if 0 <= fraction < 1 and fraction.denominator <= INTMAX and \
                dtype(fraction.numerator) / dtype(fraction.denominator) == target:
            return fraction
    return None


def _describe(module):
    extra = module.extra_repr()
    return f"{type(module).__name__}({extra})"


# Above this, PyTorch's Softplus returns h itself instead of log(1 + e^h); ctnn always computes the
# latter. They differ by at most e^-threshold, below half an ulp of h in double from 40 on.
SOFTPLUS_EXACT_THRESHOLD = 40.0


def from_torch(module, dtype=None):
    """(Model, reference, notes) for a torch.nn.Sequential: reference(x) runs the module in the
    model's scalar type. A Softplus whose threshold is below SOFTPLUS_EXACT_THRESHOLD runs with that
    threshold instead, so that the reference computes ctnn's function; notes is then a dict with
    "changed" (which modules) and "original" (the unchanged module's outputs), else empty."""
    import copy

    import torch

    nn = torch.nn
    if not isinstance(module, nn.Sequential):
        raise ConversionError(
            f"the model is a {type(module).__module__}.{type(module).__name__}, not a torch.nn.Sequential: only a "
            "Sequential of " + TORCH_SUPPORTED + " converts (a module with its own forward() is a graph ctnn "
            "cannot read)")
    children = list(module.named_children())
    parameter_types = {t.dtype for t in [*module.parameters(), *module.buffers()] if t.is_floating_point()}
    unsupported_types = parameter_types - {torch.float32, torch.float64}
    if unsupported_types:
        raise ConversionError(f"the model's parameters are {sorted(map(str, unsupported_types))}; ctnn models hold "
                              "float32 (float) or float64 (double)")
    if dtype is None:
        dtype = np.float64 if torch.float64 in parameter_types else np.float32
    layers, pending, notes = [], None, []

    def flush(activation):
        nonlocal pending
        weights, bias = pending
        layers.append(DenseLayer(weights, bias, activation))
        pending = None

    for position, (name, child) in enumerate(children, start=1):
        where = f"module {position} of the Sequential (\"{name}\": {_describe(child)})"
        activation = None
        if isinstance(child, nn.Linear):
            if pending is not None:
                flush("linear")
            weights = child.weight.detach().cpu().numpy()
            bias = child.bias.detach().cpu().numpy() if child.bias is not None else np.zeros(weights.shape[0])
            pending = (weights.astype(dtype), bias.astype(dtype))
            continue
        if isinstance(child, nn.Identity):
            continue
        if type(child).__name__ == "Standardize" and type(child).__module__ == __name__:
            if pending is not None:
                flush("linear")
            layers.append(StandardizeLayer(child.mean.detach().cpu().numpy().astype(dtype),
                                           child.deviation.detach().cpu().numpy().astype(dtype)))
            continue
        if isinstance(child, nn.Sigmoid):
            activation = "sigmoid"
        elif isinstance(child, nn.Tanh):
            activation = "tanh"
        elif isinstance(child, nn.ReLU):
            activation = "relu"
        elif isinstance(child, nn.LeakyReLU):
            slope = slope_fraction(child.negative_slope, dtype)
            if slope is None:
                raise ConversionError(f"{where}: ctnn's LeakyReLU needs a slope in [0, 1) that a std::ratio gives "
                                      f"exactly in {scalar_name(dtype)}, not {child.negative_slope!r}")
            activation = leaky_relu_name(slope)
        elif isinstance(child, nn.Softplus):
            if child.beta != 1:
                raise ConversionError(f"{where}: ctnn's Softplus is log(1 + e^h), beta=1 only, not beta={child.beta}")
            if child.threshold < SOFTPLUS_EXACT_THRESHOLD:
                notes.append(f"Softplus(threshold={child.threshold:g}) at module {position}")
            activation = "softplus"
        elif isinstance(child, nn.Softmax):
            if child.dim not in (None, 1, -1):
                raise ConversionError(f"{where}: only a Softmax over the features (dim=1 or dim=-1) converts")
            activation = "softmax"
        else:
            raise ConversionError(f"{where} is not supported: ctnn-export converts {TORCH_SUPPORTED}")
        if pending is None:
            raise ConversionError(f"{where} does not follow a Linear: each ctnn activation belongs to the Dense layer "
                                  "before it")
        flush(activation)
    if pending is not None:
        flush("linear")
    if not any(isinstance(layer, DenseLayer) for layer in layers):
        raise ConversionError("the Sequential has no Linear layer")
    model = Model(dtype, layers)
    torch_type = torch.float64 if model.dtype == np.float64 else torch.float32
    original_module = copy.deepcopy(module).to(torch_type).eval()
    reference_module = copy.deepcopy(original_module)
    for child in reference_module:
        if isinstance(child, nn.Softplus) and child.threshold < SOFTPLUS_EXACT_THRESHOLD:
            child.threshold = SOFTPLUS_EXACT_THRESHOLD

    def run(m):
        def outputs(x):
            with torch.no_grad():
                return m(torch.from_numpy(np.ascontiguousarray(x, dtype=model.dtype))).numpy()
        return outputs

    if notes:
        notes = {"changed": ", ".join(notes), "original": run(original_module)}
    return model, run(reference_module), notes


def from_sklearn(estimator, dtype=None):
    """(Model, reference, notes) for a fitted MLPClassifier, MLPRegressor or Pipeline(StandardScaler, MLP)."""
    import copy

    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    if isinstance(estimator, Pipeline):
        steps = list(estimator.steps)
    else:
        steps = [("model", estimator)]
    supported = "a fitted MLPClassifier or MLPRegressor, optionally after StandardScalers in a Pipeline"
    layers, mlp = [], None
    for position, (name, step) in enumerate(steps, start=1):
        where = f"step {position} of the Pipeline (\"{name}\": {type(step).__name__})" if len(steps) > 1 or \
            isinstance(estimator, Pipeline) else f"the model ({type(step).__name__})"
        if isinstance(step, StandardScaler) and mlp is None:
            if not hasattr(step, "n_features_in_"):
                raise ConversionError(f"{where} is not fitted")
            width = step.n_features_in_
            mean = step.mean_ if step.with_mean else np.zeros(width)
            deviation = step.scale_ if step.with_std else np.ones(width)
            layers.append(StandardizeLayer(np.asarray(mean, dtype=np.float64), np.asarray(deviation, dtype=np.float64)))
        elif isinstance(step, (MLPClassifier, MLPRegressor)) and mlp is None:
            if not hasattr(step, "coefs_"):
                raise ConversionError(f"{where} is not fitted")
            if step.activation not in SKLEARN_ACTIVATIONS:
                raise ConversionError(f"{where}: the hidden activation {step.activation!r} has no ctnn counterpart")
            mlp = step
            count = len(step.coefs_)
            for k, (coef, intercept) in enumerate(zip(step.coefs_, step.intercepts_)):
                name_k = step.out_activation_ if k == count - 1 else step.activation
                if name_k not in SKLEARN_ACTIVATIONS:
                    raise ConversionError(f"{where}: the activation {name_k!r} has no ctnn counterpart")
                layers.append(DenseLayer(np.asarray(coef).T, np.asarray(intercept), SKLEARN_ACTIVATIONS[name_k]))
        else:
            after = " after the MLP" if mlp is not None else ""
            raise ConversionError(f"{where}{after} is not supported: ctnn-export converts {supported}")
    if mlp is None:
        raise ConversionError(f"the Pipeline has no MLP: ctnn-export converts {supported}")
    source_types = {np.asarray(c).dtype for c in mlp.coefs_}
    if dtype is None:
        dtype = np.float32 if source_types == {np.dtype(np.float32)} else np.float64
    for layer in layers:  # values in the target type before the Model rounds them, so both agree
        for attribute in ("mean", "deviation", "weights", "bias"):
            if hasattr(layer, attribute):
                setattr(layer, attribute, np.asarray(getattr(layer, attribute)).astype(dtype))
    model = Model(dtype, layers)

    # The reference: scikit-learn's own predict in the model's scalar type (a copy with its arrays cast).
    reference_estimator = copy.deepcopy(estimator)
    for _, step in (reference_estimator.steps if isinstance(reference_estimator, Pipeline) else [("", reference_estimator)]):
        if isinstance(step, StandardScaler):
            for attribute in ("mean_", "scale_", "var_"):
                if getattr(step, attribute, None) is not None:
                    setattr(step, attribute, np.asarray(getattr(step, attribute)).astype(dtype))
        else:
            step.coefs_ = [np.asarray(c).astype(dtype) for c in step.coefs_]
            step.intercepts_ = [np.asarray(c).astype(dtype) for c in step.intercepts_]
    binary = isinstance(mlp, MLPClassifier) and mlp.out_activation_ == "logistic" and mlp.n_outputs_ == 1

    def reference(x):
        x = np.ascontiguousarray(x, dtype=model.dtype)
        if isinstance(mlp, MLPRegressor):
            return np.asarray(reference_estimator.predict(x)).reshape(x.shape[0], -1)
        probabilities = np.asarray(reference_estimator.predict_proba(x))
        return probabilities[:, 1:2] if binary else probabilities

    return model, reference, []


def convert(source, dtype=None):
    """(Model, reference or None, framework name, notes) for what load_source returned."""
    if isinstance(source, Model):
        if dtype is not None and np.dtype(dtype) != np.dtype(source.dtype):
            source = Model(dtype, [copy_layer(layer, dtype) for layer in source.layers])
        return source, None, "ctnn", []
    module = type(source).__module__ or ""
    if module.startswith("torch"):
        model, reference, notes = from_torch(source, dtype)
        import torch

        return model, reference, f"PyTorch {torch.__version__.split('+')[0]}", notes
    if module.startswith("sklearn"):
        model, reference, notes = from_sklearn(source, dtype)
        import sklearn

        return model, reference, f"scikit-learn {sklearn.__version__}", notes
    if type(source).__name__ == "Standardize" and module == __name__:
        module = "torch"
    raise ConversionError(f"the model is a {module}.{type(source).__name__}: ctnn-export converts a torch.nn.Sequential "
                          "(torch.save), a scikit-learn MLPClassifier, MLPRegressor or Pipeline(StandardScaler, MLP) "
                          "(pickle or joblib), or a ctnn model file")


def copy_layer(layer, dtype):
    if isinstance(layer, StandardizeLayer):
        return StandardizeLayer(layer.mean.astype(dtype), layer.deviation.astype(dtype))
    return DenseLayer(layer.weights.astype(dtype), layer.bias.astype(dtype), layer.activation)


def to_torch(model):
    """A torch.nn.Sequential that computes model: Linear layers with its weights bit for bit and the
    activation modules (Softplus with threshold=40, where PyTorch's shortcut x and log(1 + e^x) agree
    in float and double); a Standardize layer becomes ctnn_interop.Standardize."""
    import torch

    nn = torch.nn
    torch_type = torch.float64 if model.dtype == np.float64 else torch.float32
    modules = []
    for layer in model.layers:
        if isinstance(layer, StandardizeLayer):
            modules.append(_torch_standardize()(torch.from_numpy(layer.mean.copy()),
                                                torch.from_numpy(layer.deviation.copy())))
            continue
        linear = nn.Linear(layer.inputs, layer.outputs, dtype=torch_type)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(layer.weights.copy()))
            linear.bias.copy_(torch.from_numpy(layer.bias.copy()))
        modules.append(linear)
        name = layer.activation
        slope = leaky_relu_slope(name)
        if slope is not None:
            modules.append(nn.LeakyReLU(negative_slope=float(slope)))
        elif name == "sigmoid":
            modules.append(nn.Sigmoid())
        elif name == "tanh":
            modules.append(nn.Tanh())
        elif name == "relu":
            modules.append(nn.ReLU())
        elif name == "softplus":
            modules.append(nn.Softplus(beta=1, threshold=40))
        elif name == "softmax":
            modules.append(nn.Softmax(dim=-1))
    return nn.Sequential(*modules)


# The check's tolerance, relative to max(1, |expected|). float: PyTorch's float matrix products sum
# in another order (and may fuse multiply-adds) and its exp/tanh differ from ctnn's by an ulp or so;
# double: the same effects at 2^-52. The interop tests print the worst differences they see (README, Interop).
CHECK_TOLERANCE = {np.float32: 16 * 2.0**-23, np.float64: 1e-12}


def check_tolerance(model):
    """(tolerance, explanation) for the --check static_assert."""
    if model.dtype == np.float32:
        return CHECK_TOLERANCE[np.float32], "16 float ulps, 16 x 2^-23"
    return CHECK_TOLERANCE[np.float64], "1e-12"
