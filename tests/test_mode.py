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


@pytest.mark.slow
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


@pytest.mark.parametrize("value, fast", [("1", True), (" TRUE ", True), ("yes", True), ("on", True),
                                         ("0", False), ("false", False), ("No", False), ("off", False), ("", False)])
def test_spellings_of_the_switch(monkeypatch, value, fast):
    monkeypatch.setenv("COURSE_FAST", value)
    assert mode.is_fast() is fast and mode.name() == ("fast" if fast else "full")
    assert mode.banner().startswith("FAST") is fast


@pytest.mark.parametrize("value", ["2", "fast", "ture"])
def test_a_mistyped_switch_is_an_error_not_full_mode(monkeypatch, value):
    monkeypatch.setenv("COURSE_FAST", value)
    with pytest.raises(ValueError, match=f"COURSE_FAST='{value}' is neither on nor off"):
        mode.pick(full=100, fast=3)


NUMPY_TESTS = ["tests/test_optim.py", "tests/test_functions.py", "tests/test_train.py", "tests/test_mode.py"]
COLLECT_ONLY = ["tests/test_data.py", "tests/test_layers.py", "tests/test_nets.py", "tests/test_conv.py"]


@pytest.mark.slow
def test_numpy_tests_run_without_tensorflow(tmp_path):
    """The NumPy tests must not need TensorFlow: run them in a Python where importing it fails."""
    import subprocess
    import sys
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = ("import sys; sys.modules['tensorflow'] = None; sys.modules['keras'] = None; import pytest; "
            "args = ['-p', 'no:cacheprovider', '-o', 'addopts=', '-q', '-k', 'not without_tensorflow']; "
            f"rc = pytest.main(args + {NUMPY_TESTS!r}); "
            f"rc = rc or pytest.main(args + ['--collect-only'] + {COLLECT_ONLY!r}); sys.exit(rc)")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env.pop("COURSE_FAST", None)
    env.pop("CI", None)  # the inner run checks the library, not how CI was configured (test_ci_runs_in_fast_mode)
    res = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True,
                         timeout=600)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    assert " failed" not in res.stdout and " error" not in res.stdout
