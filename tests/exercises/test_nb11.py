"""Notebook 11 checkers: right answers pass, typical mistakes are rejected with feedback naming them."""

import numpy as np
import pytest

from course_lib import exercises
from course_lib.exercises import core, nb11


@pytest.fixture(autouse=True)
def fresh_hints():
    core.reset_hints()


def test_two_conv_params():
    assert exercises.check_two_conv_params(85_670)
    assert "one-conv" in repr(exercises.check_two_conv_params(289_630))
    assert "not the parameter count" in repr(exercises.check_two_conv_params(85_000))
    assert "Not answered" in repr(exercises.check_two_conv_params(...))


def test_fixed_errors():
    t = np.array([1, 2, 3, 4, 5])
    p1, p2 = np.array([1, 0, 0, 4, 0]), np.array([1, 2, 0, 0, 0])
    assert exercises.check_fixed_errors(1, t, p1, p2)
    assert "difference of the error counts" in repr(exercises.check_fixed_errors(0, t, p1, p2))
    assert "not the number of fixed errors" in repr(exercises.check_fixed_errors(3, t, p1, p2))
    assert "Not answered" in repr(exercises.check_fixed_errors(..., t, p1, p2))


@pytest.mark.parametrize("question", nb11.QUIZ, ids=lambda q: q.text[:30])
def test_quiz_right_and_wrong(question):
    assert question.check(question.answer)
    wrong = (question.answer + 1) % len(question.options) if question.options else question.answer * 2
    assert not question.check(wrong)
