import numpy as np
import pytest

kt = pytest.importorskip("course_lib.kerastools")



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
    assert len(fig.axes) == 2 and fig.axes[0].get_title() == "Accuracy per epoch"
    assert fig.axes[1].get_ylabel() == "loss (cross-entropy)"
    assert all(float(t).is_integer() for t in fig.axes[0].get_xticks())


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


def test_best_checkpoint_saves_best_epoch(tmp_path):
    kt.set_seed(0)
    model = kt.compile_classifier(kt.mlp(hidden=8))
    rng = np.random.default_rng(0)
    x, t = rng.random((64, 28, 28)).astype(np.float32), rng.integers(0, 10, 64)
    ckpt = kt.BestCheckpoint(tmp_path / "best.keras")
    model.fit(x, t, epochs=3, validation_data=(x, t), callbacks=[ckpt], verbose=0)
    assert ckpt.best_epoch in (1, 2, 3) and (tmp_path / "best.keras").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["best.keras"]
