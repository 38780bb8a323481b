"""Net.predict in batches: the scores of one pass, with memory bounded by the batch, not by the data set."""

import tracemalloc

import numpy as np
import pytest

from course_lib import gradcheck, nets


def images(n, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).random((n, 1, 28, 28)).astype(dtype)


def test_batched_scores_equal_one_pass_with_and_without_dropout():
    x = images(12)
    net = nets.DeepConvNet(seed=0, dtype=np.float64)
    np.testing.assert_allclose(net.predict(x, batch_size=5), net.predict(x, batch_size=12), rtol=1e-12, atol=1e-12)
    # dropout on: each Dropout layer draws its masks row after row from its own generator, so batches of 5 draw
    # exactly the masks of one pass over the 12 images
    one, split = nets.DeepConvNet(seed=0, dtype=np.float64), nets.DeepConvNet(seed=0, dtype=np.float64)
    np.testing.assert_allclose(split.predict(x, train=True, batch_size=5), one.predict(x, train=True, batch_size=12),
                               rtol=1e-12, atol=1e-12)
    labels = np.arange(12) % 10
    assert net.accuracy(x, labels, batch_size=4) == float(np.mean(net.predict(x, batch_size=12).argmax(1) == labels))


def test_batch_norm_in_training_mode_takes_statistics_over_all_inputs():
    x = np.random.default_rng(1).standard_normal((40, 6))
    net = nets.MultiLayerNet(input_size=6, hidden_sizes=(5,), output_size=3, use_batchnorm=True, dtype=np.float64)
    twin = nets.MultiLayerNet(input_size=6, hidden_sizes=(5,), output_size=3, use_batchnorm=True, dtype=np.float64)
    expected = x
    for layer in twin.layers.values():
        expected = layer.forward(expected, train=True)
    np.testing.assert_allclose(net.predict(x, train=True, batch_size=7), expected, rtol=1e-12)
    np.testing.assert_allclose(net.state["running_mean1"], twin.state["running_mean1"], rtol=1e-12)


def test_gradient_of_a_batch_larger_than_the_prediction_batch_is_right():
    n = 3 * nets.TwoLayerNet.predict_batch + 7     # one forward pass for backward, whatever predict's batch size
    x = np.random.default_rng(2).standard_normal((n, 5))
    t = np.arange(n) % 3
    net = nets.TwoLayerNet(5, 4, 3, weight_init_std=0.5, seed=0, dtype=np.float64)
    errors = gradcheck.check_net(net, x, t)
    assert max(errors.values()) < 1e-7, errors


def peak_bytes(net, x, batch_size):
    tracemalloc.start()
    try:
        net.predict(x, batch_size=batch_size)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_peak_memory_is_bounded_by_the_batch_not_the_data_set():
    net = nets.DeepConvNet(seed=0)
    small, large = images(20, dtype=np.float32), images(160, dtype=np.float32)
    batched_small, batched_large = peak_bytes(net, small, 20), peak_bytes(net, large, 20)
    one_pass_large = peak_bytes(net, large, 160)
    # 160 images in batches of 20 need little more than 20 images (the inputs and the scores grow, ~3 KB per image);
    # in one pass they need about 8 times as much (about 2 MB per image, measured by tracemalloc, NumPy's arrays)
    assert batched_large < 1.25 * batched_small, (batched_small, batched_large)
    assert one_pass_large > 5 * batched_small, (batched_small, one_pass_large)


def test_bad_batch_size_is_named():
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        nets.TwoLayerNet().predict(np.zeros((2, 784)), batch_size=0)
