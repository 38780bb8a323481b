"""Notebook 09 checker: vectorised max pooling forward and backward; loops, wrong routing and ties rejected."""

import numpy as np
import pytest

from course_lib import exercises
from course_lib.exercises import core, nb09


@pytest.fixture(autouse=True)
def fresh_hints():
    core.reset_hints()


def _windows(x):
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h // 2, w // 2, 4)


def _unwindows(d, shape):
    n, c, h, w = shape
    return d.reshape(n, c, h // 2, w // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(shape)


def forward(x):
    windows = _windows(x)
    arg = windows.argmax(axis=-1)
    return np.take_along_axis(windows, arg[..., None], axis=-1)[..., 0], (x.shape, arg)


def backward(dout, cache):
    shape, arg = cache
    mask = np.arange(4) == arg[..., None]
    return _unwindows(mask * dout[..., None], shape)


def forward_loops(x):
    n, c, h, w = x.shape
    out = np.zeros((n, c, h // 2, w // 2))
    for i in range(h // 2):
        for j in range(w // 2):
            out[:, :, i, j] = x[:, :, 2 * i:2 * i + 2, 2 * j:2 * j + 2].max(axis=(2, 3))
    return out, forward(x)[1]


def forward_mean(x):
    return _windows(x).mean(axis=-1), forward(x)[1]


def forward_in_place(x):
    result = forward(x.copy())
    x[...] = 0
    return result


def forward_cache_x(x):
    return forward(x)[0], x


def backward_spread(dout, cache):
    return np.repeat(np.repeat(dout, 2, axis=2), 2, axis=3)


def backward_mask_only(dout, cache):
    return backward(np.ones_like(dout), cache)


def backward_small(dout, cache):
    return dout


def backward_all_ties(dout, cache):
    x = cache
    windows = _windows(x)
    mask = windows == windows.max(axis=-1, keepdims=True)
    return _unwindows(mask * dout[..., None], x.shape)


def backward_comprehension(dout, cache):
    shape, arg = cache
    mask = np.stack([arg == k for k in range(4)], axis=-1)
    return _unwindows(mask * dout[..., None], shape)


@pytest.mark.parametrize("fwd, bwd, phrase", [
    (forward_loops, backward, "contains a for loop"),
    (forward, backward_comprehension, "contains a comprehension"),
    (forward_mean, backward, "averages"),
    (forward_in_place, backward, "forward changed x"),
    (forward, backward_spread, "spreads each gradient"),
    (forward, backward_mask_only, "mask of the maxima"),
    (forward, backward_small, "x's shape"),
    (forward_cache_x, backward_all_ties, "first of them only"),
    (lambda x: forward(x)[0], backward, "pair (out, cache)"),
    (forward, lambda dout, cache: None, "returns None"),
])
def test_maxpool_rejects_typical_mistakes(fwd, bwd, phrase):
    fb = exercises.check_maxpool(fwd, bwd)
    assert not fb and phrase in repr(fb)


def test_maxpool_right_answer_passes_and_unanswered():
    assert exercises.check_maxpool(forward, backward)
    assert "Not answered" in repr(exercises.check_maxpool(..., backward))
    assert "Not answered" in repr(exercises.check_maxpool(forward, ...))


def test_loop_hint_comes_on_the_second_miss():
    first = repr(exercises.check_maxpool(forward_loops, backward))
    second = repr(exercises.check_maxpool(forward_loops, backward))
    assert "Hint" not in first and "Hint: a reshape" in second


def test_unreadable_source_falls_back_to_timing():
    # Functions without readable source (e.g. built by exec) are timed against the library on a large input.
    namespace = {"np": np, "_windows": _windows, "_unwindows": _unwindows}
    exec("def fwd(x):\n    w = _windows(x)\n    a = w.argmax(axis=-1)\n"
         "    return np.take_along_axis(w, a[..., None], axis=-1)[..., 0], (x.shape, a)\n", namespace)
    assert nb09._loop_in(namespace["fwd"]) == "?"
    assert exercises.check_maxpool(namespace["fwd"], backward)


@pytest.mark.parametrize("question", nb09.QUIZ, ids=lambda q: q.text[:30])
def test_quiz_right_and_wrong(question):
    assert question.check(question.answer)
    wrong = (question.answer + 1) % len(question.options) if question.options else question.answer + 1
    assert not question.check(wrong)


def test_a_skeleton_left_as_is_is_not_answered_yet():
    def maxpool_forward(x):
        # YOUR CODE STARTS HERE
        ...
        # YOUR CODE ENDS HERE

    assert "Not answered" in repr(exercises.check_maxpool(maxpool_forward, backward))
    assert "Not answered" in repr(exercises.check_maxpool(forward, maxpool_forward))
