"""The student edition (``make student``) and autograding (``make grade``) with nbgrader, end to end.

One student edition of every notebook is generated into a temporary build folder with nbgrader's own
``generate_assignment`` (teaching/nbgrader_course.py), and one of the Chinese edition's (notebooks/zh_CN/). Then: no
notebook of either edition leaks a solution or loses a cell other than a solution; the light notebooks run
top to bottom unanswered in fast mode and every check cell says "Not answered yet"; one notebook is autograded
twice, solved (each answer cell replaced by its reference solution) and as handed out, for full marks and zero.
"""

import importlib.util
import json
import os
from pathlib import Path

import pytest

from course_lib import course

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = [ROOT / "notebooks" / file for file in course.FILES]
pytestmark = pytest.mark.slow  # nbgrader builds the edition and runs notebooks: minutes
# Executed unanswered: the notebooks that run in fast mode in well under a minute each (the others train networks
# for minutes and already run in fast mode under nbval; the student edition only drops cells and outputs).
# COURSE_STUDENT_ALL=1 executes every notebook (slow: several notebooks train networks for minutes).
LIGHT = ["00_welcome_and_data", "01_tensors", "02_softmax_cross_entropy", "03_backpropagation",
         "08_convolution_arithmetic"]
EXECUTED = [p.stem for p in NOTEBOOKS] if os.environ.get("COURSE_STUDENT_ALL") == "1" else LIGHT
GRADED = "02_softmax_cross_entropy"  # NumPy only: autograding it twice takes about a minute


def _load_tool():
    spec = importlib.util.spec_from_file_location("nbgrader_course", ROOT / "teaching" / "nbgrader_course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


def read(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def src(cell):
    return "".join(cell["source"])


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def is_answer(cell):
    return nbgrader_meta(cell).get("solution") and not nbgrader_meta(cell).get("grade")


def is_check(cell):
    return bool(nbgrader_meta(cell).get("grade")) and cell["cell_type"] == "code"


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    build = tmp_path_factory.mktemp("build")
    tool.build_student(build, log=lambda *_: None)
    return build


@pytest.fixture(scope="module")
def zh_build(tmp_path_factory):
    """The Chinese edition's (notebooks/zh_CN/, `make student COURSE_LANG=zh_CN`), built the same way."""
    if not tool.EDITIONS["zh_CN"][0].is_dir():
        pytest.skip(f"{tool.EDITIONS['zh_CN'][0]} is not built yet: `make zh` (tools/i18n.py build) writes it.")
    build = tmp_path_factory.mktemp("build-zh")
    tool.build_student(build, log=lambda *_: None, lang="zh_CN")
    return build


def edition_build(request, lang):
    return request.getfixturevalue("build" if lang == "en" else "zh_build")


@pytest.mark.parametrize("lang", tool.EDITIONS)
def test_every_notebook_has_a_student_edition(request, lang):
    build = edition_build(request, lang)
    assert sorted(p.name for p in (build / "student").glob("*.ipynb")) == [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("lang", tool.EDITIONS)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_edition_drops_solutions_and_keeps_skeletons(request, lang, path):
    build = edition_build(request, lang)
    source, student = read(tool.EDITIONS[lang][0] / path.name), read(build / "student" / path.name)
    assert not tool.leaks(student)
    kept = [c for c in source["cells"] if "solution" not in c["metadata"].get("tags", [])]
    assert [src(c) for c in student["cells"]] == [src(c) for c in kept], "only solution cells are dropped"
    for cell in student["cells"]:
        assert "BEGIN SOLUTION" not in src(cell), "the course marks answers with its own comments, not nbgrader's"
        if is_check(cell):
            meta = nbgrader_meta(cell)
            assert meta["locked"] and meta["points"] == 1 and len(meta["checksum"]) == 32
    assert "widgets" not in student["metadata"]


def execute(path, cwd, timeout=300):
    """Run a notebook in a fresh kernel, once (no cell here needs minutes). course_lib.execution's runner never
    misses a reply; a cell that runs into its timeout fails the test with py-spy dumps of the kernel and of pytest
    in the captured log."""
    import nbformat

    from course_lib.execution import NotebookRunner

    nb = nbformat.read(path, as_version=4)
    NotebookRunner(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def outputs_text(cell):
    return "".join("".join(o.get("data", {}).get("text/plain", "")) + "".join(o.get("text", ""))
                   for o in cell["outputs"])


@pytest.mark.parametrize("name", EXECUTED)
def test_student_notebook_runs_unanswered(build, name, monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "1")  # the kernel inherits the environment
    monkeypatch.delenv("COURSE_GRADING", raising=False)
    nb = execute(build / "student" / f"{name}.ipynb", build / "student")
    assert not [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]
                if o["output_type"] == "error"]
    for cell in filter(is_check, nb["cells"]):
        assert outputs_text(cell).startswith("Not answered yet"), (nbgrader_meta(cell)["grade_id"], outputs_text(cell))


def test_autograde_scores_a_solved_and_an_unsolved_submission(build, monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "1")
    monkeypatch.delenv("COURSE_GRADING", raising=False)
    student = read(build / "student" / f"{GRADED}.ipynb")
    checks = [nbgrader_meta(c)["grade_id"] for c in student["cells"] if is_check(c)]
    assert checks, f"{GRADED} has no check cells to grade"
    submitted = build / "nbgrader" / "submitted"
    solved = tool.solved(student, read(ROOT / "notebooks" / f"{GRADED}.ipynb"))
    tool._write_json(submitted / "ada" / GRADED / f"{GRADED}.ipynb", solved)
    tool._write_json(submitted / "bob" / GRADED / f"{GRADED}.ipynb", student)
    rows = tool.grade(build, log=lambda *_: None)
    got = {(r["student"], r["check"]): (r["score"], r["max_score"]) for r in rows}
    assert got == {**{("ada", c): (1.0, 1.0) for c in checks}, **{("bob", c): (0.0, 1.0) for c in checks}}
    assert os.environ.get("COURSE_GRADING") is None, "grading leaves the environment as it found it"
    csv_lines = (build / "nbgrader" / "check_scores.csv").read_text().splitlines()
    assert csv_lines[0] == "student,assignment,check,score,max_score" and len(csv_lines) == 1 + 2 * len(checks)


def test_an_edition_not_built_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(tool.EDITIONS, "zh_CN", (tmp_path / "zh_CN", tmp_path / "build"))
    with pytest.raises(SystemExit, match=r"02_softmax_cross_entropy.ipynb is missing: the zh_CN notebooks are not"):
        tool.build_student(tmp_path / "build", ["02"], log=lambda *_: None, lang="zh_CN")
    assert not (tmp_path / "build").exists()
