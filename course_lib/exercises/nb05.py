"""Exercises of notebook 05: the SGD, Momentum and Adam updates, He's standard deviation, batch normalisation.

Optimisers are built with NON-default hyper-parameters and run for several steps on seeded parameters (a dict of
arrays of several keys and shapes) with a new gradient at each step; every step is compared with ``optim``.
"""

import numpy as np

from .. import layers, optim
from ..i18n import N_, _
from .core import Question
from .engine import Exercise, Mistake

STEPS = 5
_SHAPES = [{"W1": (3, 4), "b1": (4,), "W2": (4, 2), "b2": (2,)}, {"W": (5, 1), "b": (1,)},
           {"W1": (2, 3), "W2": (2, 3), "W3": (2, 3)}]


def _optimizer_cases(settings):
    def cases(rng):
        return [{"kwargs": kwargs, "params": {k: rng.standard_normal(s) for k, s in shapes.items()},
                 "grads": [{k: rng.standard_normal(s) for k, s in shapes.items()} for _ in range(STEPS)]}
                for kwargs, shapes in zip(settings, _SHAPES[::-1] if len(settings) == 3 else _SHAPES, strict=False)]
    return cases


def _optimizer_protocol(run, cls, case):
    setting = ", ".join(f"{k}={v}" for k, v in case["kwargs"].items())
    opt = run.call(cls, **case["kwargs"], name=f"{cls.__name__}({setting})")
    params = case["params"]
    arrays = dict(params)
    got = {}
    for step, grads in enumerate(case["grads"], start=1):
        run.call(opt.update, params, grads, returns=False, may_change=(0,), name=f"{cls.__name__}.update")
        run.require(sorted(params) == sorted(arrays), _("update() changed the keys of params: only change the "
                                                        "arrays."))
        run.require(all(params[k] is arrays[k] for k in params),
                    _("after update() a params entry is a new array: the network still holds the old one and never "
                      "sees it. Change each array itself, in place."))
        got[N_("params after step {step}", step=step)] = {k: v.copy() for k, v in params.items()}
    return got


def _optimizer(rule, defaults):
    """An optimiser class from ``rule(params, grads, state, hyper-parameters)``."""
    def __init__(self, **kwargs):
        self.kw, self.state = {**defaults, **kwargs}, {}

    def update(self, params, grads):
        rule(params, grads, self.state, self.kw)
    return type("Optimizer", (), {"__init__": __init__, "update": update})


def _sgd(sign=-1, lr=None):
    def rule(p, g, s, kw):
        for k in p:
            p[k] += sign * (lr or kw["lr"]) * g[k]
    return _optimizer(rule, {"lr": 0.01})


def _not_in_place(p, g, s, kw):
    for k in p:
        p[k] = p[k] - kw["lr"] * g[k]


SGD = Exercise(
    "sgd", optim.SGD, _optimizer_cases([{"lr": 0.05}, {"lr": 0.3}]), kind="class", protocol=_optimizer_protocol,
    praise=N_("every parameter takes a step of lr times its gradient, downhill."),
    hint=N_("apply the update rule to every key of params, with the lr given to the constructor."),
    mistakes=(
        Mistake("not-in-place", N_("your update() builds new arrays; the network still holds the old ones."),
                N_("an augmented assignment (-= or +=) changes the array itself."),
                impl=_optimizer(_not_in_place, {"lr": 0.01})),
        Mistake("sgd-sign", N_("your steps go uphill: the parameters move WITH the gradient."),
                N_("the gradient points to where the loss grows fastest; step the other way."), impl=_sgd(sign=+1)),
        Mistake("sgd-hardcoded", N_("your steps have the size of lr=0.01 whatever lr the constructor is given."),
                N_("store the constructor's lr on self and use it in update()."), impl=_sgd(lr=0.01)),
    ))


def _momentum(shared=False, sign=-1, late=False, lr=None, mu=None):
    def rule(p, g, s, kw):
        for k in p:
            key = "shared" if shared else k
            v = s.get(key, 0)
            if late:
                p[k] += v
            s[key] = (mu or kw["momentum"]) * v + sign * (lr or kw["lr"]) * g[k]
            if not late:
                p[k] += s[key]
    return _optimizer(rule, {"lr": 0.01, "momentum": 0.9})


MOMENTUM = Exercise(
    "momentum", optim.Momentum, _optimizer_cases([{"lr": 0.05, "momentum": 0.7}, {"lr": 0.02, "momentum": 0.5},
                                                  {"lr": 0.1, "momentum": 0.8}]),
    kind="class", protocol=_optimizer_protocol,
    praise=N_("each parameter keeps its own velocity; consistent gradients make the steps grow."),
    hint=N_("the new velocity is momentum times the old one minus lr times the gradient; the parameter adds it."),
    mistakes=(
        Mistake("momentum-shared", N_("all your parameters share ONE velocity: each parameter needs its own (a dict of "
                "velocities keyed like params)."), N_("one velocity per key, starting at zero the first time it is "
                                                      "seen."),
                impl=_momentum(shared=True)),
        Mistake("momentum-sign", N_("the velocity accumulates +lr * g, so the steps go uphill."),
                N_("the new velocity is momentum times the old one MINUS lr times the gradient."),
                impl=_momentum(sign=1)),
        Mistake("momentum-order", N_("you move the parameters with the OLD velocity (before updating it): the first "
                "step does nothing and every step lags one behind."), N_("update the velocity first, then add it."),
                impl=_momentum(late=True)),
        Mistake("momentum-hardcoded", N_("your update ignores the constructor's lr and momentum (it behaves like "
                "lr=0.01, momentum=0.9 whatever it is given)."), N_("store lr and momentum on self and use them."),
                impl=_momentum(lr=0.01, mu=0.9)),
        Mistake("momentum-no-memory", N_("your steps do not build up: keep a velocity that remembers the previous "
                "steps."), N_("store each parameter's velocity on self between calls; plain SGD forgets it."),
                impl=_sgd()),
    ))


def _adam(correct=True, t_mode="step", fixed=None):
    def rule(p, g, s, kw):
        lr, b1, b2, eps = (fixed or kw)["lr"], (fixed or kw)["beta1"], (fixed or kw)["beta2"], (fixed or kw)["eps"]
        if t_mode == "step":
            s["t"] = s.get("t", 0) + 1
        for k in p:
            if t_mode == "per-key":
                s["t"] = s.get("t", 0) + 1
            t = 1 if t_mode == "frozen" else s["t"]
            s["m", k] = b1 * s.get(("m", k), 0) + (1 - b1) * g[k]
            s["v", k] = b2 * s.get(("v", k), 0) + (1 - b2) * g[k] ** 2
            m_hat, v_hat = (s["m", k] / (1 - b1 ** t), s["v", k] / (1 - b2 ** t)) if correct else (s["m", k],
                                                                                                   s["v", k])
            p[k] -= lr * m_hat / (np.sqrt(v_hat) + eps)
    return _optimizer(rule, {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})


ADAM = Exercise(
    "adam", optim.Adam, _optimizer_cases([{"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-8},
                                          {"lr": 0.05, "beta1": 0.5, "beta2": 0.9, "eps": 1e-6}]),
    kind="class", protocol=_optimizer_protocol,
    praise=N_("momentum on the gradient, RMSProp's scaling, both bias-corrected: that is Adam."),
    hint=N_("two running averages per parameter (of g and of g squared), both bias-corrected with the step count."),
    mistakes=(
        Mistake("adam-no-correction", N_("your first steps are far too small: m and v start at zero and must be "
                "bias-corrected."), N_("divide m and v by one minus beta to the power of the step count."),
                impl=_adam(correct=False)),
        Mistake("adam-t-per-key", N_("your step count t grows once per PARAMETER instead of once per update() call, so "
                "the bias correction is wrong for every key after the first."),
                N_("increase t once at the start of update(), before the loop over the keys."),
                impl=_adam(t_mode="per-key")),
        Mistake("adam-t-frozen", N_("your bias correction always uses t = 1: t must count the update() calls."),
                N_("keep t on self, start it at 0 and add 1 at the start of each update()."),
                impl=_adam(t_mode="frozen")),
        Mistake("adam-hardcoded", N_("your update ignores the constructor's hyper-parameters (it behaves like the "
                "defaults whatever it is given)."), N_("store lr, beta1, beta2 and eps on self and use them."),
                impl=_adam(fixed={"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})),
    ))

HE_STD = Exercise(
    "he_std", lambda fan_in: float(np.sqrt(2 / fan_in)), lambda rng: [{"fan_in": n} for n in (784, 50, 9)],
    praise=N_("std = sqrt(2 / fan_in) keeps ReLU activations from shrinking layer after layer."),
    hint=N_("He's variance is 2 / fan_in."),
    mistakes=(
        Mistake("he-xavier", N_("that is Xavier's standard deviation; He's is larger, for ReLU."),
                N_("ReLU zeroes half its inputs; He doubles the variance to make up for it."),
                impl=lambda fan_in: float(np.sqrt(1 / fan_in))),
        Mistake("he-variance", N_("that is the variance; the standard deviation is its square root."),
                impl=lambda fan_in: 2 / fan_in),
    ))


def _bn_cases(rng):
    cases = []
    for shape, dtype in [((8, 5), np.float64), ((2, 3), np.float64), ((16, 1), np.float32)]:
        def batch(scale, shift, shape=shape, dtype=dtype):
            return (rng.standard_normal(shape) * scale + shift).astype(dtype)
        cases.append({"x": batch(3, rng.standard_normal(shape[1])), "x2": batch(2, 1), "x_test": batch(1, 0.5),
                      "gamma": (rng.random(shape[1]) + 0.5).astype(dtype),
                      "beta": rng.standard_normal(shape[1]).astype(dtype), "dout": batch(1, 0)})
    return cases


def _bn_forward_protocol(run, cls, case):
    bn = run.call(cls, case["gamma"], case["beta"], momentum=0.8, eps=1e-5,
                  name=f"{cls.__name__}(gamma, beta, momentum=0.8, eps=1e-5)")
    got = {}
    for label, x, train in ((N_("training batch 1"), case["x"], True), (N_("training batch 2"), case["x2"], True),
                            (N_("inference"), case["x_test"], False)):
        got[N_("forward(x, train={train}) on {label}", train=train, label=label)] = run.call(bn.forward, x, train=train,
                                                                 name=f"{cls.__name__}.forward")
        state = getattr(bn, "state", None)
        run.require(isinstance(state, dict), _("self.state should stay the dict of running statistics."))
        for key in ("running_mean", "running_var"):
            got[N_("state[{key}] after {label}", key=repr(key), label=label)] = np.array(state.get(key), copy=True)
    return got


def _bn(axis=0, ddof=0, affine=True, running="right", test="running"):
    """A batch norm's forward pass and its typical mistakes."""
    def forward(self, x, train=False):
        if train or test == "batch":
            mean, var = x.mean(axis=axis, keepdims=axis == 1), x.var(axis=axis, ddof=ddof, keepdims=axis == 1)
        if train and running != "none":
            m = self.momentum if running == "right" else 1 - self.momentum
            self.state["running_mean"] = m * self.state["running_mean"] + (1 - m) * x.mean(axis=0)
            self.state["running_var"] = m * self.state["running_var"] + (1 - m) * x.var(axis=0)
        if not train and test == "running":
            mean, var = self.state["running_mean"], self.state["running_var"]
        x_hat = (x - mean) / np.sqrt(var + self.eps)
        return ((self.params["gamma"] * x_hat + self.params["beta"]) if affine else x_hat).astype(x.dtype)

    return type("BatchNorm", (layers.BatchNorm,), {"forward": forward})


BATCHNORM_FORWARD = Exercise(
    "batchnorm_forward", layers.BatchNorm, _bn_cases, kind="class", protocol=_bn_forward_protocol, same_dtype=True,
    praise=N_("batch statistics and a running average while training, the running statistics at inference: exactly "
           "layers.BatchNorm."),
    hint=N_("training: per feature, subtract the batch mean, divide by sqrt(var + eps), scale and shift, and move the "
         "running statistics; inference: the running statistics, unchanged."),
    mistakes=(
        Mistake("bn-axis", N_("you normalise each EXAMPLE over its features; batch norm normalises each FEATURE over "
                "the batch."), impl=_bn(axis=1)),
        Mistake("bn-unbiased", N_("you use the unbiased variance (divided by N - 1); the library, like Keras, divides "
                "by N."), impl=_bn(ddof=1)),
        Mistake("bn-no-affine", N_("the output is normalised but not scaled and shifted: multiply by gamma and add "
                "beta."), impl=_bn(affine=False)),
        Mistake("bn-no-running", N_("the running statistics did not move after a training batch: update them in "
                "training mode."), N_("running = momentum * running + (1 - momentum) * batch statistic."),
                impl=_bn(running="none")),
        Mistake("bn-running-swapped", N_("your running statistics give the new batch the weight `momentum`: the OLD "
                "running value keeps `momentum`, the new batch gets 1 - momentum."), impl=_bn(running="swapped")),
        Mistake("bn-test-batch", N_("at inference you use the batch's statistics: use the running ones (one image must "
                "get the same answer in any batch)."), impl=_bn(test="batch")),
    ))


def _bn_backward_protocol(run, cls, case):
    x, dout = case["x"].astype(np.float64), case["dout"].astype(np.float64)
    bn = run.call(cls, case["gamma"].astype(np.float64), case["beta"].astype(np.float64),
                  name=f"{cls.__name__}(gamma, beta)")
    run.call(bn.forward, x, train=True, name=f"{cls.__name__}.forward")
    dx = run.call(bn.backward, dout, name=f"{cls.__name__}.backward")
    grads = getattr(bn, "grads", None)
    run.require(isinstance(grads, dict), _("self.grads should stay the dict of the parameters' gradients."))
    probe = layers.BatchNorm(case["gamma"].astype(np.float64), case["beta"].astype(np.float64))
    if len(x) >= 8:   # central differences through the statistics of a batch of 2 are too ill-conditioned
        run.gradcheck(f"{cls.__name__}.backward", lambda: float(np.sum(probe.forward(x, train=True) * dout)), x, dx,
                      limit=1e-5)
    return {"dx": dx, "grads['gamma']": grads.get("gamma"), "grads['beta']": grads.get("beta")}


def _bn_backward(dx):
    def backward(self, dout):
        self.grads["gamma"], self.grads["beta"] = (dout * self.xhat).sum(axis=0), dout.sum(axis=0)
        return dx(self, dout, self.params["gamma"] * self.inv_std)
    return type("BatchNormBackward", (layers.BatchNorm,), {"backward": backward})


BATCHNORM_BACKWARD = Exercise(
    "batchnorm_backward", layers.BatchNorm, _bn_cases, kind="class", protocol=_bn_backward_protocol,
    praise=N_("dx, dgamma and dbeta agree with the library and with a float64 gradient check."),
    hint=N_("in training mode the mean and variance depend on every x of the batch: dx has a term for each."),
    mistakes=(
        Mistake("bnb-no-stats", N_("your dx treats the mean and variance as constants: in training mode they depend "
                "on every x of the batch."), N_("dx has three terms: dout itself, its mean over the batch, and xhat "
                "times the mean of dout * xhat, all scaled by gamma over the standard deviation."),
                impl=_bn_backward(lambda self, dout, scale: dout * scale)),
        Mistake("bnb-no-var", N_("your dx has the mean's term but not the variance's (the term with xhat)."),
                impl=_bn_backward(lambda self, dout, scale: scale * (dout - dout.mean(axis=0)))),
        Mistake("bnb-no-mean", N_("your dx has the variance's term but not the mean's (the term with the sum of "
                "dout)."), impl=_bn_backward(
                    lambda self, dout, scale: scale * (dout - self.xhat * (dout * self.xhat).mean(axis=0)))),
    ))

QUIZ = [
    Question(N_("Momentum keeps a velocity for each parameter. On a ravine, where the gradient's steep component "
             "flips sign at every step while the gentle one keeps its sign, what does the velocity do?"),
             answer=1,
             options=[N_("it grows along both directions"),
                      N_("the flipping component mostly cancels, the consistent one builds up"),
                      N_("it cancels along both directions"),
                      N_("nothing: the velocity equals lr times the gradient")],
             why=N_("opposite gradients cancel in the running sum, consistent ones accumulate.")),
    Question(N_("Adam's first moment m starts at 0 with beta1 = 0.9. After the first update, m = 0.1 g. By what "
             "factor does the bias correction multiply m at t = 1?"), answer=10.0, rel=1e-6,
             why=N_("1 / (1 - 0.9**1) = 10, which turns 0.1 g back into g.")),
    Question(N_("Which initialisation keeps the spread of ReLU activations roughly constant from layer to layer?"),
             answer=2, options=[N_("all weights 0.01"), N_("Xavier, std sqrt(1 / n)"), N_("He, std sqrt(2 / n)"),
                                N_("all weights equal")],
             why=N_("ReLU zeroes half its inputs, halving the variance; He's factor 2 makes up for it.")),
    Question(N_("A network with batch normalisation classifies ONE image at inference. Which mean and variance does "
             "each BatchNorm layer use?"), answer=2,
             options=[N_("the image's own mean and variance"), N_("mean 0 and variance 1 always"),
                      N_("the running averages collected during training"), N_("those of the last training batch")],
             why=N_("at inference the running statistics make the answer independent of the rest of the batch.")),
]
