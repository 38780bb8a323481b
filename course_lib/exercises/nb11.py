"""Exercise checkers of notebook 11."""

import numpy as np

from .core import Feedback, unanswered, check_number

__all__ = ["check_two_conv_params", "check_fixed_errors"]


def check_two_conv_params(answer):
    """Parameters of Nielsen's two-conv network: 520 + 20,040 + 64,100 + 1,010."""
    if not unanswered(answer) and answer == 520 + 288_100 + 1_010:
        return Feedback(False, "that is the one-conv network: the second conv-pool layer shrinks the input of the "
                               "fully connected layer to 40 x 4 x 4 = 640.")
    return check_number(answer, 520 + 40 * (20 * 25 + 1) + 640 * 100 + 100 + 100 * 10 + 10, "the parameter count",
                        "Add conv1 (20 x (1 x 25 + 1)), conv2 (40 x (20 x 25 + 1)), fc (640 x 100 + 100), "
                        "softmax (100 x 10 + 10).")


def check_fixed_errors(answer, labels, pred_one, pred_two):
    """How many test digits the one-conv net gets wrong and the two-conv net gets right."""
    labels, pred_one, pred_two = map(np.asarray, (labels, pred_one, pred_two))
    expected = int(np.sum((pred_one != labels) & (pred_two == labels)))
    if not unanswered(answer) and answer == int(np.sum(pred_one != labels)) - int(np.sum(pred_two != labels)):
        if answer != expected:
            return Feedback(False, "that is the difference of the error counts; some errors are new in the second "
                                   "network. Count digits wrong for the first AND right for the second.")
    fb = check_number(answer, expected, "the number of fixed errors",
                      "Use boolean arrays: (pred_one != labels) & (pred_two == labels), then sum.")
    if fb:
        fb.message = "that many digits are wrong for the first network and right for the second."
    return fb
