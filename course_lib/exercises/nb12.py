"""Exercises and quick check of notebook 12 (a ResNet with augmentation in Keras); the Keras ones import TensorFlow
only when checked."""

import numpy as np

from ..i18n import N_, _
from .core import Question
from .engine import EXACT, Exercise, Mistake, Tol

QUIZ = [
    Question(N_("What does global average pooling compute from a (7, 7, 64) feature map?"),
             answer=1,
             options=[N_("a (7, 7) map: the average over the 64 channels"),
                      N_("64 numbers: the average of each channel over its 7 x 7 positions"),
                      N_("3,136 numbers: the feature map flattened")],
             why=N_("one average per channel; the Dense layer after it then needs 64 x 10 + 10 = 650 parameters "
                 "instead of 3,136 x 10 + 10 = 31,370 after Flatten.")),
    Question(N_("A residual block computes relu(x + F(x)). If the best the block can do is to pass x on unchanged, "
             "what must its convolutions learn?"),
             answer=0,
             options=[N_("F(x) = 0, easy: weights near zero"),
                      N_("the identity, hard: two convolutions must copy x exactly"),
                      N_("nothing: the block is skipped")],
             why=N_("a plain block would have to learn the identity through two convolutions; a residual block only "
                 "has to learn to add nothing.")),
    Question(N_("At test time, what does a RandomRotation augmentation layer do to an image?"),
             answer=2,
             options=[N_("rotates it by a random angle"), N_("rotates it by the largest angle"),
                      N_("passes it through unchanged")],
             why=N_("augmentation acts only while training (training=True).")),
]

RESIDUAL_WEIGHTS = Exercise(
    "residual_weights", lambda filters: float(2 * 3 * 3 * filters * filters), lambda filters: [{"filters": filters}],
    kind="value", tol=EXACT, praise=N_("two 3x3 convolutions; the identity path has no weights."),
    hint=N_("each 3x3 convolution has a weight per window tap, input channel and output channel; the identity path has "
         "none."),
    mistakes=(Mistake("residual-one-conv", N_("that is one convolution; a residual block has two."),
                      impl=lambda filters: 3 * 3 * filters * filters),))


PROJECTION_MACS = Exercise(
    "projection_macs", lambda size, c_in, c_out, stride: float((size // stride) ** 2 * c_in * c_out),
    lambda size, c_in, c_out, stride: [{"size": size, "c_in": c_in, "c_out": c_out, "stride": stride}],
    kind="value", tol=EXACT,
    praise=N_("one c_in x c_out matrix product per output position, and stride 2 leaves a quarter of the positions."),
    hint=N_("count the output positions first (what does the stride do to the height and the width?), then the "
            "multiply-adds at one position."),
    mistakes=(
        Mistake("proj-no-stride", N_("that counts every input position; with stride 2 the output has half the height "
                                     "and half the width."),
                impl=lambda size, c_in, c_out, stride: size ** 2 * c_in * c_out),
        Mistake("proj-weights-only", N_("that is the number of weights; each weight is used once at every output "
                                        "position."),
                impl=lambda size, c_in, c_out, stride: c_in * c_out),
        Mistake("proj-3x3", N_("that is a 3x3 convolution; a 1x1 convolution has one tap per channel pair."),
                impl=lambda size, c_in, c_out, stride: (size // stride) ** 2 * 9 * c_in * c_out),
        Mistake("proj-stride-once", N_("the stride skips positions along the height AND the width."),
                impl=lambda size, c_in, c_out, stride: size ** 2 // stride * c_in * c_out),
    ))


def _rotation_range(run, layer, case):
    run.require(type(layer).__name__ == "RandomRotation",
                _("expected a keras.layers.RandomRotation layer, got {type}.").format(type=type(layer).__name__))
    factor = layer.factor
    lo, hi = (-factor, factor) if not isinstance(factor, (tuple, list)) else factor
    return {N_("the rotation range in degrees"): (float(lo) * 360, float(hi) * 360)}


def _rotation(factor):
    import keras   # TensorFlow, only when this exercise is checked
    return keras.layers.RandomRotation(factor, fill_mode="constant")


ROTATION_AUGMENTATION = Exercise(
    "rotation_augmentation", lambda degrees: _rotation(degrees / 360), lambda degrees: [{"degrees": degrees}],
    kind="value", protocol=_rotation_range, tol=Tol(0, 1e-3, N_("a factor given to a few decimals")),
    praise=N_("the same number of degrees either way, only while training."),
    hint=N_("RandomRotation's factor is a fraction of a full turn, and a single number f means the range (-f, f)."),
    mistakes=(
        Mistake("rotation-factor", N_("RandomRotation's factor is a fraction of a FULL turn (360 degrees)."),
                impl=lambda degrees: _rotation(degrees / 180)),
        Mistake("rotation-one-sided", N_("your range does not rotate by the same amount either way."),
                impl=lambda degrees: _rotation((0, degrees / 360))),
    ))


def _block_cases(rng):
    return [{"shape": (6, 6, 8), "filters": 8, "downsample": False, "_x": rng.standard_normal((2, 6, 6, 8))},
            {"shape": (6, 6, 8), "filters": 16, "downsample": True, "_x": rng.standard_normal((2, 6, 6, 8))}]


def _block_protocol(run, fn, case):
    import keras   # TensorFlow, only when this exercise is checked
    inputs = keras.Input(shape=case["shape"])
    out = run.call(fn, inputs, case["filters"], case["downsample"], name=getattr(fn, "__name__", "your function"))
    model = run.call(keras.Model, inputs, out, name=_("keras.Model(inputs, the tensor your function returns)"))
    got = {N_("output shape"): tuple(model.output.shape[1:]),
           N_("trainable parameters"): int(sum(np.prod(w.shape) for w in model.trainable_weights)),
           N_("non-trainable parameters"): int(sum(np.prod(w.shape) for w in model.non_trainable_weights))}
    norms = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    if not case["downsample"] and norms:   # the identity path: with the last scale and shift at 0, relu(x)
        norms[-1].gamma.assign(np.zeros(norms[-1].gamma.shape))
        norms[-1].beta.assign(np.zeros(norms[-1].beta.shape))
        got[N_("output when the last batch norm's scale and shift are 0 (the identity path alone: relu(x))")] = \
            np.asarray(model(case["_x"].astype(np.float32), training=False))
    return got


def _block(residual=True, project=True, bias=False):
    def residual_block(x, filters, downsample=False):
        from .. import kerastools
        if project and not bias:
            return kerastools.residual_block(x, filters, "block", downsample=downsample, residual=residual)
        import keras
        L, stride = keras.layers, 2 if downsample else 1
        y = L.Conv2D(filters, 3, strides=stride, padding="same", use_bias=bias)(x)
        y = L.Activation("relu")(L.BatchNormalization()(y))
        y = L.BatchNormalization()(L.Conv2D(filters, 3, padding="same", use_bias=bias)(y))
        shortcut = x
        if project and (downsample or x.shape[-1] != filters):
            shortcut = L.BatchNormalization()(L.Conv2D(filters, 1, strides=stride, use_bias=bias)(x))
        return L.Activation("relu")(L.Add()([shortcut, y]))
    return residual_block


RESIDUAL_BLOCK = Exercise(
    "residual_block", _block(), _block_cases, protocol=_block_protocol,
    praise=N_("two 3x3 convolutions with batch norm, the identity or a 1x1 projection: with its last scale at zero the "
           "block passes x on, which is what makes deep ResNets easy to train."),
    hint=N_("two 3x3 convolutions without bias, each followed by batch norm (a ReLU between them); add the shortcut "
         "(x itself, or a 1x1 convolution and batch norm when the shape changes); a ReLU after the addition."),
    mistakes=(
        Mistake("res-plain", N_("with the last batch norm's scale at zero your block outputs zeros: the identity path "
                "is missing."), N_("add x to the second batch norm's output before the last ReLU."),
                impl=_block(False)),
        Mistake("res-no-projection", N_("the identity path cannot be added when the block changes the size or the "
                "number of channels."), N_("project x with a 1x1 convolution (stride 2 when downsampling) and batch "
                                           "norm."),
                impl=_block(project=False)),
        Mistake("res-bias", N_("your convolutions have biases; batch norm's shift makes them redundant."),
                N_("use_bias=False for each convolution followed by batch norm."), impl=_block(bias=True)),
    ))


def _maps_cases(rng):
    return [{"maps": rng.standard_normal(shape)} for shape in [(2, 7, 7, 64), (1, 3, 5, 4), (3, 2, 2, 1)]]


GLOBAL_AVERAGE_POOL = Exercise(
    "global_average_pool", lambda maps: maps.mean(axis=(1, 2)), _maps_cases,
    praise=N_("one average per channel: what keras.layers.GlobalAveragePooling2D computes before the last Dense "
              "layer."),
    hint=N_("feature maps are (N, H, W, C) in Keras: average over the positions, keep the images and the channels."),
    mistakes=(
        Mistake("gap-channels", N_("you averaged over the channels; each channel keeps its own average."),
                impl=lambda maps: maps.mean(axis=-1)),
        Mistake("gap-batch", N_("you averaged over the images too: each image keeps its own numbers."),
                impl=lambda maps: maps.mean(axis=(0, 1, 2))),
        Mistake("gap-flatten", N_("that is Flatten: every value kept, none averaged."),
                impl=lambda maps: maps.reshape(len(maps), -1)),
    ))
