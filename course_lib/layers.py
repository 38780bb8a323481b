"""Layers with ``forward(x, train=...)`` and ``backward(dout)``.

Each layer keeps what its backward pass needs from the last forward pass,
returns new arrays (inputs are never modified), and holds its parameters and
their gradients in the dicts ``params`` and ``grads`` (same keys). Arrays keep
the dtype they are given: float32 for training, float64 for gradient checks.
"""

import numpy as np

from .functions import as_labels, sigmoid


class Layer:
    """Base class: a layer without parameters."""

    def __init__(self):
        self.params, self.grads = {}, {}

    def __repr__(self):
        shapes = ", ".join(f"{k}{v.shape}" for k, v in self.params.items())
        return f"{type(self).__name__}({shapes})"


class Affine(Layer):
    """Fully connected layer ``out = x @ W + b``.

    x: (N, D) or (N, d1, d2, ...) flattened to (N, D); W: (D, M); b: (M,) -> out (N, M).
    backward returns dx in the input's original shape.
    """

    def __init__(self, W, b):
        super().__init__()
        W, b = np.asarray(W), np.asarray(b)
        if W.ndim != 2 or b.shape != (W.shape[1],):
            raise ValueError(f"Affine needs W (D, M) and b (M,), got W {W.shape} and b {b.shape}.")
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}

    def forward(self, x, train=False):
        W = self.params["W"]
        x = np.asarray(x)
        self.x_shape = x.shape
        x2 = x.reshape(len(x), -1)
        if x2.shape[1] != W.shape[0]:
            raise ValueError(f"Affine expects {W.shape[0]} input features per example, got input shape {x.shape}.")
        self.x = x2
        return x2 @ W + self.params["b"]

    def backward(self, dout):
        self.grads["W"] = self.x.T @ dout
        self.grads["b"] = dout.sum(axis=0)
        return (dout @ self.params["W"].T).reshape(self.x_shape)


class Relu(Layer):
    """max(0, x); backward lets the gradient through where x > 0 and zeroes it elsewhere."""

    def forward(self, x, train=False):
        self.mask = x <= 0
        return np.where(self.mask, 0, x).astype(x.dtype, copy=False)

    def backward(self, dout):
        return np.where(self.mask, 0, dout).astype(dout.dtype, copy=False)


class Sigmoid(Layer):
    """1 / (1 + exp(-x)); backward multiplies by y (1 - y)."""

    def forward(self, x, train=False):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)


class SoftmaxWithLoss(Layer):
    """Softmax followed by mean cross-entropy, computed together as log-softmax so that it stays finite.

    forward(x (N, C), t labels (N,) or one-hot (N, C)) -> scalar loss.
    backward(dout=1) -> (y - onehot(t)) / N, shape (N, C).
    """

    def forward(self, x, t, train=False):
        x = np.asarray(x)
        if x.ndim != 2:
            raise ValueError(f"SoftmaxWithLoss expects scores shaped (N, C), got {x.shape}.")
        self.labels = as_labels(t, len(x), x.shape[1])
        z = x - x.max(axis=1, keepdims=True)
        log_y = z - np.log(np.exp(z).sum(axis=1, keepdims=True))  # log-softmax: never log(0)
        self.y = np.exp(log_y)
        return float(-np.mean(log_y[np.arange(len(x)), self.labels]))

    def backward(self, dout=1):
        n = len(self.y)
        dx = self.y.copy()
        dx[np.arange(n), self.labels] -= 1
        return dx * (dout / n)


class Dropout(Layer):
    """Randomly drop units with probability ``p`` while training.

    inverted=True (the usual form): keep units with probability 1 - p and divide
    the kept ones by 1 - p during training; do nothing at test time.
    inverted=False (the original form): keep units without scaling during
    training, multiply everything by 1 - p at test time.
    Both give the same expected activation. ``seed`` makes the masks reproducible.
    """

    def __init__(self, p=0.5, inverted=True, seed=None):
        super().__init__()
        if not 0 <= p < 1:
            raise ValueError(f"dropout probability p must be in [0, 1), got {p}.")
        self.p, self.inverted = p, inverted
        self.rng = np.random.default_rng(seed)

    def forward(self, x, train=False):
        keep = 1 - self.p
        if train:
            self.mask = self.rng.random(x.shape) >= self.p
            scale = 1 / keep if self.inverted else 1.0
            self.scale = (self.mask * scale).astype(x.dtype)
        else:
            self.scale = np.asarray(1.0 if self.inverted else keep, dtype=x.dtype)
        return x * self.scale

    def backward(self, dout):
        return dout * self.scale
