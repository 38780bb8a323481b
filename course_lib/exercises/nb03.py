"""Exercise checkers of notebook 03."""

import numpy as np

from .core import Feedback, NOT_ANSWERED, unanswered, call

__all__ = ["check_sigmoid_layer", "check_mul_layer"]


def _check_backward(make, inputs, expected, name):
    if unanswered(make):
        return NOT_ANSWERED
    layer, err = call(make)
    if err is not None:
        return err
    dout = np.random.default_rng(1).standard_normal(expected[0].shape)
    out, err = call(layer.forward, *inputs)
    if err is not None:
        return err
    if not np.allclose(out, expected[0]):
        return Feedback(False, f"{name}.forward gives wrong values.")
    grads, err = call(layer.backward, dout)
    if err is not None:
        return err
    grads = grads if isinstance(grads, tuple) else (grads,)
    for i, (g, want) in enumerate(zip(grads, expected[1])):
        g = np.asarray(g)
        if g.shape != want(dout).shape or not np.allclose(g, want(dout)):
            return Feedback(False, f"{name}.backward: gradient {i + 1} is wrong. Multiply the upstream gradient "
                                   "dout by the local derivative.")
    return None


def check_sigmoid_layer(cls):
    """A class with ``forward(x)`` and ``backward(dout)`` for the sigmoid."""
    x = np.array([[-2.0, 0.0, 3.0], [1.0, -1.0, 0.5]])
    y = 1 / (1 + np.exp(-x))
    bad = _check_backward(cls, (x,), (y, [lambda d: d * y * (1 - y)]), "Sigmoid")
    if bad is not None:
        if not bad.ok and "backward" in bad.message:
            bad.message += " For the sigmoid that is y * (1 - y), using the y saved in forward."
        return bad
    return Feedback(True, "dout * y * (1 - y): the sigmoid's derivative written with its own output.")


def check_mul_layer(cls):
    """A class with ``forward(x, y)`` and ``backward(dout)`` returning ``(dx, dy)``."""
    x, y = np.array([2.0, -3.0]), np.array([5.0, 4.0])
    bad = _check_backward(cls, (x, y), (x * y, [lambda d: d * y, lambda d: d * x]), "MulLayer")
    if bad is not None:
        if not bad.ok and "backward" in bad.message:
            bad.message += " A multiply node swaps its inputs: dx = dout * y, dy = dout * x."
        return bad
    return Feedback(True, "the multiply node sends each input the other input times dout.")
