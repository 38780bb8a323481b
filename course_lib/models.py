"""Every model the course trains, loaded from the files the training notebooks saved.

``load_all()`` returns a predictor per model (a function from one 28x28 image
in 0..1 to ten probabilities) and, for every missing file, a message naming
the notebook that creates it. Keras is imported only when a ``.keras`` file
is actually loaded.
"""

import numpy as np

from . import nets
from .data import MODELS_DIR
from .functions import softmax

# model name -> (file in data/models, notebook that saves it)
FILES = {
    "NumPy two-layer net": ("two_layer_net.npz", "04_two_layer_net.ipynb"),
    "Keras MLP": ("keras_mlp.keras", "06_keras_six_steps.ipynb"),
    "Nielsen CNN, two conv": ("nielsen_two_conv.keras", "11_nielsen_cnn_keras.ipynb"),
    "NumPy deep ConvNet": ("deep_convnet.npz", "10_deep_convnet.ipynb"),
    "Keras ResNet + augmentation": ("resnet.keras", "12_resnet_augmentation.ipynb"),
}


def _numpy_predictor(net, shape):
    return lambda image: softmax(net.predict(np.asarray(image, np.float32).reshape(shape)))[0]


def _keras_predictor(model, shape):
    return lambda image: np.asarray(model.predict(np.asarray(image, np.float32).reshape(shape), verbose=0))[0]


def load(name, directory=MODELS_DIR):
    """The predictor of one model; FileNotFoundError names the notebook to run when its file is missing."""
    filename, notebook = FILES[name]
    path = directory / filename
    if not path.is_file():
        raise FileNotFoundError(f"{name}: no saved model ({filename}). Run {notebook} in full mode to train and save it.")
    if name == "NumPy two-layer net":
        return _numpy_predictor(nets.TwoLayerNet().load(path), (1, 784))
    if name == "NumPy deep ConvNet":
        return _numpy_predictor(nets.DeepConvNet().load(path), (1, 1, 28, 28))
    from . import kerastools
    model = kerastools.load_model(path, notebook=notebook)
    shape = (1, 28, 28) if name == "Keras MLP" else (1, 28, 28, 1)
    return _keras_predictor(model, shape)


def load_all(directory=MODELS_DIR):
    """(predictors: name -> function, missing: list of messages) for every model of the course."""
    predictors, missing = {}, []
    for name in FILES:
        try:
            predictors[name] = load(name, directory)
        except FileNotFoundError as exc:
            missing.append(str(exc))
    return predictors, missing


def top3(probs):
    """The three most probable digits as [(digit, probability), ...], most probable first."""
    probs = np.asarray(probs)
    if probs.shape != (10,):
        raise ValueError(f"expected 10 probabilities, got shape {probs.shape}.")
    order = np.argsort(probs)[::-1][:3]
    return [(int(d), float(probs[d])) for d in order]


def read_digit(image, predictors):
    """Top-3 of every predictor for one preprocessed 28x28 image: name -> [(digit, probability), ...]."""
    return {name: top3(predict(image)) for name, predict in predictors.items()}
