"""optim: every update rule."""

import numpy as np
import pytest

from course_lib import optim


@pytest.mark.parametrize("name", list(optim.OPTIMIZERS))
def test_optimizers_descend_a_bowl_and_keep_dtype(name):
    opt = optim.OPTIMIZERS[name](lr=1.0 if name == "AdaGrad" else 0.1)
    params = {"w": np.array([3.0, -2.0], dtype=np.float32)}
    for _ in range(300):
        grads = {"w": 2 * params["w"] * np.array([1.0, 5.0], dtype=np.float32)}
        keep = grads["w"].copy()
        opt.update(params, grads)
        np.testing.assert_array_equal(grads["w"], keep)
    assert params["w"].dtype == np.float32
    assert np.abs(params["w"]).max() < 0.3


def test_adam_first_step_is_lr_times_sign():
    params = {"w": np.array([1.0, 1.0])}
    optim.Adam(lr=0.01).update(params, {"w": np.array([5.0, -0.1])})
    np.testing.assert_allclose(params["w"], [0.99, 1.01], rtol=1e-6)
