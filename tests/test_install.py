"""`pip install .` gives a working library: the wheel built from this checkout, installed into a fresh venv outside
the source tree, holds every subpackage (course_lib.exercises too), keeps its MNIST files in the per-user cache
folder (platformdirs), loads a batch and runs a checker, in English and (its zh_CN catalog) in Chinese."""

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from course_lib import data

REPO = Path(__file__).resolve().parents[1]

# Run by the fresh venv's Python, from a folder outside the checkout.
SCRIPT = """
import importlib.metadata
import sys

import course_lib
from course_lib import data, exercises, functions

assert "site-packages" in course_lib.__file__, course_lib.__file__
assert "course_lib/exercises/nb02.py" in {str(f) for f in importlib.metadata.files("course_lib")}
assert "tensorflow" not in sys.modules
print("data", data.DATA_DIR)
print("cache", data.CACHE_DIR)
(x, t), _ = data.load_mnist()
batch, labels = x[:64], t[:64]
assert batch.shape == (64, 784) and labels.shape == (64,)
assert 0.0 <= batch.min() and batch.max() <= 1.0
print("batch", batch.shape, batch.dtype, labels[:10].tolist())
right, wrong = exercises.check_softmax(functions.softmax), exercises.check_softmax(lambda s: s)
assert right and not wrong, (right, wrong)
print("checker", right.score, wrong.score)
import os
os.environ["COURSE_LANG"] = "zh_CN"   # the catalog inside the wheel: the same checker answers in Chinese
print("zh", repr(exercises.check_softmax(lambda s: s)).split("：")[0])
"""


@pytest.mark.slow
def test_wheel_installs_and_works_outside_the_checkout(tmp_path):
    src = tmp_path / "src"  # build from a copy, so the build leaves nothing in the checkout
    shutil.copytree(REPO / "course_lib", src / "course_lib", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", src)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"), str(src)],
                   check=True, capture_output=True, text=True)
    wheel, = (tmp_path / "dist").glob("course_lib-*.whl")

    # Everything the fresh venv runs starts in a folder outside the checkout, with nothing of it on the path.
    env = {k: v for k, v in os.environ.items() if k not in ("MNIST_DIR", "PYTHONPATH", "COURSE_DATA_DIR")}
    work = tmp_path / "work"
    work.mkdir()
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "-c", str(REPO / "requirements.txt"), str(wheel)], check=True, capture_output=True, text=True,
                   cwd=work, env=env)

    # The per-user folders of this run (XDG on Linux), with the MNIST files where a download would put them.
    cache = tmp_path / "xdg-cache" / "course_lib" / "mnist"
    cache.mkdir(parents=True)
    for name in data.FILES:
        shutil.copy(data.locate(download_missing=False) / name, cache)
    env.update(XDG_CACHE_HOME=str(tmp_path / "xdg-cache"), XDG_DATA_HOME=str(tmp_path / "xdg-data"))
    result = subprocess.run([str(python), "-c", SCRIPT], cwd=work, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert lines["data"] == str(tmp_path / "xdg-data" / "course_lib")
    assert lines["cache"] == str(cache)
    assert lines["checker"] == "1.0 0.0"
    assert lines["zh"] == "还不对"
