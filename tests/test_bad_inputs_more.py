"""More bad inputs to functions, layers, optimisers, networks, the trainer and gradcheck (table-driven).

Each must give a clear error naming the argument, never a bare NumPy error deep inside or a silent wrong result.
NaN inputs to forward passes are NOT errors: they propagate (notebook 05 shows a run that overflows to NaN).
"""

import io

import numpy as np
import pytest

from course_lib import functions, gradcheck, layers, nets, optim, train

F64 = np.float64


def _sgd_step(params, grads, opt=None):
    (opt or optim.SGD(lr=0.1)).update(params, grads)
    return params


def _backward(layer, x, dout, t=None):
    layer.forward(x) if t is None else layer.forward(x, t)
    return layer.backward(dout)


def _small_net():
    return nets.TwoLayerNet(4, 3, 2, seed=1)


X4 = np.random.default_rng(0).random((6, 4)).astype(np.float32)
T4 = np.array([0, 1, 0, 1, 1, 0])

BAD = [
    # (description, call, error, fragment of the message)
    # functions: non-numbers were turned into NaN without a word
    ("softmax None", lambda: functions.softmax(None), TypeError, "x must hold numbers, got NoneType"),
    ("relu None", lambda: functions.relu(None), TypeError, "x must hold numbers"),
    ("sigmoid text", lambda: functions.sigmoid(["a"]), TypeError, "x must hold numbers, got list"),
    ("softmax objects", lambda: functions.softmax(np.array([1.0, None])), TypeError, "dtype object"),
    ("cross-entropy empty batch", lambda: functions.cross_entropy_error(np.ones((0, 3)), np.zeros(0, int)),
     ValueError, "at least one example and one class"),
    ("cross-entropy no classes", lambda: functions.cross_entropy_error(np.ones(0), []), ValueError,
     "at least one example"),
    ("softmax of a scalar", lambda: functions.softmax(3.0), ValueError, r"softmax needs scores along the last axis"),
    ("softmax of no classes", lambda: functions.softmax(np.ones((2, 0))), ValueError, r"C >= 1, got shape \(2, 0\)"),
    ("cross-entropy of scores", lambda: functions.cross_entropy_error(np.array([[2.0, -1.0]]), [0]), ValueError,
     r"y must be probabilities in \[0, 1\].*not the scores"),
    ("cross-entropy of negative values", lambda: functions.cross_entropy_error(np.array([[-0.1, 1.1]]), [1]),
     ValueError, "y must be probabilities"),
    ("one-hot with halves", lambda: functions.cross_entropy_error(np.ones((2, 3)) / 3, np.full((2, 3), 0.5)),
     ValueError, r"one-hot targets must hold a single 1 per row and 0 elsewhere; row 0 is \[0.5, 0.5, 0.5\]"),
    ("one-hot with two ones", lambda: functions.as_labels(np.array([[1, 0], [1, 1]]), 2, 2), ValueError,
     r"row 1 is \[1, 1\]"),
    ("one-hot NaN", lambda: layers.SoftmaxWithLoss().forward(np.zeros((1, 2)), np.array([[np.nan, 1.0]])), ValueError,
     "one-hot targets must hold a single 1"),
    ("numerical_gradient f not callable", lambda: functions.numerical_gradient(3, np.ones(2)), TypeError,
     "f must be a function of no arguments"),
    ("numerical_gradient f returns an array", lambda: functions.numerical_gradient(lambda: np.ones(2), np.ones(2)),
     ValueError, r"f must return one number \(the scalar loss\), got shape \(2,\)"),
    # layers
    ("Relu None", lambda: layers.Relu().forward(None), TypeError, "Relu input x must hold numbers"),
    ("Relu text", lambda: layers.Relu().forward(["a"]), TypeError, "Relu input x must hold numbers"),
    ("Affine text", lambda: layers.Affine(np.ones((2, 2)), np.ones(2)).forward(np.full((1, 2), "a")), TypeError,
     "Affine input x must hold numbers"),
    ("Flatten None", lambda: layers.Flatten().forward(None), TypeError, "Flatten input x must hold numbers"),
    ("MaxPool2D text", lambda: layers.MaxPool2D().forward(np.full((1, 1, 2, 2), "a")), TypeError,
     "MaxPool2D input x must hold numbers"),
    ("Conv2D None", lambda: layers.Conv2D(np.ones((1, 1, 2, 2)), np.ones(1)).forward(None), TypeError,
     "Conv2D input x must hold numbers"),
    ("BatchNorm text", lambda: layers.BatchNorm(np.ones(2), np.zeros(2)).forward([["a", "b"]]), TypeError,
     "BatchNorm input x must hold numbers"),
    ("BatchNorm momentum text", lambda: layers.BatchNorm(np.ones(2), np.zeros(2), momentum="0.9"), TypeError,
     "BatchNorm momentum must be a number, got str"),
    ("BatchNorm eps None", lambda: layers.BatchNorm(np.ones(2), np.zeros(2), eps=None), TypeError,
     "BatchNorm eps must be a number"),
    ("Dropout integer input (train)", lambda: layers.Dropout(0.3).forward(np.ones(3, int), train=True), TypeError,
     "Dropout input x must be a float array"),
    ("Dropout integer input (original form)", lambda: layers.Dropout(0.5, inverted=False).forward(np.ones(3, int)),
     TypeError, "x.astype"),
    ("SoftmaxWithLoss empty batch", lambda: layers.SoftmaxWithLoss().forward(np.ones((0, 3)), np.zeros(0, int)),
     ValueError, "at least one example and one class"),
    ("SoftmaxWithLoss text", lambda: layers.SoftmaxWithLoss().forward([["a"]], [0]), TypeError,
     "SoftmaxWithLoss scores x must hold numbers"),
    ("im2col None", lambda: layers.im2col(None, 2, 2), TypeError, "im2col input x must hold numbers"),
    # backward: before forward, or with a dout of another shape (was an AttributeError or a matmul error)
    ("Relu backward first", lambda: layers.Relu().backward(np.ones(2)), RuntimeError,
     "Relu.backward was called before forward: call forward"),
    ("Affine backward first", lambda: layers.Affine(np.ones((2, 3)), np.ones(3)).backward(np.ones((1, 3))),
     RuntimeError, "Affine.backward was called before forward"),
    ("SoftmaxWithLoss backward first", lambda: layers.SoftmaxWithLoss().backward(), RuntimeError,
     "SoftmaxWithLoss.backward was called before forward"),
    ("Conv2D backward first", lambda: layers.Conv2D(np.ones((1, 1, 2, 2)), np.ones(1)).backward(np.ones((1, 1, 1, 1))),
     RuntimeError, "Conv2D.backward was called before forward"),
    ("Affine dout shape", lambda: _backward(layers.Affine(np.ones((2, 2)), np.ones(2)), np.ones((3, 2)),
                                            np.ones((2, 2))), ValueError,
     r"Affine.backward expects dout shaped like the last forward's output \(3, 2\), got \(2, 2\)"),
    ("Relu dout shape", lambda: _backward(layers.Relu(), np.ones((2, 3)), np.ones(3)), ValueError,
     r"Relu.backward expects dout shaped like the last forward's output \(2, 3\)"),
    ("Sigmoid dout text", lambda: _backward(layers.Sigmoid(), np.ones(2), ["a", "b"]), TypeError,
     "Sigmoid dout must hold numbers"),
    ("Dropout dout shape at inference", lambda: _backward(layers.Dropout(0.5), np.ones((2, 2)), np.ones(3)),
     ValueError, r"Dropout.backward expects dout .* \(2, 2\)"),
    ("BatchNorm dout shape", lambda: _backward(layers.BatchNorm(np.ones(2), np.zeros(2)), np.ones((3, 2)),
                                               np.ones((2, 2))), ValueError, "BatchNorm.backward expects dout"),
    ("Conv2D dout shape", lambda: _backward(layers.Conv2D(np.ones((2, 1, 2, 2)), np.ones(2)), np.ones((1, 1, 3, 3)),
                                            np.ones((1, 1, 2, 2))), ValueError,
     r"Conv2D.backward expects dout shaped like the last forward's output \(1, 2, 2, 2\)"),
    ("MaxPool2D dout shape", lambda: _backward(layers.MaxPool2D(), np.ones((1, 1, 4, 4)), np.ones((1, 1, 4, 4))),
     ValueError, r"MaxPool2D.backward expects dout .* \(1, 1, 2, 2\)"),
    ("Flatten dout shape", lambda: _backward(layers.Flatten(), np.ones((2, 3, 4)), np.ones((2, 3, 4))), ValueError,
     r"Flatten.backward expects dout .* \(2, 12\)"),
    ("SoftmaxWithLoss dout array", lambda: _backward(layers.SoftmaxWithLoss(), np.ones((2, 3)), np.ones((2, 3)),
                                                     t=[0, 1]), ValueError, "takes one number dout"),
    # optimisers
    ("Adam on integer weights", lambda: _sgd_step({"W": np.ones(2, int)}, {"W": np.ones(2)}, optim.Adam()),
     TypeError, r"params\['W'\] must be a float NumPy array.*dtype int"),
    ("SGD on integer weights", lambda: _sgd_step({"W": np.ones(2, int)}, {"W": np.ones(2)}), TypeError,
     "must be a float NumPy array"),
    ("SGD on a Python float", lambda: _sgd_step({"w": 1.0}, {"w": 1.0}), TypeError,
     r"params\['w'\] must be a float NumPy array that the update changes in place, got float"),
    ("descent_path start NaN", lambda: optim.descent_path(optim.SGD(), optim.valley_grad, (np.nan, 1), 2),
     ValueError, r"start must be a point \(x, y\)"),
    ("descent_path start None", lambda: optim.descent_path(optim.SGD(), optim.valley_grad, None, 2), ValueError,
     "start must be a point"),
    ("descent_path start text", lambda: optim.descent_path(optim.SGD(), optim.valley_grad, ("1", 2), 2), ValueError,
     "start must be a point"),
    ("descent_path optimizer None", lambda: optim.descent_path(None, optim.valley_grad, (1, 1), 2), TypeError,
     "optimizer must have an update"),
    ("descent_path optimizer class", lambda: optim.descent_path(optim.SGD, optim.valley_grad, (1, 1), 2), TypeError,
     "optimizer must have an update"),
    ("descent_path grad_fn None", lambda: optim.descent_path(optim.SGD(), None, (1, 1), 2), TypeError,
     "grad_fn must be a function"),
    # networks
    ("accuracy of nothing", lambda: _small_net().accuracy(np.zeros((0, 4)), np.zeros(0, int)), ValueError,
     "TwoLayerNet input x must hold at least one example, got shape"),
    ("loss of nothing", lambda: _small_net().loss(np.zeros((0, 4)), np.zeros(0, int)), ValueError,
     "at least one example"),
    ("gradient of nothing", lambda: _small_net().gradient(np.zeros((0, 4)), np.zeros(0, int)), ValueError,
     "at least one example"),
    ("predict text", lambda: _small_net().predict(np.full((1, 4), "a")), TypeError,
     "TwoLayerNet input x must hold numbers"),
    ("predict None", lambda: _small_net().predict(None), TypeError, "TwoLayerNet input x must hold numbers"),
    ("seed -1", lambda: nets.TwoLayerNet(seed=-1), ValueError, "TwoLayerNet: seed must be at least 0"),
    ("seed float", lambda: nets.MultiLayerNet(seed=1.5), TypeError, "MultiLayerNet: seed must be a whole number"),
    ("seed text", lambda: nets.SimpleConvNet(seed="0"), TypeError, "SimpleConvNet: seed must be a whole number"),
    ("DeepConvNet seed -2", lambda: nets.DeepConvNet(seed=-2), ValueError, "DeepConvNet: seed must be at least 0"),
    ("init_std inf", lambda: nets.init_std(float("inf"), 3), ValueError, "must be a positive number"),
    ("weight_init_std inf", lambda: nets.TwoLayerNet(weight_init_std=float("inf")), ValueError, "positive number"),
    # trainer
    ("train x None", lambda: train.train(_small_net(), optim.SGD(), None, T4, iters=1, batch_size=2), TypeError,
     "x_train must be an array with one row per example, got NoneType"),
    ("train t_val number", lambda: train.train(_small_net(), optim.SGD(), X4, T4, X4, 3, iters=1, batch_size=2),
     TypeError, "t_val must be an array"),
    ("save into a folder", lambda: _small_net().save(__import__("tempfile").gettempdir()), ValueError,
     "path must be a file, not a folder, got the folder .*Pass a file path inside it"),
    ("load None", lambda: _small_net().load(None), TypeError, "path must be a file path"),
    ("train empty validation", lambda: train.train(_small_net(), optim.SGD(), X4, T4, X4[:0], T4[:0], iters=1,
                                                   batch_size=2, verbose=False), ValueError, "x_val is empty"),
    ("train verbose text", lambda: train.train(_small_net(), optim.SGD(), X4, T4, iters=1, batch_size=2,
                                               verbose="no"), TypeError, "verbose must be True or False"),
    ("train out number", lambda: train.train(_small_net(), optim.SGD(), X4, T4, iters=1, batch_size=2, out=3),
     TypeError, "out must be a text stream with write()"),
    ("train labels out of range", lambda: train.train(_small_net(), optim.SGD(), X4, T4 + 1, iters=1, batch_size=6,
                                                      verbose=False), ValueError, r"labels must lie in 0..1"),
    # gradcheck
    ("rel_error text", lambda: gradcheck.rel_error("a", "b"), TypeError, "a must hold gradient values"),
    ("rel_error floor 0", lambda: gradcheck.rel_error(0.0, 0.0, floor=0), ValueError,
     r"floor must be a finite number in \(0, inf\)"),
    ("check_layer of a name", lambda: gradcheck.check_layer("relu", np.ones((2, 2))), TypeError,
     "layer must follow the layer contract"),
    ("check_layer NaN x", lambda: gradcheck.check_layer(layers.Relu(), np.full((2, 2), np.nan)), ValueError,
     "x must be a non-empty array of finite numbers.*NaN"),
    ("check_layer empty x", lambda: gradcheck.check_layer(layers.Relu(), np.ones((0, 2))), ValueError,
     r"x must be a non-empty array.*shape \(0, 2\)"),
    ("check_layer text x", lambda: gradcheck.check_layer(layers.Relu(), [["a"]]), TypeError, "x must hold numbers"),
    ("check_layer seed -1", lambda: gradcheck.check_layer(layers.Relu(), np.ones((2, 2)), seed=-1), ValueError,
     "seed must be at least 0, got -1"),
    ("check_net of a name", lambda: gradcheck.check_net("net", np.ones((2, 2)), [0, 1]), TypeError,
     "net must be a network from course_lib.nets"),
    # check_net took NaN inputs and returned NaN errors (which compare as neither small nor large)
    ("check_net NaN x", lambda: gradcheck.check_net(nets.TwoLayerNet(4, 3, 2, dtype=F64), np.full((2, 4), np.nan),
                                                    [0, 1]), ValueError,
     r"x must be a non-empty array of finite numbers \(the point to check the gradient at\), got shape \(2, 4\) "
     "with NaN or infinite values."),
    ("check_net empty x", lambda: gradcheck.check_net(nets.TwoLayerNet(4, 3, 2, dtype=F64), np.ones((0, 4)), []),
     ValueError, r"x must be a non-empty array .*got shape \(0, 4\)\.$"),
]


@pytest.mark.parametrize("call, error, fragment", [row[1:] for row in BAD], ids=[row[0] for row in BAD])
def test_bad_input_gives_a_clear_error(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


def test_a_failed_update_changes_no_parameter():
    params = {"a": np.ones(2), "b": np.ones(2, int)}
    with pytest.raises(TypeError, match=r"params\['b'\]"):
        optim.Adam().update(params, {"a": np.ones(2), "b": np.ones(2)})
    np.testing.assert_array_equal(params["a"], [1.0, 1.0])   # checked before anything moves


GOOD = [
    # valid edge cases that must keep working exactly as before
    ("softmax of ints and bools", lambda: functions.softmax([0, 0]).tolist() == [0.5, 0.5]
     and functions.relu(np.array([True, False])).dtype == np.float32),
    ("NaN propagates through a forward pass", lambda: np.isnan(_small_net().predict(np.full((1, 4), np.nan))).all()),
    ("NaN propagates through softmax", lambda: np.isnan(functions.softmax([np.nan, 1.0])).all()),
    ("Dropout on float16", lambda: layers.Dropout(0.5, seed=0).forward(np.ones(4, np.float16), train=True).dtype
     == np.float16),
    ("Relu keeps integers", lambda: layers.Relu().forward(np.array([-1, 2])).tolist() == [0, 2]),
    ("seed None is a fresh start", lambda: nets.TwoLayerNet(4, 3, 2, seed=None).count_params() == 23),
    ("numpy seed", lambda: np.array_equal(nets.TwoLayerNet(4, 3, 2, seed=np.int64(5)).params["W1"],
                                          nets.TwoLayerNet(4, 3, 2, seed=5).params["W1"])),
    ("0-d float parameters", lambda: optim.descent_path(optim.Adam(lr=0.1), optim.valley_grad, (1, 1), 3).shape
     == (4, 2)),
    ("numerical_gradient of a 0-d result", lambda: np.allclose(
        functions.numerical_gradient(lambda: np.float64(3.0), np.ones(2)), 0)),
    ("train with a stream", lambda: train.train(_small_net(), optim.SGD(), X4, T4, X4, T4, iters=2, batch_size=3,
                                                out=io.StringIO())["val_acc"] != []),
    ("BatchNorm numpy momentum", lambda: layers.BatchNorm(np.ones(2), np.zeros(2), momentum=np.float32(0.5),
                                                          eps=1).momentum == 0.5),
    ("cross-entropy of probabilities rounded above 1", lambda: functions.cross_entropy_error(
        np.array([[1.0000001, 0.0]], np.float32), [0]) < 1e-6),
    ("cross-entropy of NaN propagates", lambda: np.isnan(functions.cross_entropy_error(np.array([[np.nan, 1.0]]),
                                                                                       [0]))),
    ("integer one-hot targets", lambda: functions.as_labels(np.eye(3, dtype=int)[[2, 0]], 2, 3).tolist() == [2, 0]),
    ("softmax of an empty batch", lambda: functions.softmax(np.ones((0, 3))).shape == (0, 3)),
    ("gradcheck on a list", lambda: gradcheck.check_layer(layers.Relu(), [[0.5, -0.5]])["x"] < 1e-7),
]


@pytest.mark.parametrize("call", [row[1] for row in GOOD], ids=[row[0] for row in GOOD])
def test_valid_edge_cases_still_work(call):
    assert call()
