"""A NumPy evaluator of ONNX graphs (no onnxruntime): the reference outputs of ctnn-export --check
and of the tests, and the constant folding of the converter (onnx_io).

It runs the ops ctnn-export converts and the shape arithmetic exporters write around them, each
node in the graph's order, in the type of its inputs. Shape values may hold BATCH, the batch size,
which is not a constant: the converter folds Shape -> Gather -> Unsqueeze -> Concat with it, and
any arithmetic on it raises NotConstant."""

import numpy as np

from .errors import ConversionError


class NotConstant(Exception):
    """Arithmetic on the batch size, which a ctnn model does not know."""


class _Batch:
    """The batch dimension in a shape computed from the graph's input."""

    def __repr__(self):
        return "N"

    def _refuse(self, *_):
        raise NotConstant("the batch size")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _refuse
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __neg__ = __int__ = __index__ = _refuse


BATCH = _Batch()


def numpy_type(onnx_type):
    """The NumPy type of an ONNX TensorProto data type, or None."""
    import onnx

    try:
        return np.dtype(onnx.helper.tensor_dtype_to_np_dtype(onnx_type))
    except AttributeError:  # onnx < 1.13
        from onnx import mapping

        return np.dtype(mapping.TENSOR_TYPE_TO_NP_TYPE[onnx_type]) if onnx_type in mapping.TENSOR_TYPE_TO_NP_TYPE \
            else None
    except (KeyError, TypeError, ValueError):
        return None


def attributes(node):
    """A node's attributes by name, as Python values (tensors as NumPy arrays, strings as str)."""
    import onnx
    from onnx import numpy_helper

    values = {}
    for attribute in node.attribute:
        value = onnx.helper.get_attribute_value(attribute)
        if isinstance(value, onnx.TensorProto):
            value = numpy_helper.to_array(value)
        elif isinstance(value, bytes):
            value = value.decode("utf-8", errors="replace")
        values[attribute.name] = value
    return values


def _axes(node, inputs, opset, since, position=1):
    """Axes given as an attribute before opset `since`, as an (optional) input from it on."""
    if opset < since:
        return attributes(node).get("axes")
    if len(inputs) > position and inputs[position] is not None:
        return [int(a) for a in np.asarray(inputs[position]).reshape(-1)]
    return None


def _same_type(result, like):
    return np.asarray(result).astype(np.asarray(like).dtype, copy=False)


def _int_divide(a, b):
    """Integer division truncating toward zero, as ONNX's Div on integers."""
    quotient = np.abs(a) // np.abs(b)
    return np.where((np.asarray(a) < 0) != (np.asarray(b) < 0), -quotient, quotient)


def _softmax(x, axis, opset):
    x = np.asarray(x)
    if axis < 0:
        axis += x.ndim
    if opset < 13:  # the input is seen as 2-D: the dimensions before axis, and those from axis on
        shape = x.shape
        flat = x.reshape(int(np.prod(shape[:axis])), -1)
        e = np.exp(flat - flat.max(axis=1, keepdims=True))
        return (e / e.sum(axis=1, keepdims=True)).reshape(shape)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _slice(data, starts, ends, axes, steps):
    data = np.asarray(data)
    if axes is None:
        axes = list(range(len(starts)))
    if steps is None:
        steps = [1] * len(starts)
    index = [slice(None)] * data.ndim
    for start, end, axis, step in zip(starts, ends, axes, steps):
        index[int(axis)] = slice(int(start), int(end), int(step))
    return data[tuple(index)]


def run_node(node, inputs, opset):
    """The outputs (a list) of one node for its inputs (NumPy arrays, None for an absent optional
    input). Raises ConversionError for an op this evaluator does not know."""
    op = node.op_type
    a = attributes(node)
    x = inputs[0] if inputs else None
    if op == "Constant":
        for key in ("value", "value_float", "value_floats", "value_int", "value_ints"):
            if key in a:
                value = a[key]
                if key in ("value_float", "value_floats"):
                    value = np.asarray(value, dtype=np.float32)
                elif key in ("value_int", "value_ints"):
                    value = np.asarray(value, dtype=np.int64)
                return [np.asarray(value)]
        raise ConversionError(f"a Constant of kind {sorted(a)} cannot be read")
    if op == "ConstantOfShape":
        value = a.get("value", np.zeros(1, dtype=np.float32))
        return [np.full([int(d) for d in np.asarray(x).reshape(-1)], value.reshape(-1)[0], dtype=value.dtype)]
    if op == "Identity":
        return [x]
    if op == "Dropout":  # inference: the input unchanged, and a mask of ones
        return [x, np.ones(np.shape(x), dtype=bool)]
    if op == "Shape":
        shape = np.array(np.shape(x), dtype=np.int64)
        return [shape[a.get("start", 0) : a.get("end", len(shape))]]
    if op == "Gather":
        return [np.take(x, np.asarray(inputs[1]).astype(np.int64), axis=a.get("axis", 0))]
    if op == "Unsqueeze":
        axes = _axes(node, inputs, opset, 13)
        rank = np.ndim(x) + len(axes)
        result = np.asarray(x)
        for axis in sorted(axis + rank if axis < 0 else axis for axis in axes):
            result = np.expand_dims(result, axis)
        return [result]
    if op == "Squeeze":
        axes = _axes(node, inputs, opset, 13)
        if axes is None:
            return [np.squeeze(x)]
        return [np.squeeze(x, axis=tuple(axis + np.ndim(x) if axis < 0 else axis for axis in axes))]
    if op == "Concat":
        return [np.concatenate([np.asarray(v) for v in inputs if v is not None], axis=a["axis"])]
    if op == "Slice":
        if opset < 10:
            return [_slice(x, a["starts"], a["ends"], a.get("axes"), None)]
        axes = None if len(inputs) < 4 or inputs[3] is None else np.asarray(inputs[3]).reshape(-1)
        steps = None if len(inputs) < 5 or inputs[4] is None else np.asarray(inputs[4]).reshape(-1)
        return [_slice(x, np.asarray(inputs[1]).reshape(-1), np.asarray(inputs[2]).reshape(-1), axes, steps)]
    if op == "Cast":
        if np.asarray(x).dtype == object:  # a shape holding the batch size stays as it is
            return [x]
        return [np.asarray(x).astype(numpy_type(a["to"]))]
    if op == "Reshape":
        shape = [int(d) for d in np.asarray(inputs[1]).reshape(-1)]
        if not a.get("allowzero", 0):
            shape = [np.shape(x)[i] if d == 0 else d for i, d in enumerate(shape)]
        return [np.reshape(x, shape)]
    if op == "Flatten":
        axis = a.get("axis", 1)
        shape = np.shape(x)
        axis = axis + len(shape) if axis < 0 else axis
        return [np.reshape(x, (int(np.prod(shape[:axis])), int(np.prod(shape[axis:]))))]
    if op in ("Add", "Sub", "Mul", "Div"):
        left, right = np.asarray(inputs[0]), np.asarray(inputs[1])
        if op == "Add":
            return [_same_type(left + right, left)]
        if op == "Sub":
            return [_same_type(left - right, left)]
        if op == "Mul":
            return [_same_type(left * right, left)]
        if left.dtype.kind in "iu":
            return [_same_type(_int_divide(left, right), left)]
        return [_same_type(left / right, left)]
    if op == "MatMul":
        return [np.matmul(inputs[0], inputs[1])]
    if op == "Gemm":
        left = np.asarray(inputs[0])
        right = np.asarray(inputs[1])
        left = left.T if a.get("transA", 0) else left
        right = right.T if a.get("transB", 0) else right
        result = left.dtype.type(a.get("alpha", 1.0)) * (left @ right)
        if len(inputs) > 2 and inputs[2] is not None:
            result = result + left.dtype.type(a.get("beta", 1.0)) * np.asarray(inputs[2])
        return [_same_type(result, left)]
    if op == "Relu":
        return [np.where(x < 0, np.zeros_like(x), x)]
    if op == "LeakyRelu":
        alpha = np.asarray(x).dtype.type(a.get("alpha", 0.01))
        return [np.where(x < 0, alpha * x, x)]
    if op == "Sigmoid":
        one = np.asarray(x).dtype.type(1)
        return [one / (one + np.exp(-x))]
    if op == "Tanh":
        return [np.tanh(x)]
    if op == "Softmax":
        return [_same_type(_softmax(x, a.get("axis", 1 if opset < 13 else -1), opset), x)]
    if op == "Elu":
        alpha = np.asarray(x).dtype.type(a.get("alpha", 1.0))
        return [np.where(x > 0, x, alpha * (np.exp(x) - 1))]
    if op == "PRelu":
        return [np.where(x < 0, np.asarray(inputs[1]) * x, x)]
    if op == "BatchNormalization":
        scale, shift, mean, variance = (np.asarray(v) for v in inputs[1:5])
        shape = (-1,) + (1,) * (np.ndim(x) - 2)  # the channels are dimension 1
        dtype = np.asarray(x).dtype
        epsilon = dtype.type(a.get("epsilon", 1e-5))
        normalized = (x - mean.reshape(shape)) / np.sqrt(variance.reshape(shape) + epsilon)
        return [_same_type(normalized * scale.reshape(shape) + shift.reshape(shape), x)]
    if op == "Pad":  # the converter takes zero sizes only; a constant zero padding here
        pads = [int(p) for p in (inputs[1] if len(inputs) > 1 and inputs[1] is not None else a.get("pads"))]
        half = len(pads) // 2
        return [np.pad(x, list(zip(pads[:half], pads[half:])))]
    if op in ("Conv", "MaxPool", "AveragePool", "GlobalAveragePool"):
        return [_same_type(_window_op(op, x, inputs, a), x)]
    raise ConversionError(f"the NumPy evaluator does not know the op {op}")


def _window_pads(a, size, kernel, stride, dilation):
    """ONNX's pads (begin..., end...) for a 2-D window, from pads or auto_pad."""
    auto = a.get("auto_pad", "NOTSET")
    auto = auto.decode() if isinstance(auto, bytes) else auto
    if auto == "NOTSET":
        return [int(p) for p in a.get("pads", [0] * 4)]
    if auto == "VALID":
        return [0] * 4
    begin, end = [], []
    for n, k, s, d in zip(size, kernel, stride, dilation):
        total = max(0, (-(-n // s) - 1) * s + (k - 1) * d + 1 - n)
        low = total // 2 if auto == "SAME_UPPER" else total - total // 2
        begin.append(low)
        end.append(total - low)
    return begin + end


def _window_op(op, x, inputs, a):
    """2-D Conv and pooling on (N, C, H, W) in float64, each output from its whole window at once
    (an independent reference for ctnn's ordered sums; floor output sizes, no ceil_mode)."""
    x = np.asarray(x, dtype=np.float64)
    n, channels, height, width = x.shape
    if op == "GlobalAveragePool":
        return x.mean(axis=(2, 3), keepdims=True)
    if op == "Conv":
        weights = np.asarray(inputs[1], dtype=np.float64)
        kernel = weights.shape[2:]
    else:
        kernel = [int(k) for k in a["kernel_shape"]]
    stride = [int(s) for s in a.get("strides", [1, 1])]
    dilation = [int(d) for d in a.get("dilations", [1, 1])]
    top, left, bottom, right = _window_pads(a, (height, width), kernel, stride, dilation)
    fill = -np.inf if op == "MaxPool" else 0.0
    padded = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)), constant_values=fill)
    ones = np.pad(np.ones((height, width)), ((top, bottom), (left, right)))
    out_h = (height + top + bottom - (kernel[0] - 1) * dilation[0] - 1) // stride[0] + 1
    out_w = (width + left + right - (kernel[1] - 1) * dilation[1] - 1) // stride[1] + 1
    # patches[n, c, i, j, oh, ow] = padded[n, c, oh * s + i * d, ow * s + j * d]
    patches = np.empty((n, channels, kernel[0], kernel[1], out_h, out_w))
    counts = np.empty((kernel[0], kernel[1], out_h, out_w))
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            rows = slice(i * dilation[0], i * dilation[0] + (out_h - 1) * stride[0] + 1, stride[0])
            columns = slice(j * dilation[1], j * dilation[1] + (out_w - 1) * stride[1] + 1, stride[1])
            patches[:, :, i, j] = padded[:, :, rows, columns]
            counts[i, j] = ones[rows, columns]
    if op == "MaxPool":
        return patches.max(axis=(2, 3))
    if op == "AveragePool":
        total = patches.sum(axis=(2, 3))
        return total / (kernel[0] * kernel[1] if a.get("count_include_pad", 0) else counts.sum(axis=(0, 1)))
    group = int(a.get("group", 1))
    out_channels, per_group = weights.shape[:2]
    per_out = out_channels // group
    result = np.empty((n, out_channels, out_h, out_w))
    for g in range(group):
        part = patches[:, g * per_group:(g + 1) * per_group]
        result[:, g * per_out:(g + 1) * per_out] = np.einsum("ncijhw,ocij->nohw", part,
                                                             weights[g * per_out:(g + 1) * per_out])
    if len(inputs) > 2 and inputs[2] is not None:
        result += np.asarray(inputs[2], dtype=np.float64).reshape(1, -1, 1, 1)
    return result


def default_opset(model):
    for entry in model.opset_import:
        if entry.domain in ("", "ai.onnx"):
            return entry.version
    return None


def evaluate(model, feeds, dtype=None):
    """The graph's outputs (a list, in the graph's order) for feeds {input name: array}. dtype, when
    given, is the type every floating-point initializer and constant is cast to first (the graph then
    computes in that type)."""
    from onnx import numpy_helper

    opset = default_opset(model)
    values = {}
    for initializer in model.graph.initializer:
        values[initializer.name] = numpy_helper.to_array(initializer)
    values.update(feeds)

    def cast(v):
        v = np.asarray(v)
        return v.astype(dtype) if dtype is not None and v.dtype.kind == "f" else v

    values = {k: cast(v) for k, v in values.items()}
    for node in model.graph.node:
        inputs = [values[name] if name else None for name in node.input]
        outputs = run_node(node, inputs, opset)
        for name, value in zip(node.output, outputs):
            if name:
                values[name] = cast(value)
    return [values[output.name] for output in model.graph.output]
