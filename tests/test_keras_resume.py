"""kerastools.fit_resumable: a Keras fit killed part-way resumes, in a new process, to the weights of a fit that
never stopped (dropout, shuffling, Adam's state and the best-epoch checkpoint included)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

kt = pytest.importorskip("course_lib.kerastools")

EPOCHS, CRASH_EPOCH = 5, 3      # the child dies in the middle of epoch 3 (0-based), after epochs 0-2 were saved


def run(directory, out, crash_epoch=None):
    """Train a tiny dropout network in this process; write its final weights and history to ``out`` (.npz)."""
    import keras

    class Crash(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if self.epoch == crash_epoch and batch == 2:
                os._exit(3)                  # the kernel dies: nothing is saved or cleaned up

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

    rng = np.random.default_rng(0)
    x = rng.random((96, 6)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 1).astype(np.int64) + (x[:, 2] > 0.5)
    kt.set_seed(0)
    model = kt.compile_classifier(keras.Sequential(
        [keras.Input((6,)), keras.layers.Dense(16, activation="relu", name="d1"),
         keras.layers.Dropout(0.4, name="drop"),
         keras.layers.Dense(3, activation="softmax", name="d2")], name="tiny"), learning_rate=0.01)
    best = kt.BestCheckpoint(Path(directory).parent / "best.keras")
    history = kt.fit_resumable(model, x, y, epochs=EPOCHS, directory=directory, batch_size=10, seed=1,
                               validation_data=(x[:30], y[:30]), callbacks=[best, Crash()])
    np.savez(out, *model.get_weights(), best_epoch=best.best_epoch,
             history=json.dumps(history.history), epochs=history.epoch)


def child(tmp_path, name, crash_epoch=None):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]),
           "TF_CPP_MIN_LOG_LEVEL": "2"}
    code = (f"import test_keras_resume as m; m.run({str(tmp_path / name / 'state')!r}, "
            f"{str(tmp_path / name / 'out.npz')!r}, {crash_epoch})")
    (tmp_path / name).mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-c", code], env=env, timeout=300, capture_output=True, text=True)


@pytest.mark.slow   # Keras training in a subprocess that is killed and resumed
def test_a_killed_keras_fit_resumes_to_the_same_weights(tmp_path):
    crashed = child(tmp_path, "resumed", crash_epoch=CRASH_EPOCH)
    assert crashed.returncode == 3, crashed.stderr[-2000:]
    state = json.loads((tmp_path / "resumed" / "state" / "state.json").read_text())
    assert state["epoch"] == CRASH_EPOCH and len(state["history"]["loss"]) == CRASH_EPOCH
    assert sorted(p.name for p in (tmp_path / "resumed" / "state").iterdir()) == [f"epoch-{CRASH_EPOCH}.weights.h5",
                                                                                  "state.json"]
    for name in ("resumed", "straight"):             # a new process resumes; another one never stops
        proc = child(tmp_path, name)
        assert proc.returncode == 0, proc.stderr[-2000:]
    resumed, straight = (np.load(tmp_path / n / "out.npz") for n in ("resumed", "straight"))
    weights = [k for k in straight.files if k.startswith("arr_")]
    assert len(weights) == 4
    for key in weights:
        np.testing.assert_allclose(resumed[key], straight[key], rtol=1e-6, atol=1e-7, err_msg=key)
    h_resumed, h_straight = json.loads(str(resumed["history"])), json.loads(str(straight["history"]))
    assert len(h_resumed["loss"]) == EPOCHS and list(resumed["epochs"]) == list(range(EPOCHS))
    for key in h_straight:
        np.testing.assert_allclose(h_resumed[key], h_straight[key], rtol=1e-5, err_msg=key)
    assert int(resumed["best_epoch"]) == int(straight["best_epoch"])


def test_shuffled_batches_depend_on_seed_and_epoch_only():
    x, y = np.arange(10)[:, None], np.arange(10)
    whole, tail = kt.ShuffledBatches(x, y, 4, seed=2, epochs=3), kt.ShuffledBatches(x, y, 4, seed=2, first_epoch=1,
                                                                                      epochs=3)
    assert whole.per_epoch == 3 and len(whole) == 9 and len(tail) == 6
    assert [len(whole[i][1]) for i in range(3)] == [4, 4, 2]
    epochs = [np.concatenate([whole[3 * e + b][1] for b in range(3)]) for e in range(3)]
    assert all(sorted(e) == list(range(10)) for e in epochs) and not np.array_equal(epochs[0], epochs[1])
    np.testing.assert_array_equal(np.concatenate([tail[b][1] for b in range(3)]), epochs[1])
    np.testing.assert_array_equal(whole[4][0][:, 0], whole[4][1])          # x and y rows stay paired
    with pytest.raises(ValueError, match="x has 10 rows but y has 9"):
        kt.ShuffledBatches(x, y[:9], 4)
