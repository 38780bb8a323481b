"""Figures the notebooks share: digit grids, class counts, learning curves.

Every function draws into a new figure, returns it, and leaves showing it to
the notebook (``plt.show()``), so the figures can also be tested headless.
Bad arguments raise a ``TypeError``/``ValueError`` naming the argument, what is wrong and what to pass.
Under ``COURSE_LANG=zh_CN`` importing this module lets every figure draw Chinese text (``use_language_font``);
the other figure modules (``evaluation``, ``kerastools``, ``widgets``) import it for that.
"""

import math
import os
import warnings
from pathlib import Path
from collections.abc import Mapping

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes

from .checks import finite, integer, numbers_array, positive, text

DIGIT_SHAPES = "(N, 784), (N, 28, 28), (N, 1, 28, 28) or (N, 28, 28, 1)"
# The font Chinese figure text falls back to (Debian's fonts-noto-cjk; `make test` installs it as root).
CJK_FONT = "Noto Sans CJK SC"


# Where Debian's fonts-noto-cjk puts it
CJK_FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",)


def _knows_font(family):
    try:
        font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        return True
    except ValueError:
        return False


def use_language_font():
    """Under COURSE_LANG=zh_CN, append CJK_FONT to matplotlib's ``font.family`` (rcParams).

    The current families stay first, so Latin letters and digits keep their font and only the glyphs they lack
    (Chinese) come from the CJK font. Without COURSE_LANG=zh_CN, or when CJK_FONT is already there, nothing changes.
    When matplotlib does not know the font, a ``UserWarning`` says how to install it and nothing changes.
    """
    families = list(plt.rcParams["font.family"])
    if os.environ.get("COURSE_LANG") != "zh_CN" or CJK_FONT in families:
        return
    if not _knows_font(CJK_FONT):
        for path in CJK_FONT_FILES:   # installed after matplotlib cached its font list: add it to this session
            if Path(path).is_file():
                font_manager.fontManager.addfont(path)
    if not _knows_font(CJK_FONT):
        warnings.warn(f"COURSE_LANG=zh_CN, but matplotlib has no font {CJK_FONT!r}: Chinese text in figures will "
                      "show as empty boxes. Install it (Debian/Ubuntu: sudo apt-get install fonts-noto-cjk), delete "
                      f"matplotlib's font cache ({matplotlib.get_cachedir()}/fontlist-*.json) and restart the kernel.",
                      stacklevel=2)
        return
    plt.rcParams["font.family"] = [*families, CJK_FONT]


use_language_font()


def _as_images(images, name="images"):
    """Accept (N, 784), (N, 28, 28), (N, 1, 28, 28) or (N, 28, 28, 1) finite pixels; return (N, 28, 28)."""
    images = numbers_array(name, images, "pixel values (numbers)")
    if images.ndim == 2 and images.shape[1] == 784:
        images = images.reshape(-1, 28, 28)
    elif images.ndim == 3 and images.shape[1:] == (28, 28):
        pass
    elif images.ndim == 4 and images.shape[1:] in ((1, 28, 28), (28, 28, 1)):
        images = images.reshape(-1, 28, 28)
    else:
        raise ValueError(f"{name} must be digits shaped {DIGIT_SHAPES}; got shape {images.shape}. "
                         "Pass a batch of images (one image x as x[None]).")
    return finite(name, images)


def _labels(name, values, num_classes=10):
    """Integer class labels (N,) in 0..num_classes-1, or a ValueError naming ``name``."""
    values = np.asarray(values)
    if values.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of class labels, got shape {values.shape}.")
    if values.size and not np.issubdtype(values.dtype, np.integer):
        raise ValueError(f"{name} must hold integer class labels, got dtype {values.dtype}; "
                         "for probabilities or scores take .argmax(axis=1) first.")
    if values.size and (values.min() < 0 or values.max() >= num_classes):
        raise ValueError(f"{name} must lie in 0..{num_classes - 1}, got values from {values.min()} to {values.max()}.")
    return values


def _grid_size(owner, ncols, size, max_rows=1):
    """Check the grid layout arguments: whole numbers >= 1 and a positive size (inches per cell)."""
    integer(f"{owner}: ncols", ncols, 1)
    integer(f"{owner}: max_rows", max_rows, 1)
    positive("size", size)


def digit_grid(images, labels=None, predictions=None, ncols=10, max_rows=12, size=1.0):
    """Draw digits in a grid.

    images:      N digits in any of the shapes above (at least one).
    labels:      optional (N,) true labels 0-9, written in the top-right corner.
    predictions: optional (N,) predicted labels 0-9, written in red in the bottom-right corner.
    Shows at most ``max_rows * ncols`` digits.
    """
    images = _as_images(images)
    if len(images) == 0:
        raise ValueError("images is empty: pass at least one digit to draw.")
    return _grid("digit_grid", images, labels, predictions, ncols, max_rows, size)


def _grid(owner, images, labels, predictions, ncols, max_rows, size):
    """digit_grid without the non-empty check (misclassified draws an empty grid for a perfect model)."""
    _grid_size(owner, ncols, size, max_rows)
    for name, arr in (("labels", labels), ("predictions", predictions)):
        if arr is not None and len(_labels(name, arr)) != len(images):
            raise ValueError(f"{name} has {len(arr)} entries but images has {len(images)}: pass one per image.")
    n = min(len(images), ncols * max_rows)
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

    images: N digits (shapes as ``digit_grid``); labels, predictions: (N,) integer classes 0-9.
    Returns ``(fig, idx)`` with ``idx`` the indices of all misclassified digits.
    """
    images = _as_images(images)
    labels, predictions = _labels("labels", labels), _labels("predictions", predictions)
    if labels.shape != predictions.shape:
        raise ValueError(f"labels {labels.shape} and predictions {predictions.shape} must have the same shape.")
    if len(labels) != len(images):
        raise ValueError(f"labels has {len(labels)} entries but images has {len(images)}: pass one label and one "
                         "prediction per image.")
    idx = np.flatnonzero(labels != predictions)
    fig = _grid("misclassified", images[idx], labels[idx], predictions[idx], ncols, max_rows, 1.0)
    fig.suptitle(f"{len(idx)} misclassified (true label top right, prediction bottom right)", fontsize=10)
    fig.tight_layout(pad=0.2)
    return fig, idx


def class_counts(labels, title="Images per class"):
    """Bar chart of how many examples each digit 0-9 has. labels: (N,) integers 0-9, N >= 1.

    Returns ``(fig, counts)`` with counts (10,).
    """
    labels = _labels("labels", labels)
    if labels.size == 0:
        raise ValueError("labels is empty: pass the labels of at least one image.")
    text("title", title)
    counts = np.bincount(labels, minlength=10)
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


def _curve(label, values):
    """(x, y) of one named series: y values (x is 1..len) or an (x, y) pair of equal-length sequences."""
    name = f"series[{label!r}]"
    if isinstance(values, tuple) and len(values) == 2 and all(np.ndim(v) == 1 for v in values):
        x, y = values
        x, y = numbers_array(f"{name} x", x), numbers_array(f"{name} y", y)
        if len(x) != len(y):
            raise ValueError(f"{name} is an (x, y) pair of different lengths ({len(x)} and {len(y)}): "
                             "pass one x per y value.")
    else:
        if values is None or isinstance(values, (str, bytes, Mapping)):
            raise TypeError(f"{name} must be a sequence of y values or an (x, y) pair, got {type(values).__name__}.")
        y = numbers_array(name, values)
        if y.ndim != 1:
            raise ValueError(f"{name} must be a 1-D sequence of y values or an (x, y) pair, got shape {y.shape}.")
        x = np.arange(1, len(y) + 1)
    if len(y) == 0:
        raise ValueError(f"{name} is empty: pass at least one value.")
    return x, y


def curves(series, xlabel="epoch", ylabel="", title="", ax=None, marks=None):
    """Plot named sequences on one axes, with a legend.

    series: dict name -> sequence of y values (x is 1..len) or (x, y) pair of equal-length sequences;
            a NaN value (a diverged run) leaves a gap in its line.
    marks:  optional dict label -> (x, y) points to mark with a dot and a note.
    ax:     optional matplotlib Axes to draw on (a new figure otherwise).
    """
    if not isinstance(series, Mapping):
        raise TypeError(f"series must be a dict name -> values, got {type(series).__name__}: "
                        "e.g. curves({'train': train_acc, 'validation': val_acc}).")
    if not series:
        raise ValueError("series is empty: pass at least one named sequence, e.g. {'train': train_acc}.")
    lines = [(label, *_curve(label, values)) for label, values in series.items()]
    if not isinstance(marks, (Mapping, type(None))):
        raise TypeError(f"marks must be a dict label -> (x, y), got {type(marks).__name__}.")
    for label, point in (marks or {}).items():
        if np.shape(point) != (2,) or not np.all(np.isfinite(numbers_array(f"marks[{label!r}]", point))):
            raise ValueError(f"marks[{label!r}] must be one (x, y) point of finite numbers, got {point!r}.")
    for name, value in (("xlabel", xlabel), ("ylabel", ylabel), ("title", title)):
        text(name, value)
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes (e.g. from plt.subplots()) or None, got {type(ax).__name__}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for label, x, y in lines:
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
    """Any stack of 2-D images (N, H, W) in a grid, e.g. learned filters or feature maps.

    titles: optional N texts, one above each image.
    """
    images = finite("images", numbers_array("images", images))
    if images.ndim != 3 or 0 in images.shape:
        raise ValueError(f"images must be a non-empty stack of 2-D images (N, H, W), got shape {images.shape}; "
                         "one image x goes in as x[None].")
    if titles is not None and (isinstance(titles, str) or not hasattr(titles, "__len__")
                               or len(titles) != len(images)):
        raise ValueError(f"titles must be one text per image ({len(images)}), got {titles!r}.")
    _grid_size("image_grid", ncols, size)
    text("suptitle", suptitle)
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
