"""Layers with ``forward(x, train=...)`` and ``backward(dout)``, and the loss ``SoftmaxWithLoss``.

Each layer keeps what its backward pass needs from the last forward pass,
returns new arrays (inputs are never modified), and holds its parameters and
their gradients in the dicts ``params`` and ``grads`` (same keys), and its
non-trained buffers (batch norm's running statistics) in the dict ``state``.
Arrays keep the dtype they are given: float32 for training, float64 for gradient checks.
"""

import numpy as np

from .checks import float_array, integer, number, numbers_array, positive
from .functions import as_labels, sigmoid


def check_input(owner, x, ndim, expected):
    """x as an array of numbers with ``ndim`` axes (or at least ``-ndim`` if negative), or an error naming the shape
    expected."""
    x = numbers_array(f"{owner} input x", x)
    if (x.ndim != ndim) if ndim > 0 else (x.ndim < -ndim):
        raise ValueError(f"{owner} expects input {expected}, got shape {x.shape}.")
    return x


def check_dout(owner, dout, shape):
    """``dout`` for ``owner.backward``: numbers shaped like the last forward's output ``shape`` (None: no forward
    has run yet), or an error saying what to do."""
    if shape is None:
        raise RuntimeError(f"{owner}.backward was called before forward: call forward(x) first (backward uses what "
                           "the last forward kept).")
    dout = numbers_array(f"{owner} dout", dout)
    if dout.shape != tuple(shape):
        raise ValueError(f"{owner}.backward expects dout shaped like the last forward's output {tuple(shape)}, "
                         f"got {dout.shape}.")
    return dout


class Layer:
    """The layer contract every layer follows.

    Attributes:
      params: dict name -> array of trained parameters (an optimiser updates them in place).
      grads: dict with the same keys: the gradient of the loss for each parameter, set by ``backward``.
      state: dict name -> array of buffers that are not trained but are part of the model (e.g. batch
        norm's running mean and variance); updated in place, saved and loaded with the parameters.
    Methods:
      forward(x, train=False) -> out: ``train=True`` during training (dropout drops, batch norm uses
        batch statistics and updates ``state``); ``train=False`` for inference.
      backward(dout) -> dx: dout is the gradient of the loss for the last forward's output (same
        shape); sets ``grads`` and returns the gradient for that forward's input (same shape as x).
    """

    def __init__(self):
        self.params, self.grads, self.state = {}, {}, {}

    def forward(self, x, train=False):
        raise NotImplementedError(f"{type(self).__name__} must define forward(x, train=False).")

    def backward(self, dout):
        raise NotImplementedError(f"{type(self).__name__} must define backward(dout).")

    def __repr__(self):
        shapes = ", ".join(f"{k}{v.shape}" for k, v in self.params.items())
        return f"{type(self).__name__}({shapes})"


class Loss:
    """The loss contract: a scalar from scores and targets, then the gradient for the scores.

    forward(x, t) -> float: x are the scores (N, C); t the targets.
    backward(dout=1) -> dx (N, C): the gradient of ``dout * loss`` for the scores of the last forward.
    A loss has no parameters and no state.
    """

    def __init__(self):
        self.params, self.grads, self.state = {}, {}, {}

    def forward(self, x, t):
        raise NotImplementedError(f"{type(self).__name__} must define forward(x, t).")

    def backward(self, dout=1):
        raise NotImplementedError(f"{type(self).__name__} must define backward(dout=1).")

    def __repr__(self):
        return f"{type(self).__name__}()"


class Affine(Layer):
    """Fully connected layer ``out = x @ W + b``.

    x: (N, D) or (N, d1, d2, ...) flattened to (N, D); W: (D, M); b: (M,) -> out (N, M).
    backward returns dx in the input's original shape.
    """

    def __init__(self, W, b):
        super().__init__()
        W, b = float_array("Affine parameter W", W), float_array("Affine parameter b", b)
        if W.ndim != 2 or b.shape != (W.shape[1],):
            raise ValueError(f"Affine needs W (D, M) and b (M,), got W {W.shape} and b {b.shape}.")
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}

    def forward(self, x, train=False):
        W = self.params["W"]
        x = check_input("Affine", x, -2, "(N, D) or (N, d1, d2, ...)")
        self.x_shape = x.shape
        x2 = x.reshape(len(x), int(np.prod(x.shape[1:])))   # not -1: an empty batch has no size to infer
        if x2.shape[1] != W.shape[0]:
            raise ValueError(f"Affine expects {W.shape[0]} input features per example, got input shape {x.shape}.")
        self.x = x2
        return x2 @ W + self.params["b"]

    def backward(self, dout):
        dout = check_dout("Affine", dout, (len(self.x), self.params["W"].shape[1]) if hasattr(self, "x") else None)
        self.grads["W"] = self.x.T @ dout
        self.grads["b"] = dout.sum(axis=0)
        return (dout @ self.params["W"].T).reshape(self.x_shape)


class Relu(Layer):
    """max(0, x); backward lets the gradient through where x > 0 and zeroes it elsewhere."""

    def forward(self, x, train=False):
        x = numbers_array("Relu input x", x)
        self.out = np.maximum(x, 0, dtype=x.dtype)
        return self.out

    def backward(self, dout):
        dout = check_dout("Relu", dout, self.out.shape if hasattr(self, "out") else None)
        return dout * (self.out > 0)


class Sigmoid(Layer):
    """1 / (1 + exp(-x)); backward multiplies by y (1 - y)."""

    def forward(self, x, train=False):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        dout = check_dout("Sigmoid", dout, self.out.shape if hasattr(self, "out") else None)
        return dout * self.out * (1 - self.out)


class SoftmaxWithLoss(Loss):
    """Softmax followed by mean cross-entropy, computed together as log-softmax so that it stays finite.

    forward(x (N, C), t labels (N,) or one-hot (N, C)) -> scalar loss.
    backward(dout=1) -> (y - onehot(t)) / N, shape (N, C).
    """

    def forward(self, x, t):
        x = numbers_array("SoftmaxWithLoss scores x", x)
        if x.ndim != 2:
            raise ValueError(f"SoftmaxWithLoss expects scores shaped (N, C), got {x.shape}.")
        if 0 in x.shape:
            raise ValueError(f"SoftmaxWithLoss needs at least one example and one class, got scores {x.shape}.")
        self.labels = as_labels(t, len(x), x.shape[1])
        z = x - x.max(axis=1, keepdims=True)
        log_y = z - np.log(np.exp(z).sum(axis=1, keepdims=True))  # log-softmax: never log(0)
        self.y = np.exp(log_y)
        return float(-np.mean(log_y[np.arange(len(x)), self.labels]))

    def backward(self, dout=1):
        if not hasattr(self, "y"):
            check_dout("SoftmaxWithLoss", dout, None)
        if np.ndim(dout) != 0:
            raise ValueError(f"SoftmaxWithLoss.backward takes one number dout (the gradient of the loss, 1 by "
                             f"default), got shape {np.shape(dout)}.")
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
        self.p, self.inverted = number("Dropout probability p", p, 0.0, 1.0), inverted
        self.rng = np.random.default_rng(seed)

    def forward(self, x, train=False):
        x = float_array("Dropout input x", x)   # the 1/(1 - p) scaling needs fractions
        keep = 1 - self.p
        self.x_shape = x.shape
        if train:
            self.mask = self.rng.random(x.shape) >= self.p
            scale = 1 / keep if self.inverted else 1.0
            self.scale = (self.mask * scale).astype(x.dtype)
        else:
            self.scale = np.asarray(1.0 if self.inverted else keep, dtype=x.dtype)
        return x * self.scale

    def backward(self, dout):
        dout = check_dout("Dropout", dout, getattr(self, "x_shape", None))
        return dout * self.scale


class BatchNorm(Layer):
    """Batch normalisation (Ioffe and Szegedy, 2015): normalise each feature, then scale and shift it.

    x: (N, D), one statistic per feature; or (N, C, H, W), one statistic per channel over N, H and W.
    gamma, beta: (D,) or (C,), the trained scale and shift -> out with x's shape:
    ``out = gamma * (x - mean) / sqrt(var + eps) + beta``.
    train=True: mean and var (biased, divided by the count) of this batch, and the running statistics
    in ``state`` move towards them: ``running = momentum * running + (1 - momentum) * batch``.
    train=False: the running statistics (``state["running_mean"]`` starts at 0, ``"running_var"`` at 1).
    backward follows the mode of the last forward; in training mode the compact formula
    ``dx = (gamma / (M sqrt(var + eps))) * (M dout - sum(dout) - xhat * sum(dout * xhat))``, sums over
    the M = N (or N*H*W) values of each feature.
    """

    def __init__(self, gamma, beta, momentum=0.9, eps=1e-5):
        super().__init__()
        gamma, beta = float_array("BatchNorm parameter gamma", gamma), float_array("BatchNorm parameter beta", beta)
        if gamma.ndim != 1 or beta.shape != gamma.shape:
            raise ValueError(f"BatchNorm needs gamma (D,) and beta (D,) of the same shape, got gamma {gamma.shape} "
                             f"and beta {beta.shape}.")
        self.momentum = number("BatchNorm momentum", momentum, 0.0, 1.0)
        self.eps = positive("BatchNorm eps", eps)
        self.params = {"gamma": gamma, "beta": beta}
        self.grads = {"gamma": np.zeros_like(gamma), "beta": np.zeros_like(beta)}
        self.state = {"running_mean": np.zeros_like(gamma), "running_var": np.ones_like(gamma)}

    def _rows(self, x):
        """x as (M, D): one column per feature (channels last for conv maps)."""
        d = self.params["gamma"].shape[0]
        if x.ndim not in (2, 4) or x.shape[1] != d:
            raise ValueError(f"BatchNorm expects input (N, {d}) or (N, {d}, H, W), got {x.shape}.")
        return x.transpose(0, 2, 3, 1).reshape(-1, d) if x.ndim == 4 else x

    def _unrows(self, rows, shape):
        if len(shape) == 2:
            return rows
        n, c, h, w = shape
        return rows.reshape(n, h, w, c).transpose(0, 3, 1, 2)

    def forward(self, x, train=False):
        x = numbers_array("BatchNorm input x", x)
        rows = self._rows(x)
        if train:
            if len(rows) < 2:
                raise ValueError("BatchNorm in training mode needs at least 2 values per feature; got a batch of "
                                 f"shape {x.shape}. Use a larger batch.")
            mean, var = rows.mean(axis=0), rows.var(axis=0)
            m = self.momentum
            self.state["running_mean"][...] = m * self.state["running_mean"] + (1 - m) * mean
            self.state["running_var"][...] = m * self.state["running_var"] + (1 - m) * var
        else:
            mean, var = self.state["running_mean"], self.state["running_var"]
        self.train = train
        self.inv_std = 1 / np.sqrt(var + self.eps)
        self.xhat = (rows - mean) * self.inv_std
        self.x_shape = x.shape
        out = self.params["gamma"] * self.xhat + self.params["beta"]
        return self._unrows(out, x.shape).astype(x.dtype, copy=False)

    def backward(self, dout):
        dout = check_dout("BatchNorm", dout, getattr(self, "x_shape", None))
        drows = self._rows(dout)
        gamma, xhat = self.params["gamma"], self.xhat
        self.grads["gamma"] = (drows * xhat).sum(axis=0)
        self.grads["beta"] = drows.sum(axis=0)
        if self.train:
            m = len(drows)
            dx = (gamma * self.inv_std / m) * (m * drows - self.grads["beta"] - xhat * self.grads["gamma"])
        else:
            dx = drows * (gamma * self.inv_std)
        return self._unrows(dx, self.x_shape).astype(dout.dtype, copy=False)


def conv_output_size(size, filter_size, stride=1, pad=0):
    """Output length along one axis: floor((size - filter + 2 pad) / stride) + 1.

    When the division is not exact, the last rows or columns are simply not covered (as in Keras' "valid").
    """
    name = "conv_output_size"
    size, filter_size = integer(f"{name}: size", size, 1), integer(f"{name}: filter_size", filter_size, 1)
    stride, pad = integer(f"{name}: stride", stride, 1), integer(f"{name}: pad", pad, 0)
    span = size - filter_size + 2 * pad
    if span < 0:
        raise ValueError(
            f"a filter of {filter_size} with padding {pad} and stride {stride} does not fit an input of {size}: "
            "use a smaller filter, more padding, or a stride of at least 1."
        )
    return span // stride + 1


def im2col(x, fh, fw, stride=1, pad=0):
    """The textbook column matrix of x (N, C, H, W) for (FH, FW) windows -> (C*FH*FW, N*OH*OW).

    One row per filter tap, one column per window (image by image, row by row), so that
    ``W.reshape(FN, -1) @ im2col(x, FH, FW, stride, pad)`` is the convolution laid out as (FN, N, OH, OW).
    ``Conv2D`` computes the same product without copying windows one by one.
    """
    n, c, h, w = check_input("im2col", x, 4, "(N, C, H, W)").shape
    oh, ow = conv_output_size(h, fh, stride, pad), conv_output_size(w, fw, stride, pad)
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, (fh, fw), axis=(2, 3))[:, :, ::stride, ::stride]
    return windows.transpose(1, 4, 5, 0, 2, 3).reshape(c * fh * fw, n * oh * ow)   # the view becomes a copy here


class Conv2D(Layer):
    """Convolution (cross-correlation, as in every deep-learning library) on channels-first images.

    x: (N, C, H, W); W: (FN, C, FH, FW); b: (FN,) -> out (N, FN, OH, OW) with
    OH = (H - FH + 2 pad) / stride + 1.

    im2col without copying any window on its own. Each channel of the batch is
    laid out as one long row: image after image, row after row, each image row
    followed by zeros and each image by zero rows (at least ``pad`` of each,
    shared as padding by neighbouring rows and images). Seen from the first
    pixel of any window, filter tap (i, j) sits i*WQ + j further along that row
    (WQ: the row length with its zeros), so the column matrix's row for tap
    (i, j) is the long row shifted by i*WQ + j: one contiguous slice. One matrix
    product with the filters then gives the stride-1 output at every position
    of the grid; positions whose window straddles two images or rows are
    computed and dropped, and a stride s keeps every s-th row and column.
    backward mirrors it: dW is dout (placed on the grid) times the same columns,
    and dx is dout correlated with the filters by shifting the other way.
    Work arrays are kept between calls (allocating tens of MB afresh every step is slow) and are
    made afresh, zero-filled, whenever the layout changes (input shape, filter shape, stride, padding or
    dtype): their unwritten entries must be the zeros of this layout, never pixels of an earlier one.

    input_grad=False skips dx (backward returns None): for a network's first layer, whose input is the data.
    """

    def __init__(self, W, b, stride=1, pad=0, input_grad=True):
        super().__init__()
        W, b = float_array("Conv2D parameter W", W), float_array("Conv2D parameter b", b)
        if W.ndim != 4 or b.shape != (W.shape[0],):
            raise ValueError(f"Conv2D needs W (FN, C, FH, FW) and b (FN,), got W {W.shape} and b {b.shape}.")
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}
        self.stride, self.pad = integer("Conv2D: stride", stride, 1), integer("Conv2D: pad", pad, 0)
        self.input_grad = bool(input_grad)
        self.work = {}

    def _work(self, name, shape, dtype, layout):
        """A work array kept between calls with the same ``layout``; zero-filled when first made for it,
        so that entries no call of this layout writes stay 0."""
        key = (shape, np.dtype(dtype), layout)
        if name not in self.work or self.work[name][0] != key:
            self.work[name] = (key, np.zeros(shape, dtype))
        return self.work[name][1]

    def forward(self, x, train=False):
        W = self.params["W"]
        fn, c, fh, fw = W.shape
        x = numbers_array("Conv2D input x", x)
        if x.ndim != 4 or x.shape[1] != c:
            raise ValueError(f"Conv2D expects input (N, {c}, H, W), got {x.shape}.")
        n, _, h, w = x.shape
        s, p = self.stride, self.pad
        oh, ow = conv_output_size(h, fh, s, p), conv_output_size(w, fw, s, p)
        # each image takes (hq, wq) cells of the grid: its pixels, then zeros; enough cells for its stride-1 outputs
        hq, wq = max(h + p, h + 2 * p - fh + 1), max(w + p, w + 2 * p - fw + 1)
        g, origin = n * hq * wq, p * wq + p                        # grid size; where pixel (0, 0) of image 0 sits
        shifts = [i * wq + j for i in range(fh) for j in range(fw)]
        length, dtype = max(origin + g, g + shifts[-1]), np.result_type(x.dtype, W.dtype)
        layout = (x.shape, W.shape, s, p)
        row = self._work("row", (c, length), dtype, layout)                # the long row of each channel; gaps stay 0
        row[:, origin:origin + g].reshape(c, n, hq, wq)[:, :, :h, :w] = x.transpose(1, 0, 2, 3)
        col = self._work("col", (c, fh * fw, g), dtype, layout)           # (channel, tap, grid position)
        for k, shift in enumerate(shifts):
            col[:, k] = row[:, shift:shift + g]
        grid = np.matmul(W.reshape(fn, -1), col.reshape(-1, g), out=self._work("grid", (fn, g), dtype, layout))
        self.starts = np.s_[:, :, :s * (oh - 1) + 1:s, :s * (ow - 1) + 1:s]   # grid positions kept, per image
        out = grid.reshape(fn, n, hq, wq)[self.starts] + self.params["b"][:, None, None, None]
        self.layout = (layout, hq, wq, origin, shifts)
        self.out_shape = (n, fn, oh, ow)
        return out.transpose(1, 0, 2, 3)                           # (N, FN, OH, OW), stored channel-major

    def backward(self, dout):
        dout = check_dout("Conv2D", dout, getattr(self, "out_shape", None))
        W = self.params["W"]
        fn, c, fh, fw = W.shape
        layout, hq, wq, origin, shifts = self.layout
        (n, _, h, w) = layout[0]
        col, length = self.work["col"][1], self.work["row"][1].shape[1]
        g = n * hq * wq
        dgrid = self._work("dgrid", (fn, n, hq, wq), dout.dtype, layout)   # 0 at the positions dropped
        dgrid[self.starts] = dout.transpose(1, 0, 2, 3)
        dg = dgrid.reshape(fn, g)
        self.grads["W"] = (col.reshape(-1, g) @ dg.T).T.reshape(W.shape)   # this order suits BLAS best
        self.grads["b"] = dg.sum(axis=1)
        if not self.input_grad:
            return None
        # entry r of the long row receives W[:, :, i, j] . dout at grid position r - shift(i, j), for every tap
        dcol = self._work("dcol", (fn, fh * fw, length), dout.dtype, layout)
        for k, shift in enumerate(shifts):
            dcol[:, k, shift:shift + g] = dg
        drow = W.transpose(1, 0, 2, 3).reshape(c, -1) @ dcol.reshape(-1, length)   # (C, length)
        return drow[:, origin:origin + g].reshape(c, n, hq, wq)[:, :, :h, :w].transpose(1, 0, 2, 3)


class MaxPool2D(Layer):
    """Max pooling on (N, C, H, W): the largest value of each (pool_h, pool_w) window -> (N, C, OH, OW).

    Max pooling is separable: a window's maximum is the largest of its rows' maxima. So the
    forward pass runs twice along one axis, first across the width (pool_w taps), then down
    the height (pool_h taps). Each pass keeps a running elementwise maximum over strided views
    of its input, one view per tap (no window is ever copied), and remembers which tap won.
    backward sends each gradient back through both passes to the winning position (on ties,
    the first one in row-major order).
    """

    def __init__(self, pool_h=2, pool_w=2, stride=None, pad=0):
        super().__init__()
        self.pool_h = integer("MaxPool2D: pool_h", pool_h, 1)
        self.pool_w = integer("MaxPool2D: pool_w", pool_w, 1)
        self.stride = pool_h if stride is None else integer("MaxPool2D: stride", stride, 1)
        self.pad = integer("MaxPool2D: pad", pad, 0)
        if self.pad >= min(pool_h, pool_w):
            raise ValueError(f"MaxPool2D: pad {pad} must be smaller than the pool ({pool_h}, {pool_w}), or some "
                             "windows would hold padding only.")

    def _taps(self, axis, size, n):
        """Index of each tap's strided view along ``axis``: ``size`` taps, ``n`` windows."""
        s = self.stride
        return [(slice(None),) * axis + (slice(k, k + s * (n - 1) + 1, s),) for k in range(size)]

    def _max(self, x, axis, size, n):
        """Running maximum over the taps along ``axis`` -> (maximum, index of the winning tap as int8)."""
        taps = self._taps(axis, size, n)
        out = x[taps[0]].copy(order="K")                      # "K": keep the input's memory layout
        arg = np.zeros_like(out, dtype=np.int8)
        for k, tap in enumerate(taps[1:], start=1):
            np.maximum(arg, np.multiply(x[tap] > out, k, dtype=np.int8), out=arg)   # k grows, so max = "now k"
            np.maximum(out, x[tap], out=out)
        return out, arg

    def _unmax(self, dout, arg, like, axis, size, n):
        """Backward of ``_max``: each tap gets dout where it won; overlapping windows add up."""
        dx = np.zeros_like(like, dtype=dout.dtype)
        for k, tap in enumerate(self._taps(axis, size, n)):
            dx[tap] += dout * (arg == k)
        return dx

    def forward(self, x, train=False):
        x = check_input("MaxPool2D", x, 4, "(N, C, H, W)")
        n, c, h, w = x.shape
        oh = conv_output_size(h, self.pool_h, self.stride, self.pad)
        ow = conv_output_size(w, self.pool_w, self.stride, self.pad)
        p = self.pad
        self.xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=-np.inf) if p else x
        self.rows, self.arg_w = self._max(self.xp, 3, self.pool_w, ow)       # (N, C, H + 2 pad, OW)
        out, self.arg_h = self._max(self.rows, 2, self.pool_h, oh)          # (N, C, OH, OW)
        self.out_shape = out.shape
        return out

    def backward(self, dout):
        dout = check_dout("MaxPool2D", dout, getattr(self, "out_shape", None))
        oh, ow = dout.shape[2:]
        drows = self._unmax(dout, self.arg_h, self.rows, 2, self.pool_h, oh)
        dxp = self._unmax(drows, self.arg_w, self.xp, 3, self.pool_w, ow)
        p = self.pad
        return dxp[:, :, p:dxp.shape[2] - p, p:dxp.shape[3] - p] if p else dxp


class Flatten(Layer):
    """(N, d1, d2, ...) -> (N, d1 * d2 * ...); backward restores the shape."""

    def forward(self, x, train=False):
        x = check_input("Flatten", x, -2, "(N, d1, ...)")
        self.x_shape = x.shape
        return x.reshape(len(x), int(np.prod(x.shape[1:])))

    def backward(self, dout):
        shape = getattr(self, "x_shape", None)
        dout = check_dout("Flatten", dout, shape and (shape[0], int(np.prod(shape[1:]))))
        return dout.reshape(self.x_shape)
