"""Count missed kernel replies: run notebook 02's widget cell (the one that sets ``slider.value``) many times.

One kernel runs notebook 02's first cell, the cell that builds the temperature explorer, then the slider cell RUNS
times, each with a timeout of TIMEOUT seconds. A cell whose reply was missed takes the whole timeout
(nbclient reads the waiting reply only when the timeout ends its wait), so a stall is a cell that took at least
95% of the timeout; a normal run takes about a second. With ``--stock`` the cells run with nbclient's own
``NotebookClient`` (the stall of jupyter/nbclient#312), otherwise with ``course_lib.execution.NotebookRunner``,
which stops at the first stall with py-spy dumps of the kernel and of this process.
It starts one kernel and keeps about one core busy.

Usage: python tools/widget_stall.py [--runs RUNS] [--timeout TIMEOUT] [--stock]
"""

import argparse
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError

from course_lib.execution import NotebookRunner

SETUP_TIMEOUT_S = 300  # the first two cells (imports on a busy machine)
NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "02_softmax_cross_entropy.ipynb"


def widget_notebook(runs):
    """Notebook 02's first code cell, its temperature-explorer cell, then its slider cell ``runs`` times."""
    code = [c for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code"]
    build = [c for c in code if "widgets.temperature_explorer(" in c.source]
    slider = [c for c in code if "slider.value = " in c.source]
    if len(build) != 1 or len(slider) != 1:
        raise SystemExit(f"{NOTEBOOK.name}: expected one temperature-explorer cell and one slider cell, "
                         f"found {len(build)} and {len(slider)}; update tools/widget_stall.py.")
    cells = [code[0], build[0]] + slider * runs
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c.source) for c in cells])


def slider_seconds(runs, timeout, stock=False):
    """Run the widget notebook once; return the seconds each of the ``runs`` slider cells took."""
    starts, seconds = {}, []

    def start(cell, cell_index):
        starts[cell_index] = time.monotonic()

    def done(cell, cell_index, execute_reply):
        if cell_index >= 2:
            seconds.append(time.monotonic() - starts[cell_index])

    client_class = NotebookClient if stock else NotebookRunner
    client_class(widget_notebook(runs), kernel_name="python3", on_cell_start=start, on_cell_executed=done,
                 timeout_func=lambda cell: timeout if "slider.value = " in cell.source else SETUP_TIMEOUT_S,
                 resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return seconds


def stalls(seconds, timeout):
    """Indices of the runs that took the whole timeout (at least 95% of it)."""
    return [i for i, s in enumerate(seconds) if s >= 0.95 * timeout]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="how many times to run the slider cell (default 100)")
    parser.add_argument("--timeout", type=float, default=5.0, help="per-cell timeout in seconds (default 5)")
    parser.add_argument("--stock", action="store_true", help="use nbclient's NotebookClient, without the fix")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.timeout <= 0:
        parser.error("--runs must be at least 1 and --timeout positive")
    client = "nbclient NotebookClient" if args.stock else "course_lib NotebookRunner"
    try:
        seconds = slider_seconds(args.runs, args.timeout, args.stock)
    except CellTimeoutError:  # NotebookRunner fails a cell whose reply is read only at its timeout
        print(f"{client}: a slider cell ran into its timeout of {args.timeout:g} s (py-spy dumps above)")
        return 1
    slow = stalls(seconds, args.timeout)
    print(f"{client}: {len(slow)} stalls in "
          f"{len(seconds)} runs (timeout {args.timeout:g} s, median run {sorted(seconds)[len(seconds) // 2]:.2f} s)"
          + (f"; stalled runs: {slow}" if slow else ""))
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
