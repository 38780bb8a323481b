"""Every exercise checker accepts a correct answer and rejects wrong ones with useful feedback."""

import numpy as np
import pytest

from course_lib import exercises as ex
from course_lib import widgets

T = np.array([1, 1, 0, 7, 3, 7, 1, 2])
X = np.random.default_rng(0).random((8, 784)).astype(np.float32)


def test_unanswered_is_not_an_error():
    fb = ex.check_fraction_of_ones(..., T)
    assert not fb and "replace the ..." in repr(fb)


def test_data_checkers():
    assert ex.check_fraction_of_ones(3 / 8, T)
    assert "count" in repr(ex.check_fraction_of_ones(3, T))
    assert "percentage" in repr(ex.check_fraction_of_ones(37.5, T))
    assert ex.check_first_index(3, T, 7)
    assert "off by one" in repr(ex.check_first_index(4, T, 7))
    assert ex.check_mean_image(X[T == 1].reshape(-1, 28, 28).mean(axis=0), X, T, 1)
    assert "all digits" in repr(ex.check_mean_image(X.reshape(-1, 28, 28).mean(axis=0), X, T, 1))
    assert "shape" in repr(ex.check_mean_image(X[T == 1].mean(axis=0), X, T, 1))


def test_tensor_checkers():
    assert ex.check_to_channels_last(lambda x: x.reshape(-1, 28, 28, 1))
    assert "transpose" in repr(ex.check_to_channels_last(lambda x: x.reshape(-1, 1, 28, 28).transpose(0, 3, 2, 1)))
    assert "None" in repr(ex.check_to_channels_last(lambda x: None))
    assert ex.check_dense(lambda x, W, b: x @ W + b)
    assert "bias" in repr(ex.check_dense(lambda x, W, b: x @ W))
    assert ex.check_dense_params(784 * 128 + 128, 784, 128)
    assert "bias" in repr(ex.check_dense_params(784 * 128, 784, 128))


def test_softmax_and_cross_entropy_checkers():
    def good(x):
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def naive(x):
        return np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True)

    def whole_batch(x):
        e = np.exp(x - x.max())
        return e / e.sum()

    assert ex.check_softmax(good)
    with np.errstate(all="ignore"):
        assert "subtract each row's maximum" in repr(ex.check_softmax(naive))
    assert "each row" in repr(ex.check_softmax(whole_batch))
    assert ex.check_cross_entropy(lambda y, t: -np.mean(np.log(y[np.arange(len(y)), t] + 1e-7)))
    with np.errstate(divide="ignore"):
        assert "eps" in repr(ex.check_cross_entropy(lambda y, t: -np.mean(np.log(y[np.arange(len(y)), t]))))
    assert "sum" in repr(ex.check_cross_entropy(lambda y, t: -np.sum(np.log(y[np.arange(len(y)), t] + 1e-7))))


class GoodSigmoid:
    def forward(self, x):
        self.y = 1 / (1 + np.exp(-x))
        return self.y

    def backward(self, dout):
        return dout * self.y * (1 - self.y)


class WrongSigmoid(GoodSigmoid):
    def backward(self, dout):
        return dout * self.y


class GoodMul:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


class WrongMul(GoodMul):
    def backward(self, dout):
        return dout * self.x, dout * self.y


def test_layer_checkers():
    assert ex.check_sigmoid_layer(GoodSigmoid)
    assert "y * (1 - y)" in repr(ex.check_sigmoid_layer(WrongSigmoid))
    assert ex.check_mul_layer(GoodMul)
    assert "swaps" in repr(ex.check_mul_layer(WrongMul))


def test_counting_checkers():
    assert ex.check_param_count(79_510, 784, 100, 10)
    assert not ex.check_param_count(79_400, 784, 100, 10)
    assert ex.check_iter_per_epoch(300, 60_000, 200)
    assert not ex.check_iter_per_epoch(60_000 * 200, 60_000, 200)


class GoodMomentum:
    def __init__(self, lr, momentum):
        self.lr, self.momentum, self.v = lr, momentum, {}

    def update(self, params, grads):
        for k in params:
            self.v[k] = self.momentum * self.v.get(k, 0) - self.lr * grads[k]
            params[k] += self.v[k]


class NoMemoryMomentum(GoodMomentum):
    def update(self, params, grads):
        for k in params:
            params[k] -= self.lr * grads[k]


def test_optimizer_and_init_checkers():
    assert ex.check_momentum(GoodMomentum)
    assert "velocity" in repr(ex.check_momentum(NoMemoryMomentum))
    assert ex.check_he_std(lambda n: np.sqrt(2 / n))
    assert "Xavier" in repr(ex.check_he_std(lambda n: np.sqrt(1 / n)))
    assert "variance" in repr(ex.check_he_std(lambda n: 2 / n))


def test_widgets_drive_their_plain_functions():
    w = widgets.temperature_explorer(np.array([1.0, 3.0, 2.0]))
    w.children[0].value = 0.1
    assert w.result.argmax() == 1 and w.result.max() > 0.99
    p = widgets.optimizer_playground(steps=10)
    p.children[0].value = "Adam"
    assert p.result.shape == (11, 2)
