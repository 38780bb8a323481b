"""The registry of the course's models: one table says which notebook trains each model, where it is saved
and how to read a digit with it. Training notebooks save with ``save`` (or checkpoint to ``path``) and record
their result with ``results.record``; notebook 13 loads every saved model with ``load_all`` and shows the
leaderboard. Adding a model to the course means adding one row to ``REGISTRY``.

Models and results live in ``data/`` of the repository, or in ``$COURSE_DATA_DIR`` when that is set (the
browser test uses a temporary folder). Each mode keeps its own models (``models/`` in full mode, ``models/fast/``
in fast mode), so a fast-mode run (a live demo, ``make test``, grading) never replaces a model trained in full
mode. Keras is imported only when a ``.keras`` file is saved or loaded.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import data, mode, nets
from .checks import numbers_array, pixels
from .i18n import N_, _
from .functions import softmax

KINDS = ("numpy", "keras")


@dataclass(frozen=True)
class CourseModel:
    """One model of the course.

    name: the key everywhere (results registry, leaderboard, notebook 13), e.g. "Keras MLP".
    notebook: the notebook that trains and saves it, e.g. "06_keras_six_steps.ipynb".
    file: its file in the models folder (.npz for kind "numpy", .keras for kind "keras").
    kind: "numpy" (a ``course_lib.nets`` network, class ``net_class``) or "keras".
    input_shape: the shape one image (28x28, values in 0..1) is reshaped to before ``predict``.
    description: one line for the leaderboard.
    net_class: for kind "numpy", the name of the class in ``course_lib.nets``.
    """
    name: str
    notebook: str
    file: str
    kind: str
    input_shape: tuple
    description: str
    net_class: str = ""

    def __post_init__(self):
        """A row that cannot work is an error when the registry is built, not when a notebook saves or loads."""
        suffix = {"numpy": ".npz", "keras": ".keras"}.get(self.kind)
        problems = [
            (not (isinstance(self.name, str) and self.name), f"name must be a non-empty string, got {self.name!r}"),
            (suffix is None, f"kind must be one of {KINDS}, got {self.kind!r}"),
            (not (isinstance(self.notebook, str) and self.notebook[:2].isdigit() and self.notebook.endswith(".ipynb")),
             f"notebook must be a notebook file name such as '06_keras_six_steps.ipynb', got {self.notebook!r}"),
            (suffix is not None and not (isinstance(self.file, str) and self.file.endswith(suffix)),
             f"file must end in {suffix} for kind {self.kind!r}, got {self.file!r}"),
            (not (isinstance(self.input_shape, tuple) and int(np.prod(self.input_shape)) == 784
                  and self.input_shape[:1] == (1,)),
             f"input_shape must be one image of 784 pixels such as (1, 784) or (1, 28, 28, 1), got "
             f"{self.input_shape!r}"),
            (self.kind == "numpy" and not isinstance(getattr(nets, str(self.net_class), None), type),
             f"net_class must name a network class of course_lib.nets for kind 'numpy', got {self.net_class!r}"),
        ]
        for bad, message in problems:
            if bad:
                raise ValueError(f"CourseModel {self.name!r}: {message}.")

    @property
    def number(self):
        """The notebook's two-digit number, e.g. "06"."""
        return self.notebook[:2]


REGISTRY = (
    CourseModel("NumPy two-layer net", "04_two_layer_net.ipynb", "two_layer_net.npz", "numpy", (1, 784),
                "784-50-10 network from scratch, SGD", net_class="TwoLayerNet"),
    CourseModel("Keras MLP", "06_keras_six_steps.ipynb", "keras_mlp.keras", "keras", (1, 28, 28),
                "784-128-10 Keras Sequential, Adam"),
    CourseModel("NumPy deep ConvNet", "10_deep_convnet.ipynb", "deep_convnet.npz", "numpy", (1, 1, 28, 28),
                "six 3x3 conv layers from scratch, Adam", net_class="DeepConvNet"),
    CourseModel("Nielsen CNN, one conv", "11_nielsen_cnn_keras.ipynb", "nielsen_one_conv.keras", "keras",
                (1, 28, 28, 1), "one conv layer + dense, Keras"),
    CourseModel("Nielsen CNN, two conv", "11_nielsen_cnn_keras.ipynb", "nielsen_two_conv.keras", "keras",
                (1, 28, 28, 1), "two conv layers + dropout, Keras"),
    CourseModel("Keras ResNet + augmentation", "12_resnet_augmentation.ipynb", "resnet.keras", "keras",
                (1, 28, 28, 1), "residual blocks, data augmentation, Keras"),
)
BY_NAME = {m.name: m for m in REGISTRY}


def get(name):
    """The registry entry of ``name``; a clear error lists the known names."""
    if not isinstance(name, str) or name not in BY_NAME:
        raise ValueError(_("unknown course model {name}; the course's models are: {models}. A new model needs a row in "
                           "course_lib.models.REGISTRY.").format(name=repr(name), models=", ".join(BY_NAME)))
    return BY_NAME[name]


def training_notebooks():
    """The two-digit numbers of the notebooks that train a model, in course order, e.g. ["04", "06", ...]."""
    return sorted({m.number for m in REGISTRY})


def data_dir():
    """The course's data folder: ``$COURSE_DATA_DIR`` when set, otherwise ``data/`` of the repository."""
    env = os.environ.get("COURSE_DATA_DIR", "").strip()
    return Path(env) if env else data.DATA_DIR


def models_dir():
    """Where models are saved: ``data_dir() / "models"`` in full mode, its subfolder ``fast`` in fast mode."""
    full = data_dir() / "models"
    return full / "fast" if mode.is_fast() else full


def path(name, directory=None):
    """The file of model ``name`` (for ``kerastools.BestCheckpoint``): ``models_dir() / file``."""
    if directory is not None and not isinstance(directory, (str, os.PathLike)):
        raise TypeError(_("directory must be a folder path (str or pathlib.Path), got {type} {directory}; leave it "
                          "out to use models_dir().").format(type=type(directory).__name__, directory=repr(directory)))
    return Path(directory if directory is not None else models_dir()) / get(name).file


def save(name, model, directory=None):
    """Save the trained ``model`` of registry entry ``name`` (atomically) and return its path.

    model: a ``course_lib.nets`` network (kind "numpy", of the entry's class) or a Keras model (kind "keras").
    """
    entry, target = get(name), path(name, directory)
    if entry.kind == "numpy":
        expected = getattr(nets, entry.net_class)
        if not isinstance(model, expected):
            raise TypeError(_("{name} is a nets.{net_class}; got {type}.").format(
                name=name, net_class=entry.net_class, type=type(model).__name__))
        return model.save(target)
    if isinstance(model, nets.Net) or not all(hasattr(model, a) for a in ("predict", "save", "get_config")):
        raise TypeError(_("{name} is a Keras model; got {type}.").format(name=name, type=type(model).__name__))
    from . import kerastools
    return kerastools.save_model(model, target)


def missing_message(name):
    """What to do when the file of ``name`` is missing: which notebook to run, and in which mode."""
    entry, which = get(name), mode.name()
    return _("{name}: not trained yet in {mode} mode (no {file}). Run {notebook} in {mode} mode to train and save "
             "it: each mode keeps its own models.").format(name=name, mode=which, file=entry.file,
                                                           notebook=entry.notebook)


def _predictor(predict, shape, keras_model=False):
    def read(image):
        x = pixels("image", numbers_array("image", image)).astype(np.float32).reshape(shape)
        return np.asarray(predict(x, verbose=0) if keras_model else softmax(predict(x)))[0]
    return read


def load(name, directory=None):
    """The predictor of model ``name``: a function from one 28x28 image in 0..1 to ten probabilities.

    Raises FileNotFoundError naming the notebook to run when the model's file is missing.
    """
    entry, file = get(name), path(name, directory)
    if not file.is_file():
        raise FileNotFoundError(missing_message(name))
    if entry.kind == "numpy":
        net = getattr(nets, entry.net_class)().load(file)
        return _predictor(net.predict, entry.input_shape)
    from . import kerastools
    return _predictor(kerastools.load_model(file, notebook=entry.notebook).predict, entry.input_shape,
                      keras_model=True)


def load_all(directory=None):
    """(predictors: name -> function, missing: list of messages) for every model of the registry."""
    predictors, missing = {}, []
    for entry in REGISTRY:
        try:
            predictors[entry.name] = load(entry.name, directory)
        except FileNotFoundError as exc:
            missing.append(str(exc))
    return predictors, missing


def top3(probs):
    """The three most probable digits as [(digit, probability), ...], most probable first.

    probs: (10,) probabilities.
    """
    probs = numbers_array("probs", probs, N_("probabilities"))
    if probs.shape != (10,):
        raise ValueError(_("probs: expected 10 probabilities, shape (10,), got shape {shape}; pass what one "
                           "predictor returns for one image.").format(shape=probs.shape))
    if not np.all(np.isfinite(probs)) or probs.min() < 0 or probs.max() > 1:
        raise ValueError(_("probs must be probabilities in [0, 1], got {probs}: pass softmax(scores), not the "
                           "scores (a NaN means the model's output is broken).").format(
            probs=np.round(probs, 3).tolist()))
    order = np.argsort(probs)[::-1][:3]
    return [(int(d), float(probs[d])) for d in order]


def read_digit(image, predictors):
    """Top-3 of every predictor for one preprocessed 28x28 image: name -> [(digit, probability), ...].

    image: (28, 28) pixels in 0..1; predictors: name -> function, as from ``load_all()``.
    """
    image = numbers_array("image", image, N_("pixels"))
    if image.shape != (28, 28):
        raise ValueError(_("image must be one preprocessed 28x28 digit (draw.preprocess(...)['centred']), got shape "
                           "{shape}.").format(shape=image.shape))
    if not np.all(np.isfinite(image)) or image.min() < 0 or image.max() > 1:
        raise ValueError(_("image must hold pixels in 0..1 (draw.preprocess(...)['centred']), got values from {min} "
                           "to {max}: divide 0-255 pixels by 255.").format(min=image.min(), max=image.max()))
    if not isinstance(predictors, Mapping) or not all(callable(p) for p in predictors.values()):
        raise TypeError(_("predictors must be a dict name -> function (one image -> 10 probabilities), as from "
                          "models.load_all()[0]; got {name}.").format(name=type(predictors).__name__))
    return {name: top3(predict(image)) for name, predict in predictors.items()}
