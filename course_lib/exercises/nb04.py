"""Exercises of notebook 04: the parameter count of a two-layer net; the sanity checks before training (a gradient
check on sampled entries, the initial loss, overfitting 20 images); the minibatch training loop."""

import numpy as np

from .. import nets, optim
from ..i18n import N_, _
from .core import Question
from .engine import Exercise, Mistake, Tol

# The tiny problem the loop is run on: 30 training examples, batches of 10 (3 iterations per epoch), 4 epochs.
TRAIN_SIZE, VAL_SIZE, BATCH_SIZE, ITERS, LEARNING_RATE = 30, 20, 10, 12, 0.5


def _loop_cases(rng):
    cases = []
    for _case in range(2):   # a small learnable 3-class problem: labels = argmax of a random linear map
        x = rng.standard_normal((TRAIN_SIZE + VAL_SIZE, 4))
        t = (x @ rng.standard_normal((4, 3))).argmax(axis=1)
        cases.append({"x_train": x[:TRAIN_SIZE], "t_train": t[:TRAIN_SIZE], "x_val": x[TRAIN_SIZE:],
                      "t_val": t[TRAIN_SIZE:], "_net_seed": int(rng.integers(2**31)),
                      "_batch_seed": int(rng.integers(2**31))})
    return cases


def _loop_protocol(run, fn, case):
    net = nets.TwoLayerNet(input_size=4, hidden_size=8, output_size=3, weight_init_std=0.5, seed=case["_net_seed"],
                           dtype=np.float64)
    rng = np.random.default_rng(case["_batch_seed"])
    untouched = rng.bit_generator.state
    history = run.call(fn, net, optim.SGD(lr=LEARNING_RATE), case["x_train"], case["t_train"], case["x_val"],
                       case["t_val"], ITERS, BATCH_SIZE, rng, may_change=(0, 1, 8))
    run.require(isinstance(history, dict), _("{name} should return the history dict, not a {type}.").format(
        name=fn.__name__, type=type(history).__name__))
    return {N_("the parameters after training"): {k: v.copy() for k, v in net.params.items()},
            N_("rng used"): rng.bit_generator.state != untouched,
            **{f"history[{k!r}]": history.get(k) for k in ("loss", "train_acc", "val_acc")}}


def _loop(draw=lambda rng: rng.choice(TRAIN_SIZE, BATCH_SIZE), update=True, loss_after=False, every=False,
          val_on_train=False):
    """The training loop of train.train and its typical mistakes."""
    def train_loop(net, optimizer, x_train, t_train, x_val, t_val, iters, batch_size, rng):
        history = {"loss": [], "train_acc": [], "val_acc": []}
        for i in range(1, iters + 1):
            idx = draw(rng)
            grads = net.gradient(x_train[idx], t_train[idx])
            if update:
                optimizer.update(net.params, grads)
            history["loss"].append(net.loss(x_train[idx], t_train[idx]) if loss_after else net.last_loss)
            if every or i % max(len(x_train) / batch_size, 1) == 0:
                history["train_acc"].append(net.accuracy(x_train, t_train))
                history["val_acc"].append(net.accuracy(*((x_train, t_train) if val_on_train else (x_val, t_val))))
        return history
    return train_loop


TRAINING_LOOP = Exercise(
    "training_loop", _loop(), _loop_cases, protocol=_loop_protocol, also_right=(_loop(loss_after=True),),
    praise=N_("{iters} losses, {epochs} train/validation accuracies, the same batches and parameters as the "
              "library's train.train recipe.", iters=ITERS, epochs=ITERS // 3),
    hint=N_("per iteration: one draw of batch indices from rng (as the exercise states), the gradient of that batch, "
         "one update by the optimiser, the batch loss; accuracies once per epoch."),
    mistakes=(
        Mistake("loop-rng", N_("the generator `rng` you were given was never used, so the batches cannot be "
                               "reproduced."),
                N_("draw each batch's indices with the rng handed to your function."),
                impl=_loop(draw=lambda rng: np.random.default_rng().choice(TRAIN_SIZE, BATCH_SIZE)),
                when=lambda case, got: not got["rng used"]),
        Mistake("loop-update", N_("after training the network's parameters are exactly where they started: nothing "
                "was updated."), N_("hand the gradients to the optimiser: it updates net.params in place."),
                impl=_loop(update=False)),
        Mistake("loop-acc-every", N_("the accuracies are measured at every iteration; measure them once per epoch."),
                N_("measure only when the iteration number is a multiple of the iterations per epoch."),
                impl=_loop(every=True)),
        Mistake("loop-val-is-train", N_("history['val_acc'] holds the accuracy on the TRAINING data."),
                N_("measure val_acc on the validation split."), impl=_loop(val_on_train=True)),
    ))

PARAM_COUNT = Exercise(
    "param_count", lambda i, h, o: float(i * h + h + h * o + o), lambda i, h, o: [{"i": i, "h": h, "o": o}],
    kind="value", tol=Tol(0, 0, N_("exact")), praise=N_("weights and biases of both Affine layers."),
    hint=N_("count weights (inputs x outputs) and biases (one per output) for both Affine layers."),
    mistakes=(Mistake("params-bias", N_("you counted the weights only; every unit also has a bias."),
                      impl=lambda i, h, o: i * h + h * o),))


# ----------------------------------------------------------------------- sanity check: gradient check on a few entries
GC_STEP = 1e-5


def _gc_net(seed):
    return nets.TwoLayerNet(input_size=6, hidden_size=5, output_size=4, weight_init_std=1.0, seed=seed,
                            dtype=np.float64)


def _gc_cases(rng):
    """A small float64 net, one of its parameters, and that parameter's backprop gradient with some entries wrong
    by 1% to 50% (a buggy backward pass), checked on 4 sampled entries."""
    cases = []
    for _case in range(3):
        seed, key = int(rng.integers(2**31)), str(rng.choice(["W1", "b1", "W2", "b2"]))
        x, t = rng.standard_normal((3, 6)), rng.integers(0, 4, 3)
        net = _gc_net(seed)
        grad = net.gradient(x, t)[key]
        wrong = rng.uniform(0.01, 0.5, grad.shape) * rng.choice([-1, 1], grad.shape) * (rng.random(grad.shape) < 0.5)
        indices = [tuple(int(rng.integers(n)) for n in grad.shape) for _ in range(4)]
        cases.append({"analytic": grad * (1 + wrong), "indices": indices, "_seed": seed, "_key": key, "_x": x,
                      "_t": t, "_label": N_("{key} {shape} of a 6-5-4 float64 net, indices {indices}", key=key,
                                            shape=grad.shape, indices=indices)})
    return cases


def _gc_protocol(run, fn, case):
    net = _gc_net(case["_seed"])
    param = net.params[case["_key"]]
    before = param.copy()
    errors = run.call(fn, lambda: net.loss(case["_x"], case["_t"]), param, case["analytic"], case["indices"], GC_STEP,
                      may_change=(1,))
    return {N_("the relative errors"): run.array(errors, N_("the relative errors"), (len(case["indices"]),)),
            N_("the largest change left in x"): float(np.abs(param - before).max())}


def _centred(f, x, i, old, h):
    x[i] = old + h
    plus = f()
    x[i] = old - h
    minus = f()
    return (plus - minus) / (2 * h)


def _one_sided(f, x, i, old, h):
    x[i] = old + h
    plus = f()
    x[i] = old
    return (plus - f()) / h


def _no_two(f, x, i, old, h):
    return 2 * _centred(f, x, i, old, h)


def _nudge_all(f, x, i, old, h):
    x += h
    plus = f()
    x -= 2 * h
    minus = f()
    x += h
    return (plus - minus) / (2 * h)


def _grad_check(derivative=_centred, error=lambda a, n: abs(a - n) / max(abs(a) + abs(n), 1e-12), restore=True):
    """The sampled gradient check and its typical mistakes."""
    def grad_check_entries(f, x, analytic, indices, h=GC_STEP):
        errors = []
        for i in indices:
            old = x[i].copy()
            numeric = derivative(f, x, i, old, h)
            if restore:
                x[i] = old
            errors.append(error(analytic[i], numeric))
        return np.array(errors)
    return grad_check_entries


GRAD_CHECK_ENTRIES = Exercise(
    "grad_check_entries", _grad_check(), _gc_cases, protocol=_gc_protocol,
    tol=Tol(1e-5, 1e-8, N_("central differences at the same points; one rounding of x[i] + h may differ")),
    praise=N_("central differences entry by entry, relative errors as gradcheck.rel_error defines them, x restored. "
           "A few sampled entries cost a few forward passes, not two per parameter."),
    hint=N_("for each index i: f() with x[i] + h, f() with x[i] - h, their difference over 2h; put x[i] back; then "
         "|a - n| / (|a| + |n|)."),
    mistakes=(
        Mistake("gc-not-restored", N_("x is not left as it was: after nudging x[i], put its old value back, or every "
                "later loss (and the network itself) is computed with a changed parameter."),
                N_("save x[i] before nudging it and assign it back after the second f()."),
                impl=_grad_check(restore=False)),
        Mistake("gc-forward", N_("your numerical derivative is one-sided, (f(x + h) - f(x)) / h: its error is of order "
                "h, too large for a 1e-7 check; use the centred difference."),
                N_("evaluate f at x[i] + h and at x[i] - h."),
                impl=_grad_check(derivative=_one_sided)),
        Mistake("gc-no-two", N_("your numerical derivatives are twice too large: (f(x + h) - f(x - h)) spans 2h, not "
                                "h."),
                N_("divide the difference by 2 * h."),
                impl=_grad_check(derivative=_no_two)),
        Mistake("gc-absolute", N_("these are absolute errors |a - n|; a relative error divides by |a| + |n|, so that "
                "the same threshold (1e-7) works for large and small gradients."),
                N_("divide |a - n| by |a| + |n| (at least 1e-12)."), impl=_grad_check(error=lambda a, n: abs(a - n))),
        Mistake("gc-denominator", N_("the relative errors are divided by the wrong size: the course's relative error "
                "(gradcheck.rel_error) divides |a - n| by |a| + |n|."),
                N_("divide by the sum |a| + |n|, not by one of them."),
                impl=_grad_check(error=lambda a, n: abs(a - n) / max(abs(n), 1e-12))),
        Mistake("gc-whole-x", N_("you nudged every entry of x at once: that measures the slope along all of x, not the "
                "partial derivative of entry x[i]."), N_("change only x[i] (one entry, by its index) before each f()."),
                impl=_grad_check(derivative=_nudge_all)),
    ))


# ---------------------------------------------------------------------------------- sanity check: the initial loss
def _initial_loss_reference(net, x, t):
    return float(net.loss(x, t)), float(np.log(net.params["b2"].size))


def _initial_loss_protocol(run, answer, case):
    run.require(isinstance(answer, (tuple, list)) and len(answer) == 2,
                _("hand in the pair (initial_loss, expected_loss), got {type} {answer}.").format(
                    type=type(answer).__name__, answer=f"{answer!r:.60}"))
    return {INITIAL: answer[0], EXPECTED: answer[1]}


INITIAL = N_("initial_loss (the fresh net's loss on the batch)")
EXPECTED = N_("expected_loss (the loss of a uniform guess)")


def _expected_is(value):
    """A predicate: the learner's expected_loss is ``value(number of classes)``."""
    return lambda case, got: abs(float(got[EXPECTED]) - value(case["net"].params["b2"].size)) < 1e-3


INITIAL_LOSS = Exercise(
    "initial_loss", _initial_loss_reference, lambda net, x, t: [{"net": net, "x": x, "t": t}], kind="value",
    protocol=_initial_loss_protocol, tol=Tol(0.0, 0.005, N_("the loss in float32; ln 10 written as 2.30 is fine")),
    praise=N_("a fresh net's loss is within a few thousandths of the loss of a uniform guess. A loss far from it "
           "(say 5, or 0.5) before any training means a bug or a bad initial scale."),
    hint=N_("a fresh net with tiny weights gives each of the 10 classes about the same probability p; the "
         "cross-entropy loss of the right class is then -log(p)."),
    mistakes=(
        Mistake("initial-loss-log10",
                N_("expected_loss uses log base 10; the cross-entropy uses the natural log (np.log)."),
                impl=lambda net, x, t: (float(net.loss(x, t)), float(np.log10(net.params["b2"].size))),
                when=_expected_is(np.log10)),
        Mistake("initial-loss-probability", N_("expected_loss is the probability of the right class; the loss is minus "
                "its natural log."), impl=lambda net, x, t: (float(net.loss(x, t)), 1 / net.params["b2"].size),
                when=_expected_is(lambda n: 1 / n)),
        Mistake("initial-loss-sign", N_("expected_loss is negative; a cross-entropy loss is never negative: -log(p) "
                "with p < 1."), impl=lambda net, x, t: (float(net.loss(x, t)), -float(np.log(net.params["b2"].size))),
                when=_expected_is(lambda n: -np.log(n))),
        Mistake("initial-loss-sum", N_("initial_loss is the sum over the batch; the loss (net.loss, and the expected "
                "value) is the mean over its examples."),
                impl=lambda net, x, t: (float(net.loss(x, t)) * len(x), float(np.log(net.params["b2"].size)))),
    ))


# ------------------------------------------------------------------------------ sanity check: overfit 20 images
OVERFIT_LOSS = 0.1   # the loss on the small set a net that fits it must get below


def _overfit_reference(x, t, iters=100, lr=0.5):
    net, opt = nets.TwoLayerNet(seed=0), optim.SGD(lr=lr)
    for _step in range(iters):
        opt.update(net.params, net.gradient(x, t))
    return net


def _overfit_protocol(run, net, case):
    run.require(callable(getattr(net, "accuracy", None)) and callable(getattr(net, "loss", None)),
                _("hand in the trained network (a nets.TwoLayerNet), not a {type}.").format(type=type(net).__name__))
    x, t = case["x"], case["t"]
    loss = float(run.call(net.loss, x, t, name="net.loss"))
    got = {N_("the training accuracy on the 20 images"): float(run.call(net.accuracy, x, t, name="net.accuracy")),
           N_("the loss on the 20 images is below {limit}", limit=OVERFIT_LOSS): loss < OVERFIT_LOSS}
    return {**got, "_loss": loss} if run.learner else got


OVERFIT_SMALL = Exercise(
    "overfit_small", _overfit_reference, lambda x, t: [{"x": x, "t": t}], kind="value", protocol=_overfit_protocol,
    tol=Tol(0.0, 0.0, N_("every one of the 20 images must be right")),
    praise=N_("100% on the 20 images and a loss below {limit}: the net, its gradient and the update can learn. A "
              "net that cannot do this has a bug; there is no point training it on 50,000 images.", limit=OVERFIT_LOSS),
    hint=N_("train on x_small, t_small only (batches of all 20), for a few hundred iterations, with SGD and a learning "
         "rate of about 0.1 to 0.5."),
    mistakes=(
        Mistake("overfit-untrained", N_("on these 20 images the loss is still near that of a fresh net: it was not "
                "trained on them. Train it on exactly x_small, t_small."),
                impl=lambda x, t: nets.TwoLayerNet(seed=1), when=lambda case, got: got["_loss"] > 2.0),
        Mistake("overfit-too-short", N_("the net has started to learn the 20 images but does not fit them yet "
                "(100% right and a loss below {limit} are wanted): train for more iterations or with a larger "
                "learning rate.", limit=OVERFIT_LOSS), impl=lambda x, t: _overfit_reference(x, t, iters=8),
                when=lambda case, got: got["_loss"] <= 2.0),
    ))

QUIZ = [
    Question(N_("With 50,000 training images and mini-batches of 100, how many iterations make one epoch?"),
             answer=500,
             why=N_("max(train_size / batch_size, 1) = 50,000 / 100 = 500.")),
    Question(N_("Why do we measure accuracy per epoch on a validation split rather than on the test set?"),
             answer=1,
             options=[N_("the test set is too small"),
                      N_("decisions taken by watching the test set (when to stop, which settings) leak it into the "
                      "model; the test set must stay unseen until the end"),
                      N_("the validation split has easier digits")],
             why=N_("the test set is used once, at the end, so its accuracy stays an honest estimate.")),
    Question(N_("Why is the training loss curve so noisy from one iteration to the next?"),
             answer=0,
             options=[N_("each iteration measures the loss on a different random mini-batch of 100"),
                      N_("the learning rate is too high"),
                      N_("backpropagation is inexact")],
             why=N_("each point is the loss of one small random batch; the per-epoch averages are smooth.")),
]
