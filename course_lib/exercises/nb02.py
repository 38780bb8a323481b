"""Exercise checkers of notebook 02."""

import numpy as np

from .core import Feedback, NOT_ANSWERED, unanswered, call

__all__ = ["check_softmax", "check_cross_entropy"]


def check_softmax(fn):
    """``fn(x)``: softmax over the last axis of (N, C) scores, stable for large scores."""
    if unanswered(fn):
        return NOT_ANSWERED
    cases = {
        "small scores": np.array([[0.3, 2.9, 4.0], [1.0, 1.0, 1.0]]),
        "scores around 1000": np.array([[1000.0, 1001.0, 1002.0]]),
        "scores around -1000": np.array([[-1000.0, -1001.0, -1002.0]]),
    }
    for label, x in cases.items():
        keep = x.copy()
        out, err = call(fn, x)
        if err is not None:
            return err
        out = np.asarray(out, dtype=np.float64)
        if out.shape != x.shape:
            return Feedback(False, f"for {label} of shape {x.shape} you return {out.shape}. "
                                   "Sum over the last axis with keepdims=True.")
        if not np.all(np.isfinite(out)):
            return Feedback(False, f"your softmax returns nan or inf for {label}: subtract each row's maximum "
                                   "before np.exp.")
        z = np.exp(x - x.max(axis=-1, keepdims=True))
        if not np.allclose(out, z / z.sum(axis=-1, keepdims=True)):
            if np.allclose(out.sum(), 1):
                return Feedback(False, f"for {label} the whole batch sums to 1; each row should. "
                                       "Use axis=-1 and keepdims=True.")
            return Feedback(False, f"wrong values for {label}: each row should be exp(x) / sum(exp(x)).")
        if not np.array_equal(x, keep):
            return Feedback(False, "your softmax changed its input in place; compute on a new array.")
    return Feedback(True, "finite for huge and tiny scores, rows sum to 1.")


def check_cross_entropy(fn):
    """``fn(y, t)``: mean cross-entropy of probabilities (N, C) against labels (N,)."""
    if unanswered(fn):
        return NOT_ANSWERED
    y = np.array([[0.1, 0.7, 0.2], [0.25, 0.25, 0.5], [0.0, 1.0, 0.0]])
    t = np.array([1, 2, 0])
    expected = -np.mean(np.log(y[np.arange(3), t] + 1e-7))
    out, err = call(fn, y, t)
    if err is not None:
        return err
    if out is None or not np.isscalar(out) and np.ndim(out) != 0:
        return Feedback(False, f"return one number (the batch mean), got {out!r}.")
    if not np.isfinite(out):
        return Feedback(False, "you get inf when a label's probability is 0: add a tiny eps (1e-7) inside the log.")
    if np.isclose(out, expected * 3, rtol=1e-4):
        return Feedback(False, "that is the sum over the batch; divide by the batch size for the mean.")
    if not np.isclose(out, expected, rtol=1e-4):
        return Feedback(False, "pick each row's probability at its label, y[np.arange(N), t], then -mean(log(...)).")
    return Feedback(True, "the loss is the mean of -log(probability of the right class).")
