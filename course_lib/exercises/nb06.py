"""Exercises and quick check of notebook 06 (the six-step Keras workflow); its parameter count is notebook 01's
``dense_params``."""

import numpy as np

from ..i18n import N_
from .core import Question
from .engine import EXACT, Exercise, Mistake

QUIZ = [
    Question(N_("Why do we hold out a validation split of the training data instead of watching the test accuracy "
             "while we train?"),
             answer=1,
             options=[N_("Keras cannot evaluate the test set during fit"),
                      N_("every choice made by looking at the test set leaks it into the model, so its accuracy "
                      "would no longer be an honest estimate for new digits"),
                      N_("the validation split is larger than the test set"),
                      N_("validation data makes training faster")],
             why=N_("choices tuned on the test set overfit it a little; a held-out validation split takes those "
                 "choices, and the test set is used once, at the end.")),
    Question(N_("The first Dense layer maps 784 inputs to 128 units. How many parameters does it have?"),
             answer=784 * 128 + 128,
             why=N_("784 x 128 weights plus 128 biases = 100,480.")),
    Question(N_("Our last layer applies softmax. What must `from_logits` be in SparseCategoricalCrossentropy?"),
             answer=0,
             options=[N_("False: the outputs are already probabilities"),
                      N_("True: the loss must apply softmax again"),
                      N_("it does not matter")],
             why=N_("from_logits=True would apply softmax a second time to numbers that already sum to 1.")),
]

_HISTORIES = [  # built so that the usual slips give distinct wrong answers
    {"loss": [0.9, 0.5, 0.4, 0.3, 0.25], "accuracy": [0.7, 0.8, 0.85, 0.9, 0.93],
     "val_loss": [0.6, 0.40, 0.45, 0.5, 0.55], "val_accuracy": [0.80, 0.86, 0.84, 0.88, 0.87]},
    {"loss": [0.5, 0.4, 0.3, 0.2], "sparse_categorical_accuracy": [0.9, 0.95, 0.97, 0.98],
     "val_loss": [0.3, 0.31, 0.4, 0.5], "val_sparse_categorical_accuracy": [0.95, 0.93, 0.94, 0.92]},
]


def _best(pick, shift=1):
    def best_epoch(h):
        return int(pick(h)) + shift
    return best_epoch


def _val_acc(h):
    return h[next(k for k in h if k.startswith("val_") and "acc" in k)]


BEST_EPOCH = Exercise(
    "best_epoch", _best(lambda h: np.argmax(_val_acc(h))), lambda rng: [{"h": h} for h in _HISTORIES], tol=EXACT,
    praise=N_("works with 'val_accuracy' and 'val_sparse_categorical_accuracy' alike."),
    hint=N_("find the key that starts with 'val_' and holds 'acc'; its list has one value per epoch, from epoch 1."),
    mistakes=(
        Mistake("best-epoch-index", N_("off by one: that is the list index of the best epoch; epochs count from 1."),
                impl=_best(lambda h: np.argmax(_val_acc(h)), shift=0)),
        Mistake("best-epoch-argmin", N_("that is the epoch with the LOWEST validation accuracy."),
                N_("for an accuracy, larger is better."), impl=_best(lambda h: np.argmin(_val_acc(h)))),
        Mistake("best-epoch-loss", N_("that is the epoch of the lowest validation loss; the exercise asks for the "
                "highest validation accuracy."), impl=_best(lambda h: np.argmin(h["val_loss"]))),
        Mistake("best-epoch-train", N_("that is the best TRAINING accuracy; choose on validation data."),
                N_("the validation key starts with 'val_'."),
                impl=_best(lambda h: np.argmax(h[next(k for k in h if "acc" in k)]))),
    ))


def _cm_cases(rng):
    return [{"cm": rng.integers(0, 20, (c, c)) + np.diag(rng.integers(50, 100, c))} for c in (3, 10)]


PER_CLASS_ACCURACY = Exercise(
    "per_class_accuracy", lambda cm: np.diag(cm) / cm.sum(axis=1), _cm_cases,
    praise=N_("the diagonal over the row sums: the share of each true class the model gets right."),
    hint=N_("the right answers sit on the diagonal; each row holds all the digits of one true class."),
    mistakes=(
        Mistake("per-class-columns", N_("you divided by the column sums: those count the digits PREDICTED as each "
                "class."), N_("rows are the true classes."), impl=lambda cm: np.diag(cm) / cm.sum(axis=0)),
        Mistake("per-class-overall", N_("that is the overall accuracy, one number; the exercise asks for one accuracy "
                "per class."), N_("divide each diagonal entry by its row sum."),
                impl=lambda cm: np.trace(cm) / cm.sum()),
        Mistake("per-class-counts", N_("those are the counts of right answers per class, not fractions."),
                N_("divide by how many digits each class has (its row sum)."), impl=lambda cm: np.diag(cm) * 1.0),
    ))
