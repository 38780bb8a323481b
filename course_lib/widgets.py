"""Interactive explorers. Each widget is a thin shell around a plain function
(tested on its own) and returns the ``ipywidgets.interactive`` object, whose
``.result`` holds the last value computed."""

import warnings
from collections.abc import Mapping

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np

from . import functions, layers, optim
from . import plots  # noqa: F401  (its import sets the figures' font for COURSE_LANG=zh_CN)
from .checks import finite, integer, numbers_array, positive
from .i18n import N_, _


def _finite_vector(name, values, length=None):
    """A 1-D array of finite numbers (of ``length`` entries when given), or an error naming ``name``."""
    values = numbers_array(name, values)
    if values.ndim != 1 or values.size == 0 or (length is not None and values.size != length):
        size = _("a non-empty 1-D array") if length is None else _("{n} numbers").format(n=length)
        raise ValueError(_("{name} must be {size}, got shape {shape}.").format(
            name=name, size=size, shape=values.shape))
    return finite(name, values)


def _predictors(predictors):
    if not isinstance(predictors, Mapping) or not all(callable(p) for p in predictors.values()):
        raise TypeError(_("predictors must be a dict name -> function (one 28x28 image -> 10 probabilities), as from "
                          "models.load_all()[0]; got {name}.").format(name=type(predictors).__name__))


def temperature_explorer(scores, labels=None):
    """Slider for the temperature T in softmax(scores / T); bars show the distribution.

    scores: (C,) finite numbers; labels: optional C names for the bars (default "0", "1", ...).
    """
    scores = _finite_vector("scores", scores).astype(np.float64)
    if labels is not None and (isinstance(labels, str) or not hasattr(labels, "__len__")
                               or len(labels) != len(scores)):
        raise ValueError(_("labels must be one name per score ({n_scores}), got {labels}.").format(
            n_scores=len(scores), labels=repr(labels)))
    labels = labels if labels is not None else [str(i) for i in range(len(scores))]

    def show(T=1.0):
        probs = functions.softmax(scores / T)
        fig, ax = plt.subplots(figsize=(6, 2.5))
        ax.bar(labels, probs, color="tab:blue")
        ax.set_ylim(0, 1)
        ax.set_title(f"softmax(scores / {T:.2f})   max probability {probs.max():.2f}")
        plt.show()
        return probs

    slider = W.FloatLogSlider(value=1.0, base=10, min=-1, max=1, step=0.05, description="T")
    return W.interactive(show, T=slider)


def optimizer_playground(start=(-7.0, 2.0), steps=30):
    """Pick an optimiser and a learning rate; see its path on the valley f(x, y) = x**2 / 20 + y**2.

    start: the (x, y) point to start from; steps: how many updates (an integer >= 0).
    """
    start = tuple(float(v) for v in _finite_vector("start", start, length=2))
    integer("optimizer_playground: steps", steps, 0)

    def show(name="SGD", lr=0.9):
        path = optim.descent_path(optim.OPTIMIZERS[name](lr=lr), optim.valley_grad, start, steps)
        xs, ys = np.meshgrid(np.linspace(-10, 10, 200), np.linspace(-5, 5, 100))
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.contour(xs, ys, optim.valley(xs, ys), levels=20, cmap="Greys", linewidths=0.6)
        ax.plot(path[:, 0], path[:, 1], "o-", color="tab:red", markersize=3)
        ax.plot(0, 0, "+", color="black", markersize=12)
        ax.set_xlim(-10, 10)
        ax.set_ylim(-5, 5)
        ax.set_title(f"{name}, lr={lr:g}: distance to the minimum after {steps} steps "
                     f"{np.hypot(*path[-1]):.3f}")
        plt.show()
        return path

    return W.interactive(show, name=W.Dropdown(options=list(optim.OPTIMIZERS), description=_("optimiser")),
                         lr=W.FloatLogSlider(value=0.9, base=10, min=-2, max=0.5, step=0.05, description="lr"))


def conv_size_explorer():
    """Sliders for input size, filter size, stride and padding; shows the output size or why it does not fit."""

    def show(size=28, filter_size=5, stride=1, pad=0):
        try:
            out = layers.conv_output_size(size, filter_size, stride, pad)
        except ValueError as exc:
            print(exc)
            return None
        exact = (size - filter_size + 2 * pad) % stride == 0
        note = "" if exact else _("  (not exact: the last rows/columns are not covered)")
        print(f"({size} - {filter_size} + 2*{pad}) / {stride} + 1 = {out}{note}")
        return out

    sliders = {name: W.IntSlider(value=v, min=lo, max=hi, description=name)
               for name, v, lo, hi in [("size", 28, 1, 64), ("filter_size", 5, 1, 11), ("stride", 1, 1, 4),
                                       ("pad", 0, 0, 5)]}
    return W.interactive(show, **sliders)


KERNELS = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "blur": [[1 / 9] * 3] * 3,
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "vertical edges": [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    "horizontal edges": [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
}


def apply_kernel(image, kernel):
    """Cross-correlate one 2-D image (H, W) with a 2-D kernel (k, k), k odd, zero padding to keep the size."""
    _check_image(image)
    kernel = _check_kernel("kernel", kernel).astype(np.float32)
    conv = layers.Conv2D(kernel[None, None], np.zeros(1, np.float32), pad=kernel.shape[0] // 2)
    return conv.forward(np.asarray(image, dtype=np.float32)[None, None])[0, 0]


def _check_image(image):
    image = numbers_array("image", image, N_("pixels"))
    if image.ndim != 2 or 0 in image.shape or not np.all(np.isfinite(image)):
        if np.all(np.isfinite(image)):
            raise ValueError(_("image must be one non-empty 2-D image (H, W) of finite pixels, got shape {shape}.")
                             .format(shape=image.shape))
        raise ValueError(_("image must be one non-empty 2-D image (H, W) of finite pixels, got shape {shape} with NaN "
                           "or infinite values.").format(shape=image.shape))


def _check_kernel(name, kernel):
    kernel = numbers_array(name, kernel)
    if kernel.ndim != 2 or kernel.shape[0] != kernel.shape[1] or kernel.shape[0] % 2 == 0:
        raise ValueError(_("{name} must be a square 2-D kernel with an odd side (3x3, 5x5, ...) so that the output "
                           "keeps the image's size, got shape {shape}.").format(name=name, shape=kernel.shape))
    return finite(name, kernel)


def kernel_explorer(image, kernels=None):
    """Pick a kernel (a dict name -> square odd-sided kernel; ``KERNELS`` by default) and see the digit and its
    filtered version side by side."""
    _check_image(image)
    if kernels is not None and not isinstance(kernels, Mapping):
        raise TypeError(_("kernels must be a dict name -> 2-D kernel, got {name}.").format(name=type(kernels).__name__))
    kernels = dict(kernels or KERNELS)
    for name, kernel in kernels.items():
        _check_kernel(f"kernels[{name!r}]", kernel)
    first = "vertical edges" if "vertical edges" in kernels else next(iter(kernels))

    def show(kernel=first):
        filtered = apply_kernel(image, kernels[kernel])
        fig, axes = plt.subplots(1, 3, figsize=(8, 2.8))
        axes[0].imshow(image, cmap="gray")
        axes[0].set_title("digit")
        axes[1].imshow(np.asarray(kernels[kernel]), cmap="RdBu_r")
        axes[1].set_title(kernel)
        axes[2].imshow(filtered, cmap="RdBu_r")
        axes[2].set_title("filtered")
        for ax in axes:
            ax.set_axis_off()
        plt.show()
        return filtered

    return W.interactive(show, kernel=W.Dropdown(options=list(kernels), value=first))


def reading_lines(drawing, predictors):
    """What the drawing pad answers for ``drawing`` (H, W; ink bright, background 0): a list of text lines.

    A dark digit on a light background is inverted first (``draw.preprocess``), and the first line says so.

    One line per model with its top-3 digits; or why there is no reading (empty canvas, or no trained model yet:
    which notebooks to run). Never raises, so "Read my digit" always answers.
    """
    from . import draw, mode, models

    if predictors is not None:
        _predictors(predictors)
    if drawing is None:
        return [_("Draw a digit first (hold the mouse button down while you draw).")]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", draw.InvertedDrawing)
            steps = draw.preprocess(drawing)
    except draw.EmptyDrawing as exc:
        return [str(exc)]
    notes = [str(w.message) for w in caught if issubclass(w.category, draw.InvertedDrawing)]
    if not predictors:
        return notes + [_("No trained model yet in {mode} mode: run the training notebooks ({notebooks}) in this mode, "
                          "then run this notebook again from the top.").format(
            mode=mode.name(), notebooks=", ".join(models.training_notebooks()))]
    lines = notes
    for name, predict in predictors.items():
        try:
            top = models.top3(predict(steps["centred"]))
        except Exception as exc:  # a damaged or foreign model file must not silence the pad
            lines.append(f"{name:30s} " + _("could not read it ({type}: {error}); re-run {notebook} to save it "
                                            "again.").format(type=type(exc).__name__, error=exc,
                                                             notebook=models.get(name).notebook))
            continue
        lines.append(f"{name:30s} " + "   ".join(f"{d}: {p:.0%}" for d, p in top))
    return lines


def drawing_pad(predictors, size=280, line_width=18):
    """A canvas to draw a digit with the mouse, and buttons to read it with every model or clear it.

    predictors: name -> function (one 28x28 image -> 10 probabilities), as from ``models.load_all()``; may be
    empty (the pad then says which notebooks to run). Uses ipycanvas (a maintained Jupyter widget that gives the
    kernel the canvas pixels). The answer is ``reading_lines``, a plain function tested without a browser.
    """
    from ipycanvas import Canvas

    _predictors(predictors)
    integer("drawing_pad: size", size, 28)
    positive("drawing_pad: line_width", line_width, advice=N_("Pass a stroke width in pixels."))
    canvas = Canvas(width=size, height=size, sync_image_data=True, layout=W.Layout(border="1px solid gray"))
    canvas.line_width, canvas.line_cap, canvas.stroke_style = line_width, "round", "black"
    state = {"down": False, "last": None, "ink": False}   # ink: drawn on since the last Clear
    out = W.Output()

    def on_down(x, y):
        state.update(down=True, last=(x, y), ink=True)

    def on_move(x, y):
        if state["down"]:
            canvas.stroke_line(*state["last"], x, y)
            state["last"] = (x, y)

    def on_up(x, y):
        state["down"] = False

    def read(_):
        # After Clear the browser's blank pixels may not have reached the kernel yet: trust the Clear.
        alpha = None if canvas.image_data is None or not state["ink"] else canvas.get_image_data()[:, :, 3]
        with out:
            out.clear_output()
            print("\n".join(reading_lines(alpha, predictors)))

    def clear(_):
        state["ink"] = False
        canvas.clear()
        out.clear_output()

    canvas.on_mouse_down(on_down)
    canvas.on_mouse_move(on_move)
    canvas.on_mouse_up(on_up)
    read_button, clear_button = W.Button(description=_("Read my digit")), W.Button(description=_("Clear"))
    read_button.on_click(read)
    clear_button.on_click(clear)
    return W.HBox([canvas, W.VBox([W.HBox([read_button, clear_button]), out])])
