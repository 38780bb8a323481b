"""Exercise checkers of notebook 01."""

import numpy as np

from .core import Feedback, NOT_ANSWERED, unanswered, call, check_number

__all__ = ["check_to_channels_last", "check_dense", "check_dense_params"]


def check_to_channels_last(fn):
    """``fn(x)`` turns flat images (N, 784) into (N, 28, 28, 1) without changing x."""
    if unanswered(fn):
        return NOT_ANSWERED
    x = np.arange(3 * 784, dtype=np.float32).reshape(3, 784)
    keep = x.copy()
    out, err = call(fn, x)
    if err is not None:
        return err
    out = np.asarray(out)
    if out.shape != (3, 28, 28, 1):
        return Feedback(False, f"for input (3, 784) you return shape {out.shape}; expected (3, 28, 28, 1). "
                               "Keep the batch axis first and put the channel axis last: reshape(-1, 28, 28, 1).")
    if not np.array_equal(out[1, 2, :, 0], x[1, 56:84]):
        return Feedback(False, "the shape is right but pixels moved: reshape, do not transpose.")
    if not np.array_equal(x, keep):
        return Feedback(False, "your function changed its input; return a new array instead.")
    return Feedback(True, "a batch of 3 flat images became 3 images of 28x28 with one channel.")


def check_dense(fn):
    """``fn(x, W, b)`` computes a dense layer ``x @ W + b`` on a batch."""
    if unanswered(fn):
        return NOT_ANSWERED
    rng = np.random.default_rng(0)
    x, W, b = rng.standard_normal((4, 6)), rng.standard_normal((6, 3)), rng.standard_normal(3)
    out, err = call(fn, x, W, b)
    if err is not None:
        return err
    out = np.asarray(out)
    if out.shape != (4, 3):
        return Feedback(False, f"x (4, 6), W (6, 3), b (3,) should give (4, 3), you return {out.shape}. "
                               "Multiply x by W (x @ W), then add b.")
    if np.allclose(out, x @ W):
        return Feedback(False, "the bias is missing: add b (broadcasting adds it to every row).")
    if not np.allclose(out, x @ W + b):
        return Feedback(False, "values differ from x @ W + b. Check the order of the matrix product.")
    return Feedback(True, "one matrix product plus a broadcast bias handles the whole batch at once.")


def check_dense_params(answer, inputs, outputs):
    """Parameter count of a dense layer: inputs * outputs weights plus outputs biases."""
    if not unanswered(answer) and answer == inputs * outputs:
        return Feedback(False, "you counted the weights only; each output also has a bias.")
    return check_number(answer, inputs * outputs + outputs, "the parameter count",
                        "Weights: one per (input, output) pair. Biases: one per output.")
