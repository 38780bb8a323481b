"""Evaluating a classifier beyond one accuracy number: confusion matrix, per-class accuracy, the most
confused pairs (introduced in notebook 06, used again in notebook 11).

Everything takes integer labels and predictions (N,) in 0..num_classes-1, so it works for NumPy and Keras
models alike (for Keras: ``predictions = model.predict(x).argmax(axis=1)``).
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

from .plots import _as_images


def _labels(name, values, num_classes):
    values = np.asarray(values)
    if values.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of class labels, got shape {values.shape}.")
    if values.size and not np.issubdtype(values.dtype, np.integer):
        raise ValueError(f"{name} must hold integer class labels, got dtype {values.dtype}; "
                         "for probabilities or scores take .argmax(axis=1) first.")
    if values.size and (values.min() < 0 or values.max() >= num_classes):
        raise ValueError(f"{name} must lie in 0..{num_classes - 1}, got values from {values.min()} to {values.max()}.")
    return values


def confusion_matrix(labels, predictions, num_classes=10):
    """Count how often each true class is predicted as each class.

    labels:      (N,) true classes.
    predictions: (N,) predicted classes.
    Returns: cm (num_classes, num_classes) int64, ``cm[i, j]`` = number of digits of class i predicted as j.
    The diagonal holds the right answers; ``cm.sum() == N``.
    """
    if not isinstance(num_classes, (int, np.integer)) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive integer, got {num_classes!r}.")
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
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"cm must be a square confusion matrix, got shape {cm.shape}.")
    rows = cm.sum(axis=1).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(rows > 0, np.diag(cm) / rows, np.nan)


def most_confused(cm, k=5):
    """The ``k`` most frequent mistakes as ``[(true, predicted, count), ...]``, largest count first.

    Only off-diagonal cells with a count above zero are listed; ties keep the order (true, predicted).
    """
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"cm must be a square confusion matrix, got shape {cm.shape}.")
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}.")
    off = cm.copy()
    np.fill_diagonal(off, 0)
    order = np.argsort(-off, axis=None, kind="stable")[:k]
    pairs = [(int(i), int(j), int(off[i, j])) for i, j in zip(*np.unravel_index(order, off.shape))]
    return [p for p in pairs if p[2] > 0]


def plot_confusion(cm, title="Confusion matrix"):
    """Heat map of ``cm`` with counts in every cell, per-class accuracy on the right, and a colour bar.

    The colour scale is logarithmic so the few mistakes stay visible beside the large diagonal.
    """
    cm = np.asarray(cm)
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
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    if not pairs:
        raise ValueError("pairs is empty: there is no mistake to show (is the model perfect on this data?).")
    if not isinstance(per_pair, (int, np.integer)) or per_pair < 1:
        raise ValueError(f"per_pair must be a positive integer, got {per_pair!r}.")
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
