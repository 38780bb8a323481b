"""Right answers written in other styles than the library's and the notebooks' (loops, np.einsum, np.add.at, other
names), at least two per implement-it exercise, and the context the value exercises are checked in."""

import numpy as np

from course_lib import gradcheck, layers, nets, optim, train

RIGHT = {}
CONTEXT = {}   # exercise name: the arguments a notebook passes after the answer (value exercises)


def right(name):
    """Register the decorated function or class as a right answer of exercise ``name``."""
    def register(answer):
        RIGHT.setdefault(name, []).append(answer)
        return answer
    return register


# ----------------------------------------------------------------------------------------------------- notebook 02

@right("softmax")
def softmax_loops(x):
    rows = np.atleast_2d(np.array(x, dtype=np.float64))
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        e = np.exp(row - max(row))
        out[i] = e / sum(e)
    return out.reshape(np.shape(x))


@right("softmax")
def softmax_logsumexp(scores):
    m = np.max(scores, axis=-1, keepdims=True)
    return np.exp(scores - m - np.log(np.sum(np.exp(scores - m), axis=-1, keepdims=True)))


@right("cross_entropy")
def cross_entropy_loop(y, t):
    total = 0.0
    for row, label in zip(y, t, strict=True):
        total -= np.log(max(row[label], 1e-12))
    return total / len(y)


@right("cross_entropy")
def cross_entropy_onehot_clip(probs, labels):
    onehot = np.eye(probs.shape[1])[labels]
    return float(-np.einsum("nc,nc->", onehot, np.log(np.clip(probs, 1e-8, 1.0))) / len(probs))

_rng = np.random.default_rng(0)
_labels = _rng.integers(0, 10, 50)
CONTEXT.update({
    "fraction_of_ones": (_labels,), "first_index": (_labels, 5),
    "mean_image": (_rng.integers(0, 256, (50, 1, 28, 28)).astype(np.float32), _labels, 3),
    "dense_params": (784, 128),
})

# ----------------------------------------------------------------------------------------------------- notebook 01


@right("to_channels_last")
def channels_last_newaxis(images):
    return np.reshape(images, (len(images), 28, 28))[:, :, :, np.newaxis]


@right("to_channels_last")
def channels_last_loop(x):
    return np.stack([row.reshape(28, 28, 1) for row in x])


@right("dense")
def dense_einsum(x, W, b):
    return np.einsum("nd,dm->nm", x, W) + b


@right("dense")
def dense_loops(inputs, weights, bias):
    out = np.zeros((len(inputs), weights.shape[1]))
    for n, row in enumerate(inputs):
        for m in range(weights.shape[1]):
            out[n, m] = sum(row[d] * weights[d, m] for d in range(len(row))) + bias[m]
    return out

# ----------------------------------------------------------------------------------------------------- notebook 03


@right("mul_layer")
class MulLayerTuple:
    def forward(self, a, b):
        self.saved = (a, b)
        return np.multiply(a, b)

    def backward(self, grad):
        a, b = self.saved
        return np.multiply(grad, b), np.multiply(grad, a)


@right("mul_layer")
class MulLayerList:
    def forward(self, x, y):
        self.x, self.y = x.copy(), y.copy()
        return x * y

    def backward(self, dout):
        return [dout * self.y, self.x * dout]


@right("relu_layer")
class ReluWhere:
    def forward(self, x):
        self.x = x
        return np.where(x > 0, x, np.zeros_like(x))

    def backward(self, dout):
        return np.where(self.x > 0, dout, np.zeros_like(dout))


@right("relu_layer")
class ReluHeaviside:
    def forward(self, inputs):
        self.step = np.heaviside(inputs, 0).astype(inputs.dtype)
        return inputs * self.step

    def backward(self, upstream):
        return upstream * self.step


@right("sigmoid_layer")
class SigmoidTanh:
    def forward(self, x):
        self.y = 0.5 * (1 + np.tanh(0.5 * x))
        return self.y

    def backward(self, g):
        return g * (self.y - self.y ** 2)


@right("sigmoid_layer")
class SigmoidExpm:
    def forward(self, x):
        e = np.exp(-np.abs(x))
        self.out = np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype)
        return self.out

    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)


class _AffineGiven:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x_shape = x.shape
        self.x = x.reshape(len(x), -1)
        return self.x @ self.W + self.b


@right("affine_layer")
class AffineEinsum(_AffineGiven):
    def backward(self, dout):
        self.dW = np.einsum("nd,nm->dm", self.x, dout)
        self.db = np.einsum("nm->m", dout)
        return np.einsum("nm,dm->nd", dout, self.W).reshape(*self.x_shape)


@right("affine_layer")
class AffineLoops(_AffineGiven):
    def backward(self, dout):
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        for row, grad in zip(self.x, dout, strict=True):
            self.dW += np.outer(row, grad)
            self.db += grad
        return np.dot(dout, self.W.T).reshape(self.x_shape)


class _SoftmaxWithLossGiven:
    def forward(self, x, t):
        self.t = t
        self.y = np.exp(x - x.max(axis=1, keepdims=True))
        self.y /= self.y.sum(axis=1, keepdims=True)
        return float(-np.mean(np.log(self.y[np.arange(len(x)), t] + 1e-7)))


@right("softmax_with_loss")
class SoftmaxWithLossOneHot(_SoftmaxWithLossGiven):
    def backward(self, dout=1):
        onehot = np.zeros_like(self.y)
        onehot[np.arange(len(self.t)), self.t] = 1
        return dout * (self.y - onehot) / self.y.shape[0]


@right("softmax_with_loss")
class SoftmaxWithLossAddAt(_SoftmaxWithLossGiven):
    def backward(self, dout=1):
        dx = np.array(self.y)
        np.add.at(dx, (np.arange(len(dx)), self.t), -1)
        return dx / len(dx) * dout

# ----------------------------------------------------------------------------------------------------- notebook 04

CONTEXT["param_count"] = (784, 100, 10)


@right("training_loop")
def training_loop_while(net, optimizer, x_train, t_train, x_val, t_val, iters, batch_size, rng):
    history = {"loss": [], "train_acc": [], "val_acc": []}
    per_epoch, i = max(len(x_train) // batch_size, 1), 0
    while i < iters:
        i += 1
        batch = rng.choice(len(x_train), batch_size)
        xb, tb = x_train[batch], t_train[batch]
        optimizer.update(net.params, net.gradient(xb, tb))
        history["loss"].append(float(net.loss(xb, tb)))          # the book's way: the loss after the update
        if i % per_epoch == 0:
            history["train_acc"] += [net.accuracy(x_train, t_train)]
            history["val_acc"] += [net.accuracy(x_val, t_val)]
    return history


@right("training_loop")
def training_loop_epochs(net, opt, xs, ts, xv, tv, iters, batch_size, rng):
    losses, train_acc, val_acc = [], [], []
    per_epoch = int(max(len(xs) / batch_size, 1))
    for step in range(iters):
        idx = rng.choice(len(xs), batch_size)
        grads = net.gradient(xs[idx], ts[idx])
        losses.append(net.last_loss)
        opt.update(net.params, grads)
        if (step + 1) % per_epoch == 0:
            train_acc.append(net.accuracy(xs, ts))
            val_acc.append(net.accuracy(xv, tv))
    return dict(loss=losses, train_acc=train_acc, val_acc=val_acc)


@right("grad_check_entries")
def grad_check_entries_library(f, x, analytic, indices, h=1e-5):
    out = []
    for idx in indices:
        saved = float(x[idx])
        x[idx] = saved + h
        plus = f()
        x[idx] = saved - h
        numeric = (plus - f()) / (2 * h)
        x[idx] = saved
        out.append(gradcheck.rel_error(np.array([analytic[idx]]), np.array([numeric])))
    return out


@right("grad_check_entries")
def grad_check_entries_flat(f, param, grad, entries, step=1e-5):
    flat_index = [np.ravel_multi_index(e, param.shape) for e in entries]
    errors = np.empty(len(entries))
    for k, j in enumerate(flat_index):
        param.flat[j] += step
        up = f()
        param.flat[j] -= 2 * step
        down = f()
        param.flat[j] += step
        slope = (up - down) / (2 * step)
        errors[k] = abs(grad.flat[j] - slope) / max(abs(grad.flat[j]) + abs(slope), 1e-12)
    return errors


def _sanity_context():
    """A fresh 784-50-10 net and a batch of 100 random images; 20 learnable images (10 noisy class prototypes)."""
    rng = np.random.default_rng(4)
    x, t = rng.random((100, 784)).astype(np.float32), rng.integers(0, 10, 100)
    labels = np.arange(20) % 10
    images = np.clip((rng.random((10, 784)) < 0.15)[labels] + 0.2 * rng.standard_normal((20, 784)), 0, 1)
    return (nets.TwoLayerNet(seed=3), x, t), (images.astype(np.float32), labels)


CONTEXT["initial_loss"], CONTEXT["overfit_small"] = _sanity_context()


def _cross_entropy_by_hand(net, x, t):
    scores = net.predict(x).astype(np.float64)
    log_probs = scores - scores.max(axis=1, keepdims=True)
    log_probs -= np.log(np.exp(log_probs).sum(axis=1, keepdims=True))
    return -log_probs[np.arange(len(t)), t].mean()


RIGHT["initial_loss"] = [(_cross_entropy_by_hand(*CONTEXT["initial_loss"]), -np.log(1 / 10)),
                         (np.float32(CONTEXT["initial_loss"][0].loss(*CONTEXT["initial_loss"][1:])), 2.30)]


def _overfit_with_train():
    net = nets.TwoLayerNet(seed=7)
    train.train(net, optim.SGD(lr=0.1), *CONTEXT["overfit_small"], iters=300, batch_size=20, verbose=False)
    return net


def _overfit_with_momentum():
    images, labels = CONTEXT["overfit_small"]
    net, opt = nets.TwoLayerNet(hidden_size=100, seed=1), optim.Momentum(lr=0.05)
    for _ in range(200):
        opt.update(net.params, net.gradient(images[::-1], labels[::-1]))
    return net


RIGHT["overfit_small"] = [_overfit_with_train(), _overfit_with_momentum()]

# ----------------------------------------------------------------------------------------------------- notebook 05


@right("sgd")
class SGDItems:
    def __init__(self, lr=0.01):
        self.learning_rate = lr

    def update(self, params, grads):
        for name, value in params.items():
            value -= self.learning_rate * grads[name]


@right("sgd")
class SGDSubtract:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in grads:
            np.subtract(params[key], self.lr * grads[key], out=params[key])


@right("momentum")
class MomentumZeros:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {k: np.zeros_like(p) for k, p in params.items()}
        for k in params:
            self.v[k] *= self.momentum
            self.v[k] -= self.lr * grads[k]
            params[k] += self.v[k]


@right("momentum")
class MomentumSlices:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.mu, self.velocity = lr, momentum, {}

    def update(self, params, grads):
        for k, g in grads.items():
            v = self.mu * self.velocity.get(k, np.zeros_like(g)) - self.lr * g
            self.velocity[k] = v
            params[k][...] = params[k] + v


@right("adam")
class AdamZeros:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps, self.iter, self.m, self.v = lr, beta1, beta2, eps, 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.iter += 1
        for k in params:
            self.m[k] += (1 - self.b1) * (grads[k] - self.m[k])
            self.v[k] += (1 - self.b2) * (grads[k] ** 2 - self.v[k])
            m_hat = self.m[k] / (1 - self.b1 ** self.iter)
            v_hat = self.v[k] / (1 - self.b2 ** self.iter)
            params[k] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


@right("adam")
class AdamDicts:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.hyper = dict(lr=lr, beta1=beta1, beta2=beta2, eps=eps)
        self.state = {"t": 0}

    def update(self, params, grads):
        h, s = self.hyper, self.state
        s["t"] += 1
        for k, g in grads.items():
            m = s.setdefault(("m", k), np.zeros_like(g))
            v = s.setdefault(("v", k), np.zeros_like(g))
            m[...] = h["beta1"] * m + (1 - h["beta1"]) * g
            v[...] = h["beta2"] * v + (1 - h["beta2"]) * g * g
            step = h["lr"] * (m / (1 - h["beta1"] ** s["t"])) / (np.sqrt(v / (1 - h["beta2"] ** s["t"])) + h["eps"])
            params[k] -= step


@right("he_std")
def he_std_power(fan_in):
    return (2.0 / fan_in) ** 0.5


@right("he_std")
def he_std_math(n):
    import math
    return math.sqrt(2) / math.sqrt(n)


class _BatchNormGiven:
    def __init__(self, gamma, beta, momentum=0.9, eps=1e-5):
        self.params = {"gamma": gamma, "beta": beta}
        self.momentum, self.eps = momentum, eps
        self.state = {"running_mean": np.zeros_like(gamma), "running_var": np.ones_like(gamma)}


@right("batchnorm_forward")
class BatchNormTwoPass(_BatchNormGiven):
    def forward(self, x, train=False):
        if train:
            mu = np.sum(x, axis=0) / len(x)
            var = np.sum((x - mu) ** 2, axis=0) / len(x)
            self.state["running_mean"] *= self.momentum
            self.state["running_mean"] += (1 - self.momentum) * mu
            self.state["running_var"] = self.momentum * self.state["running_var"] + (1 - self.momentum) * var
        else:
            mu, var = self.state["running_mean"], self.state["running_var"]
        return self.params["gamma"] * (x - mu) / np.sqrt(var + self.eps) + self.params["beta"]


@right("batchnorm_forward")
class BatchNormEinsum(_BatchNormGiven):
    def forward(self, x, train=False):
        stats = (x.mean(0), np.einsum("nd,nd->d", x - x.mean(0), x - x.mean(0)) / x.shape[0]) if train else \
            (self.state["running_mean"], self.state["running_var"])
        if train:
            for key, value in zip(("running_mean", "running_var"), stats, strict=True):
                self.state[key] = self.state[key] + (1 - self.momentum) * (value - self.state[key])
        inv = 1.0 / np.sqrt(stats[1] + self.eps)
        return ((x - stats[0]) * (inv * self.params["gamma"]) + self.params["beta"]).astype(x.dtype)


@right("batchnorm_backward")
class BatchNormBackwardSteps(layers.BatchNorm):
    def backward(self, dout):
        n = dout.shape[0]
        dxhat = dout * self.params["gamma"]
        dvar = np.sum(dxhat * self.xhat, axis=0) * -0.5 * self.inv_std ** 2
        dmu = -np.sum(dxhat * self.inv_std, axis=0)
        self.grads["gamma"] = np.sum(dout * self.xhat, axis=0)
        self.grads["beta"] = np.sum(dout, axis=0)
        return dxhat * self.inv_std + dvar * 2 * self.xhat / self.inv_std / n + dmu / n


@right("batchnorm_backward")
class BatchNormBackwardMeans(layers.BatchNorm):
    def backward(self, dout):
        self.grads.update(gamma=(dout * self.xhat).sum(0), beta=dout.sum(0))
        g = dout - dout.mean(axis=0) - self.xhat * (dout * self.xhat).mean(axis=0)
        return self.params["gamma"] * self.inv_std * g

# ----------------------------------------------------------------------------------------------- notebooks 06, 07

CONTEXT["l2_model"] = (1e-4,)


@right("best_epoch")
def best_epoch_loop(history):
    key = [k for k in history if k.startswith("val_") and "acc" in k][0]
    best, epoch = -1.0, 0
    for i, value in enumerate(history[key], start=1):
        if value > best:
            best, epoch = value, i
    return epoch


@right("best_epoch")
def best_epoch_index(h):
    values = next(v for k, v in h.items() if k.startswith("val_") and k.endswith("accuracy"))
    return values.index(max(values)) + 1


@right("per_class_accuracy")
def per_class_loop(cm):
    return np.array([cm[i, i] / cm[i].sum() for i in range(len(cm))])


@right("per_class_accuracy")
def per_class_einsum(confusion):
    return np.einsum("ii->i", confusion) / np.einsum("ij->i", confusion).astype(float)


class _DropoutGiven:
    def __init__(self, p=0.5, seed=None):
        self.p = p
        self.rng = np.random.default_rng(seed)


@right("dropout")
class DropoutWhere(_DropoutGiven):
    def forward(self, x, train=False):
        if train:
            self.keep = self.rng.random(x.shape) >= self.p
            return np.where(self.keep, x / (1 - self.p), 0).astype(x.dtype)
        return x.copy()

    def backward(self, dout):
        return np.where(self.keep, dout / (1 - self.p), 0).astype(dout.dtype)


@right("dropout")
class DropoutMultiply(_DropoutGiven):
    def forward(self, x, train=False):
        if not train:
            return x
        mask = (self.rng.random(x.shape) >= self.p).astype(x.dtype)
        self.factor = mask / x.dtype.type(1 - self.p)
        return x * self.factor

    def backward(self, dout):
        return dout * self.factor


@right("stop_epoch")
def stop_epoch_counter(val_losses, patience):
    best, waited = None, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if best is None or loss < best:
            best, waited = loss, 0
        else:
            waited += 1
            if waited == patience:
                return epoch
    return len(val_losses)


@right("stop_epoch")
def stop_epoch_argmin(losses, patience):
    for epoch in range(1, len(losses) + 1):
        seen = losses[:epoch]
        best_epoch = seen.index(min(seen)) + 1
        if epoch - best_epoch >= patience:
            return epoch
    return len(losses)

# ----------------------------------------------------------------------------------------------- notebooks 08, 09

CONTEXT["conv_params"] = (40, 20, 5)


@right("output_size")
def output_size_floor(size, filter_size, stride, pad):
    import math
    return int(math.floor((size + 2 * pad - filter_size) / stride)) + 1


@right("output_size")
def output_size_count(n, f, s, p):
    return len(range(0, n + 2 * p - f + 1, s))


def _pad(x, p):
    return np.pad(x, [(0, 0), (0, 0), (p, p), (p, p)])


@right("conv_naive")
def conv_einsum(x, W, b, stride=1, pad=0):
    xp, (fn, _, fh, fw) = _pad(x, pad), W.shape
    oh, ow = (xp.shape[2] - fh) // stride + 1, (xp.shape[3] - fw) // stride + 1
    out = np.empty((len(x), fn, oh, ow))
    for i in range(oh):
        for j in range(ow):
            window = xp[:, :, i * stride:i * stride + fh, j * stride:j * stride + fw]
            out[:, :, i, j] = np.einsum("nchw,fchw->nf", window, W) + b
    return out


@right("conv_naive")
def conv_sliding(x, W, b, stride=1, pad=0):
    from numpy.lib.stride_tricks import sliding_window_view
    windows = sliding_window_view(_pad(x, pad), W.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    return np.tensordot(windows, W, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2) + b[:, None, None]


@right("im2col")
def im2col_taps(x, fh, fw, stride=1, pad=0):
    n, c, h, w = x.shape
    xp = _pad(x, pad)
    oh, ow = (h + 2 * pad - fh) // stride + 1, (w + 2 * pad - fw) // stride + 1
    cols = np.empty((c, fh, fw, n, oh, ow), dtype=x.dtype)
    for i in range(fh):
        for j in range(fw):
            cols[:, i, j] = xp[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride].transpose(1, 0, 2, 3)
    return cols.reshape(c * fh * fw, -1)


@right("im2col")
def im2col_stack(x, fh, fw, stride=1, pad=0):
    from numpy.lib.stride_tricks import sliding_window_view
    win = sliding_window_view(_pad(x, pad), (fh, fw), axis=(2, 3))[:, :, ::stride, ::stride]   # N C OH OW FH FW
    return win.transpose(1, 4, 5, 0, 2, 3).reshape(x.shape[1] * fh * fw, -1)


@right("conv_backward")
def conv_backward_add_at(dout, x, W, stride=1, pad=0):
    n, c, h, w = x.shape
    fn, _, fh, fw = W.shape
    xp = _pad(x, pad)
    dxp, dW = np.zeros_like(xp), np.zeros_like(W)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            r, s = i * stride, j * stride
            dW += np.einsum("nf,nchw->fchw", dout[:, :, i, j], xp[:, :, r:r + fh, s:s + fw])
            np.add.at(dxp, (slice(None), slice(None), slice(r, r + fh), slice(s, s + fw)),
                      np.einsum("nf,fchw->nchw", dout[:, :, i, j], W))
    return dxp[:, :, pad:pad + h, pad:pad + w], dW, dout.sum(axis=(0, 2, 3))


@right("conv_backward")
def conv_backward_cols(dout, x, W, stride=1, pad=0):
    from course_lib.layers import im2col
    n, c, h, w = x.shape
    fn, _, fh, fw = W.shape
    cols = im2col(x, fh, fw, stride, pad)                              # (C*FH*FW, N*OH*OW)
    d = dout.transpose(1, 0, 2, 3).reshape(fn, -1)                     # (FN, N*OH*OW)
    dW = (d @ cols.T).reshape(W.shape)
    dcols = (W.reshape(fn, -1).T @ d).reshape(c, fh, fw, n, dout.shape[2], dout.shape[3])
    dxp = np.zeros((n, c, h + 2 * pad, w + 2 * pad))
    for i in range(fh):
        for j in range(fw):
            dxp[:, :, i:i + stride * dout.shape[2]:stride, j:j + stride * dout.shape[3]:stride] += \
                dcols[:, i, j].transpose(1, 0, 2, 3)
    return dxp[:, :, pad:pad + h, pad:pad + w], dW, d.sum(axis=1)


def _maxpool_forward_mask(x):
    n, c, h, w = x.shape
    win = x.reshape(n, c, h // 2, 2, w // 2, 2)
    out = win.max(axis=(3, 5))
    mask = (win == out[:, :, :, None, :, None]).astype(float)
    mask /= mask.sum(axis=(3, 5), keepdims=True)          # ties: the gradient shared equally among the maxima
    return out, (mask, x.shape)


def _maxpool_backward_mask(dout, cache):
    mask, shape = cache
    return (mask * dout[:, :, :, None, :, None]).reshape(shape)


RIGHT["maxpool"] = [(_maxpool_forward_mask, _maxpool_backward_mask)]


def _maxpool_forward_last(x):
    n, c, h, w = x.shape
    win = x.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h // 2, w // 2, 4)
    last = 3 - np.argmax(win[..., ::-1], axis=-1)          # ties: the LAST maximum, unlike the library
    return np.take_along_axis(win, last[..., None], axis=-1)[..., 0], (last, x.shape)


def _maxpool_backward_last(dout, cache):
    last, (n, c, h, w) = cache
    d = np.zeros(last.shape + (4,))
    np.put_along_axis(d, last[..., None], dout[..., None], axis=-1)
    return d.reshape(n, c, h // 2, w // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h, w)


RIGHT["maxpool"].append((_maxpool_forward_last, _maxpool_backward_last))

# ------------------------------------------------------------------------------------------- notebooks 10 to 13

_truth = _rng.integers(0, 10, 200)
CONTEXT.update({"fixed_errors": (_truth, np.where(_rng.random(200) < 0.2, 0, _truth),
                                 np.where(_rng.random(200) < 0.1, 1, _truth)),
                "residual_weights": (64,), "rotation_augmentation": (15,),
                "projection_macs": (14, 32, 64, 2)})


@right("top3")
def top3_sorted(probs):
    ranked = sorted(range(10), key=lambda d: -probs[d])
    return [(d, probs[d]) for d in ranked[:3]]


@right("top3")
def top3_argpartition(p):
    best = np.argpartition(-p, 3)[:3]
    best = best[np.argsort(-p[best])]
    return list(zip(best.tolist(), p[best].tolist(), strict=True))


@right("bounding_box")
def bounding_box_any(image):
    rows, cols = np.any(image > 0, axis=1), np.any(image > 0, axis=0)
    return (rows.argmax(), len(rows) - 1 - rows[::-1].argmax(), cols.argmax(), len(cols) - 1 - cols[::-1].argmax())


@right("bounding_box")
def bounding_box_loops(img):
    ink = [(r, c) for r in range(img.shape[0]) for c in range(img.shape[1]) if img[r, c] > 0]
    rows, cols = [r for r, _ in ink], [c for _, c in ink]
    return [min(rows), max(rows), min(cols), max(cols)]

# -------------------------------------------------------------------------- the Keras part (notebooks 10 to 12)


@right("to_keras_kernel")
def to_keras_kernel_moveaxis(W):
    return np.moveaxis(W, [0, 1], [3, 2])


@right("to_keras_kernel")
def to_keras_kernel_einsum(weights):
    return np.einsum("fchw->hwcf", weights)


@right("global_average_pool")
def gap_sum(maps):
    n, h, w, c = maps.shape
    return maps.sum(axis=2).sum(axis=1) / (h * w)


@right("global_average_pool")
def gap_loops(feature_maps):
    return np.array([[feature_maps[i, :, :, k].mean() for k in range(feature_maps.shape[3])]
                     for i in range(len(feature_maps))])


def _tape_gradients_loss_object(model, x, t):
    import keras
    import tensorflow as tf
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(t, model(x, training=True)))
    return [g.numpy() for g in tape.gradient(loss, model.trainable_weights)]


def _tape_gradients_manual(model, x, t):
    import tensorflow as tf
    with tf.GradientTape() as tape:
        probs = model(tf.constant(x))
        picked = tf.gather(probs, t, axis=1, batch_dims=1)
        loss = -tf.reduce_mean(tf.math.log(picked))
    return tuple(tape.gradient(loss, model.trainable_variables))


RIGHT["tape_gradients"] = [_tape_gradients_loss_object, _tape_gradients_manual]


def _train_step_loss_fn(model, optimizer, x, t):
    import keras
    import tensorflow as tf
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    with tf.GradientTape() as tape:
        loss = loss_fn(t, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
    return loss


def _train_step_apply_list(model, opt, xb, tb):
    import tensorflow as tf
    with tf.GradientTape() as tape:
        probs = model(xb, training=True)
        loss = -tf.reduce_mean(tf.math.log(tf.gather(probs, tb, axis=1, batch_dims=1)))
    opt.apply(tape.gradient(loss, model.trainable_variables), model.trainable_variables)
    return float(loss.numpy())


RIGHT["train_step"] = [_train_step_loss_fn, _train_step_apply_list]


def _residual_block_functional(x, filters, downsample=False):
    import keras
    stride = 2 if downsample else 1
    conv = keras.layers.Conv2D
    y = conv(filters, (3, 3), strides=(stride, stride), padding="same", use_bias=False)(x)
    y = keras.layers.ReLU()(keras.layers.BatchNormalization()(y))
    y = keras.layers.BatchNormalization()(conv(filters, 3, padding="same", use_bias=False)(y))
    if downsample or x.shape[-1] != filters:
        x = keras.layers.BatchNormalization()(conv(filters, 1, strides=stride, padding="same", use_bias=False)(x))
    return keras.layers.ReLU()(keras.layers.add([y, x]))


def _residual_block_shortcut_first(inputs, filters, downsample=False):
    import keras
    L = keras.layers
    s = 2 if downsample else 1
    shortcut = inputs
    if s > 1 or inputs.shape[-1] != filters:
        shortcut = L.BatchNormalization()(L.Conv2D(filters, 1, strides=s, use_bias=False)(inputs))
    h = L.Activation("relu")(L.BatchNormalization()(L.Conv2D(filters, 3, strides=s, padding="same",
                                                             use_bias=False)(inputs)))
    h = L.BatchNormalization()(L.Conv2D(filters, 3, padding="same", use_bias=False)(h))
    return L.Activation("relu")(h + shortcut)


RIGHT["residual_block"] = [_residual_block_functional, _residual_block_shortcut_first]
