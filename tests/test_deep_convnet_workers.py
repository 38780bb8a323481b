"""DeepConvNet.gradient in chunks over worker threads equals Net.gradient (the one-pass textbook version)."""

import numpy as np
import pytest

from course_lib import nets


def relative(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30))


def pair(seed, dropout=0.5, **fast):
    """Two float64 nets with the same seed: ``plain`` computes Net.gradient in one pass, ``fast`` uses chunks."""
    plain = nets.DeepConvNet(hidden_size=7, dropout=dropout, seed=seed, dtype=np.float64, workers=1, chunk=10**6)
    return plain, nets.DeepConvNet(hidden_size=7, dropout=dropout, seed=seed, dtype=np.float64, **fast)


@pytest.mark.parametrize("n, workers, chunk", [(7, 2, 2), (7, 2, 3), (6, 2, 1), (5, 1, 2), (9, 3, 2), (3, 2, 5)])
def test_chunked_gradient_equals_net_gradient(n, workers, chunk):
    rng = np.random.default_rng(100 + 7 * n + chunk)
    plain, fast = pair(int(rng.integers(1000)), workers=workers, chunk=chunk)
    x, t = rng.random((n, 1, 28, 28)), rng.integers(0, 10, n)
    for step in range(2):                                   # the second step checks the dropout generators moved alike
        want = nets.Net.gradient(plain, x, t)
        got = fast.gradient(x, t)
        assert set(got) == set(want)
        for key in want:
            assert got[key].dtype == np.float64 and got[key].shape == want[key].shape
            assert relative(got[key], want[key]) < 1e-12, (step, key)
            np.testing.assert_array_equal(fast._where[key][0].grads[fast._where[key][1]], got[key])
        assert fast.last_loss == pytest.approx(plain.last_loss, rel=1e-13)


def test_one_hot_targets_and_float32():
    rng = np.random.default_rng(5)
    plain = nets.DeepConvNet(seed=2, workers=1, chunk=10**6)
    fast = nets.DeepConvNet(seed=2, workers=2, chunk=2)
    x, t = rng.random((5, 1, 28, 28)).astype(np.float32), np.eye(10)[rng.integers(0, 10, 5)]
    want, got = plain.gradient(x, t), fast.gradient(x, t)
    for key in want:
        assert got[key].dtype == np.float32
        assert relative(got[key], want[key]) < 1e-5, key


def test_dropout_masks_are_the_plain_ones_row_by_row():
    """Chunk k of the batch gets rows k of the masks Net.gradient would draw (same generators, same order)."""
    rng = np.random.default_rng(8)
    plain, fast = pair(4, workers=2, chunk=2)
    x, t = rng.random((5, 1, 28, 28)), rng.integers(0, 10, 5)
    nets.Net.gradient(plain, x, t)
    fast.gradient(x, t)
    for name in ("Dropout1", "Dropout2"):
        expected = plain.layers[name].mask
        assert expected.shape == (5, 7 if name == "Dropout1" else 10) and 0 < expected.mean() < 1
        # replica 0 ran chunks 0 and 2 (rows 0-1, then 4), replica 1 chunk 1 (rows 2-3); each keeps its last chunk
        np.testing.assert_array_equal(fast._replicas[0].layers[name].mask, expected[4:5])
        np.testing.assert_array_equal(fast._replicas[1].layers[name].mask, expected[2:4])


def test_inputs_are_left_unmodified_and_the_layers_are_shared():
    rng = np.random.default_rng(3)
    net = nets.DeepConvNet(seed=1, workers=2, chunk=3)
    x, t = rng.random((7, 1, 28, 28)).astype(np.float32), rng.integers(0, 10, 7)
    x0, t0 = x.copy(), t.copy()
    net.gradient(x, t)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(t, t0)
    for replica in net._replicas:
        for name, layer in net.layers.items():
            assert replica.layers[name] is not layer
            for pname, p in layer.params.items():
                assert replica.layers[name].params[pname] is p      # the very arrays an optimiser updates


@pytest.mark.parametrize("kwargs, error, message", [
    ({"workers": 0}, ValueError, "DeepConvNet: workers must be at least 1, got 0."),
    ({"workers": 1.5}, TypeError, "DeepConvNet: workers must be a whole number, got float 1.5."),
    ({"chunk": 0}, ValueError, "DeepConvNet: chunk must be at least 1, got 0."),
    ({"chunk": "10"}, TypeError, "DeepConvNet: chunk must be a whole number, got str '10'."),
])
def test_worker_and_chunk_arguments_are_checked(kwargs, error, message):
    with pytest.raises(error) as info:
        nets.DeepConvNet(**kwargs)
    assert str(info.value) == message


def test_bad_batches_are_named():
    net = nets.DeepConvNet(workers=2, chunk=2)
    with pytest.raises(ValueError, match="empty batch"):
        net.gradient(np.zeros((0, 1, 28, 28), np.float32), np.zeros(0, int))
    with pytest.raises(ValueError, match="label"):
        net.gradient(np.zeros((3, 1, 28, 28), np.float32), np.array([0, 1, 10]))
    with pytest.raises(ValueError, match=r"\(N, 1, 28, 28\)"):
        net.gradient(np.zeros((3, 784), np.float32), np.array([0, 1, 2]))


def test_default_workers_and_chunk():
    net = nets.DeepConvNet()
    assert net.workers == nets.WORKERS and 1 <= nets.WORKERS <= 2 and net.chunk == nets.CHUNK
