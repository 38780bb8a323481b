"""Figures the notebooks share: digit grids, class counts, learning curves.

Every function draws into a new figure, returns it, and leaves showing it to
the notebook (``plt.show()``), so the figures can also be tested headless.
"""

import math

import matplotlib.pyplot as plt
import numpy as np


def _as_images(images):
    """Accept (N, 784), (N, 28, 28), (N, 1, 28, 28) or (N, 28, 28, 1); return (N, 28, 28)."""
    images = np.asarray(images)
    if images.ndim == 2 and images.shape[1] == 784:
        return images.reshape(-1, 28, 28)
    if images.ndim == 3:
        return images
    if images.ndim == 4 and images.shape[1:] in ((1, 28, 28), (28, 28, 1)):
        return images.reshape(-1, 28, 28)
    raise ValueError(
        f"Expected digits shaped (N, 784), (N, 28, 28), (N, 1, 28, 28) or (N, 28, 28, 1); got {images.shape}."
    )


def digit_grid(images, labels=None, predictions=None, ncols=10, max_rows=12, size=1.0):
    """Draw digits in a grid.

    images:      N digits in any of the shapes above.
    labels:      optional (N,) true labels, written in the top-right corner.
    predictions: optional (N,) predicted labels, written in red in the bottom-right corner.
    Shows at most ``max_rows * ncols`` digits.
    """
    images = _as_images(images)
    n = min(len(images), ncols * max_rows)
    for name, arr in (("labels", labels), ("predictions", predictions)):
        if arr is not None and len(arr) < n:
            raise ValueError(f"{name} has {len(arr)} entries but {n} digits are drawn.")
    nrows = max(1, math.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * size, nrows * size), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i >= n:
            continue
        ax.imshow(images[i], cmap="gray_r", vmin=0, vmax=images.max() or 1)
        if labels is not None:
            ax.text(0.98, 0.98, str(int(labels[i])), transform=ax.transAxes, ha="right", va="top",
                    fontsize=9, color="tab:blue")
        if predictions is not None:
            ax.text(0.98, 0.02, str(int(predictions[i])), transform=ax.transAxes, ha="right", va="bottom",
                    fontsize=9, color="tab:red")
    fig.tight_layout(pad=0.2)
    return fig


def misclassified(images, labels, predictions, ncols=10, max_rows=12):
    """Grid of the digits where ``predictions != labels`` (true label top right, prediction bottom right).

    Returns ``(fig, idx)`` with ``idx`` the indices of all misclassified digits.
    """
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    if labels.shape != predictions.shape:
        raise ValueError(f"labels {labels.shape} and predictions {predictions.shape} must have the same shape.")
    idx = np.flatnonzero(labels != predictions)
    fig = digit_grid(np.asarray(images)[idx], labels[idx], predictions[idx], ncols=ncols, max_rows=max_rows)
    fig.suptitle(f"{len(idx)} misclassified (true label top right, prediction bottom right)", fontsize=10)
    fig.tight_layout(pad=0.2)
    return fig, idx


def class_counts(labels, title="Images per class"):
    """Bar chart of how many examples each digit 0-9 has. Returns ``(fig, counts)``."""
    counts = np.bincount(np.asarray(labels), minlength=10)
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.bar(range(10), counts, color="tab:blue")
    ax.set_xticks(range(10))
    ax.set_xlabel("digit")
    ax.set_ylabel("count")
    ax.set_title(title)
    for d, c in enumerate(counts):
        ax.text(d, c, f"{c}", ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, counts.max() * 1.12)
    fig.tight_layout()
    return fig, counts


def curves(series, xlabel="epoch", ylabel="", title="", ax=None, marks=None):
    """Plot named sequences on one axes.

    series: dict name -> sequence of y values (x is 1..len) or (x, y) pair.
    marks:  optional dict label -> (x, y) points to mark with a dot and a note.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for label, values in series.items():
        if isinstance(values, tuple) and len(values) == 2:
            x, y = values
        else:
            y = values
            x = np.arange(1, len(y) + 1)
        ax.plot(x, y, label=label)
    for label, (x, y) in (marks or {}).items():
        ax.plot([x], [y], "o", color="black")
        ax.annotate(label, (x, y), textcoords="offset points", xytext=(5, 8), fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax.figure


def image_grid(images, titles=None, ncols=10, size=1.0, cmap="gray", suptitle=""):
    """Any stack of 2-D images (N, H, W) in a grid, e.g. learned filters or feature maps."""
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"expected a stack of 2-D images (N, H, W), got shape {images.shape}.")
    nrows = max(1, math.ceil(len(images) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * size, nrows * size * 1.1), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i < len(images):
            ax.imshow(images[i], cmap=cmap)
            if titles is not None:
                ax.set_title(str(titles[i]), fontsize=7)
    if suptitle:
        fig.suptitle(suptitle, fontsize=10)
    fig.tight_layout(pad=0.2)
    return fig
