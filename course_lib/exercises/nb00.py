"""Exercises of notebook 00: first questions answered with NumPy on the MNIST arrays."""

import numpy as np

from ..i18n import N_
from .core import Question
from .engine import Exercise, Mistake, Tol


def _labels(t_train):
    return [{"t_train": np.asarray(t_train)}]


FRACTION_OF_ONES = Exercise(
    "fraction_of_ones", lambda t_train: float(np.mean(t_train == 1)), _labels, kind="value",
    tol=Tol(0.0, 1e-6, N_("a fraction given to six decimals or more")),
    praise=N_("about 0.112 of the training digits are ones, the most common class."),
    hint=N_("compare the labels with 1 to get True/False per image; the mean of booleans is a fraction."),
    mistakes=(
        Mistake("ones-count", N_("that is the count of ones; the fraction divides it by the number of labels."),
                impl=lambda t_train: int(np.sum(t_train == 1))),
        Mistake("ones-percent", N_("that is a percentage; give the fraction (between 0 and 1)."),
                impl=lambda t_train: 100 * float(np.mean(t_train == 1))),
    ))

FIRST_INDEX = Exercise(
    "first_index", lambda labels, digit: int(np.flatnonzero(labels == digit)[0]),
    lambda labels, digit: [{"labels": np.asarray(labels), "digit": digit}], kind="value", tol=Tol(0, 0, N_("exact")),
    praise=N_("that is the index of the first one, counting from 0."),
    hint=N_("find the positions where the labels equal the digit and take the first of them."),
    mistakes=(Mistake("index-off-by-one", N_("off by one: Python indices start at 0."),
                      impl=lambda labels, digit: int(np.flatnonzero(labels == digit)[0]) + 1),))


def _mean_of(x, labels, digit):
    return x[labels == digit].reshape(-1, 28, 28).mean(axis=0)


MEAN_IMAGE = Exercise(
    "mean_image", _mean_of,
    lambda x, labels, digit: [{"x": np.asarray(x, dtype=np.float64), "labels": np.asarray(labels), "digit": digit}],
    kind="value", tol=Tol(1e-5, 1e-4, N_("a mean of float32 pixels summed in another order")),
    praise=N_("the average digit is a blurry but recognisable one."),
    hint=N_("select the images of that digit with a boolean mask, then average over the first axis."),
    mistakes=(
        Mistake("mean-scalar", N_("you return one number: average over the images only, so that every pixel keeps its "
                "own mean."), impl=lambda x, labels, digit: float(x[labels == digit].mean())),
        Mistake("mean-shape", N_("expected shape (28, 28): reshape the 784 means to 28 x 28."),
                impl=lambda x, labels, digit: _mean_of(x, labels, digit).ravel()),
        Mistake("mean-scale", N_("right picture, wrong scale: your values are 255 times smaller (0 to 1). The exercise "
                "asks for the mean in the pixel scale of x_train as loaded here, 0-255."),
                N_("do not divide by 255 for this exercise."),
                impl=lambda x, labels, digit: _mean_of(x, labels, digit) / 255),
        Mistake("mean-sum", N_("that is the SUM of the images, not their mean."),
                N_("divide by the number of images."),
                impl=lambda x, labels, digit: _mean_of(x, labels, digit) * np.sum(labels == digit)),
        Mistake("mean-all", N_("that is the mean of all digits; select only the digit asked for first."),
                N_("a boolean mask on the labels picks the rows of one class."),
                impl=lambda x, labels, digit: x.reshape(-1, 28, 28).mean(axis=0)),
    ))

QUIZ = [
    Question(N_("x_train as loaded here has shape (60000, 1, 28, 28). What does the axis of size 1 hold?"),
             answer=2,
             options=[N_("the label"), N_("the batch"), N_("the colour channel (one, gray)"), N_("the row of pixels")],
             why=N_("MNIST images have a single gray channel; the layout is (N, C, H, W).")),
    Question(N_("How many pixels does one MNIST image have?"),
             answer=784,
             why=N_("28 x 28 = 784, the length of a flattened image.")),
    Question(N_("With plt.imshow(image, cmap='gray'), how is a pixel of value 0 drawn?"),
             answer=0,
             options=[N_("black"), N_("white"), N_("mid-gray")],
             why=N_("the gray colormap maps the smallest value to black: MNIST digits appear white on black.")),
]
