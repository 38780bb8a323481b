"""Notebook 13 checkers: right answers pass, typical mistakes are rejected with feedback naming them."""

import numpy as np
import pytest

from course_lib import exercises
from course_lib.exercises import core, nb13


@pytest.fixture(autouse=True)
def fresh_hints():
    core.reset_hints()


def top3(probs):
    digits = np.argsort(probs)[::-1][:3]
    return [(int(d), float(probs[d])) for d in digits]


def bounding_box(image):
    rows = np.flatnonzero(image.max(axis=1) > 0)
    cols = np.flatnonzero(image.max(axis=0) > 0)
    return rows[0], rows[-1], cols[0], cols[-1]


def _sorts_in_place(probs):
    probs.sort()
    return [(9, 0.5), (8, 0.3), (7, 0.1)]


@pytest.mark.parametrize("answer, phrase", [
    (lambda p: [(int(d), float(p[d])) for d in np.argsort(p)[-3:]], "least probable of them comes first"),
    (lambda p: [(int(d), float(p[d])) for d in np.argsort(p)[:3]], "LEAST probable"),
    (lambda p: [(int(d), float(p[d])) for d in sorted(np.argsort(p)[::-1][:3])], "ordered by digit"),
    (lambda p: [int(d) for d in np.argsort(p)[::-1][:3]], "must be a (digit, probability) pair"),
    (lambda p: [(int(d), float(r)) for r, d in enumerate(np.argsort(p)[::-1][:3])], "It looks like the rank"),
    (lambda p: [(int(d), float(p[d])) for d in np.argsort(p)[::-1][:2]], "three (digit, probability) pairs"),
    (lambda p: [(int(d) + 1, float(p[d])) for d in np.argsort(p)[::-1][:3]], "your digits are"),
    (_sorts_in_place, "changed probs in place"),
    (lambda p: 1 / 0, "ZeroDivisionError"),
])
def test_top3_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_top3(answer)
    assert not fb and phrase in repr(fb)


def test_top3_accepts_the_library_and_a_learner_answer():
    from course_lib import models
    assert exercises.check_top3(top3)
    assert exercises.check_top3(models.top3)
    assert "Not answered" in repr(exercises.check_top3(...))
    assert "Not answered" in repr(exercises.check_top3(lambda p: None))


def test_top3_hint_comes_on_the_second_miss():
    wrong = lambda p: [(int(d), float(p[d])) for d in np.argsort(p)[:3]]  # noqa: E731
    first, second = repr(exercises.check_top3(wrong)), repr(exercises.check_top3(wrong))
    assert "Hint" not in first and "Hint: np.argsort sorts ascending" in second
    assert "[::-1]" not in second   # the feedback never gives the code


def _fills_image(image):
    image[...] = 1
    return bounding_box(image)


@pytest.mark.parametrize("answer, phrase", [
    (lambda im: tuple(np.add(bounding_box(im), (0, 1, 0, 1))), "one past the last inked row"),
    (lambda im: tuple(np.array(bounding_box(im))[[2, 3, 0, 1]]), "rows and columns are swapped"),
    (lambda im: (*bounding_box(im)[:3], im.shape[1] - 1), "your right is"),
    (lambda im: bounding_box(im)[:3], "got 3 values"),
    (lambda im: "box", "four integers"),
    (_fills_image, "changed the image in place"),
])
def test_bounding_box_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_bounding_box(answer)
    assert not fb and phrase in repr(fb)


def test_bounding_box_accepts_a_right_answer():
    assert exercises.check_bounding_box(bounding_box)
    assert "Not answered" in repr(exercises.check_bounding_box(None))
    assert "Not answered" in repr(exercises.check_bounding_box(lambda im: None))


@pytest.mark.parametrize("index, right, wrong", [(0, 20, 28), (1, 0, 1), (2, 1, 0)])
def test_quiz(index, right, wrong):
    question = nb13.QUIZ[index]
    assert question.check(right) and not question.check(wrong)
