"""course_lib.checks (every check, every message in full) and files.atomic_write (a crash mid-write)."""

import math
import os
from pathlib import Path

import numpy as np
import pytest

from course_lib import checks
from course_lib.files import atomic_write

PICK = " Pick a value in that range (the default is a good start)."


def _npy(tmp_path):
    np.save(tmp_path / "a.npy", np.ones(3))
    return tmp_path / "a.npy"


MESSAGES = [   # (case, call, error type, exact message)
    ("integer float", lambda: checks.integer("n", 2.5), TypeError, "n must be a whole number, got float 2.5."),
    ("integer bool", lambda: checks.integer("n", True, 1), TypeError, "n must be a whole number, got bool True."),
    ("integer text", lambda: checks.integer("n", "3"), TypeError, "n must be a whole number, got str '3'."),
    ("integer array", lambda: checks.integer("n", np.ones(2)), TypeError,
     "n must be a whole number, got an array of dtype float64 and shape (2,)."),
    ("integer low", lambda: checks.integer("n", 0, 1), ValueError, "n must be at least 1, got 0."),
    ("integer range", lambda: checks.integer("n", 5, 1, 4), ValueError, "n must be between 1 and 4, got 5."),
    ("integer range low", lambda: checks.integer("n", 0, 1, 4), ValueError, "n must be between 1 and 4, got 0."),
    ("number text", lambda: checks.number("lr", "0.1"), TypeError, "lr must be a number, got str '0.1'."),
    ("number bool", lambda: checks.number("lr", np.bool_(True)), TypeError, "lr must be a number, got bool True."),
    ("number nan", lambda: checks.number("p", float("nan"), 0, 1), ValueError,
     "p must be a finite number in [0, 1), got nan." + PICK),
    ("number at high", lambda: checks.number("p", 1.0, 0, 1), ValueError,
     "p must be a finite number in [0, 1), got 1.0." + PICK),
    ("number open low", lambda: checks.number("rate", 0.5, 0.5, 2.0, low_inclusive=False), ValueError,
     "rate must be a finite number in (0.5, 2), got 0.5." + PICK),
    ("number closed high", lambda: checks.number("deg", 181, 0, 180, high_inclusive=True, advice="Use degrees."),
     ValueError, "deg must be a finite number in [0, 180], got 181.0. Use degrees."),
    ("number infinite", lambda: checks.number("x", math.inf), ValueError,
     "x must be a finite number in [-inf, inf), got inf." + PICK),
    ("positive zero", lambda: checks.positive("eps", 0), ValueError,
     "eps must be a finite number in (0, inf), got 0.0." + PICK),
    ("flag", lambda: checks.flag("verbose", "no"), TypeError, "verbose must be True or False, got str 'no'."),
    ("flag int", lambda: checks.flag("verbose", 1), TypeError, "verbose must be True or False, got int 1."),
    ("describe NumPy scalar", lambda: checks.integer("n", np.float32(2.5)), TypeError,
     "n must be a whole number, got float32 2.5."),
    ("text", lambda: checks.text("title", 3), TypeError, "title must be a string, got int 3."),
    ("numbers", lambda: checks.numbers_array("x", ["a"]), TypeError,
     "x must hold numbers, got list of dtype <U1. Pass a NumPy array or a list of numbers."),
    ("numbers None", lambda: checks.numbers_array("x", None, "pixels"), TypeError,
     "x must hold pixels, got NoneType of dtype object. Pass a NumPy array or a list of numbers."),
    ("finite one", lambda: checks.finite("x", np.array([1.0, np.nan])), ValueError,
     "x must hold finite numbers, got 1 NaN or infinite value. Pass finite numbers (check what produced them)."),
    ("finite many", lambda: checks.finite("x", np.array([np.inf, -np.inf, 0.0]), advice="Look."), ValueError,
     "x must hold finite numbers, got 2 NaN or infinite values. Look."),
    ("float array", lambda: checks.float_array("Affine parameter W", np.ones(2, int)), TypeError,
     "Affine parameter W must be a float array, got dtype int64. Convert it, e.g. W.astype(np.float32)."),
    ("float dtype int", lambda: checks.float_dtype("dtype", np.int32), TypeError,
     "dtype must be a float type (np.float32 or np.float64), got int32."),
    ("float dtype name", lambda: checks.float_dtype("dtype", "banana"), TypeError,
     "dtype must be a NumPy float type such as np.float32, got 'banana'."),
    ("empty", lambda: checks.not_empty("x", np.zeros((0, 4))), ValueError,
     "x must hold at least one example, got shape (0, 4). Pass a batch of at least one example."),
    ("pixels uint8", lambda: checks.pixels("x", np.zeros((2, 4), np.uint8)), ValueError,
     "x must hold pixels scaled the way the network was trained (values in [0, 1]), got uint8 values, the raw 0-255 "
     "pixels. Scale them first: x.astype(np.float32) / 255 (or load with data.load_mnist(normalize=True))."),
    ("pixels 0-255 floats", lambda: checks.pixels("x", [[0.0, np.nan, 254.5]]), ValueError,
     "x must hold pixels scaled the way the network was trained (values in [0, 1]), got float64 values up to 254.5, "
     "which look like raw 0-255 pixels. Scale them first: x.astype(np.float32) / 255 (or load with "
     "data.load_mnist(normalize=True))."),
    ("pixels int64", lambda: checks.pixels("x", np.array([[0, 255]])), ValueError, "got int64 values up to 255"),
    ("channels last", lambda: checks.image_batch("x", np.zeros((2, 28, 28, 1)), (1, 28, 28)), ValueError,
     "x must be a batch shaped (N, 1, 28, 28), got shape (2, 28, 28, 1). It is channels last (N, H, W, C); this "
     "network takes channels first (N, C, H, W): pass x.transpose(0, 3, 1, 2)."),
    ("channels first", lambda: checks.image_batch("x", np.zeros((2, 1, 28, 28)), (28, 28, 1)), ValueError,
     "x must be a batch shaped (N, 28, 28, 1), got shape (2, 1, 28, 28). It is channels first (N, C, H, W); this "
     "network takes channels last (N, H, W, C): pass x.transpose(0, 2, 3, 1)."),
    ("one image", lambda: checks.image_batch("x", np.zeros((28, 28)), (28, 28, 1)), ValueError,
     "x must be a batch shaped (N, 28, 28, 1), got shape (28, 28). Reshape it, e.g. x.reshape(-1, 28, 28, 1)."),
    ("file path number", lambda: checks.file_path("path", 3, "net.npz"), TypeError,
     "path must be a file path (str or pathlib.Path) such as 'net.npz', got int 3."),
]


@pytest.mark.parametrize("case, call, error, message", MESSAGES, ids=[m[0] for m in MESSAGES])
def test_every_message_in_full(case, call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value) if case == "pixels int64" else str(info.value) == message


def test_checks_return_the_values_they_accept():
    assert checks.integer("n", np.int64(3), 1) == 3 and type(checks.integer("n", np.int64(3))) is int
    assert checks.integer("n", 4, 1, 4) == 4 and checks.integer("n", 1, 1, 4) == 1
    assert checks.number("p", 0, 0, 1) == 0.0 and type(checks.number("p", np.float32(0.5), 0, 1)) is float
    assert checks.number("deg", 180, 0, 180, high_inclusive=True) == 180.0
    assert checks.positive("eps", 1e-300) == 1e-300
    assert checks.flag("f", np.bool_(False)) is False
    assert checks.numbers_array("x", [True, False]).dtype == np.bool_
    assert checks.float_dtype("dtype", "float16") == np.float16
    x = np.full((3, 4), 10.0)                              # the threshold itself is not suspicious
    assert checks.pixels("x", x) is x and checks.pixels("x", np.zeros((0, 4), np.uint8)).size == 0
    assert checks.pixels("x", np.full((1, 2), np.nan)).shape == (1, 2)   # NaN propagates, no warning
    assert checks.image_batch("x", np.zeros((0, 1, 28, 28)), (1, 28, 28)).shape == (0, 1, 28, 28)


def test_file_kind_and_zip_file(tmp_path):
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "j.json").write_text('{"a": 1}')
    np.savez(tmp_path / "z.npz", a=np.ones(2))
    kinds = {p.name: checks.file_kind(p) for p in (_npy(tmp_path), tmp_path / "empty", tmp_path / "j.json",
                                                    tmp_path / "z.npz")}
    assert kinds == {"a.npy": "a .npy file (one NumPy array, from np.save)", "empty": "an empty file",
                     "j.json": "a JSON object", "z.npz": "a zip archive"}
    assert checks.zip_file("path", tmp_path / "z.npz", "x", "y") == tmp_path / "z.npz"
    with pytest.raises(ValueError) as info:
        checks.zip_file("path", tmp_path / "a.npy", "a .npz file", "Pass one.")
    assert str(info.value) == (f"path must be a .npz file, got {tmp_path / 'a.npy'}, which is a .npy file (one NumPy "
                               "array, from np.save). Pass one.")
    with pytest.raises(ValueError, match=r"path must be a file, not a folder, got the folder .*net.npz\.$"):
        checks.file_path("path", tmp_path, "net.npz")


def test_atomic_write_replaces_the_file_in_one_step(tmp_path):
    path = tmp_path / "sub" / "f.json"
    with atomic_write(path) as tmp:
        assert tmp.parent == path.parent and tmp.suffix == ".json" and tmp.name.startswith(".f.json.")
        assert tmp.read_bytes() == b"" and not path.exists()
        tmp.write_text("one")
    assert path.read_text() == "one" and [p.name for p in path.parent.iterdir()] == ["f.json"]
    with atomic_write(path) as tmp:
        tmp.write_text("two")
    assert path.read_text() == "two"


def test_atomic_write_crashing_midway_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "f.npz"
    path.write_bytes(b"old content")
    with pytest.raises(OSError, match="disk full"):
        with atomic_write(path) as tmp, open(tmp, "wb") as f:
            f.write(b"half of the new")
            f.flush()
            raise OSError("disk full (simulated)")
    assert path.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["f.npz"]


def test_atomic_write_failing_at_the_rename_leaves_no_temporary(tmp_path, monkeypatch):
    def refuse(src, dst):
        raise PermissionError("rename refused (simulated)")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError, match="simulated"):
        with atomic_write(tmp_path / "f.txt") as tmp:
            Path(tmp).write_text("new")
    assert list(tmp_path.iterdir()) == []
