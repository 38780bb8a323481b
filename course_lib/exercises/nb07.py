"""Exercise checkers of notebook 07."""

import numpy as np

from .core import Feedback, NOT_ANSWERED, unanswered, call

__all__ = ["check_l2_model", "check_stop_epoch"]


def check_l2_model(model, factor):
    """A Keras model whose Dense layers all carry an L2 kernel regulariser of ``factor``."""
    if unanswered(model):
        return NOT_ANSWERED
    dense = [layer for layer in getattr(model, "layers", []) if type(layer).__name__ == "Dense"]
    if not dense:
        return Feedback(False, "expected a Keras model with Dense layers (e.g. kt.mlp(...)).")
    for layer in dense:
        reg = layer.kernel_regularizer
        if reg is None:
            return Feedback(False, f"layer {layer.name} has no kernel_regularizer: add L2 to every Dense layer.")
        got = reg.get_config().get("l2")
        if got is None or not np.isclose(got, factor):
            return Feedback(False, f"layer {layer.name} has regulariser {reg.get_config()}; expected L2 of {factor}.")
    return Feedback(True, f"all {len(dense)} Dense layers pay {factor} * sum(w**2) in the loss.")


def check_stop_epoch(fn):
    """``fn(val_losses, patience)``: the epoch at which early stopping ends training."""
    if unanswered(fn):
        return NOT_ANSWERED
    cases = [([0.9, 0.7, 0.6, 0.65, 0.7, 0.62, 0.8], 3, 6),
             ([0.5, 0.4, 0.3, 0.2], 2, 4),
             ([0.5, 0.6, 0.4, 0.45, 0.5], 2, 5),
             ([0.5, 0.5, 0.5], 1, 2)]
    for losses, patience, expected in cases:
        out, err = call(fn, list(losses), patience)
        if err is not None:
            return err
        if out != expected:
            hint = ("an equal loss is no improvement. " if losses == [0.5, 0.5, 0.5] else "")
            return Feedback(False, f"for losses {losses} and patience {patience} you return {out!r}, expected "
                                   f"{expected}. {hint}Track the best loss and its epoch; stop once "
                                   "epoch - best_epoch reaches patience.")
    return Feedback(True, "this is exactly the rule keras.callbacks.EarlyStopping applies.")
