"""Exercise checkers of notebook 02: the learner writes a stable softmax and the cross-entropy loss."""

import numpy as np

from .. import functions
from .core import Feedback, NOT_ANSWERED, Question, call, changed_inputs, first_mismatch, unanswered, wrong

__all__ = ["check_softmax", "check_cross_entropy"]

EPS = 1e-7  # the eps the notebook's prompt states (the library's choice); any eps up to 1e-5 is accepted


def _softmax_cases(rng):
    """(label, scores) pairs: fresh random batches of several shapes, then the cases that expose mistakes."""
    return [
        ("a random batch (3, 5)", rng.standard_normal((3, 5))),
        ("a batch of one (1, 4)", rng.standard_normal((1, 4))),
        ("a square batch (4, 4)", rng.standard_normal((4, 4)) * 3),
        ("a single score vector (6,)", rng.standard_normal(6)),
        ("scores around +1000", 1000 + rng.standard_normal((2, 3))),
        ("rows whose scores span 1000 ([-1000, 0, 5])", np.array([[-1000.0, 0.0, 5.0], [3.0, -997.0, 0.0]])),
        ("two rows whose maxima differ by 1500", np.array([[0.0, 1.0, 2.0], [1500.0, 1501.0, 1502.0]])),
    ]


def _is_nan_or_inf(out):
    return not np.all(np.isfinite(np.asarray(out, dtype=np.float64)))


def check_softmax(fn):
    """``fn(x)``: softmax over the last axis of scores ``x`` (N, C) or (C,), stable for huge scores, ``x`` unchanged."""
    if unanswered(fn):
        return NOT_ANSWERED
    rng = np.random.default_rng()
    for label, x in _softmax_cases(rng):
        keep = x.copy()
        try:
            with np.errstate(all="ignore"):
                out = fn(x)
        except ValueError as exc:
            if "broadcast" in str(exc):
                return wrong("softmax-keepdims",
                             f"for {label} your softmax raised a broadcasting error: the row maxima or row sums lost "
                             "their reduced axis, so they no longer line up with the rows.",
                             "reduce with keepdims=True so that an (N, C) batch gives (N, 1) maxima and sums.")
            return Feedback(False, f"{getattr(fn, '__name__', 'your code')} raised ValueError: {exc}")
        except Exception as exc:  # the learner's code may raise anything
            return Feedback(False, f"{getattr(fn, '__name__', 'your code')} raised {type(exc).__name__}: {exc}")
        if out is None:
            return NOT_ANSWERED  # the skeleton's body is still `...`
        moved = changed_inputs({"x": keep}, {"x": x})
        if moved:
            return wrong("softmax-inplace", "your softmax changed its input x in place (for "
                         f"{label}); the caller's scores must stay as they were.",
                         "compute the shifted scores as a new array instead of subtracting into x.")
        expected = functions.softmax(keep.astype(np.float64))
        out = np.asarray(out)
        if out.shape != x.shape:
            return wrong("softmax-shape", f"for {label} of shape {x.shape} you return shape {out.shape}; softmax "
                         "keeps the shape of its input.",
                         "reduce over the last axis (axis=-1) with keepdims=True.")
        if _is_nan_or_inf(out):
            if label.startswith("rows whose scores span"):
                return wrong("softmax-min", f"nan or inf for {label}: after your shift some exponent is still huge. "
                             "Subtracting a row's MINIMUM leaves its largest score far above 0.",
                             "subtract each row's maximum, so that the largest exponent is exp(0) = 1.")
            if label.startswith("two rows whose maxima"):
                return wrong("softmax-global", f"nan for {label}: the row with the smaller maximum underflowed to "
                             "0 / 0. You subtracted one maximum for the whole batch.",
                             "take the maximum of each row separately (axis=-1, keepdims=True).")
            return wrong("softmax-overflow", f"your softmax returns nan or inf for {label}: np.exp overflows.",
                         "subtract a constant from each row before np.exp; the result does not change.")
        problem = first_mismatch("softmax(x)", out, expected, rtol=1e-5, atol=1e-9)
        if problem:
            if x.ndim == 2 and np.isclose(out.sum(), 1.0):
                return wrong("softmax-axis", f"for {label} the whole batch sums to 1; each row should.",
                             "sum over the last axis only (axis=-1, keepdims=True).")
            if x.ndim == 2 and x.shape[0] > 1 and np.allclose(out.sum(axis=0), 1.0):
                return wrong("softmax-axis0", f"for {label} the columns sum to 1 instead of the rows: you reduced "
                             "over the batch axis.",
                             "the classes sit on the last axis; reduce over axis=-1 (keepdims=True).")
            return wrong("softmax-values", f"wrong values for {label}: {problem}",
                         "each entry is exp(score) divided by the sum of exp over its own row.")
        if not np.issubdtype(out.dtype, np.floating):
            return Feedback(False, f"softmax returns dtype {out.dtype}; it should return floats.")
    return Feedback(True, "right values for random batches, finite for huge scores and for rows far apart, "
                          "and x left unchanged.")


def _ce_cases(rng):
    cases = []
    for n, c in [(4, 3), (1, 5), (6, 10)]:
        y = functions.softmax(rng.standard_normal((n, c)) * 2)
        t = rng.integers(0, c, n)
        cases.append((f"a random batch y {y.shape}", y, t))
    y = np.array([[0.2, 0.5, 0.3], [0.0, 1.0, 0.0], [0.6, 0.1, 0.3]])
    cases.append(("a batch where the right class has probability 0", y, np.array([1, 0, 0])))
    return cases


def check_cross_entropy(fn):
    """``fn(y, t)``: mean cross-entropy of probabilities ``y`` (N, C) against labels ``t`` (N,), finite for a 0."""
    if unanswered(fn):
        return NOT_ANSWERED
    rng = np.random.default_rng()
    for label, y, t in _ce_cases(rng):
        keep_y, keep_t = y.copy(), t.copy()
        with np.errstate(all="ignore"):
            out, err = call(fn, y, t, allow_none=True)
        if err is None and out is None:
            return NOT_ANSWERED  # the skeleton's body is still `...`
        if err is not None:
            if "broadcast" in err.message:
                return wrong("ce-onehot", f"for {label}: {err.message} Multiplying t by log(y) needs one-hot targets; "
                             "t here holds label indices.",
                             "pick each row's probability at its label with fancy indexing (rows 0..N-1, columns t).")
            return err
        moved = changed_inputs({"y": keep_y, "t": keep_t}, {"y": y, "t": t})
        if moved:
            return wrong("ce-inplace", f"your cross_entropy changed its input {moved} in place.",
                         "compute on new arrays; leave y and t as they were.")
        if np.ndim(out) != 0:
            return wrong("ce-scalar", f"for {label} you return shape {np.shape(out)}; return one number, the mean "
                         "over the batch.",
                         "y[:, t] picks a whole (N, N) block, not one entry per row.")
        try:
            value = float(out)
        except (TypeError, ValueError):
            return Feedback(False, f"return one number, got {out!r}.")
        picked = keep_y[np.arange(len(keep_y)), keep_t]
        if not np.isfinite(value):
            return wrong("ce-eps", f"you get {value} for {label}: log(0) is -inf.",
                         f"add a tiny eps (the library uses {EPS:g}) inside the log.")
        if np.any(picked == 0):
            low, high = (float(-np.mean(np.log(picked + eps))) for eps in (1e-5, 1e-30))
            if not low * (1 - 1e-3) <= value <= high:
                return wrong("ce-eps-size", f"for {label} you return {value:.4g}; with eps = {EPS:g} inside the log "
                             f"the loss is {float(-np.mean(np.log(picked + EPS))):.4g}. Is your eps tiny?",
                             "log(p + eps) with eps around 1e-7; -log(1e-7) is about 16.1.")
            continue
        expected = float(-np.mean(np.log(picked)))
        if np.isclose(value, expected, rtol=1e-4):
            continue
        if np.isclose(value, expected * len(picked), rtol=1e-4):
            return wrong("ce-sum", f"for {label} you return the SUM over the batch; the loss is the mean.",
                         "divide by the batch size N (or use np.mean).")
        if np.isclose(value, -expected, rtol=1e-4):
            return wrong("ce-sign", f"for {label} your loss is negative: the sign is missing.",
                         "log of a probability is <= 0; the loss is MINUS the mean log-probability.")
        block = keep_y[:, keep_t]
        if np.isclose(value, float(-np.mean(np.log(block))), rtol=1e-4):
            return wrong("ce-block", f"for {label} you averaged y[:, t], an (N, N) block of probabilities.",
                         "pair row i with label t[i]: index rows with np.arange(N) and columns with t.")
        if np.isclose(value, float(-np.mean(np.log(keep_y))), rtol=1e-4):
            return wrong("ce-all", f"for {label} you averaged the log of every probability, not only the right "
                         "class's.", "only y[i, t[i]] counts for example i.")
        for eps in (1e-1, 1e-2, 1e-3, 1e-4):
            if np.isclose(value, float(-np.mean(np.log(picked + eps))), rtol=1e-4):
                return wrong("ce-eps-size", f"for {label} you return {value:.6g}, expected {expected:.6g}: your eps "
                             f"({eps:g}) is large enough to change the loss.",
                             f"use a tiny eps such as {EPS:g}.")
        return wrong("ce-values", f"for {label} you return {value:.6g}, expected {expected:.6g}.",
                     "the loss is -mean over i of log(y[i, t[i]]).")
    return Feedback(True, "the mean of -log(probability of the right class), finite even for a zero probability.")


QUIZ = [
    Question("Subtracting the same constant c from every score of a row changes the softmax output how?",
             answer=2,
             options=["every probability is multiplied by exp(-c)",
                      "the probabilities no longer sum to 1",
                      "not at all: exp(-c) cancels between numerator and denominator",
                      "the largest probability becomes 1"],
             why="e^(a_k - c) / sum_j e^(a_j - c) = e^(a_k) / sum_j e^(a_j): the shift cancels."),
    Question("A model gives the right class probability 0.5. What is its cross-entropy loss for that example "
             "(natural log, to 3 decimals)?",
             answer=float(-np.log(0.5)), rel=1e-3,
             why="-log(0.5) = log 2 = 0.693."),
    Question("Raising the softmax temperature T (dividing the scores by a larger T) makes the distribution:",
             answer=1,
             options=["more peaked on the top score", "flatter, closer to uniform", "unchanged"],
             why="large T shrinks the differences between scores, so the probabilities move towards 1/C."),
]
