import gzip
import io
import os
import shutil
import urllib.request

import numpy as np
import pytest

from course_lib import data


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """No test here may touch the network: any download not faked by the test fails loudly."""
    def refuse(url, *args, **kwargs):
        raise AssertionError(f"a test tried to open {url}")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)


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


# ---------------------------------------------------------------- crash-simulating test of the atomic download
class _DyingResponse(_FakeResponse):
    """Serves the first block, then the connection dies mid-file."""

    def read(self, n=-1):
        if self.tell() > 0:
            raise ConnectionResetError("connection lost mid-file")
        return super().read(min(n, 1000))


def test_download_dying_midway_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    name = "t10k-labels-idx1-ubyte.gz"
    old = tmp_path / name
    old.write_bytes(b"the previous copy")
    good = (data.locate() / name).read_bytes()
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout: _DyingResponse(good))
    with pytest.raises(data.MnistError, match="connection lost mid-file"):
        data.download(name, tmp_path, mirrors=("https://dies/",))
    assert old.read_bytes() == b"the previous copy"  # written elsewhere first, never in place
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # the partial .part file was removed


def test_download_failing_at_the_rename_leaves_no_temporary(tmp_path, monkeypatch):
    name = "t10k-labels-idx1-ubyte.gz"
    good = (data.locate() / name).read_bytes()
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout: _FakeResponse(good))

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(data.MnistError, match="disk full"):
        data.download(name, tmp_path, mirrors=("https://m/",))
    assert list(tmp_path.iterdir()) == []


def test_download_reports_every_mirror_and_the_progress(tmp_path, monkeypatch, capsys):
    name = "t10k-labels-idx1-ubyte.gz"
    good = (data.locate() / name).read_bytes()
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout: _FakeResponse(good[:-1]))
    with pytest.raises(data.MnistError) as info:
        data.download(name, tmp_path, mirrors=("https://a/", "https://b/"))
    text = str(info.value)
    assert f"https://a/{name}: checksum mismatch" in text and f"https://b/{name}: checksum mismatch" in text
    assert text.startswith(f"Could not download {name} from any mirror")
    assert "0.0/0.0 MB" in capsys.readouterr().err


def test_progress_bar_and_sha256(tmp_path, capsys):
    data._progress("f", 500_000, 1_000_000)
    data._progress("g", 2_500_000, 0)
    err = capsys.readouterr().err
    assert err == "\rf: [" + "#" * 15 + "." * 15 + "]   0.5/1.0 MB" + "\rg:   2.5 MB"
    p = tmp_path / "x.bin"
    p.write_bytes(bytes(range(256)) * 5000)
    import hashlib
    assert data.sha256(p) == hashlib.sha256(p.read_bytes()).hexdigest()


# ---------------------------------------------------------------- `python -m course_lib.data` without network
def test_main_without_files_prints_instructions_only_and_exits_1(tmp_path):
    """As a learner runs it: no files where MNIST_DIR points, so nothing is downloaded (no network touched)."""
    import subprocess
    import sys
    env = dict(os.environ, MNIST_DIR=str(tmp_path))
    res = subprocess.run([sys.executable, "-m", "course_lib.data"], env=env, capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr + res.stdout
    assert "MNIST is not available yet" in res.stderr and "lacks" in res.stderr and str(tmp_path) in res.stderr


def test_main_offline_with_an_empty_cache_prints_how_to_provide_the_files(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("MNIST_DIR", raising=False)
    monkeypatch.setattr(data, "CACHE_DIR", tmp_path / "mnist")

    def offline(url, timeout):
        raise OSError("network is unreachable")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    assert data.main() == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "network is unreachable" in err
    assert "python -m course_lib.data" in err and "MNIST_DIR" in err
    assert list((tmp_path / "mnist").iterdir()) == []


def test_main_with_files_says_ready(capsys):
    assert data.main() == 0
    assert "MNIST ready in" in capsys.readouterr().out


def test_locate_downloads_only_the_missing_files_into_the_cache(tmp_path, monkeypatch):
    src = data.locate()
    monkeypatch.delenv("MNIST_DIR", raising=False)
    cache = tmp_path / "mnist"
    cache.mkdir()
    names = list(data.FILES)
    for name in names[1:]:
        shutil.copy(src / name, cache / name)
    fetched = []

    def fake_download(name, directory):
        fetched.append(name)
        shutil.copy(src / name, directory / name)

    monkeypatch.setattr(data, "CACHE_DIR", cache)
    monkeypatch.setattr(data, "download", fake_download)
    assert data.locate() == cache and fetched == names[:1]
    (cache / names[0]).unlink()
    with pytest.raises(data.MnistError, match=f"missing from {cache}: {names[0]}"):
        data.locate(download_missing=False)


# ---------------------------------------------------------------- values
def test_read_idx_values_and_normalisation(tmp_path):
    pixels = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    raw = (2051).to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in (2, 28, 28)) + pixels.tobytes()
    (tmp_path / "img.gz").write_bytes(gzip.compress(raw))
    np.testing.assert_array_equal(data.read_idx(tmp_path / "img.gz"), pixels)
    labels = np.array([3, 1, 4], dtype=np.uint8)
    (tmp_path / "lab.gz").write_bytes(gzip.compress((2049).to_bytes(4, "big") + (3).to_bytes(4, "big") +
                                                    labels.tobytes()))
    np.testing.assert_array_equal(data.read_idx(tmp_path / "lab.gz"), labels)
    (tmp_path / "short.gz").write_bytes(gzip.compress(b"\x00\x00\x08"))
    with pytest.raises(data.MnistError, match="short.gz is too short"):
        data.read_idx(tmp_path / "short.gz")
    with pytest.raises(data.MnistError, match="nothere.gz is not a readable gzip file"):
        data.read_idx(tmp_path / "nothere.gz")


def test_normalised_pixels_are_raw_over_255_and_labels_one_hot(mnist):
    (x, t), (xt, tt) = mnist
    (xr, tr), (xtr, ttr) = data.load_mnist(normalize=False, one_hot_label=True)
    np.testing.assert_array_equal(x, xr.astype(np.float32) / np.float32(255))
    np.testing.assert_array_equal(xt[:100], xtr[:100].astype(np.float32) / np.float32(255))
    np.testing.assert_array_equal(ttr[:100], np.eye(10, dtype=np.float32)[tt[:100]])
    np.testing.assert_array_equal(tr.argmax(axis=1), t)
    assert data.one_hot(np.array([2, 0]), num_classes=3).tolist() == [[0, 0, 1], [1, 0, 0]]
    assert data.one_hot(np.array([], dtype=int)).shape == (0, 10)


def test_subset_and_split_contents():
    x, t = np.arange(20).reshape(10, 2), np.arange(10)
    xs, ts = data.subset(x, t, 4, seed=5)
    idx = np.random.default_rng(5).permutation(10)[:4]
    np.testing.assert_array_equal(xs, x[idx])
    np.testing.assert_array_equal(ts, t[idx])
    xs[0] = -1
    assert x.min() == 0  # a copy
    assert sorted(data.subset(x, t, 99)[1].tolist()) == list(range(10))  # all rows, shuffled
    (xa, ta), (xv, tv) = data.nielsen_split(x, t, n_val=3)
    assert ta.tolist() == list(range(7)) and tv.tolist() == [7, 8, 9]
    np.testing.assert_array_equal(xv, x[7:])


# ---------------------------------------------------------------- bad inputs: (call, error type, message fragment)
_X, _T = np.zeros((5, 2)), np.zeros(5, dtype=int)
BAD = [
    (lambda: data.load_mnist(normalize="no"), TypeError, "normalize must be True or False, got str 'no'"),
    (lambda: data.load_mnist(flatten=1), TypeError, "flatten must be True or False"),
    (lambda: data.load_mnist(one_hot_label=None), TypeError, "one_hot_label must be True or False"),
    (lambda: data.load_mnist(channels_last="yes"), TypeError, "channels_last must be True or False"),
    (lambda: data.load_mnist(channels_last=True), ValueError, "pass flatten=False with channels_last=True"),
    (lambda: data.locate(download_missing="no"), TypeError, "download_missing must be True or False"),
    (lambda: data.one_hot(np.array([0.5, 1.0])), ValueError, "one_hot expects integer labels"),
    (lambda: data.one_hot(np.array([1]), num_classes=0), ValueError, "num_classes must be at least 1, got 0."),
    (lambda: data.one_hot(np.array([-1, 2])), ValueError, "Labels must lie in 0..9; got min -1"),
    (lambda: data.subset(_X, _T, 0), ValueError, "n must be at least 1, got 0."),
    (lambda: data.subset(_X, _T, 2.5), TypeError, "n must be a whole number, got float 2.5."),
    (lambda: data.subset(_X, _T, 2, seed=-3), ValueError, "seed must be at least 0, got -3."),
    (lambda: data.subset(_X, _T[:4], 2), ValueError, "x has 5 rows but t has 4"),
    (lambda: data.nielsen_split(_X, _T, n_val=5), ValueError, "n_val must be between 1 and 4, got 5"),
    (lambda: data.nielsen_split(_X, _T, n_val=0), ValueError, "n_val must be between 1 and 4"),
    (lambda: data.nielsen_split(_X, _T, n_val=2.0), TypeError, "n_val must be a whole number, got float 2.0."),
    (lambda: data.nielsen_split(_X, _T[:3]), ValueError, "x has 5 rows but t has 3"),
    (lambda: data.download("mnist.npz", "."), ValueError, "name must be one of the four MNIST files"),
    (lambda: data.download("t10k-labels-idx1-ubyte.gz", ".", mirrors="https://a/"), ValueError,
     "mirrors must be a non-empty sequence"),
    (lambda: data.verify("mnist.npz"), data.MnistError, "mnist.npz is not one of the four MNIST files"),
]


@pytest.mark.parametrize("call, error, fragment", BAD)
def test_bad_inputs_raise_clear_errors(call, error, fragment):
    with pytest.raises(error) as info:
        call()
    assert fragment in str(info.value)


def test_download_passes_the_timeout_and_names_its_temporary_after_the_file(tmp_path, monkeypatch):
    name = "t10k-labels-idx1-ubyte.gz"
    good = (data.locate() / name).read_bytes()
    seen = {}

    def fake_urlopen(url, timeout):
        seen["timeout"] = timeout
        seen["files"] = [p.name for p in tmp_path.iterdir()]
        return _FakeResponse(good)

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    data.download(name, tmp_path, mirrors=("https://m/",))
    assert seen["timeout"] == 30
    (part,) = seen["files"]
    assert part.startswith(f".{name}.") and part.endswith(".gz")   # files.atomic_write: hidden, same suffix
    data.download(name, tmp_path / "new" / "dir", mirrors=("https://m/",), timeout=5)
    assert seen["timeout"] == 5 and (tmp_path / "new" / "dir" / name).read_bytes() == good


def test_download_progress_counts_every_block(tmp_path, monkeypatch, capsys):
    payload = bytes(450_000)
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout: _FakeResponse(payload))
    with pytest.raises(data.MnistError, match="checksum mismatch"):
        data.download("t10k-labels-idx1-ubyte.gz", tmp_path, mirrors=("https://m/",))
    err = capsys.readouterr().err
    done = [min(65536 * i, 450_000) for i in range(1, 8)]
    bars = [int(30 * d / 450_000) for d in done]
    expected = "".join(f"\rt10k-labels-idx1-ubyte.gz: [{'#' * b}{'.' * (30 - b)}] {d / 1e6:5.1f}/0.5 MB"
                       for b, d in zip(bars, done, strict=True)) + "\n"
    assert err == expected
    data._progress("f", 50_000, 0)
    assert capsys.readouterr().err == "\rf:   0.1 MB"


def test_read_idx_accepts_an_empty_label_file_and_checks_every_header_byte(tmp_path):
    (tmp_path / "empty.gz").write_bytes(gzip.compress((2049).to_bytes(4, "big") + (0).to_bytes(4, "big")))
    assert data.read_idx(tmp_path / "empty.gz").shape == (0,)
    (tmp_path / "type.gz").write_bytes(gzip.compress(b"\x00\x00\x09\x01" + (0).to_bytes(4, "big")))
    with pytest.raises(data.MnistError, match="type.gz has IDX magic number"):
        data.read_idx(tmp_path / "type.gz")
    big = (2051).to_bytes(4, "big") + (1).to_bytes(4, "big") + (2).to_bytes(4, "big") + (300).to_bytes(4, "big")
    (tmp_path / "dims.gz").write_bytes(gzip.compress(big + bytes(600)))
    assert data.read_idx(tmp_path / "dims.gz").shape == (1, 2, 300)


def test_one_hot_takes_one_class_and_messages_are_exact():
    assert data.one_hot(np.array([0, 0]), num_classes=1).tolist() == [[1.0], [1.0]]
    with pytest.raises(ValueError, match="num_classes must be at least 1, got 0"):
        data.one_hot(np.array([0]), num_classes=0)
    for bad in (True, 2.0):
        with pytest.raises(TypeError, match="num_classes must be a whole number, got"):
            data.one_hot(np.array([0]), num_classes=bad)
    with pytest.raises(ValueError, match=r"Convert with \.astype\(int\) if they are whole numbers\.$"):
        data.one_hot(np.array([1.0]))
    with pytest.raises(ValueError, match=r"^flatten=True gives \(N, 784\) images"):
        data.load_mnist(channels_last=True)
    assert len(data.nielsen_split(np.zeros((3, 1)), np.zeros(3), n_val=1)[1][0]) == 1
    with pytest.raises(ValueError, match=r"^name must be one of the four MNIST files \(train-images-idx3-ubyte.gz, "):
        data.download("x.gz", ".")


# ---------------------------------------------------------------- mutation-testing follow-ups (issue 13)
def test_download_without_content_length_reports_megabytes_only(tmp_path, monkeypatch, capsys):
    name = "t10k-labels-idx1-ubyte.gz"

    class NoLength(_FakeResponse):
        def __init__(self, payload):
            super().__init__(payload)
            self.headers = {}

    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout: NoLength(bytes(49_999)))
    with pytest.raises(data.MnistError, match="checksum mismatch"):
        data.download(name, tmp_path, mirrors=("https://m/",))
    # no size known: no bar; 49,999 bytes round down to 0.0 MB (one byte more would show 0.1)
    assert capsys.readouterr().err == f"\r{name}:   0.0 MB\n"


def test_download_error_lists_one_failure_per_line_then_how_to_provide(tmp_path, monkeypatch):
    name = "t10k-labels-idx1-ubyte.gz"

    def offline(url, timeout):
        raise OSError("no route")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(data.MnistError) as info:
        data.download(name, tmp_path, mirrors=("https://a/", "https://b/"))
    assert str(info.value) == (f"Could not download {name} from any mirror:\n  https://a/{name}: no route\n"
                               f"  https://b/{name}: no route\n" + data._HOW_TO_PROVIDE)


def test_read_idx_reads_all_four_bytes_of_every_dimension(tmp_path):
    # a header whose sizes need their high bytes: the file is far too short for them, so it must be rejected
    labels = (2049).to_bytes(4, "big") + ((1 << 24) + 3).to_bytes(4, "big") + bytes(3)
    (tmp_path / "lab.gz").write_bytes(gzip.compress(labels))
    with pytest.raises(data.MnistError, match=r"header says shape \(16777219,\)"):
        data.read_idx(tmp_path / "lab.gz")
    images = (2051).to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in (1, (1 << 24) + 2, (1 << 16) + 1))
    (tmp_path / "img.gz").write_bytes(gzip.compress(images + bytes(2)))
    with pytest.raises(data.MnistError, match=r"header says shape \(1, 16777218, 65537\)"):
        data.read_idx(tmp_path / "img.gz")


def test_flatten_with_channels_last_message_in_full():
    with pytest.raises(ValueError) as info:
        data.load_mnist(channels_last=True)
    assert str(info.value) == (
        "flatten=True gives (N, 784) images, which have no channel axis, so channels_last=True contradicts it: "
        "pass flatten=False with channels_last=True for (N, 28, 28, 1), or drop channels_last for flat images.")


def test_subset_default_seed_single_row_and_bool_seed():
    x, t = np.arange(20).reshape(10, 2), np.arange(10)
    np.testing.assert_array_equal(data.subset(x, t, 4)[1], np.random.default_rng(0).permutation(10)[:4])
    xs, ts = data.subset(x, t, 1, seed=2)
    assert xs.shape == (1, 2) and ts.tolist() == [np.random.default_rng(2).permutation(10)[0]]
    for bad in (True, 1.5, "0"):
        with pytest.raises(TypeError, match="seed must be a whole number, got"):
            data.subset(x, t, 2, seed=bad)


def test_verify_and_locate_messages_in_full(tmp_path, monkeypatch):
    names = ", ".join(data.FILES)
    with pytest.raises(data.MnistError) as info:
        data.verify(tmp_path / "mnist.npz")
    assert str(info.value) == (f"{tmp_path / 'mnist.npz'} is not one of the four MNIST files ({names}): "
                               "nothing to verify it against.")
    bad = tmp_path / "t10k-labels-idx1-ubyte.gz"
    bad.write_bytes(b"not mnist")
    actual = data.sha256(bad)
    with pytest.raises(data.MnistError) as info:
        data.verify(bad)
    assert str(info.value) == (
        f"Checksum mismatch for {bad}:\n  expected sha256 {data.FILES[bad.name]}\n  actual   sha256 {actual}\n"
        "The file is corrupted or is not the canonical MNIST file. Delete it and run "
        "`python -m course_lib.data` to download it again (or copy a good copy in its place).")
    # MNIST_DIR lacking two files: both named, comma-separated
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    with pytest.raises(data.MnistError) as info:
        data.locate()
    first3 = ", ".join(list(data.FILES)[:3])
    assert str(info.value) == (f"MNIST_DIR is set to {tmp_path}, but it lacks {first3}. Point MNIST_DIR at a "
                               f"directory holding all four files, or unset it to use {data.CACHE_DIR}.")
    # the cache lacking files, download off
    monkeypatch.delenv("MNIST_DIR")
    monkeypatch.setattr(data, "CACHE_DIR", tmp_path)
    with pytest.raises(data.MnistError) as info:
        data.locate(download_missing=False)
    assert str(info.value) == f"MNIST files missing from {tmp_path}: {first3}.\n" + data._HOW_TO_PROVIDE
