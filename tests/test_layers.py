import numpy as np
import pytest

from course_lib import functions as F
from course_lib import gradcheck, layers, nets


def away_from_zero(x, margin=0.1):
    """x with every entry moved at least ``margin`` away from 0 (ReLU's kink), keeping its sign."""
    return x + np.where(x >= 0, margin, -margin)


@pytest.mark.parametrize("make, shape", [
    (lambda rng: layers.Affine(rng.standard_normal((12, 3)), rng.standard_normal(3)), (4, 12)),
    (lambda rng: layers.Affine(rng.standard_normal((12, 3)), rng.standard_normal(3)), (4, 3, 2, 2)),
    (lambda rng: layers.Relu(), (4, 6)),
    (lambda rng: layers.Sigmoid(), (4, 6)),
    (lambda rng: layers.Dropout(0.4, inverted=False), (5, 7)),
])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_layer_gradients(make, shape, seed):
    rng = np.random.default_rng(seed)
    errors = gradcheck.check_layer(make(rng), away_from_zero(rng.standard_normal(shape)))
    assert max(errors.values()) < 1e-7, errors


def test_softmax_with_loss_gradient_and_extreme_scores():
    rng = np.random.default_rng(4)
    layer = layers.SoftmaxWithLoss()
    x = rng.standard_normal((5, 4))
    t = np.array([0, 3, 1, 1, 2])
    layer.forward(x, t)
    dx = layer.backward()
    num = F.numerical_gradient(lambda: layers.SoftmaxWithLoss().forward(x, t), x, h=1e-5)
    assert gradcheck.rel_error(dx, num) < 1e-7
    np.testing.assert_allclose(dx, (F.softmax(x) - np.eye(4)[t]) / 5)
    loss = layer.forward(np.array([[1000.0, -1000.0]]), np.array([1]))
    assert np.isfinite(loss) and loss == pytest.approx(2000.0)


def test_layers_do_not_modify_inputs():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 4))
    dout = rng.standard_normal((3, 4))
    keep = x.copy(), dout.copy()
    for layer in (layers.Relu(), layers.Sigmoid(), layers.Dropout(0.5, seed=1)):
        layer.forward(x, train=True)
        layer.backward(dout)
    np.testing.assert_array_equal(x, keep[0])
    np.testing.assert_array_equal(dout, keep[1])


def test_affine_rejects_wrong_input_size():
    layer = layers.Affine(np.zeros((784, 10), np.float32), np.zeros(10, np.float32))
    with pytest.raises(ValueError, match="784 input features"):
        layer.forward(np.zeros((2, 28, 27), np.float32))
    assert layer.forward(np.zeros((2, 1, 28, 28), np.float32)).dtype == np.float32


def test_dropout_forms_match_in_expectation():
    x = np.ones((200, 500), dtype=np.float32)
    for inverted in (True, False):
        d = layers.Dropout(0.3, inverted=inverted, seed=0)
        train_mean = d.forward(x, train=True).mean()
        test_mean = d.forward(x, train=False).mean()
        assert abs(train_mean - test_mean) < 0.01
    d = layers.Dropout(0.3, seed=0)
    out = d.forward(x, train=True)
    assert abs((out == 0).mean() - 0.3) < 0.01 and np.allclose(out[out > 0], 1 / 0.7)
    assert np.array_equal(d.backward(x), out)
    with pytest.raises(ValueError, match="probability"):
        layers.Dropout(1.0)


def test_check_layer_in_training_mode_holds_the_dropout_mask_fixed():
    rng = np.random.default_rng(3)
    layer = layers.Dropout(0.5, seed=4)
    errors = gradcheck.check_layer(layer, rng.standard_normal((6, 5)), train=True)
    assert max(errors.values()) < 1e-7, errors
    assert np.any(layer.forward(np.ones((6, 5)), train=True) == 0)   # it really was dropping


def test_layer_and_loss_contract():
    for layer in (layers.Relu(), layers.Affine(np.zeros((2, 3)), np.zeros(3)), layers.BatchNorm(np.ones(2),
                                                                                                np.zeros(2))):
        assert isinstance(layer, layers.Layer)
        assert set(layer.grads) == set(layer.params) and isinstance(layer.state, dict)
    assert isinstance(layers.SoftmaxWithLoss(), layers.Loss) and not isinstance(layers.SoftmaxWithLoss(), layers.Layer)
    with pytest.raises(NotImplementedError, match="forward"):
        layers.Layer().forward(np.zeros(2))
    with pytest.raises(NotImplementedError, match="backward"):
        layers.Layer().backward(np.zeros(2))


def test_relu_and_sigmoid_by_value():
    x = np.array([[-2.0, -1e-3, 0.0, 1e-3, 3.0]])
    relu, sig = layers.Relu(), layers.Sigmoid()
    np.testing.assert_array_equal(relu.forward(x), [[0, 0, 0, 1e-3, 3.0]])
    np.testing.assert_array_equal(relu.backward(np.full_like(x, 2.0)), [[0, 0, 0, 2.0, 2.0]])
    y = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(sig.forward(x), y, rtol=1e-15)
    np.testing.assert_allclose(sig.backward(np.full_like(x, 2.0)), 2 * y * (1 - y), rtol=1e-15)


def test_dropout_masks_by_value():
    rng = np.random.default_rng(6)
    x = rng.random((50, 40)) + 1
    d = layers.Dropout(0.25, seed=7)
    out1, mask1 = d.forward(x, train=True), d.mask.copy()
    np.testing.assert_allclose(out1, x * mask1 / 0.75, rtol=1e-15)         # kept units scaled by 1 / (1 - p)
    np.testing.assert_array_equal(d.backward(np.ones_like(x)), mask1 / 0.75)   # backward uses the same mask
    d.forward(x, train=True)
    assert not np.array_equal(d.mask, mask1)                                 # a new mask every training step
    again = layers.Dropout(0.25, seed=7)
    np.testing.assert_array_equal(again.forward(x, train=True), out1)       # the seed makes masks reproducible
    np.testing.assert_array_equal(d.forward(x, train=False), x)             # inverted: identity at test time
    original = layers.Dropout(0.25, inverted=False, seed=7)
    np.testing.assert_array_equal(original.forward(x, train=True), x * mask1)   # no scaling while training
    np.testing.assert_allclose(original.forward(x, train=False), 0.75 * x, rtol=1e-15)   # scaled at test time
    assert out1.dtype == x.dtype and d.forward(x.astype(np.float32), train=True).dtype == np.float32


def test_affine_by_value():
    rng = np.random.default_rng(8)
    x, W, b, dout = rng.standard_normal((3, 2, 2)), rng.standard_normal((4, 5)), rng.standard_normal(5), \
        rng.standard_normal((3, 5))
    layer = layers.Affine(W, b)
    np.testing.assert_allclose(layer.forward(x), x.reshape(3, 4) @ W + b, rtol=1e-14)
    np.testing.assert_allclose(layer.backward(dout), (dout @ W.T).reshape(3, 2, 2), rtol=1e-14)
    np.testing.assert_allclose(layer.grads["W"], x.reshape(3, 4).T @ dout, rtol=1e-14)
    np.testing.assert_allclose(layer.grads["b"], dout.sum(axis=0), rtol=1e-14)


def test_softmax_with_loss_by_value_with_one_hot_and_dout():
    x = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    t = np.array([[0, 0, 1], [1, 0, 0]])
    layer = layers.SoftmaxWithLoss()
    y = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    assert layer.forward(x, t) == pytest.approx(-(np.log(y[0, 2]) + np.log(y[1, 0])) / 2, rel=1e-14)
    np.testing.assert_allclose(layer.backward(3.0), 3.0 * (y - t) / 2, rtol=1e-14)


def test_rel_error_by_value():
    assert gradcheck.rel_error([3.0, 4.0], [3.0, 4.0]) == 0.0
    assert gradcheck.rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert gradcheck.rel_error([1.0, 0.0], [0.0, 0.0]) == pytest.approx(1.0)
    assert gradcheck.rel_error([3.0, 4.0], [0.0, 0.0]) == pytest.approx(1.0)
    assert gradcheck.rel_error([1.0], [3.0]) == pytest.approx(0.5)
    assert gradcheck.rel_error([1e-13], [0.0]) == pytest.approx(0.1)   # the floor 1e-12


def test_check_layer_catches_a_wrong_backward_and_rejects_bad_steps():
    class HalfGradRelu(layers.Relu):
        def backward(self, dout):
            return super().backward(dout) * 0.5
    rng = np.random.default_rng(9)
    errors = gradcheck.check_layer(HalfGradRelu(), away_from_zero(rng.standard_normal((3, 4))))
    assert errors["x"] == pytest.approx(1 / 3, rel=1e-6)
    for h in (0, -1e-5, 1):
        with pytest.raises(ValueError, match=r"the finite-difference step h must be a finite number in \(0, 1\)"):
            gradcheck.check_layer(layers.Relu(), np.ones((2, 2)), h=h)
    for h in (True, "1e-5"):
        with pytest.raises(TypeError, match="the finite-difference step h must be a number, got"):
            gradcheck.check_layer(layers.Relu(), np.ones((2, 2)), h=h)
    gradcheck.check_layer(layers.Relu(), np.ones((2, 2)), h=0.5)   # any step in (0, 1) is accepted


# ---------------------------------------------------------------- mutation-testing follow-ups (issue 13)
class _MyLayer(layers.Layer):
    pass


class _MyLoss(layers.Loss):
    pass


def _forward_then_backward(layer, dout, *forward_args):
    layer.forward(*forward_args)
    return layer.backward(dout)


def _bn():
    return layers.BatchNorm(np.ones(3), np.zeros(3))


L = layers
# Every error message of the module, in full: (case, call, error type, exact message).
MESSAGES = [
    ('integer type', lambda: L.MaxPool2D(2.0),
     TypeError, 'MaxPool2D: pool_h must be a whole number, got float 2.0.'),
    ('integer min', lambda: L.MaxPool2D(0),
     ValueError, 'MaxPool2D: pool_h must be at least 1, got 0.'),
    ('check_params', lambda: L.Affine(np.zeros((2, 3), int), np.zeros(3)),
     TypeError, 'Affine parameter W must be a float array, got dtype int64. Convert it, e.g. W.astype(np.float32).'),
    ('check_numbers', lambda: L.Relu().forward(np.array(['a'])),
     TypeError, 'Relu input x must hold numbers, got ndarray of dtype <U1. Pass a NumPy array or a list of numbers.'),
    ('check_input ndim', lambda: L.im2col(np.zeros((2, 3)), 2, 2),
     ValueError, 'im2col expects input (N, C, H, W), got shape (2, 3).'),
    ('layer forward', lambda: _MyLayer().forward(np.zeros(2)),
     NotImplementedError, '_MyLayer must define forward(x, train=False).'),
    ('layer backward', lambda: _MyLayer().backward(np.zeros(2)),
     NotImplementedError, '_MyLayer must define backward(dout).'),
    ('loss forward', lambda: _MyLoss().forward(np.zeros((1, 2)), np.zeros(1, int)),
     NotImplementedError, '_MyLoss must define forward(x, t).'),
    ('loss backward', lambda: _MyLoss().backward(),
     NotImplementedError, '_MyLoss must define backward(dout=1).'),
    ('affine shapes', lambda: L.Affine(np.zeros((2, 3)), np.zeros(2)),
     ValueError, 'Affine needs W (D, M) and b (M,), got W (2, 3) and b (2,).'),
    ('affine features', lambda: L.Affine(np.zeros((4, 3)), np.zeros(3)).forward(np.zeros((2, 5))),
     ValueError, 'Affine expects 4 input features per example, got input shape (2, 5).'),
    ('affine backward first', lambda: L.Affine(np.zeros((4, 3)), np.zeros(3)).backward(np.zeros((2, 3))),
     RuntimeError, 'Affine.backward was called before forward: call forward(x) first (backward uses what '
                   'the last forward kept).'),
    ('relu backward first', lambda: L.Relu().backward(np.zeros(2)),
     RuntimeError, 'Relu.backward was called before forward: call forward(x) first (backward uses what the '
                   'last forward kept).'),
    ('sigmoid backward first', lambda: L.Sigmoid().backward(np.zeros(2)),
     RuntimeError, 'Sigmoid.backward was called before forward: call forward(x) first (backward uses what '
                   'the last forward kept).'),
    ('dropout backward first', lambda: L.Dropout(0.5).backward(np.zeros(2)),
     RuntimeError, 'Dropout.backward was called before forward: call forward(x) first (backward uses what '
                   'the last forward kept).'),
    ('batchnorm backward first', lambda: _bn().backward(np.zeros((2, 3))),
     RuntimeError, 'BatchNorm.backward was called before forward: call forward(x) first (backward uses what '
                   'the last forward kept).'),
    ('conv backward first', lambda: L.Conv2D(np.zeros((1, 1, 2, 2)), np.zeros(1)).backward(np.zeros((1, 1, 1, 1))),
     RuntimeError, 'Conv2D.backward was called before forward: call forward(x) first (backward uses what '
                   'the last forward kept).'),
    ('pool backward first', lambda: L.MaxPool2D().backward(np.zeros((1, 1, 1, 1))),
     RuntimeError, 'MaxPool2D.backward was called before forward: call forward(x) first (backward uses what '
                   'the last forward kept).'),
    ('flatten backward first', lambda: L.Flatten().backward(np.zeros((1, 4))),
     RuntimeError, 'Flatten.backward was called before forward: call forward(x) first (backward uses what '
                   'the last forward kept).'),
    ('softmax backward first', lambda: L.SoftmaxWithLoss().backward(),
     RuntimeError, 'SoftmaxWithLoss.backward was called before forward: call forward(x) first (backward '
                   'uses what the last forward kept).'),
    ('relu dout shape', lambda: _forward_then_backward(L.Relu(), np.zeros((3, 2)), np.zeros((2, 3))),
     ValueError, "Relu.backward expects dout shaped like the last forward's output (2, 3), got (3, 2)."),
    ('softmax scores ndim', lambda: L.SoftmaxWithLoss().forward(np.zeros(3), np.zeros(1, int)),
     ValueError, 'SoftmaxWithLoss expects scores shaped (N, C), got (3,).'),
    ('softmax empty', lambda: L.SoftmaxWithLoss().forward(np.zeros((0, 3)), np.zeros(0, int)),
     ValueError, 'SoftmaxWithLoss needs at least one example and one class, got scores (0, 3).'),
    ('softmax dout', lambda: _forward_then_backward(L.SoftmaxWithLoss(), np.ones(2), np.zeros((2, 3)), [0, 1]),
     ValueError, 'SoftmaxWithLoss.backward takes one number dout (the gradient of the loss, 1 by default), '
                 'got shape (2,).'),
    ('dropout p', lambda: L.Dropout(1.0),
     ValueError, 'Dropout probability p must be a finite number in [0, 1), got 1.0.'
                 ' Pick a value in that range (the default is a good start).'),
    ('dropout int input', lambda: L.Dropout(0.5).forward(np.ones(3, int), train=True),
     TypeError, 'Dropout input x must be a float array, got dtype int64. Convert it, e.g. x.astype(np.float32).'),
    ('bn shapes', lambda: L.BatchNorm(np.ones(3), np.zeros(2)),
     ValueError, 'BatchNorm needs gamma (D,) and beta (D,) of the same shape, got gamma (3,) and beta (2,).'),
    ('bn momentum type', lambda: L.BatchNorm(np.ones(3), np.zeros(3), momentum='0.9'),
     TypeError, "BatchNorm momentum must be a number, got str '0.9'."),
    ('bn momentum', lambda: L.BatchNorm(np.ones(3), np.zeros(3), momentum=1.0),
     ValueError, 'BatchNorm momentum must be a finite number in [0, 1), got 1.0.'
                 ' Pick a value in that range (the default is a good start).'),
    ('bn eps', lambda: L.BatchNorm(np.ones(3), np.zeros(3), eps=0.0),
     ValueError, 'BatchNorm eps must be a finite number in (0, inf), got 0.0.'
                 ' Pick a value in that range (the default is a good start).'),
    ('bn input', lambda: _bn().forward(np.zeros((2, 4))),
     ValueError, 'BatchNorm expects input (N, 3) or (N, 3, H, W), got (2, 4).'),
    ('bn batch of one', lambda: _bn().forward(np.zeros((1, 3)), train=True),
     ValueError, 'BatchNorm in training mode needs at least 2 values per feature; got a batch of shape (1, '
                 '3). Use a larger batch.'),
    ('conv size', lambda: L.conv_output_size(3, 5, 1, 0),
     ValueError, 'a filter of 5 with padding 0 and stride 1 does not fit an input of 3: use a smaller '
                 'filter, more padding, or a stride of at least 1.'),
    ('conv shapes', lambda: L.Conv2D(np.zeros((1, 1, 2, 2)), np.zeros(2)),
     ValueError, 'Conv2D needs W (FN, C, FH, FW) and b (FN,), got W (1, 1, 2, 2) and b (2,).'),
    ('conv input', lambda: L.Conv2D(np.zeros((1, 2, 2, 2)), np.zeros(1)).forward(np.zeros((1, 1, 4, 4))),
     ValueError, 'Conv2D expects input (N, 2, H, W), got (1, 1, 4, 4).'),
    ('pool pad', lambda: L.MaxPool2D(2, 3, pad=2),
     ValueError, 'MaxPool2D: pad 2 must be smaller than the pool (2, 3), or some windows would hold padding only.'),
    ('pool stride', lambda: L.MaxPool2D(2, 2, stride=0),
     ValueError, 'MaxPool2D: stride must be at least 1, got 0.'),
    ('bn int gamma', lambda: L.BatchNorm(np.ones(3, int), np.zeros(3)),
     TypeError, 'BatchNorm parameter gamma must be a float array, got dtype int64. Convert it, e.g. '
                'gamma.astype(np.float32).'),
    ('pool input', lambda: L.MaxPool2D().forward(np.zeros((2, 2))),
     ValueError, 'MaxPool2D expects input (N, C, H, W), got shape (2, 2).'),
    ('flatten input', lambda: L.Flatten().forward(np.zeros(3)),
     ValueError, 'Flatten expects input (N, d1, ...), got shape (3,).'),
    ('conv stride', lambda: L.Conv2D(np.zeros((1, 1, 2, 2)), np.zeros(1), stride=0),
     ValueError, 'Conv2D: stride must be at least 1, got 0.'),
    ('relu dout text', lambda: _forward_then_backward(L.Relu(), np.array(['a', 'b']), np.zeros(2)),
     TypeError, 'Relu dout must hold numbers, got ndarray of dtype <U1. Pass a NumPy array or a list of numbers.'),
    ('im2col filter', lambda: L.im2col(np.zeros((1, 1, 3, 3)), 4, 2),
     ValueError, 'a filter of 4 with padding 0 and stride 1 does not fit an input of 3: use a smaller '
                 'filter, more padding, or a stride of at least 1.'),
]


@pytest.mark.parametrize("case, call, error, message", MESSAGES, ids=[m[0] for m in MESSAGES])
def test_every_error_message_in_full(case, call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_batchnorm_forward_defaults_to_inference_and_im2col_to_stride_1_no_padding():
    rng = np.random.default_rng(20)
    layer = layers.BatchNorm(rng.random(3) + 0.5, rng.standard_normal(3))
    layer.state["running_mean"][...] = [0.1, -0.2, 0.3]
    layer.state["running_var"][...] = [2.0, 0.5, 1.5]
    x = rng.standard_normal((4, 3))
    expected = layer.params["gamma"] * (x - layer.state["running_mean"]) / np.sqrt(layer.state["running_var"] + 1e-5) \
        + layer.params["beta"]
    np.testing.assert_allclose(layer.forward(x), expected, rtol=1e-12)
    assert layer.state["running_mean"].tolist() == [0.1, -0.2, 0.3]   # inference leaves the statistics alone
    x4 = rng.standard_normal((2, 1, 3, 3))
    cols = layers.im2col(x4, 2, 2)
    assert cols.shape == (4, 2 * 2 * 2)
    np.testing.assert_array_equal(cols, layers.im2col(x4, 2, 2, stride=1, pad=0))
    np.testing.assert_array_equal(cols[:, 0], x4[0, 0, :2, :2].ravel())


def test_pool_gradient_takes_dout_dtype_and_flatten_takes_2d_input():
    rng = np.random.default_rng(21)
    pool = layers.MaxPool2D(2, 2)
    x = rng.standard_normal((1, 2, 4, 4)).astype(np.float32)
    out = pool.forward(x)
    dout = rng.standard_normal(out.shape)                        # float64
    dx = pool.backward(dout)
    assert dx.dtype == np.float64
    assert np.sum(dx) == pytest.approx(np.sum(dout), rel=1e-12)   # every gradient lands on one winner, unrounded
    flat = layers.Flatten()
    x2 = rng.standard_normal((3, 5))
    np.testing.assert_array_equal(flat.forward(x2), x2)
    np.testing.assert_array_equal(flat.backward(x2), x2)


def _conv_reference(x, W, b, stride, pad):
    fn, _, fh, fw = W.shape
    n, _, h, w = x.shape
    oh, ow = layers.conv_output_size(h, fh, stride, pad), layers.conv_output_size(w, fw, stride, pad)
    out = W.reshape(fn, -1) @ layers.im2col(x, fh, fw, stride, pad)
    return out.reshape(fn, n, oh, ow).transpose(1, 0, 2, 3) + b[:, None, None]


def test_conv_with_padding_wider_than_the_filter_matches_im2col():
    rng = np.random.default_rng(22)
    for fh, fw, pad in [(1, 1, 2), (2, 1, 2), (1, 2, 3)]:
        W, b = rng.standard_normal((2, 3, fh, fw)), rng.standard_normal(2)
        x = rng.standard_normal((2, 3, 4, 5))
        np.testing.assert_allclose(layers.Conv2D(W, b, pad=pad).forward(x), _conv_reference(x, W, b, 1, pad),
                                   rtol=1e-12, atol=1e-12, err_msg=f"{fh}x{fw} pad {pad}")


def test_conv_dtypes_follow_numpy_promotion_even_when_the_layer_is_reused():
    rng = np.random.default_rng(23)
    W32, b32 = rng.standard_normal((2, 1, 3, 3)).astype(np.float32), np.zeros(2, np.float32)
    x64 = rng.standard_normal((2, 1, 5, 5))
    layer = layers.Conv2D(W32, b32)
    assert layer.forward(x64).dtype == np.float64                 # float32 weights, float64 data
    out = layer.forward(x64.astype(np.float32))                   # same shapes, now all float32
    assert out.dtype == np.float32
    dx = layer.backward(np.ones(out.shape, np.float32))
    assert dx.dtype == np.float32 and layer.grads["W"].dtype == np.float32
    W64 = W32.astype(np.float64)
    assert layers.Conv2D(W64, b32.astype(np.float64)).forward(x64.astype(np.float32)).dtype == np.float64
    np.testing.assert_allclose(out, _conv_reference(x64.astype(np.float32), W32, b32, 1, 0), rtol=1e-5, atol=1e-5)


def test_conv_and_pool_follow_the_layer_contract():
    conv = layers.Conv2D(np.ones((2, 1, 2, 2)), np.ones(2), pad=1)
    assert set(conv.grads) == set(conv.params) == {"W", "b"}
    assert all(conv.grads[k].shape == conv.params[k].shape and not conv.grads[k].any() for k in conv.params)
    pool = layers.MaxPool2D()
    assert pool.params == {} and pool.grads == {} and pool.state == {}
    for call, message in [
        (lambda: layers.Conv2D(np.ones((1, 1, 2, 2), int), np.ones(1)),
         "Conv2D parameter W must be a float array, got dtype int64. Convert it, e.g. W.astype(np.float32)."),
        (lambda: layers.Conv2D(np.ones((1, 1, 2, 2)), np.ones(1), pad=-1), "Conv2D: pad must be at least 0, got -1."),
    ]:
        with pytest.raises((TypeError, ValueError)) as info:
            call()
        assert str(info.value) == message


def test_softmax_with_loss_shifts_each_row_by_its_own_maximum_and_conv_size_names_itself():
    x = np.array([[1000.0, 1001.0], [-1000.0, -999.0]])   # one shared shift would underflow the second row
    loss = layers.SoftmaxWithLoss().forward(x, np.array([1, 1]))
    assert loss == pytest.approx(np.log1p(np.exp(-1.0)), rel=1e-12)
    with pytest.raises(ValueError) as info:
        layers.conv_output_size(0, 2)
    assert str(info.value) == "conv_output_size: size must be at least 1, got 0."
    assert layers.conv_output_size(7, 3) == 5 and layers.conv_output_size(7, 3, 2, 1) == 4


def test_pool_constructor_messages_and_batchnorm_grads_start_at_zero():
    for kwargs, message in [({"pool_h": 0}, "MaxPool2D: pool_h must be at least 1, got 0."),
                            ({"pool_w": 0}, "MaxPool2D: pool_w must be at least 1, got 0."),
                            ({"pad": -1}, "MaxPool2D: pad must be at least 0, got -1.")]:
        with pytest.raises(ValueError) as info:
            layers.MaxPool2D(**kwargs)
        assert str(info.value) == message
    bn = layers.BatchNorm(np.full(3, 2.0), np.full(3, 0.5))
    assert all(bn.grads[k].shape == (3,) and not bn.grads[k].any() for k in ("gamma", "beta"))


def test_layers_and_losses_show_their_parameter_shapes():
    assert repr(layers.Affine(np.zeros((2, 3)), np.zeros(3))) == "Affine(W(2, 3), b(3,))"
    assert repr(layers.Relu()) == "Relu()"
    assert repr(layers.SoftmaxWithLoss()) == "SoftmaxWithLoss()"


def test_more_messages_in_full_and_conv_computes_in_the_wider_dtype():
    for call, message in [
        (lambda: layers.Affine(np.zeros((2, 3)), np.zeros(3)).forward(np.zeros(3)),
         "Affine expects input (N, D) or (N, d1, d2, ...), got shape (3,)."),
        (lambda: layers.conv_output_size(3, 0), "conv_output_size: filter_size must be at least 1, got 0."),
        (lambda: layers.conv_output_size(3, 2, 0), "conv_output_size: stride must be at least 1, got 0."),
        (lambda: layers.conv_output_size(3, 2, 1, -1), "conv_output_size: pad must be at least 0, got -1."),
    ]:
        with pytest.raises(ValueError) as info:
            call()
        assert str(info.value) == message
    rng = np.random.default_rng(24)
    W, b = rng.standard_normal((2, 2, 3, 3)), rng.standard_normal(2)
    x32 = rng.standard_normal((2, 2, 5, 5)).astype(np.float32)
    out = layers.Conv2D(W, b, pad=1).forward(x32)   # float64 weights: computed in float64, not rounded to float32
    np.testing.assert_allclose(out, _conv_reference(x32.astype(np.float64), W, b, 1, 1), rtol=1e-12, atol=1e-12)


def test_dropout_defaults_and_affine_grads_start_at_zero():
    d = layers.Dropout()
    assert d.p == 0.5 and d.inverted
    x = np.random.default_rng(25).random((4, 6)) + 0.5
    np.testing.assert_array_equal(d.forward(x), x)          # inference unless train=True
    affine = layers.Affine(np.ones((2, 3)), np.ones(3))
    assert affine.grads["W"].shape == (2, 3) and affine.grads["b"].shape == (3,)
    assert not affine.grads["W"].any() and not affine.grads["b"].any()


# ---------------------------------------------------------------- gradcheck (mutation-testing follow-ups)
class _Cube:
    """A layer outside the library, following the contract without a ``state``: out = x * w**3."""

    def __init__(self, w):
        self.params, self.grads = {"w": np.array([w])}, {"w": np.zeros(1)}

    def forward(self, x, train=False):
        self.x = x
        return x * self.params["w"] ** 3

    def backward(self, dout):
        self.grads["w"] = np.array([np.sum(dout * self.x) * 3 * self.params["w"][0] ** 2])
        return dout * self.params["w"] ** 3


def test_gradcheck_uses_its_step_seed_and_messages():
    rng = np.random.default_rng(26)
    x = rng.standard_normal((3, 2))
    fine = gradcheck.check_layer(_Cube(1.2), x)                   # works without a state dict
    assert max(fine.values()) < 1e-8
    coarse = gradcheck.check_layer(_Cube(1.2), x, h=0.5)          # (w+h)^3 - (w-h)^3 over 2h = 3w^2 + h^2
    assert coarse["w"] == pytest.approx(0.25 / (2 * 3 * 1.44 + 0.25), rel=1e-6)
    assert gradcheck.check_layer(layers.Sigmoid(), x, h=0.5)["x"] > 1e-3    # the input's step too
    sig = [gradcheck.check_layer(layers.Sigmoid(), x, seed=3) for _ in range(2)]
    assert sig[0] == sig[1] and sig[0] != gradcheck.check_layer(layers.Sigmoid(), x, seed=4)   # dout from the seed
    net = nets.TwoLayerNet(3, 4, 2, weight_init_std=0.8, dtype=np.float64)
    xs, t = rng.standard_normal((4, 3)), np.array([0, 1, 1, 0])
    assert max(gradcheck.check_net(net, xs, t).values()) < 1e-7
    assert max(gradcheck.check_net(net, xs, t, h=0.5).values()) > 1e-4   # the step given is the step used
    for call, error, message in [
        (lambda: gradcheck.rel_error([1.0], ["x"]), TypeError,
         "b must hold gradient values, got list of dtype <U1. Pass a NumPy array or a list of numbers."),
        (lambda: gradcheck.rel_error([1.0], [1.0], floor=True), TypeError, "floor must be a number, got bool True."),
        (lambda: gradcheck.rel_error([1.0], [1.0], floor=0), ValueError,
         "floor must be a finite number in (0, inf), got 0.0. Use a small positive number (the default is 1e-12)."),
        (lambda: gradcheck.check_layer(layers.Relu(), [1.0, np.nan]), ValueError,
         "x must be a non-empty array of finite numbers (the point to check the gradient at), got shape (2,) with "
         "NaN or infinite values."),
        (lambda: gradcheck.check_layer(layers.Relu(), np.zeros(0)), ValueError,
         "x must be a non-empty array of finite numbers (the point to check the gradient at), got shape (0,)."),
        (lambda: gradcheck.check_layer(3, np.ones(2)), TypeError,
         "layer must follow the layer contract of course_lib.layers (forward, backward, params, grads), got int; "
         "e.g. gradcheck.check_layer(layers.Relu(), x)."),
        (lambda: gradcheck.check_layer(layers.Relu(), np.ones(2), seed=True), TypeError,
         "seed must be a whole number, got bool True."),
        (lambda: gradcheck.check_net(3, np.ones(2), np.ones(2)), TypeError,
         "net must be a network from course_lib.nets (gradient, loss, params, layers), got int."),
    ]:
        with pytest.raises(error) as info:
            call()
        assert str(info.value) == message
