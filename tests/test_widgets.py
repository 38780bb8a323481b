"""course_lib.widgets: the drawing pad's answer (a plain function) and the pad itself without a browser."""

import numpy as np
import pytest

from course_lib import draw, widgets

SEVEN = draw.stroke_image([(0.2, 0.2), (0.8, 0.2), (0.45, 0.9)])


def _always(digit):
    probs = np.array([0.01, 0.04, 0.03, 0.015, 0.025, 0.005, 0.012, 0.018, 0.022, 0.008])
    probs[digit] = 0.8
    return lambda image: probs


def test_reading_names_every_model_and_its_top_digit():
    lines = widgets.reading_lines(SEVEN, {"NumPy two-layer net": _always(7), "Keras MLP": _always(1)})
    assert lines == ["NumPy two-layer net            7: 80%   1: 4%   2: 3%",
                     "Keras MLP                      1: 80%   2: 3%   4: 2%"]


def test_reading_passes_the_preprocessed_digit():
    seen = []
    widgets.reading_lines(SEVEN, {"Keras MLP": lambda image: seen.append(image) or np.full(10, 0.1)})
    np.testing.assert_array_equal(seen[0], draw.preprocess(SEVEN)["centred"])


@pytest.mark.parametrize("drawing, predictors, expected", [
    (None, {"Keras MLP": _always(1)}, "Draw a digit first"),
    (np.zeros((280, 280)), {"Keras MLP": _always(1)}, "The canvas is empty"),
    (SEVEN, {}, "No trained model yet: run the training notebooks (04, 06, 10, 11, 12; fast mode works too)"),
])
def test_the_pad_always_answers(drawing, predictors, expected):
    lines = widgets.reading_lines(drawing, predictors)
    assert len(lines) == 1 and lines[0].startswith(expected)


def test_a_broken_model_is_reported_and_the_others_still_read():
    def broken(image):
        raise ValueError("bad file")

    lines = widgets.reading_lines(SEVEN, {"NumPy deep ConvNet": broken, "Keras MLP": _always(3)})
    assert "could not read it (ValueError: bad file); re-run 10_deep_convnet.ipynb" in lines[0]
    assert lines[1].startswith("Keras MLP                      3: 80%")


def test_pad_without_models_answers_on_click(capsys):
    pytest.importorskip("ipycanvas")
    pad = widgets.drawing_pad({})
    canvas, (buttons, out) = pad.children[0], pad.children[1].children
    read, clear = buttons.children
    assert (read.description, clear.description) == ("Read my digit", "Clear")
    assert canvas.width == canvas.height == 280
    read.click()   # no drawing synced from a browser: still an answer (outside a kernel it goes to stdout)
    assert "Draw a digit first" in capsys.readouterr().out


@pytest.mark.parametrize("kwargs, message", [({"size": 10}, "size must be at least 28"),
                                             ({"line_width": 0}, "line_width positive")])
def test_pad_rejects_bad_sizes(kwargs, message):
    pytest.importorskip("ipycanvas")
    with pytest.raises(ValueError, match=message):
        widgets.drawing_pad({}, **kwargs)
