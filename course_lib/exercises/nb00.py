"""Exercise checkers of notebook 00."""

import numpy as np

from .core import Feedback, NOT_ANSWERED, unanswered

__all__ = ["check_fraction_of_ones", "check_first_index", "check_mean_image"]


def check_fraction_of_ones(answer, t_train):
    """Fraction of training labels equal to 1."""
    if unanswered(answer):
        return NOT_ANSWERED
    expected = float(np.mean(np.asarray(t_train) == 1))
    if isinstance(answer, (int, np.integer)) and answer == np.sum(np.asarray(t_train) == 1):
        return Feedback(False, f"{answer} is the count of ones; divide by the number of labels ({len(t_train)}).")
    if not np.isscalar(answer) or not np.isfinite(answer):
        return Feedback(False, f"expected one number between 0 and 1, got {answer!r}.")
    if abs(float(answer) - expected * 100) < 1e-6:
        return Feedback(False, "that is a percentage; give the fraction (between 0 and 1).")
    if abs(float(answer) - expected) > 1e-6:
        return Feedback(False, f"{answer} is not it. Compare the labels with 1 (`t_train == 1`) and take the mean.")
    return Feedback(True, f"{expected:.4f} of the training digits are ones, the most common class.")


def check_first_index(answer, labels, digit):
    """Index of the first occurrence of ``digit`` in ``labels``."""
    if unanswered(answer):
        return NOT_ANSWERED
    labels = np.asarray(labels)
    expected = int(np.flatnonzero(labels == digit)[0])
    if not isinstance(answer, (int, np.integer)):
        return Feedback(False, f"expected an integer index, got {type(answer).__name__}.")
    if answer == expected + 1:
        return Feedback(False, "off by one: Python indices start at 0.")
    if answer != expected:
        shown = labels[answer] if 0 <= answer < len(labels) else "nothing (out of range)"
        return Feedback(False, f"labels[{answer}] is {shown}. Try `np.flatnonzero(labels == {digit})[0]`.")
    return Feedback(True, f"the first {digit} sits at index {expected}.")


def check_mean_image(answer, x, labels, digit):
    """Mean image of one class, shaped (28, 28)."""
    if unanswered(answer):
        return NOT_ANSWERED
    answer = np.asarray(answer)
    expected = np.asarray(x)[np.asarray(labels) == digit].reshape(-1, 28, 28).mean(axis=0)
    if answer.shape != (28, 28):
        return Feedback(False, f"expected shape (28, 28), got {answer.shape}. Reshape the 784-vectors to 28x28.")
    if np.allclose(answer, np.asarray(x).reshape(-1, 28, 28).mean(axis=0), atol=1e-5):
        return Feedback(False, f"that is the mean of all digits; select only the {digit}s first.")
    if not np.allclose(answer, expected, atol=1e-5):
        return Feedback(False, f"values differ. Select rows with `labels == {digit}`, then `.mean(axis=0)`.")
    return Feedback(True, f"the average {digit} is a blurry but recognisable {digit}.")
