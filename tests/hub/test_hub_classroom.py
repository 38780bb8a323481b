"""The classroom simulation (hub/classroom.py) with CLASSROOM_LEARNERS learners (default 2): `make classroom N=2`.

It starts the hub of hub/ on free local ports, drives the learners through its proxy and fails on any error (see
hub/classroom.py). Here the report is checked too: every learner ran every code cell of notebook 02, the solved
submission got full marks and the unanswered one none, and no learner's peak memory passed the memory limit that
hub/jupyterhub_config.py and hub/z2jh/config.yaml set (hub/seat.json). Runs only with COURSE_HUB_TEST=1 (make
classroom sets it): a few minutes, a hub and N Jupyter servers.
"""

import importlib.util
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.environ.get("COURSE_HUB_TEST") != "1",
                                reason="the classroom simulation runs with `make classroom` (COURSE_HUB_TEST=1)")


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_classroom():
    classroom = load("classroom", ROOT / "hub" / "classroom.py")
    n = int(os.environ.get("CLASSROOM_LEARNERS", "2"))
    report = classroom.simulate(n)
    classroom.write_json(ROOT / "build" / "hub" / "classroom.json", report)
    classroom.show(report)
    assert not report["errors"], "\n".join(report["errors"]) + "\n" + report.get("hub_log_tail", "")
    code_cells = sum(c["cell_type"] == "code" for c in json.loads(
        (ROOT / "notebooks" / f"{classroom.NOTEBOOK}.ipynb").read_text(encoding="utf-8"))["cells"])
    assert [r["cells"] for r in report["learners"]] == [code_cells] * n
    (solved, full), (unsolved, none) = report["grades"]["learner01"], report["grades"]["learner02"]
    assert solved == full > 0 and unsolved == 0 and none == full
    seat = json.loads((ROOT / "hub" / "seat.json").read_text(encoding="utf-8"))
    assert max(r["peak_pss_mb"] for r in report["learners"]) < seat["limit_mb"]
