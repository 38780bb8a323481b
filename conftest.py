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
from jupyter_client.manager import KernelManager

nbval.kernel.KernelManager = functools.partial(
    KernelManager, transport="ipc", ip=os.path.join(tempfile.gettempdir(), f"nbval-kernel-{os.getpid()}"))


def pytest_collectstart(collector):
    if hasattr(collector, "skip_compare"):
        collector.skip_compare = collector.skip_compare + ("stderr",)
