"""What a check returns: feedback and its autograding display, graded hints, quiz questions."""

import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter

from course_lib.exercises import core


@pytest.fixture(autouse=True)
def fresh_hints():
    core.reset_hints()
    yield
    core.reset_hints()


def shown(obj):
    """What IPython stores for a cell whose value is ``obj`` (the mime bundle)."""
    data, _ = DisplayFormatter().format(obj)
    return data


# --- Feedback -------------------------------------------------------------------------------------------------

def test_feedback_truth_score_and_repr():
    right, wrong_ = core.Feedback(True, "well done."), core.Feedback(False, "dx is off.")
    assert right and not wrong_ and not core.NOT_ANSWERED
    assert (right.score, wrong_.score, core.NOT_ANSWERED.score) == (1.0, 0.0, 0.0)
    assert repr(right) == "Correct! well done."
    assert repr(wrong_) == "Not yet: dx is off."
    assert repr(core.NOT_ANSWERED).startswith("Not answered yet: ")


def test_feedback_shows_its_message_in_a_notebook(monkeypatch):
    monkeypatch.delenv(core.GRADING_ENV, raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert shown(core.Feedback(False, "dx is off.")) == {"text/plain": "Not yet: dx is off."}


@pytest.mark.parametrize("value", ["0", "", "yes"])
def test_only_grading_1_switches_to_scores(monkeypatch, value):
    monkeypatch.setenv(core.GRADING_ENV, value)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert not core.grading()
    assert shown(core.Feedback(True, "ok."))["text/plain"] == "Correct! ok."


@pytest.mark.parametrize("value, grading", [("autograde", True), ("validate", True), ("", False)])
def test_nbgrader_runs_switch_to_scores(monkeypatch, value, grading):
    """nbgrader sets NBGRADER_EXECUTION for the kernels of `nbgrader autograde` and `nbgrader validate`."""
    monkeypatch.delenv(core.GRADING_ENV, raising=False)
    monkeypatch.setenv("NBGRADER_EXECUTION", value)
    assert core.grading() is grading


def test_feedback_shows_its_score_while_autograding(monkeypatch):
    """nbgrader gives a check cell whose text output is a number that many points (nbgrader.utils.determine_grade)."""
    monkeypatch.setenv(core.GRADING_ENV, "1")
    assert core.grading()
    assert shown(core.Feedback(True, "ok."))["text/plain"] == "1.0"
    assert shown(core.NOT_ANSWERED)["text/plain"] == "0.0"
    bad = shown(core.Feedback(False, "x < 0 & y"))
    assert bad["text/plain"] == "0.0" and "Not yet: x &lt; 0 &amp; y" in bad["text/html"]
    assert repr(core.Feedback(False, "dx is off.")) == "Not yet: dx is off."  # repr never changes


def test_scores_are_graded_by_nbgrader(monkeypatch):
    from nbformat.v4 import new_code_cell, new_output

    from nbgrader.utils import determine_grade

    monkeypatch.setenv(core.GRADING_ENV, "1")
    for fb, points in [(core.Feedback(True, "ok."), 1.0), (core.Feedback(False, "no."), 0.0),
                       (core.NOT_ANSWERED, 0.0)]:
        cell = new_code_cell("exercises.check_x(x)", metadata={"nbgrader": {
            "grade": True, "solution": False, "points": 1, "grade_id": "x-check", "locked": True}})
        cell.outputs = [new_output("execute_result", data=shown(fb), execution_count=1)]
        assert determine_grade(cell) == (points, 1.0)


# --- graded hints ---------------------------------------------------------------------------------------------

def test_graded_nudges_first_then_adds_the_hint():
    first = core.graded("softmax-min", "Row 0 does not sum to 1.", "Subtract each row's maximum.")
    second = core.graded("softmax-min", "Row 0 does not sum to 1.", "Subtract each row's maximum.")
    third = core.graded("softmax-min", "Row 0 does not sum to 1.", "Subtract each row's maximum.")
    assert not first and repr(first) == "Not yet: Row 0 does not sum to 1."
    assert "Hint: Subtract each row's maximum." in repr(second) and repr(third) == repr(second)


def test_hints_count_each_mistake_separately_and_reset():
    core.graded("a", "nudge a", "hint a")
    assert "Hint" not in repr(core.graded("b", "nudge b", "hint b"))
    assert "hint a" in repr(core.graded("a", "nudge a", "hint a"))
    core.reset_hints()
    assert "Hint" not in repr(core.graded("a", "nudge a", "hint a"))


def test_graded_without_a_hint_repeats_the_nudge():
    core.graded("k", "only a nudge")
    assert repr(core.graded("k", "only a nudge")) == "Not yet: only a nudge"


def test_question_multiple_choice():
    q = core.Question("Pick the prime.", answer=1, options=["4", "7"], why="7 is prime.")
    assert q.check(...) is core.NOT_ANSWERED
    assert q.check(1) and repr(q.check(1)) == "Correct! 7 is prime."
    assert not q.check(0) and "not option 0 (4)" in repr(q.check(0))
    for bad in (2, True, "1", 1.0):
        assert "answer with the number of an option, 0 to 1" in repr(q.check(bad))
    with pytest.raises(ValueError, match="answer must index one of the 2 options"):
        core.Question("?", answer=2, options=["a", "b"], why="")


def test_question_number():
    q = core.Question("How many?", answer=100480, why="weights plus biases.")
    assert q.check(100480.0) and q.check(np.int64(100480))
    assert "100479 is not it" in repr(q.check(100479))
    assert "answer with a number" in repr(q.check("many"))
