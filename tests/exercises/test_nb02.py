"""Notebook 02 checkers: a right softmax / cross-entropy passes, typical mistakes are rejected and named."""

import numpy as np
import pytest

from course_lib import exercises
from course_lib.exercises import core, nb02


@pytest.fixture(autouse=True)
def fresh_hints():
    core.reset_hints()


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_row_min(x):
    e = np.exp(x - x.min(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_global_max(x):
    e = np.exp(x - x.max())
    return e / e.sum(axis=-1, keepdims=True)


def softmax_naive(x):
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_no_keepdims(x):
    e = np.exp(x - x.max(axis=-1)[..., None])
    return e / e.sum(axis=-1)


def softmax_sum_all(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum()


def softmax_in_place(x):
    x -= x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_axis0(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def test_softmax_right_and_not_answered():
    assert exercises.check_softmax(softmax)
    assert "Not answered" in repr(exercises.check_softmax(...))


@pytest.mark.parametrize("answer, phrase", [
    (softmax_row_min, "MINIMUM"),
    (softmax_global_max, "one maximum for the whole batch"),
    (softmax_naive, "overflows"),
    (softmax_no_keepdims, "lost their reduced axis"),
    (softmax_sum_all, "whole batch sums to 1"),
    (softmax_in_place, "changed its input"),
    (softmax_axis0, "columns sum to 1"),
    (lambda x: None, "Not answered yet"),
])
def test_softmax_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_softmax(answer)
    assert not fb and phrase in repr(fb), repr(fb)


def test_softmax_hint_only_from_second_miss():
    first, second = repr(exercises.check_softmax(softmax_row_min)), repr(exercises.check_softmax(softmax_row_min))
    assert "Hint" not in first and "Hint: subtract each row's maximum" in second
    assert "x.max" not in second  # no code from the solution


def cross_entropy(y, t):
    return -np.mean(np.log(y[np.arange(len(y)), t] + 1e-7))


def test_cross_entropy_right_with_any_tiny_eps():
    assert exercises.check_cross_entropy(cross_entropy)
    assert exercises.check_cross_entropy(lambda y, t: -np.mean(np.log(y[np.arange(len(y)), t] + 1e-9)))
    assert exercises.check_cross_entropy(lambda y, t: -np.mean(np.log(np.maximum(y[np.arange(len(y)), t], 1e-12))))
    assert "Not answered" in repr(exercises.check_cross_entropy(...))
    assert "Not answered" in repr(exercises.check_cross_entropy(lambda y, t: None))


@pytest.mark.parametrize("answer, phrase", [
    (lambda y, t: -np.sum(np.log(y[np.arange(len(y)), t] + 1e-7)), "SUM over the batch"),
    (lambda y, t: np.mean(np.log(y[np.arange(len(y)), t] + 1e-7)), "sign is missing"),
    (lambda y, t: -np.mean(np.log(y[np.arange(len(y)), t])), "log(0)"),
    (lambda y, t: -np.mean(np.log(y[:, t] + 1e-7)), "y[:, t]"),
    (lambda y, t: -np.sum(t * np.log(y + 1e-7)) / len(y), "one-hot"),
    (lambda y, t: -np.mean(np.log(y + 1e-7)), "every probability"),
    (lambda y, t: -np.mean(np.log(y[np.arange(len(y)), t] + 0.01)), "eps"),
])
def test_cross_entropy_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_cross_entropy(answer)
    assert not fb and phrase in repr(fb), repr(fb)


def test_cross_entropy_in_place():
    def clip_in_place(y, t):
        np.clip(y, 1e-7, 1, out=y)
        return -np.mean(np.log(y[np.arange(len(y)), t]))
    assert "changed its input y" in repr(exercises.check_cross_entropy(clip_in_place))


@pytest.mark.parametrize("question", nb02.QUIZ, ids=lambda q: q.text[:30])
def test_quiz_right_and_wrong(question):
    assert question.check(question.answer)
    wrong = (question.answer + 1) % len(question.options) if question.options else question.answer + 1
    assert not question.check(wrong)
