"""Argument checks shared by every module of ``course_lib``.

Each check returns the value it accepted (converted where that helps: an int, a float, an array, a Path) or
raises ``TypeError`` (wrong kind of value) or ``ValueError`` (right kind, wrong value) with a message in one style:
``"<argument> must <expectation>, got <what was passed>. <what to do>"``, in the learner's language (``i18n``):
callers mark the expectation and the advice with ``N_`` and ``fail`` translates them.
"""

import math
import numbers
import os
from pathlib import Path

import numpy as np

from .i18n import N_, _

PIXELS_0_255 = 10.0
"""Inputs above this look like raw 0-255 pixels (the networks are trained on values in [0, 1])."""


def fail(error, name, expectation, got, advice=""):
    """The error every check raises: ``error("<name> must <expectation>, got <got>. <advice>")``; ``expectation``
    and ``advice`` are translated here."""
    message = _("{name} must {expectation}, got {got}.").format(name=name, expectation=_(expectation), got=got)
    return error(_("{message} {advice}").format(message=message, advice=_(advice)) if advice else message)


def describe(value):
    """A short description of a value for a message: its type and repr (arrays: dtype and shape)."""
    if isinstance(value, np.ndarray):
        return _("an array of dtype {dtype} and shape {shape}").format(dtype=value.dtype, shape=value.shape)
    shown = value.item() if isinstance(value, np.generic) else value   # np.True_ reads as True
    return f"{type(value).__name__} {shown!r}"


def integer(name, value, minimum=0, maximum=None):
    """``value`` as an int: a whole number (not a bool) in [minimum, maximum]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise fail(TypeError, name, N_("be a whole number"), describe(value))
    if value < minimum or maximum is not None and value > maximum:
        raise fail(ValueError, name, N_("be at least {minimum}", minimum=minimum) if maximum is None else
                   N_("be between {minimum} and {maximum}", minimum=minimum, maximum=maximum), value)
    return int(value)


def number(name, value, low=-math.inf, high=math.inf, low_inclusive=True, high_inclusive=False,
           advice=N_("Pick a value in that range (the default is a good start).")):
    """``value`` as a float: a finite real number (not a bool) between ``low`` and ``high``.

    The interval is ``[low, high)`` by default; ``low_inclusive``/``high_inclusive`` open or close its ends.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise fail(TypeError, name, N_("be a number"), describe(value))
    value = float(value)
    too_low = value < low if low_inclusive else value <= low
    too_high = value > high if high_inclusive else value >= high
    if not math.isfinite(value) or too_low or too_high:
        bounds = f"{'[' if low_inclusive else '('}{low:g}, {high:g}{']' if high_inclusive else ')'}"
        raise fail(ValueError, name, N_("be a finite number in {bounds}", bounds=bounds), value, advice)
    return value


def positive(name, value, advice=N_("Pick a value in that range (the default is a good start).")):
    """``value`` as a float: a finite number > 0."""
    return number(name, value, 0.0, low_inclusive=False, advice=advice)


def flag(name, value):
    """``value`` as a bool: True or False (NumPy booleans too), nothing else."""
    if not isinstance(value, (bool, np.bool_)):
        raise fail(TypeError, name, N_("be True or False"), describe(value))
    return bool(value)


def text(name, value):
    """``value``: a string."""
    if not isinstance(value, str):
        raise fail(TypeError, name, N_("be a string"), describe(value))
    return value


def numbers_array(name, values, what=N_("numbers")):
    """``values`` as a NumPy array of numbers (booleans count as 0/1)."""
    kind, array = type(values).__name__, np.asarray(values)
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
        raise fail(TypeError, name, N_("hold {what}", what=what), _("{kind} of dtype {dtype}").format(
            kind=kind, dtype=array.dtype), N_("Pass a NumPy array or a list of numbers."))
    return array


def finite(name, values, advice=N_("Pass finite numbers (check what produced them).")):
    """``values`` (an array of numbers) unchanged if it holds no NaN or infinite value."""
    bad = np.size(values) - int(np.count_nonzero(np.isfinite(values)))
    if bad:
        got = _("1 NaN or infinite value") if bad == 1 else _("{n} NaN or infinite values").format(n=bad)
        raise fail(ValueError, name, N_("hold finite numbers"), got, advice)
    return values


def float_array(name, values):
    """``values`` as a NumPy array of floats (float16/32/64): parameters and dtypes that must hold fractions."""
    array = np.asarray(values)
    if not np.issubdtype(array.dtype, np.floating):
        raise fail(TypeError, name, N_("be a float array"), _("dtype {dtype}").format(dtype=array.dtype),
                   N_("Convert it, e.g. {name}.astype(np.float32).", name=name.split()[-1]))
    return array


def float_dtype(name, dtype):
    """``np.dtype(dtype)`` if it is a float type."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise fail(TypeError, name, N_("be a NumPy float type such as np.float32"), repr(dtype)) from None
    if not np.issubdtype(dt, np.floating):
        raise fail(TypeError, name, N_("be a float type (np.float32 or np.float64)"), dt)
    return dt


def not_empty(name, array, what=N_("example")):
    """``array`` unchanged if it holds at least one row (one ``what``)."""
    if len(array) == 0:
        raise fail(ValueError, name, N_("hold at least one {what}", what=what), _("shape {shape}").format(
            shape=np.shape(array)), N_("Pass a batch of at least one {what}.", what=what))
    return array


def pixels(name, x, trained_on=N_("values in [0, 1]")):
    """``x`` unchanged unless it looks like raw 0-255 pixels: a uint8 array, or values above ``PIXELS_0_255``.

    Networks trained on pixels scaled to [0, 1] read raw pixels as confident nonsense, so this is an error.
    """
    x = np.asarray(x)
    if not x.size or not (np.issubdtype(x.dtype, np.number) or x.dtype == np.bool_):
        return x
    if x.dtype == np.uint8:
        got = _("uint8 values, the raw 0-255 pixels")
    else:
        top = np.fmax.reduce(x, axis=None)   # ignores NaN (which propagates through a forward pass)
        if not top > PIXELS_0_255:
            return x
        got = _("{dtype} values up to {top}, which look like raw 0-255 pixels").format(dtype=x.dtype, top=f"{top:g}")
    raise fail(ValueError, name, N_("hold pixels scaled the way the network was trained ({trained_on})",
                                    trained_on=trained_on), got,
               N_("Scale them first: x.astype(np.float32) / 255 (or load with data.load_mnist(normalize=True))."))


def image_batch(name, x, expected):
    """``x`` unchanged if its shape is ``(N, *expected)``; otherwise an error naming the layout to pass.

    A batch in the other channel layout (channels last for channels first, or the reverse) is named as such
    with the transpose that fixes it.
    """
    expected = tuple(expected)
    if x.shape[1:] == expected:
        return x
    advice = N_("Reshape it, e.g. {call}.", call="x.reshape(-1, " + ", ".join(map(str, expected)) + ")")
    if x.ndim == 4 and len(expected) == 3 and x.shape[1:] == (expected[1], expected[2], expected[0]):
        advice = N_("It is channels last (N, H, W, C); this network takes channels first (N, C, H, W): pass "
                    "x.transpose(0, 3, 1, 2).")
    elif x.ndim == 4 and len(expected) == 3 and x.shape[1:] == (expected[2], expected[0], expected[1]):
        advice = N_("It is channels first (N, C, H, W); this network takes channels last (N, H, W, C): pass "
                    "x.transpose(0, 2, 3, 1).")
    shape = ", ".join(map(str, expected))
    raise fail(ValueError, name, N_("be a batch shaped (N, {shape})", shape=shape), _("shape {shape}").format(
        shape=x.shape), advice)


def file_path(name, path, example):
    """``path`` as a Path to a file (a str or PathLike that is not a folder); ``example`` names a good file."""
    if not isinstance(path, (str, os.PathLike)):
        raise fail(TypeError, name, N_("be a file path (str or pathlib.Path) such as {example}",
                                       example=repr(example)), describe(path))
    path = Path(path)
    if path.is_dir():
        raise fail(ValueError, name, N_("be a file, not a folder"), _("the folder {path}").format(path=path),
                   N_("Pass a file path inside it, such as {path}.", path=str(path / example)))
    return path


_MAGIC = (  # (first bytes, what a file starting with them is)
    (b"PK\x03\x04", N_("a zip archive")),
    (b"\x93NUMPY", N_("a .npy file (one NumPy array, from np.save)")),
    (b"\x89HDF", N_("an HDF5 file (such as a Keras 2 .h5 model)")),
    (b"\x1f\x8b", N_("a gzip file")),
    (b"\x80", N_("a pickle")),
    (b"{", N_("a JSON object")),
    (b"[", N_("a JSON list")),
)


def file_kind(path):
    """What the file at ``path`` holds, judged by its first bytes: e.g. ``"a zip archive"``, ``"an empty file"``
    (English; ``i18n._`` translates it)."""
    with open(path, "rb") as f:
        head = f.read(8)
    if not head:
        return N_("an empty file")
    return next((kind for magic, kind in _MAGIC if head.startswith(magic)), N_("a file of another format"))


def zip_file(name, path, expected, advice):
    """``path`` unchanged if it is an existing zip archive (what .npz and .keras files are); else an error
    saying what the file is, what was ``expected`` and what to do (``advice``)."""
    kind = file_kind(path)
    if kind != "a zip archive":
        raise fail(ValueError, name, N_("be {expected}", expected=expected), _("{path}, which is {kind}").format(
            path=path, kind=_(kind)), advice)
    return path
