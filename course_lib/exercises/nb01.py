"""Exercises of notebook 01: reshaping to a channel layout, a dense layer on a batch, its parameter count."""

import numpy as np

from ..i18n import N_
from .core import Question
from .engine import EXACT, Exercise, Mistake, Tol

TO_CHANNELS_LAST = Exercise(
    "to_channels_last", lambda x: x.reshape(-1, 28, 28, 1),
    lambda rng: [{"x": rng.integers(0, 256, (n, 784)).astype(np.float32)} for n in (3, 1)], tol=EXACT,
    praise=N_("a batch of flat images became images of 28x28 with one channel, x unchanged."),
    hint=N_("keep the batch axis first, then rows, columns, and the channel axis (length 1) last."),
    mistakes=(
        Mistake("channels-first", N_("that is the channels-first layout (N, 1, 28, 28); the channel axis goes last."),
                impl=lambda x: x.reshape(-1, 1, 28, 28)),
        Mistake("channels-moved", N_("the shape is right but pixels moved: the 784 numbers are stored row after row, "
                "and reshaping reads them in that order; transposing moves them."), N_("one reshape is enough."),
                impl=lambda x: x.reshape(-1, 28, 28).transpose(0, 2, 1)[..., None]),
    ))


def _dense_cases(rng):
    return [{"x": rng.standard_normal((n, d)), "W": rng.standard_normal((d, m)), "b": rng.standard_normal(m)}
            for n, d, m in [(4, 6, 3), (1, 5, 2), (3, 3, 3)]]


DENSE = Exercise(
    "dense", lambda x, W, b: x @ W + b, _dense_cases,
    praise=N_("one matrix product plus a broadcast bias handles the whole batch at once."),
    hint=N_("a matrix product of x (N, D) with W (D, M) gives (N, M); then the bias is added to every row."),
    mistakes=(
        Mistake("dense-elementwise", N_("a dense layer needs the matrix product; an elementwise product (*) only "
                "works when the shapes happen to match."), impl=lambda x, W, b: x * W + b, raises="broadcast"),
        Mistake("dense-bias", N_("the bias is missing: add b (broadcasting adds it to every row)."),
                impl=lambda x, W, b: x @ W),
    ))

DENSE_PARAMS = Exercise(
    "dense_params", lambda inputs, outputs: float(inputs * outputs + outputs),
    lambda inputs, outputs: [{"inputs": inputs, "outputs": outputs}], kind="value", tol=Tol(0, 0, N_("exact")),
    praise=N_("one weight per (input, output) pair plus one bias per output."),
    hint=N_("weights: one per (input, output) pair. Biases: one per output."),
    mistakes=(Mistake("dense-params-bias", N_("you counted the weights only; each output also has a bias."),
                      impl=lambda inputs, outputs: inputs * outputs),))

QUIZ = [
    Question(N_("A batch of 32 MNIST images in the channels-first layout has which shape?"),
             answer=1,
             options=[N_("(32, 28, 28)"), N_("(32, 1, 28, 28)"), N_("(32, 28, 28, 1)"), N_("(1, 32, 28, 28)")],
             why=N_("batch, channel, height, width: (N, C, H, W) = (32, 1, 28, 28).")),
    Question(N_("What is np.array([250], dtype=np.uint8) + np.uint8(10)?"),
             answer=0,
             options=[N_("[4]: uint8 wraps around modulo 256"), N_("[260]"), N_("[255]: it saturates"), N_("an error")],
             why=N_("uint8 holds 0-255 and wraps: 260 - 256 = 4. Convert to float before computing.")),
    Question(N_("x has shape (100, 28, 28) and m has shape (28, 28). What is the shape of x - m?"),
             answer=2,
             options=[N_("(28, 28)"), N_("(100, 28)"), N_("(100, 28, 28)"), N_("an error")],
             why=N_("broadcasting adds the missing leading axis to m and repeats it over the 100 images.")),
]
