import gzip
import io
import os
import shutil
import urllib.request

import numpy as np
import pytest

from course_lib import data


@pytest.fixture(scope="module")
def mnist():
    return data.load_mnist()


def test_shapes_dtypes_and_facts(mnist):
    (x, t), (xt, tt) = mnist
    assert x.shape == (60000, 784) and xt.shape == (10000, 784)
    assert x.dtype == np.float32 and t.dtype == np.uint8
    assert 0.0 <= x.min() and x.max() <= 1.0
    assert np.bincount(t).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert round(float(x.mean()), 4) == 0.1307 and round(float(x.std()), 4) == 0.3081


def test_layouts_and_one_hot():
    (x, t), _ = data.load_mnist(normalize=False, flatten=False, one_hot_label=True)
    assert x.shape == (60000, 1, 28, 28) and x.dtype == np.uint8
    assert t.shape == (60000, 10) and t.dtype == np.float32 and np.all(t.sum(axis=1) == 1)
    (xl, _), _ = data.load_mnist(flatten=False, channels_last=True)
    assert xl.shape == (60000, 28, 28, 1)
    np.testing.assert_array_equal(xl[5, :, :, 0] * 255, x[5, 0].astype(np.float32))


def test_calls_return_fresh_arrays():
    (x1, t1), _ = data.load_mnist(normalize=False)
    x1[0] = 7
    t1[0] = 9
    (x2, t2), _ = data.load_mnist(normalize=False)
    assert x2[0].max() == 255 and t2[0] == 5


def test_nielsen_split_and_subset(mnist):
    (x, t), _ = mnist
    (xa, ta), (xv, tv) = data.nielsen_split(x, t)
    assert len(xa) == 50000 and len(xv) == 10000
    np.testing.assert_array_equal(xv[0], x[50000])
    xs1, ts1 = data.subset(x, t, 500, seed=3)
    xs2, ts2 = data.subset(x, t, 500, seed=3)
    assert xs1.shape == (500, 784)
    np.testing.assert_array_equal(ts1, ts2)
    with pytest.raises(ValueError, match="rows"):
        data.subset(x, t[:10], 5)


def test_one_hot_rejects_bad_labels():
    with pytest.raises(ValueError, match="0..9"):
        data.one_hot(np.array([1, 10]))
    with pytest.raises(ValueError, match="1-D"):
        data.one_hot(np.zeros((2, 2), dtype=int))


def _copy_files(tmp_path):
    src = data.locate()
    for name in data.FILES:
        shutil.copy(src / name, tmp_path / name)
    return tmp_path


def test_missing_file_in_mnist_dir(tmp_path, monkeypatch):
    _copy_files(tmp_path)
    os.remove(tmp_path / "t10k-labels-idx1-ubyte.gz")
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    with pytest.raises(data.MnistError, match="lacks t10k-labels"):
        data.locate()


def test_corrupted_file_names_file_and_hashes(tmp_path, monkeypatch):
    _copy_files(tmp_path)
    target = tmp_path / "train-labels-idx1-ubyte.gz"
    blob = bytearray(target.read_bytes())
    blob[100] ^= 0xFF
    target.write_bytes(bytes(blob))
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    with pytest.raises(data.MnistError) as info:
        data.locate()
    msg = str(info.value)
    assert "train-labels-idx1-ubyte.gz" in msg and data.FILES[target.name] in msg and "expected" in msg
    assert "download it again" in msg


def test_read_idx_rejects_truncated_and_wrong_magic(tmp_path):
    good = gzip.compress(b"\x00\x00\x08\x01" + (3).to_bytes(4, "big") + bytes([1, 2, 3]))
    (tmp_path / "ok.gz").write_bytes(good)
    np.testing.assert_array_equal(data.read_idx(tmp_path / "ok.gz"), [1, 2, 3])
    (tmp_path / "short.gz").write_bytes(gzip.compress(b"\x00\x00\x08\x01" + (5).to_bytes(4, "big") + bytes(3)))
    with pytest.raises(data.MnistError, match="truncated"):
        data.read_idx(tmp_path / "short.gz")
    (tmp_path / "magic.gz").write_bytes(gzip.compress(b"\x00\x00\x08\x07" + (1).to_bytes(4, "big") + bytes(1)))
    with pytest.raises(data.MnistError, match="magic"):
        data.read_idx(tmp_path / "magic.gz")
    (tmp_path / "cut.gz").write_bytes(good[:-6])
    with pytest.raises(data.MnistError, match="gzip"):
        data.read_idx(tmp_path / "cut.gz")


class _FakeResponse(io.BytesIO):
    def __init__(self, payload):
        super().__init__(payload)
        self.headers = {"Content-Length": str(len(payload))}

    def __exit__(self, *exc):
        self.close()


def test_download_tries_mirrors_verifies_and_is_atomic(tmp_path, monkeypatch):
    name = "t10k-labels-idx1-ubyte.gz"
    good = (data.locate() / name).read_bytes()
    calls = []

    def fake_urlopen(url, timeout):
        calls.append(url)
        if url.startswith("https://bad/"):
            raise OSError("connection refused")
        if url.startswith("https://corrupt/"):
            return _FakeResponse(good[:-10])
        return _FakeResponse(good)

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    path = data.download(name, tmp_path, mirrors=("https://bad/", "https://corrupt/", "https://good/"))
    assert path.read_bytes() == good and len(calls) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_download_failure_leaves_nothing_and_says_what_to_do(tmp_path, monkeypatch):
    def offline(url, timeout):
        raise OSError("no network")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(data.MnistError, match="MNIST_DIR"):
        data.download("t10k-labels-idx1-ubyte.gz", tmp_path, mirrors=("https://a/", "https://b/"))
    assert list(tmp_path.iterdir()) == []


def test_offline_without_files_gives_one_clear_message(tmp_path, monkeypatch):
    monkeypatch.delenv("MNIST_DIR", raising=False)
    monkeypatch.setattr(data, "CACHE_DIR", tmp_path / "mnist")
    with pytest.raises(data.MnistError, match="python -m course_lib.data"):
        data.locate(download_missing=False)
