"""Exercises and quick check of notebook 12 (a ResNet with augmentation in Keras)."""

from .core import Question
from .engine import EXACT, Exercise, Mistake, Tol

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

RESIDUAL_WEIGHTS = Exercise(
    "residual_weights", lambda filters: float(2 * 3 * 3 * filters * filters), lambda filters: [{"filters": filters}],
    kind="value", tol=EXACT, praise="two 3x3 convolutions; the identity path has no weights.",
    hint="each 3x3 convolution has a weight per window tap, input channel and output channel; the identity path has "
         "none.",
    mistakes=(Mistake("residual-one-conv", "that is one convolution; a residual block has two.",
                      impl=lambda filters: 3 * 3 * filters * filters),))


def _rotation_range(run, layer, case):
    run.require(type(layer).__name__ == "RandomRotation",
                f"expected a keras.layers.RandomRotation layer, got {type(layer).__name__}.")
    factor = layer.factor
    lo, hi = (-factor, factor) if not isinstance(factor, (tuple, list)) else factor
    return {"the rotation range in degrees": (float(lo) * 360, float(hi) * 360)}


def _rotation(factor):
    import keras   # TensorFlow, only when this exercise is checked
    return keras.layers.RandomRotation(factor, fill_mode="constant")


ROTATION_AUGMENTATION = Exercise(
    "rotation_augmentation", lambda degrees: _rotation(degrees / 360), lambda degrees: [{"degrees": degrees}],
    kind="value", protocol=_rotation_range, tol=Tol(0, 1e-3, "a factor given to a few decimals"),
    praise="the same number of degrees either way, only while training.",
    hint="RandomRotation's factor is a fraction of a full turn, and a single number f means the range (-f, f).",
    mistakes=(
        Mistake("rotation-factor", "RandomRotation's factor is a fraction of a FULL turn (360 degrees).",
                impl=lambda degrees: _rotation(degrees / 180)),
        Mistake("rotation-one-sided", "your range does not rotate by the same amount either way.",
                impl=lambda degrees: _rotation((0, degrees / 360))),
    ))
