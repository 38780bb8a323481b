"""The course map: every notebook in teaching order, what it teaches, and its
full-mode run time on a 2-core laptop CPU (measured with `make notebooks`).

A test checks that this list and the files in ``notebooks/`` never drift apart.
"""

NOTEBOOKS = [
    ("00_welcome_and_data.ipynb", "Welcome and the data",
     "MNIST as arrays: shapes, pixels, class counts, a first look at the digits", 1),
    ("01_tensors.ipynb", "Tensors",
     "axes, shape and dtype; reshape, channel layouts, broadcasting; a dense layer as a matrix product", 1),
    ("02_softmax_cross_entropy.ipynb", "Softmax and cross-entropy",
     "stable softmax, temperature, cross-entropy, a linear classifier with a hand-derived gradient", 1),
    ("03_backpropagation.ipynb", "Backpropagation",
     "computational graphs, the chain rule, layers with forward/backward, gradient checks", 1),
    ("04_two_layer_net.ipynb", "The two-layer network",
     "TwoLayerNet trained from scratch to 97%, backprop vs numerical gradient, its mistakes", 1),
    ("05_optimizers_init.ipynb", "Optimisers and initialisation",
     "SGD, Momentum, AdaGrad, RMSProp, Adam; Xavier and He initialisation", 1),
    ("06_keras_six_steps.ipynb", "The six-step Keras workflow",
     "import, prepare, build, compile, fit, plot; Sequential vs subclassed Model; saving .keras", 1),
    ("07_overfitting_regularisation.ipynb", "Overfitting, regularisation and dropout",
     "learning curves, more data, L2, dropout (both forms), early stopping", 6),
    ("08_convolution_arithmetic.ipynb", "Convolution arithmetic",
     "convolution three ways, output sizes, shared weights, receptive fields, pooling, im2col", 1),
    ("09_cnn_layers.ipynb", "CNN layers from scratch",
     "vectorised Conv2D, MaxPool2D and Flatten with gradient checks; a small ConvNet at 98%", 2),
    ("10_deep_convnet.ipynb", "The deep ConvNet in NumPy",
     "six conv layers, He init, Adam, dropout: above 99% in NumPy; save/load; the same net in Keras", 6),
    ("11_nielsen_cnn_keras.ipynb", "Nielsen's CNN in Keras",
     "one and two conv layers, choosing the epoch on validation data, 99.3%, mistakes, filters", 4),
    ("12_resnet_augmentation.ipynb", "Residual networks and augmentation",
     "residual blocks with the functional API, data augmentation, 99.5%", 9),
    ("13_draw_and_leaderboard.ipynb", "Draw your own digit, and the leaderboard",
     "MNIST-style preprocessing, every model reads your digit, the course leaderboard", 1),
]


def course_map_markdown():
    """The course map as a Markdown table."""
    rows = ["| # | Notebook | What you learn | Full mode (2-core CPU) |", "|---|---|---|---|"]
    for file, title, what, minutes in NOTEBOOKS:
        rows.append(f"| {file[:2]} | [{title}]({file}) | {what} | about {minutes} min |")
    return "\n".join(rows)
