"""Exercise checkers of notebook 12."""

import numpy as np

from ._legacy import NOT_ANSWERED, Feedback, Question, check_number, unanswered, wrong

__all__ = ["check_residual_weights", "check_rotation_augmentation"]

QUIZ = [
    Question("What does global average pooling compute from a (7, 7, 64) feature map?",
             answer=1,
             options=["a (7, 7) map: the average over the 64 channels",
                      "64 numbers: the average of each channel over its 7 x 7 positions",
                      "3,136 numbers: the feature map flattened"],
             why="one average per channel; the Dense layer after it then needs 64 x 10 + 10 = 650 parameters instead "
                 "of 3,136 x 10 + 10 = 31,370 after Flatten."),
    Question("A residual block computes relu(x + F(x)). If the best the block can do is to pass x on unchanged, what "
             "must its convolutions learn?",
             answer=0,
             options=["F(x) = 0, easy: weights near zero",
                      "the identity, hard: two convolutions must copy x exactly",
                      "nothing: the block is skipped"],
             why="a plain block would have to learn the identity through two convolutions; a residual block only has "
                 "to learn to add nothing."),
    Question("At test time, what does a RandomRotation augmentation layer do to an image?",
             answer=2,
             options=["rotates it by a random angle", "rotates it by the largest angle",
                      "passes it through unchanged"],
             why="augmentation acts only while training (training=True)."),
]


def check_residual_weights(answer, filters):
    """Weights of the two 3x3 convolutions (no biases) of a residual block with ``filters`` channels in and out."""
    expected = 2 * 3 * 3 * filters * filters
    if not unanswered(answer) and answer == expected // 2:
        return Feedback(False, "that is one convolution; a residual block has two.")
    return check_number(answer, expected, "the number of convolution weights",
                        "Each 3x3 convolution has 3 x 3 x in_channels x out_channels weights; the identity path "
                        "has none.")


def check_rotation_augmentation(layer, degrees):
    """A Keras RandomRotation layer rotating by up to ``degrees`` either way (factor = degrees / 360)."""
    if unanswered(layer):
        return NOT_ANSWERED
    if type(layer).__name__ != "RandomRotation":
        return Feedback(False, f"expected a keras.layers.RandomRotation layer, got {type(layer).__name__}.")
    factor = layer.factor if not isinstance(layer.factor, (tuple, list)) else max(abs(f) for f in layer.factor)
    if isinstance(layer.factor, (tuple, list)) and not np.isclose(layer.factor[0], -layer.factor[1], atol=1e-6):
        lo, hi = layer.factor
        return wrong("rotation-one-sided", f"factor ({lo:g}, {hi:g}) rotates between {lo * 360:.1f} and {hi * 360:.1f} "
                     f"degrees: not the same amount either way.", "a single number f means the range (-f, f).")
    if not np.isclose(factor, degrees / 360, atol=1e-6):
        return wrong("rotation-factor", f"factor {factor:g} rotates by up to {factor * 360:.1f} degrees, expected {degrees}: "
                               "RandomRotation's factor is a fraction of a full turn.", "a full turn is 360 degrees.")
    return Feedback(True, f"up to {degrees} degrees either way, only while training.")
