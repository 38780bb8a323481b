import numpy as np
import pytest

from course_lib import functions as F
from course_lib import gradcheck, layers

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("make, shape", [
    (lambda: layers.Affine(RNG.standard_normal((12, 3)), RNG.standard_normal(3)), (4, 12)),
    (lambda: layers.Affine(RNG.standard_normal((12, 3)), RNG.standard_normal(3)), (4, 3, 2, 2)),
    (layers.Relu, (4, 6)),
    (layers.Sigmoid, (4, 6)),
    (lambda: layers.Dropout(0.4, inverted=False), (5, 7)),
])
def test_layer_gradients(make, shape):
    errors = gradcheck.check_layer(make(), RNG.standard_normal(shape))
    assert max(errors.values()) < 1e-7, errors


def test_softmax_with_loss_gradient_and_extreme_scores():
    layer = layers.SoftmaxWithLoss()
    x = RNG.standard_normal((5, 4))
    t = np.array([0, 3, 1, 1, 2])
    layer.forward(x, t)
    dx = layer.backward()
    num = F.numerical_gradient(lambda: layers.SoftmaxWithLoss().forward(x, t), x, h=1e-5)
    assert gradcheck.rel_error(dx, num) < 1e-7
    np.testing.assert_allclose(dx, (F.softmax(x) - np.eye(4)[t]) / 5)
    loss = layer.forward(np.array([[1000.0, -1000.0]]), np.array([1]))
    assert np.isfinite(loss) and loss == pytest.approx(2000.0)


def test_layers_do_not_modify_inputs():
    x = RNG.standard_normal((3, 4))
    dout = RNG.standard_normal((3, 4))
    keep = x.copy(), dout.copy()
    for layer in (layers.Relu(), layers.Sigmoid(), layers.Dropout(0.5, seed=1)):
        layer.forward(x, train=True)
        layer.backward(dout)
    np.testing.assert_array_equal(x, keep[0])
    np.testing.assert_array_equal(dout, keep[1])


def test_affine_rejects_wrong_input_size():
    layer = layers.Affine(np.zeros((784, 10), np.float32), np.zeros(10, np.float32))
    with pytest.raises(ValueError, match="784 input features"):
        layer.forward(np.zeros((2, 28, 27), np.float32))
    assert layer.forward(np.zeros((2, 1, 28, 28), np.float32)).dtype == np.float32


def test_dropout_forms_match_in_expectation():
    x = np.ones((200, 500), dtype=np.float32)
    for inverted in (True, False):
        d = layers.Dropout(0.3, inverted=inverted, seed=0)
        train_mean = d.forward(x, train=True).mean()
        test_mean = d.forward(x, train=False).mean()
        assert abs(train_mean - test_mean) < 0.01
    d = layers.Dropout(0.3, seed=0)
    out = d.forward(x, train=True)
    assert abs((out == 0).mean() - 0.3) < 0.01 and np.allclose(out[out > 0], 1 / 0.7)
    assert np.array_equal(d.backward(x), out)
    with pytest.raises(ValueError, match="probability"):
        layers.Dropout(1.0)


def test_check_layer_in_training_mode_holds_the_dropout_mask_fixed():
    rng = np.random.default_rng(3)
    layer = layers.Dropout(0.5, seed=4)
    errors = gradcheck.check_layer(layer, rng.standard_normal((6, 5)), train=True)
    assert max(errors.values()) < 1e-7, errors
    assert np.any(layer.forward(np.ones((6, 5)), train=True) == 0)   # it really was dropping


def test_layer_and_loss_contract():
    for layer in (layers.Relu(), layers.Affine(np.zeros((2, 3)), np.zeros(3)), layers.BatchNorm(np.ones(2),
                                                                                                np.zeros(2))):
        assert isinstance(layer, layers.Layer)
        assert set(layer.grads) == set(layer.params) and isinstance(layer.state, dict)
    assert isinstance(layers.SoftmaxWithLoss(), layers.Loss) and not isinstance(layers.SoftmaxWithLoss(), layers.Layer)
    with pytest.raises(NotImplementedError, match="forward"):
        layers.Layer().forward(np.zeros(2))
    with pytest.raises(NotImplementedError, match="backward"):
        layers.Layer().backward(np.zeros(2))
