"""The results registry: every training notebook records its model here; the leaderboard reads it.

One JSON file, ``data/results.json``, written atomically (a temporary file,
then a rename). Entries are keyed by model name and mode, so a fast-mode test
run never overwrites the numbers of a full-mode run.
"""

import json
import os
import tempfile
from pathlib import Path

from . import mode
from .data import DATA_DIR

PATH = DATA_DIR / "results.json"
FIELDS = ("model", "notebook", "params", "train_seconds", "test_accuracy", "test_errors", "mode")


def load(path=PATH):
    """All recorded entries as a list of dicts. A missing file gives an empty list."""
    path = Path(path)
    if not path.is_file():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(
            f"{path.name} is corrupted ({exc}). Delete it and re-run the training notebooks "
            "(04, 06, 10, 11, 12) to record their results again."
        ) from exc
    if not isinstance(entries, list) or not all(isinstance(e, dict) and set(FIELDS) <= set(e) for e in entries):
        raise ValueError(f"{path.name} does not hold a list of result entries with fields {FIELDS}. "
                         "Delete it and re-run the training notebooks.")
    return entries


def record(model, notebook, params, train_seconds, test_accuracy, test_errors, path=PATH):
    """Add or replace the entry of ``model`` for the current mode, writing the file atomically."""
    entry = {"model": model, "notebook": notebook, "params": int(params), "train_seconds": round(float(train_seconds), 1),
             "test_accuracy": round(float(test_accuracy), 4), "test_errors": int(test_errors), "mode": mode.name()}
    path = Path(path)
    entries = [e for e in load(path) if (e["model"], e["mode"]) != (model, entry["mode"])] + [entry]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(entries, f, indent=1)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return entry


def leaderboard(entries, prefer="full"):
    """Rows for a leaderboard, best test accuracy first: one per model, the ``prefer`` mode's entry when present."""
    chosen = {}
    for e in entries:
        current = chosen.get(e["model"])
        if current is None or (e["mode"] == prefer and current["mode"] != prefer):
            chosen[e["model"]] = e
    return sorted(chosen.values(), key=lambda e: -e["test_accuracy"])


def leaderboard_markdown(rows):
    """A Markdown table of leaderboard rows."""
    lines = ["| rank | model | notebook | parameters | training time | test accuracy | test errors | mode |",
             "|---|---|---|---|---|---|---|---|"]
    for rank, e in enumerate(rows, start=1):
        lines.append(f"| {rank} | {e['model']} | {e['notebook']} | {e['params']:,} | {e['train_seconds']:.0f} s | "
                     f"{e['test_accuracy']:.2%} | {e['test_errors']} | {e['mode']} |")
    return "\n".join(lines)
