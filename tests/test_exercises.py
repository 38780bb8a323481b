"""Every exercise checker accepts a correct answer and rejects wrong ones with useful feedback."""

import numpy as np
import pytest

from course_lib import exercises as ex
from course_lib import widgets


def kerastools():
    """The Keras helpers, or a skip where TensorFlow is not installed (only some checkers need Keras)."""
    return pytest.importorskip("course_lib.kerastools")

T = np.array([1, 1, 0, 7, 3, 7, 1, 2])
X = np.random.default_rng(0).random((8, 784)).astype(np.float32)


def test_unanswered_is_not_an_error():
    fb = ex.check_fraction_of_ones(..., T)
    assert not fb and "replace the ..." in repr(fb)


def test_widgets_drive_their_plain_functions():
    w = widgets.temperature_explorer(np.array([1.0, 3.0, 2.0]))
    w.children[0].value = 0.1
    assert w.result.argmax() == 1 and w.result.max() > 0.99
    p = widgets.optimizer_playground(steps=10)
    p.children[0].value = "Adam"
    assert p.result.shape == (11, 2)
