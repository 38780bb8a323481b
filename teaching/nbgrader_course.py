"""Student edition and autograding of the course with nbgrader (``make student``, ``make grade``).

One nbgrader assignment per notebook (assignment ``06_keras_six_steps`` holds ``06_keras_six_steps.ipynb``): a
teacher releases and grades the notebooks one at a time, the gradebook shows each notebook's score, and grading
one notebook never runs the others. Everything is built under ``build/`` (not committed):

    build/nbgrader/                   an nbgrader course directory (its own nbgrader_config.py, gradebook.db)
        source/<assignment>/          the course notebooks, as committed
        release/<assignment>/         the student edition made by ``nbgrader generate_assignment``
        submitted/<student>/<assignment>/<assignment>.ipynb   where the teacher puts what learners hand in
        autograded/...                written by ``nbgrader autograde``
        check_scores.csv              one row per student, assignment and check cell (make grade)
        grades.csv                    one row per student and assignment (`nbgrader export`; make grade runs it)
    build/student/                    the student edition of every notebook in one folder, to hand out

The Chinese edition (``--lang zh_CN``, ``make student COURSE_LANG=zh_CN``) works the same on notebooks/zh_CN/, in
its own folders: build/zh_CN/nbgrader/ and build/zh_CN/student/.

Usage (from the repository root, with the course's virtual environment):

    python teaching/nbgrader_course.py [--lang zh_CN] student [NOTEBOOK ...]     # default: every notebook
    python teaching/nbgrader_course.py [--lang zh_CN] grade [--full]             # autograde everything under submitted/

Grading runs each submitted notebook top to bottom in fast mode (``COURSE_FAST=1``; ``--full`` for full mode); every
check cell then displays its score (1.0 or 0.0) for nbgrader to record (``course_lib.exercises.core.grading``).
"""

import argparse
import contextlib
import csv
import json
import os
import shutil
import sys
import warnings
from pathlib import Path

from course_lib import course
from course_lib.files import atomic_write

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
# Each edition: (its notebooks, its default build folder).
EDITIONS = {"en": (NOTEBOOK_DIR, ROOT / "build"), "zh_CN": (NOTEBOOK_DIR / "zh_CN", ROOT / "build" / "zh_CN")}
CONFIG = Path(__file__).resolve().parent / "nbgrader_config.py"
SOLUTION_TAG = "solution"


def course_notebooks(names=None, lang="en"):
    """The notebooks of the edition ``lang`` to use: all of them, or those named (by file name or stem, e.g. ``06``
    prefixes too)."""
    paths = [EDITIONS[lang][0] / file for file in course.FILES]
    if not names:
        return paths
    chosen = []
    for name in names:
        hits = [p for p in paths if p.name == name or p.stem == name or p.name.startswith(f"{name}_")]
        if len(hits) != 1:
            raise SystemExit(f"notebook {name!r}: expected one of {[p.stem for p in paths]} (or its number).")
        chosen += hits
    return chosen


def _api(course_dir):
    """An in-process nbgrader API on ``course_dir`` with its config (one process for every assignment)."""
    # nbgrader runs the `alembic` command of its own environment when it opens a gradebook.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    # nbgrader 0.9.6's gradebook triggers SQLAlchemy autoflush warnings that change nothing.
    warnings.filterwarnings("ignore", message="Object of type <Submitted", module="nbgrader")
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    config.CourseDirectory.root = str(course_dir)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


@contextlib.contextmanager
def _environment(**values):
    """Set environment variables for the duration of a ``with`` block, then restore them."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


def _write_json(path, nb):
    """Write a notebook atomically (``course_lib.files.atomic_write``)."""
    with atomic_write(path) as tmp:
        tmp.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def leaks(nb):
    """Descriptions of anything in a notebook (dict) that gives a solution away: solution cells, stored outputs."""
    found = []
    for i, cell in enumerate(nb["cells"]):
        meta = cell.get("metadata", {})
        if SOLUTION_TAG in meta.get("tags", []) or "solution_for" in meta.get("course", {}):
            found.append(f"cell {i} is a reference solution cell")
        if "Reference solution" in "".join(cell["source"]):
            found.append(f"cell {i} contains a reference solution")
        if cell.get("outputs"):
            found.append(f"cell {i} has stored outputs")
    return found


def build_student(build_dir=ROOT / "build", names=None, log=print, lang="en"):
    """Generate the student edition of the chosen notebooks of the edition ``lang`` with ``nbgrader
    generate_assignment``.

    Returns the list of student notebooks written to ``build_dir/student``.
    """
    build_dir = Path(build_dir)
    course_dir = build_dir / "nbgrader"
    student_dir = build_dir / "student"
    notebooks = course_notebooks(names, lang)
    missing = [p for p in notebooks if not p.is_file()]
    if missing:
        raise SystemExit(f"{missing[0]} is missing: the {lang} notebooks are not built (`make zh` writes "
                         "notebooks/zh_CN/).")
    course_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CONFIG, course_dir / "nbgrader_config.py")
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        nb["metadata"].pop("widgets", None)  # saved widget state of the full-mode run
        source = course_dir / "source" / path.stem
        shutil.rmtree(source, ignore_errors=True)
        _write_json(source / path.name, nb)
    api = _api(course_dir)
    written = []
    for path in notebooks:
        log(f"nbgrader generate_assignment {path.stem}")
        result = api.generate_assignment(path.stem, force=True, create=True)
        if not result["success"]:
            raise SystemExit(f"nbgrader generate_assignment {path.stem} failed:\n{result.get('error', '')}\n"
                             f"{result.get('log', '')}")
        released = course_dir / "release" / path.stem / path.name
        problems = leaks(json.loads(released.read_text(encoding="utf-8")))
        if problems:
            raise SystemExit(f"{released}: the student edition leaks: {'; '.join(problems)}")
        student_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(released, student_dir / path.name)
        written.append(student_dir / path.name)
    log(f"student edition: {len(written)} notebooks in {student_dir}")
    return written


def solved(student_nb, source_nb):
    """A copy of a student notebook (dict) with every answer cell replaced by its reference solution.

    The solution cell of an answer cell is the one whose ``course.solution_for`` is the answer's nbgrader grade id.
    """
    answers = {c["metadata"]["course"]["solution_for"]: c["source"] for c in source_nb["cells"]
               if "solution_for" in c.get("metadata", {}).get("course", {})}
    nb = json.loads(json.dumps(student_nb))
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade"):
            if meta["grade_id"] not in answers:
                raise ValueError(f"answer cell {meta['grade_id']!r} has no solution cell "
                                 f"(a cell whose metadata course.solution_for is {meta['grade_id']!r}).")
            cell["source"] = answers[meta["grade_id"]]
    return nb


def submissions(course_dir):
    """``(student, assignment)`` pairs found under ``course_dir/submitted``."""
    return sorted((a.parent.name, a.name) for a in Path(course_dir).glob("submitted/*/*") if a.is_dir())


# A kernel may fail to bind the ports jupyter_client picked for it when other kernels start at the same moment
# ("Address already in use", "Kernel died before replying to kernel_info"); nbgrader 0.9.6 does not retry.
KERNEL_START_ATTEMPTS = 3


def _kernel_failed_to_start(result):
    text = f"{result.get('error', '')}\n{result.get('log', '')}"
    return "Kernel died before replying to kernel_info" in text or "Address already in use" in text


def grade(build_dir=ROOT / "build", full=False, log=print):
    """Autograde every submission under ``build_dir/nbgrader/submitted`` and write ``check_scores.csv``.

    Returns the rows written: dicts with student, assignment, check (grade id), score, max_score.
    """
    course_dir = Path(build_dir) / "nbgrader"
    if not (course_dir / "gradebook.db").exists():
        raise SystemExit(f"{course_dir}: no gradebook; run `make student` first (it creates the assignments).")
    found = submissions(course_dir)
    if not found:
        raise SystemExit(f"nothing to grade: put each learner's notebook into "
                         f"{course_dir}/submitted/<student>/<assignment>/<assignment>.ipynb")
    api = _api(course_dir)
    # Check cells show their score (COURSE_GRADING=1); the notebook kernels inherit this process's environment.
    with _environment(COURSE_GRADING="1", COURSE_FAST="0" if full else "1"):
        for student, assignment in found:
            log(f"nbgrader autograde {assignment} --student {student}")
            for _attempt in range(KERNEL_START_ATTEMPTS):
                result = api.autograde(assignment, student, force=True, create=True)
                if result["success"] or not _kernel_failed_to_start(result):
                    break
                log("  the kernel did not start (a port taken by another process?); trying again")
            if not result["success"]:
                raise SystemExit(f"nbgrader autograde {assignment} for {student} failed:\n"
                                 f"{result.get('error', '')}\n{result.get('log', '')}")
    rows = scores(course_dir)
    out = course_dir / "check_scores.csv"
    with atomic_write(out) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["student", "assignment", "check", "score", "max_score"])
        writer.writeheader()
        writer.writerows(rows)
    totals = {}
    for row in rows:
        key = (row["student"], row["assignment"])
        got, most = totals.get(key, (0.0, 0.0))
        totals[key] = (got + row["score"], most + row["max_score"])
    for (student, assignment), (got, most) in sorted(totals.items()):
        log(f"{student:<16} {assignment:<32} {got:g} / {most:g}")
    log(f"scores per check cell: {out}")
    return rows


def scores(course_dir):
    """Every autograded check cell's score from the gradebook, one dict per student, assignment and cell."""
    from nbgrader.api import Gradebook

    course_dir = Path(course_dir)
    rows = []
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}", course_id="mnist-course") as gb:
        for student, assignment in submissions(course_dir):
            submission = gb.find_submission(assignment, student)
            for notebook in submission.notebooks:
                for g in notebook.grades:
                    rows.append({"student": student, "assignment": assignment, "check": g.name,
                                 "score": float(g.score), "max_score": float(g.max_score)})
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=sorted(EDITIONS), default="en",
                        help="the edition: en (notebooks/) or zh_CN (notebooks/zh_CN/); default en")
    parser.add_argument("--build", help="build folder (default: build/, build/zh_CN/ for zh_CN)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_student = sub.add_parser("student", help="write the student edition (build/student/)")
    p_student.add_argument("notebooks", nargs="*", help="notebook names or numbers (default: all)")
    p_grade = sub.add_parser("grade", help="autograde build/nbgrader/submitted/ and write check_scores.csv")
    p_grade.add_argument("--full", action="store_true", help="run submissions in full mode (slow)")
    args = parser.parse_args(argv)
    build = args.build or EDITIONS[args.lang][1]
    if args.command == "student":
        build_student(build, args.notebooks, lang=args.lang)
    else:
        grade(build, full=args.full)


if __name__ == "__main__":
    main()
