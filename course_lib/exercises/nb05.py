"""Exercise checkers of notebook 05: the SGD, Momentum and Adam updates, He's standard deviation, batch norm.

The optimiser checkers build the learner's class with NON-default hyper-parameters, run it for several steps on
fresh random parameters (a dict of arrays with several keys and shapes) with a new random gradient at each step,
and compare every step with ``course_lib.optim``. When a step differs, the learner's whole trajectory is compared
with simulations of the typical mistakes, so the feedback can name the mistake.
"""

import numpy as np

from .. import optim
from .core import Feedback, NOT_ANSWERED, Question, call, changed_inputs, first_mismatch, unanswered, wrong

__all__ = ["check_sgd", "check_momentum", "check_adam", "check_he_std"]

STEPS = 5


def _stub(self, *args, **kwargs):
    ...


def is_stub(fn):
    """True when ``fn``'s body is still only ``...`` (an exercise skeleton nobody has filled in)."""
    code = getattr(fn, "__code__", None)
    return code is not None and code.co_code == _stub.__code__.co_code


def _problem(rng, shapes):
    """Random float64 parameters (one array per key) and a fresh random gradient for each step."""
    params = {k: rng.standard_normal(s) for k, s in shapes.items()}
    grads = [{k: rng.standard_normal(s) for k, s in shapes.items()} for _ in range(STEPS)]
    return params, grads


def _run_learner(cls, kwargs, params0, grads_seq):
    """Run the learner's optimiser; returns (trajectory, None) or (None, feedback)."""
    name = getattr(cls, "__name__", "your class")
    try:
        opt = cls(**kwargs)
    except Exception as exc:  # the learner's code may raise anything
        return None, Feedback(False, f"{name}({', '.join(f'{k}={v}' for k, v in kwargs.items())}) raised "
                                     f"{type(exc).__name__}: {exc}. Keep the constructor's arguments.")
    params = {k: v.copy() for k, v in params0.items()}
    arrays = dict(params)
    trajectory = []
    for step, grads in enumerate(grads_seq, start=1):
        grads_before = {k: g.copy() for k, g in grads.items()}
        _, err = call(opt.update, params, grads, allow_none=True)
        if err is not None:
            return None, err
        if sorted(params) != sorted(params0):
            return None, Feedback(False, "update() changed the keys of params: only change the arrays' values.")
        changed = changed_inputs(grads_before, grads)
        if changed is not None:
            return None, wrong("grads-changed", f"update() modified grads[{changed!r}]: leave the gradients as "
                                                "they are and only change params.")
        for k in params:
            if params[k] is not arrays[k]:
                return None, wrong("not-in-place", f"after update() params[{k!r}] is a new array: the network "
                                                   "still holds the old one and never sees it. Change the array "
                                                   "itself, in place (an augmented assignment such as -= or +=).")
        trajectory.append({k: v.copy() for k, v in params.items()})
    if all(np.array_equal(params[k], params0[k]) for k in params):
        return None, wrong("unchanged", "update() did not change params: it must move each params[k] in "
                                        "place (updating a copy, or a local name, changes nothing).")
    return trajectory, None


def _simulate(rule, params0, grads_seq):
    """Trajectory of ``rule(params, grads, state)`` applied in turn to copies of params0."""
    params = {k: v.copy() for k, v in params0.items()}
    state = {}
    out = []
    for grads in grads_seq:
        rule(params, grads, state)
        out.append({k: v.copy() for k, v in params.items()})
    return out


def _reference(ref_cls, kwargs, params0, grads_seq):
    opt = ref_cls(**kwargs)
    return _simulate(lambda p, g, s: opt.update(p, g), params0, grads_seq)


def _same(a, b):
    return all(np.allclose(x[k], y[k], rtol=1e-6, atol=1e-10) for x, y in zip(a, b) for k in x)


def _check_optimizer(cls, ref_cls, cases, mistakes, praise):
    """Compare the learner's optimiser with ``ref_cls`` on ``cases`` [(kwargs, shapes, seed)].

    ``mistakes``: [(key, nudge, hint, simulate(kwargs, params0, grads_seq) -> trajectory)], tried in order when
    the learner's trajectory differs from the reference.
    """
    if unanswered(cls):
        return NOT_ANSWERED
    if not isinstance(cls, type):
        return Feedback(False, "pass the class itself (its name, no parentheses).")
    if is_stub(getattr(cls, "update", None)):
        return NOT_ANSWERED
    for kwargs, shapes, seed in cases:
        params0, grads_seq = _problem(np.random.default_rng(seed), shapes)
        got, err = _run_learner(cls, kwargs, params0, grads_seq)
        if err is not None:
            return err
        expected = _reference(ref_cls, kwargs, params0, grads_seq)
        if _same(got, expected):
            continue
        for key, nudge, hint, simulate in mistakes:
            try:
                candidate = simulate(kwargs, params0, grads_seq)
            except (ValueError, ZeroDivisionError, FloatingPointError):
                continue
            if candidate is not None and _same(got, candidate):
                return wrong(key, nudge, hint)
        for step, (g, e) in enumerate(zip(got, expected), start=1):
            for k in e:
                msg = first_mismatch(f"params[{k!r}] after step {step}", g[k], e[k], rtol=1e-6, atol=1e-10)
                if msg:
                    setting = ", ".join(f"{a}={b}" for a, b in kwargs.items())
                    return wrong(("mismatch", ref_cls.__name__),
                                 f"with {setting}: {msg}",
                                 "apply the update rule above to every key of params, with the "
                                 "hyper-parameters given to the constructor.")
    return Feedback(True, praise)


# ----------------------------------------------------------------------------------------------------------- SGD

_SHAPES = [{"W1": (3, 4), "b1": (4,), "W2": (4, 2), "b2": (2,)},
           {"W": (5, 1), "b": (1,)}]
_SAME_SHAPES = {"W1": (2, 3), "W2": (2, 3), "W3": (2, 3)}


def _sgd_rule(lr, sign=-1.0):
    def rule(p, g, s):
        for k in p:
            p[k] += sign * lr * g[k]
    return rule


def check_sgd(cls):
    """A class ``cls(lr=0.01)`` whose ``update(params, grads)`` does w <- w - lr * g in place for every key."""
    mistakes = [
        ("sgd-sign", "your steps go uphill: the parameters move WITH the gradient.",
         "the gradient points to where the loss grows fastest; step the other way.",
         lambda kw, p, g: _simulate(_sgd_rule(kw["lr"], +1.0), p, g)),
        ("sgd-hardcoded", "your steps have the size of lr=0.01 whatever lr the constructor is given.",
         "store the constructor's lr on self and use it in update().",
         lambda kw, p, g: _simulate(_sgd_rule(0.01), p, g)),
    ]
    cases = [({"lr": 0.05}, _SHAPES[0], 1), ({"lr": 0.3}, _SHAPES[1], 2)]
    return _check_optimizer(cls, optim.SGD, cases, mistakes,
                            "every parameter takes a step of lr times its gradient, downhill.")


# ------------------------------------------------------------------------------------------------------ Momentum

def _momentum_rule(lr, mu, shared=False, sign=-1.0, late=False):
    def rule(p, g, s):
        for k in p:
            key = "shared" if shared else k
            v = s.get(key, 0)
            if late:  # position first, with the old velocity
                p[k] += v
            s[key] = mu * v + sign * lr * g[k]
            if not late:
                p[k] += s[key]
    return rule


def _momentum_mistakes():
    def sim(**opts):
        return lambda kw, p, g: _simulate(_momentum_rule(kw["lr"], kw["momentum"], **opts), p, g)

    return [
        ("momentum-shared", "all your parameters share ONE velocity: each parameter needs its own (a dict of "
                            "velocities keyed like params).",
         "self.v[k] for each key k, starting at zero the first time k is seen.", sim(shared=True)),
        ("momentum-sign", "the velocity accumulates +lr * g, so the steps go uphill.",
         "the new velocity is momentum times the old one MINUS lr times the gradient.", sim(sign=+1.0)),
        ("momentum-order", "you move the parameters with the OLD velocity (before updating it): the first step "
                           "does nothing and every step lags one behind.",
         "update the velocity first, then add the new velocity to the parameters.", sim(late=True)),
        ("momentum-hardcoded", "your update ignores the constructor's lr and momentum (it behaves like lr=0.01, "
                               "momentum=0.9 whatever it is given).",
         "store lr and momentum on self in __init__ and use them in update().",
         lambda kw, p, g: _simulate(_momentum_rule(0.01, 0.9), p, g)),
        ("momentum-no-memory", "your steps do not build up: keep a velocity that remembers the previous steps.",
         "store each parameter's velocity on self between calls; plain SGD forgets it.",
         lambda kw, p, g: _simulate(_sgd_rule(kw["lr"]), p, g)),
    ]


def check_momentum(cls):
    """A class ``cls(lr=0.01, momentum=0.9)``: v <- momentum * v - lr * g; w <- w + v, one v per parameter."""
    cases = [({"lr": 0.05, "momentum": 0.7}, _SAME_SHAPES, 3),
             ({"lr": 0.02, "momentum": 0.5}, _SHAPES[0], 4)]
    return _check_optimizer(cls, optim.Momentum, cases, _momentum_mistakes(),
                            "each parameter keeps its own velocity; consistent gradients make the steps grow.")


# ---------------------------------------------------------------------------------------------------------- Adam

def _adam_rule(lr, b1, b2, eps, correct=True, t_mode="step"):
    """Adam and its typical mistakes. t_mode: "step" (right), "per-key" (t counts parameters), "frozen" (t = 1)."""
    def rule(p, g, s):
        if t_mode == "step":
            s["t"] = s.get("t", 0) + 1
        for k in p:
            if t_mode == "per-key":
                s["t"] = s.get("t", 0) + 1
            t = 1 if t_mode == "frozen" else s["t"]
            s["m", k] = b1 * s.get(("m", k), 0) + (1 - b1) * g[k]
            s["v", k] = b2 * s.get(("v", k), 0) + (1 - b2) * g[k] ** 2
            m_hat = s["m", k] / (1 - b1 ** t) if correct else s["m", k]
            v_hat = s["v", k] / (1 - b2 ** t) if correct else s["v", k]
            p[k] -= lr * m_hat / (np.sqrt(v_hat) + eps)
    return rule


def _adam_mistakes():
    def sim(**opts):
        return lambda kw, p, g: _simulate(
            _adam_rule(kw["lr"], kw["beta1"], kw["beta2"], kw["eps"], **opts), p, g)

    return [
        ("adam-no-correction", "your first steps are far too small: m and v start at zero and must be "
                               "bias-corrected.",
         "divide m by (1 - beta1**t) and v by (1 - beta2**t), t being the number of update() calls so far.",
         sim(correct=False)),
        ("adam-t-per-key", "your step count t grows once per PARAMETER instead of once per update() call, so the "
                           "bias correction is wrong for every key after the first.",
         "increase t once at the start of update(), before the loop over the keys.", sim(t_mode="per-key")),
        ("adam-t-frozen", "your bias correction always uses t = 1: t must count the update() calls.",
         "keep t on self, start it at 0 and add 1 at the start of each update().", sim(t_mode="frozen")),
        ("adam-hardcoded", "your update ignores the constructor's hyper-parameters (it behaves like lr=0.001, "
                           "beta1=0.9, beta2=0.999 whatever it is given).",
         "store lr, beta1, beta2 and eps on self and use them in update().",
         lambda kw, p, g: _simulate(_adam_rule(0.001, 0.9, 0.999, 1e-8), p, g)),
    ]


def check_adam(cls):
    """A class ``cls(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8)`` implementing Adam with bias correction."""
    cases = [({"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-8}, _SHAPES[0], 5),
             ({"lr": 0.05, "beta1": 0.5, "beta2": 0.9, "eps": 1e-6}, _SHAPES[1], 6)]
    return _check_optimizer(cls, optim.Adam, cases, _adam_mistakes(),
                            "momentum on the gradient, RMSProp's scaling, both bias-corrected: that is Adam.")


# ------------------------------------------------------------------------------------------------ initialisation

def check_he_std(fn):
    """``fn(fan_in)``: the standard deviation of He initialisation."""
    if unanswered(fn) or is_stub(fn):
        return NOT_ANSWERED
    for fan_in in (784, 50, 9):
        out, err = call(fn, fan_in)
        if err is not None:
            return err
        if np.isclose(out, np.sqrt(1 / fan_in)):
            return wrong("he-xavier", "that is Xavier's standard deviation; He's is larger, for ReLU.",
                         "ReLU zeroes half its inputs; He doubles the variance to make up for it.")
        if np.isclose(out, 2 / fan_in):
            return wrong("he-variance", "that is the variance; the standard deviation is its square root.")
        if not np.isclose(out, np.sqrt(2 / fan_in)):
            return wrong("he-other", f"for fan_in={fan_in} you return {out}, which is not He's standard deviation.",
                         "He's variance is 2 / fan_in.")
    return Feedback(True, "std = sqrt(2 / fan_in) keeps ReLU activations from shrinking layer after layer.")


QUIZ = [
    Question("Momentum keeps a velocity for each parameter. On a ravine, where the gradient's steep component "
             "flips sign at every step while the gentle one keeps its sign, what does the velocity do?",
             answer=1,
             options=["it grows along both directions",
                      "the flipping component mostly cancels, the consistent one builds up",
                      "it cancels along both directions",
                      "nothing: the velocity equals lr times the gradient"],
             why="opposite gradients cancel in the running sum, consistent ones accumulate."),
    Question("Adam's first moment m starts at 0 with beta1 = 0.9. After the first update, m = 0.1 g. By what "
             "factor does the bias correction multiply m at t = 1?", answer=10.0, rel=1e-6,
             why="1 / (1 - 0.9**1) = 10, which turns 0.1 g back into g."),
    Question("Which initialisation keeps the spread of ReLU activations roughly constant from layer to layer?",
             answer=2, options=["all weights 0.01", "Xavier, std sqrt(1 / n)", "He, std sqrt(2 / n)",
                                "all weights equal"],
             why="ReLU zeroes half its inputs, halving the variance; He's factor 2 makes up for it."),
]
