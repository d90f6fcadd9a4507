"""PyTorch: an nn.Sequential into a ctnn Model (from_torch), a Model back into an nn.Sequential
(to_torch), and ctnn_interop.Standardize, the PyTorch module of ctnn's Standardize layer."""

import copy

import numpy as np

from .activations import leaky_relu_name, leaky_relu_slope, slope_fraction
from .errors import ConversionError
from .model import DenseLayer, Model, StandardizeLayer, fold_batch_norm, scalar_name

TORCH_SUPPORTED = ("Linear (a missing bias is a zero bias), BatchNorm1d (folded into the Linear before it), "
                   "Sigmoid, Tanh, ReLU, LeakyReLU, Softplus (beta=1), Softmax (dim=1 or -1), Dropout, Identity and "
                   "Flatten (skipped), and ctnn_interop.Standardize")
CUSTOM_MODULE_ADVICE = "save an nn.Sequential; a custom module's forward cannot be read"
# Above this, PyTorch's Softplus returns h itself instead of log(1 + e^h); ctnn always computes the
# latter. They differ by at most e^-threshold, below half an ulp of h in double from 40 on.
SOFTPLUS_EXACT_THRESHOLD = 40.0

_torch_classes = {}


def torch_standardize():
    """ctnn_interop.Standardize, made on first use so that the package imports without torch. Its
    __module__ is ctnn_interop, so pickle (torch.save, torch.load) finds it there."""
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

        Standardize.__module__ = "ctnn_interop"
        Standardize.__qualname__ = "Standardize"
        _torch_classes["Standardize"] = Standardize
    return _torch_classes["Standardize"]


def _describe(module):
    return f"{type(module).__name__}({module.extra_repr()})"


def _is_standardize(module):
    return type(module).__name__ == "Standardize" and type(module).__module__ == "ctnn_interop"


def from_torch(module, dtype=None, image_shape=None):
    """(Model, reference, notes) for a torch.nn.Sequential: reference(x) runs the module in the
    model's scalar type, in eval mode. notes is a dict: "messages", a list of notes for the user (a
    model saved in training mode); and, when a Softplus's threshold is below SOFTPLUS_EXACT_THRESHOLD
    (the reference then runs it with that threshold, so that it computes ctnn's function), "changed"
    (which modules) and "original" (the unchanged module's outputs). A Sequential of images (Conv2d,
    pooling) needs image_shape, its input's (C, H, W): see from_torch_images."""
    import torch

    nn = torch.nn
    image_modules = (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d)
    first = next((m for m in module.children() if not isinstance(m, (nn.Dropout, nn.Identity))), None) \
        if isinstance(module, nn.Sequential) else None
    if isinstance(first, image_modules):
        if image_shape is None:
            raise ConversionError("the Sequential takes images (it starts with a Conv2d or a pooling module): its "
                                  "input's (channels, height, width) must be given (ctnn-export --image-shape C,H,W)")
        return from_torch_images(module, image_shape, dtype)
    if not isinstance(module, nn.Sequential):
        custom = isinstance(module, nn.Module) and not type(module).__module__.startswith("torch.")
        raise ConversionError(
            f"the model is a {type(module).__module__}.{type(module).__name__}, not a torch.nn.Sequential: "
            + (CUSTOM_MODULE_ADVICE + " (" if custom else "") + "only a Sequential of " + TORCH_SUPPORTED
            + " converts" + (")" if custom else ""))
    children = list(module.named_children())
    parameter_types = {t.dtype for t in [*module.parameters(), *module.buffers()] if t.is_floating_point()}
    unsupported_types = parameter_types - {torch.float32, torch.float64}
    if unsupported_types:
        raise ConversionError(f"the model's parameters are {sorted(map(str, unsupported_types))}; ctnn models hold "
                              "float32 (float) or float64 (double)")
    if dtype is None:
        dtype = np.float64 if torch.float64 in parameter_types else np.float32
    layers, pending, softplus_notes, messages = [], None, [], []

    def numpy(tensor):
        return tensor.detach().cpu().numpy().astype(np.float64)

    def flush(activation):
        nonlocal pending
        weights, bias = pending
        layers.append(DenseLayer(weights.astype(dtype), bias.astype(dtype), activation))
        pending = None

    for position, (name, child) in enumerate(children, start=1):
        where = f"module {position} of the Sequential (\"{name}\": {_describe(child)})"
        activation = None
        if isinstance(child, nn.Linear):
            if pending is not None:
                flush("linear")
            weights = numpy(child.weight)
            bias = numpy(child.bias) if child.bias is not None else np.zeros(weights.shape[0])
            pending = (weights, bias)
            continue
        if isinstance(child, (nn.Identity, nn.Dropout)):
            continue
        if isinstance(child, nn.Flatten):
            if child.start_dim != 1 or child.end_dim != -1:
                raise ConversionError(f"{where}: only a Flatten of everything after the batch (start_dim=1, "
                                      "end_dim=-1) converts")
            continue
        if isinstance(child, nn.BatchNorm1d):
            if pending is None:
                raise ConversionError(f"{where} does not follow a Linear: a BatchNorm1d folds into the Linear right "
                                      "before it (with only Dropout or Identity between)")
            if child.running_mean is None or child.running_var is None:
                raise ConversionError(f"{where} has no running statistics (track_running_stats=False): it normalises "
                                      "by each batch's own statistics, which a fixed layer cannot")
            if child.num_features != pending[0].shape[0]:
                raise ConversionError(f"{where} normalises {child.num_features} features, the Linear before it gives "
                                      f"{pending[0].shape[0]}")
            scale = numpy(child.weight) if child.weight is not None else np.ones(child.num_features)
            shift = numpy(child.bias) if child.bias is not None else np.zeros(child.num_features)
            pending = fold_batch_norm(*pending, numpy(child.running_mean), numpy(child.running_var), child.eps,
                                      scale, shift)
            continue
        if _is_standardize(child):
            if pending is not None:
                flush("linear")
            layers.append(StandardizeLayer(numpy(child.mean).astype(dtype), numpy(child.deviation).astype(dtype)))
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
                softplus_notes.append(f"Softplus(threshold={child.threshold:g}) at module {position}")
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
    training_only = [m for m in module.modules() if isinstance(m, (nn.BatchNorm1d, nn.Dropout))]
    if training_only and any(m.training for m in module.modules()):
        kinds = sorted({type(m).__name__ for m in training_only})
        messages.append(f"the model was saved in training mode; it is converted as in eval mode (model.eval()): "
                        f"{' and '.join(kinds)} as in inference (BatchNorm1d with its running statistics, Dropout "
                        "passing its input on)")
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

    notes = {"messages": messages}
    if softplus_notes:
        notes.update(changed=", ".join(softplus_notes), original=run(original_module))
    return model, run(reference_module), notes


def to_torch(model):
    """A torch.nn.Sequential that computes model: Linear layers with its weights bit for bit and the
    activation modules (Softplus with threshold=40, where PyTorch's shortcut x and log(1 + e^x) agree
    in float and double); a Standardize layer becomes ctnn_interop.Standardize."""
    import torch

    if any(layer.kind in ("Conv2D", "MaxPool2D", "AvgPool2D", "GlobalAvgPool2D", "Flatten") for layer in model.layers):
        return image_layers_to_torch(model)
    nn = torch.nn
    torch_type = torch.float64 if model.dtype == np.float64 else torch.float32
    modules = []
    for position, layer in enumerate(model.layers, start=1):
        if isinstance(layer, StandardizeLayer):
            modules.append(torch_standardize()(torch.from_numpy(layer.mean.copy()),
                                               torch.from_numpy(layer.deviation.copy())))
            continue
        if not isinstance(layer, DenseLayer):
            raise ConversionError(f"layer {position} ({layer.kind}) has no PyTorch counterpart in ctnn-import yet")
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


# ---- images: Conv2d, pooling, BatchNorm2d ----

TORCH_IMAGE_SUPPORTED = ("Conv2d (zero padding: numbers, 'valid' or 'same'; any stride, dilation, groups, bias or "
                         "none), BatchNorm2d (folded into the Conv2d before it), MaxPool2d, AvgPool2d "
                         "(count_include_pad=True when padded), AdaptiveAvgPool2d(1), Flatten, Linear, BatchNorm1d "
                         "(folded into the Linear before it), the activations Sigmoid, Tanh, ReLU, LeakyReLU after a "
                         "Conv2d or a Linear, Softmax(dim=1) after a Linear, Dropout and Identity (skipped)")


def _pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def from_torch_images(module, image_shape, dtype=None):
    """(Model, reference, notes) for a torch.nn.Sequential that takes images (N, C, H, W) of
    image_shape = (C, H, W). The ctnn Model takes channels last, (H, W, C); reference(x) runs the
    module (eval mode, in the model's type) on rows x of shape (n, H * W * C) in ctnn's order.
    BatchNorm folds are computed in double from the stored values, each folded value rounded once to
    the model's type."""
    import torch

    from .conv2d import (AvgPool2DLayer, Conv2DLayer, FlattenLayer, GlobalAvgPool2DLayer, MaxPool2DLayer,
                         chw_to_hwc_columns)

    nn = torch.nn
    if not isinstance(module, nn.Sequential):
        raise ConversionError(f"the model is a {type(module).__name__}, not a torch.nn.Sequential of "
                              + TORCH_IMAGE_SUPPORTED)
    parameter_types = {t.dtype for t in [*module.parameters(), *module.buffers()] if t.is_floating_point()}
    if dtype is None:
        dtype = np.float64 if torch.float64 in parameter_types else np.float32
    shape = tuple(int(d) for d in image_shape)  # PyTorch's (C, H, W) while an image, then (features,)
    if len(shape) != 3 or min(shape) < 1:
        raise ConversionError(f"an image shape is (channels, height, width), not {image_shape}")
    layers, messages = [], []
    state = {"conv": None, "dense": None, "columns": None, "pooled": False}

    def numpy(tensor):
        return tensor.detach().cpu().numpy().astype(np.float64)

    def flush(activation="linear"):
        if state["conv"] is not None:
            conv = dict(state["conv"])
            conv["weights"] = conv["weights"].astype(dtype)
            conv["bias"] = None if conv["bias"] is None else conv["bias"].astype(dtype)
            layers.append(Conv2DLayer(activation=activation, **conv))
            state["conv"] = None
        if state["dense"] is not None:
            weights, bias = state["dense"]
            layers.append(DenseLayer(weights.astype(dtype), bias.astype(dtype), activation))
            state["dense"] = None

    def image(where):
        if len(shape) != 3 or state["pooled"]:
            raise ConversionError(f"{where} takes an image, but the module before it gives a vector")
        return shape

    def batch_norm_parameters(child, where, units):
        if child.running_mean is None or child.running_var is None:
            raise ConversionError(f"{where} has no running statistics (track_running_stats=False)")
        if child.num_features != units:
            raise ConversionError(f"{where} normalises {child.num_features} features, the layer before gives {units}")
        scale = numpy(child.weight) if child.weight is not None else np.ones(units)
        shift = numpy(child.bias) if child.bias is not None else np.zeros(units)
        return numpy(child.running_mean), numpy(child.running_var), child.eps, scale, shift

    for position, (name, child) in enumerate(module.named_children(), start=1):
        where = f"module {position} of the Sequential (\"{name}\": {_describe(child)})"
        if isinstance(child, (nn.Identity, nn.Dropout)):
            continue
        if isinstance(child, nn.Conv2d):
            channels, height, width = image(where)
            flush()
            if child.padding_mode != "zeros":
                raise ConversionError(f"{where}: only zero padding converts, not {child.padding_mode!r}")
            kernel, stride, dilation = _pair(child.kernel_size), _pair(child.stride), _pair(child.dilation)
            if child.padding == "valid":
                pads = (0, 0, 0, 0)
            elif child.padding == "same":
                totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
                pads = (totals[0] // 2, totals[0] - totals[0] // 2, totals[1] // 2, totals[1] - totals[1] // 2)
            else:
                p = _pair(child.padding)
                pads = (p[0], p[0], p[1], p[1])
            conv = {"height": height, "width": width, "weights": numpy(child.weight),
                    "bias": None if child.bias is None else numpy(child.bias), "stride": stride, "pads": pads,
                    "dilation": dilation, "groups": child.groups}
            try:
                probe = Conv2DLayer(activation="linear", **conv)
            except ConversionError as error:
                raise ConversionError(f"{where}: {error}") from None
            if probe.input_shape[2] != channels:
                raise ConversionError(f"{where} takes {probe.input_shape[2]} channels, the module before gives {channels}")
            state["conv"] = conv
            oh, ow, out = probe.output_shape
            shape = (out, oh, ow)
            continue
        if isinstance(child, nn.BatchNorm2d):
            if state["conv"] is None:
                raise ConversionError(f"{where} does not follow a Conv2d: a BatchNorm2d folds into the Conv2d right "
                                      "before it")
            conv = state["conv"]
            units = conv["weights"].shape[0]
            mean, variance, eps, scale, shift = batch_norm_parameters(child, where, units)
            bias = conv["bias"] if conv["bias"] is not None else np.zeros(units)
            folded, conv["bias"] = fold_batch_norm(conv["weights"].reshape(units, -1), bias, mean, variance, eps,
                                                   scale, shift)
            conv["weights"] = folded.reshape(conv["weights"].shape)
            continue
        if isinstance(child, nn.BatchNorm1d):
            if state["dense"] is None:
                raise ConversionError(f"{where} does not follow a Linear: a BatchNorm1d folds into the Linear right "
                                      "before it")
            state["dense"] = fold_batch_norm(*state["dense"], *batch_norm_parameters(child, where,
                                                                                      state["dense"][0].shape[0]))
            continue
        if isinstance(child, (nn.MaxPool2d, nn.AvgPool2d)):
            channels, height, width = image(where)
            flush()
            if child.ceil_mode:
                raise ConversionError(f"{where}: ceil_mode=True does not convert (ctnn's windows round down)")
            kernel = _pair(child.kernel_size)
            stride = _pair(child.stride if child.stride is not None else child.kernel_size) or kernel
            padding = _pair(child.padding)
            if isinstance(child, nn.MaxPool2d):
                if _pair(child.dilation) != (1, 1) or child.return_indices:
                    raise ConversionError(f"{where}: a dilated MaxPool2d or one returning indices does not convert")
                kind = MaxPool2DLayer
            else:
                if child.divisor_override is not None or (any(padding) and not child.count_include_pad):
                    raise ConversionError(f"{where}: an AvgPool2d converts with count_include_pad=True when padded "
                                          "and without divisor_override")
                kind = AvgPool2DLayer
            try:
                layer = kind(height, width, channels, kernel, stride, (padding[0], padding[0], padding[1], padding[1]))
            except ConversionError as error:
                raise ConversionError(f"{where}: {error}") from None
            layers.append(layer)
            shape = (channels, layer.output_shape[0], layer.output_shape[1])
            continue
        if isinstance(child, nn.AdaptiveAvgPool2d):
            channels, height, width = image(where)
            if _pair(child.output_size) != (1, 1):
                raise ConversionError(f"{where}: only AdaptiveAvgPool2d(1) (global average pooling) converts")
            flush()
            layers.append(GlobalAvgPool2DLayer(height, width, channels))
            shape, state["pooled"] = (channels, 1, 1), True
            continue
        if isinstance(child, nn.Flatten):
            if child.start_dim != 1 or child.end_dim != -1:
                raise ConversionError(f"{where}: only a Flatten of everything after the batch converts")
            if len(shape) == 3:
                flush()
                channels, height, width = shape
                if not state["pooled"]:
                    layers.append(FlattenLayer((height, width, channels)))
                    if channels > 1 and height * width > 1:
                        state["columns"] = shape
                shape, state["pooled"] = (channels * height * width,), False
            continue
        if isinstance(child, nn.Linear):
            if len(shape) != 1:
                raise ConversionError(f"{where} reads an image: Flatten it first")
            flush()
            weights = numpy(child.weight)
            if weights.shape[1] != shape[0]:
                raise ConversionError(f"{where} takes {weights.shape[1]} inputs, the module before gives {shape[0]}")
            if state["columns"] is not None:
                weights = chw_to_hwc_columns(weights, *state["columns"])
                state["columns"] = None
            state["dense"] = (weights, numpy(child.bias) if child.bias is not None else np.zeros(weights.shape[0]))
            shape = (weights.shape[0],)
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
        elif isinstance(child, nn.Softmax) and state["dense"] is not None and child.dim in (1, -1):
            activation = "softmax"
        else:
            raise ConversionError(f"{where} is not supported: the image converter takes {TORCH_IMAGE_SUPPORTED}")
        if state["conv"] is None and state["dense"] is None:
            raise ConversionError(f"{where} does not follow a Conv2d or a Linear: each ctnn activation belongs to the "
                                  "layer before it")
        flush(activation)
    flush()
    if len(shape) != 1 or state["columns"] is not None or state["pooled"]:
        raise ConversionError("the Sequential ends with an image: end it with Flatten and a Linear (ctnn's images "
                              "are channels last, PyTorch's channels first)")
    model = Model(dtype, layers)
    training = [m for m in module.modules() if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.Dropout))]
    if training and any(m.training for m in module.modules()):
        kinds = sorted({type(m).__name__ for m in training})
        messages.append(f"the model was saved in training mode; it is converted as in eval mode (model.eval()): "
                        f"{' and '.join(kinds)} as in inference (batch norms with their running statistics, "
                        "Dropout passing its input on)")
    torch_type = torch.float64 if model.dtype == np.float64 else torch.float32
    reference_module = copy.deepcopy(module).to(torch_type).eval()
    channels, height, width = (int(d) for d in image_shape)

    def reference(x):
        x = np.ascontiguousarray(x, dtype=model.dtype).reshape(-1, height, width, channels).transpose(0, 3, 1, 2)
        with torch.no_grad():
            return reference_module(torch.from_numpy(np.ascontiguousarray(x))).numpy()

    return model, reference, {"messages": messages}


def image_layers_to_torch(model):
    """A torch.nn.Sequential taking (N, C, H, W) that computes a model of Conv2D, pooling, Flatten,
    Dense layers: the same weights (a Dense after a Flatten reads its columns channels first)."""
    import torch

    from .conv2d import AvgPool2DLayer, Conv2DLayer, FlattenLayer, GlobalAvgPool2DLayer, MaxPool2DLayer

    nn = torch.nn
    torch_type = torch.float64 if model.dtype == np.float64 else torch.float32
    modules, columns = [], None
    activations = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "softmax": lambda: nn.Softmax(dim=-1)}

    def activation(name):
        slope = leaky_relu_slope(name)
        if slope is not None:
            modules.append(nn.LeakyReLU(negative_slope=float(slope)))
        elif name in activations:
            modules.append(activations[name]())
        elif name != "linear":
            raise ConversionError(f"the activation {name} has no PyTorch counterpart in ctnn-import yet")

    for position, layer in enumerate(model.layers, start=1):
        if isinstance(layer, Conv2DLayer):
            top, bottom, left, right = layer.pads
            if top != bottom or left != right:
                raise ConversionError(f"layer {position} (Conv2D) pads unevenly, which nn.Conv2d cannot")
            conv = nn.Conv2d(layer.input_shape[2], layer.output_shape[2], layer.kernel, stride=layer.stride,
                             padding=(top, left), dilation=layer.dilation, groups=layer.groups,
                             bias=layer.bias is not None, dtype=torch_type)
            with torch.no_grad():
                conv.weight.copy_(torch.from_numpy(layer.weights.copy()))
                if layer.bias is not None:
                    conv.bias.copy_(torch.from_numpy(layer.bias.copy()))
            modules.append(conv)
            activation(layer.activation)
        elif isinstance(layer, (MaxPool2DLayer, AvgPool2DLayer)):
            top, bottom, left, right = layer.pads
            if top != bottom or left != right:
                raise ConversionError(f"layer {position} ({layer.kind}) pads unevenly, which PyTorch's pooling cannot")
            kind = nn.MaxPool2d if isinstance(layer, MaxPool2DLayer) else nn.AvgPool2d
            modules.append(kind(layer.kernel, stride=layer.stride, padding=(top, left)))
        elif isinstance(layer, GlobalAvgPool2DLayer):
            modules += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
        elif isinstance(layer, FlattenLayer):
            modules.append(nn.Flatten())
            height, width, channels = layer.input_shape
            columns = (channels, height, width) if channels > 1 and height * width > 1 else None
        elif isinstance(layer, DenseLayer):
            weights = layer.weights
            if columns is not None:
                channels, height, width = columns
                # ctnn's column (h * W + w) * C + c is PyTorch's c * H * W + h * W + w.
                weights = weights.reshape(-1, height, width, channels).transpose(0, 3, 1, 2).reshape(weights.shape[0], -1)
                columns = None
            linear = nn.Linear(layer.inputs, layer.outputs, dtype=torch_type)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(weights)))
                linear.bias.copy_(torch.from_numpy(layer.bias.copy()))
            modules.append(linear)
            activation(layer.activation)
        else:
            raise ConversionError(f"layer {position} ({layer.kind}) has no PyTorch counterpart in ctnn-import yet")
    return nn.Sequential(*modules)
