"""course_lib.draw: MNIST-style preprocessing of a drawn digit."""

import numpy as np
import pytest

from course_lib import draw


def _seven(points, size=280, width=18):
    return draw.stroke_image(points, size=size, width=width)


def test_off_centre_digit_is_centred_by_mass():
    steps = draw.preprocess(_seven([(0.02, 0.02), (0.2, 0.02), (0.08, 0.25)]))
    assert steps["centred"].shape == (28, 28) and steps["centred"].dtype == np.float32
    assert np.allclose(draw.center_of_mass(steps["centred"]), (14, 14), atol=1)
    assert max(steps["scaled"].shape) == 20


def test_too_large_digit_is_scaled_into_20_pixels():
    steps = draw.preprocess(_seven([(0.0, 0.0), (1.0, 0.0), (0.3, 1.0)], size=600, width=40))
    assert max(steps["scaled"].shape) == 20 and steps["centred"].max() == pytest.approx(1.0)
    ink = np.flatnonzero(steps["centred"].max(axis=1) > 0)
    assert ink[-1] - ink[0] + 1 <= 20


def test_thin_strokes_keep_full_ink():
    steps = draw.preprocess(_seven([(0.2, 0.2), (0.8, 0.2), (0.45, 0.9)], width=2))
    assert steps["centred"].max() == pytest.approx(1.0)
    assert (steps["centred"] > 0.3).sum() >= 20


@pytest.mark.parametrize("drawing", [np.zeros((280, 280)), np.pad(np.ones((1, 1)), 139)])
def test_empty_canvas_gives_a_clear_message(drawing):
    with pytest.raises(draw.EmptyDrawing, match="draw a digit"):
        draw.preprocess(drawing)


def test_preprocess_rejects_colour_and_keeps_input():
    with pytest.raises(ValueError, match="2-D"):
        draw.preprocess(np.zeros((10, 10, 4)))
    img = _seven([(0.2, 0.2), (0.8, 0.8)])
    keep = img.copy()
    draw.preprocess(img)
    np.testing.assert_array_equal(img, keep)


def test_resize_preserves_mean():
    img = np.random.default_rng(0).random((57, 31))
    small = draw.resize(img, 20, 11)
    assert small.shape == (20, 11) and small.mean() == pytest.approx(img.mean(), rel=1e-9)


@pytest.mark.parametrize("call, message", [
    (lambda: draw.resize(np.ones((4, 4)), 0, 2), "height must be at least 1, got 0"),
    (lambda: draw.resize(np.ones(4), 2, 2), r"non-empty 2-D array \(H, W\), got shape \(4,\)"),
    (lambda: draw.resize(np.ones((0, 4)), 2, 2), "non-empty 2-D array"),
    (lambda: draw.preprocess(np.full((10, 10), np.nan)), "finite, non-negative"),
    (lambda: draw.preprocess(-np.ones((10, 10))), "finite, non-negative"),
    (lambda: draw.preprocess(np.ones((10, 10)), box=30), r"box \(30\) must fit in frame \(28\)"),
    (lambda: draw.preprocess(np.ones((10, 10)), frame=0), "frame must be at least 1, got 0"),
    (lambda: draw.stroke_image([(0.1, 0.1)]), "at least two"),
    (lambda: draw.stroke_image([(0.1, 0.1, 0.2), (0.3, 0.3, 0.3)]), "at least two"),
    (lambda: draw.stroke_image([(0.1, 0.1), (0.5, 0.5)], size=-3), "size must be at least 1, got -3"),
    (lambda: draw.stroke_image([(0.1, 0.1), (0.5, 0.5)], width=0),
     r"width must be a finite number in \(0, inf\), got 0.0. Pass a stroke width in pixels."),
])
def test_bad_arguments_name_what_is_wrong(call, message):
    with pytest.raises(ValueError, match=message):
        call()


SEGMENT = [(0.1, 0.1), (0.5, 0.5)]

BAD = [
    # (description, call, error, fragment of the message)
    ("resize text", lambda: draw.resize([["a"]], 2, 2), TypeError, "image must hold numbers"),
    ("resize NaN", lambda: draw.resize(np.full((3, 3), np.nan), 2, 2), ValueError, "image must hold finite numbers"),
    ("resize height True", lambda: draw.resize(np.ones((3, 3)), True, 2), TypeError,
     "height must be a whole number, got bool True"),
    ("centre of a list is fine, of text not", lambda: draw.center_of_mass([["a"]]), TypeError,
     "image must hold numbers"),
    ("centre of nothing", lambda: draw.center_of_mass(np.zeros((3, 3))), ValueError,
     "positive total.*undefined"),
    ("centre of negative ink", lambda: draw.center_of_mass(np.array([[1.0, -1.0]])), ValueError,
     "non-negative ink"),
    ("centre 1-D", lambda: draw.center_of_mass(np.ones(3)), ValueError, r"image must be a non-empty 2-D array"),
    ("centre 3-D", lambda: draw.center_of_mass(np.ones((3, 3, 3))), ValueError, r"2-D array \(H, W\)"),
    ("centre empty", lambda: draw.center_of_mass(np.ones((0, 3))), ValueError, "non-empty 2-D"),
    ("centre NaN", lambda: draw.center_of_mass(np.full((2, 2), np.nan)), ValueError, "image must hold finite numbers"),
    ("preprocess empty array", lambda: draw.preprocess(np.zeros((0, 0))), ValueError, "2-D grayscale drawing"),
    ("preprocess text", lambda: draw.preprocess([["a"]]), TypeError, "drawing must hold ink values"),
    ("preprocess None", lambda: draw.preprocess(None), TypeError, "drawing must hold ink values"),
    ("min_ink negative", lambda: draw.preprocess(np.ones((10, 10)), min_ink=-1), ValueError,
     r"min_ink must be a finite number in \[0, 1\)"),
    ("min_ink 2", lambda: draw.preprocess(np.ones((10, 10)), min_ink=2), ValueError, "min_ink must be"),
    ("min_ink NaN", lambda: draw.preprocess(np.ones((10, 10)), min_ink=float("nan")), ValueError, "min_ink must be"),
    ("min_ink text", lambda: draw.preprocess(np.ones((10, 10)), min_ink="a"), TypeError, "min_ink must be a number"),
    ("stroke width text", lambda: draw.stroke_image(SEGMENT, width="a"), TypeError, "width must be a number, got str"),
    ("stroke width NaN", lambda: draw.stroke_image(SEGMENT, width=float("nan")), ValueError,
     r"width must be a finite number in \(0, inf\), got nan"),
    ("resize width float", lambda: draw.resize(np.ones((4, 4)), 2, 2.5), TypeError,
     "width must be a whole number, got float 2.5"),
    ("stroke points NaN", lambda: draw.stroke_image([(0.1, np.nan), (0.5, 0.5)]), ValueError,
     "points must lie in 0..1"),
    ("stroke points outside", lambda: draw.stroke_image([(5, 5), (6, 6)]), ValueError, "points must lie in 0..1"),
    ("stroke points None", lambda: draw.stroke_image(None), TypeError, "points must hold"),
    ("stroke size True", lambda: draw.stroke_image(SEGMENT, size=True), TypeError,
     "size must be a whole number, got bool True"),
]


@pytest.mark.parametrize("call, error, fragment", [row[1:] for row in BAD], ids=[row[0] for row in BAD])
def test_more_bad_arguments_name_the_argument(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


def test_valid_edges_still_work():
    assert draw.center_of_mass([[0, 1], [0, 1]]) == (0.5, 1.0)
    assert draw.stroke_image([(0.0, 0.0), (1.0, 1.0)], size=10, width=1).shape == (10, 10)
    assert draw.preprocess(_seven([(0.2, 0.2), (0.8, 0.8)]), min_ink=0)["centred"].shape == (28, 28)
