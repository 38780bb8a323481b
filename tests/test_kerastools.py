import numpy as np
import pytest

kt = pytest.importorskip("course_lib.kerastools")
tf = pytest.importorskip("tensorflow")



def test_mlp_parameter_counts_and_names():
    model = kt.mlp()
    assert model.count_params() == 101_770 == kt.dense_params(784, 128) + kt.dense_params(128, 10)
    assert [layer.name for layer in model.layers] == ["pixels", "flatten", "d1", "d2"]
    assert kt.mlp(hidden=64, dropout=0.5).count_params() == 784 * 64 + 64 + 650
    sub = kt.MnistModel()
    sub(np.zeros((1, 28, 28), np.float32))
    assert sub.count_params() == 101_770


def test_print_summary_is_plain_text(capsys):
    kt.print_summary(kt.mlp())
    out = capsys.readouterr().out
    assert out.startswith('Model: "mnist_mlp"\n') and "\x1b" not in out
    assert "│ d1 (Dense)" in out and " Trainable params: 101,770 (397.54 KB)\n" in out
    with pytest.raises(TypeError, match="model must be a Keras model, got list"):
        kt.print_summary([])


@pytest.mark.slow
def test_subclassed_and_sequential_train_identically():
    rng = np.random.default_rng(0)
    x, t = rng.random((64, 28, 28)).astype(np.float32), rng.integers(0, 10, 64)
    results = []
    for build in (kt.mlp, kt.MnistModel):
        kt.set_seed(3)
        model = kt.compile_classifier(build())
        results.append(model.fit(x, t, batch_size=32, epochs=2, verbose=0).history["loss"])
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)


@pytest.mark.parametrize("acc_key", ["acc", "accuracy", "sparse_categorical_accuracy"])
def test_plot_history_finds_any_metric_names(acc_key):
    h = {"loss": [1.0, 0.5], acc_key: [0.5, 0.8], "val_loss": [1.1, 0.7], f"val_{acc_key}": [0.4, 0.7]}
    assert kt.metric_pairs(h) == [(acc_key, f"val_{acc_key}"), ("loss", "val_loss")]
    fig = kt.plot_history(h)
    assert len(fig.axes) == 2 and fig.axes[0].get_title() == "Accuracy per epoch"
    assert fig.axes[1].get_ylabel() == "loss (cross-entropy)"
    assert all(float(t).is_integer() for t in fig.axes[0].get_xticks())


def test_plot_history_without_validation_and_empty():
    assert kt.metric_pairs({"loss": [1.0]}) == [("loss", None)]
    with pytest.raises(ValueError, match="no training metrics"):
        kt.metric_pairs({"val_loss": [1.0]})


@pytest.mark.slow
def test_save_load_round_trip_and_missing(tmp_path):
    model = kt.mlp()
    x = np.random.default_rng(1).random((5, 28, 28)).astype(np.float32)
    path = kt.save_model(model, tmp_path / "m.keras")
    assert [p.name for p in tmp_path.iterdir()] == ["m.keras"]
    np.testing.assert_array_equal(kt.load_model(path).predict(x, verbose=0), model.predict(x, verbose=0))
    with pytest.raises(FileNotFoundError, match="Run notebook 06"):
        kt.load_model(tmp_path / "none.keras", notebook="06")


@pytest.mark.slow
def test_cnn_and_resnet_builders():
    assert kt.nielsen_cnn().count_params() == 520 + 288_100 + 1_010
    assert kt.nielsen_cnn(two_conv=True).count_params() == 520 + 20_040 + 64_100 + 1_010
    assert kt.deep_convnet().count_params() == 123_552
    dropouts = [layer.name for layer in kt.deep_convnet(logit_dropout=False).layers if "dropout" in layer.name]
    assert dropouts == ["dropout1"] and kt.deep_convnet(logit_dropout=False).count_params() == 123_552
    model = kt.resnet()
    assert model.count_params() == 170_794 and model.name == "mnist_resnet"
    assert sum(type(layer).__name__ == "Add" for layer in model.layers) == 4
    x = np.random.default_rng(0).random((2, 28, 28, 1)).astype(np.float32)
    assert model.predict(x, verbose=0).shape == (2, 10)


def test_augmentation_is_identity_at_test_time():
    x = np.random.default_rng(0).random((3, 28, 28, 1)).astype(np.float32)
    aug = kt.augmentation()
    np.testing.assert_array_equal(aug(x, training=False).numpy(), x)
    assert not np.array_equal(aug(x, training=True).numpy(), x)


@pytest.mark.slow
def test_best_checkpoint_saves_best_epoch(tmp_path):
    kt.set_seed(0)
    model = kt.compile_classifier(kt.mlp(hidden=8))
    rng = np.random.default_rng(0)
    x, t = rng.random((64, 28, 28)).astype(np.float32), rng.integers(0, 10, 64)
    ckpt = kt.BestCheckpoint(tmp_path / "best.keras")
    model.fit(x, t, epochs=3, validation_data=(x, t), callbacks=[ckpt], verbose=0)
    assert ckpt.best_epoch in (1, 2, 3) and (tmp_path / "best.keras").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["best.keras"]


def _set_all(model, value):
    model.set_weights([np.full(w.shape, value, w.dtype) for w in model.get_weights()])


@pytest.mark.parametrize("mode, values, best", [("max", [0.5, 0.9, 0.7, 0.9], 2), ("min", [0.8, 0.3, 0.6, 0.3], 2)])
def test_best_checkpoint_holds_the_best_epochs_weights(tmp_path, mode, values, best):
    """Each epoch gets its own weights (all entries = epoch number); the saved file must hold the best epoch's."""
    model = kt.mlp(hidden=4)
    monitor = "val_sparse_categorical_accuracy" if mode == "max" else "val_loss"
    ckpt = kt.BestCheckpoint(tmp_path / "best.keras", monitor=monitor, mode=mode)
    ckpt.set_model(model)
    for epoch, value in enumerate(values):
        _set_all(model, float(epoch + 1))
        ckpt.on_epoch_end(epoch, {monitor: value, "loss": 1.0})
    assert ckpt.best_epoch == best and ckpt.best == (max(values) if mode == "max" else min(values))
    saved = kt.load_model(tmp_path / "best.keras")
    for w in saved.get_weights():
        np.testing.assert_array_equal(w, np.full(w.shape, float(best), w.dtype))  # a tie keeps the first best
    assert [p.name for p in tmp_path.iterdir()] == ["best.keras"]


def keras_callback(fn):
    import keras
    return keras.callbacks.LambdaCallback(on_epoch_end=fn)


@pytest.mark.slow
def test_best_checkpoint_during_fit_matches_the_recorded_weights(tmp_path):
    kt.set_seed(1)
    model = kt.compile_classifier(kt.mlp(hidden=8))
    rng = np.random.default_rng(0)
    x, t = rng.random((64, 28, 28)).astype(np.float32), rng.integers(0, 10, 64)
    seen = []
    record = keras_callback(lambda epoch, logs: seen.append((logs["val_loss"], model.get_weights())))
    ckpt = kt.BestCheckpoint(tmp_path / "best.keras", monitor="val_loss", mode="min")
    model.fit(x, t, epochs=4, validation_data=(x[:32], t[:32]), callbacks=[record, ckpt], verbose=0)
    best = int(np.argmin([loss for loss, _ in seen]))
    assert ckpt.best_epoch == best + 1
    for got, want in zip(kt.load_model(tmp_path / "best.keras").get_weights(), seen[best][1], strict=True):
        np.testing.assert_array_equal(got, want)


def test_best_checkpoint_names_a_missing_metric(tmp_path):
    ckpt = kt.BestCheckpoint(tmp_path / "best.keras")
    ckpt.set_model(kt.mlp(hidden=4))
    with pytest.raises(KeyError, match="monitors 'val_sparse_categorical_accuracy', but the logs hold"):
        ckpt.on_epoch_end(0, {"loss": 1.0})


def test_save_model_failing_midway_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    model = kt.mlp(hidden=4)
    path = kt.save_model(model, tmp_path / "m.keras")
    before = path.read_bytes()

    def dying_save(target, *args, **kwargs):
        with open(target, "wb") as f:
            f.write(b"half a model")
        raise OSError("disk full")

    monkeypatch.setattr(model, "save", dying_save)
    with pytest.raises(OSError, match="disk full"):
        kt.save_model(model, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.keras"]


BAD = [
    (lambda: kt.mlp(hidden=0), ValueError, "hidden must be at least 1, got 0."),
    (lambda: kt.mlp(dropout=1.0), ValueError, "dropout must be a finite number in [0, 1), got 1.0."),
    (lambda: kt.mlp(l2=-1e-4), ValueError, "l2 must be a finite number in [0, inf), got -0.0001."),
    (lambda: kt.set_seed(-1), ValueError, "seed must be at least 0, got -1."),
    (lambda: kt.compile_classifier(kt.mlp(), learning_rate=0), ValueError,
     "learning_rate must be a finite number in (0, 1), got 0.0. Pass a number in that range or a keras "
     "LearningRateSchedule (Adam's default: 0.001)."),
    (lambda: kt.compile_classifier("mlp"), TypeError, "model must be a keras.Model"),
    (lambda: kt.save_model(kt.mlp(), "model.h5"), ValueError, "path must end in .keras"),
    (lambda: kt.EpochLogger(every=0), ValueError, "every must be at least 1, got 0."),
    (lambda: kt.BestCheckpoint("b.keras", monitor="val_loss"), ValueError, "pass mode='min'"),
    (lambda: kt.BestCheckpoint("b.keras", mode="best"), ValueError, "mode must be 'max'"),
    (lambda: kt.BestCheckpoint("b.weights.h5"), ValueError, "path must end in .keras"),
    (lambda: kt.BestCheckpoint(5), TypeError, "path must be a file path (str or pathlib.Path) such as 'model.keras'"),
    (lambda: kt.MnistModel(hidden=0), ValueError, "hidden must be at least 1, got 0."),
    (lambda: kt.dense_params(784, -10), ValueError, "units must be at least 1, got -10."),
    (lambda: kt.dense_params(7.5, 10), TypeError, "inputs must be a whole number, got float 7.5."),
    (lambda: kt.save_model("mlp", "m.keras"), TypeError, "model must be a keras.Model"),
    (lambda: kt.metric_pairs([1, 2]), TypeError, "history must be a keras History"),
    (lambda: kt.metric_pairs({"loss": []}), ValueError, "history['loss'] must be a non-empty list of numbers"),
    (lambda: kt.metric_pairs({"loss": ["low"]}), ValueError, "history['loss'] must be a non-empty list"),
    (lambda: kt.metric_label(None), TypeError, "key must be a metric name"),
    (lambda: kt.plot_history({"loss": [1.0, 0.5], "val_loss": [1.0]}), ValueError,
     "2 epochs of 'loss' but 1 of 'val_loss'"),
    (lambda: kt.overlay({}, "loss"), ValueError, "histories must be a non-empty dict"),
    (lambda: kt.overlay({"a": {"loss": [1.0]}}, "val_loss"), ValueError,
     "run 'a' has no metric 'val_loss'; its metrics are ['loss']"),
    (lambda: kt.overlay({"a": {"loss": [1.0]}}, "loss", ax="left"), TypeError, "ax must be a matplotlib Axes"),
    (lambda: kt.overlay({"a": {"loss": [1.0]}}, "loss", marks={"m": 3}), ValueError, "marks['m'] must be one (x, y)"),
    (lambda: kt.deep_convnet(dropout=1.5), ValueError, "dropout must be a finite number in [0, 1), got 1.5."),
    (lambda: kt.nielsen_cnn(two_conv=True, dropout=-0.1), ValueError, "dropout must be a finite number in [0, 1)"),
    (lambda: kt.augmentation(shift=-0.1), ValueError, "shift must be a finite number in [0, 1), got -0.1."),
    (lambda: kt.augmentation(rotation_degrees=400), ValueError,
     "rotation_degrees must be a finite number in [0, 180], got 400.0."),
    (lambda: kt.augmentation(zoom=1.0), ValueError, "zoom must be a finite number in [0, 1), got 1.0."),
    (lambda: kt.resnet(widths=()), ValueError, "widths must be a non-empty sequence"),
    (lambda: kt.resnet(widths=32), ValueError, "widths must be a non-empty sequence"),
    (lambda: kt.resnet(widths=(32, 0)), ValueError, "each of widths must be at least 1, got 0."),
    (lambda: kt.resnet(blocks_per_stage=0), ValueError, "blocks_per_stage must be at least 1, got 0."),
]


@pytest.mark.parametrize("call, error, fragment", BAD)
def test_bad_inputs_raise_clear_errors(call, error, fragment):
    with pytest.raises(error) as info:
        call()
    assert fragment in str(info.value)


def test_numpy_learning_rate_and_dict_histories_are_accepted():
    np_lr = kt.compile_classifier(kt.mlp(hidden=4), learning_rate=np.float32(0.01))
    assert float(np_lr.optimizer.learning_rate) == pytest.approx(0.01)
    fig = kt.overlay({"a": {"loss": np.array([1.0, 0.5])}, "b": {"loss": [0.8]}}, "loss", marks={"best": (2, 0.5)})
    lines = [line for line in fig.axes[0].get_lines() if line.get_label() in ("a", "b")]
    assert [list(line.get_ydata()) for line in lines] == [[1.0, 0.5], [0.8]]


def test_compile_accepts_a_schedule():
    import keras
    schedule = keras.optimizers.schedules.CosineDecay(0.001, 10)
    assert kt.compile_classifier(kt.mlp(hidden=4), learning_rate=schedule).optimizer is not None


# ---------------------------------------------------------------- the last bad inputs (issue 25): images and files
_CNN = None


def _cnn():
    global _CNN
    if _CNN is None:
        _CNN = kt.nielsen_cnn()
    return _CNN


_SCALE = "Scale them first: x.astype(np.float32) / 255 (or load with data.load_mnist(normalize=True))."
BAD_IMAGES = [   # (case, x, exact message) for kt.check_images / kt.feature_maps of a (28, 28, 1) model
    ("uint8", np.zeros((2, 28, 28, 1), np.uint8),
     "x must hold pixels scaled the way the network was trained (values in [0, 1]), got uint8 values, the raw "
     "0-255 pixels. " + _SCALE),
    ("0-255 floats", np.full((2, 28, 28, 1), 255.0, np.float32),
     "x must hold pixels scaled the way the network was trained (values in [0, 1]), got float32 values up to 255, "
     "which look like raw 0-255 pixels. " + _SCALE),
    ("channels first", np.zeros((2, 1, 28, 28), np.float32),
     "x must be a batch shaped (N, 28, 28, 1), got shape (2, 1, 28, 28). It is channels first (N, C, H, W); this "
     "network takes channels last (N, H, W, C): pass x.transpose(0, 2, 3, 1)."),
    ("flat", np.zeros((2, 784), np.float32),
     "x must be a batch shaped (N, 28, 28, 1), got shape (2, 784). Reshape it, e.g. x.reshape(-1, 28, 28, 1)."),
    ("NaN", np.full((1, 28, 28, 1), np.nan, np.float32),
     "x must hold finite numbers, got 784 NaN or infinite values. Pass finite numbers (check what produced them)."),
    ("empty", np.zeros((0, 28, 28, 1), np.float32),
     "x must hold at least one image, got shape (0, 28, 28, 1). Pass a batch of at least one image."),
    ("text", [["a"]], "x must hold numbers, got list of dtype <U1. Pass a NumPy array or a list of numbers."),
]


@pytest.mark.parametrize("case, x, message", BAD_IMAGES, ids=[b[0] for b in BAD_IMAGES])
def test_images_a_keras_model_cannot_read_are_named(case, x, message):
    with pytest.raises((TypeError, ValueError)) as info:
        kt.feature_maps(_cnn(), "conv1", x)
    assert str(info.value) == message


def test_check_images_passes_good_images_on_unchanged():
    x = np.random.default_rng(0).random((3, 28, 28, 1)).astype(np.float32)
    assert kt.check_images(_cnn(), x) is x
    maps = kt.feature_maps(_cnn(), "conv1", x)
    np.testing.assert_allclose(maps, _cnn().get_layer("conv1")(x).numpy(), rtol=1e-5, atol=1e-6)


def test_load_model_names_a_file_of_another_kind(tmp_path):
    np.save(tmp_path / "m.npy", np.ones(2))
    (tmp_path / "m.keras").write_bytes((tmp_path / "m.npy").read_bytes())
    with pytest.raises(ValueError) as info:
        kt.load_model(tmp_path / "m.keras")
    assert str(info.value) == (
        f"path must be a .keras file saved by model.save or kerastools.save_model, got {tmp_path / 'm.keras'}, which "
        "is a .npy file (one NumPy array, from np.save). Pass the .keras file the training notebook saved (a .npz "
        "holds a NumPy network: load it with course_lib.nets).")
    with pytest.raises(TypeError, match="path must be a file path"):
        kt.load_model(None)


@pytest.mark.parametrize("build", [kt.mlp, kt.deep_convnet, kt.nielsen_cnn, lambda: kt.resnet(widths=(4,),
                                                                                              blocks_per_stage=1)])
def test_course_models_refuse_raw_pixels_in_plain_keras_calls(build, tmp_path):
    """model.predict / model(...) on raw 0-255 pixels stops with the scaling advice, also after a save and load."""
    model = kt.compile_classifier(build())
    shape = (3,) + tuple(model.input_shape[1:])
    scaled = np.random.default_rng(0).random(shape, dtype=np.float32)
    raw = (scaled * 255).astype(np.uint8)
    assert model.predict(scaled, verbose=0).shape == (3, 10)
    path = tmp_path / "m.keras"
    kt.save_model(model, path)
    for m in (model, kt.load_model(path)):
        for call, args in ((m.predict, (raw,)), (m.evaluate, (raw, np.zeros(3, int)))):
            with pytest.raises(tf.errors.InvalidArgumentError, match=r"x.astype\(np.float32\) / 255"):
                call(*args, verbose=0)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"x.astype\(np.float32\) / 255"):
            m(raw.astype(np.float32))
