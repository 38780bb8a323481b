"""Notebook 12 checkers: right answers pass, typical mistakes are rejected with feedback naming them."""

import pytest

from course_lib import exercises
from course_lib.exercises import core, nb12


@pytest.fixture(autouse=True)
def fresh_hints():
    core.reset_hints()


def test_residual_weights():
    assert exercises.check_residual_weights(73_728, 64)
    assert "one convolution" in repr(exercises.check_residual_weights(36_864, 64))
    assert "not the number of convolution weights" in repr(exercises.check_residual_weights(73_728 + 128, 64))


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def test_rotation_right_answers(keras):
    assert exercises.check_rotation_augmentation(keras.layers.RandomRotation(15 / 360), 15)
    assert exercises.check_rotation_augmentation(keras.layers.RandomRotation((-15 / 360, 15 / 360)), 15)
    assert "Not answered" in repr(exercises.check_rotation_augmentation(..., 15))


@pytest.mark.parametrize("make, phrase", [
    (lambda k: k.layers.RandomRotation(0.1), "fraction of a full turn"),
    (lambda k: k.layers.RandomRotation(0.5), "fraction of a full turn"),
    (lambda k: k.layers.RandomRotation((0, 15 / 360)), "not the same amount either way"),
    (lambda k: k.layers.RandomRotation((-15 / 360, 0)), "not the same amount either way"),
    (lambda k: k.layers.RandomZoom(0.1), "RandomRotation"),
])
def test_rotation_rejects_typical_mistakes(keras, make, phrase):
    fb = exercises.check_rotation_augmentation(make(keras), 15)
    assert not fb and phrase in repr(fb)


@pytest.mark.parametrize("question", nb12.QUIZ, ids=lambda q: q.text[:30])
def test_quiz_right_and_wrong(question):
    assert question.check(question.answer)
    wrong = (question.answer + 1) % len(question.options) if question.options else question.answer * 2
    assert not question.check(wrong)
