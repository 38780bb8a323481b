"""Exercise checkers and quick check of notebook 09 (CNN layers from scratch)."""

import ast
import inspect
import textwrap
import time

import numpy as np

from .. import layers
from .nb08 import still_skeleton
from .core import NOT_ANSWERED, Feedback, Question, call, changed_inputs, first_mismatch, gradient_error, unanswered, \
    wrong

__all__ = ["check_maxpool"]

QUIZ = [
    Question("In 2x2 max pooling with stride 2, a window holds 1, 7, 3, 2 and the gradient arriving at its output is "
             "0.5. What gradient does the input pixel holding 3 receive?",
             answer=0,
             why="only the winner (7) gets the 0.5; the other three pixels did not affect the output, so their "
                 "gradient is 0."),
    Question("How many parameters does a 2x2 max-pooling layer have?",
             answer=0,
             why="none: it only picks the largest value of each window."),
    Question("Why does the library's Conv2D not copy every window into a column one by one, as the textbook im2col "
             "does?",
             answer=2,
             options=["its results would differ from im2col's",
                      "copying windows one by one is impossible in NumPy",
                      "each pixel would be copied once per filter tap, a few values at a time, which is slow; shifted "
                      "slices of one long row copy the same numbers in a few large blocks",
                      "Conv2D uses a true convolution instead"],
             why="same numbers, far fewer and larger copies; a test proves it equal to the textbook im2col."),
]

_LOOPS = (ast.For, ast.While, ast.AsyncFor, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _loop_in(fn):
    """The kind of the first Python loop in ``fn``'s source, ``None`` if it has none, or ``"?"`` if unreadable."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return "?"
    for node in ast.walk(tree):
        if isinstance(node, _LOOPS):
            return {ast.For: "a for loop", ast.While: "a while loop"}.get(type(node), "a comprehension")
    return None


def _slow(forward, backward):
    """Timing fallback when the source cannot be read: far slower than a vectorised reference on a large input."""
    x = np.random.default_rng().standard_normal((32, 8, 32, 32))
    start = time.perf_counter()
    ref = layers.MaxPool2D(2, 2, stride=2)
    ref.backward(ref.forward(x))
    reference = time.perf_counter() - start
    start = time.perf_counter()
    try:
        out, cache = forward(x)
        backward(np.ones_like(out), cache)
    except Exception:
        return False   # the value checks below will report it
    return time.perf_counter() - start > 50 * reference + 0.2


def _distinct(rng, shape):
    """Random values whose entries differ by at least 0.01 (no ties, no kinks near the gradient check's steps)."""
    return rng.permutation(np.arange(int(np.prod(shape)), dtype=np.float64)).reshape(shape) * 0.01 \
        + rng.uniform(0, 0.001, shape)


def _reference(x, dout):
    pool = layers.MaxPool2D(2, 2, stride=2)
    out = pool.forward(x)
    return out, pool.backward(dout)


def check_maxpool(forward, backward):
    """``forward(x) -> (out, cache)`` and ``backward(dout, cache) -> dx``: 2x2 max pooling with stride 2 on
    x (N, C, H, W) with even H and W, without Python loops; ties send the gradient to the first maximum
    (row-major), as ``layers.MaxPool2D`` does."""
    if unanswered(forward) or unanswered(backward) or still_skeleton(forward) or still_skeleton(backward):
        return NOT_ANSWERED
    for fn in (forward, backward):
        loop = _loop_in(fn)
        if loop not in (None, "?"):
            name = getattr(fn, "__name__", "your function")
            return wrong("pool-loop", f"{name} contains {loop}; the exercise asks for no Python loops.",
                         "a reshape to (N, C, H/2, 2, W/2, 2) puts every window on two axes of its own; reduce over "
                         "them, and build the backward mask from the same view.")
    if "?" in (_loop_in(forward), _loop_in(backward)) and _slow(forward, backward):
        return wrong("pool-slow", "your functions are much slower than a vectorised version on a large input: do "
                     "they loop over pixels?", "reshape so every window gets two axes of its own.")
    rng = np.random.default_rng()
    for shape in [(1, 1, 2, 2), (2, 3, 4, 6), (3, 2, 6, 4), (1, 4, 8, 2)]:
        x = _distinct(rng, shape)
        dout = rng.standard_normal((shape[0], shape[1], shape[2] // 2, shape[3] // 2))
        expected_out, expected_dx = _reference(x, dout)
        keep = {"x": x.copy()}
        result, err = call(forward, x)
        if err is not None:
            return err
        if changed_inputs(keep, {"x": x}):
            return Feedback(False, "forward changed x; only read it.")
        if not isinstance(result, tuple) or len(result) != 2:
            return Feedback(False, "forward must return a pair (out, cache): the pooled output and whatever "
                                   "backward needs.")
        out, cache = result
        if np.shape(out) == expected_out.shape and np.allclose(
                out, x.reshape(*expected_out.shape[:3], 2, expected_out.shape[3], 2).mean(axis=(3, 5))):
            return wrong("pool-mean", "forward averages each window; max pooling keeps its largest value.",
                         "use max over the two window axes.")
        problem = first_mismatch(f"forward's out for x of shape {shape}", out, expected_out)
        if problem:
            return wrong("pool-forward", problem, "output (n, c, i, j) is the largest of x[n, c, 2i:2i+2, 2j:2j+2].")
        keep = {"dout": dout.copy()}
        dx, err = call(backward, dout, cache)
        if err is not None:
            return err
        if changed_inputs(keep, {"dout": dout}):
            return Feedback(False, "backward changed dout; only read it.")
        dx_arr = np.asarray(dx) if isinstance(dx, (np.ndarray, list)) else dx
        if np.shape(dx_arr) != x.shape:
            return wrong("pool-dx-shape", f"backward returns shape {np.shape(dx_arr)}; dx must have x's shape "
                         f"{x.shape}.", "each output gradient goes back to one pixel of its 2x2 window.")
        spread = np.repeat(np.repeat(dout, 2, axis=2), 2, axis=3)
        if np.allclose(dx_arr, spread) or np.allclose(dx_arr, spread / 4):
            return wrong("pool-spread", "backward spreads each gradient over the whole window; only the maximum "
                         "affected the output.", "multiply by a mask that is 1 at each window's maximum, 0 "
                         "elsewhere.")
        if np.allclose(dx_arr, (expected_dx != 0).astype(float)):
            return wrong("pool-mask-only", "backward returns the mask of the maxima; multiply it by dout.",
                         "chain rule: dx = mask * (dout sent back to the window).")
        problem = first_mismatch(f"dx for x of shape {shape}", dx_arr, expected_dx)
        if problem:
            return wrong("pool-backward", problem, "dx is dout at each window's maximum and 0 at the other three "
                         "pixels.")

        def loss():
            return float(np.sum(forward(x)[0] * dout))

        error = gradient_error(loss, x, dx_arr)
        if error > 1e-7:
            return Feedback(False, f"dx does not match a numerical gradient of forward (relative error {error:.1e}).")
    # Ties: integer values repeat inside windows; the library keeps the first maximum in row-major order.
    x = rng.integers(0, 2, (2, 2, 4, 4)).astype(np.float64)
    dout = rng.standard_normal((2, 2, 2, 2))
    _, expected_dx = _reference(x, dout)
    result, err = call(forward, x)
    if err is not None:
        return err
    dx, err = call(backward, dout, result[1])
    if err is not None:
        return err
    if np.shape(dx) == x.shape and not np.allclose(dx, expected_dx):
        return wrong("pool-ties", "on windows with several equal maxima, your backward does not send the gradient "
                     "to the first of them only (row-major order), as layers.MaxPool2D does.",
                     "argmax over a window's 4 values (laid out row by row) returns the first maximum.")
    return Feedback(True, "no loops, values equal to MaxPool2D, gradient checked in float64, ties as the library.")
