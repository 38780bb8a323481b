"""Notebook 03 checkers: right backward passes pass; typical mistakes are rejected with feedback naming them."""

import numpy as np
import pytest

from course_lib import exercises, functions
from course_lib.exercises import core, nb03


@pytest.fixture(autouse=True)
def fresh_hints():
    core.reset_hints()


class Relu:
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = dout.copy()
        dx[self.mask] = 0
        return dx


class ReluAtZero(Relu):
    def backward(self, dout):
        return dout * (self.x >= 0)

    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)


class ReluInPlaceDout(Relu):
    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class ReluInPlaceX(Relu):
    def forward(self, x):
        self.mask = x <= 0
        x[self.mask] = 0
        return x


class ReluNoMask(Relu):
    def backward(self, dout):
        return dout.copy()


class ReluFlipped(Relu):
    def backward(self, dout):
        return dout * self.mask


class ReluSkeleton:
    def forward(self, x):
        ...

    def backward(self, dout):
        ...


def test_relu_right_and_not_answered():
    assert exercises.check_relu_layer(Relu)
    assert "Not answered" in repr(exercises.check_relu_layer(...))
    assert "Not answered" in repr(exercises.check_relu_layer(ReluSkeleton))


@pytest.mark.parametrize("cls, phrase", [
    (ReluAtZero, "exactly 0"),
    (ReluInPlaceDout, "changed dout in place"),
    (ReluInPlaceX, "changed its input x in place"),
    (ReluNoMask, "pass dout through everywhere"),
    (ReluFlipped, "mask is flipped"),
])
def test_relu_rejects_typical_mistakes(cls, phrase):
    fb = exercises.check_relu_layer(cls)
    assert not fb and phrase in repr(fb), repr(fb)


class Sigmoid:
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)


class SigmoidInput(Sigmoid):
    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        return dout * self.x * (1 - self.x)


class SigmoidHalf(Sigmoid):
    def backward(self, dout):
        return dout * self.out


class SigmoidNoDout(Sigmoid):
    def backward(self, dout):
        return self.out * (1 - self.out)


def test_sigmoid_right_and_not_answered():
    assert exercises.check_sigmoid_layer(Sigmoid)
    assert "Not answered" in repr(exercises.check_sigmoid_layer(ReluSkeleton))


@pytest.mark.parametrize("cls, phrase", [
    (SigmoidInput, "OUTPUT y"),
    (SigmoidHalf, "(1 - y) is missing"),
    (SigmoidNoDout, "local derivative alone"),
])
def test_sigmoid_rejects_typical_mistakes(cls, phrase):
    fb = exercises.check_sigmoid_layer(cls)
    assert not fb and phrase in repr(fb), repr(fb)


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x_shape = x.shape
        self.x = x.reshape(len(x), -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return (dout @ self.W.T).reshape(self.x_shape)


class AffineSkeleton(Affine):
    def backward(self, dout):
        ...


class AffineTransposed(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = dout.T @ self.x
        return dx


class AffineDbNotSummed(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = dout
        return dx


class AffineDbMean(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = dout.mean(axis=0)
        return dx


class AffineNoReshape(Affine):
    def backward(self, dout):
        super().backward(dout)
        return dout @ self.W.T


def test_affine_right_and_not_answered():
    assert exercises.check_affine_layer(Affine)
    assert "Not answered" in repr(exercises.check_affine_layer(AffineSkeleton))


@pytest.mark.parametrize("cls, phrase", [
    (AffineTransposed, "dW is transposed"),
    (AffineDbNotSummed, "one row per example"),
    (AffineDbMean, "MEAN of dout"),
    (AffineNoReshape, "the input had"),
])
def test_affine_rejects_typical_mistakes(cls, phrase):
    fb = exercises.check_affine_layer(cls)
    assert not fb and phrase in repr(fb), repr(fb)


class SoftmaxWithLoss:
    def forward(self, x, t):
        self.t = t
        self.y = functions.softmax(x)
        return functions.cross_entropy_error(self.y, t)

    def backward(self, dout=1):
        n = len(self.y)
        dx = self.y.copy()
        dx[np.arange(n), self.t] -= 1
        return dx * dout / n


class SwlNotDivided(SoftmaxWithLoss):
    def backward(self, dout=1):
        return super().backward(dout) * len(self.y)


class SwlNoLabel(SoftmaxWithLoss):
    def backward(self, dout=1):
        return self.y / len(self.y)


class SwlInPlace(SoftmaxWithLoss):
    def backward(self, dout=1):
        n = len(self.y)
        dx = self.y
        dx[np.arange(n), self.t] -= 1
        return dx / n


class SwlSkeleton(SoftmaxWithLoss):
    def backward(self, dout=1):
        ...


def test_softmax_with_loss_right_and_not_answered():
    assert exercises.check_softmax_with_loss(SoftmaxWithLoss)
    assert "Not answered" in repr(exercises.check_softmax_with_loss(SwlSkeleton))


@pytest.mark.parametrize("cls, phrase", [
    (SwlNotDivided, "times too large"),
    (SwlNoLabel, "nothing is subtracted"),
    (SwlInPlace, "second call"),
])
def test_softmax_with_loss_rejects_typical_mistakes(cls, phrase):
    fb = exercises.check_softmax_with_loss(cls)
    assert not fb and phrase in repr(fb), repr(fb)


class Mul:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


class MulSwapped(Mul):
    def backward(self, dout):
        return dout * self.x, dout * self.y


class MulNoDout(Mul):
    def backward(self, dout):
        return self.y, self.x


@pytest.mark.parametrize("cls, phrase", [(MulSwapped, "its own value"), (MulNoDout, "dout is missing")])
def test_mul_layer(cls, phrase):
    assert exercises.check_mul_layer(Mul)
    fb = exercises.check_mul_layer(cls)
    assert not fb and phrase in repr(fb), repr(fb)


def test_hint_on_second_miss_only():
    first, second = repr(exercises.check_relu_layer(ReluAtZero)), repr(exercises.check_relu_layer(ReluAtZero))
    assert "Hint" not in first and "Hint" in second


@pytest.mark.parametrize("question", nb03.QUIZ, ids=lambda q: q.text[:30])
def test_quiz_right_and_wrong(question):
    assert question.check(question.answer)
    wrong = (question.answer + 1) % len(question.options) if question.options else question.answer + 1
    assert not question.check(wrong)
