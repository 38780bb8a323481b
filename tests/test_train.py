"""train: the minibatch training loop."""


from course_lib import data, nets, optim, train


def test_train_records_history_and_learns():
    (x, t), (xt, tt) = data.load_mnist()
    x, t = data.subset(x, t, 2000)
    net = nets.TwoLayerNet(seed=0)
    h = train.train(net, optim.SGD(0.1), x, t, xt[:500], tt[:500], iters=200, batch_size=100, verbose=False)
    assert len(h["loss"]) == 200 and h["iter_per_epoch"] == 20 and len(h["train_acc"]) == 10
    assert h["loss"][-1] < h["loss"][0] and h["test_acc"][-1] > 0.75
