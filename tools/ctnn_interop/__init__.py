"""ctnn models in Python: read and write ctnn model files (docs/model_file.md), write constexpr
headers, convert PyTorch, scikit-learn and ONNX networks, and run a model with NumPy alone.

Only NumPy is needed to import this package; torch, sklearn and onnx are imported when a function
needs them. ctnn-export and ctnn-import are its command-line front ends (cli.py).

    import ctnn_interop
    model = ctnn_interop.load("model.ctnn")      # checks the format and the checksum
    y = model.predict(x)                         # NumPy only, x of shape (n, inputs)
    ctnn_interop.save(model, "copy.ctnn")        # atomic, byte for byte what ctnn::save writes

The modules: model (layers, Model, predict), activations, values (fingerprints, value spelling),
model_file (the format), header (C++ headers), torch_io, sklearn_io, onnx_io and onnx_eval
(converters), sources (what ctnn-export reads), cli (the command lines).
"""

from .activations import (ACTIVATION_SPELLINGS, activate, activation_spelling, is_activation, leaky_relu_name,
                          leaky_relu_slope, slope_fraction)
from .errors import ConversionError
from .header import (CHECK_TOLERANCE, CPP_KEYWORDS, check_inputs, check_tolerance, cpp_string_literal,
                     invalid_name_reason, model_header)
from .model import (LAYER_KINDS, SCALARS, DenseLayer, Layer, Model, StandardizeLayer, copy_layer, fold_batch_norm,
                    layer_spelling, parse_shape, register_layer_kind, scalar_name, shape_text)
from .model_file import (FORMAT_VERSION, READ_VERSIONS, architecture_fingerprint, architecture_lines,
                         decode_class_name, encode_class_name, load, model_text, parse_model_text, save,
                         write_atomically)
from .onnx_eval import evaluate as evaluate_onnx
from .onnx_io import ONNX_SUPPORTED, OPS as ONNX_OPS, from_onnx, load_onnx
from .sklearn_io import SKLEARN_ACTIVATIONS, from_sklearn
from .sources import convert, load_source
from .torch_io import SOFTPLUS_EXACT_THRESHOLD, TORCH_SUPPORTED, from_torch, to_torch
from .values import bits, cpp_literal, decimal_text, fingerprint, fnv1a, parse_value
from . import conv1d  # noqa: E402,F401  registers the Conv1D, PReLU and TimeDistributed layer kinds
from . import recurrent  # noqa: E402,F401  registers the GRU, LSTM and LastStep layer kinds
from . import conv2d  # noqa: E402,F401  registers the Conv2D, MaxPool2D, AvgPool2D, GlobalAvgPool2D and Flatten kinds


__all__ = ["ACTIVATION_SPELLINGS", "CHECK_TOLERANCE", "CPP_KEYWORDS", "ConversionError", "DenseLayer",
           "FORMAT_VERSION", "LAYER_KINDS", "Layer", "Model", "ONNX_OPS", "ONNX_SUPPORTED", "READ_VERSIONS",
           "SCALARS", "SKLEARN_ACTIVATIONS", "SOFTPLUS_EXACT_THRESHOLD", "StandardizeLayer", "TORCH_SUPPORTED",
           "activate", "activation_spelling", "architecture_fingerprint", "architecture_lines", "bits",
           "check_inputs", "check_tolerance", "convert", "copy_layer", "cpp_literal", "cpp_string_literal",
           "decimal_text", "decode_class_name", "encode_class_name", "evaluate_onnx", "fingerprint", "fnv1a",
           "fold_batch_norm", "from_onnx", "from_sklearn", "from_torch", "invalid_name_reason", "is_activation",
           "layer_spelling", "leaky_relu_name", "leaky_relu_slope", "load", "load_onnx", "load_source",
           "model_header", "model_text", "parse_model_text", "parse_shape", "parse_value", "register_layer_kind",
           "save", "scalar_name", "shape_text", "slope_fraction", "to_torch", "write_atomically"]

def __getattr__(name):
    # ctnn_interop.Standardize, the PyTorch module of ctnn's Standardize layer, is made on first use so
    # that the package imports without torch; pickle finds it by this name when loading a model.
    if name == "Standardize":
        from .torch_io import torch_standardize

        return torch_standardize()
    raise AttributeError(f"module 'ctnn_interop' has no attribute {name!r}")
