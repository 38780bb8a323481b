import numpy as np
import pytest

kt = pytest.importorskip("course_lib.kerastools")
from course_lib import exercises as ex  # noqa: E402


def test_mlp_parameter_counts_and_names():
    model = kt.mlp()
    assert model.count_params() == 101_770 == kt.dense_params(784, 128) + kt.dense_params(128, 10)
    assert [layer.name for layer in model.layers] == ["flatten", "d1", "d2"]
    assert kt.mlp(hidden=64, dropout=0.5).count_params() == 784 * 64 + 64 + 650
    sub = kt.MnistModel()
    sub(np.zeros((1, 28, 28), np.float32))
    assert sub.count_params() == 101_770


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
    assert len(fig.axes) == 2 and fig.axes[0].get_title() == acc_key


def test_plot_history_without_validation_and_empty():
    assert kt.metric_pairs({"loss": [1.0]}) == [("loss", None)]
    with pytest.raises(ValueError, match="no training metrics"):
        kt.metric_pairs({"val_loss": [1.0]})


def test_save_load_round_trip_and_missing(tmp_path):
    model = kt.mlp()
    x = np.random.default_rng(1).random((5, 28, 28)).astype(np.float32)
    path = kt.save_model(model, tmp_path / "m.keras")
    assert [p.name for p in tmp_path.iterdir()] == ["m.keras"]
    np.testing.assert_array_equal(kt.load_model(path).predict(x, verbose=0), model.predict(x, verbose=0))
    with pytest.raises(FileNotFoundError, match="Run notebook 06"):
        kt.load_model(tmp_path / "none.keras", notebook="06")


def test_l2_checker():
    assert ex.check_l2_model(kt.mlp(l2=1e-4), 1e-4)
    assert "no kernel_regularizer" in repr(ex.check_l2_model(kt.mlp(), 1e-4))
    assert "expected L2" in repr(ex.check_l2_model(kt.mlp(l2=1e-3), 1e-4))


def test_stop_epoch_checker():
    def good(losses, patience):
        best, best_epoch = float("inf"), 0
        for epoch, loss in enumerate(losses, start=1):
            if loss < best:
                best, best_epoch = loss, epoch
            elif epoch - best_epoch >= patience:
                return epoch
        return len(losses)

    assert ex.check_stop_epoch(good)
    assert not ex.check_stop_epoch(lambda losses, patience: int(np.argmin(losses)) + 1)


def test_best_epoch_checker():
    def index_of_best(h):
        return int(np.argmax(h[next(k for k in h if k.startswith("val_") and "acc" in k)]))

    assert ex.check_best_epoch(lambda h: index_of_best(h) + 1)
    assert "off by one" in repr(ex.check_best_epoch(index_of_best))
    assert not ex.check_best_epoch(lambda h: int(np.argmax(h["val_accuracy"])) + 1)


def test_cnn_and_resnet_builders():
    assert kt.nielsen_cnn().count_params() == 520 + 288_100 + 1_010
    assert kt.nielsen_cnn(two_conv=True).count_params() == 520 + 20_040 + 64_100 + 1_010
    assert kt.deep_convnet().count_params() == 123_552
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


def test_best_checkpoint_saves_best_epoch(tmp_path):
    kt.set_seed(0)
    model = kt.compile_classifier(kt.mlp(hidden=8))
    rng = np.random.default_rng(0)
    x, t = rng.random((64, 28, 28)).astype(np.float32), rng.integers(0, 10, 64)
    ckpt = kt.BestCheckpoint(tmp_path / "best.keras")
    model.fit(x, t, epochs=3, validation_data=(x, t), callbacks=[ckpt], verbose=0)
    assert ckpt.best_epoch in (1, 2, 3) and (tmp_path / "best.keras").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["best.keras"]


def test_rotation_checker():
    keras = pytest.importorskip("keras")
    assert ex.check_rotation_augmentation(keras.layers.RandomRotation(15 / 360), 15)
    assert "fraction of a full turn" in repr(ex.check_rotation_augmentation(keras.layers.RandomRotation(0.1), 15))
    assert "RandomRotation" in repr(ex.check_rotation_augmentation(keras.layers.RandomZoom(0.1), 15))
