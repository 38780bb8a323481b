"""Repository-wide pytest configuration.

nbval compares stored notebook outputs with fresh ones. stderr never matches
under pytest (TensorFlow's start-up lines, warnings with temporary paths), so
it is excluded from the comparison for every notebook.

nbval's kernels talk to pytest over Unix socket files (ZeroMQ's ipc transport)
instead of TCP ports. With TCP, jupyter_client picks five free ports, releases
them and lets the kernel bind them, so two kernels started at the same moment
(the two xdist workers) can pick the same port (jupyter/jupyter_client#487);
on this 2-core machine a notebook test then waited on a kernel that never
answered. Socket files named after the pytest process cannot collide (a worker
runs one kernel at a time); the path is absolute because kernels start in the
notebooks' folder.
"""

import functools
import os
import tempfile

import nbval.kernel
import pytest
from jupyter_client.manager import KernelManager

nbval.kernel.KernelManager = functools.partial(
    KernelManager, transport="ipc", ip=os.path.join(tempfile.gettempdir(), f"nbval-kernel-{os.getpid()}"))


def pytest_collectstart(collector):
    if hasattr(collector, "skip_compare"):
        collector.skip_compare = collector.skip_compare + ("stderr",)


def pytest_collection_modifyitems(config, items):
    """Every notebook run (nbval) is ``slow``; the ``site`` tests (website and slide-deck builds, which need npm's
    assets and Jupyter Book's venv) run only under `make test-browser` (COURSE_SITE_TEST=1), never in `make test`."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
    if os.environ.get("COURSE_SITE_TEST") != "1":
        site = [item for item in items if item.get_closest_marker("site")]
        if site:
            config.hook.pytest_deselected(items=site)
            items[:] = [item for item in items if not item.get_closest_marker("site")]
