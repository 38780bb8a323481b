"""Exercise checkers of notebook 13."""

import numpy as np

from .core import Feedback, NOT_ANSWERED, unanswered, call

__all__ = ["check_top3", "check_bounding_box"]


def check_top3(fn):
    """``fn(probs)``: the three most probable digits, most probable first, as a list of ints."""
    if unanswered(fn):
        return NOT_ANSWERED
    probs = np.array([0.01, 0.05, 0.02, 0.4, 0.01, 0.3, 0.01, 0.15, 0.03, 0.02])
    out, err = call(fn, probs)
    if err is not None:
        return err
    out = [int(d) for d in out] if isinstance(out, (list, tuple, np.ndarray)) else out
    if out == [9, 8, 7]:
        return Feedback(False, "those are the last three indices: sort by probability, not by digit.")
    if out == [7, 5, 3]:
        return Feedback(False, "right digits, wrong order: most probable first (reverse the argsort).")
    if out != [3, 5, 7]:
        return Feedback(False, f"for probabilities {probs.tolist()} you return {out!r}, expected [3, 5, 7]. "
                               "np.argsort(probs)[::-1][:3] does it.")
    return Feedback(True, "argsort, reversed, first three.")


def check_bounding_box(fn):
    """``fn(image)``: (top, bottom, left, right) inclusive indices of the rows/columns holding ink (> 0)."""
    if unanswered(fn):
        return NOT_ANSWERED
    image = np.zeros((10, 12))
    image[2:6, 3:9] = 1.0
    out, err = call(fn, image)
    if err is not None:
        return err
    out = tuple(int(v) for v in out) if isinstance(out, (list, tuple, np.ndarray)) else out
    if out == (2, 6, 3, 9):
        return Feedback(False, "your bottom and right are one past the last inked row/column; make them inclusive.")
    if out == (3, 9, 2, 6):
        return Feedback(False, "rows and columns swapped: rows come first (top, bottom), then columns.")
    if out != (2, 5, 3, 8):
        return Feedback(False, f"expected (2, 5, 3, 8), got {out!r}. np.flatnonzero(image.max(axis=1) > 0) gives "
                               "the inked rows.")
    return Feedback(True, "the first step of MNIST's preprocessing: crop to the bounding box.")
