"""course_lib.results: the results registry (atomic JSON file) and the leaderboard."""

import json
import os

import numpy as np
import pytest

from course_lib import models, results

TWO_LAYER, MLP = "NumPy two-layer net", "Keras MLP"
CONVNET, RESNET = "NumPy deep ConvNet", "Keras ResNet + augmentation"


def test_round_trip_modes_and_leaderboard(tmp_path, monkeypatch):
    path = tmp_path / "results.json"
    assert results.load(path) == []
    monkeypatch.setenv("COURSE_FAST", "0")
    first = results.record(TWO_LAYER, "04", 100, 12.34, 0.97, 300, path=path)
    assert first == {"model": TWO_LAYER, "notebook": "04", "params": 100, "train_seconds": 12.3,
                     "test_accuracy": 0.97, "test_errors": 300, "mode": "full"}
    results.record(CONVNET, "10_deep_convnet.ipynb", 200, 60, 0.99123456, 100, path=path)
    monkeypatch.setenv("COURSE_FAST", "1")
    results.record(TWO_LAYER, "04", 100, 1, 0.5, 5000, path=path)
    results.record(RESNET, "12", 300, 2, 0.6, 4000, path=path)
    results.record(RESNET, "12", 300, 3, 0.7, 3000, path=path)   # replaces the fast entry of the same model
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]
    entries = results.load(path)
    assert len(entries) == 4 and entries == json.loads(path.read_text())
    assert [e["test_accuracy"] for e in entries if e["model"] == RESNET] == [0.7]
    assert entries[1]["notebook"] == "10" and entries[1]["test_accuracy"] == 0.9912
    rows = results.leaderboard(entries)
    assert [(r["model"], r["mode"]) for r in rows] == [(CONVNET, "full"), (TWO_LAYER, "full"), (RESNET, "fast")]
    assert [(r["model"], r["mode"]) for r in results.leaderboard(entries, prefer="fast")] == [
        (CONVNET, "full"), (RESNET, "fast"), (TWO_LAYER, "fast")]
    table = results.leaderboard_markdown(rows)
    assert table.splitlines()[0].startswith("| rank | model | notebook | parameters |")
    assert f"| 1 | {CONVNET} | 10 | 200 | 60 s | 99.12% | 100 | full |" in table
    assert f"| 3 | {RESNET} | 12 | 300 | 3 s | 70.00% | 3000 | fast |" in table


def test_leaderboard_ties_are_ordered_by_name_and_full_preferred_whatever_the_order():
    a = {"model": "b", "mode": "fast", "test_accuracy": 0.9}
    b = {"model": "b", "mode": "full", "test_accuracy": 0.5}
    c = {"model": "a", "mode": "full", "test_accuracy": 0.5}
    assert results.leaderboard([a, b, c]) == [c, b]
    assert results.leaderboard([b, a, c]) == [c, b]
    assert results.leaderboard([b, a, c], prefer="fast") == [a, c]


def test_empty_leaderboard_names_the_training_notebooks():
    assert results.leaderboard([]) == []
    assert results.leaderboard_markdown([]) == "No results yet: run the training notebooks (04, 06, 10, 11, 12)."


def test_default_path_follows_course_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    assert results.default_path() == tmp_path / "results.json"
    results.record(MLP, "06", 10, 1, 0.5, 5, path=None)
    assert results.load()[0]["model"] == MLP and (tmp_path / "results.json").is_file()
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert results.default_path() == models.data.DATA_DIR / "results.json"


def test_corrupted_or_malformed_file_says_what_to_do(tmp_path):
    path = tmp_path / "results.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match=r"results.json is corrupted.*Delete it and re-run the training notebooks "
                                         r"\(04, 06, 10, 11, 12\)"):
        results.load(path)
    for bad in ([{"model": "x"}], {"model": "x"}, [1]):
        path.write_text(json.dumps(bad))
        with pytest.raises(ValueError, match="fields.*Delete it"):
            results.load(path)


GOOD = dict(model=TWO_LAYER, notebook="04", params=10, train_seconds=1.0, test_accuracy=0.5, test_errors=3)


@pytest.mark.parametrize("change, error, message", [
    ({"model": "My net"}, ValueError, r"unknown course model 'My net'.*NumPy two-layer net.*REGISTRY"),
    ({"model": None}, ValueError, "unknown course model None"),
    ({"notebook": "06"}, ValueError, r"trained in notebook 04 \(04_two_layer_net.ipynb\), not '06'"),
    ({"notebook": 4}, ValueError, "pass notebook='04'"),
    ({"params": -1}, ValueError, r"params must be an integer in \[0, inf\], got -1"),
    ({"params": 2.5}, ValueError, "params must be a whole number"),
    ({"params": "10"}, TypeError, "params must be an integer, got str"),
    ({"params": True}, TypeError, "params must be an integer, got bool"),
    ({"train_seconds": float("nan")}, ValueError, "train_seconds must be a number"),
    ({"train_seconds": -0.1}, ValueError, "train_seconds must be a number in"),
    ({"test_accuracy": 97.0}, ValueError, r"test_accuracy must be a number in \[0, 1\], got 97.0"),
    ({"test_accuracy": -0.01}, ValueError, "test_accuracy must be a number in"),
    ({"test_accuracy": None}, TypeError, "test_accuracy must be a number, got NoneType"),
    ({"test_errors": -3}, ValueError, "test_errors must be an integer in"),
    ({"test_errors": 1.5}, ValueError, "test_errors must be a whole number"),
])
def test_record_rejects_bad_arguments_and_writes_nothing(tmp_path, change, error, message):
    path = tmp_path / "results.json"
    with pytest.raises(error, match=message):
        results.record(**{**GOOD, **change}, path=path)
    assert list(tmp_path.iterdir()) == []


def test_record_accepts_numpy_numbers(tmp_path):
    np = pytest.importorskip("numpy")
    entry = results.record(TWO_LAYER, "04", np.int64(7), np.float32(2.25), np.float64(0.5), np.int32(1),
                           path=tmp_path / "r.json")
    assert entry["params"] == 7 and entry["train_seconds"] == 2.2 and type(entry["params"]) is int


def test_leaderboard_rejects_unknown_mode():
    with pytest.raises(ValueError, match=r"prefer must be one of \('full', 'fast'\), got 'quick'"):
        results.leaderboard([], prefer="quick")


def test_write_failing_midway_leaves_the_file_intact_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "results.json"
    monkeypatch.setenv("COURSE_FAST", "0")
    results.record(TWO_LAYER, "04", 10, 1, 0.5, 3, path=path)
    before = path.read_bytes()
    real_dump = json.dump

    def crash(obj, f, **kwargs):
        real_dump(obj[:1], f, **kwargs)   # half the data reaches the disk ...
        f.flush()
        raise OSError("disk full")        # ... then the write fails

    monkeypatch.setattr(results.json, "dump", crash)
    with pytest.raises(OSError, match="disk full"):
        results.record(MLP, "06", 20, 2, 0.6, 4, path=path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]


def test_failed_rename_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "results.json"

    def fail(src, dst):
        assert os.path.dirname(src) == str(tmp_path)   # the temporary file sits beside the target
        raise OSError("rename failed")

    monkeypatch.setattr(os, "replace", fail)   # files.atomic_write's rename
    with pytest.raises(OSError, match="rename failed"):
        results.record(TWO_LAYER, "04", 10, 1, 0.5, 3, path=path)
    assert list(tmp_path.iterdir()) == []


def test_record_creates_the_folder(tmp_path):
    path = tmp_path / "new" / "deeper" / "results.json"
    results.record(TWO_LAYER, "04", 10, 1, 0.5, 3, path=path)
    assert results.load(path)[0]["params"] == 10


def test_bounds_are_inclusive(tmp_path):
    low = results.record(TWO_LAYER, "04", 0, 0, 0.0, 0, path=tmp_path / "r.json")
    high = results.record(TWO_LAYER, "04", 10, 1, 1.0, 0, path=tmp_path / "r.json")
    assert (low["params"], low["train_seconds"], low["test_accuracy"]) == (0, 0.0, 0.0)
    assert high["test_accuracy"] == 1.0 and len(results.load(tmp_path / "r.json")) == 1


ENTRY = {"model": TWO_LAYER, "notebook": "04", "params": 10, "train_seconds": 1.0, "test_accuracy": 0.5,
         "test_errors": 3, "mode": "full"}

BAD = [
    # (description, call, error, fragment of the message)
    ("load a folder", lambda p: results.load(p), ValueError, "path must be a file, not a folder, got the folder"),
    ("load a number", lambda p: results.load(5), TypeError,
     r"path must be a file path \(str or pathlib.Path\) such as 'results.json', got int 5."),
    ("record into a folder", lambda p: results.record(TWO_LAYER, "04", 1, 1, 0.5, 1, path=p), ValueError,
     "Pass a file path inside it, such as"),
    ("record notebook None", lambda p: results.record(TWO_LAYER, None, 1, 1, 0.5, 1, path=p / "r.json"), ValueError,
     "pass notebook='04'"),
    ("record accuracy list", lambda p: results.record(TWO_LAYER, "04", 1, 1, [0.5], 1, path=p / "r.json"),
     TypeError, "test_accuracy must be a number, got list"),
    ("record accuracy per class", lambda p: results.record(TWO_LAYER, "04", 1, 1, np.array([0.5, 0.6]), 1,
                                                           path=p / "r.json"),
     TypeError, r"test_accuracy must be a number, got ndarray of shape \(2,\)"),
    ("leaderboard None", lambda p: results.leaderboard(None), TypeError, "entries must be a list of result entries"),
    ("leaderboard a dict", lambda p: results.leaderboard(ENTRY), TypeError, "entries must be a list"),
    ("leaderboard text entry", lambda p: results.leaderboard(["a"]), ValueError,
     r"entries\[0\] must be a result entry with fields"),
    ("leaderboard missing field", lambda p: results.leaderboard([ENTRY, {"model": "a"}]), ValueError,
     r"entries\[1\] must be a result entry.*results.load\(\)"),
    ("leaderboard accuracy text", lambda p: results.leaderboard([{**ENTRY, "test_accuracy": "0.5"}]), ValueError,
     r"entries\[0\]\['test_accuracy'\] must be a number"),
    ("markdown text", lambda p: results.leaderboard_markdown("abc"), TypeError, "rows must be a list"),
    ("markdown missing field", lambda p: results.leaderboard_markdown([{"model": "a", "mode": "full",
                                                                         "test_accuracy": 1.0}]), ValueError,
     r"rows\[0\] must be a result entry with fields \('model', 'notebook'"),
]


@pytest.mark.parametrize("call, error, fragment", [row[1:] for row in BAD], ids=[row[0] for row in BAD])
def test_bad_arguments_name_what_is_wrong(tmp_path, call, error, fragment):
    with pytest.raises(error, match=fragment):
        call(tmp_path)
    assert list(tmp_path.iterdir()) == []   # nothing written


def test_leaderboard_accepts_tuples_and_numpy_accuracies():
    row = {**ENTRY, "test_accuracy": np.float32(0.5)}
    assert results.leaderboard((row,)) == [row]
    assert "| 1 | NumPy two-layer net | 04 |" in results.leaderboard_markdown((ENTRY,))
