"""functions: activations, softmax, cross-entropy, numerical gradients."""

import numpy as np
import pytest

from course_lib import functions as F

RNG = np.random.default_rng(0)


def test_softmax_is_stable_and_sums_to_one():
    x = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -1000.0]], dtype=np.float32)
    y = F.softmax(x)
    assert y.dtype == np.float32 and np.all(np.isfinite(y))
    np.testing.assert_allclose(y.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_allclose(y[1], 1 / 3, rtol=1e-6)
    np.testing.assert_allclose(F.softmax(np.array([0.3, 2.9, 4.0])), [0.01821127, 0.24519181, 0.73659691], rtol=1e-6)


def test_functions_leave_inputs_unchanged_and_keep_dtype():
    x = RNG.standard_normal((4, 5))
    before = x.copy()
    for f in (F.softmax, F.relu, F.sigmoid):
        assert f(x).dtype == np.float64
        assert f(x.astype(np.float32)).dtype == np.float32
    np.testing.assert_array_equal(x, before)


def test_relu_range_and_sigmoid_extremes():
    assert F.relu(np.array([-3.0, 0.0, 5.0])).tolist() == [0.0, 0.0, 5.0]
    s = F.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    assert s.tolist() == [0.0, 0.5, 1.0]


def test_cross_entropy_labels_and_one_hot_agree_and_avoid_log0():
    y = np.array([[0.1, 0.7, 0.2], [0.0, 0.0, 1.0]])
    t = np.array([1, 2])
    onehot = np.eye(3)[t]
    assert F.cross_entropy_error(y, t) == pytest.approx(F.cross_entropy_error(y, onehot))
    assert F.cross_entropy_error(y, t) == pytest.approx(-np.log(0.7 + 1e-7) / 2 - np.log(1 + 1e-7) / 2)
    assert np.isfinite(F.cross_entropy_error(np.array([[1.0, 0.0]]), np.array([1])))


@pytest.mark.parametrize("t, match", [(np.array([0, 3]), "0..2"), (np.array([0]), "targets"),
                                      (np.array([0.0, 1.0]), "integers"), (np.eye(4)[:2], "one-hot")])
def test_cross_entropy_rejects_bad_targets(t, match):
    with pytest.raises(ValueError, match=match):
        F.cross_entropy_error(np.full((2, 3), 1 / 3), t)


def test_numerical_gradient_restores_input():
    x = np.array([1.0, -2.0, 3.0])
    g = F.numerical_gradient(lambda: float(np.sum(x ** 2)), x)
    np.testing.assert_allclose(g, [2, -4, 6], rtol=1e-6)
    assert x.tolist() == [1.0, -2.0, 3.0]
