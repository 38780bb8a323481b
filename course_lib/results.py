"""The results registry: every training notebook records its model here; the leaderboard reads it.

One JSON file, ``results.json`` in the course's data folder (``data/``, or ``$COURSE_DATA_DIR``), written
atomically (``files.atomic_write``: a temporary file in the same folder, then a rename). Entries are keyed by
model name and mode, so a fast-mode test run never overwrites the numbers of a full-mode run. Model names and their
notebooks come from ``course_lib.models.REGISTRY``.
"""

import json
import math
import numbers
from collections.abc import Mapping

from . import mode, models
from .checks import file_path
from .files import atomic_write

FILENAME = "results.json"
FIELDS = ("model", "notebook", "params", "train_seconds", "test_accuracy", "test_errors", "mode")
MODES = ("full", "fast")


def default_path():
    """``results.json`` in the course's data folder (``models.data_dir()``)."""
    return models.data_dir() / FILENAME


def _rerun_advice():
    return f"Delete it and re-run the training notebooks ({', '.join(models.training_notebooks())})"


def _path(path):
    """The results file: ``path`` as a Path, or ``default_path()`` for None; a folder or a non-path is an error."""
    return default_path() if path is None else file_path("path", path, FILENAME)


def _entries(name, rows, fields):
    """Check ``rows`` is a list of dicts holding ``fields`` (as ``load`` returns them)."""
    if not isinstance(rows, (list, tuple)):
        raise TypeError(f"{name} must be a list of result entries (dicts), as from results.load(); "
                        f"got {type(rows).__name__}.")
    for i, e in enumerate(rows):
        if not isinstance(e, Mapping) or not set(fields) <= set(e):
            raise ValueError(f"{name}[{i}] must be a result entry with fields {fields}, got {e!r}: pass entries "
                             "from results.load() (or rows from results.leaderboard).")
        if isinstance(e["test_accuracy"], bool) or not isinstance(e["test_accuracy"], numbers.Real):
            raise ValueError(f"{name}[{i}]['test_accuracy'] must be a number, got {e['test_accuracy']!r}.")


def load(path=None):
    """All recorded entries as a list of dicts. A missing file gives an empty list."""
    path = _path(path)
    if not path.is_file():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path} is corrupted ({exc}). {_rerun_advice()} to record their results again.") from exc
    if not isinstance(entries, list) or not all(isinstance(e, dict) and set(FIELDS) <= set(e) for e in entries):
        raise ValueError(f"{path} does not hold a list of result entries with fields {FIELDS}. {_rerun_advice()}.")
    return entries


def _number(value, name, integer=False, low=0.0, high=math.inf):
    kind = "an integer" if integer else "a number"
    if (isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__")
            or getattr(value, "ndim", 0) != 0):
        raise TypeError(f"{name} must be {kind}, got {type(value).__name__}"
                        f"{' of shape ' + str(value.shape) if getattr(value, 'ndim', 0) else ''}.")
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"{name} must be {kind} in [{low:g}, {high:g}], got {value!r}.")
    if integer and number != int(number):
        raise ValueError(f"{name} must be a whole number, got {value!r}.")
    return int(number) if integer else number


def record(model, notebook, params, train_seconds, test_accuracy, test_errors, path=None):
    """Add or replace the entry of ``model`` for the current mode, writing the file atomically.

    model: a name from ``models.REGISTRY``; notebook: its notebook's number ("04") or file name.
    params: parameter count; train_seconds: training time; test_accuracy: in [0, 1]; test_errors: a count.
    Returns the entry written.
    """
    entry_model = models.get(model)
    if notebook not in (entry_model.number, entry_model.notebook):
        raise ValueError(f"{model} is trained in notebook {entry_model.number} ({entry_model.notebook}), "
                         f"not {notebook!r}: pass notebook={entry_model.number!r}.")
    entry = {"model": model, "notebook": entry_model.number,
             "params": _number(params, "params", integer=True),
             "train_seconds": round(_number(train_seconds, "train_seconds"), 1),
             "test_accuracy": round(_number(test_accuracy, "test_accuracy", high=1.0), 4),
             "test_errors": _number(test_errors, "test_errors", integer=True), "mode": mode.name()}
    path = _path(path)
    entries = [e for e in load(path) if (e["model"], e["mode"]) != (model, entry["mode"])] + [entry]
    with atomic_write(path) as tmp, open(tmp, "w", encoding="utf-8") as f:
        json.dump(entries, f, indent=1)
    return entry


def leaderboard(entries, prefer="full"):
    """Rows for a leaderboard, best test accuracy first: one per model, the ``prefer`` mode's entry when present."""
    if prefer not in MODES:
        raise ValueError(f"prefer must be one of {MODES}, got {prefer!r}.")
    _entries("entries", entries, ("model", "mode", "test_accuracy"))
    chosen = {}
    for e in entries:
        current = chosen.get(e["model"])
        if current is None or (e["mode"] == prefer and current["mode"] != prefer):
            chosen[e["model"]] = e
    return sorted(chosen.values(), key=lambda e: (-e["test_accuracy"], e["model"]))


def leaderboard_markdown(rows):
    """A Markdown table of leaderboard rows (from ``leaderboard``), or a line saying which notebooks to run."""
    if not rows:
        return f"No results yet: run the training notebooks ({', '.join(models.training_notebooks())})."
    _entries("rows", rows, FIELDS)
    lines = ["| rank | model | notebook | parameters | training time | test accuracy | test errors | mode |",
             "|---|---|---|---|---|---|---|---|"]
    for rank, e in enumerate(rows, start=1):
        lines.append(f"| {rank} | {e['model']} | {e['notebook']} | {e['params']:,} | {e['train_seconds']:.0f} s | "
                     f"{e['test_accuracy']:.2%} | {e['test_errors']} | {e['mode']} |")
    return "\n".join(lines)
