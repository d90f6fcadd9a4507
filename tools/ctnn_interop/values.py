"""Stored values as text and as bits: FNV-1a fingerprints, the model file's decimal spelling (what
std::to_chars writes) and its reader, and exact C++ literals for headers."""

import re
from decimal import Decimal
from fractions import Fraction

import numpy as np

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3


def fnv1a(data, h=FNV_OFFSET):
    """FNV-1a 64 over bytes (continuing from h)."""
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return h


def bits(values):
    """The IEEE-754 bit patterns of a float32 or float64 array, as unsigned integers of its width."""
    values = np.asarray(values)
    return values.view(np.uint64 if values.dtype == np.float64 else np.uint32)


def fingerprint(values):
    """FNV-1a 64 over the IEEE-754 bits of each value, least significant byte first (ctnn's
    parameter_fingerprint and the model file's checksum)."""
    values = np.asarray(values)
    data = values.astype(values.dtype.newbyteorder("<"), copy=False).tobytes()
    assert len(data) == values.dtype.itemsize * values.size
    return fnv1a(data)


def _scalar_name(dtype):
    return "double" if np.dtype(dtype) == np.float64 else "float"


def decimal_text(value):
    """value as std::to_chars(value) writes it: the shortest digits that read back to the same bits,
    in fixed or scientific notation, whichever is shorter (fixed on a tie), and NaN as nan:0x<bits>."""
    if np.isnan(value):
        digits = 16 if isinstance(value, np.float64) else 8
        return f"nan:0x{int(bits(np.array([value]))[0]):0{digits}x}"
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


def _nearest_float(text, guess):
    """The float nearest to the decimal text, ties to even, as std::from_chars rounds: the text rounded
    to a double and then to a float (guess) can be one float off when the double lands on a tie."""
    exact = Fraction(Decimal(text))
    with np.errstate(over="ignore"):
        neighbours = (np.nextafter(guess, np.float32(-np.inf)), guess, np.nextafter(guess, np.float32(np.inf)))
    candidates = [c for c in neighbours if np.isfinite(c)]
    return min(candidates, key=lambda c: (abs(Fraction(float(c)) - exact), int(bits(np.array([c]))[0]) & 1))


def parse_value(text, dtype):
    """A value of the model file; raises ValueError for anything else."""
    if text.startswith("nan:0x"):
        digits = text[6:]
        width = 16 if dtype == np.float64 else 8
        if len(digits) != width or not re.fullmatch(r"[0-9a-fA-F]+", digits):
            raise ValueError(f"expected a NaN as nan:0x and {width} hex digits")
        pattern = np.array([int(digits, 16)], dtype=np.uint64 if dtype == np.float64 else np.uint32)
        value = pattern.view(dtype)[0]
        if not np.isnan(value):
            raise ValueError(f"{text} is not the bit pattern of a NaN")
        return value
    if not re.fullmatch(r"[-+]?(inf|infinity|(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)", text, re.IGNORECASE) or text[0] == "+":
        raise ValueError(f"expected a {_scalar_name(dtype)} value")
    with np.errstate(over="ignore"):
        value = dtype(text)  # NumPy rounds the decimal text to the type (a float through a double)
    if dtype == np.float32 and np.isfinite(value) and value != 0:
        value = _nearest_float(text, value)
    # As std::from_chars: a number that rounds to infinity, or to zero without being zero, is out of range.
    mantissa = re.split(r"[eE]", text)[0]
    if (np.isinf(value) and "inf" not in text.lower()) or (value == 0 and re.search(r"[1-9]", mantissa)):
        raise ValueError(f"the value is out of the range of {_scalar_name(dtype)}")
    return value


def cpp_literal(value):
    """An exact C++ expression for value: a hex-float literal (with f for float), or a bit_cast."""
    is_float = isinstance(value, np.float32)
    if not np.isfinite(value):
        if is_float:
            return f"std::bit_cast<float>(std::uint32_t{{0x{int(bits(np.array([value]))[0]):08x}}})"
        return f"std::bit_cast<double>(std::uint64_t{{0x{int(bits(np.array([value]))[0]):016x}}})"
    # float.hex() writes 13 hex digits; a float needs at most 6, so the zeros are dropped.
    text = re.sub(r"\.?0+p", "p", float(value).hex()) if is_float else float(value).hex()
    return text + ("f" if is_float else "")
