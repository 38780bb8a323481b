"""Headless notebook execution for the course's tools, tests and nbgrader, without missed kernel replies.

The stall this module fixes (jupyter/nbclient#312): nbclient waits for a cell's ``execute_reply`` on the shell
socket while, in the same event loop, it mirrors an Output widget's new outputs back to the kernel with a
``comm_msg`` on that same socket (``ipywidgets.interactive``, e.g. notebook 02's temperature explorer, whose
slider cell redraws into its Output widget). jupyter_client 8.10's ``Session.send`` writes to an asyncio socket
through a plain, blocking shadow of it. Any send makes ZeroMQ process the socket's pending commands, which
consumes the socket's edge-triggered wake-up (``ZMQ_FD``): if the kernel's reply has just arrived, the event loop
is never told, and the reply is only read when nbclient's per-cell timeout ends the wait (the cell then "succeeds"
after the whole timeout). pyzmq's own asyncio send re-checks the socket for waiting receivers after sending
(pyzmq#1208), so :class:`KernelClient` sends through it and nothing is missed.

Use :class:`NotebookRunner` (nbclient's ``NotebookClient`` with this client and :class:`CellWatch`) to run a
notebook; nbgrader gets the same through ``teaching/nbgrader_config.py``. :class:`CellWatch` logs a ``py-spy dump``
of the kernel and of this process when a cell runs into its timeout, so that one failure shows where both were, and
fails a cell whose reply is read only at its timeout rather than letting the stall pass unnoticed.
"""

import logging
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError
from traitlets import Type, default

log = logging.getLogger(__name__)
DUMP_TIMEOUT_S = 60


class _AsyncSend:
    """What ``Session.send`` needs of a stream (``send_multipart``), done by the asyncio socket itself."""

    def __init__(self, socket):
        self.socket = socket

    def send_multipart(self, parts, copy=True):
        sent = self.socket.send_multipart(parts, copy=copy)  # sent now unless the queue is full, then by the loop
        if sent.done():
            sent.result()  # raise a failed send here, as a blocking send would


class SocketChannel(AsyncZMQSocketChannel):
    """An asyncio channel whose sends wake a receive waiting on the same socket (see the module docstring)."""

    def send(self, msg):
        self.session.send(_AsyncSend(self.socket), msg)


class KernelClient(AsyncKernelClient):
    """jupyter_client's asyncio kernel client with :class:`SocketChannel` for every channel it sends on."""

    shell_channel_class = Type(SocketChannel)
    control_channel_class = Type(SocketChannel)
    stdin_channel_class = Type(SocketChannel)


class KernelManager(AsyncKernelManager):
    """nbclient's default kernel manager, handing out :class:`KernelClient`."""

    client_factory = Type(KernelClient, klass=AsyncKernelClient, config=True)


def py_spy_dump(pid):
    """The text of ``py-spy dump --pid PID`` (the Python stack of each thread), or why there is none."""
    exe = Path(sys.executable).with_name("py-spy")
    exe = str(exe) if exe.is_file() else shutil.which("py-spy")
    if exe is None:
        return "py-spy is not installed: pip install the py-spy version pinned in requirements.txt."
    try:
        done = subprocess.run([exe, "dump", "--pid", str(pid)], check=False, capture_output=True, text=True,
                              timeout=DUMP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return f"py-spy dump --pid {pid} did not finish within {DUMP_TIMEOUT_S} s."
    if done.returncode != 0:  # e.g. not allowed to trace (not root, kernel.yama.ptrace_scope)
        why = (done.stderr or done.stdout).split("Stack backtrace:")[0].strip()  # py-spy's own traceback: noise
        return f"py-spy dump --pid {pid} failed ({done.returncode}): {why}"
    return done.stdout


class _Overrun:
    """Reports once, from a timer thread at the cell's timeout or from nbclient's timeout handling."""

    def __init__(self, client, cell, cell_index, timeout):
        self.client, self.cell, self.cell_index, self.timeout = client, cell, cell_index, timeout
        self.lock = threading.Lock()
        self.reported = self.handled = False
        self.timer = threading.Timer(timeout, self.report) if timeout else None
        if self.timer:
            self.timer.daemon = True
            self.timer.start()

    def cancel(self):
        if self.timer:
            self.timer.cancel()

    def report(self):
        with self.lock:  # the second caller waits until the dumps are written, then returns
            if self.reported:
                return
            self.reported = True
            kernel = getattr(getattr(self.client.km, "provisioner", None), "pid", None)
            code = [line for line in self.cell.source.splitlines() if line.strip() and not line.startswith("#")]
            log.error("cell %d (%r) is still running at its timeout of %s s. py-spy dump of the kernel (pid %s):\n%s\n"
                      "py-spy dump of the executing client (pid %d):\n%s", self.cell_index, (code or [""])[0][:80],
                      self.timeout, kernel, py_spy_dump(kernel) if kernel else "(no kernel process)", os.getpid(),
                      py_spy_dump(os.getpid()))


class CellWatch:
    """Mixin for nbclient's ``NotebookClient`` (or nbgrader's ``Execute``): a cell that runs into its timeout gets a
    ``py-spy dump`` of the kernel and of this process logged (logger ``course_lib.execution``), taken before nbclient
    interrupts the kernel or raises. A cell whose reply only comes at its timeout (nbclient then reads it as if in
    time: the signature of a missed reply) raises ``CellTimeoutError`` instead of passing silently."""

    _overrun = None

    async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
        if cell.cell_type != "code":
            return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
        overrun = self._overrun = _Overrun(self, cell, cell_index, self._get_timeout(cell))
        try:
            executed = await super().async_execute_cell(cell, cell_index, *args, **kwargs)
        finally:
            overrun.cancel()
        if overrun.reported and not overrun.handled:
            raise CellTimeoutError.error_from_timeout_and_cell(
                "The kernel's reply was only read at the timeout (py-spy dumps in the log)", overrun.timeout, cell)
        return executed

    async def _async_handle_timeout(self, timeout, cell=None):
        if self._overrun is not None:
            self._overrun.handled = True  # nbclient raises, or records the timeout in the notebook (nbgrader)
            self._overrun.report()
        return await super()._async_handle_timeout(timeout, cell)


class NotebookRunner(CellWatch, NotebookClient):
    """nbclient's ``NotebookClient`` with :class:`KernelClient` (no missed replies) and :class:`CellWatch`."""

    @default("kernel_manager_class")
    def _kernel_manager_class_default(self):
        return KernelManager
