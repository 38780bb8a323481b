"""Exercises and quick check of notebook 10 (the deep ConvNet in NumPy, then in Keras); its conv-layer count is
notebook 08's ``conv_params``. The Keras exercise imports TensorFlow only when it is checked."""

from ..i18n import N_, _
from .core import Question
from .engine import EXACT, Exercise, Mistake

QUIZ = [
    Question(N_("The book's network applies dropout (p = 0.5) to the ten output scores during training. What does "
             "that do to the training accuracy measured with dropout switched on?"),
             answer=2,
             options=[N_("nothing: dropout only changes the weights"),
                      N_("it raises it, because dropout regularises"),
                      N_("it lowers it a lot, because half of the ten scores are zeroed and the argmax often moves"),
                      N_("it makes it exactly equal to the test accuracy")],
             why=N_("with half the scores dropped at random the predicted class is often wrong during training; at "
                 "inference dropout is off and the same network is right over 99% of the time.")),
    Question(N_("A 3x3 convolution with 32 input channels and 64 filters: how many weights and biases does it have?"),
             answer=64 * (32 * 3 * 3 + 1),
             why=N_("each of the 64 filters has 32 x 3 x 3 = 288 weights and one bias: 64 x 289 = 18,496.")),
    Question(N_("He initialisation draws weights with standard deviation sqrt(2 / fan_in). What is the fan-in of a "
             "unit of a 5x5 convolution over 20 input channels (the second convolution of Nielsen's network)?"),
             answer=20 * 5 * 5,
             why=N_("one unit reads all 20 input channels through its 5 x 5 window: 20 x 25 = 500 inputs.")),
]

_CHANNELS_IN = [1, 16, 16, 32, 32, 64]

FAN_INS = Exercise(
    "fan_ins", lambda: [float(c * 9) for c in _CHANNELS_IN] + [64.0 * 4 * 4, 50.0], lambda: [{}], kind="value",
    tol=EXACT, praise=N_("He's std for each layer is sqrt(2 / fan_in) with these fan-ins."),
    hint=N_("a unit of a conv layer reads every input channel through its window; an affine unit reads every value of "
         "the layer below. The message names the first layer that is off."),
    mistakes=(
        Mistake("fan-in-channels", N_("the first six are the input channels only."),
                N_("a filter sees each input channel through its whole window."),
                impl=lambda: [float(c) for c in _CHANNELS_IN] + [1024.0, 50.0]),
        Mistake("fan-in-out-channels", N_("you counted the filters of each layer; the fan-in counts what one unit "
                                          "READS."),
                N_("use the channels coming IN to each layer."),
                impl=lambda: [float(c * 9) for c in _CHANNELS_IN[1:] + [64]] + [1024.0, 50.0]),
        Mistake("fan-in-kernel", N_("9 is one channel's 3x3 window; most layers read several channels."),
                N_("multiply by the number of input channels."), impl=lambda: [9.0] * 6 + [1024.0, 50.0]),
    ))


def _convnet_summary(run, model, case):
    import keras   # TensorFlow, only when this exercise is checked
    run.require(isinstance(model, keras.Model), _("expected a Keras model, got {type}.").format(
        type=type(model).__name__))
    kinds = {name: getattr(keras.layers, name) for name in ("Conv2D", "MaxPooling2D", "Dense", "Dropout")}
    of = {name: [layer for layer in model.layers if isinstance(layer, kind)] for name, kind in kinds.items()}
    return {N_("output shape of each Conv2D and MaxPooling2D layer"): [tuple(layer.output.shape[1:]) for layer in
                                                                       of["Conv2D"] + of["MaxPooling2D"]],
            N_("parameters of each layer with weights"): [layer.count_params() for layer in model.layers
                                                          if layer.weights],
            N_("kernel initialiser of each Conv2D and Dense layer"): [type(layer.kernel_initializer).__name__
                                                                      for layer in of["Conv2D"] + of["Dense"]],
            N_("dropout rates"): [float(layer.rate) for layer in of["Dropout"]]}


def _deep_convnet(edit=None):
    """notebook 10's network as kerastools builds it, its configuration changed by ``edit`` (a typical mistake)."""
    import keras

    from .. import kerastools
    model = kerastools.deep_convnet()
    if edit is None:
        return model
    config = model.get_config()
    for layer in config["layers"]:
        layer.pop("build_config", None)   # the shapes follow from the edited layers
    config["layers"] = [layer for layer in map(edit, config["layers"]) if layer is not None]
    return keras.Sequential.from_config(config)


def _drop(kind):
    return lambda layer: None if layer["class_name"] == kind else layer


def _glorot(layer):
    if "kernel_initializer" in layer["config"]:
        layer["config"]["kernel_initializer"] = {"module": "keras.initializers", "class_name": "GlorotUniform",
                                                 "config": {"seed": None}, "registered_name": None}
    return layer


DEEP_CONVNET_KERAS = Exercise(
    "deep_convnet_keras", lambda: _deep_convnet(), lambda: [{}], kind="value", protocol=_convnet_summary,
    tol=EXACT, praise=N_("the table's layers, shapes, He initialisation and dropout: the same network as the NumPy "
                         "one."),
    hint=N_("follow the table row by row: every convolution is 3x3 and keeps the size except the fourth, which pads "
         "by 2 and does not; a pooling layer after every second convolution; He initialisation; dropout after both "
         "dense layers."),
    mistakes=(
        Mistake("convnet-pad4", N_("the output shapes differ from the fourth convolution on: it pads by 2 and uses no "
                "'same' padding of its own."), impl=lambda: _deep_convnet(_drop("ZeroPadding2D"))),
        Mistake("convnet-glorot", N_("your layers keep Keras's default initialisation (Glorot); the table asks for "
                                     "He's."),
                N_("set each Conv2D's and Dense's kernel_initializer."), impl=lambda: _deep_convnet(_glorot)),
        Mistake("convnet-dropout", N_("the dropout layers are missing."), impl=lambda: _deep_convnet(_drop("Dropout"))),
    ))


def _kernel_cases(rng):
    return [{"W": rng.standard_normal(shape)} for shape in [(16, 1, 3, 3), (4, 3, 2, 5), (2, 2, 3, 3)]]


TO_KERAS_KERNEL = Exercise(
    "to_keras_kernel", lambda W: W.transpose(2, 3, 1, 0), _kernel_cases, tol=EXACT,
    praise=N_("(FN, C, FH, FW) became Keras's (FH, FW, C, FN): the NumPy network's filters can be loaded into Keras."),
    hint=N_("Keras keeps the window's rows and columns first, then the input channel, then the filter; move the axes, "
         "do not reshape."),
    mistakes=(
        Mistake("kernel-reshape", N_("the shape is right but the numbers moved: a reshape reads them in their stored "
                "order; the axes must be moved instead."), impl=lambda W: W.reshape(W.shape[2], W.shape[3],
                                                                                     W.shape[1], W.shape[0])),
        Mistake("kernel-reversed", N_("you reversed all four axes: that swaps the window's rows and columns."),
                N_("the window's rows stay before its columns."), impl=lambda W: W.T),
    ))
