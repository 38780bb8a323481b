"""functions: activations, softmax, cross-entropy, numerical gradients."""

import numpy as np
import pytest

from course_lib import functions as F

def test_softmax_is_stable_and_sums_to_one():
    x = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -1000.0]], dtype=np.float32)
    y = F.softmax(x)
    assert y.dtype == np.float32 and np.all(np.isfinite(y))
    np.testing.assert_allclose(y.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_allclose(y[1], 1 / 3, rtol=1e-6)
    np.testing.assert_allclose(F.softmax(np.array([0.3, 2.9, 4.0])), [0.01821127, 0.24519181, 0.73659691], rtol=1e-6)


def test_functions_leave_inputs_unchanged_and_keep_dtype():
    x = np.random.default_rng(0).standard_normal((4, 5))
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


def test_values_against_formulas():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((3, 4)) * 5
    np.testing.assert_allclose(F.sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_array_equal(F.relu(x), np.where(x > 0, x, 0))
    e = np.exp(x)
    np.testing.assert_allclose(F.softmax(x), e / e.sum(axis=1, keepdims=True), rtol=1e-12)
    y = F.softmax(x)
    t = np.array([0, 3, 1])
    assert F.cross_entropy_error(y, t) == pytest.approx(-np.mean(np.log(y[[0, 1, 2], t] + 1e-7)), rel=1e-12)
    assert F.cross_entropy_error(y, t, eps=0.5) == pytest.approx(-np.mean(np.log(y[[0, 1, 2], t] + 0.5)), rel=1e-12)
    assert F.cross_entropy_error(y[1], 3) == pytest.approx(-np.log(y[1, 3] + 1e-7), rel=1e-12)
    assert F.cross_entropy_error(y[1], np.eye(4)[3]) == pytest.approx(-np.log(y[1, 3] + 1e-7), rel=1e-12)
    assert F.relu(np.array([-1, 2])).dtype == np.float32  # integers become float32
    assert F.sigmoid(np.array([0, 1])).dtype == np.float32 and F.softmax(np.array([1, 2])).dtype == np.float32
    assert F.as_labels(np.eye(3)[[2, 0]], 2, 3).tolist() == [2, 0]
    assert F.as_labels(np.zeros(0, dtype=int), 0, 3).shape == (0,)


def test_numerical_gradient_matches_analytic_on_a_matrix():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3))
    a = rng.standard_normal((2, 3))
    g = F.numerical_gradient(lambda: float(np.sum(a * x ** 3)), x, h=1e-5)
    np.testing.assert_allclose(g, 3 * a * x ** 2, rtol=1e-6, atol=1e-8)
    g1 = F.numerical_gradient(lambda: float(np.sum(x ** 3)), x, h=0.5)  # a large step shows which h was used
    np.testing.assert_allclose(g1, 3 * x ** 2 + 0.25, rtol=1e-12)


BAD = [
    (lambda: F.numerical_gradient(lambda: 0.0, np.array([1, 2])), TypeError, "x must be a float NumPy array"),
    (lambda: F.numerical_gradient(lambda: 0.0, [1.0, 2.0]), TypeError, "got list"),
    (lambda: F.numerical_gradient(lambda: 0.0, np.ones(2), h=0), ValueError,
     "h must be a finite number in (0, 1), got 0.0. Use a small positive step"),
    (lambda: F.numerical_gradient(lambda: 0.0, np.ones(2), h=float("nan")), ValueError, "h must be"),
    (lambda: F.cross_entropy_error(np.full((2, 3), 1 / 3), np.array([0, 1]), eps=-1), ValueError,
     "eps must be a finite number in [0, 1), got -1.0. Use a small non-negative number"),
    (lambda: F.cross_entropy_error(np.ones((2, 3, 1)), np.array([0, 1])), ValueError,
     "probabilities must have shape (N, C), got (2, 3, 1)"),
    (lambda: F.as_labels(np.array([[0, 1]]), 2, 2), ValueError, "one-hot targets must have shape (2, 2), got (1, 2)"),
    (lambda: F.as_labels(np.array([-1, 0]), 2, 3), ValueError, "labels must lie in 0..2; got min -1, max 0"),
]


@pytest.mark.parametrize("call, error, fragment", BAD)
def test_bad_inputs_raise_clear_errors(call, error, fragment):
    with pytest.raises(error) as info:
        call()
    assert fragment in str(info.value)


def test_eps_bounds_and_single_example_labels():
    y = np.array([[0.2, 0.8], [0.5, 0.5]])
    t = np.array([1, 0])
    assert F.cross_entropy_error(y, t, eps=0) == pytest.approx(-(np.log(0.8) + np.log(0.5)) / 2)
    for bad in (1, 1.5, -1e-9):
        with pytest.raises(ValueError, match=r"eps must be a finite number in \[0, 1\)"):
            F.cross_entropy_error(y, t, eps=bad)
    for bad in ("0.1", True):
        with pytest.raises(TypeError, match="eps must be a number, got"):
            F.cross_entropy_error(y, t, eps=bad)
    # one example given as a 1-D probability vector with a one-element label array
    assert F.cross_entropy_error(np.array([0.25, 0.75, 0.0]), np.array([1])) == pytest.approx(-np.log(0.75 + 1e-7))
    assert F.numerical_gradient(lambda: 0.0, np.ones(1), h=0.999).tolist() == [0.0]
    for bad in (1, -1e-4):
        with pytest.raises(ValueError, match=r"h must be a finite number in \(0, 1\)"):
            F.numerical_gradient(lambda: 0.0, np.ones(1), h=bad)
    for bad in (True, "1e-4"):
        with pytest.raises(TypeError, match="h must be a number, got"):
            F.numerical_gradient(lambda: 0.0, np.ones(1), h=bad)


# ---------------------------------------------------------------- mutation-testing follow-ups (issue 13)
def test_one_hot_error_names_the_first_bad_row_even_when_it_sums_to_one():
    with pytest.raises(ValueError) as info:
        F.as_labels(np.array([[1, 0], [2, -1]]), 2, 2)   # row 1 sums to 1 but is not 0/1
    assert str(info.value) == ("one-hot targets must hold a single 1 per row and 0 elsewhere; row 1 is [2, -1]. "
                               "Pass integer labels, or data.one_hot(labels).")
    with pytest.raises(ValueError) as info:
        F.as_labels(np.array([0, 1, 2]), 2, 3)
    assert str(info.value) == ("targets must be labels shaped (2,) or one-hot shaped (2, 3); got (3,). "
                               "Check that images and labels come from the same batch.")


def test_every_float_dtype_is_kept():
    x = np.array([-1.5, 0.0, 2.0], dtype=np.float16)
    for f in (F.relu, F.sigmoid, F.softmax):
        assert f(x).dtype == np.float16, f.__name__
    np.testing.assert_array_equal(F.relu(x), np.array([0, 0, 2], np.float16))


def test_cross_entropy_probability_range_and_its_boundary():
    with pytest.raises(ValueError) as info:
        F.cross_entropy_error(np.array([[-0.2, 0.6, 0.6]]), np.array([1]))   # negative, though max <= 1
    assert str(info.value) == ("y must be probabilities in [0, 1], got values from -0.2 to 0.6: "
                               "pass softmax(scores), not the scores.")
    for too_big in (1.0011, 1.5):
        with pytest.raises(ValueError, match="y must be probabilities in"):
            F.cross_entropy_error(np.array([[too_big, 0.0]]), np.array([0]))
    # a hair above 1 (float32 rounding) is accepted, up to 1 + 1e-3 inclusive
    assert F.cross_entropy_error(np.array([[1 + 1e-3, 0.0]]), np.array([0]), eps=0) == pytest.approx(-np.log(1.001))


def test_numerical_gradient_accepts_float32_and_its_messages_are_exact():
    x32 = np.array([1.0, 2.0], dtype=np.float32)
    np.testing.assert_allclose(F.numerical_gradient(lambda: float(np.sum(x32 ** 2)), x32, h=1e-2), [2, 4], rtol=1e-3)
    with pytest.raises(TypeError) as info:
        F.numerical_gradient(lambda: 0.0, np.array([1, 2]))
    assert str(info.value) == ("x must be a float NumPy array (the parameter array f reads), got ndarray of dtype "
                               "int64: integer entries cannot be nudged by h. Use x.astype(np.float64).")
    with pytest.raises(TypeError) as info:
        F.numerical_gradient(lambda: 0.0, [1.0])
    assert str(info.value) == ("x must be a float NumPy array (the parameter array f reads), got list: "
                               "integer entries cannot be nudged by h. Use x.astype(np.float64).")
    with pytest.raises(TypeError) as info:
        F.numerical_gradient(3, np.ones(1))
    assert str(info.value) == ("f must be a function of no arguments returning the scalar loss (it reads x), got "
                               "int: e.g. numerical_gradient(lambda: net.loss(x_batch, t_batch), W).")


@pytest.mark.parametrize("first, second", [(np.zeros(2), 0.0), (0.0, np.zeros(2)), (np.zeros(2), np.zeros(2))])
def test_numerical_gradient_rejects_f_returning_an_array_on_either_evaluation(first, second):
    values = iter([first, second])
    with pytest.raises(ValueError) as info:
        F.numerical_gradient(lambda: next(values), np.ones(1))
    assert str(info.value) == (f"f must return one number (the scalar loss), got shape {np.shape(first)}: sum or "
                               "average it, e.g. lambda: float(np.sum(layer.forward(x) * dout)).")
