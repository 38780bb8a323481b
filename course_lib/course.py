"""The course map: its parts, and every notebook in teaching order with what it teaches and its full-mode run
time on a 2-core laptop CPU (measured with `make notebooks`).

This is the one table of the course's notebooks: notebook 00 renders it, the website's table of contents is
built from it, and a test checks that it and the files in ``notebooks/`` never drift apart.
"""

PARTS = {
    "I": "Data and tensors",
    "II": "Neural networks from scratch (NumPy)",
    "III": "Keras and generalisation",
    "IV": "Convolutional networks",
    "V": "Your own digit",
}

# (file, title, part, what you learn, full-mode minutes)
NOTEBOOKS = [
    ("00_welcome_and_data.ipynb", "Welcome and the data", "I",
     "MNIST as arrays: shapes, pixels, class counts, a first look at the digits", 1),
    ("01_tensors.ipynb", "Tensors", "I",
     "axes, shape and dtype; reshape, channel layouts, broadcasting; a dense layer as a matrix product", 1),
    ("02_softmax_cross_entropy.ipynb", "Softmax and cross-entropy", "II",
     "you write a stable softmax and the cross-entropy loss; temperature; a linear classifier", 1),
    ("03_backpropagation.ipynb", "Backpropagation", "II",
     "computational graphs, the chain rule; you write the backward passes of ReLU, Sigmoid, Affine and the loss", 1),
    ("04_two_layer_net.ipynb", "The two-layer network", "II",
     "you write the sanity checks (initial loss, overfitting 20 images, a sampled gradient check) and the minibatch "
     "training loop; TwoLayerNet trained from scratch to about 97%", 1),
    ("05_optimizers_init.ipynb", "Optimisers, initialisation and batch normalisation", "II",
     "you write SGD, Momentum, Adam and batch normalisation; a learning-rate search; Xavier and He initialisation", 2),
    ("06_keras_six_steps.ipynb", "The six-step Keras workflow", "III",
     "import, prepare, build, compile, fit, plot; a validation split; confusion matrix; saving .keras", 1),
    ("07_overfitting_regularisation.ipynb", "Overfitting, regularisation and dropout", "III",
     "learning curves, more data, L2, you write dropout; early stopping, information leaks, K-fold", 15),
    ("08_convolution_arithmetic.ipynb", "Convolution arithmetic", "IV",
     "you write a convolution and im2col; output sizes, shared weights, receptive fields, pooling", 1),
    ("09_cnn_layers.ipynb", "CNN layers from scratch", "IV",
     "you write the backward pass of a convolution and max pooling; vectorised Conv2D; a small ConvNet at 98%", 2),
    ("10_deep_convnet.ipynb", "The deep ConvNet in NumPy", "IV",
     "six conv layers, He init, Adam, dropout: above 99% in NumPy; save/load; the same net in Keras", 25),
    ("11_nielsen_cnn_keras.ipynb", "Nielsen's CNN in Keras", "IV",
     "one and two conv layers, learning-rate schedules, choosing the epoch on validation data, 99.3%, mistakes", 21),
    ("12_resnet_augmentation.ipynb", "Residual networks and augmentation", "IV",
     "batch norm and global average pooling in Keras, residual vs plain networks, data augmentation, 99.5%", 44),
    ("13_draw_and_leaderboard.ipynb", "Draw your own digit, and the leaderboard", "V",
     "MNIST-style preprocessing, every model reads your digit, the course leaderboard", 1),
]


def course_map_markdown():
    """The course map as a Markdown table, one block of rows per part."""
    rows = ["| # | Notebook | What you learn | Full mode (2-core CPU) |", "|---|---|---|---|"]
    for part, part_title in PARTS.items():
        rows.append(f"| | **Part {part} · {part_title}** | | |")
        for file, title, in_part, what, minutes in NOTEBOOKS:
            if in_part == part:
                rows.append(f"| {file[:2]} | [{title}]({file}) | {what} | about {minutes} min |")
    return "\n".join(rows)


def part_line(file):
    """The line every notebook shows under its title, e.g. ``*Part II · Neural networks from scratch (NumPy)*``."""
    for name, _title, part, *_ in NOTEBOOKS:
        if name == file:
            return f"*Part {part} · {PARTS[part]}*"
    raise ValueError(f"{file!r} is not a notebook of the course map; known: {[n for n, *_ in NOTEBOOKS]}.")
