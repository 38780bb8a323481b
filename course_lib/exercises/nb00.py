"""Exercise checkers of notebook 00: first questions answered with NumPy on the MNIST arrays."""

import numpy as np

from ._legacy import NOT_ANSWERED, Feedback, Question, unanswered, wrong

__all__ = ["check_fraction_of_ones", "check_first_index", "check_mean_image"]


def check_fraction_of_ones(answer, t_train):
    """Fraction of training labels equal to 1."""
    if unanswered(answer):
        return NOT_ANSWERED
    t_train = np.asarray(t_train)
    expected = float(np.mean(t_train == 1))
    if isinstance(answer, (bool, np.bool_)) or not np.isscalar(answer) or not np.isfinite(answer):
        return Feedback(False, f"expected one number between 0 and 1, got {answer!r}.")
    if isinstance(answer, (int, np.integer)) and answer == np.sum(t_train == 1):
        return wrong("ones-count", f"{answer} is the count of ones; the fraction divides it by the number of "
                     f"labels ({len(t_train)}).")
    if abs(float(answer) - expected * 100) < 1e-6:
        return wrong("ones-percent", "that is a percentage; give the fraction (between 0 and 1).")
    if abs(float(answer) - expected) > 1e-6:
        return wrong("ones-value", f"{answer} is not it.",
                     "compare the labels with 1 to get True/False per image; the mean of booleans is a fraction.")
    return Feedback(True, f"{expected:.4f} of the training digits are ones, the most common class.")


def check_first_index(answer, labels, digit):
    """Index of the first occurrence of ``digit`` in ``labels``."""
    if unanswered(answer):
        return NOT_ANSWERED
    labels = np.asarray(labels)
    expected = int(np.flatnonzero(labels == digit)[0])
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, np.integer)):
        return Feedback(False, f"expected an integer index, got {type(answer).__name__}.")
    if answer == expected + 1:
        return wrong("index-off-by-one", "off by one: Python indices start at 0.")
    if answer != expected:
        shown = labels[answer] if 0 <= answer < len(labels) else "nothing (out of range)"
        return wrong("index-value", f"labels[{answer}] is {shown}, or it is not the first {digit}.",
                     f"find the positions where the labels equal {digit} (np.flatnonzero or np.argmax on a boolean "
                     "array) and take the first.")
    return Feedback(True, f"the first {digit} sits at index {expected}.")


def check_mean_image(answer, x, labels, digit):
    """Mean image of one class, shaped (28, 28), in the pixel scale of ``x`` (0-255 for the raw images)."""
    if unanswered(answer):
        return NOT_ANSWERED
    try:
        answer = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return Feedback(False, "expected an array of numbers shaped (28, 28).")
    x = np.asarray(x, dtype=np.float64).reshape(len(x), 28, 28)
    labels = np.asarray(labels)
    chosen = x[labels == digit]
    expected = chosen.mean(axis=0)
    if answer.shape != (28, 28):
        if answer.size == 784:
            return wrong("mean-shape", f"expected shape (28, 28), got {answer.shape}: reshape to 28 x 28.")
        if answer.shape == ():
            return wrong("mean-scalar", "you return one number: average over the images (axis 0) only, so that "
                         "every pixel keeps its own mean.")
        return wrong("mean-shape", f"expected shape (28, 28), got {answer.shape}.")
    if np.allclose(answer, expected, atol=1e-4):
        return Feedback(True, f"the average {digit} is a blurry but recognisable {digit}.")
    scale = float(np.sum(answer * expected) / max(np.sum(expected * expected), 1e-12))   # best factor answer / expected
    if np.allclose(answer, expected * scale, rtol=1e-4, atol=1e-6):
        if np.isclose(scale, 1 / 255, rtol=1e-3):
            return wrong("mean-scale", f"right picture, wrong scale: your values are 255 times smaller (0 to 1). "
                         "The exercise asks for the mean in the pixel scale of x_train as loaded here, 0-255.",
                         "do not divide by 255 for this exercise.")
        if np.isclose(scale, 255, rtol=1e-3):
            return wrong("mean-scale", "right picture, wrong scale: your values are 255 times larger than the "
                         "0-255 pixels.")
        if np.isclose(scale, len(chosen), rtol=1e-3):
            return wrong("mean-sum", f"that is the SUM of the {len(chosen)} images, not their mean.",
                         "divide by the number of images, or use .mean(axis=0).")
        return wrong("mean-factor", f"right picture, but every value is {scale:.4g} times the mean: check what "
                     "you divide by.")
    if np.allclose(answer, x.mean(axis=0), atol=1e-4):
        return wrong("mean-all", f"that is the mean of all digits; select only the {digit}s first.",
                     f"a boolean mask labels == {digit} picks the rows of one class.")
    return wrong("mean-values", f"the values differ from the mean image of the {digit}s.",
                 f"select the images whose label is {digit}, then average over the first axis.")


QUIZ = [
    Question("x_train as loaded here has shape (60000, 1, 28, 28). What does the axis of size 1 hold?",
             answer=2,
             options=["the label", "the batch", "the colour channel (one, gray)", "the row of pixels"],
             why="MNIST images have a single gray channel; the layout is (N, C, H, W)."),
    Question("How many pixels does one MNIST image have?",
             answer=784,
             why="28 x 28 = 784, the length of a flattened image."),
    Question("With plt.imshow(image, cmap='gray'), how is a pixel of value 0 drawn?",
             answer=0,
             options=["black", "white", "mid-gray"],
             why="the gray colormap maps the smallest value to black: MNIST digits appear white on black."),
]
