"""A trainer for the NumPy networks: random mini-batches, a progress bar, a recorded history, and a checkpoint
per epoch to resume from after the kernel died.

A checkpoint is one ``.npz`` file (a zip archive, written atomically): the network's parameters and state
(``net.W1``, ...), the optimiser's per-parameter arrays (``opt.m.W1``, ...) and ``meta.json``, the rest as JSON:
the iteration reached, the history, the optimiser's step count, the states of the random generators (mini-batch
draws and dropout masks) and the run's settings. Nothing is pickled.
"""

import json
import numbers
import os
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

from .checks import flag, integer
from .i18n import _
from .files import atomic_write


def _bar(done, total, width=28):
    filled = int(width * done / total)
    return f"[{'=' * filled}{'.' * (width - filled)}] {done}/{total}"


def _check_args(net, optimizer, x_train, t_train, x_val, t_val, iters, batch_size, eval_size, seed, verbose, out,
                checkpoint):
    """Raise a ``ValueError``/``TypeError`` naming the first bad argument of ``train`` and what to do."""
    for name, attr in (("net", "gradient"), ("net", "accuracy"), ("net", "params"), ("optimizer", "update")):
        if not hasattr(net if name == "net" else optimizer, attr):
            raise TypeError(_("{name} has no `{attr}`: pass a network from course_lib.nets and an optimiser from "
                              "course_lib.optim (in that order).").format(name=name, attr=attr))
    for name, arr in (("x_train", x_train), ("t_train", t_train), ("x_val", x_val), ("t_val", t_val)):
        optional = name.endswith("_val")
        if not hasattr(arr, "__len__") and not (optional and arr is None):
            raise TypeError(_("{name} must be an array with one row per example, got {type}.").format(
                name=name, type=type(arr).__name__))
    if len(x_train) != len(t_train):
        raise ValueError(_("x_train has {n_x_train} rows but t_train has {n_t_train}: they must match.").format(
            n_x_train=len(x_train), n_t_train=len(t_train)))
    if (x_val is None) != (t_val is None):
        raise ValueError(_("give both x_val and t_val, or neither."))
    if x_val is not None and len(x_val) != len(t_val):
        raise ValueError(_("x_val has {n_x_val} rows but t_val has {n_t_val}: they must match.").format(
            n_x_val=len(x_val), n_t_val=len(t_val)))
    if x_val is not None and len(x_val) == 0:
        raise ValueError(_("x_val is empty: pass a validation split with at least one example, or leave it out."))
    integer("iters", iters, 1)
    integer("batch_size", batch_size, 1)
    if batch_size > len(x_train):
        raise ValueError(_("batch_size {batch_size} is larger than the training set ({n_x_train}): use a smaller "
                           "batch_size.").format(batch_size=batch_size, n_x_train=len(x_train)))
    if eval_size is not None:
        integer("eval_size", eval_size, 1)
    integer("seed", seed, 0)
    flag("verbose", verbose)
    if out is not None and not hasattr(out, "write"):
        raise TypeError(_("out must be a text stream with write() (e.g. sys.stdout or io.StringIO()), got "
                          "{type}.").format(type=type(out).__name__))
    if checkpoint is not None and (not isinstance(checkpoint, (str, os.PathLike)) or Path(checkpoint).suffix != ".npz"
                                   or Path(checkpoint).is_dir()):
        raise ValueError(_("checkpoint must be the path of a .npz file (e.g. 'models/run.npz'), got "
                           "{checkpoint}.").format(checkpoint=repr(checkpoint)))


def _generators(net, rng):
    """The random generators a run draws from, by name: the mini-batch draws and each dropout layer's masks."""
    gens = {"batches": rng}
    gens.update({f"layer.{name}": layer.rng for name, layer in getattr(net, "layers", {}).items()
                 if isinstance(getattr(layer, "rng", None), np.random.Generator)})
    return gens


def _optimizer_state(optimizer):
    """An optimiser's state: its per-parameter dicts of arrays (``m``, ``v``, ``h``, ...) and its step count ``t``."""
    arrays = {f"opt.{attr}.{k}": np.asarray(v) for attr, d in vars(optimizer).items() if isinstance(d, dict)
              for k, v in d.items()}
    return arrays, {attr: v for attr, v in vars(optimizer).items() if attr == "t"}


def _settings(net, optimizer, n_train, iters, batch_size, eval_size, seed):
    """What must not change between a run and its resumption: checked when a checkpoint is loaded."""
    hyper = {k: v for k, v in vars(optimizer).items()
             if isinstance(v, numbers.Real) and not isinstance(v, bool) and k != "t"}
    return {"net": type(net).__name__, "optimizer": type(optimizer).__name__, "hyper": hyper, "train_size": n_train,
            "iters": iters, "batch_size": batch_size, "eval_size": eval_size, "seed": seed}


def _net_arrays(net):
    """The network's parameters and state (batch-norm running statistics) by checkpoint name: ``net.W1``, ..."""
    return {f"net.{k}": v for k, v in {**net.params, **getattr(net, "state", {})}.items()}


def save_checkpoint(path, arrays, meta):
    """Write ``arrays`` (name -> array) and ``meta`` (JSON) to one .npz file atomically: a temporary file in the same
    folder, renamed over ``path`` only when complete, so a crash leaves the previous checkpoint intact."""
    with atomic_write(path) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        for name, value in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asarray(value), allow_pickle=False)
        archive.writestr("meta.json", json.dumps(meta, default=lambda v: v.item()))   # NumPy scalars


def load_checkpoint(path):
    """``(arrays, meta)`` from a checkpoint written by ``save_checkpoint``; a clear error if it cannot be read."""
    try:
        with zipfile.ZipFile(path) as archive:
            meta = json.loads(archive.read("meta.json"))
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files if k != "meta.json"}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as e:
        raise ValueError(_("cannot read the checkpoint {path} ({error}): delete it to train from the start.").format(
            path=path, error=e)) from e
    return arrays, meta


def _restore(path, net, optimizer, gens, settings):
    """Put the state saved in the checkpoint ``path`` back into net, optimizer and generators; returns its meta."""
    arrays, meta = load_checkpoint(path)
    if meta.get("settings") != settings:
        diff = {k: (meta.get("settings", {}).get(k), v) for k, v in settings.items()
                if meta.get("settings", {}).get(k) != v}
        raise ValueError(_("the checkpoint {path} belongs to another run (saved vs now: {diff}): delete it, or pass "
                           "another checkpoint path, to train with these settings.").format(path=path, diff=diff))
    target = _net_arrays(net)
    for key, value in target.items():
        if key not in arrays or arrays[key].shape != value.shape:
            raise ValueError(_("the checkpoint {path} does not fit this network ({key}): delete it or pass another "
                               "path.").format(path=path, key=key))
    for key, value in target.items():
        value[...] = arrays[key]
    for attr, d in vars(optimizer).items():
        if isinstance(d, dict):
            d.clear()
            prefix = f"opt.{attr}."
            d.update({k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)})
    for attr, value in meta["optimizer"].items():
        setattr(optimizer, attr, value)
    for name, gen in gens.items():
        gen.bit_generator.state = meta["generators"][name]
    return meta


def train(net, optimizer, x_train, t_train, x_val=None, t_val=None, iters=10_000, batch_size=100,
          eval_size=None, seed=0, verbose=True, out=None, checkpoint=None):
    """Train ``net`` with ``optimizer`` on mini-batches drawn at random (as in the book's recipe).

    One epoch is ``max(train_size / batch_size, 1)`` iterations; after each epoch
    (and at the end) the train and validation accuracy are measured, on the first
    ``eval_size`` examples of each set when given. Returns a history dict:
    ``loss`` (one value per iteration), ``epoch``/``train_acc``/``val_acc`` (one
    per evaluation) and ``seconds`` (training time without evaluations).

    checkpoint: path of a ``.npz`` file, or None. After every evaluation the whole training state is saved there;
    if the file exists when ``train`` starts (the kernel died mid-run), training resumes from it and ends with the
    same weights and history as a run that never stopped. The checkpoint must come from the same settings.
    """
    _check_args(net, optimizer, x_train, t_train, x_val, t_val, iters, batch_size, eval_size, seed, verbose, out,
                checkpoint)
    out = out or sys.stdout
    rng = np.random.default_rng(seed)
    iter_per_epoch = max(len(x_train) // batch_size, 1)
    history = {"loss": [], "epoch": [], "train_acc": [], "val_acc": [], "seconds": 0.0,
               "iter_per_epoch": iter_per_epoch}
    gens = _generators(net, rng)
    settings = _settings(net, optimizer, len(x_train), iters, batch_size, eval_size, seed)
    done = 0
    if checkpoint is not None and Path(checkpoint).is_file():
        meta = _restore(checkpoint, net, optimizer, gens, settings)
        done, history = meta["iteration"], meta["history"]
        if verbose:
            out.write(f"resuming from {checkpoint}: iteration {done} of {iters} (epoch {done / iter_per_epoch:.1f})\n")

    def save(i):
        arrays, opt_meta = _optimizer_state(optimizer)
        arrays.update(_net_arrays(net))
        save_checkpoint(checkpoint, arrays, {
            "iteration": i, "history": history, "optimizer": opt_meta, "settings": settings,
            "generators": {name: gen.bit_generator.state for name, gen in gens.items()}})
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

    for i in range(done + 1, iters + 1):
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
            if checkpoint is not None:
                save(i)
    return history
