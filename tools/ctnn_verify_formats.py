"""Formats for tools/ctnn-verify, in plain Python (no NumPy or onnx package needed):

- read_onnx: a graph that is a chain of MatMul/Gemm (+ Add), Relu, Sub/Add/Div by constants (a
  Standardize layer), Flatten/Identity, with float or double initializers, read straight from the
  protobuf bytes. (tools/ctnn_interop reads more of ONNX, but needs NumPy and the onnx package.)
- read_nnet: the .nnet text format of the ACAS Xu networks, its input normalisation as a Standardize
  layer (inputs outside the file's min/max are clipped by the original; here the box is clipped).
- parse_vnnlib: declare-const, assert of bounds and linear constraints, (or (and ...) ...), into
  regions (input boxes) each with the output violation as cases of constraints sum c_j Y_j <= d.
- model_text: a ctnn model file (docs/model_file.md) of the layers.
"""

import math
import struct

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3


class FormatError(Exception):
    pass


# ---- layers: ("standardize", mean, deviation) / ("dense", weights rows [out][in], bias, activation) ----

def architecture(layers, scalar):
    """The C++ network type for the layers."""
    parts = []
    for layer in layers:
        if layer[0] == "standardize":
            parts.append(f"ctnn::Standardize<{len(layer[1])}, {scalar}>")
        else:
            activation = {"relu": "ctnn::ReLU", "linear": "ctnn::Identity"}[layer[3]]
            parts.append(f"ctnn::Dense<{len(layer[1][0])}, {len(layer[1])}, {activation}, {scalar}>")
    return "ctnn::Network<" + ", ".join(parts) + ">"


def evaluate(layers, x):
    """The network in double arithmetic (an independent check of a counterexample)."""
    for layer in layers:
        if layer[0] == "standardize":
            x = [(v - m) / d for v, m, d in zip(x, layer[1], layer[2])]
        else:
            x = [sum(w * v for w, v in zip(row, x)) + b for row, b in zip(layer[1], layer[2])]
            if layer[3] == "relu":
                x = [max(v, 0.0) for v in x]
    return x


# ---- protobuf ----

def _varint(data, at):
    result = shift = 0
    while True:
        byte = data[at]
        at += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, at


def _fields(data):
    at, out = 0, []
    while at < len(data):
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(data, at)
        elif wire == 2:
            size, at = _varint(data, at)
            value, at = data[at:at + size], at + size
        elif wire == 5:
            value, at = data[at:at + 4], at + 4
        elif wire == 1:
            value, at = data[at:at + 8], at + 8
        else:
            raise FormatError(f"unsupported protobuf wire type {wire}")
        out.append((number, wire, value))
    return out


def _tensor(data):
    dims, kind, name, raw, floats, doubles = [], 1, "", None, [], []
    for number, wire, value in _fields(data):
        if number == 1:
            if wire == 2:  # packed
                at = 0
                while at < len(value):
                    v, at = _varint(value, at)
                    dims.append(v)
            else:
                dims.append(value)
        elif number == 2:
            kind = value
        elif number == 8:
            name = value.decode()
        elif number == 9:
            raw = value
        elif number == 4:
            floats.extend(struct.unpack(f"<{len(value) // 4}f", value) if wire == 2 else struct.unpack("<f", value))
        elif number == 10:
            doubles.extend(struct.unpack(f"<{len(value) // 8}d", value) if wire == 2 else struct.unpack("<d", value))
    if kind not in (1, 11):
        raise FormatError(f"initializer {name}: element type {kind} is neither float nor double")
    if raw is not None:
        size = 4 if kind == 1 else 8
        values = list(struct.unpack(f"<{len(raw) // size}{'f' if kind == 1 else 'd'}", raw))
    else:
        values = floats if kind == 1 else doubles
    return name, dims, values, "float" if kind == 1 else "double"


def _attributes(fields):
    out = {}
    for number, _, value in fields:
        if number == 5:
            name, ints, i, f = "", [], None, None
            for n, w, v in _fields(value):
                if n == 1:
                    name = v.decode()
                elif n == 3:
                    i = v
                elif n == 2:
                    f = struct.unpack("<f", v)[0]
            out[name] = i if i is not None else f
    return out


def read_onnx(path):
    """(layers, scalar) of an ONNX chain network."""
    data = open(path, "rb").read()
    graph = next((v for n, w, v in _fields(data) if n == 7), None)
    if graph is None:
        raise FormatError("no graph in the ONNX file")
    constants, nodes, scalar = {}, [], "float"
    for number, _, value in _fields(graph):
        if number == 5:
            name, dims, values, scalar = _tensor(value)
            constants[name] = (dims, values)
        elif number == 1:
            fields = _fields(value)
            inputs = [v.decode() for n, _, v in fields if n == 1]
            op = next(v.decode() for n, _, v in fields if n == 4)
            nodes.append((op, inputs, _attributes(fields)))
    layers = []
    pending = None  # a dense layer waiting for its Add and activation

    def flush(activation="linear"):
        nonlocal pending
        if pending is not None:
            layers.append(("dense", pending[0], pending[1], activation))
            pending = None

    for op, inputs, attrs in nodes:
        consts = [constants[i] for i in inputs if i in constants]
        if op in ("Flatten", "Identity", "Dropout", "Reshape"):
            continue
        if op in ("MatMul", "Gemm"):
            flush()
            dims, w = consts[0]
            rows, cols = dims[0], dims[1]
            matrix = [[w[r * cols + c] for c in range(cols)] for r in range(rows)]
            transposed = op == "MatMul" or not attrs.get("transB", 0)
            if op == "Gemm" and attrs.get("transA", 0):
                raise FormatError("Gemm with transA is not supported")
            if transposed:  # x W: W is [in][out]
                matrix = [[matrix[r][c] for r in range(rows)] for c in range(cols)]
            bias = [0.0] * len(matrix)
            if op == "Gemm" and len(consts) > 1:
                bias = list(consts[1][1])
            pending = [matrix, bias]
        elif op == "Add" and pending is not None and consts:
            pending[1] = [b + v for b, v in zip(pending[1], consts[0][1])]
        elif op == "Relu":
            if pending is None:
                raise FormatError("Relu without a MatMul or Gemm before it")
            flush("relu")
        elif op in ("Sub", "Add", "Div", "Mul") and pending is None and consts:
            values = consts[0][1]
            n = len(values)
            if layers and layers[-1][0] == "standardize":
                mean, deviation = layers.pop()[1:]
            else:
                mean, deviation = [0.0] * n, [1.0] * n
            if len(mean) != n:
                mean, deviation = [mean[0]] * n, [deviation[0]] * n
            if op == "Sub":
                mean = [m + v * d for m, v, d in zip(mean, values, deviation)]
            elif op == "Add":
                mean = [m - v * d for m, v, d in zip(mean, values, deviation)]
            elif op == "Div":
                deviation = [d * v for d, v in zip(deviation, values)]
            else:
                deviation = [d / v for d, v in zip(deviation, values)]
            layers.append(("standardize", mean, deviation))
        else:
            raise FormatError(f"ONNX node {op} is not supported here (a chain of MatMul/Gemm, Add, Relu)")
    flush()
    # A Standardize that subtracts 0 and divides by 1 changes nothing: leave it out.
    layers = [l for l in layers if not (l[0] == "standardize" and all(m == 0 for m in l[1]) and all(d == 1 for d in l[2]))]
    return layers, scalar


def read_nnet(path):
    """(layers, scalar): the .nnet network in double with a Standardize layer for its input normalisation,
    and the inputs' (min, max) from the file (as a third element)."""
    lines = [l.strip() for l in open(path) if l.strip() and not l.startswith("//")]
    numbers = [[float(v) for v in l.rstrip(",").split(",") if v.strip()] for l in lines]
    count, inputs = int(numbers[0][0]), int(numbers[0][1])
    sizes = [int(v) for v in numbers[1]]
    minimum, maximum, means, ranges = numbers[3], numbers[4], numbers[5], numbers[6]
    at = 7
    layers = [("standardize", means[:inputs], ranges[:inputs])]
    for k in range(count):
        rows = [numbers[at + r] for r in range(sizes[k + 1])]
        at += sizes[k + 1]
        bias = [numbers[at + r][0] for r in range(sizes[k + 1])]
        at += sizes[k + 1]
        layers.append(("dense", rows, bias, "relu" if k + 1 < count else "linear"))
    return layers, "double", (minimum, maximum)


# ---- VNN-LIB ----

def _tokens(text):
    text = "\n".join(line.split(";", 1)[0] for line in text.splitlines())
    return text.replace("(", " ( ").replace(")", " ) ").split()


def _parse(tokens, at=0):
    if tokens[at] == "(":
        out, at = [], at + 1
        while tokens[at] != ")":
            item, at = _parse(tokens, at)
            out.append(item)
        return out, at + 1
    return tokens[at], at + 1


def _linear(term):
    """{variable: coefficient, None: constant} of an arithmetic term."""
    if isinstance(term, str):
        try:
            return {None: float(term)}
        except ValueError:
            return {term: 1.0}
    op, args = term[0], [_linear(a) for a in term[1:]]

    def add(a, b, sign=1.0):
        out = dict(a)
        for k, v in b.items():
            out[k] = out.get(k, 0.0) + sign * v
        return out
    if op == "+":
        out = {}
        for a in args:
            out = add(out, a)
        return out
    if op == "-":
        if len(args) == 1:
            return {k: -v for k, v in args[0].items()}
        out = args[0]
        for a in args[1:]:
            out = add(out, a, -1.0)
        return out
    if op == "*":
        out = {None: 1.0}
        for a in args:
            if set(out) == {None}:
                out = {k: v * out[None] for k, v in a.items()}
            elif set(a) == {None}:
                out = {k: v * a[None] for k, v in out.items()}
            else:
                raise FormatError("a product of two variables is not linear")
        return out
    raise FormatError(f"unsupported term operator {op}")


def _dnf(formula):
    """A list of conjunctions (lists of atoms (op, left, right))."""
    op = formula[0]
    if op == "and":
        result = [[]]
        for part in formula[1:]:
            result = [a + b for a in result for b in _dnf(part)]
        return result
    if op == "or":
        return [c for part in formula[1:] for c in _dnf(part)]
    if op in ("<=", ">=", "<", ">"):
        return [[(op, _linear(formula[1]), _linear(formula[2]))]]
    raise FormatError(f"unsupported VNN-LIB operator {op}")


def parse_vnnlib(text, inputs, outputs):
    """[(box lower, box upper, cases)], cases a list of [(coefficients over Y, op '<=' or '<', d)]:
    the violation is some region and some case with all its constraints."""
    tokens, at, formula = _tokens(text), 0, ["and"]
    while at < len(tokens):
        item, at = _parse(tokens, at)
        if item[0] == "assert":
            formula.append(item[1])
        elif item[0] != "declare-const":
            raise FormatError(f"unsupported VNN-LIB command {item[0]}")
    regions = {}
    for conjunction in _dnf(formula):
        lower, upper, constraints = [-math.inf] * inputs, [math.inf] * inputs, []
        for op, left, right in conjunction:
            # left op right  ->  (left - right) op 0, as sum c v <= d (or <)
            difference = dict(left)
            for k, v in right.items():
                difference[k] = difference.get(k, 0.0) - v
            if op in (">=", ">"):
                difference = {k: -v for k, v in difference.items()}
            strict = op in ("<", ">")
            constant = -difference.pop(None, 0.0)
            variables = {k: v for k, v in difference.items() if v != 0.0}
            if all(k.startswith("X_") for k in variables) and len(variables) == 1:
                (name, c), = variables.items()
                i, bound = int(name[2:]), constant / c
                if c > 0:
                    upper[i] = min(upper[i], bound)
                else:
                    lower[i] = max(lower[i], bound)
            elif all(k.startswith("Y_") for k in variables):
                coefficients = [0.0] * outputs
                for k, v in variables.items():
                    coefficients[int(k[2:])] = v
                constraints.append((coefficients, "<" if strict else "<=", constant))
            else:
                raise FormatError("a constraint mixes inputs, or bounds a sum of inputs")
        key = (tuple(lower), tuple(upper))
        regions.setdefault(key, []).append(constraints)
    return [(list(l), list(u), cases) for (l, u), cases in regions.items()]


def property_text(regions, inputs, outputs):
    out = [f"inputs {inputs}", f"outputs {outputs}"]
    for lower, upper, cases in regions:
        out.append("region")
        out.extend(f"{float(l).hex()} {float(u).hex()}" for l, u in zip(lower, upper))
        out.append(f"cases {len(cases)}")
        for case in cases:
            out.append(f"case {len(case)}")
            out.extend(" ".join(float(c).hex() for c in coefficients) + f" {op} {float(d).hex()}"
                       for coefficients, op, d in case)
    return "\n".join(out) + "\n"


# ---- ctnn model file ----

def _fnv1a(data, h=FNV_OFFSET):
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return h


def _shortest(value, scalar):
    if scalar == "double":
        return repr(value)
    for digits in range(1, 10):
        text = f"{value:.{digits}g}"
        if struct.unpack("<f", struct.pack("<f", float(text)))[0] == value:
            return text
    return repr(value)


def model_text(layers, scalar):
    head = [f"scalar {scalar}", f"layers {len(layers)}"]
    values = []
    for position, layer in enumerate(layers, start=1):
        if layer[0] == "standardize":
            n = len(layer[1])
            head.append(f"layer {position} Standardize {n} {n}")
            values += list(layer[1]) + list(layer[2])
        else:
            rows = layer[1]
            head.append(f"layer {position} Dense {len(rows[0])} {len(rows)} {layer[3]}")
            values += [w for row in rows for w in row] + list(layer[2])
    code = "<f" if scalar == "float" else "<d"
    if scalar == "float":
        values = [struct.unpack("<f", struct.pack("<f", v))[0] for v in values]
    head_text = "".join(line + "\n" for line in head)
    data = b"".join(struct.pack(code, v) for v in values)
    lines = [f"ctnn-model 3", head_text.rstrip("\n"), f"architecture {_fnv1a(head_text.encode('ascii')):016x}",
             f"parameters {len(values)}"]
    lines += [_shortest(v, scalar) for v in values]
    lines += [f"checksum {_fnv1a(data):016x}", "end"]
    return "\n".join(lines) + "\n"
