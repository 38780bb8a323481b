import json

import numpy as np
import pytest

from course_lib import gradcheck, nets


def test_two_layer_net_gradient_check_float64():
    rng = np.random.default_rng(1)
    net = nets.TwoLayerNet(20, 8, 4, weight_init_std=0.3, dtype=np.float64)
    errors = gradcheck.check_net(net, rng.random((5, 20)), np.array([0, 1, 2, 3, 0]))
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_multilayer_net_gradient_check_float64(activation):
    rng = np.random.default_rng(2)
    net = nets.MultiLayerNet(12, (7, 6), 3, activation=activation, dtype=np.float64)
    errors = gradcheck.check_net(net, rng.random((4, 12)), np.array([0, 2, 1, 2]))
    assert max(errors.values()) < 1e-7, errors


def test_net_shapes_dtype_and_parameter_count():
    net = nets.TwoLayerNet()
    assert net.count_params() == 784 * 50 + 50 + 50 * 10 + 10
    assert list(net.params) == ["W1", "b1", "W2", "b2"]
    assert net.predict(np.zeros((3, 784), np.float32)).dtype == np.float32
    assert nets.MultiLayerNet(hidden_sizes=(100,) * 3).count_params() == 784 * 100 + 100 + 2 * 10100 + 1010


def test_net_rejects_bad_input():
    net = nets.TwoLayerNet()
    with pytest.raises(ValueError, match=r"\(N, 784\)"):
        net.predict(np.zeros((2, 100)))
    with pytest.raises(ValueError, match="batch size mismatch"):
        net.loss(np.zeros((2, 784)), np.array([1, 2, 3]))
    with pytest.raises(ValueError, match="0..9"):
        net.loss(np.zeros((2, 784)), np.array([1, 12]))


def test_gradient_does_not_modify_inputs():
    net = nets.TwoLayerNet(10, 5, 3)
    x = np.random.default_rng(0).random((4, 10)).astype(np.float32)
    t = np.array([0, 1, 2, 1])
    keep = x.copy(), t.copy()
    net.gradient(x, t)
    np.testing.assert_array_equal(x, keep[0])
    np.testing.assert_array_equal(t, keep[1])


def test_save_load_round_trip_and_mismatch(tmp_path):
    a, b = nets.TwoLayerNet(seed=1), nets.TwoLayerNet(seed=2)
    x = np.random.default_rng(0).random((5, 784)).astype(np.float32)
    path = a.save(tmp_path / "two.npz")
    b.load(path)
    np.testing.assert_array_equal(a.predict(x), b.predict(x))
    assert [p.name for p in tmp_path.iterdir()] == ["two.npz"]
    other = nets.TwoLayerNet(hidden_size=20, seed=3)
    before = {k: v.copy() for k, v in other.params.items()}
    with pytest.raises(ValueError) as info:
        other.load(path)
    assert str(info.value) == ("two.npz does not fit this TwoLayerNet: hidden_size is 50 in the file but 20 in this "
                               "network. Build the network the file was saved from, nets.TwoLayerNet(input_size=784, "
                               "hidden_size=50, output_size=10), then load it.")
    for k in before:
        np.testing.assert_array_equal(other.params[k], before[k])
    with pytest.raises(ValueError, match=r"the file holds a nets.TwoLayerNet\(input_size=784, hidden_size=50, "
                                         r"output_size=10\), not a MultiLayerNet"):
        nets.MultiLayerNet(hidden_sizes=(50, 50)).load(path)
    with pytest.raises(FileNotFoundError, match="save"):
        a.load(tmp_path / "nope.npz")


def test_init_std():
    assert nets.init_std("he", 50) == pytest.approx(0.2)
    assert nets.init_std("xavier", 100) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="xavier"):
        nets.init_std("lecun", 10)


def test_default_architectures_and_initial_scales():
    two = nets.TwoLayerNet()
    assert [type(v).__name__ for v in two.layers.values()] == ["Affine", "Relu", "Affine"]
    assert two.params["W1"].shape == (784, 50) and two.params["W2"].shape == (50, 10)
    assert two.params["W1"].dtype == np.float32 and two.dtype == np.float32
    assert 0.009 < two.params["W1"].std() < 0.011 and not two.params["b1"].any()
    np.testing.assert_array_equal(two.params["W1"], nets.TwoLayerNet(seed=0).params["W1"])
    assert not np.array_equal(two.params["W1"], nets.TwoLayerNet(seed=1).params["W1"])
    multi = nets.MultiLayerNet()
    assert list(multi.layers) == ["Affine1", "Relu1", "Affine2", "Relu2", "Affine3"]
    assert [multi.params[f"W{i}"].shape for i in (1, 2, 3)] == [(784, 100), (100, 100), (100, 10)]
    assert abs(multi.params["W1"].std() / np.sqrt(2 / 784) - 1) < 0.02   # He by default
    assert abs(multi.params["W2"].std() / np.sqrt(2 / 100) - 1) < 0.05
    np.testing.assert_array_equal(multi.params["W1"], nets.MultiLayerNet(seed=0).params["W1"])
    sig = nets.MultiLayerNet(hidden_sizes=(30,), activation="sigmoid", weight_init="xavier", dropout=0.2)
    assert list(sig.layers) == ["Affine1", "Sigmoid1", "Dropout1", "Affine2"]
    assert sig.layers["Dropout1"].p == 0.2 and sig.layers["Dropout1"].inverted
    assert abs(sig.params["W1"].std() / np.sqrt(1 / 784) - 1) < 0.05
    simple = nets.SimpleConvNet()
    assert simple.count_params() == 30 * 25 + 30 + 4320 * 100 + 100 + 100 * 10 + 10
    assert simple.layers["Conv1"].input_grad is False and simple.layers["Pool1"].stride == 2
    deep = nets.DeepConvNet()
    assert deep.layers["Dropout1"].p == 0.5 and deep.layers["Dropout2"].p == 0.5
    assert [deep.layers[f"Conv{i}"].pad for i in range(1, 7)] == [1, 1, 1, 2, 1, 1]
    assert deep.layers["Conv1"].input_grad is False and deep.layers["Conv2"].input_grad is True


def test_accuracy_by_value_in_batches():
    net = nets.TwoLayerNet(4, 3, 2, dtype=np.float64)
    rng = np.random.default_rng(3)
    x = rng.random((7, 4))
    labels = net.predict(x).argmax(axis=1)
    t = labels.copy()
    t[:2] = 1 - t[:2]                       # two wrong out of 7
    for batch_size in (1, 3, 1000):
        assert net.accuracy(x, t, batch_size=batch_size) == pytest.approx(5 / 7)
    assert net.accuracy(x, np.eye(2)[t]) == pytest.approx(5 / 7)   # one-hot targets
    assert net.num_classes == 2


def test_raw_pixel_threshold():
    net = nets.TwoLayerNet(4, 3, 2)
    with pytest.raises(ValueError, match="got float32 values up to 10.5, which look like raw 0-255 pixels"):
        net.predict(np.full((1, 4), 10.5, np.float32))
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net.predict(np.full((1, 4), 9.5, np.float32))
        net.predict(np.zeros((0, 4), np.float32))


def test_save_creates_folders_and_returns_the_path(tmp_path):
    net = nets.TwoLayerNet(4, 3, 2)
    path = net.save(tmp_path / "a" / "b" / "net.npz")
    assert path == tmp_path / "a" / "b" / "net.npz" and path.is_file()
    with np.load(path) as f:
        assert sorted(f.files) == ["W1", "W2", "__architecture__", "b1", "b2"]
        assert json.loads(str(f["__architecture__"])) == {
            "class": "TwoLayerNet", "settings": {"input_size": 4, "hidden_size": 3, "output_size": 2},
            "input_shape": [4], "layers": [["Affine1", "Affine", {"W": [4, 3], "b": [3]}],
                                           ["Affine2", "Affine", {"W": [3, 2], "b": [2]}]]}
    net.save(path)   # overwriting works


def test_loss_and_gradient_by_value():
    net = nets.TwoLayerNet(3, 2, 2, weight_init_std=0.5, dtype=np.float64)
    x, t = np.array([[1.0, -2.0, 0.5]]), np.array([1])
    W1, b1, W2, b2 = (net.params[k] for k in ("W1", "b1", "W2", "b2"))
    h = np.maximum(x @ W1 + b1, 0)
    s = h @ W2 + b2
    y = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
    assert net.loss(x, t) == pytest.approx(-np.log(y[0, 1]), rel=1e-12)
    grads = net.gradient(x, t)
    assert net.last_loss == pytest.approx(-np.log(y[0, 1]), rel=1e-12)
    np.testing.assert_allclose(grads["W2"], h.T @ (y - [[0, 1]]), rtol=1e-12, atol=1e-15)


def test_net_numerical_gradient_in_both_modes():
    rng = np.random.default_rng(4)
    net = nets.MultiLayerNet(5, (4,), 3, use_batchnorm=True, dtype=np.float64)
    net.state["running_mean1"][...] = 0.3
    x, t = rng.standard_normal((6, 5)), rng.integers(0, 3, 6)
    train = net.numerical_gradient(x, t, h=1e-5, train=True)
    assert np.all(net.state["running_mean1"] == 0.3) and np.all(net.state["running_var1"] == 1)   # put back
    inference = net.numerical_gradient(x, t, h=1e-5)
    analytic = net.gradient(x, t)   # training mode
    assert set(train) == set(net.params)
    assert gradcheck.rel_error(train["W2"], analytic["W2"]) < 1e-7
    assert gradcheck.rel_error(inference["W2"], analytic["W2"]) > 1e-3   # running statistics differ


def test_conv_nets_layers_shapes_dtypes_and_scales():
    simple = nets.SimpleConvNet()
    assert list(simple.layers) == ["Conv1", "Relu1", "Pool1", "Flatten", "Affine1", "Relu2", "Affine2"]
    assert [type(v).__name__ for v in simple.layers.values()] == ["Conv2D", "Relu", "MaxPool2D", "Flatten",
                                                                  "Affine", "Relu", "Affine"]
    pool = simple.layers["Pool1"]
    assert (pool.pool_h, pool.pool_w, pool.stride, pool.pad) == (2, 2, 2, 0)
    assert all(p.dtype == np.float32 for p in simple.params.values())
    assert abs(simple.params["W1"].std() / np.sqrt(2 / 25) - 1) < 0.1   # He: fan-in 5 x 5
    assert abs(simple.params["W2"].std() / np.sqrt(2 / 4320) - 1) < 0.02
    assert abs(simple.params["W3"].std() / np.sqrt(2 / 100) - 1) < 0.1
    assert not any(simple.params[k].any() for k in ("b1", "b2", "b3"))
    np.testing.assert_array_equal(simple.params["W1"], nets.SimpleConvNet(seed=0).params["W1"])
    assert not np.array_equal(simple.params["W1"], nets.SimpleConvNet(seed=1).params["W1"])
    even = nets.SimpleConvNet(filters=3, filter_size=4, hidden_size=7, output_size=5, dtype=np.float64)
    assert even.params["W1"].shape == (3, 1, 4, 4) and even.params["W2"].shape == (3 * 12 * 12, 7)
    assert even.params["W3"].shape == (7, 5) and even.params["b1"].dtype == np.float64
    assert even.predict(np.zeros((2, 1, 28, 28))).shape == (2, 5)
    deep = nets.DeepConvNet(hidden_size=9, output_size=4, dropout=0.25, dtype=np.float64)
    assert [deep.params[f"W{i}"].shape[0] for i in range(1, 7)] == [16, 16, 32, 32, 64, 64]
    assert deep.params["W7"].shape == (1024, 9) and deep.params["W8"].shape == (9, 4)
    assert all(p.dtype == np.float64 for p in deep.params.values())
    assert deep.layers["Dropout1"].p == 0.25 and deep.layers["Dropout2"].p == 0.25
    assert list(deep.layers)[-6:] == ["Flatten", "Affine1", "Relu7", "Dropout1", "Affine2", "Dropout2"]
    assert [k for k in deep.layers if k.startswith("Pool")] == ["Pool1", "Pool2", "Pool3"]
    for i, fan_in in [(1, 9), (2, 16 * 9), (6, 64 * 9), (7, 1024)]:
        assert abs(deep.params[f"W{i}"].std() / np.sqrt(2 / fan_in) - 1) < 0.2, i
    d1, d2 = nets.DeepConvNet(seed=3), nets.DeepConvNet(seed=3)
    np.testing.assert_array_equal(d1.params["W1"], d2.params["W1"])
    x = np.random.default_rng(0).random((4, 1, 28, 28)).astype(np.float32)
    np.testing.assert_array_equal(d1.predict(x, train=True), d2.predict(x, train=True))   # dropout seeded too
    for make in (lambda: nets.SimpleConvNet(filters=0), lambda: nets.SimpleConvNet(hidden_size=0),
                 lambda: nets.SimpleConvNet(output_size=0), lambda: nets.SimpleConvNet(filter_size=0),
                 lambda: nets.DeepConvNet(hidden_size=0), lambda: nets.TwoLayerNet(input_size=0),
                 lambda: nets.TwoLayerNet(output_size=0), lambda: nets.MultiLayerNet(input_size=0),
                 lambda: nets.MultiLayerNet(hidden_sizes=(5, 0)), lambda: nets.MultiLayerNet(output_size=0)):
        with pytest.raises(ValueError, match="must be at least 1"):
            make()
    with pytest.raises(TypeError, match="float type"):
        nets.SimpleConvNet(dtype=np.int16)
    with pytest.raises(TypeError, match="float type"):
        nets.DeepConvNet(dtype=np.int16)
    with pytest.raises(TypeError, match="float type"):
        nets.MultiLayerNet(dtype=np.int16)


# ---------------------------------------------------------------- mutation-testing follow-ups (issue 13)
def test_numerical_gradient_default_step_is_1e_4():
    from course_lib import functions as F
    rng = np.random.default_rng(11)
    net = nets.TwoLayerNet(3, 4, 2, weight_init_std=0.5, dtype=np.float64)
    x, t = rng.standard_normal((3, 3)), np.array([0, 1, 1])
    got = net.numerical_gradient(x, t)["W2"]
    expected = F.numerical_gradient(lambda: net.loss(x, t), net.params["W2"], h=1e-4)
    np.testing.assert_array_equal(got, expected)   # the same step gives bit-identical differences
    assert not np.array_equal(got, F.numerical_gradient(lambda: net.loss(x, t), net.params["W2"], h=1e-3))


def test_load_errors_name_the_file_problem_in_full(tmp_path):
    net = nets.TwoLayerNet(4, 3, 2)
    bad = tmp_path / "cut.npz"
    bad.write_bytes(b"PK\x03\x04 not a whole zip")
    with pytest.raises(ValueError) as info:
        net.load(bad)
    msg = str(info.value)
    assert msg.startswith(f"cannot read {bad}: it is not a complete .npz file saved by Net.save (")
    assert msg.endswith("). Save the network again.")
    extra = tmp_path / "extra.npz"
    np.savez(extra, **net.params, W3=np.zeros(2))
    with pytest.raises(ValueError) as info:
        net.load(extra)
    assert str(info.value) == ("extra.npz does not fit TwoLayerNet: missing parameters [], unexpected ['W3']. "
                               "Was it saved from a different network?")


def test_simple_conv_net_filter_size_bound_dtype_and_owner_in_errors():
    edge = nets.SimpleConvNet(filters=1, filter_size=27, hidden_size=2, output_size=2)   # 28 - 27 + 1 = 2 -> 1
    assert edge.params["W2"].shape == (1, 2)
    with pytest.raises(ValueError, match=r"^SimpleConvNet: filter_size must be at most 27 for 28x28 images, got 28\."):
        nets.SimpleConvNet(filters=1, filter_size=28)
    with pytest.raises(ValueError, match=r"^SimpleConvNet: filters must be at least 1, got 0\."):
        nets.SimpleConvNet(filters=0)
    net = nets.SimpleConvNet(filters=2, hidden_size=3)
    assert net.dtype == np.float32
    x = np.random.default_rng(12).random((2, 1, 28, 28))   # float64 data: the float32 net works in float32
    assert net.predict(x).dtype == np.float32


@pytest.mark.parametrize("make, message", [
    (lambda: nets.TwoLayerNet(input_size=0), "TwoLayerNet: input_size must be at least 1, got 0."),
    (lambda: nets.TwoLayerNet(hidden_size=0), "TwoLayerNet: hidden_size must be at least 1, got 0."),
    (lambda: nets.MultiLayerNet(input_size=0), "MultiLayerNet: input_size must be at least 1, got 0."),
    (lambda: nets.MultiLayerNet(hidden_sizes=(3, 0)), "MultiLayerNet: hidden_sizes must be at least 1, got 0."),
    (lambda: nets.SimpleConvNet(hidden_size=0), "SimpleConvNet: hidden_size must be at least 1, got 0."),
    (lambda: nets.DeepConvNet(hidden_size=0), "DeepConvNet: hidden_size must be at least 1, got 0."),
    (lambda: nets.DeepConvNet(output_size=0), "DeepConvNet: output_size must be at least 1, got 0."),
    (lambda: nets.init_std("he", 0), "init_std: fan_in must be at least 1, got 0."),
])
def test_constructor_errors_name_the_class_and_argument(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value) == message


def test_layer_names_and_float32_everywhere():
    assert list(nets.TwoLayerNet(4, 3, 2).layers) == ["Affine1", "Relu1", "Affine2"]
    net = nets.MultiLayerNet(4, (3, 3), 2, use_batchnorm=True)
    assert list(net.layers) == ["Affine1", "BatchNorm1", "Relu1", "Affine2", "BatchNorm2", "Relu2", "Affine3"]
    assert net.dtype == np.float32
    assert all(v.dtype == np.float32 for v in [*net.params.values(), *net.state.values()])
    assert sorted(net.params) == ["W1", "W2", "W3", "b1", "b2", "b3", "beta1", "beta2", "gamma1", "gamma2"]
    assert net.predict(np.random.default_rng(13).random((2, 4))).dtype == np.float32   # float64 data cast


def test_dropout_seeds_come_from_the_net_seed():
    net = nets.MultiLayerNet(4, (3, 5), 2, dropout=0.5, seed=7)
    rng = np.random.default_rng(7)
    seeds = []
    for fan_in, fan_out in [(4, 3), (3, 5)]:
        rng.standard_normal((fan_in, fan_out))           # the weights are drawn first
        seeds.append(int(rng.integers(2**31)))            # then the dropout layer's seed
    for i, seed in enumerate(seeds, start=1):
        np.testing.assert_array_equal(net.layers[f"Dropout{i}"].rng.random(8), np.random.default_rng(seed).random(8))
    deep = nets.DeepConvNet()
    np.testing.assert_array_equal(deep.params["W1"], nets.DeepConvNet(seed=0).params["W1"])   # default seed 0


def test_load_messages_for_shapes_dtypes_and_state(tmp_path):
    net = nets.MultiLayerNet(4, (3,), 2, use_batchnorm=True)
    path = net.save(tmp_path / "bn.npz")
    with np.load(path) as f:
        stored = {k: f[k] for k in f.files}
    cases = [
        ({**stored, "W1": np.zeros((4, 2), np.float32)},
         "bad.npz does not fit MultiLayerNet: parameter W1 has shape (4, 2) in the file but (4, 3) in the network."),
        ({**stored, "running_var1": np.zeros(5, np.float32)},
         "bad.npz does not fit MultiLayerNet: state entry running_var1 has shape (5,) in the file but (3,) in the "
         "network."),
        ({**stored, "b2": np.zeros(2, np.int64)},
         "bad.npz: parameter b2 is stored as int64, not floats; was it saved by Net.save?"),
        ({**stored, "running_mean1": np.zeros(3, np.int32)},
         "bad.npz: state entry running_mean1 is stored as int32, not floats; was it saved by Net.save?"),
    ]
    for entries, message in cases:
        np.savez(tmp_path / "bad.npz", **entries)
        with pytest.raises(ValueError) as info:
            net.load(tmp_path / "bad.npz")
        assert str(info.value) == message
    del stored["running_mean1"]
    np.savez(tmp_path / "nostate.npz", **stored)
    with pytest.raises(ValueError) as info:
        net.load(tmp_path / "nostate.npz")
    assert str(info.value) == ("nostate.npz does not fit MultiLayerNet: missing parameters [], missing state entries "
                               "['running_mean1'], unexpected []. Was it saved from a different network?")


def _draws(seed, plan):
    """Replays a net's initialisation: plan is a list of ("W", shape, std) and ("seed",) in drawing order."""
    rng, out = np.random.default_rng(seed), []
    for step in plan:
        out.append(rng.standard_normal(step[1]) * step[2] if step[0] == "W" else int(rng.integers(2**31)))
    return out


def test_weights_and_dropout_seeds_are_replayable_from_the_seed():
    deep = nets.DeepConvNet(hidden_size=6, output_size=3, seed=5, dtype=np.float64)
    plan, ch = [], 1
    for fn in (16, 16, 32, 32, 64, 64):
        plan.append(("W", (fn, ch, 3, 3), np.sqrt(2.0 / (ch * 9))))
        ch = fn
    plan += [("W", (1024, 6), np.sqrt(2.0 / 1024)), ("seed",), ("W", (6, 3), np.sqrt(2.0 / 6)), ("seed",)]
    *weights, s1, w8, s2 = _draws(5, plan)
    for i, w in enumerate([*weights, w8], start=1):
        np.testing.assert_array_equal(deep.params[f"W{i}"], w, err_msg=f"W{i}")
    for name, seed in (("Dropout1", s1), ("Dropout2", s2)):
        np.testing.assert_array_equal(deep.layers[name].rng.random(6), np.random.default_rng(seed).random(6))
    simple = nets.SimpleConvNet(filters=2, filter_size=3, hidden_size=4, output_size=3, seed=6, dtype=np.float64)
    w1, w2, w3 = _draws(6, [("W", (2, 1, 3, 3), np.sqrt(2.0 / 9)), ("W", (2 * 13 * 13, 4), np.sqrt(2.0 / 338)),
                            ("W", (4, 3), np.sqrt(2.0 / 4))])
    for key, w in (("W1", w1), ("W2", w2), ("W3", w3)):
        np.testing.assert_array_equal(simple.params[key], w, err_msg=key)
    two = nets.TwoLayerNet(5, 4, 3, weight_init_std=0.3, seed=8, dtype=np.float64)
    w1, w2 = _draws(8, [("W", (5, 4), 0.3), ("W", (4, 3), 0.3)])
    np.testing.assert_array_equal(two.params["W1"], w1)
    np.testing.assert_array_equal(two.params["W2"], w2)


def test_raw_pixel_message_and_exact_threshold():
    import warnings
    net = nets.TwoLayerNet(4, 3, 2)
    with pytest.raises(ValueError) as info:
        net.predict(np.full((1, 4), 1, np.uint8))   # uint8 is the raw pixels' type, whatever the values
    assert str(info.value) == ("TwoLayerNet input x must hold pixels scaled the way the network was trained (values "
                               "in [0, 1]), got uint8 values, the raw 0-255 pixels. Scale them first: "
                               "x.astype(np.float32) / 255 (or load with data.load_mnist(normalize=True)).")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net.predict(np.full((1, 4), 10.0, np.float32))   # the threshold itself is not suspicious


def test_input_shape_checks_accept_flattenable_batches_only():
    net = nets.TwoLayerNet(4, 3, 2, dtype=np.float64)
    x = np.random.default_rng(14).random((3, 2, 2))
    np.testing.assert_array_equal(net.predict(x), net.predict(x.reshape(3, 4)))   # (N, 2, 2) is (N, 4) flattened
    with pytest.raises(ValueError) as info:
        net.predict(np.zeros((2, 5)))
    assert str(info.value) == ("TwoLayerNet input x must be a batch shaped (N, 4), got shape (2, 5). Reshape it, e.g. "
                               "x.reshape(-1, 4).")
    with pytest.raises(ValueError) as info:
        nets.SimpleConvNet(filters=1, hidden_size=2).predict(np.zeros((2, 784)))
    assert str(info.value) == ("SimpleConvNet input x must be a batch shaped (N, 1, 28, 28), got shape (2, 784). "
                               "Reshape it, e.g. x.reshape(-1, 1, 28, 28).")
    with pytest.raises(ValueError) as info:
        nets.Net({}, np.float64, (3, 0))
    assert str(info.value) == "Net: input_shape entry must be at least 1, got 0."
    with pytest.raises(ValueError) as info:
        net.accuracy(np.zeros((2, 4)), np.array([0, 1]), batch_size=0)
    assert str(info.value) == "accuracy: batch_size must be at least 1, got 0."


def test_loss_defaults_to_inference_mode():
    net = nets.MultiLayerNet(4, (6,), 3, dropout=0.5, dtype=np.float64)
    rng = np.random.default_rng(15)
    x, t = rng.random((5, 4)), np.array([0, 1, 2, 0, 1])
    s = net.predict(x)   # dropout off
    log_y = s - s.max(axis=1, keepdims=True)
    log_y -= np.log(np.exp(log_y).sum(axis=1, keepdims=True))
    expected = -np.mean(log_y[np.arange(5), t])
    assert net.loss(x, t) == pytest.approx(expected, rel=1e-12)
    assert net.loss(x, t) == net.loss(x, t)   # no random masks


def test_save_writes_its_temporary_file_beside_the_target(tmp_path, monkeypatch):
    import os
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append((src, dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    path = nets.TwoLayerNet(4, 3, 2).save(tmp_path / "net.npz")
    ((src, dst),) = seen
    from pathlib import Path
    assert Path(src).parent == tmp_path and Path(src).name.endswith(".npz") and Path(dst) == path
    assert [p.name for p in tmp_path.iterdir()] == ["net.npz"]


def test_accuracy_counts_the_first_example_and_names_empty_batches():
    net = nets.TwoLayerNet(4, 3, 2, dtype=np.float64)
    x = np.random.default_rng(16).random((5, 4))
    t = 1 - net.predict(x).argmax(axis=1)
    t[0] = 1 - t[0]                                    # only the first example is right
    for batch_size in (1, 2, 1000):
        assert net.accuracy(x, t, batch_size=batch_size) == pytest.approx(1 / 5)
    with pytest.raises(ValueError) as info:
        net.accuracy(np.zeros((0, 4)), np.zeros(0, dtype=int))
    assert str(info.value) == ("TwoLayerNet input x must hold at least one example, got shape (0, 4). Pass a batch "
                               "of at least one example.")


def test_numerical_gradient_passes_its_step_on_and_save_names_bad_paths(tmp_path):
    from course_lib import functions as F
    rng = np.random.default_rng(17)
    net = nets.TwoLayerNet(3, 2, 2, weight_init_std=0.5, dtype=np.float64)
    x, t = rng.standard_normal((2, 3)), np.array([0, 1])
    np.testing.assert_array_equal(net.numerical_gradient(x, t, h=0.05)["b2"],
                                  F.numerical_gradient(lambda: net.loss(x, t), net.params["b2"], h=0.05))
    with pytest.raises(ValueError) as info:
        net.save(tmp_path)
    assert str(info.value) == (f"path must be a file, not a folder, got the folder {tmp_path}. Pass a file path inside "
                               f"it, such as {tmp_path / 'net.npz'}.")
    with pytest.raises(TypeError) as info:
        net.save(3)
    assert str(info.value) == "path must be a file path (str or pathlib.Path) such as 'net.npz', got int 3."
