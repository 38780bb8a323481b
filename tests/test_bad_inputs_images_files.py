"""The last bad inputs (issue 25): raw 0-255 pixels, channel layouts, NaN scores and empty batches given to the NumPy
networks; saved files that do not fit the network or are not .npz files; inverted drawings. Each message in full."""

import json
import warnings

import numpy as np
import pytest

from course_lib import draw, models, nets, optim, train, widgets

SCALE = "Scale them first: x.astype(np.float32) / 255 (or load with data.load_mnist(normalize=True))."
RAW_UINT8 = ("input x must hold pixels scaled the way the network was trained (values in [0, 1]), got uint8 values, "
             "the raw 0-255 pixels. " + SCALE)


def _two():
    return nets.TwoLayerNet(784, 5, 10, seed=0)


def _conv():
    return nets.SimpleConvNet(filters=2, hidden_size=3, seed=0)


U8 = np.full((2, 784), 200, np.uint8)
U8_IMAGES = np.full((2, 1, 28, 28), 200, np.uint8)
T2 = np.array([3, 7])

RAW_PIXELS = [   # (case, call, exact message): every way a NumPy network meets raw pixels
    ("predict uint8", lambda: _two().predict(U8), "TwoLayerNet " + RAW_UINT8),
    ("loss uint8", lambda: _two().loss(U8, T2), "TwoLayerNet " + RAW_UINT8),
    ("accuracy uint8", lambda: _two().accuracy(U8, T2), "TwoLayerNet " + RAW_UINT8),
    ("gradient uint8", lambda: _two().gradient(U8, T2), "TwoLayerNet " + RAW_UINT8),
    ("conv predict uint8", lambda: _conv().predict(U8_IMAGES), "SimpleConvNet " + RAW_UINT8),
    ("deep gradient uint8", lambda: nets.DeepConvNet(workers=1).gradient(U8_IMAGES, T2), "DeepConvNet " + RAW_UINT8),
    ("0-255 as floats", lambda: _two().predict(U8.astype(np.float64)),
     "TwoLayerNet input x must hold pixels scaled the way the network was trained (values in [0, 1]), got float64 "
     "values up to 200, which look like raw 0-255 pixels. " + SCALE),
    ("train on uint8", lambda: train.train(_two(), optim.SGD(), U8, T2, iters=1, batch_size=2, verbose=False),
     "TwoLayerNet " + RAW_UINT8),
]


@pytest.mark.parametrize("case, call, message", RAW_PIXELS, ids=[r[0] for r in RAW_PIXELS])
def test_raw_pixels_are_an_error_saying_how_to_scale_them(case, call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert str(info.value) == message


def test_scaled_pixels_give_the_same_scores_as_before():
    net, x = _two(), (U8 / 255).astype(np.float32)
    W1, b1, W2, b2 = (net.params[k] for k in ("W1", "b1", "W2", "b2"))
    np.testing.assert_allclose(net.predict(x), np.maximum(x @ W1 + b1, 0) @ W2 + b2, rtol=1e-6)


def test_the_models_predictor_rejects_raw_pixels(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "1")
    models.save("NumPy two-layer net", nets.TwoLayerNet(seed=4), tmp_path)
    read = models.load("NumPy two-layer net", tmp_path)
    digit = np.random.default_rng(0).random((28, 28))
    assert read(digit).sum() == pytest.approx(1.0, abs=1e-5)
    with pytest.raises(ValueError) as info:
        read((digit * 255).astype(np.uint8))
    assert str(info.value) == ("image must hold pixels scaled the way the network was trained (values in [0, 1]), "
                               "got uint8 values, the raw 0-255 pixels. " + SCALE)


LAYOUTS = [   # (case, call, exact message)
    ("channels last to a ConvNet", lambda: _conv().predict(np.zeros((2, 28, 28, 1))),
     "SimpleConvNet input x must be a batch shaped (N, 1, 28, 28), got shape (2, 28, 28, 1). It is channels last "
     "(N, H, W, C); this network takes channels first (N, C, H, W): pass x.transpose(0, 3, 1, 2)."),
    ("one image to a ConvNet", lambda: nets.DeepConvNet().predict(np.zeros((1, 28, 28))),
     "DeepConvNet input x must be a batch shaped (N, 1, 28, 28), got shape (1, 28, 28). Reshape it, e.g. "
     "x.reshape(-1, 1, 28, 28)."),
    ("784 pixels to a ConvNet", lambda: _conv().accuracy(np.zeros((2, 784)), T2),
     "SimpleConvNet input x must be a batch shaped (N, 1, 28, 28), got shape (2, 784). Reshape it, e.g. "
     "x.reshape(-1, 1, 28, 28)."),
    ("empty batch to accuracy", lambda: _conv().accuracy(np.zeros((0, 1, 28, 28)), np.zeros(0, int)),
     "SimpleConvNet input x must hold at least one example, got shape (0, 1, 28, 28). Pass a batch of at least one "
     "example."),
    ("NaN inputs to accuracy", lambda: _two().accuracy(np.full((2, 784), np.nan), T2),
     "TwoLayerNet scores must hold finite numbers, got 20 NaN or infinite values. Check the inputs for NaN "
     "(np.isnan(x).any()); if they are finite, the weights diverged: train again with a smaller learning rate."),
]


@pytest.mark.parametrize("case, call, message", LAYOUTS, ids=[r[0] for r in LAYOUTS])
def test_layouts_nan_scores_and_empty_batches_are_named(case, call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert str(info.value) == message


def test_flat_nets_take_any_layout_of_784_pixels():
    net, x = _two(), np.random.default_rng(1).random((3, 28, 28, 1))
    np.testing.assert_array_equal(net.predict(x), net.predict(x.reshape(3, 784)))


def test_diverged_weights_are_named_by_accuracy_not_counted_as_class_0():
    net = _two()
    net.params["W2"][...] = np.nan
    with pytest.raises(ValueError, match="the weights diverged: train again with a smaller learning rate"):
        net.accuracy(np.zeros((2, 784)), np.array([0, 0]))   # argmax of NaN rows is 0: "100%" without the check


# ---------------------------------------------------------------- saved files
ARCHITECTURES = [   # (case, saved net, loading net, exact message after "<file> does not fit this <class>: ")
    ("hidden size", lambda: nets.TwoLayerNet(784, 30, 10), lambda: nets.TwoLayerNet(784, 50, 10),
     "TwoLayerNet: hidden_size is 30 in the file but 50 in this network. Build the network the file was saved from, "
     "nets.TwoLayerNet(input_size=784, hidden_size=30, output_size=10), then load it."),
    ("two settings", lambda: nets.TwoLayerNet(784, 30, 5), lambda: nets.TwoLayerNet(784, 50, 10),
     "TwoLayerNet: hidden_size is 30 in the file but 50 in this network; output_size is 5 in the file but 10 in this "
     "network. Build the network the file was saved from, nets.TwoLayerNet(input_size=784, hidden_size=30, "
     "output_size=5), then load it."),
    ("another class", lambda: nets.TwoLayerNet(), lambda: nets.MultiLayerNet(hidden_sizes=(50,)),
     "MultiLayerNet: the file holds a nets.TwoLayerNet(input_size=784, hidden_size=50, output_size=10), not a "
     "MultiLayerNet. Build the network the file was saved from, nets.TwoLayerNet(input_size=784, hidden_size=50, "
     "output_size=10), then load it."),
    ("batch norm", lambda: nets.MultiLayerNet(hidden_sizes=(8,), use_batchnorm=True),
     lambda: nets.MultiLayerNet(hidden_sizes=(8,)),
     "MultiLayerNet: use_batchnorm is True in the file but False in this network. Build the network the file was "
     "saved from, nets.MultiLayerNet(input_size=784, hidden_sizes=[8], output_size=10, activation='relu', "
     "use_batchnorm=True), then load it."),
    ("layer list", lambda: nets.SimpleConvNet(filters=2, hidden_size=3), lambda: nets.SimpleConvNet(filters=4,
                                                                                                    hidden_size=3),
     "SimpleConvNet: filters is 2 in the file but 4 in this network. Build the network the file was saved from, "
     "nets.SimpleConvNet(filters=2, filter_size=5, hidden_size=3, output_size=10), then load it."),
]


@pytest.mark.parametrize("case, saved, loading, message", ARCHITECTURES, ids=[a[0] for a in ARCHITECTURES])
def test_a_file_of_another_architecture_names_the_difference_and_changes_nothing(tmp_path, case, saved, loading,
                                                                                 message):
    path = saved().save(tmp_path / "net.npz")
    net = loading()
    before = {k: v.copy() for k, v in {**net.params, **net.state}.items()}
    with pytest.raises(ValueError) as info:
        net.load(path)
    assert str(info.value) == "net.npz does not fit this " + message
    assert all(np.array_equal(v, before[k]) for k, v in {**net.params, **net.state}.items())


def test_a_custom_net_names_the_first_layer_that_differs(tmp_path):
    def net(width):
        return nets.Net({"A": nets.Affine(np.ones((3, width)), np.zeros(width)), "Relu": nets.Relu(),
                         "B": nets.Affine(np.ones((width, 2)), np.zeros(2))}, np.float64, (3,))
    path = net(4).save(tmp_path / "custom.npz")
    with pytest.raises(ValueError) as info:
        net(5).load(path)
    assert str(info.value) == (
        "custom.npz does not fit this Net: its layer 1 with parameters is A (Affine, shapes {'W': [3, 4], 'b': [4]}) "
        "in the file but A (Affine, shapes {'W': [3, 5], 'b': [5]}) in this network. Build the network the file was "
        "saved from, nets.Net(), then load it.")


def test_dropout_and_dtype_are_not_part_of_the_fit(tmp_path):
    a = nets.DeepConvNet(dropout=0.3, seed=1)
    b = nets.DeepConvNet(dropout=0.5, seed=2, dtype=np.float64).load(a.save(tmp_path / "deep.npz"))
    assert all(np.array_equal(b.params[k], a.params[k].astype(np.float64)) for k in a.params)


def test_a_file_saved_before_architectures_were_stored_still_loads_and_is_checked_by_shapes(tmp_path):
    a = nets.TwoLayerNet(784, 6, 10, seed=1)
    np.savez(tmp_path / "old.npz", **a.params)        # what Net.save wrote before: parameters only
    b = nets.TwoLayerNet(784, 6, 10, seed=2).load(tmp_path / "old.npz")
    assert all(np.array_equal(b.params[k], a.params[k]) for k in a.params)
    with pytest.raises(ValueError) as info:
        nets.TwoLayerNet(784, 7, 10).load(tmp_path / "old.npz")
    assert str(info.value) == ("old.npz does not fit TwoLayerNet: parameter W1 has shape (784, 6) in the file but "
                               "(784, 7) in the network.")


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '{"class": "TwoLayerNet"}'])
def test_a_damaged_architecture_entry_is_named_and_changes_nothing(tmp_path, text):
    a = _two()
    np.savez(tmp_path / "bad.npz", **a.params, **{nets.ARCHITECTURE: np.array(text)})
    b = nets.TwoLayerNet(784, 5, 10, seed=9)
    before = {k: v.copy() for k, v in b.params.items()}
    with pytest.raises(ValueError, match=r"cannot read .*bad.npz: its architecture entry is damaged \(\w+Error: "):
        b.load(tmp_path / "bad.npz")
    assert all(np.array_equal(v, before[k]) for k, v in b.params.items())


def test_the_architecture_is_json_text_not_a_pickle(tmp_path):
    path = nets.MultiLayerNet(4, (3,), 2, use_batchnorm=True).save(tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as f:
        stored = json.loads(str(f[nets.ARCHITECTURE]))
    assert stored == {"class": "MultiLayerNet",
                      "settings": {"input_size": 4, "hidden_sizes": [3], "output_size": 2, "activation": "relu",
                                   "use_batchnorm": True},
                      "input_shape": [4],
                      "layers": [["Affine1", "Affine", {"W": [4, 3], "b": [3]}],
                                 ["BatchNorm1", "BatchNorm", {"gamma": [3], "beta": [3], "running_mean": [3],
                                                              "running_var": [3]}],
                                 ["Affine2", "Affine", {"W": [3, 2], "b": [2]}]]}


def _write(kind, path):
    if kind == "npy":
        with open(path, "wb") as f:   # np.save(path) would add ".npy" to the name
            np.save(f, np.ones(3))
    elif kind == "json":
        path.write_text(json.dumps({"W1": [1, 2]}))
    elif kind == "gzip":
        import gzip
        path.write_bytes(gzip.compress(b"IDX"))
    elif kind == "empty":
        path.write_bytes(b"")


WRONG_FILES = [   # (kind written under the name net.npz, what the message says it is)
    ("npy", "a .npy file (one NumPy array, from np.save)"),
    ("json", "a JSON object"),
    ("gzip", "a gzip file"),
    ("empty", "an empty file"),
]


@pytest.mark.parametrize("kind, what", WRONG_FILES, ids=[w[0] for w in WRONG_FILES])
def test_a_file_that_is_not_an_npz_is_named_with_what_it_is(tmp_path, kind, what):
    path = tmp_path / "net.npz"
    _write(kind, path)
    with pytest.raises(ValueError) as info:
        _two().load(path)
    assert str(info.value) == (f"path must be a .npz file saved by Net.save, got {path}, which is {what}. Pass the "
                               ".npz file that net.save(...) wrote (np.save writes a .npy file: one array, no names).")


def test_an_npy_under_its_own_name_is_named_too(tmp_path):
    _write("npy", tmp_path / "weights.npy")
    with pytest.raises(ValueError, match=r"weights.npy, which is a .npy file \(one NumPy array, from np.save\)"):
        _two().load(tmp_path / "weights.npy")


# ---------------------------------------------------------------- inverted drawings
SEVEN = draw.stroke_image([(0.05, 0.08), (0.40, 0.08), (0.18, 0.50)], size=140, width=9)


def _inverted_note(background, peak):
    return (f"drawing: its border is bright ({background:g} of at most {peak:g}), so it was read as a dark digit on a "
            "light background (a scan or a photo) and inverted to MNIST's bright digit on black. Pass ink bright on "
            "a background of 0 to skip this step.")


def test_a_dark_digit_on_a_light_background_is_inverted_with_a_warning():
    plain = draw.preprocess(SEVEN)
    with pytest.warns(draw.InvertedDrawing) as record:
        inverted = draw.preprocess(1.0 - SEVEN)
    assert [str(w.message) for w in record] == [_inverted_note(1.0, 1.0)]
    for step in plain:
        np.testing.assert_allclose(inverted[step], plain[step], atol=1e-12)


def test_a_scan_with_a_grey_background_reads_like_the_drawing():
    rng = np.random.default_rng(5)
    scan = np.clip(230 - 200 * SEVEN + rng.normal(0, 3, SEVEN.shape), 0, 255).round().astype(np.uint8)
    with pytest.warns(draw.InvertedDrawing):
        steps = draw.preprocess(scan)
    plain = draw.preprocess(SEVEN)["centred"]
    assert np.abs(steps["centred"] - plain).max() < 0.15 and abs(steps["centred"].sum() - plain.sum()) < 0.02 * \
        plain.sum()


def test_the_bright_border_threshold_is_half_the_peak():
    drawing = np.zeros((20, 20))
    drawing[5:15, 8:11] = 1.0
    drawing[0, :], drawing[-1, :], drawing[:, 0], drawing[:, -1] = 0.5, 0.5, 0.5, 0.5   # exactly half: not inverted
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draw.preprocess(drawing)
    drawing[0, :], drawing[-1, :], drawing[:, 0], drawing[:, -1] = 0.51, 0.51, 0.51, 0.51
    with pytest.warns(draw.InvertedDrawing, match=r"its border is bright \(0.51 of at most 1\)"):
        draw.preprocess(drawing)


def test_a_colour_photo_is_named_with_how_to_make_it_grey():
    with pytest.raises(ValueError) as info:
        draw.preprocess(np.stack([1.0 - SEVEN] * 3, axis=2))
    assert str(info.value) == ("drawing must be a non-empty 2-D grayscale drawing (H, W), got shape (140, 140, 3). "
                               "For a colour image (H, W, 3 or 4) pass image[..., :3].mean(axis=2).")
    with pytest.warns(draw.InvertedDrawing):   # and, made grey, the dark digit on white paper reads like the drawing
        np.testing.assert_allclose(draw.preprocess(np.stack([1.0 - SEVEN] * 3, axis=2).mean(axis=2))["centred"],
                                   draw.preprocess(SEVEN)["centred"], atol=1e-6)


def test_a_blank_light_page_is_an_empty_drawing_not_a_digit():
    with pytest.warns(draw.InvertedDrawing), pytest.raises(draw.EmptyDrawing, match="The canvas is empty"):
        draw.preprocess(np.full((50, 50), 0.9))


def test_the_pad_says_it_inverted_the_drawing_before_its_reading():
    lines = widgets.reading_lines(1.0 - SEVEN, {"zeros": lambda image: np.full(10, 0.1)})
    assert lines[0] == _inverted_note(1.0, 1.0) and lines[1].startswith("zeros")
    assert widgets.reading_lines(SEVEN, {"zeros": lambda image: np.full(10, 0.1)})[0].startswith("zeros")


def test_the_pad_says_it_inverted_even_without_models(monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "1")
    lines = widgets.reading_lines(1.0 - SEVEN, {})
    assert lines[0] == _inverted_note(1.0, 1.0) and lines[1].startswith("No trained model yet in fast mode")

