"""Exercises and quick check of notebook 08 (convolution arithmetic); notebook 10 reuses ``conv_params``."""

import numpy as np

from .. import layers
from ..i18n import N_
from .core import Question
from .engine import EXACT, Exercise, Mistake

QUIZ = [
    Question(N_("A 28x28 image, a 3x3 filter, padding 1 on each side and stride 2: how many outputs per side?"),
             answer=14,
             why=N_("(28 - 3 + 2 x 1) // 2 + 1 = 27 // 2 + 1 = 14: the last incomplete step is dropped.")),
    Question(N_("What does a deep-learning 'convolution' layer compute?"),
             answer=1,
             options=[N_("a true convolution: the kernel is flipped before it slides"),
                      N_("a cross-correlation: the window is multiplied by the kernel as it is"),
                      N_("the product of the image with the transposed kernel matrix")],
             why=N_("no flip; for a learned kernel it makes no difference, training simply learns the flipped one.")),
    Question(N_("Two stacked 3x3 convolutions (stride 1) see a 5x5 neighbourhood. How many weights do they have per "
             "channel pair, against 25 for one 5x5 filter?"),
             answer=18,
             why=N_("2 x 3 x 3 = 18 weights, the same receptive field, and a ReLU in between.")),
]


def _size(pad_term=2, plus=1, stride=True, divide=lambda a, b: a // b):
    def output_size(size, filter_size, stride_, pad):
        return divide(size - filter_size + pad_term * pad, stride_ if stride else 1) + plus
    return output_size


OUTPUT_SIZE = Exercise(
    "output_size", _size(), lambda rng: [{"size": a, "filter_size": f, "stride": s, "pad": p} for a, f, s, p in [
        (28, 5, 1, 0), (24, 2, 2, 0), (14, 3, 1, 2), (7, 3, 2, 1), (32, 5, 1, 2), (28, 3, 2, 1), (8, 3, 2, 0),
        (10, 4, 3, 3)]], tol=EXACT, praise=N_("(W - F + 2P) // S + 1, a whole number, for every case."),
    hint=N_("count how far the window can move (the padded size minus the filter), in steps of stride."),
    mistakes=(
        Mistake("size-float", N_("a number of positions is a whole number; yours is a float."),
                N_("`/` always gives a float in Python 3; integer division also rounds down when the stride does not "
                "divide exactly."), impl=_size(divide=lambda a, b: a / b)),
        Mistake("size-no-pad", N_("the padding is missing."), N_("padding adds pad zeros on EACH side of the input."),
                impl=_size(pad_term=0)),
        Mistake("size-one-side", N_("you padded one side only."), N_("pad zeros go on both sides."),
                impl=_size(pad_term=1)),
        Mistake("size-double-pad", N_("you counted the padding twice."), N_("the input grows by pad on the left plus "
                "pad on the right."), impl=_size(pad_term=4)),
        Mistake("size-plus-one", N_("one too few."),
                N_("the first window sits at position 0 before any step is taken."),
                impl=_size(plus=0)),
        Mistake("size-stride", N_("the stride is ignored."), N_("the window moves stride pixels per step, so divide "
                "the room it has by the stride."), impl=_size(stride=False)),
    ))


def _conv(x, W, b, stride, pad):
    return layers.Conv2D(W, b, stride=stride, pad=pad).forward(x)


_CONV_SHAPES = [((1, 1, 5, 5), (1, 1, 3, 3), 1, 0), ((2, 3, 7, 6), (4, 3, 3, 3), 2, 1),
                ((1, 2, 6, 5), (2, 2, 2, 3), 1, 2), ((3, 2, 8, 9), (3, 2, 3, 2), 3, 0)]


def _conv_cases(rng):
    return [{"x": rng.standard_normal(xs), "W": rng.standard_normal(ws), "b": rng.standard_normal(ws[0]),
             "stride": s, "pad": p} for xs, ws, s, p in _CONV_SHAPES]


def _unstrided(x, W, b, stride, pad):
    out = _conv(x, W, b, stride, pad)
    return _conv(x, W, b, 1, pad)[:, :, :out.shape[2], :out.shape[3]]


CONV_NAIVE = Exercise(
    "conv_naive", _conv, _conv_cases, praise=N_("your loops compute what Conv2D computes, for every stride and padding "
    "tried."), hint=N_("out[n, f, i, j] is the sum over channels and filter taps of the window times W[f], plus b[f]."),
    mistakes=(
        Mistake("conv-no-pad", N_("the padding is missing."), N_("pad the input with zeros on both sides of the height "
                "and width axes before sliding the window."), impl=lambda x, W, b, s, p: _conv(x, W, b, s, 0)),
        Mistake("conv-flip", N_("you flipped the kernel: that is a true convolution."),
                N_("deep-learning layers multiply the window by W[f] as it is (cross-correlation)."),
                impl=lambda x, W, b, s, p: _conv(x, W[:, :, ::-1, ::-1].copy(), b, s, p)),
        Mistake("conv-bias", N_("the bias is missing."), N_("add b[f] to every output of filter f."),
                impl=lambda x, W, b, s, p: _conv(x, W, np.zeros_like(b), s, p)),
        Mistake("conv-stride", N_("your windows start one pixel apart, whatever the stride."), N_("output (i, j) reads "
                "the window whose top-left corner is at (i * stride, j * stride)."), impl=_unstrided),
    ))


def _im2col_cases(rng):
    return [{"x": rng.standard_normal(xs), "fh": fh, "fw": fw, "stride": s, "pad": p} for xs, fh, fw, s, p in [
        ((1, 1, 4, 4), 2, 2, 1, 0), ((2, 3, 5, 6), 3, 3, 1, 1), ((2, 2, 7, 6), 3, 2, 2, 0), ((3, 1, 5, 5), 2, 2, 2, 1)]]


def _reordered(rows=False, cols=False):
    def im2col(x, fh, fw, stride, pad):
        out = layers.im2col(x, fh, fw, stride, pad)
        if rows:
            out = out.reshape(x.shape[1], fh, fw, -1).transpose(1, 2, 0, 3).reshape(out.shape)
        if cols:
            out = out.reshape(out.shape[0], len(x), -1).transpose(0, 2, 1).reshape(out.shape)
        return out
    return im2col


IM2COL = Exercise(
    "im2col", layers.im2col, _im2col_cases, praise=N_("your matrix equals layers.im2col for every stride and padding "
    "tried."), hint=N_("column number (n * OH + i) * OW + j holds the window of image n whose top-left corner is at "
    "(i * stride, j * stride), all channels."),
    mistakes=(
        Mistake("im2col-rows", N_("you return one window per ROW; the textbook matrix has one window per column."),
                N_("the result has C*FH*FW rows (one per filter tap) and N*OH*OW columns."),
                impl=lambda x, fh, fw, s, p: layers.im2col(x, fh, fw, s, p).T),
        Mistake("im2col-pad", N_("the padding is missing."), N_("pad height and width with zeros on both sides first."),
                impl=lambda x, fh, fw, s, p: layers.im2col(x, fh, fw, s, 0)),
        Mistake("im2col-row-order", N_("the rows are in the wrong order: yours run over the channel fastest."),
                N_("rows go channel by channel, and within a channel row by row of the window."),
                impl=_reordered(rows=True)),
        Mistake("im2col-col-order", N_("the columns are in the wrong order: yours run over the images fastest."),
                N_("columns go image by image, and within an image row by row of the output positions."),
                impl=_reordered(cols=True)),
    ))

CONV_PARAMS = Exercise(
    "conv_params", lambda filters, channels, size: float(filters * (channels * size * size + 1)),
    lambda filters, channels, size: [{"filters": filters, "channels": channels, "size": size}], kind="value",
    tol=EXACT, praise=N_("weights for every input channel of every filter, plus one bias per filter."),
    hint=N_("each filter has weights for every input channel and every tap of its window, and one bias; the count does "
         "not depend on the image size."),
    mistakes=(
        Mistake("params-bias", N_("you counted the weights only; each filter also has one bias."),
                impl=lambda filters, channels, size: filters * channels * size * size),
        Mistake("params-channels", N_("each filter spans all input channels."),
                impl=lambda filters, channels, size: filters * (size * size + 1)),
    ))
