"""Checkers for the exercises at the end of every notebook.

Each ``check_*`` function runs a learner's answer (a value or a function) on
the cases that matter and returns a ``Feedback``: it shows as a short message
in the notebook and is truthy only when the answer is right.
"""

import numpy as np


class Feedback:
    """Result of a check: ``bool(fb)`` tells whether it passed, ``repr`` says what to do."""

    def __init__(self, ok, message):
        self.ok = bool(ok)
        self.message = message

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return ("Correct! " if self.ok else "Not yet: ") + self.message


def _unanswered(answer):
    return answer is None or answer is Ellipsis


NOT_ANSWERED = Feedback(False, "replace the ... with your answer and run the cell again.")


# -- 00 welcome and the data -------------------------------------------------

def check_fraction_of_ones(answer, t_train):
    """Fraction of training labels equal to 1."""
    if _unanswered(answer):
        return NOT_ANSWERED
    expected = float(np.mean(np.asarray(t_train) == 1))
    if isinstance(answer, (int, np.integer)) and answer == np.sum(np.asarray(t_train) == 1):
        return Feedback(False, f"{answer} is the count of ones; divide by the number of labels ({len(t_train)}).")
    if not np.isscalar(answer) or not np.isfinite(answer):
        return Feedback(False, f"expected one number between 0 and 1, got {answer!r}.")
    if abs(float(answer) - expected * 100) < 1e-6:
        return Feedback(False, "that is a percentage; give the fraction (between 0 and 1).")
    if abs(float(answer) - expected) > 1e-6:
        return Feedback(False, f"{answer} is not it. Compare the labels with 1 (`t_train == 1`) and take the mean.")
    return Feedback(True, f"{expected:.4f} of the training digits are ones, the most common class.")


def check_first_index(answer, labels, digit):
    """Index of the first occurrence of ``digit`` in ``labels``."""
    if _unanswered(answer):
        return NOT_ANSWERED
    labels = np.asarray(labels)
    expected = int(np.flatnonzero(labels == digit)[0])
    if not isinstance(answer, (int, np.integer)):
        return Feedback(False, f"expected an integer index, got {type(answer).__name__}.")
    if answer == expected + 1:
        return Feedback(False, "off by one: Python indices start at 0.")
    if answer != expected:
        shown = labels[answer] if 0 <= answer < len(labels) else "nothing (out of range)"
        return Feedback(False, f"labels[{answer}] is {shown}. Try `np.flatnonzero(labels == {digit})[0]`.")
    return Feedback(True, f"the first {digit} sits at index {expected}.")


def check_mean_image(answer, x, labels, digit):
    """Mean image of one class, shaped (28, 28)."""
    if _unanswered(answer):
        return NOT_ANSWERED
    answer = np.asarray(answer)
    expected = np.asarray(x)[np.asarray(labels) == digit].reshape(-1, 28, 28).mean(axis=0)
    if answer.shape != (28, 28):
        return Feedback(False, f"expected shape (28, 28), got {answer.shape}. Reshape the 784-vectors to 28x28.")
    if np.allclose(answer, np.asarray(x).reshape(-1, 28, 28).mean(axis=0), atol=1e-5):
        return Feedback(False, f"that is the mean of all digits; select only the {digit}s first.")
    if not np.allclose(answer, expected, atol=1e-5):
        return Feedback(False, f"values differ. Select rows with `labels == {digit}`, then `.mean(axis=0)`.")
    return Feedback(True, f"the average {digit} is a blurry but recognisable {digit}.")


def _call(fn, *args, allow_none=False):
    """Run a learner's function; turn an exception or a missing return value into feedback."""
    try:
        result = fn(*args)
    except Exception as exc:  # the learner's code may raise anything
        return None, Feedback(False, f"{getattr(fn, '__name__', 'your code')} raised {type(exc).__name__}: {exc}")
    if result is None and not allow_none:
        return None, Feedback(False, f"{getattr(fn, '__name__', 'your function')} returns None: write its body "
                                     "(replace the ...) and return the result.")
    return result, None


def check_number(answer, expected, what, hint, rel=1e-6):
    """A numeric answer: right within ``rel``, or feedback with ``hint``."""
    if _unanswered(answer):
        return NOT_ANSWERED
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return Feedback(False, f"expected a number for {what}, got {answer!r}.")
    if abs(value - expected) > rel * max(1.0, abs(expected)):
        return Feedback(False, f"{value:g} is not {what}. {hint}")
    return Feedback(True, f"{what} is {expected:,g}.")


# -- 01 tensors ---------------------------------------------------------------

def check_to_channels_last(fn):
    """``fn(x)`` turns flat images (N, 784) into (N, 28, 28, 1) without changing x."""
    if _unanswered(fn):
        return NOT_ANSWERED
    x = np.arange(3 * 784, dtype=np.float32).reshape(3, 784)
    keep = x.copy()
    out, err = _call(fn, x)
    if err is not None:
        return err
    out = np.asarray(out)
    if out.shape != (3, 28, 28, 1):
        return Feedback(False, f"for input (3, 784) you return shape {out.shape}; expected (3, 28, 28, 1). "
                               "Keep the batch axis first and put the channel axis last: reshape(-1, 28, 28, 1).")
    if not np.array_equal(out[1, 2, :, 0], x[1, 56:84]):
        return Feedback(False, "the shape is right but pixels moved: reshape, do not transpose.")
    if not np.array_equal(x, keep):
        return Feedback(False, "your function changed its input; return a new array instead.")
    return Feedback(True, "a batch of 3 flat images became 3 images of 28x28 with one channel.")


def check_dense(fn):
    """``fn(x, W, b)`` computes a dense layer ``x @ W + b`` on a batch."""
    if _unanswered(fn):
        return NOT_ANSWERED
    rng = np.random.default_rng(0)
    x, W, b = rng.standard_normal((4, 6)), rng.standard_normal((6, 3)), rng.standard_normal(3)
    out, err = _call(fn, x, W, b)
    if err is not None:
        return err
    out = np.asarray(out)
    if out.shape != (4, 3):
        return Feedback(False, f"x (4, 6), W (6, 3), b (3,) should give (4, 3), you return {out.shape}. "
                               "Multiply x by W (x @ W), then add b.")
    if np.allclose(out, x @ W):
        return Feedback(False, "the bias is missing: add b (broadcasting adds it to every row).")
    if not np.allclose(out, x @ W + b):
        return Feedback(False, "values differ from x @ W + b. Check the order of the matrix product.")
    return Feedback(True, "one matrix product plus a broadcast bias handles the whole batch at once.")


def check_dense_params(answer, inputs, outputs):
    """Parameter count of a dense layer: inputs * outputs weights plus outputs biases."""
    if not _unanswered(answer) and answer == inputs * outputs:
        return Feedback(False, "you counted the weights only; each output also has a bias.")
    return check_number(answer, inputs * outputs + outputs, "the parameter count",
                        "Weights: one per (input, output) pair. Biases: one per output.")


# -- 02 softmax and cross-entropy --------------------------------------------

def check_softmax(fn):
    """``fn(x)``: softmax over the last axis of (N, C) scores, stable for large scores."""
    if _unanswered(fn):
        return NOT_ANSWERED
    cases = {
        "small scores": np.array([[0.3, 2.9, 4.0], [1.0, 1.0, 1.0]]),
        "scores around 1000": np.array([[1000.0, 1001.0, 1002.0]]),
        "scores around -1000": np.array([[-1000.0, -1001.0, -1002.0]]),
    }
    for label, x in cases.items():
        keep = x.copy()
        out, err = _call(fn, x)
        if err is not None:
            return err
        out = np.asarray(out, dtype=np.float64)
        if out.shape != x.shape:
            return Feedback(False, f"for {label} of shape {x.shape} you return {out.shape}. "
                                   "Sum over the last axis with keepdims=True.")
        if not np.all(np.isfinite(out)):
            return Feedback(False, f"your softmax returns nan or inf for {label}: subtract each row's maximum "
                                   "before np.exp.")
        z = np.exp(x - x.max(axis=-1, keepdims=True))
        if not np.allclose(out, z / z.sum(axis=-1, keepdims=True)):
            if np.allclose(out.sum(), 1):
                return Feedback(False, f"for {label} the whole batch sums to 1; each row should. "
                                       "Use axis=-1 and keepdims=True.")
            return Feedback(False, f"wrong values for {label}: each row should be exp(x) / sum(exp(x)).")
        if not np.array_equal(x, keep):
            return Feedback(False, "your softmax changed its input in place; compute on a new array.")
    return Feedback(True, "finite for huge and tiny scores, rows sum to 1.")


def check_cross_entropy(fn):
    """``fn(y, t)``: mean cross-entropy of probabilities (N, C) against labels (N,)."""
    if _unanswered(fn):
        return NOT_ANSWERED
    y = np.array([[0.1, 0.7, 0.2], [0.25, 0.25, 0.5], [0.0, 1.0, 0.0]])
    t = np.array([1, 2, 0])
    expected = -np.mean(np.log(y[np.arange(3), t] + 1e-7))
    out, err = _call(fn, y, t)
    if err is not None:
        return err
    if out is None or not np.isscalar(out) and np.ndim(out) != 0:
        return Feedback(False, f"return one number (the batch mean), got {out!r}.")
    if not np.isfinite(out):
        return Feedback(False, "you get inf when a label's probability is 0: add a tiny eps (1e-7) inside the log.")
    if np.isclose(out, expected * 3, rtol=1e-4):
        return Feedback(False, "that is the sum over the batch; divide by the batch size for the mean.")
    if not np.isclose(out, expected, rtol=1e-4):
        return Feedback(False, "pick each row's probability at its label, y[np.arange(N), t], then -mean(log(...)).")
    return Feedback(True, "the loss is the mean of -log(probability of the right class).")


# -- 03 backpropagation -------------------------------------------------------

def _check_backward(make, inputs, expected, name):
    if _unanswered(make):
        return NOT_ANSWERED
    layer, err = _call(make)
    if err is not None:
        return err
    dout = np.random.default_rng(1).standard_normal(expected[0].shape)
    out, err = _call(layer.forward, *inputs)
    if err is not None:
        return err
    if not np.allclose(out, expected[0]):
        return Feedback(False, f"{name}.forward gives wrong values.")
    grads, err = _call(layer.backward, dout)
    if err is not None:
        return err
    grads = grads if isinstance(grads, tuple) else (grads,)
    for i, (g, want) in enumerate(zip(grads, expected[1])):
        g = np.asarray(g)
        if g.shape != want(dout).shape or not np.allclose(g, want(dout)):
            return Feedback(False, f"{name}.backward: gradient {i + 1} is wrong. Multiply the upstream gradient "
                                   "dout by the local derivative.")
    return None


def check_sigmoid_layer(cls):
    """A class with ``forward(x)`` and ``backward(dout)`` for the sigmoid."""
    x = np.array([[-2.0, 0.0, 3.0], [1.0, -1.0, 0.5]])
    y = 1 / (1 + np.exp(-x))
    bad = _check_backward(cls, (x,), (y, [lambda d: d * y * (1 - y)]), "Sigmoid")
    if bad is not None:
        if not bad.ok and "backward" in bad.message:
            bad.message += " For the sigmoid that is y * (1 - y), using the y saved in forward."
        return bad
    return Feedback(True, "dout * y * (1 - y): the sigmoid's derivative written with its own output.")


def check_mul_layer(cls):
    """A class with ``forward(x, y)`` and ``backward(dout)`` returning ``(dx, dy)``."""
    x, y = np.array([2.0, -3.0]), np.array([5.0, 4.0])
    bad = _check_backward(cls, (x, y), (x * y, [lambda d: d * y, lambda d: d * x]), "MulLayer")
    if bad is not None:
        if not bad.ok and "backward" in bad.message:
            bad.message += " A multiply node swaps its inputs: dx = dout * y, dy = dout * x."
        return bad
    return Feedback(True, "the multiply node sends each input the other input times dout.")


# -- 04 the two-layer network -------------------------------------------------

def check_param_count(answer, input_size, hidden_size, output_size):
    """Number of parameters of a two-layer net."""
    expected = input_size * hidden_size + hidden_size + hidden_size * output_size + output_size
    return check_number(answer, expected, f"the parameter count of a {input_size}-{hidden_size}-{output_size} net",
                        "Count weights (inputs x outputs) and biases (one per output) for both Affine layers.")


def check_iter_per_epoch(answer, train_size, batch_size):
    """Iterations per epoch: max(train_size / batch_size, 1)."""
    return check_number(answer, max(train_size / batch_size, 1), "the number of iterations per epoch",
                        "One epoch sees train_size examples, batch_size at a time: divide.")


# -- 05 optimisers and initialisation -----------------------------------------

def check_momentum(cls):
    """A class ``cls(lr, momentum)`` with ``update(params, grads)`` implementing Momentum."""
    if _unanswered(cls):
        return NOT_ANSWERED
    opt, err = _call(cls, 0.1, 0.9)
    if err is not None:
        return err
    params = {"w": np.array([1.0, -2.0])}
    grads = {"w": np.array([0.5, 1.0])}
    expected, v = params["w"].copy(), np.zeros(2)
    for step in range(1, 4):
        _, err = _call(opt.update, params, grads, allow_none=True)
        if err is not None:
            return err
        v = 0.9 * v - 0.1 * grads["w"]
        if step == 1 and np.array_equal(params["w"], expected):
            return Feedback(False, "update() did not change params: write its body and update params[k] in place.")
        expected = expected + v
        if not np.allclose(params["w"], expected):
            if step == 1:
                return Feedback(False, "the first step should equal plain SGD: w - lr * g. Update params in place.")
            return Feedback(False, f"step {step} is wrong: keep a velocity v per parameter, v = momentum * v - "
                                   "lr * g, then w += v.")
    return Feedback(True, "with a constant gradient the steps grow: 0.05, 0.095, 0.1355, ...")


def check_he_std(fn):
    """``fn(fan_in)``: the standard deviation of He initialisation."""
    if _unanswered(fn):
        return NOT_ANSWERED
    for fan_in in (784, 50, 9):
        out, err = _call(fn, fan_in)
        if err is not None:
            return err
        if np.isclose(out, np.sqrt(1 / fan_in)):
            return Feedback(False, "that is Xavier's sqrt(1 / fan_in); He doubles the variance for ReLU.")
        if np.isclose(out, 2 / fan_in):
            return Feedback(False, "that is the variance; the standard deviation is its square root.")
        if not np.isclose(out, np.sqrt(2 / fan_in)):
            return Feedback(False, f"for fan_in={fan_in} you return {out}; expected sqrt(2 / fan_in).")
    return Feedback(True, "std = sqrt(2 / fan_in) keeps ReLU activations from shrinking layer after layer.")


# -- 06 the Keras workflow ----------------------------------------------------

def check_best_epoch(fn):
    """``fn(history_dict)`` returns the 1-based epoch of the best validation accuracy, for any metric name."""
    if _unanswered(fn):
        return NOT_ANSWERED
    cases = [
        {"loss": [0.9, 0.5, 0.4, 0.3], "accuracy": [0.7, 0.8, 0.85, 0.9],
         "val_loss": [0.6, 0.45, 0.5, 0.55], "val_accuracy": [0.80, 0.86, 0.88, 0.87]},
        {"loss": [0.5, 0.4, 0.3], "sparse_categorical_accuracy": [0.9, 0.95, 0.97],
         "val_loss": [0.3, 0.3, 0.4], "val_sparse_categorical_accuracy": [0.95, 0.93, 0.94]},
    ]
    for h, expected in zip(cases, (3, 1)):
        out, err = _call(fn, h)
        if err is not None:
            return err
        if out == expected - 1:
            return Feedback(False, "off by one: epochs count from 1, list indices from 0.")
        if out != expected:
            keys = ", ".join(h)
            return Feedback(False, f"for a history with keys {keys} you return {out!r}, expected {expected}. Find "
                                   "the validation key holding 'acc' and take the argmax of its list.")
    return Feedback(True, "works with 'val_accuracy' and 'val_sparse_categorical_accuracy' alike.")


# -- 07 overfitting and regularisation -----------------------------------------

def check_l2_model(model, factor):
    """A Keras model whose Dense layers all carry an L2 kernel regulariser of ``factor``."""
    if _unanswered(model):
        return NOT_ANSWERED
    dense = [layer for layer in getattr(model, "layers", []) if type(layer).__name__ == "Dense"]
    if not dense:
        return Feedback(False, "expected a Keras model with Dense layers (e.g. kt.mlp(...)).")
    for layer in dense:
        reg = layer.kernel_regularizer
        if reg is None:
            return Feedback(False, f"layer {layer.name} has no kernel_regularizer: add L2 to every Dense layer.")
        got = reg.get_config().get("l2")
        if got is None or not np.isclose(got, factor):
            return Feedback(False, f"layer {layer.name} has regulariser {reg.get_config()}; expected L2 of {factor}.")
    return Feedback(True, f"all {len(dense)} Dense layers pay {factor} * sum(w**2) in the loss.")


def check_stop_epoch(fn):
    """``fn(val_losses, patience)``: the epoch at which early stopping ends training."""
    if _unanswered(fn):
        return NOT_ANSWERED
    cases = [([0.9, 0.7, 0.6, 0.65, 0.7, 0.62, 0.8], 3, 6),
             ([0.5, 0.4, 0.3, 0.2], 2, 4),
             ([0.5, 0.6, 0.4, 0.45, 0.5], 2, 5),
             ([0.5, 0.5, 0.5], 1, 2)]
    for losses, patience, expected in cases:
        out, err = _call(fn, list(losses), patience)
        if err is not None:
            return err
        if out != expected:
            hint = ("an equal loss is no improvement. " if losses == [0.5, 0.5, 0.5] else "")
            return Feedback(False, f"for losses {losses} and patience {patience} you return {out!r}, expected "
                                   f"{expected}. {hint}Track the best loss and its epoch; stop once "
                                   "epoch - best_epoch reaches patience.")
    return Feedback(True, "this is exactly the rule keras.callbacks.EarlyStopping applies.")


# -- 08 convolution arithmetic ------------------------------------------------

def check_output_size(fn):
    """``fn(size, filter_size, stride, pad)``: output length of a convolution along one axis (exact tilings)."""
    if _unanswered(fn):
        return NOT_ANSWERED
    for args, expected in [((28, 5, 1, 0), 24), ((24, 2, 2, 0), 12), ((14, 3, 1, 2), 16), ((7, 3, 2, 1), 4),
                           ((32, 5, 1, 2), 32)]:
        out, err = _call(fn, *args)
        if err is not None:
            return err
        if out != expected:
            size, f, s, p = args
            return Feedback(False, f"for size {size}, filter {f}, stride {s}, pad {p} you return {out!r}, expected "
                                   f"{expected}. Use (size - filter + 2 * pad) // stride + 1 (padding goes on both "
                                   "sides).")
    return Feedback(True, "(W - F + 2P) / S + 1 for every case.")


def check_naive_conv(fn):
    """``fn(x, W)``: stride-1, no-padding cross-correlation of x (C, H, W) with filters W (FN, C, FH, FW)."""
    if _unanswered(fn):
        return NOT_ANSWERED
    rng = np.random.default_rng(0)
    x, W = rng.standard_normal((2, 5, 6)), rng.standard_normal((3, 2, 3, 2))

    def correlate(kernels):
        return np.array([[[np.sum(x[:, i:i + 3, j:j + 2] * k) for j in range(5)] for i in range(3)] for k in kernels])

    expected = correlate(W)
    out, err = _call(fn, x, W)
    if err is not None:
        return err
    out = np.asarray(out)
    if out.shape != expected.shape:
        return Feedback(False, f"x (2, 5, 6) and W (3, 2, 3, 2) should give (3, 3, 5), you return {out.shape}. "
                               "One output channel per filter; OH = H - FH + 1, OW = W - FW + 1.")
    flipped = correlate(W[:, :, ::-1, ::-1])
    if np.allclose(out, flipped):
        return Feedback(False, "you flipped the kernel (true convolution); deep-learning layers use "
                               "cross-correlation: multiply the window by W as it is.")
    if not np.allclose(out, expected):
        return Feedback(False, "values differ: out[f, i, j] = sum over channels and taps of "
                               "x[:, i:i+FH, j:j+FW] * W[f].")
    return Feedback(True, "three loops (filter, row, column) and one sum per output value.")


def check_conv_params(answer, filters, channels, size):
    """Parameters of a conv layer: filters * (channels * size * size) weights plus one bias per filter."""
    if not _unanswered(answer) and answer == filters * channels * size * size:
        return Feedback(False, "you counted the weights only; each filter also has one bias.")
    return check_number(answer, filters * (channels * size * size + 1), "the parameter count",
                        "Each filter has channels x size x size weights and 1 bias; it does not depend on the image "
                        "size.")


# -- 09 CNN layers from scratch -----------------------------------------------

def check_im2col(fn):
    """``fn(img, k)``: for a 2-D image (H, W) and window size k, a (k*k, OH*OW) matrix of windows (stride 1)."""
    if _unanswered(fn):
        return NOT_ANSWERED
    img = np.arange(20.0).reshape(4, 5)
    k = 2
    expected = np.stack([img[i:i + k, j:j + k].ravel() for i in range(3) for j in range(4)], axis=1)
    out, err = _call(fn, img, k)
    if err is not None:
        return err
    out = np.asarray(out)
    if out.shape == expected.T.shape and np.allclose(out, expected.T):
        return Feedback(False, "you return one window per row; the course's layout is one window per column: "
                               "transpose.")
    if out.shape != expected.shape:
        return Feedback(False, f"for a 4x5 image and k=2 expected shape (4, 12) (k*k rows, 3*4 windows), "
                               f"got {out.shape}.")
    if not np.allclose(out, expected):
        return Feedback(False, "wrong values: column number i*OW + j must hold img[i:i+k, j:j+k] flattened row by row.")
    return Feedback(True, "every window became a column; a convolution is now one matrix product.")


def check_maxpool(fn):
    """``fn(x)``: 2x2 max pooling with stride 2 of x (N, C, H, W) with even H and W, without Python loops."""
    if _unanswered(fn):
        return NOT_ANSWERED
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 6))
    expected = x.reshape(2, 3, 2, 2, 3, 2).max(axis=(3, 5))
    out, err = _call(fn, x)
    if err is not None:
        return err
    out = np.asarray(out)
    if out.shape != expected.shape:
        return Feedback(False, f"x (2, 3, 4, 6) should give (2, 3, 2, 3), got {out.shape}.")
    if not np.allclose(out, expected):
        return Feedback(False, "wrong values. Reshape to (N, C, H/2, 2, W/2, 2) and take the max over axes 3 and 5.")
    return Feedback(True, "a reshape exposes every 2x2 window as two axes; max over them.")


# -- 10 the deep ConvNet ------------------------------------------------------

def check_fan_ins(answer):
    """The fan-in (inputs per unit) of each of the deep ConvNet's 8 weight layers, for He initialisation."""
    if _unanswered(answer):
        return NOT_ANSWERED
    expected = [1 * 9, 16 * 9, 16 * 9, 32 * 9, 32 * 9, 64 * 9, 64 * 4 * 4, 50]
    answer = [int(a) for a in answer] if isinstance(answer, (list, tuple, np.ndarray)) else answer
    if not isinstance(answer, list) or len(answer) != 8:
        return Feedback(False, "give a list of 8 numbers: six convolutions and two affine layers.")
    if answer[:6] == [1, 16, 16, 32, 32, 64]:
        return Feedback(False, "those are the input channels; a 3x3 filter sees channels * 9 inputs.")
    wrong = [i for i, (a, e) in enumerate(zip(answer, expected)) if a != e]
    if wrong:
        i = wrong[0]
        hint = ("a conv unit sees in_channels * 3 * 3 inputs" if i < 6 else
                "the first affine layer sees the 64 x 4 x 4 flattened features" if i == 6 else
                "the last affine layer sees the 50 hidden units")
        return Feedback(False, f"layer {i + 1} is wrong ({answer[i]}): {hint}.")
    return Feedback(True, "He's std for each layer is sqrt(2 / fan_in) with these fan-ins.")


# -- 11 Nielsen's CNN ---------------------------------------------------------

def check_two_conv_params(answer):
    """Parameters of Nielsen's two-conv network: 520 + 20,040 + 64,100 + 1,010."""
    if not _unanswered(answer) and answer == 520 + 288_100 + 1_010:
        return Feedback(False, "that is the one-conv network: the second conv-pool layer shrinks the input of the "
                               "fully connected layer to 40 x 4 x 4 = 640.")
    return check_number(answer, 520 + 40 * (20 * 25 + 1) + 640 * 100 + 100 + 100 * 10 + 10, "the parameter count",
                        "Add conv1 (20 x (1 x 25 + 1)), conv2 (40 x (20 x 25 + 1)), fc (640 x 100 + 100), "
                        "softmax (100 x 10 + 10).")


def check_fixed_errors(answer, labels, pred_one, pred_two):
    """How many test digits the one-conv net gets wrong and the two-conv net gets right."""
    labels, pred_one, pred_two = map(np.asarray, (labels, pred_one, pred_two))
    expected = int(np.sum((pred_one != labels) & (pred_two == labels)))
    if not _unanswered(answer) and answer == int(np.sum(pred_one != labels)) - int(np.sum(pred_two != labels)):
        if answer != expected:
            return Feedback(False, "that is the difference of the error counts; some errors are new in the second "
                                   "network. Count digits wrong for the first AND right for the second.")
    fb = check_number(answer, expected, "the number of fixed errors",
                      "Use boolean arrays: (pred_one != labels) & (pred_two == labels), then sum.")
    if fb:
        fb.message = "that many digits are wrong for the first network and right for the second."
    return fb


# -- 12 residual networks -----------------------------------------------------

def check_residual_weights(answer, filters):
    """Weights of the two 3x3 convolutions (no biases) of a residual block with ``filters`` channels in and out."""
    expected = 2 * 3 * 3 * filters * filters
    if not _unanswered(answer) and answer == expected // 2:
        return Feedback(False, "that is one convolution; a residual block has two.")
    return check_number(answer, expected, "the number of convolution weights",
                        "Each 3x3 convolution has 3 x 3 x in_channels x out_channels weights; the identity path "
                        "has none.")


def check_rotation_augmentation(layer, degrees):
    """A Keras RandomRotation layer rotating by up to ``degrees`` either way (factor = degrees / 360)."""
    if _unanswered(layer):
        return NOT_ANSWERED
    if type(layer).__name__ != "RandomRotation":
        return Feedback(False, f"expected a keras.layers.RandomRotation layer, got {type(layer).__name__}.")
    factor = layer.factor if not isinstance(layer.factor, (tuple, list)) else max(abs(f) for f in layer.factor)
    if not np.isclose(factor, degrees / 360, atol=1e-6):
        return Feedback(False, f"factor {factor} rotates by up to {factor * 360:.1f} degrees, expected {degrees}: "
                               "RandomRotation's factor is a fraction of a full turn, so use degrees / 360.")
    return Feedback(True, f"up to {degrees} degrees either way, only while training.")


# -- 13 draw your own digit ---------------------------------------------------

def check_top3(fn):
    """``fn(probs)``: the three most probable digits, most probable first, as a list of ints."""
    if _unanswered(fn):
        return NOT_ANSWERED
    probs = np.array([0.01, 0.05, 0.02, 0.4, 0.01, 0.3, 0.01, 0.15, 0.03, 0.02])
    out, err = _call(fn, probs)
    if err is not None:
        return err
    out = [int(d) for d in out] if isinstance(out, (list, tuple, np.ndarray)) else out
    if out == [9, 8, 7]:
        return Feedback(False, "those are the last three indices: sort by probability, not by digit.")
    if out == [7, 5, 3]:
        return Feedback(False, "right digits, wrong order: most probable first (reverse the argsort).")
    if out != [3, 5, 7]:
        return Feedback(False, f"for probabilities {probs.tolist()} you return {out!r}, expected [3, 5, 7]. "
                               "np.argsort(probs)[::-1][:3] does it.")
    return Feedback(True, "argsort, reversed, first three.")


def check_bounding_box(fn):
    """``fn(image)``: (top, bottom, left, right) inclusive indices of the rows/columns holding ink (> 0)."""
    if _unanswered(fn):
        return NOT_ANSWERED
    image = np.zeros((10, 12))
    image[2:6, 3:9] = 1.0
    out, err = _call(fn, image)
    if err is not None:
        return err
    out = tuple(int(v) for v in out) if isinstance(out, (list, tuple, np.ndarray)) else out
    if out == (2, 6, 3, 9):
        return Feedback(False, "your bottom and right are one past the last inked row/column; make them inclusive.")
    if out == (3, 9, 2, 6):
        return Feedback(False, "rows and columns swapped: rows come first (top, bottom), then columns.")
    if out != (2, 5, 3, 8):
        return Feedback(False, f"expected (2, 5, 3, 8), got {out!r}. np.flatnonzero(image.max(axis=1) > 0) gives "
                               "the inked rows.")
    return Feedback(True, "the first step of MNIST's preprocessing: crop to the bounding box.")
