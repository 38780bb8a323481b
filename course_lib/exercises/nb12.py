"""Exercise checkers of notebook 12."""

import numpy as np

from .core import Feedback, NOT_ANSWERED, unanswered, check_number

__all__ = ["check_residual_weights", "check_rotation_augmentation"]


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
    if not np.isclose(factor, degrees / 360, atol=1e-6):
        return Feedback(False, f"factor {factor} rotates by up to {factor * 360:.1f} degrees, expected {degrees}: "
                               "RandomRotation's factor is a fraction of a full turn, so use degrees / 360.")
    return Feedback(True, f"up to {degrees} degrees either way, only while training.")
