"""Exercise checkers and quick check of notebook 06 (the six-step Keras workflow)."""

import numpy as np

from ._legacy import NOT_ANSWERED, Feedback, Question, call, changed_inputs, first_mismatch, unanswered, wrong

__all__ = ["check_best_epoch", "check_per_class_accuracy"]

QUIZ = [
    Question("Why do we hold out a validation split of the training data instead of watching the test accuracy "
             "while we train?",
             answer=1,
             options=["Keras cannot evaluate the test set during fit",
                      "every choice made by looking at the test set leaks it into the model, so its accuracy "
                      "would no longer be an honest estimate for new digits",
                      "the validation split is larger than the test set",
                      "validation data makes training faster"],
             why="choices tuned on the test set overfit it a little; a held-out validation split takes those "
                 "choices, and the test set is used once, at the end."),
    Question("The first Dense layer maps 784 inputs to 128 units. How many parameters does it have?",
             answer=784 * 128 + 128,
             why="784 x 128 weights plus 128 biases = 100,480."),
    Question("Our last layer applies softmax. What must `from_logits` be in SparseCategoricalCrossentropy?",
             answer=0,
             options=["False: the outputs are already probabilities",
                      "True: the loss must apply softmax again",
                      "it does not matter"],
             why="from_logits=True would apply softmax a second time to numbers that already sum to 1."),
]


def check_best_epoch(fn):
    """``fn(history_dict)`` returns the 1-based epoch of the best validation accuracy, for any metric name."""
    if unanswered(fn):
        return NOT_ANSWERED
    # Each case is built so that the usual slips give distinct wrong answers.
    cases = [
        ({"loss": [0.9, 0.5, 0.4, 0.3, 0.25], "accuracy": [0.7, 0.8, 0.85, 0.9, 0.93],
          "val_loss": [0.6, 0.40, 0.45, 0.5, 0.55], "val_accuracy": [0.80, 0.86, 0.84, 0.88, 0.87]}, 4),
        ({"loss": [0.5, 0.4, 0.3, 0.2], "sparse_categorical_accuracy": [0.9, 0.95, 0.97, 0.98],
          "val_loss": [0.3, 0.31, 0.4, 0.5], "val_sparse_categorical_accuracy": [0.95, 0.93, 0.94, 0.92]}, 1),
    ]
    for h, expected in cases:
        keep = {k: list(v) for k, v in h.items()}
        out, err = call(fn, h)
        if err is not None:
            return err
        if h != keep:
            return Feedback(False, "your function changed the history it was given; only read it.")
        val_key = next(k for k in h if k.startswith("val_") and "acc" in k)
        train_key = val_key[4:]
        val = np.asarray(h[val_key])
        if isinstance(out, (bool, np.bool_)) or not isinstance(out, (int, np.integer)):
            return Feedback(False, f"return the epoch as an int, got {out!r} ({type(out).__name__}).")
        if out == expected - 1:
            return wrong("best-epoch-index", "off by one: that is the list index of the best epoch; epochs count "
                         "from 1.", "add 1 to the index.")
        if out == int(np.argmin(val)) + 1:
            return wrong("best-epoch-argmin", "that is the epoch with the LOWEST validation accuracy.",
                         "for an accuracy, larger is better: argmax, not argmin.")
        if out == int(np.argmin(h["val_loss"])) + 1 and out != expected:
            return wrong("best-epoch-loss", "that is the epoch of the lowest validation loss; the exercise asks "
                         "for the highest validation accuracy.", "use the key that starts with 'val_' and holds "
                         "'acc'.")
        if out == int(np.argmax(h[train_key])) + 1:
            return wrong("best-epoch-train", "that is the best TRAINING accuracy; choose on validation data.",
                         "the validation key starts with 'val_'.")
        if out != expected:
            return wrong("best-epoch-other", f"for a history with keys {', '.join(h)} you return {out}, but the "
                         f"best validation accuracy is at epoch {expected}.",
                         "find the key that starts with 'val_' and holds 'acc'; its list has one value per epoch.")
    return Feedback(True, "works with 'val_accuracy' and 'val_sparse_categorical_accuracy' alike.")


def _reference_per_class(cm):
    return np.diag(cm) / cm.sum(axis=1)


def check_per_class_accuracy(fn):
    """``fn(cm)``: per-class accuracy (C,) from a confusion matrix (C, C) whose rows are the true classes."""
    if unanswered(fn):
        return NOT_ANSWERED
    rng = np.random.default_rng()
    for classes in (3, 10):
        cm = rng.integers(0, 20, (classes, classes)) + np.diag(rng.integers(50, 100, classes))
        before = {"cm": cm.copy()}
        out, err = call(fn, cm)
        if err is not None:
            return err
        if changed_inputs(before, {"cm": cm}):
            return Feedback(False, "your function changed the confusion matrix it was given; only read it.")
        expected = _reference_per_class(cm)
        out_arr = np.asarray(out, dtype=np.float64) if np.ndim(out) else np.asarray(out)
        if out_arr.shape == expected.shape and np.allclose(out_arr, np.diag(cm) / cm.sum(axis=0)):
            return wrong("per-class-columns", "you divided by the column sums: those count the digits PREDICTED "
                         "as each class.", "rows are the true classes: divide by cm.sum(axis=1).")
        if out_arr.shape == () and np.isclose(out_arr, np.trace(cm) / cm.sum()):
            return wrong("per-class-overall", "that is the overall accuracy, one number; the exercise asks for one "
                         f"accuracy per class ({classes} numbers).", "divide each diagonal entry by its row sum.")
        if out_arr.shape == expected.shape and np.allclose(out_arr, np.diag(cm)):
            return wrong("per-class-counts", "those are the counts of right answers per class, not fractions.",
                         "divide by how many digits each class has (its row sum).")
        problem = first_mismatch("per-class accuracy", out_arr, expected)
        if problem:
            return wrong("per-class-values", f"for a {classes}x{classes} matrix: {problem}",
                         "the right answers sit on the diagonal; each row holds all the digits of one true class.")
    return Feedback(True, "the diagonal over the row sums: the share of each true class the model gets right.")
