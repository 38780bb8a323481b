"""Exercise checkers of notebook 08."""

import numpy as np

from .core import Feedback, NOT_ANSWERED, unanswered, call, check_number

__all__ = ["check_output_size", "check_naive_conv", "check_conv_params"]


def check_output_size(fn):
    """``fn(size, filter_size, stride, pad)``: output length of a convolution along one axis (exact tilings)."""
    if unanswered(fn):
        return NOT_ANSWERED
    for args, expected in [((28, 5, 1, 0), 24), ((24, 2, 2, 0), 12), ((14, 3, 1, 2), 16), ((7, 3, 2, 1), 4),
                           ((32, 5, 1, 2), 32)]:
        out, err = call(fn, *args)
        if err is not None:
            return err
        if out != expected:
            size, f, s, p = args
            return Feedback(False, f"for size {size}, filter {f}, stride {s}, pad {p} you return {out!r}, expected "
                                   f"{expected}. Use (size - filter + 2 * pad) // stride + 1 (padding goes on both "
                                   "sides).")
    return Feedback(True, "(W - F + 2P) / S + 1 for every case.")


def check_naive_conv(fn):
    """``fn(x, W)``: stride-1, no-padding cross-correlation of x (C, H, W) with filters W (FN, C, FH, FW)."""
    if unanswered(fn):
        return NOT_ANSWERED
    rng = np.random.default_rng(0)
    x, W = rng.standard_normal((2, 5, 6)), rng.standard_normal((3, 2, 3, 2))

    def correlate(kernels):
        return np.array([[[np.sum(x[:, i:i + 3, j:j + 2] * k) for j in range(5)] for i in range(3)] for k in kernels])

    expected = correlate(W)
    out, err = call(fn, x, W)
    if err is not None:
        return err
    out = np.asarray(out)
    if out.shape != expected.shape:
        return Feedback(False, f"x (2, 5, 6) and W (3, 2, 3, 2) should give (3, 3, 5), you return {out.shape}. "
                               "One output channel per filter; OH = H - FH + 1, OW = W - FW + 1.")
    flipped = correlate(W[:, :, ::-1, ::-1])
    if np.allclose(out, flipped):
        return Feedback(False, "you flipped the kernel (true convolution); deep-learning layers use "
                               "cross-correlation: multiply the window by W as it is.")
    if not np.allclose(out, expected):
        return Feedback(False, "values differ: out[f, i, j] = sum over channels and taps of "
                               "x[:, i:i+FH, j:j+FW] * W[f].")
    return Feedback(True, "three loops (filter, row, column) and one sum per output value.")


def check_conv_params(answer, filters, channels, size):
    """Parameters of a conv layer: filters * (channels * size * size) weights plus one bias per filter."""
    if not unanswered(answer) and answer == filters * channels * size * size:
        return Feedback(False, "you counted the weights only; each filter also has one bias.")
    return check_number(answer, filters * (channels * size * size + 1), "the parameter count",
                        "Each filter has channels x size x size weights and 1 bias; it does not depend on the image "
                        "size.")
