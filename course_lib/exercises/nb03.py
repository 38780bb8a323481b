"""Exercises of notebook 03: the backward passes of a multiply node, ReLU, Sigmoid, Affine and SoftmaxWithLoss.

Each class is run forward then backward on seeded inputs (several shapes, float32 and float64) and compared with
``course_lib.layers``; float64 cases also pass a gradient check of the learner's dx against central differences.
"""

import numpy as np

from .. import layers
from ..i18n import N_, _
from .core import Question
from .engine import Exercise, Mistake


def _layer_protocol(run, cls, case):
    """Elementwise layers: ``cls()``, ``forward(x)``, then ``backward(dout)``."""
    layer = run.call(cls, name=f"{cls.__name__}()")
    out = run.call(layer.forward, case["x"], name=f"{cls.__name__}.forward")
    dx = run.call(layer.backward, case["dout"], name=f"{cls.__name__}.backward")
    if case["x"].dtype == np.float64 and np.all(np.abs(case["x"]) > 0.01):   # away from ReLU's kink
        ref, x = case["_library"](), case["x"]
        run.gradcheck(f"{cls.__name__}.backward", lambda: float(np.sum(ref.forward(x) * case["dout"])), x, dx)
    return {"forward(x)": out, "backward(dout)": dx}


def _activation_cases(library, zeros=False):
    def cases(rng):
        made = [rng.standard_normal((4, 5)), rng.standard_normal((1, 7)),
                rng.standard_normal((2, 1, 3, 3)).astype(np.float32)]
        for x in made:
            x[np.abs(x) < 0.05] = 0.5          # away from ReLU's kink, where central differences are exact
        if zeros:
            x = rng.standard_normal((3, 4))
            x[:, 1] = 0.0
            made.append(x)
        return [{"x": x, "dout": rng.standard_normal(x.shape).astype(x.dtype), "_library": library} for x in made]
    return cases


def _elementwise(forward, backward, name):
    """A layer class from two formulas: ``forward(x)`` and ``backward(self, dout)`` (self.x, self.out are kept)."""
    def fwd(self, x):
        self.x, self.out = x, forward(x)
        return self.out
    return type(name, (), {"forward": fwd, "backward": backward})


def _relu_with(mask):
    return _elementwise(lambda x: np.maximum(x, 0), lambda self, dout: dout * mask(self.x), "Relu")


def _relu_dout_in_place(self, dout):
    dout[self.x <= 0] = 0
    return dout


RELU_LAYER = Exercise(
    "relu_layer", layers.Relu, _activation_cases(layers.Relu, zeros=True), kind="class", protocol=_layer_protocol,
    same_dtype=True, praise=N_("dout passes where x > 0 and stops elsewhere (also at exactly 0); x and dout are "
    "untouched; the float64 gradient check agrees."),
    hint=N_("the gradient passes where the input was positive and is zero elsewhere."),
    mistakes=(
        Mistake("relu-dout-inplace", N_("ReLU.backward wrote into dout. The layer above still owns that array (a "
                "branch of the graph may read it again)."), N_("return a new array computed from dout."),
                impl=_elementwise(lambda x: np.maximum(x, 0), _relu_dout_in_place, "Relu")),
        Mistake("relu-nomask", N_("ReLU.backward passes dout through everywhere."),
                N_("zero the gradient where the input was not positive: keep a mask from forward."),
                impl=_relu_with(lambda x: 1)),
        Mistake("relu-flipped", N_("the gradient flows where x < 0 and is blocked where x > 0: the mask is flipped."),
                impl=_relu_with(lambda x: x < 0)),
        Mistake("relu-zero", N_("where x is exactly 0 you let the gradient through. max(0, x) is flat for x <= 0, and "
                "the layer passes nothing back there."), N_("the mask should be strictly positive inputs."),
                impl=_relu_with(lambda x: x >= 0)),
    ))


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


SIGMOID_LAYER = Exercise(
    "sigmoid_layer", layers.Sigmoid, _activation_cases(layers.Sigmoid), kind="class", protocol=_layer_protocol,
    same_dtype=True, praise=N_("dout * y * (1 - y), with the y kept from forward; the float64 gradient check agrees."),
    hint=N_("the local derivative of the sigmoid is y (1 - y), y being its output; chain it with dout."),
    mistakes=(
        Mistake("sigmoid-input", N_("you used the input x in y (1 - y); the formula needs the OUTPUT y."),
                N_("keep y from forward (e.g. self.out) and use it."),
                impl=_elementwise(_sigmoid, lambda self, dout: dout * self.x * (1 - self.x), "Sigmoid")),
        Mistake("sigmoid-half", N_("the factor (1 - y) is missing."),
                impl=_elementwise(_sigmoid, lambda self, dout: dout * self.out, "Sigmoid")),
        Mistake("sigmoid-dout", N_("you return the local derivative alone."), N_("chain rule: multiply by the upstream "
                "gradient dout."), impl=_elementwise(_sigmoid, lambda self, dout: self.out * (1 - self.out),
                "Sigmoid")),
    ))


class _Affine(layers.Affine):
    """The library's Affine with the notebook's attribute names (``self.dW``, ``self.db``)."""

    def backward(self, dout):
        dx = super().backward(dout)
        self.dW, self.db = self.grads["W"], self.grads["b"]
        return dx


def _affine_cases(rng):
    shapes = [((4, 6), (6, 3), np.float64), ((1, 5), (5, 2), np.float64), ((3, 4), (4, 4), np.float64),
              ((2, 1, 3, 3), (9, 4), np.float32), ((3, 1, 2, 3), (6, 4), np.float64)]
    cases = []
    for xs, ws, dtype in shapes:
        cases.append({"x": rng.standard_normal(xs).astype(dtype), "W": rng.standard_normal(ws).astype(dtype),
                      "b": rng.standard_normal(ws[1]).astype(dtype),
                      "dout": rng.standard_normal((xs[0], ws[1])).astype(dtype)})
    return cases


def _affine_protocol(run, cls, case):
    layer = run.call(cls, case["W"], case["b"], name=f"{cls.__name__}(W, b)")
    run.call(layer.forward, case["x"], name=f"{cls.__name__}.forward")
    dx = run.call(layer.backward, case["dout"], name=f"{cls.__name__}.backward")
    got = {"dx": dx, "self.dW": getattr(layer, "dW", None), "self.db": getattr(layer, "db", None)}
    if case["x"].dtype == np.float64 and case["x"].ndim == 4:
        ref = layers.Affine(case["W"], case["b"])
        for name, array in (("dx", case["x"]), ("self.dW", case["W"]), ("self.db", case["b"])):
            run.gradcheck(f"{cls.__name__}.backward's {name}",
                          lambda: float(np.sum(ref.forward(case["x"]) * case["dout"])), array, got[name])
    return got


def _affine_with(dx=None, dW=None, db=None):
    def backward(self, dout):
        self.dW = self.x.T @ dout if dW is None else dW(self, dout)
        self.db = dout.sum(axis=0) if db is None else db(dout)
        out = dout @ self.W.T
        return out.reshape(self.x_shape) if dx is None else dx(self, out)

    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x_shape, self.x = x.shape, x.reshape(len(x), -1)
        return self.x @ self.W + self.b
    return type("Affine", (), {"__init__": __init__, "forward": forward, "backward": backward})


AFFINE_LAYER = Exercise(
    "affine_layer", _Affine, _affine_cases, kind="class", protocol=_affine_protocol, same_dtype=True,
    praise=N_("dx = dout W^T in the input's shape, dW = x^T dout, db = dout summed over the batch; the float64 "
           "gradient check agrees."),
    hint=N_("dx sends dout back through W, dW pairs every input with every upstream gradient, db adds dout up."),
    mistakes=(
        Mistake("affine-reshape", N_("dx has the flattened shape; the layer below expects its gradient in the shape it "
                "sent."), N_("remember the input's shape in forward and give dx that shape back."),
                impl=_affine_with(dx=lambda self, out: out)),
        Mistake("affine-dW-transposed", N_("dW is transposed: it must have W's shape (D, M)."),
                N_("multiply x transposed by dout."), impl=_affine_with(dW=lambda self, dout: dout.T @ self.x)),
        Mistake("affine-db-batch", N_("db has one row per example; b is shared by every example."),
                N_("b's gradient adds up over the batch."), impl=_affine_with(db=lambda dout: dout)),
        Mistake("affine-db-mean", N_("db is the MEAN of dout over the batch; b's gradient is the sum (the loss already "
                "divided by N)."), impl=_affine_with(db=lambda dout: dout.mean(axis=0))),
    ))


def _swl_cases(rng):
    return [{"x": rng.standard_normal((n, c)) * 2, "t": rng.integers(0, c, n)} for n, c in [(4, 3), (1, 5), (6, 10)]]


def _swl_protocol(run, cls, case):
    layer = run.call(cls, name=f"{cls.__name__}()")
    run.call(layer.forward, case["x"], case["t"], name=f"{cls.__name__}.forward")
    dx = run.call(layer.backward, name=f"{cls.__name__}.backward")
    dx = run.array(dx, "backward()", case["x"].shape).copy()
    again = run.call(layer.backward, name=_("{name}.backward (called a second time)").format(name=cls.__name__))
    x, t = case["x"], case["t"]
    run.gradcheck(f"{cls.__name__}.backward", lambda: layers.SoftmaxWithLoss().forward(x, t), x, dx)
    return {"backward()": dx, N_("backward() called a second time"): again}


def _swl_with(grad):
    def backward(self, dout=1):
        return grad(self.y, np.eye(self.y.shape[1])[self.t], len(self.y))

    def forward(self, x, t):
        ref = layers.SoftmaxWithLoss()
        loss = ref.forward(x, t)
        self.t, self.y = t, ref.y
        return loss
    return type("SoftmaxWithLoss", (), {"forward": forward, "backward": backward})


def _swl_in_place(self, dout=1):
    self.y[np.arange(len(self.y)), self.t] -= 1
    return self.y / len(self.y)


SOFTMAX_WITH_LOSS = Exercise(
    "softmax_with_loss", layers.SoftmaxWithLoss, _swl_cases, kind="class", protocol=_swl_protocol,
    praise=N_("copy y, subtract 1 at each label, divide by N: (y - t) / N, and the float64 gradient check agrees."),
    hint=N_("the gradient is the probabilities minus the one-hot targets, over the batch size."),
    mistakes=(
        Mistake("swl-n", N_("your dx is N times too large."), N_("the loss is a mean over the batch, so every entry of "
                "dx carries a factor 1/N."), impl=_swl_with(lambda y, onehot, n: y - onehot)),
        Mistake("swl-label", N_("dx is y without the target: nothing is subtracted at the right class."),
                N_("subtract 1 at each row's label before dividing by N."), impl=_swl_with(lambda y, onehot, n: y / n)),
        Mistake("swl-sign", N_("dx has the wrong sign (t - y instead of y - t)."),
                impl=_swl_with(lambda y, onehot, n: (onehot - y) / n)),
        Mistake("swl-inplace", N_("a second call of backward gives a different dx: the first call changed the stored "
                "probabilities in place."), N_("copy y before subtracting 1 at the labels."),
                impl=type("SoftmaxWithLoss", (_swl_with(None),), {"backward": _swl_in_place})),
    ))


def _mul_protocol(run, cls, case):
    layer = run.call(cls, name=f"{cls.__name__}()")
    out = run.call(layer.forward, case["x"], case["y"], name=f"{cls.__name__}.forward")
    grads = run.call(layer.backward, case["dout"], name=f"{cls.__name__}.backward")
    dx, dy = run.unpack(grads, ("dx", "dy"), f"{cls.__name__}.backward")
    return {"forward(x, y)": out, "dx": dx, "dy": dy}


def _mul_with(grads):
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y
    return type("MulLayer", (), {"forward": forward, "backward": lambda self, dout: grads(self.x, self.y, dout)})


MUL_LAYER = Exercise(
    "mul_layer", _mul_with(lambda x, y, dout: (dout * y, dout * x)),
    lambda rng: [{k: rng.standard_normal(shape) for k in ("x", "y", "dout")} for shape in [(2,), (3, 4)]],
    kind="class", protocol=_mul_protocol, praise=N_("the multiply node sends each input the other input times dout."),
    hint=N_("the derivative of x * y with respect to x is y, and with respect to y is x."),
    mistakes=(
        Mistake("mul-swap", N_("each input got its own value times dout."),
                N_("a multiply node swaps its inputs: x's gradient uses y and y's uses x."),
                impl=_mul_with(lambda x, y, dout: (dout * x, dout * y))),
        Mistake("mul-dout", N_("the upstream gradient dout is missing."), impl=_mul_with(lambda x, y, dout: (y, x))),
    ))

QUIZ = [
    Question(N_("In the backward pass, what does an add node send to each of its two inputs?"),
             answer=0,
             options=[N_("the upstream gradient, unchanged"),
                      N_("half the upstream gradient"),
                      N_("the upstream gradient times the other input"),
                      N_("zero")],
             why=N_("d(x + y)/dx = 1, so the upstream gradient passes through unchanged to both inputs.")),
    Question(N_("ReLU's output lies in which range?"),
             answer=2,
             options=[N_("(0, 1)"), N_("[-1, 1]"), N_("[0, inf)"), N_("(-inf, inf)")],
             why=N_("max(0, x) is 0 for x <= 0 and x itself otherwise: unbounded above.")),
    Question(N_("A network has 39,760 parameters. How many forward passes of the loss does a central-difference "
             "numerical gradient need?"),
             answer=2 * 39_760,
             why=N_("two evaluations (x + h and x - h) per parameter: 79,520 forward passes, versus one forward and "
                 "one backward pass for backpropagation.")),
]
