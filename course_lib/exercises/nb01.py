"""Exercise checkers of notebook 01: reshaping to a channel layout, a dense layer on a batch, its parameter count."""

import numpy as np

from ._legacy import (NOT_ANSWERED, Feedback, Question, call, changed_inputs, check_number, first_mismatch, unanswered,
                   wrong)

__all__ = ["check_to_channels_last", "check_dense", "check_dense_params"]


def check_to_channels_last(fn):
    """``fn(x)`` turns flat images (N, 784) into (N, 28, 28, 1) without changing x."""
    if unanswered(fn):
        return NOT_ANSWERED
    rng = np.random.default_rng()
    for n in (3, 1):
        x = rng.integers(0, 256, (n, 784)).astype(np.float32)
        keep = x.copy()
        out, err = call(fn, x, allow_none=True)
        if err is not None:
            return err
        if out is None:
            return NOT_ANSWERED  # the skeleton's body is still `...`
        if changed_inputs({"x": keep}, {"x": x}):
            return wrong("channels-inplace", "your function changed its input x; return a new view or array.")
        out = np.asarray(out)
        if out.shape != (n, 28, 28, 1):
            return wrong("channels-shape", f"for input ({n}, 784) you return shape {out.shape}; expected "
                         f"({n}, 28, 28, 1).",
                         "keep the batch axis first, then rows, columns, and the channel axis (length 1) last.")
        if not np.array_equal(out, keep.reshape(n, 28, 28, 1)):
            return wrong("channels-moved", "the shape is right but pixels moved: the 784 numbers are stored row "
                         "after row, and reshaping reads them in that order; transposing moves them.",
                         "one reshape is enough; no transpose.")
    return Feedback(True, "a batch of flat images became images of 28x28 with one channel, x unchanged.")


def check_dense(fn):
    """``fn(x, W, b)`` computes a dense layer ``x @ W + b`` on a batch."""
    if unanswered(fn):
        return NOT_ANSWERED
    rng = np.random.default_rng()
    for n, d, m in [(4, 6, 3), (1, 5, 2), (3, 3, 3)]:
        x, W, b = rng.standard_normal((n, d)), rng.standard_normal((d, m)), rng.standard_normal(m)
        keep = {"x": x.copy(), "W": W.copy(), "b": b.copy()}
        out, err = call(fn, x, W, b, allow_none=True)
        if err is not None:
            return err
        if out is None:
            return NOT_ANSWERED  # the skeleton's body is still `...`
        moved = changed_inputs(keep, {"x": x, "W": W, "b": b})
        if moved:
            return wrong("dense-inplace", f"your dense layer changed its input {moved}.")
        out = np.asarray(out)
        expected = keep["x"] @ keep["W"] + keep["b"]
        if out.shape != expected.shape:
            return wrong("dense-shape", f"x {x.shape}, W {W.shape}, b {b.shape} should give {expected.shape}, you "
                         f"return {out.shape}.",
                         "a matrix product of x (N, D) with W (D, M) gives (N, M); then the bias is added to every row.")
        if np.allclose(out, keep["x"] @ keep["W"]):
            return wrong("dense-bias", "the bias is missing: add b (broadcasting adds it to every row).")
        if x.shape == W.shape and np.allclose(out, keep["x"] * keep["W"] + keep["b"]):
            return wrong("dense-elementwise", "for a square x and W you multiplied elementwise (*); a dense layer "
                         "needs the matrix product.")
        problem = first_mismatch("the output", out, expected)
        if problem:
            return wrong("dense-values", f"for x {x.shape}: {problem}",
                         "a matrix product (not an elementwise one), then the bias.")
    return Feedback(True, "one matrix product plus a broadcast bias handles the whole batch at once.")


def check_dense_params(answer, inputs, outputs):
    """Parameter count of a dense layer: inputs * outputs weights plus outputs biases."""
    if not unanswered(answer) and not isinstance(answer, (bool, np.bool_)) and answer == inputs * outputs:
        return wrong("dense-params-bias", "you counted the weights only; each output also has a bias.")
    return check_number(answer, inputs * outputs + outputs, "the parameter count",
                        "Weights: one per (input, output) pair. Biases: one per output.")


QUIZ = [
    Question("A batch of 32 MNIST images in the channels-first layout has which shape?",
             answer=1,
             options=["(32, 28, 28)", "(32, 1, 28, 28)", "(32, 28, 28, 1)", "(1, 32, 28, 28)"],
             why="batch, channel, height, width: (N, C, H, W) = (32, 1, 28, 28)."),
    Question("What is np.array([250], dtype=np.uint8) + np.uint8(10)?",
             answer=0,
             options=["[4]: uint8 wraps around modulo 256", "[260]", "[255]: it saturates", "an error"],
             why="uint8 holds 0-255 and wraps: 260 - 256 = 4. Convert to float before computing."),
    Question("x has shape (100, 28, 28) and m has shape (28, 28). What is the shape of x - m?",
             answer=2,
             options=["(28, 28)", "(100, 28)", "(100, 28, 28)", "an error"],
             why="broadcasting adds the missing leading axis to m and repeats it over the 100 images."),
]
