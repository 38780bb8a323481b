"""train: the minibatch training loop."""

import pytest

from course_lib import data, nets, optim, train


@pytest.mark.slow
def test_train_records_history_and_learns():
    (x, t), (xt, tt) = data.load_mnist()
    x, t = data.subset(x, t, 2000)
    net = nets.TwoLayerNet(seed=0)
    h = train.train(net, optim.SGD(0.1), x, t, xt[:500], tt[:500], iters=200, batch_size=100, verbose=False)
    assert len(h["loss"]) == 200 and h["iter_per_epoch"] == 20 and len(h["train_acc"]) == 10
    assert h["loss"][-1] < h["loss"][0] and h["val_acc"][-1] > 0.75


import io  # noqa: E402

import numpy as np  # noqa: E402


class Recorder:
    """A stand-in network: one weight per class, loss = mean of the batch's inputs; records every call."""

    def __init__(self):
        self.params = {"w": np.zeros(3)}
        self.batches, self.evals = [], []

    def gradient(self, x, t):
        self.batches.append(x.copy())
        self.last_loss = float(x.mean())
        return {"w": np.full(3, float(x.mean()))}

    def accuracy(self, x, t):
        self.evals.append(len(x))
        return float(len(x)) / 1000


def _toy(n=50, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, 2)), rng.integers(0, 3, n)


def test_seeded_training_is_reproducible_and_seeds_differ():
    (x, t), _ = data.load_mnist()
    x, t = data.subset(x, t, 400)

    def run(seed):
        net = nets.TwoLayerNet(hidden_size=10, seed=0)
        h = train.train(net, optim.SGD(0.1), x, t, iters=30, batch_size=20, seed=seed, verbose=False)
        return h, net.params

    (h1, p1), (h2, p2), (h3, _) = run(3), run(3), run(4)
    assert h1["loss"] == h2["loss"] and h1["train_acc"] == h2["train_acc"]
    for k in p1:
        np.testing.assert_array_equal(p1[k], p2[k])
    assert h1["loss"] != h3["loss"]  # another seed draws other mini-batches


def test_batches_epochs_evaluations_and_updates():
    x, t = _toy(50)
    net = Recorder()
    h = train.train(net, optim.SGD(0.5), x, t, x[:30], t[:30], iters=12, batch_size=10, eval_size=7,
                    seed=1, verbose=False)
    assert h["iter_per_epoch"] == 5
    assert h["epoch"] == [1.0, 2.0, 12 / 5]  # after each epoch and at the end
    assert len(h["loss"]) == 12 and len(net.batches) == 12 and all(len(b) == 10 for b in net.batches)
    assert h["train_acc"] == [0.007] * 3 and h["val_acc"] == [0.007] * 3  # first eval_size rows of each set
    assert net.evals == [7] * 6
    # batches drawn with np.random.default_rng(seed).choice(n, batch_size), one draw per iteration
    rng = np.random.default_rng(1)
    for b in net.batches:
        np.testing.assert_array_equal(b, x[rng.choice(50, 10)])
    assert h["seconds"] > 0


def test_history_loss_is_the_nets_last_loss_and_params_follow_the_optimizer():
    x, t = _toy(40)
    net = Recorder()
    h = train.train(net, optim.SGD(0.5), x, t, iters=4, batch_size=40, seed=0, verbose=False)
    means = [float(b.mean()) for b in net.batches]
    assert h["loss"] == means  # one entry per iteration: the net's last_loss after its gradient
    np.testing.assert_allclose(net.params["w"], -0.5 * sum(means))  # one SGD step per iteration
    assert h["val_acc"] == [] and h["epoch"] == [1.0, 2.0, 3.0, 4.0]
    assert net.evals == [40] * 4  # without eval_size, the whole training set


def test_verbose_prints_one_line_per_epoch_and_a_bar():
    x, t = _toy(40)
    out = io.StringIO()
    train.train(Recorder(), optim.SGD(0.1), x, t, x, t, iters=8, batch_size=10, seed=0, out=out)
    text = out.getvalue()
    assert text.count("\n") == 2 and text.count("epoch ") == 2
    assert "epoch   1.0" in text and "epoch   2.0" in text
    assert "val acc 0.0400" in text and "train acc 0.0400" in text
    assert "8/8" in text and "[" + "=" * 28 + "]" in text
    quiet = io.StringIO()
    train.train(Recorder(), optim.SGD(0.1), x, t, iters=8, batch_size=10, seed=0, verbose=False, out=quiet)
    assert quiet.getvalue() == ""


def test_progress_bar_fills_in_proportion():
    assert train._bar(0, 4, width=8) == "[........] 0/4"
    assert train._bar(2, 4, width=8) == "[====....] 2/4"
    assert train._bar(4, 4, width=8) == "[========] 4/4"


X, T = _toy(20)
BAD = [
    (dict(t_train=T[:19]), ValueError, "x_train has 20 rows but t_train has 19"),
    (dict(batch_size=21), ValueError, "batch_size 21 is larger than the training set (20)"),
    (dict(batch_size=0), ValueError, "batch_size must be at least 1, got 0."),
    (dict(batch_size=2.5), TypeError, "batch_size must be a whole number, got float 2.5."),
    (dict(iters=0), ValueError, "iters must be at least 1, got 0."),
    (dict(iters=True), TypeError, "iters must be a whole number, got bool True."),
    (dict(eval_size=-1), ValueError, "eval_size must be at least 1, got -1."),
    (dict(seed=-1), ValueError, "seed must be at least 0, got -1."),
    (dict(seed="a"), TypeError, "seed must be a whole number, got str 'a'."),
    (dict(x_val=X), ValueError, "both x_val and t_val"),
    (dict(x_val=X, t_val=T[:3]), ValueError, "x_val has 20 rows but t_val has 3"),
    (dict(net=optim.SGD()), TypeError, "net has no `gradient`"),
    (dict(optimizer=Recorder()), TypeError, "optimizer has no `update`"),
]


@pytest.mark.parametrize("change, error, fragment", BAD)
def test_bad_inputs_raise_clear_errors(change, error, fragment):
    args = dict(net=Recorder(), optimizer=optim.SGD(), x_train=X, t_train=T, iters=3, batch_size=5, verbose=False)
    args.update(change)
    with pytest.raises(error) as info:
        train.train(**args)
    assert fragment in str(info.value)
