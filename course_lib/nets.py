"""Networks built from ``course_lib.layers``: the two-layer net and a general multi-layer net.

A ``Net`` is an ordered list of named layers ending in ``SoftmaxWithLoss``.
Its ``params`` dict (``W1``, ``b1``, ``W2``, ..., ``gamma1``, ``beta1``, ...) holds the very arrays the
layers use, so an optimiser that updates ``params`` in place trains the net; its ``state`` dict
(``running_mean1``, ``running_var1``, ...) holds the layers' non-trained buffers the same way.
Each name is numbered by how many layers before it have that parameter.
Parameters and state are saved together as ``.npz`` (never pickle), with the network's architecture as JSON text,
and loaded with checks that name how a file differs from the network.
"""

import copy
import functools
import json
import os
import zipfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import ThreadpoolController

from .checks import (file_path, finite, float_dtype, image_batch, integer, not_empty, numbers_array, pixels,
                     zip_file)
from .i18n import N_, _
from .files import atomic_write
from .functions import as_labels, numerical_gradient
from .layers import Affine, BatchNorm, Conv2D, Dropout, Flatten, MaxPool2D, Relu, Sigmoid, SoftmaxWithLoss


class Net:
    """Layers in order plus a loss layer; subclasses build ``self.layers`` (name -> layer)."""

    predict_batch = 1000
    """Inputs per forward pass in ``predict``, ``loss`` and ``accuracy``: every layer keeps its input (a convolution
    its im2col columns too) for a backward pass, so memory grows with the batch. A fully connected net needs a few
    kB per input; the convolutional nets set 100."""

    def __init__(self, layers, dtype, input_shape, settings=None):
        self.layers = dict(layers)
        self.input_shape = tuple(integer(f"{type(self).__name__}: input_shape entry", d, 1) for d in input_shape)
        # the constructor arguments that shape the layers, saved with them (NumPy numbers as plain ones)
        self.settings = json.loads(json.dumps(settings or {}, default=lambda v: v.item()))
        self.loss_layer = SoftmaxWithLoss()
        self.dtype = float_dtype("dtype", dtype)
        self.params, self._where, self.state = {}, {}, {}
        counts = {}
        for layer in self.layers.values():
            for pname, value in [*layer.params.items(), *layer.state.items()]:
                counts[pname] = counts.get(pname, 0) + 1
                key = f"{pname}{counts[pname]}"
                if pname in layer.params:
                    self.params[key] = value
                    self._where[key] = (layer, pname)
                else:
                    self.state[key] = value

    def _check_x(self, x):
        name = f"{type(self).__name__} input x"
        x = pixels(name, numbers_array(name, x))
        flat_ok = len(self.input_shape) == 1 and x.ndim >= 2 and int(np.prod(x.shape[1:])) == self.input_shape[0]
        if not flat_ok:
            image_batch(name, x, self.input_shape)
        return x.astype(self.dtype, copy=False)

    def _forward(self, x, train):
        """One pass of x through every layer; each layer keeps what its backward pass needs."""
        for layer in self.layers.values():
            x = layer.forward(x, train=train)
        return x

    def predict(self, x, train=False, batch_size=None):
        """Scores (N, C) for inputs x (N, ...), computed ``batch_size`` inputs at a time: the same scores as one pass,
        with memory bounded by the batch (a layer's work arrays, im2col columns above all, grow with it).

        ``train=True`` turns dropout on (the masks drawn are those of one pass) and batch norm to batch statistics,
        which are taken over all of x: a net with batch norm then runs x in one pass.
        """
        x = self._check_x(x)
        batch_size = self.predict_batch if batch_size is None else integer("predict: batch_size", batch_size, 1)
        if train and any(isinstance(layer, BatchNorm) for layer in self.layers.values()):
            batch_size = max(len(x), 1)
        if len(x) <= batch_size:
            return self._forward(x, train)
        return np.concatenate([self._forward(x[i:i + batch_size], train) for i in range(0, len(x), batch_size)])

    def loss(self, x, t, train=False, batch_size=None):
        """Mean cross-entropy of the batch (x, t); t as labels (N,) or one-hot (N, C). Scores from ``predict``."""
        x = self._check_x(x)
        if len(x) != len(t):
            raise ValueError(_("batch size mismatch: {n_x} inputs but {n_t} targets.").format(n_x=len(x), n_t=len(t)))
        return self.loss_layer.forward(self.predict(x, train=train, batch_size=batch_size), t)

    def accuracy(self, x, t, batch_size=None):
        """Fraction of inputs whose highest score is the label (``predict`` in batches of ``batch_size``).

        NaN scores (NaN inputs, or weights that diverged) are an error: their argmax would count as class 0."""
        batch_size = self.predict_batch if batch_size is None else integer("accuracy: batch_size", batch_size, 1)
        x = not_empty(f"{type(self).__name__} input x", self._check_x(x))
        labels = as_labels(t, len(x), self.num_classes)
        scores = finite(f"{type(self).__name__} scores", self.predict(x, batch_size=batch_size), _NAN_SCORES)
        return int(np.sum(scores.argmax(axis=1) == labels)) / len(x)

    @property
    def num_classes(self):
        return list(self.params.values())[-1].shape[0]

    def gradient(self, x, t):
        """Backpropagation: forward the loss (dropout on), then backward from dout = 1. Returns grads like params.

        The batch loss is kept in ``self.last_loss``."""
        self.last_loss = self.loss(x, t, train=True, batch_size=max(len(x), 1))   # one pass: backward needs it all
        dout = self.loss_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return {key: layer.grads[pname] for key, (layer, pname) in self._where.items()}

    def numerical_gradient(self, x, t, h=1e-4, train=False):
        """Central-difference gradient of the loss for every parameter (slow; use float64).

        train=True evaluates the training-mode loss (batch statistics; dropout draws new masks on every
        evaluation, so use ``gradcheck.check_net``, which holds them fixed). The running statistics in ``state``
        are put back afterwards."""
        saved = {k: v.copy() for k, v in self.state.items()}
        try:
            return {key: numerical_gradient(lambda: self.loss(x, t, train=train), p, h)
                    for key, p in self.params.items()}
        finally:
            for k, v in saved.items():
                self.state[k][...] = v

    def architecture(self):
        """What the saved parameters fit: the class, its layer-shaping settings, the input shape and every layer
        that holds parameters or state, with their shapes (a JSON-ready dict, saved with the parameters)."""
        return {"class": type(self).__name__, "settings": self.settings, "input_shape": list(self.input_shape),
                "layers": [[name, type(layer).__name__,
                            {k: list(v.shape) for k, v in [*layer.params.items(), *layer.state.items()]}]
                           for name, layer in self.layers.items() if layer.params or layer.state]}

    def save(self, path):
        """Write all parameters and state to ``path`` (.npz) atomically, with the ``architecture()`` as JSON in the
        entry ``ARCHITECTURE`` (text, no pickle)."""
        path = file_path("path", path, "net.npz")
        with atomic_write(path) as tmp, open(tmp, "wb") as f:
            np.savez(f, **self.params, **self.state, **{ARCHITECTURE: np.array(json.dumps(self.architecture()))})
        return path

    def load(self, path):
        """Load parameters and state saved by ``save``. Reads and checks the file's architecture and every name and
        shape first, so a file that does not fit (or cannot be read) leaves the network unchanged and the error
        names the file and the difference."""
        path = file_path("path", path, "net.npz")
        if not path.is_file():
            raise FileNotFoundError(_("No saved parameters at {path}. Train the network and call save() first.").format(
                path=path))
        zip_file("path", path, N_("a .npz file saved by Net.save"),
                 N_("Pass the .npz file that net.save(...) wrote (np.save writes a .npy file: one array, no names)."))
        try:
            with np.load(path, allow_pickle=False) as f:
                stored = {k: f[k] for k in f.files}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
            raise ValueError(_("cannot read {path}: it is not a complete .npz file saved by Net.save ({error}). Save "
                               "the network again.").format(path=path, error=e)) from e
        if ARCHITECTURE in stored:   # files saved before the architecture was stored have only the checks below
            try:
                saved = json.loads(str(stored.pop(ARCHITECTURE)))
                differences = _differences(saved, self.architecture())
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                raise ValueError(_("cannot read {path}: its architecture entry is damaged ({type}: {error}). Save the "
                                   "network again.").format(path=path, type=type(e).__name__, error=e)) from e
            if differences:
                raise ValueError(_("{file} does not fit this {net}: {differences}. Build the network the file was "
                                   "saved from, {constructor}, then load it.").format(
                    file=path.name, net=type(self).__name__, differences="; ".join(differences),
                    constructor=_constructor(saved)))
        target = {**self.params, **self.state}
        missing = sorted(set(self.params) - set(stored))
        missing_state = sorted(set(self.state) - set(stored))
        extra = sorted(set(stored) - set(target))
        if missing or missing_state or extra:
            state_note = _(", missing state entries {entries}").format(entries=missing_state) if missing_state else ""
            raise ValueError(
                _("{file} does not fit {net}: missing parameters {missing}{state_note}, unexpected {extra}. Was it "
                  "saved from a different network?").format(
                    file=path.name, net=type(self).__name__, missing=missing, state_note=state_note, extra=extra)
            )
        for key, value in stored.items():
            what = _("parameter") if key in self.params else _("state entry")
            if value.shape != target[key].shape:
                raise ValueError(
                    _("{file} does not fit {net}: {what} {key} has shape {shape} in the file but {own} in the "
                      "network.").format(
                        file=path.name, net=type(self).__name__, what=what, key=key, shape=value.shape,
                        own=target[key].shape)
                )
            if not np.issubdtype(value.dtype, np.floating):
                raise ValueError(_("{file}: {what} {key} is stored as {dtype}, not floats; was it saved by "
                                   "Net.save?").format(file=path.name, what=what, key=key, dtype=value.dtype))
        for key, value in stored.items():
            target[key][...] = value
        return self

    def count_params(self):
        """Total number of parameters."""
        return int(sum(p.size for p in self.params.values()))


_NAN_SCORES = ("Check the inputs for NaN (np.isnan(x).any()); if they are finite, the weights diverged: train again "
               "with a smaller learning rate.")

ARCHITECTURE = "__architecture__"
"""The entry of a saved .npz that holds ``Net.architecture()`` as JSON text."""


def _constructor(arch):
    """``nets.Class(setting=value, ...)`` for an architecture dict."""
    return f"nets.{arch['class']}({', '.join(f'{k}={v!r}' for k, v in arch['settings'].items())})"


def _differences(saved, own):
    """How the architecture ``saved`` in a file differs from this network's ``own``: a list of phrases."""
    if saved.get("class") != own["class"]:
        return [_("the file holds a {saved}, not a {own}").format(saved=_constructor(saved), own=own["class"])]
    settings = [_("{name} is {saved} in the file but {own} in this network").format(
                    name=k, saved=repr(saved["settings"].get(k)), own=repr(v))
                for k, v in own["settings"].items() if saved["settings"].get(k) != v]
    if settings or saved.get("input_shape") != own["input_shape"]:
        return settings or [_("the input shape is {saved} in the file but {own} in this network").format(
            saved=tuple(saved["input_shape"]), own=tuple(own["input_shape"]))]
    # the shorter list first: a missing or extra layer is named after the loop
    for i, (a, b) in enumerate(zip(saved["layers"], own["layers"], strict=False), start=1):
        if a != b:
            return [_("its layer {i} with parameters is {saved} ({saved_kind}, shapes {saved_shapes}) in the file but "
                      "{own} ({own_kind}, shapes {own_shapes}) in this network").format(
                i=i, saved=a[0], saved_kind=a[1], saved_shapes=a[2], own=b[0], own_kind=b[1], own_shapes=b[2])]
    if len(saved["layers"]) != len(own["layers"]):
        return [_("the file has {saved} layers with parameters, this network {own}").format(
            saved=len(saved["layers"]), own=len(own["layers"]))]
    return []


def _sizes(owner, **sizes):
    """Check layer sizes: whole numbers >= 1 (a sequence for hidden_sizes)."""
    for name, value in sizes.items():
        for v in (value if name == "hidden_sizes" else [value]):
            integer(f"{owner}: {name}", v, 1)


def _rng(owner, seed):
    """The random generator of a network: seed a whole number >= 0 (or None for a fresh random start)."""
    return np.random.default_rng(seed if seed is None else integer(f"{owner}: seed", seed, 0))


def _init(rng, fan_in, fan_out, std, dtype):
    return (rng.standard_normal((fan_in, fan_out)) * std).astype(dtype), np.zeros(fan_out, dtype=dtype)


def init_std(kind, fan_in):
    """Standard deviation of the initial weights: a positive number, ``"xavier"`` (sqrt(1/fan_in)) or ``"he"``
    (sqrt(2/fan_in))."""
    fan_in = integer("init_std: fan_in", fan_in, 1)
    if isinstance(kind, str):
        kinds = {"xavier": 1.0, "he": 2.0}
        if kind.lower() not in kinds:
            raise ValueError(_("weight init must be a number, 'xavier' or 'he'; got {kind}.").format(kind=repr(kind)))
        return float(np.sqrt(kinds[kind.lower()] / fan_in))
    if isinstance(kind, (bool, np.bool_)) or not isinstance(kind, (int, float, np.number)) or not 0 < kind < np.inf:
        raise ValueError(_("weight init must be a positive number, 'xavier' or 'he'; got {kind}.").format(
            kind=repr(kind)))
    return float(kind)


class TwoLayerNet(Net):
    """Affine1 -> Relu1 -> Affine2 -> SoftmaxWithLoss.

    x (N, input_size) -> scores (N, output_size). Weights start as
    ``weight_init_std * N(0, 1)`` (a number, or ``"he"``/``"xavier"`` as in ``init_std``), biases at zero.
    """

    def __init__(self, input_size=784, hidden_size=50, output_size=10, weight_init_std=0.01, seed=0,
                 dtype=np.float32):
        _sizes("TwoLayerNet", input_size=input_size, hidden_size=hidden_size, output_size=output_size)
        rng, dtype = _rng("TwoLayerNet", seed), float_dtype("dtype", dtype)
        W1, b1 = _init(rng, input_size, hidden_size, init_std(weight_init_std, input_size), dtype)
        W2, b2 = _init(rng, hidden_size, output_size, init_std(weight_init_std, hidden_size), dtype)
        super().__init__({"Affine1": Affine(W1, b1), "Relu1": Relu(), "Affine2": Affine(W2, b2)}, dtype,
                         (input_size,), dict(input_size=input_size, hidden_size=hidden_size, output_size=output_size))


class MultiLayerNet(Net):
    """Fully connected net: (Affine [-> BatchNorm] -> activation [-> Dropout]) per hidden layer, then
    Affine -> SoftmaxWithLoss.

    activation: ``"relu"`` or ``"sigmoid"``; weight_init: number, ``"xavier"`` or ``"he"``;
    dropout: probability p for the (inverted) Dropout after each hidden activation, 0 for none;
    use_batchnorm: a BatchNorm (gamma 1, beta 0, momentum 0.9, eps 1e-5) between each hidden Affine and its
    activation, as in *Deep Learning from Scratch* chapter 6 (parameters ``gamma1``, ``beta1``, ...).
    """

    def __init__(self, input_size=784, hidden_sizes=(100, 100), output_size=10, activation="relu",
                 weight_init="he", dropout=0.0, seed=0, dtype=np.float32, use_batchnorm=False):
        acts = {"relu": Relu, "sigmoid": Sigmoid}
        if activation not in acts:
            raise ValueError(_("activation must be 'relu' or 'sigmoid', got {activation}.").format(
                activation=repr(activation)))
        if isinstance(hidden_sizes, (int, np.integer)):
            raise TypeError(_("hidden_sizes must be a sequence such as (100, 100), got {hidden_sizes}.").format(
                hidden_sizes=repr(hidden_sizes)))
        _sizes("MultiLayerNet", input_size=input_size, hidden_sizes=list(hidden_sizes), output_size=output_size)
        dtype = float_dtype("dtype", dtype)
        rng = _rng("MultiLayerNet", seed)
        sizes = [input_size, *hidden_sizes, output_size]
        layers = {}
        for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
            layers[f"Affine{i}"] = Affine(*_init(rng, fan_in, fan_out, init_std(weight_init, fan_in), dtype))
            if i < len(sizes) - 1:
                if use_batchnorm:
                    layers[f"BatchNorm{i}"] = BatchNorm(np.ones(fan_out, dtype), np.zeros(fan_out, dtype))
                layers[f"{activation.capitalize()}{i}"] = acts[activation]()
                if dropout:
                    layers[f"Dropout{i}"] = Dropout(dropout, seed=int(rng.integers(2**31)))
        super().__init__(layers, dtype, (input_size,),
                         dict(input_size=input_size, hidden_sizes=[int(h) for h in hidden_sizes],
                              output_size=output_size, activation=activation, use_batchnorm=bool(use_batchnorm)))


class SimpleConvNet(Net):
    """Conv(30 filters 5x5) -> ReLU -> MaxPool 2x2 -> Affine(4320 -> 100) -> ReLU -> Affine(100 -> 10).

    Inputs (N, 1, 28, 28); He initialisation. Shapes: 28 -> 24 -> 12; 30 * 12 * 12 = 4,320 features.
    """

    predict_batch = 100   # about 0.3 MB per image kept for backward

    def __init__(self, filters=30, filter_size=5, hidden_size=100, output_size=10, seed=0, dtype=np.float32):
        _sizes("SimpleConvNet", filters=filters, filter_size=filter_size, hidden_size=hidden_size,
               output_size=output_size)
        if filter_size > 27:
            raise ValueError(f"SimpleConvNet: filter_size must be at most 27 for 28x28 images, got {filter_size}.")
        dtype = float_dtype("dtype", dtype)
        rng = _rng("SimpleConvNet", seed)
        W = (rng.standard_normal((filters, 1, filter_size, filter_size)) * np.sqrt(2.0 / filter_size ** 2))
        side = (28 - filter_size + 1) // 2
        flat = filters * side * side
        layers = {
            "Conv1": Conv2D(W.astype(dtype), np.zeros(filters, dtype=dtype), input_grad=False),  # input is data
            "Relu1": Relu(),
            "Pool1": MaxPool2D(2, 2, stride=2),
            "Flatten": Flatten(),
            "Affine1": Affine(*_init(rng, flat, hidden_size, np.sqrt(2.0 / flat), dtype)),
            "Relu2": Relu(),
            "Affine2": Affine(*_init(rng, hidden_size, output_size, np.sqrt(2.0 / hidden_size), dtype)),
        }
        super().__init__(layers, dtype, (1, 28, 28), dict(filters=filters, filter_size=filter_size,
                                                          hidden_size=hidden_size, output_size=output_size))


WORKERS = min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
"""Threads ``DeepConvNet.gradient`` uses by default: two on a machine with at least two cores."""
CHUNK = 50
"""Images per chunk in ``DeepConvNet.gradient``: half of the course's batch of 100, one chunk per thread. Measured on
a 2-core CPU (``benchmarks/convnet_profile.py --chunk N``): every chunk pays a fixed cost in each layer (Python,
checks, small matrix products), so chunks of 10 spent twice the pooling time of chunks of 50 and the step took about
25% longer."""


class DeepConvNet(Net):
    """The deep ConvNet of *Deep Learning from Scratch* for (N, 1, 28, 28) inputs.

    conv-relu-conv-relu-pool three times (16, 16, 32, 32, 64, 64 filters of 3x3,
    stride 1, pad 1 except pad 2 for the fourth), then affine(1024 -> 50)-relu-
    dropout-affine(50 -> 10)-dropout, with He initialisation and dropout 0.5.
    Shapes: 28 -> 28 -> 28 -> 14 -> 14 -> 16 -> 8 -> 8 -> 8 -> 4; 64 * 4 * 4 = 1,024 features.
    ``gradient`` splits a batch into chunks of ``chunk`` images shared by ``workers`` threads (speed only:
    the result is the same; ``workers=1, chunk`` >= the batch size gives ``Net.gradient`` itself).
    """

    FILTERS = (16, 16, 32, 32, 64, 64)
    PADS = (1, 1, 1, 2, 1, 1)
    predict_batch = 100
    """About 2 MB per image kept for backward: notebook 10's 2,000-image probe took 4.3 GB in one pass. In batches of
    100 a prediction of any size stays near 0.25 GB, and runs no slower (2,000 images, one thread: 4.4 s in batches
    of 100, 16 s in batches of 500)."""

    def __init__(self, hidden_size=50, output_size=10, dropout=0.5, seed=0, dtype=np.float32, workers=None,
                 chunk=CHUNK):
        _sizes("DeepConvNet", hidden_size=hidden_size, output_size=output_size)
        dtype = float_dtype("dtype", dtype)
        rng = _rng("DeepConvNet", seed)
        layers, channels = {}, 1
        for i, (fn, pad) in enumerate(zip(self.FILTERS, self.PADS, strict=True), start=1):
            std = np.sqrt(2.0 / (channels * 9))
            W = (rng.standard_normal((fn, channels, 3, 3)) * std).astype(dtype)
            layers[f"Conv{i}"] = Conv2D(W, np.zeros(fn, dtype=dtype), stride=1, pad=pad, input_grad=i > 1)
            layers[f"Relu{i}"] = Relu()
            if i % 2 == 0:
                layers[f"Pool{i // 2}"] = MaxPool2D(2, 2, stride=2)
            channels = fn
        layers["Flatten"] = Flatten()
        layers["Affine1"] = Affine(*_init(rng, 64 * 4 * 4, hidden_size, np.sqrt(2.0 / (64 * 4 * 4)), dtype))
        layers["Relu7"] = Relu()
        layers["Dropout1"] = Dropout(dropout, seed=int(rng.integers(2**31)))
        layers["Affine2"] = Affine(*_init(rng, hidden_size, output_size, np.sqrt(2.0 / hidden_size), dtype))
        layers["Dropout2"] = Dropout(dropout, seed=int(rng.integers(2**31)))
        super().__init__(layers, dtype, (1, 28, 28), dict(hidden_size=hidden_size, output_size=output_size))
        self.workers = WORKERS if workers is None else integer("DeepConvNet: workers", workers, 1)
        self.chunk = integer("DeepConvNet: chunk", chunk, 1)
        self._replicas, self._pool = [], None

    def gradient(self, x, t):
        """``Net.gradient`` computed in chunks of ``chunk`` images spread over ``workers`` threads.

        Each thread runs its own copy of the layers (the same parameter arrays, its own caches and work
        arrays) with the BLAS library held to one thread, so the copies, pooling and ReLU passes that NumPy
        runs on one core use both. The dropout masks are drawn for the whole batch first, from the same
        generators, and each chunk's loss gradient is scaled by its share of the batch: the result equals
        ``Net.gradient`` up to rounding.
        """
        x = self._check_x(x)
        labels = as_labels(t, len(x), self.num_classes)
        n = len(x)
        if n == 0:
            raise ValueError(_("gradient of an empty batch is undefined: x holds no examples; pass at least one."))
        chunks = [(lo, min(lo + self.chunk, n)) for lo in range(0, n, self.chunk)]
        workers = min(self.workers, len(chunks))
        if workers == 1 and len(chunks) == 1:
            return super().gradient(x, labels)
        while len(self._replicas) < workers:
            self._replicas.append(_Replica(self))
        masks = {name: layer.rng.random((n, _dropout_width(self.layers, name)))
                 for name, layer in self.layers.items() if isinstance(layer, Dropout)}
        jobs = [(self._replicas[w], x, labels, chunks[w::workers], masks, n) for w in range(workers)]
        if workers == 1:
            results = [_run_chunks(*jobs[0])]
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self.workers - 1, thread_name_prefix="DeepConvNet")
            with _blas().limit(limits=1, user_api="blas"):
                pending = [self._pool.submit(_run_chunks, *job) for job in jobs[1:]]
                results = [_run_chunks(*jobs[0])] + [p.result() for p in pending]
        self.last_loss = float(sum(loss for _, loss in results))
        grads = {key: sum(g[key] for g, _ in results) for key in self._where}
        for key, (layer, pname) in self._where.items():
            layer.grads[pname] = grads[key]
        return grads


@functools.lru_cache(maxsize=1)
def _blas():
    """threadpoolctl's view of the BLAS libraries loaded (looked up once: a lookup takes about half a millisecond)."""
    return ThreadpoolController()


def _dropout_width(layers, name):
    """Features per example entering the Dropout ``name``: the width of the last Affine before it."""
    width = None
    for key, layer in layers.items():
        if key == name:
            return width
        if isinstance(layer, Affine):
            width = layer.params["W"].shape[1]
    raise KeyError(name)


class _Replica:
    """A thread's copy of a network's layers: the same parameter arrays, its own caches, grads and work arrays."""

    def __init__(self, net):
        self.layers, twins = {}, {}
        for name, layer in net.layers.items():
            twin = copy.copy(layer)
            twin.grads = dict(layer.grads)
            if isinstance(layer, Conv2D):
                twin.work = {}
            self.layers[name] = twins[id(layer)] = twin
        self.where = {key: (twins[id(layer)], pname) for key, (layer, pname) in net._where.items()}
        self.loss = SoftmaxWithLoss()


class _Drawn:
    """Stands in for a Dropout layer's generator: hands out numbers drawn beforehand."""

    def __init__(self, values):
        self.values = values

    def random(self, shape):
        assert shape == self.values.shape, (shape, self.values.shape)
        return self.values


def _run_chunks(replica, x, labels, chunks, masks, n):
    """Forward and backward of each chunk on ``replica``; returns (gradient sums by parameter key, loss share)."""
    total, loss = None, 0.0
    for lo, hi in chunks:
        out = x[lo:hi]
        for name, layer in replica.layers.items():
            if name in masks:
                layer.rng = _Drawn(masks[name][lo:hi])
            out = layer.forward(out, train=True)
        loss += replica.loss.forward(out, labels[lo:hi]) * (hi - lo) / n
        dout = replica.loss.backward((hi - lo) / n)      # (y - onehot) / n: this chunk's part of the batch mean
        for layer in reversed(replica.layers.values()):
            dout = layer.backward(dout)
        grads = {key: twin.grads[pname] for key, (twin, pname) in replica.where.items()}
        total = grads if total is None else {key: total[key] + g for key, g in grads.items()}
    return total, loss
