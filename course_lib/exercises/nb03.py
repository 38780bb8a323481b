"""Exercise checkers of notebook 03: the learner writes the backward passes of Sigmoid, ReLU, Affine, SoftmaxWithLoss
and a multiply node. Each checker runs the learner's class on fresh random inputs of several shapes, compares with
``course_lib.layers`` (values, shapes, dtypes), checks that no input was modified, and runs a float64 gradient check.
"""

import numpy as np

from .. import layers
from ._legacy import (NOT_ANSWERED, Feedback, Question, changed_inputs, first_mismatch, gradient_error, unanswered,
                   wrong)

__all__ = ["check_sigmoid_layer", "check_relu_layer", "check_affine_layer", "check_softmax_with_loss",
           "check_mul_layer"]

_NOT_WRITTEN = object()


def _run(fn, *args):
    """Call a learner's method: ``(result, None)``, ``(None, feedback)`` on an exception, ``(_NOT_WRITTEN, None)``
    when it returns None (its body is still ``...``)."""
    name = getattr(fn, "__qualname__", getattr(fn, "__name__", "your code"))
    try:
        with np.errstate(all="ignore"):
            result = fn(*args)
    except Exception as exc:  # the learner's code may raise anything
        return None, Feedback(False, f"{name} raised {type(exc).__name__}: {exc}")
    if result is None:
        return _NOT_WRITTEN, None
    return result, None


def _compare(what, got, expected, case):
    problem = first_mismatch(what, got, expected, rtol=1e-5, atol=1e-7)
    if problem is None and np.asarray(got).dtype != np.asarray(expected).dtype:
        problem = f"{what} has dtype {np.asarray(got).dtype}; for {expected.dtype} inputs it should stay {expected.dtype}."
    return f"for {case}: {problem}" if problem else None


def _make(cls, *args):
    try:
        return cls(*args), None
    except Exception as exc:  # the learner's code may raise anything
        return None, Feedback(False, f"creating {getattr(cls, '__name__', 'your layer')} raised "
                                     f"{type(exc).__name__}: {exc}")


def _elementwise(cls, name, library_cls, cases, diagnose):
    """Shared checker of an elementwise layer (forward and backward written by the learner)."""
    if unanswered(cls):
        return NOT_ANSWERED
    for case, x in cases:
        layer, err = _make(cls)
        if err:
            return err
        ref = library_cls()
        x_keep = x.copy()
        out, err = _run(layer.forward, x)
        if err:
            return err
        if out is _NOT_WRITTEN:
            return NOT_ANSWERED
        if changed_inputs({"x": x_keep}, {"x": x}):
            return wrong(f"{name}-x-inplace", f"{name}.forward changed its input x in place (for {case}).",
                         "build the output as a new array; the layer before needs x as it was.")
        expected = ref.forward(x_keep.copy())
        problem = _compare("forward(x)", out, expected, case)
        if problem:
            return wrong(f"{name}-forward", f"{name}.forward: {problem}")
        dout = np.random.default_rng().standard_normal(x.shape).astype(x.dtype)
        dout_keep = dout.copy()
        dx, err = _run(layer.backward, dout)
        if err:
            return err
        if dx is _NOT_WRITTEN:
            return NOT_ANSWERED
        if changed_inputs({"dout": dout_keep}, {"dout": dout}):
            return wrong(f"{name}-dout-inplace", f"{name}.backward changed dout in place (for {case}). The layer "
                         "above still owns that array (a branch of the graph may read it again).",
                         "return a new array computed from dout instead of writing zeros into it.")
        expected_dx = ref.backward(dout_keep.copy())
        problem = _compare("backward(dout)", dx, expected_dx, case)
        if problem:
            named = diagnose(x_keep, dout_keep, np.asarray(dx, dtype=np.float64), case)
            return named if named is not None else wrong(f"{name}-backward", f"{name}.backward: {problem}")
    # float64 gradient check away from the kink: numerical gradient of sum(forward(x) * dout) vs the learner's dx
    rng = np.random.default_rng()
    x = rng.standard_normal((3, 4))
    x[np.abs(x) < 0.1] = 0.5
    layer, dout = cls(), rng.standard_normal((3, 4))
    layer.forward(x.copy())
    dx = np.asarray(layer.backward(dout.copy()), dtype=np.float64)
    ref = library_cls()
    error = gradient_error(lambda: float(np.sum(ref.forward(x) * dout)), x, dx)
    if error > 1e-7:
        return Feedback(False, f"{name}.backward fails the float64 gradient check (relative error {error:.1e}).")
    return None


def _activation_cases(rng, with_zeros=False):
    cases = [("a random batch (4, 5)", rng.standard_normal((4, 5))),
             ("a batch of one (1, 7)", rng.standard_normal((1, 7))),
             ("images (2, 1, 3, 3) in float32", rng.standard_normal((2, 1, 3, 3)).astype(np.float32))]
    if with_zeros:
        x = rng.standard_normal((3, 4))
        x[:, 1] = 0.0
        cases.append(("a batch with exact zeros in column 1", x))
    return cases


def check_relu_layer(cls):
    """``cls()`` with ``forward(x)`` -> max(0, x) and ``backward(dout)`` -> dout where x > 0, else 0."""
    def diagnose(x, dout, dx, case):
        if dx.shape == x.shape and np.allclose(dx, dout * (x >= 0)) and np.any(x == 0):
            return wrong("relu-zero", f"ReLU.backward for {case}: where x is exactly 0 you let the gradient "
                         "through. max(0, x) is flat for x <= 0, and the layer passes nothing back there.",
                         "the mask should be x > 0 (strictly), remembered in forward.")
        if dx.shape == x.shape and np.allclose(dx, dout):
            return wrong("relu-nomask", f"ReLU.backward for {case}: you pass dout through everywhere.",
                         "zero the gradient where the input was not positive: keep a mask from forward.")
        if dx.shape == x.shape and np.allclose(dx, dout * (x < 0)):
            return wrong("relu-flipped", f"ReLU.backward for {case}: the gradient flows where x < 0 and is "
                         "blocked where x > 0: the mask is flipped.")
        return None

    bad = _elementwise(cls, "ReLU", layers.Relu, _activation_cases(np.random.default_rng(), True), diagnose)
    return bad if bad is not None else Feedback(True, "dout passes where x > 0 and stops elsewhere (also at exactly 0); x and dout are "
                                 "untouched; the float64 gradient check agrees.")


def check_sigmoid_layer(cls):
    """``cls()`` with ``forward(x)`` -> sigmoid(x) and ``backward(dout)`` -> dout * y * (1 - y)."""
    def diagnose(x, dout, dx, case):
        y = 1 / (1 + np.exp(-x))
        if dx.shape == x.shape and np.allclose(dx, dout * x * (1 - x)):
            return wrong("sigmoid-input", f"Sigmoid.backward for {case}: you used the input x in y (1 - y); "
                         "the formula needs the OUTPUT y.", "keep y from forward (e.g. self.out) and use it.")
        if dx.shape == x.shape and np.allclose(dx, dout * y):
            return wrong("sigmoid-half", f"Sigmoid.backward for {case}: the factor (1 - y) is missing.")
        if dx.shape == x.shape and np.allclose(dx, y * (1 - y)):
            return wrong("sigmoid-dout", f"Sigmoid.backward for {case}: you return the local derivative alone.",
                         "chain rule: multiply by the upstream gradient dout.")
        return None

    bad = _elementwise(cls, "Sigmoid", layers.Sigmoid, _activation_cases(np.random.default_rng()), diagnose)
    return bad if bad is not None else Feedback(True, "dout * y * (1 - y), with the y kept from forward; the float64 gradient check "
                                 "agrees.")


def _affine_cases(rng):
    return [("x (4, 6), W (6, 3)", rng.standard_normal((4, 6)), rng.standard_normal((6, 3))),
            ("a batch of one, x (1, 5), W (5, 2)", rng.standard_normal((1, 5)), rng.standard_normal((5, 2))),
            ("a square W (4, 4), x (3, 4)", rng.standard_normal((3, 4)), rng.standard_normal((4, 4))),
            ("images x (2, 1, 3, 3) in float32, W (9, 4)", rng.standard_normal((2, 1, 3, 3)).astype(np.float32),
             rng.standard_normal((9, 4)).astype(np.float32))]


def check_affine_layer(cls):
    """``cls(W, b)`` whose ``backward(dout)`` returns dx (shaped like the input) and sets ``self.dW``, ``self.db``."""
    if unanswered(cls):
        return NOT_ANSWERED
    rng = np.random.default_rng()
    for case, x, W in _affine_cases(rng):
        b = rng.standard_normal(W.shape[1]).astype(W.dtype)
        layer, err = _make(cls, W.copy(), b.copy())
        if err:
            return err
        ref = layers.Affine(W.copy(), b.copy())
        x_keep = x.copy()
        out, err = _run(layer.forward, x)
        if err:
            return err
        if out is _NOT_WRITTEN:
            return Feedback(False, "forward returns None: keep the forward given in the skeleton.")
        expected = ref.forward(x_keep.copy())
        dout = rng.standard_normal(expected.shape).astype(x.dtype)
        dout_keep = dout.copy()
        dx, err = _run(layer.backward, dout)
        if err:
            return err
        if dx is _NOT_WRITTEN:
            return NOT_ANSWERED
        moved = changed_inputs({"x": x_keep, "dout": dout_keep}, {"x": x, "dout": dout})
        if moved:
            return wrong("affine-inplace", f"Affine changed {moved} in place (for {case}).")
        want_dx = ref.backward(dout_keep.copy())
        want = {"dx": want_dx, "dW": ref.grads["W"], "db": ref.grads["b"]}
        got = {"dx": np.asarray(dx), "dW": getattr(layer, "dW", None), "db": getattr(layer, "db", None)}
        for name in ("dW", "db"):
            if got[name] is None:
                return wrong("affine-missing", f"Affine.backward did not set self.{name}.")
            got[name] = np.asarray(got[name])
        if got["dx"].shape != want_dx.shape and got["dx"].size == want_dx.size:
            return wrong("affine-reshape", f"for {case}: dx has shape {got['dx'].shape}, the input had "
                         f"{want_dx.shape}. The layer below expects its gradient in the shape it sent.",
                         "remember the input's shape in forward and give dx that shape back.")
        dW = got["dW"]
        if dW.shape == want["dW"].shape[::-1] and dW.shape != want["dW"].shape or \
                W.shape[0] == W.shape[1] and np.allclose(dW, want["dW"].T) and not np.allclose(dW, want["dW"]):
            return wrong("affine-dW-transposed", f"for {case}: dW is transposed (shape {dW.shape}, W has "
                         f"{W.shape}).", "dW must have W's shape (D, M): multiply x transposed by dout.")
        db = got["db"]
        if db.shape == dout_keep.shape and db.shape != want["db"].shape:
            return wrong("affine-db-batch", f"for {case}: db has shape {db.shape}, one row per example; b has "
                         f"shape {b.shape}.", "b is shared by every example, so its gradient adds up over the batch.")
        if db.shape == want["db"].shape and np.allclose(db, dout_keep.mean(axis=0)) and len(dout_keep) > 1:
            return wrong("affine-db-mean", f"for {case}: db is the MEAN of dout over the batch; b's gradient is "
                         "the sum (the loss already divided by N).")
        for name in ("dx", "dW", "db"):
            problem = _compare(name, got[name], want[name], case)
            if problem:
                return wrong(f"affine-{name}", f"Affine.backward: {problem}")
    # float64 gradient check of dx, dW, db on image-shaped input
    x, W, b = rng.standard_normal((3, 1, 2, 3)), rng.standard_normal((6, 4)), rng.standard_normal(4)
    dout = rng.standard_normal((3, 4))
    layer = cls(W.copy(), b.copy())
    layer.forward(x.copy())
    analytic = {"x": np.asarray(layer.backward(dout.copy())), "W": np.asarray(layer.dW), "b": np.asarray(layer.db)}
    ref = layers.Affine(W, b)
    for name, arr in (("x", x), ("W", W), ("b", b)):
        error = gradient_error(lambda: float(np.sum(ref.forward(x) * dout)), arr, analytic[name])
        if error > 1e-7:
            return Feedback(False, f"Affine.backward: d{name} fails the float64 gradient check ({error:.1e}).")
    return Feedback(True, "dx = dout W^T in the input's shape, dW = x^T dout, db = dout summed over the batch; the "
                          "float64 gradient check agrees.")


def check_softmax_with_loss(cls):
    """``cls()`` whose ``backward(dout=1)`` returns (y - onehot(t)) / N for label indices t."""
    if unanswered(cls):
        return NOT_ANSWERED
    rng = np.random.default_rng()
    for n, c in [(4, 3), (1, 5), (6, 10)]:
        case = f"scores ({n}, {c})"
        x, t = rng.standard_normal((n, c)) * 2, rng.integers(0, c, n)
        layer, err = _make(cls)
        if err:
            return err
        ref = layers.SoftmaxWithLoss()
        loss, err = _run(layer.forward, x.copy(), t.copy())
        if err:
            return err
        ref.forward(x.copy(), t.copy())
        dx, err = _run(layer.backward)
        if err:
            return err
        if dx is _NOT_WRITTEN:
            return NOT_ANSWERED
        dx = np.asarray(dx)
        want = ref.backward()
        y, onehot = want * n + np.eye(c)[t], np.eye(c)[t]
        if dx.shape == want.shape and np.allclose(dx, want * n) and n > 1:
            return wrong("swl-n", f"for {case}: your dx is N = {n} times too large.",
                         "the loss is a mean over the batch, so every entry of dx carries a factor 1/N.")
        if dx.shape == want.shape and (np.allclose(dx, y / n) or np.allclose(dx, y)):
            return wrong("swl-label", f"for {case}: dx is y (divided by N), without the target: nothing is "
                         "subtracted at the right class.",
                         "subtract 1 at each row's label before dividing by N.")
        if dx.shape == want.shape and np.allclose(dx, (onehot - y) / n):
            return wrong("swl-sign", f"for {case}: dx has the wrong sign (t - y instead of y - t).")
        problem = _compare("dx", dx, want, case)
        if problem:
            return wrong("swl-values", f"SoftmaxWithLoss.backward: {problem}")
        again, err = _run(layer.backward)
        if err:
            return err
        if again is _NOT_WRITTEN or not np.allclose(np.asarray(again), want):
            return wrong("swl-inplace", f"for {case}: a second call of backward gives a different dx: the first "
                         "call changed the stored probabilities in place.",
                         "copy y before subtracting 1 at the labels.")
    x, t = rng.standard_normal((3, 4)), np.array([0, 3, 1])
    layer = cls()
    layer.forward(x.copy(), t)
    dx = np.asarray(layer.backward(), dtype=np.float64)
    error = gradient_error(lambda: layers.SoftmaxWithLoss().forward(x, t), x, dx)
    if error > 1e-7:
        return Feedback(False, f"SoftmaxWithLoss.backward fails the float64 gradient check ({error:.1e}).")
    return Feedback(True, "copy y, subtract 1 at each label, divide by N: (y - t) / N, and the float64 gradient "
                          "check agrees.")


def check_mul_layer(cls):
    """``cls()`` with ``forward(x, y)`` -> x * y and ``backward(dout)`` -> ``(dx, dy)``."""
    if unanswered(cls):
        return NOT_ANSWERED
    rng = np.random.default_rng()
    for shape in [(2,), (3, 4)]:
        x, y, dout = rng.standard_normal(shape), rng.standard_normal(shape), rng.standard_normal(shape)
        layer, err = _make(cls)
        if err:
            return err
        out, err = _run(layer.forward, x, y)
        if err:
            return err
        if out is _NOT_WRITTEN:
            return NOT_ANSWERED
        problem = first_mismatch("forward(x, y)", out, x * y)
        if problem:
            return wrong("mul-forward", f"MulLayer.forward: {problem}")
        grads, err = _run(layer.backward, dout)
        if err:
            return err
        if grads is _NOT_WRITTEN:
            return NOT_ANSWERED
        if not isinstance(grads, tuple) or len(grads) != 2:
            return Feedback(False, "MulLayer.backward should return two gradients, (dx, dy).")
        dx, dy = (np.asarray(g) for g in grads)
        if np.allclose(dx, dout * x) and np.allclose(dy, dout * y):
            return wrong("mul-swap", "MulLayer.backward: each input got its own value times dout.",
                         "a multiply node swaps its inputs: x's gradient uses y and y's uses x.")
        if np.allclose(dx, y) and np.allclose(dy, x):
            return wrong("mul-dout", "MulLayer.backward: the upstream gradient dout is missing.")
        for name, g, want in (("dx", dx, dout * y), ("dy", dy, dout * x)):
            problem = first_mismatch(name, g, want)
            if problem:
                return wrong(f"mul-{name}", f"MulLayer.backward: {problem}")
    return Feedback(True, "the multiply node sends each input the other input times dout.")


QUIZ = [
    Question("In the backward pass, what does an add node send to each of its two inputs?",
             answer=0,
             options=["the upstream gradient, unchanged",
                      "half the upstream gradient",
                      "the upstream gradient times the other input",
                      "zero"],
             why="d(x + y)/dx = 1, so the upstream gradient passes through unchanged to both inputs."),
    Question("ReLU's output lies in which range?",
             answer=2,
             options=["(0, 1)", "[-1, 1]", "[0, inf)", "(-inf, inf)"],
             why="max(0, x) is 0 for x <= 0 and x itself otherwise: unbounded above."),
    Question("A network has 39,760 parameters. How many forward passes of the loss does a central-difference "
             "numerical gradient need?",
             answer=2 * 39_760,
             why="two evaluations (x + h and x - h) per parameter: 79,520 forward passes, versus one forward and "
                 "one backward pass for backpropagation."),
]
