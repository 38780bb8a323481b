"""Optimisers: rules that turn gradients into parameter updates.

``update(params, grads)`` changes the arrays in ``params`` in place (that is
how the network sees its new weights); ``grads`` is left untouched. State such
as momentum is kept per parameter name.
"""

import math
import numbers

import numpy as np

from .checks import integer, number, positive


def check_update_args(params, grads):
    """Check that ``params`` and ``grads`` are dicts with the same keys and matching array shapes.

    Raises ``TypeError``/``ValueError`` naming the missing or extra keys, or the first shape mismatch.
    """
    for name, d in (("params", params), ("grads", grads)):
        if not isinstance(d, dict):
            raise TypeError(f"{name} must be a dict of arrays keyed by parameter name (e.g. net.params), "
                            f"got {type(d).__name__}.")
    if params.keys() != grads.keys():
        missing = sorted(set(params) - set(grads), key=str)
        extra = sorted(set(grads) - set(params), key=str)
        raise ValueError(f"grads and params must have the same keys: grads lacks {missing} and has extra {extra}. "
                         "Pass the gradients computed for these very parameters (net.gradient(...)).")
    for k in params:
        p = params[k]
        if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
            got = f"array of dtype {p.dtype}" if isinstance(p, np.ndarray) else type(p).__name__
            raise TypeError(f"params[{k!r}] must be a float NumPy array that the update changes in place, got "
                            f"{got}: use np.asarray(value, dtype=np.float64).")
        if np.shape(params[k]) != np.shape(grads[k]):
            raise ValueError(f"grads[{k!r}] has shape {np.shape(grads[k])} but params[{k!r}] has shape "
                             f"{np.shape(params[k])}: they must match.")


class SGD:
    """w <- w - lr * g"""

    def __init__(self, lr=0.01):
        self.lr = positive("lr", lr)

    def update(self, params, grads):
        check_update_args(params, grads)
        for k in params:
            params[k] -= self.lr * grads[k]


class Momentum:
    """v <- momentum * v - lr * g;  w <- w + v   (a ball rolling downhill)."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.v = positive("lr", lr), {}
        self.momentum = number("momentum", momentum, 0.0, 1.0)

    def update(self, params, grads):
        check_update_args(params, grads)
        for k in params:
            v = self.v.get(k, 0)
            self.v[k] = self.momentum * v - self.lr * grads[k]
            params[k] += self.v[k]


class AdaGrad:
    """h <- h + g*g;  w <- w - lr * g / sqrt(h)   (each weight's step shrinks as it moves)."""

    def __init__(self, lr=0.01, eps=1e-7):
        self.lr, self.eps, self.h = positive("lr", lr), positive("eps", eps), {}

    def update(self, params, grads):
        check_update_args(params, grads)
        for k in params:
            self.h[k] = self.h.get(k, 0) + grads[k] * grads[k]
            params[k] -= self.lr * grads[k] / (np.sqrt(self.h[k]) + self.eps)


class RMSProp:
    """Like AdaGrad with a decaying average of g*g, so steps do not shrink forever."""

    def __init__(self, lr=0.01, decay=0.99, eps=1e-7):
        self.lr, self.eps, self.h = positive("lr", lr), positive("eps", eps), {}
        self.decay = number("decay", decay, 0.0, 1.0, low_inclusive=False)

    def update(self, params, grads):
        check_update_args(params, grads)
        for k in params:
            h = self.h.get(k, 0)
            self.h[k] = self.decay * h + (1 - self.decay) * grads[k] * grads[k]
            params[k] -= self.lr * grads[k] / (np.sqrt(self.h[k]) + self.eps)


class Adam:
    """Momentum plus RMSProp, with bias correction of both averages (Kingma & Ba, 2015)."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.eps = positive("lr", lr), positive("eps", eps)
        self.beta1 = number("beta1", beta1, 0.0, 1.0)
        self.beta2 = number("beta2", beta2, 0.0, 1.0)
        self.t, self.m, self.v = 0, {}, {}

    def update(self, params, grads):
        check_update_args(params, grads)
        self.t += 1
        c1, c2 = 1 - self.beta1 ** self.t, 1 - self.beta2 ** self.t
        for k in params:
            g = grads[k]
            self.m[k] = self.beta1 * self.m.get(k, 0) + (1 - self.beta1) * g
            self.v[k] = self.beta2 * self.v.get(k, 0) + (1 - self.beta2) * g * g
            step = (self.lr / c1) * self.m[k] / (np.sqrt(self.v[k] / c2) + self.eps)
            params[k] -= step.astype(params[k].dtype, copy=False)


OPTIMIZERS = {"SGD": SGD, "Momentum": Momentum, "AdaGrad": AdaGrad, "RMSProp": RMSProp, "Adam": Adam}


def valley(x, y):
    """A stretched bowl, f(x, y) = x**2 / 20 + y**2: gentle along x, steep along y. Minimum at (0, 0)."""
    return x ** 2 / 20.0 + y ** 2


def valley_grad(x, y):
    """Gradient of ``valley``: (x / 10, 2 y)."""
    return x / 10.0, 2.0 * y


def descent_path(optimizer, grad_fn, start, steps):
    """Run ``optimizer`` from ``start`` on a 2-D function with gradient ``grad_fn(x, y)``.

    Returns the visited points, shape (steps + 1, 2).
    """
    integer("steps", steps, 0)
    if isinstance(optimizer, type) or not hasattr(optimizer, "update"):
        raise TypeError(f"optimizer must have an update(params, grads) method (e.g. optim.SGD(lr=0.9)), got "
                        f"{type(optimizer).__name__}.")
    if not callable(grad_fn):
        raise TypeError(f"grad_fn must be a function (x, y) -> (dx, dy) such as optim.valley_grad, got "
                        f"{type(grad_fn).__name__}.")
    if np.shape(start) != (2,) or not all(isinstance(v, numbers.Real) and math.isfinite(v) for v in start):
        raise ValueError(f"start must be a point (x, y), got {start!r}.")
    params = {"x": np.array(float(start[0])), "y": np.array(float(start[1]))}
    path = [(float(params["x"]), float(params["y"]))]
    for _ in range(steps):
        gx, gy = grad_fn(params["x"], params["y"])
        optimizer.update(params, {"x": np.asarray(gx), "y": np.asarray(gy)})
        path.append((float(params["x"]), float(params["y"])))
    return np.array(path)
