"""Exercise checkers of notebook 09."""

import numpy as np

from .core import Feedback, NOT_ANSWERED, unanswered, call

__all__ = ["check_im2col", "check_maxpool"]


def check_im2col(fn):
    """``fn(img, k)``: for a 2-D image (H, W) and window size k, a (k*k, OH*OW) matrix of windows (stride 1)."""
    if unanswered(fn):
        return NOT_ANSWERED
    img = np.arange(20.0).reshape(4, 5)
    k = 2
    expected = np.stack([img[i:i + k, j:j + k].ravel() for i in range(3) for j in range(4)], axis=1)
    out, err = call(fn, img, k)
    if err is not None:
        return err
    out = np.asarray(out)
    if out.shape == expected.T.shape and np.allclose(out, expected.T):
        return Feedback(False, "you return one window per row; the course's layout is one window per column: "
                               "transpose.")
    if out.shape != expected.shape:
        return Feedback(False, f"for a 4x5 image and k=2 expected shape (4, 12) (k*k rows, 3*4 windows), "
                               f"got {out.shape}.")
    if not np.allclose(out, expected):
        return Feedback(False, "wrong values: column number i*OW + j must hold img[i:i+k, j:j+k] flattened row by row.")
    return Feedback(True, "every window became a column; a convolution is now one matrix product.")


def check_maxpool(fn):
    """``fn(x)``: 2x2 max pooling with stride 2 of x (N, C, H, W) with even H and W, without Python loops."""
    if unanswered(fn):
        return NOT_ANSWERED
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 6))
    expected = x.reshape(2, 3, 2, 2, 3, 2).max(axis=(3, 5))
    out, err = call(fn, x)
    if err is not None:
        return err
    out = np.asarray(out)
    if out.shape != expected.shape:
        return Feedback(False, f"x (2, 3, 4, 6) should give (2, 3, 2, 3), got {out.shape}.")
    if not np.allclose(out, expected):
        return Feedback(False, "wrong values. Reshape to (N, C, H/2, 2, W/2, 2) and take the max over axes 3 and 5.")
    return Feedback(True, "a reshape exposes every 2x2 window as two axes; max over them.")
