"""Exercise checkers of notebook 06."""


from .core import Feedback, NOT_ANSWERED, unanswered, call

__all__ = ["check_best_epoch"]


def check_best_epoch(fn):
    """``fn(history_dict)`` returns the 1-based epoch of the best validation accuracy, for any metric name."""
    if unanswered(fn):
        return NOT_ANSWERED
    cases = [
        {"loss": [0.9, 0.5, 0.4, 0.3], "accuracy": [0.7, 0.8, 0.85, 0.9],
         "val_loss": [0.6, 0.45, 0.5, 0.55], "val_accuracy": [0.80, 0.86, 0.88, 0.87]},
        {"loss": [0.5, 0.4, 0.3], "sparse_categorical_accuracy": [0.9, 0.95, 0.97],
         "val_loss": [0.3, 0.3, 0.4], "val_sparse_categorical_accuracy": [0.95, 0.93, 0.94]},
    ]
    for h, expected in zip(cases, (3, 1)):
        out, err = call(fn, h)
        if err is not None:
            return err
        if out == expected - 1:
            return Feedback(False, "off by one: epochs count from 1, list indices from 0.")
        if out != expected:
            keys = ", ".join(h)
            return Feedback(False, f"for a history with keys {keys} you return {out!r}, expected {expected}. Find "
                                   "the validation key holding 'acc' and take the argmax of its list.")
    return Feedback(True, "works with 'val_accuracy' and 'val_sparse_categorical_accuracy' alike.")
