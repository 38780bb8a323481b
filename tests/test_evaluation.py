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
    for t, p in zip(labels, preds, strict=True):
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


IMAGES, LABELS, PREDS = np.zeros((4, 28, 28)), np.array([4, 4, 7, 1]), np.array([9, 4, 1, 1])

BAD_MORE = [
    # (description, call, error, fragment)
    ("num_classes True", lambda: ev.confusion_matrix([0], [0], True), TypeError,
     "num_classes must be a whole number, got bool True"),
    ("labels None", lambda: ev.confusion_matrix(None, [0]), ValueError, "labels must be a 1-D array"),
    ("predictions bool", lambda: ev.confusion_matrix([1, 0], [True, False], 2), ValueError,
     "predictions must hold integer class labels"),
    ("cm negative", lambda: ev.per_class_accuracy(-np.eye(3)), ValueError, "cm must hold counts"),
    ("cm NaN", lambda: ev.per_class_accuracy(np.full((2, 2), np.nan)), ValueError, "cm must hold counts"),
    ("cm text", lambda: ev.most_confused(np.array([["a", "b"], ["c", "d"]])), ValueError, "cm must hold counts"),
    ("cm empty", lambda: ev.per_class_accuracy(np.zeros((0, 0))), ValueError, r"square confusion matrix \(C, C\)"),
    ("k True", lambda: ev.most_confused(np.eye(3), k=True), TypeError, "k must be a whole number, got bool True"),
    ("plot cm 1-D", lambda: ev.plot_confusion(np.ones(3)), ValueError, "cm must be a square confusion matrix"),
    ("plot cm empty", lambda: ev.plot_confusion(np.zeros((0, 0))), ValueError, "confusion_matrix"),
    ("plot cm negative", lambda: ev.plot_confusion(-np.ones((3, 3))), ValueError, "non-negative"),
    ("plot title", lambda: ev.plot_confusion(np.eye(3), title=None), TypeError, "title must be a string"),
    ("pair of two", lambda: ev.confused_examples(IMAGES, LABELS, PREDS, [(4, 9)]), ValueError,
     r"\(true, predicted, count\) triples"),
    ("pair out of range", lambda: ev.confused_examples(IMAGES, LABELS, PREDS, [(11, 12, 1)]), ValueError,
     "classes 0-9"),
    ("pair not a mistake", lambda: ev.confused_examples(IMAGES, LABELS, PREDS, [(4, 4, 1)]), ValueError,
     "different classes"),
    ("pair absent", lambda: ev.confused_examples(IMAGES, LABELS, PREDS, [(2, 3, 5)]), ValueError,
     "no digit of class 2 is predicted as 3"),
    ("labels short", lambda: ev.confused_examples(IMAGES, LABELS[:2], PREDS[:2], [(4, 9, 1)]), ValueError,
     "one entry per digit, got 4, 2 and 2"),
    ("images short", lambda: ev.confused_examples(IMAGES[:2], LABELS, PREDS, [(4, 9, 1)]), ValueError,
     "one entry per digit, got 2, 4 and 4"),
    ("labels float", lambda: ev.confused_examples(IMAGES, LABELS * 1.0, PREDS, [(4, 9, 1)]), ValueError,
     "labels must hold integer"),
    ("images shape", lambda: ev.confused_examples(np.zeros((4, 5)), LABELS, PREDS, [(4, 9, 1)]), ValueError,
     r"images must be digits shaped"),
    ("per_pair True", lambda: ev.confused_examples(IMAGES, LABELS, PREDS, [(4, 9, 1)], per_pair=True), TypeError,
     "per_pair must be a whole number, got bool True"),
    ("pairs None", lambda: ev.confused_examples(IMAGES, LABELS, PREDS, None), ValueError, "pairs is empty"),
]


@pytest.mark.parametrize("call, error, fragment", [row[1:] for row in BAD_MORE], ids=[row[0] for row in BAD_MORE])
def test_more_bad_inputs_name_the_argument(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


def test_confused_examples_shows_the_digits_of_each_mistake():
    images = np.random.default_rng(5).random((6, 28, 28))
    labels, preds = np.array([4, 4, 7, 4, 1, 7]), np.array([9, 4, 1, 9, 1, 1])
    fig = ev.confused_examples(images.reshape(6, 784), labels, preds, [(4, 9, 2), (7, 1, 2)], per_pair=3)
    rows = np.array(fig.axes).reshape(2, 3)
    for row, expected in zip(rows, ([0, 3], [2, 5]), strict=True):
        shown = [ax.images[0].get_array() for ax in row if ax.images]
        assert len(shown) == len(expected)
        for got, i in zip(shown, expected, strict=True):
            np.testing.assert_array_equal(got, images[i])
    assert rows[1, 0].get_ylabel() == "7 → 1\n(2×)"


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


# ------------------------------------------------------------------------------------ comparing settings over seeds

def test_compare_seeds_states_means_spreads_and_a_clear_lead():
    a, b = [0.907, 0.905, 0.909], [0.898, 0.899, 0.897]
    sentence = ev.compare_seeds(a, b, ("dropout", "no dropout"), "best validation accuracy")
    assert f"{np.mean(a):.2%} ± {np.std(a):.2%}" in sentence and f"{np.mean(b):.2%} ± {np.std(b):.2%}" in sentence
    assert "over 3 seeds" in sentence and "dropout is ahead in every seed" in sentence


@pytest.mark.parametrize("a, b", [([0.90, 0.95, 0.91], [0.92, 0.93, 0.89]),   # overlapping ranges
                                  ([0.91, 0.92], [0.91, 0.90])])               # a tie between A's worst and B's best
def test_compare_seeds_claims_no_lead_unless_the_worst_seed_beats_the_best(a, b):
    sentence = ev.compare_seeds(a, b, ("A", "B"), "accuracy")
    assert "ahead" not in sentence and f"these {len(a)} seeds do not show that A beats B" in sentence


@pytest.mark.parametrize("higher_is_better", [True, False])
def test_compare_seeds_names_the_second_setting_when_it_leads_in_every_seed(higher_is_better):
    low, high = [0.80, 0.81, 0.79], [0.90, 0.91, 0.92]
    a, b = (low, high) if higher_is_better else (high, low)
    sentence = ev.compare_seeds(a, b, ("A", "B"), "score", higher_is_better=higher_is_better)
    assert "B is ahead in every seed: its worst seed beats the best seed of A." in sentence
    assert "overlap" not in sentence and "A is ahead" not in sentence


def test_compare_seeds_for_losses_lower_is_better():
    losses_a, losses_b = [0.40, 0.41, 0.39], [0.56, 0.60, 0.45]
    sentence = ev.compare_seeds(losses_a, losses_b, ("L2", "no L2"), "final validation loss", percent=False,
                                        higher_is_better=False)
    assert "0.400 ± 0.008" in sentence and "L2 is ahead in every seed" in sentence
    flipped = ev.compare_seeds(losses_b, losses_a, ("no L2", "L2"), "loss", percent=False,
                                       higher_is_better=False)
    assert "L2 is ahead in every seed: its worst seed beats the best seed of no L2." in flipped


def test_compare_seeds_with_one_seed_draws_no_conclusion():
    sentence = ev.compare_seeds([0.99], [0.5], ("A", "B"), "accuracy")
    assert "99.00%" in sentence and "50.00%" in sentence and "ahead" not in sentence and "one seed" in sentence


@pytest.mark.parametrize("kwargs, match", [
    (dict(scores_a=[0.9, 0.8], scores_b=[0.9]), "scores_a and scores_b must hold one score per seed"),
    (dict(scores_a=[], scores_b=[]), "one score per seed"),
    (dict(scores_a=[[0.9]], scores_b=[[0.8]]), "1-D"),
    (dict(scores_a=[0.9, np.nan], scores_b=[0.8, 0.7]), "scores_a"),
    (dict(scores_a=["a"], scores_b=[0.8]), "scores_a"),
    (dict(names="AB"), "names must be a pair"),
    (dict(names=("A", "B", "C")), "names must be a pair"),
    (dict(what=3), "what"),
])
def test_compare_seeds_bad_inputs_name_the_argument(kwargs, match):
    args = dict(scores_a=[0.9, 0.8], scores_b=[0.7, 0.6], names=("A", "B"), what="accuracy") | kwargs
    with pytest.raises((ValueError, TypeError), match=match):
        ev.compare_seeds(**args)
