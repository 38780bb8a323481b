"""Exercise checkers of notebook 10."""

import numpy as np

from .core import Feedback, NOT_ANSWERED, unanswered

__all__ = ["check_fan_ins"]


def check_fan_ins(answer):
    """The fan-in (inputs per unit) of each of the deep ConvNet's 8 weight layers, for He initialisation."""
    if unanswered(answer):
        return NOT_ANSWERED
    expected = [1 * 9, 16 * 9, 16 * 9, 32 * 9, 32 * 9, 64 * 9, 64 * 4 * 4, 50]
    answer = [int(a) for a in answer] if isinstance(answer, (list, tuple, np.ndarray)) else answer
    if not isinstance(answer, list) or len(answer) != 8:
        return Feedback(False, "give a list of 8 numbers: six convolutions and two affine layers.")
    if answer[:6] == [1, 16, 16, 32, 32, 64]:
        return Feedback(False, "those are the input channels; a 3x3 filter sees channels * 9 inputs.")
    wrong = [i for i, (a, e) in enumerate(zip(answer, expected)) if a != e]
    if wrong:
        i = wrong[0]
        hint = ("a conv unit sees in_channels * 3 * 3 inputs" if i < 6 else
                "the first affine layer sees the 64 x 4 x 4 flattened features" if i == 6 else
                "the last affine layer sees the 50 hidden units")
        return Feedback(False, f"layer {i + 1} is wrong ({answer[i]}): {hint}.")
    return Feedback(True, "He's std for each layer is sqrt(2 / fan_in) with these fan-ins.")
