"""Evaluating a classifier beyond one accuracy number: confusion matrix, per-class accuracy, the most
confused pairs (introduced in notebook 06, used again in notebook 11).

Everything takes integer labels and predictions (N,) in 0..num_classes-1, so it works for NumPy and Keras
models alike (for Keras: ``predictions = model.predict(x).argmax(axis=1)``).
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

from .checks import finite, integer, numbers_array, text
from .i18n import N_, _
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


# The settings and scores the notebooks compare over seeds, marked for translation: compare_seeds shows them in the
# kernel's language (any other name is shown as given).
COMPARED_NAMES = (N_("best validation accuracy"), N_("final validation loss"), N_("dropout"), N_("no dropout"),
                  N_("L2"), N_("no L2"), N_("one conv"), N_("two conv"))


def compare_seeds(scores_a, scores_b, names, what, percent=True, higher_is_better=True):
    """One sentence comparing a score of two settings A and B trained from the same seeds.

    scores_a, scores_b: (S,) the score of A and of B for each of S >= 1 seeds (e.g. best validation accuracies).
    names: (name of A, name of B); what: the score's name; percent: show the scores as percentages (else 3
    decimals); higher_is_better: False for losses.
    The sentence gives mean ± standard deviation over the seeds of each, then the verdict: a setting leads in every
    seed only if its worst seed beats the other's best seed; otherwise the ranges overlap and these seeds show no
    difference. With one seed it says there is no spread to compare with.
    """
    a, b = (finite(arg, numbers_array(arg, v)) for arg, v in (("scores_a", scores_a), ("scores_b", scores_b)))
    if a.ndim != 1 or a.shape != b.shape or a.size == 0:
        raise ValueError(_("scores_a and scores_b must hold one score per seed, the same seeds for both (two 1-D "
                           "sequences of equal length >= 1), got shapes {a} and {b}.").format(a=a.shape, b=b.shape))
    if isinstance(names, str) or len(names) != 2:
        raise ValueError(_("names must be a pair (name of A, name of B), got {names}.").format(names=repr(names)))
    what, names = _(text("what", what)), [_(text("names", name)) for name in names]
    shown = "{:.2%}".format if percent else "{:.3f}".format
    if a.size == 1:
        return _("{what}: {a} {am} against {b} {bm} from one seed, which has no spread to compare the difference "
                 "with: train from more seeds before concluding.").format(
            what=what, a=names[0], am=shown(a[0]), b=names[1], bm=shown(b[0]))
    lead = _("{a} is ahead in every seed: its worst seed beats the best seed of {b}.")
    if (a.min() > b.max()) if higher_is_better else (a.max() < b.min()):
        verdict = lead.format(a=names[0], b=names[1])
    elif (b.min() > a.max()) if higher_is_better else (b.max() < a.min()):
        verdict = lead.format(a=names[1], b=names[0])
    else:
        verdict = _("the ranges of the seeds overlap, so these {n} seeds do not show that {a} beats {b}.").format(
            n=a.size, a=names[0], b=names[1])
    return _("{what}: {a} {am} ± {asd} against {b} {bm} ± {bsd} (mean ± standard deviation over {n} seeds); "
             "{verdict}").format(what=what, a=names[0], am=shown(a.mean()), asd=shown(a.std()), b=names[1],
                                 bm=shown(b.mean()), bsd=shown(b.std()), n=a.size, verdict=verdict)
