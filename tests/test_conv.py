import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course_lib import gradcheck, layers, nets


def distinct(rng, shape, spacing=0.01):
    """Values spaced ``spacing`` apart in random order: no ties in a pooling window, and no step of a
    gradient check (1e-5) can change which value is the largest."""
    return (rng.permutation(int(np.prod(shape))) * spacing - 0.5 * spacing * np.prod(shape)).reshape(shape)


@pytest.mark.parametrize("n, c, h, w, fn, f, stride, pad", [
    (2, 1, 5, 5, 2, 3, 1, 0),
    (2, 3, 7, 6, 2, 3, 2, 1),   # odd sizes, stride 2, padding 1
    (1, 2, 6, 6, 4, 2, 2, 0),   # even filter
    (2, 2, 5, 7, 3, 3, 1, 2),   # padding larger than needed
    (3, 4, 9, 9, 2, 5, 3, 1),   # stride 3, 5x5 filter
    (1, 1, 4, 4, 1, 4, 1, 0),   # filter as large as the image
])
def test_conv2d_gradients(n, c, h, w, fn, f, stride, pad):
    rng = np.random.default_rng(30)
    layer = layers.Conv2D(rng.standard_normal((fn, c, f, f)), rng.standard_normal(fn), stride=stride, pad=pad)
    errors = gradcheck.check_layer(layer, rng.standard_normal((n, c, h, w)))
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("h, w, pool, stride, pad", [(4, 4, 2, 2, 0), (5, 5, 3, 2, 0), (6, 5, 2, 1, 0),
                                                     (5, 5, 2, 2, 1), (7, 7, 3, 3, 0)])
@pytest.mark.parametrize("seed", [0, 1])
def test_maxpool_gradients(h, w, pool, stride, pad, seed):
    rng = np.random.default_rng(seed)
    layer = layers.MaxPool2D(pool, pool, stride=stride, pad=pad)
    errors = gradcheck.check_layer(layer, distinct(rng, (2, 3, h, w)))
    assert max(errors.values()) < 1e-7, errors


def naive_maxpool(x, pool, stride, pad):
    """Reference: loops over windows of x padded with -inf."""
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=-np.inf)
    oh, ow = (xp.shape[2] - pool) // stride + 1, (xp.shape[3] - pool) // stride + 1
    out = np.empty(x.shape[:2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = xp[:, :, i * stride:i * stride + pool, j * stride:j * stride + pool].max(axis=(2, 3))
    return out


@pytest.mark.parametrize("h, w, pool, stride, pad", [(5, 5, 2, 2, 1), (4, 6, 3, 1, 2), (6, 6, 3, 3, 1)])
def test_maxpool_padding_is_minus_infinity_not_zero(h, w, pool, stride, pad):
    """All-negative inputs: padding with 0 would make the border windows output 0."""
    rng = np.random.default_rng(39)
    x = -1 - rng.random((2, 2, h, w))
    layer = layers.MaxPool2D(pool, pool, stride=stride, pad=pad)
    out = layer.forward(x)
    np.testing.assert_array_equal(out, naive_maxpool(x, pool, stride, pad))
    assert out.max() < -1
    dx = layer.backward(np.ones_like(out))
    assert dx.shape == x.shape and dx.sum() == out.size   # every window sends its gradient to a real pixel


@pytest.mark.parametrize("h, w, pool, stride", [(6, 6, 2, 2), (7, 5, 3, 2), (5, 6, 2, 1)])
def test_maxpool_matches_naive_loops_and_routes_gradient_to_the_winner(h, w, pool, stride):
    rng = np.random.default_rng(40)
    x = distinct(rng, (2, 3, h, w))
    layer = layers.MaxPool2D(pool, pool, stride=stride)
    out = layer.forward(x)
    np.testing.assert_array_equal(out, naive_maxpool(x, pool, stride, 0))
    dout = rng.standard_normal(out.shape)
    expected = np.zeros_like(x)
    for i in range(out.shape[2]):
        for j in range(out.shape[3]):
            rows, cols = slice(i * stride, i * stride + pool), slice(j * stride, j * stride + pool)
            win = x[:, :, rows, cols]
            hit = win == win.max(axis=(2, 3), keepdims=True)
            expected[:, :, rows, cols] += hit * dout[:, :, i:i + 1, j:j + 1]
    np.testing.assert_allclose(layer.backward(dout), expected, rtol=1e-14)


def test_flatten_round_trip():
    rng = np.random.default_rng(32)
    x = rng.standard_normal((2, 3, 4, 5))
    f = layers.Flatten()
    assert f.forward(x).shape == (2, 60)
    assert f.backward(f.forward(x)).shape == x.shape


def test_worked_example():
    x = np.array([[[[1, 2, 3, 4, 5]], [[1, 2, 3, 4, 5]]]], dtype=np.float64)
    W = np.array([[[[1, 1]], [[1, 1]]], [[[2, 2]], [[1, 1]]]], dtype=np.float64)
    out = layers.Conv2D(W, np.zeros(2)).forward(x)
    assert out.shape == (1, 2, 1, 4)
    assert out[0, 0, 0].tolist() == [6, 10, 14, 18] and out[0, 1, 0].tolist() == [9, 15, 21, 27]


def test_conv_matches_naive_loops_and_keeps_dtype_and_inputs():
    rng = np.random.default_rng(33)
    x = rng.standard_normal((2, 3, 6, 5)).astype(np.float32)
    W = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    b = rng.standard_normal(4).astype(np.float32)
    keep = x.copy()
    out = layers.Conv2D(W, b, stride=2, pad=1).forward(x)
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    naive = np.zeros((2, 4, 3, 3), np.float32)
    for i in range(3):
        for j in range(3):
            patch = xp[:, :, 2 * i:2 * i + 3, 2 * j:2 * j + 3]
            naive[:, :, i, j] = np.tensordot(patch, W, axes=([1, 2, 3], [1, 2, 3])) + b
    np.testing.assert_allclose(out, naive, rtol=1e-5, atol=1e-5)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(x, keep)


@pytest.mark.parametrize("n, c, h, w, fn, fh, fw, stride, pad", [
    (2, 3, 7, 6, 4, 3, 3, 1, 1), (3, 2, 8, 8, 5, 3, 3, 1, 2), (2, 1, 9, 7, 2, 2, 3, 2, 1), (1, 2, 5, 6, 3, 1, 1, 3, 3),
])
def test_conv_equals_textbook_im2col_on_repeated_calls(n, c, h, w, fn, fh, fw, stride, pad):
    rng = np.random.default_rng(34)
    W, b = rng.standard_normal((fn, c, fh, fw)), rng.standard_normal(fn)
    conv = layers.Conv2D(W, b, stride=stride, pad=pad)
    for batch in (n, n + 1, n):   # the work arrays are resized and reused
        x = rng.standard_normal((batch, c, h, w))
        out = conv.forward(x)
        _, _, oh, ow = out.shape
        textbook = (W.reshape(fn, -1) @ layers.im2col(x, fh, fw, stride, pad) + b[:, None])
        np.testing.assert_allclose(out, textbook.reshape(fn, batch, oh, ow).transpose(1, 0, 2, 3), atol=1e-12)
        first = out.copy()
        conv.forward(rng.standard_normal(x.shape))
        np.testing.assert_array_equal(out, first)   # a returned array never changes afterwards


def test_conv_without_input_gradient_still_computes_parameter_gradients():
    rng = np.random.default_rng(35)
    W, b, x = rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3), rng.standard_normal((2, 2, 6, 6))
    full, first = layers.Conv2D(W, b, pad=1), layers.Conv2D(W, b, pad=1, input_grad=False)
    dout = rng.standard_normal(full.forward(x).shape)
    first.forward(x)
    assert first.backward(dout) is None and full.backward(dout).shape == x.shape
    for key in ("W", "b"):
        np.testing.assert_allclose(first.grads[key], full.grads[key])


def test_maxpool_ties_go_to_the_first_position_in_row_major_order():
    x = np.array([[[[0.0, 2.0], [2.0, 2.0]], [[5.0, 1.0], [5.0, 5.0]]]])   # (1, 2, 2, 2): ties in each channel
    pool = layers.MaxPool2D(2, 2, stride=2)
    assert pool.forward(x).ravel().tolist() == [2.0, 5.0]
    dx = pool.backward(np.ones((1, 2, 1, 1)))
    assert dx[0, 0].tolist() == [[0, 1], [0, 0]] and dx[0, 1].tolist() == [[1, 0], [0, 0]]


def test_conv_matches_tensorflow():
    rng = np.random.default_rng(36)
    tf = pytest.importorskip("tensorflow")
    x = rng.standard_normal((2, 3, 9, 8)).astype(np.float32)
    W = rng.standard_normal((5, 3, 3, 3)).astype(np.float32)
    ours = layers.Conv2D(W, np.zeros(5, np.float32), stride=2, pad=0).forward(x)
    theirs = tf.nn.conv2d(x.transpose(0, 2, 3, 1), W.transpose(2, 3, 1, 0), strides=2, padding="VALID")
    np.testing.assert_allclose(ours, theirs.numpy().transpose(0, 3, 1, 2), rtol=1e-4, atol=1e-4)


def test_conv_rejects_bad_shapes():
    conv = layers.Conv2D(np.zeros((2, 3, 3, 3)), np.zeros(2))
    with pytest.raises(ValueError, match=r"\(N, 3, H, W\)"):
        conv.forward(np.zeros((1, 1, 5, 5)))
    with pytest.raises(ValueError, match="does not fit"):
        conv.forward(np.zeros((1, 3, 2, 2)))
    with pytest.raises(ValueError, match="FN, C, FH, FW"):
        layers.Conv2D(np.zeros((2, 3, 3)), np.zeros(2))


def test_deep_convnet_shapes_and_params():
    rng = np.random.default_rng(37)
    net = nets.DeepConvNet()
    assert net.count_params() == 123_552
    x = rng.random((2, 1, 28, 28)).astype(np.float32)
    assert net.predict(x).shape == (2, 10) and net.predict(x).dtype == np.float32


def activation_pattern(net):
    """Which side of every kink the last forward pass was on: ReLU signs and max-pool winners."""
    parts = []
    for layer in net.layers.values():
        if isinstance(layer, layers.Relu):
            parts.append(np.packbits(layer.out > 0).tobytes())
        elif isinstance(layer, layers.MaxPool2D):
            parts += [layer.arg_w.tobytes(), layer.arg_h.tobytes()]
    return b"".join(parts)


def numeric_entry(net, x, t, p, idx, h):
    """Central difference of the loss for p[idx], or None if either step crosses a ReLU or max-pool kink
    (the loss is then not differentiable along the step, and the difference means nothing)."""
    net.loss(x, t)
    base = activation_pattern(net)
    saved = p[idx]
    try:
        p[idx] = saved + h
        plus, pattern_plus = net.loss(x, t), activation_pattern(net)
        p[idx] = saved - h
        minus, pattern_minus = net.loss(x, t), activation_pattern(net)
    finally:
        p[idx] = saved
    if pattern_plus != base or pattern_minus != base:
        return None
    return (plus - minus) / (2 * h)


@pytest.mark.parametrize("seed, workers, chunk", [(0, 1, 10**6), (1, 2, 1), (2, 1, 1)])
def test_deep_convnet_gradient_check(seed, workers, chunk):
    """Backpropagation through the whole deep ConvNet against central differences (float64), 3 entries per
    parameter; entries whose step would cross a kink are replaced by others, so any seed passes. Seeds 1
    and 2 compute the gradient one image per chunk (in two threads for seed 1)."""
    rng = np.random.default_rng(seed)
    net = nets.DeepConvNet(dropout=0.0, dtype=np.float64, seed=seed, workers=workers, chunk=chunk)
    x, t = rng.random((2, 1, 28, 28)), rng.integers(0, 10, 2)
    analytic = {k: g.copy() for k, g in net.gradient(x, t).items()}
    for key, p in net.params.items():
        checked = 0
        for _ in range(20):
            idx = tuple(int(rng.integers(0, s)) for s in p.shape)
            numeric = numeric_entry(net, x, t, p, idx, h=1e-5)
            if numeric is None:
                continue
            assert abs(numeric - analytic[key][idx]) <= 1e-8 + 1e-6 * abs(numeric), (key, idx, numeric,
                                                                                        analytic[key][idx])
            checked += 1
            if checked == 3:
                break
        assert checked == 3, f"{key}: too many kinks crossed"


def test_deep_convnet_rejects_flat_input():
    with pytest.raises(ValueError, match=r"\(N, 1, 28, 28\)"):
        nets.DeepConvNet().predict(np.zeros((2, 784), np.float32))


def test_save_load_round_trip_and_mismatch_leaves_net_unchanged(tmp_path):
    rng = np.random.default_rng(38)
    a, b = nets.DeepConvNet(seed=1), nets.DeepConvNet(seed=2)
    x = rng.random((3, 1, 28, 28)).astype(np.float32)
    b.load(a.save(tmp_path / "deep.npz"))
    np.testing.assert_array_equal(a.predict(x), b.predict(x))
    small = nets.TwoLayerNet()
    small.save(tmp_path / "two.npz")
    before = {k: v.copy() for k, v in b.params.items()}
    with pytest.raises(ValueError, match="the file holds a nets.TwoLayerNet"):
        b.load(tmp_path / "two.npz")
    assert all(np.array_equal(b.params[k], before[k]) for k in before)


@pytest.mark.slow
def test_benchmark_runs_small():
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "convnet_speed.py"
    out = subprocess.run([sys.executable, str(script), "--batch", "4", "--steps", "1", "--rounds", "1"],
                         capture_output=True, text=True, check=True, timeout=300)
    assert "faster than (b)" in out.stdout and "(c) Keras" in out.stdout and "(a1) course, one pass" in out.stdout


@pytest.mark.slow
def test_profile_runs_small_and_adds_up():
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "convnet_profile.py"
    out = subprocess.run([sys.executable, str(script), "--batch", "40", "--steps", "1", "--chunk", "10"],
                         capture_output=True, text=True, check=True, timeout=300).stdout.splitlines()
    assert "(a1) one pass" in out[1] and f"(a) 10-image chunks, {nets.WORKERS} threads" in out[1]
    rows = {line[:28].strip(): [float(v) for v in line[28:].split()] for line in out[2:]}
    kinds = [v for k, v in rows.items() if k.endswith(("forward", "backward"))]
    assert len(kinds) == 14 and all(len(v) == 2 and min(v) >= 0 for v in rows.values())
    assert min(rows["Conv2D forward"] + rows["Conv2D backward"]) > 0
    for column in (0, 1):    # the total is the sum of the layer rows (each printed to 0.1 ms)
        assert abs(sum(v[column] for v in kinds) - rows["all layers (thread-time)"][column]) <= 0.1 * len(kinds)
        assert rows["wall time of a step"][column] > 0 and rows["conv GEMMs alone (wall)"][column] > 0


def test_conv_reused_across_shapes_equals_a_fresh_layer():
    """Issue 13: stale pixels in the kept work arrays (same long-row length, another width) gave wrong results."""
    rng = np.random.default_rng(20)
    W, b = rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)
    shapes = [(1, 3, 5, 7), (2, 3, 6, 3), (1, 3, 5, 7), (2, 3, 3, 6), (1, 3, 8, 4), (3, 3, 4, 4), (2, 3, 6, 3),
              (1, 3, 7, 5), (2, 3, 5, 5), (2, 3, 5, 5)]
    for stride, pad in [(1, 1), (1, 0), (2, 1), (1, 2), (3, 2)]:
        reused = layers.Conv2D(W, b, stride=stride, pad=pad)
        for shape in shapes:
            x = rng.standard_normal(shape)
            out = reused.forward(x)
            dout = rng.standard_normal(out.shape)
            dx = reused.backward(dout)
            fresh = layers.Conv2D(W, b, stride=stride, pad=pad)
            np.testing.assert_allclose(out, fresh.forward(x), rtol=1e-12, atol=1e-12, err_msg=f"{shape} {stride} {pad}")
            np.testing.assert_allclose(dx, fresh.backward(dout), rtol=1e-12, atol=1e-12)
            for key in ("W", "b"):
                np.testing.assert_allclose(reused.grads[key], fresh.grads[key], rtol=1e-12, atol=1e-12)
    # the example, also with the stride and padding changed on the same layer between calls
    layer = layers.Conv2D(W, b, stride=1, pad=1)
    for shape, stride, pad in [((1, 3, 5, 7), 1, 1), ((2, 3, 6, 3), 1, 1), ((2, 3, 6, 3), 2, 1), ((2, 3, 6, 3), 1, 0),
                               ((1, 3, 5, 7), 1, 2)]:
        layer.stride, layer.pad = stride, pad
        x = rng.standard_normal(shape)
        np.testing.assert_allclose(layer.forward(x), layers.Conv2D(W, b, stride=stride, pad=pad).forward(x),
                                   rtol=1e-12, atol=1e-12)


def test_conv_keeps_its_work_arrays_in_the_steady_state():
    rng = np.random.default_rng(21)
    layer = layers.Conv2D(rng.standard_normal((2, 1, 3, 3)), np.zeros(2), pad=1)
    x = rng.standard_normal((2, 1, 6, 6))
    layer.backward(np.ones(layer.forward(x).shape))
    kept = {k: v[1] for k, v in layer.work.items()}
    layer.backward(np.ones(layer.forward(rng.standard_normal(x.shape)).shape))
    assert all(layer.work[k][1] is kept[k] for k in kept)   # same shape: no new allocation
