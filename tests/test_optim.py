"""optim: every update rule."""

import numpy as np
import pytest

from course_lib import optim


@pytest.mark.parametrize("name", list(optim.OPTIMIZERS))
def test_optimizers_descend_a_bowl_and_keep_dtype(name):
    opt = optim.OPTIMIZERS[name](lr=1.0 if name == "AdaGrad" else 0.1)
    params = {"w": np.array([3.0, -2.0], dtype=np.float32)}
    for _ in range(300):
        grads = {"w": 2 * params["w"] * np.array([1.0, 5.0], dtype=np.float32)}
        keep = grads["w"].copy()
        opt.update(params, grads)
        np.testing.assert_array_equal(grads["w"], keep)
    assert params["w"].dtype == np.float32
    assert np.abs(params["w"]).max() < 0.3


def test_adam_first_step_is_lr_times_sign():
    params = {"w": np.array([1.0, 1.0])}
    optim.Adam(lr=0.01).update(params, {"w": np.array([5.0, -0.1])})
    np.testing.assert_allclose(params["w"], [0.99, 1.01], rtol=1e-6)


# ---------------------------------------------------------------- value tests against the textbook formulas
# Non-default hyper-parameters everywhere, so a coefficient hard-coded to its default is caught; two parameters
# of different shapes with different gradients, so state shared between parameters is caught; several steps,
# so state that is not carried over (or not accumulated) is caught.

def _reference(name, hyper, steps):
    """Pure-NumPy transcription of each rule, run over `steps` (list of grads dicts) from zero state."""
    state, out = {}, []
    for t, g in enumerate(steps, start=1):
        upd = {}
        for k, gk in g.items():
            if name == "SGD":
                upd[k] = -hyper["lr"] * gk
            elif name == "Momentum":
                v = hyper["momentum"] * state.get(k, 0.0) - hyper["lr"] * gk
                state[k] = v
                upd[k] = v
            elif name == "AdaGrad":
                h = state.get(k, 0.0) + gk ** 2
                state[k] = h
                upd[k] = -hyper["lr"] * gk / (np.sqrt(h) + hyper["eps"])
            elif name == "RMSProp":
                h = hyper["decay"] * state.get(k, 0.0) + (1 - hyper["decay"]) * gk ** 2
                state[k] = h
                upd[k] = -hyper["lr"] * gk / (np.sqrt(h) + hyper["eps"])
            elif name == "Adam":
                m, v = state.get(k, (0.0, 0.0))
                m = hyper["beta1"] * m + (1 - hyper["beta1"]) * gk
                v = hyper["beta2"] * v + (1 - hyper["beta2"]) * gk ** 2
                state[k] = (m, v)
                m_hat = m / (1 - hyper["beta1"] ** t)
                v_hat = v / (1 - hyper["beta2"] ** t)
                upd[k] = -hyper["lr"] * m_hat / (np.sqrt(v_hat) + hyper["eps"])
        out.append(upd)
    return out


HYPER = {
    "SGD": {"lr": 0.3},
    "Momentum": {"lr": 0.3, "momentum": 0.6},
    "AdaGrad": {"lr": 0.3, "eps": 0.05},
    "RMSProp": {"lr": 0.3, "decay": 0.7, "eps": 0.05},
    "Adam": {"lr": 0.3, "beta1": 0.6, "beta2": 0.8, "eps": 0.05},
}


@pytest.mark.parametrize("name", list(optim.OPTIMIZERS))
def test_optimizer_matches_its_formula_over_several_steps(name):
    rng = np.random.default_rng(42)
    params = {"W": rng.standard_normal((3, 4)), "b": rng.standard_normal(4)}
    steps = [{"W": rng.standard_normal((3, 4)) * (i + 1), "b": rng.standard_normal(4) - 0.5 * i} for i in range(5)]
    opt = optim.OPTIMIZERS[name](**HYPER[name])
    expected = {k: v.copy() for k, v in params.items()}
    for grads, upd in zip(steps, _reference(name, HYPER[name], steps), strict=True):
        keep = {k: v.copy() for k, v in grads.items()}
        opt.update(params, grads)
        for k in params:
            expected[k] = expected[k] + upd[k]
            np.testing.assert_allclose(params[k], expected[k], rtol=1e-12, atol=1e-12, err_msg=f"{name} {k}")
            np.testing.assert_array_equal(grads[k], keep[k])  # gradients left untouched


@pytest.mark.parametrize("name", list(optim.OPTIMIZERS))
def test_optimizer_updates_in_place_and_keeps_default_hyperparameters(name):
    opt = optim.OPTIMIZERS[name]()
    w = np.ones(3)
    params = {"w": w}
    opt.update(params, {"w": np.full(3, 0.5)})
    assert params["w"] is w and np.all(w < 1)  # the network's own array moved, downhill
    defaults = {"SGD": {"lr": 0.01}, "Momentum": {"lr": 0.01, "momentum": 0.9}, "AdaGrad": {"lr": 0.01, "eps": 1e-7},
                "RMSProp": {"lr": 0.01, "decay": 0.99, "eps": 1e-7},
                "Adam": {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}}[name]
    assert {k: getattr(opt, k) for k in defaults} == defaults


def test_descent_path_follows_the_valley_gradient():
    path = optim.descent_path(optim.SGD(lr=0.1), optim.valley_grad, (-7.0, 2.0), 3)
    expected = [(-7.0, 2.0)]
    for _ in range(3):
        x, y = expected[-1]
        expected.append((x - 0.1 * x / 10, y - 0.1 * 2 * y))
    np.testing.assert_allclose(path, expected, rtol=1e-12)
    assert optim.valley(3.0, 2.0) == pytest.approx(9 / 20 + 4)
    assert optim.valley(0.0, 3.0) == pytest.approx(9.0) and optim.valley(2.0, 0.0) == pytest.approx(0.2)
    assert optim.valley_grad(3.0, 2.0) == pytest.approx((0.3, 4.0))


# ---------------------------------------------------------------- bad inputs: (call, error type, message fragment)
BAD = [
    (lambda: optim.SGD(lr=0), ValueError, "lr must be a finite number in (0, inf)"),
    (lambda: optim.SGD(lr=-0.1), ValueError, "lr must be"),
    (lambda: optim.SGD(lr=float("nan")), ValueError, "lr must be a finite"),
    (lambda: optim.Adam(lr=float("inf")), ValueError, "lr must be a finite"),
    (lambda: optim.SGD(lr="0.1"), TypeError, "lr must be a number"),
    (lambda: optim.SGD(lr=True), TypeError, "lr must be a number"),
    (lambda: optim.Momentum(momentum=1.0), ValueError, "momentum must be a finite number in [0, 1)"),
    (lambda: optim.Momentum(momentum=-0.1), ValueError, "momentum"),
    (lambda: optim.RMSProp(decay=1.0), ValueError, "decay must be a finite number in (0, 1)"),
    (lambda: optim.RMSProp(decay=0.0), ValueError, "decay"),
    (lambda: optim.AdaGrad(eps=0), ValueError, "eps must be"),
    (lambda: optim.Adam(beta1=1.0), ValueError, "beta1 must be"),
    (lambda: optim.Adam(beta2=1.5), ValueError, "beta2 must be"),
    (lambda: optim.SGD().update({"W": np.ones(2), "b": np.ones(1)}, {"W": np.ones(2)}), ValueError,
     "grads lacks ['b']"),
    (lambda: optim.Adam().update({"W": np.ones(2)}, {"W": np.ones(2), "x": np.ones(1)}), ValueError,
     "has extra ['x']"),
    (lambda: optim.Momentum().update({"W": np.ones(2)}, {"W": np.ones(3)}), ValueError,
     "grads['W'] has shape (3,) but params['W'] has shape (2,)"),
    (lambda: optim.RMSProp().update([np.ones(2)], [np.ones(2)]), TypeError, "params must be a dict"),
    (lambda: optim.AdaGrad().update({"W": np.ones(2)}, None), TypeError, "grads must be a dict"),
    (lambda: optim.descent_path(optim.SGD(), optim.valley_grad, (1.0, 1.0), -1), ValueError, "steps"),
    (lambda: optim.descent_path(optim.SGD(), optim.valley_grad, (1.0,), 3), ValueError, "start must be a point"),
]


@pytest.mark.parametrize("call, error, fragment", BAD)
def test_bad_inputs_raise_clear_errors(call, error, fragment):
    with pytest.raises(error) as info:
        call()
    assert fragment in str(info.value)


def test_a_rejected_update_changes_nothing():
    params = {"W": np.ones(2), "b": np.ones(1)}
    with pytest.raises(ValueError):
        optim.SGD().update(params, {"W": np.ones(2)})
    assert params["W"].tolist() == [1.0, 1.0] and params["b"].tolist() == [1.0]


# Every hyper-parameter of every optimiser is checked under its own name.
BAD_HYPER = [(name, hyper, bad) for name, hypers in HYPER.items() for hyper in hypers
             for bad in ((-0.5, float("nan"), 1.0) if hyper in ("momentum", "decay", "beta1", "beta2")
                         else (0.0, -1.0, float("inf")))]


@pytest.mark.parametrize("name, hyper, bad", BAD_HYPER)
def test_each_hyperparameter_is_validated_by_name(name, hyper, bad):
    with pytest.raises(ValueError) as info:
        optim.OPTIMIZERS[name](**{hyper: bad})
    assert str(info.value).startswith(f"{hyper} must be a finite number in ")
    with pytest.raises(TypeError, match=f"^{hyper} must be a number, got str"):
        optim.OPTIMIZERS[name](**{hyper: "0.5"})


@pytest.mark.parametrize("name", ["Momentum", "Adam"])
def test_zero_momentum_is_allowed(name):
    opt = optim.OPTIMIZERS[name](**({"momentum": 0.0} if name == "Momentum" else {"beta1": 0.0, "beta2": 0.0}))
    params = {"w": np.ones(2)}
    opt.update(params, {"w": np.ones(2)})
    assert np.all(params["w"] < 1)


def test_descent_path_rejects_non_integer_steps_and_takes_zero():
    with pytest.raises(TypeError, match="steps must be a whole number, got float 2.5"):
        optim.descent_path(optim.SGD(), optim.valley_grad, (1.0, 1.0), 2.5)
    with pytest.raises(TypeError, match="steps must be a whole number, got bool True"):
        optim.descent_path(optim.SGD(), optim.valley_grad, (1.0, 1.0), True)
    assert optim.descent_path(optim.SGD(), optim.valley_grad, (1.0, 2.0), 0).tolist() == [[1.0, 2.0]]


# ---------------------------------------------------------------- mutation-testing follow-ups (issue 13)
_PICK = " Pick a value in that range (the default is a good start)."
_O = optim
MESSAGES = [   # (case, call, error type, exact message)
    ("hyper type", lambda: _O.SGD(lr="0.1"), TypeError, "lr must be a number, got str '0.1'."),
    ("hyper open", lambda: _O.SGD(lr=0.0), ValueError, "lr must be a finite number in (0, inf), got 0.0." + _PICK),
    ("hyper half-open", lambda: _O.Momentum(momentum=1.0), ValueError,
     "momentum must be a finite number in [0, 1), got 1.0." + _PICK),
    ("hyper open both", lambda: _O.RMSProp(decay=0.0), ValueError,
     "decay must be a finite number in (0, 1), got 0.0." + _PICK),
    ("hyper nan", lambda: _O.Adam(beta2=float("nan")), ValueError,
     "beta2 must be a finite number in [0, 1), got nan." + _PICK),
    ("params not dict", lambda: _O.SGD().update([1.0], {}), TypeError,
     "params must be a dict of arrays keyed by parameter name (e.g. net.params), got list."),
    ("grads not dict", lambda: _O.SGD().update({}, None), TypeError,
     "grads must be a dict of arrays keyed by parameter name (e.g. net.params), got NoneType."),
    ("keys", lambda: _O.SGD().update({"W": np.ones(2), "b": np.ones(1), 2: np.ones(1)},
                                     {"W": np.ones(2), "c": np.ones(1)}), ValueError,
     "grads and params must have the same keys: grads lacks [2, 'b'] and has extra ['c']. Pass the gradients "
     "computed for these very parameters (net.gradient(...))."),
    ("int params", lambda: _O.SGD().update({"W": np.ones(2, int)}, {"W": np.ones(2)}), TypeError,
     "params['W'] must be a float NumPy array that the update changes in place, got array of dtype int64: "
     "use np.asarray(value, dtype=np.float64)."),
    ("list params", lambda: _O.SGD().update({"W": [1.0]}, {"W": np.ones(1)}), TypeError,
     "params['W'] must be a float NumPy array that the update changes in place, got list: "
     "use np.asarray(value, dtype=np.float64)."),
    ("shapes", lambda: _O.Adam().update({"W": np.ones(2)}, {"W": np.ones((2, 1))}), ValueError,
     "grads['W'] has shape (2, 1) but params['W'] has shape (2,): they must match."),
    ("steps", lambda: _O.descent_path(_O.SGD(), _O.valley_grad, (1.0, 1.0), -1), ValueError,
     "steps must be at least 0, got -1."),
    ("optimizer class", lambda: _O.descent_path(_O.SGD, _O.valley_grad, (1.0, 1.0), 1), TypeError,
     "optimizer must have an update(params, grads) method (e.g. optim.SGD(lr=0.9)), got type."),
    ("grad_fn", lambda: _O.descent_path(_O.SGD(), 3, (1.0, 1.0), 1), TypeError,
     "grad_fn must be a function (x, y) -> (dx, dy) such as optim.valley_grad, got int."),
    ("mixed extra keys", lambda: _O.SGD().update({"W": np.ones(2)}, {"W": np.ones(2), 3: np.ones(1), "d": np.ones(1)}),
     ValueError, "grads and params must have the same keys: grads lacks [] and has extra [3, 'd']. Pass the "
     "gradients computed for these very parameters (net.gradient(...))."),
    ("start", lambda: _O.descent_path(_O.SGD(), _O.valley_grad, (1.0, float("inf")), 1), ValueError,
     "start must be a point (x, y), got (1.0, inf)."),
]


@pytest.mark.parametrize("case, call, error, message", MESSAGES, ids=[m[0] for m in MESSAGES])
def test_every_error_message_in_full(case, call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message
