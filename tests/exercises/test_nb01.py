"""Notebook 01 checkers: right answers pass; typical mistakes are rejected with feedback naming them."""

import numpy as np
import pytest

from course_lib import exercises
from course_lib.exercises import core, nb01


@pytest.fixture(autouse=True)
def fresh_hints():
    core.reset_hints()


def test_to_channels_last():
    assert exercises.check_to_channels_last(lambda x: x.reshape(-1, 28, 28, 1))
    assert "Not answered" in repr(exercises.check_to_channels_last(lambda x: None))
    assert "Not answered" in repr(exercises.check_to_channels_last(...))


def in_place_reshape(x):
    x.shape = (len(x), 28, 28, 1)
    return x


@pytest.mark.parametrize("answer, phrase", [
    (lambda x: x.reshape(-1, 1, 28, 28).transpose(0, 3, 2, 1), "pixels moved"),
    (lambda x: x.reshape(-1, 1, 28, 28), "expected ("),
    (lambda x: x.reshape(-1, 28, 28), "expected ("),
    (lambda x: x.reshape(3, 28, 28, 1), "raised"),
    (lambda x: np.multiply(x, 2, out=x).reshape(-1, 28, 28, 1), "changed its input"),
])
def test_to_channels_last_rejects(answer, phrase):
    fb = exercises.check_to_channels_last(answer)
    assert not fb and phrase in repr(fb), repr(fb)


def test_dense():
    assert exercises.check_dense(lambda x, W, b: x @ W + b)
    assert "Not answered" in repr(exercises.check_dense(lambda x, W, b: None))


@pytest.mark.parametrize("answer, phrase", [
    (lambda x, W, b: x @ W, "bias is missing"),
    (lambda x, W, b: W.T @ x.T + b[:, None], "should give"),
    (lambda x, W, b: x * W + b if x.shape == W.shape else x @ W + b, "elementwise"),
    (lambda x, W, b: x @ W + b.sum(), "the output"),
])
def test_dense_rejects(answer, phrase):
    fb = exercises.check_dense(answer)
    assert not fb and phrase in repr(fb), repr(fb)


def test_dense_params():
    assert exercises.check_dense_params(784 * 128 + 128, 784, 128)
    assert "bias" in repr(exercises.check_dense_params(784 * 128, 784, 128))
    assert not exercises.check_dense_params(784 + 128, 784, 128)


@pytest.mark.parametrize("question", nb01.QUIZ, ids=lambda q: q.text[:30])
def test_quiz_right_and_wrong(question):
    assert question.check(question.answer)
    wrong = (question.answer + 1) % len(question.options) if question.options else question.answer + 1
    assert not question.check(wrong)
