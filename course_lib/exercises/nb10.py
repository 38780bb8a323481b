"""Exercises and quick check of notebook 10 (the deep ConvNet in NumPy); its conv-layer count is notebook 08's
``conv_params``."""

from .core import Question
from .engine import EXACT, Exercise, Mistake

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

_CHANNELS_IN = [1, 16, 16, 32, 32, 64]

FAN_INS = Exercise(
    "fan_ins", lambda: [float(c * 9) for c in _CHANNELS_IN] + [64.0 * 4 * 4, 50.0], lambda: [{}], kind="value",
    tol=EXACT, praise="He's std for each layer is sqrt(2 / fan_in) with these fan-ins.",
    hint="a unit of a conv layer reads every input channel through its window; an affine unit reads every value of "
         "the layer below. The message names the first layer that is off.",
    mistakes=(
        Mistake("fan-in-channels", "the first six are the input channels only.",
                "a filter sees each input channel through its whole window.",
                impl=lambda: [float(c) for c in _CHANNELS_IN] + [1024.0, 50.0]),
        Mistake("fan-in-out-channels", "you counted the filters of each layer; the fan-in counts what one unit READS.",
                "use the channels coming IN to each layer.",
                impl=lambda: [float(c * 9) for c in _CHANNELS_IN[1:] + [64]] + [1024.0, 50.0]),
        Mistake("fan-in-kernel", "9 is one channel's 3x3 window; most layers read several channels.",
                "multiply by the number of input channels.", impl=lambda: [9.0] * 6 + [1024.0, 50.0]),
    ))
