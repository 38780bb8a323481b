"""Exercise checkers and quick check of notebook 13 (draw your own digit, the leaderboard)."""

import numpy as np

from .. import models
from ._legacy import NOT_ANSWERED, Feedback, Question, call, changed_inputs, unanswered, wrong

__all__ = ["check_top3", "check_bounding_box"]


def _random_probs(rng):
    """(10,) distinct probabilities summing to 1."""
    p = rng.random(10) + np.linspace(0, 1e-3, 10)[rng.permutation(10)]
    return p / p.sum()


def _as_pairs(out):
    """The learner's output as a list of (int, float) pairs, or None when it has another form."""
    try:
        pairs = [(int(d), float(p)) for d, p in out]
    except (TypeError, ValueError):
        return None
    if any(not float(d).is_integer() for d, _ in out):
        return None
    return pairs


def check_top3(fn):
    """``fn(probs)``: probs (10,) probabilities -> the three most probable digits with their probabilities,
    most probable first, as a list of (digit, probability) pairs (what ``models.top3`` returns)."""
    if unanswered(fn):
        return NOT_ANSWERED
    rng = np.random.default_rng(13)
    for case in range(5):
        probs = _random_probs(rng).astype(np.float32 if case % 2 else np.float64)
        before = {"probs": probs.copy()}
        out, err = call(fn, probs, allow_none=True)
        if err is not None:
            return err
        if out is None:
            return NOT_ANSWERED  # the skeleton's body is still `...`
        if changed_inputs(before, {"probs": probs}):
            return wrong("top3-inplace", "top3 changed probs in place (did you sort it?); leave its input as it is.",
                         "work on the indices that np.argsort returns, not on a sorted probs.")
        expected = models.top3(before["probs"])
        order = list(np.argsort(before["probs"]))
        if not isinstance(out, (list, tuple)) or len(out) != 3:
            return wrong("top3-form", f"return a list of three (digit, probability) pairs; got {out!r}.",
                         "build it from the digits: [(digit, probs[digit]) for each of the three].")
        pairs = _as_pairs(out)
        if pairs is None:
            if all(np.ndim(v) == 0 for v in out) and [int(v) for v in out] == [d for d, _ in expected]:
                return wrong("top3-digits-only", "right digits in the right order, but each entry must be a "
                             "(digit, probability) pair.", "pair each digit with probs[digit].")
            return wrong("top3-form", f"each entry must be a (digit, probability) pair; got {out!r}.",
                         "build it from the digits: [(digit, probs[digit]) for each of the three].")
        digits, best = [d for d, _ in pairs], [d for d, _ in expected]
        if digits != best:
            if digits == best[::-1]:
                return wrong("top3-ascending", "right three digits, but the least probable of them comes first: "
                             "most probable first.", "np.argsort sorts ascending; reverse it.")
            if digits == [int(d) for d in order[:3]]:
                return wrong("top3-least", "those are the three LEAST probable digits.",
                             "np.argsort sorts ascending: the most probable digits are at its end.")
            if digits == sorted(best):
                return wrong("top3-by-digit", "right three digits, but ordered by digit, not by probability.",
                             "keep the order in which argsort (reversed) gives them.")
            return wrong("top3-digits", f"for probs={np.round(before['probs'], 3).tolist()} your digits are "
                         f"{digits}, expected the three most probable.",
                         "the digit is the index into probs: sort the indices by their probability.")
        for (d, p), (_, q) in zip(pairs, expected):
            if not np.isclose(p, q, rtol=1e-6, atol=1e-9):
                hint = " It looks like the rank, not probs[digit]." if p in (0.0, 1.0, 2.0) else ""
                return wrong("top3-prob", f"digit {d} comes with {p:.6g}, but its probability is {q:.6g}.{hint}",
                             "the probability of digit d is probs[d].")
    return Feedback(True, "argsort, reversed, first three; each digit paired with its probability.")


def _ink_image(rng):
    """A random (H, W) image with ink (> 0) inside a random box; returns (image, (top, bottom, left, right))."""
    h, w = rng.integers(6, 30, size=2)
    top, left = rng.integers(0, h - 2), rng.integers(0, w - 2)
    bottom, right = rng.integers(top + 1, h), rng.integers(left + 1, w)
    image = np.zeros((h, w))
    box = image[top:bottom + 1, left:right + 1]
    box[...] = rng.random(box.shape) * (rng.random(box.shape) < 0.3)
    box[0, rng.integers(box.shape[1])] = box[-1, rng.integers(box.shape[1])] = 0.5 + rng.random() / 2
    box[rng.integers(box.shape[0]), 0] = box[rng.integers(box.shape[0]), -1] = 0.5 + rng.random() / 2
    return image, (int(top), int(bottom), int(left), int(right))


def check_bounding_box(fn):
    """``fn(image)``: image (H, W), ink > 0 -> (top, bottom, left, right), the first and last (inclusive) rows
    and columns that hold any ink."""
    if unanswered(fn):
        return NOT_ANSWERED
    rng = np.random.default_rng(28)
    for _ in range(6):
        image, expected = _ink_image(rng)
        before = {"image": image.copy()}
        out, err = call(fn, image, allow_none=True)
        if err is not None:
            return err
        if out is None:
            return NOT_ANSWERED  # the skeleton's body is still `...`
        if changed_inputs(before, {"image": image}):
            return wrong("box-inplace", "bounding_box changed the image in place; only read it.")
        try:
            got = tuple(int(v) for v in out)
        except (TypeError, ValueError):
            return wrong("box-form", f"return four integers (top, bottom, left, right); got {out!r}.")
        if len(got) != 4:
            return wrong("box-form", f"return four integers (top, bottom, left, right); got {len(got)} values.")
        top, bottom, left, right = expected
        if got == (top, bottom + 1, left, right + 1):
            return wrong("box-exclusive", "bottom and right are one past the last inked row and column: they "
                         "must be inclusive (the last row/column WITH ink).",
                         "the last inked row is the last entry of the list of inked rows.")
        if got == (left, right, top, bottom) and (left, right) != (top, bottom):
            return wrong("box-swapped", "rows and columns are swapped: (top, bottom) are rows, (left, right) "
                         "are columns.", "a row holds ink when image.max(axis=1) > 0 for it.")
        if got != expected:
            names = ("top", "bottom", "left", "right")
            first = next(i for i in range(4) if got[i] != expected[i])
            return wrong("box-value", f"for an image of shape {image.shape} your {names[first]} is {got[first]}, "
                         f"expected {expected[first]}.",
                         "list the rows that hold any ink (np.flatnonzero of a per-row maximum > 0); "
                         "the first and the last of them are top and bottom.")
    return Feedback(True, "the first step of MNIST's preprocessing: crop to the bounding box.")


QUIZ = [
    Question("MNIST fits each digit's bounding box into a square before centring it in the 28x28 frame. "
             "How many pixels long is the longest side of a digit after that step?", 20,
             "20: the digit is scaled (aspect ratio kept) so its longest side is 20 pixels, leaving a 4-pixel "
             "margin on each side of the 28x28 frame on average."),
    Question("draw.preprocess places the scaled digit so that its centre of mass sits at the centre of the frame. "
             "Why not centre its bounding box instead?", 0,
             "The networks learnt from MNIST's digits, which were centred by their centre of mass: a new digit "
             "must be prepared the same way to look like the training data.",
             options=["MNIST's digits were centred that way, so the networks expect it",
                      "the centre of mass is faster to compute than a bounding box",
                      "a bounding box cannot be computed for thin strokes"]),
    Question("A model with 99.5% test accuracy misreads your drawn 7. What is the most likely reason?", 1,
             "Test accuracy measures digits drawn and prepared like MNIST's. A mouse drawing differs (stroke width, "
             "shape, style): that is a shift of the data distribution, not a flaw of the test.",
             options=["the model overfitted the test set",
                      "your drawing differs from MNIST's digits in ways the model never saw",
                      "the softmax of the last layer is wrong"]),
]
