"""MNIST: find, verify, download and parse the four canonical IDX files.

Where the files come from, in this order:

1. the directory named by the environment variable ``MNIST_DIR``;
2. the cache ``CACHE_DIR``: ``data/mnist/`` of the checkout, or for an installed course_lib the per-user cache
   folder (platformdirs: ``~/.cache/course_lib/mnist`` on Linux);
3. a download from public mirrors into ``CACHE_DIR`` (atomic, checksummed).

Every file's SHA-256 is checked before it is parsed, and the parser checks the
IDX magic numbers and sizes, so a wrong or truncated file is an error, never
garbage arrays. Nothing is pickled.

Run ``python -m course_lib.data`` to make sure the files are present.
"""

import functools
import gzip
import hashlib
import os
import sys
import urllib.request
from pathlib import Path

import numpy as np
import platformdirs

from .checks import flag, integer
from .i18n import _
from .files import atomic_write

FILES = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}
MIRRORS = (
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://yann.lecun.com/exdb/mnist/",
)
# Run from the course's checkout (pyproject.toml beside course_lib/): its data/ folder. Installed as a library: the
# per-user data folder (models, results) and cache folder (MNIST), e.g. ~/.local/share/course_lib, ~/.cache/course_lib.
_CHECKOUT = Path(__file__).resolve().parent.parent
if (_CHECKOUT / "pyproject.toml").is_file():
    DATA_DIR = _CHECKOUT / "data"
    CACHE_DIR = DATA_DIR / "mnist"
else:
    DATA_DIR = Path(platformdirs.user_data_dir("course_lib"))
    CACHE_DIR = Path(platformdirs.user_cache_dir("course_lib")) / "mnist"
NUM_CLASSES = 10

_HOW_TO_PROVIDE = (
    "Either connect to the internet and run `python -m course_lib.data` (it downloads "
    "the files into {cache}), or copy the four files {names} into {cache}, "
    "or set MNIST_DIR to a directory that holds them."
).format(names=", ".join(FILES), cache=CACHE_DIR)


class MnistError(RuntimeError):
    """The MNIST files are missing, corrupted or could not be downloaded."""


def sha256(path):
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path):
    """Raise ``MnistError`` unless ``path`` has the known SHA-256 of its file name."""
    path = Path(path)
    expected = FILES.get(path.name)
    if expected is None:
        raise MnistError(f"{path} is not one of the four MNIST files ({', '.join(FILES)}): "
                         "nothing to verify it against.")
    actual = sha256(path)
    if actual != expected:
        raise MnistError(
            f"Checksum mismatch for {path}:\n  expected sha256 {expected}\n  actual   sha256 {actual}\n"
            "The file is corrupted or is not the canonical MNIST file. Delete it and run "
            "`python -m course_lib.data` to download it again (or copy a good copy in its place)."
        )


def _progress(name, done, total):
    width = 30
    if total:
        filled = int(width * done / total)
        text = f"\r{name}: [{'#' * filled}{'.' * (width - filled)}] {done / 1e6:5.1f}/{total / 1e6:.1f} MB"
    else:
        text = f"\r{name}: {done / 1e6:5.1f} MB"
    sys.stderr.write(text)
    sys.stderr.flush()


def download(name, directory, mirrors=MIRRORS, timeout=30):
    """Download one file into ``directory`` atomically and verify its checksum.

    The bytes go to a temporary file in the same directory (``files.atomic_write``), which is renamed to
    its final name only after the checksum matched; on any failure it is removed.
    Mirrors are tried in order. Returns the final path.
    """
    if name not in FILES:
        raise ValueError(_("name must be one of the four MNIST files ({files}), got {name}.").format(
            files=", ".join(FILES), name=repr(name)))
    if isinstance(mirrors, str) or not mirrors:
        raise ValueError(_("mirrors must be a non-empty sequence of base URLs ending in '/', got {mirrors}.").format(
            mirrors=repr(mirrors)))
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / name
    errors = []
    for mirror in mirrors:
        try:
            with atomic_write(final) as tmp:
                with open(tmp, "wb") as out, urllib.request.urlopen(mirror + name, timeout=timeout) as resp:
                    total = int(resp.headers.get("Content-Length") or 0)
                    done = 0
                    for block in iter(lambda: resp.read(1 << 16), b""):
                        out.write(block)
                        done += len(block)
                        _progress(name, done, total)
                sys.stderr.write("\n")
                actual = sha256(tmp)
                if actual != FILES[name]:
                    raise MnistError(f"checksum mismatch (got {actual})")
            return final
        except Exception as exc:  # try the next mirror, report all failures at the end
            errors.append(f"  {mirror}{name}: {exc}")
    raise MnistError(f"Could not download {name} from any mirror:\n" + "\n".join(errors) + "\n" + _HOW_TO_PROVIDE)


def locate(download_missing=True):
    """Return the directory holding all four verified MNIST files.

    ``$MNIST_DIR`` wins when set (it must then hold all four files); otherwise
    ``CACHE_DIR`` is used, downloading missing files when ``download_missing``.
    """
    flag("download_missing", download_missing)
    env = os.environ.get("MNIST_DIR")
    if env:
        directory = Path(env).expanduser()
        missing = [n for n in FILES if not (directory / n).is_file()]
        if missing:
            raise MnistError(
                f"MNIST_DIR is set to {directory}, but it lacks {', '.join(missing)}. "
                f"Point MNIST_DIR at a directory holding all four files, or unset it to use {CACHE_DIR}."
            )
    else:
        directory = CACHE_DIR
        missing = [n for n in FILES if not (directory / n).is_file()]
        if missing and not download_missing:
            raise MnistError(f"MNIST files missing from {directory}: {', '.join(missing)}.\n" + _HOW_TO_PROVIDE)
        for name in missing:
            download(name, directory)
    for name in FILES:
        verify(directory / name)
    return directory


def read_idx(path):
    """Parse a gzipped IDX file (images: magic 2051, labels: magic 2049) into a uint8 array.

    Images come back as ``(N, 28, 28)``, labels as ``(N,)``. Raises ``MnistError``
    for a wrong magic number or a file whose size does not match its header.
    """
    path = Path(path)
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as exc:
        raise MnistError(f"{path} is not a readable gzip file ({exc}). Delete it and fetch it again.") from exc
    if len(raw) < 8:
        raise MnistError(f"{path} is too short to be an IDX file ({len(raw)} bytes).")
    magic = int.from_bytes(raw[:4], "big")
    ndim = {2049: 1, 2051: 3}.get(magic)
    if ndim is None:   # 2049 and 2051 are 0x00000801 and 0x00000803: zero bytes, type 0x08 (unsigned byte)
        raise MnistError(f"{path} has IDX magic number {magic}, expected 2049 (labels) or 2051 (images).")
    header = 4 + 4 * ndim
    dims = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    expected = header + int(np.prod(dims))
    if len(raw) != expected:
        raise MnistError(
            f"{path} is truncated or padded: header says shape {dims} ({expected} bytes), "
            f"file holds {len(raw)} bytes. Delete it and fetch it again."
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims)


@functools.lru_cache(maxsize=2)
def _arrays(directory):
    directory = Path(directory)
    arrays = [read_idx(directory / n) for n in FILES]
    x_train, t_train, x_test, t_test = arrays
    if len(x_train) != len(t_train) or len(x_test) != len(t_test):
        raise MnistError(f"Image and label counts differ in {directory}.")
    return x_train, t_train, x_test, t_test


def one_hot(labels, num_classes=NUM_CLASSES):
    """Labels ``(N,)`` of ints in [0, num_classes) -> float32 one-hot ``(N, num_classes)``."""
    integer("num_classes", num_classes, 1)
    labels = np.asarray(labels)
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(_("one_hot expects integer labels, got dtype {dtype}. Convert with .astype(int) if they are "
                           "whole numbers.").format(dtype=labels.dtype))
    if labels.ndim != 1:
        raise ValueError(_("one_hot expects a 1-D array of labels, got shape {shape}.").format(shape=labels.shape))
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(_("Labels must lie in 0..{last}; got min {min}, max {max}.").format(
            last=num_classes - 1, min=labels.min(), max=labels.max()))
    out = np.zeros((labels.size, num_classes), dtype=np.float32)
    out[np.arange(labels.size), labels] = 1.0
    return out


def load_mnist(normalize=True, flatten=True, one_hot_label=False, channels_last=False):
    """Load MNIST as ``(x_train, t_train), (x_test, t_test)``.

    normalize:      float32 pixels in [0, 1]; otherwise uint8 in 0..255.
    flatten:        images as ``(N, 784)``; otherwise ``(N, 1, 28, 28)`` (NumPy conv nets)
                    or, with ``channels_last=True``, ``(N, 28, 28, 1)`` (Keras).
    one_hot_label:  labels as float32 ``(N, 10)``; otherwise uint8 ``(N,)``.

    Shapes: x_train (60000, ...), x_test (10000, ...). Returns fresh arrays each call.
    """
    for name, value in (("normalize", normalize), ("flatten", flatten), ("one_hot_label", one_hot_label),
                        ("channels_last", channels_last)):
        flag(name, value)
    if flatten and channels_last:
        raise ValueError(_("flatten=True gives (N, 784) images, which have no channel axis, so channels_last=True "
                           "contradicts it: pass flatten=False with channels_last=True for (N, 28, 28, 1), or drop "
                           "channels_last for flat images."))
    x_train, t_train, x_test, t_test = _arrays(str(locate()))

    def images(x):
        n = len(x)
        if flatten:
            shape = (n, 784)
        elif channels_last:
            shape = (n, 28, 28, 1)
        else:
            shape = (n, 1, 28, 28)
        x = x.reshape(shape)
        return x.astype(np.float32) / np.float32(255.0) if normalize else x.copy()

    def labels(t):
        return one_hot(t) if one_hot_label else t.copy()

    return (images(x_train), labels(t_train)), (images(x_test), labels(t_test))


def nielsen_split(x_train, t_train, n_val=10_000):
    """Nielsen's split: the first 50,000 training images train, the last 10,000 validate.

    Returns ``(x_tr, t_tr), (x_val, t_val)`` as views of the inputs.
    """
    if len(x_train) != len(t_train):
        raise ValueError(_("x has {n_x_train} rows but t has {n_t_train}.").format(
            n_x_train=len(x_train), n_t_train=len(t_train)))
    integer("n_val", n_val, 1, len(x_train) - 1)
    cut = len(x_train) - n_val
    return (x_train[:cut], t_train[:cut]), (x_train[cut:], t_train[cut:])


def subset(x, t, n, seed=0):
    """A reproducible random subset of ``n`` examples (copies), for fast mode.

    The same ``seed`` always gives the same rows. ``n`` larger than the data
    returns all rows in shuffled order.
    """
    if len(x) != len(t):
        raise ValueError(_("x has {n_x} rows but t has {n_t}.").format(n_x=len(x), n_t=len(t)))
    integer("n", n, 1)
    integer("seed", seed, 0)
    idx = np.random.default_rng(seed).permutation(len(x))[: min(n, len(x))]
    return x[idx], t[idx]


def main():
    """``python -m course_lib.data``: make sure the files are present. Exit code 0, or 1 with instructions only."""
    try:
        where = locate()
    except MnistError as exc:
        print(f"MNIST is not available yet.\n{exc}", file=sys.stderr)
        return 1
    print(f"MNIST ready in {where} (4 files, checksums verified).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
