"""The catalogue of typical mistakes is the test suite: every catalogued mistake is rejected with its own message, and
every right answer (the reference, the notebook's own solution, the styles of right_answers.py) is accepted on at
least 200 seeded cases."""

import pytest
from right_answers import CONTEXT, RIGHT
from solutions import notebook_solutions

from course_lib import exercises
from course_lib.exercises import engine

EXERCISES = {name: ex for name, ex in engine.REGISTRY.items() if not name.startswith("_")}
MISTAKES = [(name, m) for name, ex in EXERCISES.items() for m in ex.mistakes]
GENERATED = [name for name, ex in EXERCISES.items() if ex.kind != "value"]
ANSWERS = [(name, f"right_answers.{getattr(a, '__name__', i)}", a) for name, answers in RIGHT.items()
           for i, a in enumerate(answers)] + [(name, f"notebook {grade_id}", a)
                                               for grade_id, name, a in notebook_solutions()]
MIN_CASES = 200
# Checks that build Keras models try fewer cases (a model takes ~0.1 s to build): four seeds' worth.
KERAS = {"tape_gradients", "train_step", "residual_block"}


def context(name):
    return CONTEXT.get(name, ())


def wrong_answer(exercise, mistake):
    """The answer a learner who makes ``mistake`` hands in (for a value exercise: the value it computes)."""
    if exercise.kind == "value":
        return mistake.impl(**exercise.make_cases(context(exercise.name))[0])
    return mistake.impl


@pytest.mark.parametrize("name, mistake", MISTAKES, ids=[m.key for _, m in MISTAKES])
def test_every_catalogued_mistake_is_rejected_with_its_own_message(name, mistake):
    exercise = EXERCISES[name]
    assert mistake.impl is not None, f"{mistake.key}: every catalogued mistake comes with a wrong answer to test"
    answer = wrong_answer(exercise, mistake)
    args = (answer if exercise.arity == 1 else answer, *context(name))
    first = exercise.check(*args) if exercise.arity == 1 else exercise.check(*answer, *context(name))
    second = exercise.check(*args) if exercise.arity == 1 else exercise.check(*answer, *context(name))
    assert not first and first.key == mistake.key, repr(first)
    assert mistake.message in first.message and "Hint" not in first.message
    if mistake.hint:
        assert second.message.endswith(f"Hint: {mistake.hint}"), repr(second)


def required_cases(exercise):
    """Cases a right answer must pass: a value exercise has its one case, a Keras check 8 (CI time), others 200."""
    return 1 if exercise.kind == "value" else 8 if exercise.name in KERAS else MIN_CASES


def accepted_on_many_cases(exercise, answer):
    cases, seed = 0, 0
    while cases < required_cases(exercise):
        fb = exercise.judge(answer, context(exercise.name), seed=seed)
        assert fb, f"seed {seed}: {fb!r}"
        cases, seed = cases + fb.cases, seed + 1
    return cases


@pytest.mark.parametrize("name", list(EXERCISES))
def test_the_reference_is_right(name):
    exercise = EXERCISES[name]
    if exercise.kind == "value":
        answer = exercise.reference(**exercise.make_cases(context(name))[0])
        assert exercise.check(answer, *context(name))
    elif not any(isinstance(v, engine.Between) for v in exercise.outcome(exercise.reference, exercise.make_cases()[0])
                 .values()):  # a reference that returns a range of right values is no learner's answer
        assert accepted_on_many_cases(exercise, exercise.reference)


@pytest.mark.parametrize("name, label, answer", ANSWERS, ids=[label for _, label, _ in ANSWERS])
def test_right_answers_in_other_styles_are_accepted_on_200_cases(name, label, answer):
    assert accepted_on_many_cases(EXERCISES[name], answer) >= required_cases(EXERCISES[name])


@pytest.mark.parametrize("name", GENERATED)
def test_every_implement_it_exercise_has_two_right_answers_of_other_styles(name):
    assert len(RIGHT.get(name, [])) >= 2


def test_every_check_cell_calls_a_declared_checker():
    from solutions import check_calls
    for grade_id, (checker, _) in check_calls().items():
        assert callable(getattr(exercises, checker, None)), (grade_id, checker)
