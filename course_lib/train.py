"""A trainer for the NumPy networks: random mini-batches, a progress bar, and a recorded history."""

import sys
import time

import numpy as np


def _bar(done, total, width=28):
    filled = int(width * done / total)
    return f"[{'=' * filled}{'.' * (width - filled)}] {done}/{total}"


def train(net, optimizer, x_train, t_train, x_test=None, t_test=None, iters=10_000, batch_size=100,
          eval_size=None, seed=0, verbose=True, out=None):
    """Train ``net`` with ``optimizer`` on mini-batches drawn at random (as in the book's recipe).

    One epoch is ``max(train_size / batch_size, 1)`` iterations; after each epoch
    (and at the end) the train and test accuracy are measured, on the first
    ``eval_size`` examples of each set when given. Returns a history dict:
    ``loss`` (one value per iteration), ``epoch``/``train_acc``/``test_acc`` (one
    per evaluation) and ``seconds`` (training time without evaluations).
    """
    if len(x_train) != len(t_train):
        raise ValueError(f"x_train has {len(x_train)} rows but t_train has {len(t_train)}.")
    if batch_size > len(x_train):
        raise ValueError(f"batch_size {batch_size} is larger than the training set ({len(x_train)}).")
    out = out or sys.stdout
    rng = np.random.default_rng(seed)
    iter_per_epoch = max(len(x_train) // batch_size, 1)
    history = {"loss": [], "epoch": [], "train_acc": [], "test_acc": [], "seconds": 0.0,
               "iter_per_epoch": iter_per_epoch}
    n_eval = eval_size or len(x_train)

    def evaluate(i):
        history["epoch"].append(i / iter_per_epoch)
        history["train_acc"].append(net.accuracy(x_train[:n_eval], t_train[:n_eval]))
        if x_test is not None:
            history["test_acc"].append(net.accuracy(x_test[:n_eval], t_test[:n_eval]))
        if verbose:
            test = f"  test acc {history['test_acc'][-1]:.4f}" if x_test is not None else ""
            out.write(f"\repoch {i / iter_per_epoch:5.1f}  loss {np.mean(history['loss'][-iter_per_epoch:]):.4f}"
                      f"  train acc {history['train_acc'][-1]:.4f}{test}   \n")

    for i in range(1, iters + 1):
        start = time.perf_counter()
        idx = rng.choice(len(x_train), batch_size)
        grads = net.gradient(x_train[idx], t_train[idx])
        optimizer.update(net.params, grads)
        history["seconds"] += time.perf_counter() - start
        history["loss"].append(net.last_loss)
        if verbose and (i % max(iters // 40, 1) == 0):
            out.write("\r" + _bar(i, iters) + f"  loss {history['loss'][-1]:.4f}")
            out.flush()
        if i % iter_per_epoch == 0 or i == iters:
            evaluate(i)
    return history
