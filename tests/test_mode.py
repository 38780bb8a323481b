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
    import subprocess
    import sys

    code = "import sys, course_lib, course_lib.data, course_lib.plots, course_lib.mode; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
