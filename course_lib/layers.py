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
        self.out = np.maximum(x, 0, dtype=x.dtype)
        return self.out

    def backward(self, dout):
        return np.where(self.out > 0, dout, 0).astype(dout.dtype, copy=False)


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


class Conv2D(Layer):
    """Convolution (cross-correlation, as in every deep-learning library) on channels-first images.

    x: (N, C, H, W); W: (FN, C, FH, FW); b: (FN,) -> out (N, FN, OH, OW) with
    OH = (H - FH + 2 pad) / stride + 1. Implemented as im2col followed by one
    matrix product. The column matrix is laid out (C*FH*FW, N*OH*OW): one row
    per filter tap, one column per output position of every image. Copying the
    windows into it moves whole image rows at a time, and dW is one large,
    BLAS-friendly product. dx is accumulated tap by tap, which never builds the
    (large) gradient of the column matrix.
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
        # padded copy stored channel-major in memory (C, N, H, W), which makes the im2col copy below sequential
        xp = np.zeros((c, n, h + 2 * p, w + 2 * p), dtype=x.dtype).transpose(1, 0, 2, 3)
        xp[:, :, p:p + h, p:p + w] = x
        # im2col: windows (N, C, OH, OW, FH, FW) -> (C, FH, FW, N, OH, OW) -> (C*FH*FW, N*OH*OW), one copy
        # into a buffer kept between calls (allocating tens of MB afresh every step costs page faults)
        shape, dtype = (c * fh * fw, n * oh * ow), np.result_type(x.dtype, W.dtype)
        if getattr(self, "col", None) is None or self.col.shape != shape or self.col.dtype != dtype:
            self.col = np.empty(shape, dtype=dtype)
        np.copyto(self.col.reshape(c, fh, fw, n, oh, ow), _windows(xp, fh, fw, self.stride).transpose(1, 4, 5, 0, 2, 3))
        self.xp_shape, self.out_hw = xp.shape, (oh, ow)
        out = W.reshape(fn, -1) @ self.col + self.params["b"][:, None]      # (FN, N*OH*OW)
        return out.reshape(fn, n, oh, ow).transpose(1, 0, 2, 3)

    def backward(self, dout):
        W = self.params["W"]
        fn, c, fh, fw = W.shape
        n = dout.shape[0]
        oh, ow = self.out_hw
        d2 = dout.transpose(1, 0, 2, 3).reshape(fn, -1)                      # (FN, N*OH*OW)
        self.grads["W"] = (d2 @ self.col.T).reshape(W.shape)
        self.grads["b"] = d2.sum(axis=1)
        # dx: for each filter tap (i, j), W[:, :, i, j].T @ dout lands on the inputs under that tap.
        # Nine (for 3x3) moderate matrix products instead of one huge column-gradient matrix.
        d4 = d2.reshape(fn, n, oh, ow)
        _, _, hp, wp = self.xp_shape
        dxp = np.zeros((c, n, hp, wp), dtype=dout.dtype)                     # channel-major, like xp
        s = self.stride
        for i in range(fh):
            for j in range(fw):
                dxp[:, :, i:i + s * oh:s, j:j + s * ow:s] += np.tensordot(W[:, :, i, j], d4, axes=(0, 0))
        dxp = dxp.transpose(1, 0, 2, 3)
        p = self.pad
        return dxp[:, :, p:dxp.shape[2] - p, p:dxp.shape[3] - p] if p else dxp


class MaxPool2D(Layer):
    """Max pooling on (N, C, H, W): the largest value of each (pool_h, pool_w) window -> (N, C, OH, OW).

    Works tap by tap: each of the pool_h * pool_w positions inside the window is
    one strided view of the input, and the maximum is a running elementwise max
    over these views (no window array is ever copied). backward sends each
    window's gradient to the position of its maximum (the first one on ties).
    """

    def __init__(self, pool_h=2, pool_w=2, stride=None, pad=0):
        super().__init__()
        self.pool_h, self.pool_w = pool_h, pool_w
        self.stride = stride or pool_h
        self.pad = pad

    def _taps(self, oh, ow):
        """One strided view index per position inside the window: pool_h * pool_w of them."""
        s = self.stride
        return [np.s_[:, :, i:i + s * oh:s, j:j + s * ow:s] for i in range(self.pool_h) for j in range(self.pool_w)]

    def forward(self, x, train=False):
        if x.ndim != 4:
            raise ValueError(f"MaxPool2D expects input (N, C, H, W), got {x.shape}.")
        n, c, h, w = x.shape
        oh = conv_output_size(h, self.pool_h, self.stride, self.pad)
        ow = conv_output_size(w, self.pool_w, self.stride, self.pad)
        p = self.pad
        self.xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=-np.inf) if p else x
        self.out_hw = (oh, ow)
        taps = self._taps(oh, ow)
        out = self.xp[taps[0]].copy()
        self.arg = np.zeros(out.shape, dtype=np.int8)    # which tap holds the maximum (the first one on ties)
        for k, where in enumerate(taps[1:], start=1):
            tap = self.xp[where]
            self.arg = np.where(tap > out, np.int8(k), self.arg)
            np.maximum(out, tap, out=out)
        return out

    def backward(self, dout):
        dxp = np.zeros_like(self.xp, dtype=dout.dtype)    # same memory layout as the input
        for k, where in enumerate(self._taps(*self.out_hw)):
            dxp[where] += np.where(self.arg == k, dout, 0)
        p = self.pad
        return dxp[:, :, p:dxp.shape[2] - p, p:dxp.shape[3] - p] if p else dxp


class Flatten(Layer):
    """(N, d1, d2, ...) -> (N, d1 * d2 * ...); backward restores the shape."""

    def forward(self, x, train=False):
        self.x_shape = x.shape
        return x.reshape(len(x), -1)

    def backward(self, dout):
        return dout.reshape(self.x_shape)
