"""Keras helpers: seeding, model builders with explicit names, history plots, checkpoints and resumable training.

This is the only module of ``course_lib`` that imports TensorFlow.
Layers and models get explicit names so that summaries do not depend on what
ran before in the kernel.
"""

import json
import numbers
from collections.abc import Mapping
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from matplotlib.ticker import MaxNLocator

from .checks import (PIXELS_0_255, fail, file_path, finite, image_batch, integer, not_empty, number, numbers_array,
                     pixels, text, zip_file)
from .i18n import N_, _
from .files import atomic_write
from . import plots  # noqa: F401  (its import sets the figures' font for COURSE_LANG=zh_CN)


def set_seed(seed=0):
    """Seed Python, NumPy and TensorFlow, and make TensorFlow's ops deterministic."""
    integer("seed", seed, 0)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


@keras.saving.register_keras_serializable(package="course_lib")
class ScaledPixels(keras.layers.Layer):
    """The identity on images scaled to [0, 1]; an error on raw 0-255 pixels (any value above ``PIXELS_0_255``).

    The first layer of the course's Keras models (no weights), so that ``model.predict(raw_pixels)`` stops with
    advice instead of returning confident nonsense.
    """

    MESSAGE = (f"The model's input holds values above {PIXELS_0_255:g}: raw 0-255 pixels? The course's models read "
               "pixels scaled to [0, 1], as in training. Scale them first: x.astype(np.float32) / 255 (or load with "
               "data.load_mnist(normalize=True)).")

    def call(self, x):
        tf.debugging.assert_less_equal(tf.reduce_max(x), tf.cast(PIXELS_0_255, x.dtype), message=self.MESSAGE)
        return x


def mlp(hidden=128, dropout=0.0, l2=0.0, name="mnist_mlp"):
    """Flatten -> Dense(hidden, relu) [-> Dropout] -> Dense(10, softmax), for inputs (N, 28, 28).

    l2: weight-decay factor on both Dense kernels (0 for none).
    """
    integer("hidden", hidden, 1)
    number("dropout", dropout, 0.0, 1.0)
    number("l2", l2, 0.0)
    reg = keras.regularizers.L2(l2) if l2 else None
    layers = [keras.Input(shape=(28, 28), name="image"),
              ScaledPixels(name="pixels"),
              keras.layers.Flatten(name="flatten"),
              keras.layers.Dense(hidden, activation="relu", kernel_regularizer=reg, name="d1")]
    if dropout:
        layers.append(keras.layers.Dropout(dropout, name="dropout"))
    layers.append(keras.layers.Dense(10, activation="softmax", kernel_regularizer=reg, name="d2"))
    return keras.Sequential(layers, name=name)


class MnistModel(keras.Model):
    """The same MLP as a subclassed model: layers made in ``__init__``, wired in ``call``."""

    def __init__(self, hidden=128, **kwargs):
        integer("hidden", hidden, 1)
        super().__init__(**kwargs)
        self.flatten = keras.layers.Flatten(name="flatten")
        self.d1 = keras.layers.Dense(hidden, activation="relu", name="d1")
        self.d2 = keras.layers.Dense(10, activation="softmax", name="d2")

    def call(self, x):
        return self.d2(self.d1(self.flatten(x)))


def compile_classifier(model, learning_rate=0.001):
    """Adam, sparse categorical cross-entropy on probabilities, sparse categorical accuracy."""
    if not isinstance(model, keras.Model):
        raise TypeError(_("model must be a keras.Model (e.g. kerastools.mlp()), got {name}.").format(
            name=type(model).__name__))
    if not isinstance(learning_rate, keras.optimizers.schedules.LearningRateSchedule):
        learning_rate = number("learning_rate", learning_rate, 0.0, 1.0, low_inclusive=False,  # Keras takes floats only
                               advice=N_("Pass a number in that range or a keras LearningRateSchedule (Adam's "
                                         "default: 0.001)."))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=False),
                  metrics=["sparse_categorical_accuracy"])
    return model


def print_summary(model):
    """Print ``model.summary()`` as plain text.

    Keras' default summary is a rich table that a notebook stores with terminal colour codes; asked for plain text
    (``print_fn``), rich in a notebook also emits an empty HTML output, which is captured and dropped here.
    """
    from IPython.utils.capture import capture_output

    if not isinstance(model, keras.Model):
        raise TypeError(_("model must be a Keras model, got {name}: build one first (e.g. kt.mlp()).").format(
            name=type(model).__name__))
    text = []
    with capture_output():
        model.summary(print_fn=text.append)
    print("".join(text), end="")


def dense_params(inputs, units):
    """Parameters of a Dense layer: a weight per (input, unit) pair plus a bias per unit."""
    integer("inputs", inputs, 1)
    integer("units", units, 1)
    return inputs * units + units


def save_model(model, path):
    """Save a Keras model to ``path`` (.keras) atomically: a temporary file, then a rename."""
    if not isinstance(model, keras.Model):
        raise TypeError(_("model must be a keras.Model (e.g. kerastools.mlp()), got {name}.").format(
            name=type(model).__name__))
    path = _keras_path(path)
    with atomic_write(path) as tmp:
        model.save(tmp)
    return path


def _keras_path(path):
    """``path`` as a Path to a .keras file, or an error naming the argument."""
    path = file_path("path", path, "model.keras")
    if path.suffix != ".keras":
        raise fail(ValueError, "path", N_("end in .keras (Keras 3's single-file format)"), repr(path.name))
    return path


def load_model(path, notebook=None):
    """Load a ``.keras`` model; a missing file names the notebook that creates it."""
    path = file_path("path", path, "model.keras")
    if not path.is_file():
        where = _(" Run notebook {notebook} (full mode) to train and save it.").format(notebook=notebook) if notebook \
            else ""
        raise FileNotFoundError(_("No saved model at {path}.{where}").format(path=path, where=where))
    zip_file("path", path, N_("a .keras file saved by model.save or kerastools.save_model"),
             N_("Pass the .keras file the training notebook saved (a .npz holds a NumPy network: load it with "
                "course_lib.nets)."))
    return keras.models.load_model(path, custom_objects={"MnistModel": MnistModel})


def _history_dict(history):
    """The dict metric name -> per-epoch values of a History (or of a dict), checked: non-empty lists of numbers."""
    h = history.history if hasattr(history, "history") else history
    if not isinstance(h, Mapping):
        raise TypeError(_("history must be a keras History (what model.fit returns) or a dict metric name -> "
                          "per-epoch values, got {name}.").format(name=type(history).__name__))
    for key, values in h.items():
        if (not isinstance(key, str) or isinstance(values, (str, bytes)) or np.ndim(values) != 1 or len(values) == 0
                or not all(isinstance(v, numbers.Real) for v in values)):
            raise ValueError(_("history[{key}] must be a non-empty list of numbers (one per epoch), got {values}.")
                             .format(key=repr(key), values=repr(values)))
    return dict(h)


def metric_pairs(history):
    """The metrics a History holds, as ``[(name, val_name or None), ...]``, loss last.

    Works whatever the metric is called (``acc``, ``accuracy``, ``sparse_categorical_accuracy``, ...).
    """
    h = _history_dict(history)
    names = [k for k in h if not k.startswith("val_")]
    if not names:
        raise ValueError(_("the history holds no training metrics (keys: {keys}).").format(keys=sorted(h)))
    names.sort(key=lambda k: k == "loss")
    return [(k, f"val_{k}" if f"val_{k}" in h else None) for k in names]


def metric_label(key):
    """A readable name for a Keras metric key: ``val_sparse_categorical_accuracy`` -> ``accuracy``."""
    if not isinstance(key, str):
        raise TypeError(_("key must be a metric name such as 'val_loss', got {name} {key}.").format(
            name=type(key).__name__, key=repr(key)))
    key = key[4:] if key.startswith("val_") else key
    if "acc" in key:
        return "accuracy"
    if key == "loss":
        return "loss (cross-entropy)"
    return key.replace("_", " ")


def _epoch_axis(ax, n_epochs):
    """Epochs 1..n on whole-number ticks (every epoch when there are few)."""
    if n_epochs <= 20:
        ax.set_xticks(range(1, n_epochs + 1))
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0.5, n_epochs + 0.5)
    ax.set_xlabel("epoch")


def plot_history(history, title=""):
    """One panel per metric (accuracy-like first, then loss), training vs validation, side by side.

    Panels are titled and labelled with readable names (``metric_label``); epochs count from 1 on integer ticks.
    """
    h = _history_dict(history)
    pairs = metric_pairs(h)
    for key, val_key in pairs:
        if val_key and len(h[val_key]) != len(h[key]):
            raise ValueError(_("history holds {epochs} epochs of {key} but {val_epochs} of {val_key}: pass the History "
                               "of one fit.").format(epochs=len(h[key]), key=repr(key), val_epochs=len(h[val_key]),
                                                     val_key=repr(val_key)))
    text("title", title)
    fig, axes = plt.subplots(1, len(pairs), figsize=(5.5 * len(pairs), 3.5), squeeze=False)
    for ax, (key, val_key) in zip(axes[0], pairs, strict=True):
        epochs = np.arange(1, len(h[key]) + 1)
        ax.plot(epochs, h[key], "o-", label="training", markersize=3)
        if val_key:
            ax.plot(epochs, h[val_key], "o-", label="validation", markersize=3)
        label = metric_label(key)
        ax.set(ylabel=label, title=f"{label[0].upper()}{label[1:]} per epoch")
        _epoch_axis(ax, len(epochs))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def overlay(histories, key, title="", ax=None, marks=None):
    """Plot the same metric ``key`` of several runs (name -> History or dict) on one axes."""
    if not isinstance(histories, Mapping) or not histories:
        raise ValueError(_("histories must be a non-empty dict run name -> History, got {histories}.").format(
            histories=repr(histories)))
    metric_label(key)
    for name, history in histories.items():
        if key not in _history_dict(history):
            raise ValueError(_("run {name} has no metric {key}; its metrics are {metrics}.").format(
                name=repr(name), key=repr(key), metrics=sorted(_history_dict(history))))
    text("title", title)
    if ax is not None and not isinstance(ax, plt.Axes):
        raise TypeError(_("ax must be a matplotlib Axes (e.g. from plt.subplots()) or None, got {name}.").format(
            name=type(ax).__name__))
    for label, point in (marks or {}).items():
        if np.shape(point) != (2,):
            raise ValueError(_("marks[{label}] must be one (x, y) point, got {point}.").format(
                label=repr(label), point=repr(point)))
    if ax is None:
        ax = plt.subplots(figsize=(7, 3.8))[1]
    longest = 1
    for name, history in histories.items():
        values = _history_dict(history)[key]
        longest = max(longest, len(values))
        ax.plot(np.arange(1, len(values) + 1), values, label=name, lw=1.2)
    for label, (x, y) in (marks or {}).items():
        ax.plot([x], [y], "o", color="black")
        ax.annotate(label, (x, y), textcoords="offset points", xytext=(5, 8), fontsize=8)
    label = metric_label(key)
    ax.set(ylabel=f"{label} ({'validation' if key.startswith('val_') else 'training'})", title=title or label)
    _epoch_axis(ax, longest)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax.figure


class EpochLogger(keras.callbacks.Callback):
    """Print one line every ``every`` epochs (long runs would otherwise print hundreds of progress bars)."""

    def __init__(self, every=20):
        super().__init__()
        integer("every", every, 1)
        self.every = every

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            shown = "  ".join(f"{k} {v:.4f}" for k, v in (logs or {}).items() if "loss" in k or "acc" in k)
            print(f"epoch {epoch + 1:4d}  {shown}")


def deep_convnet(dropout=0.5, logit_dropout=True, name="deep_convnet"):
    """The deep ConvNet of notebook 10 in Keras, for (N, 28, 28, 1) inputs; same layers and parameter count.

    Six 3x3 convolutions (16, 16, 32, 32, 64, 64; "same" padding except an explicit pad of 2 before the
    fourth), max-pooling after every second, then Dense(50, relu) - Dropout - Dense(10) - Dropout - softmax,
    with He initialisation. ``logit_dropout=False`` leaves out the book's dropout on the ten scores (logits).
    """
    number("dropout", dropout, 0.0, 1.0)
    L = keras.layers
    he = "he_normal"
    layers = [keras.Input(shape=(28, 28, 1), name="image"), ScaledPixels(name="pixels")]
    for i, filters in enumerate((16, 16, 32, 32, 64, 64), start=1):
        if i == 4:
            layers += [L.ZeroPadding2D(2, name="pad4"),
                       L.Conv2D(filters, 3, activation="relu", kernel_initializer=he, name=f"conv{i}")]
        else:
            layers.append(L.Conv2D(filters, 3, padding="same", activation="relu", kernel_initializer=he,
                                   name=f"conv{i}"))
        if i % 2 == 0:
            layers.append(L.MaxPooling2D(2, name=f"pool{i // 2}"))
    layers += [L.Flatten(name="flatten"),
               L.Dense(50, activation="relu", kernel_initializer=he, name="fc1"),
               L.Dropout(dropout, name="dropout1"),
               L.Dense(10, kernel_initializer=he, name="fc2")]
    if logit_dropout:
        layers.append(L.Dropout(dropout, name="dropout2"))
    layers.append(L.Softmax(name="softmax"))
    return keras.Sequential(layers, name=name)


def nielsen_cnn(two_conv=False, dropout=0.3, name=None):
    """Nielsen's CNN with ReLU, for (N, 28, 28, 1) inputs.

    one conv:  Conv(20, 5x5) -> MaxPool 2 -> Dense(100) -> Dense(10, softmax)            (289,630 parameters)
    two conv:  ... -> Conv(40, 5x5) -> MaxPool 2 -> Dense(100) -> Dropout(0.3) -> Dense(10)  (85,670 parameters)
    """
    number("dropout", dropout, 0.0, 1.0)
    L = keras.layers
    layers = [keras.Input(shape=(28, 28, 1), name="image"),
              ScaledPixels(name="pixels"),
              L.Conv2D(20, 5, activation="relu", name="conv1"),
              L.MaxPooling2D(2, name="pool1")]
    if two_conv:
        layers += [L.Conv2D(40, 5, activation="relu", name="conv2"), L.MaxPooling2D(2, name="pool2")]
    layers += [L.Flatten(name="flatten"), L.Dense(100, activation="relu", name="fc")]
    if two_conv and dropout:
        layers.append(L.Dropout(dropout, name="dropout"))
    layers.append(L.Dense(10, activation="softmax", name="softmax"))
    return keras.Sequential(layers, name=name or ("nielsen_two_conv" if two_conv else "nielsen_one_conv"))


def augmentation(shift=0.1, rotation_degrees=10, zoom=0.1, name="augment"):
    """Random small shifts, rotations and zooms, active only while training (Keras preprocessing layers).

    shift and zoom: fractions of the image in [0, 1); rotation_degrees: the largest angle, in [0, 180].
    """
    number("shift", shift, 0.0, 1.0)
    number("zoom", zoom, 0.0, 1.0)
    number("rotation_degrees", rotation_degrees, 0.0, 180.0, high_inclusive=True)
    L = keras.layers
    return keras.Sequential([L.RandomTranslation(shift, shift, fill_mode="constant", name="shift"),
                             L.RandomRotation(rotation_degrees / 360, fill_mode="constant", name="rotate"),
                             L.RandomZoom(zoom, fill_mode="constant", name="zoom")], name=name)


def residual_block(x, filters, name, downsample=False, residual=True):
    """Two 3x3 convolutions plus the identity path: relu(x + F(x)); with ``residual=False`` the plain block relu(F(x)).

    With ``downsample`` the first convolution has stride 2 and the identity path
    becomes a 1x1 convolution with stride 2, so both paths have the same shape.
    """
    integer("filters", filters, 1)
    L = keras.layers
    stride = 2 if downsample else 1
    y = L.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False, name=f"{name}_conv1")(x)
    y = L.BatchNormalization(name=f"{name}_bn1")(y)
    y = L.Activation("relu", name=f"{name}_relu1")(y)
    y = L.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv2")(y)
    y = L.BatchNormalization(name=f"{name}_bn2")(y)
    if not residual:
        return L.Activation("relu", name=f"{name}_out")(y)
    shortcut = x
    if downsample or x.shape[-1] != filters:
        shortcut = L.Conv2D(filters, 1, strides=stride, use_bias=False, name=f"{name}_project")(x)
        shortcut = L.BatchNormalization(name=f"{name}_project_bn")(shortcut)
    return L.Activation("relu", name=f"{name}_out")(L.Add(name=f"{name}_add")([shortcut, y]))


def resnet(widths=(32, 64), blocks_per_stage=2, augment=True, name="mnist_resnet", residual=True):
    """A small ResNet for (N, 28, 28, 1): [augmentation] -> stem conv + 2x2 max-pool (14x14) -> residual stages
    (the first block of each later stage halves the size: 7x7) -> global average pooling -> Dense(10, softmax).
    Built with the functional API. ``residual=False`` drops every identity path: the plain network of the same depth
    and layers (minus the 1x1 projections of the downsampling blocks)."""
    if isinstance(widths, (str, bytes)) or not hasattr(widths, "__len__") or len(widths) == 0:
        raise ValueError(_("widths must be a non-empty sequence of filter counts, one per stage, e.g. (32, 64); got "
                           "{widths}.").format(widths=repr(widths)))
    for w in widths:
        integer("each of widths", w, 1)
    integer("blocks_per_stage", blocks_per_stage, 1)
    L = keras.layers
    inputs = keras.Input(shape=(28, 28, 1), name="image")
    x = ScaledPixels(name="pixels")(inputs)
    x = augmentation()(x) if augment else x
    x = L.Conv2D(widths[0], 3, padding="same", use_bias=False, name="stem_conv")(x)
    x = L.Activation("relu", name="stem_relu")(L.BatchNormalization(name="stem_bn")(x))
    x = L.MaxPooling2D(2, name="stem_pool")(x)                      # 28x28 -> 14x14: 4x less work per block
    for s, filters in enumerate(widths, start=1):
        for b in range(1, blocks_per_stage + 1):
            x = residual_block(x, filters, name=f"stage{s}_block{b}", downsample=(s > 1 and b == 1),
                               residual=residual)
    x = L.GlobalAveragePooling2D(name="gap")(x)
    outputs = L.Dense(10, activation="softmax", name="softmax")(x)
    return keras.Model(inputs, outputs, name=name)


def check_images(model, x, name="x"):
    """``x`` as images ``model`` can read: finite numbers scaled to [0, 1] (not raw 0-255 pixels), at least one,
    shaped ``(N,) + model.input_shape[1:]``; otherwise an error saying how to prepare them."""
    x = finite(name, pixels(name, numbers_array(name, x)))
    return not_empty(name, image_batch(name, x, model.input_shape[1:]), N_("image"))


def feature_maps(model, layer_name, x):
    """Outputs of the layer ``layer_name`` for inputs x (a batch the model reads): (N, H, W, channels)."""
    x = check_images(model, x)
    probe = keras.Model(model.inputs, model.get_layer(layer_name).output)
    return probe.predict(x, verbose=0)


class BestCheckpoint(keras.callbacks.Callback):
    """Save the model (atomically, .keras) whenever ``monitor`` improves; remembers the best epoch (from 1).

    mode: "max" (accuracies, the default) or "min" (losses): which direction is an improvement.
    """

    def __init__(self, path, monitor="val_sparse_categorical_accuracy", mode="max"):
        super().__init__()
        if mode not in ("max", "min"):
            raise ValueError(_("mode must be 'max' (for accuracies) or 'min' (for losses), got {mode}.").format(
                mode=repr(mode)))
        if mode == "max" and "loss" in str(monitor):
            raise ValueError(_("monitor {monitor} is a loss, which improves by going down: pass mode='min'.").format(
                monitor=repr(monitor)))
        self.path, self.monitor, self.mode = _keras_path(path), monitor, mode
        self.best, self.best_epoch = (-np.inf if mode == "max" else np.inf), None

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None:
            raise KeyError(f"BestCheckpoint monitors {self.monitor!r}, but the logs hold {sorted(logs or {})}.")
        if (value > self.best) if self.mode == "max" else (value < self.best):
            self.best, self.best_epoch = value, epoch + 1
            save_model(self.model, self.path)

    def resume_from(self, history):
        """Take up the best value and epoch of the epochs in ``history`` (a dict of per-epoch lists), as after a
        resumed fit (``fit_resumable``): a later epoch then replaces the saved model only if it is better."""
        values = history.get(self.monitor, [])
        if values:
            best = int(np.argmax(values) if self.mode == "max" else np.argmin(values))
            self.best, self.best_epoch = values[best], best + 1


class ShuffledBatches(keras.utils.PyDataset):
    """The mini-batches of (x, y) for epochs ``first_epoch`` .. ``epochs - 1`` one after the other, each epoch in an
    order drawn from (seed, epoch) alone: a fit resumed at any epoch sees the very batches of a fit that never
    stopped (Keras's own shuffling restarts with the process). Pass ``steps_per_epoch=batches.per_epoch`` and
    ``shuffle=False`` to ``fit``. x: (N, ...), y: (N, ...); the last batch of an epoch may be smaller."""

    def __init__(self, x, y, batch_size, seed=0, first_epoch=0, epochs=1):
        super().__init__()
        if len(x) != len(y):
            raise ValueError(_("x has {n_x} rows but y has {n_y}: they must match.").format(n_x=len(x), n_y=len(y)))
        integer("batch_size", batch_size, 1)
        integer("seed", seed, 0)
        integer("first_epoch", first_epoch, 0)
        integer("epochs", epochs, first_epoch + 1)
        self.x, self.y, self.batch_size, self.seed = x, y, batch_size, seed
        self.first_epoch, self.epochs, self._order = first_epoch, epochs, (None, None)
        self.per_epoch = -(-len(x) // batch_size)

    def order(self, epoch):
        """The permutation of the N examples for ``epoch``."""
        if self._order[0] != epoch:
            self._order = (epoch, np.random.default_rng([self.seed, epoch]).permutation(len(self.x)))
        return self._order[1]

    def __len__(self):
        return (self.epochs - self.first_epoch) * self.per_epoch

    def __getitem__(self, i):
        epoch, batch = divmod(i, self.per_epoch)
        idx = np.sort(self.order(self.first_epoch + epoch)[batch * self.batch_size:(batch + 1) * self.batch_size])
        return self.x[idx], self.y[idx]     # sorted indices: faster gathers, same batch


class _TrainingState(keras.callbacks.Callback):
    """Saves weights, optimiser state and random-generator states after each epoch (see ``fit_resumable``)."""

    def __init__(self, directory, settings, history):
        super().__init__()
        self.directory, self.settings, self.history = Path(directory), settings, history

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))
        weights = f"epoch-{epoch + 1}.weights.h5"
        with atomic_write(self.directory / weights) as tmp:
            self.model.save_weights(str(tmp))
        meta = {"epoch": epoch + 1, "weights": weights, "settings": self.settings, "history": self.history,
                "seed_states": [np.asarray(v).tolist() for v in _seed_states(self.model)]}
        with atomic_write(self.directory / "state.json") as tmp:
            tmp.write_text(json.dumps(meta), encoding="utf-8")
        for old in self.directory.glob("epoch-*.weights.h5"):     # only after state.json points to the new file
            if old.name != weights:
                old.unlink()


def _seed_states(model):
    """The state variables of the model's random generators (dropout, augmentation): variables that are not weights."""
    weights = {id(w) for w in model.weights}
    return [v for v in model.variables if id(v) not in weights]


def fit_resumable(model, x, y, epochs, directory, batch_size=32, seed=0, validation_data=None, callbacks=(),
                  verbose=0):
    """``model.fit`` that survives a dead kernel: after every epoch the weights, the optimiser's state and the
    random generators' states go to ``directory``; called again (after a restart, with the model built and compiled
    the same way) it resumes after the last saved epoch and ends with the same weights as a run that never stopped.

    x, y: training data, shuffled per epoch by ``ShuffledBatches`` (from ``seed`` and the epoch). A ``BestCheckpoint``
    among ``callbacks`` takes up the best epoch saved so far. Returns the History of all epochs, the saved ones
    included. A finished run returns its history without training; delete ``directory`` to train from scratch.
    """
    if not isinstance(model, keras.Model) or model.optimizer is None:
        raise TypeError(_("model must be a compiled keras.Model (e.g. kerastools.compile_classifier(...))."))
    integer("epochs", epochs, 1)
    directory = Path(directory)
    settings = {"model": model.name, "parameters": int(model.count_params()), "epochs": epochs,
                "batch_size": batch_size, "seed": seed, "train_size": len(x)}
    if not model.built:
        model.build((None, *np.shape(x)[1:]))
    state_file, history, start = directory / "state.json", {}, 0
    if state_file.is_file():
        meta = json.loads(state_file.read_text(encoding="utf-8"))
        if meta["settings"] != settings:
            raise ValueError(_("{directory} holds the training state of another run ({meta}, now {settings}): delete "
                               "it, or pass another directory, to train with these settings.").format(
                directory=directory, meta=meta["settings"], settings=settings))
        if not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)
        model.load_weights(directory / meta["weights"])
        for variable, value in zip(_seed_states(model), meta["seed_states"], strict=True):
            variable.assign(np.asarray(value, dtype=variable.dtype))
        history, start = meta["history"], meta["epoch"]
        for callback in callbacks:
            if isinstance(callback, BestCheckpoint):
                callback.resume_from(history)
    directory.mkdir(parents=True, exist_ok=True)
    result = keras.callbacks.History()
    if start < epochs:
        batches = ShuffledBatches(x, y, batch_size, seed, first_epoch=start, epochs=epochs)
        result = model.fit(batches, epochs=epochs, initial_epoch=start, steps_per_epoch=batches.per_epoch,
                           shuffle=False, validation_data=validation_data, verbose=verbose,
                           callbacks=[*callbacks, _TrainingState(directory, settings, history)])
    result.history, result.epoch = history, list(range(len(next(iter(history.values()), []))))
    return result
