"""Notebook hygiene: what a clean "Restart & Run All" in full mode leaves behind."""

import ast
import getpass
import importlib
import json
import os
import re
from pathlib import Path

import pytest

from course_lib import course, exercises

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = [NOTEBOOK_DIR / file for file in course.FILES]
MAX_BYTES = 1_500_000  # keeps the repository light and notebooks quick to open


def test_course_map_matches_the_notebooks():
    assert course.FILES == sorted(p.name for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))


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


# --- the exercise convention (COMMON brief "Exercise convention"; nbgrader-compatible) ---------------------------
ANSWER_META = {"grade": False, "locked": False, "schema_version": 3, "solution": True, "task": False}
CHECK_META = {"grade": True, "locked": True, "points": 1, "schema_version": 3, "solution": False, "task": False}
SOLUTION_FIRST_LINE = "# Reference solution: open it after your own attempt."
START, END = "# YOUR CODE STARTS HERE", "# YOUR CODE ENDS HERE"


def _src(cell):
    return "".join(cell["source"])


def _nbgrader(cell):
    return cell["metadata"].get("nbgrader", {})


def _is_answer(cell):
    return _nbgrader(cell).get("solution") is True and not _nbgrader(cell).get("grade")


def _is_solution(cell):
    return "solution" in cell["metadata"].get("tags", []) or "solution_for" in cell["metadata"].get("course", {})


def _strings(module_path):
    """Every string literal of a checker module (feedback text lives there), f-string pieces included."""
    tree = ast.parse(module_path.read_text(encoding="utf-8"))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercise_cells_follow_the_convention(path):
    """Exercise text, answer cell, check cell, hidden solution cell: in this order, with nbgrader's metadata."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    nn = path.name[:2]
    answers = [i for i, c in enumerate(cells) if _is_answer(c)]
    assert answers, "no answer cell (nbgrader solution: true) in this notebook"
    ids = [_nbgrader(cells[i]).get("grade_id") for i in answers]
    assert len(set(ids)) == len(ids), f"grade ids repeat: {ids}"
    for i in answers:
        answer, gid = cells[i], _nbgrader(cells[i]).get("grade_id", "")
        where = f"answer cell {i} ({gid})"
        assert answer["cell_type"] == "code" and gid.startswith(f"{nn}-"), f"{where}: a code cell, grade_id '{nn}-...'"
        assert {k: _nbgrader(answer).get(k) for k in ANSWER_META} == ANSWER_META, f"{where}: nbgrader metadata"
        assert START in _src(answer) and END in _src(answer), f"{where}: marks its region with {START!r}/{END!r}"
        assert not answer["outputs"] or "Correct" not in json.dumps(answer["outputs"]), f"{where}: stored answer"
        assert any(cells[j]["cell_type"] == "markdown" and "**Exercise" in _src(cells[j]) for j in range(i)), \
            f"{where}: no '**Exercise N.**' text before it"
        check = cells[i + 1] if i + 1 < len(cells) else {"metadata": {}, "source": [], "cell_type": "none"}
        assert check["cell_type"] == "code" and _nbgrader(check).get("grade_id") == f"{gid}-check", \
            f"{where}: the next cell must be its check cell, grade_id '{gid}-check'"
        assert {k: _nbgrader(check).get(k) for k in CHECK_META} == CHECK_META, f"check cell of {gid}: metadata"
        call = re.fullmatch(r"exercises\.(check_\w+)\(.*\)", _src(check).strip(), re.S)
        assert call and "\n" not in _src(check).strip(), f"check cell of {gid}: one line exercises.check_xxx(...)"
        assert call.group(1) in exercises.__dict__, f"{call.group(1)} is not a checker of course_lib.exercises"
        assert "Correct" not in json.dumps(check["outputs"]), f"check cell of {gid}: its stored output gives it away"
        assert i + 2 < len(cells) and cells[i + 2]["metadata"].get("course", {}).get("solution_for") == gid, \
            f"{where}: the cell after its check cell must be its solution (course.solution_for = {gid!r})"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solution_cells_are_hidden_and_give_nothing_away(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    nn = path.name[:2]
    answers = {_nbgrader(c).get("grade_id"): c for c in cells if _is_answer(c)}
    solutions = [(i, c) for i, c in enumerate(cells) if _is_solution(c)]
    assert solutions, "no solution cells"
    strings = _strings(Path(importlib.import_module(f"course_lib.exercises.nb{nn}").__file__))
    for i, cell in solutions:
        meta, where = cell["metadata"], f"solution cell {i}"
        gid = meta.get("course", {}).get("solution_for")
        assert "solution" in meta.get("tags", []), f"{where}: tagged 'solution'"
        assert meta.get("jupyter", {}).get("source_hidden") is True, f"{where}: hidden (jupyter.source_hidden)"
        assert gid in answers, f"{where}: course.solution_for {gid!r} names no answer cell"
        assert "nbgrader" not in meta, f"{where}: no nbgrader metadata (the student edition removes it)"
        lines = _src(cell).splitlines()
        assert lines and lines[0] == SOLUTION_FIRST_LINE, f"{where}: first line must be {SOLUTION_FIRST_LINE!r}"
        assert not cell.get("outputs"), f"{where}: stored outputs"
        assert START in _src(cell) and END in _src(cell), f"{where}: the complete answer cell, region filled in"
        region = _src(cell).split(START, 1)[1].split(END, 1)[0]
        skeleton = _src(answers[gid])
        for line in (ln.strip() for ln in region.splitlines()):
            if len(line) >= 12 and not line.startswith("#") and line not in skeleton:
                leaked = [s for s in strings if line in s]
                assert not leaked, f"{where}: checker feedback in nb{nn}.py contains the solution line {line!r}"
    assert len({c["metadata"]["course"]["solution_for"] for _, c in solutions}) == len(answers), \
        "one solution cell per answer cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_skeleton_sections(path):
    """Opening, quick check (the library's quiz), exercises, summary and further reading."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    nn = path.name[:2]
    assert "You will be able to" in _src(cells[0]), "the title cell says what the learner will be able to do"
    headings = [line.strip() for c in cells if c["cell_type"] == "markdown" for line in _src(c).splitlines()
                if line.startswith("## ")]
    assert "## Quick check" in headings, "a '## Quick check' section"
    order = [h for h in headings if h in {"## Exercises", "## Summary", "## Further reading"}]
    assert order == ["## Exercises", "## Summary", "## Further reading"], f"sections found in this order: {order}"
    quiz = [c for c in cells if c["cell_type"] == "code" and "show_quiz" in _src(c)]
    assert [_src(c).strip() for c in quiz] == [f"exercises.show_quiz(exercises.nb{nn}.QUIZ)"]
    questions = importlib.import_module(f"course_lib.exercises.nb{nn}").QUIZ
    assert 2 <= len(questions) <= 4, f"nb{nn}.QUIZ has {len(questions)} questions (2-4)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_title_and_part_follow_the_course_map(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    first = "".join(nb["cells"][0]["source"])
    title = next(t for n, t, *_ in course.NOTEBOOKS if n == path.name)
    assert first.startswith(f"# {path.name[:2]} · "), "the first cell starts with '# NN · Title'"
    line = course.part_line(path.name)
    assert line in first, f"the title cell names its part and time: {line} (`make times` writes it)"
    assert title.split(",")[0].lower() in first.splitlines()[0].lower(), f"the title matches the course map: {title}"


def test_part_line_rejects_unknown_notebooks():
    with pytest.raises(ValueError, match="not a notebook"):
        course.part_line("99_nothing.ipynb")
