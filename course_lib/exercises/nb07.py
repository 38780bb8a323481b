"""Exercise checkers of notebook 07: inverted dropout, an L2-regularised Keras model, the early-stopping epoch."""

import numpy as np

from .. import layers
from ._legacy import Feedback, NOT_ANSWERED, Question, call, changed_inputs, first_mismatch, unanswered, wrong
from ._legacy import is_skeleton as is_stub

__all__ = ["check_dropout", "check_l2_model", "check_stop_epoch"]


# -------------------------------------------------------------------------------------------------------- dropout

def _dropout_cases():
    """(p, shape, dtype, seed): several rates, batch size 1, non-square, float32 and float64."""
    return [(0.3, (40, 30), np.float64, 11), (0.5, (1, 200), np.float32, 12), (0.8, (25, 8, 6), np.float64, 13)]


def check_dropout(cls):
    """A class ``cls(p=0.5, seed=None)`` with ``forward(x, train=False)`` and ``backward(dout)``: inverted dropout.

    Training: mask = self.rng.random(x.shape) >= self.p, output x * mask / (1 - p); inference: x unchanged;
    backward: dout through the same mask and scale. Compared with ``layers.Dropout(p, seed=seed)``.
    """
    if unanswered(cls):
        return NOT_ANSWERED
    if not isinstance(cls, type):
        return Feedback(False, "pass the class itself (its name, no parentheses).")
    if is_stub(getattr(cls, "forward", None)):
        return NOT_ANSWERED
    for p, shape, dtype, seed in _dropout_cases():
        rng = np.random.default_rng(seed)
        x = (rng.random(shape) + 0.5).astype(dtype)          # strictly positive: a dropped unit is exactly 0
        dout = (rng.random(shape) + 0.5).astype(dtype)
        try:
            drop = cls(p=p, seed=seed)
        except Exception as exc:  # the learner's code may raise anything
            return Feedback(False, f"{cls.__name__}(p={p}, seed={seed}) raised {type(exc).__name__}: {exc}.")
        ref = layers.Dropout(p, seed=seed)
        x_before, dout_before = x.copy(), dout.copy()
        where = f"with p={p} on an input of shape {shape}"

        # inference first: the identity, for any p
        out, err = call(lambda a: drop.forward(a, train=False), x)
        if err is not None:
            return err
        out = np.asarray(out)
        if out.shape == x.shape and np.allclose(out, x * (1 - p)):
            return wrong("drop-test-scaled", f"at inference you multiply by 1 - p: that is the ORIGINAL form. "
                                             "Inverted dropout scales during training, so inference must return "
                                             "x unchanged.")
        if out.shape == x.shape and np.any(out == 0):
            return wrong("drop-test-mask", f"{where}, forward(x, train=False) drops units: at inference nothing is "
                                           "dropped.", "only forward(x, train=True) draws a mask.")
        msg = first_mismatch("forward(x, train=False)", out, x)
        if msg:
            return wrong("drop-test", f"{where}: {msg} At inference inverted dropout returns x unchanged.")

        # training forward
        out, err = call(lambda a: drop.forward(a, train=True), x)
        if err is not None:
            return err
        expected = ref.forward(x, train=True)
        out = np.asarray(out)
        if not np.array_equal(x, x_before):
            return wrong("drop-in-place", f"{where}, forward(x, train=True) modified x in place: return a new "
                                          "array and leave x as it was.")
        if out.shape != x.shape:
            return Feedback(False, f"{where}, forward(x, train=True) has shape {out.shape}, expected {x.shape}.")
        kept = out != 0
        if kept.all():
            return wrong("drop-nothing", f"{where}, forward(x, train=True) drops no unit: multiply x by a mask of "
                                         "zeros and ones.", "draw the mask with self.rng.random(x.shape) >= self.p.")
        frac = kept.mean()
        if abs(frac - p) < abs(frac - (1 - p)) and abs(p - 0.5) > 0.1:
            return wrong("drop-keep-p", f"{where}, you keep {frac:.0%} of the units: p is the probability of "
                                        "DROPPING a unit, so about {:.0%} should survive.".format(1 - p),
                         "a unit survives where self.rng.random(x.shape) >= self.p.")
        ratio = out[kept] / x_before[kept]
        if not np.allclose(ratio, 1 / (1 - p), rtol=1e-5):
            if np.allclose(ratio, 1.0):
                return wrong("drop-no-scale", f"{where}, the kept units are not scaled: inverted dropout divides "
                                              "them by 1 - p so the expected output equals x.")
            if np.allclose(ratio, 1 / p):
                return wrong("drop-scale-p", f"{where}, you divide the kept units by p; divide by the KEEP "
                                             "probability 1 - p.")
            if np.allclose(ratio, 1 - p):
                return wrong("drop-scale-mul", f"{where}, you multiply the kept units by 1 - p; inverted dropout "
                                               "DIVIDES them by 1 - p.")
            return wrong("drop-scale", f"{where}, the kept units are x times {float(np.median(ratio)):.4g}; "
                                       f"expected 1 / (1 - p) = {1 / (1 - p):.4g}.")
        if out.dtype != x.dtype:
            return Feedback(False, f"{where}, the output has dtype {out.dtype}; keep the input's dtype {x.dtype}.")
        msg = first_mismatch("forward(x, train=True)", out, expected, rtol=1e-5)
        if msg:
            return wrong("drop-mask-draw", f"{where}: the scale is right but a different set of units is dropped "
                                           f"({msg}). Draw the mask exactly as the exercise says, once per forward "
                                           "call, from self.rng.")

        # backward, after the training forward
        dx, err = call(drop.backward, dout)
        if err is not None:
            return err
        dx_expected = ref.backward(dout)
        dx = np.asarray(dx)
        if dx.shape == dout.shape:
            if np.allclose(dx, dout):
                return wrong("drop-back-identity", f"{where}, backward returns dout unchanged: the dropped units "
                                                   "had no effect on the output, so their gradient is 0.",
                             "reuse the mask (and scale) stored by the last forward(x, train=True).")
            if np.allclose(dx, dout * (dx_expected != 0)):
                return wrong("drop-back-scale", f"{where}, backward masks dout but does not scale it by "
                                                "1 / (1 - p), as the forward pass did.")
            if not np.array_equal(dx != 0, dx_expected != 0):
                return wrong("drop-back-mask", f"{where}, backward zeroes other units than the forward pass "
                                               "dropped: use the SAME mask (store it in forward), never draw a "
                                               "new one.")
        msg = first_mismatch("backward(dout)", dx, dx_expected, rtol=1e-5)
        if msg:
            return wrong("drop-back", f"{where}: {msg}")
        if not np.issubdtype(dx.dtype, np.floating) or dx.dtype != dout.dtype:
            return Feedback(False, f"{where}, backward returns dtype {dx.dtype}; keep dout's dtype {dout.dtype}.")
        changed = changed_inputs({"x": x_before, "dout": dout_before}, {"x": x, "dout": dout})
        if changed:
            return wrong("drop-in-place", f"your code modified its input {changed} in place: return a new array.")
    return Feedback(True, "train: mask and divide by 1 - p; inference: identity; backward: the same mask. "
                          "Exactly what layers.Dropout does.")


# ---------------------------------------------------------------------------------------------------- L2 model

def check_l2_model(model, factor):
    """A Keras model whose Dense layers all carry an L2 kernel regulariser of ``factor``, and nothing else."""
    if unanswered(model):
        return NOT_ANSWERED
    dense = [layer for layer in getattr(model, "layers", []) if type(layer).__name__ == "Dense"]
    if not dense:
        return Feedback(False, "expected a Keras model with Dense layers (e.g. kt.mlp(...)).")
    for layer in dense:
        reg = layer.kernel_regularizer
        if reg is None:
            return wrong("l2-missing", f"layer {layer.name} has no kernel_regularizer: add L2 to every Dense layer.")
        kind = type(reg).__name__
        config = reg.get_config()
        if kind != "L2":
            l1 = config.get("l1", 0.0)
            extra = f" (with l1={l1:g})" if l1 else ""
            return wrong("l2-kind", f"layer {layer.name} uses a {kind} regulariser{extra}; the exercise asks for "
                                    "plain L2 weight decay.", "keras.regularizers.L2(factor).")
        got = config.get("l2")
        if got is None or not np.isclose(got, factor):
            return wrong("l2-factor", f"layer {layer.name} has L2 factor {got}; expected {factor}.")
        for what in ("bias_regularizer", "activity_regularizer"):
            if getattr(layer, what, None) is not None:
                return wrong("l2-extra", f"layer {layer.name} also has a {what}: the exercise asks for weight "
                                         "decay on the kernels only.")
    return Feedback(True, f"all {len(dense)} Dense layers pay {factor} * sum(w**2) in the loss.")


# ---------------------------------------------------------------------------------------------- early stopping

def _stop_epoch(losses, patience):
    """The reference: Keras' EarlyStopping rule with min_delta=0 (strict improvement), epochs counted from 1."""
    best, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(losses, start=1):
        if loss < best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return epoch
    return len(losses)


_STOP_CASES = [([0.9, 0.7, 0.6, 0.65, 0.7, 0.62, 0.8], 3),
               ([0.5, 0.4, 0.3, 0.2], 2),
               ([0.5, 0.6, 0.4, 0.45, 0.5], 2),
               ([0.5, 0.5, 0.5], 1),
               ([1.0, 0.8, 0.8, 0.9, 0.7, 0.75, 0.76, 0.77, 0.78], 3)]


def check_stop_epoch(fn):
    """``fn(val_losses, patience)``: the epoch (from 1) at which early stopping ends training."""
    if unanswered(fn) or is_stub(fn):
        return NOT_ANSWERED
    for losses, patience in _STOP_CASES:
        before = list(losses)
        out, err = call(fn, list(losses), patience)
        if err is not None:
            return err
        expected = _stop_epoch(losses, patience)
        if isinstance(out, (bool, np.bool_)) or not isinstance(out, (int, np.integer)):
            return wrong("stop-type", f"for losses {losses} and patience {patience} you return {out!r}; return "
                                      "an epoch number (an int).")
        if out == expected:
            continue
        case = f"for losses {losses} and patience {patience} you return {out}, expected {expected}:"
        best = int(np.argmin(losses)) + 1
        if out == best and best != expected:
            return wrong("stop-best", f"{case} that is the epoch of the lowest loss. Early stopping only learns "
                                      "that it was the best `patience` epochs later, when it stops.")
        if out == _stop_epoch_ties(losses, patience):
            return wrong("stop-ties", f"{case} an equal loss is not an improvement.",
                         "count an epoch as an improvement only when its loss is strictly below the best so far.")
        if out == expected - 1:
            return wrong("stop-zero-based", f"{case} one epoch early. Count epochs from 1.",
                         "enumerate(val_losses, start=1).")
        if out == expected + 1:
            return wrong("stop-late", f"{case} one epoch late: stop as soon as `patience` epochs in a row brought "
                                      "no improvement.")
        if before != losses:
            return wrong("stop-changed", "your function changed the list it was given: leave val_losses as it is.")
        return wrong("stop-other", f"{case} keep the best loss so far and the epoch it happened; stop at the first "
                                   "epoch that is `patience` epochs after it.")
    return Feedback(True, "this is the rule keras.callbacks.EarlyStopping applies (with min_delta=0).")


def _stop_epoch_ties(losses, patience):
    """The mistake of counting an equal loss as an improvement."""
    best, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(losses, start=1):
        if loss <= best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return epoch
    return len(losses)


QUIZ = [
    Question("Inverted dropout with p = 0.2 keeps a unit whose input is 3.0. What does the training-mode forward "
             "pass output for it?", answer=3.75, rel=1e-6,
             why="kept units are divided by the keep probability 1 - p = 0.8: 3.0 / 0.8 = 3.75."),
    Question("You try 20 settings and keep the one with the best test accuracy. What does that accuracy estimate?",
             answer=1, options=["the accuracy on new data, without bias",
                                "an optimistic figure: the test set took part in the choice",
                                "a pessimistic figure: the best setting is penalised",
                                "the training accuracy"],
             why="choosing on the test set makes it part of training: the chosen figure is biased upwards."),
    Question("In 5-fold cross-validation, how many times is each training example used for validation?",
             answer=1.0, rel=1e-9, why="each example lies in exactly one of the five folds."),
    Question("The validation loss starts rising while the training loss keeps falling. What is happening?",
             answer=2, options=["underfitting", "a bug in the loss", "overfitting", "the learning rate is too small"],
             why="the model fits its training data better and new data worse: it is memorising."),
]
