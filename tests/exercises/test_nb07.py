"""Notebook 07 checkers: right answers pass, typical mistakes are rejected with feedback naming them."""

import numpy as np
import pytest

from course_lib import exercises
from course_lib.exercises import core, nb07


@pytest.fixture(autouse=True)
def fresh_hints():
    core.reset_hints()


def kerastools():
    """The Keras helpers, or a skip where TensorFlow is not installed."""
    return pytest.importorskip("course_lib.kerastools")


# -------------------------------------------------------------------------------------------------------- dropout

class GoodDropout:
    def __init__(self, p=0.5, seed=None):
        self.p = p
        self.rng = np.random.default_rng(seed)

    def forward(self, x, train=False):
        if not train:
            return x.copy()
        self.mask = self.rng.random(x.shape) >= self.p
        return x * self.mask / (1 - self.p)

    def backward(self, dout):
        return dout * self.mask / (1 - self.p)


class NoScaleDropout(GoodDropout):
    def forward(self, x, train=False):
        if not train:
            return x
        self.mask = self.rng.random(x.shape) >= self.p
        return x * self.mask


class ScaleByPDropout(GoodDropout):
    def forward(self, x, train=False):
        if not train:
            return x
        self.mask = self.rng.random(x.shape) >= self.p
        return x * self.mask / self.p


class KeepWithPDropout(GoodDropout):
    def forward(self, x, train=False):
        if not train:
            return x
        self.mask = self.rng.random(x.shape) < self.p
        return x * self.mask / (1 - self.p)


class OriginalFormDropout(GoodDropout):
    def forward(self, x, train=False):
        if not train:
            return x * (1 - self.p)
        return GoodDropout.forward(self, x, train)


class NewMaskBackwardDropout(GoodDropout):
    def backward(self, dout):
        return dout * (self.rng.random(dout.shape) >= self.p) / (1 - self.p)


class UnscaledBackwardDropout(GoodDropout):
    def backward(self, dout):
        return dout * self.mask


class IdentityBackwardDropout(GoodDropout):
    def backward(self, dout):
        return dout


class InPlaceDropout(GoodDropout):
    def forward(self, x, train=False):
        if not train:
            return x
        self.mask = self.rng.random(x.shape) >= self.p
        x *= self.mask / (1 - self.p)
        return x


class DropsAtInferenceDropout(GoodDropout):
    def forward(self, x, train=False):
        self.mask = self.rng.random(x.shape) >= self.p
        return x * self.mask / (1 - self.p)


class StubDropout:
    def __init__(self, p=0.5, seed=None):
        self.p = p
        self.rng = np.random.default_rng(seed)

    def forward(self, x, train=False):
        ...

    def backward(self, dout):
        ...


@pytest.mark.parametrize("answer, phrase", [
    (NoScaleDropout, "not scaled"),
    (ScaleByPDropout, "divide the kept units by p"),
    (KeepWithPDropout, "probability of DROPPING"),
    (OriginalFormDropout, "ORIGINAL form"),
    (NewMaskBackwardDropout, "SAME mask"),
    (UnscaledBackwardDropout, "does not scale it"),
    (IdentityBackwardDropout, "dout unchanged"),
    (InPlaceDropout, "in place"),
    (DropsAtInferenceDropout, "at inference nothing is dropped"),
    (GoodDropout(), "class itself"),
])
def test_dropout_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_dropout(answer)
    assert not fb and phrase in repr(fb), repr(fb)


def test_dropout_accepts_right_answer_and_says_not_answered():
    assert exercises.check_dropout(GoodDropout)
    assert "Not answered" in repr(exercises.check_dropout(StubDropout))


# -------------------------------------------------------------------------------------------------------- L2 model

def test_l2_checker_accepts_plain_l2():
    assert exercises.check_l2_model(kerastools().mlp(l2=1e-4), 1e-4)


def _mlp_with(**dense_options):
    keras = pytest.importorskip("keras")
    return keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),
                             keras.layers.Dense(16, activation="relu", **dense_options),
                             keras.layers.Dense(10, activation="softmax", **dense_options)])


@pytest.mark.parametrize("make, phrase", [
    (lambda: kerastools().mlp(), "no kernel_regularizer"),
    (lambda: kerastools().mlp(l2=1e-3), "expected 0.0001"),
    (lambda: _mlp_with(kernel_regularizer=pytest.importorskip("keras").regularizers.L1L2(l1=1e-5, l2=1e-4)),
     "L1L2 regulariser"),
    (lambda: _mlp_with(kernel_regularizer=pytest.importorskip("keras").regularizers.L1L2(l2=1e-4)),
     "L1L2 regulariser"),
    (lambda: _mlp_with(kernel_regularizer=pytest.importorskip("keras").regularizers.L2(1e-4),
                       bias_regularizer=pytest.importorskip("keras").regularizers.L2(1e-4)), "bias_regularizer"),
    (lambda: _mlp_with(kernel_regularizer=pytest.importorskip("keras").regularizers.L2(1e-4),
                       activity_regularizer=pytest.importorskip("keras").regularizers.L2(1e-4)),
     "activity_regularizer"),
])
def test_l2_checker_rejects_typical_mistakes(make, phrase):
    fb = exercises.check_l2_model(make(), 1e-4)
    assert not fb and phrase in repr(fb), repr(fb)


# -------------------------------------------------------------------------------------------------- early stopping

def stop_epoch(losses, patience):
    best, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(losses, start=1):
        if loss < best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return epoch
    return len(losses)


def stop_epoch_ties(losses, patience):
    best, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(losses, start=1):
        if loss <= best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return epoch
    return len(losses)


def stop_epoch_late(losses, patience):
    best, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(losses, start=1):
        if loss < best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch > patience:
            return epoch
    return len(losses)


@pytest.mark.parametrize("answer, phrase", [
    (lambda losses, patience: int(np.argmin(losses)) + 1, "lowest loss"),
    (lambda losses, patience: stop_epoch(losses, patience) - 1, "Count epochs from 1"),
    (stop_epoch_late, "one epoch late"),
    (stop_epoch_ties, "equal loss is not an improvement"),
    (lambda losses, patience: float(stop_epoch(losses, patience)), "an int"),
])
def test_stop_epoch_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_stop_epoch(answer)
    assert not fb and phrase in repr(fb), repr(fb)


def test_stop_epoch_first_miss_does_not_give_the_solution():
    def zero_based(losses, patience):
        return stop_epoch(losses, patience) - 1

    first, second = repr(exercises.check_stop_epoch(zero_based)), repr(exercises.check_stop_epoch(zero_based))
    assert "Hint" not in first and "enumerate" not in first and "Hint" in second


def test_stop_epoch_accepts_right_answer():
    assert exercises.check_stop_epoch(stop_epoch)


# ------------------------------------------------------------------------------------------------------------ quiz

@pytest.mark.parametrize("i, right, wrong", [(0, 3.75, 3.0), (1, 1, 0), (2, 1, 5), (3, 2, 0)])
def test_quiz(i, right, wrong):
    q = nb07.QUIZ[i]
    assert q.check(right) and not q.check(wrong)
