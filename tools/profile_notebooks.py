"""Profile notebooks: wall time and the kernel's peak memory, one notebook at a time (`make profile`).

Each notebook runs top to bottom (tools/run_notebooks.py executes it), in the mode of the environment (COURSE_FAST=1:
fast; unset or 0: full). While it runs, a thread
samples the memory of the kernel and its children (every process this tool started) with psutil: RSS, and PSS where
the system reports it (Linux). On Linux the kernel's own high-water mark (VmHWM, reset at the start of every cell) is
read too, so a peak shorter than the sampling interval still counts.

Writes build/profile.json (the run: machine, mode, one row per notebook with per-cell times and peaks) and
build/profile.md (the run's table, and the record of both modes), and merges every notebook that ran without error
into the record course_lib/profile.json, by mode: the course map (course_lib/course.py) takes its full-mode
minutes from there.

With --save, each notebook that ran without error is written back with its new outputs (how `make notebooks` runs
them), so the stored outputs and the course map's figures come from the same run.

Every run also recomputes each course notebook's reading time (`reading`: no notebook runs for it) into the record,
and, when the record is the course's own, writes the line under every English notebook's title
(`course.part_line`: its part and its minutes of reading and running) where it changed, the course map's stored
output in notebook 00 and README's table of a learner's time. `--times-only` does just that (`make times`): after
editing a notebook's text.

Usage: python tools/profile_notebooks.py [--save] [--interval S] [--out DIR] [--record FILE] [NOTEBOOK ...]
       python tools/profile_notebooks.py --times-only [--record FILE]
"""

import argparse
import datetime
import importlib
import json
import math
import platform
import re
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

import run_notebooks  # beside this script: Python puts the script's folder first on the path
from course_lib import course, mode
from course_lib.files import atomic_write

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "course_lib" / "profile.json"
NOTEBOOK_DIR = ROOT / "notebooks"
MB = 1024 * 1024

# A learner's time besides running a notebook. Reading: Brysbaert (2019, "How many words do we read per minute? A
# review and meta-analysis of reading rate", Journal of Memory and Language 109, 104047) finds 238 words a minute
# for adults' silent reading of English non-fiction, most readers between 175 and 300, and slower in a second
# language; text with formulas and code read to be able to use it is slower than that range's bottom: 150.
# Exercises and quiz questions: the course's own allowances (write a few lines, run the check, read its feedback,
# try again; answer one multiple-choice question), not measured.
WORDS_PER_MINUTE = 150
MINUTES_PER_EXERCISE = 10
MINUTES_PER_QUIZ_QUESTION = 1
ROUND_TO_MIN = 5                     # an estimate: shown to the nearest 5 minutes (at least 5)
CHECK_CALL = re.compile(r"\bexercises\.check_\w+\(")
QUIZ_CALL = re.compile(r"\bexercises\.show_quiz\(exercises\.(nb\d\d)\.QUIZ\)")


def _read_hwm(pid):
    """Peak RSS in bytes of one process since its last reset (Linux VmHWM), or None where unavailable."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _reset_hwm(pid):
    """Reset a process's VmHWM to its current RSS (Linux: write 5 to /proc/PID/clear_refs); False if not possible."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class MemorySampler:
    """Samples every process started by this one (the kernel and its children) in a background thread.

    ``peak_rss`` / ``peak_pss``: the largest sums seen (bytes); ``cells``: per executed cell, its index,
    seconds and peak RSS (bytes, with the kernel's VmHWM where available). PSS is read every ``PSS_EVERY``-th
    sample only: the kernel walks the whole address space for it (TensorFlow's is large).
    """

    PSS_EVERY = 10

    def __init__(self, interval=0.1):
        self.interval, self._samples = interval, 0
        self.peak_rss = self.peak_pss = 0
        self.cells, self._cell, self._started, self.last_index = [], None, None, None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _processes(self):
        return psutil.Process().children(recursive=True)

    def sample(self):
        rss = pss = hwm = 0
        self._samples += 1
        has_pss = self._samples % self.PSS_EVERY == 1
        for proc in self._processes():
            try:
                rss += proc.memory_info().rss
                if has_pss:
                    pss += getattr(proc.memory_full_info(), "pss", None) or 0
                hwm = max(hwm, _read_hwm(proc.pid) or 0)
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
            except (psutil.AccessDenied, AttributeError):
                has_pss = False
        with self._lock:
            self.peak_rss = max(self.peak_rss, rss, hwm)
            if has_pss:
                self.peak_pss = max(self.peak_pss, pss)
            if self._cell is not None:
                self._cell["peak"] = max(self._cell["peak"], rss, hwm)

    def _loop(self):
        while not self._stop.wait(self.interval):
            self.sample()

    # nbclient hooks (keyword arguments: cell, cell_index, ...)
    def cell_started(self, cell_index, **_):
        for proc in self._processes():
            _reset_hwm(proc.pid)
        with self._lock:
            self._cell, self.last_index = {"index": cell_index, "peak": 0}, cell_index
            self._started = time.perf_counter()

    def cell_done(self, **_):
        self.sample()
        with self._lock:
            cell, self._cell = self._cell, None
            if cell is not None:
                self.cells.append({"index": cell["index"], "seconds": round(time.perf_counter() - self._started, 2),
                                   "peak_rss_mb": round(cell["peak"] / MB, 1)})


def profile(path, interval=0.1, save=False):
    """Run one notebook and return its row: notebook, status, wall_s, peak_rss_mb, peak_pss_mb, peak_cell, cells.

    save: write the executed notebook back (as `make notebooks` does) when every cell ran."""
    start = time.perf_counter()
    with MemorySampler(interval) as sampler:
        try:
            nb, _ = run_notebooks.execute(path, on_cell_execute=sampler.cell_started,
                                          on_cell_executed=sampler.cell_done)
            status = "ok"
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
            reason = {"CellExecutionError": "error", "CellTimeoutError": "timeout",
                      "DeadKernelError": "kernel died"}[type(exc).__name__]
            status = f"{reason} in cell {sampler.last_index}"
            sampler.cell_done()
    if save and status == "ok":
        run_notebooks.write(path, nb)
    peak_cell = max(sampler.cells, key=lambda c: c["peak_rss_mb"], default={"index": None})["index"]
    return {"notebook": path.name, "status": status, "wall_s": round(time.perf_counter() - start, 1),
            "peak_rss_mb": round(sampler.peak_rss / MB, 1),
            "peak_pss_mb": round(sampler.peak_pss / MB, 1) if sampler.peak_pss else None,
            "peak_cell": peak_cell, "cells": sampler.cells}


def machine():
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {"cpu": cpu, "cores": psutil.cpu_count(logical=True),
            "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
            "system": f"{platform.system()} {platform.release()}", "python": platform.python_version()}


def _fmt(value, digits=0):
    return "-" if value is None else f"{value:,.{digits}f}"


def run_table(run):
    """The run's rows as Markdown: one line per notebook."""
    lines = [f"Mode: {run['mode']}; {run['date']}; {run['machine']['cpu']}, {run['machine']['cores']} cores, "
             f"{run['machine']['memory_gb']} GB; memory sampled every {run['interval_s']} s.", "",
             "| notebook | status | wall time (s) | peak RSS (MB) | peak PSS (MB) | cell at the peak |",
             "|---|---|---|---|---|---|"]
    for r in run["notebooks"]:
        lines.append(f"| {r['notebook'][:2]} | {r['status']} | {_fmt(r['wall_s'])} | {_fmt(r['peak_rss_mb'])} | "
                     f"{_fmt(r['peak_pss_mb'])} | {_fmt(r['peak_cell'])} |")
    return "\n".join(lines)


def record_table(record):
    """The record of both modes side by side: full-mode minutes and peak, fast-mode seconds and peak."""
    lines = ["| notebook | full: minutes | full: peak RSS (MB) | fast: seconds | fast: peak RSS (MB) |",
             "|---|---|---|---|---|"]
    names = sorted(set(record.get("full", {})) | set(record.get("fast", {})))
    for name in names:
        full, fast = record.get("full", {}).get(name, {}), record.get("fast", {}).get(name, {})
        minutes = None if full.get("wall_s") is None else full["wall_s"] / 60
        lines.append(f"| {name[:2]} | {_fmt(minutes, 1)} | {_fmt(full.get('peak_rss_mb'))} | "
                     f"{_fmt(fast.get('wall_s'))} | {_fmt(fast.get('peak_rss_mb'))} |")
    return "\n".join(lines)


def write_json(path, data):
    """Write ``data`` as indented JSON to ``path`` atomically (``course_lib.files.atomic_write``)."""
    with atomic_write(path) as tmp:
        tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def update_record(record_path, run):
    """Merge the run's notebooks that ran without error into the record, under the run's mode; returns the record."""
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
    section = record.setdefault(run["mode"], {})
    for r in run["notebooks"]:
        if r["status"] == "ok":
            section[r["notebook"]] = {"wall_s": r["wall_s"], "peak_rss_mb": r["peak_rss_mb"],
                                      "peak_pss_mb": r["peak_pss_mb"], "date": run["date"][:10],
                                      "machine": f"{run['machine']['cpu']}, {run['machine']['cores']} cores",
                                      "measured_by": "make profile"}
    record[run["mode"]] = dict(sorted(section.items()))
    write_json(record_path, record)
    return record


def reading(path):
    """What a learner reads and does in the notebook at ``path``: {words, exercises, quiz_questions, minutes}.

    words: whitespace-separated words of every Markdown cell and of every code cell but the hidden reference
    solutions (tag "solution"); exercises: check cells (calls of ``exercises.check_*``); quiz_questions: the
    questions of the quizzes the notebook shows (``exercises.show_quiz(exercises.nbNN.QUIZ)``). minutes: words at
    WORDS_PER_MINUTE plus the allowances, rounded half up to ROUND_TO_MIN minutes (at least ROUND_TO_MIN)."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    read = ["".join(c["source"]) for c in cells if "solution" not in c.get("metadata", {}).get("tags", [])]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    words = sum(len(text.split()) for text in read)
    exercises = sum(len(CHECK_CALL.findall(text)) for text in code)
    quiz = sum(len(importlib.import_module(f"course_lib.exercises.{nb}").QUIZ)
               for text in code for nb in QUIZ_CALL.findall(text))
    minutes = words / WORDS_PER_MINUTE + exercises * MINUTES_PER_EXERCISE + quiz * MINUTES_PER_QUIZ_QUESTION
    rounded = max(ROUND_TO_MIN, ROUND_TO_MIN * math.floor(minutes / ROUND_TO_MIN + 0.5))
    return {"words": words, "exercises": exercises, "quiz_questions": quiz, "minutes": rounded}


def reading_record(notebook_dir=NOTEBOOK_DIR):
    """The record's "reading" section: the method's constants and ``reading`` of every notebook of the course map."""
    return {"words_per_minute": WORDS_PER_MINUTE, "minutes_per_exercise": MINUTES_PER_EXERCISE,
            "minutes_per_quiz_question": MINUTES_PER_QUIZ_QUESTION, "round_to_min": ROUND_TO_MIN,
            "notebooks": {file: reading(Path(notebook_dir) / file) for file in course.FILES}}


def write_part_lines(notebook_dir=NOTEBOOK_DIR, record=RECORD):
    """Replace the part line of every English notebook's title cell (the line ``*Part ...*`` of its first cell) by
    ``course.part_line`` where it differs, in place in the file's text (the rest of the file byte for byte as it
    was); returns the names of the notebooks written. A notebook without exactly one such line is a ValueError."""
    written = []
    for file in course.FILES:
        path = Path(notebook_dir) / file
        text = path.read_text(encoding="utf-8")
        first = json.loads(text)["cells"][0]["source"]
        lines = [line for line in (first if isinstance(first, list) else first.splitlines(keepends=True))
                 if re.fullmatch(r"\*Part [IVX]+ · [^*]+\*\n?", line)]
        new = course.part_line(file, path=record)
        if len(lines) != 1 or text.count(json.dumps(lines[0], ensure_ascii=False)) != 1:
            raise ValueError(f"{path}: its first cell needs one line '*Part N · ...*' under its title (the course "
                             f"map's part line {new!r}), found {lines}.")
        old = lines[0]
        new += "\n" if old.endswith("\n") else ""
        if new != old:
            text = text.replace(json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False))
            with atomic_write(path) as tmp:
                tmp.write_text(text, encoding="utf-8")
            written.append(file)
    return written


def write_course_map_output(notebook_dir=NOTEBOOK_DIR):
    """Notebook 00 shows the course map (a cell ending in ``Markdown(course_map_markdown())``): set that cell's stored
    output to ``course.course_map_markdown()``, what its kernel prints (a pure function of course.py and the record;
    nbval checks it); True when it changed."""
    path = Path(notebook_dir) / course.FILES[0]
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and c.source.endswith("Markdown(course_map_markdown())")]
    if len(cells) != 1 or [o.output_type for o in cells[0].outputs] != ["execute_result"]:
        raise ValueError(f"{path}: expected one cell ending in Markdown(course_map_markdown()) with one result; "
                         "run the notebook (make notebooks NB=...) instead.")
    data = cells[0].outputs[0].data
    if data.get("text/markdown") == course.course_map_markdown():
        return False
    data["text/markdown"] = course.course_map_markdown()
    run_notebooks.write(path, nb)
    return True


def write_readme_table(readme=ROOT / "README.md"):
    """Replace README's table of a learner's time (the lines from its header to the table's end) by
    ``course.time_table()``; True when it changed. A README without that header is a ValueError."""
    lines = Path(readme).read_text(encoding="utf-8").split("\n")
    table = course.time_table().split("\n")
    start = lines.index(table[0]) if table[0] in lines else None
    if start is None:
        raise ValueError(f"{readme} has no line {table[0]!r}: put the table of course.time_table() back in.")
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    if lines[start:end] == table:
        return False
    with atomic_write(readme) as tmp:
        tmp.write_text("\n".join(lines[:start] + table + lines[end:]), encoding="utf-8")
    return True


def refresh_times(record_path):
    """Recompute the reading times into the record at ``record_path``; when it is the course's record, write the
    notebooks' part lines from it. Returns the record."""
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
    record["reading"] = reading_record()
    write_json(record_path, record)
    if record_path.resolve() == RECORD:
        for file in write_part_lines():
            print(f"part line of {file}: {course.part_line(file)}")
        if write_course_map_output():
            print(f"course map of {course.FILES[0]} refreshed")
        if write_readme_table():
            print("README's table of a learner's time refreshed")
    return record


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="default: every notebooks/NN_*.ipynb in order")
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between memory samples (default 0.1)")
    parser.add_argument("--out", type=Path, default=ROOT / "build", help="folder for profile.json and profile.md")
    parser.add_argument("--record", type=Path, default=RECORD, help="the committed record to update")
    parser.add_argument("--save", action="store_true",
                        help="keep each notebook's new outputs (`make notebooks`): one run stores and measures")
    parser.add_argument("--times-only", action="store_true",
                        help="run nothing: recompute the reading times, write the part lines (make times)")
    args = parser.parse_args(argv)
    if args.times_only:
        if args.notebooks or args.save:
            parser.error("--times-only runs no notebook: give no notebooks and no --save")
        refresh_times(args.record)
        return 0
    if not args.interval > 0:
        parser.error(f"--interval must be a positive number of seconds, got {args.interval}")
    paths = run_notebooks.notebook_paths(args.notebooks)
    run = {"mode": mode.name(), "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
           "machine": machine(), "interval_s": args.interval, "notebooks": []}
    for path in paths:
        row = profile(path, args.interval, save=args.save)
        run["notebooks"].append(row)
        print(f"== {row['notebook']}: {row['status']}, {row['wall_s']:.0f} s, peak RSS {row['peak_rss_mb']:.0f} MB "
              f"(cell {row['peak_cell']})", flush=True)
        write_json(args.out / "profile.json", run)   # after every notebook: a long run keeps what it measured
    update_record(args.record, run)
    record = refresh_times(args.record)
    markdown = (f"# Notebook profile\n\n## This run\n\n{run_table(run)}\n\n## The record ({args.record.name}), "
                f"both modes\n\n{record_table(record)}\n")
    (args.out / "profile.md").write_text(markdown, encoding="utf-8")
    print(run_table(run))
    return 0 if all(r["status"] == "ok" for r in run["notebooks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
