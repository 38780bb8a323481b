"""The shared checker machinery: feedback and its autograding display, graded hints, calls, array comparison."""

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

def test_wrong_nudges_first_then_adds_the_hint():
    first = core.wrong("softmax-min", "Row 0 does not sum to 1.", "Subtract each row's maximum.")
    second = core.wrong("softmax-min", "Row 0 does not sum to 1.", "Subtract each row's maximum.")
    third = core.wrong("softmax-min", "Row 0 does not sum to 1.", "Subtract each row's maximum.")
    assert not first and repr(first) == "Not yet: Row 0 does not sum to 1."
    assert "Hint: Subtract each row's maximum." in repr(second) and repr(third) == repr(second)


def test_hints_count_each_mistake_separately_and_reset():
    core.wrong("a", "nudge a", "hint a")
    assert "Hint" not in repr(core.wrong("b", "nudge b", "hint b"))
    assert "hint a" in repr(core.wrong("a", "nudge a", "hint a"))
    core.reset_hints()
    assert "Hint" not in repr(core.wrong("a", "nudge a", "hint a"))


def test_wrong_without_a_hint_repeats_the_nudge():
    core.wrong("k", "only a nudge")
    assert repr(core.wrong("k", "only a nudge")) == "Not yet: only a nudge"


# --- calling learner code -------------------------------------------------------------------------------------

def test_unanswered():
    assert core.unanswered(...) and core.unanswered(None)
    assert not core.unanswered(0) and not core.unanswered(np.zeros(2))


def skeleton(x):
    # YOUR CODE STARTS HERE
    ...
    # YOUR CODE ENDS HERE


class SkeletonLayer:
    def backward(self, dout):
        """dout: (N, M). Returns: dx (N, D)."""
        # YOUR CODE STARTS HERE
        ...
        # YOUR CODE ENDS HERE


def forgot_return(x):
    y = x * 2  # noqa: F841


def explicit_none(x):
    return None


def test_call_turns_an_untouched_skeleton_into_not_answered():
    assert core.call(skeleton, 1) == (None, core.NOT_ANSWERED)
    assert core.call(SkeletonLayer().backward, 1) == (None, core.NOT_ANSWERED)
    assert core.is_skeleton(skeleton) and not core.is_skeleton(forgot_return) and not core.is_skeleton(len)


@pytest.mark.parametrize("fn", [forgot_return, explicit_none, lambda x: None], ids=["forgot", "explicit", "lambda"])
def test_call_names_a_missing_return(fn):
    result, fb = core.call(fn, 1)
    assert result is None and not fb and fb is not core.NOT_ANSWERED and "returns None" in repr(fb)


def test_call_reports_the_exception_and_passes_results():
    def boom(x):
        raise IndexError("index 5 is out of bounds")

    _, fb = core.call(boom, 1)
    assert repr(fb) == "Not yet: boom raised IndexError: index 5 is out of bounds"
    assert core.call(lambda x, y: x + y, 1, 2) == (3, None)
    assert core.call(explicit_none, 1, allow_none=True) == (None, None)


# --- comparing arrays -----------------------------------------------------------------------------------------

def test_first_mismatch_names_the_first_problem():
    expected = np.arange(6, dtype=np.float64).reshape(2, 3)
    assert core.first_mismatch("dx", expected.copy(), expected) is None
    assert core.first_mismatch("dx", None, expected) == "dx is None: return it."
    assert core.first_mismatch("dx", [[1, 2], [3]], expected) == "dx is not an array."
    assert core.first_mismatch("dx", expected.T, expected) == "dx has shape (3, 2), expected (2, 3)."
    assert "dtype int64" in core.first_mismatch("dx", expected.astype(np.int64), expected)
    assert "expected numbers" in core.first_mismatch("dx", expected.astype(str), expected)
    nan = expected.copy()
    nan[1, 2] = np.nan
    assert core.first_mismatch("dx", nan, expected) == "dx[1, 2] is nan, not a finite number."
    off = expected.copy()
    off[0, 1] += 0.5
    off[1, 0] += 1
    assert core.first_mismatch("dx", off, expected) == "dx[0, 1] is 1.5, expected 1 (2 of 6 entries differ)."
    assert core.first_mismatch("loss", 2.5, 2.0) == "loss is 2.5, expected 2 (1 of 1 entries differ)."
    assert core.first_mismatch("dx", expected * (1 + 1e-7), expected) is None  # within rtol


def test_changed_inputs():
    x, w = np.ones(3), np.zeros(2)
    before = {"x": x.copy(), "w": w.copy()}
    assert core.changed_inputs(before, {"x": x, "w": w}) is None
    w[1] = 5
    assert core.changed_inputs(before, {"x": x, "w": w}) == "w"


def test_gradient_error_is_small_for_the_right_gradient_only():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 4))
    assert core.gradient_error(lambda: np.sum(x ** 3), x, 3 * x ** 2) < 1e-7
    assert core.gradient_error(lambda: np.sum(x ** 3), x, 2 * x) > 1e-2


# --- numbers and quick-check questions ------------------------------------------------------------------------

def test_check_number():
    assert core.check_number(..., 10, "the count", "add the biases") is core.NOT_ANSWERED
    assert core.check_number(10.0, 10, "the count", "add the biases")
    assert "expected a number" in repr(core.check_number(True, 1, "the count", "h"))
    assert "expected a number" in repr(core.check_number("ten", 10, "the count", "h"))
    first = core.check_number(9, 10, "the count", "add the biases")
    assert repr(first) == "Not yet: 9 is not the count."
    assert "Hint: add the biases" in repr(core.check_number(9, 10, "the count", "add the biases"))


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
