"""A trainer for the NumPy networks: random mini-batches, a progress bar, and a recorded history."""

import sys
import time

import numpy as np

from .checks import flag, integer


def _bar(done, total, width=28):
    filled = int(width * done / total)
    return f"[{'=' * filled}{'.' * (width - filled)}] {done}/{total}"


def _check_args(net, optimizer, x_train, t_train, x_val, t_val, iters, batch_size, eval_size, seed, verbose, out):
    """Raise a ``ValueError``/``TypeError`` naming the first bad argument of ``train`` and what to do."""
    for name, attr in (("net", "gradient"), ("net", "accuracy"), ("net", "params"), ("optimizer", "update")):
        if not hasattr(net if name == "net" else optimizer, attr):
            raise TypeError(f"{name} has no `{attr}`: pass a network from course_lib.nets and an optimiser "
                            "from course_lib.optim (in that order).")
    for name, arr in (("x_train", x_train), ("t_train", t_train), ("x_val", x_val), ("t_val", t_val)):
        optional = name.endswith("_val")
        if not hasattr(arr, "__len__") and not (optional and arr is None):
            raise TypeError(f"{name} must be an array with one row per example, got {type(arr).__name__}.")
    if len(x_train) != len(t_train):
        raise ValueError(f"x_train has {len(x_train)} rows but t_train has {len(t_train)}: they must match.")
    if (x_val is None) != (t_val is None):
        raise ValueError("give both x_val and t_val, or neither.")
    if x_val is not None and len(x_val) != len(t_val):
        raise ValueError(f"x_val has {len(x_val)} rows but t_val has {len(t_val)}: they must match.")
    if x_val is not None and len(x_val) == 0:
        raise ValueError("x_val is empty: pass a validation split with at least one example, or leave it out.")
    integer("iters", iters, 1)
    integer("batch_size", batch_size, 1)
    if batch_size > len(x_train):
        raise ValueError(f"batch_size {batch_size} is larger than the training set ({len(x_train)}): "
                         "use a smaller batch_size.")
    if eval_size is not None:
        integer("eval_size", eval_size, 1)
    integer("seed", seed, 0)
    flag("verbose", verbose)
    if out is not None and not hasattr(out, "write"):
        raise TypeError(f"out must be a text stream with write() (e.g. sys.stdout or io.StringIO()), got "
                        f"{type(out).__name__}.")


def train(net, optimizer, x_train, t_train, x_val=None, t_val=None, iters=10_000, batch_size=100,
          eval_size=None, seed=0, verbose=True, out=None):
    """Train ``net`` with ``optimizer`` on mini-batches drawn at random (as in the book's recipe).

    One epoch is ``max(train_size / batch_size, 1)`` iterations; after each epoch
    (and at the end) the train and validation accuracy are measured, on the first
    ``eval_size`` examples of each set when given. Returns a history dict:
    ``loss`` (one value per iteration), ``epoch``/``train_acc``/``val_acc`` (one
    per evaluation) and ``seconds`` (training time without evaluations).
    """
    _check_args(net, optimizer, x_train, t_train, x_val, t_val, iters, batch_size, eval_size, seed, verbose, out)
    out = out or sys.stdout
    rng = np.random.default_rng(seed)
    iter_per_epoch = max(len(x_train) // batch_size, 1)
    history = {"loss": [], "epoch": [], "train_acc": [], "val_acc": [], "seconds": 0.0,
               "iter_per_epoch": iter_per_epoch}
    n_eval = eval_size or len(x_train)

    def evaluate(i):
        history["epoch"].append(i / iter_per_epoch)
        history["train_acc"].append(net.accuracy(x_train[:n_eval], t_train[:n_eval]))
        if x_val is not None:
            history["val_acc"].append(net.accuracy(x_val[:n_eval], t_val[:n_eval]))
        if verbose:
            val = f"  val acc {history['val_acc'][-1]:.4f}" if x_val is not None else ""
            out.write(f"\repoch {i / iter_per_epoch:5.1f}  loss {np.mean(history['loss'][-iter_per_epoch:]):.4f}"
                      f"  train acc {history['train_acc'][-1]:.4f}{val}   \n")

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
