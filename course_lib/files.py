"""Writing files safely: the one atomic writer every module that saves a file uses."""

import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_write(path):
    """Write a file all at once or not at all: ``with atomic_write(path) as tmp:`` write to the Path ``tmp``.

    ``tmp`` is a new empty file in the same folder, with the same suffixes (NumPy and Keras look at them: ``.npz``,
    ``.keras``, ``.weights.h5``). When the block ends normally it is flushed to disk and renamed to ``path`` (one
    atomic step); when the block raises, ``tmp`` is removed and ``path`` keeps its old content (or stays absent).
    Creates the folder if needed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix="".join(path.suffixes), dir=path.parent)
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
