import os

import pytest

from course_lib import mode


def test_ci_runs_in_fast_mode():
    """`make test` (and so CI) must run the notebooks in fast mode."""
    if not os.environ.get("CI"):
        pytest.skip("only enforced under CI")
    assert mode.is_fast(), "CI ran without COURSE_FAST=1: notebooks would train in full mode."


def test_pick_follows_environment(monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "1")
    assert mode.pick(full=100, fast=3) == 3 and mode.name() == "fast"
    monkeypatch.setenv("COURSE_FAST", "0")
    assert mode.pick(full=100, fast=3) == 100 and "FULL" in mode.banner()
    monkeypatch.delenv("COURSE_FAST")
    assert not mode.is_fast()


def test_import_course_lib_does_not_import_tensorflow():
    """Only course_lib.kerastools may import TensorFlow; every other module stays light."""
    import pkgutil
    import subprocess
    import sys

    import course_lib

    names = [f"course_lib.{m.name}" for m in pkgutil.iter_modules(course_lib.__path__) if m.name != "kerastools"]
    code = f"import sys, importlib; [importlib.import_module(n) for n in {names!r}]; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
