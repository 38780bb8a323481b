import json

import numpy as np
import pytest

from course_lib import draw, models, nets, results


def _seven(points, size=280, width=18):
    return draw.stroke_image(points, size=size, width=width)


def test_off_centre_digit_is_centred_by_mass():
    steps = draw.preprocess(_seven([(0.02, 0.02), (0.2, 0.02), (0.08, 0.25)]))
    assert steps["centred"].shape == (28, 28) and steps["centred"].dtype == np.float32
    assert np.allclose(draw.center_of_mass(steps["centred"]), (14, 14), atol=1)
    assert max(steps["scaled"].shape) == 20


def test_too_large_digit_is_scaled_into_20_pixels():
    steps = draw.preprocess(_seven([(0.0, 0.0), (1.0, 0.0), (0.3, 1.0)], size=600, width=40))
    assert max(steps["scaled"].shape) == 20 and steps["centred"].max() == pytest.approx(1.0)
    ink = np.flatnonzero(steps["centred"].max(axis=1) > 0)
    assert ink[-1] - ink[0] + 1 <= 20


def test_thin_strokes_keep_full_ink():
    steps = draw.preprocess(_seven([(0.2, 0.2), (0.8, 0.2), (0.45, 0.9)], width=2))
    assert steps["centred"].max() == pytest.approx(1.0)
    assert (steps["centred"] > 0.3).sum() >= 20


@pytest.mark.parametrize("drawing", [np.zeros((280, 280)), np.pad(np.ones((1, 1)), 139)])
def test_empty_canvas_gives_a_clear_message(drawing):
    with pytest.raises(draw.EmptyDrawing, match="draw a digit"):
        draw.preprocess(drawing)


def test_preprocess_rejects_colour_and_keeps_input():
    with pytest.raises(ValueError, match="2-D"):
        draw.preprocess(np.zeros((10, 10, 4)))
    img = _seven([(0.2, 0.2), (0.8, 0.8)])
    keep = img.copy()
    draw.preprocess(img)
    np.testing.assert_array_equal(img, keep)


def test_resize_preserves_mean():
    img = np.random.default_rng(0).random((57, 31))
    small = draw.resize(img, 20, 11)
    assert small.shape == (20, 11) and small.mean() == pytest.approx(img.mean(), rel=1e-9)


def test_results_registry_round_trip_and_modes(tmp_path, monkeypatch):
    path = tmp_path / "results.json"
    assert results.load(path) == []
    monkeypatch.setenv("COURSE_FAST", "0")
    results.record("A", "04", 100, 12.34, 0.97, 300, path=path)
    results.record("B", "10", 200, 60, 0.99, 100, path=path)
    monkeypatch.setenv("COURSE_FAST", "1")
    results.record("A", "04", 100, 1, 0.5, 5000, path=path)
    results.record("C", "12", 300, 2, 0.6, 4000, path=path)
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]
    entries = results.load(path)
    assert len(entries) == 4
    rows = results.leaderboard(entries)
    assert [(r["model"], r["mode"]) for r in rows] == [("B", "full"), ("A", "full"), ("C", "fast")]
    table = results.leaderboard_markdown(rows)
    assert "| 1 | B | 10 | 200 | 60 s | 99.00% | 100 | full |" in table


def test_results_registry_corrupted_file(tmp_path):
    path = tmp_path / "results.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match="corrupted.*re-run the training notebooks"):
        results.load(path)
    path.write_text(json.dumps([{"model": "x"}]))
    with pytest.raises(ValueError, match="fields"):
        results.load(path)


def test_models_missing_files_name_the_notebook(tmp_path):
    predictors, missing = models.load_all(tmp_path)
    assert predictors == {} and len(missing) == len(models.FILES)
    assert any("Run 10_deep_convnet.ipynb" in m for m in missing)


def test_models_load_numpy_models_and_top3(tmp_path):
    nets.TwoLayerNet(seed=1).save(tmp_path / "two_layer_net.npz")
    nets.DeepConvNet(seed=1).save(tmp_path / "deep_convnet.npz")
    predictors, missing = models.load_all(tmp_path)
    assert set(predictors) == {"NumPy two-layer net", "NumPy deep ConvNet"} and len(missing) == 3
    readings = models.read_digit(np.zeros((28, 28), np.float32), predictors)
    for top in readings.values():
        assert len(top) == 3 and top[0][1] >= top[1][1] >= top[2][1]
    with pytest.raises(ValueError, match="10 probabilities"):
        models.top3(np.ones(3))
