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
    (SEVEN, {}, "No trained model yet in fast mode: run the training notebooks (04, 06, 10, 11, 12) in this mode"),
])
def test_the_pad_always_answers(drawing, predictors, expected, monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "1")
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
    canvas, (buttons, _out) = pad.children[0], pad.children[1].children
    read, clear = buttons.children
    assert (read.description, clear.description) == ("Read my digit", "Clear")
    assert canvas.width == canvas.height == 280
    read.click()   # no drawing synced from a browser: still an answer (outside a kernel it goes to stdout)
    assert "Draw a digit first" in capsys.readouterr().out


@pytest.mark.parametrize("kwargs, message", [({"size": 10}, "size must be at least 28"),
                                             ({"size": 300.5}, "size must be a whole number"),
                                             ({"line_width": 0}, r"line_width must be a finite number in \(0, inf\)"),
                                             ({"line_width": "thick"}, "line_width must be a number, got str"),
                                             ({"predictors": [len]}, "predictors must be a dict")])
def test_pad_rejects_bad_sizes(kwargs, message):
    pytest.importorskip("ipycanvas")
    with pytest.raises((ValueError, TypeError), match=message):
        widgets.drawing_pad(**{"predictors": {}, **kwargs})


IMAGE = np.zeros((6, 6))

BAD = [
    # (description, call, error, fragment of the message)
    ("scores 2-D", lambda: widgets.temperature_explorer(np.ones((2, 3))), ValueError,
     r"scores must be a non-empty 1-D array, got shape \(2, 3\)"),
    ("scores empty", lambda: widgets.temperature_explorer([]), ValueError, "scores must be a non-empty 1-D array"),
    ("scores NaN", lambda: widgets.temperature_explorer([np.nan, 1.0]), ValueError, "scores must hold finite numbers"),
    ("scores text", lambda: widgets.temperature_explorer(["a"]), TypeError, "scores must hold numbers"),
    ("labels short", lambda: widgets.temperature_explorer([1, 2, 3], labels=["a"]), ValueError,
     r"labels must be one name per score \(3\)"),
    ("start of one number", lambda: widgets.optimizer_playground(start=(1.0,)), ValueError,
     "start must be 2 numbers"),
    ("start NaN", lambda: widgets.optimizer_playground(start=(np.nan, 1.0)), ValueError,
     "start must hold finite numbers"),
    ("steps -1", lambda: widgets.optimizer_playground(steps=-1), ValueError, "steps must be at least 0"),
    ("steps float", lambda: widgets.optimizer_playground(steps=2.5), TypeError, "steps must be a whole number"),
    ("kernel 1-D", lambda: widgets.apply_kernel(IMAGE, [1, 2, 3]), ValueError, "kernel must be a square 2-D kernel"),
    ("kernel even", lambda: widgets.apply_kernel(IMAGE, np.ones((2, 2))), ValueError, "with an odd side"),
    ("kernel not square", lambda: widgets.apply_kernel(IMAGE, np.ones((3, 5))), ValueError, r"got shape \(3, 5\)"),
    ("kernel by name", lambda: widgets.apply_kernel(IMAGE, "blur"), TypeError, "kernel must hold numbers"),
    ("kernel NaN", lambda: widgets.apply_kernel(IMAGE, np.full((3, 3), np.nan)), ValueError,
     "kernel must hold finite numbers"),
    ("image 3-D", lambda: widgets.apply_kernel(np.ones((1, 5, 5)), np.ones((3, 3))), ValueError,
     r"image must be one non-empty 2-D image \(H, W\)"),
    ("image NaN", lambda: widgets.apply_kernel(np.full((5, 5), np.nan), np.ones((3, 3))), ValueError,
     "NaN or infinite"),
    ("explorer image 3-D", lambda: widgets.kernel_explorer(np.ones((5, 5, 3))), ValueError,
     "image must be one non-empty 2-D image"),
    ("explorer kernels list", lambda: widgets.kernel_explorer(IMAGE, [np.ones((3, 3))]), TypeError,
     "kernels must be a dict name -> 2-D kernel"),
    ("explorer bad kernel", lambda: widgets.kernel_explorer(IMAGE, {"wide": np.ones((3, 4))}), ValueError,
     r"kernels\['wide'\] must be a square 2-D kernel"),
    ("reading predictors list", lambda: widgets.reading_lines(SEVEN, [len]), TypeError, "predictors must be a dict"),
    ("reading 3-D drawing", lambda: widgets.reading_lines(np.ones((28, 28, 3)), {}), ValueError,
     r"2-D grayscale drawing \(H, W\)"),
]


@pytest.mark.parametrize("call, error, fragment", [row[1:] for row in BAD], ids=[row[0] for row in BAD])
def test_bad_arguments_name_what_is_wrong(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


def test_explorers_compute_their_first_value():
    assert widgets.temperature_explorer([1.0, 2.0]).result.sum() == pytest.approx(1.0)
    assert widgets.optimizer_playground(start=(1, 1), steps=0).result.tolist() == [[1.0, 1.0]]
    box = widgets.kernel_explorer(SEVEN[:28, :28], {"identity": widgets.KERNELS["identity"]})
    np.testing.assert_array_equal(box.result, SEVEN[:28, :28].astype(np.float32))   # a custom set starts on its first
    blurred = widgets.apply_kernel(np.ones((5, 5)), widgets.KERNELS["blur"])
    assert blurred.shape == (5, 5) and blurred[2, 2] == pytest.approx(1.0) and blurred[0, 0] == pytest.approx(4 / 9)
