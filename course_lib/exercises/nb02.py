"""Exercises of notebook 02: a stable softmax and the cross-entropy loss."""

import numpy as np

from .. import functions
from ..i18n import N_
from .core import Question
from .engine import Between, Exercise, Mistake, Tol


def _softmax_cases(rng):
    return [{"x": rng.standard_normal((3, 5))}, {"x": rng.standard_normal((1, 4))},
            {"x": rng.standard_normal((4, 4)) * 3}, {"x": rng.standard_normal(6)},
            {"x": 1000 + rng.standard_normal((2, 3)), "_label": N_("scores around +1000")},
            {"x": np.array([[-1000.0, 0.0, 5.0], [3.0, -997.0, 0.0]]), "_label": N_("rows whose scores span 1000")},
            {"x": np.array([[0.0, 1.0, 2.0], [1500.0, 1501.0, 1502.0]]),
             "_label": N_("two rows whose maxima differ by 1500")}]


def _softmax_shifted(shift, axis=-1):
    def softmax(x):
        e = np.exp(x - shift(x))
        return e / e.sum(axis=axis, keepdims=axis is not None)
    return softmax


def _softmax_no_keepdims(x):
    e = np.exp(x - x.max(axis=-1)[..., None])
    return e / e.sum(axis=-1)


def _softmax_in_place(x):
    x -= x.max(axis=-1, keepdims=True)
    return np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True)


def _row_max(x):
    return x.max(axis=-1, keepdims=True)


SOFTMAX = Exercise(
    "softmax", functions.softmax, _softmax_cases,
    praise=N_("right values for random batches, finite for huge scores and for rows far apart, and x left unchanged."),
    hint=N_("each entry is exp(score) divided by the sum of exp over its own row."),
    mistakes=(
        Mistake("softmax-keepdims", N_("The row maxima or row sums lost their reduced axis, so they no longer line up "
                "with the rows."),
                N_("reduce with keepdims=True so that an (N, C) batch gives (N, 1) maxima and sums."),
                impl=_softmax_no_keepdims, raises="broadcast"),
        Mistake("softmax-inplace", N_("your softmax changed its input x in place; the caller's scores must stay as "
                "they were."), N_("compute the shifted scores as a new array instead of subtracting into x."),
                impl=_softmax_in_place),
        Mistake("softmax-overflow", N_("nan or inf: np.exp overflows for huge scores."),
                N_("subtract a constant from each row before np.exp; the result does not change."),
                impl=_softmax_shifted(lambda x: 0)),
        Mistake("softmax-min", N_("nan or inf: after your shift some exponent is still huge. Subtracting a row's "
                "MINIMUM leaves its largest score far above 0."),
                N_("subtract each row's maximum, so that the largest exponent is exp(0) = 1."),
                impl=_softmax_shifted(lambda x: x.min(axis=-1, keepdims=True))),
        Mistake("softmax-global", N_("nan: the row with the smaller maximum underflowed to 0 / 0. You subtracted one "
                "maximum for the whole batch."), N_("take the maximum of each row separately."),
                impl=_softmax_shifted(lambda x: x.max())),
        Mistake("softmax-axis", N_("the whole batch sums to 1; each row should."), N_("sum over the last axis only."),
                impl=_softmax_shifted(_row_max, axis=None)),
        Mistake("softmax-axis0", N_("the columns sum to 1 instead of the rows: you reduced over the batch axis."),
                N_("the classes sit on the last axis."), impl=_softmax_shifted(_row_max, axis=0)),
    ))

EPS = 1e-7  # the eps the notebook's prompt states (the library's choice)


def _ce_cases(rng):
    cases = []
    for n, c in [(4, 3), (1, 5), (6, 10)]:
        cases.append({"y": functions.softmax(rng.standard_normal((n, c)) * 2), "t": rng.integers(0, c, n)})
    cases.append({"y": np.array([[0.2, 0.5, 0.3], [0.0, 1.0, 0.0], [0.6, 0.1, 0.3]]), "t": np.array([1, 0, 0]),
                  "_label": N_("a batch where the right class has probability 0")})
    return cases


def _ce(eps=EPS, pick=lambda y, t: y[np.arange(len(y)), t], reduce=np.mean, sign=-1):
    def cross_entropy(y, t):
        return sign * reduce(np.log(pick(y, t) + eps))
    return cross_entropy


def _ce_reference(y, t):
    """Any eps from 1e-30 to 1e-5 inside the log (or a clip to such a floor) is right: the loss lies in between."""
    return Between(_ce(1e-5)(y, t), _ce(1e-30)(y, t))


CROSS_ENTROPY = Exercise(
    "cross_entropy", _ce_reference, _ce_cases, tol=Tol(1e-6, 1e-6, N_("a clip at 1 - eps moves the loss by ~eps")),
    praise=N_("the mean of -log(probability of the right class), finite even for a zero probability."),
    hint=N_("the loss is minus the mean over the examples of the log of the right class's probability."),
    mistakes=(
        Mistake("ce-onehot", N_("Multiplying t by log(y) needs one-hot targets; t here holds label indices."),
                N_("pick each row's probability at its label with fancy indexing (one index array for the rows, one "
                "for the columns)."), impl=lambda y, t: -np.mean(np.sum(t * np.log(y + EPS), axis=1)),
                raises="broadcast"),
        Mistake("ce-per-example", N_("you return one loss per example; the loss is their mean, one number."),
                N_("average over the batch."), impl=_ce(reduce=lambda a: a)),
        Mistake("ce-eps", N_("log(0) is -inf: a probability of exactly 0 needs a tiny eps inside the log."),
                N_("add a tiny eps (the library uses {eps}) inside the log.", eps=f"{EPS:g}"), impl=_ce(eps=0)),
        Mistake("ce-sum", N_("you return the SUM over the batch; the loss is the mean."),
                N_("divide by the batch size N."), impl=_ce(reduce=np.sum)),
        Mistake("ce-sign", N_("your loss is negative: the sign is missing."),
                N_("the log of a probability is <= 0; the loss is MINUS the mean log-probability."), impl=_ce(sign=1)),
        Mistake("ce-block", N_("you averaged y[:, t], an (N, N) block of probabilities."),
                N_("pair row i with label t[i]: one index array for the rows and one for the columns."),
                impl=_ce(pick=lambda y, t: y[:, t])),
        Mistake("ce-all", N_("you averaged the log of every probability, not only the right class's."),
                N_("only the right class's probability counts for each example."), impl=_ce(pick=lambda y, t: y)),
        Mistake("ce-eps-size", N_("your eps is large enough to change the loss."),
                N_("use a tiny eps such as {eps}.", eps=f"{EPS:g}"), impl=_ce(eps=1e-2)),
    ))

QUIZ = [
    Question(N_("Subtracting the same constant c from every score of a row changes the softmax output how?"),
             answer=2,
             options=[N_("every probability is multiplied by exp(-c)"),
                      N_("the probabilities no longer sum to 1"),
                      N_("not at all: exp(-c) cancels between numerator and denominator"),
                      N_("the largest probability becomes 1")],
             why=N_("e^(a_k - c) / sum_j e^(a_j - c) = e^(a_k) / sum_j e^(a_j): the shift cancels.")),
    Question(N_("A model gives the right class probability 0.5. What is its cross-entropy loss for that example "
             "(natural log, to 3 decimals)?"),
             answer=float(-np.log(0.5)), rel=1e-3,
             why=N_("-log(0.5) = log 2 = 0.693.")),
    Question(N_("Raising the softmax temperature T (dividing the scores by a larger T) makes the distribution:"),
             answer=1,
             options=[N_("more peaked on the top score"), N_("flatter, closer to uniform"), N_("unchanged")],
             why=N_("large T shrinks the differences between scores, so the probabilities move towards 1/C.")),
]
