"""Exercise checkers and quick check of notebook 10 (the deep ConvNet in NumPy)."""

import numpy as np

from ._legacy import NOT_ANSWERED, Feedback, Question, unanswered, wrong

__all__ = ["check_fan_ins"]

QUIZ = [
    Question("The book's network applies dropout (p = 0.5) to the ten output scores during training. What does "
             "that do to the training accuracy measured with dropout switched on?",
             answer=2,
             options=["nothing: dropout only changes the weights",
                      "it raises it, because dropout regularises",
                      "it lowers it a lot, because half of the ten scores are zeroed and the argmax often moves",
                      "it makes it exactly equal to the test accuracy"],
             why="with half the scores dropped at random the predicted class is often wrong during training; at "
                 "inference dropout is off and the same network is right over 99% of the time."),
    Question("A 3x3 convolution with 32 input channels and 64 filters: how many weights and biases does it have?",
             answer=64 * (32 * 3 * 3 + 1),
             why="each of the 64 filters has 32 x 3 x 3 = 288 weights and one bias: 64 x 289 = 18,496."),
    Question("He initialisation draws weights with standard deviation sqrt(2 / fan_in). What is the fan-in of a "
             "unit of the first affine layer, which reads the 64 x 4 x 4 pooled feature maps?",
             answer=64 * 4 * 4,
             why="it reads every one of the 1,024 flattened features."),
]

EXPECTED = [1 * 9, 16 * 9, 16 * 9, 32 * 9, 32 * 9, 64 * 9, 64 * 4 * 4, 50]


def check_fan_ins(answer):
    """The fan-in (inputs per unit) of each of the deep ConvNet's 8 weight layers, for He initialisation."""
    if unanswered(answer):
        return NOT_ANSWERED
    if not isinstance(answer, (list, tuple, np.ndarray)) or len(answer) != 8:
        return Feedback(False, "give a list of 8 numbers: six convolutions and two affine layers, in order.")
    try:
        values = [float(a) for a in answer]
    except (TypeError, ValueError):
        return Feedback(False, f"every entry must be a number, got {list(answer)!r}.")
    if values == EXPECTED:
        return Feedback(True, "He's std for each layer is sqrt(2 / fan_in) with these fan-ins.")
    if values[:6] == [1, 16, 16, 32, 32, 64]:
        return wrong("fan-in-channels", "the first six are the input channels only.",
                     "a 3x3 filter sees in_channels x 3 x 3 inputs.")
    if values[:6] == [16 * 9, 16 * 9, 32 * 9, 32 * 9, 64 * 9, 64 * 9]:
        return wrong("fan-in-out-channels", "you counted the filters of each layer; the fan-in counts what one unit "
                     "READS.", "use the channels coming IN: 1, 16, 16, 32, 32, 64.")
    if values[:6] == [9.0] * 6:
        return wrong("fan-in-kernel", "9 is one channel's 3x3 window; most layers read several channels.",
                     "multiply by the number of input channels.")
    i = next(i for i, (a, e) in enumerate(zip(values, EXPECTED)) if a != e)
    hint = ("a conv unit sees in_channels x 3 x 3 inputs" if i < 6 else
            "the first affine layer sees the flattened output of the last pooling, 64 channels of 4 x 4" if i == 6
            else "the last affine layer sees the hidden units")
    return wrong(f"fan-in-{i}", f"layer {i + 1} is wrong ({answer[i]}).", hint + ".")
