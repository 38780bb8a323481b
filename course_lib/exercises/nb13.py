"""Exercises and quick check of notebook 13 (draw your own digit, the leaderboard)."""

import numpy as np

from .. import models
from ..i18n import N_
from .core import Question
from .engine import Exercise, Mistake


def _probs_cases(rng):
    cases = []
    for case in range(5):
        p = rng.random(10) + np.linspace(0, 1e-3, 10)[rng.permutation(10)]   # distinct: one right order
        cases.append({"probs": (p / p.sum()).astype(np.float32 if case % 2 else np.float64)})
    return cases


def _top3(order, prob=lambda probs, d: float(probs[d])):
    def top3(probs):
        return [(int(d), prob(probs, d)) for d in order(np.argsort(probs))]
    return top3


TOP3 = Exercise(
    "top3", models.top3, _probs_cases, praise=N_("argsort, reversed, first three; each digit paired with its "
                                                 "probability."),
    hint=N_("the digit is the index into probs: sort the indices by their probability, most probable first, and pair "
         "each with its probability."),
    mistakes=(
        Mistake("top3-digits-only", N_("right digits in the right order, but each entry must be a (digit, probability) "
                "pair."), N_("pair each digit with its probability."),
                impl=lambda probs: [int(d) for d in np.argsort(probs)[::-1][:3]]),
        Mistake("top3-ascending", N_("right three digits, but the least probable of them comes first: most probable "
                "first."), N_("argsort sorts ascending."), impl=_top3(lambda order: order[-3:])),
        Mistake("top3-least", N_("those are the three LEAST probable digits."),
                N_("argsort sorts ascending: the most probable digits are at its end."), impl=_top3(lambda o: o[:3])),
        Mistake("top3-prob", N_("each digit comes with its rank, not its probability."), N_("the probability of digit "
                "d is probs[d]."), impl=_top3(lambda o: o[::-1][:3], prob=lambda probs, d: float(list(
                    np.argsort(probs)[::-1]).index(d)))),
    ))


def _ink_cases(rng):
    """Random (H, W) images with ink (> 0) inside a random box touching all four of its sides."""
    cases = []
    for _ in range(6):
        h, w = rng.integers(6, 30, size=2)
        top, left = rng.integers(0, h - 2), rng.integers(0, w - 2)
        bottom, right = rng.integers(top + 1, h), rng.integers(left + 1, w)
        image = np.zeros((h, w))
        box = image[top:bottom + 1, left:right + 1]
        box[...] = rng.random(box.shape) * (rng.random(box.shape) < 0.3)
        box[0, rng.integers(box.shape[1])] = box[-1, rng.integers(box.shape[1])] = 0.5 + rng.random() / 2
        box[rng.integers(box.shape[0]), 0] = box[rng.integers(box.shape[0]), -1] = 0.5 + rng.random() / 2
        cases.append({"image": image})
    return cases


def _box(image, end=0, swap=False):
    rows, cols = np.flatnonzero(image.max(axis=1) > 0), np.flatnonzero(image.max(axis=0) > 0)
    box = (int(rows[0]), int(rows[-1]) + end, int(cols[0]), int(cols[-1]) + end)
    return box[2:] + box[:2] if swap else box


BOUNDING_BOX = Exercise(
    "bounding_box", _box, _ink_cases, praise=N_("the first step of MNIST's preprocessing: crop to the bounding box."),
    hint=N_("list the rows that hold any ink; the first and the last of them are top and bottom (the same for "
            "columns)."),
    mistakes=(
        Mistake("box-exclusive", N_("bottom and right are one past the last inked row and column: they must be "
                "inclusive (the last row/column WITH ink)."), impl=lambda image: _box(image, end=1)),
        Mistake("box-swapped", N_("rows and columns are swapped: (top, bottom) are rows, (left, right) are columns."),
                impl=lambda image: _box(image, swap=True)),
    ))

QUIZ = [
    Question(N_("MNIST fits each digit's bounding box into a square before centring it in the 28x28 frame. "
             "How many pixels long is the longest side of a digit after that step?"), 20,
             N_("20: the digit is scaled (aspect ratio kept) so its longest side is 20 pixels, leaving a 4-pixel "
             "margin on each side of the 28x28 frame on average.")),
    Question(N_("draw.preprocess places the scaled digit so that its centre of mass sits at the centre of the frame. "
             "Why not centre its bounding box instead?"), 0,
             N_("The networks learnt from MNIST's digits, which were centred by their centre of mass: a new digit "
             "must be prepared the same way to look like the training data."),
             options=[N_("MNIST's digits were centred that way, so the networks expect it"),
                      N_("the centre of mass is faster to compute than a bounding box"),
                      N_("a bounding box cannot be computed for thin strokes")]),
    Question(N_("A model with 99.5% test accuracy misreads your drawn 7. What is the most likely reason?"), 1,
             N_("Test accuracy measures digits drawn and prepared like MNIST's. A mouse drawing differs (stroke width, "
             "shape, style): that is a shift of the data distribution, not a flaw of the test."),
             options=[N_("the model overfitted the test set"),
                      N_("your drawing differs from MNIST's digits in ways the model never saw"),
                      N_("the softmax of the last layer is wrong")]),
]
