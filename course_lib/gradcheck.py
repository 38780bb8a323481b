"""Gradient checks: compare backpropagation with central differences, in float64.

The relative error ``||a - b|| / (||a|| + ||b||)`` is below 1e-7 for a correct
backward pass in float64 and around 1e-2 or worse for a wrong one.
"""

import numpy as np

from .functions import numerical_gradient


def rel_error(a, b, floor=1e-12):
    """Relative error ``||a - b|| / (||a|| + ||b||)`` of two arrays of the same shape (0 when both are 0)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare gradients of shapes {a.shape} and {b.shape}.")
    return float(np.linalg.norm(a - b) / max(floor, np.linalg.norm(a) + np.linalg.norm(b)))


def check_layer(layer, x, seed=0, h=1e-5):
    """Gradient-check one layer at input ``x`` (float64) with its parameters.

    Uses the scalar ``sum(forward(x) * dout)`` for a fixed random ``dout``.
    Returns a dict name -> relative error, with ``"x"`` for the input gradient.
    The layer's parameters must be float64 too; ``train=False`` forward passes.
    """
    x = np.array(x, dtype=np.float64)
    for name, p in layer.params.items():
        if p.dtype != np.float64:
            raise ValueError(f"parameter {name} is {p.dtype}; gradient checks need float64.")
    out = layer.forward(x)
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    analytic = {"x": layer.backward(dout)}
    analytic.update({k: g.copy() for k, g in layer.grads.items()})

    def f():
        return float(np.sum(layer.forward(x) * dout))

    errors = {"x": rel_error(analytic["x"], numerical_gradient(f, x, h))}
    for name, p in layer.params.items():
        errors[name] = rel_error(analytic[name], numerical_gradient(f, p, h))
    return errors


def check_net(net, x, t, h=1e-5):
    """Gradient-check a network's loss over all its parameters (float64 network).

    Returns a dict parameter name -> relative error.
    """
    analytic = net.gradient(x, t)
    numeric = net.numerical_gradient(x, t, h=h)
    return {k: rel_error(analytic[k], numeric[k]) for k in analytic}
