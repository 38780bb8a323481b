"""Exercises of notebook 07: inverted dropout, an L2-regularised Keras model, the early-stopping epoch."""

import numpy as np

from .. import layers
from ..i18n import N_, _
from .core import Question
from .engine import EXACT, Exercise, Mistake


def _dropout_cases(rng):
    """Several rates, batch size 1, non-square, float32 and float64; strictly positive x: a dropped unit is 0."""
    return [{"p": p, "seed": int(rng.integers(2**31)), "x": (rng.random(shape) + 0.5).astype(dtype),
             "dout": (rng.random(shape) + 0.5).astype(dtype)}
            for p, shape, dtype in [(0.3, (40, 30), np.float64), (0.5, (1, 200), np.float32),
                                    (0.8, (25, 8, 6), np.float64)]]


def _dropout_protocol(run, cls, case):
    drop = run.call(cls, p=case["p"], seed=case["seed"], name=f"{cls.__name__}(p={case['p']}, seed=...)")
    return {"forward(x, train=False)": run.call(drop.forward, case["x"], train=False, name=f"{cls.__name__}.forward"),
            "forward(x, train=True)": run.call(drop.forward, case["x"], train=True, name=f"{cls.__name__}.forward"),
            "backward(dout)": run.call(drop.backward, case["dout"], name=f"{cls.__name__}.backward")}


def _dropout(keep=lambda r, p: r >= p, scale=lambda p: 1 / (1 - p), test=lambda x, p: x, back_scale=True,
             new_mask=False):
    """Inverted dropout and its typical mistakes."""
    def forward(self, x, train=False):
        if not train:
            return test(x, self.p) if test else x * (self.rng.random(x.shape) >= self.p)
        self.mask = keep(self.rng.random(x.shape), self.p)
        return (x * self.mask * scale(self.p)).astype(x.dtype)

    def backward(self, dout):
        mask = self.rng.random(dout.shape) >= self.p if new_mask else self.mask
        return (dout * mask * (scale(self.p) if back_scale else 1)).astype(dout.dtype)

    return type("Dropout", (layers.Dropout,), {"forward": forward, "backward": backward})


DROPOUT = Exercise(
    "dropout", layers.Dropout, _dropout_cases, kind="class", protocol=_dropout_protocol, same_dtype=True,
    praise=N_("train: mask and divide by 1 - p; inference: identity; backward: the same mask. Exactly what "
           "layers.Dropout does."),
    hint=N_("draw the mask exactly as the exercise says, once per training forward call, from self.rng; scale the kept "
         "units by the keep probability; backward reuses that mask and scale."),
    mistakes=(
        Mistake("drop-test-scaled", N_("at inference you multiply by 1 - p: that is the ORIGINAL form. Inverted "
                "dropout scales during training, so inference must return x unchanged."),
                impl=_dropout(test=lambda x, p: x * (1 - p))),
        Mistake("drop-test-mask", N_("forward(x, train=False) drops units: at inference nothing is dropped."),
                N_("only a training forward pass draws a mask."), impl=_dropout(test=None)),
        Mistake("drop-keep-p", N_("p is the probability of DROPPING a unit; you keep units with probability p."),
                N_("a unit survives where the uniform draw is at least p."), impl=_dropout(keep=lambda r, p: r < p)),
        Mistake("drop-no-scale", N_("the kept units are not scaled: inverted dropout divides them by 1 - p so the "
                "expected output equals x."), impl=_dropout(scale=lambda p: 1)),
        Mistake("drop-scale-p", N_("you divide the kept units by p; divide by the KEEP probability 1 - p."),
                impl=_dropout(scale=lambda p: 1 / p)),
        Mistake("drop-scale-mul", N_("you multiply the kept units by 1 - p; inverted dropout DIVIDES them by 1 - p."),
                impl=_dropout(scale=lambda p: 1 - p)),
        Mistake("drop-back-scale", N_("backward masks dout but does not scale it by 1 / (1 - p), as the forward pass "
                "did."), impl=_dropout(back_scale=False)),
        Mistake("drop-back-mask", N_("backward zeroes other units than the forward pass dropped: use the SAME mask "
                "(store it in forward), never draw a new one."), impl=_dropout(new_mask=True)),
    ))


def _regularisers(run, model, case):
    dense = [layer for layer in getattr(model, "layers", []) if type(layer).__name__ == "Dense"]
    run.require(dense, _("expected a Keras model with Dense layers (e.g. kt.mlp(...)), got {type}.").format(
        type=type(model).__name__))
    found = set()
    for layer in dense:
        reg = layer.kernel_regularizer
        found.add("none" if reg is None else f"{type(reg).__name__} {reg.get_config()}")
    return {N_("the kernel regularisers of the Dense layers"): sorted(found)}


def _mlp(l2):
    from .. import kerastools   # TensorFlow, only when a Keras exercise is checked
    return kerastools.mlp(l2=l2, name="mlp_l2")


L2_MODEL = Exercise(
    "l2_model", lambda factor: _mlp(factor), lambda factor: [{"factor": factor}], kind="value",
    protocol=_regularisers, praise=N_("every Dense layer carries the same L2 penalty on its weights."),
    hint=N_("give every Dense layer the same L2 kernel regulariser with the factor of the exercise."),
    mistakes=(
        Mistake("l2-missing", N_("some Dense layer has no kernel_regularizer: add L2 to every Dense layer."),
                impl=lambda factor: _mlp(0.0)),
        Mistake("l2-factor", N_("the L2 factor is not the one asked for."), impl=lambda factor: _mlp(factor * 10)),
    ))


def _stop(better=lambda loss, best: loss < best, shift=0, best_only=False):
    def stop_epoch(val_losses, patience):
        best, best_epoch = float("inf"), 0
        for epoch, loss in enumerate(val_losses, start=1):
            if better(loss, best):
                best, best_epoch = loss, epoch
            elif epoch - best_epoch >= patience:
                return best_epoch if best_only else epoch + shift
        return best_epoch if best_only else len(val_losses)
    return stop_epoch


STOP_EPOCH = Exercise(
    "stop_epoch", _stop(), lambda rng: [{"val_losses": losses, "patience": patience} for losses, patience in [
        ([0.9, 0.7, 0.6, 0.65, 0.7, 0.62, 0.8], 3), ([0.5, 0.4, 0.3, 0.2], 2), ([0.5, 0.6, 0.4, 0.45, 0.5], 2),
        ([0.5, 0.5, 0.5], 1), ([1.0, 0.8, 0.8, 0.9, 0.7, 0.75, 0.76, 0.77, 0.78], 3)]], tol=EXACT,
    praise=N_("this is the rule keras.callbacks.EarlyStopping applies (with min_delta=0)."),
    hint=N_("keep the best loss so far and the epoch it happened; stop at the first epoch that is `patience` epochs "
         "after it."),
    mistakes=(
        Mistake("stop-best", N_("that is the epoch of the lowest loss. Early stopping only learns that it was the best "
                "`patience` epochs later, when it stops."), impl=_stop(best_only=True)),
        Mistake("stop-ties", N_("an equal loss is not an improvement."), N_("count an epoch as an improvement only "
                "when its loss is strictly below the best so far."),
                impl=_stop(better=lambda loss, best: loss <= best)),
        Mistake("stop-zero-based", N_("one epoch early. Count epochs from 1."), impl=_stop(shift=-1)),
        Mistake("stop-late", N_("one epoch late: stop as soon as `patience` epochs in a row brought no improvement."),
                impl=_stop(shift=1)),
    ))

QUIZ = [
    Question(N_("Inverted dropout with p = 0.2 keeps a unit whose input is 3.0. What does the training-mode forward "
             "pass output for it?"), answer=3.75, rel=1e-6,
             why=N_("kept units are divided by the keep probability 1 - p = 0.8: 3.0 / 0.8 = 3.75.")),
    Question(N_("You try 20 settings and keep the one with the best test accuracy. What does that accuracy estimate?"),
             answer=1, options=[N_("the accuracy on new data, without bias"),
                                N_("an optimistic figure: the test set took part in the choice"),
                                N_("a pessimistic figure: the best setting is penalised"),
                                N_("the training accuracy")],
             why=N_("choosing on the test set makes it part of training: the chosen figure is biased upwards.")),
    Question(N_("In 5-fold cross-validation, how many times is each training example used for validation?"),
             answer=1.0, rel=1e-9, why=N_("each example lies in exactly one of the five folds.")),
    Question(N_("The validation loss starts rising while the training loss keeps falling. What is happening?"),
             answer=2, options=[N_("underfitting"), N_("a bug in the loss"), N_("overfitting"), N_("the learning rate "
                                                                                                   "is too small")],
             why=N_("the model fits its training data better and new data worse: it is memorising.")),
]
