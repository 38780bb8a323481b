"""Batch normalisation: gradients in training mode, running statistics, TensorFlow agreement, save/load."""

import numpy as np
import pytest

from course_lib import gradcheck, layers, nets


def make_bn(rng, d, dtype=np.float64, **kw):
    return layers.BatchNorm(rng.standard_normal(d).astype(dtype), rng.standard_normal(d).astype(dtype), **kw)


@pytest.mark.parametrize("shape", [(6, 4), (3, 2, 4, 5), (2, 1, 3, 3)])
@pytest.mark.parametrize("train", [True, False])
def test_batchnorm_gradients_float64(shape, train):
    rng = np.random.default_rng(10)
    bn = make_bn(rng, shape[1])
    bn.state["running_mean"][...] = rng.standard_normal(shape[1])
    bn.state["running_var"][...] = rng.random(shape[1]) + 0.5
    before = {k: v.copy() for k, v in bn.state.items()}
    errors = gradcheck.check_layer(bn, 3 * rng.standard_normal(shape) + 1, train=train)
    assert set(errors) == {"x", "gamma", "beta"}
    assert max(errors.values()) < 1e-7, errors
    for k in before:   # the check leaves the running statistics as they were
        np.testing.assert_array_equal(bn.state[k], before[k])


def test_batchnorm_training_forward_and_running_statistics_by_value():
    rng = np.random.default_rng(11)
    x = 2 * rng.standard_normal((8, 3)) + 5
    gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 3.0])
    bn = layers.BatchNorm(gamma, beta, momentum=0.8, eps=1e-3)
    keep = x.copy()
    out = bn.forward(x, train=True)
    mean, var = x.mean(axis=0), ((x - x.mean(axis=0)) ** 2).mean(axis=0)   # biased variance
    np.testing.assert_allclose(out, gamma * (x - mean) / np.sqrt(var + 1e-3) + beta, rtol=1e-12)
    np.testing.assert_allclose(bn.state["running_mean"], 0.2 * mean, rtol=1e-12)
    np.testing.assert_allclose(bn.state["running_var"], 0.8 + 0.2 * var, rtol=1e-12)
    x2 = rng.standard_normal((8, 3))
    bn.forward(x2, train=True)
    np.testing.assert_allclose(bn.state["running_mean"], 0.8 * 0.2 * mean + 0.2 * x2.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(bn.state["running_var"], 0.8 * (0.8 + 0.2 * var) + 0.2 * x2.var(axis=0), rtol=1e-12)
    np.testing.assert_array_equal(x, keep)
    # inference: the running statistics, and no update
    rm, rv = bn.state["running_mean"].copy(), bn.state["running_var"].copy()
    np.testing.assert_allclose(bn.forward(x, train=False), gamma * (x - rm) / np.sqrt(rv + 1e-3) + beta, rtol=1e-12)
    np.testing.assert_array_equal(bn.state["running_mean"], rm)
    np.testing.assert_array_equal(bn.state["running_var"], rv)


def test_batchnorm_on_conv_maps_is_per_channel():
    rng = np.random.default_rng(12)
    x = rng.standard_normal((4, 3, 5, 6)) * np.array([1.0, 5.0, 0.1])[:, None, None] + 7
    bn = layers.BatchNorm(np.ones(3), np.zeros(3))
    out = bn.forward(x, train=True)
    assert out.shape == x.shape
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=(0, 2, 3)), x.var(axis=(0, 2, 3)) / (x.var(axis=(0, 2, 3)) + 1e-5))
    np.testing.assert_allclose(bn.state["running_mean"], 0.1 * x.mean(axis=(0, 2, 3)))


def test_batchnorm_keeps_float32():
    rng = np.random.default_rng(13)
    bn = make_bn(rng, 4, np.float32)
    x = rng.standard_normal((5, 4)).astype(np.float32)
    out = bn.forward(x, train=True)
    assert out.dtype == np.float32 and bn.backward(out).dtype == np.float32
    assert bn.grads["gamma"].dtype == np.float32 and bn.state["running_var"].dtype == np.float32


def test_batchnorm_matches_tensorflow_forward_running_stats_and_autodiff():
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(14)
    d, momentum, eps = 5, 0.9, 1e-5
    gamma, beta = rng.standard_normal(d), rng.standard_normal(d)
    ours = layers.BatchNorm(gamma.copy(), beta.copy(), momentum=momentum, eps=eps)
    theirs = keras.layers.BatchNormalization(momentum=momentum, epsilon=eps, dtype="float64")
    theirs.build((None, d))
    theirs.set_weights([gamma, beta, np.zeros(d), np.ones(d)])
    for _ in range(3):   # training steps: outputs and running statistics
        x = 3 * rng.standard_normal((16, d)) + 2
        np.testing.assert_allclose(ours.forward(x, train=True), theirs(x, training=True).numpy(), rtol=1e-10,
                                   atol=1e-12)
    np.testing.assert_allclose(ours.state["running_mean"], theirs.moving_mean.numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.state["running_var"], theirs.moving_variance.numpy(), rtol=1e-10)
    x = rng.standard_normal((7, d))
    np.testing.assert_allclose(ours.forward(x, train=False), theirs(x, training=False).numpy(), rtol=1e-10,
                               atol=1e-12)
    # backward in training mode against autodiff (float64)
    x, dout = rng.standard_normal((9, d)), rng.standard_normal((9, d))
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(theirs(xt, training=True) * dout)
    dx_tf, dgamma_tf, dbeta_tf = tape.gradient(loss, [xt, theirs.gamma, theirs.beta])
    ours.forward(x, train=True)
    np.testing.assert_allclose(ours.backward(dout), dx_tf.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.grads["gamma"], dgamma_tf.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.grads["beta"], dbeta_tf.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_multilayer_net_with_batchnorm_gradient_check(dropout):
    rng = np.random.default_rng(15)
    net = nets.MultiLayerNet(6, (5, 4), 3, use_batchnorm=True, dropout=dropout, dtype=np.float64, seed=1)
    assert list(net.params) == ["W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3"]
    assert list(net.state) == ["running_mean1", "running_var1", "running_mean2", "running_var2"]
    x, t = rng.standard_normal((8, 6)), rng.integers(0, 3, 8)
    errors = gradcheck.check_net(net, x, t)
    # a bias just before batch norm is subtracted away with the mean: its gradient is exactly 0 and the
    # relative error of two near-zero vectors (rounding noise) means nothing, so check it by absolute value
    grads = net.gradient(x, t)
    for key in ("b1", "b2"):
        assert np.abs(grads[key]).max() < 1e-12
        del errors[key]
    assert max(errors.values()) < 1e-7, errors


def test_batchnorm_net_state_survives_save_load(tmp_path):
    rng = np.random.default_rng(16)
    a = nets.MultiLayerNet(10, (6,), 3, use_batchnorm=True, seed=1)
    b = nets.MultiLayerNet(10, (6,), 3, use_batchnorm=True, seed=2)
    x = rng.random((20, 10)).astype(np.float32)
    a.predict(x, train=True)   # moves the running statistics away from (0, 1)
    assert not np.allclose(a.state["running_mean1"], 0)
    b.load(a.save(tmp_path / "bn.npz"))
    for k in a.state:
        np.testing.assert_array_equal(a.state[k], b.state[k])
    np.testing.assert_array_equal(a.predict(x), b.predict(x))
    # a file without the running statistics is refused, naming the entry, and b is unchanged
    with np.load(tmp_path / "bn.npz") as f:
        partial = {k: f[k] for k in f.files if k != "running_var1"}
    np.savez(tmp_path / "partial.npz", **partial)
    c = nets.MultiLayerNet(10, (6,), 3, use_batchnorm=True, seed=3)
    before = {k: v.copy() for k, v in {**c.params, **c.state}.items()}
    with pytest.raises(ValueError, match=r"missing state entries \['running_var1'\]"):
        c.load(tmp_path / "partial.npz")
    for k, v in {**c.params, **c.state}.items():
        np.testing.assert_array_equal(v, before[k])


def test_batchnorm_in_net_changes_with_mode():
    rng = np.random.default_rng(17)
    net = nets.MultiLayerNet(10, (6,), 3, use_batchnorm=True, dtype=np.float64)
    x = rng.random((12, 10))
    # inference with fresh running statistics (0, 1) is the identity normalisation: same as no BN layer
    plain = nets.MultiLayerNet(10, (6,), 3, dtype=np.float64)
    bn = net.layers["BatchNorm1"]
    np.testing.assert_allclose(net.predict(x), plain.predict(x), rtol=1e-4)   # up to sqrt(1 + eps)
    train_out = net.predict(x, train=True)
    assert not np.allclose(train_out, net.predict(x))
    assert bn.state["running_var"].shape == (6,)


@pytest.mark.parametrize("make, error, match", [
    (lambda: layers.BatchNorm(np.ones((2, 3)), np.zeros((2, 3))), ValueError, "gamma"),
    (lambda: layers.BatchNorm(np.ones(3), np.zeros(4)), ValueError, "same shape"),
    (lambda: layers.BatchNorm(np.ones(3, int), np.zeros(3, int)), TypeError, "float"),
    (lambda: layers.BatchNorm(np.ones(3), np.zeros(3), momentum=1.0), ValueError, "momentum"),
    (lambda: layers.BatchNorm(np.ones(3), np.zeros(3), eps=0), ValueError, "eps"),
    (lambda: layers.BatchNorm(np.ones(3), np.zeros(3)).forward(np.zeros((4, 2))), ValueError, r"\(N, 3\)"),
    (lambda: layers.BatchNorm(np.ones(3), np.zeros(3)).forward(np.zeros((1, 3)), train=True), ValueError,
     "at least 2"),
])
def test_batchnorm_rejects_bad_arguments(make, error, match):
    with pytest.raises(error, match=match):
        make()
