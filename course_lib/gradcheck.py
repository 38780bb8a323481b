"""Gradient checks: compare backpropagation with central differences, in float64.

The relative error ``||a - b|| / (||a|| + ||b||)`` is below 1e-7 for a correct
backward pass in float64 and around 1e-2 or worse for a wrong one.
"""

import numpy as np

from .functions import numerical_gradient
from .checks import integer, number, numbers_array, positive


def rel_error(a, b, floor=1e-12):
    """Relative error ``||a - b|| / (||a|| + ||b||)`` of two arrays of the same shape (0 when both are 0)."""
    a = numbers_array("a", a, "gradient values").astype(np.float64, copy=False)
    b = numbers_array("b", b, "gradient values").astype(np.float64, copy=False)
    positive("floor", floor, advice="Use a small positive number (the default is 1e-12).")
    if a.shape != b.shape:
        raise ValueError(f"cannot compare gradients of shapes {a.shape} and {b.shape}.")
    return float(np.linalg.norm(a - b) / max(floor, np.linalg.norm(a) + np.linalg.norm(b)))


def _check_step(h):
    number("the finite-difference step h", h, 0.0, 1.0, low_inclusive=False,
           advice="Use a small positive number such as 1e-5.")


def _check_x(x):
    """The input of a check as a float64 copy: a non-empty array of finite numbers."""
    x = numbers_array("x", x).astype(np.float64)
    if x.size == 0 or not np.all(np.isfinite(x)):
        raise ValueError(f"x must be a non-empty array of finite numbers (the point to check the gradient at), got "
                         f"shape {x.shape}{'' if np.all(np.isfinite(x)) else ' with NaN or infinite values'}.")
    return x


def _freeze_randomness(layers):
    """Make every layer draw the same random numbers (dropout masks) on each forward pass until the check ends.

    Returns ``rewind()``, to call before each forward pass; layers keep their generator in ``rng``."""
    rngs = [layer.rng for layer in layers if isinstance(getattr(layer, "rng", None), np.random.Generator)]
    saved = [rng.bit_generator.state for rng in rngs]

    def rewind():
        for rng, state in zip(rngs, saved, strict=True):
            rng.bit_generator.state = state
    return rewind


def _save_state(layers):
    """A function that puts back the layers' ``state`` (running statistics) as it is now."""
    saved = [(layer, {k: v.copy() for k, v in getattr(layer, "state", {}).items()}) for layer in layers]

    def restore():
        for layer, state in saved:
            for k, v in state.items():
                layer.state[k][...] = v
    return restore


def check_layer(layer, x, seed=0, h=1e-5, train=False):
    """Gradient-check one layer at input ``x`` (float64) with its parameters.

    Uses the scalar ``sum(forward(x, train) * dout)`` for a fixed random ``dout``.
    Returns a dict name -> relative error, with ``"x"`` for the input gradient.
    The layer's parameters must be float64 too. ``train=True`` checks training mode: dropout keeps one
    fixed mask for the whole check, batch norm uses batch statistics; the layer's ``state`` (running
    statistics) is put back afterwards, so a check does not change the layer.
    """
    _check_step(h)
    if not all(hasattr(layer, a) for a in ("forward", "backward", "params", "grads")):
        raise TypeError(f"layer must follow the layer contract of course_lib.layers (forward, backward, params, "
                        f"grads), got {type(layer).__name__}; e.g. gradcheck.check_layer(layers.Relu(), x).")
    integer("seed", seed, 0)
    x = _check_x(x)
    for name, p in layer.params.items():
        if p.dtype != np.float64:
            raise ValueError(f"parameter {name} is {p.dtype}; gradient checks need float64.")
    rewind, restore = _freeze_randomness([layer]), _save_state([layer])
    try:
        out = layer.forward(x, train=train)
        dout = np.random.default_rng(seed).standard_normal(out.shape)
        analytic = {"x": layer.backward(dout)}
        analytic.update({k: g.copy() for k, g in layer.grads.items()})

        def f():
            rewind()
            return float(np.sum(layer.forward(x, train=train) * dout))

        errors = {"x": rel_error(analytic["x"], numerical_gradient(f, x, h))}
        for name, p in layer.params.items():
            errors[name] = rel_error(analytic[name], numerical_gradient(f, p, h))
    finally:
        restore()
    return errors


def check_net(net, x, t, h=1e-5):
    """Gradient-check a network's loss over all its parameters (float64 network), in training mode.

    ``net.gradient`` runs in training mode, so the numerical gradient does too: the same dropout masks on
    every evaluation and batch statistics in batch norm. The net's ``state`` is put back afterwards.
    Returns a dict parameter name -> relative error.
    """
    _check_step(h)
    if not all(hasattr(net, a) for a in ("gradient", "loss", "params", "layers", "dtype")):
        raise TypeError(f"net must be a network from course_lib.nets (gradient, loss, params, layers), got "
                        f"{type(net).__name__}.")
    if net.dtype != np.float64:
        raise ValueError(f"the network is {net.dtype}; gradient checks need float64: build it with dtype=np.float64.")
    x = _check_x(x)
    layers = list(net.layers.values())
    rewind, restore = _freeze_randomness(layers), _save_state(layers)
    try:
        analytic = {k: g.copy() for k, g in net.gradient(x, t).items()}

        def loss():
            rewind()
            return net.loss(x, t, train=True)

        numeric = {k: numerical_gradient(loss, p, h) for k, p in net.params.items()}
    finally:
        restore()
    return {k: rel_error(analytic[k], numeric[k]) for k in analytic}
