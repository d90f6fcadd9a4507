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


def from_torch(module, dtype=None):
    """(Model, reference, notes) for a torch.nn.Sequential: reference(x) runs the module in the
    model's scalar type, in eval mode. notes is a dict: "messages", a list of notes for the user (a
    model saved in training mode); and, when a Softplus's threshold is below SOFTPLUS_EXACT_THRESHOLD
    (the reference then runs it with that threshold, so that it computes ctnn's function), "changed"
    (which modules) and "original" (the unchanged module's outputs)."""
    import torch

    nn = torch.nn
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
