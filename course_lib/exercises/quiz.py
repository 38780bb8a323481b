"""The quick-check quiz: a few concept questions with a "Check" button each and immediate feedback.

Notebooks show a quiz with one line, ``exercises.show_quiz(exercises.nb06.QUIZ)``; the questions and their
answers live in the library (``core.Question``), never in the notebook. The logic is plain Python: each
``QuizItem`` keeps its last ``Feedback`` in ``.feedback`` and its text in the ``.status`` label, so tests set
an answer, call ``item.button.click()`` and read them without a browser.
"""

import html

import ipywidgets as W

from ..i18n import _
from .core import Question


def parse_number(text):
    """The number typed into a quiz box: ``None`` when empty, a float when it reads as one, else the text.

    Thousands separators (``100,480``, ``100_480``, ``100 480``) are accepted.
    """
    text = text.strip()
    if not text:
        return None
    cleaned = text.replace(",", "").replace("_", "").replace(" ", "")
    try:
        return float(cleaned)
    except ValueError:
        return text  # Question.check explains that a number is expected


class QuizItem(W.VBox):
    """One question: its text, an input (radio buttons or a number box), a Check button and a feedback line.

    question: a ``core.Question``; number: its position in the quiz (1, 2, ...).
    ``.feedback`` holds the last ``Feedback`` (``None`` before the first check), ``.status.value`` its text.
    """

    def __init__(self, question, number):
        if not isinstance(question, Question):
            raise TypeError(f"show_quiz expects core.Question objects, got {type(question).__name__} "
                            f"for question {number}.")
        self.question = question
        self.feedback = None
        prompt = W.HTML(f"<b>{number}.</b> {html.escape(_(question.text))}")
        if question.options is not None:
            # value=None: no option is selected until the learner picks one.
            self.input = W.RadioButtons(options=[(_(text), i) for i, text in enumerate(question.options)],
                                        value=None, layout=W.Layout(width="auto"))
        else:
            self.input = W.Text(value="", placeholder=_("type a number"), layout=W.Layout(width="14em"))
        self.button = W.Button(description=_("Check"), layout=W.Layout(width="7em"))
        self.status = W.Label(value="")
        self.button.on_click(self._on_check)
        super().__init__([prompt, self.input, W.HBox([self.button, self.status])],
                         layout=W.Layout(margin="0 0 1em 0"))

    def response(self):
        """The learner's current answer: an option index, a number, ``None`` if nothing is given yet."""
        if self.question.options is not None:
            return self.input.value
        return parse_number(self.input.value)

    def check(self):
        """Check the current answer; keep and return the ``Feedback``."""
        self.feedback = self.question.check(self.response())
        self.status.value = repr(self.feedback)
        return self.feedback

    def _on_check(self, _button):
        self.check()

    def __repr__(self):
        return f"QuizItem({self.question.text[:40]!r})"


class Quiz(W.VBox):
    """A list of ``QuizItem``; ``.items`` gives the questions, ``.score()`` how many are answered right."""

    def __init__(self, questions):
        questions = list(questions)
        if not questions:
            raise ValueError("show_quiz needs at least one question; got an empty list.")
        self.items = [QuizItem(q, i + 1) for i, q in enumerate(questions)]
        super().__init__([W.HTML(_("<b>Quick check</b>: answer, then press Check."))] + self.items)

    def score(self):
        """Number of questions whose last check was right."""
        return sum(bool(item.feedback) for item in self.items)

    def __repr__(self):
        # What a notebook stores as text/plain: short and the same in every run (nbval compares it).
        n = len(self.items)
        if n == 1:
            return _("Quick check: 1 question (run the notebook to answer them)")
        return _("Quick check: {n} questions (run the notebook to answer them)").format(n=n)


def show_quiz(questions):
    """Return the quiz widget for ``questions`` (a list of ``core.Question``); a notebook cell shows it."""
    return Quiz(questions)


__all__ = ["Quiz", "QuizItem", "parse_number", "show_quiz"]
