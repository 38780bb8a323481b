"""make profile (tools/profile_notebooks.py) on tiny synthetic notebooks, and the course map's minutes from its
record."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_lib import course

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "profile_notebooks.py"
MB = 1024 * 1024


def notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


@pytest.mark.slow   # runs notebooks in kernels (a subprocess)
@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="VmHWM (peak RSS) is Linux's")
def test_profile_measures_peaks_per_cell_and_records_only_notebooks_that_ran(tmp_path):
    alloc = notebook(tmp_path / "01_alloc.ipynb",
                     "import numpy as np",
                     # 300 MB filled and freed within the cell, far quicker than the 5 s sampling interval:
                     # only the kernel's high-water mark (reset at each cell) sees it
                     "float(np.ones(300 * 2**20 // 8).sum())",
                     "x = 1")
    broken = notebook(tmp_path / "02_broken.ipynb", "x = 1", "raise RuntimeError('boom')", "y = 2")
    record = tmp_path / "record.json"
    record.write_text(json.dumps({"full": {"00_kept.ipynb": {"wall_s": 61.0}}}))
    env = {**os.environ, "COURSE_FAST": "1"}
    proc = subprocess.run([sys.executable, str(TOOL), "--interval", "5", "--out", str(tmp_path / "build"),
                           "--record", str(record), str(alloc), str(broken)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr                        # one notebook failed
    run = json.loads((tmp_path / "build" / "profile.json").read_text())
    assert run["mode"] == "fast" and run["machine"]["cores"] >= 1
    ok, failed = run["notebooks"]
    assert (ok["notebook"], ok["status"], failed["status"]) == ("01_alloc.ipynb", "ok", "error in cell 1")
    cells = {c["index"]: c["peak_rss_mb"] for c in ok["cells"]}
    assert sorted(cells) == [0, 1, 2]
    assert cells[1] - cells[0] > 280 and cells[2] < cells[1] - 280    # the spike, in its own cell only
    assert ok["peak_cell"] == 1 and ok["peak_rss_mb"] == cells[1] and ok["peak_pss_mb"] > 0
    assert ok["wall_s"] > sum(c["seconds"] for c in ok["cells"])      # kernel start-up counts too
    saved = json.loads(record.read_text())
    assert saved["full"] == {"00_kept.ipynb": {"wall_s": 61.0}}        # other mode and notebooks kept
    assert list(saved["fast"]) == ["01_alloc.ipynb"]                   # the failed notebook is not recorded
    assert saved["fast"]["01_alloc.ipynb"]["peak_rss_mb"] == ok["peak_rss_mb"]
    markdown = (tmp_path / "build" / "profile.md").read_text()
    assert f"| 01 | ok | {ok['wall_s']:,.0f} | {ok['peak_rss_mb']:,.0f} |" in markdown
    assert "| 02 | error in cell 1 |" in markdown
    assert "| 00 | 1.0 | - | - | - |" in markdown                       # the record's table: 61 s = 1.0 min


@pytest.mark.slow   # runs notebooks in kernels (a subprocess)
def test_save_writes_back_only_the_notebooks_that_ran(tmp_path):
    """--save (make notebooks): the executed notebook is stored with its outputs; a failing one is left as it was."""
    good = notebook(tmp_path / "01_good.ipynb", "print(6 * 7)")
    broken = notebook(tmp_path / "02_broken.ipynb", "print('partial')", "raise RuntimeError('boom')")
    before = broken.read_bytes()
    proc = subprocess.run([sys.executable, str(TOOL), "--save", "--interval", "5", "--out", str(tmp_path / "build"),
                           "--record", str(tmp_path / "record.json"), str(good), str(broken)],
                          env={**os.environ, "COURSE_FAST": "1"}, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert nbformat.read(good, as_version=4).cells[0].outputs[0].text == "42\n"
    assert broken.read_bytes() == before


def test_full_mode_minutes_round_the_recorded_wall_time(tmp_path):
    record = tmp_path / "profile.json"
    record.write_text(json.dumps({"full": {"a.ipynb": {"wall_s": 20.0}, "b.ipynb": {"wall_s": 89.0},
                                           "c.ipynb": {"wall_s": 91.0}, "d.ipynb": {"wall_s": 1469.9},
                                           "e.ipynb": {"wall_s": 1470.0}},
                                  "fast": {"a.ipynb": {"wall_s": 500.0}}}))
    assert course.full_mode_minutes(record) == {"a.ipynb": 1, "b.ipynb": 1, "c.ipynb": 2, "d.ipynb": 24,
                                                   "e.ipynb": 25}   # 24.5 min: half up, not to even


def test_every_notebook_has_a_full_mode_time_in_the_record_and_the_map_shows_it():
    minutes = course.full_mode_minutes()
    assert sorted(minutes) == sorted(file for file, *_ in course.NOTEBOOKS)
    table = course.course_map_markdown()
    for file, *_ in course.NOTEBOOKS:
        assert f"({file}) |" in table and f"| about {minutes[file]} min |" in table


def test_readme_shows_the_record_as_measured(monkeypatch):
    """README's "Time and memory" table is the record's own table (record_table of course_lib/profile.json): after
    `make profile` or `make notebooks`, paste build/profile.md's record table into README."""
    monkeypatch.syspath_prepend(str(TOOL.parent))   # the tool imports run_notebooks from beside it
    spec = importlib.util.spec_from_file_location("profile_notebooks", TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    record = json.loads((ROOT / "course_lib" / "profile.json").read_text(encoding="utf-8"))
    assert tool.record_table(record) in (ROOT / "README.md").read_text(encoding="utf-8")
