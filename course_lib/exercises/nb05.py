"""Exercise checkers of notebook 05: the SGD, Momentum and Adam updates, He's standard deviation, batch norm.

The optimiser checkers build the learner's class with NON-default hyper-parameters, run it for several steps on
fresh random parameters (a dict of arrays with several keys and shapes) with a new random gradient at each step,
and compare every step with ``course_lib.optim``. When a step differs, the learner's whole trajectory is compared
with simulations of the typical mistakes, so the feedback can name the mistake.
"""

import numpy as np

from .. import optim
from ._legacy import Feedback, NOT_ANSWERED, Question, call, changed_inputs, first_mismatch, unanswered, wrong

__all__ = ["check_sgd", "check_momentum", "check_adam", "check_he_std", "check_batchnorm_forward", "check_batchnorm_backward"]

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
    Question("A network with batch normalisation classifies ONE image at inference. Which mean and variance does "
             "each BatchNorm layer use?", answer=2,
             options=["the image's own mean and variance", "mean 0 and variance 1 always",
                      "the running averages collected during training", "those of the last training batch"],
             why="at inference the running statistics make the answer independent of the rest of the batch."),
]


# ------------------------------------------------------------------------------------------ batch normalisation

_BN_CASES = [((8, 5), np.float64, 21), ((2, 3), np.float64, 22), ((16, 1), np.float32, 23)]


def _bn_inputs(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(shape) * 3 + rng.standard_normal(shape[1])).astype(dtype)
    gamma = (rng.random(shape[1]) + 0.5).astype(dtype)
    beta = rng.standard_normal(shape[1]).astype(dtype)
    return rng, x, gamma, beta


def check_batchnorm_forward(cls):
    """``cls(gamma, beta, momentum=0.9, eps=1e-5)`` whose ``forward(x, train)`` matches ``layers.BatchNorm`` for
    (N, D) inputs: batch statistics and running-statistics update in training, running statistics at inference."""
    from .. import layers

    if unanswered(cls):
        return NOT_ANSWERED
    if not isinstance(cls, type):
        return Feedback(False, "pass the class itself (its name, no parentheses).")
    if is_stub(getattr(cls, "forward", None)):
        return NOT_ANSWERED
    for shape, dtype, seed in _BN_CASES:
        rng, x, gamma, beta = _bn_inputs(shape, dtype, seed)
        momentum = 0.8
        try:
            bn = cls(gamma.copy(), beta.copy(), momentum=momentum, eps=1e-5)
        except Exception as exc:  # the learner's code may raise anything
            return Feedback(False, f"{cls.__name__}(gamma, beta, momentum=0.8, eps=1e-5) raised "
                                   f"{type(exc).__name__}: {exc}.")
        ref = layers.BatchNorm(gamma.copy(), beta.copy(), momentum=momentum, eps=1e-5)
        where = f"for x of shape {shape}"
        for step in range(2):                      # two training batches, then inference
            xb = x if step == 0 else (rng.standard_normal(shape) * 2 + 1).astype(dtype)
            before = xb.copy()
            out, err = call(lambda a: bn.forward(a, train=True), xb)
            if err is not None:
                return err
            expected = ref.forward(xb, train=True)
            if changed_inputs({"x": before}, {"x": xb}):
                return wrong("bn-in-place", f"{where}, forward modified x in place: return a new array.")
            out = np.asarray(out)
            if out.shape == expected.shape and not np.allclose(out, expected, rtol=1e-4, atol=1e-5):
                mu, var = xb.mean(axis=1, keepdims=True), xb.var(axis=1, keepdims=True)
                if xb.shape[1] > 1 and np.allclose(out, gamma * (xb - mu) / np.sqrt(var + 1e-5) + beta,
                                                   rtol=1e-4, atol=1e-5):
                    return wrong("bn-axis", f"{where}, you normalise each EXAMPLE over its features (axis 1); "
                                            "batch norm normalises each FEATURE over the batch (axis 0).")
                var1 = xb.var(axis=0, ddof=1)
                if np.allclose(out, gamma * (xb - xb.mean(axis=0)) / np.sqrt(var1 + 1e-5) + beta,
                               rtol=1e-4, atol=1e-5):
                    return wrong("bn-unbiased", f"{where}, you use the unbiased variance (divided by N - 1); the "
                                                "library, like Keras, divides by N (np.var's default).")
                if np.allclose(out, (xb - xb.mean(axis=0)) / np.sqrt(xb.var(axis=0) + 1e-5), rtol=1e-4, atol=1e-5):
                    return wrong("bn-no-affine", f"{where}, the output is normalised but not scaled and shifted: "
                                                 "multiply by gamma and add beta.")
            msg = first_mismatch(f"forward(x, train=True) {where}", out, expected, rtol=1e-4, atol=1e-5)
            if msg:
                return wrong("bn-train", msg, "per feature: subtract the batch mean, divide by sqrt(var + eps), "
                                              "then gamma * ... + beta.")
            if out.dtype != xb.dtype:
                return Feedback(False, f"{where}, the output has dtype {out.dtype}; keep x's dtype {xb.dtype}.")
            state = getattr(bn, "state", {})
            for key in ("running_mean", "running_var"):
                got = state.get(key) if isinstance(state, dict) else None
                if got is None:
                    return Feedback(False, f"self.state has no {key!r}: keep the running statistics in self.state.")
                if np.allclose(got, np.zeros_like(got) if key == "running_mean" else np.ones_like(got)):
                    return wrong("bn-no-running", f"{where}, state[{key!r}] did not move after a training batch: "
                                                  "update the running statistics in training mode.",
                                 "running = momentum * running + (1 - momentum) * batch statistic.")
                batch = xb.mean(axis=0) if key == "running_mean" else xb.var(axis=0)
                if step == 0:
                    start = 0.0 if key == "running_mean" else 1.0
                    if np.allclose(got, momentum * batch + (1 - momentum) * start):
                        return wrong("bn-running-swapped", f"{where}, state[{key!r}] gives the batch the weight "
                                                           "`momentum`: the OLD running value keeps `momentum`, "
                                                           "the new batch gets 1 - momentum.")
                msg = first_mismatch(f"state[{key!r}] after training batch {step + 1}", got, ref.state[key],
                                     rtol=1e-4, atol=1e-6)
                if msg:
                    return wrong("bn-running", f"{where}: {msg}",
                                 "running = momentum * running + (1 - momentum) * batch statistic (biased var).")
        xt = (rng.standard_normal(shape) + 0.5).astype(dtype)
        out, err = call(lambda a: bn.forward(a, train=False), xt)
        if err is not None:
            return err
        expected = ref.forward(xt, train=False)
        out = np.asarray(out)
        if out.shape == expected.shape and not np.allclose(out, expected, rtol=1e-4, atol=1e-5) and np.allclose(
                out, gamma * (xt - xt.mean(axis=0)) / np.sqrt(xt.var(axis=0) + 1e-5) + beta, rtol=1e-4, atol=1e-5):
            return wrong("bn-test-batch", f"{where}, at inference you use the batch's statistics: use the running "
                                          "ones (one image must get the same answer in any batch).")
        msg = first_mismatch(f"forward(x, train=False) {where}", out, expected, rtol=1e-4, atol=1e-5)
        if msg:
            return wrong("bn-test", msg, "at inference normalise with state['running_mean'] and "
                                         "state['running_var'], and do not update them.")
        if not np.allclose(bn.state["running_mean"], ref.state["running_mean"]):
            return wrong("bn-test-update", f"{where}, forward(x, train=False) changed the running statistics: "
                                           "only training batches update them.")
    return Feedback(True, "batch statistics and a running average while training, the running statistics at "
                          "inference: exactly layers.BatchNorm.")


def check_batchnorm_backward(cls):
    """A subclass of ``layers.BatchNorm`` whose ``backward(dout)`` (training mode, (N, D) input) returns dx and sets
    ``self.grads["gamma"]`` and ``self.grads["beta"]``, checked against the library and a float64 gradient check."""
    from .. import layers
    from ._legacy import gradient_error

    if unanswered(cls):
        return NOT_ANSWERED
    if not isinstance(cls, type):
        return Feedback(False, "pass the class itself (its name, no parentheses).")
    if is_stub(getattr(cls, "backward", None)):
        return NOT_ANSWERED
    for shape, _, seed in _BN_CASES:
        rng, x, gamma, beta = _bn_inputs(shape, np.float64, seed)
        dout = rng.standard_normal(shape)
        try:
            bn = cls(gamma.copy(), beta.copy())
        except Exception as exc:  # the learner's code may raise anything
            return Feedback(False, f"{cls.__name__}(gamma, beta) raised {type(exc).__name__}: {exc}.")
        ref = layers.BatchNorm(gamma.copy(), beta.copy())
        bn.forward(x, train=True)
        ref.forward(x, train=True)
        before = dout.copy()
        dx, err = call(bn.backward, dout)
        if err is not None:
            return err
        dx_ref = ref.backward(dout)
        where = f"for x of shape {shape}"
        if changed_inputs({"dout": before}, {"dout": dout}):
            return wrong("bnb-in-place", f"{where}, backward modified dout in place: return a new array.")
        dx = np.asarray(dx)
        if dx.shape == dx_ref.shape and not np.allclose(dx, dx_ref, rtol=1e-5, atol=1e-8):
            inv_std = 1 / np.sqrt(x.var(axis=0) + 1e-5)
            xhat = (x - x.mean(axis=0)) * inv_std
            if np.allclose(dx, dout * gamma * inv_std):
                return wrong("bnb-no-stats", f"{where}, your dx treats the mean and variance as constants: in "
                                             "training mode they depend on every x of the batch.",
                             "dx = gamma * inv_std / N * (N * dout - sum(dout) - xhat * sum(dout * xhat)), sums "
                             "over the batch axis.")
            if np.allclose(dx, gamma * inv_std * (dout - dout.mean(axis=0))):
                return wrong("bnb-no-var", f"{where}, your dx has the mean's term but not the variance's (the "
                                           "term with xhat * sum(dout * xhat)).")
            if np.allclose(dx, gamma * inv_std * (dout - xhat * (dout * xhat).mean(axis=0))):
                return wrong("bnb-no-mean", f"{where}, your dx has the variance's term but not the mean's (the "
                                            "term with sum(dout)).")
        msg = first_mismatch(f"dx {where}", dx, dx_ref, rtol=1e-5, atol=1e-8)
        if msg:
            return wrong("bnb-dx", msg)
        for name in ("gamma", "beta"):
            got = bn.grads.get(name) if isinstance(getattr(bn, "grads", None), dict) else None
            if got is not None and np.shape(got) != ref.grads[name].shape:
                return wrong("bnb-axis", f"{where}, grads[{name!r}] has shape {np.shape(got)}; sum over the batch "
                                         f"axis (axis 0) to get one value per feature, shape {ref.grads[name].shape}.")
            msg = first_mismatch(f"grads[{name!r}] {where}", got, ref.grads[name], rtol=1e-5, atol=1e-8)
            if msg:
                return wrong("bnb-" + name, msg)
        # float64 gradient check of the learner's dx against L = sum(forward(x) * dout)
        probe = layers.BatchNorm(gamma.copy(), beta.copy())
        xc = x.copy()
        err_rel = gradient_error(lambda: float(np.sum(probe.forward(xc, train=True) * dout)), xc, dx)
        if err_rel > 1e-4:   # a batch of 2 is ill-conditioned for finite differences
            return wrong("bnb-gradcheck", f"{where}, dx disagrees with the numerical gradient (relative error "
                                          f"{err_rel:.1e}).")
    return Feedback(True, "dx, dgamma and dbeta agree with the library and with a float64 gradient check.")
