"""Notebook 04 checkers: the learner's training loop against the train.train recipe; the parameter count."""

import numpy as np
import pytest

from course_lib import exercises
from course_lib.exercises import core, nb04


@pytest.fixture(autouse=True)
def fresh_hints():
    core.reset_hints()


def make_loop(sample="rng", update=True, loss="last", every=False, val_on_train=False, per_epoch="float"):
    def loop(net, optimizer, x_train, t_train, x_val, t_val, iters, batch_size, rng):
        train_size = len(x_train)
        iter_per_epoch = max(train_size / batch_size, 1) if per_epoch == "float" else train_size
        history = {"loss": [], "train_acc": [], "val_acc": []}
        for i in range(1, iters + 1):
            if sample == "rng":
                idx = rng.choice(train_size, batch_size)
            elif sample == "global":
                idx = np.random.choice(train_size, batch_size)
            else:
                idx = rng.permutation(train_size)[:batch_size]
            grads = net.gradient(x_train[idx], t_train[idx])
            if update:
                optimizer.update(net.params, grads)
            history["loss"].append(net.last_loss if loss == "last" else net.loss(x_train[idx], t_train[idx]))
            if every or i % iter_per_epoch == 0:
                history["train_acc"].append(net.accuracy(x_train, t_train))
                xs, ts = (x_train, t_train) if val_on_train else (x_val, t_val)
                history["val_acc"].append(net.accuracy(xs, ts))
        return history
    return loop


def skeleton(net, optimizer, x_train, t_train, x_val, t_val, iters, batch_size, rng):
    history = {"loss": [], "train_acc": [], "val_acc": []}
    for i in range(1, iters + 1):
        ...
    return history


def test_loop_right_answers():
    assert exercises.check_training_loop(make_loop())
    assert exercises.check_training_loop(make_loop(loss="after"))  # the book recomputes the loss after the update
    assert "Not answered" in repr(exercises.check_training_loop(skeleton))
    assert "Not answered" in repr(exercises.check_training_loop(...))


@pytest.mark.parametrize("loop, phrase", [
    (make_loop(update=False), "nothing was updated"),
    (make_loop(sample="global"), "never used"),
    (make_loop(sample="permutation"), "batches or the updates"),
    (make_loop(every=True), "every iteration"),
    (make_loop(val_on_train=True), "TRAINING data"),
    (make_loop(per_epoch="size"), "one per epoch"),
])
def test_loop_rejects_typical_mistakes(loop, phrase):
    fb = exercises.check_training_loop(loop)
    assert not fb and phrase in repr(fb), repr(fb)


def test_loop_loss_once_per_epoch_and_in_place():
    def loss_per_epoch(net, optimizer, x_train, t_train, x_val, t_val, iters, batch_size, rng):
        h = make_loop()(net, optimizer, x_train, t_train, x_val, t_val, iters, batch_size, rng)
        h["loss"] = h["loss"][::6]
        return h

    assert "once per iteration" in repr(exercises.check_training_loop(loss_per_epoch))

    def shuffles_data(net, optimizer, x_train, t_train, x_val, t_val, iters, batch_size, rng):
        x_train *= 1.0001
        return make_loop()(net, optimizer, x_train, t_train, x_val, t_val, iters, batch_size, rng)

    assert "changed x_train" in repr(exercises.check_training_loop(shuffles_data))


def test_param_count():
    assert exercises.check_param_count(79_510, 784, 100, 10)
    assert "weights only" in repr(exercises.check_param_count(784 * 100 + 100 * 10, 784, 100, 10))
    assert not exercises.check_param_count(79_400, 784, 100, 10)
    assert "Not answered" in repr(exercises.check_param_count(..., 784, 100, 10))


@pytest.mark.parametrize("question", nb04.QUIZ, ids=lambda q: q.text[:30])
def test_quiz_right_and_wrong(question):
    assert question.check(question.answer)
    wrong = (question.answer + 1) % len(question.options) if question.options else question.answer + 1
    assert not question.check(wrong)
