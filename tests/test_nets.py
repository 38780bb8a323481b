import numpy as np
import pytest

from course_lib import gradcheck, nets


def test_two_layer_net_gradient_check_float64():
    rng = np.random.default_rng(1)
    net = nets.TwoLayerNet(20, 8, 4, weight_init_std=0.3, dtype=np.float64)
    errors = gradcheck.check_net(net, rng.random((5, 20)), np.array([0, 1, 2, 3, 0]))
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_multilayer_net_gradient_check_float64(activation):
    rng = np.random.default_rng(2)
    net = nets.MultiLayerNet(12, (7, 6), 3, activation=activation, dtype=np.float64)
    errors = gradcheck.check_net(net, rng.random((4, 12)), np.array([0, 2, 1, 2]))
    assert max(errors.values()) < 1e-7, errors


def test_net_shapes_dtype_and_parameter_count():
    net = nets.TwoLayerNet()
    assert net.count_params() == 784 * 50 + 50 + 50 * 10 + 10
    assert list(net.params) == ["W1", "b1", "W2", "b2"]
    assert net.predict(np.zeros((3, 784), np.float32)).dtype == np.float32
    assert nets.MultiLayerNet(hidden_sizes=(100,) * 3).count_params() == 784 * 100 + 100 + 2 * 10100 + 1010


def test_net_rejects_bad_input():
    net = nets.TwoLayerNet()
    with pytest.raises(ValueError, match=r"\(N, 784\)"):
        net.predict(np.zeros((2, 100)))
    with pytest.raises(ValueError, match="batch size mismatch"):
        net.loss(np.zeros((2, 784)), np.array([1, 2, 3]))
    with pytest.raises(ValueError, match="0..9"):
        net.loss(np.zeros((2, 784)), np.array([1, 12]))


def test_gradient_does_not_modify_inputs():
    net = nets.TwoLayerNet(10, 5, 3)
    x = np.random.default_rng(0).random((4, 10)).astype(np.float32)
    t = np.array([0, 1, 2, 1])
    keep = x.copy(), t.copy()
    net.gradient(x, t)
    np.testing.assert_array_equal(x, keep[0])
    np.testing.assert_array_equal(t, keep[1])


def test_save_load_round_trip_and_mismatch(tmp_path):
    a, b = nets.TwoLayerNet(seed=1), nets.TwoLayerNet(seed=2)
    x = np.random.default_rng(0).random((5, 784)).astype(np.float32)
    path = a.save(tmp_path / "two.npz")
    b.load(path)
    np.testing.assert_array_equal(a.predict(x), b.predict(x))
    assert [p.name for p in tmp_path.iterdir()] == ["two.npz"]
    other = nets.TwoLayerNet(hidden_size=20, seed=3)
    before = {k: v.copy() for k, v in other.params.items()}
    with pytest.raises(ValueError, match="W1 has shape"):
        other.load(path)
    for k in before:
        np.testing.assert_array_equal(other.params[k], before[k])
    with pytest.raises(ValueError, match="missing parameters"):
        nets.MultiLayerNet(hidden_sizes=(50, 50)).load(path)
    with pytest.raises(FileNotFoundError, match="save"):
        a.load(tmp_path / "nope.npz")


def test_init_std():
    assert nets.init_std("he", 50) == pytest.approx(0.2)
    assert nets.init_std("xavier", 100) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="xavier"):
        nets.init_std("lecun", 10)
