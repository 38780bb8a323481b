"""train.train(checkpoint=...): a run killed part-way resumes to the very weights of a run that never stopped."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from course_lib import nets, optim, train

ITERS, BATCH, PER_EPOCH = 50, 20, 10      # 200 examples: 10 iterations per epoch, 5 epochs
CRASH_AT = 27                              # a gradient call in epoch 3, after the checkpoints of epochs 1 and 2


def problem():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 12)).astype(np.float32)
    return x, (x[:, :4].argmax(axis=1) + (x[:, 4] > 1)) % 4


def run(checkpoint=None, crash_at=None, lr=0.01):
    """Dropout, batch norm and Adam: every kind of state a resumed run must get back. Returns (net, history, calls)."""
    x, t = problem()
    net = nets.MultiLayerNet(input_size=12, hidden_sizes=(16, 16), output_size=4, dropout=0.3, seed=1,
                             use_batchnorm=True)
    gradient, calls = net.gradient, []

    def counted(xb, tb):
        calls.append(1)
        if len(calls) == crash_at:
            os._exit(3)                      # the kernel dies: no clean-up, no finally blocks
        return gradient(xb, tb)

    net.gradient = counted
    history = train.train(net, optim.Adam(lr=lr), x, t, x[:60], t[:60], iters=ITERS, batch_size=BATCH, seed=2,
                          verbose=False, checkpoint=checkpoint)
    return net, history, len(calls)


def crash(checkpoint):
    """Run the training in a child process that dies at gradient call CRASH_AT."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}
    code = f"import test_train_resume as m; m.run({str(checkpoint)!r}, crash_at={CRASH_AT})"
    return subprocess.run([sys.executable, "-c", code], env=env, timeout=120, capture_output=True, text=True)


def test_a_killed_run_resumes_to_the_same_weights_and_history(tmp_path):
    checkpoint = tmp_path / "run.npz"
    child = crash(checkpoint)
    assert child.returncode == 3, child.stderr
    _, meta = train.load_checkpoint(checkpoint)
    assert meta["iteration"] == 2 * PER_EPOCH           # the last epoch completed before the crash
    assert [p.name for p in tmp_path.iterdir()] == ["run.npz"]   # no temporary file left behind

    resumed, h_resumed, calls = run(checkpoint)
    assert calls == ITERS - 2 * PER_EPOCH                # only the missing iterations ran
    straight, h_straight, _ = run()
    for key in straight.params:
        np.testing.assert_array_equal(resumed.params[key], straight.params[key], err_msg=key)
    for key in straight.state:                           # batch-norm running statistics
        np.testing.assert_array_equal(resumed.state[key], straight.state[key], err_msg=key)
    for key in ("loss", "epoch", "train_acc", "val_acc"):
        assert h_resumed[key] == h_straight[key], key
    assert len(h_resumed["loss"]) == ITERS and h_resumed["epoch"] == [1.0, 2.0, 3.0, 4.0, 5.0]


def test_a_finished_checkpoint_returns_its_history_without_training(tmp_path):
    checkpoint = tmp_path / "run.npz"
    net, history, calls = run(checkpoint)
    again, history_again, calls_again = run(checkpoint)
    assert calls == ITERS and calls_again == 0
    assert history_again["val_acc"] == history["val_acc"]
    np.testing.assert_array_equal(again.params["W3"], net.params["W3"])


def test_a_checkpoint_of_other_settings_is_refused_by_name(tmp_path):
    checkpoint = tmp_path / "run.npz"
    run(checkpoint)
    with pytest.raises(ValueError, match=r"another run.*'hyper'.*0\.01.*0\.02"):
        run(checkpoint, lr=0.02)


def test_an_unreadable_checkpoint_is_a_clear_error(tmp_path):
    checkpoint = tmp_path / "run.npz"
    checkpoint.write_bytes(b"PK\x03\x04 not a whole archive")
    with pytest.raises(ValueError, match="cannot read the checkpoint .*run.npz.*delete it"):
        run(checkpoint)
    with pytest.raises(ValueError, match="checkpoint must be the path of a .npz file"):
        train.train(nets.TwoLayerNet(), optim.SGD(), *problem(), checkpoint=tmp_path / "run.pkl")


def test_a_failed_write_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    checkpoint = tmp_path / "run.npz"
    train.save_checkpoint(checkpoint, {"w": np.arange(3.0)}, {"iteration": 1})
    before = checkpoint.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(train.json, "dumps", broken)
    with pytest.raises(OSError, match="disk full"):
        train.save_checkpoint(checkpoint, {"w": np.arange(5.0)}, {"iteration": 2})
    assert checkpoint.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["run.npz"]
    arrays, meta = train.load_checkpoint(checkpoint)
    np.testing.assert_array_equal(arrays["w"], np.arange(3.0))
    assert meta == {"iteration": 1}
    assert zipfile.ZipFile(checkpoint).namelist() == ["w.npy", "meta.json"]   # plain arrays and JSON, no pickle
