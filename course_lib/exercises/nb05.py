"""Exercise checkers of notebook 05."""

import numpy as np

from .core import Feedback, NOT_ANSWERED, unanswered, call

__all__ = ["check_momentum", "check_he_std"]


def check_momentum(cls):
    """A class ``cls(lr, momentum)`` with ``update(params, grads)`` implementing Momentum."""
    if unanswered(cls):
        return NOT_ANSWERED
    opt, err = call(cls, 0.1, 0.9)
    if err is not None:
        return err
    params = {"w": np.array([1.0, -2.0])}
    grads = {"w": np.array([0.5, 1.0])}
    expected, v = params["w"].copy(), np.zeros(2)
    for step in range(1, 4):
        _, err = call(opt.update, params, grads, allow_none=True)
        if err is not None:
            return err
        v = 0.9 * v - 0.1 * grads["w"]
        if step == 1 and np.array_equal(params["w"], expected):
            return Feedback(False, "update() did not change params: write its body and update params[k] in place.")
        expected = expected + v
        if not np.allclose(params["w"], expected):
            if step == 1:
                return Feedback(False, "the first step should equal plain SGD: w - lr * g. Update params in place.")
            return Feedback(False, f"step {step} is wrong: keep a velocity v per parameter, v = momentum * v - "
                                   "lr * g, then w += v.")
    return Feedback(True, "with a constant gradient the steps grow: 0.05, 0.095, 0.1355, ...")


def check_he_std(fn):
    """``fn(fan_in)``: the standard deviation of He initialisation."""
    if unanswered(fn):
        return NOT_ANSWERED
    for fan_in in (784, 50, 9):
        out, err = call(fn, fan_in)
        if err is not None:
            return err
        if np.isclose(out, np.sqrt(1 / fan_in)):
            return Feedback(False, "that is Xavier's sqrt(1 / fan_in); He doubles the variance for ReLU.")
        if np.isclose(out, 2 / fan_in):
            return Feedback(False, "that is the variance; the standard deviation is its square root.")
        if not np.isclose(out, np.sqrt(2 / fan_in)):
            return Feedback(False, f"for fan_in={fan_in} you return {out}; expected sqrt(2 / fan_in).")
    return Feedback(True, "std = sqrt(2 / fan_in) keeps ReLU activations from shrinking layer after layer.")
