"""Notebook 04's sanity checks hold for the right reasons: the reference fits 20 images, a fresh net's loss is that of
a uniform guess, and the sampled gradient check finds exactly the entries of a gradient that are wrong."""

import numpy as np
from right_answers import CONTEXT

from course_lib import nets
from course_lib.exercises import nb04


def test_the_overfit_reference_fits_its_20_images():
    images, labels = CONTEXT["overfit_small"]
    net = nb04._overfit_reference(images, labels)
    assert net.accuracy(images, labels) == 1.0 and net.loss(images, labels) < nb04.OVERFIT_LOSS


def test_a_fresh_net_starts_at_the_loss_of_a_uniform_guess():
    net, x, t = CONTEXT["initial_loss"]
    loss, expected = nb04.INITIAL_LOSS.reference(net, x, t)
    assert expected == np.log(10) and abs(loss - expected) < 0.01


def test_the_sampled_gradient_check_flags_exactly_the_wrong_entries():
    rng = np.random.default_rng(0)
    net = nets.TwoLayerNet(input_size=6, hidden_size=5, output_size=4, weight_init_std=1.0, dtype=np.float64)
    x, t = rng.standard_normal((3, 6)), rng.integers(0, 4, 3)
    grad = net.gradient(x, t)["W1"]
    bad = np.unravel_index(np.abs(grad).argmax(), grad.shape)
    wrong = grad.copy()
    wrong[bad] *= 1.01
    before = net.params["W1"].copy()
    errors = nb04.GRAD_CHECK_ENTRIES.reference(lambda: net.loss(x, t), net.params["W1"], wrong, [(0, 0), bad, (5, 4)])
    assert errors[0] < 1e-7 and errors[2] < 1e-7 and abs(errors[1] - 0.01 / 2.01) < 1e-6
    assert np.array_equal(net.params["W1"], before)
