"""Exercise checkers of notebook 04: the learner writes the minibatch training loop; a parameter count."""

import numpy as np

from .. import nets, optim
from ._legacy import NOT_ANSWERED, Feedback, Question, changed_inputs, check_number, unanswered, wrong

__all__ = ["check_training_loop", "check_param_count"]

# The tiny problem the loop is run on: 60 training examples, batches of 10 (6 iterations per epoch), 4 epochs.
TRAIN_SIZE, VAL_SIZE, BATCH_SIZE, ITERS, LEARNING_RATE = 60, 30, 10, 24, 0.5


def _problem(rng):
    """A small learnable 3-class problem: 4 features, labels = argmax of a fixed linear map."""
    w_true = rng.standard_normal((4, 3))
    x = rng.standard_normal((TRAIN_SIZE + VAL_SIZE, 4))
    t = (x @ w_true).argmax(axis=1)
    return x[:TRAIN_SIZE], t[:TRAIN_SIZE], x[TRAIN_SIZE:], t[TRAIN_SIZE:]


def _net(seed):
    return nets.TwoLayerNet(input_size=4, hidden_size=8, output_size=3, weight_init_std=0.5, seed=seed,
                            dtype=np.float64)


def reference_loop(net, optimizer, x_train, t_train, x_val, t_val, iters, batch_size, rng):
    """The loop the learner writes, with the semantics of ``train.train``: one batch from ``rng`` per iteration,
    gradient, update, the batch loss every iteration, train and validation accuracy once per epoch."""
    train_size = len(x_train)
    iter_per_epoch = max(train_size / batch_size, 1)
    history = {"loss": [], "train_acc": [], "val_acc": []}
    for i in range(1, iters + 1):
        idx = rng.choice(train_size, batch_size)
        grads = net.gradient(x_train[idx], t_train[idx])
        optimizer.update(net.params, grads)
        history["loss"].append(net.last_loss)
        if i % iter_per_epoch == 0:
            history["train_acc"].append(net.accuracy(x_train, t_train))
            history["val_acc"].append(net.accuracy(x_val, t_val))
    return history


def _lists(history, key):
    value = history.get(key) if isinstance(history, dict) else None
    if value is None:
        return None
    try:
        return [float(v) for v in value]
    except (TypeError, ValueError):
        return None


def check_training_loop(fn):
    """``fn(net, optimizer, x_train, t_train, x_val, t_val, iters, batch_size, rng)`` -> history dict with
    ``loss`` (one per iteration), ``train_acc`` and ``val_acc`` (one per epoch); batches drawn with
    the given ``rng``; parameters updated by the optimiser once per iteration."""
    if unanswered(fn):
        return NOT_ANSWERED
    data_rng = np.random.default_rng()
    x_tr, t_tr, x_val, t_val = _problem(data_rng)
    net_seed, batch_seed = (int(s) for s in data_rng.integers(0, 2**31, 2))
    keep = {"x_train": x_tr.copy(), "t_train": t_tr.copy(), "x_val": x_val.copy(), "t_val": t_val.copy()}

    net = _net(net_seed)
    start = {k: p.copy() for k, p in net.params.items()}
    rng = np.random.default_rng(batch_seed)
    untouched_rng = np.random.default_rng(batch_seed).bit_generator.state
    try:
        with np.errstate(all="ignore"):
            history = fn(net, optim.SGD(lr=LEARNING_RATE), x_tr, t_tr, x_val, t_val, ITERS, BATCH_SIZE, rng)
    except Exception as exc:  # the learner's code may raise anything
        return Feedback(False, f"{getattr(fn, '__name__', 'your loop')} raised {type(exc).__name__}: {exc}")
    moved = all(np.array_equal(start[k], p) for k, p in net.params.items())
    if history is None:
        return Feedback(False, "your function returns None: return the history dict.")
    if not isinstance(history, dict):
        return Feedback(False, f"return the history dict, not a {type(history).__name__}.")
    losses, train_acc, val_acc = (_lists(history, k) for k in ("loss", "train_acc", "val_acc"))
    if moved and not losses and not train_acc and not val_acc:
        return NOT_ANSWERED  # the skeleton's loop body is still `...`
    bad_input = changed_inputs(keep, {"x_train": x_tr, "t_train": t_tr, "x_val": x_val, "t_val": t_val})
    if bad_input:
        return wrong("loop-inputs", f"your loop changed {bad_input} in place; training must leave the data alone.")
    if moved:
        return wrong("loop-update", "after training the network's parameters are exactly where they started: "
                     "nothing was updated.",
                     "hand the gradients to the optimiser: it updates net.params in place.")
    if rng.bit_generator.state == untouched_rng:
        return wrong("loop-rng", "the generator `rng` you were given was never used, so the batches cannot be "
                     "reproduced (np.random.choice or a fixed slice ignores it).",
                     "draw each batch's indices with rng.choice(train_size, batch_size).")
    if losses is None:
        return Feedback(False, "history['loss'] is missing or is not a list of numbers.")
    epochs = int(ITERS // max(TRAIN_SIZE / BATCH_SIZE, 1))
    if len(losses) != ITERS:
        return wrong("loop-loss-count", f"history['loss'] has {len(losses)} values for {ITERS} iterations; "
                     "record the batch loss once per iteration.")
    for key, values in (("train_acc", train_acc), ("val_acc", val_acc)):
        if values is None:
            return Feedback(False, f"history['{key}'] is missing or is not a list of numbers.")
        if len(values) == ITERS:
            return wrong("loop-acc-every", f"history['{key}'] has a value for every iteration; measure accuracy "
                         f"once per epoch ({epochs} epochs here).",
                         "measure only when i is a multiple of iter_per_epoch.")
        if len(values) != epochs:
            return wrong("loop-acc-count", f"history['{key}'] has {len(values)} values, expected one per epoch: "
                         f"{epochs} ({ITERS} iterations of batches of {BATCH_SIZE} from {TRAIN_SIZE} examples).",
                         "iter_per_epoch = max(train_size / batch_size, 1); measure when i % iter_per_epoch == 0.")

    ref_net = _net(net_seed)
    ref = reference_loop(ref_net, optim.SGD(lr=LEARNING_RATE), keep["x_train"], keep["t_train"], keep["x_val"],
                         keep["t_val"], ITERS, BATCH_SIZE, np.random.default_rng(batch_seed))
    if not all(np.allclose(net.params[k], ref_net.params[k], rtol=1e-7, atol=1e-10) for k in net.params):
        return wrong("loop-batches", "after training your parameters differ from the reference loop's: the "
                     "batches or the updates are not the same.",
                     "per iteration: one draw of batch indices from rng (as the exercise states), the gradient of "
                     "that batch, one update by the optimiser.")
    # the batch loss before the update (net.last_loss) or recomputed after it (as the book does) are both fine
    after = []
    check_net, check_rng = _net(net_seed), np.random.default_rng(batch_seed)
    check_opt = optim.SGD(lr=LEARNING_RATE)
    for _ in range(ITERS):
        idx = check_rng.choice(TRAIN_SIZE, BATCH_SIZE)
        check_opt.update(check_net.params, check_net.gradient(keep["x_train"][idx], keep["t_train"][idx]))
        after.append(check_net.loss(keep["x_train"][idx], keep["t_train"][idx]))
    if not (np.allclose(losses, ref["loss"]) or np.allclose(losses, after)):
        return wrong("loop-loss-values", "history['loss'] does not hold the loss of each mini-batch.",
                     "net.gradient keeps the batch loss in net.last_loss.")
    if np.allclose(val_acc, ref["train_acc"]) and not np.allclose(ref["train_acc"], ref["val_acc"]):
        return wrong("loop-val-is-train", "history['val_acc'] holds the accuracy on the TRAINING data.",
                     "measure val_acc on x_val, t_val.")
    if not np.allclose(train_acc, ref["train_acc"]):
        return wrong("loop-train-acc", "history['train_acc'] differs from the accuracy on the whole training set "
                     "after each epoch.", "net.accuracy(x_train, t_train) once per epoch.")
    if not np.allclose(val_acc, ref["val_acc"]):
        return wrong("loop-val-acc", "history['val_acc'] differs from the accuracy on the validation set after "
                     "each epoch.", "net.accuracy(x_val, t_val) once per epoch.")
    if not np.mean(losses[-6:]) < np.mean(losses[:6]):
        return Feedback(False, "the loss did not go down on an easy problem: check the update.")
    return Feedback(True, f"{ITERS} losses, {epochs} train/validation accuracies, the same batches and parameters "
                          "as the library's train.train recipe, and the loss went down.")


def check_param_count(answer, input_size, hidden_size, output_size):
    """Number of parameters of a two-layer net."""
    expected = input_size * hidden_size + hidden_size + hidden_size * output_size + output_size
    if not unanswered(answer) and answer == input_size * hidden_size + hidden_size * output_size:
        return wrong("params-bias", "you counted the weights only; every unit also has a bias.")
    return check_number(answer, expected, f"the parameter count of a {input_size}-{hidden_size}-{output_size} net",
                        "Count weights (inputs x outputs) and biases (one per output) for both Affine layers.")


QUIZ = [
    Question("With 50,000 training images and mini-batches of 100, how many iterations make one epoch?",
             answer=500,
             why="max(train_size / batch_size, 1) = 50,000 / 100 = 500."),
    Question("Why do we measure accuracy per epoch on a validation split rather than on the test set?",
             answer=1,
             options=["the test set is too small",
                      "decisions taken by watching the test set (when to stop, which settings) leak it into the "
                      "model; the test set must stay unseen until the end",
                      "the validation split has easier digits"],
             why="the test set is used once, at the end, so its accuracy stays an honest estimate."),
    Question("Why is the training loss curve so noisy from one iteration to the next?",
             answer=0,
             options=["each iteration measures the loss on a different random mini-batch of 100",
                      "the learning rate is too high",
                      "backpropagation is inexact"],
             why="each point is the loss of one small random batch; the per-epoch averages are smooth."),
]
