"""Exercises of notebook 04: the minibatch training loop; the parameter count of a two-layer net."""

import numpy as np

from .. import nets, optim
from .core import Question
from .engine import Exercise, Mistake, Tol

# The tiny problem the loop is run on: 30 training examples, batches of 10 (3 iterations per epoch), 4 epochs.
TRAIN_SIZE, VAL_SIZE, BATCH_SIZE, ITERS, LEARNING_RATE = 30, 20, 10, 12, 0.5


def _loop_cases(rng):
    cases = []
    for _ in range(2):   # a small learnable 3-class problem: labels = argmax of a random linear map
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
    run.require(isinstance(history, dict), f"{fn.__name__} should return the history dict, not a "
                                           f"{type(history).__name__}.")
    return {"the parameters after training": {k: v.copy() for k, v in net.params.items()},
            "rng used": rng.bit_generator.state != untouched,
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
    praise=f"{ITERS} losses, {ITERS // 3} train/validation accuracies, the same batches and parameters as the "
           "library's train.train recipe.",
    hint="per iteration: one draw of batch indices from rng (as the exercise states), the gradient of that batch, "
         "one update by the optimiser, the batch loss; accuracies once per epoch.",
    mistakes=(
        Mistake("loop-rng", "the generator `rng` you were given was never used, so the batches cannot be reproduced.",
                "draw each batch's indices with the rng handed to your function.",
                impl=_loop(draw=lambda rng: np.random.default_rng().choice(TRAIN_SIZE, BATCH_SIZE)),
                when=lambda case, got: not got["rng used"]),
        Mistake("loop-update", "after training the network's parameters are exactly where they started: nothing "
                "was updated.", "hand the gradients to the optimiser: it updates net.params in place.",
                impl=_loop(update=False)),
        Mistake("loop-acc-every", "the accuracies are measured at every iteration; measure them once per epoch.",
                "measure only when the iteration number is a multiple of the iterations per epoch.",
                impl=_loop(every=True)),
        Mistake("loop-val-is-train", "history['val_acc'] holds the accuracy on the TRAINING data.",
                "measure val_acc on the validation split.", impl=_loop(val_on_train=True)),
    ))

PARAM_COUNT = Exercise(
    "param_count", lambda i, h, o: float(i * h + h + h * o + o), lambda i, h, o: [{"i": i, "h": h, "o": o}],
    kind="value", tol=Tol(0, 0, "exact"), praise="weights and biases of both Affine layers.",
    hint="count weights (inputs x outputs) and biases (one per output) for both Affine layers.",
    mistakes=(Mistake("params-bias", "you counted the weights only; every unit also has a bias.",
                      impl=lambda i, h, o: i * h + h * o),))

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
