"""Bad inputs to layers, nets and gradcheck: each gives a clear error naming the argument (table-driven)."""

import warnings

import numpy as np
import pytest

from course_lib import gradcheck, layers, nets

F32 = np.float32


def conv(**kw):
    return layers.Conv2D(np.zeros((2, 3, 3, 3)), np.zeros(2), **kw)


BAD = [
    # (description, call, exception, phrase the message must contain)
    ("Affine W/b mismatch", lambda: layers.Affine(np.zeros((4, 3)), np.zeros(4)), ValueError, r"b \(M,\)"),
    ("Affine W not 2-D", lambda: layers.Affine(np.zeros(4), np.zeros(4)), ValueError, r"W \(D, M\)"),
    ("Affine integer W", lambda: layers.Affine(np.zeros((4, 3), int), np.zeros(3)), TypeError, "W must be a float"),
    ("Affine 1-D input", lambda: layers.Affine(np.zeros((4, 3)), np.zeros(3)).forward(np.zeros(4)), ValueError,
     r"\(N, D\)"),
    ("Dropout p=1", lambda: layers.Dropout(1.0), ValueError, r"\[0, 1\)"),
    ("Dropout p<0", lambda: layers.Dropout(-0.1), ValueError, "probability"),
    ("Dropout p text", lambda: layers.Dropout("0.5"), TypeError, "Dropout probability p must be a number, got str"),
    ("Conv2D stride 0", lambda: conv(stride=0), ValueError, "stride must be at least 1"),
    ("Conv2D negative pad", lambda: conv(pad=-1), ValueError, "pad must be at least 0"),
    ("Conv2D float stride", lambda: conv(stride=1.5), TypeError, "stride must be a whole number"),
    ("Conv2D W/b mismatch", lambda: layers.Conv2D(np.zeros((2, 3, 3, 3)), np.zeros(3)), ValueError, r"b \(FN,\)"),
    ("Conv2D integer W", lambda: layers.Conv2D(np.zeros((2, 3, 3, 3), int), np.zeros(2)), TypeError, "W must"),
    ("Conv2D wrong rank", lambda: conv().forward(np.zeros((3, 5, 5))), ValueError, r"\(N, 3, H, W\)"),
    ("Conv2D wrong channels", lambda: conv().forward(np.zeros((1, 1, 5, 5))), ValueError, r"\(N, 3, H, W\)"),
    ("Conv2D kernel > padded input", lambda: conv(pad=0).forward(np.zeros((1, 3, 2, 2))), ValueError, "does not fit"),
    ("MaxPool2D stride 0", lambda: layers.MaxPool2D(2, 2, stride=0), ValueError, "stride must be at least 1"),
    ("MaxPool2D pool 0", lambda: layers.MaxPool2D(0, 2), ValueError, "pool_h must be at least 1"),
    ("MaxPool2D negative pad", lambda: layers.MaxPool2D(2, 2, pad=-1), ValueError, "pad must be at least 0"),
    ("MaxPool2D pad = pool", lambda: layers.MaxPool2D(2, 2, pad=2), ValueError, "padding only"),
    ("MaxPool2D wrong rank", lambda: layers.MaxPool2D().forward(np.zeros((2, 4, 4))), ValueError, r"\(N, C, H, W\)"),
    ("MaxPool2D window > input", lambda: layers.MaxPool2D(3, 3).forward(np.zeros((1, 1, 2, 2))), ValueError,
     "does not fit"),
    ("Flatten 1-D", lambda: layers.Flatten().forward(np.zeros(3)), ValueError, r"\(N, d1"),
    ("conv_output_size stride 0", lambda: layers.conv_output_size(5, 3, 0), ValueError, "stride must be at least 1"),
    ("conv_output_size float", lambda: layers.conv_output_size(5.0, 3), TypeError, "size must be a whole number"),
    ("im2col 3-D", lambda: layers.im2col(np.zeros((3, 5, 5)), 2, 2), ValueError, r"\(N, C, H, W\)"),
    ("SoftmaxWithLoss 1-D", lambda: layers.SoftmaxWithLoss().forward(np.zeros(3), np.array([1])), ValueError,
     r"\(N, C\)"),
    ("BatchNorm wrong width", lambda: layers.BatchNorm(np.ones(3), np.zeros(3)).forward(np.zeros((2, 4))),
     ValueError, r"\(N, 3\)"),
    ("TwoLayerNet hidden 0", lambda: nets.TwoLayerNet(hidden_size=0), ValueError, "hidden_size must be at least 1"),
    ("TwoLayerNet negative std", lambda: nets.TwoLayerNet(weight_init_std=-0.1), ValueError, "positive number"),
    ("MultiLayerNet int hidden", lambda: nets.MultiLayerNet(hidden_sizes=100), TypeError, "sequence"),
    ("MultiLayerNet float size", lambda: nets.MultiLayerNet(hidden_sizes=(10.5,)), TypeError, "hidden_sizes"),
    ("MultiLayerNet activation", lambda: nets.MultiLayerNet(activation="tanh"), ValueError, "'relu' or 'sigmoid'"),
    ("MultiLayerNet dropout 1", lambda: nets.MultiLayerNet(dropout=1), ValueError, "probability"),
    ("net integer dtype", lambda: nets.TwoLayerNet(dtype=np.int32), TypeError, "float type"),
    ("net bad dtype", lambda: nets.TwoLayerNet(dtype="banana"), TypeError, "dtype"),
    ("SimpleConvNet filter 29", lambda: nets.SimpleConvNet(filter_size=29), ValueError, "at most 27"),
    ("DeepConvNet output 0", lambda: nets.DeepConvNet(output_size=0), ValueError, "output_size"),
    ("init_std lecun", lambda: nets.init_std("lecun", 10), ValueError, "'xavier' or 'he'"),
    ("init_std fan_in 0", lambda: nets.init_std("he", 0), ValueError, "fan_in"),
    ("accuracy batch 0", lambda: nets.TwoLayerNet(10, 3, 2).accuracy(np.zeros((2, 10)), [0, 1], batch_size=0),
     ValueError, "batch_size"),
    ("predict wrong shape", lambda: nets.TwoLayerNet().predict(np.zeros((2, 100))), ValueError, r"\(N, 784\)"),
    ("loss size mismatch", lambda: nets.TwoLayerNet().loss(np.zeros((2, 784)), np.array([1, 2, 3])), ValueError,
     "batch size mismatch"),
    ("rel_error shapes", lambda: gradcheck.rel_error(np.zeros(2), np.zeros(3)), ValueError, "shapes"),
    ("check_layer step 0", lambda: gradcheck.check_layer(layers.Relu(), np.ones((2, 2)), h=0), ValueError, "step h"),
    ("check_layer float32", lambda: gradcheck.check_layer(layers.Affine(np.zeros((2, 2), F32), np.zeros(2, F32)),
                                                          np.ones((2, 2))), ValueError, "float64"),
    ("check_net float32", lambda: gradcheck.check_net(nets.TwoLayerNet(4, 3, 2), np.ones((2, 4)), [0, 1]),
     ValueError, "float64"),
]


@pytest.mark.parametrize("call, error, phrase", [row[1:] for row in BAD], ids=[row[0] for row in BAD])
def test_bad_input_gives_a_clear_error(call, error, phrase):
    with pytest.raises(error, match=phrase):
        call()


@pytest.mark.parametrize("x", [np.full((2, 784), 255, np.uint8), np.full((2, 784), 200.0, F32),
                               np.full((2, 784), 1, np.uint8)])
def test_predict_rejects_0_255_pixels(x):
    net = nets.TwoLayerNet()
    with pytest.raises(ValueError, match=r"look like raw 0-255 pixels|the raw 0-255 pixels. Scale them first: "
                                         r"x.astype\(np.float32\) / 255"):
        net.predict(x)


def test_predict_on_0_1_pixels_is_silent():
    net = nets.TwoLayerNet()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net.predict(np.random.default_rng(0).random((3, 784), dtype=F32))
        net.accuracy(np.random.default_rng(1).random((3, 784), dtype=F32), [1, 2, 3])


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "integers"])
def test_load_of_a_damaged_file_names_it_and_leaves_the_net_unchanged(tmp_path, damage):
    a, b = nets.TwoLayerNet(seed=1), nets.TwoLayerNet(seed=2)
    path = a.save(tmp_path / "two.npz")
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"not a zip file at all" * 10)
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        np.savez(path, **{k: np.zeros(v.shape, np.int64) for k, v in a.params.items()})
    before = {k: v.copy() for k, v in b.params.items()}
    with pytest.raises(ValueError, match="two.npz"):
        b.load(path)
    for k, v in b.params.items():
        np.testing.assert_array_equal(v, before[k])


def test_save_is_atomic_when_writing_fails_midway(tmp_path, monkeypatch):
    a, b = nets.TwoLayerNet(seed=1), nets.TwoLayerNet(seed=2)
    path = a.save(tmp_path / "two.npz")
    good = path.read_bytes()

    def crash(f, **arrays):
        f.write(b"PK\x03\x04 half a file")
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(OSError, match="simulated"):
        b.save(path)
    monkeypatch.undo()
    assert path.read_bytes() == good   # the old file is intact
    assert [p.name for p in tmp_path.iterdir()] == ["two.npz"]   # and no temporary file is left
    c = nets.TwoLayerNet(seed=3).load(path)
    np.testing.assert_array_equal(c.params["W1"], a.params["W1"])


BAD_BOUNDARIES = [
    ("Conv2D stride True", lambda: conv(stride=True), TypeError, "whole number"),
    ("MaxPool2D pad = smaller pool side", lambda: layers.MaxPool2D(2, 3, pad=2), ValueError, "padding only"),
    ("MaxPool2D pad with pool width 1", lambda: layers.MaxPool2D(3, 1, pad=1), ValueError, "padding only"),
    ("MaxPool2D float pool", lambda: layers.MaxPool2D(2.0, 2), TypeError, "pool_h must be a whole number"),
    ("MaxPool2D pool_w 0", lambda: layers.MaxPool2D(2, 0), ValueError, "pool_w must be at least 1"),
    ("BatchNorm momentum < 0", lambda: layers.BatchNorm(np.ones(2), np.zeros(2), momentum=-0.1), ValueError,
     "momentum"),
    ("BatchNorm eps < 0", lambda: layers.BatchNorm(np.ones(2), np.zeros(2), eps=-1e-5), ValueError, "eps"),
    ("init_std 0", lambda: nets.init_std(0, 10), ValueError, "positive number"),
    ("init_std True", lambda: nets.init_std(True, 10), ValueError, "positive number"),
    ("input_shape 0", lambda: nets.Net({}, np.float32, (0,)), ValueError, "input_shape"),
]


@pytest.mark.parametrize("call, error, phrase", [row[1:] for row in BAD_BOUNDARIES],
                         ids=[row[0] for row in BAD_BOUNDARIES])
def test_bad_boundary_values_give_a_clear_error(call, error, phrase):
    with pytest.raises(error, match=phrase):
        call()


GOOD_BOUNDARIES = [
    ("Dropout p=0", lambda: layers.Dropout(0.0).forward(np.ones((2, 2)), train=True)),
    ("BatchNorm momentum 0", lambda: layers.BatchNorm(np.ones(2), np.zeros(2), momentum=0)),
    ("BatchNorm batch of 2", lambda: layers.BatchNorm(np.ones(2), np.zeros(2)).forward(np.eye(2), train=True)),
    ("MaxPool2D pad just below the pool", lambda: layers.MaxPool2D(3, 2, pad=1).forward(np.zeros((1, 1, 4, 4)))),
    ("MaxPool2D numpy ints", lambda: layers.MaxPool2D(np.int64(2), np.int32(2), stride=np.int64(1))),
    ("Conv2D pad 0 stride 1", lambda: conv(stride=1, pad=0).forward(np.zeros((1, 3, 3, 3)))),
    ("conv_output_size filter = input", lambda: layers.conv_output_size(3, 3)),
    ("init_std number", lambda: nets.init_std(0.5, 1)),
    ("float64 net", lambda: nets.TwoLayerNet(4, 2, 2, dtype="float64")),
]


@pytest.mark.parametrize("call", [row[1] for row in GOOD_BOUNDARIES], ids=[row[0] for row in GOOD_BOUNDARIES])
def test_good_boundary_values_are_accepted(call):
    call()


def test_validated_values_are_stored_as_given():
    pool = layers.MaxPool2D(3, 2, stride=1, pad=1)
    assert (pool.pool_h, pool.pool_w, pool.stride, pool.pad) == (3, 2, 1, 1)
    assert layers.MaxPool2D(3, 2).stride == 3   # default stride: the pool height
    c = conv(stride=2, pad=1, input_grad=0)
    assert (c.stride, c.pad, c.input_grad) == (2, 1, False)
    assert layers.conv_output_size(7, 3, 2, 1) == 4 and layers.conv_output_size(28, 5) == 24
    bn = layers.BatchNorm(np.ones(2), np.zeros(2), momentum=0.5, eps=0.25)
    assert (bn.momentum, bn.eps) == (0.5, 0.25)
    assert nets.init_std(0.5, 1) == 0.5 and nets.TwoLayerNet(2, 2, 2, dtype="float64").dtype == np.float64
