"""Execute a notebook top to bottom (full mode unless COURSE_FAST=1 is set) and keep clean outputs.

Used by tools/profile_notebooks.py (`make notebooks`, `make profile`). After a notebook runs, TensorFlow's C++ log
lines (stderr lines such as "I0000 ... oneDNN custom operations are on" or "E0000 ... NodeDef mentions attribute")
are removed from the stored outputs: they are harmless, machine-specific noise that nbval ignores anyway. Any other
stderr text stays. No per-cell timing metadata is stored.
"""

import re
import sys
from pathlib import Path

import nbformat

from course_lib import course
from course_lib.files import atomic_write
from course_lib.execution import NotebookRunner

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
TIMEOUT_S = 3600
# absl/TensorFlow C++ log lines: severity letter, MMDD, time, thread id, file:line] message
TF_LOG_LINE = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to "
                         r"STDERR|[IWEF]\d{4} [\d:.]+\s+\d+ \S+:\d+\] .*)$")


def strip_tf_logs(nb):
    """Remove TensorFlow's C++ log lines from every stderr stream output; drop outputs left empty."""
    removed = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.outputs:
            if out.output_type == "stream" and out.name == "stderr":
                lines = out.text.splitlines(keepends=True)
                clean = [line for line in lines if not TF_LOG_LINE.match(line.rstrip("\n"))]
                removed += len(lines) - len(clean)
                if not "".join(clean).strip():
                    continue
                out.text = "".join(clean)
            kept.append(out)
        cell.outputs = kept
    return removed


def execute(path, **hooks):
    """Execute the notebook at ``path`` in its own folder; returns (notebook, TensorFlow log lines removed).

    hooks: nbclient's ``on_notebook_start``, ``on_cell_execute``, ... callbacks (``tools/profile_notebooks.py``
    watches the kernel with them). Raises nbclient's ``CellExecutionError`` when a cell fails.
    """
    nb = nbformat.read(path, as_version=4)
    client = NotebookRunner(nb, timeout=TIMEOUT_S, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}}, **hooks)
    client.execute()
    removed = strip_tf_logs(nb)
    for cell in nb.cells:  # timestamps of an earlier run would only add noise to every diff
        cell.metadata.pop("execution", None)
    return nb, removed


def write(path, nb):
    """Write an executed notebook back to ``path`` atomically."""
    with atomic_write(path) as tmp, open(tmp, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)


def notebook_paths(argv):
    """The notebooks named in ``argv`` (default: every notebook of the course map, in order); exits (2) naming
    missing ones."""
    paths = [Path(a).resolve() for a in argv] or [NOTEBOOK_DIR / file for file in course.FILES]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"no such notebook: {', '.join(map(str, missing))}", file=sys.stderr)
        sys.exit(2)
    return paths
