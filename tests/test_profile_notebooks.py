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


def load_tool(monkeypatch):
    monkeypatch.syspath_prepend(str(TOOL.parent))   # the tool imports run_notebooks from beside it
    spec = importlib.util.spec_from_file_location("profile_notebooks", TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


RECORD = json.loads((ROOT / "course_lib" / "profile.json").read_text(encoding="utf-8"))


def test_the_course_map_shows_each_notebooks_reading_running_and_total_minutes_and_their_sums():
    table = course.course_map_markdown()
    reading = {f: RECORD["reading"]["notebooks"][f]["minutes"] for f in course.FILES}
    running = {f: int(RECORD["full"][f]["wall_s"] / 60 + 0.5) or 1 for f in course.FILES}
    for file in course.FILES:
        assert f"({file}) | " in table and f" | {reading[file]} | {running[file]} | {reading[file] + running[file]} |" \
            in table.splitlines()[[i for i, line in enumerate(table.splitlines()) if f"({file})" in line][0]]
    total = sum(reading.values()) + sum(running.values())
    assert (f"| | **The whole course** | | **{sum(reading.values())}** | **{sum(running.values())}** | **{total}** "
            f"(about {total // 60} h {total % 60} min) |") in table
    assert "at 150 words a minute, plus 10 minutes per exercise and 1 per quiz question" in table


def test_reading_time_is_words_at_the_stated_rate_plus_the_allowances(tmp_path, monkeypatch):
    """600 words of text and 150 of code read (a hidden reference solution is not), 2 exercises and notebook 02's
    quiz of 3 questions: 750 / 150 + 2 * 10 + 3 * 1 = 28 minutes, shown as 30; 10 words alone: at least 5."""
    tool = load_tool(monkeypatch)
    assert (tool.WORDS_PER_MINUTE, tool.MINUTES_PER_EXERCISE, tool.MINUTES_PER_QUIZ_QUESTION) == (150, 10, 1)
    nb = nbformat.v4.new_notebook()
    solution = nbformat.v4.new_code_cell("x = 1 " * 500)
    solution.metadata["tags"] = ["solution"]
    nb.cells = [nbformat.v4.new_markdown_cell("word " * 600), nbformat.v4.new_code_cell("a = 1\n" * 48),
                nbformat.v4.new_code_cell("exercises.check_softmax(softmax)"), solution,
                nbformat.v4.new_code_cell("exercises.check_cross_entropy(cross_entropy)\n# a note"),
                nbformat.v4.new_code_cell("exercises.show_quiz(exercises.nb02.QUIZ)")]
    nbformat.write(nb, tmp_path / "a.ipynb")
    from course_lib.exercises import nb02
    assert len(nb02.QUIZ) == 3
    assert tool.reading(tmp_path / "a.ipynb") == {"words": 750, "exercises": 2, "quiz_questions": 3, "minutes": 30}
    nb.cells = [nbformat.v4.new_markdown_cell("word " * 10)]
    nbformat.write(nb, tmp_path / "b.ipynb")
    assert tool.reading(tmp_path / "b.ipynb") == {"words": 10, "exercises": 0, "quiz_questions": 0, "minutes": 5}


def test_the_recorded_reading_times_are_those_of_the_notebooks_as_they_are(monkeypatch):
    """A notebook's text changed its reading time: `make times` (no notebook runs) brings the record, the part
    lines (tests/test_notebooks.py), the course map and README up to date."""
    assert RECORD["reading"] == load_tool(monkeypatch).reading_record(), "reading times are stale: run `make times`"


def test_part_lines_are_rewritten_from_the_record_and_nothing_else_changes(tmp_path, monkeypatch):
    tool = load_tool(monkeypatch)
    for file in course.FILES:
        (tmp_path / file).write_bytes((ROOT / "notebooks" / file).read_bytes())
    record = json.loads(json.dumps(RECORD))
    record["full"]["02_softmax_cross_entropy.ipynb"]["wall_s"] = 600.0   # 02 re-measured: 10 minutes
    (tmp_path / "profile.json").write_text(json.dumps(record), encoding="utf-8")
    assert tool.write_part_lines(tmp_path, tmp_path / "profile.json") == ["02_softmax_cross_entropy.ipynb"]
    before = (ROOT / "notebooks" / "02_softmax_cross_entropy.ipynb").read_text(encoding="utf-8").splitlines()
    after = (tmp_path / "02_softmax_cross_entropy.ipynb").read_text(encoding="utf-8").splitlines()
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    reading = RECORD["reading"]["notebooks"]["02_softmax_cross_entropy.ipynb"]["minutes"]
    assert changed == [(f'    "{course.part_line("02_softmax_cross_entropy.ipynb")}\\n",',
                        f'    "*Part II · Neural networks from scratch (NumPy) · about {reading + 10} min: '
                        f'{reading} reading and exercises, 10 running in full mode*\\n",')]
    assert tool.write_part_lines(tmp_path, tmp_path / "profile.json") == []          # up to date: nothing written
    with pytest.raises(SystemExit):
        tool.main(["--times-only", "notebooks/00_welcome_and_data.ipynb"])           # runs nothing, says so


def test_readme_shows_the_record_as_measured(monkeypatch):
    """README's "Time and memory" table is the record's own table (record_table of course_lib/profile.json): after
    `make profile` or `make notebooks`, paste build/profile.md's record table into README."""
    assert load_tool(monkeypatch).record_table(RECORD) in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_shows_the_learners_time_per_part_and_for_the_course():
    """README's table of a learner's time (course.time_table), the sums of the course map, which `make times` (every
    run of the tool) rewrites in place."""
    table = course.time_table()
    assert table in (ROOT / "README.md").read_text(encoding="utf-8"), "README's time table is stale: `make times`"
    assert table.splitlines()[-1].startswith("| The whole course | 00-13 | ")


def test_the_readme_table_is_rewritten_in_place(tmp_path, monkeypatch):
    tool = load_tool(monkeypatch)
    table = course.time_table()
    stale = table.replace("| The whole course | 00-13 | ", "| The whole course | 00-13 | 1")
    readme = tmp_path / "README.md"
    readme.write_text(f"# Course\n\nText:\n\n{stale}\n\n## Next\n", encoding="utf-8")
    assert tool.write_readme_table(readme) is True
    assert readme.read_text(encoding="utf-8") == f"# Course\n\nText:\n\n{table}\n\n## Next\n"
    assert tool.write_readme_table(readme) is False
    readme.write_text("# Course\n", encoding="utf-8")
    with pytest.raises(ValueError, match="has no line '| part | notebooks |"):
        tool.write_readme_table(readme)
