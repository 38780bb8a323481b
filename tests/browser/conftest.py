"""Fixtures for the real-browser tests (`make test-browser`): headless Chromium driven by Playwright, and a
JupyterLab server in fast mode on a temporary copy of the notebooks.

The tests in this folder run only when ``COURSE_BROWSER_TEST=1`` (set by `make test-browser`), so `make test`
never collects them. Chromium is Debian's ``/usr/bin/chromium`` (`make test-browser` installs it with apt-get
when missing); Playwright never downloads a browser of its own.

Fixtures:
- ``browser`` (session): a Playwright ``Browser`` (Chromium, headless).
- ``page``: a fresh page in its own context (1280x1000); ``page.console_errors`` collects the page's console
  errors and uncaught exceptions.
- ``screenshot``: ``screenshot(page, "name")`` saves ``build/browser/name.png`` and returns its path.
- ``artifacts_dir`` (session): ``build/browser/`` in the repository (not committed).
- ``lab`` (session): a running JupyterLab (``lab.url(path)``, ``lab.notebooks``, ``lab.models_dir``).
- ``lab_zh`` (session): the same on notebooks/zh_CN/ with the interface in Chinese, as `make lab-zh`.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

if os.environ.get("COURSE_BROWSER_TEST") != "1":
    collect_ignore_glob = ["test_*.py"]

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "build" / "browser"
SERVER_START_SECONDS = 120
# Kernels in the lab behave like CI: fast mode, one thread each, no TensorFlow start-up chatter.
KERNEL_ENV = {"COURSE_FAST": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
              "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`make test-browser` does it as root: "
                    "apt-get install chromium), or set COURSE_CHROMIUM to a Chromium executable.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.console_errors.append(f"uncaught: {exc}"))
    yield page
    context.close()


@pytest.fixture
def screenshot(artifacts_dir):
    def take(page, name, **kwargs):
        path = artifacts_dir / f"{name}.png"
        page.screenshot(path=str(path), **kwargs)
        return path

    return take


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    """A running JupyterLab: ``url("lab/tree/02_x.ipynb")`` gives the full address with the token."""
    base: str
    token: str
    notebooks: Path          # the temporary copy of notebooks/ the server serves
    models_dir: Path         # COURSE_DATA_DIR/models/fast: the fast-mode kernels' models (empty at start)
    data_dir: Path           # COURSE_DATA_DIR of the kernels
    log: Path
    process: subprocess.Popen = field(repr=False)

    def url(self, path, reset=True):
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path}{sep}token={self.token}" + ("&reset" if reset else "")


def _serve(root, served, env_extra, log, trust=True):
    """Trust the notebooks of ``served`` (unless ``trust`` is false) and run JupyterLab on it (fast-mode kernels,
    Jupyter's folders in ``root``, ``env_extra`` on top); yield the ``Lab``, then stop the server."""
    data_dir = root / "data"
    (data_dir / "models" / "fast").mkdir(parents=True)
    env = {**os.environ, **KERNEL_ENV, "COURSE_DATA_DIR": str(data_dir),
           "JUPYTER_DATA_DIR": str(root / "jupyter-data"), "JUPYTER_RUNTIME_DIR": str(root / "jupyter-runtime"),
           "JUPYTER_CONFIG_DIR": str(root / "jupyter-config"), "JUPYTERLAB_WORKSPACES_DIR": str(root / "ws"),
           "HOME": str(root / "home"), **env_extra}
    (root / "home").mkdir()
    bin_dir = Path(sys.executable).parent
    if trust:
        subprocess.run([str(bin_dir / "jupyter"), "trust", *sorted(map(str, served.glob("*.ipynb")))],
                       env=env, check=True, capture_output=True)
    token, port = os.urandom(16).hex(), _free_port()
    cmd = [str(bin_dir / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={token}", f"--notebook-dir={served}", "--ServerApp.port_retries=0"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    with open(log, "w") as log_file:
        process = subprocess.Popen(cmd, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"JupyterLab did not start within {SERVER_START_SECONDS} s; see {log}")
            time.sleep(0.5)
    yield Lab(base, token, served, data_dir / "models" / "fast", data_dir, log, process)
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def _copy_notebooks(root):
    notebooks = root / "notebooks"
    shutil.copytree(REPO / "notebooks", notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return notebooks


@pytest.fixture(scope="session")
def lab(tmp_path_factory, artifacts_dir):
    """JupyterLab in fast mode on a temporary copy of notebooks/ (the repository is never modified).

    The copy is trusted the way `make lab` trusts the course (``jupyter trust`` into a fresh Jupyter data
    directory), so stored widgets render on first open. Kernels read and write models and results in a
    temporary data folder (``COURSE_DATA_DIR``), empty at start.
    """
    root = tmp_path_factory.mktemp("lab")
    yield from _serve(root, _copy_notebooks(root), {}, artifacts_dir / "jupyterlab.log")


@pytest.fixture(scope="session")
def lab_zh(tmp_path_factory, artifacts_dir):
    """The Chinese edition as `make lab-zh` serves it: JupyterLab on the copy's zh_CN/ folder, its interface in
    Chinese through the default setting in jupyter/zh_CN/ (``JUPYTER_CONFIG_PATH``), otherwise as ``lab``, but
    untrusted (its test shows no stored widget; trusting 14 notebooks takes seconds)."""
    root = tmp_path_factory.mktemp("lab-zh")
    yield from _serve(root, _copy_notebooks(root) / "zh_CN", {"JUPYTER_CONFIG_PATH": str(REPO / "jupyter" / "zh_CN")},
                      artifacts_dir / "jupyterlab-zh.log", trust=False)
