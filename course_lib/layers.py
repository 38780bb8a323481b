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


def conv_output_size(size, filter_size, stride=1, pad=0):
    """Output length along one axis: floor((size - filter + 2 pad) / stride) + 1.

    When the division is not exact, the last rows or columns are simply not covered (as in Keras' "valid").
    """
    span = size - filter_size + 2 * pad
    if span < 0 or stride < 1:
        raise ValueError(
            f"a filter of {filter_size} with padding {pad} and stride {stride} does not fit an input of {size}: "
            "use a smaller filter, more padding, or a stride of at least 1."
        )
    return span // stride + 1


def _windows(x, fh, fw, stride):
    """View of every (fh, fw) window of x (N, C, H, W) with the given stride: (N, C, OH, OW, fh, fw). No copy."""
    return np.lib.stride_tricks.sliding_window_view(x, (fh, fw), axis=(2, 3))[:, :, ::stride, ::stride]


def _scatter_windows(dwin, x_shape, stride):
    """Adjoint of ``_windows``: add window gradients dwin (N, C, OH, OW, fh, fw) back into an array of x_shape.

    One vectorised addition per filter offset (fh * fw of them), never a loop over images or pixels.
    """
    dx = np.zeros(x_shape, dtype=dwin.dtype)
    _, _, oh, ow, fh, fw = dwin.shape
    for i in range(fh):
        for j in range(fw):
            dx[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride] += dwin[:, :, :, :, i, j]
    return dx


class Conv2D(Layer):
    """Convolution (cross-correlation, as in every deep-learning library) on channels-first images.

    x: (N, C, H, W); W: (FN, C, FH, FW); b: (FN,) -> out (N, FN, OH, OW) with
    OH = (H - FH + 2 pad) / stride + 1. Implemented as im2col followed by one
    batched matrix product. The columns are laid out per image as
    (C*FH*FW, OH*OW), so that the product with W (FN, C*FH*FW) lands directly
    in channels-first order: no transpose of the output, no copy of dout.
    """

    def __init__(self, W, b, stride=1, pad=0):
        super().__init__()
        W, b = np.asarray(W), np.asarray(b)
        if W.ndim != 4 or b.shape != (W.shape[0],):
            raise ValueError(f"Conv2D needs W (FN, C, FH, FW) and b (FN,), got W {W.shape} and b {b.shape}.")
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}
        self.stride, self.pad = stride, pad

    def forward(self, x, train=False):
        W = self.params["W"]
        fn, c, fh, fw = W.shape
        if x.ndim != 4 or x.shape[1] != c:
            raise ValueError(f"Conv2D expects input (N, {c}, H, W), got {x.shape}.")
        n, _, h, w = x.shape
        oh = conv_output_size(h, fh, self.stride, self.pad)
        ow = conv_output_size(w, fw, self.stride, self.pad)
        p = self.pad
        xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) if p else x
        # im2col: per image, one row per (c, fh, fw) filter tap, one column per output position
        self.col = _windows(xp, fh, fw, self.stride).transpose(0, 1, 4, 5, 2, 3).reshape(n, c * fh * fw, oh * ow)
        self.xp_shape, self.out_hw = xp.shape, (oh, ow)
        out = W.reshape(fn, -1) @ self.col + self.params["b"][:, None]
        return out.reshape(n, fn, oh, ow)

    def backward(self, dout):
        W = self.params["W"]
        fn, c, fh, fw = W.shape
        n = dout.shape[0]
        oh, ow = self.out_hw
        d3 = dout.reshape(n, fn, oh * ow)
        self.grads["W"] = (d3 @ self.col.transpose(0, 2, 1)).sum(axis=0).reshape(W.shape)
        self.grads["b"] = d3.sum(axis=(0, 2))
        dcol = (W.reshape(fn, -1).T @ d3).reshape(n, c, fh, fw, oh, ow).transpose(0, 1, 4, 5, 2, 3)
        dxp = _scatter_windows(dcol, self.xp_shape, self.stride)
        p = self.pad
        return dxp[:, :, p:dxp.shape[2] - p, p:dxp.shape[3] - p] if p else dxp


class MaxPool2D(Layer):
    """Max pooling on (N, C, H, W): the largest value of each (pool_h, pool_w) window -> (N, C, OH, OW).

    backward sends each window's gradient to the position of its maximum (the first one on ties).
    """

    def __init__(self, pool_h=2, pool_w=2, stride=None, pad=0):
        super().__init__()
        self.pool_h, self.pool_w = pool_h, pool_w
        self.stride = stride or pool_h
        self.pad = pad

    def forward(self, x, train=False):
        if x.ndim != 4:
            raise ValueError(f"MaxPool2D expects input (N, C, H, W), got {x.shape}.")
        n, c, h, w = x.shape
        oh = conv_output_size(h, self.pool_h, self.stride, self.pad)
        ow = conv_output_size(w, self.pool_w, self.stride, self.pad)
        p = self.pad
        xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=-np.inf) if p else x
        win = _windows(xp, self.pool_h, self.pool_w, self.stride).reshape(n, c, oh, ow, -1)
        self.arg = win.argmax(axis=-1)
        self.xp_shape = xp.shape
        return np.take_along_axis(win, self.arg[..., None], axis=-1)[..., 0]

    def backward(self, dout):
        k = self.pool_h * self.pool_w
        dwin = (self.arg[..., None] == np.arange(k)) * dout[..., None]
        dwin = dwin.astype(dout.dtype, copy=False).reshape(*dout.shape, self.pool_h, self.pool_w)
        dxp = _scatter_windows(dwin, self.xp_shape, self.stride)
        p = self.pad
        return dxp[:, :, p:dxp.shape[2] - p, p:dxp.shape[3] - p] if p else dxp


class Flatten(Layer):
    """(N, d1, d2, ...) -> (N, d1 * d2 * ...); backward restores the shape."""

    def forward(self, x, train=False):
        self.x_shape = x.shape
        return x.reshape(len(x), -1)

    def backward(self, dout):
        return dout.reshape(self.x_shape)
