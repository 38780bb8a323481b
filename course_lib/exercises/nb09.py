"""Exercises and quick check of notebook 09 (CNN layers from scratch)."""

import ast
import functools
import inspect
import textwrap

import numpy as np

from .. import layers
from ..i18n import N_, _
from .core import Question
from .engine import Exercise, Mistake

QUIZ = [
    Question(N_("In 2x2 max pooling with stride 2, a window holds 1, 7, 3, 2 and the gradient arriving at its output "
             "is 0.5. What gradient does the input pixel holding 3 receive?"),
             answer=0,
             why=N_("only the winner (7) gets the 0.5; the other three pixels did not affect the output, so their "
                 "gradient is 0.")),
    Question(N_("How many parameters does a 2x2 max-pooling layer have?"),
             answer=0,
             why=N_("none: it only picks the largest value of each window.")),
    Question(N_("Why does the library's Conv2D not copy every window into a column one by one, as the textbook im2col "
             "does?"),
             answer=2,
             options=[N_("its results would differ from im2col's"),
                      N_("copying windows one by one is impossible in NumPy"),
                      N_("each pixel would be copied once per filter tap, a few values at a time, which is slow; "
                      "shifted slices of one long row copy the same numbers in a few large blocks"),
                      N_("Conv2D uses a true convolution instead")],
             why=N_("same numbers, far fewer and larger copies; a test proves it equal to the textbook im2col.")),
]

_SHAPES = [((1, 1, 5, 5), (1, 1, 3, 3), 1, 0), ((2, 3, 7, 6), (4, 3, 3, 3), 2, 1),
           ((2, 2, 6, 5), (3, 2, 2, 3), 1, 2), ((3, 2, 8, 9), (2, 2, 3, 2), 2, 0)]


def _conv_backward_cases(rng):
    cases = []
    for xs, ws, s, p in _SHAPES:
        oh, ow = layers.conv_output_size(xs[2], ws[2], s, p), layers.conv_output_size(xs[3], ws[3], s, p)
        cases.append({"dout": rng.standard_normal((xs[0], ws[0], oh, ow)), "x": rng.standard_normal(xs),
                      "W": rng.standard_normal(ws), "stride": s, "pad": p})
    return cases


def _grads(dout, x, W, stride=1, pad=0):
    """dx, dW, db of ``layers.Conv2D`` (bias 0) for the upstream gradient dout."""
    conv = layers.Conv2D(W, np.zeros(W.shape[0]), stride=stride, pad=pad)
    conv.forward(x)
    return conv.backward(dout).copy(), conv.grads["W"].copy(), conv.grads["b"].copy()


def _conv_backward_protocol(run, fn, case):
    dx, dW, db = run.unpack(run.call(fn, case["dout"], case["x"], case["W"], case["stride"], case["pad"]),
                            ("dx", "dW", "db"), getattr(fn, "__name__", "your function"))
    conv, x = layers.Conv2D(case["W"], np.zeros(len(case["W"])), stride=case["stride"], pad=case["pad"]), case["x"]
    if x.size <= 30:   # central differences cost two forward passes per entry: the smallest case only
        run.gradcheck("dx", lambda: float(np.sum(conv.forward(x) * case["dout"])), x, dx)
    return {"dx": dx, "dW": dW, "db": db}


def _changed(dx=lambda g, d, x, W, s, p: g[0], dW=lambda g, d, x, W, s, p: g[1], db=lambda g, d, x, W, s, p: g[2]):
    def conv_backward(dout, x, W, stride, pad):
        g = _grads(dout, x, W, stride, pad)
        return tuple(f(g, dout, x, W, stride, pad) for f in (dx, dW, db))
    return conv_backward


def _padded_dx(g, dout, x, W, s, p):
    return np.pad(g[0], ((0, 0), (0, 0), (p, p), (p, p)))


CONV_BACKWARD = Exercise(
    "conv_backward", _changed(), _conv_backward_cases, protocol=_conv_backward_protocol, same_dtype=True,
    praise=N_("dx, dW and db equal Conv2D's for every stride and padding tried; dx passes a float64 gradient check."),
    hint=N_("every output (n, f, i, j) sends dout[n, f, i, j] times W[f] back to its window, and the window times "
         "dout[n, f, i, j] to dW[f]; windows can overlap, so add these shares up."),
    mistakes=(
        Mistake("convb-dx-empty", N_("with pad 0, cropping with the slice pad:-pad leaves nothing: -0 is 0."),
                N_("end the crop at pad + H (and pad + W) instead."),
                impl=_changed(dx=lambda g, d, x, W, s, p: _padded_dx(g, d, x, W, s, p)[:, :, p:-p, p:-p]),
                when=lambda case, got: case["pad"] == 0 and 0 in np.shape(got["dx"])[2:]),
        Mistake("convb-dx-crop", N_("dx has the padded input's shape: the padding is still on."),
                N_("dx must have x's shape: at the end, cut the pad rows and columns off each side."), impl=_changed(
                    dx=_padded_dx), when=lambda case, got: np.shape(got["dx"]) == _padded_dx(
                    [np.zeros(case["x"].shape)], None, None, None, None, case["pad"]).shape and case["pad"] > 0),
        Mistake("convb-dx-flip", N_("dx is what the flipped filter gives: that is the gradient of a true convolution."),
                N_("the forward pass multiplies each window by W[f] as it is, so its gradient goes back unflipped."),
                impl=_changed(dx=lambda g, d, x, W, s, p: _grads(d, x, W[:, :, ::-1, ::-1].copy(), s, p)[0])),
        Mistake("convb-dW-flip", N_("dW is flipped (upside down and left to right): that is the gradient of a true "
                "convolution."), N_("dW[f] is made of the windows as they are."),
                impl=_changed(dW=lambda g, d, x, W, s, p: g[1][:, :, ::-1, ::-1].copy())),
        Mistake("convb-dW-batch", N_("dW holds the gradient of the first image only; every image of the batch "
                "contributes to it."), N_("dW[f] adds up over all N images as well as over all output positions."),
                impl=_changed(dW=lambda g, d, x, W, s, p: _grads(d[:1], x[:1], W, s, p)[1])),
        Mistake("convb-db-batch", N_("db: you summed dout over the batch only; sum over the output positions too."),
                N_("one number per filter."), impl=_changed(db=lambda g, d, x, W, s, p: d.sum(axis=0))),
        Mistake("convb-db-positions", N_("db: you summed dout over the output positions but not over the batch."),
                N_("one number per filter."), impl=_changed(db=lambda g, d, x, W, s, p: d.sum(axis=(2, 3)))),
    ))

_LOOPS = (ast.For, ast.While, ast.AsyncFor, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@functools.lru_cache(maxsize=64)
def _has_loop(fn):
    """True when ``fn``'s source holds a Python loop or comprehension (False when its source cannot be read)."""
    # Code built by exec has no file: Python 3.13's linecache may hand back other lines cached under "<string>".
    if getattr(getattr(fn, "__code__", None), "co_filename", None) == "<string>":
        return False
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return False
    return any(isinstance(node, _LOOPS) for node in ast.walk(tree))


def _pool_cases(rng):
    cases = []
    for shape in [(1, 1, 2, 2), (2, 3, 4, 6), (3, 2, 6, 4), (1, 4, 8, 2)]:
        x = rng.permutation(np.arange(int(np.prod(shape)), dtype=np.float64)).reshape(shape) * 0.01 \
            + rng.uniform(0, 0.001, shape)     # no ties, no kinks within the gradient check's steps
        cases.append({"x": x, "dout": rng.standard_normal((shape[0], shape[1], shape[2] // 2, shape[3] // 2))})
    cases.append({"x": rng.integers(0, 2, (2, 2, 4, 4)).astype(np.float64), "dout": rng.standard_normal((2, 2, 2, 2)),
                  "_label": N_("windows with several equal maxima (any share of dout among them is right)"),
                  "_ties": 1})
    return cases


def _windows(a):
    n, c, h, w = a.shape
    return a.reshape(n, c, h // 2, 2, w // 2, 2)


def _pool_protocol(run, functions, case):
    forward, backward = functions
    run.require(not (_has_loop(forward) or _has_loop(backward)), _("your functions contain a Python loop (or a "
                                                                   "comprehension); the exercise asks for none."))
    x, dout = case["x"], case["dout"]
    out, cache = run.unpack(run.call(forward, x), ("out", "cache"), "forward")
    dx = run.call(backward, dout, cache)
    if "_ties" not in case:
        pool = layers.MaxPool2D(2, 2, stride=2)
        if x.size <= 100:   # central differences cost two forward passes per entry: the small cases only
            run.gradcheck("dx", lambda: float(np.sum(pool.forward(x) * dout)), x, dx)
        return {"out": out, "dx": dx}
    dx = run.array(dx, "dx", x.shape)
    at_max = _windows(x) == _windows(x).max(axis=(3, 5), keepdims=True)
    return {"out": out, N_("dx summed over each window"): _windows(dx).sum(axis=(3, 5)),
            N_("dx away from the window maxima"): np.where(at_max, 0.0, _windows(dx))}


def _pool(out=lambda x: _windows(x).max(axis=(3, 5)), dx=None):
    def forward(x):
        return out(x), x

    def backward(dout, x):
        pool = layers.MaxPool2D(2, 2, stride=2)
        pool.forward(x)
        return pool.backward(dout) if dx is None else dx(x, dout)
    return forward, backward


def _spread(x, dout):
    return np.repeat(np.repeat(dout, 2, axis=2), 2, axis=3)


def _looping_forward(x):
    return np.stack([_windows(image[None]).max(axis=(3, 5))[0] for image in x]), x


MAXPOOL = Exercise(
    "maxpool", (lambda x: (_windows(x).max(axis=(3, 5)), x), _pool()[1]), _pool_cases, arity=2,
    protocol=_pool_protocol, same_dtype=True,
    praise=N_("no loops, values equal to MaxPool2D, gradient checked in float64, ties sent to the maxima."),
    hint=N_("output (n, c, i, j) is the largest of its 2x2 window; dx is dout at each window's maximum and 0 at the "
         "other pixels."),
    mistakes=(
        Mistake("pool-loop", N_("your functions contain a Python loop; the exercise asks for none."),
                N_("a reshape to (N, C, H/2, 2, W/2, 2) puts every window on two axes of its own; reduce over them."),
                impl=(_looping_forward, _pool()[1])),
        Mistake("pool-mean", N_("forward averages each window; max pooling keeps its largest value."),
                impl=_pool(out=lambda x: _windows(x).mean(axis=(3, 5)))),
        Mistake("pool-spread", N_("backward spreads each gradient over the whole window; only the maximum affected the "
                "output."), N_("multiply by a mask that is 1 at each window's maximum, 0 elsewhere."),
                impl=_pool(dx=_spread)),
        Mistake("pool-mask-only", N_("backward returns the mask of the maxima; multiply it by dout."),
                N_("chain rule: the mask times dout sent back to the window."),
                impl=_pool(dx=lambda x, dout: (_pool()[1](np.ones_like(dout), x) != 0).astype(float))),
    ))
