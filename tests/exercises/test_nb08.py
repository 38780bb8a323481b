"""Notebook 08 checkers: right answers pass, typical mistakes are rejected with feedback naming them."""

import numpy as np
import pytest

from course_lib import exercises, layers
from course_lib.exercises import core, nb08


@pytest.fixture(autouse=True)
def fresh_hints():
    core.reset_hints()


def output_size(size, f, s, p):
    return (size - f + 2 * p) // s + 1


@pytest.mark.parametrize("answer, phrase", [
    (lambda size, f, s, p: (size - f + 2 * p) / s + 1, "a float"),
    (lambda size, f, s, p: (size - f) // s + 1, "padding is missing"),
    (lambda size, f, s, p: (size - f + p) // s + 1, "one side only"),
    (lambda size, f, s, p: (size - f + 4 * p) // s + 1, "padding twice"),
    (lambda size, f, s, p: (size - f + 2 * p) // s, "one too few"),
    (lambda size, f, s, p: size - f + 2 * p + 1, "stride is ignored"),
    (lambda size, f, s, p: str(output_size(size, f, s, p)), "return an int"),
    (lambda size, f, s, p: None, "returns None"),
])
def test_output_size_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_output_size(answer)
    assert not fb and phrase in repr(fb)


def test_output_size_right_unanswered_and_hint_on_second_miss():
    assert exercises.check_output_size(output_size)
    assert "Not answered" in repr(exercises.check_output_size(...))
    def float_div(size, f, s, p):
        return (size - f + 2 * p) / s + 1
    first, second = repr(exercises.check_output_size(float_div)), repr(exercises.check_output_size(float_div))
    assert "Hint" not in first and "integer division" in second


def conv_naive(x, W, b, stride=1, pad=0, flip=False, bias=True, window_step=None, pad_input=True):
    step = stride if window_step is None else window_step
    n, c, h, w = x.shape
    fn, _, fh, fw = W.shape
    p = pad if pad_input else 0
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    oh, ow = (h - fh + 2 * p) // stride + 1, (w - fw + 2 * p) // stride + 1
    K = W[:, :, ::-1, ::-1] if flip else W
    out = np.zeros((n, fn, oh, ow))
    for i in range(n):
        for f in range(fn):
            for r in range(oh):
                for s in range(ow):
                    window = xp[i, :, r * step:r * step + fh, s * step:s * step + fw]
                    out[i, f, r, s] = np.sum(window * K[f]) + (b[f] if bias else 0)
    return out


def conv_in_place(x, W, b, stride, pad):
    out = conv_naive(x, W, b, stride, pad)
    x[...] = 0
    return out


def conv_channel_zero(x, W, b, stride, pad):
    return conv_naive(x[:, :1], W[:, :1], b, stride, pad)


@pytest.mark.parametrize("answer, phrase", [
    (lambda x, W, b, s, p: conv_naive(x, W, b, s, p, flip=True), "flipped the kernel"),
    (lambda x, W, b, s, p: conv_naive(x, W, b, s, p, bias=False), "bias is missing"),
    (lambda x, W, b, s, p: conv_naive(x, W, b, s, p, window_step=1), "start one pixel apart"),
    (lambda x, W, b, s, p: conv_naive(x, W, b, s, p, pad_input=False), "padding is missing"),
    (lambda x, W, b, s, p: conv_naive(x, W, b, s, p)[0], "shape"),
    (conv_in_place, "changed its input x"),
    (conv_channel_zero, "entries differ"),
])
def test_conv_naive_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_conv_naive(answer)
    assert not fb and phrase in repr(fb)


def test_conv_naive_right_and_unanswered():
    assert exercises.check_conv_naive(lambda x, W, b, s, p: conv_naive(x, W, b, s, p))
    assert "Not answered" in repr(exercises.check_conv_naive(...))


def test_conv_naive_matches_the_worked_example():
    x = np.array([[[[1, 2, 3, 4, 5]], [[1, 2, 3, 4, 5]]]], dtype=np.float64)
    W = np.array([[[[1, 1]], [[1, 1]]], [[[2, 2]], [[1, 1]]]], dtype=np.float64)
    out = conv_naive(x, W, np.zeros(2))
    assert out[0, 0, 0].tolist() == [6, 10, 14, 18] and out[0, 1, 0].tolist() == [9, 15, 21, 27]


def im2col_loops(x, fh, fw, stride=1, pad=0, layout="textbook"):
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = (h - fh + 2 * pad) // stride + 1, (w - fw + 2 * pad) // stride + 1
    windows = np.array([[[xp[i, :, r * stride:r * stride + fh, s * stride:s * stride + fw]
                          for s in range(ow)] for r in range(oh)] for i in range(n)])   # (N, OH, OW, C, FH, FW)
    if layout == "tap-major":
        windows = windows.transpose(0, 1, 2, 4, 5, 3)
    cols = windows.reshape(n, oh * ow, -1)
    if layout == "image-fastest":
        return cols.transpose(2, 1, 0).reshape(-1, n * oh * ow)
    if layout == "rows":
        return cols.reshape(n * oh * ow, -1)
    return cols.reshape(n * oh * ow, -1).T


@pytest.mark.parametrize("answer, phrase", [
    (lambda x, fh, fw, s, p: im2col_loops(x, fh, fw, s, p, layout="rows"), "one window per ROW"),
    (lambda x, fh, fw, s, p: im2col_loops(x, fh, fw, s, p, layout="tap-major"), "rows are in the wrong order"),
    (lambda x, fh, fw, s, p: im2col_loops(x, fh, fw, s, p, layout="image-fastest"), "columns are in the wrong"),
    (lambda x, fh, fw, s, p: im2col_loops(x, fh, fw, s, 0), "padding is missing"),
    (lambda x, fh, fw, s, p: im2col_loops(x, fh, fw, 1, p), "shape"),
    (lambda x, fh, fw, s, p: np.abs(im2col_loops(x, fh, fw, s, p)), "entries differ"),
])
def test_im2col_rejects_typical_mistakes(answer, phrase):
    fb = exercises.check_im2col(answer)
    assert not fb and phrase in repr(fb)


def test_im2col_right_equals_library_and_unanswered():
    assert exercises.check_im2col(lambda x, fh, fw, s, p: im2col_loops(x, fh, fw, s, p))
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 5))
    assert np.array_equal(im2col_loops(x, 3, 2, 2, 1), layers.im2col(x, 3, 2, 2, 1))
    assert "Not answered" in repr(exercises.check_im2col(...))


def test_conv_params():
    assert exercises.check_conv_params(40 * 501, 40, 20, 5)
    assert "bias" in repr(exercises.check_conv_params(40 * 500, 40, 20, 5))
    assert "all input channels" in repr(exercises.check_conv_params(40 * 26, 40, 20, 5))
    assert "Not answered" in repr(exercises.check_conv_params(..., 40, 20, 5))


@pytest.mark.parametrize("question", nb08.QUIZ, ids=lambda q: q.text[:30])
def test_quiz_right_and_wrong(question):
    assert question.check(question.answer)
    wrong = (question.answer + 1) % len(question.options) if question.options else question.answer + 1
    assert not question.check(wrong)


def test_a_skeleton_left_as_is_is_not_answered_yet():
    def output_size(size, filter_size, stride, pad):
        """docstring"""
        # YOUR CODE STARTS HERE
        ...
        # YOUR CODE ENDS HERE

    def im2col(x, fh, fw, stride=1, pad=0):
        n, c, h, w = x.shape
        ...

    assert "Not answered" in repr(exercises.check_output_size(output_size))
    assert "Not answered" in repr(exercises.check_im2col(im2col))
    assert "Not answered" in repr(exercises.check_conv_naive(im2col))
