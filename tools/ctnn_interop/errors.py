"""The one exception of the interop tools."""


class ConversionError(Exception):
    """A model that cannot be converted, or a model file that cannot be read; the message says why."""
