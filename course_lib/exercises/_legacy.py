"""TEMPORARY (removed once every notebook is ported to the engine). What every exercise checker shares: feedback, graded hints, calling learner code, comparing arrays.

A checker runs a learner's answer (a value, a function or a class) on the cases that matter and returns a
``Feedback``: truthy only when the answer is right, shown in the notebook as one short message. Checkers never
raise on a wrong or missing answer, so an unsolved exercise never stops the cells after it.

Graded hints: ``wrong(key, nudge, hint)`` says only *what* is wrong (the nudge) the first time a learner makes a
given mistake; from the second time on it adds a stronger hint. Feedback never contains the solution's code.

Autograding (nbgrader): a check cell's value is a ``Feedback``. nbgrader awards an autograder cell whose output is a
number that number of points, so while nbgrader runs a notebook (it sets ``NBGRADER_EXECUTION`` to ``autograde`` or
``validate`` for the kernel) or when ``COURSE_GRADING=1`` is set (``make grade`` sets it), a Feedback is displayed as
its score, ``1.0`` or ``0.0``, as text and its message as HTML. Otherwise it is displayed as its message; ``repr`` is
always the message.
"""

import dis
import html
import inspect
import os

import numpy as np

from .. import gradcheck
from ..functions import numerical_gradient


from .core import NOT_ANSWERED, Feedback, Question, grading  # noqa: F401

# How many times each mistake (by key) has been made in this kernel: the first miss gets a nudge, later ones a hint.
_misses = {}


def reset_hints():
    """Forget earlier misses (every mistake gets its nudge first again)."""
    _misses.clear()


def wrong(key, nudge, hint=None):
    """Feedback for a typical mistake: the ``nudge`` first, ``nudge`` plus ``hint`` from the second miss on."""
    _misses[key] = _misses.get(key, 0) + 1
    if hint and _misses[key] > 1:
        return Feedback(False, f"{nudge} Hint: {hint}")
    return Feedback(False, nudge)


def unanswered(answer):
    """True for an answer still left as ``...`` (or ``None``)."""
    return answer is None or answer is Ellipsis


def is_skeleton(fn):
    """True for a function (or method) whose body is still only the skeleton's ``...`` (and comments)."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    for ins in dis.get_instructions(code):  # an empty body compiles to "return None" and nothing else
        if ins.opname not in {"RESUME", "NOP", "LOAD_CONST", "RETURN_VALUE", "RETURN_CONST"} or (
                ins.opname in {"LOAD_CONST", "RETURN_CONST"} and ins.argval is not None):
            return False
    try:
        source = inspect.getsource(fn)
    except (OSError, TypeError):  # no source to look at: judge by what it returns
        return False
    return "..." in source  # not a deliberate `return None` or `lambda x: None`


def call(fn, *args, allow_none=False):
    """Run a learner's function; turn an exception or a missing return value into feedback.

    A function whose body is still the skeleton's ``...`` gives ``NOT_ANSWERED``.
    Returns ``(result, None)`` or ``(None, feedback)``.
    """
    name = getattr(fn, "__name__", "your code")
    try:
        result = fn(*args)
    except Exception as exc:  # the learner's code may raise anything
        return None, Feedback(False, f"{name} raised {type(exc).__name__}: {exc}")
    if result is None and not allow_none:
        if is_skeleton(fn):
            return None, NOT_ANSWERED
        return None, Feedback(False, f"{name} returns None: write its body (replace the ...) and return the result.")
    return result, None


def first_mismatch(what, got, expected, rtol=1e-5, atol=1e-8):
    """Describe the first way ``got`` differs from ``expected`` (type, shape, dtype, the first wrong entry).

    Returns ``None`` when they agree within ``rtol``/``atol``. ``what`` names the output ("dx", "the output").
    """
    if got is None:
        return f"{what} is None: return it."
    try:
        got = np.asarray(got)
    except Exception:  # a ragged list or an object numpy cannot hold
        return f"{what} is not an array."
    expected = np.asarray(expected)
    if got.shape != expected.shape:
        return f"{what} has shape {got.shape}, expected {expected.shape}."
    if not np.issubdtype(got.dtype, np.number) and got.dtype != np.bool_:
        return f"{what} has dtype {got.dtype}, expected numbers."
    if np.issubdtype(expected.dtype, np.floating) and not np.issubdtype(got.dtype, np.floating):
        return f"{what} has dtype {got.dtype}; it should hold floats like its input ({expected.dtype})."
    if not np.all(np.isfinite(got)) and np.all(np.isfinite(expected)):
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(got))[0])
        return f"{what}[{', '.join(map(str, index))}] is {got[index]}, not a finite number."
    bad = ~np.isclose(got, expected, rtol=rtol, atol=atol)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        at = f"[{', '.join(map(str, index))}]" if index else ""
        return (f"{what}{at} is {got[index]:.6g}, expected {expected[index]:.6g} "
                f"({int(bad.sum())} of {bad.size} entries differ).")
    return None


def changed_inputs(before, after):
    """Name the first input array a learner's code modified in place, or ``None``.

    ``before`` and ``after`` map names to arrays (copies taken before the call, the arrays after it).
    """
    for name, old in before.items():
        if not np.array_equal(old, after[name]):
            return name
    return None


def gradient_error(f, x, analytic, h=1e-6):
    """Relative error of ``analytic`` against the central-difference gradient of scalar ``f()`` at ``x`` (float64)."""
    return gradcheck.rel_error(analytic, numerical_gradient(f, x, h))


def check_number(answer, expected, what, hint, rel=1e-6):
    """A numeric answer: right within ``rel``, or feedback with ``hint``."""
    if unanswered(answer):
        return NOT_ANSWERED
    if isinstance(answer, (bool, np.bool_)):
        return Feedback(False, f"expected a number for {what}, got {answer!r}.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return Feedback(False, f"expected a number for {what}, got {answer!r}.")
    if abs(value - expected) > rel * max(1.0, abs(expected)):
        return wrong(("number", what), f"{value:g} is not {what}.", hint)
    return Feedback(True, f"{what} is {expected:,g}.")


