"""evaluation: confusion matrix, per-class accuracy, most confused pairs, their figures."""

import numpy as np
import pytest

from course_lib import evaluation as ev


def test_confusion_matrix_counts_every_pair():
    labels = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2])
    preds = np.array([0, 1, 1, 1, 2, 2, 0, 0, 2])
    cm = ev.confusion_matrix(labels, preds, num_classes=3)
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 2, 1], [2, 0, 2]])
    assert cm.dtype == np.int64 and cm.sum() == len(labels)


def test_confusion_matrix_matches_a_loop_on_random_data():
    rng = np.random.default_rng(3)
    labels, preds = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    cm = ev.confusion_matrix(labels, preds)
    loop = np.zeros((10, 10), int)
    for t, p in zip(labels, preds):
        loop[t, p] += 1
    np.testing.assert_array_equal(cm, loop)


def test_per_class_accuracy_and_empty_class():
    cm = np.array([[3, 1, 0], [0, 0, 0], [1, 1, 2]])
    acc = ev.per_class_accuracy(cm)
    np.testing.assert_allclose(acc[[0, 2]], [0.75, 0.5])
    assert np.isnan(acc[1])


def test_most_confused_orders_by_count_and_skips_zeros():
    cm = np.array([[9, 4, 0], [1, 9, 7], [4, 0, 9]])
    assert ev.most_confused(cm, k=3) == [(1, 2, 7), (0, 1, 4), (2, 0, 4)]
    assert ev.most_confused(np.eye(3, dtype=int) * 5, k=2) == []


@pytest.mark.parametrize("call, match", [
    (lambda: ev.confusion_matrix([0, 1], [0], 2), "same length"),
    (lambda: ev.confusion_matrix([0, 3], [0, 1], 3), "0..2"),
    (lambda: ev.confusion_matrix([0.0, 1.0], [0, 1], 2), "integer"),
    (lambda: ev.confusion_matrix([[0, 1]], [[0, 1]], 2), "1-D"),
    (lambda: ev.confusion_matrix([0], [0], 0), "num_classes"),
    (lambda: ev.per_class_accuracy(np.ones((2, 3))), "square"),
    (lambda: ev.most_confused(np.ones((2, 2)), k=0), "k must"),
    (lambda: ev.confused_examples(np.zeros((2, 784)), [0, 1], [0, 1], []), "no mistake"),
])
def test_bad_inputs_name_the_problem(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_figures_carry_labels_counts_and_colour_bar():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 300)
    preds = np.where(rng.random(300) < 0.9, labels, (labels + 1) % 10)
    cm = ev.confusion_matrix(labels, preds)
    fig = ev.plot_confusion(cm, title="test")
    ax, bar = fig.axes
    assert ax.get_title() == "test" and ax.get_xlabel() == "predicted class"
    assert bar.get_ylabel().startswith("number of digits")
    assert {t.get_text() for t in ax.texts} >= {str(cm[0, 0])}
    pairs = ev.most_confused(cm, k=3)
    fig = ev.confused_examples(rng.random((300, 28, 28)), labels, preds, pairs, per_pair=4)
    assert len(fig.axes) == 3 * 4
    assert fig.axes[0].get_ylabel().startswith(f"{pairs[0][0]} → {pairs[0][1]}")
