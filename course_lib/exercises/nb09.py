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

__all__ = ["check_conv_backward", "check_maxpool"]

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


def _conv_backward_cases():
    """(dout, x, W, stride, pad) cases: one channel; several channels and filters; stride 2; pad 0, 1 and 2;
    non-square inputs and filters; a stride that leaves the last row and column uncovered."""
    rng = np.random.default_rng()
    shapes = [((1, 1, 5, 5), (1, 1, 3, 3), 1, 0), ((2, 3, 7, 6), (4, 3, 3, 3), 2, 1),
              ((2, 2, 6, 5), (3, 2, 2, 3), 1, 2), ((3, 2, 8, 9), (2, 2, 3, 2), 2, 0)]
    cases = []
    for xs, ws, s, p in shapes:
        oh, ow = layers.conv_output_size(xs[2], ws[2], s, p), layers.conv_output_size(xs[3], ws[3], s, p)
        cases.append((rng.standard_normal((xs[0], ws[0], oh, ow)), rng.standard_normal(xs), rng.standard_normal(ws),
                      s, p))
    return cases


def _conv_grads(dout, x, W, stride, pad):
    """dx, dW, db of ``layers.Conv2D`` (bias 0) for the upstream gradient dout."""
    conv = layers.Conv2D(W, np.zeros(W.shape[0]), stride=stride, pad=pad)
    conv.forward(x)
    dx = conv.backward(dout)
    return dx.copy(), conv.grads["W"].copy(), conv.grads["b"].copy()


def _unstrided_grads(dout, x, W, pad):
    """dx and dW when every window starts one pixel after the last (the stride ignored): the stride-1 gradients
    with dout's positions in the top-left corner of the stride-1 output."""
    conv = layers.Conv2D(W, np.zeros(W.shape[0]), stride=1, pad=pad)
    grid = np.zeros_like(conv.forward(x))
    grid[:, :, :dout.shape[2], :dout.shape[3]] = dout
    dx = conv.backward(grid)
    return dx.copy(), conv.grads["W"].copy()


def _same(got, expected):
    return first_mismatch("", got, expected) is None


def _as_array(value):
    """A returned list or tuple as an array; anything else (or a ragged list) as it is, for first_mismatch to name."""
    if isinstance(value, (list, tuple)):
        try:
            return np.asarray(value)
        except ValueError:
            return value
    return value


def _shape(value):
    """``np.shape(value)``, or ``None`` for what has no shape (``None``, a ragged list)."""
    if value is None:
        return None
    try:
        return np.shape(value)
    except ValueError:
        return None


def _dx_mistake(where, dx, dout, x, W, stride, pad, problem):
    n, c, h, w = x.shape
    shape = _shape(dx)
    if shape is None:
        return Feedback(False, f"{where} {problem}")
    if shape != x.shape:
        if pad and shape == (n, c, h + 2 * pad, w + 2 * pad):
            return wrong("convb-dx-crop", f"{where} dx has shape {shape}, the padded input's: the padding is "
                         "still on.", f"dx must have x's shape {x.shape}: at the end, cut the pad rows and columns "
                         "off each side of the padded gradient.")
        if not pad and 0 in shape[2:]:
            return wrong("convb-dx-empty", f"{where} dx has shape {shape}: with pad 0, cropping with the "
                         "slice pad:-pad leaves nothing.", "-0 is 0, so that slice is empty when pad is 0; end it "
                         "at pad + H (and pad + W) instead.")
        return wrong("convb-dx-shape", f"{where} dx has shape {shape}, expected x's shape {x.shape}.",
                     "dx holds one gradient per input pixel: pad, add up the windows' shares, then crop the padding.")
    if _same(dx, _conv_grads(dout, x, W[:, :, ::-1, ::-1].copy(), stride, pad)[0]):
        return wrong("convb-dx-flip", f"{where} dx is what the flipped filter gives: that is the gradient of a true "
                     "convolution.", "the forward pass multiplies each window by W[f] as it is (cross-correlation), "
                     "so its gradient goes back through W[f] unflipped.")
    if stride > 1 and _same(dx, _unstrided_grads(dout, x, W, pad)[0]):
        return wrong("convb-dx-stride", f"{where} dx: your windows start one pixel apart; with stride {stride} they "
                     f"start {stride} pixels apart.", "output (i, j) read the window whose top-left corner is at "
                     "(i * stride, j * stride); its gradient goes back to that same window.")
    return wrong("convb-dx", f"{where} {problem}", "every output (n, f, i, j) sends dout[n, f, i, j] times W[f] back "
                 "to its window; windows can overlap, so add these shares up in a padded array of zeros.")


def _dW_mistake(where, dW, dout, x, W, stride, pad, expected, problem):
    shape = _shape(dW)
    if shape is None:
        return Feedback(False, f"{where} {problem}")
    if shape != W.shape:
        return wrong("convb-dW-shape", f"{where} dW has shape {shape}, expected W's shape {W.shape}.",
                     "dW[f] has the shape of one filter, (C, FH, FW), like the windows it is made of.")
    if x.shape[0] > 1:
        for which, keep in (("first", np.s_[:1]), ("last", np.s_[-1:])):
            if _same(dW, _conv_grads(dout[keep], x[keep], W, stride, pad)[1]):
                return wrong("convb-dW-batch", f"{where} dW holds the gradient of the {which} image only; every "
                             "image of the batch contributes to it.", "dW[f] adds up window times dout[n, f, i, j] "
                             "over all N images as well as over all output positions.")
    if _same(dW, expected[:, :, ::-1, ::-1]):
        return wrong("convb-dW-flip", f"{where} dW is flipped (upside down and left to right): that is the gradient "
                     "of a true convolution.", "the forward pass multiplies each window by W[f] as it is "
                     "(cross-correlation), so dW[f] is made of the windows as they are.")
    if stride > 1 and _same(dW, _unstrided_grads(dout, x, W, pad)[1]):
        return wrong("convb-dW-stride", f"{where} dW: your windows start one pixel apart; with stride {stride} they "
                     f"start {stride} pixels apart.", "output (i, j) read the window whose top-left corner is at "
                     "(i * stride, j * stride).")
    return wrong("convb-dW", f"{where} {problem}", "dW[f] adds up, over every image n and output position (i, j), "
                 "the window of image n times dout[n, f, i, j].")


def _db_mistake(where, db, dout, problem):
    hint = "db[f] is the sum of dout[:, f] over N, OH and OW: one number per filter."
    shape = _shape(db)
    if shape is None:
        return Feedback(False, f"{where} {problem}")
    if shape == dout.shape[1:]:
        return wrong("convb-db-batch", f"{where} db has shape {shape}: you summed dout over the batch only; sum over "
                     "the output positions (OH, OW) too.", hint)
    if shape == dout.shape[:2]:
        return wrong("convb-db-positions", f"{where} db has shape {shape}: you summed dout over the output positions "
                     "but not over the batch.", hint)
    if shape == ():
        return wrong("convb-db-all", f"{where} db is a single number: you summed over the filters too.", hint)
    if dout.shape[0] > 1 and _same(db, dout[0].sum(axis=(1, 2))):
        return wrong("convb-db-first", f"{where} db holds the first image's sums only; every image of the batch "
                     "contributes.", hint)
    return wrong("convb-db", f"{where} {problem}", hint)


def check_conv_backward(fn):
    """``fn(dout, x, W, stride, pad) -> (dx, dW, db)``: the gradients of the convolution of ``layers.Conv2D``
    (cross-correlation, zero padding) for dout (N, FN, OH, OW), x (N, C, H, W), W (FN, C, FH, FW); loops allowed.

    Compares with ``Conv2D``'s backward pass on fresh random float64 inputs (several strides, paddings, channel and
    filter counts, non-square sizes), checks dtypes and that the inputs are left unmodified, and gradient-checks dx.
    """
    if unanswered(fn) or still_skeleton(fn):
        return NOT_ANSWERED
    for dout, x, W, stride, pad in _conv_backward_cases():
        where = f"for x {x.shape}, W {W.shape}, stride {stride}, pad {pad}:"
        before = {"x": x.copy(), "W": W.copy(), "dout": dout.copy()}
        result, err = call(fn, dout, x, W, stride, pad)
        if err is not None:
            return err
        changed = changed_inputs(before, {"x": x, "W": W, "dout": dout})
        if changed:
            return wrong("convb-in-place", f"your function changed its input {changed}; only read the inputs.",
                         "np.pad returns a new array: pad x into it and add the gradients up in arrays of zeros of "
                         "your own, never in x, W or dout.")
        if not isinstance(result, (tuple, list)) or len(result) != 3:
            return Feedback(False, "return three arrays, (dx, dW, db), in that order.")
        dx, dW, db = (_as_array(value) for value in result)
        expected = _conv_grads(dout, x, W, stride, pad)
        problem = first_mismatch("dx", dx, expected[0])
        if problem:
            return _dx_mistake(where, dx, dout, x, W, stride, pad, problem)
        problem = first_mismatch("dW", dW, expected[1])
        if problem:
            return _dW_mistake(where, dW, dout, x, W, stride, pad, expected[1], problem)
        problem = first_mismatch("db", db, expected[2])
        if problem:
            return _db_mistake(where, db, dout, problem)
        for name, value in (("dx", dx), ("dW", dW), ("db", db)):
            if np.asarray(value).dtype != np.float64:
                return Feedback(False, f"{where} {name} has dtype {np.asarray(value).dtype}; with float64 inputs it "
                                       "should be float64 too.")
        conv, xg = layers.Conv2D(W, np.zeros(W.shape[0]), stride=stride, pad=pad), x.copy()
        error = gradient_error(lambda: float(np.sum(conv.forward(xg) * dout)), xg, np.asarray(dx))
        if error > 1e-7:
            return Feedback(False, f"{where} dx does not match a numerical gradient of the convolution (relative "
                                   f"error {error:.1e}).")
    return Feedback(True, "dx, dW and db equal Conv2D's for every stride and padding tried; dx passes a float64 "
                          "gradient check.")


_LOOPS = (ast.For, ast.While, ast.AsyncFor, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _loop_in(fn):
    """The kind of the first Python loop in ``fn``'s source, ``None`` if it has none, or ``"?"`` if unreadable."""
    # Code built by exec has no file: Python 3.13's linecache may hand back other lines cached under "<string>".
    if getattr(getattr(fn, "__code__", None), "co_filename", None) == "<string>":
        return "?"
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
