"""Exercise checkers and quick check of notebook 08 (convolution arithmetic)."""

import ast
import inspect
import textwrap

import numpy as np

from .. import layers
from ._legacy import (NOT_ANSWERED, Feedback, Question, call, changed_inputs, check_number, first_mismatch, unanswered,
                   wrong)

__all__ = ["check_output_size", "check_conv_naive", "check_im2col", "check_conv_params"]

QUIZ = [
    Question("A 28x28 image, a 3x3 filter, padding 1 on each side and stride 2: how many outputs per side?",
             answer=14,
             why="(28 - 3 + 2 x 1) // 2 + 1 = 27 // 2 + 1 = 14: the last incomplete step is dropped."),
    Question("What does a deep-learning 'convolution' layer compute?",
             answer=1,
             options=["a true convolution: the kernel is flipped before it slides",
                      "a cross-correlation: the window is multiplied by the kernel as it is",
                      "the product of the image with the transposed kernel matrix"],
             why="no flip; for a learned kernel it makes no difference, training simply learns the flipped one."),
    Question("Two stacked 3x3 convolutions (stride 1) see a 5x5 neighbourhood. How many weights do they have per "
             "channel pair, against 25 for one 5x5 filter?",
             answer=18,
             why="2 x 3 x 3 = 18 weights, the same receptive field, and a ReLU in between."),
]


def still_skeleton(fn):
    """True when ``fn``'s body still holds the skeleton's bare ``...`` statement (nobody has filled it in yet)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return False
    return any(isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and node.value.value is Ellipsis
               for node in ast.walk(tree))


def _size(size, f, s, p, pad_term=None):
    return (size - f + (2 * p if pad_term is None else pad_term)) // s + 1


def check_output_size(fn):
    """``fn(size, filter_size, stride, pad)``: output length along one axis as an int (floor when inexact)."""
    if unanswered(fn) or still_skeleton(fn):
        return NOT_ANSWERED
    cases = [(28, 5, 1, 0), (24, 2, 2, 0), (14, 3, 1, 2), (7, 3, 2, 1), (32, 5, 1, 2), (28, 3, 2, 1), (8, 3, 2, 0),
             (10, 4, 3, 3)]
    for size, f, s, p in cases:
        expected = _size(size, f, s, p)
        out, err = call(fn, size, f, s, p)
        if err is not None:
            return err
        where = f"for size {size}, filter {f}, stride {s}, pad {p}"
        if isinstance(out, (float, np.floating)):
            return wrong("size-float", f"{where} you return {out!r}, a float: a number of positions is a whole "
                         "number.", "`/` always gives a float in Python 3; use integer division, which also rounds "
                         "down when the stride does not divide exactly.")
        if isinstance(out, (bool, np.bool_)) or not isinstance(out, (int, np.integer)):
            return Feedback(False, f"{where} you return {out!r} ({type(out).__name__}); return an int.")
        if out == expected:
            continue
        if p and out == _size(size, f, s, p, pad_term=0):
            return wrong("size-no-pad", f"{where} you return {out}, expected {expected}: the padding is missing.",
                         "padding adds pad zeros on EACH side of the input.")
        if p and out == _size(size, f, s, p, pad_term=p):
            return wrong("size-one-side", f"{where} you return {out}, expected {expected}: you padded one side "
                         "only.", "pad zeros go on both sides, so the input grows by 2 x pad.")
        if p and out == _size(size, f, s, p, pad_term=4 * p):
            return wrong("size-double-pad", f"{where} you return {out}, expected {expected}: you counted the padding "
                         "twice.", "the input grows by pad on the left plus pad on the right, 2 x pad in all.")
        if out == expected - 1:
            return wrong("size-plus-one", f"{where} you return {out}, one too few.",
                         "the first window sits at position 0 before any step is taken.")
        if s > 1 and out == _size(size, f, 1, p):
            return wrong("size-stride", f"{where} you return {out}, expected {expected}: the stride is ignored.",
                         "the window moves stride pixels per step, so divide the room it has by the stride.")
        return wrong("size-other", f"{where} you return {out}, expected {expected}.",
                     "count how far the window can move (the padded size minus the filter), in steps of stride.")
    return Feedback(True, "(W - F + 2P) // S + 1, a whole number, for every case.")


def _conv_cases():
    """(x, W, b, stride, pad) cases: one channel, several channels and filters, stride 2, non-square, batch 1."""
    rng = np.random.default_rng()
    shapes = [((1, 1, 5, 5), (1, 1, 3, 3), 1, 0), ((2, 3, 7, 6), (4, 3, 3, 3), 2, 1),
              ((1, 2, 6, 5), (2, 2, 2, 3), 1, 2), ((3, 2, 8, 9), (3, 2, 3, 2), 3, 0)]
    return [(rng.standard_normal(xs), rng.standard_normal(ws), rng.standard_normal(ws[0]), s, p)
            for xs, ws, s, p in shapes]


def _conv(x, W, b, stride, pad):
    return layers.Conv2D(W, b, stride=stride, pad=pad).forward(x)


def check_conv_naive(fn):
    """``fn(x, W, b, stride, pad)``: x (N, C, H, W), W (FN, C, FH, FW), b (FN,) -> (N, FN, OH, OW) cross-correlation."""
    if unanswered(fn) or still_skeleton(fn):
        return NOT_ANSWERED
    for x, W, b, stride, pad in _conv_cases():
        before = {"x": x.copy(), "W": W.copy(), "b": b.copy()}
        out, err = call(fn, x, W, b, stride, pad)
        if err is not None:
            return err
        changed = changed_inputs(before, {"x": x, "W": W, "b": b})
        if changed:
            return Feedback(False, f"your function changed its input {changed}; only read the inputs (np.pad "
                                   "returns a new array).")
        where = f"x {x.shape}, W {W.shape}, stride {stride}, pad {pad}"
        expected = _conv(x, W, b, stride, pad)
        got = np.asarray(out) if isinstance(out, (np.ndarray, list, tuple)) else out
        if np.shape(got) != expected.shape:
            if pad and np.shape(got) == _conv(x, W, b, stride, 0).shape:
                return wrong("conv-no-pad", f"for {where} the output has shape {np.shape(got)}, expected "
                             f"{expected.shape}: the padding is missing.", "pad the input with zeros on both sides "
                             "of the height and width axes (np.pad) before sliding the window.")
            return wrong("conv-shape", f"for {where} the output has shape {np.shape(got)}, expected {expected.shape}.",
                         "one output channel per filter; each side has (H - FH + 2 pad) // stride + 1 positions.")
        if np.allclose(got, _conv(x, W[:, :, ::-1, ::-1].copy(), b, stride, pad)):
            return wrong("conv-flip", "you flipped the kernel: that is a true convolution.",
                         "deep-learning layers multiply the window by W[f] as it is (cross-correlation).")
        if np.allclose(got, expected - b[None, :, None, None]):
            return wrong("conv-bias", "the bias is missing.", "add b[f] to every output of filter f.")
        if stride > 1:
            unstrided = _conv(x, W, b, 1, pad)[:, :, :expected.shape[2], :expected.shape[3]]
            if np.allclose(got, unstrided):
                return wrong("conv-stride", f"for {where} your windows start one pixel apart; with stride {stride} "
                             f"they start {stride} pixels apart.", "output (i, j) reads the window whose top-left "
                             "corner is at (i * stride, j * stride).")
        problem = first_mismatch("the output", got, expected)
        if problem:
            return wrong("conv-values", f"for {where}: {problem}", "out[n, f, i, j] is the sum over channels and "
                         "filter taps of the window times W[f], plus b[f].")
    return Feedback(True, "your loops compute what Conv2D computes, for every stride and padding tried.")


def _im2col_cases():
    rng = np.random.default_rng()
    return [(rng.standard_normal((1, 1, 4, 4)), 2, 2, 1, 0), (rng.standard_normal((2, 3, 5, 6)), 3, 3, 1, 1),
            (rng.standard_normal((2, 2, 7, 6)), 3, 2, 2, 0), (rng.standard_normal((3, 1, 5, 5)), 2, 2, 2, 1)]


def check_im2col(fn):
    """``fn(x, fh, fw, stride, pad)``: the column matrix (C*FH*FW, N*OH*OW) of ``layers.im2col``."""
    if unanswered(fn) or still_skeleton(fn):
        return NOT_ANSWERED
    for x, fh, fw, stride, pad in _im2col_cases():
        before = {"x": x.copy()}
        out, err = call(fn, x, fh, fw, stride, pad)
        if err is not None:
            return err
        if changed_inputs(before, {"x": x}):
            return Feedback(False, "your function changed x; only read it (np.pad returns a new array).")
        n, c = x.shape[:2]
        where = f"x {x.shape}, window {fh}x{fw}, stride {stride}, pad {pad}"
        expected = layers.im2col(x, fh, fw, stride, pad)
        got = np.asarray(out)
        if got.shape == expected.T.shape and np.allclose(got, expected.T) and expected.shape[0] != expected.shape[1]:
            return wrong("im2col-rows", f"for {where} you return one window per ROW; the textbook matrix has one "
                         "window per column.", "the result has C*FH*FW rows (one per filter tap) and N*OH*OW columns.")
        if pad and got.shape == layers.im2col(x, fh, fw, stride, 0).shape:
            return wrong("im2col-pad", f"for {where} the shape is {got.shape}, expected {expected.shape}: the "
                         "padding is missing.", "pad height and width with zeros on both sides first.")
        if got.shape != expected.shape:
            return wrong("im2col-shape", f"for {where} the shape is {got.shape}, expected {expected.shape}.",
                         "one row per (channel, filter row, filter column), one column per (image, output row, "
                         "output column).")
        taps = expected.reshape(c, fh, fw, -1)
        if c > 1 and np.allclose(got, taps.transpose(1, 2, 0, 3).reshape(expected.shape)):
            return wrong("im2col-row-order", f"for {where} the rows are in the wrong order: yours run over the "
                         "channel fastest.", "rows go channel by channel, and within a channel row by row of the "
                         "window (the order of W[f].ravel()).")
        cols = expected.reshape(expected.shape[0], n, -1)
        if n > 1 and np.allclose(got, cols.transpose(0, 2, 1).reshape(expected.shape)):
            return wrong("im2col-col-order", f"for {where} the columns are in the wrong order: yours run over the "
                         "images fastest.", "columns go image by image, and within an image row by row of the "
                         "output positions.")
        problem = first_mismatch("the column matrix", got, expected)
        if problem:
            return wrong("im2col-values", f"for {where}: {problem}", "column number (n * OH + i) * OW + j holds the "
                         "window of image n whose top-left corner is at (i * stride, j * stride), all channels.")
    return Feedback(True, "your matrix equals layers.im2col for every stride and padding tried.")


def check_conv_params(answer, filters, channels, size):
    """Parameters of a conv layer: filters * (channels * size * size) weights plus one bias per filter."""
    if not unanswered(answer) and answer == filters * channels * size * size:
        return wrong("params-bias", "you counted the weights only; each filter also has one bias.")
    if not unanswered(answer) and answer == filters * (size * size + 1):
        return wrong("params-channels", "each filter spans all input channels: its weights are channels x size x "
                     "size.")
    return check_number(answer, filters * (channels * size * size + 1), "the parameter count",
                        "each filter has channels x size x size weights and 1 bias; it does not depend on the image "
                        "size.")
