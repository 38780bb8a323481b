"""Interactive explorers. Each widget is a thin shell around a plain function
(tested on its own) and returns the ``ipywidgets.interactive`` object, whose
``.result`` holds the last value computed."""

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np

from . import functions, optim


def temperature_explorer(scores, labels=None):
    """Slider for the temperature T in softmax(scores / T); bars show the distribution."""
    scores = np.asarray(scores, dtype=np.float64)
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
    """Pick an optimiser and a learning rate; see its path on the valley f(x, y) = x**2 / 20 + y**2."""

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

    return W.interactive(show, name=W.Dropdown(options=list(optim.OPTIMIZERS), description="optimiser"),
                         lr=W.FloatLogSlider(value=0.9, base=10, min=-2, max=0.5, step=0.05, description="lr"))
