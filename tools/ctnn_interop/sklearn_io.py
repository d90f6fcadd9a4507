"""scikit-learn: a fitted MLPClassifier or MLPRegressor, alone or after StandardScalers in a
Pipeline, into a ctnn Model, with the classifier's class names."""

import copy
import numbers

import numpy as np

from .errors import ConversionError
from .model import DenseLayer, Model, StandardizeLayer

SKLEARN_ACTIVATIONS = {"relu": "relu", "tanh": "tanh", "logistic": "sigmoid", "identity": "linear", "softmax": "softmax"}
SKLEARN_SUPPORTED = "a fitted MLPClassifier or MLPRegressor, optionally after StandardScalers in a Pipeline"


def class_name(label):
    """A class label of classes_ as the model's class name: text as it is, an integer (or a float that
    is one, as labels read from a CSV of numbers are) in decimal, another number as Python writes it."""
    if isinstance(label, bytes):
        return label.decode("utf-8", errors="surrogateescape")
    if isinstance(label, (bool, np.bool_)):
        return str(bool(label))
    if isinstance(label, numbers.Integral):
        return str(int(label))
    if isinstance(label, numbers.Real) and float(label).is_integer():
        return str(int(label))
    if isinstance(label, numbers.Real):
        return repr(float(label))
    return str(label)


def from_sklearn(estimator, dtype=None):
    """(Model, reference, notes) for a fitted MLPClassifier, MLPRegressor or Pipeline(StandardScaler, MLP)."""
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    if isinstance(estimator, Pipeline):
        steps = list(estimator.steps)
    else:
        steps = [("model", estimator)]
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
            raise ConversionError(f"{where}{after} is not supported: ctnn-export converts {SKLEARN_SUPPORTED}")
    if mlp is None:
        raise ConversionError(f"the Pipeline has no MLP: ctnn-export converts {SKLEARN_SUPPORTED}")
    source_types = {np.asarray(c).dtype for c in mlp.coefs_}
    if dtype is None:
        dtype = np.float32 if source_types == {np.dtype(np.float32)} else np.float64
    # Values in the target type before the Model rounds them, so both agree.
    layers = [layer.with_dtype(dtype) for layer in layers]
    binary = isinstance(mlp, MLPClassifier) and mlp.out_activation_ == "logistic" and mlp.n_outputs_ == 1
    # A classifier's outputs are its classes (binary: the two classes of the one output); a
    # multilabel classifier's outputs are labels, each its own yes/no, so it has no class names.
    class_names = None
    if isinstance(mlp, MLPClassifier) and (binary or mlp.out_activation_ == "softmax"):
        class_names = [class_name(c) for c in mlp.classes_]
    model = Model(dtype, layers, class_names)

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

    def reference(x):
        x = np.ascontiguousarray(x, dtype=model.dtype)
        if isinstance(mlp, MLPRegressor):
            return np.asarray(reference_estimator.predict(x)).reshape(x.shape[0], -1)
        probabilities = np.asarray(reference_estimator.predict_proba(x))
        return probabilities[:, 1:2] if binary else probabilities

    return model, reference, {"messages": []}
