"""The quick-check quiz widget, driven without a browser: set an answer, click Check, read the feedback."""

import pytest

from course_lib import exercises
from course_lib.exercises import core, quiz

CHOICE = core.Question("Which is a prime?", answer=2, options=["4", "6", "7"], why="7 has no divisor but 1 and 7.")
NUMBER = core.Question("How many parameters has Dense(784 -> 128)?", answer=784 * 128 + 128,
                       why="784 x 128 weights plus 128 biases.")


def test_show_quiz_is_exported_and_builds_one_item_per_question():
    widget = exercises.show_quiz([CHOICE, NUMBER])
    assert isinstance(widget, quiz.Quiz)
    assert [item.question for item in widget.items] == [CHOICE, NUMBER]
    assert widget.score() == 0


def test_multiple_choice_starts_unselected_and_grades_the_click():
    item = exercises.show_quiz([CHOICE]).items[0]
    assert item.input.value is None and item.input.index is None
    item.button.click()
    assert item.feedback is core.NOT_ANSWERED and item.status.value.startswith("Not answered yet")
    item.input.value = 1
    item.button.click()
    assert not item.feedback and "not option 1 (6)" in item.status.value
    item.input.value = 2
    item.button.click()
    assert item.feedback and item.status.value == "Correct! 7 has no divisor but 1 and 7."


@pytest.mark.parametrize("typed, ok", [("100480", True), ("100,480", True), ("100_480", True),
                                       (" 100480.0 ", True), ("100479", False), ("lots", False)])
def test_number_question_parses_what_is_typed(typed, ok):
    item = exercises.show_quiz([NUMBER]).items[0]
    item.input.value = typed
    item.button.click()
    assert bool(item.feedback) is ok
    if not ok:
        assert item.status.value.startswith("Not yet")


def test_number_question_empty_box_is_not_answered():
    item = exercises.show_quiz([NUMBER]).items[0]
    item.button.click()
    assert item.feedback is core.NOT_ANSWERED


def test_score_counts_right_answers():
    widget = exercises.show_quiz([CHOICE, NUMBER])
    widget.items[0].input.value = 2
    widget.items[1].input.value = "5"
    for item in widget.items:
        item.button.click()
    assert widget.score() == 1


def test_text_repr_is_short_and_deterministic():
    """nbval compares the stored text/plain: no addresses, no widget ids."""
    a = exercises.show_quiz([CHOICE, NUMBER])._repr_mimebundle_()["text/plain"]
    b = exercises.show_quiz([CHOICE, NUMBER])._repr_mimebundle_()["text/plain"]
    assert a == b == "Quick check: 2 questions (run the notebook to answer them)"
    assert "application/vnd.jupyter.widget-view+json" in exercises.show_quiz([CHOICE])._repr_mimebundle_()


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="at least one question"):
        exercises.show_quiz([])
    with pytest.raises(TypeError, match="core.Question.*question 1"):
        exercises.show_quiz(["What is 2 + 2?"])


def test_question_text_is_escaped():
    item = exercises.show_quiz([core.Question("Is 1 < 2?", answer=0, options=["yes", "no"], why="yes.")]).items[0]
    assert "1 &lt; 2" in item.children[0].value


def test_parse_number():
    assert quiz.parse_number("") is None
    assert quiz.parse_number("1 000") == 1000.0
    assert quiz.parse_number("1e-3") == 0.001
    assert quiz.parse_number("abc") == "abc"
