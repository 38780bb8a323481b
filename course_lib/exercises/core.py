"""What a check returns and how a notebook shows it: ``Feedback``, ``NOT_ANSWERED``, graded hints, quiz questions.

A check cell's value is a ``Feedback``: truthy only when the answer is right, shown as one short message.

Graded hints: a catalogued mistake earns its nudge (what is wrong) the first time; from its second time on, the
nudge plus a hint that narrows it down. Neither ever contains the solution's code.

Autograding (nbgrader): nbgrader awards an autograder cell whose output is a number that number of points, so while
nbgrader runs a notebook (it sets ``NBGRADER_EXECUTION`` to ``autograde`` or ``validate`` for the kernel) or when
``COURSE_GRADING=1`` is set (``make grade`` sets it), a Feedback is displayed as its score, ``1.0`` or ``0.0``, as
text and its message as HTML. Otherwise it is displayed as its message; ``repr`` is always the message.
"""

import html
import os

import numpy as np

from ..i18n import N_, _

GRADING_ENV = "COURSE_GRADING"


def grading():
    """True while nbgrader autogrades or validates a notebook, or with ``COURSE_GRADING=1``: check cells then
    show their score."""
    return (os.environ.get(GRADING_ENV, "") == "1"
            or os.environ.get("NBGRADER_EXECUTION", "") in {"autograde", "validate"})


class Feedback:
    """Result of a check: ``bool(fb)`` tells whether it passed, ``repr`` says what to do next.

    ``score`` is 1.0 for a right answer and 0.0 otherwise (what an autograder awards); ``key`` names the catalogued
    mistake that earned the message (``None`` otherwise); ``cases`` counts the cases the answer was run on.
    """

    def __init__(self, ok, message, key=None, cases=0):
        self.ok, self.message, self.key, self.cases = bool(ok), message, key, cases

    @property
    def score(self):
        return 1.0 if self.ok else 0.0

    def __bool__(self):
        return self.ok

    def __repr__(self):
        if self is NOT_ANSWERED:   # made at import: its message is translated here
            return _("Not answered yet: {message}").format(message=_(self.message))
        return (_("Correct! {message}") if self.ok else _("Not yet: {message}")).format(message=self.message)

    def _repr_mimebundle_(self, include=None, exclude=None):
        """What a notebook shows: the message; while autograding, the score as text (see the module docstring)."""
        if grading():
            return {"text/plain": f"{self.score:.1f}",
                    "text/html": f'<pre style="white-space: pre-wrap">{html.escape(repr(self))}</pre>'}
        return {"text/plain": repr(self)}


NOT_ANSWERED = Feedback(False, N_("replace the ... with your answer and run the cell again."))

# How many times each mistake (by key) has been made in this kernel: the first miss gets a nudge, later ones a hint.
_misses = {}


def reset_hints():
    """Forget earlier misses (every mistake gets its nudge first again)."""
    _misses.clear()


def graded(key, message, hint=None):
    """``message`` the first time mistake ``key`` is made in this kernel; ``message`` plus ``hint`` from then on."""
    _misses[key] = _misses.get(key, 0) + 1
    if hint and _misses[key] > 1:
        return Feedback(False, _("{message} Hint: {hint}").format(message=message, hint=hint), key=key)
    return Feedback(False, message, key=key)


class Question:
    """One quick-check question: multiple choice (``options`` given, ``answer`` is the right option's index)
    or a number (``options`` is None, ``answer`` the number, right within relative ``rel``).

    ``why`` is the explanation shown once the learner answers right. ``text``, ``why`` and ``options`` are English
    (marked with ``N_``), translated where they are shown.
    """

    def __init__(self, text, answer, why, options=None, rel=1e-6):
        if options is not None and not 0 <= answer < len(options):
            raise ValueError(f"answer must index one of the {len(options)} options, got {answer!r}.")
        self.text, self.answer, self.why, self.options, self.rel = text, answer, why, options, rel

    def check(self, response):
        """Feedback on ``response``: an option index (multiple choice) or a number."""
        if response is None or response is Ellipsis:
            return NOT_ANSWERED
        if self.options is not None:
            if isinstance(response, (bool, np.bool_)) or not isinstance(response, (int, np.integer)) \
                    or not 0 <= response < len(self.options):
                return Feedback(False, _("answer with the number of an option, 0 to {last}.").format(
                    last=len(self.options) - 1))
            if response != self.answer:
                return Feedback(False, _("not option {number} ({option}). Think again.").format(
                    number=response, option=_(self.options[response])))
            return Feedback(True, _(self.why))
        try:
            value = float(response)
        except (TypeError, ValueError):
            return Feedback(False, _("answer with a number, got {got}.").format(got=repr(response)))
        if abs(value - self.answer) > self.rel * max(1.0, abs(self.answer)):
            return Feedback(False, _("{value} is not it. Think again.").format(value=f"{value:g}"))
        return Feedback(True, _(self.why))
