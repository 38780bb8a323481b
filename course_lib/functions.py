"""The functions of a neural network: activations, softmax, cross-entropy, numerical gradient.

All functions return new arrays and keep the dtype of their input (float32 in
training, float64 for gradient checks).
"""

import numpy as np

from .checks import number, numbers_array


def as_labels(t, n, num_classes):
    """Validate targets for ``n`` examples: labels ``(n,)`` in [0, num_classes) or one-hot ``(n, num_classes)``.

    Returns integer labels ``(n,)``. Raises ``ValueError`` saying what is wrong.
    """
    t = np.asarray(t)
    if t.ndim == 2:
        if t.shape != (n, num_classes):
            raise ValueError(f"one-hot targets must have shape ({n}, {num_classes}), got {t.shape}.")
        if n and not (np.all((t == 0) | (t == 1)) and np.all(t.sum(axis=1) == 1)):
            bad = int(np.flatnonzero(~(((t == 0) | (t == 1)).all(axis=1) & (t.sum(axis=1) == 1)))[0])
            raise ValueError(f"one-hot targets must hold a single 1 per row and 0 elsewhere; row {bad} is "
                             f"{t[bad].tolist()}. Pass integer labels, or data.one_hot(labels).")
        return t.argmax(axis=1)
    if t.ndim != 1 or len(t) != n:
        raise ValueError(
            f"targets must be labels shaped ({n},) or one-hot shaped ({n}, {num_classes}); got {t.shape}. "
            "Check that images and labels come from the same batch."
        )
    if not np.issubdtype(t.dtype, np.integer):
        raise ValueError(f"labels must be integers, got dtype {t.dtype}.")
    if n and (t.min() < 0 or t.max() >= num_classes):
        raise ValueError(f"labels must lie in 0..{num_classes - 1}; got min {t.min()}, max {t.max()}.")
    return t


def _float(x):
    """x as a float array (integers and booleans become float32); anything that is not numbers is a TypeError."""
    x = numbers_array("x", x)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float32)


def relu(x):
    """max(0, x), elementwise. Range [0, inf)."""
    x = _float(x)
    return np.maximum(x, 0, dtype=x.dtype)


def sigmoid(x):
    """1 / (1 + exp(-x)), elementwise, without overflow warnings for large |x|. Range (0, 1)."""
    x = _float(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


def softmax(x):
    """Softmax over the last axis: ``(..., C)`` scores -> probabilities that sum to 1.

    Subtracting each row's maximum first keeps ``exp`` from overflowing.
    """
    x = _float(x)
    if x.ndim == 0 or x.shape[-1] == 0:
        raise ValueError(f"softmax needs scores along the last axis (..., C) with C >= 1, got shape {x.shape}.")
    z = x - x.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy_error(y, t, eps=1e-7):
    """Mean cross-entropy of probabilities ``y (N, C)`` (or ``(C,)``) against labels ``(N,)`` or one-hot ``(N, C)``.

    ``eps`` keeps ``log(0)`` finite when a probability underflows to zero.
    """
    number("eps", eps, 0.0, 1.0, advice="Use a small non-negative number (the default is 1e-7).")
    y = _float(y)
    if y.ndim == 1:
        y = y[None, :]
        t = np.asarray(t).reshape(1, -1) if np.ndim(t) == 1 and np.size(t) == y.shape[1] else np.atleast_1d(t)
    if y.ndim != 2:
        raise ValueError(f"probabilities must have shape (N, C), got {y.shape}.")
    if 0 in y.shape:
        raise ValueError(f"probabilities must hold at least one example and one class, got shape {y.shape}.")
    if y.min() < 0 or y.max() > 1 + 1e-3:   # NaN passes: it propagates, as in any forward pass
        raise ValueError(f"y must be probabilities in [0, 1], got values from {y.min():.4g} to {y.max():.4g}: "
                         "pass softmax(scores), not the scores.")
    labels = as_labels(t, len(y), y.shape[1])
    picked = y[np.arange(len(y)), labels]
    return float(-np.mean(np.log(picked + eps)))


def numerical_gradient(f, x, h=1e-4):
    """Central-difference gradient of the scalar function ``f()`` with respect to array ``x``.

    ``f`` takes no argument and reads ``x`` (a parameter array shared with a
    network). Each entry of ``x`` is nudged by +-h in place and restored
    exactly afterwards. Use float64 for accurate checks. Returns ``grad`` shaped like ``x``.
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"x must be a float NumPy array (the parameter array f reads), got "
                        f"{type(x).__name__}{' of dtype ' + str(x.dtype) if isinstance(x, np.ndarray) else ''}: "
                        "integer entries cannot be nudged by h. Use x.astype(np.float64).")
    number("h", h, 0.0, 1.0, low_inclusive=False, advice="Use a small positive step such as 1e-4 (1e-6 in float64 "
           "checks).")
    if not callable(f):
        raise TypeError(f"f must be a function of no arguments returning the scalar loss (it reads x), got "
                        f"{type(f).__name__}: e.g. numerical_gradient(lambda: net.loss(x_batch, t_batch), W).")
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        saved = x[i].copy()
        x[i] = saved + h
        plus = f()
        x[i] = saved - h
        minus = f()
        x[i] = saved
        if np.ndim(plus) or np.ndim(minus):
            raise ValueError(f"f must return one number (the scalar loss), got shape {np.shape(plus)}: sum or "
                             "average it, e.g. lambda: float(np.sum(layer.forward(x) * dout)).")
        grad[i] = (plus - minus) / (2 * h)
    return grad
