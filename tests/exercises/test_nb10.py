"""Notebook 10 checkers: right answers pass, typical mistakes are rejected with feedback naming them."""

import pytest

from course_lib import exercises
from course_lib.exercises import core, nb10

RIGHT = [9, 144, 144, 288, 288, 576, 1024, 50]


@pytest.fixture(autouse=True)
def fresh_hints():
    core.reset_hints()


def test_fan_ins_right_in_any_sequence_type():
    assert exercises.check_fan_ins(RIGHT)
    assert exercises.check_fan_ins(tuple(float(v) for v in RIGHT))
    assert "Not answered" in repr(exercises.check_fan_ins(...))


@pytest.mark.parametrize("answer, phrase", [
    ([1, 16, 16, 32, 32, 64, 1024, 50], "input channels"),
    ([144, 144, 288, 288, 576, 576, 1024, 50], "counted the filters"),
    ([9, 9, 9, 9, 9, 9, 1024, 50], "one channel's 3x3 window"),
    ([9, 144, 144, 288, 288, 576, 4096, 50], "layer 7 is wrong"),
    ([9, 144, 144, 288, 288, 576, 1024, 10], "layer 8 is wrong"),
    (RIGHT[:7], "8 numbers"),
    (["9"] * 7 + ["x"], "must be a number"),
])
def test_fan_ins_reject_typical_mistakes(answer, phrase):
    fb = exercises.check_fan_ins(answer)
    assert not fb and phrase in repr(fb)


def test_fan_ins_hint_only_on_the_second_miss():
    wrong = [1, 16, 16, 32, 32, 64, 1024, 50]
    assert "Hint" not in repr(exercises.check_fan_ins(wrong))
    assert "Hint: a 3x3 filter sees" in repr(exercises.check_fan_ins(wrong))


@pytest.mark.parametrize("question", nb10.QUIZ, ids=lambda q: q.text[:30])
def test_quiz_right_and_wrong(question):
    assert question.check(question.answer)
    wrong = (question.answer + 1) % len(question.options) if question.options else question.answer + 1
    assert not question.check(wrong)
