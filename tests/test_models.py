"""course_lib.models: the registry of the course's models, saving and loading them, reading a digit."""

import numpy as np
import pytest

from course_lib import functions, models, nets


def test_registry_is_the_single_consistent_source():
    names = [m.name for m in models.REGISTRY]
    assert len(set(names)) == len(names) == 6 and set(models.BY_NAME) == set(names)
    assert len({m.file for m in models.REGISTRY}) == len(names)
    for m in models.REGISTRY:
        assert m.kind in models.KINDS
        assert m.file.endswith(".npz" if m.kind == "numpy" else ".keras")
        assert m.notebook.endswith(".ipynb") and m.number == m.notebook[:2]
        assert (models.data.DATA_DIR.parent / "notebooks" / m.notebook).is_file(), m.notebook
        assert np.prod(m.input_shape) == 784 and m.input_shape[0] == 1 and m.description
        if m.kind == "numpy":
            assert issubclass(getattr(nets, m.net_class), nets.Net)
    assert models.training_notebooks() == ["04", "06", "10", "11", "12"]


@pytest.mark.parametrize("name", [None, "", "keras mlp", 3])
def test_unknown_names_list_the_known_ones(name):
    with pytest.raises(ValueError, match=r"unknown course model.*Keras MLP.*REGISTRY"):
        models.get(name)


def test_paths_follow_course_data_dir_and_the_mode(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.setenv("COURSE_FAST", "0")
    assert models.models_dir() == models.data.DATA_DIR / "models"
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    assert models.path("Keras MLP") == tmp_path / "models" / "keras_mlp.keras"
    assert models.path("Keras MLP", directory=tmp_path / "x") == tmp_path / "x" / "keras_mlp.keras"
    monkeypatch.setenv("COURSE_FAST", "1")
    assert models.path("Keras MLP") == tmp_path / "models" / "fast" / "keras_mlp.keras"


def test_a_fast_mode_run_never_replaces_a_full_mode_model(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COURSE_FAST", "0")
    full = nets.TwoLayerNet(seed=1)
    models.save("NumPy two-layer net", full)
    monkeypatch.setenv("COURSE_FAST", "1")
    assert models.load_all()[0] == {}                     # fast mode does not see the full-mode model
    models.save("NumPy two-layer net", nets.TwoLayerNet(seed=2))
    monkeypatch.setenv("COURSE_FAST", "0")
    image = np.random.default_rng(0).random((28, 28)).astype(np.float32)
    np.testing.assert_allclose(models.load("NumPy two-layer net")(image),
                               functions.softmax(full.predict(image.reshape(1, 784)))[0], rtol=1e-6)


@pytest.mark.parametrize("fast, which", [("0", "full"), ("1", "fast")])
def test_missing_files_name_the_notebook_and_the_mode(tmp_path, monkeypatch, fast, which):
    monkeypatch.setenv("COURSE_FAST", fast)
    predictors, missing = models.load_all(tmp_path)
    assert predictors == {} and len(missing) == len(models.REGISTRY)
    assert missing[2] == (f"NumPy deep ConvNet: not trained yet in {which} mode (no deep_convnet.npz). Run "
                          f"10_deep_convnet.ipynb in {which} mode to train and save it: each mode keeps its own "
                          "models.")
    with pytest.raises(FileNotFoundError, match=f"Run 06_keras_six_steps.ipynb in {which} mode"):
        models.load("Keras MLP", tmp_path)


def test_save_and_load_numpy_models_read_like_the_network(tmp_path):
    two = nets.TwoLayerNet(seed=1)
    deep = nets.DeepConvNet(seed=1)
    assert models.save("NumPy two-layer net", two, tmp_path) == tmp_path / "two_layer_net.npz"
    models.save("NumPy deep ConvNet", deep, tmp_path)
    predictors, missing = models.load_all(tmp_path)
    assert set(predictors) == {"NumPy two-layer net", "NumPy deep ConvNet"} and len(missing) == 4
    image = np.random.default_rng(0).random((28, 28)).astype(np.float32)
    np.testing.assert_allclose(predictors["NumPy two-layer net"](image),
                               functions.softmax(two.predict(image.reshape(1, 784)))[0], rtol=1e-6)
    np.testing.assert_allclose(predictors["NumPy deep ConvNet"](image),
                               functions.softmax(deep.predict(image.reshape(1, 1, 28, 28)))[0], rtol=1e-5)
    readings = models.read_digit(image, predictors)
    probs = predictors["NumPy deep ConvNet"](image)
    assert readings["NumPy deep ConvNet"][0] == (int(np.argmax(probs)), pytest.approx(float(probs.max())))


@pytest.mark.parametrize("name, model, message", [
    ("NumPy two-layer net", nets.DeepConvNet, "NumPy two-layer net is a nets.TwoLayerNet; got DeepConvNet"),
    ("NumPy deep ConvNet", dict, "is a nets.DeepConvNet; got dict"),
    ("Keras MLP", nets.TwoLayerNet, "Keras MLP is a Keras model; got TwoLayerNet"),
])
def test_save_rejects_the_wrong_kind_of_model(tmp_path, name, model, message):
    with pytest.raises(TypeError, match=message):
        models.save(name, model(), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_top3_orders_digits_by_probability():
    probs = np.array([0.05, 0.1, 0.02, 0.5, 0.03, 0.2, 0.01, 0.04, 0.03, 0.02])
    assert models.top3(probs) == [(3, 0.5), (5, 0.2), (1, 0.1)]


@pytest.mark.parametrize("probs", [np.ones(3), np.ones((1, 10)), np.ones(11)])
def test_top3_rejects_other_shapes(probs):
    with pytest.raises(ValueError, match="expected 10 probabilities"):
        models.top3(probs)


@pytest.mark.parametrize("image", [np.zeros(784), np.zeros((1, 28, 28)), np.zeros((280, 280))])
def test_read_digit_wants_one_preprocessed_image(image):
    with pytest.raises(ValueError, match=r"one preprocessed 28x28 digit.*draw.preprocess"):
        models.read_digit(image, {})


ZERO = np.zeros((28, 28), np.float32)

BAD = [
    # (description, call, error, fragment of the message)
    ("directory int", lambda: models.path("Keras MLP", 5), TypeError, "directory must be a folder path"),
    ("save directory None-like", lambda: models.save("NumPy two-layer net", nets.TwoLayerNet(4, 2, 10), 3.5),
     TypeError, "directory must be a folder path"),
    ("load directory list", lambda: models.load("Keras MLP", ["data"]), TypeError, "directory must be a folder path"),
    ("load_all directory", lambda: models.load_all(1), TypeError, "directory must be a folder path"),
    ("top3 NaN", lambda: models.top3(np.array([np.nan] + [0.1] * 9)), ValueError,
     r"probs must be probabilities in \[0, 1\].*NaN"),
    ("top3 scores", lambda: models.top3(np.arange(10) - 3.0), ValueError, "not the scores"),
    ("top3 above 1", lambda: models.top3(np.full(10, 2.0)), ValueError, "probs must be probabilities"),
    ("top3 text", lambda: models.top3(np.array(list("abcdefghij"))), TypeError, "probs must hold probabilities"),
    ("top3 None", lambda: models.top3(None), TypeError, "probs must hold probabilities"),
    ("read_digit 0-255", lambda: models.read_digit(np.full((28, 28), 255.0), {}), ValueError,
     "pixels in 0..1.*divide 0-255 pixels by 255"),
    ("read_digit NaN", lambda: models.read_digit(np.full((28, 28), np.nan), {}), ValueError, "pixels in 0..1"),
    ("read_digit text", lambda: models.read_digit([["a"] * 28] * 28, {}), TypeError, "image must hold pixels"),
    ("read_digit list of predictors", lambda: models.read_digit(ZERO, [len]), TypeError,
     r"predictors must be a dict name -> function"),
    ("read_digit None", lambda: models.read_digit(ZERO, None), TypeError, "predictors must be a dict"),
    ("read_digit not callable", lambda: models.read_digit(ZERO, {"Keras MLP": 3}), TypeError,
     "predictors must be a dict name -> function"),
]


@pytest.mark.parametrize("call, error, fragment", [row[1:] for row in BAD], ids=[row[0] for row in BAD])
def test_bad_arguments_name_what_is_wrong(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


def test_valid_edge_values_are_accepted(tmp_path):
    assert models.top3(np.eye(10)[4]) == [(4, 1.0), (9, 0.0), (8, 0.0)]
    assert models.read_digit(np.ones((28, 28)), {"m": lambda image: np.full(10, 0.1)})["m"][0] == (9, 0.1)
    assert models.path("Keras MLP", str(tmp_path)) == tmp_path / "keras_mlp.keras"


ROW = dict(name="A", notebook="04_two_layer_net.ipynb", file="a.npz", kind="numpy", input_shape=(1, 784),
           description="one line", net_class="TwoLayerNet")


@pytest.mark.parametrize("change, fragment", [
    ({"kind": "torch"}, r"kind must be one of \('numpy', 'keras'\), got 'torch'"),
    ({"file": "a.keras"}, "file must end in .npz for kind 'numpy'"),
    ({"kind": "keras", "file": "a.npz"}, "file must end in .keras for kind 'keras'"),
    ({"notebook": "six.ipynb"}, "notebook must be a notebook file name"),
    ({"input_shape": (784,)}, "input_shape must be one image of 784 pixels"),
    ({"input_shape": (1, 28, 27)}, "input_shape must be one image of 784 pixels"),
    ({"net_class": "Nope"}, "net_class must name a network class of course_lib.nets"),
    ({"net_class": "softmax"}, "net_class must name a network class"),
    ({"name": ""}, "name must be a non-empty string"),
])
def test_a_registry_row_that_cannot_work_is_rejected_when_built(change, fragment):
    with pytest.raises(ValueError, match=fragment):
        models.CourseModel(**{**ROW, **change})


def test_a_good_row_builds():
    assert models.CourseModel(**ROW).number == "04"
    assert models.CourseModel(**{**ROW, "kind": "keras", "file": "a.keras", "net_class": ""}).kind == "keras"
