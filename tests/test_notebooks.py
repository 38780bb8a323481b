"""Notebook hygiene: what a clean "Restart & Run All" in full mode leaves behind."""

import getpass
import json
import os
import re
from pathlib import Path

import pytest

from course_lib import course

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
MAX_BYTES = 1_500_000  # keeps the repository light and notebooks quick to open


def test_course_map_matches_the_notebooks():
    assert [n for n, *_ in course.NOTEBOOKS] == [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_hygiene(path):
    raw = path.read_text(encoding="utf-8")
    nb = json.loads(raw)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "execution counts must be 1..n: Restart & Run All, then save"
    outputs = [o for c in code for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"], "stored outputs contain an error"
    text = json.dumps(outputs)
    for private in {str(Path.home()), os.getcwd(), str(NOTEBOOK_DIR.parent)}:
        assert private + "/" not in text, f"an output shows a machine path ({private})"
    assert not re.search(rf"\b{re.escape(getpass.getuser())}\b", text) or getpass.getuser() in {"root", "jovyan"}
    assert len(raw.encode()) < MAX_BYTES, f"{path.name} is {len(raw) / 1e6:.1f} MB, limit {MAX_BYTES / 1e6} MB"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_ends_with_exercises_and_hidden_solutions(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    headings = [c["source"] for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert any("## Exercises" in "".join(h) for h in headings)
    solutions = [c for c in nb["cells"] if "solution" in c["metadata"].get("tags", [])]
    assert solutions and all(c["metadata"]["jupyter"]["source_hidden"] for c in solutions)
    assert all("exercises.check_" in "".join(c["source"]) for c in solutions)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_title_and_part_follow_the_course_map(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    first = "".join(nb["cells"][0]["source"])
    title = next(t for n, t, *_ in course.NOTEBOOKS if n == path.name)
    assert first.startswith(f"# {path.name[:2]} · "), "the first cell starts with '# NN · Title'"
    assert course.part_line(path.name) in first, f"the title cell names its part: {course.part_line(path.name)}"
    assert title.split(",")[0].lower() in first.splitlines()[0].lower(), f"the title matches the course map: {title}"


def test_part_line_rejects_unknown_notebooks():
    with pytest.raises(ValueError, match="not a notebook"):
        course.part_line("99_nothing.ipynb")
