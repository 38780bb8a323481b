"""Notebook 06 checkers: right answers pass, typical mistakes are rejected with feedback naming them."""

import numpy as np
import pytest

from course_lib import exercises
from course_lib.exercises import core, nb06


@pytest.fixture(autouse=True)
def fresh_hints():
    core.reset_hints()


def _val_acc_key(h):
    return next(k for k in h if k.startswith("val_") and "acc" in k)


def best_epoch(h):
    return int(np.argmax(h[_val_acc_key(h)])) + 1


@pytest.mark.parametrize("answer, phrase", [
    (lambda h: int(np.argmax(h[_val_acc_key(h)])), "off by one"),
    (lambda h: int(np.argmin(h[_val_acc_key(h)])) + 1, "LOWEST"),
    (lambda h: int(np.argmin(h["val_loss"])) + 1, "lowest validation loss"),
    (lambda h: int(np.argmax(h[_val_acc_key(h)[4:]])) + 1, "TRAINING"),
    (lambda h: int(np.argmax(h["val_accuracy"])) + 1, "KeyError"),
    (lambda h: float(np.argmax(h[_val_acc_key(h)]) + 1), "as an int"),
    (lambda h: h.pop("loss") and 4, "changed the history"),
])
def test_best_epoch_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_best_epoch(answer)
    assert not fb and phrase in repr(fb)


def test_best_epoch_accepts_any_metric_name_and_says_not_answered():
    assert exercises.check_best_epoch(best_epoch)
    assert "Not answered" in repr(exercises.check_best_epoch(...))


def test_best_epoch_hint_comes_on_the_second_miss():
    def wrong(h):
        return int(np.argmax(h[_val_acc_key(h)]))

    first, second = repr(exercises.check_best_epoch(wrong)), repr(exercises.check_best_epoch(wrong))
    assert "Hint" not in first and "Hint: add 1" in second


def per_class(cm):
    return np.diag(cm) / cm.sum(axis=1)


@pytest.mark.parametrize("answer, phrase", [
    (lambda cm: np.diag(cm) / cm.sum(axis=0), "column sums"),
    (lambda cm: np.trace(cm) / cm.sum(), "overall accuracy"),
    (lambda cm: np.diag(cm), "counts"),
    (lambda cm: np.diag(cm) / cm.sum(), "per-class accuracy"),
    (lambda cm: None, "returns None"),
])
def test_per_class_accuracy_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_per_class_accuracy(answer)
    assert not fb and phrase in repr(fb)


def test_per_class_accuracy_right_and_in_place():
    assert exercises.check_per_class_accuracy(per_class)

    def in_place(cm):
        cm[0, 0] = 0
        return per_class(cm)

    assert "changed the confusion matrix" in repr(exercises.check_per_class_accuracy(in_place))


@pytest.mark.parametrize("question", nb06.QUIZ, ids=lambda q: q.text[:30])
def test_quiz_right_and_wrong(question):
    assert question.check(question.answer)
    wrong = (question.answer + 1) % len(question.options) if question.options else question.answer + 1
    assert not question.check(wrong)
