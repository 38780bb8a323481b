"""Notebook 05 checkers: right answers pass, typical mistakes are rejected with feedback naming them."""

import numpy as np
import pytest

from course_lib import exercises
from course_lib.exercises import core, nb05


@pytest.fixture(autouse=True)
def fresh_hints():
    core.reset_hints()


# ------------------------------------------------------------------------------------------------------------ SGD

class GoodSGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for k in params:
            params[k] -= self.lr * grads[k]


class UphillSGD(GoodSGD):
    def update(self, params, grads):
        for k in params:
            params[k] += self.lr * grads[k]


class HardcodedSGD(GoodSGD):
    def update(self, params, grads):
        for k in params:
            params[k] -= 0.01 * grads[k]


class RebindingSGD(GoodSGD):
    def update(self, params, grads):
        for k in params:
            params[k] = params[k] - self.lr * grads[k]


class CopySGD(GoodSGD):
    def update(self, params, grads):
        for k in params:
            w = params[k].copy()
            w -= self.lr * grads[k]


class GradTouchingSGD(GoodSGD):
    def update(self, params, grads):
        for k in params:
            grads[k] *= self.lr
            params[k] -= grads[k]


class StubSGD:
    def __init__(self, lr=0.01):
        ...

    def update(self, params, grads):
        ...


@pytest.mark.parametrize("answer, phrase", [
    (UphillSGD, "uphill"),
    (HardcodedSGD, "lr=0.01 whatever"),
    (RebindingSGD, "new array"),
    (CopySGD, "did not change params"),
    (GradTouchingSGD, "modified grads"),
    (GoodSGD(), "class itself"),
])
def test_sgd_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_sgd(answer)
    assert not fb and phrase in repr(fb), repr(fb)


def test_sgd_accepts_right_answer_and_says_not_answered():
    assert exercises.check_sgd(GoodSGD)
    assert "Not answered" in repr(exercises.check_sgd(StubSGD))
    assert "Not answered" in repr(exercises.check_sgd(...))


def test_hint_comes_on_the_second_miss():
    first, second = repr(exercises.check_sgd(UphillSGD)), repr(exercises.check_sgd(UphillSGD))
    assert "Hint" not in first and "Hint" in second


# ------------------------------------------------------------------------------------------------------- Momentum

class GoodMomentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, {}

    def update(self, params, grads):
        for k in params:
            self.v[k] = self.momentum * self.v.get(k, 0) - self.lr * grads[k]
            params[k] += self.v[k]


class FlippedSignConventionMomentum(GoodMomentum):
    """v accumulates +lr*g and is subtracted: the same rule written the other way round (right)."""

    def update(self, params, grads):
        for k in params:
            self.v[k] = self.momentum * self.v.get(k, 0) + self.lr * grads[k]
            params[k] -= self.v[k]


class SharedVelocityMomentum(GoodMomentum):
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, 0

    def update(self, params, grads):
        for k in params:
            self.v = self.momentum * self.v - self.lr * grads[k]
            params[k] += self.v


class UphillMomentum(GoodMomentum):
    def update(self, params, grads):
        for k in params:
            self.v[k] = self.momentum * self.v.get(k, 0) + self.lr * grads[k]
            params[k] += self.v[k]


class LateMomentum(GoodMomentum):
    def update(self, params, grads):
        for k in params:
            params[k] += self.v.get(k, 0)
            self.v[k] = self.momentum * self.v.get(k, 0) - self.lr * grads[k]


class HardcodedMomentum(GoodMomentum):
    def update(self, params, grads):
        for k in params:
            self.v[k] = 0.9 * self.v.get(k, 0) - 0.01 * grads[k]
            params[k] += self.v[k]


class NoMemoryMomentum(GoodMomentum):
    def update(self, params, grads):
        for k in params:
            params[k] -= self.lr * grads[k]


@pytest.mark.parametrize("answer, phrase", [
    (SharedVelocityMomentum, "ONE velocity"),
    (UphillMomentum, "uphill"),
    (LateMomentum, "OLD velocity"),
    (HardcodedMomentum, "ignores the constructor"),
    (NoMemoryMomentum, "velocity that remembers"),
])
def test_momentum_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_momentum(answer)
    assert not fb and phrase in repr(fb), repr(fb)


def test_momentum_accepts_both_sign_conventions():
    assert exercises.check_momentum(GoodMomentum)
    assert exercises.check_momentum(FlippedSignConventionMomentum)


# ----------------------------------------------------------------------------------------------------------- Adam

class GoodAdam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t, self.m, self.v = 0, {}, {}

    def update(self, params, grads):
        self.t += 1
        for k in params:
            self.m[k] = self.beta1 * self.m.get(k, 0) + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * self.v.get(k, 0) + (1 - self.beta2) * grads[k] ** 2
            m_hat = self.m[k] / (1 - self.beta1 ** self.t)
            v_hat = self.v[k] / (1 - self.beta2 ** self.t)
            params[k] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class NoCorrectionAdam(GoodAdam):
    def update(self, params, grads):
        for k in params:
            self.m[k] = self.beta1 * self.m.get(k, 0) + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * self.v.get(k, 0) + (1 - self.beta2) * grads[k] ** 2
            params[k] -= self.lr * self.m[k] / (np.sqrt(self.v[k]) + self.eps)


class PerKeyStepAdam(GoodAdam):
    def update(self, params, grads):
        for k in params:
            self.t += 1
            self.m[k] = self.beta1 * self.m.get(k, 0) + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * self.v.get(k, 0) + (1 - self.beta2) * grads[k] ** 2
            m_hat = self.m[k] / (1 - self.beta1 ** self.t)
            v_hat = self.v[k] / (1 - self.beta2 ** self.t)
            params[k] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class FrozenStepAdam(GoodAdam):
    def update(self, params, grads):
        self.t = 0
        GoodAdam.update(self, params, grads)
        self.t = 0


class HardcodedAdam(GoodAdam):
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__()


class RebindingAdam(GoodAdam):
    def update(self, params, grads):
        self.t += 1
        for k in params:
            self.m[k] = self.beta1 * self.m.get(k, 0) + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * self.v.get(k, 0) + (1 - self.beta2) * grads[k] ** 2
            m_hat = self.m[k] / (1 - self.beta1 ** self.t)
            v_hat = self.v[k] / (1 - self.beta2 ** self.t)
            params[k] = params[k] - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


@pytest.mark.parametrize("answer, phrase", [
    (NoCorrectionAdam, "bias-corrected"),
    (PerKeyStepAdam, "once per PARAMETER"),
    (FrozenStepAdam, "always uses t = 1"),
    (HardcodedAdam, "ignores the constructor"),
    (RebindingAdam, "in place"),
])
def test_adam_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_adam(answer)
    assert not fb and phrase in repr(fb), repr(fb)


def test_adam_accepts_right_answer():
    assert exercises.check_adam(GoodAdam)


# ---------------------------------------------------------------------------------------------------------- He std

def test_he_std_checker():
    assert exercises.check_he_std(lambda n: np.sqrt(2 / n))
    assert "Xavier" in repr(exercises.check_he_std(lambda n: np.sqrt(1 / n)))
    assert "variance" in repr(exercises.check_he_std(lambda n: 2 / n))


# ----------------------------------------------------------------------------------------------------------- quiz

@pytest.mark.parametrize("i, right, wrong", [(0, 1, 0), (1, 10, 9), (2, 2, 1)])
def test_quiz(i, right, wrong):
    q = nb05.QUIZ[i]
    assert q.check(right) and not q.check(wrong)
