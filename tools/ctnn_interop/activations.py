"""ctnn's activations by the names its model files use (Activation::name): their C++ spellings and
their formulas on NumPy arrays, computed as ctnn computes them."""

import re
from fractions import Fraction

import numpy as np

from .errors import ConversionError

# The activation names and their C++ spellings.
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


def slope_fraction(slope, dtype):
    """The simplest std::ratio n/d (0 <= n/d < 1) whose T(n) / T(d) is the slope in the type T."""
    target = dtype(slope)
    for digits in range(1, 19):
        fraction = Fraction(float(slope)).limit_denominator(10**digits)
        if 0 <= fraction < 1 and fraction.denominator <= INTMAX and \
                dtype(fraction.numerator) / dtype(fraction.denominator) == target:
            return fraction
    return None


def is_activation(name):
    return name in ACTIVATION_SPELLINGS or leaky_relu_slope(name) is not None


def activation_spelling(name):
    slope = leaky_relu_slope(name)
    if slope is not None:
        return f"ctnn::LeakyReLU<std::ratio<{slope.numerator}, {slope.denominator}>>"
    return ACTIVATION_SPELLINGS[name]


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
