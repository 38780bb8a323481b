"""Notebook 09 checkers: the convolution's backward pass (loops) and vectorised max pooling; typical mistakes
(db, dW over one image, no crop, flipped filter, stride ignored, loops, wrong routing, ties) rejected by name."""

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


def conv_backward(dout, x, W, stride=1, pad=0, flip_dx=False, flip_dW=False, step=None, crop="pad+size",
                  dW_images=None, db_axes=(0, 2, 3), accumulate=True):
    """The loops answer (CS231n's conv_backward_naive), with knobs that make each typical mistake."""
    step = stride if step is None else step
    n, c, h, w = x.shape
    fn, _, fh, fw = W.shape
    _, _, oh, ow = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dW = np.zeros_like(xp), np.zeros_like(W)
    K = W[:, :, ::-1, ::-1] if flip_dx else W
    for i in range(oh):
        for j in range(ow):
            rows, cols = slice(i * step, i * step + fh), slice(j * step, j * step + fw)
            share = np.einsum("nf,fchw->nchw", dout[:, :, i, j], K)
            if accumulate:
                dxp[:, :, rows, cols] += share
            else:
                dxp[:, :, rows, cols] = share
            for m in (range(n) if dW_images is None else dW_images):
                dW += dout[m, :, i, j][:, None, None, None] * xp[m, :, rows, cols]
    if flip_dW:
        dW = dW[:, :, ::-1, ::-1]
    crops = {"pad+size": dxp[:, :, pad:pad + h, pad:pad + w], "none": dxp, "minus-pad": dxp[:, :, pad:-pad, pad:-pad]}
    dx = crops[crop]
    return dx, dW, dout.sum(axis=db_axes)


def conv_backward_in_place(dout, x, W, stride, pad):
    result = conv_backward(dout, x, W, stride, pad)
    x *= 2
    return result


@pytest.mark.parametrize("answer, phrase", [
    (lambda d, x, W, s, p: conv_backward(d, x, W, s, p, db_axes=0), "summed dout over the batch only"),
    (lambda d, x, W, s, p: conv_backward(d, x, W, s, p, db_axes=(2, 3)), "but not over the batch"),
    (lambda d, x, W, s, p: conv_backward(d, x, W, s, p, db_axes=None), "summed over the filters too"),
    (lambda d, x, W, s, p: conv_backward(d, x, W, s, p, dW_images=[0]), "dW holds the gradient of the first image"),
    (lambda d, x, W, s, p: conv_backward(d, x, W, s, p, dW_images=[len(x) - 1]), "of the last image only"),
    (lambda d, x, W, s, p: (*conv_backward(d, x, W, s, p)[:2], d[0].sum(axis=(1, 2))), "first image's sums only"),
    (lambda d, x, W, s, p: conv_backward(d, x, W, s, p, crop="none"), "the padding is still on"),
    (lambda d, x, W, s, p: conv_backward(d, x, W, s, p, crop="minus-pad"), "slice pad:-pad leaves nothing"),
    (lambda d, x, W, s, p: conv_backward(d, x, W, s, p, flip_dx=True, flip_dW=True), "dx is what the flipped filter"),
    (lambda d, x, W, s, p: conv_backward(d, x, W, s, p, flip_dW=True), "dW is flipped"),
    (lambda d, x, W, s, p: conv_backward(d, x, W, s, p, step=1), "dx: your windows start one pixel apart"),
    (lambda d, x, W, s, p: conv_backward(d, x, W, s, p, accumulate=False), "entries differ"),
    (conv_backward_in_place, "changed its input x"),
    (lambda d, x, W, s, p: conv_backward(d, x, W, s, p)[:2], "three arrays"),
    (lambda d, x, W, s, p: tuple(a.astype(np.float32) for a in conv_backward(d, x, W, s, p)), "dtype float32"),
    (lambda d, x, W, s, p: None, "returns None"),
    (lambda d, x, W, s, p: (*conv_backward(d, x, W, s, p)[:2], None), "db is None"),
    (lambda d, x, W, s, p: ([[0.0, 1.0], [2.0]], *conv_backward(d, x, W, s, p)[1:]), "dx is not an array"),
    (lambda d, x, W, s, p: conv_backward(d, x, W, s, p, crop="bogus"), "raised KeyError"),
])
def test_conv_backward_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_conv_backward(answer)
    assert not fb and phrase in repr(fb), repr(fb)


def test_conv_backward_names_the_output_and_the_configuration():
    fb = repr(exercises.check_conv_backward(lambda d, x, W, s, p: conv_backward(d, x, W, s, p, dW_images=[0])))
    assert "for x (2, 3, 7, 6), W (4, 3, 3, 3), stride 2, pad 1: dW" in fb


def test_conv_backward_stride_ignored_in_dW_alone():
    def answer(dout, x, W, stride, pad):
        dx, _, db = conv_backward(dout, x, W, stride, pad)
        return dx, conv_backward(dout, x, W, stride, pad, step=1)[1], db

    fb = exercises.check_conv_backward(answer)
    assert not fb and "dW: your windows start one pixel apart" in repr(fb)


def test_conv_backward_right_answer_passes_and_unanswered():
    assert exercises.check_conv_backward(conv_backward)
    assert exercises.check_conv_backward(lambda d, x, W, s, p: [a.tolist() for a in conv_backward(d, x, W, s, p)])
    assert "Not answered" in repr(exercises.check_conv_backward(...))
    assert "Not answered" in repr(exercises.check_conv_backward(None))

    def skeleton(dout, x, W, stride=1, pad=0):
        """dout: (N, FN, OH, OW) -> dx, dW, db."""
        n, c, h, w = x.shape
        # YOUR CODE STARTS HERE
        ...
        # YOUR CODE ENDS HERE

    assert "Not answered" in repr(exercises.check_conv_backward(skeleton))


def test_conv_backward_hint_comes_on_the_second_miss():
    def no_crop(dout, x, W, stride, pad):
        return conv_backward(dout, x, W, stride, pad, crop="none")

    first, second = repr(exercises.check_conv_backward(no_crop)), repr(exercises.check_conv_backward(no_crop))
    assert "Hint" not in first and "Hint: dx must have x's shape" in second
