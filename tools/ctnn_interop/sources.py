"""What ctnn-export reads (load_source) and the converter for it (convert)."""

import sys

import numpy as np

from .errors import ConversionError
from .model import Model
from .model_file import load
from .torch_io import CUSTOM_MODULE_ADVICE

SUPPORTED_SOURCES = ("a torch.nn.Sequential (torch.save), a scikit-learn MLPClassifier, MLPRegressor or "
                     "Pipeline(StandardScaler, MLP) (pickle or joblib), an ONNX model (.onnx) or a ctnn model file")
FRAMEWORK_PACKAGES = ("torch", "sklearn", "numpy", "joblib", "scipy")


def load_source(path):
    """What MODEL names for ctnn-export: a ctnn model file (returned as a Model), an ONNX model (a .onnx
    file, returned as an onnx.ModelProto), or the object in a torch.save file or a pickle (joblib) file.
    Unpickling runs code chosen by whoever wrote the file, so torch.load is called with
    weights_only=False on purpose: export only models you trust."""
    import pickle
    import zipfile

    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(b"ctnn-model "):
        return load(path)
    if str(path).lower().endswith(".onnx"):
        from .onnx_io import load_onnx

        return load_onnx(path)
    is_zip = zipfile.is_zipfile(path)
    if is_zip:
        import torch
    try:
        if is_zip:
            return torch.load(path, map_location="cpu", weights_only=False)
        try:
            import joblib
        except ImportError:
            with open(path, "rb") as f:
                return pickle.load(f)
        return joblib.load(path)
    except (AttributeError, ImportError) as error:
        # The pickle names a class this Python cannot find: a custom nn.Module defined in the script
        # that saved it (AttributeError: Can't get attribute 'Net' on <module '__main__'>), or a module
        # that is not installed.
        missing = getattr(error, "name", None) or ""
        if isinstance(error, ImportError) and missing.split(".")[0] in FRAMEWORK_PACKAGES:
            raise ConversionError(f"reading it needs the Python package {missing.split('.')[0]}, which "
                                  f"{sys.executable} lacks") from None
        raise ConversionError(f"it holds an object of a class this Python cannot find ({error}): "
                              f"{CUSTOM_MODULE_ADVICE}") from None
    except (pickle.UnpicklingError, EOFError, RuntimeError, ValueError, KeyError, IndexError) as error:
        raise ConversionError(f"cannot read it as a torch.save file, a pickle, an ONNX model (.onnx) or a ctnn model "
                              f"file ({type(error).__name__}: {error})") from None


def _is_state_dict(source):
    return isinstance(source, dict) and source and all(type(v).__module__.startswith("torch") for v in source.values())


def _is_torch_module(source):
    """True for a torch.nn.Module of any class (a custom one too); False when torch is not installed."""
    if "torch" not in sys.modules:
        return False  # an object of a torch class would have imported torch when it was unpickled
    import torch

    return isinstance(source, torch.nn.Module)


def convert(source, dtype=None, image_shape=None):
    """(Model, reference or None, framework name, notes) for what load_source returned. notes is a dict
    with "messages" (notes for the user) and, for PyTorch's Softplus threshold, "changed" and "original".
    image_shape, (C, H, W), is the input of a PyTorch Sequential of images (the file does not say it)."""
    if isinstance(source, Model):
        if dtype is not None and np.dtype(dtype) != np.dtype(source.dtype):
            source = source.with_dtype(dtype)
        return source, None, "ctnn", {"messages": []}
    module = type(source).__module__ or ""
    if module.startswith("onnx"):
        from .onnx_io import from_onnx

        model, reference, notes = from_onnx(source, dtype)
        return model, reference, "ONNX", notes
    if module.startswith("torch") or _is_torch_module(source):
        from .torch_io import from_torch

        model, reference, notes = from_torch(source, dtype, image_shape)
        import torch

        return model, reference, f"PyTorch {torch.__version__.split('+')[0]}", notes
    if module.startswith("sklearn"):
        from .sklearn_io import from_sklearn

        model, reference, notes = from_sklearn(source, dtype)
        import sklearn

        return model, reference, f"scikit-learn {sklearn.__version__}", notes
    if _is_state_dict(source):
        raise ConversionError("it holds a state_dict (a dict of tensors: the weights without the layers), not a "
                              f"model: {CUSTOM_MODULE_ADVICE} (torch.save(model, path))")
    raise ConversionError(f"the model is a {module}.{type(source).__name__}: ctnn-export converts {SUPPORTED_SOURCES}")
