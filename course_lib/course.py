"""The course map: its parts, and every notebook in teaching order with what it teaches and its full-mode run
time on a 2-core laptop CPU.

This is the one table of the course's notebooks: notebook 00 renders it, the website's table of contents is
built from it, and a test checks that it and the files in ``notebooks/`` never drift apart. The times are not
written here: they come from ``profile.json`` beside this file, the record that `make profile`
(tools/profile_notebooks.py) updates with every notebook it measures.
"""

import json
import math
from pathlib import Path

PROFILE = Path(__file__).with_name("profile.json")

PARTS = {
    "I": "Data and tensors",
    "II": "Neural networks from scratch (NumPy)",
    "III": "Keras and generalisation",
    "IV": "Convolutional networks",
    "V": "Your own digit",
}

# (file, title, part, what you learn)
NOTEBOOKS = [
    ("00_welcome_and_data.ipynb", "Welcome and the data", "I",
     "MNIST as arrays: shapes, pixels, class counts, a first look at the digits"),
    ("01_tensors.ipynb", "Tensors", "I",
     "axes, shape and dtype; reshape, channel layouts, broadcasting; a dense layer as a matrix product"),
    ("02_softmax_cross_entropy.ipynb", "Softmax and cross-entropy", "II",
     "you write a stable softmax and the cross-entropy loss; temperature; a linear classifier"),
    ("03_backpropagation.ipynb", "Backpropagation", "II",
     "computational graphs, the chain rule; you write the backward passes of ReLU, Sigmoid, Affine and the loss"),
    ("04_two_layer_net.ipynb", "The two-layer network", "II",
     "you write the minibatch training loop; TwoLayerNet trained from scratch to about 97%"),
    ("05_optimizers_init.ipynb", "Optimisers, initialisation and batch normalisation", "II",
     "you write SGD, Momentum, Adam and batch normalisation; Xavier and He initialisation"),
    ("06_keras_six_steps.ipynb", "The six-step Keras workflow", "III",
     "import, prepare, build, compile, fit, plot; a validation split; confusion matrix; saving .keras"),
    ("07_overfitting_regularisation.ipynb", "Overfitting, regularisation and dropout", "III",
     "learning curves, more data, L2, you write dropout; early stopping, information leaks, K-fold"),
    ("08_convolution_arithmetic.ipynb", "Convolution arithmetic", "IV",
     "you write a convolution and im2col; output sizes, shared weights, receptive fields, pooling"),
    ("09_cnn_layers.ipynb", "CNN layers from scratch", "IV",
     "you write the backward pass of a convolution and max pooling; vectorised Conv2D; a small ConvNet at 98%"),
    ("10_deep_convnet.ipynb", "The deep ConvNet in NumPy", "IV",
     "six conv layers, He init, Adam, dropout: above 99% in NumPy; save/load; the same net in Keras"),
    ("11_nielsen_cnn_keras.ipynb", "Nielsen's CNN in Keras", "IV",
     "one and two conv layers, learning-rate schedules, choosing the epoch on validation data, 99.3%, mistakes"),
    ("12_resnet_augmentation.ipynb", "Residual networks and augmentation", "IV",
     "batch norm and global average pooling in Keras, residual vs plain networks, data augmentation, 99.5%"),
    ("13_draw_and_leaderboard.ipynb", "Draw your own digit, and the leaderboard", "V",
     "MNIST-style preprocessing, every model reads your digit, the course leaderboard"),
]
# The notebooks' file names in teaching order: every tool that walks the notebooks takes them from here.
FILES = [file for file, *_ in NOTEBOOKS]


# The course's four source notes (Chinese blog posts), cited by title with an English gloss wherever a notebook uses
# them: (key, title, English gloss, what it is, the notebooks that follow it). A test checks every notebook against it.
SOURCES = [
    ("A", "「【深度学习】手写数字识别及神经网络基本模型」",
     "Deep learning: handwritten digit recognition and basic neural-network models",
     "a study diary of 2021-10-07 on tensors, the tf.keras six-step MLP and overfitting from 5 to 200 epochs",
     ("01_tensors.ipynb", "06_keras_six_steps.ipynb", "07_overfitting_regularisation.ipynb")),
    ("B", "「卷积神经网络实践」", "Convolutional networks in practice",
     "a Theano walk-through of Nielsen's `network3.py` on the blog 蘑菇先生学习记, with the author's own runs",
     ("07_overfitting_regularisation.ipynb", "08_convolution_arithmetic.ipynb", "11_nielsen_cnn_keras.ipynb")),
    ("C", "「《手写数字识别》神经网络 学习笔记」", "Handwritten digit recognition: neural-network study notes",
     "a CSDN post of 2020 on the NumPy two-layer network of *Deep Learning from Scratch*",
     ("02_softmax_cross_entropy.ipynb", "03_backpropagation.ipynb", "04_two_layer_net.ipynb")),
    ("D", "「基于深度学习的手写数字识别、python实现」", "Handwritten digit recognition with deep learning, in Python",
     "a post on the NumPy deep ConvNet of *Deep Learning from Scratch*, chapter 8",
     ("05_optimizers_init.ipynb", "09_cnn_layers.ipynb", "10_deep_convnet.ipynb")),
]


def source_citation(key):
    """The further-reading line of source note ``key`` ("A" to "D"), exactly as the notebooks print it."""
    for name, title, gloss, what, _notebooks in SOURCES:
        if name == key:
            return f'- {title} ("{gloss}"), {what} (source note {name} of this course).'
    raise ValueError(f"key must be one of {[s[0] for s in SOURCES]}, got {key!r}.")


def full_mode_minutes(path=PROFILE):
    """Minutes of a full-mode run per notebook file (wall time rounded half up, at least 1), from the profile record."""
    record = json.loads(Path(path).read_text(encoding="utf-8")).get("full", {})
    return {file: max(1, math.floor(entry["wall_s"] / 60 + 0.5)) for file, entry in record.items()}


def course_map_markdown():
    """The course map as a Markdown table, one block of rows per part."""
    minutes = full_mode_minutes()
    rows = ["| # | Notebook | What you learn | Full mode (2-core CPU) |", "|---|---|---|---|"]
    for part, part_title in PARTS.items():
        rows.append(f"| | **Part {part} · {part_title}** | | |")
        for file, title, in_part, what in NOTEBOOKS:
            if in_part == part:
                time = f"about {minutes[file]} min" if file in minutes else "not measured yet"
                rows.append(f"| {file[:2]} | [{title}]({file}) | {what} | {time} |")
    return "\n".join(rows)


def part_line(file):
    """The line every notebook shows under its title, e.g. ``*Part II · Neural networks from scratch (NumPy)*``."""
    for name, _title, part, *_ in NOTEBOOKS:
        if name == file:
            return f"*Part {part} · {PARTS[part]}*"
    raise ValueError(f"{file!r} is not a notebook of the course map; known: {FILES}.")
