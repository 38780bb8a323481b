"""Notebook 00 checkers: right answers pass; typical mistakes (counts, percentages, scale, sums) are named."""

import numpy as np
import pytest

from course_lib import exercises
from course_lib.exercises import core, nb00


@pytest.fixture(autouse=True)
def fresh_hints():
    core.reset_hints()


T = np.array([1, 1, 0, 7, 3, 7, 1, 2, 3])
X = np.random.default_rng(0).integers(0, 256, (9, 1, 28, 28)).astype(np.uint8)


def test_fraction_of_ones():
    assert exercises.check_fraction_of_ones(3 / 9, T)
    assert "Not answered" in repr(exercises.check_fraction_of_ones(..., T))
    assert "count of ones" in repr(exercises.check_fraction_of_ones(3, T))
    assert "percentage" in repr(exercises.check_fraction_of_ones(100 * 3 / 9, T))
    assert "not it" in repr(exercises.check_fraction_of_ones(0.5, T))


def test_first_index():
    assert exercises.check_first_index(3, T, 7)
    assert "off by one" in repr(exercises.check_first_index(4, T, 7))
    assert "labels[0] is 1" in repr(exercises.check_first_index(0, T, 7))
    assert "integer" in repr(exercises.check_first_index(3.0, T, 7))


def mean_three(x, t):
    return x[t == 3].reshape(-1, 28, 28).mean(axis=0)


def test_mean_image_right():
    assert exercises.check_mean_image(mean_three(X, T), X, T, 3)
    assert "Not answered" in repr(exercises.check_mean_image(..., X, T, 3))


@pytest.mark.parametrize("answer, phrase", [
    (mean_three(X, T) / 255, "255 times smaller"),
    (X[T == 3].reshape(-1, 28, 28).astype(float).sum(axis=0), "SUM of the 2 images"),
    (X.reshape(-1, 28, 28).mean(axis=0), "mean of all digits"),
    (X[T == 3].mean(axis=0), "shape"),
    (X[T == 3].reshape(-1, 784).mean(axis=0), "reshape to 28 x 28"),
    (float(X[T == 3].mean()), "one number"),
    (X[T == 7].reshape(-1, 28, 28).mean(axis=0), "values differ"),
])
def test_mean_image_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_mean_image(answer, X, T, 3)
    assert not fb and phrase in repr(fb), repr(fb)
    assert "select rows" not in repr(fb) or phrase == "mean of all digits"


@pytest.mark.parametrize("question", nb00.QUIZ, ids=lambda q: q.text[:30])
def test_quiz_right_and_wrong(question):
    assert question.check(question.answer)
    wrong = (question.answer + 1) % len(question.options) if question.options else question.answer + 1
    assert not question.check(wrong)
