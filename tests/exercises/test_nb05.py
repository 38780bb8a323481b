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

@pytest.mark.parametrize("i, right, wrong", [(0, 1, 0), (1, 10, 9), (2, 2, 1), (3, 2, 0)])
def test_quiz(i, right, wrong):
    q = nb05.QUIZ[i]
    assert q.check(right) and not q.check(wrong)


# ---------------------------------------------------------------------------------------------- batch normalisation

from course_lib import layers  # noqa: E402


class GoodBN:
    def __init__(self, gamma, beta, momentum=0.9, eps=1e-5):
        self.params = {"gamma": gamma, "beta": beta}
        self.momentum, self.eps = momentum, eps
        self.state = {"running_mean": np.zeros_like(gamma), "running_var": np.ones_like(gamma)}

    def forward(self, x, train=False):
        if train:
            mean, var = x.mean(axis=0), x.var(axis=0)
            m = self.momentum
            self.state["running_mean"] = m * self.state["running_mean"] + (1 - m) * mean
            self.state["running_var"] = m * self.state["running_var"] + (1 - m) * var
        else:
            mean, var = self.state["running_mean"], self.state["running_var"]
        return self.params["gamma"] * (x - mean) / np.sqrt(var + self.eps) + self.params["beta"]


class AxisBN(GoodBN):
    def forward(self, x, train=False):
        if train:
            GoodBN.forward(self, x, train)
        mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
        return self.params["gamma"] * (x - mean) / np.sqrt(var + self.eps) + self.params["beta"]


class UnbiasedBN(GoodBN):
    def forward(self, x, train=False):
        if not train:
            return GoodBN.forward(self, x, train)
        GoodBN.forward(self, x, train)
        return self.params["gamma"] * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=1) + self.eps) \
            + self.params["beta"]


class NoRunningBN(GoodBN):
    def forward(self, x, train=False):
        mean, var = (x.mean(axis=0), x.var(axis=0)) if train else (self.state["running_mean"],
                                                                   self.state["running_var"])
        return self.params["gamma"] * (x - mean) / np.sqrt(var + self.eps) + self.params["beta"]


class SwappedRunningBN(GoodBN):
    def forward(self, x, train=False):
        if train:
            m = self.momentum
            self.state["running_mean"] = (1 - m) * self.state["running_mean"] + m * x.mean(axis=0)
            self.state["running_var"] = (1 - m) * self.state["running_var"] + m * x.var(axis=0)
            return self.params["gamma"] * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + self.eps) \
                + self.params["beta"]
        return GoodBN.forward(self, x, train)


class BatchStatsAtTestBN(GoodBN):
    def forward(self, x, train=False):
        GoodBN.forward(self, x, True) if train else None
        return self.params["gamma"] * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + self.eps) + self.params["beta"]


@pytest.mark.parametrize("answer, phrase", [
    (AxisBN, "axis 1"),
    (UnbiasedBN, "unbiased variance"),
    (NoRunningBN, "did not move"),
    (SwappedRunningBN, "OLD running value"),
    (BatchStatsAtTestBN, "batch's statistics"),
])
def test_batchnorm_forward_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_batchnorm_forward(answer)
    assert not fb and phrase in repr(fb), repr(fb)


def test_batchnorm_forward_accepts_right_answer():
    assert exercises.check_batchnorm_forward(GoodBN)


class GoodBackward(layers.BatchNorm):
    def backward(self, dout):
        n = len(dout)
        self.grads["gamma"] = (dout * self.xhat).sum(axis=0)
        self.grads["beta"] = dout.sum(axis=0)
        gamma = self.params["gamma"]
        return gamma * self.inv_std / n * (n * dout - self.grads["beta"] - self.xhat * self.grads["gamma"])


class ConstantStatsBackward(GoodBackward):
    def backward(self, dout):
        GoodBackward.backward(self, dout)
        return dout * self.params["gamma"] * self.inv_std


class NoVarianceTermBackward(GoodBackward):
    def backward(self, dout):
        GoodBackward.backward(self, dout)
        return self.params["gamma"] * self.inv_std * (dout - dout.mean(axis=0))


class NoMeanTermBackward(GoodBackward):
    def backward(self, dout):
        GoodBackward.backward(self, dout)
        return self.params["gamma"] * self.inv_std * (dout - self.xhat * (dout * self.xhat).mean(axis=0))


class WrongAxisGradsBackward(GoodBackward):
    def backward(self, dout):
        dx = GoodBackward.backward(self, dout)
        self.grads["beta"] = dout.sum(axis=1)
        return dx


@pytest.mark.parametrize("answer, phrase", [
    (ConstantStatsBackward, "as constants"),
    (NoVarianceTermBackward, "not the variance's"),
    (NoMeanTermBackward, "not the mean's"),
    (WrongAxisGradsBackward, "axis 0"),
])
def test_batchnorm_backward_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_batchnorm_backward(answer)
    assert not fb and phrase in repr(fb), repr(fb)


def test_batchnorm_backward_accepts_right_answer():
    assert exercises.check_batchnorm_backward(GoodBackward)
