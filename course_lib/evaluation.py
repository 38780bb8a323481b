"""Evaluating a classifier beyond one accuracy number: confusion matrix, per-class accuracy, the most
confused pairs (introduced in notebook 06, used again in notebook 11).

Everything takes integer labels and predictions (N,) in 0..num_classes-1, so it works for NumPy and Keras
models alike (for Keras: ``predictions = model.predict(x).argmax(axis=1)``).
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

from .checks import integer, text
from .plots import _as_images, _labels


def _confusion(cm):
    """``cm`` as a square (C, C) array of finite non-negative counts, C >= 1, or a ValueError saying what to pass."""
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.size == 0:
        raise ValueError(f"cm must be a square confusion matrix (C, C) with C >= 1, got shape {cm.shape}: "
                         "pass evaluation.confusion_matrix(labels, predictions).")
    if not np.issubdtype(cm.dtype, np.number) or not np.all(np.isfinite(cm)) or cm.min() < 0:
        raise ValueError(f"cm must hold counts: finite, non-negative numbers (got dtype {cm.dtype}); "
                         "pass evaluation.confusion_matrix(labels, predictions).")
    return cm


def confusion_matrix(labels, predictions, num_classes=10):
    """Count how often each true class is predicted as each class.

    labels:      (N,) true classes.
    predictions: (N,) predicted classes.
    Returns: cm (num_classes, num_classes) int64, ``cm[i, j]`` = number of digits of class i predicted as j.
    The diagonal holds the right answers; ``cm.sum() == N``.
    """
    integer("num_classes", num_classes, 1)
    labels = _labels("labels", labels, num_classes)
    predictions = _labels("predictions", predictions, num_classes)
    if labels.shape != predictions.shape:
        raise ValueError(f"labels {labels.shape} and predictions {predictions.shape} must have the same length.")
    cm = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(cm, (labels, predictions), 1)
    return cm


def per_class_accuracy(cm):
    """Fraction of each true class predicted right: ``diag(cm) / row sums`` (nan for a class with no digits).

    cm: (C, C) confusion matrix. Returns: (C,) float64.
    """
    cm = _confusion(cm)
    rows = cm.sum(axis=1).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(rows > 0, np.diag(cm) / rows, np.nan)


def most_confused(cm, k=5):
    """The ``k`` most frequent mistakes as ``[(true, predicted, count), ...]``, largest count first.

    Only off-diagonal cells with a count above zero are listed; ties keep the order (true, predicted).
    """
    cm = _confusion(cm)
    integer("k", k, 1)
    off = cm.copy()
    np.fill_diagonal(off, 0)
    order = np.argsort(-off, axis=None, kind="stable")[:k]
    pairs = [(int(i), int(j), int(off[i, j])) for i, j in zip(*np.unravel_index(order, off.shape), strict=True)]
    return [p for p in pairs if p[2] > 0]


def plot_confusion(cm, title="Confusion matrix"):
    """Heat map of ``cm`` with counts in every cell, per-class accuracy on the right, and a colour bar.

    The colour scale is logarithmic so the few mistakes stay visible beside the large diagonal.
    """
    cm = _confusion(cm)
    text("title", title)
    acc = per_class_accuracy(cm)
    n = cm.shape[0]
    fig, ax = plt.subplots(figsize=(7.5, 6.2))
    image = ax.imshow(np.maximum(cm, 0.5), cmap="Blues", norm=LogNorm(vmin=0.5, vmax=max(cm.max(), 1)))
    for i in range(n):
        for j in range(n):
            if cm[i, j]:
                ax.text(j, i, str(cm[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if i == j else "black")
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_yticklabels([f"{i}  ({100 * a:.1f}%)" for i, a in enumerate(acc)])
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class  (per-class accuracy)")
    ax.set_title(title)
    fig.colorbar(image, ax=ax, label="number of digits (log scale)", shrink=0.85)
    fig.tight_layout()
    return fig


def confused_examples(images, labels, predictions, pairs, per_pair=6):
    """Show, for each ``(true, predicted, count)`` in ``pairs``, up to ``per_pair`` digits of that mistake.

    images: N digits, (N, 784) or (N, 28, 28) or channel layouts; labels, predictions: (N,).
    One row per pair, titled "true 4 -> predicted 9 (count)".
    """
    images = _as_images(images)
    labels, predictions = _labels("labels", labels), _labels("predictions", predictions)
    if not len(labels) == len(predictions) == len(images):
        raise ValueError(f"images, labels and predictions must have one entry per digit, got {len(images)}, "
                         f"{len(labels)} and {len(predictions)}.")
    if pairs is None or len(pairs) == 0:
        raise ValueError("pairs is empty: there is no mistake to show (is the model perfect on this data?).")
    integer("per_pair", per_pair, 1)
    for pair in pairs:
        if (np.shape(pair) != (3,) or not all(isinstance(v, (int, np.integer)) for v in pair)
                or not (0 <= pair[0] < 10 and 0 <= pair[1] < 10) or pair[0] == pair[1]):
            raise ValueError(f"pairs must be (true, predicted, count) triples of different classes 0-9, as from "
                             f"evaluation.most_confused(cm); got {pair!r}.")
        if not np.any((labels == pair[0]) & (predictions == pair[1])):
            raise ValueError(f"pair {tuple(pair)!r}: no digit of class {pair[0]} is predicted as {pair[1]} in these "
                             "labels and predictions; take pairs from the confusion matrix of the same data.")
    fig, axes = plt.subplots(len(pairs), per_pair, figsize=(1.1 * per_pair + 1.6, 1.25 * len(pairs)),
                             squeeze=False)
    for row, (true, pred, count) in enumerate(pairs):
        idx = np.flatnonzero((labels == true) & (predictions == pred))[:per_pair]
        for col, ax in enumerate(axes[row]):
            ax.set_xticks([])
            ax.set_yticks([])
            for side in ax.spines.values():
                side.set_visible(False)
            if col < len(idx):
                ax.imshow(images[idx[col]], cmap="gray_r")
        axes[row, 0].set_ylabel(f"{true} → {pred}\n({count}×)", rotation=0, ha="right", va="center", fontsize=10)
    fig.suptitle("Most frequent mistakes (true → predicted)", y=1.0)
    fig.tight_layout()
    return fig
